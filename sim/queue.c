/* SPDX-License-Identifier: MIT */
#include "queue.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "sim/mem.h"

#define ARITY 4
#define LINE 64
/* heap[j] lives at base[j + OFFSET]: the children of node i, heap[4i + 1]
 * to heap[4i + 4], then sit at base[4(i + 1)] to base[4(i + 1) + 3], one
 * aligned cache line. */
#define OFFSET (ARITY - 1)
/* A cancelled FIFO entry: no real key is this large (sequence < 2^36). */
#define TOMBSTONE UINT64_MAX

void sim_queue_init(struct sim_queue *q)
{
    memset(q, 0, sizeof *q);
    for (unsigned t = 0; t < SIM_MAX_TYPES; t++)
        q->pos[t] = &q->scratch;
}

void sim_queue_fini(struct sim_queue *q)
{
    free(q->base);
    for (unsigned t = 0; t < SIM_MAX_TYPES; t++) {
        if (q->mask[t] != 0)
            free(q->pos[t]);
        free(q->fifo[t].ring);
        free(q->fifo[t].slot);
    }
    sim_queue_init(q);
}

void sim_queue_key(struct sim_queue *q, unsigned type)
{
    assert(type < SIM_MAX_TYPES && !q->keyed[type] && q->len == 0);
    q->keyed[type] = true;
    if (q->fifo[type].on)
        return;     /* a FIFO type keeps its own map, by ring slot */
    q->pos[type] = NULL;
    q->pos_cap[type] = 0;
    q->mask[type] = UINT32_MAX;
}

void sim_queue_fifo(struct sim_queue *q, unsigned type)
{
    assert(type < SIM_MAX_TYPES && !q->fifo[type].on && q->len == 0);
    if (q->mask[type] != 0) {       /* keyed before: move to the ring's map */
        free(q->pos[type]);
        q->pos_cap[type] = 0;
        q->mask[type] = 0;
    }
    /* Only the ring's head is ever in the heap: its position is one word. */
    q->fifo[type].on = true;
    q->pos[type] = &q->fifo[type].heap_pos;
}

/* ---- the heap ---------------------------------------------------------------- */

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

static void grow_heap(struct sim_queue *q)
{
    size_t cap = q->cap ? q->cap * 2 : 256;
    struct sim_event *base = sim_aligned_alloc(LINE, (cap + OFFSET) * sizeof *base);
    if (q->len > 0)
        memcpy(base + OFFSET, q->heap, q->len * sizeof *base);
    free(q->base);
    q->base = base;
    q->heap = base + OFFSET;
    q->cap = cap;
}

static void heap_push(struct sim_queue *q, const struct sim_event *ev)
{
    if (q->len == q->cap)
        grow_heap(q);
    sift_up(q, q->len++, *ev);
}

/* Removes heap[i], whatever it is. */
static void heap_remove_at(struct sim_queue *q, size_t i)
{
    forget(q, &q->heap[i]);
    struct sim_event last = q->heap[--q->len];
    if (i == q->len)
        return;
    /* The last event fills the hole and moves whichever way it must. */
    if (i > 0 && sim_event_before(&last, &q->heap[(i - 1) / ARITY]))
        sift_up(q, i, last);
    else
        sift_down(q, i, last);
}

/* ---- keyed positions ------------------------------------------------------- */

/* Grows a position array so that index obj fits; new entries are 0. */
static void grow_map(uint32_t **map, uint32_t *cap, uint32_t obj)
{
    uint64_t want = *cap ? (uint64_t)*cap * 2 : 1024;
    if (want <= obj)
        want = (uint64_t)obj + 1;
    if (want > (uint64_t)SIM_MAX_OBJ + 1)
        want = (uint64_t)SIM_MAX_OBJ + 1;
    uint32_t *grown = sim_reallocarray(*map, (size_t)want, sizeof *grown);
    memset(grown + *cap, 0, (size_t)(want - *cap) * sizeof *grown);
    *map = grown;
    *cap = (uint32_t)want;
}

/* ---- FIFO rings ------------------------------------------------------------- */

static inline uint32_t ring_index(const struct sim_fifo *f, uint32_t k)
{
    return (f->head + k) & (f->cap - 1);
}

/* Doubles the ring, laying its entries out from 0 again, and moves the
 * keyed map along: O(len), amortised O(1) per push.  False when the ring
 * would pass 2^32 entries. */
static bool grow_ring(struct sim_fifo *f)
{
    uint64_t cap = f->cap ? (uint64_t)f->cap * 2 : 256;
    if (cap > UINT32_MAX)
        return false;
    struct sim_event *ring = sim_reallocarray(NULL, (size_t)cap, sizeof *ring);
    for (uint32_t k = 0; k < f->len; k++) {
        ring[k] = f->ring[ring_index(f, k)];
        if (f->slot != NULL && ring[k].key != TOMBSTONE)
            f->slot[sim_event_obj(&ring[k])] = k + 1;
    }
    free(f->ring);
    f->ring = ring;
    f->cap = (uint32_t)cap;
    f->head = 0;
    return true;
}

/* Drops cancelled entries at the front, then puts the new head (if any) in
 * the heap. */
static void ring_expose_head(struct sim_queue *q, struct sim_fifo *f)
{
    while (f->len > 0 && f->ring[f->head].key == TOMBSTONE) {
        f->head = (f->head + 1) & (f->cap - 1);
        f->len--;
    }
    if (f->len > 0)
        heap_push(q, &f->ring[f->head]);
}

static bool fifo_push(struct sim_queue *q, struct sim_fifo *f, bool keyed,
                      const struct sim_event *ev)
{
    uint32_t obj = sim_event_obj(ev);
    assert(ev->time >= f->last);
    if (f->len == f->cap && !grow_ring(f))
        return false;
    if (keyed && obj >= f->slot_cap)
        grow_map(&f->slot, &f->slot_cap, obj);
    assert(!keyed || f->slot[obj] == 0);
    if (f->len == 0)
        heap_push(q, ev);
    uint32_t k = ring_index(f, f->len++);
    f->ring[k] = *ev;
    f->last = ev->time;
    if (keyed)
        f->slot[obj] = k + 1;
    return true;
}

/* ---- the interface ---------------------------------------------------------- */

bool sim_queue_push(struct sim_queue *q, const struct sim_event *ev)
{
    unsigned t = sim_event_type(ev);
    if (q->fifo[t].on)
        return fifo_push(q, &q->fifo[t], q->keyed[t], ev);
    uint32_t obj = sim_event_obj(ev);
    if (q->mask[t] != 0 && obj >= q->pos_cap[t])
        grow_map(&q->pos[t], &q->pos_cap[t], obj);
    assert(q->mask[t] == 0 || q->pos[t][obj] == 0);
    heap_push(q, ev);
    return true;
}

void sim_queue_pop(struct sim_queue *q, struct sim_event *out)
{
    assert(q->len > 0);
    *out = q->heap[0];
    forget(q, out);
    if (--q->len > 0)
        sift_down(q, 0, q->heap[q->len]);
    unsigned t = sim_event_type(out);
    struct sim_fifo *f = &q->fifo[t];
    if (f->on) {
        assert(f->len > 0 && f->ring[f->head].key == out->key);
        if (f->slot != NULL)
            f->slot[sim_event_obj(out)] = 0;
        f->head = (f->head + 1) & (f->cap - 1);
        f->len--;
        ring_expose_head(q, f);
    }
}

bool sim_queue_pending(const struct sim_queue *q, unsigned type, uint32_t obj)
{
    assert(type < SIM_MAX_TYPES && q->keyed[type]);
    const struct sim_fifo *f = &q->fifo[type];
    if (f->on)
        return obj < f->slot_cap && f->slot[obj] != 0;
    return obj < q->pos_cap[type] && q->pos[type][obj] != 0;
}

bool sim_queue_remove(struct sim_queue *q, unsigned type, uint32_t obj)
{
    if (!sim_queue_pending(q, type, obj))
        return false;
    struct sim_fifo *f = &q->fifo[type];
    if (!f->on) {
        heap_remove_at(q, q->pos[type][obj] - 1);
        return true;
    }
    uint32_t k = f->slot[obj] - 1;
    f->slot[obj] = 0;
    f->ring[k].key = TOMBSTONE;
    if (k == f->head) {
        heap_remove_at(q, f->heap_pos - 1);
        ring_expose_head(q, f);
    }
    return true;
}

bool sim_queue_valid(const struct sim_queue *q)
{
    for (size_t i = 0; i < q->len; i++) {
        const struct sim_event *ev = &q->heap[i];
        if (i > 0 && sim_event_before(ev, &q->heap[(i - 1) / ARITY]))
            return false;
        unsigned t = sim_event_type(ev);
        const struct sim_fifo *f = &q->fifo[t];
        if (f->on && (f->len == 0 || f->heap_pos != i + 1 || f->ring[f->head].key != ev->key))
            return false;
        if (q->mask[t] != 0 && q->pos[t][sim_event_obj(ev)] != i + 1)
            return false;
    }
    for (unsigned t = 0; t < SIM_MAX_TYPES; t++) {
        if (q->mask[t] != 0)
            for (uint32_t obj = 0; obj < q->pos_cap[t]; obj++) {
                uint32_t p = q->pos[t][obj];
                if (p != 0 && (p > q->len || sim_event_obj(&q->heap[p - 1]) != obj ||
                               sim_event_type(&q->heap[p - 1]) != t))
                    return false;
            }
        const struct sim_fifo *f = &q->fifo[t];
        if (!f->on)
            continue;
        /* The ring is in (time, key) order, its head live and in the heap. */
        if (f->len > 0 && (f->ring[f->head].key == TOMBSTONE || f->heap_pos == 0))
            return false;
        const struct sim_event *prev = NULL;
        for (uint32_t k = 0; k < f->len; k++) {
            const struct sim_event *e = &f->ring[ring_index(f, k)];
            if (e->key == TOMBSTONE)
                continue;
            if (sim_event_type(e) != t || (prev != NULL && !sim_event_before(prev, e)))
                return false;
            if (f->slot != NULL && f->slot[sim_event_obj(e)] != ring_index(f, k) + 1)
                return false;
            prev = e;
        }
    }
    return true;
}
