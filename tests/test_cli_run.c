/*
 * test_cli_run.c - what `funnelsim run` gives a user: the same numbers
 * whatever the threads, the seed deciding them, every field of the JSON
 * result with consistent intervals, the CSV holding the same numbers, the
 * files of --out DIR written whole (and checked before any simulation),
 * a failed standard output said so, and the table's over-capacity
 * warning.  Exit codes: 0 success, 1 runtime failure, 2 bad input.
 *
 * Every run goes through cli_harness from the checkout, so the scenario
 * paths below are the ones a user types there.  The runs are kept short
 * (a few replications, 30-day horizons) so that the file takes seconds.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/capacity.h"
#include "tests/cli_harness.h"

#define ERLANG_A "scenarios/validation-erlang-a.json"
#define ERLANG_C "scenarios/validation-erlang-c.json"

/* ---- helpers ----------------------------------------------------------------- */

/* An argument list built piece by piece. */
struct args {
    const char *v[128];
    size_t n;
};

static void args_add(struct args *a, const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    for (const char *s = first; s != NULL; s = va_arg(ap, const char *)) {
        cr_assert_lt(a->n + 1, sizeof a->v / sizeof a->v[0], "too many arguments");
        a->v[a->n++] = s;
    }
    va_end(ap);
    a->v[a->n] = NULL;
}

static void args_addv(struct args *a, const char *const *list)
{
    for (; *list != NULL; list++)
        args_add(a, *list, NULL);
}

static void run_args(struct harness_result *r, const struct args *a)
{
    int rc = harness_runv(r, a->v);
    cr_assert_eq(rc, 0, "cannot run %s: %s", FUNNELSIM_BIN, strerror(errno));
}

/* The item at a dotted path ("wait_hours.p90"), or NULL. */
static const cJSON *json_at(const cJSON *root, const char *path)
{
    char key[128];
    const cJSON *item = root;
    while (item != NULL && *path != '\0') {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        cr_assert_lt(n, sizeof key);
        memcpy(key, path, n);
        key[n] = '\0';
        item = cJSON_GetObjectItemCaseSensitive(item, key);
        path += n + (dot != NULL);
    }
    return item;
}

static cJSON *parse_json(const char *text)
{
    cJSON *root = cJSON_Parse(text);
    cr_assert_not_null(root, "stdout is not JSON (near \"%.60s\"): %.300s",
                       cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() : "", text);
    cr_assert(cJSON_IsObject(root), "the JSON output is not an object");
    return root;
}

/* The mean of a {"mean": m, "ci95": [lo, hi]} item. */
static double ci_mean(const cJSON *root, const char *path)
{
    const cJSON *m = json_at(root, path);
    cr_assert(m != NULL && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(m, "mean")),
              "%s.mean is missing or not a number", path);
    return cJSON_GetObjectItemCaseSensitive(m, "mean")->valuedouble;
}

static double plain_number(const cJSON *root, const char *path)
{
    const cJSON *n = json_at(root, path);
    cr_assert(n != NULL && cJSON_IsNumber(n), "%s is missing or not a plain number", path);
    return n->valuedouble;
}

/* a equals b to the precision of a "%.10g" rendering. */
static bool same_number(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fabs(b);
}

/* Splits one CSV line in place at commas (the outputs never quote);
 * returns the number of fields. */
static size_t split_fields(char *line, char **fields, size_t max)
{
    size_t n = 0;
    for (char *p = line;;) {
        cr_assert_lt(n, max, "too many fields in \"%s\"", line);
        fields[n++] = p;
        char *comma = strchr(p, ',');
        if (comma == NULL)
            break;
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

static double parse_double(const char *s)
{
    char *end;
    double x = strtod(s, &end);
    cr_assert(end != s && *end == '\0', "\"%s\" is not a number", s);
    return x;
}

/* Every measured number of `run --format json`, each a
 * {"mean": m, "ci95": [lo, hi]}, and its plain counts. */
static const char *const ci_fields[] = {
    "junk_rate",
    "junk_by_reason.bad_fit", "junk_by_reason.theorist", "junk_by_reason.unreachable",
    "junk_by_reason.went_cold", "junk_by_reason.misjudged", "junk_by_reason.abandoned",
    "held_back_rate", "prob_wait",
    "wait_hours.mean", "wait_hours.p50", "wait_hours.p90",
    "utilization", "backlog_mean", "qualified", "deals", "revenue", "wasted_spend",
    NULL,
};
static const char *const junk_reasons[] = {
    "junk_by_reason.bad_fit", "junk_by_reason.theorist", "junk_by_reason.unreachable",
    "junk_by_reason.went_cold", "junk_by_reason.misjudged", "junk_by_reason.abandoned",
    NULL,
};
static const char *const share_fields[] = {
    "junk_rate", "held_back_rate", "prob_wait", "utilization", NULL,
};
static const char *const plain_fields[] = {"leads_handed", "unresolved", "events", NULL};

/* A short run in which every junk reason occurs: a pure Erlang C queue
 * made impure with --set (bad fit, theorists, unreachable leads, decay,
 * misjudgement by a less skilled team, abandonment). */
static const char *const mixed_run[] = {
    "run", ERLANG_C, "--reps", "4", "--jobs", "2",
    "--set", "horizon_days=30",
    "--set", "channels[0].arrivals.per_week=1000",
    "--set", "channels[0].fit_share=0.8",
    "--set", "channels[0].theorist_share=0.1",
    "--set", "contact.contactable=0.9",
    "--set", "contact.misjudge_base=0.1",
    "--set", "team[0].skill=0.6",
    "--set", "decay.half_life_hours=4",
    "--set", "abandon.kind=exponential",
    "--set", "abandon.mean_hours=3",
    NULL,
};
#define MIXED_REPS 4
#define MIXED_DAYS 30

/* The team cannot keep up: 2000 leads a week against a nominal capacity
 * of 1008 and no abandonment to relieve it. */
static const char *const overload_run[] = {
    "run", ERLANG_C, "--reps", "2", "--set", "horizon_days=30",
    "--set", "channels[0].arrivals.per_week=2000", NULL,
};
static const char *const light_run[] = {
    "run", ERLANG_C, "--reps", "2", "--set", "horizon_days=30",
    "--set", "channels[0].arrivals.per_week=100", NULL,
};
/* A light load (about 0.25) whose leads wait up to three 48-hour retry
 * gaps: a sixth of them are still in their retries at the horizon of a
 * short window, yet the backlog does not grow. */
static const char *const retry_light_run[] = {
    "run", ERLANG_C, "--reps", "10", "--set", "horizon_days=30",
    "--set", "channels[0].arrivals.per_week=300", "--set", "contact.max_attempts=4",
    "--set", "contact.p_reach=0.2", "--set", "contact.retry_gap_hours=48", NULL,
};
/* A year from an empty backlog (warm-up 0) with an autumn campaign, at a
 * load of 0.14: the backlog's trend is statistically above 0 but a small
 * fraction of a lead a day, not a team that cannot keep up. */
static const char *const synthetic_light_run[] = {
    "run", "scenarios/synthetic-company.json", "--reps", "5", "--set", "team[0].count=12",
    NULL,
};
/* Half as much again as the team can work. */
static const char *const overload_15_run[] = {
    "run", ERLANG_C, "--reps", "10", "--set", "horizon_days=30",
    "--set", "channels[0].arrivals.per_week=1512", NULL,
};

/* Runs `base` plus the extra arguments (NULL-terminated) and asserts
 * success. */
static void run_ok(struct harness_result *r, const char *const *base, ...)
{
    struct args a = {.n = 0};
    args_addv(&a, base);
    va_list ap;
    va_start(ap, base);
    for (const char *s = va_arg(ap, const char *); s != NULL; s = va_arg(ap, const char *))
        args_add(&a, s, NULL);
    va_end(ap);
    run_args(r, &a);
    harness_assert_exit(r, 0);
}

/* ---- reproducibility ------------------------------------------------------------ */

Test(cli, jobs_do_not_change_results)
{
    struct harness_result one, two, five;
    HARNESS_RUN(&one, "run", ERLANG_A, "--reps", "6", "--format", "json", "--jobs", "1");
    HARNESS_RUN(&two, "run", ERLANG_A, "--reps", "6", "--format", "json", "--jobs", "2");
    HARNESS_RUN(&five, "run", ERLANG_A, "--reps", "6", "--format", "json", "--jobs", "5");
    harness_assert_exit(&one, 0);
    harness_assert_exit(&two, 0);
    harness_assert_exit(&five, 0);
    cr_assert_gt(one.out_len, 0);
    cr_assert(harness_same_output(&one, &two), "--jobs 1 and --jobs 2 differ at %s",
              harness_first_difference(one.out, two.out));
    cr_assert(harness_same_output(&one, &five), "--jobs 1 and --jobs 5 differ at %s",
              harness_first_difference(one.out, five.out));
    cJSON *root = parse_json(one.out);
    cr_assert_eq(plain_number(root, "replications"), 6.0);
    cJSON_Delete(root);
    harness_free(&one);
    harness_free(&two);
    harness_free(&five);
}

Test(cli, seed_decides_the_numbers)
{
    struct harness_result base, other, again, as_set;
    HARNESS_RUN(&base, "run", ERLANG_A, "--reps", "3", "--set", "horizon_days=30", "--format", "json");
    HARNESS_RUN(&other, "run", ERLANG_A, "--reps", "3", "--set", "horizon_days=30", "--format", "json",
        "--seed", "4242");
    HARNESS_RUN(&again, "run", ERLANG_A, "--reps", "3", "--set", "horizon_days=30", "--format", "json",
        "--seed", "4242");
    HARNESS_RUN(&as_set, "run", ERLANG_A, "--reps", "3", "--set", "horizon_days=30", "--format", "json",
        "--set", "seed=4242");
    harness_assert_exit(&base, 0);
    harness_assert_exit(&other, 0);
    harness_assert_exit(&again, 0);
    harness_assert_exit(&as_set, 0);

    cr_assert(harness_same_output(&other, &again), "the same --seed gave different output at %s",
              harness_first_difference(other.out, again.out));
    cr_assert(harness_same_output(&other, &as_set), "--seed 4242 and --set seed=4242 differ at %s",
              harness_first_difference(other.out, as_set.out));

    cJSON *a = parse_json(base.out), *b = parse_json(other.out);
    cr_assert_eq(plain_number(b, "seed"), 4242.0);
    cr_assert_neq(plain_number(a, "seed"), 4242.0);
    cr_assert_neq(ci_mean(a, "junk_rate"), ci_mean(b, "junk_rate"),
                  "a different seed gave the same junk rate");
    cr_assert_neq(ci_mean(a, "wait_hours.mean"), ci_mean(b, "wait_hours.mean"),
                  "a different seed gave the same mean wait");
    cr_assert_neq(plain_number(a, "events"), plain_number(b, "events"),
                  "a different seed gave the same number of events");
    cJSON_Delete(a);
    cJSON_Delete(b);
    harness_free(&base);
    harness_free(&other);
    harness_free(&again);
    harness_free(&as_set);
}

/* ---- the JSON result -------------------------------------------------------------- */

Test(cli, json_has_every_field_with_consistent_intervals)
{
    struct harness_result r;
    run_ok(&r, mixed_run, "--format", "json", NULL);
    cr_assert_eq(r.err_len, 0, "unexpected stderr: %s", r.err);
    cJSON *root = parse_json(r.out);

    for (const char *const *f = ci_fields; *f != NULL; f++) {
        const cJSON *item = json_at(root, *f);
        cr_assert(cJSON_IsObject(item), "%s: missing or not an object", *f);
        const cJSON *mean = cJSON_GetObjectItemCaseSensitive(item, "mean");
        const cJSON *ci = cJSON_GetObjectItemCaseSensitive(item, "ci95");
        cr_assert(cJSON_IsNumber(mean), "%s.mean: missing or not a number", *f);
        cr_assert(cJSON_IsArray(ci) && cJSON_GetArraySize(ci) == 2,
                  "%s.ci95: missing or not a pair", *f);
        const cJSON *lo = cJSON_GetArrayItem(ci, 0), *hi = cJSON_GetArrayItem(ci, 1);
        cr_assert(cJSON_IsNumber(lo) && cJSON_IsNumber(hi), "%s.ci95: bounds not numbers", *f);
        cr_assert(lo->valuedouble <= mean->valuedouble && mean->valuedouble <= hi->valuedouble,
                  "%s: mean %.17g outside its interval [%.17g, %.17g]", *f,
                  mean->valuedouble, lo->valuedouble, hi->valuedouble);
    }
    for (const char *const *f = plain_fields; *f != NULL; f++) {
        double x = plain_number(root, *f);
        cr_assert(x >= 0 && x == floor(x), "%s = %.17g is not a count", *f, x);
    }
    cr_assert_gt(plain_number(root, "leads_handed"), 0);
    cr_assert_gt(plain_number(root, "events"), 0);
    cr_assert_leq(plain_number(root, "unresolved"), plain_number(root, "leads_handed"));
    cr_assert_eq(plain_number(root, "replications"), MIXED_REPS);
    cr_assert(cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(root, "over_capacity")),
              "over_capacity: missing or not a boolean");

    for (const char *const *f = share_fields; *f != NULL; f++) {
        double x = ci_mean(root, *f);
        cr_assert(x >= 0 && x <= 1, "%s = %g is not a share", *f, x);
    }
    /* The reasons split the junk: their means add up to the junk rate,
     * and this scenario has every one of them. */
    double sum = 0.0;
    for (const char *const *f = junk_reasons; *f != NULL; f++) {
        double x = ci_mean(root, *f);
        cr_assert_gt(x, 0.0, "%s is 0 in a scenario made to have it", *f);
        sum += x;
    }
    double junk = ci_mean(root, "junk_rate");
    cr_assert(fabs(sum - junk) <= 1e-9, "the reasons add up to %.17g, the junk rate is %.17g",
              sum, junk);
    cJSON_Delete(root);
    harness_free(&r);
}

/* ---- the CSV result --------------------------------------------------------------- */

/* Checks CSV `text` (a run's result.csv) against the JSON of the same run:
 * one row per metric, the same numbers, every JSON interval present. */
static void check_csv_against_json(char *text, const cJSON *root)
{
    char *lines[256];
    size_t n = harness_split_lines(text, lines, 256);
    cr_assert_geq(n, 2, "the CSV has no rows");
    cr_assert_str_eq(lines[0], "metric,mean,ci95_lo,ci95_hi,unit");
    size_t ci_rows = 0;
    for (size_t i = 1; i < n; i++) {
        char *f[8];
        char copy[512];
        snprintf(copy, sizeof copy, "%s", lines[i]);
        size_t nf = split_fields(lines[i], f, 8);
        cr_assert_eq(nf, 5, "row \"%s\": %zu fields, expected 5", copy, nf);
        for (size_t j = 1; j < i; j++)
            cr_assert_str_neq(lines[j], f[0], "metric %s appears twice", f[0]);
        cr_assert_neq(f[4][0], '\0', "row \"%s\": no unit", copy);
        const cJSON *item = json_at(root, f[0]);
        cr_assert_not_null(item, "CSV metric %s is not in the JSON", f[0]);
        if (cJSON_IsNumber(item)) {
            cr_assert(same_number(parse_double(f[1]), item->valuedouble),
                      "%s: CSV %s, JSON %.17g", f[0], f[1], item->valuedouble);
            cr_assert(f[2][0] == '\0' && f[3][0] == '\0', "count %s has an interval", f[0]);
            continue;
        }
        ci_rows++;
        const cJSON *mean = cJSON_GetObjectItemCaseSensitive(item, "mean");
        const cJSON *ci = cJSON_GetObjectItemCaseSensitive(item, "ci95");
        cr_assert(cJSON_IsNumber(mean) && cJSON_IsArray(ci), "%s: not a JSON interval", f[0]);
        const cJSON *want[3] = {mean, cJSON_GetArrayItem(ci, 0), cJSON_GetArrayItem(ci, 1)};
        for (int k = 0; k < 3; k++) {
            if (cJSON_IsNull(want[k])) {
                cr_assert_eq(f[1 + k][0], '\0', "%s: JSON null, CSV %s", f[0], f[1 + k]);
                continue;
            }
            cr_assert(same_number(parse_double(f[1 + k]), want[k]->valuedouble),
                      "%s column %d: CSV %s, JSON %.17g", f[0], k + 1, f[1 + k],
                      want[k]->valuedouble);
        }
    }
    /* every metric of the JSON has its row (names were cut at the commas) */
    for (const char *const *f = ci_fields; *f != NULL; f++) {
        bool found = false;
        for (size_t i = 1; i < n && !found; i++)
            found = strcmp(lines[i], *f) == 0;
        cr_assert(found, "the CSV has no row for %s", *f);
    }
    for (const char *const *f = plain_fields; *f != NULL; f++) {
        bool found = false;
        for (size_t i = 1; i < n && !found; i++)
            found = strcmp(lines[i], *f) == 0;
        cr_assert(found, "the CSV has no row for %s", *f);
    }
    cr_assert_geq(ci_rows, sizeof ci_fields / sizeof ci_fields[0] - 1);
}

Test(cli, csv_has_one_row_per_metric_and_the_json_numbers)
{
    struct harness_result csv, json;
    run_ok(&csv, mixed_run, "--format", "csv", NULL);
    run_ok(&json, mixed_run, "--format", "json", NULL);
    cJSON *root = parse_json(json.out);
    check_csv_against_json(csv.out, root);
    cJSON_Delete(root);
    harness_free(&csv);
    harness_free(&json);
}

/* ---- --out DIR ------------------------------------------------------------------- */

/* replications.csv: a header, then one row per replication numbered from
 * 0, as many fields as the header; the mean of its junk_rate column is
 * the reported junk rate. */
static void check_replications_csv(const char *dir, const cJSON *root, unsigned reps)
{
    char *path = harness_path(dir, "replications.csv");
    char *text = harness_read_file(path, NULL);
    cr_assert_not_null(text, "%s is missing", path);
    char *lines[1024];
    size_t n = harness_split_lines(text, lines, 1024);
    cr_assert_eq(n, reps + 1, "%s: %zu lines, expected a header and %u rows", path, n, reps);
    char *head[64];
    size_t nh = split_fields(lines[0], head, 64);
    cr_assert_str_eq(head[0], "replication");
    size_t junk_col = 0;
    for (size_t k = 1; k < nh; k++)
        if (strcmp(head[k], "junk_rate") == 0)
            junk_col = k;
    cr_assert_gt(junk_col, 0, "replications.csv has no junk_rate column");
    double sum = 0.0;
    for (size_t i = 1; i < n; i++) {
        char *f[64];
        size_t nf = split_fields(lines[i], f, 64);
        cr_assert_eq(nf, nh, "replications.csv row %zu: %zu fields, header has %zu", i, nf, nh);
        cr_assert_eq(parse_double(f[0]), (double)(i - 1), "replication numbers out of order");
        sum += parse_double(f[junk_col]);
    }
    double mean = ci_mean(root, "junk_rate");
    cr_assert(fabs(sum / reps - mean) <= 1e-8 * fabs(mean),
              "replications.csv's junk rates average %.17g, result.json says %.17g",
              sum / reps, mean);
    free(text);
    free(path);
}

/* series_daily.csv and series_weekly.csv: their headers and one row per
 * day (week) of the horizon, numbered from 0. */
static void check_series(const char *dir, unsigned days)
{
    static const struct {
        const char *name, *header;
        unsigned per;
    } files[] = {
        {"series_daily.csv", "day,backlog", 1},
        {"series_weekly.csv", "week,inflow,handed,resolved,junk,junk_rate", 7},
    };
    for (size_t k = 0; k < 2; k++) {
        char *path = harness_path(dir, files[k].name);
        char *text = harness_read_file(path, NULL);
        cr_assert_not_null(text, "%s is missing", path);
        char *lines[4096];
        size_t n = harness_split_lines(text, lines, 4096);
        unsigned rows = (days + files[k].per - 1) / files[k].per;
        cr_assert_str_eq(lines[0], files[k].header, "%s: header", files[k].name);
        cr_assert_eq(n, rows + 1, "%s: %zu rows, expected %u", files[k].name, n - 1, rows);
        char *header_fields[16];
        size_t nh = split_fields(lines[0], header_fields, 16);
        for (size_t i = 1; i < n; i++) {
            char *f[16];
            size_t nf = split_fields(lines[i], f, 16);
            cr_assert_eq(nf, nh, "%s row %zu: %zu fields", files[k].name, i, nf);
            cr_assert_eq(parse_double(f[0]), (double)(i - 1), "%s: rows out of order",
                         files[k].name);
            for (size_t j = 1; j < nf; j++)
                if (f[j][0] != '\0')
                    cr_assert_geq(parse_double(f[j]), 0.0, "%s row %zu: negative value",
                                  files[k].name, i);
        }
        free(text);
        free(path);
    }
}

Test(cli, out_dir_writes_every_file_and_no_temporaries)
{
    char *tmp = harness_tmpdir();
    cr_assert_not_null(tmp);
    char *dir = harness_path(tmp, "nested/out");      /* missing: created with its parent */

    struct harness_result json;
    run_ok(&json, mixed_run, "--format", "json", "--out", dir, NULL);

    static const char *const expected[] = {
        "result.json", "result.csv", "replications.csv", "series_daily.csv",
        "series_weekly.csv", "by_channel.csv", "by_group.csv", "weekly.csv", NULL,
    };
    for (const char *const *f = expected; *f != NULL; f++) {
        char *path = harness_path(dir, *f);
        struct stat st;
        cr_assert_eq(stat(path, &st), 0, "--out did not write %s", *f);
        cr_assert(S_ISREG(st.st_mode) && st.st_size > 0, "%s is empty or not a file", *f);
        free(path);
    }
    char hidden[256];
    harness_entries(dir, hidden, sizeof hidden);
    cr_assert_str_empty(hidden, "a temporary file was left behind: %s", hidden);

    /* result.json is what --format json printed, with the run's id */
    char *path = harness_path(dir, "result.json");
    size_t len;
    char *text = harness_read_file(path, &len);
    cr_assert_not_null(text, "cannot read %s", path);
    char *file_json = harness_json_without(text, "run_id");
    char *out_json = harness_json_without(json.out, "run_id");
    cr_assert_str_eq(file_json, out_json,
                     "result.json differs from the stdout of --format json at %s",
                     harness_first_difference(file_json, out_json));
    cr_assert(!harness_contains(json.out, "run_id"), "stdout carries the run id");
    free(file_json);
    free(out_json);
    free(text);
    free(path);

    /* result.csv holds the numbers of the same run */
    path = harness_path(dir, "result.csv");
    text = harness_read_file(path, &len);
    cr_assert_not_null(text, "cannot read %s", path);
    cJSON *root = parse_json(json.out);
    check_csv_against_json(text, root);
    free(text);
    free(path);

    check_replications_csv(dir, root, MIXED_REPS);
    check_series(dir, MIXED_DAYS);

    /* a second run with --overwrite replaces the files, still leaving no
     * temporaries */
    struct harness_result again;
    run_ok(&again, mixed_run, "--format", "json", "--out", dir, "--seed", "77",
           "--overwrite", NULL);
    cr_assert_eq(harness_entries(dir, hidden, sizeof hidden), 9,
                 "--out DIR holds other files than the eight results and run.json");
    cr_assert_str_empty(hidden, "a temporary file was left behind: %s", hidden);
    path = harness_path(dir, "result.json");
    text = harness_read_file(path, &len);
    cr_assert_not_null(text);
    file_json = harness_json_without(text, "run_id");
    out_json = harness_json_without(again.out, "run_id");
    cr_assert_str_eq(file_json, out_json, "result.json was not replaced by the second run");
    free(file_json);
    free(out_json);
    free(text);
    free(path);

    cJSON_Delete(root);
    harness_free(&json);
    harness_free(&again);
    free(dir);
    cr_assert_eq(harness_rmtree(tmp), 0);
    free(tmp);
}

/* Asking for files must not change the results: stdout with and without
 * --out is the same, in every format. */
Test(cli, out_dir_does_not_change_the_results)
{
    char *tmp = harness_tmpdir();
    cr_assert_not_null(tmp);
    static const char *const formats[] = {"json", "csv", NULL};
    for (const char *const *fmt = formats; *fmt != NULL; fmt++) {
        struct harness_result plain, with_out;
        run_ok(&plain, mixed_run, "--format", *fmt, NULL);
        run_ok(&with_out, mixed_run, "--format", *fmt, "--out", tmp, "--overwrite", NULL);
        cr_assert(harness_same_output(&plain, &with_out),
                  "--format %s: stdout changes when --out is given, at %s (without vs with)",
                  *fmt, harness_first_difference(plain.out, with_out.out));
        harness_free(&plain);
        harness_free(&with_out);
    }
    cr_assert_eq(harness_rmtree(tmp), 0);
    free(tmp);
}

Test(cli, out_on_a_regular_file_fails_before_simulating)
{
    char *tmp = harness_tmpdir();
    cr_assert_not_null(tmp);
    char *file = harness_path(tmp, "precious.txt");
    FILE *fp = fopen(file, "w");
    cr_assert_not_null(fp);
    fputs("keep me\n", fp);
    cr_assert_eq(fclose(fp), 0);

    /* Enough replications that a late check would show in stdout: the
     * results are printed before the files are written. */
    struct harness_result r;
    HARNESS_RUN(&r, "run", ERLANG_A, "--reps", "50", "--out", file);
    harness_assert_no_crash(&r);
    cr_assert(r.exit_code == 1 || r.exit_code == 2, "expected exit 1 or 2: %s",
              harness_describe(&r));
    cr_assert_eq(r.out_len, 0, "results were printed: the check came after the simulation");
    cr_assert(harness_contains(r.err, file), "stderr does not name %s: %s", file, r.err);
    cr_assert(harness_contains(r.err, "not a directory"), "stderr does not say why: %s", r.err);
    char *content = harness_read_file(file, NULL);
    cr_assert(content != NULL && strcmp(content, "keep me\n") == 0, "the file was changed");
    free(content);
    harness_free(&r);

    /* nor can a directory be created under it */
    char *under = harness_path(file, "sub");
    HARNESS_RUN(&r, "run", ERLANG_A, "--reps", "50", "--out", under);
    harness_assert_no_crash(&r);
    cr_assert(r.exit_code == 1 || r.exit_code == 2, "expected exit 1 or 2: %s",
              harness_describe(&r));
    cr_assert_eq(r.out_len, 0, "results were printed: the check came after the simulation");
    cr_assert(harness_contains(r.err, file), "stderr does not name %s: %s", file, r.err);
    harness_free(&r);

    free(under);
    free(file);
    cr_assert_eq(harness_rmtree(tmp), 0);
    free(tmp);
}

/* An unwritable --out DIR is a runtime failure (exit 1, out_prepare_dir)
 * found before the simulation. */
static void check_unwritable_out(const char *dir)
{
    struct harness_result r;
    HARNESS_RUN(&r, "run", ERLANG_A, "--reps", "50", "--out", dir);
    harness_assert_no_crash(&r);
    cr_assert_eq(r.exit_code, 1, "--out %s: expected exit 1: %s", dir, harness_describe(&r));
    cr_assert_eq(r.out_len, 0, "results were printed: the check came after the simulation");
    cr_assert(harness_contains(r.err, dir), "stderr does not name %s: %s", dir, r.err);
    harness_free(&r);
}

Test(cli, out_unwritable_dir_fails)
{
    char *tmp = harness_tmpdir();
    cr_assert_not_null(tmp);
    char *dir = harness_path(tmp, "read-only");
    cr_assert_eq(mkdir(dir, 0700), 0);
    cr_assert_eq(chmod(dir, 0500), 0);

    /* Root writes through 0500: find out rather than assume. */
    char *probe = harness_path(dir, "probe");
    int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd >= 0) {
        close(fd);
        unlink(probe);
        cr_log_info("running as uid %d, which can write into a 0500 directory: "
                    "the chmod sub-check is skipped", (int)geteuid());
    } else {
        check_unwritable_out(dir);
        cr_assert_eq(harness_entries(dir, NULL, 0), 0, "something was written into the read-only dir");
    }
    free(probe);

    /* /proc refuses new files even to root. */
    struct stat st;
    if (stat("/proc/self", &st) == 0)
        check_unwritable_out("/proc");
    else
        cr_log_info("no /proc: the root-proof sub-check is skipped");

    free(dir);
    cr_assert_eq(harness_rmtree(tmp), 0);
    free(tmp);
}

/* ---- standard output that cannot be written ------------------------------------------------------------------------ */

/* Standard output that cannot be written is a runtime failure: exit 1
 * with a message, never a silent success. */
static void check_stdout_failure(const char *const *args)
{
    struct harness_result r;
    cr_assert_eq(harness_runv_stdout(&r, "/dev/full", args), 0, "cannot run the binary");
    harness_assert_no_crash(&r);
    cr_assert_eq(r.exit_code, 1, "%s %s > /dev/full: expected exit 1: %s", args[0],
                 args[1] ? args[1] : "", harness_describe(&r));
    cr_assert_gt(r.err_len, 0, "%s > /dev/full: no message", args[0]);
    harness_free(&r);
}

Test(cli, run_stdout_write_failure_exits_1)
{
    struct stat st;
    if (stat("/dev/full", &st) != 0) {
        cr_log_info("no /dev/full: skipped");
        return;
    }
    check_stdout_failure(HARNESS_ARGS("run", ERLANG_A, "--reps", "2", "--set", "horizon_days=30",
                              "--format", "json"));
    check_stdout_failure(HARNESS_ARGS("run", ERLANG_A, "--reps", "2", "--set", "horizon_days=30"));
}

Test(cli, validate_stdout_write_failure_exits_1)
{
    struct stat st;
    if (stat("/dev/full", &st) != 0) {
        cr_log_info("no /dev/full: skipped");
        return;
    }
    check_stdout_failure(HARNESS_ARGS("validate", ERLANG_A));
}

/* ---- the table and the over-capacity flag ----------------------------------- */

/* The percentage on the table's "junk rate" line. */
static double table_junk_percent(const char *table)
{
    const char *line = table;
    while (line != NULL && strncmp(line, "junk rate", 9) != 0) {
        line = strchr(line, '\n');
        line = line ? line + 1 : NULL;
    }
    cr_assert_not_null(line, "the table has no \"junk rate\" line:\n%s", table);
    double pct;
    char sign = 0;
    int n = sscanf(line + 9, " %lf%c", &pct, &sign);
    cr_assert(n == 2 && sign == '%', "the junk rate line has no percentage: %.80s", line);
    return pct;
}

static void check_load(const char *const *run_args_list, bool over)
{
    struct harness_result table, json;
    run_ok(&table, run_args_list, NULL);
    run_ok(&json, run_args_list, "--format", "json", NULL);
    cJSON *root = parse_json(json.out);

    double pct = table_junk_percent(table.out);
    double junk = ci_mean(root, "junk_rate");
    cr_assert(fabs(pct - 100.0 * junk) <= 0.05 + 1e-9,
              "the table says %.1f%%, the JSON %.17g", pct, junk);

    const cJSON *flag = cJSON_GetObjectItemCaseSensitive(root, "over_capacity");
    cr_assert(cJSON_IsBool(flag), "over_capacity: missing or not a boolean");
    double unresolved = plain_number(root, "unresolved");
    double handed = plain_number(root, "leads_handed");
    const cJSON *warnings = cJSON_GetObjectItemCaseSensitive(root, "warnings");
    cr_assert(cJSON_IsArray(warnings), "warnings: missing or not an array");
    bool json_warns = false;
    const cJSON *w;
    cJSON_ArrayForEach(w, warnings)
        json_warns |= cJSON_IsString(w) && harness_contains(w->valuestring, "over capacity");
    bool table_warns =
        harness_contains(table.out, "WARNING") && harness_contains(table.out, "over capacity");

    if (over) {
        cr_assert(cJSON_IsTrue(flag), "overload: over_capacity is not true");
        cr_assert_gt(unresolved, 0.05 * handed, "overload: only %g of %g leads unresolved",
                     unresolved, handed);
        cr_assert(json_warns, "overload: no over-capacity warning in the JSON");
        cr_assert(table_warns, "overload: no over-capacity WARNING in the table:\n%s", table.out);
    } else {
        cr_assert(cJSON_IsFalse(flag), "light load: over_capacity is not false");
        cr_assert(!json_warns, "light load: an over-capacity warning in the JSON");
        cr_assert(!table_warns, "light load: an over-capacity WARNING in the table:\n%s",
                  table.out);
    }
    cJSON_Delete(root);
    harness_free(&table);
    harness_free(&json);
}

Test(cli, table_warns_when_over_capacity)
{
    check_load(overload_run, true);
}

Test(cli, table_quiet_at_light_load)
{
    check_load(light_run, false);
}

/* The warning's figure: the trend, and its share of the leads handed a
 * day, which must pass CAPACITY_OVER_SHARE; and a tiny but positive trend
 * says nothing. */
Test(cli, warning_names_the_trend_against_the_threshold)
{
    struct harness_result json;
    run_ok(&json, overload_15_run, "--format", "json", NULL);
    cJSON *root = parse_json(json.out);
    double trend = ci_mean(root, "backlog_trend");
    double per_day = ci_mean(root, "handed_per_week") / 7.0;
    cr_assert_gt(trend, CAPACITY_OVER_SHARE * per_day, "overload: trend %g, %g handed a day",
                 trend, per_day);
    char share[64];
    snprintf(share, sizeof share, "%.1f%% of the leads handed a day", 100.0 * trend / per_day);
    const cJSON *w = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "warnings"), 0);
    cr_assert(cJSON_IsString(w) && harness_contains(w->valuestring, share),
              "the warning does not say \"%s\": %s", share,
              cJSON_IsString(w) ? w->valuestring : "(none)");
    cJSON_Delete(root);
    harness_free(&json);

    run_ok(&json, synthetic_light_run, "--format", "json", NULL);
    root = parse_json(json.out);
    cr_assert_lt(plain_number(root, "load_ratio"), 0.2);
    trend = ci_mean(root, "backlog_trend");
    cr_assert_gt(trend, 0.0, "the synthetic company's trend %g is not positive", trend);
    cJSON_Delete(root);
    harness_free(&json);
    check_load(synthetic_light_run, false);
}


/* The verdict comes from the backlog's trend alone: long retry gaps leave
 * many leads unresolved at the horizon of a short window, but the backlog
 * is flat and nothing is said; at a load of 1.5 the backlog grows by
 * (offered - capacity) a day and the warning is given.  The load ratios
 * are read from the output, not assumed. */
Test(cli, trend_decides_over_capacity)
{
    struct harness_result json;
    run_ok(&json, retry_light_run, "--format", "json", NULL);
    cJSON *root = parse_json(json.out);
    double ratio = plain_number(root, "load_ratio");
    cr_assert(ratio > 0.1 && ratio < 0.3, "light load: ratio %g", ratio);
    cr_assert_gt(plain_number(root, "unresolved"), 0.05 * plain_number(root, "leads_handed"),
                 "light load: the retries should leave many leads open at the horizon");
    cJSON_Delete(root);
    harness_free(&json);
    check_load(retry_light_run, false);

    run_ok(&json, overload_15_run, "--format", "json", NULL);
    root = parse_json(json.out);
    cr_assert(fabs(plain_number(root, "load_ratio") - 1.5) < 1e-9);
    cJSON_Delete(root);
    harness_free(&json);
    check_load(overload_15_run, true);
}
