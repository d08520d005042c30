/*
 * stats.h - statistics across replications and within one.
 *
 * Across replications: each replication yields one value of a metric; the
 * mean and its Student-t confidence interval (GSL's t quantile) summarise
 * them.  Replications are independent, so the interval is exact for normal
 * values and asymptotically right otherwise.  With one replication (or
 * when a metric is undefined in any replication: NaN) the interval is
 * undefined and reported as NaN bounds; callers print those as null.
 *
 * Within a replication: struct sim_tavg accumulates the time average of a
 * piecewise-constant quantity (a queue length) in O(1) per change.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_STATS_H
#define SIM_STATS_H

#include <stddef.h>

struct sim_ci {
    double mean;
    double lo, hi;          /* NaN when undefined */
    double sd;              /* sample standard deviation, NaN when n < 2 */
    size_t n;
};

/* Summarises x[0], x[stride], ..., x[(n-1)*stride] at confidence `level`
 * (0.95 for a 95% interval).  NaN values make every field NaN. */
void sim_stats_ci(const double *x, size_t stride, size_t n, double level,
                  struct sim_ci *out);

/* The two-sided Student-t quantile for `level` and n - 1 degrees of
 * freedom: the half-width is this times sd / sqrt(n). */
double sim_stats_t_quantile(double level, size_t n);

/* Time average of a piecewise-constant value over [t0, t]. */
struct sim_tavg {
    double t0;              /* start of the averaging window */
    double t_last;          /* time of the last change */
    double value;           /* current value */
    double area;            /* integral of value over [t0, t_last] */
};

void sim_tavg_init(struct sim_tavg *a, double t0, double value);

/* The value becomes `value` at time t >= t_last.  Changes before t0 only
 * set the value. */
static inline void sim_tavg_set(struct sim_tavg *a, double t, double value)
{
    if (t > a->t0) {
        double from = a->t_last > a->t0 ? a->t_last : a->t0;
        a->area += a->value * (t - from);
    }
    a->t_last = t;
    a->value = value;
}

/* The average over [t0, t]; NaN when t <= t0. */
double sim_tavg_mean(const struct sim_tavg *a, double t);

/* The least-squares slope of y on x over the points added, in O(1) memory:
 * sums about the first x, so that large x stay well conditioned. */
struct sim_slope {
    double x0;              /* the first x */
    double n, sx, sy, sxx, sxy;
};

void sim_slope_add(struct sim_slope *s, double x, double y);

/* The slope; NaN with fewer than two distinct x. */
double sim_slope_value(const struct sim_slope *s);

#endif
