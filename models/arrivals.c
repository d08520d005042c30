/* SPDX-License-Identifier: MIT */
#include "arrivals.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/trace.h"
#include "sim/calendar.h"
#include "sim/mem.h"
#include "sim/rng.h"

#define HOURS_PER_WEEK 168.0

/* The rates of a Poisson channel at one time, and how long they hold. */
struct piece {
    double base;                /* b(t), leads an hour */
    double extra;               /* x(t): campaign leads an hour */
    double mult;                /* m(t): the product of the active multipliers */
    double end;                 /* the rates hold on [t, end) */
};

/* The rates and shape of Poisson channel c, without streams. */
static void build(struct arrivals_channel *ac, const struct scenario *scn, unsigned c)
{
    const struct scn_channel *ch = &scn->channels[c];
    memset(ac, 0, sizeof *ac);
    ac->base = ch->per_week / HOURS_PER_WEEK;
    ac->base_week = ch->per_week;
    ac->shaped = ch->profile.given;
    ac->day0_weekday = (unsigned)scn->calendar.day0_weekday;
    double sw = 0.0, sh = 0.0;
    for (unsigned d = 0; d < 7; d++)
        sw += ch->profile.weekday[d];
    for (unsigned h = 0; h < 24; h++)
        sh += ch->profile.hour[h];
    /* Scaled so that the product has mean 1 over the 168 hours of a week:
     * the profile moves leads within the week and keeps per_week. */
    for (unsigned d = 0; d < 7; d++)
        ac->weekday[d] = ac->shaped ? 7.0 * ch->profile.weekday[d] / sw : 1.0;
    for (unsigned h = 0; h < 24; h++)
        ac->hour[h] = ac->shaped ? 24.0 * ch->profile.hour[h] / sh : 1.0;
    for (unsigned k = 0; k < ch->n_campaigns; k++) {
        const struct scn_campaign *cp = &ch->campaigns[k];
        if (!cp->enabled)
            continue;
        ac->index[ac->n] = k;
        ac->from[ac->n] = cp->from_day * 24.0;
        ac->to[ac->n] = (cp->to_day + 1.0) * 24.0;   /* both days inclusive */
        ac->thins |= cp->is_multiplier;
        ac->n++;
    }
    ac->steady = !ac->shaped && ac->n == 0;
}

/* The profile's shape at t (mean 1 over a week), and the next hour. */
static double shape_at(const struct arrivals_channel *ac, double t, double *end)
{
    if (!ac->shaped) {
        *end = INFINITY;
        return 1.0;
    }
    double hour = floor(t);
    *end = hour + 1.0;
    /* Hours of the week from Monday 00:00: day 0 is weekday day0_weekday.
     * In integers: the same remainder as fmod of the whole-valued double
     * (t < 2^53), at a fraction of fmod's cost (it showed in the profile:
     * this runs once per hour crossed by every arrival). */
    unsigned slot = (unsigned)(((uint64_t)hour + 24u * ac->day0_weekday) % 168u);
    return ac->weekday[slot / 24] * ac->hour[slot % 24];
}

/* The rates of channel c at t.  For the campaign process alone
 * (`extra_only`), a time when no campaign runs lasts until the next one
 * starts, whatever the profile does meanwhile. */
static struct piece piece_at(const struct arrivals_channel *ac,
                             const struct scn_channel *ch, double t, bool extra_only)
{
    struct piece p = {.mult = 1.0};
    double shape_end, extra = 0.0, next_edge = INFINITY;
    bool active = false;
    double s = shape_at(ac, t, &shape_end);
    for (unsigned i = 0; i < ac->n; i++) {
        if (ac->from[i] > t) {
            next_edge = fmin(next_edge, ac->from[i]);
            continue;
        }
        if (ac->to[i] <= t)
            continue;
        next_edge = fmin(next_edge, ac->to[i]);
        active = true;
        const struct scn_campaign *cp = &ch->campaigns[ac->index[i]];
        if (cp->is_multiplier)
            p.mult *= cp->multiplier;
        else
            extra += cp->per_week;
    }
    p.base = ac->base * s;
    p.extra = s * extra / HOURS_PER_WEEK + (p.mult > 1.0 ? p.base * (p.mult - 1.0) : 0.0);
    p.end = extra_only && !active ? next_edge : fmin(shape_end, next_edge);
    return p;
}

/* The time after t at which the base rate's integral has grown by e (a
 * unit exponential), for a shaped channel: exact inversion, hour by hour,
 * whole weeks in one step (the base rate repeats every week).  The pieces
 * are the profile's hours only, whatever the campaigns, so that the
 * channel's own leads come at the same times, to the bit, with and
 * without them.  INFINITY past the horizon. */
static double invert_base(const struct arrivals *a, unsigned c, double t, double e)
{
    const struct arrivals_channel *ac = &a->ch[c];
    if (e > ac->base_week) {
        double weeks = floor(e / ac->base_week);
        t += weeks * HOURS_PER_WEEK;
        e = fmax(e - weeks * ac->base_week, 0.0);
    }
    /* Hour by hour from t's hour of the week, the rates from the table
     * (each the product shape_at and the base would give, in the same
     * order: the same bits as computing them afresh, at a fraction of the
     * cost, which showed in the profile). */
    double hour = floor(t);
    unsigned slot = (unsigned)(((uint64_t)hour + 24u * ac->day0_weekday) % 168u);
    while (t <= a->horizon) {
        double end = hour + 1.0, r = ac->rate[slot];
        if (r > 0.0 && r * (end - t) >= e)
            return t + e / r;
        e -= r * (end - t);
        e = e > 0.0 ? e : 0.0;  /* never below 0 by rounding (fmax: a call) */
        t = hour = end;
        slot = slot == 167 ? 0 : slot + 1;
    }
    return INFINITY;
}

/* The same for the campaign process, whose pieces are the profile's hours
 * and the campaigns' edges; a time without campaigns is crossed to the
 * next one's start in one step. */
static double invert_extra(const struct arrivals *a, unsigned c, double t, double e)
{
    const struct arrivals_channel *ac = &a->ch[c];
    const struct scn_channel *ch = &a->scn->channels[c];
    while (t <= a->horizon) {
        struct piece p = piece_at(ac, ch, t, true);
        if (p.extra > 0.0 && p.extra * (p.end - t) >= e)
            return t + e / p.extra;
        if (p.end == INFINITY)
            return INFINITY;
        e = fmax(e - p.extra * (p.end - t), 0.0);
        t = p.end;
    }
    return INFINITY;
}

/* The cumulative shares of hot and warm, cold the rest (as the lead's
 * one temperature draw reads them). */
static void temp_cdf(double cdf[SCN_TEMPS], const double *p)
{
    cdf[SCN_HOT] = p[SCN_HOT];
    cdf[SCN_WARM] = p[SCN_HOT] + p[SCN_WARM];
    cdf[SCN_COLD] = 1.0;
}

void arrivals_init(struct arrivals *a, const struct scenario *scn, unsigned rep,
                   unsigned stream0, struct sim *sim, unsigned ev_arrival,
                   unsigned ev_batch)
{
    memset(a, 0, sizeof *a);
    a->scn = scn;
    a->sim = sim;
    a->ev_arrival = ev_arrival;
    a->ev_batch = ev_batch;
    a->horizon = scn->horizon_days * 24.0;
    for (unsigned c = 0; c < scn->n_channels; c++) {
        const struct scn_channel *ch = &scn->channels[c];
        struct arrivals_channel *ac = &a->ch[c];
        build(ac, scn, c);
        temp_cdf(ac->temp_cdf[0], ch->temperature);
        for (unsigned k = 0; k < ch->n_campaigns; k++)
            temp_cdf(ac->temp_cdf[k + 1], ch->campaigns[k].temperature);
        if (ac->shaped) {       /* the base rate of each hour of the week */
            ac->rate = sim_reallocarray(NULL, 168, sizeof *ac->rate);
            for (unsigned h = 0; h < 168; h++)     /* as shape_at x base */
                ac->rate[h] = ac->base * (ac->weekday[h / 24] * ac->hour[h % 24]);
        }
        ac->base_rng = sim_rng_alloc(scn->seed, rep, stream0 + c);
        if (ac->n > 0)
            ac->extra_rng = sim_rng_alloc(scn->seed, rep, stream0 + SCN_MAX_CHANNELS + c);
        if (ac->thins)
            ac->thin_rng = sim_rng_alloc(scn->seed, rep, stream0 + 2 * SCN_MAX_CHANNELS + c);
    }
}

void arrivals_fini(struct arrivals *a)
{
    for (unsigned c = 0; c < SCN_MAX_CHANNELS; c++) {
        gsl_rng *r[] = {a->ch[c].base_rng, a->ch[c].extra_rng, a->ch[c].thin_rng};
        for (unsigned i = 0; i < 3; i++)
            if (r[i] != NULL)
                gsl_rng_free(r[i]);
        free(a->ch[c].rate);
    }
}

/* Without a profile the base rate is constant, campaigns or not: the
 * exact expressions (and so the bits) of the times before profiles
 * existed, 168 / per_week for the first gap, 1 / rate with rate =
 * per_week / 168 after. */
static double first_base(struct arrivals *a, unsigned c)
{
    const struct scn_channel *ch = &a->scn->channels[c];
    if (!a->ch[c].shaped) {
        double first = sim_rng_exponential(a->ch[c].base_rng, 168.0 / ch->per_week);
        return first <= a->horizon ? first : INFINITY;
    }
    return invert_base(a, c, 0.0, sim_rng_exponential(a->ch[c].base_rng, 1.0));
}

double arrivals_next_base(struct arrivals *a, unsigned c, double t)
{
    const struct scn_channel *ch = &a->scn->channels[c];
    if (!a->ch[c].shaped) {
        double rate = ch->per_week / 168.0;
        double next = t + sim_rng_exponential(a->ch[c].base_rng, 1.0 / rate);
        return next <= a->horizon ? next : INFINITY;
    }
    return invert_base(a, c, t, sim_rng_exponential(a->ch[c].base_rng, 1.0));
}

/* Whether a base arrival of channel c at t is kept: thinned by the
 * multipliers below 1 active at t, one uniform drawn for every base lead
 * of a channel with multipliers, kept or not, so that the decisions line
 * up across runs. */
static bool keep_base(struct arrivals *a, unsigned c, double t)
{
    const struct arrivals_channel *ac = &a->ch[c];
    if (!ac->thins)
        return true;
    double u = gsl_rng_uniform(ac->thin_rng);
    /* m(t) alone, as piece_at multiplies it (same order, same bits),
     * without the profile's shape: this runs for every base lead. */
    const struct scn_channel *ch = &a->scn->channels[c];
    double m = 1.0;
    for (unsigned i = 0; i < ac->n; i++) {
        const struct scn_campaign *cp = &ch->campaigns[ac->index[i]];
        if (cp->is_multiplier && ac->from[i] <= t && ac->to[i] > t)
            m *= cp->multiplier;
    }
    return m >= 1.0 || u < m;
}

double arrivals_next_extra(struct arrivals *a, unsigned c, double t)
{
    const struct arrivals_channel *ac = &a->ch[c];
    if (ac->extra_rng == NULL)
        return INFINITY;
    return invert_extra(a, c, t, sim_rng_exponential(ac->extra_rng, 1.0));
}

static void schedule(struct arrivals *a, double t, unsigned type, uint32_t obj)
{
    if (t <= a->horizon)
        sim_schedule(a->sim, t, type, obj);
}

/* When batch k of the series of batch channel c arrives. */
static double series_time(const struct arrivals *a, unsigned c, uint32_t k)
{
    const struct scn_channel *ch = &a->scn->channels[c];
    return arrivals_batch_day_time(a->scn, (double)ch->first_day + (double)k * ch->every_days);
}

/* A trace channel's i-th arrival in the horizon, hours. */
static double replay_time(const struct scenario *scn, unsigned c, size_t i)
{
    const struct scn_channel *ch = &scn->channels[c];
    return trace_hours(ch->trace, ch->trace_first + i, scn->start_date.date);
}

/* How many of trace channel c's arrivals in the horizon come before t. */
static size_t replay_before(const struct scenario *scn, unsigned c, double t)
{
    size_t lo = 0, hi = scn->channels[c].trace_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (replay_time(scn, c, mid) < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Schedules trace channel c's next timestamp, if any is left. */
static void replay_next(struct arrivals *a, unsigned c)
{
    struct arrivals_channel *ac = &a->ch[c];
    if (ac->trace_next < a->scn->channels[c].trace_count)
        sim_schedule(a->sim, replay_time(a->scn, c, ac->trace_next++), a->ev_arrival, c);
}

/* Event objects: obj c is channel c's own process or batch series;
 * c + SCN_MAX_CHANNELS its campaign leads; for a batch channel,
 * c + SCN_MAX_CHANNELS (1 + i) its batch on day on[i]. */
void arrivals_start(struct arrivals *a)
{
    const struct scenario *scn = a->scn;
    for (unsigned c = 0; c < scn->n_channels; c++) {
        const struct scn_channel *ch = &scn->channels[c];
        if (ch->kind == SCN_ARRIVALS_POISSON) {
            schedule(a, first_base(a, c), a->ev_arrival, c);
            schedule(a, arrivals_next_extra(a, c, 0.0), a->ev_arrival, SCN_MAX_CHANNELS + c);
            continue;
        }
        if (ch->kind == SCN_ARRIVALS_TRACE) {
            replay_next(a, c);   /* one pending event a channel: the next row */
            continue;
        }
        /* Batches come strictly before the horizon. */
        if (ch->every_days > 0 && series_time(a, c, 0) < a->horizon)
            sim_schedule(a->sim, series_time(a, c, 0), a->ev_batch, c);
        for (unsigned i = 0; i < ch->n_on; i++) {
            double t = arrivals_batch_day_time(scn, ch->on[i]);
            if (t < a->horizon)
                sim_schedule(a->sim, t, a->ev_batch, SCN_MAX_CHANNELS * (1 + i) + c);
        }
    }
}

static unsigned campaign_of(struct arrivals *a, unsigned c, double t);

bool arrivals_arrival(struct arrivals *a, uint32_t obj, unsigned *c, unsigned *k)
{
    double now = sim_now(a->sim);
    bool lead = true;
    if (obj < SCN_MAX_CHANNELS && a->scn->channels[obj].kind == SCN_ARRIVALS_TRACE) {
        *c = obj;
        *k = 0;
        replay_next(a, obj);
    } else if (obj < SCN_MAX_CHANNELS) {
        *c = obj;
        *k = 0;
        lead = keep_base(a, obj, now);
        schedule(a, arrivals_next_base(a, obj, now), a->ev_arrival, obj);
    } else {
        *c = obj - SCN_MAX_CHANNELS;
        *k = campaign_of(a, *c, now);
        schedule(a, arrivals_next_extra(a, *c, now), a->ev_arrival, obj);
    }
    return lead;
}

unsigned arrivals_batch(struct arrivals *a, uint32_t obj, unsigned *c)
{
    *c = obj % SCN_MAX_CHANNELS;
    if (obj < SCN_MAX_CHANNELS) {
        double next = series_time(a, *c, ++a->ch[*c].batch_next);
        if (next < a->horizon)
            sim_schedule(a->sim, next, a->ev_batch, *c);
    }
    return a->scn->channels[*c].batch_size;
}

/* The campaign (1 + its index) an extra lead arriving at t comes from. */
static unsigned campaign_of(struct arrivals *a, unsigned c, double t)
{
    const struct arrivals_channel *ac = &a->ch[c];
    const struct scn_channel *ch = &a->scn->channels[c];
    struct piece p = piece_at(ac, ch, t, false);
    /* Weights without the common shape factor: extras' per_week / 168;
     * the multiplier part base x (m - 1), shared in proportion to m_k - 1. */
    double mult_part = p.mult > 1.0 ? ac->base * (p.mult - 1.0) : 0.0, above = 0.0;
    double total = mult_part;
    for (unsigned i = 0; i < ac->n; i++) {
        const struct scn_campaign *cp = &ch->campaigns[ac->index[i]];
        if (ac->from[i] > t || ac->to[i] <= t)
            continue;
        if (!cp->is_multiplier)
            total += cp->per_week / HOURS_PER_WEEK;
        else if (cp->multiplier > 1.0)
            above += cp->multiplier - 1.0;
    }
    double u = gsl_rng_uniform(ac->extra_rng) * total;   /* one draw a lead */
    unsigned last = 0;
    for (unsigned i = 0; i < ac->n; i++) {
        const struct scn_campaign *cp = &ch->campaigns[ac->index[i]];
        if (ac->from[i] > t || ac->to[i] <= t)
            continue;
        double w = !cp->is_multiplier ? cp->per_week / HOURS_PER_WEEK
                   : cp->multiplier > 1.0 ? mult_part * (cp->multiplier - 1.0) / above
                                          : 0.0;
        if (w <= 0.0)
            continue;
        last = ac->index[i] + 1;
        if (u < w)
            return last;
        u -= w;
    }
    return last;        /* rounding at the top end */
}

void arrivals_rate(const struct arrivals *a, unsigned c, double t, double *base,
                   double *total)
{
    struct piece p = piece_at(&a->ch[c], &a->scn->channels[c], t, false);
    *base = p.base;
    *total = p.base * fmin(p.mult, 1.0) + p.extra;
}

double arrivals_batch_day_time(const struct scenario *scn, double day)
{
    return sim_cal_day_at_start(&scn->calendar, day);
}

/* Batches of the every_days series in [t0, t1), by walking the days. */
static double series_batches(const struct scenario *scn, const struct scn_channel *ch,
                             double t0, double t1)
{
    double n = 0.0;
    if (ch->every_days == 0)
        return 0.0;
    for (double d = ch->first_day;; d += ch->every_days) {
        double t = arrivals_batch_day_time(scn, d);
        if (t >= t1)
            break;
        n += t >= t0;
    }
    return n;
}

double arrivals_expected(const struct scenario *scn, unsigned c, double t0, double t1)
{
    const struct scn_channel *ch = &scn->channels[c];
    if (ch->kind == SCN_ARRIVALS_TRACE)
        return (double)(replay_before(scn, c, t1) - replay_before(scn, c, t0));
    if (ch->kind == SCN_ARRIVALS_BATCH) {
        double n = series_batches(scn, ch, t0, t1);
        for (unsigned i = 0; i < ch->n_on; i++) {
            double t = arrivals_batch_day_time(scn, ch->on[i]);
            n += t >= t0 && t < t1;
        }
        return n * ch->batch_size;
    }
    struct arrivals_channel ac;
    build(&ac, scn, c);
    double sum = 0.0;
    for (double t = t0; t < t1;) {
        struct piece p = piece_at(&ac, ch, t, false);
        double end = fmin(p.end, t1);
        sum += (p.base * fmin(p.mult, 1.0) + p.extra) * (end - t);
        t = end;
    }
    return sum;
}
