/*
 * test_lead.c - the lead pool and the lead queues (models/lead.c).
 *
 * The pool: allocation, generation bumps on free (lazy cancellation of a
 * lead's events depends on them), reuse, growth that keeps the records,
 * and the limit.  The queues: FIFO, the temperature lanes of
 * hottest_first, and removal from anywhere; a randomised run compares a
 * queue with a plain reference model after every operation and checks the
 * links (ccan's heap_ok() habit, style-anchors.md 5).
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/lead.h"
#include "models/scenario.h"    /* the temperatures, SCN_HOT to SCN_COLD */

Test(lead, alloc_free_reuse)
{
    struct lead_pool p;
    lead_pool_init(&p, 1000);
    uint32_t a = lead_alloc(&p), b = lead_alloc(&p);
    cr_assert(a != LEAD_NONE && b != LEAD_NONE && a != b);
    cr_expect_eq(p.live, 2);
    struct lead *la = lead_get(&p, a);
    cr_expect(la->prev == LEAD_NONE && la->next == LEAD_NONE);
    cr_expect_eq(la->mgr, LEAD_NO_MANAGER);
    cr_expect(la->flags == 0 && la->attempts == 0 && la->t_created == 0.0);

    /* Dirty the record, free it: the slot comes back first, zeroed. */
    la->flags = LEAD_FIT | LEAD_THEORIST;
    la->attempts = 3;
    la->t_created = 42.0;
    la->mgr = 7;
    lead_free(&p, a);
    cr_expect_eq(p.live, 1);
    uint32_t c = lead_alloc(&p);
    cr_expect_eq(c, a, "the freed slot is reused first");
    struct lead *lc = lead_get(&p, c);
    cr_expect(lc->flags == 0 && lc->attempts == 0 && lc->t_created == 0.0);
    cr_expect_eq(lc->mgr, LEAD_NO_MANAGER);
    lead_pool_fini(&p);
}

/* The pool doubles when full and keeps every live record; ids stay
 * distinct. */
Test(lead, growth_keeps_records)
{
    struct lead_pool p;
    lead_pool_init(&p, 1u << 20);
    enum { N = 5000 };
    static uint32_t ids[N];
    static bool seen[N];
    memset(seen, 0, sizeof seen);
    for (uint32_t i = 0; i < N; i++) {
        ids[i] = lead_alloc(&p);
        cr_assert_neq(ids[i], LEAD_NONE);
        cr_assert_lt(ids[i], (uint32_t)N, "ids are dense: %u", ids[i]);
        cr_assert(!seen[ids[i]], "id %u handed out twice", ids[i]);
        seen[ids[i]] = true;
        lead_get(&p, ids[i])->t_created = (double)i;
        lead_get(&p, ids[i])->channel = (uint8_t)(i % 251);
    }
    cr_expect_eq(p.live, N);
    cr_expect_geq(p.cap, N);
    cr_expect_lt(p.cap, 2 * N, "growth by doubling from 1024: cap %u", p.cap);
    for (uint32_t i = 0; i < N; i++) {
        const struct lead *l = lead_get(&p, ids[i]);
        cr_expect(l->t_created == (double)i && l->channel == i % 251,
                  "lead %u lost its data in a growth", i);
    }
    lead_pool_fini(&p);
}

/* At the limit, alloc fails instead of growing; a free makes room. */
Test(lead, limit)
{
    struct lead_pool p;
    lead_pool_init(&p, 5);
    uint32_t ids[5];
    for (unsigned i = 0; i < 5; i++)
        cr_assert_neq(ids[i] = lead_alloc(&p), LEAD_NONE);
    cr_expect_eq(lead_alloc(&p), LEAD_NONE, "a sixth lead past the limit of 5");
    cr_expect_eq(p.live, 5);
    cr_expect_leq(p.cap, 5);
    lead_free(&p, ids[2]);
    cr_expect_eq(lead_alloc(&p), ids[2]);
    cr_expect_eq(lead_alloc(&p), LEAD_NONE);
    lead_pool_fini(&p);
}

static uint32_t new_lead(struct lead_pool *p, unsigned temp)
{
    uint32_t id = lead_alloc(p);
    cr_assert_neq(id, LEAD_NONE);
    lead_get(p, id)->temp = (uint8_t)temp;
    return id;
}

Test(lead, fifo_order)
{
    struct lead_pool p;
    lead_pool_init(&p, 100);
    struct lead_queue q;
    lead_queue_init(&q, false);
    uint32_t ids[9];
    for (unsigned i = 0; i < 9; i++) {
        ids[i] = new_lead(&p, (SCN_COLD + i) % SCN_TEMPS);  /* temperature ignored */
        lead_queue_push(&q, &p, ids[i]);
        cr_expect(lead_get(&p, ids[i])->flags & LEAD_QUEUED);
    }
    cr_expect_eq(q.len, 9);
    for (unsigned i = 0; i < 9; i++) {
        uint32_t id = lead_queue_pop(&q, &p);
        cr_expect_eq(id, ids[i], "pop %u", i);
        cr_expect(!(lead_get(&p, id)->flags & LEAD_QUEUED));
    }
    cr_expect_eq(lead_queue_pop(&q, &p), LEAD_NONE);
    cr_expect_eq(q.len, 0);
    lead_pool_fini(&p);
}

/* hottest_first: every hot lead before any warm one before any cold one,
 * first come first served within a temperature.  Broken: one lane (FIFO),
 * or lanes popped in the wrong order. */
Test(lead, hottest_first_lanes)
{
    struct lead_pool p;
    lead_pool_init(&p, 100);
    struct lead_queue q;
    lead_queue_init(&q, true);
    static const unsigned temps[] = {SCN_COLD, SCN_WARM, SCN_COLD, SCN_HOT, SCN_WARM,
                                     SCN_HOT, SCN_COLD, SCN_HOT, SCN_WARM};
    enum { N = sizeof temps / sizeof temps[0] };
    uint32_t ids[N];
    for (unsigned i = 0; i < N; i++) {
        ids[i] = new_lead(&p, temps[i]);
        lead_queue_push(&q, &p, ids[i]);
    }
    for (unsigned t = 0; t < SCN_TEMPS; t++)
        for (unsigned i = 0; i < N; i++)
            if (temps[i] == t)
                cr_expect_eq(lead_queue_pop(&q, &p), ids[i], "temperature %u, lead %u", t, i);
    cr_expect_eq(lead_queue_pop(&q, &p), LEAD_NONE);

    /* A hot lead arriving behind cold ones still goes first. */
    uint32_t cold = new_lead(&p, SCN_COLD), hot = new_lead(&p, SCN_HOT);
    lead_queue_push(&q, &p, cold);
    lead_queue_push(&q, &p, hot);
    cr_expect_eq(lead_queue_pop(&q, &p), hot);
    cr_expect_eq(lead_queue_pop(&q, &p), cold);
    lead_pool_fini(&p);
}

/* Removal from the head, the middle and the tail of a lane relinks its
 * neighbours directly (O(1): no walk). */
Test(lead, remove_anywhere)
{
    struct lead_pool p;
    lead_pool_init(&p, 100);
    struct lead_queue q;
    lead_queue_init(&q, true);
    uint32_t w[5];
    for (unsigned i = 0; i < 5; i++) {
        w[i] = new_lead(&p, SCN_WARM);
        lead_queue_push(&q, &p, w[i]);
    }
    uint32_t h = new_lead(&p, SCN_HOT);
    lead_queue_push(&q, &p, h);

    lead_queue_remove(&q, &p, w[2]);        /* the middle */
    cr_expect_eq(lead_get(&p, w[1])->next, w[3]);
    cr_expect_eq(lead_get(&p, w[3])->prev, w[1]);
    cr_expect(!(lead_get(&p, w[2])->flags & LEAD_QUEUED));
    cr_expect_eq(q.len, 5);
    lead_queue_remove(&q, &p, w[0]);        /* the head */
    cr_expect_eq(q.head[SCN_WARM], w[1]);
    cr_expect_eq(lead_get(&p, w[1])->prev, LEAD_NONE);
    lead_queue_remove(&q, &p, w[4]);        /* the tail */
    cr_expect_eq(q.tail[SCN_WARM], w[3]);
    cr_expect_eq(lead_get(&p, w[3])->next, LEAD_NONE);
    lead_queue_remove(&q, &p, h);           /* a lane's only member */
    cr_expect(q.head[SCN_HOT] == LEAD_NONE && q.tail[SCN_HOT] == LEAD_NONE);
    cr_expect_eq(q.len, 2);
    cr_expect_eq(lead_queue_pop(&q, &p), w[1]);
    cr_expect_eq(lead_queue_pop(&q, &p), w[3]);
    cr_expect_eq(lead_queue_pop(&q, &p), LEAD_NONE);
    /* A removed lead can be queued again. */
    lead_queue_push(&q, &p, w[2]);
    cr_expect_eq(lead_queue_pop(&q, &p), w[2]);
    lead_pool_fini(&p);
}

/* ---- randomised, against a reference ------------------------------------ */

#define REF_MAX 512

/* The reference: one array per lane, in queue order. */
struct ref {
    uint32_t lane[LEAD_LANES][REF_MAX];
    unsigned len[LEAD_LANES];
};

static void ref_remove_at(struct ref *r, unsigned lane, unsigned i)
{
    memmove(&r->lane[lane][i], &r->lane[lane][i + 1],
            (r->len[lane] - i - 1) * sizeof r->lane[lane][0]);
    r->len[lane]--;
}

/* The queue's links match the reference lane by lane, both ways. */
static void check_queue(const struct lead_queue *q, const struct lead_pool *p,
                        const struct ref *r, unsigned step)
{
    unsigned total = 0;
    for (unsigned lane = 0; lane < LEAD_LANES; lane++) {
        uint32_t id = q->head[lane], prev = LEAD_NONE;
        for (unsigned i = 0; i < r->len[lane]; i++) {
            cr_assert_eq(id, r->lane[lane][i], "step %u lane %u position %u", step, lane, i);
            const struct lead *l = lead_get(p, id);
            cr_assert_eq(l->prev, prev, "step %u: back link of %u", step, id);
            cr_assert(l->flags & LEAD_QUEUED);
            prev = id;
            id = l->next;
        }
        cr_assert_eq(id, LEAD_NONE, "step %u lane %u: longer than the reference", step, lane);
        cr_assert_eq(q->tail[lane], prev, "step %u lane %u: tail", step, lane);
        total += r->len[lane];
    }
    cr_assert_eq(q->len, total, "step %u: len", step);
}

static void random_ops(bool by_temperature)
{
    struct lead_pool p;
    lead_pool_init(&p, 4 * REF_MAX);
    struct lead_queue q;
    lead_queue_init(&q, by_temperature);
    static struct ref r;
    memset(&r, 0, sizeof r);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, by_temperature ? 17 : 19);
    for (unsigned step = 0; step < 20000; step++) {
        double u = gsl_rng_uniform(g);
        unsigned total = r.len[0] + r.len[1] + r.len[2];
        if (u < 0.45 && total < REF_MAX - 1) {
            unsigned temp = (unsigned)gsl_rng_uniform_int(g, SCN_TEMPS);
            uint32_t id = new_lead(&p, temp);
            lead_queue_push(&q, &p, id);
            unsigned lane = by_temperature ? temp : 0;
            r.lane[lane][r.len[lane]++] = id;
        } else if (u < 0.75) {
            uint32_t id = lead_queue_pop(&q, &p);
            unsigned lane = 0;
            while (lane < LEAD_LANES && r.len[lane] == 0)
                lane++;
            if (lane == LEAD_LANES) {
                cr_assert_eq(id, LEAD_NONE, "step %u: pop of an empty queue", step);
            } else {
                cr_assert_eq(id, r.lane[lane][0], "step %u: pop", step);
                ref_remove_at(&r, lane, 0);
                lead_free(&p, id);
            }
        } else if (total > 0) {
            unsigned k = (unsigned)gsl_rng_uniform_int(g, total), lane = 0;
            while (k >= r.len[lane])
                k -= r.len[lane++];
            uint32_t id = r.lane[lane][k];
            lead_queue_remove(&q, &p, id);
            ref_remove_at(&r, lane, k);
            lead_free(&p, id);
        }
        check_queue(&q, &p, &r, step);
    }
    gsl_rng_free(g);
    lead_pool_fini(&p);
}

Test(lead, random_ops_fifo)
{
    random_ops(false);
}

Test(lead, random_ops_hottest_first)
{
    random_ops(true);
}

/* The 8-bit attempt counter cannot wrap: the scenario's bound on
 * contact.max_attempts is within what it holds (a recovered lead starts
 * again from 0, and is recovered at most once), and counting up to the
 * bound gives the bound. */
Test(lead, attempt_counter_holds_max_attempts)
{
    cr_assert_leq(SCN_MAX_ATTEMPTS, LEAD_MAX_ATTEMPTS);
    struct lead l = {0};
    for (unsigned k = 0; k < SCN_MAX_ATTEMPTS; k++)
        l.attempts++;
    cr_expect_eq(l.attempts, SCN_MAX_ATTEMPTS);
    l.attempts = LEAD_MAX_ATTEMPTS;
    cr_expect_eq(l.attempts, LEAD_MAX_ATTEMPTS, "the counter holds LEAD_MAX_ATTEMPTS");
}
