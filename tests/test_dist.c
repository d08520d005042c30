/*
 * test_dist.c - the distributions of models/dist.c, given by mean and cv.
 *
 * For each distribution and a few (mean, cv) pairs, N draws from a fixed
 * seed must show the mean and the variance the parameters promise, within
 * Z standard errors computed from N and the distribution's own moments
 * (GSL's randist/test.c habit, style-anchors.md 5):
 *
 *   se(sample mean)     = sd / sqrt(N)
 *   se(sample variance) = var * sqrt((kappa + 2) / N), kappa the excess
 *                         kurtosis: 6 for the exponential, 6 cv^2 for the
 *                         gamma, e^{4s} + 2 e^{3s} + 3 e^{2s} - 6 with
 *                         s = ln(1 + cv^2) for the lognormal.
 *
 * A parameter mapping off by a few percent (a lognormal mu without the
 * -sigma^2/2, a gamma scale of mean / shape^2) moves the mean or the
 * variance by many standard errors.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>

#include <gsl/gsl_rng.h>

#include "models/dist.h"

#define N_DRAWS 400000
#define Z 4.0

static double excess_kurtosis(const struct dist_type *t, double cv)
{
    if (t == &dist_exponential)
        return 6.0;
    if (t == &dist_gamma)
        return 6.0 * cv * cv;
    double s = log1p(cv * cv);
    return exp(4 * s) + 2 * exp(3 * s) + 3 * exp(2 * s) - 6.0;
}

static void check_moments(const struct dist_type *t, double mean, double cv,
                          unsigned long seed)
{
    struct dist d;
    dist_set(&d, t, mean, cv);
    cv = d.cv;      /* a fixed-cv type has its own */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    /* Welford's running mean and sum of squares. */
    double m = 0.0, s2 = 0.0, smallest = INFINITY;
    for (long i = 0; i < N_DRAWS; i++) {
        double x = dist_sample(&d, r);
        smallest = x < smallest ? x : smallest;
        double delta = x - m;
        m += delta / (double)(i + 1);
        s2 += delta * (x - m);
    }
    gsl_rng_free(r);
    double var = s2 / (N_DRAWS - 1);
    double sd = mean * cv, want_var = sd * sd;
    double se_mean = sd / sqrt(N_DRAWS);
    double se_var = want_var * sqrt((excess_kurtosis(t, cv) + 2.0) / N_DRAWS);
    double z_mean = (m - mean) / se_mean, z_var = (var - want_var) / se_var;
    fprintf(stderr, "dist: %-11s mean %-6g cv %-4g: sample mean %.5g (z %+.2f)  "
            "cv %.5f (variance z %+.2f)\n", t->name, mean, cv, m, z_mean,
            sqrt(var) / m, z_var);
    cr_expect(smallest > 0.0, "%s: a draw of %g", t->name, smallest);
    cr_expect(fabs(z_mean) <= Z, "%s(mean %g, cv %g): sample mean %g is %.1f standard "
              "errors off", t->name, mean, cv, m, z_mean);
    cr_expect(fabs(z_var) <= Z, "%s(mean %g, cv %g): sample variance %g, want %g: %.1f "
              "standard errors off", t->name, mean, cv, var, want_var, z_var);
}

Test(dist, by_name)
{
    cr_expect_eq(dist_find("exponential"), &dist_exponential);
    cr_expect_eq(dist_find("lognormal"), &dist_lognormal);
    cr_expect_eq(dist_find("gamma"), &dist_gamma);
    cr_expect_eq(dist_find("fixed"), &dist_fixed);
    cr_expect_null(dist_find("normal"));
}

/* The exponential's cv is 1 whatever is passed, and its draws show it. */
Test(dist, exponential)
{
    struct dist d;
    dist_set(&d, &dist_exponential, 2.0, 0.3);
    cr_expect_eq(d.cv, 1.0);
    check_moments(&dist_exponential, 0.5, 1.0, 1);
    check_moments(&dist_exponential, 336.0, 1.0, 2);
}

Test(dist, lognormal)
{
    check_moments(&dist_lognormal, 0.35, 0.6, 3);
    check_moments(&dist_lognormal, 6000.0, 0.8, 4);
    check_moments(&dist_lognormal, 1.0, 0.2, 5);
}

Test(dist, gamma)
{
    check_moments(&dist_gamma, 0.5, 0.6, 6);
    check_moments(&dist_gamma, 10.0, 2.0, 7);   /* shape 1/4: skewed */
    check_moments(&dist_gamma, 3.0, 0.1, 8);
}

/* fixed is constant: every draw is the mean, and its cv is 0. */
Test(dist, fixed_is_constant)
{
    struct dist d;
    dist_set(&d, &dist_fixed, 336.0, 0.7);
    cr_expect_eq(d.cv, 0.0);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(dist_sample(&d, r), 336.0);
    gsl_rng_free(r);
}
