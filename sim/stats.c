/* SPDX-License-Identifier: MIT */
#include "stats.h"

#include <assert.h>
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

void sim_stats_ci(const double *x, size_t stride, size_t n, double level,
                  struct sim_ci *out)
{
    assert(out != NULL && stride >= 1 && (x != NULL || n == 0));
    assert(level > 0 && level < 1);
    out->n = n;
    out->mean = out->lo = out->hi = out->sd = NAN;
    /* gsl_stats_mean() of nothing is 0, not NaN: a mean of no
     * replications is undefined, so n == 0 keeps every field NaN. */
    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++)
        if (isnan(x[i * stride]))
            return;
    out->mean = gsl_stats_mean(x, stride, n);
    if (n < 2)
        return;
    out->sd = gsl_stats_sd_m(x, stride, n, out->mean);
    double half = sim_stats_t_quantile(level, n) * out->sd / sqrt((double)n);
    out->lo = out->mean - half;
    out->hi = out->mean + half;
}

double sim_stats_t_quantile(double level, size_t n)
{
    assert(level > 0 && level < 1);
    if (n < 2)
        return NAN;
    /* Only P outside (0, 1) makes GSL report an error, and the assert above
     * excludes it. */
    return gsl_cdf_tdist_Pinv(0.5 + level / 2, (double)(n - 1));
}

void sim_tavg_init(struct sim_tavg *a, double t0, double value)
{
    assert(a != NULL);
    a->t0 = t0;
    /* No change yet: a model may start the window at the end of a warm-up
     * and still report changes from time 0, each t >= t_last. */
    a->t_last = -INFINITY;
    a->value = value;
    a->area = 0;
}

double sim_tavg_mean(const struct sim_tavg *a, double t)
{
    assert(a != NULL && t >= a->t_last);
    if (t <= a->t0)
        return NAN;
    double from = a->t_last > a->t0 ? a->t_last : a->t0;
    return (a->area + a->value * (t - from)) / (t - a->t0);
}

void sim_slope_add(struct sim_slope *s, double x, double y)
{
    if (s->n == 0.0)
        s->x0 = x;
    double dx = x - s->x0;
    s->n += 1.0;
    s->sx += dx;
    s->sy += y;
    s->sxx += dx * dx;
    s->sxy += dx * y;
}

double sim_slope_value(const struct sim_slope *s)
{
    double den = s->n * s->sxx - s->sx * s->sx;
    if (s->n < 2.0 || !(den > 0.0))
        return NAN;
    return (s->n * s->sxy - s->sx * s->sy) / den;
}
