/*
 * plot_render.h - gnuplot, the external program that draws the charts.
 *
 * Concept: a chart is three files plot.c writes into the result directory
 * (NAME.dat, NAME.vars, NAME.gp); gnuplot turns them into NAME.png and
 * NAME.svg.  This module finds gnuplot, runs it on one chart, and writes
 * the strings gnuplot reads in NAME.vars.  It knows nothing of what a
 * chart shows.
 *
 * Invariants:
 *   - gnuplot runs in the result directory and is handed the chart's files
 *     by their own names ("./NAME.dat"), never by the directory's path,
 *     which gnuplot's quoting cannot hold whatever it is; chart names and
 *     extensions must be [a-z0-9_];
 *   - a chart appears whole or not at all: gnuplot draws under a temporary
 *     name (".NAME.EXT.part"), renamed when it exits 0; its output goes to
 *     ".NAME.EXT.log", removed on success and quoted in the error on
 *     failure;
 *   - a string written by plot_render_gp_string() is one gnuplot string
 *     expression, whatever the text: nothing in it can end the string
 *     early or start a command.
 *
 * Ownership: the caller owns every buffer; nothing here allocates but
 * libc's posix_spawn file actions, whose failure is this chart's error.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef PLOTS_PLOT_RENDER_H
#define PLOTS_PLOT_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>

#include "sim/err.h"
#include "sim/file.h"

/* s as a gnuplot string expression written to fp: single-quoted, runs of
 * quotes double-quoted and joined with '.' ('it'."'".'s'), control
 * characters as spaces. */
void plot_render_gp_string(FILE *fp, const char *s);

/* A data file's number: " 12.5", or " NaN" when not finite (the scripts'
 * `set datafile missing 'NaN'`). */
void plot_render_num(FILE *fp, double x);

/* A .vars line: "name = 12.5" (NaN when not finite), "name = 'text'". */
void plot_render_var_num(FILE *fp, const char *name, double x);
void plot_render_var_str(FILE *fp, const char *name, const char *s);

/* The full path of `program` found on PATH (or program itself when it
 * contains a slash and is executable) into buf; false when not found. */
bool plot_render_find_program(const char *program, char *buf, size_t n);

/* What plot_render() returns when *stop was raised while gnuplot ran:
 * gnuplot was killed and reaped, and its temporary chart and log removed. */
#define PLOT_RENDER_STOPPED (-1)

/* Runs gnuplot on DIR/NAME.gp to make DIR/NAME.EXT (ext "png" or "svg"),
 * in DIR, naming the files relative to it (whatever DIR is called, gnuplot
 * sees "./NAME.dat"); name and ext must be [a-z0-9_].  gnuplot's messages
 * go to a log that is shown in err when it fails.  The chart is drawn as
 * DIR/.NAME.EXT.part and renamed only when gnuplot succeeds.  When `stop`
 * is not NULL it is polled while gnuplot runs (every 10 ms): once it is
 * raised (a signal handler's flag), gnuplot is stopped, nothing is left
 * behind and PLOT_RENDER_STOPPED is returned, err untouched. */
/* printf to `log`, a progress line of the charts drawn; nothing when NULL. */
void plot_render_say(FILE *log, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* A chart's three files in a directory, NAME.dat, NAME.vars and NAME.gp,
 * written whole or not at all (sim/file.h): open all three, write, then
 * plot_render_files_close() commits them when the writing went well and
 * discards them otherwise.  On an error from open nothing is left open. */
struct plot_render_files {
    struct sim_file dat, vars, gp;
};

int plot_render_files_open(struct plot_render_files *f, const char *dir, const char *name,
                           struct sim_err *err);

/* rc: how the writing went.  SIM_OK: the three committed (in that order;
 * after a failure the rest are discarded); else all three discarded and rc
 * returned. */
int plot_render_files_close(struct plot_render_files *f, int rc, struct sim_err *err);

int plot_render(const char *gnuplot, const char *dir, const char *name,
                const char *ext, const volatile sig_atomic_t *stop, struct sim_err *err);

#endif
