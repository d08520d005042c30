/*
 * decay.h - how something a lead offers fades with its age.
 *
 * A lead's age is the hours since its creation: the buyer's interest
 * starts to fade when she asks, not when sales hears of it, so the
 * marketing delay costs what it costs (docs/model.md).  Two things fade,
 * each with its own `struct decay` (the same keys, models/keytab.c):
 *
 *   interest  (`decay`) the lead arrives with an initial interest (1 for
 *             hot leads, `interest.warm` or `interest.cold` for the
 *             others); when it is reached, its interest is that level
 *             times decay_factor(age at the attempt's start)
 *   reach     (`contact.reach_decay`) an attempt reaches a contactable
 *             lead with probability p_reach times decay_factor(age at
 *             the attempt's start), as the speed-to-lead studies measure
 *
 * The factor is 1 at age 0 and never increases.
 *
 *   none         1 forever
 *   exponential  2^(-age / half_life_hours): a constant hazard
 *                theta = ln 2 / half_life, the form the validation
 *                contract checks against Erlang C
 *   two_phase    floor + (1 - floor) * (w 2^(-age/h1) + (1 - w) 2^(-age/h2))
 *                with h1 = fast_half_life_hours, h2 = slow_half_life_hours,
 *                w = fast_weight: published lead-response data fall within
 *                minutes first, then over hours, and level off above zero
 *                (LRM 2007: half-life of minutes; HBR 2011: a floor of about
 *                1/60 of the first-hour level).
 *
 * Kinds are `struct decay_type` entries picked by name, like dist.h.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_DECAY_H
#define MODELS_DECAY_H

struct decay;

struct decay_type {
    const char *name;
    double (*factor)(const struct decay *d, double age_hours);
};

struct decay {
    const struct decay_type *type;
    double half_life_hours;         /* exponential */
    double fast_half_life_hours;    /* two_phase */
    double slow_half_life_hours;    /* two_phase */
    double fast_weight;             /* two_phase, [0, 1] */
    double floor;                   /* two_phase, [0, 1) */
    double k, k_fast, k_slow;       /* ln 2 / half-life, set by decay_prepare() */
};

extern const struct decay_type *const decay_types[];   /* NULL-terminated */
extern const struct decay_type decay_none;
extern const struct decay_type decay_exponential;
extern const struct decay_type decay_two_phase;

const struct decay_type *decay_find(const char *name);

/* Computes the rates from the half-lives; call after setting them. */
void decay_prepare(struct decay *d);

static inline double decay_factor(const struct decay *d, double age_hours)
{
    return d->type->factor(d, age_hours);
}

#endif
