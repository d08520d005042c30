/* SPDX-License-Identifier: MIT */
#include "runner.h"

#include <assert.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/mem.h"

/*
 * One mutex guards the hand-out counter, the failure record, done[] and
 * the progress count.  It is taken twice per task (to take an index and to
 * report the result), which is nothing next to a replication; holding it
 * across the progress callback serialises the callback and keeps its
 * counts increasing.
 */
struct run {
    pthread_mutex_t lock;
    size_t next;                /* next task to hand out */
    size_t n_tasks;
    size_t finished;            /* tasks that returned SIM_OK */
    bool stop;                  /* a task failed or a thread did not start */
    size_t failed;              /* lowest failing index, n_tasks if none */
    struct sim_err err;         /* its error */
    sim_task_fn fn;
    void *user;
    const struct sim_runner_opts *opts;
    bool *done;
};

/* Locking a default mutex fails only on a programming error (an
 * uninitialised mutex), hence asserts rather than an error path. */
static void hold(struct run *run)
{
    int rc = pthread_mutex_lock(&run->lock);
    assert(rc == 0);
    (void)rc;
}

static void release(struct run *run)
{
    int rc = pthread_mutex_unlock(&run->lock);
    assert(rc == 0);
    (void)rc;
}

static bool interrupted(const struct run *run)
{
    return run->opts->interrupt != NULL && *run->opts->interrupt;
}

/* The next task index, or n_tasks when nothing more may start. */
static size_t take(struct run *run)
{
    hold(run);
    size_t i = run->n_tasks;
    if (!run->stop && !interrupted(run) && run->next < run->n_tasks)
        i = run->next++;
    release(run);
    return i;
}

static void report(struct run *run, size_t i, int rc, struct sim_err *err)
{
    hold(run);
    if (rc == SIM_OK) {
        if (run->done != NULL)
            run->done[i] = true;
        run->finished++;
        if (run->opts->progress != NULL)
            run->opts->progress(run->opts->progress_user, run->finished,
                                run->n_tasks);
    } else if (rc != SIM_TASK_INTERRUPTED) {
        run->stop = true;
        if (i < run->failed) {
            run->failed = i;
            if (!sim_err_isset(err))
                sim_err_set(err, rc, "task %zu: failed with code %d", i, rc);
            run->err = *err;
        }
    }
    release(run);
}

static void *worker(void *arg)
{
    struct run *run = arg;
    struct sim_err err;
    for (size_t i; (i = take(run)) < run->n_tasks;) {
        sim_err_clear(&err);
        int rc = run->fn(run->user, i, run->opts->interrupt, &err);
        report(run, i, rc, &err);
    }
    return NULL;
}

/* Starts `count` threads; on failure stops the run, joins the ones started
 * and reports why. */
static int start_threads(struct run *run, pthread_t *threads, size_t count,
                         size_t *started, struct sim_err *err)
{
    for (*started = 0; *started < count; ++*started) {
        int rc = pthread_create(&threads[*started], NULL, worker, run);
        if (rc != 0) {
            hold(run);
            run->stop = true;
            release(run);
            return sim_err_set(err, SIM_ERR_RUNTIME,
                               "runner: cannot start worker thread %zu of "
                               "%zu: %s", *started + 1, count, strerror(rc));
        }
    }
    return SIM_OK;
}

int sim_runner_map(size_t n_tasks, sim_task_fn fn, void *user,
                   const struct sim_runner_opts *opts, bool *done,
                   struct sim_err *err)
{
    assert(fn != NULL);
    static const struct sim_runner_opts defaults = { 0 };
    if (opts == NULL)
        opts = &defaults;
    if (done != NULL)
        for (size_t i = 0; i < n_tasks; i++)
            done[i] = false;
    if (n_tasks == 0)
        return SIM_OK;

    size_t jobs = opts->jobs ? opts->jobs : sim_runner_default_jobs();
    if (jobs > n_tasks)
        jobs = n_tasks;

    struct run run = {
        .n_tasks = n_tasks, .failed = n_tasks,
        .fn = fn, .user = user, .opts = opts, .done = done,
    };
    sim_err_clear(&run.err);
    int rc = pthread_mutex_init(&run.lock, NULL);
    if (rc != 0)
        return sim_err_set(err, SIM_ERR_RUNTIME, "runner: mutex: %s",
                           strerror(rc));

    /* The calling thread is one of the workers: jobs == 1 creates none. */
    struct sim_err start_err;
    sim_err_clear(&start_err);
    size_t started = 0;
    pthread_t *threads = NULL;
    if (jobs > 1) {
        threads = sim_reallocarray(NULL, jobs - 1, sizeof *threads);
        start_threads(&run, threads, jobs - 1, &started, &start_err);
    }
    if (!sim_err_isset(&start_err))
        worker(&run);
    for (size_t t = 0; t < started; t++) {
        rc = pthread_join(threads[t], NULL);
        /* Only a programming error (a bad or already joined id) fails. */
        assert(rc == 0);
    }
    free(threads);
    pthread_mutex_destroy(&run.lock);

    /* A task's own error says more than a thread that failed to start. */
    if (run.failed < n_tasks) {
        if (err != NULL && !sim_err_isset(err))
            *err = run.err;
        return run.err.code;
    }
    if (sim_err_isset(&start_err)) {
        if (err != NULL && !sim_err_isset(err))
            *err = start_err;
        return start_err.code;
    }
    return SIM_OK;
}

unsigned sim_runner_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    if ((unsigned long)n > UINT_MAX)
        return UINT_MAX;
    return (unsigned)n;
}
