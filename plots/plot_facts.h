/*
 * plot_facts.h - the numbers a 1-D sweep's charts and report are built on.
 *
 * Concept: a chart marks a few points on its curve (the knee, where the
 * load crosses 1, where junk crosses the target, today's setting) and the
 * report says the same numbers in words.  Both take them from one struct
 * plot_facts, computed here from a struct plot_sweep (plot_load.h), so the
 * page and the charts cannot disagree.
 *
 * Invariants: every computation works on the points sorted by the varied
 * value, since a sweep may run from a larger value to a smaller one.
 * Interpolation is linear between neighbouring points and never reaches
 * outside the swept range: with common random numbers across points the
 * curve is smooth enough that a straight piece between two points is a
 * fair reading, and nothing is extrapolated.  A fact that cannot be
 * computed is NAN (or (size_t)-1 for the knee), and the report then says
 * why.
 *
 * Ownership: the caller owns struct plot_facts (on its stack);
 * plot_facts_compute() gives it its `order` array, plot_facts_free()
 * takes it back.  The sweep is only read, and must outlive the facts.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef PLOTS_PLOT_FACTS_H
#define PLOTS_PLOT_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "plots/plot_load.h"
#include "sim/feasible.h"

/* The least rise, in share of resolved leads (half a percentage point),
 * for a reason to count as rising with load: with many replications a
 * drift too small to matter would otherwise be significant. */
#define PLOT_FACTS_RISE_MIN 0.005

/* An average month, in days: 365.25 / 12. */
#define PLOT_FACTS_DAYS_PER_MONTH 30.4375

/* Derived from a 1-D sweep, points sorted by value.  Any of them is NAN
 * when it cannot be computed (the text of the report then says why). */
struct plot_facts {
    size_t n;
    size_t *order;              /* point indices by increasing value (owned) */
    bool inflow;                /* the varied path is an inflow */
    bool rising;                /* mean junk at the last value > at the first */

    /* Where the nominal load (offered / capacity) crosses 1: linear
     * interpolation between the two neighbouring points; NAN when every
     * point is on one side. */
    double cap_value, cap_offered;

    /* The knee: the swept point farthest below the chord from the first to
     * the last point (the largest chord - mean; the "Kneedle" rule), where
     * a flat curve turns steep.  Defined only when the curve really moves
     * (the last mean lies outside the first point's 95% interval, and vice
     * versa) and some point lies below the chord. */
    size_t knee;                /* point index; (size_t)-1 when none */

    /* Where the mean junk curve crosses the target, interpolated linearly:
     * on a rising curve, the end of the run of points at or under the
     * target that starts at the lowest value ("keep it at or below");
     * on a falling one, the start of the run that ends at the highest
     * value ("at or above").  NAN when every point is at or under the
     * target (all_below), or when the curve starts above it, at the lowest
     * value if rising, the highest if falling (all_above). */
    double threshold;
    bool all_above, all_below;
    /* The values holding the target (mean junk at or under it), as runs
     * of consecutive swept values (sim/feasible.h, the rule `size` uses):
     * the curve need not be monotone.  `edge` is the swept value at the
     * answer's end (the largest holding one when rising, else the
     * smallest); NAN when none holds.  threshold is NAN with edge finite
     * when that end is the end of the swept range. */
#define PLOT_FACTS_MAX_FEASIBLE 16
    size_t n_feasible;
    struct sim_feasible_interval feasible[PLOT_FACTS_MAX_FEASIBLE];
    double edge;

    /* Which junk reasons rise with load, decided from the data: from the
     * point of lowest nominal load to the point of highest, the reason's
     * share of resolved leads grows by at least PLOT_FACTS_RISE_MIN and
     * the two points' 95% intervals do not overlap (the means alone when
     * a point has no interval, from one replication).  None rises when
     * the load does not vary over the sweep (load_varies false): then
     * nothing in the data ties a reason to load. */
    bool load_varies;
    size_t low_load, high_load;     /* point indices */
    bool rises[JUNK_REASONS];
    unsigned n_rising;

    /* At the scenario's own value (today), interpolated linearly between
     * the neighbouring points; NAN when today lies outside the range. */
    double today, today_junk, today_wasted_month, today_revenue_month;
};

/* Computes the facts of a 1-D sweep; plot_facts_free() frees them. */
void plot_facts_compute(const struct plot_sweep *s, double target,
                        struct plot_facts *f);
void plot_facts_free(struct plot_facts *f);

/* y at x on the polyline through (xs[order[i]], ys[order[i]]), NAN
 * outside [first, last]. */
double plot_facts_interp(const size_t *order, size_t n, const double *xs,
                         const double *ys, double x);

/* The edge of the values at or under `level`: the largest such point of
 * the polyline (the smallest when `from_end`), wherever it lies, and the
 * linear crossing from it to its neighbour beyond.  NAN when no point is
 * at or under the level, or when that point is the polyline's end. */
double plot_facts_first_rise(const size_t *order, size_t n, const double *xs,
                             const double *ys, double level, bool from_end);

/* Money a month from a total over the measured window. */
double plot_facts_per_month(double total, double horizon_days, double warmup_days);

/* A junk reason in words, for legends and sentences: "went cold". */
extern const char *const plot_facts_reason_words[JUNK_REASONS];

/* Whether every swept value is a whole number (a head count, a batch
 * size): a bound between two of them is then given whole too. */
bool plot_facts_values_whole(const struct plot_sweep *s);

#endif
