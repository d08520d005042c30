/*
 * route.h - who gets a lead: the routing policies.
 *
 * A policy is a `struct route_type`, a table of behaviour as GSL's
 * generator types are; route_policy() maps the scenario's `routing`
 * choice to it:
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
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_ROUTE_H
#define MODELS_ROUTE_H

#include <stdbool.h>

#include "models/scenario.h"

struct team;
struct lead;

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

static inline unsigned route_pick(const struct route_type *r, struct team *t,
                                  const struct lead *l)
{
    return r->pick(t, l);
}

#endif
