/* SPDX-License-Identifier: MIT */
#include "queue.h"

#include <assert.h>
#include <stdlib.h>

#define ARITY 4

void sim_queue_init(struct sim_queue *q)
{
    q->heap = NULL;
    q->len = 0;
    q->cap = 0;
}

void sim_queue_fini(struct sim_queue *q)
{
    free(q->heap);
    sim_queue_init(q);
}

void sim_queue_clear(struct sim_queue *q)
{
    q->len = 0;
}

static bool grow(struct sim_queue *q)
{
    size_t cap = q->cap ? q->cap * 2 : 256;
    struct sim_event *heap = realloc(q->heap, cap * sizeof *heap);
    if (heap == NULL)
        return false;
    q->heap = heap;
    q->cap = cap;
    return true;
}

bool sim_queue_push(struct sim_queue *q, const struct sim_event *ev)
{
    if (q->len == q->cap && !grow(q))
        return false;
    /* Sift up with a hole instead of swaps: one copy per level. */
    struct sim_event *h = q->heap;
    size_t i = q->len++;
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (!sim_event_before(ev, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = *ev;
    return true;
}

void sim_queue_pop(struct sim_queue *q, struct sim_event *out)
{
    assert(q->len > 0);
    struct sim_event *h = q->heap;
    *out = h[0];
    size_t n = --q->len;
    if (n == 0)
        return;
    const struct sim_event last = h[n];
    size_t i = 0;
    for (;;) {
        size_t first = i * ARITY + 1;
        if (first >= n)
            break;
        size_t best = first;
        size_t end = first + ARITY < n ? first + ARITY : n;
        for (size_t c = first + 1; c < end; c++)
            if (sim_event_before(&h[c], &h[best]))
                best = c;
        if (!sim_event_before(&h[best], &last))
            break;
        h[i] = h[best];
        i = best;
    }
    h[i] = last;
}

bool sim_queue_valid(const struct sim_queue *q)
{
    for (size_t i = 1; i < q->len; i++)
        if (sim_event_before(&q->heap[i], &q->heap[(i - 1) / ARITY]))
            return false;
    return true;
}
