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
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>

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
