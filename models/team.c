/* SPDX-License-Identifier: MIT */
#include "team.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "sim/mem.h"


/* lead.h keeps one queue lane per temperature without seeing the scenario;
 * hottest_first pops lane 0 first, so lane 0 must be hot. */
_Static_assert(SCN_MAX_ATTEMPTS <= LEAD_MAX_ATTEMPTS,
               "a lead's attempt counter holds contact.max_attempts");
_Static_assert(LEAD_LANES == SCN_TEMPS && SCN_HOT == 0 && SCN_WARM == 1,
               "a lead queue has one lane per temperature, hottest first");

void team_init(struct team *t, const struct scenario *scn)
{
    memset(t, 0, sizeof *t);
    t->scn = scn;
    t->n = scn_managers(scn);
    t->mgr = sim_calloc(t->n ? t->n : 1, sizeof *t->mgr);
    t->policy = route_policy(scn->routing);
    t->per_manager = t->policy->per_manager;
    lead_queue_init(&t->pool, scn->hottest_first);
    t->idle_head = t->idle_tail = MGR_NONE;
    unsigned m = 0;
    for (unsigned g = 0; g < scn->n_groups; g++) {
        if (scn->team[g].skill > t->top_skill)
            t->top_skill = scn->team[g].skill;
        for (unsigned k = 0; k < scn->team[g].count; k++, m++) {
            struct manager *mg = &t->mgr[m];
            lead_queue_init(&mg->queue, scn->hottest_first);
            mg->current = LEAD_NONE;
            mg->next_idle = MGR_NONE;
            mg->group = (uint16_t)g;
            mg->state = MGR_IDLE;
        }
    }
    assert(m == t->n);
}

void team_fini(struct team *t)
{
    free(t->mgr);
    t->mgr = NULL;
}

void team_idle_push(struct team *t, unsigned m)
{
    struct manager *mg = &t->mgr[m];
    assert(!mg->listed);
    mg->listed = true;
    mg->next_idle = MGR_NONE;
    if (t->idle_tail == MGR_NONE)
        t->idle_head = m;
    else
        t->mgr[t->idle_tail].next_idle = m;
    t->idle_tail = m;
}

unsigned team_idle_pop(struct team *t)
{
    unsigned m = t->idle_head;
    if (m == MGR_NONE)
        return MGR_NONE;
    t->idle_head = t->mgr[m].next_idle;
    if (t->idle_head == MGR_NONE)
        t->idle_tail = MGR_NONE;
    t->mgr[m].listed = false;
    return m;
}

/* ---- routing ------------------------------------------------------------ */

/* Which managers a policy may choose for a lead. */
typedef bool (*route_filter)(const struct team *t, unsigned m,
                             const struct lead *l);

/* The least loaded manager passing `ok`, scanning from the cursor so that
 * ties rotate; the cursor then moves past the choice.  MGR_NONE when no
 * manager passes. */
static unsigned least_loaded_where(struct team *t, const struct lead *l,
                                   route_filter ok)
{
    unsigned best = MGR_NONE;
    uint32_t best_load = UINT32_MAX;
    for (unsigned k = 0; k < t->n; k++) {
        unsigned m = t->cursor + k < t->n ? t->cursor + k : t->cursor + k - t->n;
        if (ok != NULL && !ok(t, m, l))
            continue;
        uint32_t load = team_load(t, m);
        if (load < best_load) {
            best = m;
            best_load = load;
            if (load == 0)
                break;
        }
    }
    if (best != MGR_NONE)
        t->cursor = best + 1 < t->n ? best + 1 : 0;
    return best;
}

static unsigned pick_round_robin(struct team *t, const struct lead *l)
{
    (void)l;
    unsigned m = t->cursor;
    t->cursor = m + 1 < t->n ? m + 1 : 0;
    return m;
}

static unsigned pick_least_loaded(struct team *t, const struct lead *l)
{
    return least_loaded_where(t, l, NULL);
}

static bool is_top_skill(const struct team *t, unsigned m, const struct lead *l)
{
    (void)l;
    return team_group_of(t, m)->skill >= t->top_skill;
}

static unsigned pick_skill_based(struct team *t, const struct lead *l)
{
    return least_loaded_where(t, l, l->temp == SCN_HOT ? is_top_skill : NULL);
}

/* Hot leads to favourites, the others to the rest. */
static bool matches_favour(const struct team *t, unsigned m,
                           const struct lead *l)
{
    return team_group_of(t, m)->favourite == (l->temp == SCN_HOT);
}

static unsigned pick_favourites(struct team *t, const struct lead *l)
{
    unsigned m = least_loaded_where(t, l, matches_favour);
    /* A team of favourites only (or none) still takes every lead. */
    return m != MGR_NONE ? m : least_loaded_where(t, l, NULL);
}

const struct route_type route_pool = {false, NULL};
const struct route_type route_round_robin = {true, pick_round_robin};
const struct route_type route_least_loaded = {true, pick_least_loaded};
const struct route_type route_skill_based = {true, pick_skill_based};
const struct route_type route_favourites = {true, pick_favourites};

const struct route_type *route_policy(enum scn_routing routing)
{
    static const struct route_type *const policies[SCN_ROUTINGS] = {
        [SCN_ROUTING_POOL] = &route_pool,
        [SCN_ROUTING_ROUND_ROBIN] = &route_round_robin,
        [SCN_ROUTING_LEAST_LOADED] = &route_least_loaded,
        [SCN_ROUTING_SKILL_BASED] = &route_skill_based,
        [SCN_ROUTING_FAVOURITES] = &route_favourites,
    };
    assert((unsigned)routing < SCN_ROUTINGS);
    return policies[routing];
}
