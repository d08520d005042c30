/*
 * test_teamtime.c - teams that change in time (models/team.h, "Teams in
 * time"): hires and their ramp, leaves, a group falling to 0, absences,
 * ramp_misjudge, and the keys' errors.
 *
 * The runs are built so that the quantity checked has a known law: under
 * saturation (one batch far larger than the team can work) with
 * exponential conversations, one attempt that always reaches and resolves
 * the lead, a manager at productivity p completes a Poisson stream of 2p
 * conversations an hour; with fixed conversations of half an hour, a
 * present manager-day is exactly 48 of them.  The intervals are computed
 * from the ramp and the shares the test sets, never pasted.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "models/funnel.h"
#include "models/scenario.h"
#include "models/scn_doc.h"
#include "models/team.h"

#define MEAN_HOURS 0.5      /* a conversation */
#define LEVEL 0.999         /* of every interval: two-sided */
#define BATCH_HOUR 9.0      /* the batch arrives at the calendar's start_hour */

/* A saturated 24x7 funnel: one batch of `batch` hot, fitting buyers at day
 * 0, nothing after; every attempt reaches and resolves its lead.  `team`
 * and `extra` (more top-level keys, each with a trailing comma) are
 * spliced in. */
static void compile_funnel(struct scenario *out, unsigned batch, double horizon,
                           const char *dist, const char *team, const char *extra)
{
    char text[4096];
    snprintf(text, sizeof text,
             "{\"name\": \"teamtime\", \"seed\": 7, \"replications\": 1,"
             " \"horizon_days\": %.17g, \"warmup_days\": 0, %s"
             " \"calendar\": {\"mode\": \"24x7\"},"
             " \"channels\": [{\"name\": \"list\", \"arrivals\": {\"kind\": \"batch\","
             "   \"size\": %u, \"every_days\": 100000}, \"fit_share\": 1,"
             "   \"theorist_share\": 0, \"temperature\": {\"hot\": 1}}],"
             " \"team\": %s,"
             " \"contact\": {\"duration\": {\"dist\": \"%s\", \"mean_hours\": %g},"
             "   \"contactable\": 1, \"max_attempts\": 1, \"p_reach\": 1,"
             "   \"misjudge_base\": 0, \"rush_penalty\": 0, \"rush_speedup\": 0},"
             " \"abandon\": {\"kind\": \"none\"}}",
             horizon, extra, batch, team, dist, MEAN_HOURS);
    struct sim_err err = {0};
    struct scn_doc *doc = scn_doc_parse(text, "teamtime.json", &err);
    cr_assert_not_null(doc, "%s", err.msg);
    cr_assert_eq(scn_doc_compile(doc, out, &err), SIM_OK, "%s", err.msg);
    scn_doc_free(doc);
}

/* The two-sided LEVEL interval of a count of mean `mean` and variance
 * `var`, in the normal approximation (every count here is in the
 * hundreds or more). */
static void count_interval(double mean, double var, double *lo, double *hi)
{
    double z = gsl_cdf_ugaussian_Pinv(0.5 + LEVEL / 2.0);
    *lo = mean - z * sqrt(var);
    *hi = mean + z * sqrt(var);
}

static void replicate(const struct scenario *s, struct funnel_series *series, double *x)
{
    struct sim_err err = {0};
    struct funnel_opts opts = {.series = series};
    cr_assert_eq(funnel_replicate(s, 0, &opts, x, &err), SIM_OK, "%s", err.msg);
}

/* Every lead handed is resolved or still waiting, and none is lost. */
static void expect_accounted(const double *x, const char *what)
{
    cr_expect_eq(x[METRIC_LEADS_HANDED], x[METRIC_LEADS_GENERATED], "%s: handed", what);
    cr_expect_eq(x[METRIC_RESOLVED] + x[METRIC_UNRESOLVED], x[METRIC_LEADS_HANDED],
                 "%s: resolved + unresolved", what);
}

/* ---- the ramp ------------------------------------------------------------ */

/* Under saturation, the hire's contacts per week follow its ramp.  Group
 * "old" keeps one manager; group "new" loses its day-0 manager at day 0 and
 * hires one at day 1, who is then the only manager of the group.  Weekly
 * resolutions are Poisson with mean 2 x (168 + the hire's productivity
 * integrated over the week); each month of the ramp is checked on the
 * weeks that lie wholly inside it, at LEVEL. */
Test(teamtime, hire_contacts_follow_ramp)
{
    static const double ramp[] = {0.25, 0.5, 0.75, 1.0};
    const double start = 24.0, month = TEAM_MONTH_HOURS;
    struct scenario s;
    compile_funnel(&s, 40000, 160, "exponential",
                   "[{\"name\": \"old\", \"count\": 1},"
                   " {\"name\": \"new\", \"count\": 1, \"leaves\": {\"count\": 1, \"on\": 0},"
                   "  \"hires\": {\"count\": 1, \"start\": 1}}]", "\"routing\": \"pool\",");
    cr_assert_eq(s.team[1].hires.n_ramp, 4, "the default ramp has four months");
    for (unsigned i = 0; i < 4; i++)
        cr_assert_eq(s.team[1].hires.ramp[i], ramp[i], "default ramp[%u]", i);

    unsigned weeks = funnel_series_weeks(&s), days = funnel_series_days(&s);
    double *cols = calloc(5 * (size_t)weeks + days, sizeof *cols);
    struct funnel_series series = {.backlog_day = cols, .inflow_week = cols + days,
                                   .handed_week = cols + days + weeks,
                                   .resolved_week = cols + days + 2 * weeks,
                                   .junk_week = cols + days + 3 * weeks};
    double x[METRIC_COUNT];
    replicate(&s, &series, x);
    expect_accounted(x, "ramp");
    cr_expect_gt(x[METRIC_UNRESOLVED], 0.0, "the batch saturates the team to the end");

    for (unsigned k = 0; k <= 4; k++) {
        double from = start + k * month, to = k < 4 ? from + month : s.horizon_days * 24.0;
        double got = 0.0, p = k < 4 ? ramp[k] : 1.0;
        unsigned n = 0;
        for (unsigned w = 0; w < weeks; w++)
            if (w * 168.0 >= from && (w + 1) * 168.0 <= to) {
                got += series.resolved_week[w];
                n++;
            }
        cr_assert_gt(n, 0, "month %u holds a whole week", k);
        double mean = n * 168.0 * (1.0 + p) / MEAN_HOURS;
        double lo, hi;
        count_interval(mean, mean, &lo, &hi);      /* Poisson */
        double hire = got / n - 168.0 / MEAN_HOURS;
        fprintf(stderr, "hire_contacts_follow_ramp: month %u, p %.2f: %.0f resolved in %u weeks "
                "[%.0f, %.0f]; the hire's contacts a week %.1f (expected %.1f)\n",
                k + 1, p, got, n, lo, hi, hire, 168.0 * p / MEAN_HOURS);
        cr_expect(got >= lo && got <= hi, "month %u: %.0f resolved, expected [%.0f, %.0f]",
                  k + 1, got, lo, hi);
    }
    free(cols);
}

/* The productivity and the misjudgement factor, month by month. */
Test(teamtime, ramp_and_misjudge_by_month)
{
    struct scenario s;
    compile_funnel(&s, 10, 200, "exponential",
                   "[{\"name\": \"g\", \"count\": 1, \"ramp_misjudge\": 3,"
                   "  \"hires\": {\"count\": 2, \"start\": 10, \"ramp\": [0.2, 0.6]}}]", "");
    struct team t;
    team_init(&t, &s);
    cr_assert_eq(t.n, 3);
    cr_expect_eq(t.heads, 1, "the hires are not active before their start");
    cr_expect_eq(t.n_changes, 2, "two starts");
    double on = 10 * 24.0, m = TEAM_MONTH_HOURS;
    cr_expect_eq(team_productivity(&t, 0, on + 1.0), 1.0, "a day-0 manager is ramped");
    cr_expect_eq(team_productivity(&t, 1, on + 1.0), 0.2);
    cr_expect_eq(team_productivity(&t, 2, on + m + 1.0), 0.6);
    cr_expect_eq(team_productivity(&t, 2, on + 2 * m + 1.0), 1.0, "full after the ramp");
    cr_expect_eq(team_misjudge_factor(&t, 0, on + 1.0), 1.0);
    cr_expect_float_eq(team_misjudge_factor(&t, 1, on + 1.0), 3.0, 1e-12);
    cr_expect_float_eq(team_misjudge_factor(&t, 1, on + m + 1.0), 3.0 + (1.0 - 3.0) / 2.0, 1e-12);
    cr_expect_eq(team_misjudge_factor(&t, 1, on + 2 * m + 1.0), 1.0);
    team_fini(&t);
}

/* ---- leaves -------------------------------------------------------------- */

/* A group leaves, whole, in the middle of a backlog, under every routing:
 * the leavers' queued leads and those waiting to retry are routed again,
 * so once the remaining team has worked the batch every lead is resolved.
 * Misses and retries (p_reach 0.5, three attempts) put leads in the
 * leavers' retry gaps too.  The group that leaves is the favourite and the
 * most skilled, so skill_based and favourites must fall back. */
Test(teamtime, leave_reroutes_every_lead)
{
    static const char *const routings[] = {"pool", "round_robin", "least_loaded",
                                           "skill_based", "favourites"};
    for (unsigned r = 0; r < sizeof routings / sizeof routings[0]; r++) {
        char extra[256];
        snprintf(extra, sizeof extra, "\"routing\": \"%s\",", routings[r]);
        struct scenario s;
        compile_funnel(&s, 2000, 60, "exponential",
                       "[{\"name\": \"seniors\", \"count\": 2, \"skill\": 1, \"favourite\": true,"
                       "  \"leaves\": {\"count\": 2, \"on\": 5}},"
                       " {\"name\": \"rest\", \"count\": 2, \"skill\": 0.5}]", extra);
        s.contact.p_reach = 0.5;
        s.contact.max_attempts = 3;
        s.contact.retry_gap_hours = 2.0;
        /* 2000 leads, about 1.5 attempts each, 4 managers for 5 days then 2:
         * the batch lasts past day 5 and ends well before day 60. */
        double x[METRIC_COUNT];
        replicate(&s, NULL, x);
        fprintf(stderr, "leave_reroutes_every_lead: %s: %.0f handed, %.0f resolved, "
                "%.0f unresolved\n", routings[r], x[METRIC_LEADS_HANDED], x[METRIC_RESOLVED],
                x[METRIC_UNRESOLVED]);
        expect_accounted(x, routings[r]);
        cr_expect_eq(x[METRIC_UNRESOLVED], 0.0, "%s: a lead is stranded with a leaver",
                     routings[r]);
    }
}

/* The managers who leave are the newest present: the hires once they have
 * started, then the day-0 managers. */
Test(teamtime, leavers_are_the_newest)
{
    struct scenario s;
    compile_funnel(&s, 10, 100, "exponential",
                   "[{\"name\": \"g\", \"count\": 3,"
                   "  \"hires\": {\"count\": 2, \"start\": 10},"
                   "  \"leaves\": {\"count\": 3, \"on\": 20}},"
                   " {\"name\": \"h\", \"count\": 2,"
                   "  \"hires\": {\"count\": 1, \"start\": 30},"
                   "  \"leaves\": {\"count\": 1, \"on\": 20}}]", "");
    double expect_end[] = {INFINITY, INFINITY, 480, 480, 480};
    for (unsigned k = 0; k < 5; k++) {
        double a, b;
        team_roster(&s, 0, k, &a, &b);
        cr_expect_eq(a, k < 3 ? 0.0 : 240.0, "g[%u] start", k);
        cr_expect_eq(b, expect_end[k], "g[%u] end %g", k, b);
    }
    double a, b;
    team_roster(&s, 1, 1, &a, &b);
    cr_expect_eq(b, 480.0, "before the hires start, a day-0 manager leaves");
    team_roster(&s, 1, 2, &a, &b);
    cr_expect_eq(b, INFINITY, "a hire who starts after the leave day stays");
}

/* ---- absence --------------------------------------------------------------- */

/* absence_share a: each working manager-day is away with probability a.
 * Fixed half-hour conversations make a present day exactly 48 of them
 * (give or take the one running across the roll call), so the resolved
 * leads over 48 count the present manager-days, Binomial(N, 1 - a): checked
 * at LEVEL, widened by one conversation per manager-day.  Utilization
 * divides by the heads present on average, N (1 - a) days' worth. */
Test(teamtime, absence_removes_its_share_of_days)
{
    const unsigned managers = 5, days = 100;
    const double a = 0.3;
    struct scenario s;
    char team[256];
    snprintf(team, sizeof team, "[{\"name\": \"g\", \"count\": %u, \"absence_share\": %g}]",
             managers, a);
    /* The horizon ends at the roll call of day 100: 100 whole days. */
    compile_funnel(&s, 40000, days + BATCH_HOUR / 24.0, "fixed", team, "\"routing\": \"pool\",");
    double x[METRIC_COUNT];
    replicate(&s, NULL, x);
    expect_accounted(x, "absence");
    double n = (double)managers * days, per_day = 24.0 / MEAN_HOURS;
    double present = x[METRIC_RESOLVED] / per_day;
    double lo, hi;
    count_interval(n * (1.0 - a), n * a * (1.0 - a), &lo, &hi);     /* binomial */
    lo -= n / per_day;
    hi += n / per_day;
    fprintf(stderr, "absence_removes_its_share_of_days: %.1f of %.0f manager-days present "
            "[%.0f, %.0f]; utilization %.4f\n", present, n, lo, hi, x[METRIC_UTILIZATION]);
    cr_expect(present >= lo && present <= hi, "present days %.1f not in [%.0f, %.0f]",
              present, lo, hi);
    /* Saturated: busy whenever present, so utilization is the days present
     * over the days the absence share leaves on average. */
    double expect_util = present / (n * (1.0 - a));
    cr_expect(fabs(x[METRIC_UTILIZATION] - expect_util) < 0.01,
              "utilization %.4f, expected %.4f", x[METRIC_UTILIZATION], expect_util);
}

/* Without the new keys the absence stream is not even allocated and the
 * heads are the counts exactly. */
Test(teamtime, heads_without_changes_are_counts)
{
    struct scenario s;
    compile_funnel(&s, 10, 100, "exponential", "[{\"name\": \"g\", \"count\": 7}]", "");
    for (int k = FUNNEL_HEADS_PAID; k <= FUNNEL_HEADS_PRODUCTIVE; k++)
        cr_expect_eq(funnel_group_heads(&s, 0, (enum funnel_heads)k), 7.0);
}

/* Heads in time over the window: a leave halfway through halves the paid
 * heads of a group of 2; a hire's productive heads are its ramp's mean. */
Test(teamtime, heads_in_time)
{
    struct scenario s;
    compile_funnel(&s, 10, 100, "exponential",
                   "[{\"name\": \"g\", \"count\": 2, \"absence_share\": 0.1,"
                   "  \"leaves\": {\"count\": 1, \"on\": 50}},"
                   " {\"name\": \"h\", \"count\": 1,"
                   "  \"hires\": {\"count\": 1, \"start\": 0, \"ramp\": [0.5]}}]", "");
    cr_expect_float_eq(funnel_group_heads(&s, 0, FUNNEL_HEADS_PAID), 1.5, 1e-12);
    cr_expect_float_eq(funnel_group_heads(&s, 0, FUNNEL_HEADS_PRESENT), 1.5 * 0.9, 1e-12);
    double m = TEAM_MONTH_HOURS / 2400.0;   /* the ramp's share of the window */
    cr_expect_float_eq(funnel_group_heads(&s, 1, FUNNEL_HEADS_PAID), 2.0, 1e-12);
    cr_expect_float_eq(funnel_group_heads(&s, 1, FUNNEL_HEADS_PRODUCTIVE),
                       1.0 + 0.5 * m + (1.0 - m), 1e-12);
}

/* ---- ramp_misjudge -------------------------------------------------------- */

/* In its first month a hire misjudges ramp_misjudge times as often.  A
 * one-month ramp at full speed, so that the day-0 manager and the hire
 * share a saturated pool evenly: the misjudged share over the first month
 * is (m + m r) / 2 with m = misjudge_base x (1 - skill), checked against a
 * binomial interval; with r = 1 it is m. */
Test(teamtime, ramp_misjudge_in_first_month)
{
    static const double rs[] = {1.0, 3.0};
    const double base = 0.2;
    for (unsigned i = 0; i < 2; i++) {
        char team[256];
        snprintf(team, sizeof team,
                 "[{\"name\": \"g\", \"count\": 1, \"skill\": 0, \"ramp_misjudge\": %g,"
                 "  \"hires\": {\"count\": 1, \"start\": 0, \"ramp\": [1]}}]", rs[i]);
        struct scenario s;
        compile_funnel(&s, 40000, 30, "fixed", team, "\"routing\": \"pool\",");
        s.contact.misjudge_base = base;
        double x[METRIC_COUNT];
        replicate(&s, NULL, x);
        double n = x[METRIC_RESOLVED], p = (base + base * rs[i]) / 2.0;
        double got = x[metric_of_reason(JUNK_MISJUDGED)] * n;
        double lo, hi;
        count_interval(n * p, n * p * (1.0 - p), &lo, &hi);     /* binomial */
        fprintf(stderr, "ramp_misjudge_in_first_month: r %g: %.0f of %.0f misjudged "
                "[%.0f, %.0f]\n", rs[i], got, n, lo, hi);
        cr_expect(got >= lo && got <= hi, "r %g: %.0f misjudged, expected [%.0f, %.0f]",
                  rs[i], got, lo, hi);
    }
}

/* ---- key errors ------------------------------------------------------------ */

static void expect_error(const char *team, const char *path, const char *rule)
{
    char text[2048];
    snprintf(text, sizeof text,
             "{\"name\": \"bad\", \"channels\": [{\"name\": \"web\", \"arrivals\":"
             " {\"kind\": \"poisson\", \"per_week\": 100}}], \"team\": %s}", team);
    struct sim_err err = {0};
    struct scenario s;
    struct scn_doc *doc = scn_doc_parse(text, "bad.json", &err);
    cr_assert_not_null(doc, "%s", err.msg);
    int rc = scn_doc_compile(doc, &s, &err);
    scn_doc_free(doc);
    cr_expect_eq(rc, SIM_ERR_INPUT, "%s: accepted", team);
    cr_expect(strstr(err.msg, path) != NULL && strstr(err.msg, rule) != NULL,
              "expected \"%s\" and \"%s\" in: %s", path, rule, err.msg);
}

Test(teamtime, key_errors_name_the_path)
{
    expect_error("[{\"name\": \"g\", \"count\": 1, \"hires\": {\"count\": 1, \"start\": -1}}]",
                 "team[0].hires.start", "from 0 to 36500 (got -1)");
    expect_error("[{\"name\": \"g\", \"count\": 1, \"hires\": {\"count\": 0, \"start\": 1}}]",
                 "team[0].hires.count", "from 1");
    expect_error("[{\"name\": \"g\", \"count\": 1, \"leaves\": {\"count\": 0, \"on\": 1}}]",
                 "team[0].leaves.count", "from 1");
    expect_error("[{\"name\": \"g\", \"count\": 1, \"hires\": {\"count\": 1, \"start\": 1,"
                 " \"ramp\": [0.5, 1.5]}}]", "team[0].hires.ramp[1]", "(got 1.5)");
    expect_error("[{\"name\": \"g\", \"count\": 1, \"hires\": {\"count\": 1, \"start\": 1,"
                 " \"ramp\": [0, 1]}}]", "team[0].hires.ramp[0]", "(got 0)");
    expect_error("[{\"name\": \"g\", \"count\": 1, \"hires\": {\"count\": 1, \"start\": 1,"
                 " \"ramp\": []}}]", "team[0].hires.ramp", "array of 1 to");
    expect_error("[{\"name\": \"g\", \"count\": 5000, \"hires\": {\"count\": 5001, "
                 "\"start\": 1}}]", "team", "at most 10000 managers in all (got 10001)");
    expect_error("[{\"name\": \"g\", \"count\": 2, \"leaves\": {\"count\": 3, \"on\": 1}}]",
                 "team[0]", "leaves.count must be at most the 2 managers present");
    expect_error("[{\"name\": \"g\", \"count\": 2, \"leaves\": {\"count\": 2, \"on\": 1}}]",
                 "team", "falls to 0 managers on day 1");
    expect_error("[{\"name\": \"g\", \"count\": 1, \"leaves\": {\"count\": 1}}]",
                 "team[0].leaves.on", "required");
    expect_error("[{\"name\": \"g\", \"count\": 1, \"absence_share\": 1}]",
                 "team[0].absence_share", "< 1");
}
