/*
 * trace.h - arrival timestamps read from a CSV file, for `kind: "trace"`
 * channels (docs/model.md, "Arrivals"): a company's real arrivals replayed
 * as they happened.
 *
 * Concept: a trace is the sorted list of the timestamps in one column of
 * one CSV file (sim/csvin.h reads it), as whole seconds since 1970-01-01
 * 00:00 local civil time (sim/date.h: ISO dates or date-times, strictly;
 * anything else stops the load naming the file, the line and the rule).
 * A scenario places it on its timeline with start_date: the time of
 * timestamp s is (s - start_date x 86400) / 3600 hours, computed the same
 * way wherever it is needed, so the replay reproduces the file's times
 * exactly (to the double).
 *
 * Read once per command: traces are kept in a process-wide table keyed by
 * (path, column) and handed out read-only; compiling the scenario again
 * (each point of a sweep, each request) or running any number of
 * replications on any number of threads reads the file no more.  A
 * scenario points at its trace without owning it (scenario.h stays
 * copyable with `=`); the table lives until the process ends.  Memory: 8
 * bytes a timestamp, plus one row of the file while it is read.  The table
 * is guarded by a mutex, held while a file is read (loads are rare).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_TRACE_H
#define MODELS_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

struct trace {
    char *path;                 /* as resolved (relative to the scenario) */
    char *column;
    size_t n;                   /* timestamps (data rows) */
    const int64_t *sec;         /* n seconds since 1970-01-01T00:00, ascending */
};

/* The trace of `column` (a header name) in the CSV file at `path`, read
 * now or earlier in the process.  SIM_OK with *out set; SIM_ERR_INPUT
 * naming the file (and the line and the rule for a bad timestamp, the
 * column when the header lacks it); SIM_ERR_RUNTIME when it cannot be
 * read.  A failed load is not kept: the next call tries again. */
int trace_get(const char *path, const char *column, const struct trace **out,
              struct sim_err *err);

/* Timestamps of t before second `s` (binary search): the index of the
 * first at or after s. */
size_t trace_lower(const struct trace *t, int64_t s);

/* Hours since the midnight starting day number day0 of timestamp i. */
static inline double trace_hours(const struct trace *t, size_t i, int32_t day0)
{
    return (double)(t->sec[i] - (int64_t)day0 * 86400) / 3600.0;
}

/* `file` of a scenario at `scenario_path` as a path to open: an absolute
 * file as it is, a relative one from the scenario's directory.  false when
 * it does not fit `n`. */
bool trace_resolve(char *buf, size_t n, const char *scenario_path, const char *file);

#endif
