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
 * FIFO types: a type declared FIFO is always scheduled in non-decreasing
 * time order (a constant delay after "now": a handoff delay, a retry gap,
 * a fixed patience).  Its events wait in a ring in arrival order and only
 * the earliest sits in the heap, so thousands of pending timeouts cost the
 * heap one entry, and scheduling or cancelling one is O(1).  The order of
 * events is exactly what one heap would give: within the type, times and
 * sequence numbers both increase, so the ring's head is the type's
 * minimum.  A cancelled FIFO event stays in the ring as a tombstone until
 * it reaches the head (so the ring holds every such event scheduled within
 * one delay, cancelled or not).
 *
 * Memory: the queue owns the heap (doubling, never shrinking until
 * sim_queue_fini), one position array per keyed type (4 bytes per object
 * index ever used, at most SIM_MAX_OBJ + 1) and one ring per FIFO type
 * (16 bytes per entry).  Steady-state pushes and pops allocate nothing;
 * growing allocates through sim/mem.h (out of memory ends the program).
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

/* The ring of a FIFO type: entries [head, head + len) modulo cap, a power
 * of two; ring[head] is in the heap whenever len > 0. */
struct sim_fifo {
    struct sim_event *ring;
    uint32_t cap, head, len;
    uint32_t heap_pos;              /* heap index + 1 of ring[head] */
    uint32_t *slot;                 /* keyed: slot[obj] = ring index + 1 */
    uint32_t slot_cap;
    double last;                    /* latest time scheduled */
    bool on;                        /* the type is FIFO */
};

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
    bool keyed[SIM_MAX_TYPES];
    struct sim_fifo fifo[SIM_MAX_TYPES];
};

void sim_queue_init(struct sim_queue *q);
void sim_queue_fini(struct sim_queue *q);

/* Declares `type` keyed: at most one pending event per object, removable.
 * Before any push. */
void sim_queue_key(struct sim_queue *q, unsigned type);

/* Declares `type` FIFO: its events are pushed in non-decreasing time order
 * (asserted).  May be combined with keyed.  Before any push. */
void sim_queue_fifo(struct sim_queue *q, unsigned type);

/* Adds ev; O(log n).  Returns false (and leaves q unchanged) when a FIFO
 * type's ring would pass 2^32 entries; the arrays grow through sim/mem.h,
 * which does not fail.  A keyed event's object must not have another
 * pending event of its type. */
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

/* Checks the heap property, every recorded position and every FIFO ring;
 * O(n), for tests. */
bool sim_queue_valid(const struct sim_queue *q);

#endif
