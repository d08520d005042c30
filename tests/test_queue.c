/*
 * test_queue.c - the 4-ary event heap: heap property after every operation,
 * (time, key) order of pops, FIFO among equal times, growth, clear, and
 * removal of keyed events with their positions kept right.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "sim/queue.h"

static struct sim_event make_obj(double time, uint64_t seq, unsigned type, uint32_t obj)
{
    return (struct sim_event){ .time = time,
                               .key = seq << SIM_SEQ_SHIFT | (uint64_t)type << SIM_OBJ_BITS | obj };
}

static struct sim_event make(double time, uint64_t seq, unsigned type)
{
    return make_obj(time, seq, type, (uint32_t)(seq & SIM_MAX_OBJ));
}

/* A shadow multiset kept as a plain array: its minimum, found by a linear
 * scan, is what the heap must pop. */
struct shadow {
    struct sim_event *ev;
    size_t len;
};

static size_t shadow_min(const struct shadow *s)
{
    size_t best = 0;
    for (size_t i = 1; i < s->len; i++)
        if (sim_event_before(&s->ev[i], &s->ev[best]))
            best = i;
    return best;
}

static bool same_event(const struct sim_event *a, const struct sim_event *b)
{
    return a->time == b->time && a->key == b->key;
}

Test(queue, valid_detects_a_broken_heap)
{
    struct sim_event h[3] = { make(2, 0, 0), make(1, 1, 0), make(3, 2, 0) };
    struct sim_queue bad = { .heap = h, .len = 3, .cap = 3 };
    cr_assert_not(sim_queue_valid(&bad), "a child earlier than its parent");
    h[0] = make(1, 3, 0);
    cr_assert_not(sim_queue_valid(&bad), "equal time, child's key smaller");
    h[0] = make(0.5, 3, 0);
    cr_assert(sim_queue_valid(&bad));
}

Test(queue, empty_queue)
{
    struct sim_queue q;
    sim_queue_init(&q);
    cr_assert_null(sim_queue_peek(&q));
    cr_assert(sim_queue_valid(&q));
    sim_queue_fini(&q);
    cr_assert_null(q.heap);
    cr_assert_eq(q.len, 0);
}

/* Thousands of random pushes and pops, with times drawn from a few values
 * so that ties are common: the heap stays valid after every operation and
 * every pop returns the minimum of what is stored. */
Test(queue, random_operations_keep_heap_and_order)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    cr_assert_not_null(r);
    gsl_rng_set(r, 12345);
    struct sim_queue q;
    sim_queue_init(&q);
    struct shadow s = { .ev = malloc(20000 * sizeof *s.ev), .len = 0 };
    cr_assert_not_null(s.ev);
    uint64_t seq = 0;
    size_t pops = 0;

    for (int op = 0; op < 20000; op++) {
        /* Push with probability 0.6, so the queue grows to thousands. */
        if (s.len == 0 || gsl_rng_uniform(r) < 0.6) {
            double t = (double)gsl_rng_uniform_int(r, 50) / 4;
            struct sim_event ev = make(t, seq++,
                                       (unsigned)gsl_rng_uniform_int(r, 16));
            cr_assert(sim_queue_push(&q, &ev));
            s.ev[s.len++] = ev;
            cr_assert_eq(sim_queue_peek(&q)->key, s.ev[shadow_min(&s)].key);
        } else {
            struct sim_event out;
            size_t m = shadow_min(&s);
            sim_queue_pop(&q, &out);
            cr_assert(same_event(&out, &s.ev[m]),
                      "op %d: popped (%g, %llu), minimum is (%g, %llu)", op,
                      out.time, (unsigned long long)out.key, s.ev[m].time,
                      (unsigned long long)s.ev[m].key);
            s.ev[m] = s.ev[--s.len];
            pops++;
        }
        cr_assert_eq(q.len, s.len);
        cr_assert(sim_queue_valid(&q), "heap property broken at op %d", op);
    }
    cr_assert_gt(s.len, 1000, "the test should reach a large queue");
    cr_assert_gt(pops, 5000);

    /* Draining gives a strictly increasing (time, key) sequence. */
    struct sim_event prev, cur;
    sim_queue_pop(&q, &prev);
    while (q.len > 0) {
        sim_queue_pop(&q, &cur);
        cr_assert(sim_event_before(&prev, &cur));
        cr_assert(sim_queue_valid(&q));
        prev = cur;
    }
    free(s.ev);
    sim_queue_fini(&q);
    gsl_rng_free(r);
}

/* Events at one time leave in the order they were pushed (sequence order),
 * whatever their type and whatever order the heap stored them in. */
Test(queue, equal_times_pop_in_insertion_order)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    cr_assert_not_null(r);
    gsl_rng_set(r, 7);
    struct sim_queue q;
    sim_queue_init(&q);
    const size_t n = 3000;
    /* Interleave two times so that the heap really reorders things. */
    for (uint64_t i = 0; i < n; i++) {
        struct sim_event ev = make(i % 2 ? 5.0 : 3.0, i,
                                   (unsigned)gsl_rng_uniform_int(r, SIM_MAX_TYPES));
        cr_assert(sim_queue_push(&q, &ev));
    }
    for (int pass = 0; pass < 2; pass++) {
        double t = pass == 0 ? 3.0 : 5.0;
        uint64_t expect = (uint64_t)pass;
        for (size_t i = 0; i < n / 2; i++, expect += 2) {
            struct sim_event out;
            sim_queue_pop(&q, &out);
            cr_assert_eq(out.time, t);
            cr_assert_eq(out.key >> SIM_SEQ_SHIFT, expect);
            cr_assert(sim_queue_valid(&q));
        }
    }
    cr_assert_eq(q.len, 0);
    sim_queue_fini(&q);
    gsl_rng_free(r);
}

/* Pushing far past the first allocation keeps every event; pushes in
 * decreasing time order make every push sift to the root. */
Test(queue, grows_beyond_initial_capacity)
{
    struct sim_queue q;
    sim_queue_init(&q);
    const size_t n = 10000;
    size_t first_cap = 0;
    for (size_t i = 0; i < n; i++) {
        struct sim_event ev = make((double)(n - i), i, 1);
        cr_assert(sim_queue_push(&q, &ev));
        if (i == 0)
            first_cap = q.cap;
        cr_assert_eq(sim_queue_peek(&q)->time, (double)(n - i));
    }
    cr_assert_gt(q.cap, first_cap, "the array must have grown");
    cr_assert_geq(q.cap, n);
    cr_assert(sim_queue_valid(&q));
    for (size_t i = 1; i <= n; i++) {
        struct sim_event out;
        sim_queue_pop(&q, &out);
        cr_assert_eq(out.time, (double)i);
        cr_assert_eq(sim_event_obj(&out), (uint32_t)(n - i));
        cr_assert(sim_queue_valid(&q), "after pop %zu", i);
    }
    sim_queue_fini(&q);
}

/* A deep heap (20000 random events, seven levels) filled then drained:
 * valid after every operation, drained in strictly increasing order. */
Test(queue, deep_random_heap_drains_in_order)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    cr_assert_not_null(r);
    gsl_rng_set(r, 2718);
    struct sim_queue q;
    sim_queue_init(&q);
    const size_t n = 20000;
    for (uint64_t i = 0; i < n; i++) {
        struct sim_event ev = make(floor(1000 * gsl_rng_uniform(r)), i, 0);
        cr_assert(sim_queue_push(&q, &ev));
        cr_assert(sim_queue_valid(&q), "after push %llu",
                  (unsigned long long)i);
    }
    struct sim_event prev, cur;
    sim_queue_pop(&q, &prev);
    for (size_t i = 1; i < n; i++) {
        sim_queue_pop(&q, &cur);
        cr_assert(sim_event_before(&prev, &cur), "pop %zu out of order", i);
        cr_assert(sim_queue_valid(&q), "after pop %zu", i);
        prev = cur;
    }
    cr_assert_eq(q.len, 0);
    sim_queue_fini(&q);
    gsl_rng_free(r);
}

Test(queue, key_fields_round_trip)
{
    struct sim_event ev = make_obj(1, 123456, 9, SIM_MAX_OBJ);
    cr_assert_eq(sim_event_type(&ev), 9u);
    cr_assert_eq(sim_event_obj(&ev), SIM_MAX_OBJ);
    cr_assert_eq(ev.key >> SIM_SEQ_SHIFT, 123456u);
    cr_assert_eq(sizeof(struct sim_event), 16u, "four children fill one cache line");
}

/* The children of every node sit in one 64-byte line. */
Test(queue, children_share_a_cache_line)
{
    struct sim_queue q;
    sim_queue_init(&q);
    for (uint64_t i = 0; i < 100; i++) {
        struct sim_event ev = make((double)i, i, 0);
        cr_assert(sim_queue_push(&q, &ev));
    }
    for (size_t i = 0; 4 * i + 1 < q.len; i++)
        cr_assert_eq((uintptr_t)&q.heap[4 * i + 1] % 64, 0u, "node %zu", i);
    sim_queue_fini(&q);
}

/* Random pushes, pops and removals of keyed events (two keyed types, one
 * plain) against a shadow: positions stay right, removals take out exactly
 * the named event, and pops still return the minimum. */
Test(queue, keyed_removal_keeps_heap_and_positions)
{
    enum { OBJS = 300, OPS = 20000 };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    cr_assert_not_null(r);
    gsl_rng_set(r, 31337);
    struct sim_queue q;
    sim_queue_init(&q);
    sim_queue_key(&q, 3);
    sim_queue_key(&q, 5);
    struct shadow s = { .ev = malloc(OPS * sizeof *s.ev), .len = 0 };
    cr_assert_not_null(s.ev);
    uint64_t seq = 0;
    size_t removed = 0;
    for (int op = 0; op < OPS; op++) {
        double u = gsl_rng_uniform(r);
        unsigned type = (unsigned[]){3, 5, 7}[gsl_rng_uniform_int(r, 3)];
        uint32_t obj = (uint32_t)gsl_rng_uniform_int(r, OBJS);
        if (u < 0.5) {
            if (type != 7 && sim_queue_pending(&q, type, obj))
                continue;       /* one pending event per keyed object */
            struct sim_event ev = make_obj((double)gsl_rng_uniform_int(r, 40) / 4, seq++, type, obj);
            cr_assert(sim_queue_push(&q, &ev));
            s.ev[s.len++] = ev;
            if (type != 7)
                cr_assert(sim_queue_pending(&q, type, obj));
        } else if (u < 0.75 && type != 7) {
            size_t at = s.len;
            for (size_t i = 0; i < s.len; i++)
                if (sim_event_type(&s.ev[i]) == type && sim_event_obj(&s.ev[i]) == obj)
                    at = i;
            cr_assert_eq(sim_queue_remove(&q, type, obj), at < s.len);
            cr_assert_not(sim_queue_pending(&q, type, obj));
            if (at < s.len) {
                s.ev[at] = s.ev[--s.len];
                removed++;
            }
        } else if (s.len > 0) {
            struct sim_event out;
            size_t m = shadow_min(&s);
            sim_queue_pop(&q, &out);
            cr_assert(same_event(&out, &s.ev[m]), "op %d", op);
            s.ev[m] = s.ev[--s.len];
            if (sim_event_type(&out) != 7)
                cr_assert_not(sim_queue_pending(&q, sim_event_type(&out), sim_event_obj(&out)));
        }
        cr_assert_eq(q.len, s.len);
        cr_assert(sim_queue_valid(&q), "heap or positions broken at op %d", op);
    }
    cr_assert_gt(removed, 500u, "removed only %zu", removed);
    free(s.ev);
    sim_queue_fini(&q);
    gsl_rng_free(r);
}

/* FIFO types change nothing but the cost: the same pushes, pops and
 * removals on a queue with FIFO types (one of them keyed) and on a plain
 * keyed heap give the same events in the same order. */
Test(queue, fifo_types_pop_like_the_heap)
{
    enum { OPS = 30000, OBJS = 500 };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    cr_assert_not_null(r);
    gsl_rng_set(r, 4242);
    struct sim_queue fifo, plain;
    sim_queue_init(&fifo);
    sim_queue_init(&plain);
    /* Type 2: FIFO and keyed; type 3: FIFO; type 6: ordinary. */
    sim_queue_fifo(&fifo, 2);
    sim_queue_key(&fifo, 2);
    sim_queue_fifo(&fifo, 3);
    sim_queue_key(&plain, 2);
    double now = 0.0;
    uint64_t seq = 0;
    size_t removed = 0, popped = 0;
    for (int op = 0; op < OPS; op++) {
        double u = gsl_rng_uniform(r);
        if (u < 0.5) {
            /* A constant delay per FIFO type keeps its times monotone. */
            unsigned type = (unsigned[]){2, 3, 6}[gsl_rng_uniform_int(r, 3)];
            uint32_t obj = (uint32_t)gsl_rng_uniform_int(r, OBJS);
            if (type == 2 && sim_queue_pending(&fifo, 2, obj))
                continue;
            double t = type == 2 ? now + 5.0 : type == 3 ? now + 1.5
                                                          : now + 10.0 * gsl_rng_uniform(r);
            struct sim_event ev = make_obj(t, seq++, type, obj);
            cr_assert(sim_queue_push(&fifo, &ev));
            cr_assert(sim_queue_push(&plain, &ev));
        } else if (u < 0.65) {
            uint32_t obj = (uint32_t)gsl_rng_uniform_int(r, OBJS);
            bool a = sim_queue_remove(&fifo, 2, obj), b = sim_queue_remove(&plain, 2, obj);
            cr_assert_eq(a, b, "op %d: remove of %u", op, obj);
            removed += a;
        } else if (plain.len > 0) {
            struct sim_event a, b;
            sim_queue_pop(&fifo, &a);
            sim_queue_pop(&plain, &b);
            cr_assert(same_event(&a, &b), "op %d: FIFO queue popped (%g, %llx), heap (%g, %llx)",
                      op, a.time, (unsigned long long)a.key, b.time, (unsigned long long)b.key);
            now = a.time;
            popped++;
        }
        cr_assert(sim_queue_valid(&fifo), "FIFO queue broken at op %d", op);
        size_t ordinary = 0;
        for (size_t i = 0; i < plain.len; i++)
            ordinary += sim_event_type(&plain.heap[i]) == 6;
        cr_assert_leq(fifo.len, ordinary + 2, "at most one entry per FIFO type in the heap");
    }
    /* Drain both. */
    while (plain.len > 0) {
        struct sim_event a, b;
        cr_assert_gt(fifo.len, 0);
        sim_queue_pop(&fifo, &a);
        sim_queue_pop(&plain, &b);
        cr_assert(same_event(&a, &b));
    }
    cr_assert_eq(fifo.len, 0);
    cr_assert_gt(removed, 500u, "removed only %zu", removed);
    cr_assert_gt(popped, 5000u);
    cr_assert_gt(fifo.fifo[2].cap, 256u, "the ring must have grown at least once");
    sim_queue_fini(&fifo);
    sim_queue_fini(&plain);
    gsl_rng_free(r);
}
