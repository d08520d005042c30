/*
 * test_runner.c - the thread-pool runner: every task exactly once whatever
 * the number of jobs, identical results, the lowest-index error, done[],
 * the interrupt flag, serialised progress.
 *
 * Tasks and the progress callback run on worker threads, where a failed
 * Criterion assertion cannot stop the test cleanly; they record what they
 * see and the test asserts on it afterwards.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>

#include "sim/rng.h"
#include "sim/runner.h"

#define MAX_TASKS 200

struct job {
    size_t n;
    atomic_int runs[MAX_TASKS];     /* times task i ran */
    double result[MAX_TASKS];
    pthread_t thread[MAX_TASKS];    /* who ran task i */
    int fail[MAX_TASKS];            /* the code task i returns, 0: OK */
    long sleep_us[MAX_TASKS];
    size_t raise_at;                /* task that raises the flag */
    volatile sig_atomic_t flag;
    /* progress */
    size_t calls;
    size_t seen_done[MAX_TASKS + 1];
    size_t seen_total[MAX_TASKS + 1];
    atomic_int inside;              /* callers inside the callback now */
    atomic_int overlaps;            /* times two were inside at once */
};

static struct job *job_new(size_t n, long sleep_us)
{
    cr_assert_leq(n, MAX_TASKS);
    struct job *j = calloc(1, sizeof *j);
    cr_assert_not_null(j);
    j->n = n;
    j->raise_at = SIZE_MAX;
    for (size_t i = 0; i < MAX_TASKS; i++) {
        atomic_init(&j->runs[i], 0);
        j->sleep_us[i] = sleep_us;
    }
    atomic_init(&j->inside, 0);
    atomic_init(&j->overlaps, 0);
    return j;
}

static void pause_us(long us)
{
    struct timespec ts = { .tv_sec = us / 1000000,
                           .tv_nsec = (us % 1000000) * 1000 };
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* A replication in miniature: a sum of draws from the task's own stream,
 * so that results are a pure function of the index. */
static int task(void *user, size_t i, const volatile sig_atomic_t *interrupt,
                struct sim_err *err)
{
    (void)interrupt;
    struct job *j = user;
    atomic_fetch_add(&j->runs[i], 1);
    j->thread[i] = pthread_self();
    if (j->sleep_us[i] > 0)
        pause_us(j->sleep_us[i]);
    gsl_rng *r = sim_rng_alloc(42, i, 0);
    if (r == NULL)
        return sim_err_set(err, SIM_ERR_RUNTIME, "task %zu: no memory", i);
    double sum = 0;
    for (int k = 0; k < 1000; k++)
        sum += gsl_rng_uniform(r);
    gsl_rng_free(r);
    j->result[i] = sum;
    if (i == j->raise_at)
        j->flag = 1;
    if (j->fail[i] == SIM_TASK_INTERRUPTED)
        return SIM_TASK_INTERRUPTED;
    if (j->fail[i] != 0)
        return sim_err_set(err, j->fail[i], "task %zu: failed on purpose", i);
    return SIM_OK;
}

static void progress(void *user, size_t done, size_t total)
{
    struct job *j = user;
    if (atomic_fetch_add(&j->inside, 1) != 0)
        atomic_fetch_add(&j->overlaps, 1);
    if (j->calls <= MAX_TASKS) {
        j->seen_done[j->calls] = done;
        j->seen_total[j->calls] = total;
    }
    j->calls++;
    pause_us(50);           /* widen the window for an overlap */
    atomic_fetch_sub(&j->inside, 1);
}

static int run(struct job *j, unsigned jobs, bool *done, struct sim_err *err)
{
    struct sim_runner_opts opts = {
        .jobs = jobs, .interrupt = &j->flag,
        .progress = progress, .progress_user = j,
    };
    sim_err_clear(err);
    return sim_runner_map(j->n, task, j, &opts, done, err);
}

static size_t distinct_threads(const struct job *j)
{
    size_t count = 0;
    for (size_t i = 0; i < j->n; i++) {
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = atomic_load(&j->runs[k]) && pthread_equal(j->thread[k],
                                                             j->thread[i]);
        count += !seen && atomic_load(&j->runs[i]);
    }
    return count;
}

static size_t started(struct job *j)
{
    size_t count = 0;
    for (size_t i = 0; i < j->n; i++)
        count += atomic_load(&j->runs[i]) > 0;
    return count;
}

/* Every task runs exactly once and the results are bit-identical for 1,
 * 2 and 7 jobs and for more jobs than tasks. */
Test(runner, every_task_once_and_results_identical)
{
    const size_t n = 50;
    struct job *base = job_new(n, 0);
    bool done[MAX_TASKS];
    struct sim_err err;
    cr_assert_eq(run(base, 1, done, &err), SIM_OK);

    const unsigned jobs[] = { 1, 2, 7 };
    for (size_t k = 0; k < 3; k++) {
        struct job *j = job_new(n, 1000);
        cr_assert_eq(run(j, jobs[k], done, &err), SIM_OK, "%s", err.msg);
        for (size_t i = 0; i < n; i++) {
            cr_assert_eq(atomic_load(&j->runs[i]), 1, "jobs %u task %zu",
                         jobs[k], i);
            cr_assert(done[i]);
        }
        cr_assert_eq(memcmp(j->result, base->result, n * sizeof *j->result),
                     0, "jobs %u changed the results", jobs[k]);
        size_t threads = distinct_threads(j);
        cr_assert_leq(threads, jobs[k]);
        if (jobs[k] == 1)
            for (size_t i = 0; i < n; i++)
                cr_assert(pthread_equal(j->thread[i], pthread_self()),
                          "jobs 1 runs on the calling thread");
        else
            cr_assert_geq(threads, 2, "jobs %u used one thread", jobs[k]);
        free(j);
    }
    free(base);
}

Test(runner, more_jobs_than_tasks)
{
    struct job *j = job_new(3, 5000);
    bool done[3];
    struct sim_err err;
    cr_assert_eq(run(j, 16, done, &err), SIM_OK);
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(atomic_load(&j->runs[i]), 1);
        cr_assert(done[i]);
    }
    cr_assert_leq(distinct_threads(j), 3);
    free(j);
}

Test(runner, default_jobs_and_empty_runs)
{
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned d = sim_runner_default_jobs();
    cr_assert_geq(d, 1);
    if (online > 0)
        cr_assert_eq(d, (unsigned)online);

    struct job *j = job_new(40, 0);
    bool done[40];
    struct sim_err err;
    cr_assert_eq(run(j, 0, done, &err), SIM_OK, "jobs 0: one per core");
    for (size_t i = 0; i < 40; i++)
        cr_assert_eq(atomic_load(&j->runs[i]), 1);
    free(j);

    j = job_new(0, 0);
    cr_assert_eq(run(j, 4, NULL, &err), SIM_OK);
    cr_assert_eq(j->calls, 0);
    cr_assert_not(sim_err_isset(&err));
    /* No options and no done[] at all. */
    j->n = 5;
    cr_assert_eq(sim_runner_map(5, task, j, NULL, NULL, &err), SIM_OK);
    cr_assert_eq(started(j), 5);
    free(j);
}

/* Task 5 fails late, task 9 fails early: the lowest index is reported,
 * whatever the order in which they failed, and no new task starts after a
 * failure. */
Test(runner, lowest_index_error_wins)
{
    struct job *j = job_new(MAX_TASKS, 2000);
    j->fail[5] = SIM_ERR_INPUT;
    j->sleep_us[5] = 200000;
    j->fail[9] = SIM_ERR_RUNTIME;
    j->sleep_us[9] = 0;
    bool done[MAX_TASKS];
    struct sim_err err;
    int rc = run(j, 4, done, &err);
    cr_assert_eq(rc, SIM_ERR_INPUT);
    cr_assert_eq(err.code, SIM_ERR_INPUT);
    cr_assert_not_null(strstr(err.msg, "task 5:"), "got \"%s\"", err.msg);
    size_t ok = 0;
    for (size_t i = 0; i < j->n; i++) {
        int runs = atomic_load(&j->runs[i]);
        cr_assert_leq(runs, 1);
        cr_assert_eq(done[i], runs == 1 && j->fail[i] == 0, "task %zu", i);
        ok += done[i];
        if (i <= 9)
            cr_assert_eq(runs, 1, "every task up to the failure started");
    }
    cr_assert_eq(j->calls, ok, "progress counts only finished tasks");
    /* 2 ms tasks on 4 threads: a handful start while 9 fails, not half. */
    cr_assert_lt(started(j), j->n / 2, "%zu tasks started", started(j));
    free(j);
}

/* On one job the order is fixed, so the stop is exact. */
Test(runner, failure_stops_exactly_on_one_job)
{
    struct job *j = job_new(20, 0);
    j->fail[5] = SIM_ERR_RUNTIME;
    j->fail[9] = SIM_ERR_INPUT;
    bool done[20];
    struct sim_err err;
    cr_assert_eq(run(j, 1, done, &err), SIM_ERR_RUNTIME);
    cr_assert_not_null(strstr(err.msg, "task 5:"));
    for (size_t i = 0; i < 20; i++) {
        cr_assert_eq(atomic_load(&j->runs[i]), i <= 5, "task %zu", i);
        cr_assert_eq(done[i], i < 5, "task %zu", i);
    }
    free(j);
}

/* A task that returns an error without filling err still gets a message
 * naming it. */
static int silent_failure(void *user, size_t i,
                          const volatile sig_atomic_t *interrupt,
                          struct sim_err *err)
{
    (void)user, (void)interrupt, (void)err;
    return i == 3 ? SIM_ERR_RUNTIME : SIM_OK;
}

Test(runner, error_without_message_is_named)
{
    struct sim_err err;
    sim_err_clear(&err);
    struct sim_runner_opts opts = { .jobs = 2 };
    cr_assert_eq(sim_runner_map(10, silent_failure, NULL, &opts, NULL, &err),
                 SIM_ERR_RUNTIME);
    cr_assert_eq(err.code, SIM_ERR_RUNTIME);
    cr_assert_not_null(strstr(err.msg, "task 3"), "got \"%s\"", err.msg);
}

/* The flag rises during task 3: tasks 0-3 finish, no later one starts,
 * and the run is not an error. */
Test(runner, interrupt_stops_new_tasks)
{
    struct job *j = job_new(20, 0);
    j->raise_at = 3;
    bool done[20];
    struct sim_err err;
    cr_assert_eq(run(j, 1, done, &err), SIM_OK);
    cr_assert_not(sim_err_isset(&err));
    for (size_t i = 0; i < 20; i++) {
        cr_assert_eq(atomic_load(&j->runs[i]), i <= 3, "task %zu", i);
        cr_assert_eq(done[i], i <= 3);
    }
    free(j);

    /* With 4 jobs the tasks already handed out finish: everything up to
     * the raising task is done, and far from everything started. */
    j = job_new(MAX_TASKS, 2000);
    j->raise_at = 10;
    bool many[MAX_TASKS];
    cr_assert_eq(run(j, 4, many, &err), SIM_OK);
    for (size_t i = 0; i < j->n; i++) {
        cr_assert_eq(many[i], atomic_load(&j->runs[i]) == 1);
        if (i <= 10)
            cr_assert(many[i], "task %zu", i);
    }
    cr_assert_lt(started(j), j->n / 2);
    free(j);
}

/* A task that stopped on the interrupt is not done and not an error. */
Test(runner, interrupted_task_is_not_done)
{
    struct job *j = job_new(12, 0);
    j->fail[4] = SIM_TASK_INTERRUPTED;
    j->fail[7] = SIM_TASK_INTERRUPTED;
    bool done[12];
    struct sim_err err;
    cr_assert_eq(run(j, 2, done, &err), SIM_OK);
    cr_assert_not(sim_err_isset(&err));
    for (size_t i = 0; i < 12; i++)
        if (i == 4 || i == 7)
            cr_assert_not(done[i]);
        else if (atomic_load(&j->runs[i]))
            cr_assert(done[i]);
    free(j);
}

/* n calls with counts 1..n in order, the total each time, never two at
 * once. */
Test(runner, progress_serialised_and_increasing)
{
    const unsigned jobs[] = { 1, 3, 7 };
    for (size_t k = 0; k < 3; k++) {
        struct job *j = job_new(60, 300);
        bool done[60];
        struct sim_err err;
        cr_assert_eq(run(j, jobs[k], done, &err), SIM_OK);
        cr_assert_eq(j->calls, 60);
        for (size_t c = 0; c < 60; c++) {
            cr_assert_eq(j->seen_done[c], c + 1, "jobs %u call %zu", jobs[k],
                         c);
            cr_assert_eq(j->seen_total[c], 60);
        }
        cr_assert_eq(atomic_load(&j->overlaps), 0,
                     "progress ran concurrently with itself");
        free(j);
    }
}
