/* SPDX-License-Identifier: MIT */
#include "capacity.h"

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

bool capacity_over(const struct metric_summary *s)
{
    double handed = s->sum[METRIC_LEADS_HANDED];
    return handed > 0 && s->sum[METRIC_UNRESOLVED] > CAPACITY_OVER_UNRESOLVED * handed;
}
