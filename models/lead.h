/*
 * lead.h - leads, their pool, and the queues they wait in.
 *
 * A lead is the funnel's unit of work: created by a channel, perhaps
 * filtered or diverted by pre-qualification, handed to sales, contacted,
 * and resolved as qualified or as junk with one reason.  Leads live in one
 * pool (an array with a free list), are named by their 32-bit index, and
 * are recycled once resolved: memory grows with the leads in the system,
 * never with the leads simulated.  A record is 40 bytes.
 *
 * Pending events name a lead by its index, so a lead must have no pending
 * event when it is freed (the model guarantees it: see funnel.c).  Indices
 * stay below the pool's limit, which the engine caps at SIM_MAX_OBJ + 1.
 *
 * A lead queue is an intrusive doubly linked list threaded through the
 * pool, in up to three lanes (one per temperature, for `hottest_first`;
 * one lane for `fifo`): push, pop and removal of any member are O(1), and
 * queues allocate nothing.
 *
 * This header does not include the scenario: a lead's temperature is a
 * small number, 0 the hottest (enum scn_temp, models/scenario.h), and the
 * team module, which sees both, checks at compile time that LEAD_LANES is
 * the number of temperatures.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_LEAD_H
#define MODELS_LEAD_H

#include <stdbool.h>
#include <stdint.h>

#define LEAD_NONE UINT32_MAX
#define LEAD_NO_MANAGER UINT16_MAX

/* The most attempts the 8-bit counter holds; the scenario's bound on
 * contact.max_attempts stays within it (checked in team.c). */
#define LEAD_MAX_ATTEMPTS UINT8_MAX

enum lead_flag {
    LEAD_FIT = 1u << 0,         /* fits the ideal-customer profile */
    LEAD_THEORIST = 1u << 1,    /* came to learn, not to buy */
    LEAD_CONTACTABLE = 1u << 2, /* can be reached at all */
    LEAD_INTERESTED = 1u << 3,  /* found interested at contact */
    LEAD_MEASURED = 1u << 4,    /* handed at or after the warm-up */
    LEAD_RETURNED = 1u << 5,    /* came back from nurture */
    LEAD_QUEUED = 1u << 6,      /* waits in a queue */
    LEAD_ATTEMPTED = 1u << 7,   /* its first attempt has begun */
    LEAD_RECOVERED = 1u << 8,   /* recovered by an audit (at most once) */
    LEAD_HELD_BACK = 1u << 9,   /* held back by the cap at least once */
};

struct lead {
    double t_created;           /* the origin of its age (decay.h): its
                                   creation, or a returning theorist's new
                                   request (docs/model.md) */
    double t_since;             /* when the current wait began */
    float waited;               /* hours waited before this stint */
    uint32_t prev, next;        /* queue links */
    uint16_t mgr;               /* assigned manager, or LEAD_NO_MANAGER */
    uint16_t flags;             /* enum lead_flag */
    uint8_t channel;
    uint8_t temp;               /* enum scn_temp: 0 is hot, the first lane */
    uint8_t attempts;           /* by its current manager: at most
                                   contact.max_attempts (at most
                                   LEAD_MAX_ATTEMPTS), 0 again when an
                                   audit recovers it */
    uint8_t returns;            /* times it came back to sales' door from
                                   overflow nurture (handoff.overflow), at
                                   most handoff.max_returns */
    uint16_t week;              /* its handoff week, its cohort's row in
                                   the weekly series: set by tally_handed()
                                   (tally.h), read by the tally only */
    uint8_t campaign;           /* 0: the channel's own lead; k: campaign
                                   k - 1 of its channel (models/arrivals.h) */
};

_Static_assert(sizeof(struct lead) <= 40, "a lead record stays within 40 bytes");

struct lead_pool {
    struct lead *leads;
    uint32_t cap;
    uint32_t live;              /* allocated and not freed */
    uint32_t free_head;         /* free list through `next` */
    uint32_t limit;             /* most live leads allowed */
};

/* `limit` caps live leads (bounded memory under overload). */
void lead_pool_init(struct lead_pool *p, uint32_t limit);
void lead_pool_fini(struct lead_pool *p);

/* A zeroed lead, or LEAD_NONE when the limit is reached.  Amortised O(1):
 * the array doubles (through sim/mem.h: running out of memory ends the
 * program). */
uint32_t lead_alloc(struct lead_pool *p);
void lead_free(struct lead_pool *p, uint32_t id);

static inline struct lead *lead_get(const struct lead_pool *p, uint32_t id)
{
    return &p->leads[id];
}

/* Whether the lead is measured: handed at or after the warm-up (metric.h). */
static inline bool lead_is_measured(const struct lead *l)
{
    return (l->flags & LEAD_MEASURED) != 0;
}

/* One lane per temperature (SCN_TEMPS, checked in team.c). */
#define LEAD_LANES 3

struct lead_queue {
    uint32_t head[LEAD_LANES];
    uint32_t tail[LEAD_LANES];
    uint32_t len;
    bool by_temperature;        /* hottest_first: one lane per temperature */
};

void lead_queue_init(struct lead_queue *q, bool by_temperature);
void lead_queue_push(struct lead_queue *q, struct lead_pool *p, uint32_t id);
/* Removes and returns the first lead of the hottest non-empty lane, or
 * LEAD_NONE. */
uint32_t lead_queue_pop(struct lead_queue *q, struct lead_pool *p);
/* Removes lead `id`, which must be in q. */
void lead_queue_remove(struct lead_queue *q, struct lead_pool *p, uint32_t id);

#endif
