/*
 * plot_breakdown.h - a run's results by channel and by group, for the
 * charts and the report.
 *
 * Concept: `funnelsim run --out DIR` writes "by_channel" and "by_group"
 * into result.json (models/breakdown.h: arrays of {"name", then every
 * number of the descriptor tables as {"mean", "ci95"}}).  This module
 * reads them back, writes the data and words of the junk_by_channel chart
 * (the junk reasons stacked per channel, the channels' names on the axis,
 * the reasons named by their labels in breakdown_channel_descs) and the
 * report's tables by channel and by group, with a sentence on where the
 * junk comes from.  It knows the numbers by the descriptor tables' keys
 * and labels only, so a number renamed there is renamed here.
 *
 * Invariants: result.json without "by_channel" (written before the
 * breakdown existed) has no breakdown: plot_breakdown_load() gives NULL
 * and the chart is skipped; one whose arrays are malformed or longer than
 * a scenario allows (SCN_MAX_CHANNELS channels, SCN_MAX_GROUPS groups and
 * "unassigned") is an input error naming the file and the key; a null
 * number reads as NAN; names are cut at PLOT_LOAD_TEXT_MAX - 1 bytes.
 * Texts from the file are escaped for HTML in the report and quoted for
 * gnuplot in the .vars file; in the .dat file a name's double quotes
 * become single quotes.
 *
 * Ownership: plot_breakdown_load() returns a block the caller frees with
 * plot_breakdown_free().  Out of memory stops the program (sim/mem.h).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef PLOTS_PLOT_BREAKDOWN_H
#define PLOTS_PLOT_BREAKDOWN_H

#include <stddef.h>
#include <stdio.h>

#include "models/breakdown.h"
#include "plots/plot_load.h"
#include "sim/err.h"

#define PLOT_BREAKDOWN_CELLS ((int)BC_COUNT > (int)BG_COUNT ? (int)BC_COUNT : (int)BG_COUNT)

struct plot_breakdown_row {
    char name[PLOT_LOAD_TEXT_MAX];
    struct plot_ci v[PLOT_BREAKDOWN_CELLS]; /* by enum breakdown_channel_metric
                                               or enum breakdown_group_metric */
};

struct plot_breakdown {
    char scenario[PLOT_LOAD_TEXT_MAX];
    char file[PLOT_LOAD_TEXT_MAX];
    unsigned reps;
    double horizon_days, warmup_days;
    size_t n_channels;
    size_t n_groups;                        /* the team's groups and "unassigned" */
    struct plot_breakdown_row channel[SCN_MAX_CHANNELS];
    struct plot_breakdown_row group[BREAKDOWN_GROUP_ROWS];
};

/* DIR/result.json's breakdown into *out: NULL (and SIM_OK) when there is
 * no result.json or it has no "by_channel"; SIM_ERR_INPUT naming the file
 * and key for a malformed one, SIM_ERR_RUNTIME for one that cannot be
 * read. */
int plot_breakdown_load(const char *dir, struct plot_breakdown **out, struct sim_err *err);
void plot_breakdown_free(struct plot_breakdown *b);

/* The rows of junk_by_channel.dat (after its header: plot_chart.h gives
 * the columns) and the chart's variables after its title: footnote,
 * reason labels, target line, y range.  `target` is a share. */
void plot_breakdown_chart(const struct plot_breakdown *b, double target, FILE *dat,
                          FILE *vars);

/* The report's part: a sentence on where the junk comes from and the
 * tables by channel and by group, as HTML. */
void plot_breakdown_report(FILE *fp, const struct plot_breakdown *b);

#endif
