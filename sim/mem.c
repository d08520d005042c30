/* SPDX-License-Identifier: MIT */
#include "sim/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

static void *out_of_memory(void)
{
    fputs("funnelsim: out of memory\n", stderr);
    abort();
}

void *sim_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    return p != NULL ? p : out_of_memory();
}

void *sim_calloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    return p != NULL ? p : out_of_memory();
}

void *sim_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    return q != NULL ? q : out_of_memory();
}

char *sim_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(sim_malloc(n), s, n);
}

void sim_mem_init(void)
{
    cJSON_Hooks hooks = {sim_malloc, free};
    cJSON_InitHooks(&hooks);
}
