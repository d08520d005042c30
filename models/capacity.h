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
 *   over      from a run's results, not the scenario: the backlog kept
 *             growing over the measured window, that is the 95% Student-t
 *             interval over replications of backlog_trend (each
 *             replication's least-squares slope of its daily backlog) lies
 *             above 0.  The trend alone decides: leads still waiting at
 *             the horizon (a short window, long retry gaps) are not a
 *             growing backlog.  One replication has no interval: not over.
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

struct capacity_load {
    double inflow;          /* leads created a week */
    double offered;         /* leads handed to sales a week */
    double capacity;        /* nominal leads worked a week */
    double ratio;           /* the load: offered / capacity */
    bool over;              /* results: the backlog kept growing */
};

/* The load of scenario scn; `over` from the results s (NULL: false). */
struct capacity_load capacity_load_of(const struct scenario *scn,
                                      const struct metric_summary *s);

/* Whether results s say the team could not keep up (see above). */
bool capacity_over(const struct metric_summary *s);

/* The share of the handed leads still waiting at the horizon. */
double capacity_unresolved_share(const struct metric_summary *s);

#endif
