/*
 * funnel.c - one replication of the sales funnel as a discrete-event model.
 *
 * The file follows a lead's life (docs/model.md, "A lead's life"), one
 * section per stage: arrival, pre-qualification, handoff, routing, attempt,
 * judgement, audit, nurture return, abandonment; then resolution and what
 * is measured, the replication's setup and the runner's view.  A stage
 * calls stages further down, so they are declared, in order, before the
 * first of them.  The closed-form figures are in funnel_nominal.c.
 *
 * Events, their subject (obj) and the stage that handles them:
 *   ARRIVAL      channel  a Poisson channel creates one lead      arrival
 *                         (obj: arrivals.h; campaigns have their own)
 *   BATCH        channel  the channel's next batch arrives        arrival
 *   HANDOFF      lead     it reaches sales after the delay        handoff
 *   RETURN       lead     a nurtured theorist comes back a buyer  nurture
 *   OVERFLOW     lead     a held-back lead comes back from
 *                         nurture to sales' door                 handoff
 *   ABANDON      lead     its patience runs out (keyed: cancelled
 *                         when its first attempt begins)          abandonment
 *   RETRY        lead     the gap after a missed attempt is over  attempt
 *   ATTEMPT_END  manager  an attempt or conversation ends         attempt
 *   BACK         manager  its account work is done                attempt
 *   OPEN         -        the business calendar opens             routing
 *   SAMPLE       day      the daily backlog sample of the series  measurement
 *   STAFF        change   a manager starts or leaves (team.h)     routing
 *   ROLL         day      the day's roll call of absences         routing
 *
 * Only abandonments are ever cancelled, and they are removed from the
 * queue at once, so no event of a freed lead is pending when its slot is
 * reused.  Events that come a constant delay after now (HANDOFF, RETURN,
 * OVERFLOW, RETRY, and ABANDON with a fixed patience) are declared FIFO: however
 * many are pending, they cost the event heap one entry each type.
 * Per event the model allocates nothing: leads come from a pool that only
 * grows while the number of leads in the system reaches a new high, and
 * the event heap likewise.
 *
 * Random draws: every stage draws from the stream of its purpose, in an
 * order that is part of the results (the same seed gives the same
 * numbers); a change that adds, drops or reorders a draw changes them.
 * Reach decay and interest_scales_win add no draw: at their defaults the
 * numbers are unchanged.
 *
 * SPDX-License-Identifier: MIT
 */
#include "funnel.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/arrivals.h"
#include "models/lead.h"
#include "models/team.h"
#include "sim/engine.h"
#include "sim/rng.h"
#include "sim/runner.h"

_Static_assert(SCN_MAX_RETURNS <= UINT8_MAX, "a lead's returns fit its 8-bit counter");

/* Event types; the type never decides the order of events (sim/queue.h). */
enum funnel_event {
    EV_ARRIVAL,
    EV_BATCH,
    EV_HANDOFF,
    EV_RETURN,
    EV_OVERFLOW,
    EV_ABANDON,
    EV_RETRY,
    EV_ATTEMPT_END,
    EV_BACK,
    EV_OPEN,
    EV_SAMPLE,
    EV_STAFF,
    EV_ROLL,
};

/* One stream per purpose, so that a sweep changing one purpose leaves the
 * draws of the others alone (common random numbers). */
enum funnel_stream {
    STREAM_LEAD,        /* a lead's attributes, drawn once at creation */
    STREAM_PREQUAL,     /* indicators, theorist detection, nurture return */
    STREAM_PATIENCE,    /* abandonment times */
    STREAM_CONTACT,     /* durations, reach, judgement, audits, deals */
    STREAM_CHANNEL0,    /* arrivals of channel c: STREAM_CHANNEL0 + c, and
                           after all channels' those of their campaigns
                           (models/arrivals.h) */
    /* Absences, after the arrival streams (models/arrivals.h: channels,
     * campaigns, thinning), so that no other stream moves. */
    STREAM_ABSENCE = STREAM_CHANNEL0 + ARRIVALS_STREAMS,
};

struct funnel {
    const struct scenario *scn;
    struct sim sim;
    struct team team;
    struct lead_pool leads;
    gsl_rng *rng[STREAM_CHANNEL0];  /* the arrival streams are arr's */
    gsl_rng *absence;               /* STREAM_ABSENCE, when any group is away */
    double warmup;                  /* hours: the measured period starts */
    double horizon;                 /* hours: the replication ends */
    struct sim_cal_cursor cal;      /* working time, cached around now */
    struct arrivals arr;            /* the arrival stage (arrivals.h) */
    bool full;                      /* the lead pool hit its limit */
    struct tally tally;             /* what is measured (tally.h, metric.h) */
};

/* The life of a lead, stage by stage. */
static void create_lead(struct funnel *f, unsigned c, unsigned k);
static bool prequalify(struct funnel *f, uint32_t id, bool measured);
static void handoff_begin(struct funnel *f, uint32_t id);
static void handoff_complete(struct funnel *f, uint32_t id);
static void hold_back(struct funnel *f, uint32_t id);
static void join_sales(struct funnel *f, uint32_t id, bool routed);
static bool taker_ready(struct funnel *f, const struct lead *l);
static void dispatch(struct funnel *f, uint32_t id);
static void start_attempt(struct funnel *f, unsigned m, uint32_t id);
static void judge(struct funnel *f, unsigned m, uint32_t id);
static void reject(struct funnel *f, uint32_t id, enum junk_reason why);
static void divert_to_nurture(struct funnel *f, uint32_t id, bool measured);
static void resolve_qualified(struct funnel *f, uint32_t id);
static void resolve_junk(struct funnel *f, uint32_t id, enum junk_reason why);
static void resolve_held_lost(struct funnel *f, uint32_t id);

static inline double uniform(struct funnel *f, enum funnel_stream s)
{
    return gsl_rng_uniform(f->rng[s]);
}

/* Whether something that happens at t is measured: at or after the
 * warm-up (metric.h).  A lead is measured when its handoff is. */
static inline bool measured_at(const struct funnel *f, double t)
{
    return t >= f->warmup;
}

/* ==== 1. Arrival ========================================================== */

/* When leads come, and from which campaign, is models/arrivals.h's. */
static void on_arrival(struct sim *sim, void *ctx, uint32_t obj)
{
    struct funnel *f = ctx;
    unsigned c, k;
    (void)sim;
    if (arrivals_arrival(&f->arr, obj, &c, &k))
        create_lead(f, c, k);
}

static void on_batch(struct sim *sim, void *ctx, uint32_t obj)
{
    struct funnel *f = ctx;
    unsigned c, n = arrivals_batch(&f->arr, obj, &c);
    (void)sim;
    for (unsigned i = 0; i < n && !f->full; i++)
        create_lead(f, c, 0);
}

/* Channel c creates one lead now, from campaign k (0: none).  A full pool
 * stops the replication: the caller reports it (funnel_replicate). */
static void create_lead(struct funnel *f, unsigned c, unsigned k)
{
    const struct scn_channel *ch = &f->scn->channels[c];
    double now = sim_now(&f->sim);
    uint32_t id = lead_alloc(&f->leads);
    if (id == LEAD_NONE) {
        f->full = true;
        sim_stop(&f->sim);
        return;
    }
    struct lead *l = lead_get(&f->leads, id);
    l->t_created = now;     /* the origin of its age (decay.h) */
    /* Every attribute is drawn here, once, in a fixed number of draws, so
     * that switching a lever off does not shift the streams. */
    double u_fit = uniform(f, STREAM_LEAD), u_theorist = uniform(f, STREAM_LEAD);
    double u_temp = uniform(f, STREAM_LEAD), u_reach = uniform(f, STREAM_LEAD);
    l->channel = (uint8_t)c;
    l->campaign = (uint8_t)k;
    l->flags = (uint16_t)((u_fit < arrivals_fit_share(f->scn, c, k) ? LEAD_FIT : 0) |
                         (u_theorist < ch->theorist_share ? LEAD_THEORIST : 0) |
                         (u_reach < f->scn->contact.contactable ? LEAD_CONTACTABLE : 0));
    const double *cdf = arrivals_temp_cdf(&f->arr, c, k);
    l->temp = (uint8_t)(u_temp < cdf[SCN_HOT] ? SCN_HOT
                        : u_temp < cdf[SCN_WARM] ? SCN_WARM : SCN_COLD);

    bool measured = measured_at(f, now);
    tally_generated(&f->tally, l, now, measured);
    const struct scn_prequal *pq = &f->scn->prequal;
    if ((pq->enabled || pq->theorist_detection > 0.0) && !prequalify(f, id, measured))
        return;
    handoff_begin(f, id);
}

/* ==== 2. Pre-qualification ================================================ */

/* The indicator check when enabled, and theorist detection whenever it is
 * above 0 (a lever of its own; docs/model.md).  Returns whether the lead
 * goes on to sales now: a filtered lead is gone, a diverted theorist may
 * come back (section 8).  Draws from STREAM_PREQUAL: the indicators only
 * when the check is enabled, the detection only for a theorist. */
static bool prequalify(struct funnel *f, uint32_t id, bool measured)
{
    const struct scn_prequal *pq = &f->scn->prequal;
    struct lead *l = lead_get(&f->leads, id);
    gsl_rng *r = f->rng[STREAM_PREQUAL];
    double p = (l->flags & LEAD_FIT) ? pq->p_true_fit : pq->p_true_unfit;

    if (pq->enabled && gsl_ran_binomial(r, p, pq->indicators) < pq->min_true) {
        tally_filtered(&f->tally, l, measured);
        lead_free(&f->leads, id);
        return false;
    }
    if ((l->flags & LEAD_THEORIST) && gsl_rng_uniform(r) < pq->theorist_detection) {
        divert_to_nurture(f, id, measured);
        return false;
    }
    return true;
}

/* ==== 3. Handoff: from marketing to sales ================================= */

/* Marketing passes lead id on: it reaches sales after the delay, or now. */
static void handoff_begin(struct funnel *f, uint32_t id)
{
    double delay = f->scn->handoff.delay_hours;
    if (delay > 0.0)
        sim_schedule(&f->sim, sim_now(&f->sim) + delay, EV_HANDOFF, id);
    else
        handoff_complete(f, id);
}

static void on_handoff(struct sim *sim, void *ctx, uint32_t id)
{
    (void)sim;
    handoff_complete(ctx, id);
}

/* Lead id reaches sales' door: held back in marketing when it would have
 * to wait and the backlog already holds max_backlog leads (with 0, a lead
 * that finds its manager, or every manager of the pool, busy: Erlang B),
 * otherwise handed: its patience starts now.  Its age counts from its
 * creation, also through overflow nurture.  A lead is routed before the
 * cap is judged, so that its own manager decides. */
static void handoff_complete(struct funnel *f, uint32_t id)
{
    const struct scenario *scn = f->scn;
    struct lead *l = lead_get(&f->leads, id);
    double now = sim_now(&f->sim);
    bool measured = measured_at(f, now);

    if (f->team.per_manager)
        l->mgr = (uint16_t)route_pick(f->team.policy, &f->team, l);
    if (scn->handoff.capped && f->team.backlog >= scn->handoff.max_backlog &&
        !taker_ready(f, l)) {
        hold_back(f, id);
        return;
    }
    if (measured)
        l->flags |= LEAD_MEASURED;
    tally_handed(&f->tally, l, now);
    if (scn->abandon.enabled) {
        double patience = dist_sample(&scn->abandon.patience, f->rng[STREAM_PATIENCE]);
        sim_schedule(&f->sim, now + patience, EV_ABANDON, id);
    }
    join_sales(f, id, true);
}

/* The cap holds lead id back: with overflow "nurture" it comes back to the
 * door after the return delay, at most max_returns times (no draw: the
 * delay is constant); otherwise, or after the last return, it is lost. */
static void hold_back(struct funnel *f, uint32_t id)
{
    const struct scn_handoff *h = &f->scn->handoff;
    struct lead *l = lead_get(&f->leads, id);
    l->flags |= LEAD_HELD_BACK;
    if (h->overflow == SCN_OVERFLOW_NURTURE && l->returns < h->max_returns) {
        sim_schedule(&f->sim, sim_now(&f->sim) + h->overflow_return_days * 24.0,
                     EV_OVERFLOW, id);
        return;
    }
    resolve_held_lost(f, id);
}

static void on_overflow_return(struct sim *sim, void *ctx, uint32_t id)
{
    struct funnel *f = ctx;
    (void)sim;
    lead_get(&f->leads, id)->returns++;
    handoff_complete(f, id);
}

/* ==== 4. Routing: who works the lead, and when ============================= */

/* The backlog (team.h) is kept per manager or for the pool, and in total
 * for the cap, the rush and the time average. */
static void backlog_change(struct funnel *f, int delta)
{
    f->team.backlog = (uint32_t)((int64_t)f->team.backlog + delta);
    tally_backlog(&f->tally, sim_now(&f->sim), (double)f->team.backlog);
}

static void backlog_enter(struct funnel *f, uint32_t id)
{
    struct lead *l = lead_get(&f->leads, id);
    l->t_since = sim_now(&f->sim);
    if (f->team.per_manager)
        f->team.mgr[l->mgr].open++;
    else
        f->team.pool_open++;
    backlog_change(f, +1);
}

static void backlog_leave(struct funnel *f, uint32_t id)
{
    struct lead *l = lead_get(&f->leads, id);
    l->waited += (float)(sim_now(&f->sim) - l->t_since);
    if (f->team.per_manager)
        f->team.mgr[l->mgr].open--;
    else
        f->team.pool_open--;
    backlog_change(f, -1);
}

static struct lead_queue *queue_of(struct funnel *f, const struct lead *l)
{
    return f->team.per_manager ? &f->team.mgr[l->mgr].queue : &f->team.pool;
}

/* A newly handed or recovered lead joins sales: routed to a manager (a
 * per-manager policy, O(managers): team.h) unless handoff_complete() did,
 * then dispatched. */
static void join_sales(struct funnel *f, uint32_t id, bool routed)
{
    struct lead *l = lead_get(&f->leads, id);
    if (f->team.per_manager && !routed)
        l->mgr = (uint16_t)route_pick(f->team.policy, &f->team, l);
    backlog_enter(f, id);
    dispatch(f, id);
}

/* Whether a manager would take routed lead l at once: working time, and
 * its own manager idle (or any, for the pool). */
static bool taker_ready(struct funnel *f, const struct lead *l)
{
    const struct team *t = &f->team;
    if (!sim_cal_cursor_is_open(&f->cal, sim_now(&f->sim)))
        return false;
    return t->per_manager ? t->mgr[l->mgr].state == MGR_IDLE && team_takes(t, l->mgr)
                          : t->idle_head != MGR_NONE;
}

/* Lead id, in the backlog and in no queue, is routed again; it waits on. */
static void reroute(struct funnel *f, uint32_t id)
{
    backlog_leave(f, id);
    join_sales(f, id, false);
}

/* Lead id, in the backlog and in no queue, wants a manager: its own (or
 * the longest idle, for the pool) takes it at once when idle in working
 * time; otherwise it queues. */
static void dispatch(struct funnel *f, uint32_t id)
{
    struct team *t = &f->team;
    struct lead *l = lead_get(&f->leads, id);
    if (t->per_manager && (t->mgr[l->mgr].out & MGR_OUT_INACTIVE)) {
        reroute(f, id);     /* its manager left while it waited to retry */
        return;
    }
    bool working = sim_cal_cursor_is_open(&f->cal, sim_now(&f->sim));
    unsigned m = MGR_NONE;
    if (working) {
        if (t->per_manager) {
            if (t->mgr[l->mgr].state == MGR_IDLE && team_takes(t, l->mgr))
                m = l->mgr;
        } else {
            m = team_idle_pop(t);
        }
    }
    if (m == MGR_NONE) {
        lead_queue_push(queue_of(f, l), &f->leads, id);
        return;
    }
    start_attempt(f, m, id);
}

/* Manager m is free now: takes the next lead in working time, or waits
 * (in the idle list, for the pool). */
static void manager_take_next(struct funnel *f, unsigned m)
{
    struct team *t = &f->team;
    struct manager *mg = &t->mgr[m];
    mg->state = MGR_IDLE;
    if (!team_takes(t, m))      /* left, or away today: takes nothing */
        return;
    if (sim_cal_cursor_is_open(&f->cal, sim_now(&f->sim))) {
        struct lead_queue *q = t->per_manager ? &mg->queue : &t->pool;
        uint32_t id = lead_queue_pop(q, &f->leads);
        if (id != LEAD_NONE) {
            start_attempt(f, m, id);
            return;
        }
    }
    if (!t->per_manager)
        team_idle_push(t, m);
}

/* The next opening of the business calendar strictly after `after`. */
static void schedule_open(struct funnel *f, double after)
{
    const struct sim_cal *cal = &f->scn->calendar;
    double t = sim_cal_next_open(cal, after);
    if (t <= after)     /* `after` is itself open: look past its period */
        t = sim_cal_next_open(cal, sim_cal_period_end(cal, after));
    if (t <= f->horizon)
        sim_schedule(&f->sim, t, EV_OPEN, 0);
}

/* The working day begins: idle managers take the leads that queued
 * overnight.  O(managers) per opening with per-manager queues. */
static void on_open(struct sim *sim, void *ctx, uint32_t obj)
{
    struct funnel *f = ctx;
    struct team *t = &f->team;
    (void)obj;
    if (t->per_manager) {
        for (unsigned m = 0; m < t->n; m++)
            if (t->mgr[m].state == MGR_IDLE && t->mgr[m].queue.len > 0)
                manager_take_next(f, m);
    } else {
        while (t->pool.len > 0 && t->idle_head != MGR_NONE)
            start_attempt(f, team_idle_pop(t), lead_queue_pop(&t->pool, &f->leads));
    }
    schedule_open(f, sim_now(sim));
}

/* A manager starts, and takes leads; or leaves (team.h, "Teams in time"):
 * a lead in its attempt is finished first, its queued leads are routed
 * again now, and those waiting to retry when they retry (dispatch). */
static void on_staff(struct sim *sim, void *ctx, uint32_t k)
{
    struct funnel *f = ctx;
    struct team *t = &f->team;
    unsigned m = team_apply_change(t, k);
    if (!(t->mgr[m].out & MGR_OUT_INACTIVE)) {
        if (t->mgr[m].state == MGR_IDLE)
            manager_take_next(f, m);
    } else if (t->per_manager) {
        uint32_t id;
        while ((id = lead_queue_pop(&t->mgr[m].queue, &f->leads)) != LEAD_NONE)
            reroute(f, id);
    }
    if (k + 1 < t->n_changes && t->change[k + 1].t <= f->horizon)
        sim_schedule(sim, t->change[k + 1].t, EV_STAFF, k + 1);
}

/* The day's roll call (team.h): absences drawn on a working day; those
 * back and idle take leads. */
static void on_roll(struct sim *sim, void *ctx, uint32_t day)
{
    struct funnel *f = ctx;
    struct team *t = &f->team;
    bool working = sim_cal_cursor_is_open(&f->cal, sim_now(sim));
    team_roll_call(t, working ? f->absence : NULL);
    for (unsigned m = 0; m < t->n; m++)
        if (team_takes(t, m) && t->mgr[m].state == MGR_IDLE && !t->mgr[m].listed)
            manager_take_next(f, m);
    double next = sim_cal_day_at_start(&f->scn->calendar, day + 1.0);
    if (next <= f->horizon)
        sim_schedule(sim, next, EV_ROLL, day + 1);
}

/* ==== 5. Attempt ========================================================== */

/* Rush level in [0, 1): 0 up to the comfortable backlog, then 1 - k/b, so
 * a manager at twice the comfortable backlog is half rushed. */
static double rush_level(const struct funnel *f, unsigned m)
{
    double b = team_backlog_of(&f->team, m);
    double k = f->scn->contact.comfortable_backlog;
    return b > k ? 1.0 - k / b : 0.0;
}

/* Manager m calls lead id, which leaves the backlog.  The first attempt
 * ends the lead's patience and its first wait.  Draws from STREAM_CONTACT:
 * the reach of a contactable lead (faded by age), then the conversation. */
static void start_attempt(struct funnel *f, unsigned m, uint32_t id)
{
    const struct scenario *scn = f->scn;
    struct manager *mg = &f->team.mgr[m];
    struct lead *l = lead_get(&f->leads, id);
    double now = sim_now(&f->sim);

    if (l->flags & LEAD_QUEUED)
        lead_queue_remove(queue_of(f, l), &f->leads, id);
    backlog_leave(f, id);
    if (!(l->flags & LEAD_ATTEMPTED)) {
        l->flags |= LEAD_ATTEMPTED;
        sim_cancel(&f->sim, EV_ABANDON, id);
        tally_first_wait(&f->tally, l, l->waited > 0.0f);
    }
    l->attempts++;
    l->mgr = (uint16_t)m;

    mg->state = MGR_BUSY;
    mg->current = id;
    mg->t_start = now;
    mg->rush = rush_level(f, m);

    bool reached = (l->flags & LEAD_CONTACTABLE) &&
                   uniform(f, STREAM_CONTACT) < scn->contact.p_reach *
                       decay_factor(&scn->contact.reach_decay, now - l->t_created);
    double d = reached ? dist_sample(&scn->contact.duration, f->rng[STREAM_CONTACT]) *
                             (1.0 - scn->contact.rush_speedup * mg->rush)
                       : scn->contact.attempt_hours;
    d /= team_productivity(&f->team, m, now);   /* a hire's ramp (team.h) */
    mg->reached = reached;
    mg->work = d;
    /* Work is counted in working time: an attempt still running at closing
     * time goes on at the next opening (docs/model.md, "The working day"). */
    sim_schedule(&f->sim, sim_cal_cursor_add_working(&f->cal, now, d), EV_ATTEMPT_END, m);
}

/* Working hours of [t0, t1] that fall in the measured period. */
static double measured_working_hours(struct funnel *f, double t0, double t1)
{
    double a = t0 > f->warmup ? t0 : f->warmup;
    double b = t1 < f->horizon ? t1 : f->horizon;
    return sim_cal_cursor_working_hours(&f->cal, a, b);
}

/* A reached lead is judged; a missed one waits for its next attempt, or
 * is unreachable after the last.  Then the manager turns to accounts. */
static void on_attempt_end(struct sim *sim, void *ctx, uint32_t m)
{
    struct funnel *f = ctx;
    const struct scenario *scn = f->scn;
    struct manager *mg = &f->team.mgr[m];
    uint32_t id = mg->current;
    struct lead *l = lead_get(&f->leads, id);
    double now = sim_now(sim);

    mg->current = LEAD_NONE;
    tally_busy(&f->tally, m, l, measured_working_hours(f, mg->t_start, now));
    if (mg->reached) {
        judge(f, m, id);
    } else if (l->attempts < scn->contact.max_attempts) {
        backlog_enter(f, id);
        sim_schedule(sim, now + scn->contact.retry_gap_hours, EV_RETRY, id);
    } else {
        resolve_junk(f, id, JUNK_UNREACHABLE);
    }

    /* Account work comes with new-lead work: a share s of the manager's
     * time goes to new leads, so each hour on them brings (1 - s) / s hours
     * on accounts before the next lead (docs/model.md). */
    double s = team_group_of(&f->team, m)->new_lead_share;
    if (s < 1.0) {
        double away = mg->work * (1.0 - s) / s;
        mg->state = MGR_AWAY;
        sim_schedule(sim, sim_cal_cursor_add_working(&f->cal, now, away), EV_BACK, m);
    } else {
        manager_take_next(f, m);
    }
}

static void on_back(struct sim *sim, void *ctx, uint32_t m)
{
    (void)sim;
    manager_take_next(ctx, m);
}

static void on_retry(struct sim *sim, void *ctx, uint32_t id)
{
    (void)sim;
    dispatch(ctx, id);
}

/* ==== 6. Judgement ======================================================== */

/* The lead's interest at time t: its temperature's initial level, faded by
 * its age, the hours since its creation (decay.h). */
static double interest_at(const struct funnel *f, const struct lead *l,
                          double t)
{
    return f->scn->interest[l->temp] *
           decay_factor(&f->scn->decay, t - l->t_created);
}

/* Manager m judges reached lead id, in the order of docs/model.md: theorist
 * -> bad fit -> still interested -> judged correctly; a survivor is
 * qualified and may win a deal.  Draws from STREAM_CONTACT: interest (for
 * a lead not yet known to be interested), misjudgement (when possible),
 * the win and the deal's value (for a measured lead). */
static void judge(struct funnel *f, unsigned m, uint32_t id)
{
    const struct scenario *scn = f->scn;
    struct manager *mg = &f->team.mgr[m];
    struct lead *l = lead_get(&f->leads, id);
    const struct scn_group *g = team_group_of(&f->team, m);

    if (l->flags & LEAD_THEORIST) {
        reject(f, id, JUNK_THEORIST);
        return;
    }
    if (!(l->flags & LEAD_FIT)) {
        reject(f, id, JUNK_BAD_FIT);
        return;
    }
    double interest = interest_at(f, l, mg->t_start);
    if (!(l->flags & LEAD_INTERESTED)) {
        if (uniform(f, STREAM_CONTACT) >= interest) {
            reject(f, id, JUNK_WENT_COLD);
            return;
        }
        l->flags |= LEAD_INTERESTED;
    }
    const struct scn_contact *c = &scn->contact;
    double careless = c->misjudge_base * (1.0 - g->skill) + c->rush_penalty * mg->rush;
    double p_misjudge = careless * (1.0 - scn->control.deterrence * scn->control.audit_share) *
                        team_misjudge_factor(&f->team, m, mg->t_start);
    if (p_misjudge > 0.0 && uniform(f, STREAM_CONTACT) < p_misjudge) {
        reject(f, id, JUNK_MISJUDGED);
        return;
    }
    if (lead_is_measured(l)) {
        tally_qualified(&f->tally, l);
        double p_win = scn->sales.win_rate * (1.0 - scn->sales.skill_effect * (1.0 - g->skill));
        p_win *= scn->sales.interest_scales_win ? interest : 1.0;
        if (uniform(f, STREAM_CONTACT) < p_win)
            tally_deal(&f->tally, l, dist_sample(&scn->channels[l->channel].deal_value,
                                                 f->rng[STREAM_CONTACT]));
    }
    resolve_qualified(f, id);
}

/* ==== 7. Audit ============================================================ */

/* Lead id was rejected for `why`.  Any rejection may be audited (one draw
 * whatever the reason: an audit of a sound rejection finds nothing); an
 * audited misjudged lead not recovered before may be recovered (a second
 * draw).  A recovered lead joins sales again, is routed afresh and gets a
 * fresh budget of attempts; any other is junk.  Recovering a lead at most
 * once bounds its attempts (2 max_attempts) and resolves every lead. */
static void reject(struct funnel *f, uint32_t id, enum junk_reason why)
{
    const struct scn_control *c = &f->scn->control;
    struct lead *l = lead_get(&f->leads, id);
    if (c->audit_share > 0.0 && uniform(f, STREAM_CONTACT) < c->audit_share &&
        why == JUNK_MISJUDGED && !(l->flags & LEAD_RECOVERED) &&
        uniform(f, STREAM_CONTACT) < c->recovery) {
        tally_recovered(&f->tally, l);
        l->flags |= LEAD_RECOVERED;
        l->attempts = 0;
        join_sales(f, id, false);
        return;
    }
    resolve_junk(f, id, why);
}

/* ==== 8. Nurture return =================================================== */

/* A detected theorist leaves for marketing nurture; with the return share
 * (a draw from STREAM_PREQUAL) it comes back after the return delay as a
 * new request, a buyer aged 0, handed to sales without the handoff delay. */
static void divert_to_nurture(struct funnel *f, uint32_t id, bool measured)
{
    const struct scn_prequal *pq = &f->scn->prequal;
    struct lead *l = lead_get(&f->leads, id);
    tally_diverted(&f->tally, l, measured);
    if (gsl_rng_uniform(f->rng[STREAM_PREQUAL]) < pq->nurture_return_share) {
        l->flags = (uint16_t)((l->flags & ~LEAD_THEORIST) | LEAD_RETURNED);
        l->t_created = sim_now(&f->sim) + pq->nurture_return_days * 24.0;
        sim_schedule(&f->sim, l->t_created, EV_RETURN, id);
    } else {
        tally_gone(&f->tally, l);
        lead_free(&f->leads, id);
    }
}

static void on_nurture_return(struct sim *sim, void *ctx, uint32_t id)
{
    (void)sim;
    handoff_complete(ctx, id);
}

/* ==== 9. Abandonment ====================================================== */

/* A handed lead's patience ran out before its first attempt: it withdraws.
 * Its first wait was delayed by definition. */
static void on_abandon(struct sim *sim, void *ctx, uint32_t id)
{
    struct funnel *f = ctx;
    (void)sim;
    struct lead *l = lead_get(&f->leads, id);
    assert(!(l->flags & LEAD_ATTEMPTED) && (l->flags & LEAD_QUEUED));
    lead_queue_remove(queue_of(f, l), &f->leads, id);
    backlog_leave(f, id);
    tally_first_wait(&f->tally, l, true);
    resolve_junk(f, id, JUNK_ABANDONED);
}

/* ==== Resolution and measurement ========================================== */

/* Lead id leaves the funnel qualified; its slot is freed. */
static void resolve_qualified(struct funnel *f, uint32_t id)
{
    tally_resolved(&f->tally, lead_get(&f->leads, id), sim_now(&f->sim));
    lead_free(&f->leads, id);
}

/* Lead id leaves the funnel as junk for reason `why`.  Marketing's money
 * is wasted on a junk lead that was a fitting buyer all along. */
static void resolve_junk(struct funnel *f, uint32_t id, enum junk_reason why)
{
    tally_junk(&f->tally, lead_get(&f->leads, id), why, sim_now(&f->sim));
    lead_free(&f->leads, id);
}

/* Lead id, held back and not to return, is lost at sales' door: counted
 * when the loss is in the measured period (it was never handed, so never
 * measured as a handed lead).  Its cost is wasted when it was a fitting
 * buyer, as for junk (docs/model.md, "Lost leads and money"). */
static void resolve_held_lost(struct funnel *f, uint32_t id)
{
    struct lead *l = lead_get(&f->leads, id);
    double now = sim_now(&f->sim);
    tally_held_lost(&f->tally, l, now, measured_at(f, now));
    lead_free(&f->leads, id);
}

/* Leads in marketing now (in the handoff delay or in either nurture): the
 * live leads that are neither in the backlog nor in an attempt. */
static double leads_in_marketing(const struct funnel *f)
{
    uint32_t in_sales = f->team.backlog;
    for (unsigned m = 0; m < f->team.n; m++)
        if (f->team.mgr[m].current != LEAD_NONE)
            in_sales++;
    return (double)(f->leads.live - in_sales);
}

/* The daily backlog sample, for the trend and the series: a measurement,
 * not the model's event, so it is left out of the events metric. */
static void on_sample(struct sim *sim, void *ctx, uint32_t day)
{
    struct funnel *f = ctx;
    tally_sample(&f->tally, sim_now(sim), day, (double)f->team.backlog);
    if (day + 1 < f->tally.series_days)
        sim_schedule(sim, sim_now(sim) + 24.0, EV_SAMPLE, day + 1);
}

/* The replication's metrics, and its breakdown when asked.  Attempts
 * still running at the horizon count up to it. */
static void fill_metrics(struct funnel *f, double *x, struct breakdown *b)
{
    for (unsigned m = 0; m < f->team.n; m++)
        if (f->team.mgr[m].current != LEAD_NONE)
            tally_busy(&f->tally, m, lead_get(&f->leads, f->team.mgr[m].current),
                       measured_working_hours(f, f->team.mgr[m].t_start, f->horizon));
    tally_fill_metrics(&f->tally, f->sim.events, leads_in_marketing(f), x);
    if (b != NULL)
        tally_fill_breakdown(&f->tally, b);
}

/* ==== One replication ===================================================== */

static void schedule_first_events(struct funnel *f)
{
    const struct scenario *scn = f->scn;
    arrivals_start(&f->arr);
    if (scn->calendar.business)
        schedule_open(f, 0.0);
    if (f->tally.series_days > 0)
        sim_schedule(&f->sim, scn->calendar.start_hour, EV_SAMPLE, 0);
    for (unsigned m = 0; m < f->team.n; m++)
        if (!f->team.per_manager && team_takes(&f->team, m))
            team_idle_push(&f->team, m);
    if (f->team.n_changes > 0 && f->team.change[0].t <= f->horizon)
        sim_schedule(&f->sim, f->team.change[0].t, EV_STAFF, 0);
    if (f->team.absence)
        sim_schedule(&f->sim, sim_cal_day_at_start(&scn->calendar, 0.0), EV_ROLL, 0);
}

static void setup(struct funnel *f, const struct scenario *scn, unsigned rep,
                  const struct funnel_opts *opts)
{
    memset(f, 0, sizeof *f);
    f->scn = scn;
    f->warmup = scn->warmup_days * 24.0;
    f->horizon = scn->horizon_days * 24.0;
    sim_init(&f->sim, f);
    f->sim.interrupt = opts->interrupt;
    assert(opts->max_leads <= FUNNEL_MAX_LEADS);
    lead_pool_init(&f->leads, opts->max_leads ? opts->max_leads : FUNNEL_DEFAULT_MAX_LEADS);
    sim_cal_cursor_init(&f->cal, &scn->calendar);
    team_init(&f->team, scn);
    tally_init(&f->tally, scn, &f->team, opts->series, funnel_series_days(scn),
               funnel_series_weeks(scn), opts->breakdown != NULL);
    if (opts->leads != NULL)
        f->tally.log = leadlog_open(opts->leads, rep, &f->sim, &f->leads, &f->team);
    for (unsigned s = 0; s < STREAM_CHANNEL0; s++)
        f->rng[s] = sim_rng_alloc(scn->seed, rep, s);
    arrivals_init(&f->arr, scn, rep, STREAM_CHANNEL0, &f->sim, EV_ARRIVAL, EV_BATCH);
    if (f->team.absence)
        f->absence = sim_rng_alloc(scn->seed, rep, STREAM_ABSENCE);
    static const sim_handler_fn handlers[] = {
        [EV_ARRIVAL] = on_arrival,         [EV_BATCH] = on_batch,
        [EV_HANDOFF] = on_handoff,         [EV_RETURN] = on_nurture_return,
        [EV_OVERFLOW] = on_overflow_return,
        [EV_ABANDON] = on_abandon,         [EV_RETRY] = on_retry,
        [EV_ATTEMPT_END] = on_attempt_end, [EV_BACK] = on_back,
        [EV_OPEN] = on_open,               [EV_SAMPLE] = on_sample,
        [EV_STAFF] = on_staff,             [EV_ROLL] = on_roll,
    };
    for (unsigned e = 0; e < sizeof handlers / sizeof handlers[0]; e++)
        sim_on(&f->sim, e, handlers[e]);
    sim_keyed(&f->sim, EV_ABANDON);
    sim_fifo(&f->sim, EV_HANDOFF);
    sim_fifo(&f->sim, EV_RETURN);
    sim_fifo(&f->sim, EV_OVERFLOW);
    sim_fifo(&f->sim, EV_RETRY);
    if (scn->abandon.enabled && scn->abandon.patience.type == &dist_fixed)
        sim_fifo(&f->sim, EV_ABANDON);
}

static void teardown(struct funnel *f)
{
    for (unsigned s = 0; s < sizeof f->rng / sizeof f->rng[0]; s++)
        if (f->rng[s] != NULL)
            gsl_rng_free(f->rng[s]);
    if (f->absence != NULL)
        gsl_rng_free(f->absence);
    arrivals_fini(&f->arr);
    team_fini(&f->team);
    lead_pool_fini(&f->leads);
    sim_fini(&f->sim);
}

int funnel_replicate(const struct scenario *scn, unsigned rep,
                     const struct funnel_opts *opts,
                     double metrics[METRIC_COUNT], struct sim_err *err)
{
    static const struct funnel_opts no_opts;
    struct funnel f;
    if (opts == NULL)
        opts = &no_opts;
    int rc = SIM_OK;
    setup(&f, scn, rep, opts);
    schedule_first_events(&f);
    bool finished = sim_run(&f.sim, f.horizon);
    if (f.full) {
        rc = sim_err_set(err, SIM_ERR_RUNTIME,
                         "%s: replication %u: more than %u leads in the system at "
                         "day %.1f; the team is far over capacity (raise --max-leads "
                         "or shorten the horizon)",
                         scn->source, rep, f.leads.limit, sim_now(&f.sim) / 24.0);
    } else if (sim_failed(&f.sim)) {
        rc = sim_err_set(err, SIM_ERR_RUNTIME,
                         "%s: replication %u: more events than the engine can order "
                         "(a constant-delay queue over 2^32, or 2^36 in all)", scn->source, rep);
    } else if (!finished) {
        rc = SIM_TASK_INTERRUPTED;
    } else {
        fill_metrics(&f, metrics, opts->breakdown);
    }
    rc = leadlog_close(f.tally.log, rc, err);
    teardown(&f);
    return rc;
}

/* ==== The runner's view =================================================== */

static int replicate(void *user, const void *config, size_t point, unsigned rep,
                     double *metrics, const volatile sig_atomic_t *interrupt,
                     struct sim_err *err)
{
    const struct scenario *scn = config;
    const struct funnel_batch *batch = user;
    struct funnel_opts opts = {.interrupt = interrupt};
    if (batch != NULL) {
        opts.max_leads = batch->max_leads;
        opts.leads = batch->leads;
        if (batch->series != NULL)
            opts.series = &batch->series[point * scn->replications + rep];
        if (batch->breakdown != NULL)
            opts.breakdown = &batch->breakdown[point * scn->replications + rep];
    }
    return funnel_replicate(scn, rep, &opts, metrics, err);
}

const struct sim_model funnel_model = {"funnel", METRIC_COUNT, replicate};
