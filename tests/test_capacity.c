/*
 * test_capacity.c - the nominal capacity against the simulation.
 *
 * docs/model.md ("The working day", "Split attention", "The nominal
 * capacity"): work is counted in working time, an attempt still running at
 * closing time goes on at the next opening, and a manager with
 * new_lead_share s spends d (1 - s) / s working hours on accounts after an
 * attempt of d working hours.  So a saturated team works exactly the
 * nominal capacity: its working hours a week times s over the expected
 * time per lead.  Here a heavily overloaded team on the business calendar
 * (three times its capacity offered, the excess held back by a cap of two
 * weeks' work so that memory stays bounded and the queue never empties; no abandonment, rushing or audits, which
 * would resolve leads without work or add work the formula does not
 * count) must resolve, per week, the capacity within 2%: the whole 99%
 * interval of the ratio lies in [0.98, 1.02], and its half-width is at most
 * 1%.  Contact means from 0.35 to 8 hours, shares from 0.3 to 1.  The
 * utilization's summary stays in [0, 1] with its mean inside the interval.
 *
 * The over-capacity verdict (models/capacity.h, docs/model.md
 * "Measurement"): `over` needs the trend's 95% interval above
 * CAPACITY_OVER_SHARE of the leads handed a day, not merely above 0.  The
 * rule alone, on summaries made by hand: an interval above 0 but under the
 * threshold, or across it, is not over; one above it is.  On the funnel:
 * the synthetic company with 12 SDRs (load 0.14, warm-up 0, an autumn
 * campaign) and the every-lever benchmark at a load just under 1 over a
 * year have trends statistically above 0 yet tiny, and are not over; the
 * pure queue at load 1.2 grows by (handed - capacity) a day, 16.7% of its
 * handed leads, and is.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>

#include "models/capacity.h"
#include "models/funnel.h"
#include "models/metric.h"
#include "tests/funnel_harness.h"

#define LEVEL 0.99
#define TOLERANCE 0.02
#define MAX_HALF 0.01
#define LOAD 3.0

static const double weeks = 52.0;
static const struct scenario *current;

static double resolved_over_capacity(const double *m)
{
    return m[METRIC_RESOLVED] / weeks / funnel_capacity_per_week(current);
}

Test(capacity, saturated_throughput_is_the_capacity)
{
    static const struct { double mean, share; } cases[] = {
        {0.35, 1.0}, {0.35, 0.3}, {2.0, 0.6}, {8.0, 1.0}, {8.0, 0.3},
    };
    enum { N = sizeof cases / sizeof cases[0], REPS = 20 };
    struct scenario pts[N];
    for (size_t i = 0; i < N; i++) {
        struct scn_doc *doc = fh_load("validation-erlang-c.json");
        fh_set(doc, "calendar.mode=business");
        fh_set(doc, "horizon_days=%g", weeks * 7.0);
        fh_set(doc, "warmup_days=0");
        fh_set(doc, "team[0].count=60");
        fh_set(doc, "team[0].new_lead_share=%g", cases[i].share);
        fh_set(doc, "contact.duration.mean_hours=%g", cases[i].mean);
        fh_compile(doc, &pts[i]);
        double cap = funnel_capacity_per_week(&pts[i]);
        fh_set(doc, "channels[0].arrivals.per_week=%.17g", LOAD * cap);
        /* The cap bounds memory; above a week's work, the queue never
         * empties, even after a weekend's arrivals. */
        fh_set(doc, "handoff.max_backlog=%.0f", ceil(2.0 * cap));
        fh_compile(doc, &pts[i]);
        scn_doc_free(doc);
        cr_assert(pts[i].calendar.business && !pts[i].abandon.enabled &&
                  pts[i].contact.rush_speedup == 0.0 && pts[i].control.audit_share == 0.0);
    }
    struct fh_results r;
    fh_run(pts, N, REPS, &r);
    for (size_t i = 0; i < N; i++) {
        current = &pts[i];
        struct sim_ci ci = fh_ci_of(&r, i, resolved_over_capacity, LEVEL);
        char what[96];
        snprintf(what, sizeof what, "mean %.2f h share %.1f: resolved / capacity", cases[i].mean,
                 cases[i].share);
        fh_show("capacity", what, ci);
        cr_expect(ci.lo >= 1.0 - TOLERANCE && ci.hi <= 1.0 + TOLERANCE,
                  "%s: [%.4f, %.4f] not within %.0f%% of 1", what, ci.lo, ci.hi,
                  100.0 * TOLERANCE);
        cr_expect((ci.hi - ci.lo) / 2.0 <= MAX_HALF, "%s: half-width %.4f over %.2f", what,
                  (ci.hi - ci.lo) / 2.0, MAX_HALF);

        struct metric_summary s;
        metric_summarise(fh_rep(&r, i, 0), REPS, 0.95, &s);
        const struct sim_ci *u = &s.ci[METRIC_UTILIZATION];
        fprintf(stderr, "capacity: %s utilization %.4f [%.4f, %.4f]\n", what, u->mean, u->lo,
                u->hi);
        cr_expect(0.0 <= u->lo && u->lo <= u->mean && u->mean <= u->hi && u->hi <= 1.0,
                  "%s: utilization %.6f [%.6f, %.6f]", what, u->mean, u->lo, u->hi);
        cr_expect(u->mean > 1.0 - TOLERANCE, "%s: saturated utilization %.4f", what, u->mean);
    }
    fh_free(&r);
}

/* ---- the over-capacity verdict ------------------------------------------ */

/* A summary of `n` replications handing `per_day` leads a day whose trend
 * has mean `mean` and a 95% half-width `half`. */
static struct metric_summary summary_with_trend(size_t n, double per_day, double mean,
                                                double half)
{
    struct metric_summary s = {.replications = n};
    s.ci[METRIC_HANDED_PER_WEEK] = (struct sim_ci){.mean = 7.0 * per_day, .n = n};
    double sd = half * sqrt((double)n) / sim_stats_t_quantile(CAPACITY_TREND_LEVEL, n);
    s.ci[METRIC_BACKLOG_TREND] = (struct sim_ci){
        .mean = mean, .lo = mean - half, .hi = mean + half, .sd = sd, .n = n};
    return s;
}

Test(capacity, over_needs_the_trend_above_the_threshold)
{
    const double per_day = 120.0;
    const double thr = CAPACITY_OVER_SHARE * per_day;
    struct metric_summary s = summary_with_trend(10, per_day, 0.0, 0.0);
    cr_assert_float_eq(capacity_trend_threshold(&s), thr, 1e-12);

    /* Statistically above 0, practically nothing: [0.25, 0.75] thresholds. */
    s = summary_with_trend(10, per_day, 0.5 * thr, 0.25 * thr);
    cr_expect(!capacity_over(&s), "a trend in [%g, %g] under the threshold %g is over",
              0.25 * thr, 0.75 * thr, thr);
    /* Across the threshold: not shown to be above it. */
    s = summary_with_trend(10, per_day, 1.2 * thr, 0.5 * thr);
    cr_expect(!capacity_over(&s), "a trend in [%g, %g] across the threshold %g is over",
              0.7 * thr, 1.7 * thr, thr);
    /* Wholly above it. */
    s = summary_with_trend(10, per_day, 2.0 * thr, 0.5 * thr);
    cr_expect(capacity_over(&s), "a trend in [%g, %g] above the threshold %g is not over",
              1.5 * thr, 2.5 * thr, thr);
    /* One replication: no interval, no verdict. */
    s = summary_with_trend(1, per_day, 10.0 * thr, 0.0);
    s.ci[METRIC_BACKLOG_TREND].sd = NAN;
    cr_expect(!capacity_over(&s), "one replication is over");
}

/* A summary of n replications whose abandoned share has mean `mean` and
 * a 95% half-width `half`, with no backlog trend. */
static struct metric_summary summary_with_abandoned(size_t n, double mean, double half)
{
    struct metric_summary s = summary_with_trend(n, 100.0, 0.0, 0.0);
    double sd = half * sqrt((double)n) / sim_stats_t_quantile(CAPACITY_TREND_LEVEL, n);
    s.ci[METRIC_JUNK_ABANDONED] = (struct sim_ci){
        .mean = mean, .lo = mean - half, .hi = mean + half, .sd = sd, .n = n};
    return s;
}

Test(capacity, over_when_the_team_sheds_leads_by_abandonment)
{
    const double thr = CAPACITY_OVER_SHARE;
    struct metric_summary s = summary_with_abandoned(10, 0.5 * thr, 0.25 * thr);
    cr_expect(!capacity_sheds_leads(&s) && !capacity_over(&s),
              "an abandoned share in [%g, %g] under %g is over", 0.25 * thr, 0.75 * thr, thr);
    s = summary_with_abandoned(10, 1.2 * thr, 0.5 * thr);
    cr_expect(!capacity_over(&s), "an abandoned share across %g is over", thr);
    s = summary_with_abandoned(10, 2.0 * thr, 0.5 * thr);
    cr_expect(capacity_sheds_leads(&s) && capacity_over(&s) && !capacity_backlog_grows(&s),
              "an abandoned share in [%g, %g] above %g is not over", 1.5 * thr, 2.5 * thr, thr);
    s = summary_with_abandoned(1, 10.0 * thr, 0.0);
    s.ci[METRIC_JUNK_ABANDONED].sd = NAN;
    cr_expect(!capacity_over(&s), "one replication is over");
}

/* The default scenario (load 1.12, abandonment after two weeks) over a
 * year: the backlog stays bounded because the excess abandons, so the
 * trend alone no longer shows the overload; the abandoned share does. */
Test(capacity, an_overload_that_abandons_is_over, .timeout = 60)
{
    enum { REPS = 10 };
    struct scenario pt;
    struct scn_doc *doc = fh_load("default.json");
    fh_set(doc, "horizon_days=365");
    fh_compile(doc, &pt);
    scn_doc_free(doc);
    cr_assert(capacity_load_of(&pt, NULL).ratio > 1.05, "load %g",
              capacity_load_of(&pt, NULL).ratio);
    struct fh_results r;
    fh_run(&pt, 1, REPS, &r);
    struct metric_summary s;
    metric_summarise(fh_rep(&r, 0, 0), REPS, CAPACITY_TREND_LEVEL, &s);
    fprintf(stderr, "capacity: default over a year: trend %.4g (threshold %.4g), abandoned "
            "%.4f [%.4f, %.4f]: %s\n", s.ci[METRIC_BACKLOG_TREND].mean,
            capacity_trend_threshold(&s), s.ci[METRIC_JUNK_ABANDONED].mean,
            s.ci[METRIC_JUNK_ABANDONED].lo, s.ci[METRIC_JUNK_ABANDONED].hi,
            capacity_over(&s) ? "over" : "not over");
    cr_expect(capacity_sheds_leads(&s), "the abandoned share does not show the overload");
    cr_expect(capacity_over(&s), "a load of 1.12 that abandons is not over");
    fh_free(&r);
}

Test(capacity, over_means_the_backlog_grows_materially, .timeout = 60)
{
    enum { LIGHT, NEAR_ONE, OVERLOAD, N, REPS = 20 };
    const char *what[N] = {"synthetic company, 12 SDRs", "benchmark near load 1",
                           "pure queue at load 1.2"};
    struct scenario pts[N];

    /* Its own window: a year, warm-up 0, the campaigns as shipped. */
    struct scn_doc *doc = fh_load("synthetic-company.json");
    fh_set(doc, "team[0].count=12");
    fh_compile(doc, &pts[LIGHT]);
    scn_doc_free(doc);

    /* Every lever on, warm-up 0, a year; web leads raised to a load just
     * under 1. */
    doc = fh_load("bench-funnel.json");
    fh_set(doc, "horizon_days=365");
    fh_set(doc, "channels[0].arrivals.per_week=345");
    fh_compile(doc, &pts[NEAR_ONE]);
    scn_doc_free(doc);

    /* No abandonment: the excess stays in the backlog. */
    doc = fh_load("validation-erlang-c.json");
    fh_compile(doc, &pts[OVERLOAD]);
    fh_set(doc, "channels[0].arrivals.per_week=%.17g",
           1.2 * funnel_capacity_per_week(&pts[OVERLOAD]));
    fh_compile(doc, &pts[OVERLOAD]);
    scn_doc_free(doc);

    double ratio[N];
    for (size_t i = 0; i < N; i++)
        ratio[i] = capacity_load_of(&pts[i], NULL).ratio;
    cr_assert(ratio[LIGHT] < 0.2, "light: load %g", ratio[LIGHT]);
    cr_assert(ratio[NEAR_ONE] > 0.95 && ratio[NEAR_ONE] < 1.0, "near one: load %g",
              ratio[NEAR_ONE]);
    cr_assert(fabs(ratio[OVERLOAD] - 1.2) < 1e-9, "overload: load %g", ratio[OVERLOAD]);

    struct fh_results r;
    fh_run(pts, N, REPS, &r);
    for (size_t i = 0; i < N; i++) {
        struct metric_summary s;
        metric_summarise(fh_rep(&r, i, 0), REPS, CAPACITY_TREND_LEVEL, &s);
        const struct sim_ci *t = &s.ci[METRIC_BACKLOG_TREND];
        double thr = capacity_trend_threshold(&s);
        bool over = capacity_over(&s);
        fprintf(stderr,
                "capacity: %s: load %.3f, trend %.4g [%.4g, %.4g] leads a day against a "
                "threshold of %.4g (%.0f%% of %.1f handed a day): %s\n",
                what[i], ratio[i], t->mean, t->lo, t->hi, thr, 100.0 * CAPACITY_OVER_SHARE,
                s.ci[METRIC_HANDED_PER_WEEK].mean / 7.0, over ? "over" : "not over");
        if (i == OVERLOAD) {
            /* The fluid growth: what is handed and not worked. */
            double growth = (s.ci[METRIC_HANDED_PER_WEEK].mean -
                             funnel_capacity_per_week(&pts[i])) / 7.0;
            cr_expect(fabs(t->mean / growth - 1.0) < 0.05,
                      "%s: trend %g, not the growth %g of handed less capacity", what[i],
                      t->mean, growth);
            cr_expect(over, "%s: not over capacity", what[i]);
        } else {
            /* The case the threshold is for: a trend statistically above 0
             * (a bare "above 0" said over), yet far under a team short of
             * capacity. */
            cr_expect_gt(t->lo, 0.0, "%s: the trend [%g, %g] is not above 0, so this "
                         "point no longer tests the threshold", what[i], t->lo, t->hi);
            cr_expect(!over, "%s: over capacity", what[i]);
        }
    }
    fh_free(&r);
}
