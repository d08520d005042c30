/*
 * test_feasible.c - the feasible set of a scan (sim/feasible.h): runs of
 * values holding a target, wherever they lie.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>

#include "sim/feasible.h"

Test(feasible, runs_anywhere_in_the_scan)
{
    /* A W: two runs under 0.1, neither touching an end. */
    static const double x[] = {1, 2, 3, 4, 5, 6, 7, 8};
    static const double m[] = {0.3, 0.09, 0.1, 0.2, 0.05, 0.04, NAN, 0.5};
    struct sim_feasible_interval iv[4];
    size_t n = sim_feasible_intervals(x, m, 8, 0.1, iv, 4);
    cr_assert_eq(n, 2);
    cr_assert(iv[0].from == 2 && iv[0].to == 3 && iv[0].first == 1 && iv[0].last == 2);
    cr_assert(iv[1].from == 5 && iv[1].to == 6);
    cr_assert_eq(sim_feasible_extreme(m, 8, 0.1, true), 5);
    cr_assert_eq(sim_feasible_extreme(m, 8, 0.1, false), 1);
    /* Counted beyond the room given. */
    cr_assert_eq(sim_feasible_intervals(x, m, 8, 0.1, iv, 1), 2);
    cr_assert_eq(sim_feasible_intervals(x, m, 8, 0.1, NULL, 0), 2);
    /* None holds: n. */
    cr_assert_eq(sim_feasible_extreme(m, 8, 0.01, true), 8);
    cr_assert_eq(sim_feasible_intervals(x, m, 8, 0.01, iv, 4), 0);
}
