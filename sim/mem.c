/* SPDX-License-Identifier: MIT */
#include "mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void sim_mem_fail(void)
{
    /* write(2), not stdio: nothing on the way out may need memory. */
    static const char msg[] = "funnelsim: out of memory\n";
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
    abort();
}

void *sim_mem_check(void *p)
{
    if (p == NULL)
        sim_mem_fail();
    return p;
}

void *sim_malloc(size_t size)
{
    return sim_mem_check(malloc(size ? size : 1));
}

void *sim_calloc(size_t n, size_t size)
{
    if (n == 0 || size == 0)
        return sim_mem_check(calloc(1, 1));
    if (n > SIZE_MAX / size)
        sim_mem_fail();
    return sim_mem_check(calloc(n, size));
}

void *sim_realloc(void *p, size_t size)
{
    return sim_mem_check(realloc(p, size ? size : 1));
}

void *sim_reallocarray(void *p, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        sim_mem_fail();
    return sim_realloc(p, n * size);
}

char *sim_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(sim_malloc(n), s, n);
}

void *sim_aligned_alloc(size_t align, size_t size)
{
    if (size > SIZE_MAX - align)
        sim_mem_fail();
    size_t bytes = (size + align - 1) / align * align;
    return sim_mem_check(aligned_alloc(align, bytes ? bytes : align));
}
