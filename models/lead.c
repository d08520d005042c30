/* SPDX-License-Identifier: MIT */
#include "lead.h"

#include "sim/mem.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

void lead_pool_init(struct lead_pool *p, uint32_t limit)
{
    memset(p, 0, sizeof *p);
    p->free_head = LEAD_NONE;
    p->limit = limit;
}

void lead_pool_fini(struct lead_pool *p)
{
    free(p->leads);
    lead_pool_init(p, p->limit);
}

static bool grow(struct lead_pool *p)
{
    uint64_t want = p->cap ? (uint64_t)p->cap * 2 : 1024;
    if (want > p->limit)
        want = p->limit;
    if (want <= p->cap)
        return false;
    struct lead *leads = sim_realloc(p->leads, (size_t)want * sizeof *leads);
    /* New slots join the free list in increasing order. */
    for (uint32_t i = p->cap; i < want; i++)
        leads[i].next = i + 1 < want ? i + 1 : p->free_head;
    p->free_head = p->cap;
    p->leads = leads;
    p->cap = (uint32_t)want;
    return true;
}

uint32_t lead_alloc(struct lead_pool *p)
{
    if (p->free_head == LEAD_NONE && !grow(p))
        return LEAD_NONE;
    uint32_t id = p->free_head;
    struct lead *l = &p->leads[id];
    p->free_head = l->next;
    memset(l, 0, sizeof *l);
    l->prev = l->next = LEAD_NONE;
    l->mgr = LEAD_NO_MANAGER;
    p->live++;
    return id;
}

void lead_free(struct lead_pool *p, uint32_t id)
{
    struct lead *l = &p->leads[id];
    assert(p->live > 0 && !(l->flags & LEAD_QUEUED));
    l->next = p->free_head;
    p->free_head = id;
    p->live--;
}

void lead_queue_init(struct lead_queue *q, bool by_temperature)
{
    for (unsigned i = 0; i < LEAD_LANES; i++)
        q->head[i] = q->tail[i] = LEAD_NONE;
    q->len = 0;
    q->by_temperature = by_temperature;
}

static unsigned lane_of(const struct lead_queue *q, const struct lead *l)
{
    return q->by_temperature ? l->temp : 0;
}

void lead_queue_push(struct lead_queue *q, struct lead_pool *p, uint32_t id)
{
    struct lead *l = &p->leads[id];
    assert(!(l->flags & LEAD_QUEUED));
    unsigned lane = lane_of(q, l);
    l->prev = q->tail[lane];
    l->next = LEAD_NONE;
    if (q->tail[lane] == LEAD_NONE)
        q->head[lane] = id;
    else
        p->leads[q->tail[lane]].next = id;
    q->tail[lane] = id;
    l->flags |= LEAD_QUEUED;
    q->len++;
}

void lead_queue_remove(struct lead_queue *q, struct lead_pool *p, uint32_t id)
{
    struct lead *l = &p->leads[id];
    assert(l->flags & LEAD_QUEUED);
    unsigned lane = lane_of(q, l);
    if (l->prev == LEAD_NONE)
        q->head[lane] = l->next;
    else
        p->leads[l->prev].next = l->next;
    if (l->next == LEAD_NONE)
        q->tail[lane] = l->prev;
    else
        p->leads[l->next].prev = l->prev;
    l->prev = l->next = LEAD_NONE;
    l->flags &= (uint16_t)~LEAD_QUEUED;
    q->len--;
}

uint32_t lead_queue_pop(struct lead_queue *q, struct lead_pool *p)
{
    for (unsigned lane = 0; lane < LEAD_LANES; lane++) {
        uint32_t id = q->head[lane];
        if (id != LEAD_NONE) {
            lead_queue_remove(q, p, id);
            return id;
        }
    }
    return LEAD_NONE;
}
