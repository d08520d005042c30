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
 * Ownership: team_init() allocates the manager array; team_fini() frees it.
 * The team points at the scenario, which must outlive it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_TEAM_H
#define MODELS_TEAM_H

#include <stdbool.h>
#include <stdint.h>

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

struct manager {
    struct lead_queue queue;    /* own queue, when routing is per manager */
    double t_start;             /* start of the current attempt */
    double rush;                /* rush level of the current attempt, [0, 1) */
    double work;                /* working hours the current attempt takes */
    uint32_t current;           /* lead in the current attempt, or LEAD_NONE */
    uint32_t open;              /* own backlog */
    uint32_t next_idle;         /* idle list link, MGR_NONE at the end */
    uint16_t group;
    uint8_t state;              /* enum mgr_state */
    bool listed;                /* in the idle list */
    bool reached;               /* the current attempt reaches the lead */
};

struct team {
    const struct scenario *scn;
    struct manager *mgr;
    unsigned n;                 /* managers */
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

/* The backlog manager m feels: its own, or its share of the pool. */
static inline double team_backlog_of(const struct team *t, unsigned m)
{
    return t->per_manager ? (double)t->mgr[m].open
                          : (double)t->pool_open / (double)t->n;
}

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
