/* SPDX-License-Identifier: MIT */
#include "series.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/mem.h"

#define AT(m) offsetof(struct funnel_series, m)

/* The member of s that holds series id's pointer. */
static double **member(struct funnel_series *s, enum series_id id)
{
    return (double **)((char *)s + series_descs[id].member);
}

const struct series_desc series_descs[SERIES_COUNT] = {
    [SERIES_BACKLOG] = {"backlog", SERIES_DAILY, AT(backlog_day), false},
    [SERIES_INFLOW] = {"inflow", SERIES_WEEKLY, AT(inflow_week), false},
    [SERIES_HANDED] = {"handed", SERIES_WEEKLY, AT(handed_week), false},
    [SERIES_RESOLVED] = {"resolved", SERIES_WEEKLY, AT(resolved_week), false},
    [SERIES_JUNK] = {"junk", SERIES_WEEKLY, AT(junk_week), false},
    [SERIES_COHORT_RESOLVED] = {"cohort_resolved", SERIES_WEEKLY, AT(cohort_resolved), true},
    [SERIES_COHORT_JUNK] = {"cohort_junk", SERIES_WEEKLY, AT(cohort_junk), true},
    [SERIES_COHORT_REASON + JUNK_BAD_FIT] = {NULL, SERIES_WEEKLY,
                                             AT(cohort_reason[JUNK_BAD_FIT]), true},
    [SERIES_COHORT_REASON + JUNK_THEORIST] = {NULL, SERIES_WEEKLY,
                                              AT(cohort_reason[JUNK_THEORIST]), true},
    [SERIES_COHORT_REASON + JUNK_UNREACHABLE] = {NULL, SERIES_WEEKLY,
                                                 AT(cohort_reason[JUNK_UNREACHABLE]), true},
    [SERIES_COHORT_REASON + JUNK_WENT_COLD] = {NULL, SERIES_WEEKLY,
                                               AT(cohort_reason[JUNK_WENT_COLD]), true},
    [SERIES_COHORT_REASON + JUNK_MISJUDGED] = {NULL, SERIES_WEEKLY,
                                               AT(cohort_reason[JUNK_MISJUDGED]), true},
    [SERIES_COHORT_REASON + JUNK_ABANDONED] = {NULL, SERIES_WEEKLY,
                                               AT(cohort_reason[JUNK_ABANDONED]), true},
    [SERIES_COHORT_DEALS] = {"cohort_deals", SERIES_WEEKLY, AT(cohort_deals), true},
    [SERIES_COHORT_REVENUE] = {"cohort_revenue", SERIES_WEEKLY, AT(cohort_revenue), true},
    [SERIES_COHORT_FIRST_WAITS] = {"cohort_first_waits", SERIES_WEEKLY,
                                   AT(cohort_first_waits), true},
    [SERIES_COHORT_FIRST_WAIT_SUM] = {"cohort_first_wait_hours", SERIES_WEEKLY,
                                      AT(cohort_first_wait_sum), true},
    [SERIES_HELD_LOST] = {"held_lost", SERIES_WEEKLY, AT(held_lost_week), true},
};
_Static_assert(JUNK_REASONS == 6, "a cohort series per junk reason");

/* The leaf of a dotted metric key: "went_cold" of "junk_by_reason.went_cold". */
static const char *leaf(const char *key)
{
    const char *dot = strrchr(key, '.');
    return dot ? dot + 1 : key;
}

const char *series_column(enum series_id id, char *buf, size_t n)
{
    if (series_descs[id].column != NULL)
        return series_descs[id].column;
    enum junk_reason r = (enum junk_reason)(id - SERIES_COHORT_REASON);
    snprintf(buf, n, "cohort_%s", leaf(metric_descs[metric_of_reason(r)].key));
    return buf;
}

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

/* ---- the weekly cohorts ---------------------------------------------------- */

static const char *const weekly_names[WEEKLY_COUNT] = {
    [WEEKLY_CREATED] = "created", [WEEKLY_HANDED] = "handed",
    [WEEKLY_RESOLVED] = "resolved", [WEEKLY_OPEN_SHARE] = "open_share",
    [WEEKLY_LOST] = "lost", [WEEKLY_JUNK_RATE] = "junk_rate",
    [WEEKLY_DEALS] = "deals", [WEEKLY_REVENUE] = "revenue",
    [WEEKLY_BACKLOG] = "backlog", [WEEKLY_WAIT_FIRST] = "wait_first_hours",
};

const char *weekly_name(enum weekly_measure m)
{
    if (m >= WEEKLY_REASON && m < WEEKLY_REASON + JUNK_REASONS)
        return metric_descs[metric_of_reason((enum junk_reason)(m - WEEKLY_REASON))].key;
    return weekly_names[m];
}

static double at(const struct funnel_series *s, enum series_id id, size_t i)
{
    return series_values(s, id)[i];
}

static double ratio(double num, double den)
{
    return den > 0.0 ? num / den : NAN;
}

double series_week_value(const struct funnel_series *s, const struct scenario *scn,
                         size_t i, enum weekly_measure m)
{
    double resolved = at(s, SERIES_COHORT_RESOLVED, i);
    if (m >= WEEKLY_REASON && m < WEEKLY_REASON + JUNK_REASONS)
        return ratio(at(s, SERIES_COHORT_REASON + (m - WEEKLY_REASON), i), resolved);
    switch (m) {
    case WEEKLY_CREATED: return at(s, SERIES_INFLOW, i);
    case WEEKLY_HANDED: return at(s, SERIES_HANDED, i);
    case WEEKLY_RESOLVED: return resolved;
    case WEEKLY_OPEN_SHARE:
        return ratio(at(s, SERIES_HANDED, i) - resolved, at(s, SERIES_HANDED, i));
    case WEEKLY_LOST: return at(s, SERIES_COHORT_JUNK, i) + at(s, SERIES_HELD_LOST, i);
    case WEEKLY_JUNK_RATE: return ratio(at(s, SERIES_COHORT_JUNK, i), resolved);
    case WEEKLY_DEALS: return at(s, SERIES_COHORT_DEALS, i);
    case WEEKLY_REVENUE: return at(s, SERIES_COHORT_REVENUE, i);
    case WEEKLY_BACKLOG: {
        /* The opening backlogs of the week's days within the horizon. */
        size_t days = funnel_series_days(scn), d0 = 7 * i, d1 = d0 + 7 < days ? d0 + 7 : days;
        double sum = 0.0;
        for (size_t d = d0; d < d1; d++)
            sum += at(s, SERIES_BACKLOG, d);
        return d1 > d0 ? sum / (double)(d1 - d0) : NAN;
    }
    case WEEKLY_WAIT_FIRST:
        return ratio(at(s, SERIES_COHORT_FIRST_WAIT_SUM, i), at(s, SERIES_COHORT_FIRST_WAITS, i));
    default: return NAN;
    }
}

/* Whether week index i is measured (starts at or after the warm-up) and
 * ends by the horizon. */
static bool whole(const struct scenario *scn, size_t i)
{
    return 7.0 * (double)i >= scn->warmup_days && 7.0 * (double)(i + 1) <= scn->horizon_days;
}

void series_weeks_summarise(const struct funnel_series *reps, const bool *done, size_t n,
                            const struct scenario *scn, struct series_week *rows)
{
    size_t weeks = funnel_series_weeks(scn);
    double *buf = sim_reallocarray(NULL, n ? n : 1, sizeof *buf);
    for (size_t i = 0; i < weeks; i++) {
        struct series_week *w = &rows[i];
        w->week = (unsigned)i + 1;
        w->from_day = 7.0 * (double)i;
        w->measured = w->from_day >= scn->warmup_days;
        for (unsigned m = 0; m < WEEKLY_COUNT; m++) {
            size_t k = 0;
            for (size_t r = 0; r < n; r++) {
                double x = done[r] ? series_week_value(&reps[r], scn, i, (enum weekly_measure)m)
                                   : NAN;
                if (!isnan(x))
                    buf[k++] = x;
            }
            if (k > 0) {
                sim_stats_ci(buf, 1, k, 0.95, &w->v[m]);
            } else {
                w->v[m] = (struct sim_ci){NAN, NAN, NAN, NAN, 0};
            }
            /* Counts and shares are never below 0 (nor shares above 1). */
            if (w->v[m].lo < 0.0)
                w->v[m].lo = 0.0;
            bool share = m == WEEKLY_OPEN_SHARE || m == WEEKLY_JUNK_RATE ||
                         (m >= WEEKLY_REASON && m < WEEKLY_REASON + JUNK_REASONS);
            if (share && w->v[m].hi > 1.0)
                w->v[m].hi = 1.0;
        }
        w->complete = whole(scn, i) && w->v[WEEKLY_OPEN_SHARE].mean <= SERIES_OPEN_MAX &&
                      !isnan(w->v[WEEKLY_JUNK_RATE].mean);
    }
    free(buf);
}

struct series_worst series_worst_week(const struct series_week *rows, size_t n_rows)
{
    struct series_worst w = {n_rows, n_rows, false};
    for (size_t i = 0; i < n_rows; i++) {
        if (!rows[i].complete)
            continue;
        double x = rows[i].v[WEEKLY_JUNK_RATE].mean;
        if (w.worst == n_rows || x > rows[w.worst].v[WEEKLY_JUNK_RATE].mean) {
            w.runner_up = w.worst;
            w.worst = i;
        } else if (w.runner_up == n_rows || x > rows[w.runner_up].v[WEEKLY_JUNK_RATE].mean) {
            w.runner_up = i;
        }
    }
    if (w.worst < n_rows && w.runner_up < n_rows) {
        const struct sim_ci *a = &rows[w.worst].v[WEEKLY_JUNK_RATE];
        const struct sim_ci *b = &rows[w.runner_up].v[WEEKLY_JUNK_RATE];
        /* An undefined interval (one replication) is never told apart. */
        w.overlaps = !(a->lo > b->hi) || isnan(a->lo) || isnan(b->hi);
    }
    return w;
}

int series_weeks_to_recover(const struct series_week *with, const struct series_week *without,
                            size_t n, const struct series_event *ev)
{
    size_t after = (size_t)floor(ev->to_day / 7.0) + 1;
    for (size_t i = after; i < n; i++) {
        if (!with[i].complete)
            continue;
        const struct sim_ci *a = &with[i].v[WEEKLY_JUNK_RATE];
        const struct sim_ci *b = &without[i].v[WEEKLY_JUNK_RATE];
        if (!(a->lo > b->hi) && !(b->lo > a->hi))
            return (int)(i - after);
    }
    return -1;
}

bool series_week_in_window(const struct series_target *t, size_t i)
{
    double from = 7.0 * (double)i, to = from + 7.0;
    return t->from_day < to && t->to_day + 1.0 > from;
}

bool series_target_days(const struct series_target *t, const struct scenario *scn,
                        struct series_target *out)
{
    *out = *t;
    if (!t->dated)
        return true;
    if (!scn->start_date.dated)
        return false;
    out->from_day = t->from_day - scn->start_date.date;
    out->to_day = t->to_day - scn->start_date.date;
    out->dated = false;
    return true;
}

double series_target_value(const struct funnel_series *s, const struct scenario *scn,
                           const struct series_target *given)
{
    struct series_target days;
    if (!series_target_days(given, scn, &days))
        return NAN;
    const struct series_target *t = &days;
    size_t weeks = funnel_series_weeks(scn);
    double best = NAN, junk = 0.0, resolved = 0.0;
    for (size_t i = 0; i < weeks; i++) {
        if (t->kind == SERIES_TARGET_WINDOW) {
            if (series_week_in_window(t, i)) {
                junk += at(s, SERIES_COHORT_JUNK, i);
                resolved += at(s, SERIES_COHORT_RESOLVED, i);
            }
            continue;
        }
        if (!whole(scn, i) ||
            !(series_week_value(s, scn, i, WEEKLY_OPEN_SHARE) <= SERIES_OPEN_MAX))
            continue;
        double x = series_week_value(s, scn, i, WEEKLY_JUNK_RATE);
        if (!isnan(x) && (isnan(best) || x > best))
            best = x;
    }
    return t->kind == SERIES_TARGET_WINDOW ? ratio(junk, resolved) : best;
}
