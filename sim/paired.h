/*
 * paired.h - comparing points of one experiment replication by replication,
 * and the set of points within noise of the best.
 *
 * When every point of an experiment runs replication r on the same random
 * streams (common random numbers, sim/experiment.h), the difference between
 * two points is best estimated from the per-replication differences: the
 * shared noise cancels, and a Student-t interval over those differences is
 * far narrower than the two points' own intervals would suggest.  `size
 * --maximize` reads its flat region this way.
 *
 * Layout: y[i][r] is the response at point i in replication r; NaN marks a
 * replication that did not finish (an interrupt) and is left out of every
 * pair it belongs to.
 *
 * The best point is the one with the largest mean among the candidates
 * (ties: the first).  A candidate is within noise of the best when the
 * two-sided interval at `level` of the paired difference best - point
 * contains 0 (the best itself always is); "significantly worse" is the
 * complement.  No multiplicity correction: each point is judged against the
 * best on its own, as a reader of "within noise of the best" expects; the
 * region is therefore, if anything, slightly too narrow.
 *
 * Nothing here allocates beyond a scratch array per call.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_PAIRED_H
#define SIM_PAIRED_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/stats.h"

/* The interval at `level` of b[r] - a[r] over the replications where both
 * are finite; the pairs used are out->n.  Fewer than two pairs leave the
 * bounds NaN (as sim_stats_ci). */
void sim_paired_diff(const double *a, const double *b, size_t reps, double level,
                     struct sim_ci *out);

/* The mean of y[0..reps) over its finite values; NaN when there are none. */
double sim_paired_mean(const double *y, size_t reps);

/* Among the points i < n with candidate[i] (NULL: all), the index of the
 * best mean, or n when there is no candidate with a finite mean.  Then, for
 * every point: diff[i] = the paired interval of best - i (NaN fields for a
 * non-candidate) and within[i] = whether it is within noise of the best
 * (false for a non-candidate).  diff and within may be NULL. */
size_t sim_paired_best(const double *const *y, size_t n, size_t reps,
                       const bool *candidate, double level, struct sim_ci *diff,
                       bool *within);

#endif
