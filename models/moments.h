/*
 * moments.h - the moments of a lead history that `fit` matches, with their
 * sampling variances.
 *
 * Concept: a history (models/history.h) is summarised by a fixed list of
 * numbers, the same list for the company's history and for every simulated
 * one, so that the two can be compared term by term.  The list is fixed by
 * a spec made from the observed history (moments_spec_init): the channels
 * by name, and for each channel the thirds of the observed times to first
 * contact (the splits at their 1/3 and 2/3 quantiles).  Per channel, in
 * this order (docs/fit.md, "The moments"):
 *
 *   bad_fit, theorist            stated-reason rates among reached leads
 *   went_cold_early, _mid, _late went_cold (a CRM's "not interested", where
 *                                misjudged leads also land) among reached
 *                                leads first contacted in the first, second
 *                                and last third of the times: interest
 *                                decay shows as the rise from third to
 *                                third, misjudgement as the level where
 *                                decay has not yet acted
 *   unreachable_early, _mid, _late  unreachable among contacted leads, by
 *                                the same thirds: p_reach and reach decay
 *   ttfc_p50, ttfc_p90           time to first contact (hours) among the
 *                                contacted
 *   conversion                   won / handed (handed: not disqualified)
 *
 * and once for the whole history:
 *
 *   junk_load_slope              the least-squares slope of the weekly junk
 *                                rate (lost / resolved, the cohort created
 *                                that week) against the week's load (the
 *                                cohort's handed leads per manager owning
 *                                one of them): what identifies
 *                                misjudgement under load (rush_penalty)
 *
 * A reached lead is won, qualified, or lost for a reason other than
 * unreachable and abandoned; a contacted one has a first contact.
 *
 * Variances (of the observed value as an estimate of its expectation):
 * binomial for rates, p(1-p)/n with p = (k + 1/2)/(n + 1) so that a rate
 * of 0 or 1 keeps a finite weight; distribution-free for quantiles, from
 * the order statistics bracketing the quantile's 95% interval (the
 * interval's width / (2 x 1.96), squared); the least-squares formula
 * s^2 / Sxx for the slope.  Each is a formula, so no bootstrap is needed.
 * A value that cannot be computed (no reached lead in a channel, fewer
 * than 3 weeks for the slope) is NAN, and so is its variance.
 *
 * Ownership: a spec borrows the channel names of the history it was made
 * from (valid while that history lives).  moments_compute() allocates a
 * scratch array of the leads' first-contact times and frees it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_MOMENTS_H
#define MODELS_MOMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "models/history.h"

#define MOMENTS_CHANNELS 32         /* channels of a spec; more are pooled out */
#define MOMENTS_PER_CHANNEL 11
#define MOMENTS_MAX (MOMENTS_CHANNELS * MOMENTS_PER_CHANNEL + 1)
#define MOMENTS_NAME_MAX 80
#define MOMENTS_BOOTSTRAP 200      /* resamplings of moments_week_bootstrap() */
#define MOMENTS_WEEK_MIN 5          /* resolved leads a week needs to enter the slope */

struct moments_spec {
    size_t n_channels;
    const char *channel[MOMENTS_CHANNELS];  /* borrowed names */
    double split_h[MOMENTS_CHANNELS][2];    /* the thirds of first contact */
    double from_h, to_h;                    /* leads created in [from_h, to_h) */
};

struct moments {
    size_t n;
    char name[MOMENTS_MAX][MOMENTS_NAME_MAX];   /* "web:went_cold_fast" */
    double value[MOMENTS_MAX];
    double var[MOMENTS_MAX];
};

/* The spec of `obs` over leads created in [from_h, to_h) (to_h <= 0: to
 * the horizon): its first MOMENTS_CHANNELS channels by name and their
 * splits. */
void moments_spec_init(struct moments_spec *spec, const struct history *obs, double from_h,
                       double to_h);

/* The moments of h under spec.  A lead of a channel the spec does not
 * name enters only the slope. */
void moments_compute(const struct moments_spec *spec, const struct history *h, struct moments *m);

/* The variances again, by a bootstrap over weeks: B resamplings of the
 * window's weeks with replacement (each drawn week's leads moved into the
 * slot it fills), the variance of each moment over them, where larger
 * than the formula's.  Leads of one week share the load and the backlog,
 * so they are not independent: the formulas, which assume they are,
 * understate the variance of the time to first contact most (see
 * docs/fit.md).  seed fixes the resamplings. */
void moments_week_bootstrap(const struct moments_spec *spec, const struct history *h, unsigned B,
                            uint64_t seed, struct moments *m);

/* Moments of several histories of the same spec: their mean (NAN where
 * none is defined) into *mean; the number of histories defining each in
 * n_def (may be NULL). */
void moments_mean(const struct moments *each, size_t n, struct moments *mean, unsigned *n_def);

#endif
