/*
 * test_seed.c - a seed is any whole number from 0 to 2^64 - 1, kept to
 * the last digit: given by --seed, --set seed= or the file (a JSON number
 * below 2^53, or a string of digits), written back exactly in result.json,
 * and a rerun with the recorded seed gives the same output byte for byte.
 * Out of range is refused with the range in the message.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/cli_harness.h"

#define SCN "scenarios/validation-erlang-a.json"
#define SHORT "--reps", "2", "--set", "horizon_days=15", "--set", "warmup_days=1", "--quiet"
#define MAX_SEED "18446744073709551615"

static void run_json(struct harness_result *r, const char *const *args)
{
    cr_assert_eq(harness_runv(r, args), 0, "cannot run %s: %s", FUNNELSIM_BIN, strerror(errno));
    harness_assert_exit(r, 0);
}

/* The text of the value of "seed" in a JSON text, up to the next ',', '}'
 * or line end, copied into buf. */
static void seed_text(const char *json, char *buf, size_t n)
{
    const char *p = strstr(json, "\"seed\"");
    cr_assert_not_null(p, "no \"seed\" in %.200s", json);
    p += strlen("\"seed\"");
    p += strspn(p, " \t:");
    size_t len = strcspn(p, ",}\r\n");
    cr_assert_lt(len, n);
    memcpy(buf, p, len);
    buf[len] = '\0';
}

Test(seed, largest_seed_written_exactly_and_reruns_the_same, .timeout = 60)
{
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    char *out = harness_path(dir, "out");
    struct harness_result r, again;
    run_json(&r, HARNESS_ARGS("run", SCN, SHORT, "--seed", MAX_SEED, "--out", out));
    harness_free(&r);
    char *file = harness_path(out, "result.json");
    char *text = harness_read_file(file, NULL);
    cr_assert_not_null(text, "cannot read %s", file);
    char seed[64], set[96];
    seed_text(text, seed, sizeof seed);
    cr_assert_str_eq(seed, MAX_SEED, "result.json records the seed as %s", seed);
    free(text);
    /* and so does the manifest, where a rerun starts from */
    char *manifest = harness_path(out, "run.json");
    text = harness_read_file(manifest, NULL);
    cr_assert_not_null(text, "cannot read %s", manifest);
    seed_text(text, seed, sizeof seed);
    cr_assert_str_eq(seed, MAX_SEED, "run.json records the seed as %s", seed);
    free(text);
    free(manifest);

    /* a rerun with the recorded seed: the same output, byte for byte */
    run_json(&r, HARNESS_ARGS("run", SCN, SHORT, "--seed", MAX_SEED, "--format", "json"));
    snprintf(set, sizeof set, "seed=%s", seed);
    run_json(&again, HARNESS_ARGS("run", SCN, SHORT, "--set", set, "--format", "json"));
    cr_assert(harness_same_output(&r, &again), "a rerun with the recorded seed differs: %s",
              harness_first_difference(r.out, again.out));
    harness_free(&again);
    free(file);
    free(out);
    harness_rmtree(dir);
    free(dir);

    /* the seed as a string of digits in the file */
    dir = harness_tmpdir();
    cr_assert_not_null(dir);
    file = harness_path(dir, "s.json");
    char *scn = harness_read_file(SCN, NULL);
    cr_assert_not_null(scn);
    char *at = strstr(scn, "\"seed\": 12,");
    cr_assert_not_null(at, "the scenario's seed line moved");
    FILE *fp = fopen(file, "w");
    cr_assert_not_null(fp);
    fprintf(fp, "%.*s\"seed\": \"%s\",%s", (int)(at - scn), scn, MAX_SEED,
            at + strlen("\"seed\": 12,"));
    cr_assert_eq(fclose(fp), 0);
    run_json(&again, HARNESS_ARGS("run", file, SHORT, "--format", "json"));
    seed_text(again.out, seed, sizeof seed);
    cr_assert_str_eq(seed, MAX_SEED, "the string seed in the file gave seed %s", seed);
    free(scn);
    free(file);
    harness_free(&again);
    harness_free(&r);
    harness_rmtree(dir);
    free(dir);
}

/* Seeds next to each other above 2^53 are different seeds (a double would
 * make them one). */
Test(seed, neighbours_above_2_53_differ, .timeout = 60)
{
    struct harness_result a, b;
    run_json(&a, HARNESS_ARGS("run", SCN, SHORT, "--set", "seed=9007199254740993",
                              "--format", "json"));
    run_json(&b, HARNESS_ARGS("run", SCN, SHORT, "--set", "seed=9007199254740992",
                              "--format", "json"));
    char sa[64], sb[64];
    seed_text(a.out, sa, sizeof sa);
    seed_text(b.out, sb, sizeof sb);
    cr_assert_str_eq(sa, "9007199254740993");
    cr_assert_str_eq(sb, "9007199254740992");
    harness_free(&a);
    harness_free(&b);
    run_json(&a, HARNESS_ARGS("run", SCN, SHORT, "--seed", "5000000000000001", "--format",
                              "json"));
    seed_text(a.out, sa, sizeof sa);
    cr_assert_str_eq(sa, "5000000000000001");
    harness_free(&a);
}

Test(seed, out_of_range_refused_with_the_range, .timeout = 60)
{
    struct harness_result r;
    HARNESS_RUN(&r, "run", SCN, SHORT, "--seed", "18446744073709551616");
    HARNESS_ASSERT_ERROR(&r, 2, "--seed", "18446744073709551616",
                         "from 0 to " MAX_SEED);
    harness_free(&r);
    HARNESS_RUN(&r, "run", SCN, SHORT, "--set", "seed=18446744073709551616");
    HARNESS_ASSERT_ERROR(&r, 2, "--set seed=18446744073709551616: must be a whole number "
                         "from 0 to " MAX_SEED);
    harness_free(&r);
    HARNESS_RUN(&r, "run", SCN, SHORT, "--set", "seed=-1");
    HARNESS_ASSERT_ERROR(&r, 2, "--set seed=-1: must be a whole number from 0 to " MAX_SEED);
    harness_free(&r);

    /* a JSON number past 2^53 - 1 in a file: told to write digits */
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    char *file = harness_path(dir, "big.json");
    char *scn = harness_read_file(SCN, NULL);
    char *at = strstr(scn, "\"seed\": 12,");
    cr_assert_not_null(at);
    FILE *fp = fopen(file, "w");
    cr_assert_not_null(fp);
    fprintf(fp, "%.*s\"seed\": 9007199254740993,%s", (int)(at - scn), scn,
            at + strlen("\"seed\": 12,"));
    cr_assert_eq(fclose(fp), 0);
    HARNESS_RUN(&r, "validate", file);
    HARNESS_ASSERT_ERROR(&r, 2, "big.json: seed: must be a whole number from 0 to " MAX_SEED,
                         "string of decimal digits");
    harness_free(&r);
    free(scn);
    free(file);
    harness_rmtree(dir);
    free(dir);
}
