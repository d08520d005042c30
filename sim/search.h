/*
 * search.h - where a noisy monotone response meets a target.
 *
 * The engine's side of sizing questions ("how many managers keep the junk
 * rate at or under 10%?", "how many leads a week can the team take?"): a
 * response r(x) of one parameter x is estimated by simulation, as a mean
 * with a confidence interval, and the search finds the boundary of the
 * feasible set {x : mean r(x) <= target} within the bounds [lo, hi].  The
 * module knows nothing of what x or r mean: a callback evaluates r at x.
 *
 * Direction.  r is assumed monotone over [lo, hi]; the search evaluates
 * both bounds first and reads the direction from them.  When r falls as x
 * rises (more managers, less junk) the feasible set is [x*, hi] and the
 * answer is its smallest member x*; when r rises with x (more inflow, more
 * junk) it is [lo, x*] and the answer is its largest member.  When both
 * bounds are feasible the answer is the bound on the feasible side and
 * may extend beyond it (SIM_SEARCH_AT_BOUND); when neither is, there is no
 * answer within the bounds (SIM_SEARCH_UNREACHABLE).
 *
 * Integer parameters (a head count) are searched by bisection on whole
 * numbers: the answer is a feasible whole number next to an infeasible one,
 * both evaluated.  Continuous ones by GSL's Brent root bracketing on
 * mean r(x) - target, until the bracket is narrower than x_tol; Brent
 * always keeps a bracket with a feasible and an infeasible evaluated end,
 * so noise can slow it but never lose the crossing.  Each evaluation costs
 * one simulation of every replication: about log2((hi - lo) / x_tol)
 * evaluations for the answer, and a few more for its interval.
 *
 * The answer interval states the uncertainty the noise leaves: the values
 * of x at which the target lies inside the 95% interval of r, i.e. from
 * where the interval's upper bound meets the target to where its lower
 * bound does (the same search, run on those two curves, starting from the
 * runs already made).  A narrow interval means more replications would not
 * move the answer.
 *
 * Evaluations are cached by x: no value is simulated twice, and every run
 * is reported (evals[], in the order made) so that a caller can show the
 * runs that support the answer.
 *
 * Ownership: sim_search_run() allocates result->evals; the caller frees it
 * with sim_search_result_free(), also after an error (the runs made so far
 * stay readable).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_SEARCH_H
#define SIM_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/err.h"

/* One evaluation of the response. */
struct sim_search_eval {
    double x;
    double mean;            /* the estimate of r(x); must be finite */
    double lo, hi;          /* its confidence interval; NaN when unknown
                               (one replication): taken as the mean */
};

/* Evaluates r at x: fills out->mean, out->lo, out->hi (x is already set).
 * Returns SIM_OK, SIM_TASK_INTERRUPTED (sim/runner.h: the search stops and
 * returns it) or an error code with err set. */
typedef int (*sim_search_fn)(void *user, double x, struct sim_search_eval *out,
                             struct sim_err *err);

enum sim_search_status {
    SIM_SEARCH_FOUND,       /* the crossing lies within the bounds */
    SIM_SEARCH_AT_BOUND,    /* target met at both bounds: the answer is the
                               bound on the feasible side, and the true one
                               may lie beyond it */
    SIM_SEARCH_UNREACHABLE  /* target met at neither bound: no answer */
};

enum sim_search_dir {
    SIM_SEARCH_DECREASING = -1,     /* r falls as x rises */
    SIM_SEARCH_FLAT = 0,            /* equal at both bounds */
    SIM_SEARCH_INCREASING = 1
};

struct sim_search_opts {
    double lo, hi;          /* bounds, lo < hi; whole numbers if integer */
    double target;          /* feasible: mean r(x) <= target */
    bool integer;           /* search whole numbers only */
    double x_tol;           /* continuous: bracket width to stop at;
                               0: (hi - lo) / 1000 */
    unsigned max_iter;      /* continuous: evaluations per root finding;
                               0: 60; at most SIM_SEARCH_MAX_ITER (it
                               sizes the record of runs) */
};

#define SIM_SEARCH_MAX_ITER 1000

struct sim_search_result {
    enum sim_search_status status;
    /* Read from the bounds.  With equal means at both bounds (FLAT) an
     * integer search takes the smallest feasible value and a continuous
     * one the largest, as for a falling and a rising response. */
    enum sim_search_dir direction;
    double answer;                  /* NaN when unreachable */
    struct sim_search_eval at;      /* the run at the answer (NaN fields
                                       when unreachable) */
    double bracket[2];              /* the evaluated values either side of
                                       the crossing, increasing; NaN for a
                                       side that does not exist (a bound) */
    double interval[2];             /* the answer interval, increasing; NaN
                                       when unreachable */
    bool converged;                 /* continuous: the bracket reached x_tol
                                       within max_iter; integer: true */
    size_t n_evals;
    struct sim_search_eval *evals;  /* every run, in the order made */
};

/* Runs the search.  SIM_OK with *res filled, SIM_ERR_INPUT for bad bounds,
 * SIM_ERR_RUNTIME when a GSL call fails, or whatever the
 * callback returned (including SIM_TASK_INTERRUPTED); res->evals holds the
 * runs made in every case. */
int sim_search_run(const struct sim_search_opts *opts, sim_search_fn fn,
                   void *user, struct sim_search_result *res,
                   struct sim_err *err);

void sim_search_result_free(struct sim_search_result *res);

/* The run at x among res->evals, or NULL. */
const struct sim_search_eval *sim_search_find(const struct sim_search_result *res,
                                              double x);

#endif
