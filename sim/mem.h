/*
 * mem.h - allocation that never returns NULL.
 *
 * funnelsim has one out-of-memory policy, as tmux has: an allocation that
 * fails prints "funnelsim: out of memory" and aborts.  Every input that
 * sizes an allocation is bounded where it is read, so running out of
 * memory means the machine is too small, not that the input was hostile;
 * no caller checks for NULL.  sim_mem_init() gives cJSON the same policy.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_MEM_H
#define SIM_MEM_H

#include <stddef.h>

void *sim_malloc(size_t n);
void *sim_calloc(size_t count, size_t size);
void *sim_realloc(void *p, size_t n);
char *sim_strdup(const char *s);

/* Installs the policy as cJSON's allocation hooks; idempotent. */
void sim_mem_init(void);

#endif
