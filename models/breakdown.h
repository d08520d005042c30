/*
 * breakdown.h - results by channel and by group: what they are called, how
 * one replication's lie in memory, and their summary over replications.
 *
 * Concept: besides its totals (metric.h) a replication may report the
 * same outcomes split by the channel that created each lead and by the
 * group of managers that made its last attempt ("unassigned" for a lead
 * never attempted: it abandoned in the backlog).  The two descriptor
 * tables below are the one list of those numbers; the JSON, CSV, table,
 * chart and report writers all derive from them, as the totals' writers
 * derive from metric_descs.
 *
 * Definitions (docs/model.md, "Results by channel and by group"), over
 * the measured window and measured leads, as the totals:
 *   channel  leads_generated, leads_handed, held_back, resolved, junk,
 *            deals: counts of the channel's leads; lost = junk + held
 *            back; lost_rate = lost / (handed + held back); junk_rate and
 *            junk_by_reason.X over the channel's resolved leads;
 *            revenue, marketing_spend (its leads' cost), wasted_spend;
 *            team_cost: the team's cost shared out by the attempt hours
 *            spent on the channel's leads (all of it to the channels when
 *            any attempt was made); profit = revenue - spend - team cost;
 *            cost_per_deal = (spend + team cost) / deals.
 *   group    leads_worked: resolved leads whose last attempt was the
 *            group's; junk, junk_rate and junk_by_reason.X over them;
 *            deals, revenue; wait_hours.mean: their mean wait;
 *            utilization: the group's attempt hours over its hours for
 *            new leads (count x new_lead_share x working hours);
 *            team_cost: its managers' cost.
 *
 * Invariants: the counts of the channels (and of the groups with
 * "unassigned") add up exactly to the totals of the same replication;
 * a total rate is the resolved-weighted mean of the channels' (and of
 * the groups') rates.  tests/test_breakdown.c checks both.
 *
 * Layout and ownership: struct breakdown is one replication's numbers,
 * fixed arrays with no pointer, filled by funnel_replicate() when the
 * caller hands one in (funnel_opts.breakdown); the caller owns it.
 * Group row g < n_groups is team[g]; row n_groups is "unassigned".
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_BREAKDOWN_H
#define MODELS_BREAKDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include "models/metric.h"
#include "models/scenario.h"
#include "sim/stats.h"

enum breakdown_channel_metric {
    BC_GENERATED,
    BC_HANDED,
    BC_HELD_BACK,
    BC_LOST,
    BC_LOST_RATE,
    BC_RESOLVED,
    BC_JUNK,
    BC_JUNK_RATE,
    BC_JUNK_BAD_FIT,        /* one per junk reason, in enum junk_reason order */
    BC_JUNK_THEORIST,
    BC_JUNK_UNREACHABLE,
    BC_JUNK_WENT_COLD,
    BC_JUNK_MISJUDGED,
    BC_JUNK_ABANDONED,
    BC_DEALS,
    BC_REVENUE,
    BC_SPEND,
    BC_WASTED,
    BC_TEAM_COST,
    BC_PROFIT,
    BC_COST_PER_DEAL,
    BC_COUNT
};

enum breakdown_group_metric {
    BG_WORKED,
    BG_UTILIZATION,
    BG_WAIT_MEAN,
    BG_JUNK,
    BG_JUNK_RATE,
    BG_JUNK_BAD_FIT,        /* one per junk reason, in enum junk_reason order */
    BG_JUNK_THEORIST,
    BG_JUNK_UNREACHABLE,
    BG_JUNK_WENT_COLD,
    BG_JUNK_MISJUDGED,
    BG_JUNK_ABANDONED,
    BG_DEALS,
    BG_REVENUE,
    BG_TEAM_COST,
    BG_COUNT
};

/* The group row of leads never attempted is named so. */
#define BREAKDOWN_UNASSIGNED "unassigned"
#define BREAKDOWN_GROUP_ROWS (SCN_MAX_GROUPS + 1)

/* The same shape as the totals' descriptors (metric.h): key, label, unit,
 * kind (always METRIC_MEAN_CI here) and flags. */
extern const struct metric_desc breakdown_channel_descs[BC_COUNT];
extern const struct metric_desc breakdown_group_descs[BG_COUNT];

static inline enum breakdown_channel_metric breakdown_channel_of_reason(enum junk_reason r)
{
    return (enum breakdown_channel_metric)(BC_JUNK_BAD_FIT + r);
}

static inline enum breakdown_group_metric breakdown_group_of_reason(enum junk_reason r)
{
    return (enum breakdown_group_metric)(BG_JUNK_BAD_FIT + r);
}

/* One replication's breakdown. */
struct breakdown {
    double channel[SCN_MAX_CHANNELS][BC_COUNT];
    double group[BREAKDOWN_GROUP_ROWS][BG_COUNT];
};

/* Group rows of scn: its groups and "unassigned". */
static inline unsigned breakdown_group_rows(const struct scenario *scn)
{
    return scn->n_groups + 1;
}

/* The name of group row g: team[g].name, or BREAKDOWN_UNASSIGNED. */
const char *breakdown_group_name(const struct scenario *scn, unsigned g);

/* The summary over replications: a 95% (or `level`) t interval per
 * number, clipped as the totals are (metric_clip()). */
struct breakdown_summary {
    size_t replications;
    struct sim_ci channel[SCN_MAX_CHANNELS][BC_COUNT];
    struct sim_ci group[BREAKDOWN_GROUP_ROWS][BG_COUNT];
};

/* Summarises the replications r < n with done[r] (done may be NULL: all)
 * of `reps`. */
void breakdown_summarise(const struct scenario *scn, const struct breakdown *reps,
                         const bool *done, size_t n, double level,
                         struct breakdown_summary *out);

#endif
