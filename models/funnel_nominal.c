/* SPDX-License-Identifier: MIT */
#include "funnel_nominal.h"

#include <math.h>

#include <gsl/gsl_cdf.h>

#include "models/arrivals.h"
#include "models/team.h"
#include "sim/calendar.h"

double funnel_batch_time(const struct scenario *scn, unsigned c, double k)
{
    const struct scn_channel *ch = &scn->channels[c];
    return sim_cal_day_at_start(&scn->calendar, (double)ch->first_day + k * ch->every_days);
}

/* The number of the first batch of channel c that arrives at or after
 * hour t: the closed form, corrected by the exact times against rounding. */
static double first_batch_from(const struct scenario *scn, unsigned c, double t)
{
    const struct scn_channel *ch = &scn->channels[c];
    double k = ceil(((t - scn->calendar.start_hour) / 24.0 - ch->first_day) / ch->every_days);
    if (!(k > 0.0))
        k = 0.0;
    while (k > 0.0 && funnel_batch_time(scn, c, k - 1.0) >= t)
        k -= 1.0;
    while (funnel_batch_time(scn, c, k) < t)
        k += 1.0;
    return k;
}

/* Leads channel c creates in a week of the measured window, on average: a
 * Poisson channel's rate, with its campaigns' leads in the window spread
 * over the window; for a batch channel (its series and its `on` days), the leads of its batches
 * in [warm-up, horizon) over the window's weeks, so that a batch that
 * comes once counts once, not once every every_days. */
static double channel_per_week(const struct scenario *scn, unsigned c)
{
    const struct scn_channel *ch = &scn->channels[c];
    double from = scn->warmup_days * 24.0, to = scn->horizon_days * 24.0;
    double weeks = (to - from) / 168.0;
    if (ch->kind == SCN_ARRIVALS_POISSON) {
        /* A profile moves leads within the week, not in number; campaigns
         * change the number: their leads in the window, averaged over it. */
        bool campaigns = false;
        for (unsigned k = 0; k < ch->n_campaigns; k++)
            campaigns |= ch->campaigns[k].enabled;
        return campaigns ? arrivals_expected(scn, c, from, to) / weeks : ch->per_week;
    }
    if (ch->kind == SCN_ARRIVALS_TRACE)     /* its rows in the window */
        return arrivals_expected(scn, c, from, to) / weeks;
    double batches = 0.0;
    if (ch->every_days > 0)
        batches = first_batch_from(scn, c, to) - first_batch_from(scn, c, from);
    for (unsigned i = 0; i < ch->n_on; i++) {
        double t = arrivals_batch_day_time(scn, ch->on[i]);
        batches += t >= from && t < to;
    }
    return ch->batch_size * batches / weeks;
}

double funnel_inflow_per_week(const struct scenario *scn)
{
    double total = 0.0;
    for (unsigned c = 0; c < scn->n_channels; c++)
        total += channel_per_week(scn, c);
    return total;
}

/* P(at least k of n indicators true), each true with probability p. */
static double pass_probability(unsigned k, double p, unsigned n)
{
    return k == 0 ? 1.0 : gsl_cdf_binomial_Q(k - 1, p, n);
}

double funnel_handed_per_week(const struct scenario *scn)
{
    const struct scn_prequal *pq = &scn->prequal;
    double total = 0.0;
    for (unsigned c = 0; c < scn->n_channels; c++) {
        const struct scn_channel *ch = &scn->channels[c];
        double pass = 1.0;
        if (pq->enabled)
            pass = ch->fit_share * pass_probability(pq->min_true, pq->p_true_fit, pq->indicators) +
                   (1.0 - ch->fit_share) *
                       pass_probability(pq->min_true, pq->p_true_unfit, pq->indicators);
        double diverted = ch->theorist_share * pq->theorist_detection;
        double kept = 1.0 - diverted + diverted * pq->nurture_return_share;
        total += channel_per_week(scn, c) * pass * kept;
    }
    return total;
}

/* The integral over [a, b) of a hire's productivity, who starts at s
 * (team_productivity(): its ramp by month of tenure, 1 after it). */
static double ramp_integral(const struct scn_hire *h, double s, double a, double b)
{
    double total = 0.0;
    for (unsigned i = 0; i <= h->n_ramp && a < b; i++) {
        double end = i < h->n_ramp ? s + (i + 1) * TEAM_MONTH_HOURS : INFINITY;
        double p = i < h->n_ramp ? h->ramp[i] : 1.0;
        double to = fmin(b, end);
        if (to > a) {
            total += p * (to - a);
            a = to;
        }
    }
    return total;
}

double funnel_group_heads(const struct scenario *scn, unsigned g, enum funnel_heads kind)
{
    const struct scn_group *gr = &scn->team[g];
    bool in_time = gr->hires.count > 0 || gr->leaves.count > 0;
    double present = kind == FUNNEL_HEADS_PAID ? 1.0 : 1.0 - gr->absence_share;
    if (!in_time)
        return gr->absence_share > 0.0 ? gr->count * present : (double)gr->count;
    double a = scn->warmup_days * 24.0, b = scn->horizon_days * 24.0, sum = 0.0;
    for (unsigned k = 0; k < scn_group_heads(gr); k++) {
        double start, end;
        team_roster(scn, g, k, &start, &end);
        double from = fmax(a, start), to = fmin(b, end);
        if (to <= from)
            continue;
        sum += kind == FUNNEL_HEADS_PRODUCTIVE && k >= gr->count
                   ? ramp_integral(&gr->hires, start, from, to)
                   : to - from;
    }
    return sum / (b - a) * present;
}

double funnel_new_lead_hours(const struct scenario *scn, double hours_each)
{
    double total = 0.0;
    for (unsigned g = 0; g < scn->n_groups; g++)
        total += funnel_group_heads(scn, g, FUNNEL_HEADS_PRESENT) *
                 scn->team[g].new_lead_share * hours_each;
    return total;
}

double funnel_team_cost(const struct scenario *scn, double hours)
{
    double per_month = 0.0;
    for (unsigned g = 0; g < scn->n_groups; g++)
        per_month += funnel_group_heads(scn, g, FUNNEL_HEADS_PAID) * scn->team[g].cost_per_month;
    return per_month * hours / FUNNEL_HOURS_PER_MONTH;
}

/* The work per lead takes the reach of a fresh lead, p_reach: the
 * closed form cannot know the ages at which leads are attempted, so it
 * leaves contact.reach_decay out.  Decay turns some conversations into
 * missed attempts and adds retries, and the net change of the work per
 * lead has no fixed sign: the figure is the capacity of a team whose
 * leads are reached as fresh, not a bound (docs/model.md). */
double funnel_capacity_per_week(const struct scenario *scn)
{
    const struct scn_contact *c = &scn->contact;
    double m = c->max_attempts;
    double q = 1.0 - c->p_reach;            /* an attempt misses at age 0 */
    double q_m = pow(q, m);
    /* Misses before the reaching attempt (or all m), for a reachable lead. */
    double misses = q < 1.0 ? q * (1.0 - q_m) / (1.0 - q) : m;
    double reachable = misses * c->attempt_hours + (1.0 - q_m) * c->duration.mean;
    double per_lead = c->contactable * reachable + (1.0 - c->contactable) * m * c->attempt_hours;
    if (per_lead <= 0.0)
        return INFINITY;
    /* Per working hour, then per week: x * 1.0 is exact, so the sum is
     * the one it always was. */
    double managers = 0.0;
    for (unsigned g = 0; g < scn->n_groups; g++)
        managers += funnel_group_heads(scn, g, FUNNEL_HEADS_PRODUCTIVE) *
                    scn->team[g].new_lead_share * 1.0;
    return managers * sim_cal_hours_per_week(&scn->calendar) / per_lead;
}

double funnel_largest_burst(const struct scenario *scn, double *day)
{
    double best = 0.0, sum = 0.0, at = -1.0, horizon = scn->horizon_days * 24.0;
    *day = 0.0;
    for (unsigned d = 0; d <= (unsigned)scn->horizon_days; d++) {
        double t = sim_cal_day_at_start(&scn->calendar, d);
        if (t > horizon)
            break;
        if (t != at) {
            sum = 0.0;
            at = t;
        }
        for (unsigned c = 0; c < scn->n_channels; c++) {
            const struct scn_channel *ch = &scn->channels[c];
            if (ch->kind != SCN_ARRIVALS_BATCH)
                continue;
            if (ch->every_days > 0 && d >= ch->first_day &&
                (d - ch->first_day) % ch->every_days == 0)
                sum += ch->batch_size;
            for (unsigned i = 0; i < ch->n_on; i++)
                sum += ch->on[i] == d ? ch->batch_size : 0;
        }
        if (sum > best) {
            best = sum;
            *day = t / 24.0;
        }
    }
    return best;
}
