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

/* The shape tables of a profile (scaled weekday and hour factors). */
static void shape_tables(struct arrivals_shape *sh, const struct arrivals_channel *ac)
{
    sh->cum[0] = 0.0;
    for (unsigned h = 0; h < 168; h++) {
        sh->shape[h] = ac->weekday[h / 24] * ac->hour[h % 24];
        sh->inv[h] = sh->shape[h] > 0.0 ? 1.0 / sh->shape[h] : 0.0;
        sh->cum[h + 1] = sh->cum[h] + sh->shape[h];
    }
    sh->week_rate = 0.0;
    for (unsigned h = 0; h < 168; h++) {
        sh->rate[h] = ac->base * sh->shape[h];
        sh->irate[h] = sh->rate[h] > 0.0 ? 1.0 / sh->rate[h] : 0.0;
        sh->week_rate += sh->rate[h];
    }
    /* Bucket b starts at b week / B; its hour: the last h with cum[h] <=
     * that and a positive shape (an hour of weight 0 holds no point). */
    unsigned h = 0;
    for (unsigned b = 0; b < ARRIVALS_BUCKETS; b++) {
        double at = sh->cum[168] * b / ARRIVALS_BUCKETS;
        while (h < 167 && sh->cum[h + 1] <= at)
            h++;
        sh->first[b] = (uint8_t)h;
    }
}

/* The campaigns' segments of channel c (ac->from, to, index set). */
static void segments(struct arrivals_channel *ac, const struct scn_channel *ch)
{
    double edge[2 * SCN_MAX_CAMPAIGNS];
    unsigned ne = 0;
    for (unsigned i = 0; i < ac->n; i++) {
        double e[2] = {ac->from[i], ac->to[i]};
        for (unsigned j = 0; j < 2; j++) {  /* sorted insertion, no repeats */
            unsigned k = 0;
            while (k < ne && edge[k] < e[j])
                k++;
            if (k < ne && edge[k] == e[j])
                continue;
            memmove(edge + k + 1, edge + k, (ne - k) * sizeof *edge);
            edge[k] = e[j];
            ne++;
        }
    }
    ac->nseg = ne + 1;
    ac->seg_at[0] = -INFINITY;
    ac->seg_at[ne + 1] = INFINITY;
    for (unsigned j = 0; j <= ne; j++) {
        if (j > 0)
            ac->seg_at[j] = edge[j - 1];
        double t = ac->seg_at[j], m = 1.0, extra = 0.0;
        /* The active campaigns on the whole segment: those active at its
         * start.  The product in the campaigns' order (the same bits as
         * multiplying them at any time of the segment). */
        for (unsigned i = 0; i < ac->n; i++) {
            if (ac->from[i] > t || ac->to[i] <= t)
                continue;
            const struct scn_campaign *cp = &ch->campaigns[ac->index[i]];
            if (cp->is_multiplier)
                m *= cp->multiplier;
            else
                extra += cp->per_week;
        }
        ac->seg_mult[j] = m;
        ac->seg_x[j] = extra / HOURS_PER_WEEK + (m > 1.0 ? ac->base * (m - 1.0) : 0.0);
    }
}

/* The rates and shape of Poisson channel c, without streams; `sh` holds
 * the shape tables of a shaped channel (the caller's storage). */
static void build(struct arrivals_channel *ac, const struct scenario *scn, unsigned c,
                  struct arrivals_shape *sh)
{
    const struct scn_channel *ch = &scn->channels[c];
    memset(ac, 0, sizeof *ac);
    ac->base = ch->per_week / HOURS_PER_WEEK;
    ac->shaped = ch->profile.given;
    ac->day0_weekday = (unsigned)scn->calendar.day0_weekday;
    ac->week0 = 24.0 * ac->day0_weekday;
    double sw = 0.0, shr = 0.0;
    for (unsigned d = 0; d < 7; d++)
        sw += ch->profile.weekday[d];
    for (unsigned h = 0; h < 24; h++)
        shr += ch->profile.hour[h];
    /* Scaled so that the product has mean 1 over the 168 hours of a week:
     * the profile moves leads within the week and keeps per_week. */
    for (unsigned d = 0; d < 7; d++)
        ac->weekday[d] = ac->shaped ? 7.0 * ch->profile.weekday[d] / sw : 1.0;
    for (unsigned h = 0; h < 24; h++)
        ac->hour[h] = ac->shaped ? 24.0 * ch->profile.hour[h] / shr : 1.0;
    if (ac->shaped) {
        ac->sh = sh;
        shape_tables(sh, ac);
    }
    for (unsigned k = 0; k < ch->n_campaigns; k++) {
        const struct scn_campaign *cp = &ch->campaigns[k];
        if (!cp->enabled)
            continue;
        ac->index[ac->n] = k;
        ac->from[ac->n] = cp->from_day * 24.0;
        ac->to[ac->n] = (cp->to_day + 1.0) * 24.0;   /* both days inclusive */
        /* Only a multiplier below 1 removes base leads; one above 1 adds
         * its part through the campaign process. */
        ac->thins |= cp->is_multiplier && cp->multiplier < 1.0;
        ac->n++;
    }
    segments(ac, ch);
    ac->cur_t = NAN;            /* no cursor yet */
    ac->steady = !ac->shaped && ac->n == 0;
}

/* The segment holding t. */
static unsigned seg_of(const struct arrivals_channel *ac, double t)
{
    unsigned j = 0;
    while (ac->seg_at[j + 1] <= t)
        j++;
    return j;
}

/* The profile's shape at t (mean 1 over a week); 1 without a profile. */
static double shape_at(const struct arrivals_channel *ac, double t)
{
    if (!ac->shaped)
        return 1.0;
    /* Hours of the week from Monday 00:00: day 0 is weekday day0_weekday.
     * In integers: the same remainder as fmod of the whole-valued double
     * (t < 2^53), at a fraction of fmod's cost. */
    unsigned slot = (unsigned)(((uint64_t)floor(t) + 24u * ac->day0_weekday) % 168u);
    return ac->sh->shape[slot];
}

/* S(t): the integral of the shape from the Monday 00:00 before day 0 to t
 * (t itself without a profile).  O(1): whole weeks, then the table. */
static double shape_integral(const struct arrivals_channel *ac, double t)
{
    if (!ac->shaped)
        return t;
    const struct arrivals_shape *sh = ac->sh;
    double tau = t + ac->week0, hour = floor(tau);
    uint64_t h = (uint64_t)hour, w = h / 168u;
    unsigned slot = (unsigned)(h - 168u * w);
    return (double)w * sh->cum[168] + sh->cum[slot] + sh->shape[slot] * (tau - hour);
}

/* The time at which S reaches v >= S(t) (t a time with S(t) <= v): the
 * inverse of shape_integral, by a bucket lookup and a short walk over the
 * hours; never before t (rounding). */
static double shape_inverse(const struct arrivals_channel *ac, double v, double t)
{
    if (!ac->shaped)
        return v;
    const struct arrivals_shape *sh = ac->sh;
    double week = sh->cum[168], w = floor(v / week), r = v - w * week;
    if (r >= week) {            /* rounding at the week's end */
        w += 1.0;
        r = 0.0;
    }
    unsigned b = (unsigned)(r * (ARRIVALS_BUCKETS / week));
    unsigned h = sh->first[b < ARRIVALS_BUCKETS ? b : ARRIVALS_BUCKETS - 1];
    while (h < 167 && sh->cum[h + 1] <= r)
        h++;
    double at = w * 168.0 + h + (r - sh->cum[h]) * sh->inv[h] - ac->week0;
    return at > t ? at : t;
}

/* Puts the base process's cursor at t. */
static void cursor_at(struct arrivals_channel *ac, double t)
{
    double hour = floor(t);
    ac->cur_t = t;
    ac->cur_slot = (unsigned)(((uint64_t)hour + 24u * ac->day0_weekday) % 168u);
    ac->cur_end = hour + 1.0;
    ac->cur_rem = ac->sh->rate[ac->cur_slot] * (ac->cur_end - t);
}

/* Hours the base process walks before it inverts the integral by the
 * tables instead (a slow channel, or a night). */
#define WALK_HOURS 8

/* The time after t at which the base rate's integral has grown by e (a
 * unit exponential), for a shaped channel: exact inversion of base x s,
 * whatever the campaigns, so that the channel's own leads come at the
 * same times, to the bit, with and without them.  From the cursor left by
 * the last arrival, hour by hour: a lead of a busy channel lands in the
 * same or the next hour, for a subtraction and a product (no floor, no
 * remainder, no division); whole weeks in one step, and past WALK_HOURS
 * the tables' inversion.  INFINITY past the horizon. */
static double invert_base(struct arrivals *a, unsigned c, double t, double e)
{
    struct arrivals_channel *ac = &a->ch[c];
    const struct arrivals_shape *sh = ac->sh;
    if (!(ac->base > 0.0))
        return INFINITY;
    if (t != ac->cur_t)
        cursor_at(ac, t);
    double end = ac->cur_end, rem = ac->cur_rem, t0 = t;
    unsigned slot = ac->cur_slot;
    if (e > sh->week_rate) {    /* the rates repeat every week */
        double weeks = floor(e / sh->week_rate);
        end += weeks * HOURS_PER_WEEK;
        e = fmax(e - weeks * sh->week_rate, 0.0);
    }
    for (unsigned n = 0;; n++) {
        if (e < rem) {
            rem -= e;
            t = end - rem * sh->irate[slot];
            t = t > t0 ? t : t0;        /* never before t by rounding */
            break;
        }
        e -= rem;
        if (end > a->horizon)
            return INFINITY;
        if (n == WALK_HOURS) {  /* from the start of hour `end` */
            t = shape_inverse(ac, shape_integral(ac, end) + e / ac->base, end);
            cursor_at(ac, t);
            return t <= a->horizon ? t : INFINITY;
        }
        slot = slot == 167 ? 0 : slot + 1;
        rem = sh->rate[slot];
        end += 1.0;
    }
    ac->cur_t = t;
    ac->cur_end = end;
    ac->cur_rem = rem;
    ac->cur_slot = slot;
    return t <= a->horizon ? t : INFINITY;
}

/* The same for the campaign process: segment by segment, its rate s(t) x
 * on each; a segment without campaign leads is crossed in one step. */
static double invert_extra(const struct arrivals *a, unsigned c, double t, double e)
{
    const struct arrivals_channel *ac = &a->ch[c];
    unsigned j = seg_of(ac, t);
    while (t <= a->horizon && j < ac->nseg) {
        double x = ac->seg_x[j], end = ac->seg_at[j + 1];
        if (x > 0.0) {
            double s0 = shape_integral(ac, t), s1 = shape_integral(ac, end);
            if (x * (s1 - s0) >= e) {
                double next = shape_inverse(ac, s0 + e / x, t);
                return next <= a->horizon ? next : INFINITY;
            }
            e = fmax(e - x * (s1 - s0), 0.0);
        }
        t = end;
        j++;
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
        /* The shape tables (about 4 KB) only for a channel with a profile. */
        build(ac, scn, c, ch->profile.given ? sim_reallocarray(NULL, 1, sizeof *ac->sh) : NULL);
        temp_cdf(ac->temp_cdf[0], ch->temperature);
        for (unsigned k = 0; k < ch->n_campaigns; k++)
            temp_cdf(ac->temp_cdf[k + 1], ch->campaigns[k].temperature);
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
        free(a->ch[c].sh);
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
 * of a channel with such a multiplier, kept or not, so that the decisions
 * line up across runs.  m(t) is the segment's (a cursor: base arrivals
 * come in time order), O(1) a lead. */
static bool keep_base(struct arrivals *a, unsigned c, double t)
{
    struct arrivals_channel *ac = &a->ch[c];
    if (!ac->thins)
        return true;
    double u = gsl_rng_uniform(ac->thin_rng);
    unsigned j = ac->seg_at[ac->base_seg] <= t ? ac->base_seg : 0;
    while (ac->seg_at[j + 1] <= t)
        j++;
    ac->base_seg = j;
    double m = ac->seg_mult[j];
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
    double m = ac->seg_mult[seg_of(ac, t)];
    /* Weights without the common shape factor: extras' per_week / 168;
     * the multiplier part base x (m - 1), shared in proportion to m_k - 1. */
    double mult_part = m > 1.0 ? ac->base * (m - 1.0) : 0.0, above = 0.0;
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
    const struct arrivals_channel *ac = &a->ch[c];
    unsigned j = seg_of(ac, t);
    double s = shape_at(ac, t);
    *base = ac->base * s;
    *total = *base * fmin(ac->seg_mult[j], 1.0) + s * ac->seg_x[j];
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
    /* Segment by segment, each the integral of its rate
     * s(t) (base min(m, 1) + x): O(campaigns), whatever the horizon. */
    struct arrivals_channel ac;
    struct arrivals_shape sh;
    build(&ac, scn, c, &sh);
    double sum = 0.0;
    for (unsigned j = seg_of(&ac, t0); j < ac.nseg && ac.seg_at[j] < t1; j++) {
        double a0 = fmax(ac.seg_at[j], t0), a1 = fmin(ac.seg_at[j + 1], t1);
        double rate = ac.base * fmin(ac.seg_mult[j], 1.0) + ac.seg_x[j];
        sum += rate * (shape_integral(&ac, a1) - shape_integral(&ac, a0));
    }
    return sum;
}
