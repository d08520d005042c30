/*
 * plot_history.h - the charts and the page of a lead history's facts:
 * DIR/report.html for `funnelsim facts DIR`.
 *
 * Concept: the facts (models/facts.h) of an imported history, shown to a
 * sales director: when leads arrive (a weekday x hour heatmap), leads a
 * week per channel, the junk rate of each week's leads stacked by stated
 * reason, the article's claim on the company's own weeks (junk against
 * load, with the fitted line and its slope's interval), and how long
 * leads wait for a first call (the Kaplan-Meier curve).  Each chart is
 * NAME.dat, NAME.vars and NAME.gp drawn by gnuplot into NAME.png and
 * NAME.svg, as plot.c's are (plot_render.h), from the table
 * plot_history_charts[] (the same struct as plot_chart.h's: stem,
 * caption, columns; the scripts plots/NAME.gp are built in).  They are
 * kept apart from plot_charts[] because they chart an import directory,
 * not a result directory, and plot_dir() never looks for them.
 *
 * Invariants: x axes carry dates when the history is dated (weeks since
 * day 0 otherwise); every text from the history (channel names) reaches
 * gnuplot through plot_render_gp_string() and the page HTML-escaped; the
 * page is self-contained (report.h) and written whole or not at all.
 *
 * Ownership: nothing is kept; the caller owns the history and its facts.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef PLOTS_PLOT_HISTORY_H
#define PLOTS_PLOT_HISTORY_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "models/facts.h"
#include "models/history.h"
#include "plots/plot_chart.h"
#include "sim/err.h"

enum plot_history_chart {
    PLOT_HISTORY_ARRIVALS,
    PLOT_HISTORY_LEADS,
    PLOT_HISTORY_JUNK,
    PLOT_HISTORY_LOAD,
    PLOT_HISTORY_CONTACT,
    PLOT_HISTORY_CHARTS
};

extern const struct plot_chart_desc plot_history_charts[PLOT_HISTORY_CHARTS];

struct plot_history_opts {
    const char *gnuplot;                    /* NULL: "gnuplot" on PATH */
    FILE *log;                              /* a line a chart; NULL: quiet */
    const volatile sig_atomic_t *stop;      /* polled while gnuplot runs */
};

struct plot_history_outcome {
    unsigned written, drawn;
    bool gnuplot_missing;
    bool interrupted;
};

/* Writes the charts' files, draws them and writes DIR/report.html.  A
 * missing gnuplot is not an error: the data and scripts are written and
 * the page says how to draw them (out->gnuplot_missing).  SIM_OK, or the
 * first chart's or the page's error. */
int plot_history_dir(const char *dir, const struct history *h, const struct facts *f,
                     const struct plot_history_opts *opts, struct plot_history_outcome *out,
                     struct sim_err *err);

#endif
