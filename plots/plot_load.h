/*
 * plot_load.h - a result directory read back: what the charts are drawn
 * from.
 *
 * Concept: `funnelsim run|sweep|compare --out DIR` leave their results in
 * DIR; the charts never run the model, they read those files.
 * plot_load() reads every one that is there into a struct plot_data:
 *
 *   sweep.json          struct plot_sweep: the points of a sweep or grid;
 *   result.json with series_daily.csv and series_weekly.csv
 *                       struct plot_run: one run's metrics and series,
 *                       its timeline's marks, its weekly cohorts with and
 *                       without its campaigns, and junk_on;
 *   measures.json       struct plot_measures: the waterfall's steps;
 *   compare.json        only whether it is there (it has no chart).
 *
 * Only what the charts and the report use is read, by the metric keys of
 * models/metric.h, so a metric renamed there is renamed here.
 *
 * Invariants:
 *   - each file is optional; one that is there but does not parse, lacks
 *     a key the charts need, or is larger than what funnelsim writes is
 *     an input error (SIM_ERR_INPUT) naming the file and the key;
 *   - every count that sizes an allocation is bounded before allocating:
 *     the file by PLOT_FILE_MAX (plot_file.h), sweep points and each
 *     axis's steps by PLOT_LOAD_MAX_POINTS, waterfall steps by
 *     PLOT_LOAD_MAX_STEPS, series rows by PLOT_LOAD_MAX_DAYS (days) and
 *     its weeks; these are the limits of the commands that write the
 *     files, so a file funnelsim wrote is always within them;
 *   - a number written as null (an undefined interval) reads as NAN;
 *     texts longer than PLOT_LOAD_TEXT_MAX - 1 are cut there.
 *
 * Ownership: struct plot_data is the caller's (on its stack); what
 * plot_load() hangs on it (the sweep, run and measures and their arrays)
 * belongs to it until plot_load_free().  Out of memory stops the program
 * (sim/mem.h).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef PLOTS_PLOT_LOAD_H
#define PLOTS_PLOT_LOAD_H

#include <stdbool.h>

#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "models/measure.h"
#include "models/metric.h"
#include "sim/err.h"

#define PLOT_LOAD_TEXT_MAX 256

/* A sweep's most points (and so the most steps on one axis): sweep's own
 * limit (cli/cmd_sweep.c). */
#define PLOT_LOAD_MAX_POINTS 10000u

/* The waterfall's most steps: the baseline, one a measure, the other
 * changes (cli/cmd_compare.c). */
#define PLOT_LOAD_MAX_STEPS (MEASURE_COUNT + 2u)

/* The series' most days: horizon_days is at most 3650 (the key table,
 * models/keytab.c), a row a day; a row a week, so many weeks. */
#define PLOT_LOAD_MAX_DAYS 3650u
#define PLOT_LOAD_MAX_WEEKS ((PLOT_LOAD_MAX_DAYS + 6u) / 7u)

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

/* What a swept key counts (the key table's tag, as sweep.json records
 * it): the sentences and titles treat an inflow and a team size apart. */
enum plot_tag { PLOT_TAG_NONE, PLOT_TAG_INFLOW, PLOT_TAG_HEADCOUNT };

/* A swept key as sweep.json names it.  An older sweep.json without the
 * label and unit gets the path and the key table's unit and tag. */
struct plot_axis {
    char label[PLOT_LOAD_TEXT_MAX]; /* "web leads a week" */
    char unit[PLOT_LOAD_TEXT_MAX];  /* "leads a week"; "" when none */
    enum plot_tag tag;
};

struct plot_sweep {
    char scenario[PLOT_LOAD_TEXT_MAX];
    char file[PLOT_LOAD_TEXT_MAX];
    char path[PLOT_LOAD_TEXT_MAX];  /* --vary */
    char path2[PLOT_LOAD_TEXT_MAX]; /* --vary2; "" unless a grid */
    struct plot_axis axis, axis2;   /* --vary, --vary2 by name */
    char channels[PLOT_LOAD_TEXT_MAX]; /* "web, webinar"; "" when unknown */
    bool grid;
    unsigned steps, steps2;         /* 1..PLOT_LOAD_MAX_POINTS; steps2 0 unless a grid */
    double base_value, base_value2; /* the scenario's own values; NAN if unknown */
    double managers;                /* the base scenario's team; NAN if unknown */
    double capacity, offered;       /* the base scenario's */
    unsigned reps;
    double horizon_days, warmup_days;
    bool interrupted;
    size_t n;                       /* at most PLOT_LOAD_MAX_POINTS */
    struct plot_point *pts;         /* in sweep.json's order (owned) */
};

/* run --out: result.json and the series. */
#define PLOT_LOAD_MAX_MARKS 64
#define PLOT_LOAD_MAX_ON 4          /* junk_on's measures */

/* What result.json's timeline marks, by kind (cli/cmd_run.c writes it from
 * the scenario, with the scenario's names). */
enum plot_mark_kind {
    PLOT_MARK_CAMPAIGN,             /* a campaign's window (bands) */
    PLOT_MARK_SHOW,                 /* a batch `on` day: a trade show */
    PLOT_MARK_HIRE,                 /* a group's hires start */
    PLOT_MARK_LEAVE,                /* a group's leavers go */
    PLOT_MARK_KINDS
};

struct plot_mark {
    char label[PLOT_LOAD_TEXT_MAX]; /* the campaign's name; the trade show's
                                       channel; the group of a hire or leave */
    double from_day, to_day;        /* both inclusive; a day's mark: equal */
    double count;                   /* a campaign's extra leads a week or
                                       multiplier; a show's leads; managers */
    bool multiplier;                /* a campaign's count is a multiplier */
    bool enabled;                   /* a campaign may be disabled */
};

/* One week of result.json's weekly cohorts (or of the same run without
 * its campaigns and trade shows): what the charts over time draw. */
struct plot_week {
    double from_day;
    bool complete;
    struct plot_ci junk, deals, revenue;
};

struct plot_run {
    char scenario[PLOT_LOAD_TEXT_MAX];
    char file[PLOT_LOAD_TEXT_MAX];
    unsigned reps;
    double horizon_days, warmup_days;
    double capacity, offered;
    struct plot_ci junk, reason[JUNK_REASONS];
    struct plot_ci wasted, revenue, wait, backlog, utilization;
    /* NAN in results written before these metrics existed. */
    struct plot_ci lost, deals, spend, team_cost, profit, cost_per_deal;
    bool over_capacity;
    size_t n_days, n_weeks;         /* at most PLOT_LOAD_MAX_DAYS, _WEEKS */
    double *backlog_day;            /* n_days (owned) */
    double *inflow_week, *resolved_week, *junk_week;   /* n_weeks (owned) */
    /* weekly.csv's cohort junk rate by handoff week and its 95% CI, n_cohort
     * weeks (owned; 0 and NULL for a folder written before weekly.csv). */
    size_t n_cohort;
    double *cohort_junk, *cohort_lo, *cohort_hi;
    /* result.json's timeline.holidays (days), at most PLOT_LOAD_MAX_MARKS. */
    size_t n_holidays;
    double holidays[PLOT_LOAD_MAX_MARKS];
    /* Its campaigns, trade shows, hires and leaves, at most
     * PLOT_LOAD_MAX_MARKS of each kind, and day 0's date when dated. */
    size_t n_marks[PLOT_MARK_KINDS];
    struct plot_mark marks[PLOT_MARK_KINDS][PLOT_LOAD_MAX_MARKS];
    bool dated;
    int32_t start_date;             /* sim/date.h's day number of day 0 */
    /* result.json's weekly cohorts (n_weekly, owned; 0 and NULL in an
     * older folder) and weekly_without_campaigns (n_without, owned; 0 and
     * NULL when the run has no campaign or trade show). */
    size_t n_weekly, n_without;
    struct plot_week *weekly, *without;
    /* result.json's junk_on: the junk rate on each --target-on measure it
     * records ("average", "worst-week", "window:70..97"), and target_on,
     * the measure run was given ("" in an older folder; its window's days,
     * NAN unless a window). */
    size_t n_on;
    struct {
        char name[64];
        struct plot_ci junk;
    } on[PLOT_LOAD_MAX_ON];
    char target_on[64];
    double target_from, target_to;
    /* result.json's worst_week: 0 when absent (an older folder, or no
     * complete week). */
    unsigned worst_week, runner_up;
    struct plot_ci worst_junk;
    bool worst_overlaps;
};

/* compare --measures: measures.json. */
struct plot_step {
    unsigned measure;               /* 1..7; 0 for the baseline or "other" */
    char name[PLOT_LOAD_TEXT_MAX];
    struct plot_ci junk;
    struct plot_ci shapley;         /* the step's Shapley value; NAN when absent */
    double held_back;               /* share */
    struct plot_ci lost, deals;     /* NAN in older results */
};

struct plot_measures {
    char base[PLOT_LOAD_TEXT_MAX], after[PLOT_LOAD_TEXT_MAX];
    unsigned reps;
    size_t n;                       /* 1..PLOT_LOAD_MAX_STEPS */
    struct plot_step *steps;        /* (owned) */
};

/* A scenario value the results ran with, overridden on the command
 * line: "managers in group 'sdrs'" = "7". */
struct plot_override {
    char label[PLOT_LOAD_TEXT_MAX];
    char value[PLOT_LOAD_TEXT_MAX];
};

/* The most overrides a result records: the command line's (cli/cli.h),
 * --reps, --seed and --target-junk among them. */
#define PLOT_LOAD_MAX_OVERRIDES 259u

/* The measure the junk target is tested on in a run's charts and report
 * (plot --target-on, else what run was given, else the average). */
struct plot_target_on {
    bool set;                       /* a run with junk_on: the rest is set */
    char name[64];                  /* "average", "worst-week", "window:70..97" */
    bool window;
    double from_day, to_day;        /* a window's days, both inclusive */
    struct plot_ci junk;            /* the junk rate on it */
};

/* What a directory holds. */
struct plot_data {
    const char *dir;
    double target;                  /* the junk target, a share: plot_dir()'s
                                       choice (the option, else recorded) */
    double recorded_target;         /* "target_junk" of the results; NAN
                                       when they do not record one */
    size_t n_overrides;             /* at most PLOT_LOAD_MAX_OVERRIDES */
    struct plot_override *overrides;/* as the results record them (owned) */
    struct plot_sweep *sweep;       /* NULL when absent */
    struct plot_run *run;
    struct plot_target_on on;       /* set by plot_dir() for a run */
    struct plot_measures *measures;
    bool compare;                   /* compare.json (no chart of its own) */
    struct plot_breakdown *breakdown; /* result.json's by_channel and by_group
                                       (plot_breakdown.h): loaded and freed
                                       by plot_dir(), NULL when absent */
    struct plot_sensitivity *sensitivity; /* sensitivity.json (plot_sensitivity.h):
                                       loaded and freed by plot_dir(), NULL
                                       when absent */
};

/* Reads DIR's result files into *d, keeping d->target and setting the
 * rest; the target and overrides are those of the first of sweep.json,
 * result.json, measures.json and compare.json that records them.  SIM_OK, with every absent file's member NULL; SIM_ERR_INPUT for
 * a malformed file, SIM_ERR_RUNTIME for one that cannot be read, with
 * nothing left to free. */
int plot_load(const char *dir, struct plot_data *d, struct sim_err *err);

/* Frees what plot_load() hung on d. */
void plot_load_free(struct plot_data *d);

/* The readers of result files share these: the item at a dotted key
 * ("junk_by_reason.bad_fit") or NULL, and a number or NAN (null, absent,
 * or not a number). */
const cJSON *plot_load_at(const cJSON *obj, const char *key);
double plot_load_num(const cJSON *item);

#endif
