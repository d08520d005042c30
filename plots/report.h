/*
 * report.h - report.html: one self-contained page for a planning meeting.
 *
 * Concept: after plot.c has written and drawn the charts, the report puts
 * them on one page with what they mean in words.  It reads only what it
 * is handed (struct report_input: the loaded results, the facts of a 1-D
 * sweep, which charts were drawn, written or skipped) and the SVG charts
 * in the directory; every sentence comes from the same struct plot_facts
 * the charts' marks come from, so the page and the charts cannot
 * disagree.
 *
 * The page holds, for whatever the directory's results support:
 *   - a summary in plain words, generated from the numbers (below);
 *   - a table of key numbers;
 *   - every chart drawn, its SVG inlined (ids prefixed per chart, so the
 *     charts' markers and clip paths do not collide), with links to the
 *     PNG, the data and the script next to it;
 *   - how each number is computed, and which charts were skipped and why.
 * Invariants: no network: no external CSS, script, font or image, so the
 * page can be mailed or opened on a laptop without a connection; every
 * text from a result file is HTML-escaped; the page appears whole or not
 * at all (sim/file.h).
 *
 * The sweep's sentence (report_sweep_summary), for a rising curve over an
 * inflow, reads
 *   "With 10 managers, keep inflow (web leads a week) at or below 637 to
 *    hold junk at or under 10%; at today's 280, 9% of handed leads become
 *    junk, costing 1,230 a month."
 * where
 *   managers   sweep.json "managers": the base scenario's team size
 *              (left out when the sweep varies a team's count);
 *   web leads a week
 *              sweep.json vary.label: the key table's label with the
 *              channel's name; a value is followed by the key's unit only
 *              when the label does not say it already; a team size reads
 *              "team size (managers in group 'sdrs')";
 *   637        plot_facts.threshold, rounded down (up, for "at or above"
 *              on a falling curve) to a whole number when it is 10 or more
 *              or every swept value is whole, else to two decimals;
 *   10%        the target the results ran with (plot_data.target);
 *   280        the base value of the varied path (sweep.json
 *              vary.base_value), as the scenario has it;
 *   9%         the mean junk rate interpolated at today's value, whole
 *              percent;
 *   1,230      wasted spend interpolated at today's value, a total over
 *              the measured window (horizon_days - warmup_days) per
 *              replication, divided by the measured days and multiplied
 *              by 30.44, to three significant digits.
 * When no such crossing exists the sentence says what is true instead:
 * junk stays under the target over the whole range, or is above it even
 * at the lowest value (with the share of the causes that do not rise with
 * load in this sweep, plot_facts.rises); when today's value lies outside
 * the swept range, it says that.  The next sentence names the causes that
 * do rise, with their shares at the lowest and highest load.
 *
 * The page also lists the overrides the results ran with by label
 * ("managers in group 'sdrs' = 7"), so no JSON path reaches the reader.
 *
 * Ownership: report_write() only reads its input; the caller owns it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef PLOTS_REPORT_H
#define PLOTS_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "plots/plot_chart.h"
#include "plots/plot_facts.h"
#include "plots/plot_load.h"
#include "sim/err.h"

#define REPORT_TITLE_MAX 640

struct report_input {
    const struct plot_data *d;
    const struct plot_facts *facts;         /* of a 1-D sweep, or NULL */
    char title[PLOT_CHART_COUNT][REPORT_TITLE_MAX]; /* of each chart written */
    bool drawn[PLOT_CHART_COUNT];           /* NAME.svg is there */
    bool written[PLOT_CHART_COUNT];         /* NAME.dat and NAME.gp are there */
    const char *skipped[PLOT_CHART_COUNT];  /* why not, or NULL */
    bool gnuplot_missing;
};

/* Writes DIR/report.html. */
int report_write(const char *dir, const struct report_input *in, struct sim_err *err);

/* The sweep's summary sentence (see the top) into buf. */
void report_sweep_summary(const struct plot_sweep *s, const struct plot_facts *f,
                          double target, char *buf, size_t n);

/* x for the sentence: a whole number when `whole` or from 10 up, else two
 * decimals; rounded down when `down`, else up. */
void report_fmt_bound(char *buf, size_t n, double x, bool down, bool whole);

/* Money for the sentence: x with thousands separators, rounded to 3
 * significant digits when at least 1000 ("11,800"), whole otherwise;
 * "-" when not finite. */
void report_fmt_money(char *buf, size_t n, double x);

/* What every page of charts shares with this one (plot_history.c's):
 * s HTML-escaped to fp; the page's style sheet; DIR/NAME.svg copied into
 * the page with its ids prefixed by NAME (false when it cannot be read). */
void report_html_escape(FILE *fp, const char *s);
const char *report_css(void);
bool report_inline_svg(FILE *fp, const char *dir, const char *name);

#endif
