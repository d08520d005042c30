/*
 * plot_fit.h - the back-test chart of `funnelsim fit DIR --holdout-from
 * DATE --out FIT`: FIT/backtest.png and .svg.
 *
 * Concept: the weeks a fit did not see (models/backtest.h), observed
 * against predicted: for each held-out week the observed junk rate and
 * conversion of the week's cohort, the mean of the simulated ones and
 * their 95% prediction interval (a band), with the share of weeks inside
 * the interval in each panel's title.  The fitted weeks before the
 * holdout date are drawn greyed (observed only, measured by
 * backtest_week_rates(), as the held-out ones), and a vertical line marks
 * the date.  The chart is backtest.dat, .vars and .gp drawn by gnuplot, as
 * plot.c's are (plot_render.h), from the one-row table plot_fit_charts[]
 * (plot_chart.h's struct; the script plots/backtest.gp is built in); it
 * is kept apart from plot_charts[] because it charts a fit directory,
 * which plot_dir() never reads.
 *
 * Invariants: backtest.dat's first block (gnuplot index 0) holds exactly
 * backtest.csv's rows (the same columns, rates as fractions, NaN where
 * the CSV is empty); its second block (index 1) the fitted weeks, their
 * predictions NaN.  x is dates when the history is dated, weeks since day
 * 0 otherwise.  A missing gnuplot is not an error: the data and script
 * are written, nothing drawn (out->gnuplot_missing), and a PNG or SVG left
 * from an earlier run is removed.
 *
 * Ownership: nothing is kept; the caller owns the history and back-test.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef PLOTS_PLOT_FIT_H
#define PLOTS_PLOT_FIT_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "models/backtest.h"
#include "models/history.h"
#include "plots/plot_chart.h"
#include "sim/err.h"

enum plot_fit_chart {
    PLOT_FIT_BACKTEST,
    PLOT_FIT_CHARTS
};

extern const struct plot_chart_desc plot_fit_charts[PLOT_FIT_CHARTS];

struct plot_fit_opts {
    const char *gnuplot;                    /* NULL: "gnuplot" on PATH */
    const volatile sig_atomic_t *stop;      /* polled while gnuplot runs */
};

struct plot_fit_outcome {
    bool drawn;
    bool gnuplot_missing;
    bool interrupted;
};

/* Writes FIT/backtest.{dat,vars,gp} and draws backtest.png and .svg: the
 * back-test bt of the fit of history h (the whole history, as the
 * back-test saw it).  SIM_OK (also when gnuplot is missing or the drawing
 * was interrupted: see out), or the error of a file or of gnuplot. */
int plot_fit_backtest(const char *dir, const struct history *h, const struct backtest *bt,
                      const struct plot_fit_opts *opts, struct plot_fit_outcome *out,
                      struct sim_err *err);

#endif
