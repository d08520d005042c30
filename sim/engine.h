/*
 * engine.h - the clock and the dispatch loop of a discrete-event simulation.
 *
 * A struct sim holds the simulated clock, the pending events and a table of
 * handlers indexed by event type.  A model registers its handlers, schedules
 * its first events and calls sim_run(); the engine pops events in (time,
 * sequence) order, advances the clock to each and calls its handler.  Only
 * sim_run() advances the clock, and scheduling in the past is a programmer
 * error (asserted).  The engine knows nothing of what the events mean.
 *
 * An event is a type (at most SIM_MAX_TYPES) and the index of its subject
 * (`obj`, at most SIM_MAX_OBJ): whatever else a handler needs lives in the
 * model's state, indexed by obj.  That keeps an event at 16 bytes.
 *
 * Cancellation: a type declared keyed (sim_keyed) has at most one pending
 * event per object, and sim_cancel() removes it from the queue at once, in
 * O(log n) (O(1) for a FIFO type).  Other events cannot be cancelled; a
 * model that must ignore one checks its own state when it fires.
 *
 * Constant delays: a type declared FIFO (sim_fifo) costs the heap one entry
 * however many of its events are pending.
 *
 * Failure: when a FIFO type's ring would pass 2^32 entries, or the
 * sequence numbers run out (after 2^36 events), the event is dropped, the simulation is marked
 * failed and sim_run() returns at once; the caller checks sim_failed().
 * Schedulers therefore need no error path.
 *
 * Interruption: sim_run() polls `*interrupt` (when not NULL) every few
 * thousand events and returns early when it is non-zero.
 *
 * Memory: the queue's arrays grow through sim/mem.h, which does not fail
 * (out of memory ends the program).
 *
 * Ownership: the caller owns struct sim (usually on its stack) and the
 * context pointer; sim_fini() frees the queue's arrays.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "queue.h"

struct sim;
typedef void (*sim_handler_fn)(struct sim *sim, void *ctx, uint32_t obj);

struct sim {
    double now;                 /* the clock, in hours */
    uint64_t seq;               /* next sequence number */
    uint64_t events;            /* events dispatched so far */
    struct sim_queue queue;
    sim_handler_fn handlers[SIM_MAX_TYPES];
    void *ctx;                  /* passed to every handler */
    const volatile sig_atomic_t *interrupt;
    bool failed;                /* an event could not be stored */
    bool stopped;               /* sim_stop() was called */
};

void sim_init(struct sim *sim, void *ctx);
void sim_fini(struct sim *sim);

void sim_on(struct sim *sim, unsigned type, sim_handler_fn fn);

/* Declares `type` keyed, before anything is scheduled: at most one pending
 * event per object, cancellable with sim_cancel(). */
void sim_keyed(struct sim *sim, unsigned type);

/* Declares `type` FIFO, before anything is scheduled: the model promises to
 * schedule it in non-decreasing time order (a constant delay after now),
 * and the queue keeps its events in a ring with only the earliest in the
 * heap (sim/queue.h).  The order of events does not change. */
void sim_fifo(struct sim *sim, unsigned type);

/* Schedules event `type` for `obj` at absolute time `t` >= now. */
void sim_schedule(struct sim *sim, double t, unsigned type, uint32_t obj);

/* Removes the pending keyed event (type, obj); returns whether there was
 * one. */
bool sim_cancel(struct sim *sim, unsigned type, uint32_t obj);

/* Dispatches events up to and including time `until`, then sets the clock
 * to `until` (unless stopped, failed or interrupted earlier).  Returns
 * true when it reached `until`.  A stopped simulation may run again: the
 * next call clears the stop. */
bool sim_run(struct sim *sim, double until);

/* Asks sim_run() to return after the current handler. */
void sim_stop(struct sim *sim);

static inline double sim_now(const struct sim *sim)
{
    return sim->now;
}

static inline bool sim_failed(const struct sim *sim)
{
    return sim->failed;
}

#endif
