/*
 * plot_sensitivity.h - which assumptions matter, read back for the tornado
 * chart and the report.
 *
 * Concept: `funnelsim sensitivity SCENARIO --out DIR` writes
 * DIR/sensitivity.json: the metrics it measured (junk rate, deals,
 * profit: "metrics", each with its key, label, unit and base value) and
 * the keys it moved ("keys": each with its path, label, unit, the low and
 * high ends of its plausible range, and per metric its value at either
 * end, the swing high - low as a paired 95% interval, its rank and whether
 * it is within the noise).  This module reads that back and writes the
 * sensitivity_tornado chart (one panel per metric, the keys ranked by
 * their swing, largest at the top; a bar from the base value to the value
 * at each end; swings within the noise hatched in grey) and the report's
 * table of the largest swings.  It knows the metrics by what the file
 * names them, so a metric added to the command is charted without a
 * change here.
 *
 * Invariants: a file with more than PLOT_SENS_MAX_KEYS keys or
 * PLOT_SENS_METRICS metrics, or whose entries lack a number the chart
 * needs, is an input error naming the file and key; null numbers read as
 * NAN; texts are cut at PLOT_LOAD_TEXT_MAX - 1 bytes, quoted for gnuplot
 * in the .vars file, single-quoted in the .dat file, escaped for HTML in
 * the report.
 *
 * Ownership: plot_sensitivity_load() returns a block the caller frees with
 * plot_sensitivity_free().  Out of memory stops the program (sim/mem.h).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef PLOTS_PLOT_SENSITIVITY_H
#define PLOTS_PLOT_SENSITIVITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "plots/plot_load.h"
#include "sim/err.h"

#define PLOT_SENS_MAX_KEYS 128u     /* the command's limit (cli/cmd_sensitivity.c) */
#define PLOT_SENS_METRICS 3u        /* junk rate, deals, profit */

struct plot_sens_effect {
    struct plot_ci low, high;       /* the metric at each end */
    struct plot_ci swing;           /* high - low, paired */
    unsigned rank;                  /* 1: the largest swing */
    bool within;                    /* the swing's interval contains 0 */
};

struct plot_sens_key {
    char key[PLOT_LOAD_TEXT_MAX];
    char label[PLOT_LOAD_TEXT_MAX];
    char unit[64];
    double low, high, base_value;
    struct plot_sens_effect e[PLOT_SENS_METRICS];
};

struct plot_sens_metric {
    char key[64], label[PLOT_LOAD_TEXT_MAX], unit[64];
    struct plot_ci base;
};

struct plot_sensitivity {
    char scenario[PLOT_LOAD_TEXT_MAX];
    char file[PLOT_LOAD_TEXT_MAX];
    unsigned reps;
    double horizon_days, warmup_days;
    size_t n_metrics;
    struct plot_sens_metric metric[PLOT_SENS_METRICS];
    size_t n;
    struct plot_sens_key keys[PLOT_SENS_MAX_KEYS];
};

/* DIR/sensitivity.json into *out: NULL (and SIM_OK) when there is none;
 * SIM_ERR_INPUT naming the file and key for a malformed one,
 * SIM_ERR_RUNTIME for one that cannot be read. */
int plot_sensitivity_load(const char *dir, struct plot_sensitivity **out,
                          struct sim_err *err);
void plot_sensitivity_free(struct plot_sensitivity *s);

/* The rows of sensitivity_tornado.dat, a block per metric (gnuplot's
 * `index m`, blocks two blank lines apart), each in rank order, and the
 * chart's variables after its title: panel titles, axis labels with
 * units, base lines, x ranges, legend words, footnote. */
void plot_sensitivity_chart(const struct plot_sensitivity *s, FILE *dat, FILE *vars);

/* The report's part: a sentence naming the largest swings and a table
 * per metric of the keys in rank order, as HTML.  `summary` gets the
 * sentence as text (for the report's summary). */
void plot_sensitivity_report(FILE *fp, const struct plot_sensitivity *s, char *summary,
                             size_t n);

#endif
