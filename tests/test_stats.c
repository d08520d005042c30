/*
 * test_stats.c - confidence intervals across replications and time
 * averages within one.
 *
 * The interval is checked against an independent computation (textbook
 * mean and sd, GSL's t quantile) and by its defining property: over many
 * normal samples it covers the true mean in `level` of the cases, within
 * binomial error.  The time average is checked against step functions
 * integrated segment by segment in the test.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/stats.h"

static gsl_rng *seeded(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    cr_assert_not_null(r);
    gsl_rng_set(r, seed);
    return r;
}

static bool close_rel(double a, double b, double rel)
{
    return fabs(a - b) <= rel * fmax(fabs(a), fabs(b)) + 1e-300;
}

/* Values at stride 3; the slots in between hold NaN, so reading them
 * would turn every field NaN. */
Test(stats, ci_matches_textbook_formula)
{
    gsl_rng *r = seeded(11);
    const size_t sizes[] = { 2, 3, 10, 57 };
    const double levels[] = { 0.8, 0.95, 0.99 };
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s];
        double x[3 * 57];
        for (size_t i = 0; i < 3 * n; i++)
            x[i] = i % 3 == 0 ? 100 + 15 * gsl_ran_ugaussian(r) : NAN;

        double sum = 0, ss = 0;
        for (size_t i = 0; i < n; i++)
            sum += x[3 * i];
        double mean = sum / (double)n;
        for (size_t i = 0; i < n; i++)
            ss += (x[3 * i] - mean) * (x[3 * i] - mean);
        double sd = sqrt(ss / (double)(n - 1));

        for (size_t l = 0; l < sizeof levels / sizeof *levels; l++) {
            double level = levels[l];
            double q = gsl_cdf_tdist_Pinv(1 - (1 - level) / 2, (double)(n - 1));
            double half = q * sd / sqrt((double)n);
            struct sim_ci ci;
            sim_stats_ci(x, 3, n, level, &ci);
            cr_assert_eq(ci.n, n);
            cr_assert(close_rel(ci.mean, mean, 1e-12), "n=%zu mean %.17g vs "
                      "%.17g", n, ci.mean, mean);
            cr_assert(close_rel(ci.sd, sd, 1e-10), "n=%zu sd %.17g vs %.17g",
                      n, ci.sd, sd);
            cr_assert(close_rel(ci.hi - ci.mean, half, 1e-9));
            cr_assert(close_rel(ci.mean - ci.lo, half, 1e-9));
            cr_assert(close_rel(sim_stats_t_quantile(level, n), q, 1e-12));
        }
    }
    gsl_rng_free(r);
}

/* The t quantile inverts the t distribution, exceeds the normal quantile
 * and falls towards it as n grows. */
Test(stats, t_quantile_properties)
{
    const double levels[] = { 0.5, 0.9, 0.95, 0.99 };
    for (size_t l = 0; l < sizeof levels / sizeof *levels; l++) {
        double level = levels[l];
        double z = gsl_cdf_ugaussian_Pinv(0.5 + level / 2);
        double prev = INFINITY;
        for (size_t n = 2; n < 2000; n = n * 3 / 2 + 1) {
            double q = sim_stats_t_quantile(level, n);
            double p = gsl_cdf_tdist_P(q, (double)(n - 1));
            cr_assert(fabs(p - (0.5 + level / 2)) < 1e-9, "level %g n %zu",
                      level, n);
            cr_assert_gt(q, z);
            cr_assert_lt(q, prev);
            prev = q;
        }
        cr_assert_lt(prev - z, 0.01 * z, "n large: close to normal");
    }
    cr_assert(isnan(sim_stats_t_quantile(0.95, 1)));
    cr_assert(isnan(sim_stats_t_quantile(0.95, 0)));
}

/* Coverage: 4000 samples of 8 normals; the interval covers the true mean
 * with probability `level`, so the count is binomial(4000, level); allow
 * 4.5 of its standard deviations. */
Test(stats, ci_coverage)
{
    gsl_rng *r = seeded(2024);
    const double levels[] = { 0.8, 0.95 };
    const int trials = 4000;
    const size_t n = 8;
    const double mu = 3, sigma = 2;
    for (size_t l = 0; l < 2; l++) {
        double level = levels[l];
        int covered = 0;
        for (int k = 0; k < trials; k++) {
            double x[8];
            for (size_t i = 0; i < n; i++)
                x[i] = mu + gsl_ran_gaussian(r, sigma);
            struct sim_ci ci;
            sim_stats_ci(x, 1, n, level, &ci);
            covered += ci.lo <= mu && mu <= ci.hi;
        }
        double share = (double)covered / trials;
        double sd = sqrt(level * (1 - level) / trials);
        cr_assert_lt(fabs(share - level), 4.5 * sd, "level %g: covered %g",
                     level, share);
    }
    gsl_rng_free(r);
}

Test(stats, undefined_cases)
{
    struct sim_ci ci;
    double one = 4.25;
    sim_stats_ci(&one, 1, 1, 0.95, &ci);
    cr_assert_eq(ci.mean, one, "one value: the mean is that value");
    cr_assert(isnan(ci.lo) && isnan(ci.hi) && isnan(ci.sd));
    cr_assert_eq(ci.n, 1);

    sim_stats_ci(NULL, 1, 0, 0.95, &ci);
    cr_assert(isnan(ci.mean) && isnan(ci.lo) && isnan(ci.hi) && isnan(ci.sd));
    cr_assert_eq(ci.n, 0);

    /* A NaN anywhere, first, middle or last, spoils every field. */
    for (int where = 0; where < 5; where += 2) {
        double x[5] = { 1, 2, 3, 4, 5 };
        x[where] = NAN;
        sim_stats_ci(x, 1, 5, 0.95, &ci);
        cr_assert(isnan(ci.mean) && isnan(ci.lo) && isnan(ci.hi) &&
                  isnan(ci.sd), "NaN at %d", where);
    }

    /* Identical values: a zero-width interval at that value. */
    double same[4] = { 7, 7, 7, 7 };
    sim_stats_ci(same, 1, 4, 0.95, &ci);
    cr_assert_eq(ci.mean, 7.0);
    cr_assert_eq(ci.sd, 0.0);
    cr_assert_eq(ci.lo, 7.0);
    cr_assert_eq(ci.hi, 7.0);
}

/* The integral over [t0, t] of a step function given as change times and
 * values (value v[i] from c[i] on), the value before c[0] being v0. */
static double step_average(double t0, double v0, const double *c,
                           const double *v, size_t k, double t)
{
    double area = 0;
    for (size_t i = 0; i <= k; i++) {
        double from = i == 0 ? -INFINITY : c[i - 1];
        double to = i == k ? t : c[i];
        double val = i == 0 ? v0 : v[i - 1];
        from = fmax(from, t0);
        to = fmin(to, t);
        if (to > from)
            area += val * (to - from);
    }
    return area / (t - t0);
}

Test(stats, tavg_hand_built_step_function)
{
    /* 2 on [0, 1), 5 on [1, 4), 0 on [4, 6), 3 from 6 on. */
    const double c[] = { 1, 4, 6 }, v[] = { 5, 0, 3 };
    struct sim_tavg a;
    sim_tavg_init(&a, 0, 2);
    for (size_t i = 0; i < 3; i++)
        sim_tavg_set(&a, c[i], v[i]);
    double expect = (2 * (1 - 0) + 5 * (4 - 1) + 0 * (6 - 4) + 3 * (10 - 6))
                    / (10.0 - 0);
    cr_assert(close_rel(sim_tavg_mean(&a, 10), expect, 1e-15));
    cr_assert(close_rel(sim_tavg_mean(&a, 10),
                        step_average(0, 2, c, v, 3, 10), 1e-15));
    cr_assert(close_rel(sim_tavg_mean(&a, 6), (2 + 15 + 0) / 6.0, 1e-15));
    struct sim_tavg empty;
    sim_tavg_init(&empty, 5, 2);
    cr_assert(isnan(sim_tavg_mean(&empty, 5)), "an empty window has no mean");
    cr_assert(isnan(sim_tavg_mean(&empty, 4)));
    cr_assert_eq(sim_tavg_mean(&empty, 8), 2.0);
}

/* A warm-up window: changes before t0 only set the value; the average
 * covers [t0, t] only. */
Test(stats, tavg_ignores_changes_before_t0)
{
    struct sim_tavg a;
    sim_tavg_init(&a, 10, 100);
    sim_tavg_set(&a, 2, 7);     /* before t0: only the value */
    sim_tavg_set(&a, 9, 4);
    cr_assert(close_rel(sim_tavg_mean(&a, 12), 4.0, 1e-15));
    sim_tavg_set(&a, 14, 1);
    const double c[] = { 2, 9, 14 }, v[] = { 7, 4, 1 };
    double expect = step_average(10, 100, c, v, 3, 20);
    cr_assert(close_rel(expect, (4 * 4 + 1 * 6) / 10.0, 1e-15));
    cr_assert(close_rel(sim_tavg_mean(&a, 20), expect, 1e-15));
}

/* Random step functions, including several changes at one time. */
Test(stats, tavg_random_step_functions)
{
    gsl_rng *r = seeded(8);
    for (int trial = 0; trial < 200; trial++) {
        enum { K = 60 };
        double c[K], v[K];
        double t0 = 50 * gsl_rng_uniform(r), v0 = 10 * gsl_rng_uniform(r);
        struct sim_tavg a;
        sim_tavg_init(&a, t0, v0);
        double t = 0;
        for (size_t i = 0; i < K; i++) {
            if (gsl_rng_uniform(r) < 0.8)
                t += 3 * gsl_rng_uniform(r);
            c[i] = t;
            v[i] = (double)gsl_rng_uniform_int(r, 20);
            sim_tavg_set(&a, c[i], v[i]);
        }
        double end = t + 1 + gsl_rng_uniform(r);
        if (end <= t0)
            end = t0 + 1;
        double expect = step_average(t0, v0, c, v, K, end);
        cr_assert(close_rel(sim_tavg_mean(&a, end), expect, 1e-12),
                  "trial %d: %.17g vs %.17g", trial, sim_tavg_mean(&a, end),
                  expect);
    }
    gsl_rng_free(r);
}

/* The least-squares slope: exact on a line far from 0 (the sums are taken
 * about the first x), the textbook value on scattered points, NaN with
 * fewer than two distinct x. */
Test(stats, slope)
{
    struct sim_slope s = {0};
    cr_expect(isnan(sim_slope_value(&s)));
    for (int d = 0; d < 100; d++)
        sim_slope_add(&s, 1e6 + d, 3.0 - 0.25 * (1e6 + d));
    cr_expect_float_eq(sim_slope_value(&s), -0.25, 1e-9);

    /* y = 1, 3, 2, 5 at x = 0..3: slope = Sxy / Sxx = 5.5 / 5. */
    struct sim_slope t = {0};
    static const double y[] = {1, 3, 2, 5};
    for (int i = 0; i < 4; i++)
        sim_slope_add(&t, i, y[i]);
    cr_expect_float_eq(sim_slope_value(&t), 1.1, 1e-12);

    struct sim_slope u = {0};
    sim_slope_add(&u, 2.0, 1.0);
    sim_slope_add(&u, 2.0, 5.0);
    cr_expect(isnan(sim_slope_value(&u)));
}
