/* SPDX-License-Identifier: MIT */
#include "queue.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define ARITY 4
#define LINE 64
/* heap[j] lives at base[j + OFFSET]: the children of node i, heap[4i + 1]
 * to heap[4i + 4], then sit at base[4(i + 1)] to base[4(i + 1) + 3], one
 * aligned cache line. */
#define OFFSET (ARITY - 1)

void sim_queue_init(struct sim_queue *q)
{
    memset(q, 0, sizeof *q);
    for (unsigned t = 0; t < SIM_MAX_TYPES; t++)
        q->pos[t] = &q->scratch;
}

void sim_queue_fini(struct sim_queue *q)
{
    free(q->base);
    for (unsigned t = 0; t < SIM_MAX_TYPES; t++)
        if (q->mask[t] != 0)
            free(q->pos[t]);
    sim_queue_init(q);
}

void sim_queue_clear(struct sim_queue *q)
{
    for (unsigned t = 0; t < SIM_MAX_TYPES; t++)
        if (q->mask[t] != 0 && q->pos_cap[t] > 0)
            memset(q->pos[t], 0, q->pos_cap[t] * sizeof *q->pos[t]);
    q->len = 0;
}

void sim_queue_key(struct sim_queue *q, unsigned type)
{
    assert(type < SIM_MAX_TYPES && q->mask[type] == 0 && q->len == 0);
    q->pos[type] = NULL;
    q->pos_cap[type] = 0;
    q->mask[type] = UINT32_MAX;
}

/* Stores ev at heap index i and records where it is. */
static inline void place(struct sim_queue *q, size_t i, const struct sim_event *ev)
{
    unsigned t = sim_event_type(ev);
    q->heap[i] = *ev;
    q->pos[t][sim_event_obj(ev) & q->mask[t]] = (uint32_t)(i + 1);
}

static inline void forget(struct sim_queue *q, const struct sim_event *ev)
{
    unsigned t = sim_event_type(ev);
    q->pos[t][sim_event_obj(ev) & q->mask[t]] = 0;
}

static void sift_up(struct sim_queue *q, size_t i, struct sim_event ev)
{
    struct sim_event *h = q->heap;
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (!sim_event_before(&ev, &h[parent]))
            break;
        place(q, i, &h[parent]);
        i = parent;
    }
    place(q, i, &ev);
}

/* The earlier of h[a] and h[b], without a branch: which child is smallest
 * is a coin toss, and a mispredicted branch per compare cost more than
 * the compares themselves (docs/performance.md). */
static inline size_t earlier(const struct sim_event *h, size_t a, size_t b)
{
    bool b_first = (h[b].time < h[a].time) |
                   ((h[b].time == h[a].time) & (h[b].key < h[a].key));
    return b_first ? b : a;
}

static void sift_down(struct sim_queue *q, size_t i, struct sim_event ev)
{
    struct sim_event *h = q->heap;
    size_t n = q->len;
    for (;;) {
        size_t first = i * ARITY + 1;
        size_t best;
        if (first + ARITY <= n) {
            /* A full set of children: a tournament of three compares, the
             * first two independent. */
            best = earlier(h, earlier(h, first, first + 1),
                           earlier(h, first + 2, first + 3));
        } else if (first < n) {
            best = first;
            for (size_t c = first + 1; c < n; c++)
                best = earlier(h, best, c);
        } else {
            break;
        }
        if (!sim_event_before(&h[best], &ev))
            break;
        place(q, i, &h[best]);
        i = best;
    }
    place(q, i, &ev);
}

static bool grow_heap(struct sim_queue *q)
{
    size_t cap = q->cap ? q->cap * 2 : 256;
    size_t bytes = (cap + OFFSET) * sizeof(struct sim_event);
    bytes = (bytes + LINE - 1) / LINE * LINE;   /* aligned_alloc's rule */
    struct sim_event *base = aligned_alloc(LINE, bytes);
    if (base == NULL)
        return false;
    if (q->len > 0)
        memcpy(base + OFFSET, q->heap, q->len * sizeof *base);
    free(q->base);
    q->base = base;
    q->heap = base + OFFSET;
    q->cap = cap;
    return true;
}

static bool grow_pos(struct sim_queue *q, unsigned t, uint32_t obj)
{
    uint64_t cap = q->pos_cap[t] ? (uint64_t)q->pos_cap[t] * 2 : 1024;
    if (cap <= obj)
        cap = (uint64_t)obj + 1;
    if (cap > (uint64_t)SIM_MAX_OBJ + 1)
        cap = (uint64_t)SIM_MAX_OBJ + 1;
    uint32_t *pos = realloc(q->pos[t], (size_t)cap * sizeof *pos);
    if (pos == NULL)
        return false;
    memset(pos + q->pos_cap[t], 0, (size_t)(cap - q->pos_cap[t]) * sizeof *pos);
    q->pos[t] = pos;
    q->pos_cap[t] = (uint32_t)cap;
    return true;
}

bool sim_queue_push(struct sim_queue *q, const struct sim_event *ev)
{
    unsigned t = sim_event_type(ev);
    uint32_t obj = sim_event_obj(ev);
    if (q->mask[t] != 0 && obj >= q->pos_cap[t] && !grow_pos(q, t, obj))
        return false;
    assert(q->mask[t] == 0 || q->pos[t][obj] == 0);
    if (q->len == q->cap && !grow_heap(q))
        return false;
    sift_up(q, q->len++, *ev);
    return true;
}

void sim_queue_pop(struct sim_queue *q, struct sim_event *out)
{
    assert(q->len > 0);
    *out = q->heap[0];
    forget(q, out);
    if (--q->len > 0)
        sift_down(q, 0, q->heap[q->len]);
}

bool sim_queue_pending(const struct sim_queue *q, unsigned type, uint32_t obj)
{
    assert(type < SIM_MAX_TYPES && q->mask[type] != 0);
    return obj < q->pos_cap[type] && q->pos[type][obj] != 0;
}

bool sim_queue_remove(struct sim_queue *q, unsigned type, uint32_t obj)
{
    if (!sim_queue_pending(q, type, obj))
        return false;
    size_t i = q->pos[type][obj] - 1;
    forget(q, &q->heap[i]);
    struct sim_event last = q->heap[--q->len];
    if (i == q->len)
        return true;
    /* The last event fills the hole and moves whichever way it must. */
    if (i > 0 && sim_event_before(&last, &q->heap[(i - 1) / ARITY]))
        sift_up(q, i, last);
    else
        sift_down(q, i, last);
    return true;
}

bool sim_queue_valid(const struct sim_queue *q)
{
    for (size_t i = 0; i < q->len; i++) {
        if (i > 0 && sim_event_before(&q->heap[i], &q->heap[(i - 1) / ARITY]))
            return false;
        unsigned t = sim_event_type(&q->heap[i]);
        if (q->mask[t] != 0 && q->pos[t][sim_event_obj(&q->heap[i])] != i + 1)
            return false;
    }
    for (unsigned t = 0; t < SIM_MAX_TYPES; t++) {
        if (q->mask[t] == 0)
            continue;
        for (uint32_t obj = 0; obj < q->pos_cap[t]; obj++) {
            uint32_t p = q->pos[t][obj];
            if (p != 0 && (p > q->len || sim_event_obj(&q->heap[p - 1]) != obj ||
                           sim_event_type(&q->heap[p - 1]) != t))
                return false;
        }
    }
    return true;
}
