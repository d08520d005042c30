/* SPDX-License-Identifier: MIT */
#include "hist.h"

#include <assert.h>
#include <math.h>
#include <string.h>

void sim_hist_init(struct sim_hist *h)
{
    memset(h, 0, sizeof *h);
}

/* Bin b covers [lower(b), lower(b + 1)). */
static double lower(unsigned b)
{
    int e = SIM_HIST_EXP_MIN + (int)(b / SIM_HIST_SUB);
    return ldexp(1.0 + (double)(b % SIM_HIST_SUB) / SIM_HIST_SUB, e);
}

void sim_hist_add(struct sim_hist *h, double x)
{
    assert(x >= 0.0);
    h->n++;
    if (x == 0.0) {
        h->zeros++;
        return;
    }
    /* x = 1.m * 2^e: e from the exponent field, the sub-bin from the top
     * six bits of the mantissa. */
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int e = (int)((bits >> 52) & 0x7ff) - 1023;
    unsigned sub = (unsigned)(bits >> (52 - 6)) & (SIM_HIST_SUB - 1);
    long b;
    if (e < SIM_HIST_EXP_MIN)
        b = 0;
    else if (e >= SIM_HIST_EXP_MAX)
        b = SIM_HIST_BINS - 1;
    else
        b = (long)(e - SIM_HIST_EXP_MIN) * SIM_HIST_SUB + sub;
    h->bin[b]++;
}

double sim_hist_quantile(const struct sim_hist *h, double q)
{
    assert(q >= 0.0 && q <= 1.0);
    if (h->n == 0)
        return NAN;
    /* The rank of the quantile among n values, counted from 0, as in
     * gsl_stats_quantile_from_sorted_data: (n - 1) q. */
    double rank = (double)(h->n - 1) * q;
    if (rank < (double)h->zeros)
        return 0.0;
    double below = (double)h->zeros;
    for (unsigned b = 0; b < SIM_HIST_BINS; b++) {
        double c = (double)h->bin[b];
        if (c > 0.0 && rank < below + c) {
            /* Spread the bin's values evenly over its width. */
            double frac = (rank - below + 0.5) / c;
            double lo = lower(b), hi = lower(b + 1);
            return lo + frac * (hi - lo);
        }
        below += c;
    }
    return lower(SIM_HIST_BINS);
}
