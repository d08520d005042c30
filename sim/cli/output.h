/*
 * output.h - writing results: files that appear whole, and the formats.
 *
 * Files: every output file is written to a temporary name in its final
 * directory and renamed over the final name only once complete and
 * flushed, so an interrupted or failed run never leaves a half-written
 * file over a good one.  A failed write (disk full) is reported and the
 * temporary removed.
 *
 * Formats: a run's summary as JSON (DESIGN.md's shape: every measured
 * number as {"mean": m, "ci95": [lo, hi]}, counts plain), as CSV (one row
 * per number: metric, mean, ci95_lo, ci95_hi, unit) and as a table for
 * people.  All derive from the metric table of models/metric.h.
 *
 * Ownership: out_result_json() returns a cJSON tree the caller deletes.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_CLI_OUTPUT_H
#define SIM_CLI_OUTPUT_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include <cJSON.h>

#include "models/metric.h"
#include "models/scenario.h"
#include "sim/err.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

struct out_file {
    FILE *fp;
    char path[PATH_MAX];        /* the final name */
    char tmp[PATH_MAX];         /* where it is written until committed */
};

/* Creates `dir` (and its parents) when missing and checks that a file can
 * be created in it: call before any long work.  SIM_ERR_INPUT when it
 * names something that is not a directory, SIM_ERR_RUNTIME when it cannot
 * be created or written. */
int out_prepare_dir(const char *dir, struct sim_err *err);

int out_open(struct out_file *f, const char *dir, const char *name,
             struct sim_err *err);
/* Flushes, syncs and renames into place; on any failure removes the
 * temporary and returns SIM_ERR_RUNTIME. */
int out_commit(struct out_file *f, struct sim_err *err);
/* Closes and removes the temporary. */
void out_discard(struct out_file *f);

/* Writes `text` to dir/name through a temporary. */
int out_write_text(const char *dir, const char *name, const char *text,
                   struct sim_err *err);

/* Writes a cJSON tree, formatted, to dir/name. */
int out_write_json(const char *dir, const char *name, const cJSON *json,
                   struct sim_err *err);

/* Whether the results say the team cannot keep up: a large share of the
 * handed leads still waiting when the horizon ended. */
bool out_over_capacity(const struct metric_summary *s);

/* {"mean": m, "ci95": [lo, hi]} with null for undefined bounds. */
cJSON *out_ci_json(const struct sim_ci *ci);

/* Every metric of s into obj, nested along the dotted keys. */
void out_metrics_json(cJSON *obj, const struct metric_summary *s);

/* The whole result of a run: scenario facts, nominal capacity and load,
 * every metric, warnings.  NULL when out of memory. */
cJSON *out_result_json(const struct scenario *scn,
                       const struct metric_summary *s);

void out_result_csv(FILE *fp, const struct metric_summary *s);

void out_result_table(FILE *fp, const struct scenario *scn,
                      const struct metric_summary *s);

/* The replications, one row each, every metric a column. */
void out_replications_csv(FILE *fp, const double *metrics, const bool *done,
                          size_t reps);

#endif
