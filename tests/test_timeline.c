/*
 * test_timeline.c - the plan over time as run reports it: result.json's
 * timeline (campaigns, trade shows, hires, leaves, with the scenario's
 * names and the days their dates fall on), the run without its campaigns
 * and trade shows (weekly_without_campaigns, the campaign_effect chart's
 * counterfactual), the table's weeks to recover, and --target-on in
 * compare.
 *
 * The counterfactual must be exactly the run of the same scenario with its
 * campaigns disabled, same seed: every number of every week equal, since
 * campaign leads draw from their own streams (common random numbers).
 * The timeline's days are computed here from the dates (sim/date.h), not
 * pasted.  compare --target-on worst-week ranks on each replication's worst
 * complete week, which cannot be below the week's average by more than
 * noise: its mean is at least the average junk rate in every scenario.
 * Runs are short (3 replications, a few months).
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "sim/date.h"
#include "tests/cli_harness.h"
#include "tests/funnel_harness.h"

#define MARKETER "scenarios/marketer-campaign.json"
#define DIRECTOR "scenarios/director-tradeshow.json"

static cJSON *run_json(const char *file, const char *set1, const char *set2)
{
    struct harness_result r;
    const char *args[16] = {"run", file, "--reps", "3", "--quiet", "--format", "json", "--set",
                            "horizon_days=126"};
    size_t n = 9;
    if (set1 != NULL) {
        args[n++] = "--set";
        args[n++] = set1;
    }
    if (set2 != NULL) {
        args[n++] = "--set";
        args[n++] = set2;
    }
    args[n] = NULL;
    harness_runv(&r, args);
    harness_assert_exit(&r, 0);
    cJSON *root = cJSON_Parse(r.out);
    cr_assert_not_null(root, "run's JSON does not parse");
    harness_free(&r);
    return root;
}

/* The day `date` falls on in a run starting at `start` (ISO dates). */
static double day_of(const char *start, const char *date)
{
    int32_t a, b;
    char why[128];
    cr_assert(sim_date_parse(start, &a, why, sizeof why), "%s: %s", start, why);
    cr_assert(sim_date_parse(date, &b, why, sizeof why), "%s: %s", date, why);
    return (double)(b - a);
}

Test(timeline, the_run_without_campaigns_is_the_run_with_them_disabled, .timeout = 120)
{
    cJSON *with = run_json(MARKETER, NULL, NULL);
    cJSON *off = run_json(MARKETER, "channels[0].arrivals.campaigns[0].enabled=false", NULL);
    const cJSON *cf = cJSON_GetObjectItem(cJSON_GetObjectItem(with, "weekly_without_campaigns"),
                                          "weeks");
    const cJSON *base = cJSON_GetObjectItem(cJSON_GetObjectItem(off, "weekly"), "weeks");
    cr_assert(cJSON_IsArray(cf), "no weekly_without_campaigns.weeks");
    cr_assert_eq(cJSON_GetArraySize(cf), cJSON_GetArraySize(base));
    for (int i = 0; i < cJSON_GetArraySize(cf); i++)
        cr_expect(cJSON_Compare(cJSON_GetArrayItem(cf, i), cJSON_GetArrayItem(base, i), true),
                  "week %d differs from the run with the campaign disabled", i + 1);
    /* ... and the campaign changes some week: the chart has something to show. */
    const cJSON *own = cJSON_GetObjectItem(cJSON_GetObjectItem(with, "weekly"), "weeks");
    bool differs = false;
    for (int i = 0; i < cJSON_GetArraySize(own); i++)
        differs = differs || !cJSON_Compare(cJSON_GetArrayItem(own, i),
                                            cJSON_GetArrayItem(cf, i), true);
    cr_expect(differs, "the campaign changed no week");
    /* A run without campaigns or trade shows has no counterfactual. */
    cr_expect_null(cJSON_GetObjectItem(off, "weekly_without_campaigns"));
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(off, "recovery")), 0);
    cJSON_Delete(with);
    cJSON_Delete(off);
}

Test(timeline, marks_campaigns_trade_shows_hires_and_leaves, .timeout = 120)
{
    cJSON *scn = fh_json_load("director-tradeshow.json");
    const char *start = cJSON_GetStringValue(cJSON_GetObjectItem(scn, "start_date"));
    cr_assert_not_null(start);
    const cJSON *arr = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(scn, "channels"),
                                                              1), "arrivals");
    const char *show = cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItem(arr, "on"), 0));
    const cJSON *sdrs = cJSON_GetArrayItem(cJSON_GetObjectItem(scn, "team"), 1);
    const char *hire = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(sdrs, "hires"),
                                                                "start"));
    cr_assert(show != NULL && hire != NULL);
    /* Add a campaign and a leave; written where run can read it. */
    cJSON *camp = cJSON_CreateObject();
    cJSON_AddStringToObject(camp, "name", "may push");
    cJSON_AddStringToObject(camp, "from", "2027-05-03");
    cJSON_AddStringToObject(camp, "to", "2027-05-16");
    cJSON_AddNumberToObject(camp, "multiplier", 1.5);
    cJSON *web = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(scn, "channels"), 0),
                                     "arrivals");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(web, "campaigns"), camp);
    cJSON *leave = cJSON_AddObjectToObject(cJSON_GetArrayItem(cJSON_GetObjectItem(scn, "team"), 0),
                                           "leaves");
    cJSON_AddNumberToObject(leave, "count", 1);
    cJSON_AddStringToObject(leave, "on", "2027-04-12");
    char *tmp = harness_tmpdir();
    cr_assert_not_null(tmp);
    char *file = harness_path(tmp, "plan.json");
    char *text = cJSON_Print(scn);
    FILE *fp = fopen(file, "w");
    cr_assert_not_null(fp);
    fputs(text, fp);
    fclose(fp);
    free(text);
    cJSON *res = run_json(file, NULL, NULL);
    harness_rmtree(tmp);
    free(file);
    free(tmp);
    const cJSON *tl = cJSON_GetObjectItem(res, "timeline");
    cr_assert_not_null(tl, "no timeline");
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(tl, "start_date")), start);
    const cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(tl, "campaigns"), 0);
    cr_assert_not_null(c, "no campaign in the timeline");
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(c, "name")), "may push");
    cr_expect_eq(harness_number(c, "from_day"), day_of(start, "2027-05-03"));
    cr_expect_eq(harness_number(c, "to_day"), day_of(start, "2027-05-16"));
    cr_expect_eq(harness_number(c, "multiplier"), 1.5);
    const cJSON *t = cJSON_GetArrayItem(cJSON_GetObjectItem(tl, "trade_shows"), 0);
    cr_assert_not_null(t, "no trade show in the timeline");
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(t, "channel")),
                     cJSON_GetStringValue(cJSON_GetObjectItem(
                         cJSON_GetArrayItem(cJSON_GetObjectItem(scn, "channels"), 1), "name")));
    cr_expect_eq(harness_number(t, "day"), day_of(start, show));
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(t, "date")), show);
    cr_expect_eq(harness_number(t, "leads"), harness_number(arr, "size"));
    const cJSON *h = cJSON_GetArrayItem(cJSON_GetObjectItem(tl, "hires"), 0);
    cr_assert_not_null(h, "no hire in the timeline");
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(h, "group")),
                     cJSON_GetStringValue(cJSON_GetObjectItem(sdrs, "name")));
    cr_expect_eq(harness_number(h, "count"),
                 harness_number(cJSON_GetObjectItem(sdrs, "hires"), "count"));
    cr_expect_eq(harness_number(h, "day"), day_of(start, hire));
    const cJSON *l = cJSON_GetArrayItem(cJSON_GetObjectItem(tl, "leaves"), 0);
    cr_assert_not_null(l, "no leave in the timeline");
    cr_expect_eq(harness_number(l, "day"), day_of(start, "2027-04-12"));
    cr_expect_eq(harness_number(l, "count"), 1);
    /* Two events: each has its weeks to recover, and the run without both
     * is there for the campaign_effect chart. */
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(res, "recovery")), 2);
    cr_expect_not_null(cJSON_GetObjectItem(res, "weekly_without_campaigns"));
    cJSON_Delete(res);
    cJSON_Delete(scn);
}

/* The table lists each event's weeks to recover; one that ends in the last
 * week cannot recover by the horizon: null in the JSON, "not within the
 * horizon" in the table. */
Test(timeline, the_run_table_shows_weeks_to_recover, .timeout = 120)
{
    struct harness_result r;
    HARNESS_RUN(&r, "run", MARKETER, "--reps", "3", "--quiet", "--set", "horizon_days=126");
    harness_assert_exit(&r, 0);
    cr_expect(harness_contains(r.out, "Weeks to recover"), "no weeks to recover:\n%s", r.out);
    cr_expect(harness_contains(r.out, "spring campaign"), "the campaign is not named");
    cr_expect(harness_contains(r.out, "ends 2027-03-28"), "the campaign's end date");
    harness_free(&r);
    /* The campaign ends on day 83; a horizon of 84 days leaves no week after it. */
    cJSON *res = run_json(MARKETER, "horizon_days=84", NULL);
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(res, "recovery"), 0);
    cr_assert_not_null(e);
    cr_expect(cJSON_IsNull(cJSON_GetObjectItem(e, "weeks_to_recover")));
    cJSON_Delete(res);
    HARNESS_RUN(&r, "run", MARKETER, "--reps", "3", "--quiet", "--set", "horizon_days=84");
    harness_assert_exit(&r, 0);
    cr_expect(harness_contains(r.out, "not within the horizon"), "%s", r.out);
    harness_free(&r);
}

Test(timeline, compare_ranks_on_the_target_measure, .timeout = 120)
{
    struct harness_result r;
    HARNESS_RUN(&r, "compare", MARKETER, DIRECTOR, "--reps", "3", "--quiet", "--set",
                "horizon_days=126", "--target-on", "worst-week", "--format", "json");
    harness_assert_exit(&r, 0);
    cJSON *root = cJSON_Parse(r.out);
    cr_assert_not_null(root);
    harness_free(&r);
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(root, "target_on")), "worst-week");
    const cJSON *s;
    double best = INFINITY;
    int best_rank = 0;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(root, "scenarios")) {
        double on = harness_number(cJSON_GetObjectItem(s, "target_junk_rate"), "mean");
        double avg = harness_number(cJSON_GetObjectItem(s, "junk_rate"), "mean");
        cr_expect_geq(on, avg, "worst-week junk %g below the average %g", on, avg);
        if (on < best) {
            best = on;
            best_rank = (int)harness_number(s, "target_rank");
        }
    }
    cr_expect_eq(best_rank, 1, "the lowest junk on the measure is ranked first");
    cJSON_Delete(root);
    /* The average ranks on the metric itself; --measures refuses it. */
    HARNESS_RUN(&r, "compare", MARKETER, DIRECTOR, "--reps", "3", "--quiet", "--set",
                "horizon_days=126", "--target-on", "average");
    harness_assert_exit(&r, 0);
    cr_expect(harness_contains(r.out, "Junk rate on --target-on average"));
    harness_free(&r);
    HARNESS_RUN(&r, "compare", "--measures", MARKETER, DIRECTOR, "--target-on", "worst-week");
    harness_assert_exit(&r, 2);
    cr_expect(harness_contains(r.err, "--target-on"));
    harness_free(&r);
}

/* A --target-on window may be given by dates when the scenario has a
 * start_date: it is the window of the days those dates fall on (the same
 * junk rate, exactly, as the window by day numbers), recorded under the
 * name the user gave; without a start_date, or outside the run, it is an
 * input error naming the option. */
static cJSON *run_on(const char *file, const char *on)
{
    struct harness_result r;
    HARNESS_RUN(&r, "run", file, "--reps", "3", "--quiet", "--format", "json", "--set",
                "horizon_days=126", "--target-on", on);
    harness_assert_exit(&r, 0);
    cJSON *root = cJSON_Parse(r.out);
    cr_assert_not_null(root, "run's JSON does not parse");
    harness_free(&r);
    return root;
}

Test(timeline, a_target_window_by_dates_is_the_window_of_their_days, .timeout = 120)
{
    cJSON *probe = run_json(MARKETER, NULL, NULL);
    char start[SIM_DATE_TEXT];
    snprintf(start, sizeof start, "%s",
             cJSON_GetObjectItem(cJSON_GetObjectItem(probe, "timeline"), "start_date")
                 ->valuestring);
    char by_days[64];
    snprintf(by_days, sizeof by_days, "window:%.0f..%.0f", day_of(start, "2027-03-01"),
             day_of(start, "2027-03-28"));
    cJSON_Delete(probe);
    cJSON *a = run_on(MARKETER, "window:2027-03-01..2027-03-28");
    cJSON *b = run_on(MARKETER, by_days);
    const cJSON *ja = cJSON_GetObjectItem(cJSON_GetObjectItem(a, "junk_on"),
                                          "window:2027-03-01..2027-03-28");
    const cJSON *jb = cJSON_GetObjectItem(cJSON_GetObjectItem(b, "junk_on"), by_days);
    cr_assert_not_null(ja, "the window is recorded under the dates given");
    cr_assert_not_null(jb);
    cr_expect_eq(cJSON_GetObjectItem(ja, "mean")->valuedouble,
                 cJSON_GetObjectItem(jb, "mean")->valuedouble);
    const cJSON *ta = cJSON_GetObjectItem(a, "target_on");
    cr_expect_eq(cJSON_GetObjectItem(ta, "from_day")->valuedouble, day_of(start, "2027-03-01"));
    cr_expect_eq(cJSON_GetObjectItem(ta, "to_day")->valuedouble, day_of(start, "2027-03-28"));
    cJSON_Delete(a);
    cJSON_Delete(b);

    struct harness_result r;
    HARNESS_RUN(&r, "run", "scenarios/default.json", "--reps", "2", "--quiet", "--target-on",
                "window:2027-03-01..2027-03-28");
    HARNESS_ASSERT_ERROR(&r, 2, "needs the scenario's start_date");
    harness_free(&r);
    HARNESS_RUN(&r, "run", MARKETER, "--reps", "2", "--quiet", "--target-on",
                "window:2026-03-01..2026-03-28");
    HARNESS_ASSERT_ERROR(&r, 2, "within the run");
    harness_free(&r);
    HARNESS_RUN(&r, "size", MARKETER, "--reps", "2", "--quiet", "--vary", "team[0].count",
                "--target-on", "window:2027-03-01..2027-03");
    HARNESS_ASSERT_ERROR(&r, 2, "--target-on");
    harness_free(&r);
}
