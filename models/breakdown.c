/* SPDX-License-Identifier: MIT */
#include "breakdown.h"

#include <stdlib.h>
#include <string.h>

#include "sim/mem.h"

#define CI METRIC_MEAN_CI

const struct metric_desc breakdown_channel_descs[BC_COUNT] = {
    [BC_GENERATED] = {"leads_generated", "leads generated", "leads", CI, 0},
    [BC_HANDED] = {"leads_handed", "leads handed", "leads", CI, 0},
    [BC_HELD_BACK] = {"held_back", "held back in marketing", "leads", CI, 0},
    [BC_LOST] = {"lost", "lost (junk or held back)", "leads", CI, 0},
    [BC_LOST_RATE] = {"lost_rate", "lost rate", "share", CI, METRIC_MAY_BE_NAN},
    [BC_RESOLVED] = {"resolved", "leads resolved", "leads", CI, 0},
    [BC_JUNK] = {"junk", "junk leads", "leads", CI, 0},
    [BC_JUNK_RATE] = {"junk_rate", "junk rate", "share", CI, METRIC_MAY_BE_NAN},
    [BC_JUNK_BAD_FIT] = {"junk_by_reason.bad_fit", "bad fit", "share", CI, METRIC_MAY_BE_NAN},
    [BC_JUNK_THEORIST] = {"junk_by_reason.theorist", "theorist", "share", CI, METRIC_MAY_BE_NAN},
    [BC_JUNK_UNREACHABLE] = {"junk_by_reason.unreachable", "unreachable", "share", CI,
                             METRIC_MAY_BE_NAN},
    [BC_JUNK_WENT_COLD] = {"junk_by_reason.went_cold", "went cold", "share", CI,
                           METRIC_MAY_BE_NAN},
    [BC_JUNK_MISJUDGED] = {"junk_by_reason.misjudged", "misjudged", "share", CI,
                           METRIC_MAY_BE_NAN},
    [BC_JUNK_ABANDONED] = {"junk_by_reason.abandoned", "abandoned", "share", CI,
                           METRIC_MAY_BE_NAN},
    [BC_DEALS] = {"deals", "deals won", "deals", CI, 0},
    [BC_REVENUE] = {"revenue", "revenue", "money", CI, 0},
    [BC_SPEND] = {"marketing_spend", "marketing spend", "money", CI, 0},
    [BC_WASTED] = {"wasted_spend", "wasted spend", "money", CI, 0},
    [BC_TEAM_COST] = {"team_cost", "team cost (by attempt hours)", "money", CI, 0},
    [BC_PROFIT] = {"profit", "profit", "money", CI, METRIC_SIGNED},
    [BC_COST_PER_DEAL] = {"cost_per_deal", "cost per deal", "money", CI, METRIC_MAY_BE_NAN},
};

const struct metric_desc breakdown_group_descs[BG_COUNT] = {
    [BG_WORKED] = {"leads_worked", "leads worked", "leads", CI, 0},
    [BG_UTILIZATION] = {"utilization", "utilization", "share", CI, METRIC_MAY_BE_NAN},
    [BG_WAIT_MEAN] = {"wait_hours.mean", "wait, mean", "hours", CI, METRIC_MAY_BE_NAN},
    [BG_JUNK] = {"junk", "junk leads", "leads", CI, 0},
    [BG_JUNK_RATE] = {"junk_rate", "junk rate", "share", CI, METRIC_MAY_BE_NAN},
    [BG_JUNK_BAD_FIT] = {"junk_by_reason.bad_fit", "bad fit", "share", CI, METRIC_MAY_BE_NAN},
    [BG_JUNK_THEORIST] = {"junk_by_reason.theorist", "theorist", "share", CI, METRIC_MAY_BE_NAN},
    [BG_JUNK_UNREACHABLE] = {"junk_by_reason.unreachable", "unreachable", "share", CI,
                             METRIC_MAY_BE_NAN},
    [BG_JUNK_WENT_COLD] = {"junk_by_reason.went_cold", "went cold", "share", CI,
                           METRIC_MAY_BE_NAN},
    [BG_JUNK_MISJUDGED] = {"junk_by_reason.misjudged", "misjudged", "share", CI,
                           METRIC_MAY_BE_NAN},
    [BG_JUNK_ABANDONED] = {"junk_by_reason.abandoned", "abandoned", "share", CI,
                           METRIC_MAY_BE_NAN},
    [BG_DEALS] = {"deals", "deals won", "deals", CI, 0},
    [BG_REVENUE] = {"revenue", "revenue", "money", CI, 0},
    [BG_TEAM_COST] = {"team_cost", "team cost", "money", CI, 0},
};

const char *breakdown_group_name(const struct scenario *scn, unsigned g)
{
    return g < scn->n_groups ? scn->team[g].name : BREAKDOWN_UNASSIGNED;
}

/* The interval of one number over the finished replications: they are
 * gathered densely (buf) so that sim_stats_ci sees no gap. */
static void summarise_one(const struct metric_desc *d, const struct breakdown *reps,
                          const bool *done, size_t n, size_t offset, double level,
                          double *buf, struct sim_ci *out)
{
    size_t k = 0;
    for (size_t r = 0; r < n; r++)
        if (done == NULL || done[r])
            buf[k++] = *(const double *)((const char *)&reps[r] + offset);
    sim_stats_ci(buf, 1, k, level, out);
    metric_clip(d, out);
}

void breakdown_summarise(const struct scenario *scn, const struct breakdown *reps,
                         const bool *done, size_t n, double level,
                         struct breakdown_summary *out)
{
    memset(out, 0, sizeof *out);
    static const struct breakdown probe;    /* for the offset of a number */
    double *buf = sim_reallocarray(NULL, n ? n : 1, sizeof *buf);
    for (size_t r = 0; r < n; r++)
        out->replications += done == NULL || done[r];
    for (unsigned c = 0; c < scn->n_channels; c++)
        for (unsigned i = 0; i < BC_COUNT; i++)
            summarise_one(&breakdown_channel_descs[i], reps, done, n,
                          (size_t)((const char *)&probe.channel[c][i] - (const char *)&probe), level, buf,
                          &out->channel[c][i]);
    for (unsigned g = 0; g < breakdown_group_rows(scn); g++)
        for (unsigned i = 0; i < BG_COUNT; i++)
            summarise_one(&breakdown_group_descs[i], reps, done, n,
                          (size_t)((const char *)&probe.group[g][i] - (const char *)&probe), level, buf,
                          &out->group[g][i]);
    free(buf);
}
