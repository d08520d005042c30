/* SPDX-License-Identifier: MIT */
/* paired.c - see paired.h. */
#include "sim/paired.h"

#include <math.h>
#include <stdlib.h>

#include "sim/mem.h"

void sim_paired_diff(const double *a, const double *b, size_t reps, double level,
                     struct sim_ci *out)
{
    double *d = sim_reallocarray(NULL, reps ? reps : 1, sizeof *d);
    size_t m = 0;
    for (size_t r = 0; r < reps; r++)
        if (isfinite(a[r]) && isfinite(b[r]))
            d[m++] = b[r] - a[r];
    sim_stats_ci(d, 1, m, level, out);
    free(d);
}

double sim_paired_mean(const double *y, size_t reps)
{
    double sum = 0;
    size_t m = 0;
    for (size_t r = 0; r < reps; r++)
        if (isfinite(y[r])) {
            sum += y[r];
            m++;
        }
    return m ? sum / (double)m : NAN;
}

size_t sim_paired_best(const double *const *y, size_t n, size_t reps,
                       const bool *candidate, double level, struct sim_ci *diff,
                       bool *within)
{
    size_t best = n;
    double top = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (candidate != NULL && !candidate[i])
            continue;
        double m = sim_paired_mean(y[i], reps);
        if (isfinite(m) && (best == n || m > top)) {
            best = i;
            top = m;
        }
    }
    for (size_t i = 0; i < n; i++) {
        bool cand = best < n && (candidate == NULL || candidate[i]);
        struct sim_ci ci = {NAN, NAN, NAN, NAN, 0};
        if (cand)
            sim_paired_diff(y[i], y[best], reps, level, &ci);
        if (diff != NULL)
            diff[i] = ci;
        /* Within noise: the interval reaches 0 (undefined with one
         * replication: nothing can be told apart, so every candidate is). */
        if (within != NULL)
            within[i] = cand && (i == best || !(ci.lo > 0));
    }
    return best;
}
