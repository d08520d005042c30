/*
 * plot_internal.h - what the plots/ files share: the results read back
 * from a directory, the facts computed from them, the chart table and the
 * file helpers.  Not for use outside plots/ (and its tests).
 *
 * Reading (plot_load.c): sweep.json, result.json with the two series
 * CSVs, measures.json.  Each is optional; a file that is there but does
 * not parse or lacks a key the charts need is an input error naming the
 * file and the key.
 *
 * Facts (plot_facts.c): numbers derived from a 1-D sweep for the charts
 * and the report (the knee, where the load crosses 1, where the junk
 * curve crosses the target, interpolated values at today's setting).
 * Their definitions are in the comments of struct plot_facts, and the
 * report says them in words.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef PLOTS_PLOT_INTERNAL_H
#define PLOTS_PLOT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "models/metric.h"
#include "plots/plot.h"
#include "sim/err.h"
#include "sim/file.h"

/* An average month, in days: 365.25 / 12. */
#define PLOT_DAYS_PER_MONTH 30.4375

#define PLOT_TEXT_MAX 256

/* A mean with its 95% interval; NAN where undefined. */
struct plot_ci {
    double mean, lo, hi;
};

/* One point of a sweep, as sweep.json has it. */
struct plot_point {
    double value, value2;           /* value2: NAN unless a grid */
    double offered, capacity, load; /* leads a week to sales; nominal */
    double managers;                /* NAN when sweep.json lacks it */
    struct plot_ci junk;
    struct plot_ci reason[JUNK_REASONS];
    struct plot_ci wasted, revenue, spend;  /* per replication, measured window */
    bool over_capacity;
};

struct plot_sweep {
    char scenario[PLOT_TEXT_MAX];
    char file[PLOT_TEXT_MAX];
    char path[PLOT_TEXT_MAX];       /* --vary */
    char path2[PLOT_TEXT_MAX];      /* --vary2; "" unless a grid */
    bool grid;
    unsigned steps, steps2;
    double base_value, base_value2; /* the scenario's own values; NAN if unknown */
    double managers;                /* the base scenario's team; NAN if unknown */
    double capacity, offered;       /* the base scenario's */
    unsigned reps;
    double horizon_days, warmup_days;
    bool interrupted;
    size_t n;
    struct plot_point *pts;         /* in sweep.json's order (owned) */
};

/* run --out: result.json and the series. */
struct plot_run {
    char scenario[PLOT_TEXT_MAX];
    char file[PLOT_TEXT_MAX];
    unsigned reps;
    double horizon_days, warmup_days;
    double capacity, offered;
    struct plot_ci junk, reason[JUNK_REASONS];
    struct plot_ci wasted, revenue, wait, backlog, utilization;
    bool over_capacity;
    size_t n_days, n_weeks;
    double *backlog_day;            /* n_days (owned) */
    double *inflow_week, *resolved_week, *junk_week;   /* n_weeks (owned) */
};

/* compare --measures: measures.json. */
struct plot_step {
    unsigned measure;               /* 1..7; 0 for the baseline or "other" */
    char name[PLOT_TEXT_MAX];
    struct plot_ci junk;
    double held_back;               /* share */
};

struct plot_measures {
    char base[PLOT_TEXT_MAX], after[PLOT_TEXT_MAX];
    unsigned reps;
    size_t n;
    struct plot_step *steps;        /* (owned) */
};

/* What a directory holds. */
struct plot_data {
    const char *dir;
    double target;
    struct plot_sweep *sweep;       /* NULL when absent */
    struct plot_run *run;
    struct plot_measures *measures;
    bool compare;                   /* compare.json (no chart of its own) */
};

int plot_load(const char *dir, struct plot_data *d, struct sim_err *err);
void plot_data_free(struct plot_data *d);

/* ---- facts ------------------------------------------------------------------ */

/* Derived from a 1-D sweep, points sorted by value.  Any of them is NAN
 * when it cannot be computed (the text of the report then says why). */
struct plot_facts {
    size_t n;
    size_t *order;              /* point indices by increasing value (owned) */
    bool inflow;                /* the varied path is an inflow */
    bool rising;                /* mean junk at the last value > at the first */

    /* Where the nominal load (offered / capacity) crosses 1: linear
     * interpolation between the two neighbouring points; NAN when every
     * point is on one side. */
    double cap_value, cap_offered;

    /* The knee: the swept point farthest below the chord from the first to
     * the last point (the largest chord - mean; the "Kneedle" rule), where
     * a flat curve turns steep.  Defined only when the curve really moves
     * (the last mean lies outside the first point's 95% interval, and vice
     * versa) and some point lies below the chord. */
    size_t knee;                /* point index; (size_t)-1 when none */

    /* Where the mean junk curve crosses the target, interpolated linearly:
     * on a rising curve, the end of the run of points at or under the
     * target that starts at the lowest value ("keep it at or below");
     * on a falling one, the start of the run that ends at the highest
     * value ("at or above").  NAN when every point is at or under the
     * target (all_below), or when the curve starts above it, at the lowest
     * value if rising, the highest if falling (all_above). */
    double threshold;
    bool all_above, all_below;

    /* At the scenario's own value (today), interpolated linearly between
     * the neighbouring points; NAN when today lies outside the range. */
    double today, today_junk, today_wasted_month, today_revenue_month;
};

/* Computes the facts of a 1-D sweep; plot_facts_free() frees them. */
void plot_facts_compute(const struct plot_sweep *s, double target,
                        struct plot_facts *f);
void plot_facts_free(struct plot_facts *f);

/* y at x on the polyline through (xs[order[i]], ys[order[i]]), NAN
 * outside [first, last]. */
double plot_interp(const size_t *order, size_t n, const double *xs,
                   const double *ys, double x);

/* Where the same polyline, walked from its first point (from its last
 * when `from_end`), first rises above `level` after starting at or under
 * it, interpolated linearly: the end of the run at or under the level.
 * NAN when it starts above the level or never rises above it. */
double plot_first_rise(const size_t *order, size_t n, const double *xs,
                       const double *ys, double level, bool from_end);

/* Money a month from a total over the measured window. */
double plot_per_month(double total, double horizon_days, double warmup_days);

/* Whether every swept value is a whole number (a head count, a batch
 * size): a bound between two of them is then given whole too. */
bool plot_values_whole(const struct plot_sweep *s);

/* Whether a --vary path is a weekly inflow or a batch size. */
bool plot_path_is_inflow(const char *path);

/* ---- charts ----------------------------------------------------------------- */

enum plot_chart {
    PLOT_JUNK_VS_INFLOW,
    PLOT_JUNK_BY_CAUSE,
    PLOT_RUN_OVER_TIME,
    PLOT_SIZING_MAP,
    PLOT_MEASURES_WATERFALL,
    PLOT_WASTED_MONEY,
    PLOT_CHARTS
};

#define PLOT_MAX_COLUMNS 16

/* A chart kind: its file stem, its caption, and the columns of its data
 * file in order.  The script NAME.gp refers to columns only through the
 * variables c_COLUMN = N it defines; the tests check those against this
 * list, and the data file's header against both. */
struct plot_chart_desc {
    const char *name;
    const char *caption;
    const char *columns[PLOT_MAX_COLUMNS];  /* NULL-terminated */
};

extern const struct plot_chart_desc plot_charts[PLOT_CHARTS];

size_t plot_chart_columns(enum plot_chart c);

/* The embedded text of script `name` ("junk_vs_inflow.gp") written to fp;
 * false when there is no such script. */
bool plot_script_write(const char *name, FILE *fp);

/* ---- files ------------------------------------------------------------------ */

/* dir/name into buf; SIM_ERR_RUNTIME, with a message naming the path,
 * when it does not fit (buf is then ""): a path is never truncated, since
 * a truncated path names another file.  err may be NULL. */
int plot_path(char *buf, size_t n, const char *dir, const char *name, struct sim_err *err);

/* path for a message into buf: whole when short, else its start and its
 * end around "..." (a message holds 512 bytes).  Returns buf. */
const char *plot_path_brief(char *buf, size_t n, const char *path);

/* The whole of dir/name, NUL-terminated, or NULL (errno set; ENAMETOOLONG
 * when the path does not fit).  Caller frees. */
char *plot_read_file(const char *dir, const char *name, size_t *len);

/* s as a gnuplot string expression written to fp: single-quoted, runs of
 * quotes double-quoted and joined with '.' ('it'."'".'s'), control
 * characters as spaces. */
void plot_gp_string(FILE *fp, const char *s);

/* ---- rendering (plot_render.c) ---------------------------------------------- */

/* The full path of `program` found on PATH (or program itself when it
 * contains a slash and is executable) into buf; false when not found. */
bool plot_find_program(const char *program, char *buf, size_t n);

/* Runs gnuplot on DIR/NAME.gp to make DIR/NAME.EXT (ext "png" or "svg"),
 * in DIR, naming the files relative to it (whatever DIR is called, gnuplot
 * sees "./NAME.dat"); name and ext must be [a-z0-9_].  gnuplot's messages
 * go to a log that is shown in err when it fails. */
int plot_render(const char *gnuplot, const char *dir, const char *name,
                const char *ext, struct sim_err *err);

/* ---- numbers in words -------------------------------------------------------- */

/* x with thousands separators, rounded to 3 significant digits when at
 * least 1000 ("11,800"), whole otherwise. */
void plot_fmt_money(char *buf, size_t n, double x);

#endif
