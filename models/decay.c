/* SPDX-License-Identifier: MIT */
#include "decay.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_math.h>

static double factor_none(const struct decay *d, double age)
{
    (void)d;
    (void)age;
    return 1.0;
}

static double factor_exponential(const struct decay *d, double age)
{
    return exp(-d->k * age);
}

static double factor_two_phase(const struct decay *d, double age)
{
    double w = d->fast_weight;
    double fading = w * exp(-d->k_fast * age) + (1.0 - w) * exp(-d->k_slow * age);
    return d->floor + (1.0 - d->floor) * fading;
}

const struct decay_type decay_none = {"none", factor_none};
const struct decay_type decay_exponential = {"exponential", factor_exponential};
const struct decay_type decay_two_phase = {"two_phase", factor_two_phase};

const struct decay_type *const decay_types[] = {
    &decay_none, &decay_exponential, &decay_two_phase, NULL};

const struct decay_type *decay_find(const char *name)
{
    for (const struct decay_type *const *t = decay_types; *t; t++)
        if (strcmp((*t)->name, name) == 0)
            return *t;
    return NULL;
}

static double rate(double half_life)
{
    return half_life > 0.0 ? M_LN2 / half_life : 0.0;
}

void decay_prepare(struct decay *d)
{
    d->k = rate(d->half_life_hours);
    d->k_fast = rate(d->fast_half_life_hours);
    d->k_slow = rate(d->slow_half_life_hours);
}
