/*
 * mem.h - allocation that does not fail: one out-of-memory policy.
 *
 * Concept: as tmux's xmalloc, every allocation of the program goes
 * through these wrappers, which either return the memory or print
 * "funnelsim: out of memory" on standard error and abort().  No caller
 * tests for NULL, and no function reports out of memory as an error: a
 * half-checked path that is never taken in testing is worse than a clean
 * stop, and there is nothing useful a simulation can do without the
 * memory it needs.
 *
 * Why stopping is right here: every input that sizes an allocation is
 * bounded where it enters (scenario files at 4 MiB, replications at
 * 10,000, sweep points and tasks, --jobs, --max-leads, the horizon), so
 * the memory a command needs is known from its inputs; running out means
 * the machine is too small for what was asked, and the message says so.
 *
 * Invariants: the wrappers never return NULL; a size of 0 allocates one
 * byte, so the result is always a unique pointer that free() takes; an
 * element count times an element size that overflows size_t is out of
 * memory (it is more than any machine has).
 *
 * Other allocators: cJSON allocates through sim_malloc once its hooks are
 * installed, which every program does first thing (cli/main.c, the
 * fuzzer's initialiser, the test binary's constructor in
 * tests/test_mem.c):
 *
 *     cJSON_InitHooks(&(cJSON_Hooks){.malloc_fn = sim_malloc, .free_fn = free});
 *
 * Libraries that report failure as NULL (GSL's allocators, posix
 * functions such as open_memstream) are wrapped in sim_mem_check().
 *
 * Ownership: the caller owns what it gets and frees it with free().
 * Thread safety: as malloc's; the replications allocate on many threads.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_MEM_H
#define SIM_MEM_H

#include <stddef.h>

void *sim_malloc(size_t size);

/* n elements of `size` bytes, zeroed. */
void *sim_calloc(size_t n, size_t size);

void *sim_realloc(void *p, size_t size);

/* p resized to n elements of `size` bytes (p may be NULL: an array of n,
 * not zeroed). */
void *sim_reallocarray(void *p, size_t n, size_t size);

char *sim_strdup(const char *s);

/* `size` bytes aligned on `align` (a power of two); size is rounded up to
 * a multiple of align, as aligned_alloc() requires. */
void *sim_aligned_alloc(size_t align, size_t size);

/* p itself when not NULL; out of memory otherwise.  For allocators that
 * are not ours: gsl_rng_alloc(), open_memstream(), ... */
void *sim_mem_check(void *p);

/* Prints "funnelsim: out of memory" on standard error and aborts. */
_Noreturn void sim_mem_fail(void);

#endif
