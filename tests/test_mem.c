/*
 * test_mem.c - the out-of-memory policy (sim/mem.h).
 *
 * The wrappers return usable memory for every size, 0 included; a size
 * that cannot exist (an element count times an element size past SIZE_MAX)
 * ends the program with "funnelsim: out of memory" and SIGABRT, as a
 * failed malloc() would.
 *
 * This file also installs cJSON's hooks for the whole test binary, as
 * cli/main.c does for the program: Criterion owns main(), so a constructor
 * does it, which runs in every process of the binary before any test.
 *
 * SPDX-License-Identifier: MIT
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include "sim/mem.h"

__attribute__((constructor)) static void install_cjson_hooks(void)
{
    cJSON_InitHooks(&(cJSON_Hooks){.malloc_fn = sim_malloc, .free_fn = free});
}

Test(mem, every_size_gives_usable_memory)
{
    char *a = sim_malloc(0), *b = sim_malloc(0);
    cr_assert(a != NULL && b != NULL && a != b, "size 0: not two distinct pointers");
    free(a);
    free(b);

    unsigned char *z = sim_calloc(1000, 3);
    for (size_t i = 0; i < 3000; i++)
        cr_assert_eq(z[i], 0, "calloc: byte %zu is not zero", i);
    z = sim_reallocarray(z, 4000, 2);
    cr_assert_eq(z[2999], 0, "reallocarray lost the old contents");
    z[7999] = 1;
    free(z);

    char *s = sim_strdup("went_cold");
    cr_assert_str_eq(s, "went_cold");
    free(s);

    void *line = sim_aligned_alloc(64, 100);
    cr_assert_eq((uintptr_t)line % 64, 0, "not aligned on 64 bytes");
    memset(line, 0, 100);
    free(line);

    int x = 7;
    cr_assert_eq(sim_mem_check(&x), &x);
}

/* cJSON allocates through the hooks above: a document builds and prints. */
Test(mem, cjson_allocates_through_the_hooks)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddNumberToObject(obj, "junk_rate", 0.25);
    char *text = cJSON_PrintUnformatted(obj);
    cr_assert_str_eq(text, "{\"junk_rate\":0.25}");
    free(text);
    cJSON_Delete(obj);
}

Test(mem, overflowing_array_is_out_of_memory, .signal = SIGABRT, .init = cr_redirect_stderr)
{
    void *p = sim_reallocarray(NULL, SIZE_MAX / 2, 4);
    free(p);
}

Test(mem, overflowing_calloc_is_out_of_memory, .signal = SIGABRT, .init = cr_redirect_stderr)
{
    void *p = sim_calloc(SIZE_MAX / 8, 16);
    free(p);
}

Test(mem, null_from_another_allocator_is_out_of_memory, .signal = SIGABRT,
     .init = cr_redirect_stderr)
{
    sim_mem_check(NULL);
}
