/*
 * dist.h - positive random quantities given by a mean and a spread.
 *
 * Contact durations, deal values and patience times are all described the
 * same way in a scenario: a distribution name, a mean and a coefficient of
 * variation (cv = sd / mean).  Each distribution is a `struct dist_type`,
 * picked by name from `dist_types[]` as GSL picks a generator from
 * gsl_rng_types: adding one means adding a table entry, not a `switch`.
 *
 *   exponential  cv is 1 by definition (a cv given must be 1 or absent)
 *   lognormal    sigma^2 = ln(1 + cv^2), mu = ln(mean) - sigma^2 / 2
 *   gamma        shape = 1 / cv^2, scale = mean * cv^2
 *   fixed        always the mean; cv is 0 by definition
 *
 * dist_set() turns (mean, cv) into the parameters the sampler needs once,
 * so dist_sample() costs one GSL variate and no logarithm of the mean.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_DIST_H
#define MODELS_DIST_H

#include <gsl/gsl_rng.h>

struct dist;

struct dist_type {
    const char *name;
    double fixed_cv;    /* the cv this distribution implies, or -1: free */
    void (*prepare)(struct dist *d);
    double (*sample)(const struct dist *d, const gsl_rng *r);
};

struct dist {
    const struct dist_type *type;
    double mean;        /* > 0 */
    double cv;          /* >= 0 */
    double a, b;        /* sampler parameters, set by dist_set() */
};

/* NULL-terminated table of every distribution. */
extern const struct dist_type *const dist_types[];

extern const struct dist_type dist_exponential;
extern const struct dist_type dist_lognormal;
extern const struct dist_type dist_gamma;
extern const struct dist_type dist_fixed;

/* The type called `name`, or NULL. */
const struct dist_type *dist_find(const char *name);

/* Sets d to type t with the given mean and cv (a fixed-cv type ignores
 * cv).  mean > 0 and cv >= 0 (cv > 0 for lognormal and gamma) are the
 * caller's to check. */
void dist_set(struct dist *d, const struct dist_type *t, double mean,
              double cv);

static inline double dist_sample(const struct dist *d, const gsl_rng *r)
{
    return d->type->sample(d, r);
}

#endif
