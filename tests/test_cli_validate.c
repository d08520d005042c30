/*
 * test_cli_validate.c - scenario files as the program meets them: every
 * broken file of tests/bad is refused by `validate` and by `run` with the
 * file, the JSON path and the rule in the message (its .expect sidecar
 * says which), every shipped scenario validates, and a bad file among
 * good ones is reported alone.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/cli_harness.h"

#define ERLANG_A "scenarios/validation-erlang-a.json"
#define ERLANG_C "scenarios/validation-erlang-c.json"
#define BAD_DIR "tests/bad"

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names in FUNNELSIM_SRCDIR/dir ending in ".json", sorted; the count
 * in *n.  Free with free_names. */
static char **json_files(const char *dir, size_t *n)
{
    char *full = harness_path(FUNNELSIM_SRCDIR, dir);
    DIR *d = opendir(full);
    cr_assert_not_null(d, "cannot list %s: %s", full, strerror(errno));
    size_t cap = 16;
    char **names = malloc(cap * sizeof *names);
    *n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        if (*n == cap)
            names = realloc(names, (cap *= 2) * sizeof *names);
        cr_assert_not_null(names);
        names[(*n)++] = harness_path(dir, e->d_name);
    }
    closedir(d);
    free(full);
    qsort(names, *n, sizeof *names, compare_strings);
    return names;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* ---- broken scenario files --------------------------------------------------- */

/* Every tests/bad/NN.json with `command` (validate or run): exit 2,
 * nothing on stdout, and stderr naming the file, the JSON path of the
 * .expect sidecar's first line and the rule fragment of its second. */
static void check_bad_files(const char *command)
{
    size_t n;
    char **files = json_files(BAD_DIR, &n);
    cr_assert_geq(n, 15, "expected at least 15 files in %s, found %zu", BAD_DIR, n);
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) {
        char expect_path[512];
        snprintf(expect_path, sizeof expect_path, "%s/%.*s.expect", FUNNELSIM_SRCDIR,
                 (int)(strlen(files[i]) - 5), files[i]);
        char *expect = harness_read_file(expect_path, NULL);
        cr_assert_not_null(expect, "cannot read %s", expect_path);
        char *lines[4];
        size_t n_lines = harness_split_lines(expect, lines, 4);
        cr_assert_eq(n_lines, 2, "%s: expected two lines, found %zu", expect_path, n_lines);
        const char *path = lines[0], *rule = lines[1];

        struct harness_result r;
        HARNESS_RUN(&r, command, files[i]);
        bool ok = !r.timed_out && r.signal == 0 && r.exit_code == 2 && r.out_len == 0 &&
                  harness_contains(r.err, files[i]) && harness_contains(r.err, path) &&
                  harness_contains(r.err, rule);
        cr_expect(ok, "%s %s: expected exit 2, no stdout, and stderr naming the file, "
                      "\"%s\" and \"%s\"; got %s; stdout %.200s",
                  command, files[i], path, rule, harness_describe(&r), r.out);
        failed += !ok;
        harness_free(&r);
        free(expect);
    }
    cr_assert_eq(failed, 0, "%zu of %zu bad files were not reported as required", failed, n);
    free_names(files, n);
}

Test(cli, bad_files_validate)
{
    check_bad_files("validate");
}

Test(cli, bad_files_run)
{
    check_bad_files("run");
}

/* ---- the shipped scenarios --------------------------------------------------------- */

Test(cli, validate_every_shipped_scenario)
{
    size_t n;
    char **files = json_files("scenarios", &n);
    cr_assert_geq(n, 1, "no scenarios/*.json");
    /* validate and every file, then NULL */
    const char **all = calloc(n + 2, sizeof *all);
    cr_assert_not_null(all);
    all[0] = "validate";
    for (size_t i = 0; i < n; i++) {
        struct harness_result r;
        HARNESS_RUN(&r, "validate", files[i]);
        harness_assert_exit(&r, 0);
        cr_assert_eq(r.err_len, 0, "%s: %s", files[i], r.err);
        char ok[512];
        snprintf(ok, sizeof ok, "%s: ok", files[i]);
        cr_assert(harness_contains(r.out, ok), "validate %s printed: %s", files[i], r.out);
        harness_free(&r);
        all[i + 1] = files[i];
    }
    /* all at once: one "ok" line each */
    struct harness_result r;
    cr_assert_eq(harness_runv(&r, all), 0, "cannot run %s: %s", FUNNELSIM_BIN, strerror(errno));
    harness_assert_exit(&r, 0);
    size_t lines = 0;
    for (const char *p = r.out; (p = strstr(p, ": ok")) != NULL; p++)
        lines++;
    cr_assert_eq(lines, n, "validate of %zu files printed %zu ok lines", n, lines);
    harness_free(&r);
    free(all);
    free_names(files, n);
}

Test(cli, validate_reports_the_bad_among_good)
{
    struct harness_result r;
    HARNESS_RUN(&r, "validate", ERLANG_A, BAD_DIR "/04-unknown-key.json", ERLANG_C);
    harness_assert_no_crash(&r);
    cr_assert_eq(r.exit_code, 2, "%s", harness_describe(&r));
    cr_assert(harness_contains(r.out, ERLANG_A ": ok") &&
                  harness_contains(r.out, ERLANG_C ": ok"),
              "the good files were not reported ok: %s", r.out);
    cr_assert(!harness_contains(r.out, "04-unknown-key"), "the bad file was reported on stdout");
    cr_assert(harness_contains(r.err, BAD_DIR "/04-unknown-key.json"), "stderr: %s", r.err);
    harness_free(&r);
}

/* An error caused by an override names the override, as typed, not the
 * file: the value came from the command line.  A rule broken by the
 * file's own value still names the file; a later override of the same key
 * takes the blame. */
Test(cli, override_errors_name_the_option)
{
    static const struct {
        const char *opt, *value, *says;
    } cases[] = {
        {"--set", "team[0].count=8.5", "funnelsim: --set team[0].count=8.5: must be a whole number"},
        {"--set", "contact.p_reach=1.5", "funnelsim: --set contact.p_reach=1.5: must be between"},
        {"--set", "warmup_days=500", "funnelsim: --set warmup_days=500: must be less than horizon_days"},
        {"--reps", "0", "funnelsim: --reps 0: must be a whole number from 1"},
        {"--reps", "10001", "funnelsim: --reps 10001: must be a whole number from 1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct harness_result r;
        HARNESS_RUN(&r, "run", ERLANG_C, cases[i].opt, cases[i].value);
        cr_expect_eq(r.exit_code, 2, "%s %s: exit %d", cases[i].opt, cases[i].value, r.exit_code);
        cr_expect(harness_contains(r.err, cases[i].says) && !harness_contains(r.err, ERLANG_C),
                  "%s %s: stderr does not name the option alone: %s", cases[i].opt,
                  cases[i].value, r.err);
        harness_free(&r);
    }
    struct harness_result r;
    HARNESS_RUN(&r, "run", ERLANG_C, "--set", "warmup_days=2", "--set", "warmup_days=999");
    cr_expect(harness_contains(r.err, "--set warmup_days=999: must be less"), "%s", r.err);
    harness_free(&r);
    HARNESS_RUN(&r, "validate", ERLANG_C, "--set", "horizon_days=5", "--set", "warmup_days=1");
    cr_expect_eq(r.exit_code, 0, "%s", r.err);
    harness_free(&r);
}
