/*
 * metric.h - what one replication measures, and how results are named.
 *
 * A replication fills a flat array of doubles indexed by enum metric_id;
 * the runner stores one such array per replication, and metric_summarise()
 * turns them into means with confidence intervals (or sums, for plain
 * counts).  The descriptor table gives each metric its public name, a
 * dotted JSON path such as "junk_by_reason.went_cold", so that the JSON,
 * CSV and table writers (and the sweep's, and the plots') all derive from
 * one list: adding a metric means adding one enum value and one row.
 *
 * Intervals are Student-t intervals over replications, clipped to the
 * metric's range: only METRIC_SIGNED metrics are negative, no share is
 * above 1.
 *
 * What is measured: the part of a replication at or after the warm-up
 * (the measured period, [warm-up, horizon]), and the leads handed to sales
 * in it (measured leads, LEAD_MEASURED in lead.h).  Outcomes (rates,
 * waits, qualified leads, deals, revenue, wasted money) are over measured
 * leads; time averages (backlog, utilization) over the measured period;
 * what happens before a handoff (leads generated and their cost,
 * filtered, diverted) is measured when it happens in the measured
 * period; a lead held back and never handed, when it is lost.  Without a
 * warm-up every lead is accounted for (tests/test_lost.c):
 *   leads_generated = filtered + diverted and not returning
 *                     + (lost - junk) + leads_handed + in_marketing
 *   leads_handed    = resolved + unresolved.
 *
 * Definitions (docs/model.md):
 *   junk_rate           junk / resolved measured leads
 *   junk_by_reason.X    junk with reason X / resolved; they add up to
 *                       junk_rate exactly
 *   held_back_rate      held back at least once / door leads, where the
 *                       door leads are the measured leads that reached
 *                       sales' door, each once: handed (measured by its
 *                       handoff, after any holdbacks), or held back and
 *                       lost, never handed (measured by its loss, the
 *                       holdback it does not come back from)
 *   lost_rate           (junk + held back and lost) / door leads: every
 *                       measured lead that reached sales' door and bought
 *                       nothing for it.  Its denominator holds handed
 *                       leads still open at the horizon, which
 *                       junk_rate's does not
 *   held_back           door leads held back at least once
 *   lost                junk + held back and lost
 *   in_marketing        leads in marketing at the horizon, whenever
 *                       created: in the handoff delay, in theorist
 *                       nurture, or held back in overflow nurture
 *   wasted_spend        the acquisition cost of fitting buyers (fitting
 *                       the profile, not theorists) that were lost: junk,
 *                       or held back and lost
 *   team_cost           the managers' cost over the measured period
 *                       (team[].cost_per_month, a month 365.25/12 days)
 *   profit              revenue - marketing spend - team cost; may be
 *                       negative
 *   cost_per_deal       (marketing spend + team cost) / deals; NaN (null
 *                       in the outputs) in a replication without deals
 *   prob_wait           share of handed leads whose first attempt did not
 *                       start at handoff
 *   wait_hours.*        hours a lead waits before its first conversation
 *                       (queue time plus retry gaps, attempts excluded),
 *                       over leads that left the backlog: the W of
 *                       Little's law L = lambda W with L = backlog_mean
 *   utilization         attempt hours / hours available for new leads
 *   backlog_mean        time-average backlog (team.h)
 *   backlog_trend       least-squares slope of the daily backlog samples
 *                       in the measured period, leads a day; may be
 *                       negative
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_METRIC_H
#define MODELS_METRIC_H

#include <stddef.h>
#include <stdio.h>

#include "sim/stats.h"

enum metric_id {
    METRIC_JUNK_RATE,
    METRIC_JUNK_BAD_FIT,
    METRIC_JUNK_THEORIST,
    METRIC_JUNK_UNREACHABLE,
    METRIC_JUNK_WENT_COLD,
    METRIC_JUNK_MISJUDGED,
    METRIC_JUNK_ABANDONED,
    METRIC_HELD_BACK_RATE,
    METRIC_LOST_RATE,
    METRIC_PROB_WAIT,
    METRIC_WAIT_MEAN,
    METRIC_WAIT_P50,
    METRIC_WAIT_P90,
    METRIC_UTILIZATION,
    METRIC_BACKLOG_MEAN,
    METRIC_QUALIFIED,
    METRIC_DEALS,
    METRIC_REVENUE,
    METRIC_WASTED_SPEND,
    METRIC_MARKETING_SPEND,
    METRIC_TEAM_COST,
    METRIC_PROFIT,
    METRIC_COST_PER_DEAL,
    METRIC_HANDED_PER_WEEK,
    METRIC_FILTERED,
    METRIC_DIVERTED,
    METRIC_RETURNED,
    METRIC_HELD_BACK,
    METRIC_LOST,
    METRIC_RECOVERED,
    METRIC_BACKLOG_TREND,
    /* Plain counts, summed over replications. */
    METRIC_LEADS_GENERATED,
    METRIC_LEADS_HANDED,
    METRIC_RESOLVED,
    METRIC_JUNK,
    METRIC_UNRESOLVED,
    METRIC_IN_MARKETING,
    METRIC_EVENTS,
    METRIC_COUNT
};

/* The junk reasons, in the order of enum metric_id. */
enum junk_reason {
    JUNK_BAD_FIT,
    JUNK_THEORIST,
    JUNK_UNREACHABLE,
    JUNK_WENT_COLD,
    JUNK_MISJUDGED,
    JUNK_ABANDONED,
    JUNK_REASONS
};

enum metric_kind {
    METRIC_MEAN_CI,     /* mean over replications with a 95% interval */
    METRIC_SUM          /* a plain count: the sum over replications */
};

/* What a metric's value may be besides a finite non-negative number (the
 * fuzzer's and the tests' invariants, and the clipping of intervals, read
 * these instead of naming metrics). */
enum metric_flag {
    METRIC_SIGNED = 1u << 0,    /* may be negative (a slope, a profit) */
    METRIC_MAY_BE_NAN = 1u << 1 /* undefined in some replications (no
                                   deals, fewer than two samples) */
};

struct metric_desc {
    const char *key;    /* dotted JSON path, also the CSV column stem */
    const char *label;  /* for the table */
    const char *unit;   /* "share", "hours", "leads", "money", "count" */
    enum metric_kind kind;
    unsigned flags;     /* enum metric_flag */
};

extern const struct metric_desc metric_descs[METRIC_COUNT];

static inline enum metric_id metric_of_reason(enum junk_reason r)
{
    return (enum metric_id)(METRIC_JUNK_BAD_FIT + r);
}

struct metric_summary {
    size_t replications;
    struct sim_ci ci[METRIC_COUNT]; /* METRIC_MEAN_CI metrics */
    double sum[METRIC_COUNT];       /* every metric: the sum */
};

/* Summarises `n` replications stored row after row (n x METRIC_COUNT). */
void metric_summarise(const double *reps, size_t n, double level,
                      struct metric_summary *out);

/* Clips an interval of a metric described by d to its range: only
 * METRIC_SIGNED may be negative, no "share" is above 1 (NaN stays NaN).
 * The breakdown's summaries (breakdown.h) clip the same way. */
void metric_clip(const struct metric_desc *d, struct sim_ci *ci);

/* ---- shares for people --------------------------------------------------- */
/* The program's tables and the charts' report write shares alike. */

/* A measured share in percent, one decimal: "12.3%"; "-" when undefined. */
void metric_fmt_share(char *buf, size_t n, double share);

/* A measured share with its 95% interval: "12.3% (95% CI 11.0% to
 * 13.6%)"; the mean alone when the interval is undefined (one
 * replication), "-" when the mean is. */
void metric_fmt_share_ci(char *buf, size_t n, double mean, double lo, double hi);

/* A share as people set it, a target: "10%", "12.5%" (whole percents
 * without decimals, others to four significant digits). */
void metric_fmt_target(char *buf, size_t n, double share);

#endif
