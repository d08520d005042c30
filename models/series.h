/*
 * series.h - the time series of a replication: which there are, what
 * they are called in files, and how they lie in memory.
 *
 * Concept: funnel_replicate() fills a struct funnel_series (models/funnel.h)
 * when asked: the backlog each morning, four counts a week by when things
 * happened, and the weekly cohorts' counts by handoff week (tally.h), which
 * the second half of this module summarises over replications (weekly.csv,
 * the worst week, --target-on's measure, weeks to recover).  This table
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
 * `column` (the cohort counts are not written raw: weekly.csv has them
 * summarised).
 *
 * Ownership: the caller owns the block; series_bind() only points into it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_SERIES_H
#define MODELS_SERIES_H

#include <stdbool.h>
#include <stddef.h>

#include "models/funnel.h"
#include "models/metric.h"
#include "models/scenario.h"
#include "models/tally.h"
#include "sim/stats.h"

enum series_id {
    SERIES_BACKLOG,         /* backlog at start_hour of each day */
    SERIES_INFLOW,          /* leads created in each week */
    SERIES_HANDED,          /* leads handed to sales in each week */
    SERIES_RESOLVED,        /* leads resolved in each week */
    SERIES_JUNK,            /* junk resolved in each week */
    /* The cohorts: counted by handoff week (tally.h). */
    SERIES_COHORT_RESOLVED,
    SERIES_COHORT_JUNK,
    SERIES_COHORT_REASON,   /* JUNK_REASONS of them, in reason order */
    SERIES_COHORT_DEALS = SERIES_COHORT_REASON + JUNK_REASONS,
    SERIES_COHORT_REVENUE,
    SERIES_COHORT_FIRST_WAITS,
    SERIES_COHORT_FIRST_WAIT_SUM,
    SERIES_HELD_LOST,
    SERIES_COUNT
};

enum series_period { SERIES_DAILY, SERIES_WEEKLY, SERIES_PERIODS };

struct series_desc {
    const char *column;             /* its CSV column: "backlog", "inflow";
                                       a cohort reason's is "cohort_" and
                                       its metric's leaf (series_column) */
    enum series_period period;
    size_t member;                  /* offsetof(struct funnel_series, ...) */
    bool cohort;                    /* a cohort count: summarised in
                                       weekly.csv, not written raw */
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

/* Series id's CSV column, in buf when built. */
const char *series_column(enum series_id id, char *buf, size_t n);

/* ---- the weekly cohorts, summarised --------------------------------------
 *
 * What weekly.csv and result.json's "weekly" give for each week, each the
 * mean over replications with its 95% Student-t interval (sim/stats.h).
 * The rates are per replication (junk over resolved of the week's cohort);
 * a replication whose cohort resolved nothing has no rate that week and is
 * left out of that week's rate (its n says how many counted).
 *
 * Weeks count from 1: week w covers days [7(w-1), 7w).  A week is
 * `measured` when it starts at or after the warm-up; it is `complete`
 * when it is measured, ends by the horizon, and on average at most
 * SERIES_OPEN_MAX of its cohort is still open at the horizon: the last
 * weeks' leads have had less time to resolve, and their junk rate leaves
 * out the outcomes still to come (went cold, abandoned), so only complete
 * weeks can be the worst week or a target's week. */

#define SERIES_OPEN_MAX 0.05

enum weekly_measure {
    WEEKLY_CREATED,         /* leads created that week, warm-up included */
    WEEKLY_HANDED,          /* measured leads handed that week */
    WEEKLY_RESOLVED,        /* of them, resolved by the horizon */
    WEEKLY_OPEN_SHARE,      /* of them, share still open at the horizon */
    WEEKLY_LOST,            /* the cohort's junk, and leads held back and
                               lost that week */
    WEEKLY_JUNK_RATE,
    WEEKLY_REASON,          /* JUNK_REASONS shares of the cohort resolved */
    WEEKLY_DEALS = WEEKLY_REASON + JUNK_REASONS,
    WEEKLY_REVENUE,
    WEEKLY_BACKLOG,         /* mean of the week's opening backlogs */
    WEEKLY_WAIT_FIRST,      /* mean hours to first contact (or abandoning) */
    WEEKLY_COUNT
};

/* A weekly measure's name in weekly.csv and result.json: a junk reason's
 * is its metric's key (metric.h), "junk_by_reason.bad_fit". */
const char *weekly_name(enum weekly_measure m);

struct series_week {
    unsigned week;          /* from 1 */
    double from_day;        /* its first day, 7 (week - 1) */
    bool measured, complete;
    struct sim_ci v[WEEKLY_COUNT];
};

/* Replication s's value of measure m in week index i (0-based); NaN when
 * undefined (a rate of a cohort that resolved nothing). */
double series_week_value(const struct funnel_series *s, const struct scenario *scn,
                         size_t i, enum weekly_measure m);

/* The weeks of scn summarised over the replications reps[k] with done[k]
 * (n of them): rows[0..funnel_series_weeks(scn)). */
void series_weeks_summarise(const struct funnel_series *reps, const bool *done, size_t n,
                            const struct scenario *scn, struct series_week *rows);

/* The worst week: the complete week with the highest mean junk rate, and
 * the runner-up (the next highest), as row indices; n_rows when none. */
struct series_worst {
    size_t worst, runner_up;
    bool overlaps;          /* their intervals overlap: the worst week is
                               not told apart from the runner-up */
};
struct series_worst series_worst_week(const struct series_week *rows, size_t n_rows);

/* ---- recovery after an event ------------------------------------------------
 *
 * An event (a campaign, a trade show's batch day) changes the weeks while it
 * lasts and after.  Its weeks to recover compare the run with the same run
 * with that event disabled, same seed (common random numbers): the first
 * week after the event's last day whose junk-rate interval overlaps the
 * disabled run's interval of the same week is where the funnel is back.
 * The caller runs both and lists its events (struct series_event); this is
 * the comparison. */

struct series_event {
    const char *name;
    double from_day, to_day;        /* whole days, both inclusive */
};

/* Weeks from the week after the one holding `ev`'s last day to the first
 * week whose junk-rate interval in `with` overlaps that in `without`
 * (0: the week right after the event already overlaps), counting only
 * complete weeks of `with`; -1 when no later week overlaps by the horizon.
 * Both row arrays have n rows (the same scenario's weeks). */
int series_weeks_to_recover(const struct series_week *with, const struct series_week *without,
                            size_t n, const struct series_event *ev);

/* ---- what a target is tested on (--target-on) ----------------------------- */

enum series_target_kind { SERIES_TARGET_AVERAGE, SERIES_TARGET_WORST_WEEK,
                          SERIES_TARGET_WINDOW };

struct series_target {
    enum series_target_kind kind;
    double from_day, to_day;        /* a window's days, both inclusive */
    bool dated;                     /* from_day, to_day are dates (day numbers of
                                     * sim/date.h), not days of a run:
                                     * series_target_days() places them */
};

/* t with its window in days of scn's run: a dated window's dates counted
 * from scn's start_date.  false when t is dated and scn has no start_date
 * (the caller's error to report); *out is t then. */
bool series_target_days(const struct series_target *t, const struct scenario *scn,
                        struct series_target *out);

/* Whether week index i (0-based) overlaps the window [from_day, to_day]
 * of whole days. */
bool series_week_in_window(const struct series_target *t, size_t i);

/* Replication s's junk rate as the target measures it: the worst week's
 * (the highest junk rate over the weeks that are measured, end by the
 * horizon and have at most SERIES_OPEN_MAX of their cohort open in this
 * replication), or the pooled junk rate of the cohorts of the weeks
 * overlapping the window.  NaN when no week qualifies.  Not for
 * SERIES_TARGET_AVERAGE (the metric junk_rate is that). */
double series_target_value(const struct funnel_series *s, const struct scenario *scn,
                           const struct series_target *t);

#endif
