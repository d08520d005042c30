/*
 * queue.h - the pending-event set: an indexed 4-ary min-heap of 16-byte
 * events.
 *
 * An event is a time and a 64-bit key: a 36-bit sequence number in the high
 * bits, then a 4-bit type and a 24-bit object index.  Events are ordered by
 * time, then by key; the sequence numbers are unique and increasing, so
 * ties in time run first-scheduled first and a run is a pure function of
 * its inputs.  The type and object never decide the order: the sequence
 * number already differs.
 *
 * Why this shape: a 4-ary heap halves the depth of a binary heap, and with
 * 16-byte events the four children of a node fill exactly one 64-byte cache
 * line (the array is aligned so that they do), so a level of a pop costs
 * one cache line (Larkin, Sen & Tarjan, "A back-to-basics empirical study
 * of priority queues", 2014).  Pushes are O(log4 n) compares, pops
 * O(4 log4 n).
 *
 * Keyed types: a type declared keyed has at most one pending event per
 * object, and the queue keeps that event's position, so it can be removed
 * in O(log n) (sim_queue_remove).  A model uses it for events that are
 * often cancelled (a lead's patience running out after it was served):
 * cancelled events leave the heap at once instead of lingering as stale
 * entries that every later pop would have to wade through.  Keeping the
 * positions costs one branch-free store per element moved.
 *
 * Memory: the queue owns the heap (doubling, never shrinking until
 * sim_queue_fini) and one position array per keyed type (4 bytes per object
 * index ever used).  Steady-state pushes and pops allocate nothing.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_QUEUE_H
#define SIM_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_TYPE_BITS 4
#define SIM_OBJ_BITS 24
#define SIM_SEQ_SHIFT (SIM_TYPE_BITS + SIM_OBJ_BITS)
#define SIM_MAX_TYPES (1u << SIM_TYPE_BITS)
#define SIM_MAX_OBJ ((1u << SIM_OBJ_BITS) - 1)          /* 16,777,215 */
#define SIM_MAX_SEQ ((UINT64_C(1) << (64 - SIM_SEQ_SHIFT)) - 1)

struct sim_event {
    double time;            /* when it fires, in hours */
    uint64_t key;           /* seq << 28 | type << 24 | obj */
};

static inline unsigned sim_event_type(const struct sim_event *ev)
{
    return (unsigned)(ev->key >> SIM_OBJ_BITS) & (SIM_MAX_TYPES - 1);
}

static inline uint32_t sim_event_obj(const struct sim_event *ev)
{
    return (uint32_t)(ev->key & SIM_MAX_OBJ);
}

static inline bool sim_event_before(const struct sim_event *a,
                                    const struct sim_event *b)
{
    return a->time < b->time || (a->time == b->time && a->key < b->key);
}

struct sim_queue {
    struct sim_event *base;         /* the allocation, 64-byte aligned */
    struct sim_event *heap;         /* heap[0] is the earliest event */
    size_t len;
    size_t cap;
    /* Positions of keyed events: pos[type][obj] is heap index + 1, 0 when
     * none is pending.  Unkeyed types write to a scratch word instead
     * (mask 0), which keeps the sift loops free of branches. */
    uint32_t *pos[SIM_MAX_TYPES];
    uint32_t pos_cap[SIM_MAX_TYPES];
    uint32_t mask[SIM_MAX_TYPES];
    uint32_t scratch;
};

void sim_queue_init(struct sim_queue *q);
void sim_queue_fini(struct sim_queue *q);
/* Forgets every event, keeps the arrays. */
void sim_queue_clear(struct sim_queue *q);

/* Declares `type` keyed: at most one pending event per object, removable. */
void sim_queue_key(struct sim_queue *q, unsigned type);

/* Adds ev; O(log n).  Returns false (and leaves q unchanged) when an array
 * had to grow and the allocation failed.  A keyed event's object must not
 * have another pending event of its type. */
bool sim_queue_push(struct sim_queue *q, const struct sim_event *ev);

/* Removes the earliest event into *out; O(log n).  q must not be empty. */
void sim_queue_pop(struct sim_queue *q, struct sim_event *out);

/* Whether a keyed event (type, obj) is pending. */
bool sim_queue_pending(const struct sim_queue *q, unsigned type, uint32_t obj);

/* Removes the pending keyed event (type, obj), if any; O(log n).  Returns
 * whether there was one. */
bool sim_queue_remove(struct sim_queue *q, unsigned type, uint32_t obj);

static inline const struct sim_event *sim_queue_peek(const struct sim_queue *q)
{
    return q->len ? &q->heap[0] : NULL;
}

/* Checks the heap property and every recorded position; O(n), for tests. */
bool sim_queue_valid(const struct sim_queue *q);

#endif
