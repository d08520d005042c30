/*
 * test_weekly.c - the weekly cohorts (models/series.h), the worst week and
 * --target-on.
 *
 * The cohorts must account for every lead the totals count: in every
 * replication the weeks' handed, resolved, junk (and each reason), deals,
 * revenue and lost add up exactly to the replication's totals, since each
 * measured lead's outcome lands in the row of its handoff week.  Recording
 * them changes no result.  The worst week `run` reports is the complete
 * week with the highest mean weekly junk rate and the runner-up the next,
 * recomputed here from the weeks in result.json, with the overlap of their
 * intervals as stated.  --target-on worst-week sizes a team for its peak:
 * with a trade show (a batch channel's big drop) it needs more managers
 * than the average does.  Window targets are parsed strictly (exit 2).
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "models/funnel.h"
#include "models/metric.h"
#include "models/scenario.h"
#include "models/scn_doc.h"
#include "models/series.h"
#include "sim/mem.h"
#include "tests/cli_harness.h"
#include "tests/funnel_harness.h"

#define REPS 3u

/* The sum over the weeks of series id. */
static double week_sum(const struct funnel_series *s, const struct scenario *scn,
                       enum series_id id)
{
    double sum = 0.0;
    for (size_t i = 0; i < funnel_series_weeks(scn); i++)
        sum += series_values(s, id)[i];
    return sum;
}

/* A count behind a share: share x base, a whole number. */
static double count_of(double share, double base)
{
    return base == 0.0 ? 0.0 : round(share * base);
}

static void check_cohorts(const char *file, const char *const *sets, bool held_lost)
{
    struct scenario scn;
    fh_short(file, REPS, sets, &scn);
    double *block = sim_calloc(series_block_size(&scn), sizeof *block);
    for (unsigned rep = 0; rep < REPS; rep++) {
        memset(block, 0, series_block_size(&scn) * sizeof *block);
        struct funnel_series s;
        series_bind(&s, block, &scn);
        struct funnel_opts with = {.series = &s}, without = {0};
        double x[METRIC_COUNT], y[METRIC_COUNT];
        struct sim_err err = {0};
        cr_assert_eq(funnel_replicate(&scn, rep, &with, x, &err), SIM_OK, "%s", err.msg);
        cr_assert_eq(funnel_replicate(&scn, rep, &without, y, &err), SIM_OK, "%s", err.msg);
        for (unsigned m = 0; m < METRIC_COUNT; m++)
            cr_expect(memcmp(&x[m], &y[m], sizeof x[m]) == 0,
                      "%s rep %u: %s differs with the series recorded", file, rep,
                      metric_descs[m].key);
        static const struct {
            enum series_id id;
            enum metric_id total;
        } counts[] = {
            {SERIES_HANDED, METRIC_LEADS_HANDED}, {SERIES_COHORT_RESOLVED, METRIC_RESOLVED},
            {SERIES_COHORT_JUNK, METRIC_JUNK},    {SERIES_COHORT_DEALS, METRIC_DEALS},
        };
        for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
            double sum = week_sum(&s, &scn, counts[k].id);
            cr_expect_eq(sum, x[counts[k].total], "%s rep %u: weeks' %s add up to %.17g, "
                         "total %s %.17g", file, rep, series_descs[counts[k].id].column, sum,
                         metric_descs[counts[k].total].key, x[counts[k].total]);
        }
        cr_expect_gt(x[METRIC_JUNK], 0.0, "%s: some junk to count", file);
        for (unsigned r = 0; r < JUNK_REASONS; r++) {
            double sum = week_sum(&s, &scn, (enum series_id)(SERIES_COHORT_REASON + r));
            double total = count_of(x[metric_of_reason(r)], x[METRIC_RESOLVED]);
            cr_expect_eq(sum, total, "%s rep %u: weeks' %s junk %.0f, total %.0f", file, rep,
                         metric_descs[metric_of_reason(r)].key, sum, total);
        }
        double lost = week_sum(&s, &scn, SERIES_COHORT_JUNK) + week_sum(&s, &scn, SERIES_HELD_LOST);
        if (held_lost)
            cr_expect_gt(week_sum(&s, &scn, SERIES_HELD_LOST), 0.0,
                         "%s rep %u: some leads held back and lost", file, rep);
        cr_expect_eq(lost, x[METRIC_LOST], "%s rep %u: weeks' lost %.0f, total %.0f", file, rep,
                     lost, x[METRIC_LOST]);
        double revenue = week_sum(&s, &scn, SERIES_COHORT_REVENUE);
        cr_expect(fabs(revenue - x[METRIC_REVENUE]) <= 1e-9 * fmax(1.0, x[METRIC_REVENUE]),
                  "%s rep %u: weeks' revenue %.17g, total %.17g", file, rep, revenue,
                  x[METRIC_REVENUE]);
        /* Each week's value computed by the summary's function agrees. */
        double lost_v = 0.0;
        for (size_t i = 0; i < funnel_series_weeks(&scn); i++)
            lost_v += series_week_value(&s, &scn, i, WEEKLY_LOST);
        cr_expect_eq(lost_v, x[METRIC_LOST], "%s: WEEKLY_LOST sums to the total", file);
        /* No cohort before the warm-up: warm-up leads are not measured. */
        cr_expect_eq(series_values(&s, SERIES_HANDED)[0], 0.0, "%s: week 1 is warm-up", file);
    }
    free(block);
}

Test(weekly, cohorts_add_up_to_the_totals)
{
    check_cohorts("default.json", NULL, false);
}

/* With the cap, leads held back and lost are lost in their week. */
Test(weekly, cohorts_add_up_with_leads_held_back_and_lost)
{
    static const char *const sets[] = {"handoff.max_backlog=60", NULL};
    check_cohorts("article-seven-measures.json", sets, true);
}

/* ---- the program ---------------------------------------------------------- */

static cJSON *run_json(const char *const *extra)
{
    const char *args[32] = {"run", "scenarios/default.json", "--set", "horizon_days=84",
                            "--set", "warmup_days=14", "--set", "replications=6",
                            "--format", "json"};
    size_t n = 10;
    for (const char *const *a = extra; a != NULL && *a != NULL; a++)
        args[n++] = *a;
    args[n] = NULL;
    struct harness_result r;
    harness_runv(&r, args);
    harness_assert_exit(&r, 0);
    cJSON *root = cJSON_Parse(r.out);
    cr_assert_not_null(root, "stdout is not JSON");
    harness_free(&r);
    return root;
}

static double mean_of(const cJSON *row, const char *name)
{
    const cJSON *ci = cJSON_GetObjectItem(row, name);
    return cJSON_GetNumberValue(cJSON_GetObjectItem(ci, "mean"));
}

static double bound_of(const cJSON *row, const char *name, int k)
{
    const cJSON *ci = cJSON_GetObjectItem(cJSON_GetObjectItem(row, name), "ci95");
    return cJSON_GetNumberValue(cJSON_GetArrayItem(ci, k));
}

Test(weekly, the_worst_week_is_the_max_of_the_weekly_means)
{
    cJSON *root = run_json(NULL);
    const cJSON *weeks = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "weekly"), "weeks");
    cr_assert(cJSON_IsArray(weeks), "no weekly.weeks");
    cr_expect_eq(cJSON_GetArraySize(weeks), 12, "84 days are 12 weeks");
    int worst = -1, runner = -1;
    double handed = 0.0;
    for (int i = 0; i < cJSON_GetArraySize(weeks); i++) {
        const cJSON *w = cJSON_GetArrayItem(weeks, i);
        cr_expect_eq((int)cJSON_GetNumberValue(cJSON_GetObjectItem(w, "week")), i + 1,
                     "weeks count from 1");
        bool measured = cJSON_IsTrue(cJSON_GetObjectItem(w, "measured"));
        cr_expect_eq(measured, i >= 2, "week %d: measured after the 14-day warm-up", i + 1);
        handed += mean_of(w, "handed");
        if (!cJSON_IsTrue(cJSON_GetObjectItem(w, "complete")))
            continue;
        cr_expect(measured, "a complete week is measured");
        cr_expect_leq(mean_of(w, "open_share"), SERIES_OPEN_MAX);
        double x = mean_of(w, "junk_rate");
        if (worst < 0 || x > mean_of(cJSON_GetArrayItem(weeks, worst), "junk_rate")) {
            runner = worst;
            worst = i;
        } else if (runner < 0 || x > mean_of(cJSON_GetArrayItem(weeks, runner), "junk_rate")) {
            runner = i;
        }
    }
    cr_assert_geq(worst, 0, "some week is complete");
    cr_assert_geq(runner, 0, "a runner-up");
    const cJSON *ww = cJSON_GetObjectItem(root, "worst_week");
    cr_expect_eq((int)cJSON_GetNumberValue(cJSON_GetObjectItem(ww, "week")), worst + 1);
    const cJSON *ru = cJSON_GetObjectItem(ww, "runner_up");
    cr_expect_eq((int)cJSON_GetNumberValue(cJSON_GetObjectItem(ru, "week")), runner + 1);
    const cJSON *a = cJSON_GetArrayItem(weeks, worst), *b = cJSON_GetArrayItem(weeks, runner);
    bool overlaps = !(bound_of(a, "junk_rate", 0) > bound_of(b, "junk_rate", 1));
    cr_expect_eq(cJSON_IsTrue(cJSON_GetObjectItem(ww, "overlaps_runner_up")), overlaps);
    /* The weeks' handed leads add up to the total's mean. */
    double total = cJSON_GetNumberValue(cJSON_GetObjectItem(root, "leads_handed")) /
                   cJSON_GetNumberValue(cJSON_GetObjectItem(root, "replications"));
    cr_expect(fabs(handed - total) <= 1e-9 * total, "weeks hand %.17g, total %.17g", handed,
              total);
    cJSON_Delete(root);
}

/* ---- --target-on ------------------------------------------------------------ */

/* healthy.json with a trade show: the webinar channel drops 600 leads
 * once, on day 70, instead of 200 every fortnight. */
#define TRADE_SHOW "--set", "channels[1].arrivals.every_days=1000", "--set",                 \
                   "channels[1].arrivals.first_day=70", "--set",                              \
                   "channels[1].arrivals.size=600", "--set", "horizon_days=140", "--set",     \
                   "warmup_days=14", "--reps", "8", "--quiet"

static cJSON *size_json(const char *target_on)
{
    struct harness_result r;
    HARNESS_RUN(&r, "size", "scenarios/healthy.json", TRADE_SHOW, "--vary", "team[1].count",
                "--from", "1", "--to", "30", "--target-junk", "0.30", "--target-on", target_on,
                "--format", "json");
    harness_assert_exit(&r, 0);
    cJSON *root = cJSON_Parse(r.out);
    cr_assert_not_null(root, "size printed no JSON");
    harness_free(&r);
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(root, "target_on")), target_on);
    return root;
}

Test(weekly, sizing_for_the_worst_week_asks_for_more_than_the_average, .timeout = 120)
{
    cJSON *avg = size_json("average"), *worst = size_json("worst-week");
    cJSON_Delete(size_json("window:70..97"));   /* accepted, and named as given */
    double a = cJSON_GetNumberValue(cJSON_GetObjectItem(avg, "answer"));
    double w = cJSON_GetNumberValue(cJSON_GetObjectItem(worst, "answer"));
    fprintf(stderr, "weekly: size for the average %g, for the worst week %g managers\n", a, w);
    cr_expect_gt(w, a, "the worst week needs more managers (%g) than the average (%g)", w, a);
    /* At the answer, the measure the target was tested on holds it. */
    cr_expect_leq(harness_number(cJSON_GetObjectItem(worst, "junk_rate"), "mean"), 0.30);
    cJSON_Delete(avg);
    cJSON_Delete(worst);
}

Test(weekly, target_on_values_are_checked)
{
    static const char *const bad[] = {"worst", "window:", "window:10", "window:10..",
                                      "window:20..10", "window:-1..5", "window:1.5..9",
                                      "window:a..b", "window:1..2x", NULL};
    for (const char *const *b = bad; *b != NULL; b++) {
        struct harness_result r;
        HARNESS_RUN(&r, "size", "scenarios/healthy.json", "--vary", "team[1].count",
                    "--target-junk", "0.3", "--target-on", *b);
        HARNESS_ASSERT_ERROR(&r, 2, "--target-on", *b);
        harness_free(&r);
    }
    struct series_target t = {SERIES_TARGET_WINDOW, 70, 97, false};
    /* Days 70..97 touch weeks 11 to 14 (indices 10 to 13), no other. */
    for (size_t i = 0; i < 20; i++)
        cr_expect_eq(series_week_in_window(&t, i), i >= 10 && i <= 13, "week index %zu", i);
}

/* ---- weeks to recover ----------------------------------------------------- */

/* Rows of n complete weeks whose junk rate is mean +- half. */
static void rows_of(struct series_week *rows, size_t n, const double *mean, double half)
{
    for (size_t i = 0; i < n; i++) {
        rows[i] = (struct series_week){.week = (unsigned)i + 1, .from_day = 7.0 * (double)i,
                                       .measured = true, .complete = true};
        rows[i].v[WEEKLY_JUNK_RATE] = (struct sim_ci){mean[i], mean[i] - half, mean[i] + half,
                                                      half, 8};
    }
}

Test(weekly, weeks_to_recover_count_from_the_week_after_the_event)
{
    /* A campaign over days 14..27 (weeks 3 and 4) raises junk to 0.5,
     * which falls back by 0.05 a week to the 0.3 of the run without it. */
    static const double with_m[] = {0.3, 0.3, 0.5, 0.5, 0.45, 0.40, 0.35, 0.30, 0.30, 0.30};
    static const double without_m[] = {0.3, 0.3, 0.3, 0.3, 0.30, 0.30, 0.30, 0.30, 0.30, 0.30};
    struct series_week with[10], without[10];
    rows_of(with, 10, with_m, 0.02);
    rows_of(without, 10, without_m, 0.02);
    struct series_event ev = {"spring", 14, 27};
    /* Week index 4 (0.45) and 5 (0.40) are apart, 6 (0.35 +- 0.02 against
     * 0.30 +- 0.02) too; 7 overlaps: 3 weeks after the week after. */
    int expect = 0;
    for (size_t i = 4; i < 10 && with_m[i] - 0.02 > without_m[i] + 0.02; i++)
        expect++;
    cr_expect_eq(series_weeks_to_recover(with, without, 10, &ev), expect);
    cr_expect_eq(expect, 3);
    /* An event that never recovers by the horizon. */
    for (size_t i = 0; i < 10; i++)
        with[i].v[WEEKLY_JUNK_RATE].lo = with[i].v[WEEKLY_JUNK_RATE].hi = 0.9;
    cr_expect_eq(series_weeks_to_recover(with, without, 10, &ev), -1);
    /* A trade show on one day (day 20, week index 2): counted from index 3. */
    rows_of(with, 10, without_m, 0.02);
    struct series_event show = {"fair", 20, 20};
    cr_expect_eq(series_weeks_to_recover(with, without, 10, &show), 0);
}

/* ---- the chart's data --------------------------------------------------------- */

/* The text of dir/name, or NULL. */
static char *read_in(const char *dir, const char *name)
{
    char *path = harness_path(dir, name);
    char *text = harness_read_file(path, NULL);
    free(path);
    return text;
}

/* run --out --plot on a dated scenario with holidays: weekly.csv has the
 * date column, result.json's timeline the holidays' days, and the chart's
 * files mark them (in weeks) and carry the cohort band's columns. */
Test(weekly, run_over_time_marks_holidays_and_the_cohort_band, .timeout = 60)
{
    char *tmp = harness_tmpdir();
    cr_assert_not_null(tmp);
    cJSON *scn = fh_json_load("default.json");
    cJSON_AddStringToObject(scn, "start_date", "2027-03-01");
    cJSON *hol = cJSON_AddArrayToObject(cJSON_GetObjectItem(scn, "calendar"), "holidays");
    cJSON_AddItemToArray(hol, cJSON_CreateString("2027-04-02"));   /* day 32 */
    cJSON_AddItemToArray(hol, cJSON_CreateString("2027-04-05"));   /* day 35 */
    char *text = cJSON_Print(scn);
    char *file = harness_path(tmp, "dated.json");
    FILE *fp = fopen(file, "w");
    cr_assert_not_null(fp);
    fputs(text, fp);
    fclose(fp);
    char *dir = harness_path(tmp, "out");
    struct harness_result r;
    HARNESS_RUN(&r, "run", file, "--set", "horizon_days=70", "--reps", "3", "--quiet", "--out",
                dir, "--plot");
    harness_assert_exit(&r, 0);
    harness_free(&r);
    cJSON *res = harness_read_json(dir, "result.json");
    const cJSON *days = cJSON_GetObjectItem(cJSON_GetObjectItem(res, "timeline"), "holidays");
    cr_assert_eq(cJSON_GetArraySize(days), 2);
    cr_expect_eq(cJSON_GetNumberValue(cJSON_GetArrayItem(days, 0)), 32);
    cr_expect_eq(cJSON_GetNumberValue(cJSON_GetArrayItem(days, 1)), 35);
    char *weekly = read_in(dir, "weekly.csv");
    cr_assert_not_null(weekly);
    cr_expect(strncmp(weekly, "week,from_day,date,measured,complete,", 37) == 0,
              "weekly.csv's header: %.60s", weekly);
    cr_expect(harness_contains(weekly, "\n5,28,2027-03-29,"), "week 5 starts on 2027-03-29");
    char *vars = read_in(dir, "run_over_time.vars");
    cr_assert_not_null(vars, "run_over_time.vars missing");
    char expect[64];
    snprintf(expect, sizeof expect, "holiday_weeks = '%.6g %.6g'", 32.5 / 7, 35.5 / 7);
    cr_expect(harness_contains(vars, expect), "no '%s' in run_over_time.vars", expect);
    cr_expect(!harness_contains(vars, "timeline.") && !harness_contains(vars, "calendar."),
              "a JSON path in run_over_time.vars");
    char *dat = read_in(dir, "run_over_time.dat");
    cr_assert_not_null(dat);
    cr_expect(harness_contains(dat, "cohort_junk_pct cohort_junk_lo_pct cohort_junk_hi_pct"));
    char *html = read_in(dir, "report.html");
    cr_assert_not_null(html, "report.html missing");
    char sentence[64];
    snprintf(sentence, sizeof sentence, "The worst week is week %d:",
             (int)harness_number(cJSON_GetObjectItem(res, "worst_week"), "week"));
    cr_expect(harness_contains(html, sentence), "report.html lacks '%s'", sentence);
    free(html);
    free(dat);
    free(vars);
    free(weekly);
    cJSON_Delete(res);
    free(text);
    cJSON_Delete(scn);
    free(file);
    free(dir);
    harness_rmtree(tmp);
    free(tmp);
}

/* sweep --target-on: every point carries the junk rate the target is
 * tested on, and the document says which. */
Test(weekly, sweep_reports_the_target_measure, .timeout = 60)
{
    struct harness_result r;
    HARNESS_RUN(&r, "sweep", "scenarios/healthy.json", TRADE_SHOW, "--vary", "team[1].count",
                "--from", "2", "--to", "4", "--steps", "2", "--target-on", "worst-week",
                "--format", "json");
    harness_assert_exit(&r, 0);
    cJSON *root = cJSON_Parse(r.out);
    cr_assert_not_null(root);
    harness_free(&r);
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(root, "target_on")), "worst-week");
    const cJSON *pt;
    cJSON_ArrayForEach(pt, cJSON_GetObjectItem(root, "points")) {
        const cJSON *t = cJSON_GetObjectItem(pt, "target_junk_rate");
        cr_assert_not_null(t, "a point without target_junk_rate");
        /* With a trade show, the worst week is above the average. */
        cr_expect_gt(harness_number(t, "mean"),
                     harness_number(cJSON_GetObjectItem(pt, "junk_rate"), "mean"));
    }
    cJSON_Delete(root);
}

/* run with a trade show (batch `on`) and a campaign: result.json's
 * recovery lists both, each with its days and weeks to recover (a whole
 * number of weeks, or null when not back by the horizon). */
Test(weekly, run_lists_weeks_to_recover_for_each_event, .timeout = 60)
{
    char *tmp = harness_tmpdir();
    cr_assert_not_null(tmp);
    cJSON *scn = fh_json_load("healthy.json");
    cJSON *chs = cJSON_GetObjectItem(scn, "channels");
    cJSON *batch = cJSON_CreateObject();
    cJSON_AddStringToObject(batch, "kind", "batch");
    cJSON_AddNumberToObject(batch, "size", 400);
    cJSON *on = cJSON_AddArrayToObject(batch, "on");
    cJSON_AddItemToArray(on, cJSON_CreateNumber(70));
    cJSON_ReplaceItemInObject(cJSON_GetArrayItem(chs, 1), "arrivals", batch);
    cJSON *camp = cJSON_CreateObject();
    cJSON_AddStringToObject(camp, "name", "spring");
    cJSON_AddNumberToObject(camp, "from", 42);
    cJSON_AddNumberToObject(camp, "to", 55);
    cJSON_AddNumberToObject(camp, "per_week", 200);
    cJSON *camps = cJSON_AddArrayToObject(cJSON_GetObjectItem(cJSON_GetArrayItem(chs, 0),
                                                              "arrivals"), "campaigns");
    cJSON_AddItemToArray(camps, camp);
    char *text = cJSON_Print(scn);
    char *file = harness_path(tmp, "events.json");
    FILE *fp = fopen(file, "w");
    cr_assert_not_null(fp);
    fputs(text, fp);
    fclose(fp);
    struct harness_result r;
    HARNESS_RUN(&r, "run", file, "--set", "horizon_days=140", "--reps", "4", "--quiet",
                "--format", "json");
    harness_assert_exit(&r, 0);
    cJSON *root = cJSON_Parse(r.out);
    cr_assert_not_null(root);
    harness_free(&r);
    const cJSON *rec = cJSON_GetObjectItem(root, "recovery");
    cr_assert_eq(cJSON_GetArraySize(rec), 2, "two events");
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(rec, 0),
                                                               "event")), "spring");
    const cJSON *e;
    cJSON_ArrayForEach(e, rec) {
        const cJSON *w = cJSON_GetObjectItem(e, "weeks_to_recover");
        cr_expect(cJSON_IsNull(w) || (cJSON_IsNumber(w) && w->valuedouble >= 0 &&
                                      w->valuedouble == floor(w->valuedouble)));
    }
    cr_expect_eq(harness_number(cJSON_GetArrayItem(rec, 1), "from_day"), 70);
    cJSON_Delete(root);
    free(text);
    cJSON_Delete(scn);
    free(file);
    harness_rmtree(tmp);
    free(tmp);
}
