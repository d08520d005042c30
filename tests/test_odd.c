/*
 * test_odd.c - inputs at the edges: a scenario path that is not a regular
 * file (a FIFO nobody writes to, a device) is refused at once instead of
 * read or waited on; validate warns when batches alone can pass
 * --max-leads, with the figure; a table's measured days keep their
 * fraction.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/cli_harness.h"

/* Seconds a refusal may take: far under the harness's deadline, so a
 * program that waits on the FIFO is caught. */
#define PROMPT_S 10.0

/* Runs args with the short deadline; fails unless it exits 2 promptly
 * with `why` in its message. */
static void assert_refused_promptly(const char *const *args, const char *why)
{
    struct harness_proc p;
    struct harness_result r;
    cr_assert_eq(harness_start(&p, NULL, args), 0, "cannot start: %s", strerror(errno));
    cr_assert_eq(harness_wait(&p, PROMPT_S, &r), 0);
    cr_assert(!r.timed_out, "%s %s still waiting after %.0f s", args[0], args[1], PROMPT_S);
    HARNESS_ASSERT_ERROR(&r, 2, args[1], why);
    harness_free(&r);
}

Test(odd, fifo_refused_at_once, .timeout = 60)
{
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    char *fifo = harness_path(dir, "scenario.json");
    cr_assert_eq(mkfifo(fifo, 0600), 0, "mkfifo: %s", strerror(errno));
    assert_refused_promptly(HARNESS_ARGS("validate", fifo), "not a regular file (a FIFO)");
    assert_refused_promptly(HARNESS_ARGS("run", fifo), "not a regular file (a FIFO)");
    free(fifo);
    harness_rmtree(dir);
    free(dir);
}

Test(odd, device_refused, .timeout = 60)
{
    assert_refused_promptly(HARNESS_ARGS("validate", "/dev/null"),
                            "not a regular file (a character device)");
    assert_refused_promptly(HARNESS_ARGS("run", "/dev/zero"),
                            "not a regular file (a character device)");
}

/* Two batch channels: 1500 leads every 7 days from day 2, 800 every 14
 * from day 9; on day 9 both land at the calendar's start hour (09:00). */
static char *write_batches(const char *dir)
{
    char *path = harness_path(dir, "batches.json");
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs("{\"name\": \"batches\", \"horizon_days\": 30, \"warmup_days\": 1,\n"
          " \"channels\": [\n"
          "  {\"name\": \"w1\", \"arrivals\": {\"kind\": \"batch\", \"size\": 1500, "
          "\"every_days\": 7, \"first_day\": 2}},\n"
          "  {\"name\": \"w2\", \"arrivals\": {\"kind\": \"batch\", \"size\": 800, "
          "\"every_days\": 14, \"first_day\": 9}}],\n"
          " \"team\": [{\"name\": \"g\", \"count\": 3}]}\n", fp);
    cr_assert_eq(fclose(fp), 0);
    return path;
}

Test(odd, validate_warns_of_bursts_over_max_leads, .timeout = 60)
{
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    char *file = write_batches(dir);
    struct harness_result r;
    HARNESS_RUN(&r, "validate", file, "--max-leads", "2299");
    harness_assert_exit(&r, 0);
    cr_assert(harness_contains(r.out, "batches.json: ok"), "%s", r.out);
    cr_assert(harness_contains(r.err, "warning: "), "no warning: %s", r.err);
    cr_assert(harness_contains(r.err, "2300 leads arrive at once on day 9.38"), "%s", r.err);
    cr_assert(harness_contains(r.err, "more than --max-leads 2299"), "%s", r.err);
    harness_free(&r);

    /* at the limit, and with the default limit: nothing to say */
    HARNESS_RUN(&r, "validate", file, "--max-leads", "2300");
    harness_assert_exit(&r, 0);
    cr_assert_eq(r.err_len, 0, "a warning at the limit: %s", r.err);
    harness_free(&r);
    HARNESS_RUN(&r, "validate", file);
    harness_assert_exit(&r, 0);
    cr_assert_eq(r.err_len, 0, "a warning under the default limit: %s", r.err);
    harness_free(&r);

    /* the warning is right: a run with that limit stops at that day */
    HARNESS_RUN(&r, "run", file, "--max-leads", "2299", "--reps", "1", "--quiet");
    harness_assert_exit(&r, 1);
    cr_assert(harness_contains(r.err, "at day 9.4"), "%s", r.err);
    harness_free(&r);

    /* batches that no longer land together: the largest alone */
    HARNESS_RUN(&r, "validate", file, "--max-leads", "1000", "--set",
                "channels[1].arrivals.first_day=10");
    harness_assert_exit(&r, 0);
    cr_assert(harness_contains(r.err, "1500 leads arrive at once on day 2.38"), "%s", r.err);
    harness_free(&r);
    free(file);
    harness_rmtree(dir);
    free(dir);
}

Test(odd, measured_days_keep_their_fraction, .timeout = 60)
{
    struct harness_result r;
    HARNESS_RUN(&r, "run", "scenarios/validation-erlang-a.json", "--reps", "2", "--quiet",
                "--set", "horizon_days=0.75", "--set", "warmup_days=0");
    harness_assert_exit(&r, 0);
    cr_assert(harness_contains(r.out, "Per replication (0.75 measured days)"), "%s", r.out);
    cr_assert(harness_contains(r.out, "0.75 days (first 0 warm-up)"), "%s", r.out);
    harness_free(&r);
    HARNESS_RUN(&r, "run", "scenarios/validation-erlang-a.json", "--reps", "2", "--quiet",
                "--set", "horizon_days=30");
    harness_assert_exit(&r, 0);
    cr_assert(harness_contains(r.out, "Per replication (20 measured days)"), "%s", r.out);
    harness_free(&r);
}
