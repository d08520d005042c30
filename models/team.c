/* SPDX-License-Identifier: MIT */
#include "team.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "models/route.h"

/* lead.h keeps one queue lane per temperature without seeing the scenario;
 * hottest_first pops lane 0 first, so lane 0 must be hot. */
_Static_assert(LEAD_LANES == SCN_TEMPS && SCN_HOT == 0 && SCN_WARM == 1,
               "a lead queue has one lane per temperature, hottest first");

bool team_init(struct team *t, const struct scenario *scn)
{
    memset(t, 0, sizeof *t);
    t->scn = scn;
    t->n = scn_managers(scn);
    t->mgr = calloc(t->n ? t->n : 1, sizeof *t->mgr);
    if (t->mgr == NULL)
        return false;
    t->per_manager = scn->routing->per_manager;
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
    return true;
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
