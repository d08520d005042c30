/*
 * tally.h - what one replication counts.
 *
 * Concept: the funnel's stages (funnel.c) say what happened to a lead by
 * calling one small function each (tally_generated, tally_handed,
 * tally_junk, tally_deal, ...); the tally keeps the totals of metric.h
 * and the same outcomes split by channel and by group (breakdown.h), the
 * waits' histogram, the backlog's time average and trend, and the time
 * series when asked.  At the end tally_fill_metrics() writes the metric
 * array and tally_fill_breakdown() the breakdown.  The model decides; the
 * tally only counts, so it draws no random number and changes no state of
 * the model: counting more never changes a result.
 *
 * What is measured (metric.h): events at or after the warm-up, and the
 * outcomes of measured leads (LEAD_MEASURED).  A function given a lead
 * after its handoff counts it only when the lead is measured; one that
 * comes before the handoff (generated, filtered, diverted, held back)
 * takes `measured` from its caller, which knows when it happened.
 *
 * Attribution: a lead's channel is l->channel; its group is that of the
 * manager of its last attempt (l->mgr once LEAD_ATTEMPTED is set: an
 * outcome is counted at the end of an attempt, by that attempt's
 * manager), or "unassigned" (row n_groups) for a lead never attempted.
 * Every count goes to exactly one channel and one group row beside the
 * total, so they add up exactly.
 *
 * Cost: O(1) per call, no allocation: the counters are fixed arrays of
 * SCN_MAX_CHANNELS and SCN_MAX_GROUPS + 1 rows.  The rows are counted
 * only when asked (`by`), so a sweep or a search, which never reads them,
 * pays a predictable branch instead (counting them costs a run about 3%
 * more instructions, callgrind on bench-funnel).  The lead log (leadlog.h)
 * hooks into the same calls when t->log is set, and costs a pointer test
 * per call when not.  Ownership: the tally is
 * embedded in the funnel; it points at the scenario, the team and the
 * caller's series, which outlive it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_TALLY_H
#define MODELS_TALLY_H

#include <stdbool.h>
#include <stdint.h>

#include "models/breakdown.h"
#include "models/lead.h"
#include "models/leadlog.h"
#include "models/metric.h"
#include "models/scenario.h"
#include "models/team.h"
#include "sim/hist.h"
#include "sim/stats.h"

/* Optional time series of one replication, for the run-over-time chart
 * and the weekly cohorts (series.h names them).  The caller allocates the
 * arrays (funnel_series_days/weeks entries, funnel.h).
 *
 * The cohort_* series count by handoff week: a measured lead's outcome
 * (resolved, junk and its reason, deal, first wait) lands in the row of
 * the week it was handed in, whenever it happens, so each week's junk
 * rate is that of the leads handed that week.  A lead held back and lost
 * was never handed: it lands in the week it was lost.  Summed over the
 * weeks, each cohort series equals its total (handed, resolved, junk,
 * deals, ...) exactly, the week index being stamped on the lead at its
 * handoff (lead.week). */
struct funnel_series {
    double *backlog_day;    /* backlog at start_hour of each day */
    double *inflow_week;    /* leads created in each week, warm-up included */
    double *handed_week;    /* measured leads handed to sales in each week */
    double *resolved_week;  /* measured leads resolved in each week */
    double *junk_week;      /* measured junk resolved in each week */
    double *cohort_resolved;            /* of the week's handed leads */
    double *cohort_junk;
    double *cohort_reason[JUNK_REASONS];
    double *cohort_deals, *cohort_revenue;
    double *cohort_first_waits;         /* first waits ended, and their */
    double *cohort_first_wait_sum;      /* hours in all */
    double *held_lost_week;             /* held back and lost that week */
};

/* One channel's counters. */
struct tally_channel {
    double generated, filtered, diverted, held_back, held_lost, handed;
    double resolved, junk, reason[JUNK_REASONS];
    double deals, revenue, spend, wasted;
    double busy_hours;              /* attempt hours on its leads */
};

/* One group's counters (row n_groups: leads never attempted). */
struct tally_group {
    double resolved, junk, reason[JUNK_REASONS];
    double deals, revenue, wait_sum;
    double busy_hours;              /* its managers' attempt hours */
};

struct tally {
    const struct scenario *scn;
    const struct team *team;
    double warmup, horizon;         /* hours: the measured period */
    struct funnel_series *series;   /* NULL: not recorded */
    bool by;                        /* count by channel and by group */
    struct leadlog *log;            /* NULL: no lead log (leadlog.h); set
                                       by the funnel after tally_init */
    unsigned series_days, series_weeks;
    uint64_t samples;               /* series events: not the model's own */
    /* Totals over the measured period and measured leads (metric.h). */
    double generated, filtered, diverted, returned, handed;
    double held_back;               /* at sales' door: held back once or
                                       more, then handed or lost */
    double held_lost;               /* held back and lost, never handed */
    double first_waits, first_waits_delayed;
    double resolved, junk, reason[JUNK_REASONS], recovered;
    double qualified, deals, revenue, wasted, spend;
    double wait_sum;
    double busy_hours;              /* attempt hours in the measured period */
    struct sim_tavg backlog_tavg;   /* time average of team.backlog */
    struct sim_slope backlog_trend; /* daily backlog samples, measured period */
    struct sim_hist waits;          /* hours each resolved lead waited */
    /* The breakdown. */
    struct tally_channel channel[SCN_MAX_CHANNELS];
    struct tally_group group[BREAKDOWN_GROUP_ROWS];
};

/* An empty tally for a replication of scn worked by `team`, recording the
 * series into `series` when not NULL, of `days` daily and `weeks` weekly
 * entries (funnel_series_days/weeks: the daily samples are taken for the
 * trend even without a series), and the rows by channel and by group when
 * `by` (tally_fill_breakdown() needs them). */
void tally_init(struct tally *t, const struct scenario *scn, const struct team *team,
                struct funnel_series *series, unsigned days, unsigned weeks, bool by);

/* ---- before the handoff ------------------------------------------------ */

/* Lead l was created now (its channel set); its cost is spent.  The
 * inflow series counts warm-up leads too. */
void tally_generated(struct tally *t, const struct lead *l, double now, bool measured);
void tally_filtered(struct tally *t, const struct lead *l, bool measured);
void tally_diverted(struct tally *t, const struct lead *l, bool measured);
/* A diverted lead l will not return from nurture: it is gone (counted as
 * diverted already; only the lead log sees this). */
void tally_gone(struct tally *t, const struct lead *l);
/* Lead l, held back and not to return, is lost at sales' door now (counted
 * when `measured`, the loss being in the measured period); its cost is
 * wasted when it was a fitting buyer, as for junk (docs/model.md, "Lost
 * leads and money"). */
void tally_held_lost(struct tally *t, const struct lead *l, double now, bool measured);

/* ---- after the handoff: measured leads only ---------------------------- */

/* Lead l, just marked measured or not, was handed to sales now (a lead
 * held back before, LEAD_HELD_BACK, counts as held back now).  Stamps the
 * lead's handoff week (l->week, the tally's own field of the lead). */
void tally_handed(struct tally *t, struct lead *l, double now);

/* Lead l's first wait ended (its first attempt began, or it abandoned);
 * `delayed` when it did not start at the handoff. */
void tally_first_wait(struct tally *t, const struct lead *l, bool delayed);

/* Manager m spent `hours` of the measured period in an attempt on l. */
void tally_busy(struct tally *t, unsigned m, const struct lead *l, double hours);

/* Lead l was judged a buyer; tally_deal: and won a deal of `value`. */
void tally_qualified(struct tally *t, const struct lead *l);
void tally_deal(struct tally *t, const struct lead *l, double value);

/* An audit recovered lead l. */
void tally_recovered(struct tally *t, const struct lead *l);

/* Lead l leaves the funnel now: qualified (tally_resolved) or junk for
 * reason `why` (tally_junk; the money of a fitting buyer is wasted). */
void tally_resolved(struct tally *t, const struct lead *l, double now);
void tally_junk(struct tally *t, const struct lead *l, enum junk_reason why, double now);

/* ---- the period -------------------------------------------------------- */

/* The total backlog became `backlog` now. */
static inline void tally_backlog(struct tally *t, double now, double backlog)
{
    sim_tavg_set(&t->backlog_tavg, now, backlog);
}

/* The daily sample of day `day` at time now (a measurement event). */
void tally_sample(struct tally *t, double now, unsigned day, double backlog);

/* ---- the end ----------------------------------------------------------- */

/* The metrics of the replication; `events` is every event the engine ran
 * (the series' samples are taken out); `in_marketing` the leads still in
 * the handoff delay or a nurture at the horizon.  Call after the attempts still
 * running at the horizon were given to tally_busy(). */
void tally_fill_metrics(const struct tally *t, uint64_t events, double in_marketing,
                        double x[METRIC_COUNT]);

/* The breakdown of the replication (breakdown.h). */
void tally_fill_breakdown(const struct tally *t, struct breakdown *b);

#endif
