/* SPDX-License-Identifier: MIT */
#include "experiment.h"

#include <assert.h>

struct task_ctx {
    const struct sim_experiment *x;
    double *results;
};

static int run_task(void *user, size_t task,
                    const volatile sig_atomic_t *interrupt, struct sim_err *err)
{
    const struct task_ctx *ctx = user;
    const struct sim_experiment *x = ctx->x;
    size_t point = task / x->reps;
    unsigned rep = (unsigned)(task % x->reps);
    return x->model->replicate(x->user, x->configs[point], point, rep,
                               ctx->results + task * x->model->n_metrics,
                               interrupt, err);
}

int sim_experiment_run(const struct sim_experiment *x, double *results,
                       bool *done, struct sim_err *err)
{
    assert(x->reps > 0 && x->model != NULL);
    struct task_ctx ctx = {x, results};
    return sim_runner_map(x->n_points * x->reps, run_task, &ctx, &x->run,
                          done, err);
}
