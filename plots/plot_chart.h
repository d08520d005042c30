/*
 * plot_chart.h - the kinds of chart: their names, captions and columns.
 *
 * Concept: each kind of chart is a row of one table, plot_charts[]: its
 * file stem NAME (the files NAME.dat, NAME.vars, NAME.gp, NAME.png,
 * NAME.svg), the caption the report shows, and the columns of NAME.dat in
 * order.  Its gnuplot script plots/NAME.gp is built into the program
 * (plot_scripts.h) and written out by plot_chart_script_write().  What
 * goes into the rows is plot.c's; what the report says of them is
 * report.c's; both go by this table.
 *
 * Invariants: the script NAME.gp refers to data columns only through the
 * variables c_COLUMN = N it defines, one for each column listed here, and
 * the data file's '# columns:' header lists the same names; the tests
 * check all three against each other.  A column list holds at most
 * PLOT_CHART_MAX_COLUMNS - 1 names and ends with NULL.
 *
 * Ownership: the table and the scripts are static, read-only data.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef PLOTS_PLOT_CHART_H
#define PLOTS_PLOT_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum plot_chart {
    PLOT_CHART_JUNK_VS_INFLOW,
    PLOT_CHART_JUNK_BY_CAUSE,
    PLOT_CHART_RUN_OVER_TIME,
    PLOT_CHART_SIZING_MAP,
    PLOT_CHART_MEASURES_WATERFALL,
    PLOT_CHART_WASTED_MONEY,
    PLOT_CHART_JUNK_BY_CHANNEL,     /* plot_breakdown.h */
    PLOT_CHART_CAMPAIGN_EFFECT,     /* plot_time.h */
    PLOT_CHART_SENSITIVITY_TORNADO, /* plot_sensitivity.h */
    PLOT_CHART_COUNT
};

#define PLOT_CHART_MAX_COLUMNS 16

/* A chart kind: its file stem, its caption, and the columns of its data
 * file in order. */
struct plot_chart_desc {
    const char *name;
    const char *caption;
    const char *columns[PLOT_CHART_MAX_COLUMNS];    /* NULL-terminated */
};

extern const struct plot_chart_desc plot_charts[PLOT_CHART_COUNT];

/* The number of columns of chart c's data file. */
size_t plot_chart_columns(enum plot_chart c);

/* The embedded text of script `name` ("junk_vs_inflow.gp") written to fp;
 * false when there is no such script. */
bool plot_chart_script_write(const char *name, FILE *fp);

#endif
