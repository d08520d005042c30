/* SPDX-License-Identifier: MIT */
#include "tally.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#include "models/funnel_nominal.h"
#include "sim/calendar.h"

void tally_init(struct tally *t, const struct scenario *scn, const struct team *team,
                struct funnel_series *series, unsigned days, unsigned weeks, bool by)
{
    memset(t, 0, sizeof *t);
    t->scn = scn;
    t->team = team;
    t->warmup = scn->warmup_days * 24.0;
    t->horizon = scn->horizon_days * 24.0;
    t->series = series;
    t->by = by;
    t->series_days = days;
    t->series_weeks = weeks;
    sim_tavg_init(&t->backlog_tavg, t->warmup, 0.0);
    sim_hist_init(&t->waits);
}

/* Adds x to the week of time t in a weekly column of n weeks, if kept. */
static void series_add(double *a, unsigned n, double t, double x)
{
    if (a == NULL)
        return;
    unsigned week = (unsigned)(t / 168.0);
    if (week < n)
        a[week] += x;
}

/* Adds x to the cohort row of lead l (its handoff week), if kept. */
static void cohort_add(double *a, unsigned n, const struct lead *l, double x)
{
    if (a != NULL && l->week < n)
        a[l->week] += x;
}

/* The group row of lead l: its last attempt's manager's group, or the
 * unassigned row for a lead never attempted. */
static struct tally_group *group_of(struct tally *t, const struct lead *l)
{
    unsigned g = (l->flags & LEAD_ATTEMPTED) ? t->team->mgr[l->mgr].group
                                             : t->scn->n_groups;
    return &t->group[g];
}

/* ---- before the handoff --------------------------------------------------- */

void tally_generated(struct tally *t, const struct lead *l, double now, bool measured)
{
    if (t->log != NULL)
        leadlog_created(t->log, l);
    if (measured) {
        double cost = scn_cost_per_lead(t->scn, l->channel, l->campaign);
        t->generated++;
        t->spend += cost;
        if (t->by) {
            t->channel[l->channel].generated++;
            t->channel[l->channel].spend += cost;
        }
    }
    if (t->series != NULL)
        series_add(t->series->inflow_week, t->series_weeks, now, 1.0);
}

void tally_filtered(struct tally *t, const struct lead *l, bool measured)
{
    if (t->log != NULL)
        leadlog_left(t->log, l, LEADLOG_FILTERED);
    if (measured) {
        t->filtered++;
        if (t->by)
            t->channel[l->channel].filtered++;
    }
}

void tally_diverted(struct tally *t, const struct lead *l, bool measured)
{
    if (measured) {
        t->diverted++;
        if (t->by)
            t->channel[l->channel].diverted++;
    }
}

void tally_gone(struct tally *t, const struct lead *l)
{
    if (t->log != NULL)
        leadlog_left(t->log, l, LEADLOG_NURTURED);
}

void tally_held_lost(struct tally *t, const struct lead *l, double now, bool measured)
{
    if (t->log != NULL)
        leadlog_left(t->log, l, LEADLOG_HELD_BACK);
    if (!measured)
        return;
    bool buyer = (l->flags & LEAD_FIT) && !(l->flags & LEAD_THEORIST);
    double cost = buyer ? scn_cost_per_lead(t->scn, l->channel, l->campaign) : 0.0;
    t->held_back++;
    t->held_lost++;
    t->wasted += cost;
    if (t->by) {
        struct tally_channel *c = &t->channel[l->channel];
        c->held_back++;
        c->held_lost++;
        c->wasted += cost;
    }
    if (t->series != NULL)
        series_add(t->series->held_lost_week, t->series_weeks, now, 1.0);
}

/* ---- after the handoff ---------------------------------------------------- */

void tally_handed(struct tally *t, struct lead *l, double now)
{
    if (t->log != NULL)
        leadlog_handed(t->log, l);
    double week = floor(now / 168.0);
    l->week = week < UINT16_MAX ? (uint16_t)week : UINT16_MAX;
    if (!lead_is_measured(l))
        return;
    bool held = (l->flags & LEAD_HELD_BACK) != 0;
    t->handed++;
    t->held_back += held;
    if (t->by) {
        t->channel[l->channel].handed++;
        t->channel[l->channel].held_back += held;
    }
    if (l->flags & LEAD_RETURNED)
        t->returned++;
    if (t->series != NULL)
        series_add(t->series->handed_week, t->series_weeks, now, 1.0);
}

void tally_first_wait(struct tally *t, const struct lead *l, bool delayed)
{
    if (t->log != NULL)
        leadlog_first_contact(t->log, l);
    if (!lead_is_measured(l))
        return;
    t->first_waits++;
    if (delayed)
        t->first_waits_delayed++;
    if (t->series != NULL) {
        cohort_add(t->series->cohort_first_waits, t->series_weeks, l, 1.0);
        cohort_add(t->series->cohort_first_wait_sum, t->series_weeks, l, l->waited);
    }
}

/* Attempt hours count whatever the lead (the team's time is measured by
 * the period, not by the lead), as utilization always has. */
void tally_busy(struct tally *t, unsigned m, const struct lead *l, double hours)
{
    if (t->log != NULL)
        leadlog_attempt(t->log, l);
    t->busy_hours += hours;
    if (t->by) {
        t->channel[l->channel].busy_hours += hours;
        t->group[t->team->mgr[m].group].busy_hours += hours;
    }
}

void tally_qualified(struct tally *t, const struct lead *l)
{
    if (!lead_is_measured(l))
        return;
    t->qualified++;
    if (t->log != NULL)
        leadlog_deal(t->log, l, false, 0.0);
}

void tally_deal(struct tally *t, const struct lead *l, double value)
{
    if (!lead_is_measured(l))
        return;
    if (t->log != NULL)
        leadlog_deal(t->log, l, true, value);
    t->deals++;
    t->revenue += value;
    if (t->by) {
        struct tally_group *g = group_of(t, l);
        t->channel[l->channel].deals++;
        t->channel[l->channel].revenue += value;
        g->deals++;
        g->revenue += value;
    }
    if (t->series != NULL) {
        cohort_add(t->series->cohort_deals, t->series_weeks, l, 1.0);
        cohort_add(t->series->cohort_revenue, t->series_weeks, l, value);
    }
}

void tally_recovered(struct tally *t, const struct lead *l)
{
    if (lead_is_measured(l))
        t->recovered++;
}

/* A measured lead is resolved now: its wait joins the statistics. */
static void count_resolution(struct tally *t, const struct lead *l, double now)
{
    t->resolved++;
    t->wait_sum += l->waited;
    sim_hist_add(&t->waits, l->waited);
    if (t->by) {
        struct tally_group *g = group_of(t, l);
        t->channel[l->channel].resolved++;
        g->resolved++;
        g->wait_sum += l->waited;
    }
    if (t->series != NULL) {
        series_add(t->series->resolved_week, t->series_weeks, now, 1.0);
        cohort_add(t->series->cohort_resolved, t->series_weeks, l, 1.0);
    }
}

void tally_resolved(struct tally *t, const struct lead *l, double now)
{
    if (t->log != NULL)
        leadlog_left(t->log, l, LEADLOG_QUALIFIED);
    if (lead_is_measured(l))
        count_resolution(t, l, now);
}

void tally_junk(struct tally *t, const struct lead *l, enum junk_reason why, double now)
{
    if (t->log != NULL)
        leadlog_left(t->log, l, why);
    if (!lead_is_measured(l))
        return;
    count_resolution(t, l, now);
    t->junk++;
    t->reason[why]++;
    bool wasted = (l->flags & LEAD_FIT) && !(l->flags & LEAD_THEORIST);
    if (wasted)
        t->wasted += scn_cost_per_lead(t->scn, l->channel, l->campaign);
    if (t->by) {
        struct tally_channel *c = &t->channel[l->channel];
        struct tally_group *g = group_of(t, l);
        c->junk++;
        c->reason[why]++;
        g->junk++;
        g->reason[why]++;
        if (wasted)
            c->wasted += scn_cost_per_lead(t->scn, l->channel, l->campaign);
    }
    if (t->series != NULL) {
        series_add(t->series->junk_week, t->series_weeks, now, 1.0);
        cohort_add(t->series->cohort_junk, t->series_weeks, l, 1.0);
        cohort_add(t->series->cohort_reason[why], t->series_weeks, l, 1.0);
    }
}

void tally_sample(struct tally *t, double now, unsigned day, double backlog)
{
    t->samples++;
    if (now >= t->warmup)
        sim_slope_add(&t->backlog_trend, now / 24.0, backlog);
    if (t->series != NULL)
        t->series->backlog_day[day] = backlog;
}

/* ---- the end -------------------------------------------------------------- */

static double ratio(double num, double den)
{
    return den > 0.0 ? num / den : NAN;
}

void tally_fill_metrics(const struct tally *t, uint64_t events, double in_marketing,
                        double x[METRIC_COUNT])
{
    const struct scenario *scn = t->scn;
    double measured_hours = t->horizon - t->warmup;
    double working = sim_cal_working_hours(&scn->calendar, t->warmup, t->horizon);
    double hours_for_leads = funnel_new_lead_hours(scn, working);

    for (unsigned r = 0; r < JUNK_REASONS; r++)
        x[metric_of_reason(r)] = ratio(t->reason[r], t->resolved);
    x[METRIC_JUNK_RATE] = ratio(t->junk, t->resolved);
    /* Leads at sales' door, each once: handed, or held back and lost. */
    double door = t->handed + t->held_lost;
    x[METRIC_HELD_BACK_RATE] = ratio(t->held_back, door);
    x[METRIC_LOST_RATE] = ratio(t->junk + t->held_lost, door);
    x[METRIC_PROB_WAIT] = ratio(t->first_waits_delayed, t->first_waits);
    x[METRIC_WAIT_MEAN] = ratio(t->wait_sum, t->resolved);
    x[METRIC_WAIT_P50] = sim_hist_quantile(&t->waits, 0.5);
    x[METRIC_WAIT_P90] = sim_hist_quantile(&t->waits, 0.9);
    x[METRIC_UTILIZATION] = ratio(t->busy_hours, hours_for_leads);
    x[METRIC_BACKLOG_MEAN] = sim_tavg_mean(&t->backlog_tavg, t->horizon);
    x[METRIC_QUALIFIED] = t->qualified;
    x[METRIC_DEALS] = t->deals;
    x[METRIC_REVENUE] = t->revenue;
    x[METRIC_WASTED_SPEND] = t->wasted;
    x[METRIC_MARKETING_SPEND] = t->spend;
    x[METRIC_TEAM_COST] = funnel_team_cost(scn, measured_hours);
    x[METRIC_PROFIT] = t->revenue - t->spend - x[METRIC_TEAM_COST];
    x[METRIC_COST_PER_DEAL] = ratio(t->spend + x[METRIC_TEAM_COST], t->deals);
    x[METRIC_HANDED_PER_WEEK] = t->handed / (measured_hours / 168.0);
    x[METRIC_FILTERED] = t->filtered;
    x[METRIC_DIVERTED] = t->diverted;
    x[METRIC_RETURNED] = t->returned;
    x[METRIC_HELD_BACK] = t->held_back;
    x[METRIC_LOST] = t->junk + t->held_lost;
    x[METRIC_RECOVERED] = t->recovered;
    x[METRIC_BACKLOG_TREND] = sim_slope_value(&t->backlog_trend);
    x[METRIC_LEADS_GENERATED] = t->generated;
    x[METRIC_LEADS_HANDED] = t->handed;
    x[METRIC_RESOLVED] = t->resolved;
    x[METRIC_JUNK] = t->junk;
    x[METRIC_UNRESOLVED] = t->handed - t->resolved;
    x[METRIC_IN_MARKETING] = in_marketing;
    /* Recording a series must not change the results. */
    x[METRIC_EVENTS] = (double)(events - t->samples);
}

void tally_fill_breakdown(const struct tally *t, struct breakdown *b)
{
    assert(t->by);
    const struct scenario *scn = t->scn;
    double measured_hours = t->horizon - t->warmup;
    double working = sim_cal_working_hours(&scn->calendar, t->warmup, t->horizon);
    double team_cost = funnel_team_cost(scn, measured_hours);

    memset(b, 0, sizeof *b);
    for (unsigned ci = 0; ci < scn->n_channels; ci++) {
        const struct tally_channel *c = &t->channel[ci];
        double *x = b->channel[ci];
        /* The team's cost follows its attempt hours; with none, there is
         * nothing to share it by, and it stays with no channel. */
        double cost = t->busy_hours > 0.0 ? team_cost * (c->busy_hours / t->busy_hours) : 0.0;
        x[BC_GENERATED] = c->generated;
        x[BC_HANDED] = c->handed;
        x[BC_HELD_BACK] = c->held_back;
        x[BC_LOST] = c->junk + c->held_lost;
        x[BC_LOST_RATE] = ratio(c->junk + c->held_lost, c->handed + c->held_lost);
        x[BC_RESOLVED] = c->resolved;
        x[BC_JUNK] = c->junk;
        x[BC_JUNK_RATE] = ratio(c->junk, c->resolved);
        for (unsigned r = 0; r < JUNK_REASONS; r++)
            x[breakdown_channel_of_reason(r)] = ratio(c->reason[r], c->resolved);
        x[BC_DEALS] = c->deals;
        x[BC_REVENUE] = c->revenue;
        x[BC_SPEND] = c->spend;
        x[BC_WASTED] = c->wasted;
        x[BC_TEAM_COST] = cost;
        x[BC_PROFIT] = c->revenue - c->spend - cost;
        x[BC_COST_PER_DEAL] = ratio(c->spend + cost, c->deals);
    }
    for (unsigned gi = 0; gi < breakdown_group_rows(scn); gi++) {
        const struct tally_group *g = &t->group[gi];
        double *x = b->group[gi];
        bool real = gi < scn->n_groups;
        const struct scn_group *sg = real ? &scn->team[gi] : NULL;
        x[BG_WORKED] = g->resolved;
        x[BG_UTILIZATION] = real ? ratio(g->busy_hours,
                                         funnel_group_heads(scn, gi, FUNNEL_HEADS_PRESENT) *
                                             sg->new_lead_share * working)
                                 : NAN;
        x[BG_WAIT_MEAN] = ratio(g->wait_sum, g->resolved);
        x[BG_JUNK] = g->junk;
        x[BG_JUNK_RATE] = ratio(g->junk, g->resolved);
        for (unsigned r = 0; r < JUNK_REASONS; r++)
            x[breakdown_group_of_reason(r)] = ratio(g->reason[r], g->resolved);
        x[BG_DEALS] = g->deals;
        x[BG_REVENUE] = g->revenue;
        x[BG_TEAM_COST] = real ? funnel_group_heads(scn, gi, FUNNEL_HEADS_PAID) *
                                     sg->cost_per_month * measured_hours /
                                     FUNNEL_HOURS_PER_MONTH
                               : 0.0;
    }
}
