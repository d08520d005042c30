/*
 * test_search.c - the generic search (sim/search.h) on synthetic noisy
 * monotone responses whose answer is known by formula.
 *
 * A synthetic response is a formula f(x) plus noise: the mean of N normal
 * draws, with its Student-t interval from sim/stats.h, as a simulation
 * would report it.  With common random numbers (the same draws at every x,
 * as the funnel's streams give a sweep) the noise is one constant offset c
 * and the response stays exactly monotone, so the answer and its interval
 * follow from the formula: the mean crosses the target where f(x) = t - c,
 * the interval's bounds where f(x) = t - c -/+ h (h the half-width).  With
 * independent draws at each x the response is no longer monotone and the
 * tests check the weaker promises: a feasible answer next to an evaluated
 * infeasible value, close to the true one.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>

#include "sim/rng.h"
#include "sim/runner.h"
#include "sim/search.h"
#include "sim/stats.h"

#define DRAWS 20
#define MAX_CALLS 400

struct synth {
    double (*f)(double x);
    double sigma;               /* sd of one draw; 0: exact, no interval */
    bool common;                /* the same draws at every x */
    unsigned long seed;
    /* what the search asked for */
    size_t calls;
    double called[MAX_CALLS];
    /* failure injection */
    double fail_at;             /* x at which to fail, NaN: never */
    int fail_rc;
};

static void setup(void)
{
    gsl_set_error_handler_off();
}

static struct synth synth_new(double (*f)(double), double sigma, bool common)
{
    struct synth s = {.f = f, .sigma = sigma, .common = common, .seed = 7,
                      .fail_at = NAN};
    return s;
}

/* The draws' stream: fixed for common random numbers, else one per x
 * (from the bits of x, so a value gives the same noise whenever asked). */
static uint64_t stream_of(const struct synth *s, double x)
{
    if (s->common)
        return 0;
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    return bits;
}

static int respond(void *user, double x, struct sim_search_eval *out,
                   struct sim_err *err)
{
    struct synth *s = user;
    cr_assert_lt(s->calls, MAX_CALLS);
    s->called[s->calls++] = x;
    if (x == s->fail_at)
        return s->fail_rc == SIM_TASK_INTERRUPTED
                   ? SIM_TASK_INTERRUPTED
                   : sim_err_set(err, s->fail_rc, "synth: at %g: failed on purpose", x);
    if (s->sigma == 0) {
        out->mean = s->f(x);
        return SIM_OK;
    }
    gsl_rng *r = sim_rng_alloc(s->seed, 0, stream_of(s, x));
    cr_assert_not_null(r);
    double v[DRAWS];
    for (int i = 0; i < DRAWS; i++)
        v[i] = s->f(x) + gsl_ran_gaussian(r, s->sigma);
    gsl_rng_free(r);
    struct sim_ci ci;
    sim_stats_ci(v, 1, DRAWS, 0.95, &ci);
    out->mean = ci.mean;
    out->lo = ci.lo;
    out->hi = ci.hi;
    return SIM_OK;
}

/* The common noise's offset c and half-width h, as respond() draws them. */
static void common_noise(const struct synth *s, double *c, double *h)
{
    gsl_rng *r = sim_rng_alloc(s->seed, 0, 0);
    cr_assert_not_null(r);
    double v[DRAWS];
    for (int i = 0; i < DRAWS; i++)
        v[i] = gsl_ran_gaussian(r, s->sigma);
    gsl_rng_free(r);
    struct sim_ci ci;
    sim_stats_ci(v, 1, DRAWS, 0.95, &ci);
    *c = ci.mean;
    *h = ci.hi - ci.mean;
}

/* Every evaluation was asked for once, and is the one reported. */
static void assert_no_repeats(const struct synth *s, const struct sim_search_result *res)
{
    cr_assert_eq(s->calls, res->n_evals, "%zu calls for %zu evaluations", s->calls,
                 res->n_evals);
    for (size_t i = 0; i < s->calls; i++) {
        cr_assert_eq(res->evals[i].x, s->called[i]);
        for (size_t j = 0; j < i; j++)
            cr_assert_neq(s->called[i], s->called[j], "x = %g evaluated twice", s->called[i]);
    }
}

static double junk_like(double k) { return 0.45 / k; }
static double square(double x) { return (x / 100.0) * (x / 100.0); }
static double inverse(double x) { return 1.0 / x; }
static double flat(double x) { (void)x; return 0.05; }

/* A head count: 0.45 / k falls through 0.1 between 4 (0.1125) and 5
 * (0.09), five standard errors either side. */
Test(search, integer_decreasing_finds_smallest_feasible, .init = setup)
{
    struct synth s = synth_new(junk_like, 0.01, false);
    struct sim_search_opts o = {.lo = 1, .hi = 20, .target = 0.1, .integer = true};
    struct sim_search_result res;
    struct sim_err err = {0};
    cr_assert_eq(sim_search_run(&o, respond, &s, &res, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(res.status, SIM_SEARCH_FOUND);
    cr_assert_eq(res.direction, SIM_SEARCH_DECREASING);
    cr_assert_eq(res.answer, 5);
    cr_assert_eq(res.bracket[0], 4);
    cr_assert_eq(res.bracket[1], 5);
    cr_assert_leq(res.at.mean, 0.1);
    const struct sim_search_eval *below = sim_search_find(&res, 4);
    cr_assert_not_null(below);
    cr_assert_gt(below->mean, 0.1);
    /* The neighbours are five standard errors from the target: the
     * interval is the answer alone. */
    cr_assert_eq(res.interval[0], 5);
    cr_assert_eq(res.interval[1], 5);
    /* Bounds, then bisection of [1, 20]: at most 2 + ceil(log2 19). */
    cr_assert_leq(res.n_evals, 7, "%zu evaluations", res.n_evals);
    assert_no_repeats(&s, &res);
    sim_search_result_free(&res);
}

/* With common random numbers the response is (x/100)^2 + c exactly
 * monotone: the answer is 100 sqrt(t - c) and the interval's ends are
 * 100 sqrt(t - c -/+ h), all to within the tolerance. */
Test(search, continuous_increasing_matches_formula, .init = setup)
{
    struct synth s = synth_new(square, 0.02, true);
    double c, h, t = 0.25, tol = 0.01;
    common_noise(&s, &c, &h);
    struct sim_search_opts o = {.lo = 0, .hi = 200, .target = t, .x_tol = tol};
    struct sim_search_result res;
    struct sim_err err = {0};
    cr_assert_eq(sim_search_run(&o, respond, &s, &res, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(res.status, SIM_SEARCH_FOUND);
    cr_assert_eq(res.direction, SIM_SEARCH_INCREASING);
    cr_assert(res.converged);
    double want = 100.0 * sqrt(t - c);
    cr_assert_leq(fabs(res.answer - want), tol, "answer %.6f, formula %.6f", res.answer, want);
    /* The largest feasible value: the answer is the lower end of the
     * bracket, feasible; the upper end is not. */
    cr_assert_eq(res.bracket[0], res.answer);
    cr_assert_lt(res.bracket[1] - res.bracket[0], tol);
    cr_assert_leq(res.at.mean, t);
    cr_assert_gt(sim_search_find(&res, res.bracket[1])->mean, t);
    double want_lo = 100.0 * sqrt(t - c - h), want_hi = 100.0 * sqrt(t - c + h);
    cr_assert_leq(fabs(res.interval[0] - want_lo), tol, "interval from %.6f, formula %.6f",
                  res.interval[0], want_lo);
    cr_assert_leq(fabs(res.interval[1] - want_hi), tol, "interval to %.6f, formula %.6f",
                  res.interval[1], want_hi);
    /* Brent: far fewer runs than bisection's 3 x log2(200 / 0.01). */
    cr_assert_leq(res.n_evals, 30, "%zu evaluations", res.n_evals);
    assert_no_repeats(&s, &res);
    sim_search_result_free(&res);
}

/* Independent noise at every x: not monotone at fine scale.  The search
 * still ends on a feasible run next to an infeasible one, near the true
 * root 50 (the noise moves a crossing by about sd / slope = 0.45). */
Test(search, continuous_independent_noise_stays_bracketed, .init = setup)
{
    struct synth s = synth_new(square, 0.02, false);
    struct sim_search_opts o = {.lo = 0, .hi = 200, .target = 0.25, .x_tol = 0.01};
    struct sim_search_result res;
    struct sim_err err = {0};
    cr_assert_eq(sim_search_run(&o, respond, &s, &res, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(res.status, SIM_SEARCH_FOUND);
    cr_assert_leq(fabs(res.answer - 50.0), 2.5, "answer %.4f", res.answer);
    cr_assert_leq(res.at.mean, 0.25);
    cr_assert_gt(sim_search_find(&res, res.bracket[1])->mean, 0.25);
    cr_assert_leq(res.interval[0], res.answer);
    cr_assert_geq(res.interval[1], res.answer);
    cr_assert_leq(res.interval[1] - res.interval[0], 10.0);
    assert_no_repeats(&s, &res);
    sim_search_result_free(&res);
}

/* 1/x on [1, 100] falls through 0.1 at x = 10: the answer is the smallest
 * feasible value.  No interval (one "replication"): it collapses onto the
 * answer. */
Test(search, continuous_decreasing_exact, .init = setup)
{
    struct synth s = synth_new(inverse, 0, false);
    struct sim_search_opts o = {.lo = 1, .hi = 100, .target = 0.1, .x_tol = 1e-6};
    struct sim_search_result res;
    struct sim_err err = {0};
    cr_assert_eq(sim_search_run(&o, respond, &s, &res, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(res.status, SIM_SEARCH_FOUND);
    cr_assert_eq(res.direction, SIM_SEARCH_DECREASING);
    cr_assert_leq(fabs(res.answer - 10.0), 1e-6, "answer %.9f", res.answer);
    cr_assert_geq(res.answer, 10.0 - 1e-12, "the answer must be feasible");
    cr_assert_eq(res.bracket[1], res.answer);
    cr_assert_eq(res.interval[0], res.answer);
    cr_assert_eq(res.interval[1], res.answer);
    sim_search_result_free(&res);
}

Test(search, unreachable_within_bounds, .init = setup)
{
    struct synth s = synth_new(junk_like, 0.01, false);
    struct sim_search_opts o = {.lo = 1, .hi = 20, .target = 0.01, .integer = true};
    struct sim_search_result res;
    struct sim_err err = {0};
    cr_assert_eq(sim_search_run(&o, respond, &s, &res, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(res.status, SIM_SEARCH_UNREACHABLE);
    cr_assert_eq(res.direction, SIM_SEARCH_DECREASING);
    cr_assert(isnan(res.answer));
    cr_assert(isnan(res.interval[0]) && isnan(res.bracket[0]));
    cr_assert_eq(res.n_evals, 2, "only the bounds are run");
    sim_search_result_free(&res);
}

/* Target met at both bounds: the answer is the bound on the feasible side
 * (the smallest count; the largest inflow), with the other bracket side
 * missing. */
Test(search, at_bound_both_directions, .init = setup)
{
    struct synth s = synth_new(junk_like, 0.01, false);
    struct sim_search_opts o = {.lo = 1, .hi = 20, .target = 0.6, .integer = true};
    struct sim_search_result res;
    struct sim_err err = {0};
    cr_assert_eq(sim_search_run(&o, respond, &s, &res, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(res.status, SIM_SEARCH_AT_BOUND);
    cr_assert_eq(res.answer, 1);
    cr_assert(isnan(res.bracket[0]));
    cr_assert_eq(res.bracket[1], 1);
    cr_assert_eq(res.interval[0], 1);
    sim_search_result_free(&res);

    struct synth q = synth_new(square, 0.02, true);
    struct sim_search_opts oq = {.lo = 0, .hi = 40, .target = 0.25};
    cr_assert_eq(sim_search_run(&oq, respond, &q, &res, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(res.status, SIM_SEARCH_AT_BOUND);
    cr_assert_eq(res.direction, SIM_SEARCH_INCREASING);
    cr_assert_eq(res.answer, 40);
    cr_assert_eq(res.bracket[0], 40);
    cr_assert(isnan(res.bracket[1]));
    cr_assert_eq(res.interval[1], 40);
    sim_search_result_free(&res);
}

/* A flat response: no direction; an integer search takes the smallest
 * value, a continuous one the largest. */
Test(search, flat_response_conventions, .init = setup)
{
    struct synth s = synth_new(flat, 0, false);
    struct sim_search_opts o = {.lo = 2, .hi = 9, .target = 0.1, .integer = true};
    struct sim_search_result res;
    struct sim_err err = {0};
    cr_assert_eq(sim_search_run(&o, respond, &s, &res, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(res.direction, SIM_SEARCH_FLAT);
    cr_assert_eq(res.status, SIM_SEARCH_AT_BOUND);
    cr_assert_eq(res.answer, 2);
    sim_search_result_free(&res);
    o.integer = false;
    cr_assert_eq(sim_search_run(&o, respond, &s, &res, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(res.answer, 9);
    sim_search_result_free(&res);
}

/* A failing evaluation stops the search with its own error; the runs made
 * before it are kept.  An interrupt comes back as such. */
Test(search, callback_failure_and_interrupt, .init = setup)
{
    struct synth s = synth_new(junk_like, 0.01, false);
    s.fail_at = 10;     /* the first bisection point of [1, 20] */
    s.fail_rc = SIM_ERR_INPUT;
    struct sim_search_opts o = {.lo = 1, .hi = 20, .target = 0.1, .integer = true};
    struct sim_search_result res;
    struct sim_err err = {0};
    cr_assert_eq(sim_search_run(&o, respond, &s, &res, &err), SIM_ERR_INPUT);
    cr_assert(strstr(err.msg, "failed on purpose") != NULL, "%s", err.msg);
    cr_assert_eq(res.n_evals, 2);
    sim_search_result_free(&res);

    struct synth q = synth_new(square, 0.02, true);
    q.fail_at = 200;
    q.fail_rc = SIM_TASK_INTERRUPTED;
    struct sim_search_opts oq = {.lo = 0, .hi = 200, .target = 0.25};
    struct sim_err err2 = {0};
    cr_assert_eq(sim_search_run(&oq, respond, &q, &res, &err2), SIM_TASK_INTERRUPTED);
    cr_assert_eq(res.n_evals, 1);
    sim_search_result_free(&res);
}

Test(search, bad_bounds_are_input_errors, .init = setup)
{
    struct synth s = synth_new(flat, 0, false);
    struct sim_search_result res;
    struct sim_err err = {0};
    struct sim_search_opts o = {.lo = 5, .hi = 5, .target = 0.1};
    cr_assert_eq(sim_search_run(&o, respond, &s, &res, &err), SIM_ERR_INPUT);
    cr_assert(strstr(err.msg, "search: bounds") != NULL, "%s", err.msg);
    sim_search_result_free(&res);
    struct sim_err err2 = {0};
    struct sim_search_opts w = {.lo = 1.5, .hi = 5, .target = 0.1, .integer = true};
    cr_assert_eq(sim_search_run(&w, respond, &s, &res, &err2), SIM_ERR_INPUT);
    cr_assert(strstr(err2.msg, "whole numbers") != NULL, "%s", err2.msg);
    sim_search_result_free(&res);
    /* max_iter sizes the record of runs: it is bounded. */
    struct sim_err err3 = {0};
    struct sim_search_opts m = {.lo = 1, .hi = 5, .target = 0.1,
                                .max_iter = SIM_SEARCH_MAX_ITER + 1};
    cr_assert_eq(sim_search_run(&m, respond, &s, &res, &err3), SIM_ERR_INPUT);
    cr_assert(strstr(err3.msg, "max_iter") != NULL, "%s", err3.msg);
    cr_assert_eq(s.calls, 0);
    sim_search_result_free(&res);
}
