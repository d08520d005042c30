/*
 * feasible.h - the values of a swept parameter that hold a target.
 *
 * A value x holds the target when the mean response at x is at or under
 * it.  Nothing here assumes the response is monotone: the feasible set of
 * a scan is the union of the maximal runs of consecutive scanned values
 * that hold the target, each reported as [from, to] (the first and last
 * scanned value of the run).  Between a held value and its unheld
 * neighbour the set's true edge is unknown until the caller refines it
 * (size bisects or uses Brent there, sim/search.h); a sweep reports the
 * scanned values as they are.
 *
 * One place for the rule, used by `size` and by the sweep and grid
 * reports, so that the two never disagree on what "holds" means.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_FEASIBLE_H
#define SIM_FEASIBLE_H

#include <stdbool.h>
#include <stddef.h>

struct sim_feasible_interval {
    double from, to;        /* scanned values, from <= to */
    size_t first, last;     /* their indices in the caller's arrays */
};

/* x[0..n) strictly increasing, mean[0..n) the response at each.  Writes
 * at most `max` intervals to out (out may be NULL when max is 0) and
 * returns how many there are in all.  A NaN mean never holds. */
size_t sim_feasible_intervals(const double *x, const double *mean, size_t n,
                              double target, struct sim_feasible_interval *out,
                              size_t max);

/* The index of the largest (or smallest) x whose mean holds the target,
 * or n when none does. */
size_t sim_feasible_extreme(const double *mean, size_t n, double target, bool largest);

/* Whether mean holds the target. */
static inline bool sim_feasible_holds(double mean, double target)
{
    return mean <= target;      /* false for NaN */
}

#endif
