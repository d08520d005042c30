/* SPDX-License-Identifier: MIT */
#include "search.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "sim/mem.h"

#define DEFAULT_MAX_ITER 60
/* Bisection halves a gap of whole numbers below 2^53 at most 53 times. */
#define WHOLE_MAX_ITER 64

/* The three curves the search follows: the answer is where the mean
 * crosses the target, the ends of its interval where the bounds do. */
enum curve { CURVE_MEAN, CURVE_LO, CURVE_HI };

struct search {
    const struct sim_search_opts *opts;
    sim_search_fn fn;
    void *user;
    struct sim_search_result *res;
    size_t capacity;            /* of res->evals, fixed up front */
    double tol;                 /* continuous: bracket width to stop at */
    unsigned max_iter;
    struct sim_err *err;
    enum curve curve;           /* what the GSL adapter evaluates */
    int rc;                     /* a callback failure inside a GSL call */
};

static double curve_value(const struct sim_search_eval *e, enum curve k)
{
    double v = k == CURVE_LO ? e->lo : k == CURVE_HI ? e->hi : e->mean;
    return isnan(v) ? e->mean : v;
}

static bool feasible(const struct search *s, const struct sim_search_eval *e,
                     enum curve k)
{
    return curve_value(e, k) <= s->opts->target;
}

const struct sim_search_eval *sim_search_find(const struct sim_search_result *res,
                                              double x)
{
    /* A linear scan: a search makes a few dozen runs at most, each a whole
     * simulation. */
    for (size_t i = 0; i < res->n_evals; i++)
        if (res->evals[i].x == x)
            return &res->evals[i];
    return NULL;
}

/* The run at x, from the cache or made now.  *out points into res->evals,
 * which never moves. */
static int evaluate(struct search *s, double x, const struct sim_search_eval **out)
{
    const struct sim_search_eval *hit = sim_search_find(s->res, x);
    if (hit != NULL) {
        *out = hit;
        return SIM_OK;
    }
    /* The capacity covers every phase's iteration limit, so running out is
     * a bug in this file. */
    assert(s->res->n_evals < s->capacity);
    struct sim_search_eval *e = &s->res->evals[s->res->n_evals];
    *e = (struct sim_search_eval){.x = x, .mean = NAN, .lo = NAN, .hi = NAN};
    int rc = s->fn(s->user, x, e, s->err);
    if (rc != SIM_OK)
        return rc;
    e->x = x;
    if (!isfinite(e->mean))
        return sim_err_set(s->err, SIM_ERR_RUNTIME,
                           "search: at %.10g: the response is undefined", x);
    s->res->n_evals++;
    *out = e;
    return SIM_OK;
}

/* Narrows a bracket of whole numbers, `good` feasible and `bad` not on
 * curve k, until they are adjacent. */
static int bisect_whole(struct search *s, enum curve k, double *good, double *bad)
{
    while (fabs(*good - *bad) > 1.0) {
        double mid = floor((*good + *bad) / 2.0);
        const struct sim_search_eval *e;
        int rc = evaluate(s, mid, &e);
        if (rc != SIM_OK)
            return rc;
        if (feasible(s, e, k))
            *good = mid;
        else
            *bad = mid;
    }
    return SIM_OK;
}

/* r(x) - target on the current curve, for GSL. */
static double gsl_adapter(double x, void *params)
{
    struct search *s = params;
    const struct sim_search_eval *e;
    int rc = evaluate(s, x, &e);
    if (rc != SIM_OK) {
        if (s->rc == SIM_OK)
            s->rc = rc;
        return NAN;     /* GSL stops with GSL_EBADFUNC */
    }
    double g = curve_value(e, s->curve) - s->opts->target;
    /* Brent ends at an exact zero with a bracket of one point; the target
     * itself is feasible, so a zero is moved just below it. */
    return g != 0.0 ? g : -DBL_EPSILON * fmax(1.0, fabs(s->opts->target));
}

/* Narrows `good` (feasible) and `bad` on curve k with Brent's method until
 * the bracket is narrower than the tolerance or the iterations run out. */
static int bracket_real(struct search *s, enum curve k, double *good, double *bad,
                        bool *converged)
{
    *converged = false;
    gsl_root_fsolver *solver = sim_mem_check(gsl_root_fsolver_alloc(gsl_root_fsolver_brent));
    s->curve = k;
    s->rc = SIM_OK;
    gsl_function f = {.function = gsl_adapter, .params = s};
    double lo = fmin(*good, *bad), hi = fmax(*good, *bad);
    /* Both ends are cached: setting the solver runs nothing. */
    int status = gsl_root_fsolver_set(solver, &f, lo, hi);
    for (unsigned i = 0; status == GSL_SUCCESS; i++) {
        int test = gsl_root_test_interval(lo, hi, s->tol, 0.0);
        if (test == GSL_SUCCESS) {
            *converged = true;
            break;
        }
        if (test != GSL_CONTINUE) {
            status = test;
            break;
        }
        if (i == s->max_iter)
            break;
        status = gsl_root_fsolver_iterate(solver);
        lo = gsl_root_fsolver_x_lower(solver);
        hi = gsl_root_fsolver_x_upper(solver);
    }
    gsl_root_fsolver_free(solver);
    if (s->rc != SIM_OK)
        return s->rc;
    if (status != GSL_SUCCESS)
        return sim_err_set(s->err, SIM_ERR_RUNTIME, "search: GSL root bracketing: %s",
                           gsl_strerror(status));
    /* Brent's bracket ends are points it evaluated, one on each side. */
    const struct sim_search_eval *e_lo = sim_search_find(s->res, lo);
    const struct sim_search_eval *e_hi = sim_search_find(s->res, hi);
    assert(e_lo != NULL && e_hi != NULL);
    bool lo_good = feasible(s, e_lo, k);
    assert(lo_good != feasible(s, e_hi, k));
    *good = lo_good ? lo : hi;
    *bad = lo_good ? hi : lo;
    return SIM_OK;
}

static int narrow(struct search *s, enum curve k, double *good, double *bad,
                  bool *converged)
{
    *converged = true;
    if (s->opts->integer)
        return bisect_whole(s, k, good, bad);
    return bracket_real(s, k, good, bad, converged);
}

/* The evaluated x nearest the answer on one side of it (side +1: above,
 * -1: below) whose run is feasible on curve k (want_good) or not; NULL if
 * there is none. */
static const struct sim_search_eval *nearest(const struct search *s, double answer,
                                             int side, enum curve k, bool want_good)
{
    const struct sim_search_eval *best = NULL;
    for (size_t i = 0; i < s->res->n_evals; i++) {
        const struct sim_search_eval *e = &s->res->evals[i];
        if ((e->x - answer) * side <= 0 || feasible(s, e, k) != want_good)
            continue;
        if (best == NULL || fabs(e->x - answer) < fabs(best->x - answer))
            best = e;
    }
    return best;
}

/*
 * The answer interval.  `side` is where the feasible values lie from the
 * answer (+1 above it: r falls with x).  Since lo <= mean <= hi, the
 * interval's lower bound meets the target on the infeasible side of the
 * answer and its upper bound on the feasible side; each crossing is
 * searched from the nearest run already made on the far side of it, or is
 * the bound when no run there crosses.
 */
static int answer_interval(struct search *s, int side)
{
    struct sim_search_result *res = s->res;
    double bound_bad = side > 0 ? s->opts->lo : s->opts->hi;
    double bound_good = side > 0 ? s->opts->hi : s->opts->lo;
    bool converged;

    /* Lower bound of the CI: feasible at the answer (lo <= mean). */
    double x_lo = bound_bad;
    const struct sim_search_eval *e = nearest(s, res->answer, -side, CURVE_LO, false);
    if (e != NULL) {
        double good = res->answer, bad = e->x;
        int rc = narrow(s, CURVE_LO, &good, &bad, &converged);
        if (rc != SIM_OK)
            return rc;
        x_lo = good;
    }

    /* Upper bound of the CI: feasible at the answer only when the answer
     * is clearly under the target. */
    double x_hi = res->answer;
    if (!feasible(s, &res->at, CURVE_HI)) {
        x_hi = bound_good;
        e = nearest(s, res->answer, side, CURVE_HI, true);
        if (e != NULL) {
            double good = e->x, bad = res->answer;
            int rc = narrow(s, CURVE_HI, &good, &bad, &converged);
            if (rc != SIM_OK)
                return rc;
            x_hi = good;
        }
    }
    res->interval[0] = fmin(x_lo, x_hi);
    res->interval[1] = fmax(x_lo, x_hi);
    return SIM_OK;
}

static int check_opts(const struct sim_search_opts *o, struct sim_err *err)
{
    if (!isfinite(o->lo) || !isfinite(o->hi) || !(o->lo < o->hi))
        return sim_err_set(err, SIM_ERR_INPUT,
                           "search: bounds %g and %g: the lower must be below the upper",
                           o->lo, o->hi);
    if (o->integer && (o->lo != floor(o->lo) || o->hi != floor(o->hi) ||
                       fabs(o->lo) > 0x1p53 || fabs(o->hi) > 0x1p53))
        return sim_err_set(err, SIM_ERR_INPUT,
                           "search: bounds %g and %g: must be whole numbers", o->lo, o->hi);
    if (!isfinite(o->target))
        return sim_err_set(err, SIM_ERR_INPUT, "search: target: must be a finite number");
    if (!isfinite(o->x_tol) || o->x_tol < 0)
        return sim_err_set(err, SIM_ERR_INPUT, "search: x_tol: must be 0 or more");
    if (o->max_iter > SIM_SEARCH_MAX_ITER)
        return sim_err_set(err, SIM_ERR_INPUT, "search: max_iter: at most %d (got %u)",
                           SIM_SEARCH_MAX_ITER, o->max_iter);
    return SIM_OK;
}

int sim_search_run(const struct sim_search_opts *opts, sim_search_fn fn,
                   void *user, struct sim_search_result *res, struct sim_err *err)
{
    assert(opts != NULL && fn != NULL && res != NULL);
    memset(res, 0, sizeof *res);
    res->answer = NAN;
    res->at = (struct sim_search_eval){NAN, NAN, NAN, NAN};
    res->bracket[0] = res->bracket[1] = NAN;
    res->interval[0] = res->interval[1] = NAN;
    int rc = check_opts(opts, err);
    if (rc != SIM_OK)
        return rc;

    struct search s = {
        .opts = opts, .fn = fn, .user = user, .res = res, .err = err,
        .max_iter = opts->max_iter ? opts->max_iter : DEFAULT_MAX_ITER,
        .tol = opts->x_tol > 0 ? opts->x_tol : (opts->hi - opts->lo) / 1000.0,
    };
    /* Two bounds, then three narrowings (answer, two interval ends). */
    unsigned per_phase = opts->integer ? WHOLE_MAX_ITER : s.max_iter;
    s.capacity = 2 + 3 * (size_t)per_phase;
    res->evals = sim_calloc(s.capacity, sizeof *res->evals);

    const struct sim_search_eval *ea, *eb;
    if ((rc = evaluate(&s, opts->lo, &ea)) != SIM_OK ||
        (rc = evaluate(&s, opts->hi, &eb)) != SIM_OK)
        return rc;
    res->direction = ea->mean < eb->mean   ? SIM_SEARCH_INCREASING
                     : ea->mean > eb->mean ? SIM_SEARCH_DECREASING
                                           : SIM_SEARCH_FLAT;
    bool good_lo = feasible(&s, ea, CURVE_MEAN), good_hi = feasible(&s, eb, CURVE_MEAN);
    res->converged = true;
    if (!good_lo && !good_hi) {
        res->status = SIM_SEARCH_UNREACHABLE;
        return SIM_OK;
    }

    int side;   /* +1: the feasible values lie above the crossing */
    if (good_lo && good_hi) {
        res->status = SIM_SEARCH_AT_BOUND;
        side = res->direction == SIM_SEARCH_DECREASING   ? 1
               : res->direction == SIM_SEARCH_INCREASING ? -1
               : opts->integer                           ? 1 : -1;
        res->answer = side > 0 ? opts->lo : opts->hi;
        res->bracket[side > 0 ? 1 : 0] = res->answer;
    } else {
        res->status = SIM_SEARCH_FOUND;
        side = good_hi ? 1 : -1;
        double good = good_hi ? opts->hi : opts->lo;
        double bad = good_hi ? opts->lo : opts->hi;
        if ((rc = narrow(&s, CURVE_MEAN, &good, &bad, &res->converged)) != SIM_OK)
            return rc;
        res->answer = good;
        res->bracket[0] = fmin(good, bad);
        res->bracket[1] = fmax(good, bad);
    }
    res->at = *sim_search_find(res, res->answer);
    return answer_interval(&s, side);
}

void sim_search_result_free(struct sim_search_result *res)
{
    if (res == NULL)
        return;
    free(res->evals);
    res->evals = NULL;
    res->n_evals = 0;
}
