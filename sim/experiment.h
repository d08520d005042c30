/*
 * experiment.h - replications of a model at one or more points, in parallel.
 *
 * The engine's side of an experiment: a model is anything that can run
 * replication `rep` of configuration `config` and fill `n_metrics` doubles.
 * An experiment is a list of configurations (the points of a sweep, or a
 * single point for a plain run) times a number of replications; every
 * (point, replication) pair is one runner task, so a sweep keeps all cores
 * busy even when each point has few replications.
 *
 * Replication r uses the same random streams at every point (the model
 * seeds them from its seed and r alone): the points share common random
 * numbers, so differences between points are not drowned in noise.
 *
 * Results are laid out point-major: results[(p * reps + r) * n_metrics + i].
 * The experiment knows nothing of what the metrics mean.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_EXPERIMENT_H
#define SIM_EXPERIMENT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "sim/err.h"
#include "sim/runner.h"

/* Runs replication `rep` of `config` (point `point` of the experiment);
 * returns SIM_OK, SIM_TASK_INTERRUPTED or an error code. */
typedef int (*sim_replicate_fn)(void *user, const void *config, size_t point,
                                unsigned rep, double *metrics,
                                const volatile sig_atomic_t *interrupt,
                                struct sim_err *err);

struct sim_model {
    const char *name;
    size_t n_metrics;
    sim_replicate_fn replicate;
};

struct sim_experiment {
    const struct sim_model *model;
    void *user;                     /* passed to replicate; may be NULL */
    const void *const *configs;     /* one per point */
    size_t n_points;
    unsigned reps;
    struct sim_runner_opts run;     /* jobs, interrupt, progress */
};

/* Runs every (point, replication).  `results` holds n_points * reps *
 * n_metrics doubles; `done` (may be NULL) n_points * reps flags.  Returns
 * what sim_runner_map() returns. */
int sim_experiment_run(const struct sim_experiment *x, double *results,
                       bool *done, struct sim_err *err);

#endif
