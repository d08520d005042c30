/*
 * test_paired.c - paired comparisons over common random numbers
 * (sim/paired.h): the best point and the points within noise of it.
 *
 * The synthetic responses share a large noise term per replication (what
 * common random numbers give): it cancels in the paired differences, so
 * a difference of 7 stands out although every point's own interval is
 * about a hundred wide.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>

#include "sim/paired.h"
#include "sim/stats.h"

#define REPS 8

/* y[i][r] = base[i] + shared[r] + own[i][r]. */
static void fill(double y[][REPS], const double *base, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int r = 0; r < REPS; r++) {
            double shared = 100 * sin(r + 1.0);
            double own = i == 1 ? 0.05 * (r % 2 ? -1 : 1) : 0;
            y[i][r] = base[i] + shared + own;
        }
}

Test(paired, difference_skips_unfinished_replications)
{
    const double a[] = {1, 2, NAN, 4, 5};
    const double b[] = {2, 3, 9, 5, 6.5};
    struct sim_ci d;
    sim_paired_diff(a, b, 5, 0.95, &d);
    cr_assert_eq(d.n, 4);
    cr_assert_float_eq(d.mean, (1 + 1 + 1 + 1.5) / 4.0, 1e-12);
    cr_assert(d.lo < d.mean && d.mean < d.hi);
    cr_assert(isnan(sim_paired_mean((const double[]){NAN, NAN}, 2)));
    cr_assert_float_eq(sim_paired_mean(a, 5), 3.0, 1e-12);
}

Test(paired, within_noise_of_the_best)
{
    /* 1 is the best; 2 is 0.01 below it with noise 0.05 in the pairs;
     * 0 and 3 are 7 and 3 below; 4 is the highest but not a candidate. */
    const double base[] = {3, 10, 9.99, 7, 50};
    double y[5][REPS];
    fill(y, base, 5);
    const double *rows[5] = {y[0], y[1], y[2], y[3], y[4]};
    const bool cand[5] = {true, true, true, true, false};
    struct sim_ci diff[5];
    bool within[5];
    size_t best = sim_paired_best(rows, 5, REPS, cand, 0.95, diff, within);
    cr_assert_eq(best, 1);
    cr_assert(within[1] && within[2]);
    cr_assert(!within[0] && !within[3] && !within[4]);
    cr_assert(isnan(diff[4].mean));
    cr_assert_float_eq(diff[3].mean, 3.0, 1e-9);
    cr_assert_float_eq(diff[2].mean, 0.01, 1e-9);
    cr_assert(diff[2].lo <= 0 && diff[3].lo > 0);
    /* Unpaired, 3's own interval overlaps the best's: only the pairing
     * tells them apart. */
    struct sim_ci own1, own3;
    sim_stats_ci(y[1], 1, REPS, 0.95, &own1);
    sim_stats_ci(y[3], 1, REPS, 0.95, &own3);
    cr_assert(own3.hi > own1.lo, "the shared noise is too small to show the point");
    /* All candidates: 4 wins. */
    cr_assert_eq(sim_paired_best(rows, 5, REPS, NULL, 0.95, NULL, NULL), 4);
    /* No candidate: n. */
    const bool none[5] = {false};
    cr_assert_eq(sim_paired_best(rows, 5, REPS, none, 0.95, diff, within), 5);
    for (int i = 0; i < 5; i++)
        cr_assert(!within[i]);
}
