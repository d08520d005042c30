/*
 * plot_style.h - the colours of the charts: one table for the report's
 * charts and the what-if page.
 *
 * Every colour a chart uses has a name here ("bad_fit", "target", ...).
 * plot.c writes the whole table into every chart's NAME.vars as gnuplot
 * assignments (`rgb_bad_fit = '#2c5d8f'`), so the scripts plots/NAME.gp set
 * no colour of their own; the what-if page (cli/serve_page.c) sends the
 * same table to the browser.  A junk reason's colour is named by its
 * metric key stem (metric_descs: junk_by_reason.bad_fit -> "bad_fit"), so
 * a reason looks the same in junk_by_cause, junk_by_channel and the page.
 *
 * The table is constant; nothing here allocates.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef PLOTS_PLOT_STYLE_H
#define PLOTS_PLOT_STYLE_H

#include <stddef.h>
#include <stdio.h>

#include "models/metric.h"

struct plot_style_colour {
    const char *name;       /* "bad_fit", "target", ...: gnuplot's rgb_NAME */
    const char *rgb;        /* "#rrggbb" */
};

extern const struct plot_style_colour plot_style_colours[];
extern const size_t plot_style_colours_count;

/* The colour of junk reason r. */
const char *plot_style_reason(enum junk_reason r);

/* The colour called `name`, or NULL. */
const char *plot_style_find(const char *name);

/* Writes `rgb_NAME = '#rrggbb'` for every colour, one a line. */
void plot_style_write_vars(FILE *fp);

#endif
