/*
 * plot.h - charts for planning meetings, drawn from a result directory.
 *
 * `funnelsim run|sweep|compare --out DIR` leave their results in DIR as
 * JSON and CSV files.  plot_dir() reads those files (never the model: the
 * plots know metrics, not leads), and for every chart the files support it
 * writes into DIR
 *
 *   NAME.dat    the chart's data: gnuplot-friendly columns under a '#'
 *               header naming them (blank lines between blocks in grids);
 *   NAME.vars   gnuplot assignments for the chart's words and marks (title,
 *               axis labels, footnote, the capacity line, the knee, ...);
 *   NAME.gp     the chart's gnuplot script: hand-written in plots/, built
 *               into the binary, the same for every DIR;
 *   NAME.png    1600 x 1000 pngcairo, fonts sized for a projector;
 *   NAME.svg    the same chart as SVG,
 *
 * and then report.html (report.h): the charts, a table of key numbers and
 * a summary in words.  Rendering runs gnuplot, an external program found
 * on PATH; without it the data, variables and scripts are still written,
 * so `cd DIR && gnuplot NAME.gp` works wherever gnuplot does.
 *
 * Every file is written to a temporary name and renamed, as the result
 * files are, so an interrupted plot never leaves half a chart over a good
 * one.  A result file that is malformed, or larger than funnelsim writes
 * (plot_file.h), is refused before anything is written.
 *
 * The charts (NAME: what it needs):
 *   junk_vs_inflow      sweep.json, one --vary
 *   junk_by_cause       sweep.json, one --vary
 *   wasted_money        sweep.json, one --vary
 *   sizing_map          sweep.json, --vary and --vary2 (a grid)
 *   run_over_time       result.json, series_daily.csv, series_weekly.csv
 *   measures_waterfall  measures.json (compare --measures)
 *   junk_by_channel     result.json with by_channel (run; plot_breakdown.h)
 *   campaign_effect     result.json with weekly_without_campaigns (run of a
 *                       scenario with campaigns or trade shows; plot_time.h)
 *   sensitivity_tornado sensitivity.json (sensitivity; plot_sensitivity.h)
 *
 * This header is what the program (cli/) uses of plots/, with
 * plot_origin.h (the result files' names and the manifest's, which
 * cli/manifest.c shares) and plot_file.h (a file read within bounds).
 * The modules behind it, each one .c and one .h, each using only those
 * below it:
 *
 *   plot          plot_dir(): which charts, their data and variables
 *   plot_origin   a directory's files checked against its run.json
 *   report        report.html
 *   plot_facts    the numbers of a 1-D sweep (knee, crossings, today)
 *   plot_time     the charts over time: their x axis (months when
 *                 dated), the plan's marks, the campaign effect's rows,
 *                 the measure --target-on tests the target on
 *   plot_breakdown  a run's results by channel and by group: the
 *                 junk_by_channel chart's data, the report's tables
 *   plot_sensitivity  sensitivity.json: the tornado chart's data, the
 *                 report's tables
 *   plot_load     the result files read back, within bounds
 *   plot_chart    the table of chart kinds, with their scripts
 *                 (plot_scripts.h, generated from plots/NAME.gp)
 *   plot_render   gnuplot run on one chart
 *   plot_file     paths, and files read whole within PLOT_FILE_MAX
 *
 * plot uses all of them; report uses plot_breakdown, plot_sensitivity,
 * plot_chart, plot_facts, plot_load, plot_time and plot_file; plot_time
 * uses plot_load (its types) and plot_render; plot_breakdown and
 * plot_sensitivity use plot_load (its types), plot_file and plot_render;
 * plot_facts uses plot_load;
 * plot_origin, plot_load and plot_render use plot_file; plot_chart uses
 * plot_scripts.
 *
 * Ownership: plot_dir() owns what it loads and computes, and frees it
 * before it returns; the caller owns the options and the outcome.  Out of
 * memory stops the program (sim/mem.h).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef PLOTS_PLOT_H
#define PLOTS_PLOT_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "models/series.h"
#include "sim/err.h"

/* The junk rate that counts as normal (the article: about 10% is normal): the target line. */
#define PLOT_DEFAULT_TARGET 0.10

struct plot_opts {
    double target;          /* junk target, a share; 0: the one the results
                               record (report.target_junk as run), else
                               PLOT_DEFAULT_TARGET */
    /* --target-on: the measure a run's junk target is tested on (its name
     * as result.json's junk_on keys it, and the window's days); NULL: the
     * one the run was given (result.json's target_on), else the average. */
    const char *target_on_name;
    const struct series_target *target_on;
    const char *gnuplot;    /* program to run; NULL: "gnuplot" found on PATH */
    FILE *log;              /* what was drawn and skipped; NULL: silent */
    FILE *warn;             /* warnings (a folder without run.json); NULL: none */
    /* A signal handler's flag, or NULL: once raised, the gnuplot running
     * is stopped, no further chart is drawn and report.html is not
     * written (plot_outcome.interrupted). */
    const volatile sig_atomic_t *stop;
};

/* What plot_dir() did. */
struct plot_outcome {
    unsigned drawn;         /* charts rendered as PNG and SVG */
    unsigned written;       /* charts whose data and script were written */
    unsigned skipped;       /* chart kinds DIR's data does not support */
    bool gnuplot_missing;   /* no gnuplot on PATH: nothing rendered */
    bool failed;            /* a chart or the report failed (not for a
                               missing gnuplot alone) */
    bool report;            /* report.html written */
    bool interrupted;       /* stopped by plot_opts.stop: no report */
};

/* Charts everything DIR's result files support, then writes report.html.
 * First DIR's files are checked to come from one run (plot_origin.h): a
 * folder mixing two runs is refused (SIM_ERR_INPUT), one without run.json
 * is charted with a warning on standard error.  When opts->stop is raised
 * it returns SIM_ERR_RUNTIME with out->interrupted set: the charts drawn
 * so far are whole, none is half-drawn, report.html is not written.
 * Returns SIM_OK when every supported chart was rendered; SIM_ERR_INPUT
 * when DIR holds no result file funnelsim knows (or a malformed one);
 * SIM_ERR_RUNTIME on an I/O failure, when DIR's path is too long for the
 * charts' files (refused before anything is written), when gnuplot fails,
 * or when gnuplot is missing (out->gnuplot_missing then says so, and the message says how
 * to install it; data, scripts and the report are written all the same).
 * `out` may be NULL. */
int plot_dir(const char *dir, const struct plot_opts *opts,
             struct plot_outcome *out, struct sim_err *err);

/* For `run|sweep|compare --plot`: plot_dir() with the log on standard
 * error (standard output holds the command's own result).  A missing
 * gnuplot is a warning, printed here, not an error: the run succeeded and
 * its files are written, so it returns SIM_OK; any other failure is
 * returned as from plot_dir(), *interrupted telling a stop by `stop`. */
int plot_after_run(const char *dir, const volatile sig_atomic_t *stop, bool *interrupted,
                   struct sim_err *err);

/* `name` is a file plot_dir() writes into a directory: report.html, or a
 * chart's NAME.dat, .vars, .gp, .png or .svg. */
bool plot_is_output(const char *name);

#endif
