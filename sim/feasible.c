/* SPDX-License-Identifier: MIT */
/* feasible.c - see feasible.h. */
#include "sim/feasible.h"

size_t sim_feasible_intervals(const double *x, const double *mean, size_t n,
                              double target, struct sim_feasible_interval *out,
                              size_t max)
{
    size_t count = 0;
    for (size_t i = 0; i < n;) {
        if (!sim_feasible_holds(mean[i], target)) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < n && sim_feasible_holds(mean[j + 1], target))
            j++;
        if (count < max)
            out[count] = (struct sim_feasible_interval){x[i], x[j], i, j};
        count++;
        i = j + 1;
    }
    return count;
}

size_t sim_feasible_extreme(const double *mean, size_t n, double target, bool largest)
{
    if (largest) {
        for (size_t i = n; i-- > 0;)
            if (sim_feasible_holds(mean[i], target))
                return i;
    } else {
        for (size_t i = 0; i < n; i++)
            if (sim_feasible_holds(mean[i], target))
                return i;
    }
    return n;
}
