/* SPDX-License-Identifier: MIT */
#include "engine.h"

#include <assert.h>
#include <string.h>

/* How many events run between two looks at the interrupt flag: rare enough
 * to cost nothing, frequent enough to answer Ctrl-C within milliseconds. */
#define POLL_EVERY 4096u

void sim_init(struct sim *sim, void *ctx)
{
    memset(sim, 0, sizeof *sim);
    sim_queue_init(&sim->queue);
    sim->ctx = ctx;
}

void sim_fini(struct sim *sim)
{
    sim_queue_fini(&sim->queue);
}

void sim_on(struct sim *sim, unsigned type, sim_handler_fn fn)
{
    assert(type < SIM_MAX_TYPES);
    sim->handlers[type] = fn;
}

void sim_keyed(struct sim *sim, unsigned type)
{
    sim_queue_key(&sim->queue, type);
}

void sim_fifo(struct sim *sim, unsigned type)
{
    sim_queue_fifo(&sim->queue, type);
}

void sim_schedule(struct sim *sim, double t, unsigned type, uint32_t obj)
{
    assert(type < SIM_MAX_TYPES && sim->handlers[type] != NULL);
    assert(obj <= SIM_MAX_OBJ);
    assert(t >= sim->now);
    if (sim->seq > SIM_MAX_SEQ) {
        sim->failed = true;
        return;
    }
    struct sim_event ev = {
        .time = t,
        .key = sim->seq++ << SIM_SEQ_SHIFT | (uint64_t)type << SIM_OBJ_BITS | obj,
    };
    if (!sim_queue_push(&sim->queue, &ev))
        sim->failed = true;
}

bool sim_cancel(struct sim *sim, unsigned type, uint32_t obj)
{
    return sim_queue_remove(&sim->queue, type, obj);
}

void sim_stop(struct sim *sim)
{
    sim->stopped = true;
}

bool sim_run(struct sim *sim, double until)
{
    struct sim_event ev;
    unsigned poll = POLL_EVERY;
    sim->stopped = false;
    while (!sim->failed && !sim->stopped) {
        const struct sim_event *top = sim_queue_peek(&sim->queue);
        if (top == NULL || top->time > until)
            break;
        sim_queue_pop(&sim->queue, &ev);
        sim->now = ev.time;
        sim->events++;
        sim->handlers[sim_event_type(&ev)](sim, sim->ctx, sim_event_obj(&ev));
        if (--poll == 0) {
            poll = POLL_EVERY;
            if (sim->interrupt != NULL && *sim->interrupt)
                return false;
        }
    }
    if (sim->failed || sim->stopped)
        return false;
    if (until > sim->now)
        sim->now = until;
    return true;
}
