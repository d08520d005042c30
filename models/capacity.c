/* SPDX-License-Identifier: MIT */
#include "capacity.h"

#include <math.h>

#include "models/funnel.h"

struct capacity_load capacity_load_of(const struct scenario *scn,
                                      const struct metric_summary *s)
{
    struct capacity_load l = {
        .inflow = funnel_inflow_per_week(scn),
        .offered = funnel_handed_per_week(scn),
        .capacity = funnel_capacity_per_week(scn),
        .over = s != NULL && capacity_over(s),
    };
    l.ratio = l.offered / l.capacity;
    return l;
}

double capacity_unresolved_share(const struct metric_summary *s)
{
    return s->sum[METRIC_UNRESOLVED] / s->sum[METRIC_LEADS_HANDED];
}

double capacity_trend_threshold(const struct metric_summary *s)
{
    return CAPACITY_OVER_SHARE * s->ci[METRIC_HANDED_PER_WEEK].mean / 7.0;
}

/* Whether the CAPACITY_TREND_LEVEL Student-t interval of c lies wholly
 * above `threshold`.  The interval is computed here from the mean and the
 * standard deviation, whatever level the summary was made at. */
static bool interval_above(const struct sim_ci *c, double threshold)
{
    if (c->n < 2 || !isfinite(c->mean) || !isfinite(c->sd) || !isfinite(threshold))
        return false;
    double half = sim_stats_t_quantile(CAPACITY_TREND_LEVEL, c->n) * c->sd / sqrt((double)c->n);
    return c->mean - half > threshold;
}

/* The threshold takes the mean handed rate, not each replication's: it is
 * a convention (a share), and the handed rate varies far less between
 * replications than the trend. */
bool capacity_backlog_grows(const struct metric_summary *s)
{
    return interval_above(&s->ci[METRIC_BACKLOG_TREND], capacity_trend_threshold(s));
}

bool capacity_sheds_leads(const struct metric_summary *s)
{
    return interval_above(&s->ci[METRIC_JUNK_ABANDONED], CAPACITY_OVER_SHARE);
}

bool capacity_over(const struct metric_summary *s)
{
    return capacity_backlog_grows(s) || capacity_sheds_leads(s);
}
