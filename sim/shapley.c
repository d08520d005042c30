/*
 * shapley.c - Shapley values from the worths of all combinations.
 *
 * SPDX-License-Identifier: MIT
 */
#include "sim/shapley.h"

#include <assert.h>

/* s! (k - s - 1)! / k! = 1 / (k C(k - 1, s)), and 1 / C(k - 1, s) is the
 * product of j / (k - j) for j = 1..s. */
double sim_shapley_weight(size_t k, size_t s)
{
    assert(s < k);
    double w = 1.0 / (double)k;
    for (size_t j = 1; j <= s; j++)
        w *= (double)j / (double)(k - j);
    return w;
}

static size_t bits(size_t mask)
{
    size_t n = 0;
    for (; mask != 0; mask &= mask - 1)
        n++;
    return n;
}

void sim_shapley(size_t k, size_t reps, const double *v, size_t stride, double *phi)
{
    assert(k <= SIM_SHAPLEY_MAX);
    double weight[SIM_SHAPLEY_MAX];
    for (size_t s = 0; s < k; s++)
        weight[s] = sim_shapley_weight(k, s);
    size_t n = (size_t)1 << k;
    for (size_t i = 0; i < k; i++) {
        size_t bit = (size_t)1 << i;
        for (size_t r = 0; r < reps; r++) {
            double sum = 0.0;
            for (size_t mask = 0; mask < n; mask++)
                if (!(mask & bit))
                    sum += weight[bits(mask)] *
                           (v[((mask | bit) * reps + r) * stride] - v[(mask * reps + r) * stride]);
            phi[i * reps + r] = sum;
        }
    }
}
