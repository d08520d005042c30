/*
 * arrivals.h - when a channel's leads arrive, and from which campaign.
 *
 * The arrival stage of a replication (docs/model.md, "Arrivals"), apart
 * from what happens to a lead once it exists (funnel.c).  A Poisson
 * channel's rate is a piecewise-constant function of time: its base rate
 * per_week / 168, shaped by the week's profile (hour of the week), and
 * changed by its campaigns over whole days.  Arrival times are drawn
 * exactly, by inversion of the integrated rate: a unit exponential E is
 * walked through the constant pieces until their integral reaches E.
 *
 * Two processes per Poisson channel, each from its own random stream, so
 * that a run with a campaign and one without share their base arrivals
 * (common random numbers):
 *
 *   base   the channel's own leads at the base rate b(t), from the
 *          channel's arrival stream (as without campaigns).  When the
 *          campaigns active at t multiply to m(t) < 1, a base lead is kept
 *          with probability m(t), a uniform from the thinning stream drawn
 *          for every base arrival of a channel with multipliers: the kept
 *          leads are a subset of the same leads.
 *   extra  the campaigns' leads at rate x(t) = s(t) x (sum of the active
 *          extras' per_week) / 168 + b(t) x (m(t) - 1) when m(t) > 1, from
 *          the campaign stream; s(t) is the profile's shape (mean 1 over a
 *          week), so campaign leads come at the channel's hours.  Each
 *          extra lead is attributed to one active campaign with
 *          probability proportional to its share of x(t); the multiplier
 *          part is shared among the multipliers above 1 in proportion to
 *          m_k - 1 (one more uniform from the campaign stream).
 *
 * A channel with no profile and no enabled campaign is steady: it draws
 * exactly what it drew before this module existed, in the same order, so
 * such scenarios give bit-identical results.
 *
 * Batch channels: the every_days series (unchanged) and the days of `on`,
 * each a batch at the calendar's start_hour of that day.
 *
 * Trace channels (models/trace.h): the file's timestamps in [day 0,
 * horizon), in order, one lead each, no randomness; one event pending at
 * a time (the next row), so the event queue does not grow with the file.
 *
 * Ownership: struct arrivals lives inside a replication's state; the
 * generators it allocates (campaign and thinning streams, only for
 * channels that need them) are freed by arrivals_fini().  Nothing is
 * allocated per arrival; the next arrival costs O(pieces crossed), a
 * piece being an hour (with a profile) or a campaign's edge; whole weeks
 * of a base process are skipped in one step.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_ARRIVALS_H
#define MODELS_ARRIVALS_H

#include <stdbool.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/scenario.h"
#include "sim/engine.h"

/* One Poisson channel's rates and streams in one replication. */
struct arrivals_channel {
    bool steady;                /* no profile, no enabled campaign */
    bool shaped;                /* a profile: the rate changes hourly */
    bool thins;                 /* some multiplier: base arrivals thinned */
    double base;                /* per_week / 168: leads an hour on average */
    double weekday[7], hour[24];/* shape factors; their product has mean 1 */
    double base_week;           /* per_week: the base integral of a week */
    double *rate;               /* shaped: base x shape of each hour of the
                                   week from Monday 00:00 (168, owned) */
    unsigned day0_weekday;      /* of day 0 (calendar): 0 = Monday */
    unsigned n;                 /* enabled campaigns */
    unsigned index[SCN_MAX_CAMPAIGNS]; /* their index in the channel's list */
    double from[SCN_MAX_CAMPAIGNS], to[SCN_MAX_CAMPAIGNS]; /* hours, [from, to) */
    gsl_rng *base_rng;          /* the channel's own leads (every kind) */
    gsl_rng *extra_rng;         /* campaign leads and their attribution */
    gsl_rng *thin_rng;          /* thinning of base leads */
    uint32_t batch_next;        /* batch: number of the next batch of the series */
    size_t trace_next;          /* trace: the next of the channel's timestamps */
    /* Cumulative shares of hot and warm (cold is the rest), of the
     * channel's own leads [0] and of campaign k's [k]. */
    double temp_cdf[1 + SCN_MAX_CAMPAIGNS][SCN_TEMPS];
};

/* The arrival stage of one replication: its state, and where its events
 * go. */
struct arrivals {
    const struct scenario *scn;
    struct sim *sim;
    unsigned ev_arrival, ev_batch; /* the event types it schedules */
    double horizon;             /* hours */
    struct arrivals_channel ch[SCN_MAX_CHANNELS];
};

/* How many streams the arrival stage numbers from its stream0: each
 * channel's own, its campaigns', its thinning stream. */
#define ARRIVALS_STREAMS (3 * SCN_MAX_CHANNELS)

/* The streams, after the `stream0` the caller gives: channel c's own
 * arrivals use stream0 + c (as always), its campaign leads
 * stream0 + SCN_MAX_CHANNELS + c, its thinning stream0 + 2 SCN_MAX_CHANNELS
 * + c; the last two only when the channel has campaigns.  Events of type
 * ev_arrival and ev_batch go to `sim`, and their handlers call
 * arrivals_arrival() and arrivals_batch(). */
void arrivals_init(struct arrivals *a, const struct scenario *scn, unsigned rep,
                   unsigned stream0, struct sim *sim, unsigned ev_arrival,
                   unsigned ev_batch);
void arrivals_fini(struct arrivals *a);

/* Schedules every channel's first arrival (in channel order, the first
 * draw of each stream) and the batches of `on`. */
void arrivals_start(struct arrivals *a);

/* An ev_arrival event for obj happens now: whether it brings a lead, and
 * if so its channel *c and campaign *k (1 + its index in the channel's
 * list; 0: the channel's own); schedules the next arrival of obj. */
bool arrivals_arrival(struct arrivals *a, uint32_t obj, unsigned *c, unsigned *k);

/* An ev_batch event for obj happens now: the leads it brings, of channel
 * *c; schedules the series' next batch. */
unsigned arrivals_batch(struct arrivals *a, uint32_t obj, unsigned *c);

/* Whether channel c runs as before campaigns and profiles existed. */
static inline bool arrivals_steady(const struct arrivals *a, unsigned c)
{
    return a->ch[c].steady;
}

/* The next time after t at which the base (channel's own) or the extra
 * (campaign) process of Poisson channel c has an arrival, drawing from its
 * stream: INFINITY past the horizon.  For tests; the events use them. */
double arrivals_next_base(struct arrivals *a, unsigned c, double t);
double arrivals_next_extra(struct arrivals *a, unsigned c, double t);

/* The rates of channel c at time t, leads an hour: base (before thinning)
 * and total (what arrives: base x min(m, 1) plus the campaign leads). */
void arrivals_rate(const struct arrivals *a, unsigned c, double t, double *base,
                   double *total);

/* What a lead of channel c from campaign k (0: none) is like: its
 * fit share, and the cumulative shares of hot and warm. */
static inline double arrivals_fit_share(const struct scenario *scn, unsigned c, unsigned k)
{
    const struct scn_channel *ch = &scn->channels[c];
    return k == 0 ? ch->fit_share : ch->campaigns[k - 1].fit_share;
}

static inline const double *arrivals_temp_cdf(const struct arrivals *a, unsigned c,
                                              unsigned k)
{
    return a->ch[c].temp_cdf[k];
}

/* Hours at which batch channel c's batch on day `day` arrives. */
double arrivals_batch_day_time(const struct scenario *scn, double day);

/* Leads channel c is expected to create in the hours [t0, t1): the
 * integral of its rates (Poisson), or its batches' leads. */
double arrivals_expected(const struct scenario *scn, unsigned c, double t0, double t1);

#endif
