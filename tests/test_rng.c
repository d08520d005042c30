/*
 * test_rng.c - random streams: reproducible per (seed, rep, stream),
 * different across any component, sane uniform moments, and uncorrelated
 * neighbouring streams.  Statistical bounds are computed, not pasted: a
 * check fails when a statistic is more than Z standard errors away.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>

#include "sim/rng.h"

/* 4.5 sigma: a correct generator fails one check in ~150,000. */
#define Z 4.5
#define DRAWS 100000

static gsl_rng *stream(uint64_t seed, uint64_t rep, uint64_t k)
{
    gsl_rng *r = sim_rng_alloc(seed, rep, k);
    cr_assert_not_null(r);
    return r;
}

/* How many of the first n raw outputs of two generators coincide. */
static size_t common_draws(gsl_rng *a, gsl_rng *b, size_t n)
{
    size_t same = 0;
    for (size_t i = 0; i < n; i++)
        same += gsl_rng_get(a) == gsl_rng_get(b);
    return same;
}

/* sim_rng_exponential() splits one draw into 8 layer bits and 24 value
 * bits: the generator must deliver full 32-bit words. */
Test(rng, type_gives_32_bit_words)
{
    gsl_rng *r = stream(1, 0, 0);
    cr_assert_eq(gsl_rng_min(r), 0ul);
    cr_assert_eq(gsl_rng_max(r), 0xfffffffful);
    cr_assert_str_eq(gsl_rng_name(r), (*sim_rng_type)->name);
    gsl_rng_free(r);
}

Test(rng, same_triple_same_sequence)
{
    gsl_rng *a = stream(2024, 3, 5), *b = stream(2024, 3, 5);
    cr_assert_eq(common_draws(a, b, 10000), 10000);
    /* Reseeding a used generator restarts the same sequence. */
    gsl_rng *c = stream(1, 1, 1);
    for (int i = 0; i < 77; i++)
        gsl_rng_get(c);
    sim_rng_seed(c, 2024, 3, 5);
    sim_rng_seed(a, 2024, 3, 5);
    cr_assert_eq(common_draws(a, c, 10000), 10000);
    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_rng_free(c);
}

/* Changing any one component gives another sequence: two independent
 * 32-bit outputs coincide with probability 2^-32, so among 1000 draws
 * even one match would be suspicious. */
Test(rng, any_component_changes_the_sequence)
{
    const uint64_t base[3] = { 7, 4, 2 };
    for (int which = 0; which < 3; which++) {
        for (int delta = -1; delta <= 1; delta += 2) {
            uint64_t t[3];
            memcpy(t, base, sizeof t);
            t[which] = (uint64_t)((int64_t)t[which] + delta);
            gsl_rng *a = stream(base[0], base[1], base[2]);
            gsl_rng *b = stream(t[0], t[1], t[2]);
            cr_assert_leq(common_draws(a, b, 1000), 1,
                          "component %d changed by %d", which, delta);
            gsl_rng_free(a);
            gsl_rng_free(b);
        }
    }
    /* Swapping components must not give the same stream either. */
    cr_assert_neq(sim_rng_mix(1, 2, 3), sim_rng_mix(1, 3, 2));
    cr_assert_neq(sim_rng_mix(1, 2, 3), sim_rng_mix(2, 1, 3));
    cr_assert_neq(sim_rng_mix(0, 0, 1), sim_rng_mix(0, 1, 0));
}

static unsigned popcount64(uint64_t x)
{
    unsigned n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

/* Avalanche: neighbouring triples' mixes differ in half of their 64 bits
 * on average (binomial(64, 1/2): mean 32, sd 4); the 32-bit seeds they
 * fold to are all distinct over a grid of neighbouring triples. */
Test(rng, neighbouring_triples_are_unrelated)
{
    double sum = 0;
    size_t pairs = 0;
    for (uint64_t s = 0; s < 10; s++)
        for (uint64_t r = 0; r < 10; r++)
            for (uint64_t k = 0; k < 10; k++) {
                uint64_t m = sim_rng_mix(s, r, k);
                sum += popcount64(m ^ sim_rng_mix(s, r, k + 1));
                sum += popcount64(m ^ sim_rng_mix(s, r + 1, k));
                sum += popcount64(m ^ sim_rng_mix(s + 1, r, k));
                pairs += 3;
            }
    double mean = sum / (double)pairs;
    double se = 4 / sqrt((double)pairs);
    cr_assert_lt(fabs(mean - 32), Z * se, "mean flipped bits %g", mean);

    /* First outputs of 1000 neighbouring streams: a collision among 1000
     * 32-bit values has probability ~1e-4, a seeding flaw makes many. */
    enum { N = 1000 };
    static unsigned long first[N];
    size_t n = 0;
    for (uint64_t r = 0; r < 10; r++)
        for (uint64_t k = 0; k < 100; k++) {
            gsl_rng *g = stream(1, r, k);
            first[n++] = gsl_rng_get(g);
            gsl_rng_free(g);
        }
    size_t dup = 0;
    for (size_t i = 0; i < N; i++)
        for (size_t j = i + 1; j < N; j++)
            dup += first[i] == first[j];
    cr_assert_leq(dup, 1);
}

/* Mean and variance of 10^5 uniforms in each of several streams, against
 * 1/2 and 1/12 with their standard errors (var of U is 1/12; var of
 * (U - 1/2)^2 is 1/80 - 1/144 = 1/180). */
Test(rng, uniform_moments)
{
    for (uint64_t k = 0; k < 8; k++) {
        gsl_rng *r = stream(42, k / 2, k % 2);
        double s1 = 0, s2 = 0;
        for (int i = 0; i < DRAWS; i++) {
            double u = gsl_rng_uniform(r);
            cr_assert(u >= 0 && u < 1);
            s1 += u;
            s2 += (u - 0.5) * (u - 0.5);
        }
        double mean = s1 / DRAWS, var = s2 / DRAWS;
        double se_mean = sqrt(1.0 / 12 / DRAWS);
        double se_var = sqrt(1.0 / 180 / DRAWS);
        cr_assert_lt(fabs(mean - 0.5), Z * se_mean, "stream %llu mean %g",
                     (unsigned long long)k, mean);
        cr_assert_lt(fabs(var - 1.0 / 12), Z * se_var, "stream %llu var %g",
                     (unsigned long long)k, var);
        gsl_rng_free(r);
    }
}

/* Sample correlation of draw i of stream k with draw i of its neighbour;
 * for independent streams it is ~N(0, 1/n). */
static double correlation(gsl_rng *a, gsl_rng *b, int n)
{
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    for (int i = 0; i < n; i++) {
        double x = gsl_rng_uniform(a), y = gsl_rng_uniform(b);
        sa += x;
        sb += y;
        saa += x * x;
        sbb += y * y;
        sab += x * y;
    }
    double cov = sab / n - (sa / n) * (sb / n);
    double va = saa / n - (sa / n) * (sa / n);
    double vb = sbb / n - (sb / n) * (sb / n);
    return cov / sqrt(va * vb);
}

Test(rng, neighbouring_streams_uncorrelated)
{
    const double bound = Z / sqrt((double)DRAWS);
    for (uint64_t k = 0; k < 4; k++) {
        gsl_rng *a = stream(5, 0, k), *b = stream(5, 0, k + 1);
        double c = correlation(a, b, DRAWS);
        cr_assert_lt(fabs(c), bound, "streams %llu, %llu: r = %g",
                     (unsigned long long)k, (unsigned long long)k + 1, c);
        gsl_rng_free(a);
        gsl_rng_free(b);
    }
    for (uint64_t rep = 0; rep < 4; rep++) {
        gsl_rng *a = stream(5, rep, 0), *b = stream(5, rep + 1, 0);
        double c = correlation(a, b, DRAWS);
        cr_assert_lt(fabs(c), bound, "reps %llu, %llu: r = %g",
                     (unsigned long long)rep, (unsigned long long)rep + 1, c);
        gsl_rng_free(a);
        gsl_rng_free(b);
    }
}

/* The ziggurat against the exponential law: equiprobable bins (a chi-square
 * test whose p-value a correct sampler passes with a fixed seed, and a
 * broken layer, wedge or tail fails by orders of magnitude), the tail past
 * the last layer, and the mean's scaling. */
Test(rng, ziggurat_exponential_law)
{
    enum { N = 1000000, BINS = 200 };
    static long count[BINS];
    gsl_rng *r = stream(77, 0, 0);
    double sum = 0.0;
    long tail = 0;
    const double tail_start = 7.69711747013104972;
    for (int i = 0; i < N; i++) {
        double x = sim_rng_exponential(r, 1.0);
        cr_assert(x >= 0.0 && isfinite(x));
        sum += x;
        tail += x > tail_start;
        int b = (int)(BINS * -expm1(-x));
        count[b < BINS ? b : BINS - 1]++;
    }
    double chi2 = 0.0, expect = (double)N / BINS;
    for (int b = 0; b < BINS; b++)
        chi2 += (count[b] - expect) * (count[b] - expect) / expect;
    double p = gsl_cdf_chisq_Q(chi2, BINS - 1);
    cr_log_info("ziggurat: chi2 %.1f on %d df, p = %.3f", chi2, BINS - 1, p);
    cr_expect_gt(p, 1e-4);
    cr_expect_leq(fabs(sum / N - 1.0), 4.5 / sqrt((double)N));
    double p_tail = exp(-tail_start);
    cr_expect_leq(fabs(tail - N * p_tail), 4.5 * sqrt(N * p_tail * (1.0 - p_tail)));
    /* The mean scales the variate exactly. */
    gsl_rng *a = stream(5, 1, 2), *b = stream(5, 1, 2);
    for (int i = 0; i < 1000; i++)
        cr_assert_float_eq(sim_rng_exponential(a, 2.5), 2.5 * sim_rng_exponential(b, 1.0), 1e-12);
    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_rng_free(r);
}
