/* SPDX-License-Identifier: MIT */
#include "series.h"

#include <math.h>

#define AT(m) offsetof(struct funnel_series, m)

/* The member of s that holds series id's pointer. */
static double **member(struct funnel_series *s, enum series_id id)
{
    return (double **)((char *)s + series_descs[id].member);
}

const struct series_desc series_descs[SERIES_COUNT] = {
    [SERIES_BACKLOG] = {"backlog", SERIES_DAILY, AT(backlog_day)},
    [SERIES_INFLOW] = {"inflow", SERIES_WEEKLY, AT(inflow_week)},
    [SERIES_HANDED] = {"handed", SERIES_WEEKLY, AT(handed_week)},
    [SERIES_RESOLVED] = {"resolved", SERIES_WEEKLY, AT(resolved_week)},
    [SERIES_JUNK] = {"junk", SERIES_WEEKLY, AT(junk_week)},
};

const struct series_period_desc series_periods[SERIES_PERIODS] = {
    [SERIES_DAILY] = {"series_daily.csv", "day"},
    [SERIES_WEEKLY] = {"series_weekly.csv", "week"},
};

unsigned funnel_series_days(const struct scenario *scn)
{
    return (unsigned)ceil(scn->horizon_days);
}

unsigned funnel_series_weeks(const struct scenario *scn)
{
    return (unsigned)ceil(scn->horizon_days / 7.0);
}

size_t series_length(const struct scenario *scn, enum series_period period)
{
    return period == SERIES_DAILY ? funnel_series_days(scn) : funnel_series_weeks(scn);
}

size_t series_block_size(const struct scenario *scn)
{
    size_t n = 0;
    for (unsigned i = 0; i < SERIES_COUNT; i++)
        n += series_length(scn, series_descs[i].period);
    return n;
}

void series_bind(struct funnel_series *s, double *block, const struct scenario *scn)
{
    for (unsigned i = 0; i < SERIES_COUNT; i++) {
        *member(s, (enum series_id)i) = block;
        block += series_length(scn, series_descs[i].period);
    }
}

double *series_values(const struct funnel_series *s, enum series_id id)
{
    return *(double *const *)((const char *)s + series_descs[id].member);
}
