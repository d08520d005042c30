/*
 * shapley.h - Shapley values of a game given by all its combinations.
 *
 * k players, each on or off: combination `mask` has player i on when bit i
 * is set, and v(mask) is what it is worth.  Player i's Shapley value is
 * its marginal worth v(S + i) - v(S) averaged over all k! orders in which
 * the players can join, which is the sum over the subsets S without i of
 * |S|! (k - |S| - 1)! / k! times that marginal worth.  The values add up
 * to v(all) - v(none) (efficiency), a player that never changes the worth
 * gets 0, and two players that can stand in for each other get the same.
 *
 * The game may be played several times (replications): the values are
 * computed for each replication separately, so that a t-interval over
 * replications can be put on them.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_SHAPLEY_H
#define SIM_SHAPLEY_H

#include <stddef.h>

/* The most players: 2^SIM_SHAPLEY_MAX combinations are run. */
#define SIM_SHAPLEY_MAX 16

/* The weight |S|! (k - |S| - 1)! / k! of a subset of s players (s < k). */
double sim_shapley_weight(size_t k, size_t s);

/* For k <= SIM_SHAPLEY_MAX players and `reps` replications, where the worth
 * of combination `mask` in replication r is v[(mask * reps + r) * stride],
 * fills phi[i * reps + r] with player i's Shapley value in replication r. */
void sim_shapley(size_t k, size_t reps, const double *v, size_t stride, double *phi);

#endif
