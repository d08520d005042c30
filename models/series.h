/*
 * series.h - the time series of a replication: which there are, what
 * they are called in files, and how they lie in memory.
 *
 * Concept: funnel_replicate() fills a struct funnel_series (models/funnel.h)
 * when asked: the backlog each morning and four counts a week.  This table
 * is the one place that lists them; the program's allocation and its CSV
 * files (series_daily.csv, series_weekly.csv), the fuzzer and the charts'
 * reader all go by it, so that adding a series means adding one row here
 * and one member there.
 *
 * Layout: one replication's series sit in one block of doubles, in table
 * order, each as long as its period has entries (funnel_series_days() for
 * daily ones, funnel_series_weeks() for weekly ones): series_block_size()
 * doubles in all.  series_bind() points a struct funnel_series into such
 * a block.
 *
 * Files: the series of one period form one CSV file, its first column the
 * period's index ("day", "week"), then one column per series named by
 * `column`.
 *
 * Ownership: the caller owns the block; series_bind() only points into it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_SERIES_H
#define MODELS_SERIES_H

#include <stddef.h>

#include "models/funnel.h"
#include "models/scenario.h"

enum series_id {
    SERIES_BACKLOG,         /* backlog at start_hour of each day */
    SERIES_INFLOW,          /* leads created in each week */
    SERIES_HANDED,          /* leads handed to sales in each week */
    SERIES_RESOLVED,        /* leads resolved in each week */
    SERIES_JUNK,            /* junk resolved in each week */
    SERIES_COUNT
};

enum series_period { SERIES_DAILY, SERIES_WEEKLY, SERIES_PERIODS };

struct series_desc {
    const char *column;             /* its CSV column: "backlog", "inflow" */
    enum series_period period;
    size_t member;                  /* offsetof(struct funnel_series, ...) */
};

extern const struct series_desc series_descs[SERIES_COUNT];

struct series_period_desc {
    const char *file;               /* "series_daily.csv" */
    const char *index;              /* its first column: "day" */
};

extern const struct series_period_desc series_periods[SERIES_PERIODS];

/* Entries of a series of `period` in scenario scn. */
size_t series_length(const struct scenario *scn, enum series_period period);

/* Doubles in one replication's block. */
size_t series_block_size(const struct scenario *scn);

/* Points every series of s into `block` (series_block_size() doubles). */
void series_bind(struct funnel_series *s, double *block, const struct scenario *scn);

/* The values of series `id` in s. */
double *series_values(const struct funnel_series *s, enum series_id id);

#endif
