/*
 * backtest.h - checking a fit on the weeks it did not see.
 *
 * Concept: `fit --holdout-from DATE` fits the keys on the history as it
 * stood at DATE (fit_history_cut()); the back-test then runs the fitted
 * scenario over the whole history's horizon BACKTEST_REPS times with new
 * seeds and, for every whole week from DATE on, compares the observed
 * cohort's junk rate (lost / resolved, the leads created that week) and
 * conversion (won / handed) with the 95% prediction interval of the
 * simulated ones (the 2.5% and 97.5% percentiles over the replications).
 * The share of weeks whose observed value falls inside its interval should
 * be near 95% when the model holds.
 *
 * Inflow: the simulated weeks take the scenario's own arrivals (the
 * draft's measured inflow, weekday and hour profile), not a replay of the
 * observed timestamps, so a week the company bought twice its usual leads
 * is predicted at the usual volume (docs/fit.md says what that costs).
 *
 * Ownership: a struct backtest owns its weeks; backtest_free().
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_BACKTEST_H
#define MODELS_BACKTEST_H

#include <stdbool.h>
#include <stdio.h>

#include <cJSON.h>

#include "models/fit.h"
#include "models/history.h"

#define BACKTEST_REPS 40    /* replications of the prediction */

struct backtest_week {
    unsigned week;              /* 1: the first week from the holdout date */
    double from_day;            /* its first day, days since day 0 */
    double obs[2];              /* observed junk rate, conversion (NAN: none resolved) */
    double mean[2], lo[2], hi[2];   /* predicted: mean and 95% interval */
    bool inside[2];
};

struct backtest {
    double holdout_h;
    size_t n;
    struct backtest_week *w;
    unsigned weeks_with[2];     /* weeks with an observed value */
    unsigned inside[2];         /* of those, inside the interval */
};

/* The observed junk rate (lost / resolved) and conversion (won / handed)
 * of the cohort h created in [t0_h, t0_h + 168): out[0], out[1] (NAN when
 * none resolved, none handed).  The back-test's own measure, exported so
 * the chart's fitted weeks (plots/plot_fit.h) are measured the same way. */
void backtest_week_rates(const struct history *h, double t0_h, double out[2]);

/* Runs the back-test of problem p's keys at x against the whole history
 * `full`, the fit having seen [0, holdout_h).  SIM_OK,
 * SIM_TASK_INTERRUPTED or an error. */
int backtest_run(const struct fit_problem *p, const double *x, const struct history *full,
                 double holdout_h, const struct fit_opts *opts, struct backtest *bt,
                 struct sim_err *err);

/* FIT/backtest.csv: week,from_day,observed_junk,predicted_junk,junk_lo,
 * junk_hi,junk_inside,observed_conversion,predicted_conversion,
 * conversion_lo,conversion_hi,conversion_inside. */
void backtest_csv(FILE *fp, const struct backtest *bt);
void backtest_table(FILE *fp, const struct backtest *bt);
/* {"weeks", "junk_inside_share", "conversion_inside_share", "replications"} */
cJSON *backtest_summary_json(const struct backtest *bt);
void backtest_free(struct backtest *bt);

#endif
