/*
 * capacity.h - the team's load: what the funnel hands sales against what
 * the team can work, in leads a week.
 *
 * Concept: the figures every command reports next to its results, in one
 * struct computed by one function, so that the run's table, the sweep's
 * rows, the size search's runs and the compare columns (and their JSON and
 * CSV) cannot disagree:
 *
 *   inflow    leads created a week over all channels
 *             (funnel_inflow_per_week)
 *   offered   leads handed to sales a week: the inflow less what
 *             pre-qualification filters and diverts for good
 *             (funnel_handed_per_week)
 *   capacity  the team's nominal capacity a week (funnel_capacity_per_week)
 *   ratio     the load, offered / capacity: above 1 the backlog grows
 *             without bound
 *   over      from a run's results, not the scenario: the team cannot keep
 *             up, its backlog grows materially over the measured window:
 *             the 95% Student-t interval over replications of
 *             backlog_trend (each replication's least-squares slope of its
 *             daily backlog, leads a day) lies above the practical
 *             threshold capacity_trend_threshold(), CAPACITY_OVER_SHARE of
 *             the leads handed to sales a day.  A trend that is positive
 *             but below it (an empty backlog filling when warmup_days is 0,
 *             a campaign late in the window, a queue drifting near load 1)
 *             is not a team short of capacity.  Or the team sheds its
 *             excess by abandonment: the interval of
 *             junk_by_reason.abandoned lies above CAPACITY_OVER_SHARE
 *             (capacity_sheds_leads(); see below why).  Leads still waiting
 *             at the horizon (a short window, long retry gaps) are not a
 *             growing backlog.  One replication has no interval: not
 *             over.
 *
 * Invariants: the first four are nominal (the scenario's parameters, no
 * simulation) and finite except as the formulas allow (a capacity of 0
 * gives an infinite ratio; the writers print non-finite figures as null or
 * an empty cell).  `over` is false without results.
 *
 * Ownership: plain values; nothing is allocated.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_CAPACITY_H
#define MODELS_CAPACITY_H

#include <stdbool.h>

#include "models/metric.h"
#include "models/scenario.h"

/* The confidence level of the trend's interval that decides `over`. */
#define CAPACITY_TREND_LEVEL 0.95

/* The practical threshold of `over`, a share of the leads handed to sales
 * a day (a whole percent, so that the tables' footnote can print it).  A team whose capacity falls short of the leads offered to it by
 * a share x grows its backlog by offered - capacity = x offered a day, so
 * a trend of 1% of the handed leads is a team about 1% short (a load of
 * about 1 / 0.99 = 1.01); a year of it piles up 3.65 days of leads.
 * Smaller trends are what a team that keeps up also shows over a finite
 * window: the fill of an empty backlog when the warm-up is 0, a campaign
 * late in the window, the slow wander of a queue near load 1.  With enough
 * replications their interval clears 0, so a bare "above 0" flagged teams
 * at a load of 0.14 (a trend of 0.004 leads a day against 11 handed).  The
 * rate is the measured handed_per_week, over the same window as the trend,
 * so campaigns, time-varying arrivals and pre-qualification count as they
 * ran.  A team that sheds its excess by abandonment (`abandon`) has a
 * bounded backlog: its trend falls with the window's length (the default
 * scenario, load 1.12, grows by 2.4% of its handed leads a day over 182
 * days, 0.7% over 365), so the same share of the resolved leads abandoned
 * before any contact (junk_by_reason.abandoned, its 95% interval wholly
 * above it) is over capacity too: a team that keeps up calls a lead
 * within days, far inside any abandonment delay. */
#define CAPACITY_OVER_PERCENT 1
#define CAPACITY_OVER_SHARE (CAPACITY_OVER_PERCENT / 100.0)

struct capacity_load {
    double inflow;          /* leads created a week */
    double offered;         /* leads handed to sales a week */
    double capacity;        /* nominal leads worked a week */
    double ratio;           /* the load: offered / capacity */
    bool over;              /* results: the backlog kept growing, or the
                               team shed leads by abandonment */
};

/* The load of scenario scn; `over` from the results s (NULL: false). */
struct capacity_load capacity_load_of(const struct scenario *scn,
                                      const struct metric_summary *s);

/* Whether results s say the team could not keep up (see above); every
 * command's flag and warning read this one function. */
bool capacity_over(const struct metric_summary *s);

/* Whether results s show the backlog growing past the threshold: the
 * first of `over`'s two signals. */
bool capacity_backlog_grows(const struct metric_summary *s);

/* Whether more than CAPACITY_OVER_SHARE of s's resolved leads were
 * abandoned before any contact (95% interval wholly above it): the second. */
bool capacity_sheds_leads(const struct metric_summary *s);

/* The trend above which `over` holds, leads a day: CAPACITY_OVER_SHARE of
 * the mean leads handed a day of s (NaN when that is undefined). */
double capacity_trend_threshold(const struct metric_summary *s);

/* The share of the handed leads still waiting at the horizon. */
double capacity_unresolved_share(const struct metric_summary *s);

#endif
