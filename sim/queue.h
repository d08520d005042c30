/*
 * queue.h - the pending-event set: a 4-ary min-heap of small event records.
 *
 * Events are ordered by time, then by `key`, whose high 56 bits are a
 * sequence number the engine increments on every schedule.  Keys are
 * therefore unique, ties in time run first-scheduled first, and a run is a
 * pure function of its inputs.  The low 8 bits of the key carry the event
 * type, which never influences the order because the sequence part already
 * differs.
 *
 * A 4-ary heap halves the depth of a binary heap, and its four children sit
 * in one or two cache lines: pushes are O(log4 n) compares, pops O(4 log4 n)
 * (Larkin, Sen & Tarjan, "A back-to-basics empirical study of priority
 * queues", 2014, found it the fastest simple heap).  An event is 24 bytes.
 *
 * Memory: the queue owns one array that doubles when full and never
 * shrinks until sim_queue_fini(); pushes allocate nothing in steady state.
 * Cancellation is lazy and lives with the owner of the events: see engine.h.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_QUEUE_H
#define SIM_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_event {
    double time;            /* when it fires, in hours */
    uint64_t key;           /* sequence << 8 | type: the tie-break */
    uint32_t obj;           /* the subject, an index the handler understands */
    uint32_t tag;           /* owner's generation, for lazy cancellation */
};

#define SIM_EVENT_TYPE(ev) ((unsigned)((ev)->key & 0xffu))

struct sim_queue {
    struct sim_event *heap; /* heap[0] is the earliest event */
    size_t len;
    size_t cap;
};

void sim_queue_init(struct sim_queue *q);
void sim_queue_fini(struct sim_queue *q);
/* Forgets every event, keeps the array. */
void sim_queue_clear(struct sim_queue *q);

/* Adds ev; O(log n).  Returns false (and leaves q unchanged) only when the
 * array had to grow and the allocation failed. */
bool sim_queue_push(struct sim_queue *q, const struct sim_event *ev);

/* Removes the earliest event into *out; O(log n).  q must not be empty. */
void sim_queue_pop(struct sim_queue *q, struct sim_event *out);

static inline const struct sim_event *sim_queue_peek(const struct sim_queue *q)
{
    return q->len ? &q->heap[0] : NULL;
}

static inline bool sim_event_before(const struct sim_event *a,
                                    const struct sim_event *b)
{
    return a->time < b->time || (a->time == b->time && a->key < b->key);
}

/* Checks the heap property over the whole array; O(n), for tests. */
bool sim_queue_valid(const struct sim_queue *q);

#endif
