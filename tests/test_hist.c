/*
 * test_hist.c - log-binned quantiles against the exact sample quantiles.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "sim/hist.h"

/* A bin is 1/64 of its lower edge wide: the interpolated quantile is within
 * one bin width of the sample quantile, plus the sample's own gaps. */
#define REL (1.0 / SIM_HIST_SUB)

static void check_against_sorted(double *x, size_t n, const char *what)
{
    static struct sim_hist h;
    sim_hist_init(&h);
    for (size_t i = 0; i < n; i++)
        sim_hist_add(&h, x[i]);
    gsl_sort(x, 1, n);
    static const double qs[] = {0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0};
    for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
        double exact = gsl_stats_quantile_from_sorted_data(x, 1, n, qs[k]);
        double got = sim_hist_quantile(&h, qs[k]);
        cr_expect(fabs(got - exact) <= REL * exact + 1e-12,
                  "%s: q=%.2f: %.6g, exact %.6g", what, qs[k], got, exact);
    }
}

Test(hist, quantiles_of_several_laws)
{
    enum { N = 200000 };
    double *x = malloc(N * sizeof *x);
    cr_assert_not_null(x);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 42);

    for (size_t i = 0; i < N; i++)
        x[i] = gsl_ran_exponential(r, 3.0);
    check_against_sorted(x, N, "exponential");

    for (size_t i = 0; i < N; i++)
        x[i] = gsl_ran_lognormal(r, 1.0, 2.0);      /* spans many powers of 2 */
    check_against_sorted(x, N, "lognormal");

    /* Most leads contacted at once: the zeros decide the low quantiles. */
    for (size_t i = 0; i < N; i++)
        x[i] = gsl_rng_uniform(r) < 0.6 ? 0.0 : gsl_ran_exponential(r, 0.5);
    check_against_sorted(x, N, "zeros");

    gsl_rng_free(r);
    free(x);
}

Test(hist, empty_and_extremes)
{
    static struct sim_hist h;
    sim_hist_init(&h);
    cr_expect(isnan(sim_hist_quantile(&h, 0.5)));
    sim_hist_add(&h, 0.0);
    cr_expect_eq(sim_hist_quantile(&h, 0.5), 0.0);
    /* Out-of-range values land in the end bins, never out of the array. */
    sim_hist_add(&h, 1e-300);
    sim_hist_add(&h, 1e300);
    cr_expect_eq(h.n, 3u);
    cr_expect_eq(h.bin[0] + h.bin[SIM_HIST_BINS - 1], 2u);
    cr_expect(sim_hist_quantile(&h, 1.0) >= ldexp(1.0, SIM_HIST_EXP_MAX - 1));
}

Test(hist, a_single_value_is_found_in_its_bin)
{
    static struct sim_hist h;
    for (double v = 1e-3; v < 1e5; v *= 1.37) {
        sim_hist_init(&h);
        sim_hist_add(&h, v);
        double q = sim_hist_quantile(&h, 0.5);
        cr_expect(fabs(q - v) <= REL * v, "%.6g read back as %.6g", v, q);
    }
}
