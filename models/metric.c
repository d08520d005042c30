/* SPDX-License-Identifier: MIT */
#include "metric.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define CI METRIC_MEAN_CI
#define SUM METRIC_SUM

const struct metric_desc metric_descs[METRIC_COUNT] = {
    [METRIC_JUNK_RATE] = {"junk_rate", "junk rate", "share", CI, 0},
    [METRIC_JUNK_BAD_FIT] = {"junk_by_reason.bad_fit", "bad fit", "share", CI, 0},
    [METRIC_JUNK_THEORIST] = {"junk_by_reason.theorist", "theorist", "share", CI, 0},
    [METRIC_JUNK_UNREACHABLE] = {"junk_by_reason.unreachable", "unreachable", "share", CI, 0},
    [METRIC_JUNK_WENT_COLD] = {"junk_by_reason.went_cold", "went cold", "share", CI, 0},
    [METRIC_JUNK_MISJUDGED] = {"junk_by_reason.misjudged", "misjudged", "share", CI, 0},
    [METRIC_JUNK_ABANDONED] = {"junk_by_reason.abandoned", "abandoned", "share", CI, 0},
    [METRIC_HELD_BACK_RATE] = {"held_back_rate", "held back in marketing", "share", CI, 0},
    [METRIC_LOST_RATE] = {"lost_rate", "lost (junk or held back)", "share", CI, 0},
    [METRIC_PROB_WAIT] = {"prob_wait", "not contacted at once", "share", CI, 0},
    [METRIC_WAIT_MEAN] = {"wait_hours.mean", "wait, mean", "hours", CI, 0},
    [METRIC_WAIT_P50] = {"wait_hours.p50", "wait, median", "hours", CI, 0},
    [METRIC_WAIT_P90] = {"wait_hours.p90", "wait, 90th percentile", "hours", CI, 0},
    [METRIC_UTILIZATION] = {"utilization", "utilization", "share", CI, 0},
    [METRIC_BACKLOG_MEAN] = {"backlog_mean", "backlog, mean", "leads", CI, 0},
    [METRIC_QUALIFIED] = {"qualified", "qualified", "leads", CI, 0},
    [METRIC_DEALS] = {"deals", "deals won", "deals", CI, 0},
    [METRIC_REVENUE] = {"revenue", "revenue", "money", CI, 0},
    [METRIC_WASTED_SPEND] = {"wasted_spend", "wasted spend", "money", CI, 0},
    [METRIC_MARKETING_SPEND] = {"marketing_spend", "marketing spend", "money", CI, 0},
    [METRIC_TEAM_COST] = {"team_cost", "team cost", "money", CI, 0},
    [METRIC_PROFIT] = {"profit", "profit", "money", CI, METRIC_SIGNED},
    [METRIC_COST_PER_DEAL] = {"cost_per_deal", "cost per deal", "money", CI,
                              METRIC_MAY_BE_NAN},
    [METRIC_HANDED_PER_WEEK] = {"handed_per_week", "handed to sales per week", "leads", CI, 0},
    [METRIC_FILTERED] = {"filtered", "filtered by pre-qualification", "leads", CI, 0},
    [METRIC_DIVERTED] = {"diverted", "theorists diverted to nurture", "leads", CI, 0},
    [METRIC_RETURNED] = {"returned", "back from nurture as buyers", "leads", CI, 0},
    [METRIC_HELD_BACK] = {"held_back", "held back in marketing", "leads", CI, 0},
    [METRIC_LOST] = {"lost", "lost (junk or held back)", "leads", CI, 0},
    [METRIC_RECOVERED] = {"recovered", "recovered by audits", "leads", CI, 0},
    [METRIC_BACKLOG_TREND] = {"backlog_trend", "backlog trend", "leads a day", CI,
                              METRIC_SIGNED | METRIC_MAY_BE_NAN},
    [METRIC_LEADS_GENERATED] = {"leads_generated", "leads generated", "count", SUM, 0},
    [METRIC_LEADS_HANDED] = {"leads_handed", "leads handed", "count", SUM, 0},
    [METRIC_RESOLVED] = {"resolved", "leads resolved", "count", SUM, 0},
    [METRIC_JUNK] = {"junk", "junk leads", "count", SUM, 0},
    [METRIC_UNRESOLVED] = {"unresolved", "unresolved at the horizon", "count", SUM, 0},
    [METRIC_IN_MARKETING] = {"in_marketing", "in marketing at the horizon", "count", SUM, 0},
    [METRIC_EVENTS] = {"events", "events", "count", SUM, 0},
};

void metric_summarise(const double *reps, size_t n, double level,
                      struct metric_summary *out)
{
    memset(out, 0, sizeof *out);
    out->replications = n;
    for (unsigned i = 0; i < METRIC_COUNT; i++) {
        for (size_t r = 0; r < n; r++)
            out->sum[i] += reps[r * METRIC_COUNT + i];
        if (metric_descs[i].kind != METRIC_MEAN_CI)
            continue;
        sim_stats_ci(reps + i, METRIC_COUNT, n, level, &out->ci[i]);
        metric_clip(&metric_descs[i], &out->ci[i]);
    }
}

void metric_clip(const struct metric_desc *d, struct sim_ci *ci)
{
    /* Only a signed metric can be negative, and no share is above 1: the
     * t interval of a nearly constant metric may reach past its range,
     * and a share measured over a window (utilization) may pass 1 by a
     * boundary effect.  The mean and both ends are clipped alike, so the
     * interval always holds the mean.  An undefined number (NaN: one
     * replication, no deals) stays undefined: fmax() would turn it into
     * the lower end and print a one-replication interval as [0, 0]. */
    double lo = (d->flags & METRIC_SIGNED) ? -INFINITY : 0.0;
    double hi = strcmp(d->unit, "share") == 0 ? 1.0 : INFINITY;
    double *v[] = {&ci->mean, &ci->lo, &ci->hi};
    for (unsigned k = 0; k < 3; k++)
        if (!isnan(*v[k]))
            *v[k] = fmin(fmax(*v[k], lo), hi);
}

void metric_fmt_share(char *buf, size_t n, double share)
{
    if (isfinite(share))
        snprintf(buf, n, "%.1f%%", 100.0 * share);
    else
        snprintf(buf, n, "-");
}

void metric_fmt_share_ci(char *buf, size_t n, double mean, double lo, double hi)
{
    char m[32], l[32], h[32];
    metric_fmt_share(m, sizeof m, mean);
    if (!isfinite(mean) || !isfinite(lo) || !isfinite(hi)) {
        snprintf(buf, n, "%s", m);
        return;
    }
    metric_fmt_share(l, sizeof l, lo);
    metric_fmt_share(h, sizeof h, hi);
    snprintf(buf, n, "%s (95%% CI %s to %s)", m, l, h);
}

void metric_fmt_target(char *buf, size_t n, double share)
{
    double p = 100.0 * share;
    if (fabs(p - round(p)) < 1e-9)
        snprintf(buf, n, "%.0f%%", p);
    else
        snprintf(buf, n, "%.4g%%", p);
}
