/*
 * funnel.h - one replication of the sales funnel.
 *
 * funnel_replicate() runs the scenario once, with the random streams of
 * replication `rep` (sim/rng.h), from time 0 to the horizon, and fills the
 * metrics of metric.h.  It is a pure function of (scenario, rep): runs are
 * reproducible and replications can run on any thread in any order.  All
 * of its memory is its own and freed before it returns.
 *
 * The model (docs/model.md): channels create leads;
 * pre-qualification filters and diverts some; the rest are handed to
 * sales (unless the handoff cap holds them back), routed to a queue, and
 * worked by managers in attempts until reached or given up; a reached lead
 * is judged in the order theorist -> bad fit -> still interested ->
 * judged correctly, and a survivor is qualified and may win a deal.  See
 * docs/model.md for every rule and its formula; funnel.c is laid out in
 * the same order.
 *
 * What is measured: the warm-up is simulated, not measured; the metrics
 * cover the measured period and the measured leads (metric.h).  Recording
 * a series changes no result.  The closed-form counterparts of the
 * simulation (inflow, handed rate, capacity) are in funnel_nominal.h.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_FUNNEL_H
#define MODELS_FUNNEL_H

#include <signal.h>
#include <stdint.h>

#include "models/breakdown.h"
#include "models/leadlog.h"
#include "models/funnel_nominal.h"   /* the closed-form figures, for callers */
#include "models/metric.h"
#include "models/scenario.h"
#include "models/tally.h"
#include "sim/err.h"
#include "sim/experiment.h"
#include "sim/queue.h"

/* Default for funnel_opts.max_leads: leads in the system at once.  Each
 * costs 40 to 70 bytes (docs/performance.md) and every thread runs its own
 * replication, so the default bounds a replication near 150 MB and a
 * 16-core run near 2.5 GB.  No real funnel has two million leads waiting;
 * a what-if that does is stopped with a message.  No limit may exceed
 * FUNNEL_MAX_LEADS: a lead's index must fit in an event (sim/queue.h). */
#define FUNNEL_DEFAULT_MAX_LEADS_N 2000000     /* plain, for messages */
#define FUNNEL_MAX_LEADS_N 16777216
#define FUNNEL_DEFAULT_MAX_LEADS ((uint32_t)FUNNEL_DEFAULT_MAX_LEADS_N)
#define FUNNEL_MAX_LEADS ((uint32_t)FUNNEL_MAX_LEADS_N)
_Static_assert(FUNNEL_MAX_LEADS_N == SIM_MAX_OBJ + 1, "a lead index fits an event");

/* struct funnel_series, the optional time series of one replication, is
 * in tally.h, which fills it; the caller allocates its arrays
 * (funnel_series_days/weeks entries). */
unsigned funnel_series_days(const struct scenario *scn);
unsigned funnel_series_weeks(const struct scenario *scn);

struct funnel_opts {
    uint32_t max_leads;     /* 0: FUNNEL_DEFAULT_MAX_LEADS */
    const volatile sig_atomic_t *interrupt;  /* may be NULL */
    struct funnel_series *series;            /* may be NULL */
    struct breakdown *breakdown;             /* may be NULL: by channel and
                                                group (breakdown.h), filled
                                                when the run finishes */
    const struct leadlog_sink *leads;        /* may be NULL: the lead log
                                                (leadlog.h) */
};

/* Runs replication `rep`.  Returns SIM_OK, SIM_TASK_INTERRUPTED (see
 * sim/runner.h) or SIM_ERR_RUNTIME (out of memory, or more than max_leads
 * leads in the system: err says which). */
int funnel_replicate(const struct scenario *scn, unsigned rep,
                     const struct funnel_opts *opts,
                     double metrics[METRIC_COUNT], struct sim_err *err);

/* The funnel as a model of the experiment runner (sim/experiment.h): a
 * configuration is a `const struct scenario *`, the user pointer a
 * `struct funnel_batch *` or NULL. */
extern const struct sim_model funnel_model;

struct funnel_batch {
    uint32_t max_leads;             /* 0: the default */
    struct funnel_series *series;   /* NULL, or one per replication
                                       (point-major, as the results) */
    struct breakdown *breakdown;    /* NULL, or one per replication (idem) */
    const struct leadlog_sink *leads; /* NULL, or the lead log's (leadlog.h) */
};

#endif
