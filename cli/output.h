/*
 * output.h - writing results: files that appear whole, and the formats.
 *
 * Files: every output file is written through sim/file.h (a temporary
 * renamed into place once complete), so an interrupted or failed run never
 * leaves a half-written file over a good one.
 *
 * Formats: a run's summary as JSON (every measured
 * number as {"mean": m, "ci95": [lo, hi]}, counts plain), as CSV (one row
 * per number: metric, mean, ci95_lo, ci95_hi, unit) and as a table for
 * people.  All derive from the metric table of models/metric.h.
 *
 * The end of a command: out_emit() writes a command's files, prints its
 * result in the format asked for and draws its charts, in that order, the
 * same way for every command.
 *
 * Ownership: out_result_json() returns a cJSON tree the caller deletes.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CLI_OUTPUT_H
#define CLI_OUTPUT_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include <cJSON.h>

#include "models/breakdown.h"
#include "models/capacity.h"
#include "models/metric.h"
#include "models/series.h"
#include "models/scenario.h"
#include "sim/csv.h"
#include "sim/err.h"
#include "sim/file.h"

struct cli_opts;

/* Creates --out DIR (and its parents) when missing, checks that a file can
 * be created in it and claims it for this run (cli/manifest.h: its lock;
 * another run's files refused, or removed with --overwrite): call before
 * any long work.  SIM_ERR_INPUT when it names something that is not a
 * directory or holds another run's files, SIM_ERR_RUNTIME when it cannot
 * be created or written or another funnelsim is writing it. */
int out_prepare_dir(const struct cli_opts *o, struct sim_err *err);

/* Flushes standard output: a failed write (a full disk, a closed pipe) is
 * an I/O failure like any other.  SIM_OK or SIM_ERR_RUNTIME. */
int out_flush_stdout(struct sim_err *err);

/* What a command shows at its end: one result, three ways. */
struct out_doc {
    const char *stem;           /* --out DIR gets STEM.json and STEM.csv */
    const cJSON *json;          /* STEM.json, and --format json */
    const void *self;           /* the command's state, for the writers */
    void (*csv)(FILE *fp, const void *self);    /* STEM.csv, --format csv */
    void (*table)(FILE *fp, const void *self);  /* the default format */
    /* Other files into --out DIR (run's replications and series), or
     * NULL. */
    int (*more_files)(const char *dir, const void *self, struct sim_err *err);
    bool plot;                  /* then draw DIR's charts (--plot) */
    bool partial;               /* the results cover part of the work (an
                                   interrupt): run.json says so */
};

/* The end of every command that simulates: with --out DIR, writes
 * STEM.json (with the run's "run_id"), STEM.csv and the other files
 * first, so that they are on disk even when standard output has gone
 * away, and DIR/run.json last (cli/manifest.h); then prints the result in
 * the --format asked for and flushes standard output; then, with d->plot,
 * draws the charts of DIR (plots/plot.h: a missing gnuplot only warns).
 * Stops at the first failure and returns it; CLI_EXIT_INTERRUPTED when a
 * signal stopped the charts. */
int out_emit(const struct cli_opts *o, const struct out_doc *d, struct sim_err *err);

/* json, formatted, and a newline: how every command prints JSON.  A
 * failed write shows in out_flush_stdout(). */
void out_print_json(FILE *fp, const cJSON *json);

/* x as a JSON number, or null when it is not finite (an undefined
 * interval, a load over no capacity). */
cJSON *out_number_or_null(double x);

/* A count as a JSON number written in full (12345678901234, never
 * 1.23456789e+13) when it is whole and at most 2^53; otherwise as
 * out_number_or_null(). */
cJSON *out_count_json(double x);

/* obj[name] = s as a JSON string that is valid UTF-8 whatever s holds (a
 * file path given on the command line): invalid bytes become U+FFFD and
 * control characters '?' (sim_text_printable()). */
void out_json_text(cJSON *obj, const char *name, const char *s);

/* obj[name] = u, every digit of it (a seed up to 2^64 - 1: cJSON's doubles
 * would round it). */
void out_json_u64(cJSON *obj, const char *name, unsigned long long u);

/* {"mean": m, "ci95": [lo, hi]} with null for undefined bounds. */
cJSON *out_ci_json(const struct sim_ci *ci);

/* The load's nominal figures into obj, in this order: "inflow_per_week",
 * "offered_per_week", "capacity_per_week", "load_ratio" (models/capacity.h).
 * `over` is the caller's: it belongs with the results ("over_capacity"). */
void out_load_json(cJSON *obj, const struct capacity_load *l);

/* Every metric of s into obj, nested along the dotted keys. */
void out_metrics_json(cJSON *obj, const struct metric_summary *s);

/* The whole result of a run: scenario facts, nominal capacity and load,
 * every metric, warnings. */
cJSON *out_result_json(const struct scenario *scn,
                       const struct metric_summary *s);

void out_result_csv(FILE *fp, const struct metric_summary *s);

/* The last component of a --vary path, for a column heading: "count",
 * "per_week". */
const char *out_path_leaf(const char *path);

/* One interval as three CSV fields: mean, lo, hi (sim/csv.h). */
void out_csv_ci(struct sim_csv *w, const struct sim_ci *ci);

/* The wide CSV of summaries (sweep, compare): every metric as fields of
 * the current row: KEY_mean,KEY_lo,KEY_hi for measured numbers and KEY
 * for counts.  The header, then one row of values per summary. */
void out_metric_csv_header(struct sim_csv *w);
void out_metric_csv_values(struct sim_csv *w, const struct metric_summary *s);

/* A number of days for a table: whole days as "154", fractions to four
 * places without trailing zeros ("0.75", "0.5625"); buf is returned. */
const char *out_days(char buf[32], double days);

/* The result for people; with b (may be NULL) the breakdown's tables
 * (out_breakdown_table) before the warnings. */
void out_result_table(FILE *fp, const struct scenario *scn,
                      const struct metric_summary *s, const struct breakdown_summary *b);

/* The footnote of a table whose rows mark over capacity with '*'. */
extern const char out_over_capacity_note[];

/* The replications, one row each, every metric a column. */
void out_replications_csv(FILE *fp, const double *metrics, const bool *done,
                          size_t reps);

/* ---- the weekly cohorts (models/series.h) ----------------------------- */

/* result.json's "weekly": {"open_max", "weeks": [{"week" (from 1),
 * "from_day", "date" (its first day's, when start_date is set), "measured",
 * "complete", then every weekly measure as
 * {"mean", "ci95"} under its weekly_name(), "n"]}. */
cJSON *out_weekly_json(const struct scenario *scn, const struct series_week *rows, size_t n);

/* result.json's "worst_week": {"week", "from_day", "junk_rate" {mean,
 * ci95}, "runner_up" {"week", "junk_rate"}, "overlaps_runner_up",
 * "complete_weeks"}, or null when no week is complete. */
cJSON *out_worst_week_json(const struct series_week *rows, size_t n,
                           const struct series_worst *w);

/* weekly.csv: week,from_day,[date,]measured,complete, then NAME_mean,
 * NAME_lo, NAME_hi for every weekly measure (undefined values empty); the
 * date (of the week's first day) only when scn sets start_date. */
void out_weekly_csv(FILE *fp, const struct scenario *scn, const struct series_week *rows,
                    size_t n);

/* The worst week's lines for run's table: its junk rate and interval,
 * whether it is told apart from the runner-up, and which weeks were left
 * out as incomplete. */
void out_worst_week_table(FILE *fp, const struct scenario *scn,
                          const struct series_week *rows, size_t n,
                          const struct series_worst *w);

/* ---- by channel and by group (models/breakdown.h) ---------------------- */

/* The rows of a breakdown: its channels, or its groups and "unassigned". */
enum out_breakdown_kind { OUT_BY_CHANNEL, OUT_BY_GROUP };

/* Into a run's result: "by_channel" and "by_group", arrays of {"name": N,
 * then every number of the descriptor table as {"mean", "ci95"}, nested
 * along its dotted key}. */
void out_breakdown_json(cJSON *obj, const struct scenario *scn,
                        const struct breakdown_summary *b);

/* The file name of a breakdown in --out DIR: "by_channel.csv",
 * "by_group.csv". */
const char *out_breakdown_file(enum out_breakdown_kind kind);

/* A breakdown in long form, one row per (row, number): the header
 * "channel,metric,mean,lo,hi" (or "group,..."), the metric its dotted
 * key, undefined bounds empty. */
void out_breakdown_csv(FILE *fp, const struct scenario *scn,
                       const struct breakdown_summary *b, enum out_breakdown_kind kind);

/* The short tables for people, in run's result table: one column per
 * channel (per group), the means of the main numbers. */
void out_breakdown_table(FILE *fp, const struct scenario *scn,
                         const struct breakdown_summary *b);

#endif
