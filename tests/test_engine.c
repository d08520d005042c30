/*
 * test_engine.c - the clock and the dispatch loop: monotone clock, FIFO
 * among equal times, sim_run(until), handlers that schedule, cancellation
 * of keyed events, sim_stop, the interrupt flag, the event counter.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <signal.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "sim/engine.h"

enum { EV_RECORD, EV_CHAIN, EV_WORK, EV_STOP, EV_FLAG };

#define MAX_LOG 20000

/* What the handlers saw, in dispatch order. */
struct log {
    size_t n;
    double time[MAX_LOG];       /* the event's scheduled time */
    double now[MAX_LOG];        /* the clock inside the handler */
    uint32_t obj[MAX_LOG];
    uint64_t events[MAX_LOG];   /* sim->events inside the handler */
    double scheduled[MAX_LOG];  /* by obj: the time it was scheduled for */
    unsigned fired[8];
    /* interruption */
    volatile sig_atomic_t flag;
    uint64_t raise_at;
    uint64_t stop_at;
};

static struct log logbook;

/* Criterion forks a process per test, but a clean log must not depend on
 * that (--no-fork runs every test in one process). */
static struct log *fresh_log(void)
{
    memset(&logbook, 0, sizeof logbook);
    return &logbook;
}

static void record(struct sim *sim, void *ctx, uint32_t obj)
{
    struct log *lg = ctx;
    cr_assert_lt(lg->n, MAX_LOG);
    cr_assert_lt(obj, MAX_LOG);
    lg->time[lg->n] = lg->scheduled[obj];
    lg->now[lg->n] = sim_now(sim);
    lg->obj[lg->n] = obj;
    lg->events[lg->n] = sim->events;
    lg->n++;
}

/* Events of the recording tests have distinct objects, so the time each
 * was scheduled for can be kept by object. */
static void schedule_recorded(struct sim *sim, double t, uint32_t obj)
{
    struct log *lg = sim->ctx;
    cr_assert_lt(obj, MAX_LOG);
    lg->scheduled[obj] = t;
    sim_schedule(sim, t, EV_RECORD, obj);
}

/* Every dispatch happens at the event's own time, the clock never goes
 * back, ties leave in scheduling order, and events counts dispatches. */
Test(engine, clock_is_monotone_and_ties_are_fifo)
{
    struct log *lg = fresh_log();
    struct sim sim;
    sim_init(&sim, lg);
    sim_on(&sim, EV_RECORD, record);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    cr_assert_not_null(r);
    gsl_rng_set(r, 99);
    const uint32_t n = 5000;
    for (uint32_t i = 0; i < n; i++)    /* obj = scheduling order */
        schedule_recorded(&sim, (double)gsl_rng_uniform_int(r, 100) / 8, i);

    cr_assert(sim_run(&sim, 1000));
    cr_assert_eq(lg->n, n);
    cr_assert_eq(sim.events, n);
    for (size_t i = 0; i < lg->n; i++) {
        cr_assert_eq(lg->now[i], lg->time[i]);
        cr_assert_eq(lg->events[i], i + 1);
        if (i > 0) {
            cr_assert_geq(lg->now[i], lg->now[i - 1]);
            if (lg->now[i] == lg->now[i - 1])
                cr_assert_gt(lg->obj[i], lg->obj[i - 1],
                             "same-time events must run in scheduling order");
        }
    }
    cr_assert_eq(sim_now(&sim), 1000.0, "the clock ends at `until`");
    gsl_rng_free(r);
    sim_fini(&sim);
}

/* sim_run(until) runs events at `until` itself, leaves later ones queued,
 * and a second call picks them up. */
Test(engine, run_until_stops_and_keeps_later_events)
{
    struct log *lg = fresh_log();
    struct sim sim;
    sim_init(&sim, lg);
    sim_on(&sim, EV_RECORD, record);
    for (uint32_t i = 0; i < 10; i++)
        schedule_recorded(&sim, (double)i, i);

    cr_assert(sim_run(&sim, 4.5));
    cr_assert_eq(lg->n, 5);
    cr_assert_eq(sim_now(&sim), 4.5);
    cr_assert_eq(sim.queue.len, 5);
    cr_assert_eq(sim_queue_peek(&sim.queue)->time, 5.0);

    cr_assert(sim_run(&sim, 7));
    cr_assert_eq(lg->n, 8, "an event at exactly `until` runs");
    cr_assert_eq(lg->time[7], 7.0);
    cr_assert_eq(sim_now(&sim), 7.0);

    cr_assert(sim_run(&sim, 100));
    cr_assert_eq(lg->n, 10);
    cr_assert_eq(sim.events, 10);
    cr_assert_eq(sim_now(&sim), 100.0);
    sim_fini(&sim);
}

/* A handler schedules its successor: a chain of n events 0.25 h apart,
 * each at a time the clock shows when it runs. */
static void chain(struct sim *sim, void *ctx, uint32_t obj)
{
    record(sim, ctx, obj);
    if (obj > 0)
        schedule_recorded(sim, sim_now(sim) + 0.25, obj - 1);
}

Test(engine, handlers_schedule_new_events)
{
    struct log *lg = fresh_log();
    struct sim sim;
    sim_init(&sim, lg);
    sim_on(&sim, EV_RECORD, chain);
    const uint32_t n = 400;
    schedule_recorded(&sim, 1, n - 1);
    cr_assert(sim_run(&sim, 1e6));
    cr_assert_eq(lg->n, n);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(lg->now[i], 1 + 0.25 * (double)i);
        cr_assert_eq(lg->obj[i], n - 1 - i);
    }
    cr_assert_eq(sim.queue.len, 0);
    sim_fini(&sim);
}

/* Cancellation: keyed events leave the queue at once; the others fire. */
static void work(struct sim *sim, void *ctx, uint32_t obj)
{
    (void)sim;
    struct log *lg = ctx;
    lg->fired[obj]++;
}

Test(engine, keyed_events_are_cancelled)
{
    struct log *lg = fresh_log();
    struct sim sim;
    sim_init(&sim, lg);
    sim_on(&sim, EV_WORK, work);
    sim_on(&sim, EV_RECORD, record);
    sim_keyed(&sim, EV_WORK);
    /* Owners 0..5 each schedule a timeout; 1 and 4 cancel theirs, and 2
     * cancels and schedules a new one.  An unkeyed event shares the queue. */
    for (uint32_t k = 0; k < 6; k++)
        sim_schedule(&sim, 10.0 + k, EV_WORK, k);
    schedule_recorded(&sim, 11.5, 7);
    cr_assert(sim_cancel(&sim, EV_WORK, 1));
    cr_assert(sim_cancel(&sim, EV_WORK, 4));
    cr_assert(sim_cancel(&sim, EV_WORK, 2));
    cr_assert_not(sim_cancel(&sim, EV_WORK, 2), "nothing left to cancel");
    cr_assert_not(sim_cancel(&sim, EV_WORK, 6), "never scheduled");
    sim_schedule(&sim, 20.0, EV_WORK, 2);
    cr_assert(sim_queue_valid(&sim.queue));
    cr_assert_eq(sim.queue.len, 5, "cancelled events are gone from the heap");

    cr_assert(sim_run(&sim, 100));
    static const unsigned expect[6] = {1, 0, 1, 1, 0, 1};
    for (int k = 0; k < 6; k++)
        cr_assert_eq(lg->fired[k], expect[k], "owner %d", k);
    cr_assert_eq(lg->n, 1);
    cr_assert_eq(sim.events, 5, "only live events are dispatched");
    cr_assert_not(sim_cancel(&sim, EV_WORK, 0), "a fired event is no longer pending");
    sim_fini(&sim);
}

static void stopper(struct sim *sim, void *ctx, uint32_t obj)
{
    record(sim, ctx, obj);
    struct log *lg = ctx;
    if (sim->events == lg->stop_at)
        sim_stop(sim);
}

/* sim_stop() returns after the current handler: the clock stays at the
 * stopping event and the rest stays queued. */
Test(engine, stop_ends_the_loop_after_the_handler)
{
    struct log *lg = fresh_log();
    lg->stop_at = 5;
    struct sim sim;
    sim_init(&sim, lg);
    sim_on(&sim, EV_RECORD, stopper);
    for (uint32_t i = 0; i < 10; i++)
        schedule_recorded(&sim, 1.0 + i, i);

    cr_assert_not(sim_run(&sim, 100));
    cr_assert_eq(lg->n, 5);
    cr_assert_eq(sim.events, 5);
    cr_assert_eq(sim_now(&sim), 5.0, "the clock is not moved to `until`");
    cr_assert_eq(sim.queue.len, 5);
    sim_fini(&sim);
}

/* A self-rescheduling event that raises the interrupt flag at event
 * raise_at; without the flag the run would take 10^6 events. */
static void flagger(struct sim *sim, void *ctx, uint32_t obj)
{
    struct log *lg = ctx;
    if (sim->events == lg->raise_at)
        lg->flag = 1;
    sim_schedule(sim, sim_now(sim) + 1, EV_FLAG, obj);
}

Test(engine, interrupt_flag_stops_the_loop)
{
    struct log *lg = fresh_log();
    lg->raise_at = 10;
    struct sim sim;
    sim_init(&sim, lg);
    sim.interrupt = &lg->flag;
    sim_on(&sim, EV_FLAG, flagger);
    sim_schedule(&sim, 0, EV_FLAG, 0);

    cr_assert_not(sim_run(&sim, 1e6));
    /* engine.h promises a poll "every few thousand events". */
    cr_assert_geq(sim.events, lg->raise_at);
    cr_assert_leq(sim.events, lg->raise_at + 65536,
                  "interrupt noticed only after %llu events",
                  (unsigned long long)sim.events);
    cr_assert_lt(sim_now(&sim), 1e6);
    sim_fini(&sim);
}

Test(engine, no_interrupt_runs_to_the_end)
{
    struct log *lg = fresh_log();
    lg->raise_at = UINT64_MAX;
    struct sim sim;
    sim_init(&sim, lg);
    sim.interrupt = &lg->flag;
    sim_on(&sim, EV_FLAG, flagger);
    sim_schedule(&sim, 0, EV_FLAG, 0);
    cr_assert(sim_run(&sim, 20000));
    cr_assert_eq(sim.events, 20001, "events at 0, 1, ..., 20000");
    cr_assert_eq(sim.queue.len, 1);
    sim_fini(&sim);
}

Test(engine, empty_run_moves_the_clock)
{
    struct sim sim;
    sim_init(&sim, NULL);
    cr_assert(sim_run(&sim, 3.5));
    cr_assert_eq(sim_now(&sim), 3.5);
    cr_assert_eq(sim.events, 0);
    cr_assert_not(sim_failed(&sim));
    sim_fini(&sim);
}
