/*
 * runner.h - the experiment runner: independent tasks on N threads.
 *
 * A task is one replication of a model (or one replication at one point of
 * a sweep).  The runner calls a task function for every index in
 * [0, n_tasks) on `jobs` threads.  Tasks must be independent and write
 * their results into slots indexed by the task, never into shared state; the
 * caller then reads the slots in index order, so results are bit-identical
 * whatever the number of threads and whatever order the tasks ran in.
 *
 * Tasks are handed out in increasing index order, so when an interrupt
 * stops the run early the finished tasks are mostly a prefix; `done[i]`
 * (when the caller passes the array) tells exactly which ones finished.
 *
 * The runner knows nothing of the model: it sees an index and a status.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_RUNNER_H
#define SIM_RUNNER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* What a task returns when it saw the interrupt flag and stopped early: its
 * slot is unfinished, the runner marks it not done, and it is no error. */
#define SIM_TASK_INTERRUPTED (-1)

/* Runs task `task`; returns SIM_OK, SIM_TASK_INTERRUPTED, or an error code
 * (and fills err, which is private to this call).  `interrupt` is the run's
 * interrupt flag (may be NULL): long tasks poll it. */
typedef int (*sim_task_fn)(void *user, size_t task,
                           const volatile sig_atomic_t *interrupt,
                           struct sim_err *err);

/* Called after each finished task, serialised by the runner, from
 * whichever thread finished it. */
typedef void (*sim_progress_fn)(void *user, size_t done, size_t total);

struct sim_runner_opts {
    unsigned jobs;                          /* 0: one per online core */
    const volatile sig_atomic_t *interrupt; /* may be NULL */
    sim_progress_fn progress;               /* may be NULL */
    void *progress_user;
};

/* Runs all tasks.  Returns SIM_OK, or the error of the failing task with
 * the lowest index (copied into err); after a failure no new task starts.
 * When the interrupt flag rises no new task starts either, and the call
 * returns SIM_OK; `done` (may be NULL, else n_tasks entries) tells which
 * tasks finished.  SIM_ERR_RUNTIME if a thread cannot be created. */
int sim_runner_map(size_t n_tasks, sim_task_fn fn, void *user,
                   const struct sim_runner_opts *opts, bool *done,
                   struct sim_err *err);

/* The number of online cores, at least 1. */
unsigned sim_runner_default_jobs(void);

#endif
