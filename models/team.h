/*
 * team.h - the sales team: managers, their queues and their state.
 *
 * The team has n = scn_managers() managers, numbered group by group in
 * the order of the scenario's `team` array; n is fixed for a replication
 * and is the only head count the model uses.  A manager is idle (free:
 * waiting for a lead, or for the calendar to open), busy (in an attempt or
 * a conversation) or away (on account work after an attempt).
 *
 * Backlog: the leads handed to sales that wait for their first conversation
 * and are not in an attempt right now: queued, or waiting for the next
 * attempt after a miss.  With `pool` routing the backlog is shared
 * (`pool_open`); with the other routings each manager owns one (`open`).
 * It is what the handoff cap limits and what makes a manager rush.
 *
 * Routing, who gets a lead, is the team's too.  A policy is a
 * `struct route_type`, a table of behaviour as GSL's generator types are;
 * route_policy() maps the scenario's `routing` choice to it:
 *
 *   pool          one shared queue; whoever is free takes the next lead
 *   round_robin   each manager in turn, whatever their load
 *   least_loaded  the manager with the fewest open leads
 *   skill_based   hot leads to the least loaded of the most skilled
 *                 group(s); the others to the least loaded manager
 *   favourites    hot leads to the least loaded favourite; warm and cold
 *                 ones to the least loaded of the others (the anti-pattern
 *                 of the seven measures' sixth: seniors keep the best
 *                 leads and the rest wait)
 *
 * Every policy but `pool` gives each manager a queue of their own; `pick`
 * then names the manager.  Ties in load go to the first manager at or after
 * the round-robin cursor, so that equal managers share the work.  O(n) per
 * lead for n managers.
 *
 * Teams in time (docs/model.md, "Teams in time").  The team allocates a
 * manager for every head a group ever has, scn_group_heads(): its day-0
 * `count` first, then its `hires`.  Each has a start and an end
 * (team_roster()): day-0 managers start at 0, hires at hires.start; the
 * `leaves` are the newest present on the day (the hires when they have
 * started, then the day-0 managers, last numbered first), since a new
 * hire is the likeliest to leave (docs/field-figures.md).  A manager out
 * of its [start, end) is inactive (MGR_OUT_INACTIVE); one away for the
 * working day is absent (MGR_OUT_ABSENT).  Neither takes a new lead: the
 * policies route only to managers who take leads (team_takes()), else,
 * when every candidate is absent, to an active one, where the lead waits;
 * the idle list holds only managers who take leads.  A manager who leaves
 * in an attempt finishes it (and its account work) first.  Invariant
 * (checked by the key table): at every time at least one manager is
 * active, so a policy always finds one.  The changes are a sorted list
 * (`change`) that the funnel walks with one event each.  A hire works at
 * its ramp's productivity, team_productivity(); day-0 managers at 1.
 *
 * Ownership: team_init() allocates the manager array and the list of
 * changes; team_fini() frees them.
 * The team points at the scenario, which must outlive it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_TEAM_H
#define MODELS_TEAM_H

#include <stdbool.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/lead.h"
#include "models/scenario.h"

#define MGR_NONE UINT32_MAX

struct team;
struct lead;

/* A routing policy: a table of behaviour, as GSL's generator types are. */
struct route_type {
    bool per_manager;
    /* The manager for lead l; NULL for pool. */
    unsigned (*pick)(struct team *t, const struct lead *l);
};

extern const struct route_type route_pool;
extern const struct route_type route_round_robin;
extern const struct route_type route_least_loaded;
extern const struct route_type route_skill_based;
extern const struct route_type route_favourites;

/* The policy of a routing choice. */
const struct route_type *route_policy(enum scn_routing routing);

enum mgr_state { MGR_IDLE, MGR_BUSY, MGR_AWAY };

/* Why a manager takes no new lead (struct manager.out, bits). */
#define MGR_OUT_INACTIVE 1u     /* not started yet, or left */
#define MGR_OUT_ABSENT 2u       /* away for the working day */

/* A start or a leave, at hour t. */
struct team_change {
    double t;
    uint32_t m;
    bool start;
};

struct manager {
    struct lead_queue queue;    /* own queue, when routing is per manager */
    double t_start;             /* start of the current attempt */
    double rush;                /* rush level of the current attempt, [0, 1) */
    double work;                /* working hours the current attempt takes */
    uint32_t current;           /* lead in the current attempt, or LEAD_NONE */
    uint32_t open;              /* own backlog */
    uint32_t next_idle;         /* idle list link, MGR_NONE at the end */
    double t_on;                /* hours: starts work */
    const struct scn_hire *hire;/* its ramp, or NULL (a day-0 manager) */
    uint16_t group;
    uint8_t state;              /* enum mgr_state */
    uint8_t out;                /* MGR_OUT_* bits; 0: takes leads */
    bool listed;                /* in the idle list */
    bool reached;               /* the current attempt reaches the lead */
};

struct team {
    const struct scenario *scn;
    struct manager *mgr;
    unsigned n;                 /* managers, over all time */
    unsigned heads;             /* active managers now */
    struct team_change *change; /* starts and leaves, by time */
    unsigned n_changes;
    bool absence;               /* some group has an absence_share */
    const struct route_type *policy;   /* the scenario's routing */
    bool per_manager;           /* routing gives each manager a queue */
    struct lead_queue pool;     /* the shared queue, for pool routing */
    uint32_t pool_open;         /* shared backlog */
    uint32_t backlog;           /* total backlog, pool or not */
    uint32_t idle_head, idle_tail; /* idle managers, longest idle first */
    unsigned cursor;            /* round-robin position */
    double top_skill;           /* highest skill of any group */
};

/* The team of scn, all idle. */
void team_init(struct team *t, const struct scenario *scn);
void team_fini(struct team *t);

static inline const struct scn_group *team_group_of(const struct team *t,
                                                    unsigned m)
{
    return &t->scn->team[t->mgr[m].group];
}

/* Leads assigned to manager m and not resolved: own backlog plus the lead
 * in hand.  The load that `least_loaded` balances. */
static inline uint32_t team_load(const struct team *t, unsigned m)
{
    return t->mgr[m].open + (t->mgr[m].current != LEAD_NONE);
}

/* The backlog manager m feels: its own, or its share of the pool among
 * the active managers. */
static inline double team_backlog_of(const struct team *t, unsigned m)
{
    return t->per_manager ? (double)t->mgr[m].open
                          : (double)t->pool_open / (double)t->heads;
}

/* Whether manager m takes new leads now: active and not absent. */
static inline bool team_takes(const struct team *t, unsigned m)
{
    return t->mgr[m].out == 0;
}

/* Hours of a month of tenure. */
#define TEAM_MONTH_HOURS (SCN_DAYS_PER_MONTH * 24.0)

/* Manager m's productivity at hour `now`: the ramp's step for its month of
 * tenure, 1 after the ramp and for day-0 managers.  A conversation or an
 * attempt takes its time divided by it. */
static inline double team_productivity(const struct team *t, unsigned m, double now)
{
    const struct manager *mg = &t->mgr[m];
    if (mg->hire == NULL)
        return 1.0;
    double month = (now - mg->t_on) / TEAM_MONTH_HOURS;
    return month < (double)mg->hire->n_ramp ? mg->hire->ramp[(unsigned)month] : 1.0;
}

/* The multiplier of manager m's misjudgement at hour `now`: the group's
 * ramp_misjudge r in a hire's first month, then r + (1 - r) k / n in
 * month k of an n-month ramp, 1 after it and for day-0 managers. */
double team_misjudge_factor(const struct team *t, unsigned m, double now);

/* The start and end, in hours, of the k-th manager of group g (k below
 * scn_group_heads()); end is INFINITY for one who stays.  A pure function
 * of the scenario, for the nominal figures as well. */
void team_roster(const struct scenario *scn, unsigned g, unsigned k,
                 double *start, double *end);

/* Applies change k: the manager starts (active) or leaves (inactive, out
 * of the idle list).  Returns the manager. */
unsigned team_apply_change(struct team *t, unsigned k);

/* The day's roll call: with `r`, each active manager of a group with an
 * absence_share is absent for the day with that probability, one draw
 * each from r in manager order; without (a day off), nobody is absent.
 * Absent managers leave the idle list. */
void team_roll_call(struct team *t, gsl_rng *r);

/* The idle list: managers free for a pool lead, longest idle first. */
void team_idle_push(struct team *t, unsigned m);
/* Removes and returns the longest-idle manager, or MGR_NONE. */
unsigned team_idle_pop(struct team *t);

static inline unsigned route_pick(const struct route_type *r, struct team *t,
                                  const struct lead *l)
{
    return r->pick(t, l);
}

#endif
