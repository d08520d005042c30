/*
 * test_size.c - `funnelsim size` as a user meets it: its answer
 * is checked by separate `funnelsim run`s, as a sceptical user would.
 *
 * The targets are derived from the scenario's own numbers (a few points
 * under the junk rate it has today), so that a recalibration of the
 * article's baseline moves the answer but not the test's sense.  The
 * inflow case gives the webinar the web channel's lead mix, as in
 * test_sweep.c: the question is the volume, not the mix.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/cli_harness.h"

#define BASELINE "scenarios/article-baseline.json"
#define ERLANG_C "scenarios/validation-erlang-c.json"
#define WEB_RATE "channels[0].arrivals.per_week"
#define REPS "10"

#define ONE_MIX                                                              \
    "--set", "channels[1].theorist_share=0.06", "--set", "channels[1].fit_share=0.95", \
    "--set", "channels[1].temperature.hot=0.25", "--set",                    \
    "channels[1].temperature.warm=0.5", "--set", "channels[1].temperature.cold=0.25"

/* The mean junk rate of `funnelsim run` with the extra --set (and the
 * webinar mix when one_mix). */
static double run_junk(const char *set, bool one_mix)
{
    struct harness_result r;
    if (one_mix)
        HARNESS_RUN(&r, "run", BASELINE, ONE_MIX, "--set", set, "--reps", REPS, "--quiet", "--format",
            "json");
    else
        HARNESS_RUN(&r, "run", BASELINE, "--set", set, "--reps", REPS, "--quiet", "--format", "json");
    harness_assert_exit(&r, 0);
    cJSON *root = cJSON_Parse(r.out);
    cr_assert_not_null(root, "not JSON: %.200s", r.out);
    double j = harness_number(harness_item(root, "junk_rate"), "mean");
    cJSON_Delete(root);
    harness_free(&r);
    return j;
}

static double run_junk_at(const char *path, double x, bool one_mix)
{
    char set[128];
    snprintf(set, sizeof set, "%s=%.17g", path, x);
    return run_junk(set, one_mix);
}

/* The junk rate of the scenario as it is (the --set repeats --reps). */
static double base_junk(bool one_mix)
{
    return run_junk("replications=" REPS, one_mix);
}

/* The smallest novice group at the target; one manager fewer is over it.
 * Both checked by separate runs, which agree with size's own numbers
 * exactly (same seed, same replications). */
Test(size, team_count_brackets_target, .timeout = 60)
{
    double target = base_junk(false) - 0.02;
    char t[32];
    snprintf(t, sizeof t, "%.4f", target);
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    struct harness_result r;
    HARNESS_RUN(&r, "size", BASELINE, "--target-junk", t, "--vary", "team[1].count", "--reps", REPS,
        "--quiet", "--out", dir);
    harness_assert_exit(&r, 0);

    char path[512];
    snprintf(path, sizeof path, "%s/size.json", dir);
    char *text = harness_read_file(path, NULL);
    cr_assert_not_null(text);
    cJSON *root = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(root);
    cr_assert_str_eq(harness_item(root, "status")->valuestring, "ok");
    cr_assert_str_eq(harness_item(root, "want")->valuestring, "smallest");
    cr_assert(cJSON_IsTrue(harness_item(root, "whole_numbers")));
    double n = harness_number(root, "answer");
    cr_assert_eq(n, floor(n));
    const cJSON *bracket = harness_item(root, "bracket");
    cr_assert_eq(harness_element(bracket, 0), n - 1);
    cr_assert_eq(harness_element(bracket, 1), n);
    const cJSON *interval = harness_item(root, "answer_interval");
    cr_assert(cJSON_IsNull(interval), "a whole-number answer has no interval");
    /* The run at the answer, with the scan's replications. */
    double at = NAN;
    const cJSON *run;
    cJSON_ArrayForEach(run, harness_item(root, "runs"))
        if (harness_number(run, "value") == n)
            at = harness_number(harness_item(run, "junk_rate"), "mean");
    cr_assert_leq(at, target);

    double j_n = run_junk_at("team[1].count", n, false);
    double j_less = run_junk_at("team[1].count", n - 1, false);
    cr_assert_leq(j_n, target, "with %.0f: %.4f over %.4f", n, j_n, target);
    cr_assert_gt(j_less, target, "with %.0f: %.4f not over %.4f", n - 1, j_less, target);
    cr_assert_eq(j_n, at, "size says %.17g, run says %.17g", at, j_n);

    /* The table says it in a sentence. */
    char want[128];
    snprintf(want, sizeof want, "With %.0f managers in group 'novices' (team[1].count) the junk "
             "rate is", n);
    char *flat = strdup(r.out);     /* the sentence is wrapped: unwrap it */
    for (char *p = flat; *p; p++)
        if (*p == '\n')
            *p = ' ';
    cr_assert(strstr(flat, want) != NULL, "no sentence '%s' in:\n%s", want, r.out);
    snprintf(want, sizeof want, "with %.0f it is", n - 1);
    cr_assert(strstr(flat, want) != NULL, "%s", r.out);
    free(flat);

    cJSON_Delete(root);
    harness_free(&r);
    harness_rmtree(dir);
    free(dir);
}

/* The largest web inflow at the target: the answer and a run just under
 * it are at or under the target, the bracket's other end and a run just
 * past the answer interval are over it. */
Test(size, inflow_brackets_target, .timeout = 60)
{
    double target = base_junk(true) - 0.03;
    char t[32];
    snprintf(t, sizeof t, "%.4f", target);
    struct harness_result r;
    HARNESS_RUN(&r, "size", BASELINE, ONE_MIX, "--target-junk", t, "--vary", WEB_RATE, "--from", "100",
        "--to", "600", "--reps", REPS, "--quiet", "--format", "json");
    harness_assert_exit(&r, 0);
    cJSON *root = cJSON_Parse(r.out);
    cr_assert_not_null(root, "not JSON: %.300s", r.out);
    cr_assert_str_eq(harness_item(root, "status")->valuestring, "ok");
    cr_assert_str_eq(harness_item(root, "want")->valuestring, "largest");
    cr_assert(cJSON_IsFalse(harness_item(root, "whole_numbers")));
    cr_assert_str_eq(harness_item(root, "vary")->valuestring, WEB_RATE);
    cr_assert_float_eq(harness_number(root, "target"), target, 1e-4);
    double x = harness_number(root, "answer");
    const cJSON *bracket = harness_item(root, "bracket");
    double above = harness_element(bracket, 1);
    cr_assert_eq(harness_element(bracket, 0), x);
    cr_assert_gt(above, x);
    cr_assert_lt(above - x, 1.0, "bracket [%g, %g] wider than the tolerance", x, above);
    const cJSON *interval = harness_item(root, "answer_interval");
    double lo = harness_element(interval, 0), hi = harness_element(interval, 1);
    cr_assert(lo <= x && x <= hi, "interval [%g, %g] misses %g", lo, hi, x);
    cr_assert(cJSON_GetArraySize(harness_item(root, "runs")) >= 3);
    cr_assert_gt(harness_number(root, "capacity_per_week"), 0);

    double j_at = run_junk_at(WEB_RATE, x, true);
    cr_assert_leq(j_at, target, "at %g: %.4f", x, j_at);
    const cJSON *run;
    double at = NAN;
    cJSON_ArrayForEach(run, harness_item(root, "runs"))
        if (harness_number(run, "value") == x)
            at = harness_number(harness_item(run, "junk_rate"), "mean");
    cr_assert_eq(j_at, at);
    double j_above = run_junk_at(WEB_RATE, above, true);
    cr_assert_gt(j_above, target, "at %g: %.4f", above, j_above);
    double j_under = run_junk_at(WEB_RATE, 0.98 * lo, true);
    cr_assert_leq(j_under, target, "at %g: %.4f", 0.98 * lo, j_under);
    double j_over = run_junk_at(WEB_RATE, 1.02 * hi, true);
    cr_assert_gt(j_over, target, "at %g: %.4f", 1.02 * hi, j_over);

    cJSON_Delete(root);
    harness_free(&r);
}

/* A target no team within the bounds can reach: said in words, exit 0,
 * a null answer in JSON. */
Test(size, unreachable_is_said_plainly, .timeout = 60)
{
    struct harness_result r;
    HARNESS_RUN(&r, "size", ERLANG_C, "--target-junk", "0.001", "--vary", "team[0].count", "--to",
        "4", "--reps", "2", "--set", "horizon_days=30", "--set", "warmup_days=5", "--quiet");
    harness_assert_exit(&r, 0);
    cr_assert(strstr(r.out, "not reachable within [1, 4]") != NULL, "%s", r.out);
    /* 1 is the smallest count the key allows: only --to can move. */
    cr_assert(strstr(r.out, "Widen") == NULL && strstr(r.out, "Lower --from") == NULL, "%s",
              r.out);
    cr_assert(strstr(r.out, "Raise --to") != NULL, "%s", r.out);
    harness_free(&r);

    HARNESS_RUN(&r, "size", ERLANG_C, "--target-junk", "0.001", "--vary", "team[0].count", "--to",
        "4", "--reps", "2", "--set", "horizon_days=30", "--set", "warmup_days=5", "--quiet",
        "--format", "json");
    harness_assert_exit(&r, 0);
    cJSON *root = cJSON_Parse(r.out);
    cr_assert_not_null(root);
    cr_assert(cJSON_IsNull(harness_item(root, "answer")));
    cr_assert_str_eq(harness_item(root, "status")->valuestring, "not_reachable");
    cr_assert_eq(cJSON_GetArraySize(harness_item(root, "runs")), 4, "every whole number of [1, 4]");
    cJSON_Delete(root);
    harness_free(&r);
}

/* The lost rate stands beside the junk rate in every output: the JSON
 * (at the answer, its neighbour and every run), the CSV and the table;
 * the answer's agrees with `funnelsim run` there. */
Test(size, lost_rate_beside_junk_rate, .timeout = 60)
{
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    struct harness_result r;
    HARNESS_RUN(&r, "size", ERLANG_C, "--target-junk", "0.1", "--vary", "team[0].count", "--to",
        "6", "--reps", "4", "--set", "horizon_days=30", "--set", "warmup_days=5", "--quiet",
        "--out", dir);
    harness_assert_exit(&r, 0);
    char *flat = strdup(r.out);
    for (char *p = flat; *p; p++)
        if (*p == '\n')
            *p = ' ';
    cr_assert(strstr(flat, "lost rate") != NULL, "%s", r.out);
    free(flat);
    char *csv_path = harness_path(dir, "size.csv"), *json_path = harness_path(dir, "size.json");
    char *csv = harness_read_file(csv_path, NULL);
    cr_assert_not_null(csv);
    cr_assert(strncmp(csv, "value,junk_rate_mean,junk_rate_lo,junk_rate_hi,lost_rate_mean,"
                      "lost_rate_lo,lost_rate_hi,", 85) == 0, "%.200s", csv);
    free(csv);
    char *text = harness_read_file(json_path, NULL);
    free(csv_path);
    free(json_path);
    cr_assert_not_null(text);
    cJSON *root = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(root);
    double n = harness_number(root, "answer");
    double lost = harness_number(harness_item(root, "lost_rate"), "mean");
    cr_assert(cJSON_IsObject(harness_item(root, "neighbour_lost_rate")));
    const cJSON *run;
    cJSON_ArrayForEach(run, harness_item(root, "runs"))
        cr_assert(isfinite(harness_number(harness_item(run, "lost_rate"), "mean")));
    char set[64];
    snprintf(set, sizeof set, "team[0].count=%.0f", n);
    harness_free(&r);
    HARNESS_RUN(&r, "run", ERLANG_C, "--set", set, "--reps", "4", "--set", "horizon_days=30",
        "--set", "warmup_days=5", "--quiet", "--format", "json");
    harness_assert_exit(&r, 0);
    cJSON *one = cJSON_Parse(r.out);
    cr_assert_not_null(one);
    cr_assert_eq(harness_number(harness_item(one, "lost_rate"), "mean"), lost);
    cJSON_Delete(one);
    cJSON_Delete(root);
    harness_free(&r);
    harness_rmtree(dir);
    free(dir);
}

Test(size, bad_input_is_a_usage_error)
{
    struct harness_result r;
    HARNESS_RUN(&r, "size", ERLANG_C, "--vary", "team[0].count");
    harness_assert_exit(&r, 2);
    cr_assert(strstr(r.err, "--target-junk") != NULL, "%s", r.err);
    harness_free(&r);

    HARNESS_RUN(&r, "size", ERLANG_C, "--target-junk", "0.1", "--vary", "team[0].count", "--from",
        "1.5", "--to", "6");
    harness_assert_exit(&r, 2);
    cr_assert(strstr(r.err, "takes whole numbers") != NULL, "%s", r.err);
    harness_free(&r);

    HARNESS_RUN(&r, "size", ERLANG_C, "--target-junk", "0.1", "--vary", "team[0].count", "--from",
        "6", "--to", "2");
    harness_assert_exit(&r, 2);
    cr_assert(strstr(r.err, "must be below") != NULL, "%s", r.err);
    harness_free(&r);

    HARNESS_RUN(&r, "size", ERLANG_C, "--target-junk", "0.1", "--vary", "team[0].cuont");
    harness_assert_exit(&r, 2);
    cr_assert(strstr(r.err, "did you mean") != NULL, "%s", r.err);
    harness_free(&r);
}
