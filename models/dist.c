/* SPDX-License-Identifier: MIT */
#include "dist.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "sim/rng.h"

static void prepare_none(struct dist *d)
{
    d->a = d->mean;
    d->b = 0.0;
}

static double sample_exponential(const struct dist *d, const gsl_rng *r)
{
    return sim_rng_exponential(r, d->a);
}

static void prepare_lognormal(struct dist *d)
{
    double s2 = log1p(d->cv * d->cv);
    d->a = log(d->mean) - s2 / 2.0;    /* zeta */
    d->b = sqrt(s2);                   /* sigma */
}

/* gsl_ran_lognormal draws its normal by the polar method (a logarithm and
 * a square root per pair); GSL's ziggurat normal needs neither. */
static double sample_lognormal(const struct dist *d, const gsl_rng *r)
{
    return exp(d->a + d->b * gsl_ran_gaussian_ziggurat(r, 1.0));
}

static void prepare_gamma(struct dist *d)
{
    d->a = 1.0 / (d->cv * d->cv);      /* shape */
    d->b = d->mean * d->cv * d->cv;    /* scale */
}

static double sample_gamma(const struct dist *d, const gsl_rng *r)
{
    return gsl_ran_gamma(r, d->a, d->b);
}

static double sample_fixed(const struct dist *d, const gsl_rng *r)
{
    (void)r;
    return d->a;
}

const struct dist_type dist_exponential = {
    "exponential", 1.0, prepare_none, sample_exponential};
const struct dist_type dist_lognormal = {
    "lognormal", -1.0, prepare_lognormal, sample_lognormal};
const struct dist_type dist_gamma = {
    "gamma", -1.0, prepare_gamma, sample_gamma};
const struct dist_type dist_fixed = {
    "fixed", 0.0, prepare_none, sample_fixed};

const struct dist_type *const dist_types[] = {
    &dist_exponential, &dist_lognormal, &dist_gamma, &dist_fixed, NULL};

const struct dist_type *dist_find(const char *name)
{
    for (const struct dist_type *const *t = dist_types; *t; t++)
        if (strcmp((*t)->name, name) == 0)
            return *t;
    return NULL;
}

void dist_set(struct dist *d, const struct dist_type *t, double mean,
              double cv)
{
    d->type = t;
    d->mean = mean;
    d->cv = t->fixed_cv >= 0.0 ? t->fixed_cv : cv;
    t->prepare(d);
}
