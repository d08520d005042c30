/* SPDX-License-Identifier: MIT */
#include "team.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/mem.h"


/* lead.h keeps one queue lane per temperature without seeing the scenario;
 * hottest_first pops lane 0 first, so lane 0 must be hot. */
_Static_assert(SCN_MAX_ATTEMPTS <= LEAD_MAX_ATTEMPTS,
               "a lead's attempt counter holds contact.max_attempts");
_Static_assert(LEAD_LANES == SCN_TEMPS && SCN_HOT == 0 && SCN_WARM == 1,
               "a lead queue has one lane per temperature, hottest first");

void team_roster(const struct scenario *scn, unsigned g, unsigned k,
                 double *start, double *end)
{
    const struct scn_group *gr = &scn->team[g];
    unsigned heads = scn_group_heads(gr);
    assert(k < heads);
    *start = k < gr->count ? 0.0 : gr->hires.start_day * 24.0;
    *end = INFINITY;
    const struct scn_leave *lv = &gr->leaves;
    if (lv->count == 0)
        return;
    /* The newest present leave: the last numbered of those started. */
    unsigned present = gr->hires.count > 0 && lv->on_day >= gr->hires.start_day
                           ? heads : gr->count;
    if (k < present && k >= present - lv->count)
        *end = lv->on_day * 24.0;
}

/* By time; at one time starts before leaves (the key table counts a hire
 * who starts on a leave day as present), then by manager. */
static int change_order(const void *pa, const void *pb)
{
    const struct team_change *a = pa, *b = pb;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    if (a->start != b->start)
        return a->start ? -1 : 1;
    return a->m < b->m ? -1 : a->m > b->m;
}

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
    unsigned m = 0, changes = 0;
    for (unsigned g = 0; g < scn->n_groups; g++) {
        const struct scn_group *gr = &scn->team[g];
        if (gr->skill > t->top_skill)
            t->top_skill = gr->skill;
        t->absence |= gr->absence_share > 0.0;
        changes += gr->hires.count + gr->leaves.count;
        for (unsigned k = 0; k < scn_group_heads(gr); k++, m++) {
            struct manager *mg = &t->mgr[m];
            lead_queue_init(&mg->queue, scn->hottest_first);
            mg->current = LEAD_NONE;
            mg->next_idle = MGR_NONE;
            mg->group = (uint16_t)g;
            mg->state = MGR_IDLE;
        }
    }
    assert(m == t->n);
    /* Starts and leaves: a start at 0 or a leave at 0 needs no event. */
    t->change = changes ? sim_calloc(changes, sizeof *t->change) : NULL;
    m = 0;
    for (unsigned g = 0; g < scn->n_groups; g++) {
        const struct scn_group *gr = &scn->team[g];
        for (unsigned k = 0; k < scn_group_heads(gr); k++, m++) {
            struct manager *mg = &t->mgr[m];
            double start, end;
            team_roster(scn, g, k, &start, &end);
            mg->t_on = start;
            mg->hire = k < gr->count ? NULL : &gr->hires;
            mg->out = start > 0.0 || end <= 0.0 ? MGR_OUT_INACTIVE : 0;
            t->heads += mg->out == 0;
            if (start > 0.0 && end > start)
                t->change[t->n_changes++] = (struct team_change){start, m, true};
            if (end < INFINITY && end > 0.0)
                t->change[t->n_changes++] = (struct team_change){end, m, false};
        }
    }
    if (t->n_changes > 1)
        qsort(t->change, t->n_changes, sizeof *t->change, change_order);
}

void team_fini(struct team *t)
{
    free(t->mgr);
    free(t->change);
    t->mgr = NULL;
    t->change = NULL;
}

/* Drops the managers who take no lead from the idle list, keeping the
 * others' order.  O(n). */
static void idle_keep_takers(struct team *t)
{
    unsigned m = t->idle_head, last = MGR_NONE;
    t->idle_head = MGR_NONE;
    while (m != MGR_NONE) {
        unsigned next = t->mgr[m].next_idle;
        if (team_takes(t, m)) {
            if (last == MGR_NONE)
                t->idle_head = m;
            else
                t->mgr[last].next_idle = m;
            last = m;
        } else {
            t->mgr[m].listed = false;
        }
        t->mgr[m].next_idle = MGR_NONE;
        m = next;
    }
    t->idle_tail = last;
}

unsigned team_apply_change(struct team *t, unsigned k)
{
    assert(k < t->n_changes);
    const struct team_change *c = &t->change[k];
    struct manager *mg = &t->mgr[c->m];
    if (c->start) {
        mg->out &= (uint8_t)~MGR_OUT_INACTIVE;
        t->heads++;
    } else {
        mg->out |= MGR_OUT_INACTIVE;
        t->heads--;
        if (mg->listed)
            idle_keep_takers(t);
    }
    return c->m;
}

void team_roll_call(struct team *t, gsl_rng *r)
{
    for (unsigned m = 0; m < t->n; m++) {
        struct manager *mg = &t->mgr[m];
        double share = team_group_of(t, m)->absence_share;
        bool away = r != NULL && share > 0.0 && !(mg->out & MGR_OUT_INACTIVE) &&
                    gsl_rng_uniform(r) < share;
        mg->out = (uint8_t)((mg->out & ~MGR_OUT_ABSENT) | (away ? MGR_OUT_ABSENT : 0));
    }
    idle_keep_takers(t);
}

double team_misjudge_factor(const struct team *t, unsigned m, double now)
{
    const struct manager *mg = &t->mgr[m];
    double r = team_group_of(t, m)->ramp_misjudge;
    if (mg->hire == NULL || r == 1.0)
        return 1.0;
    double month = floor((now - mg->t_on) / TEAM_MONTH_HOURS);
    double n = mg->hire->n_ramp;
    return month < n ? r + (1.0 - r) * month / n : 1.0;
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

/* The least loaded manager passing `ok` among those who take leads now
 * (or, with `active_only`, among the active ones, absent or not), scanning
 * from the cursor so that ties rotate; the cursor then moves past the
 * choice.  MGR_NONE when no manager passes. */
static unsigned least_loaded_where(struct team *t, const struct lead *l,
                                   route_filter ok, bool active_only)
{
    unsigned best = MGR_NONE;
    uint32_t best_load = UINT32_MAX;
    uint8_t out = active_only ? MGR_OUT_INACTIVE : (MGR_OUT_INACTIVE | MGR_OUT_ABSENT);
    for (unsigned k = 0; k < t->n; k++) {
        unsigned m = t->cursor + k < t->n ? t->cursor + k : t->cursor + k - t->n;
        if ((t->mgr[m].out & out) || (ok != NULL && !ok(t, m, l)))
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

/* The least loaded manager passing `ok` who takes leads; failing that
 * (the managers `ok` wants have left, or are absent), any who takes
 * leads; failing that, the same among the active, where the lead waits
 * for its manager's return.  The team always has an active manager. */
static unsigned least_loaded_or_any(struct team *t, const struct lead *l, route_filter ok)
{
    for (int active_only = 0; active_only < 2; active_only++) {
        unsigned m = least_loaded_where(t, l, ok, active_only);
        if (m == MGR_NONE && ok != NULL)
            m = least_loaded_where(t, l, NULL, active_only);
        if (m != MGR_NONE)
            return m;
    }
    assert(!"a team without an active manager");
    return 0;
}

/* The next manager from the cursor who takes leads, else the next active
 * one. */
static unsigned pick_round_robin(struct team *t, const struct lead *l)
{
    (void)l;
    for (uint8_t out = MGR_OUT_INACTIVE | MGR_OUT_ABSENT;; out = MGR_OUT_INACTIVE) {
        for (unsigned k = 0; k < t->n; k++) {
            unsigned m = t->cursor;
            t->cursor = m + 1 < t->n ? m + 1 : 0;
            if (!(t->mgr[m].out & out))
                return m;
        }
        assert(out != MGR_OUT_INACTIVE);
    }
}

static unsigned pick_least_loaded(struct team *t, const struct lead *l)
{
    return least_loaded_or_any(t, l, NULL);
}

static bool is_top_skill(const struct team *t, unsigned m, const struct lead *l)
{
    (void)l;
    return team_group_of(t, m)->skill >= t->top_skill;
}

static unsigned pick_skill_based(struct team *t, const struct lead *l)
{
    return least_loaded_or_any(t, l, l->temp == SCN_HOT ? is_top_skill : NULL);
}

/* Hot leads to favourites, the others to the rest. */
static bool matches_favour(const struct team *t, unsigned m,
                           const struct lead *l)
{
    return team_group_of(t, m)->favourite == (l->temp == SCN_HOT);
}

/* A team of favourites only (or none) still takes every lead. */
static unsigned pick_favourites(struct team *t, const struct lead *l)
{
    return least_loaded_or_any(t, l, matches_favour);
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
