/* SPDX-License-Identifier: MIT */
#include "models/fit.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <nlopt.h>

#include "models/decay.h"
#include "models/funnel.h"
#include "models/keytab.h"
#include "models/leadlog.h"
#include "models/trace.h"
#include "sim/experiment.h"
#include "sim/mem.h"
#include "sim/msm.h"
#include "sim/path.h"
#include "sim/runner.h"

/* ---- keys ------------------------------------------------------------------ */

static size_t decay_keys(const struct decay *d, const char *prefix,
                         char paths[][SIM_SCHEMA_PATH_MAX], size_t n)
{
    if (d->type == &decay_exponential) {
        snprintf(paths[n++], SIM_SCHEMA_PATH_MAX, "%s.half_life_hours", prefix);
    } else if (d->type == &decay_two_phase) {
        snprintf(paths[n++], SIM_SCHEMA_PATH_MAX, "%s.fast_half_life_hours", prefix);
        snprintf(paths[n++], SIM_SCHEMA_PATH_MAX, "%s.slow_half_life_hours", prefix);
    }
    return n;
}

size_t fit_default_keys(const struct scenario *scn, char paths[][SIM_SCHEMA_PATH_MAX])
{
    size_t n = decay_keys(&scn->decay, "decay", paths, 0);
    n = decay_keys(&scn->contact.reach_decay, "contact.reach_decay", paths, n);
    static const char *const fixed[] = {"contact.misjudge_base", "contact.rush_penalty",
                                        "contact.p_reach"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        snprintf(paths[n++], SIM_SCHEMA_PATH_MAX, "%s", fixed[i]);
    return n;
}

/* ---- the fitted scenario elsewhere ------------------------------------------- */

int fit_doc_relative_traces(struct scn_doc *doc, const struct scenario *scn, const char *dir,
                            struct sim_err *err)
{
    char cwd[4096] = "";
    bool have_cwd = false;
    for (unsigned i = 0; i < scn->n_channels; i++) {
        const struct scn_channel *ch = &scn->channels[i];
        if (ch->kind != SCN_ARRIVALS_TRACE || ch->trace_file[0] == '/')
            continue;
        /* The path as resolved (from the scenario's directory), seen from
         * dir (sim/path.h: from both real paths); absolute from the
         * working directory when either cannot be resolved. */
        const char *res = ch->trace->path;
        char rel[4096];
        char *path;
        if (sim_path_relative(rel, sizeof rel, res, dir) != SIM_PATH_FAILED) {
            path = sim_malloc(strlen(rel) + 1);
            memcpy(path, rel, strlen(rel) + 1);
        } else {
            if (res[0] != '/' && !have_cwd) {
                if (getcwd(cwd, sizeof cwd) == NULL)
                    return sim_err_set(err, SIM_ERR_RUNTIME, "fit: the working directory: "
                                       "%s", strerror(errno));
                have_cwd = true;
            }
            size_t n = strlen(cwd) + strlen(res) + 2;
            path = sim_malloc(n);
            if (res[0] == '/')
                snprintf(path, n, "%s", res);
            else
                snprintf(path, n, "%s/%s", cwd, res);
        }
        cJSON *str = cJSON_CreateString(path);
        char *json = cJSON_PrintUnformatted(str);
        cJSON_Delete(str);
        free(path);
        size_t n = strlen(json) + 64;
        char *set = sim_malloc(n);
        snprintf(set, n, "channels[%u].arrivals.file=%s", i, json);
        free(json);
        int rc = scn_doc_set(doc, set, err);
        free(set);
        if (rc != SIM_OK)
            return rc;
    }
    return SIM_OK;
}

/* The search range of key k starting at `start` (fit.h, "Bounds"). */
static void key_bounds(struct fit_key *k)
{
    const struct sim_schema_key *t = k->key;
    double lo = t->lo, hi = t->hi;
    const struct sim_schema_plausible *pl = &t->plausible;
    double scale = k->start != 0 ? fabs(k->start) : 1;
    k->lo_derived = k->hi_derived = false;
    if (isinf(hi)) {
        hi = 10 * scale;
        if (pl->source != NULL && pl->hi > hi)
            hi = pl->hi;
        k->hi_derived = true;
        if (lo <= 0 && k->start > 0) {
            /* a factor 1000 in all, searched on a log scale: a draft's
             * default half-life (720 h) still reaches down to 7 h */
            lo = k->start / 100;
            if (pl->source != NULL && pl->lo > 0 && pl->lo < lo)
                lo = pl->lo;
            k->lo_derived = true;
        }
    }
    double width = hi - lo;
    if ((t->flags & SIM_SCHEMA_LO_OPEN) && lo == t->lo)
        lo += 1e-6 * width;
    if ((t->flags & SIM_SCHEMA_HI_OPEN) && hi == t->hi)
        hi -= 1e-6 * width;
    k->lo = lo;
    k->hi = hi;
    k->log = lo > 0 && hi / lo > 100;
    if (k->start < lo)
        k->start = lo;
    if (k->start > hi)
        k->start = hi;
}

static double to_unit(const struct fit_key *k, double x)
{
    double u = k->log ? log(x / k->lo) / log(k->hi / k->lo) : (x - k->lo) / (k->hi - k->lo);
    return u < 0 ? 0 : u > 1 ? 1 : u;
}

static double from_unit(const struct fit_key *k, double u)
{
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    return k->log ? k->lo * exp(u * log(k->hi / k->lo)) : k->lo + u * (k->hi - k->lo);
}

bool fit_key_at_search_bound(const struct fit_key *k)
{
    double u = to_unit(k, k->estimate);
    return (k->lo_derived && u < 0.01) || (k->hi_derived && u > 0.99);
}

struct scn_doc *fit_doc_at(const struct fit_problem *p, const double *x, bool run, unsigned reps,
                           uint64_t seed, struct sim_err *err)
{
    struct scn_doc *d = scn_doc_clone(p->doc);
    int rc = SIM_OK;
    for (size_t i = 0; i < p->n_keys && rc == SIM_OK; i++)
        rc = scn_doc_set_number(d, p->key[i].path, x[i], err);
    if (run && rc == SIM_OK) {
        char seed_text[64];
        snprintf(seed_text, sizeof seed_text, "seed=%llu", (unsigned long long)seed);
        if ((rc = scn_doc_set(d, seed_text, err)) == SIM_OK &&
            (rc = scn_doc_set_number(d, "replications", reps, err)) == SIM_OK &&
            (rc = scn_doc_set_number(d, "horizon_days", p->horizon_days, err)) == SIM_OK)
            rc = scn_doc_set_number(d, "warmup_days", 0, err);
    }
    if (rc != SIM_OK) {
        scn_doc_free(d);
        return NULL;
    }
    return d;
}

int fit_problem_init(struct fit_problem *p, const struct scn_doc *doc, const struct history *obs,
                     const char *const *paths, size_t n_paths, double to_h, const char *what,
                     struct sim_err *err)
{
    memset(p, 0, sizeof *p);
    p->doc = doc;
    if (n_paths == 0 || n_paths > FIT_KEYS_MAX)
        return sim_err_set(err, SIM_ERR_INPUT, "%s: between 1 and %d keys (got %zu)", what,
                           FIT_KEYS_MAX, n_paths);
    struct scenario *scn = sim_calloc(1, sizeof *scn);
    int rc = scn_doc_compile(doc, scn, err);
    p->seed = scn->seed;
    free(scn);
    if (rc != SIM_OK)
        return rc;
    for (size_t i = 0; i < n_paths; i++) {
        struct fit_key *k = &p->key[i];
        const struct sim_schema_key *t = keytab_find(paths[i]);
        if (t == NULL)
            return sim_err_set(err, SIM_ERR_INPUT, "%s %s: no such key (see funnelsim keys)",
                               what, paths[i]);
        if (t->type != SIM_SCHEMA_REAL)
            return sim_err_set(err, SIM_ERR_INPUT,
                               "%s %s: only a real-valued key can be fitted (this one is "
                               "not a plain number)", what, paths[i]);
        for (size_t j = 0; j < i; j++)
            if (strcmp(p->key[j].path, paths[i]) == 0)
                return sim_err_set(err, SIM_ERR_INPUT, "%s %s: named twice", what, paths[i]);
        snprintf(k->path, sizeof k->path, "%s", paths[i]);
        k->key = t;
        struct sim_err e2 = {0};
        if (scn_doc_get_number(doc, paths[i], &k->start, &e2) != SIM_OK)
            k->start = t->def;
        key_bounds(k);
        k->estimate = k->start;
        k->ci_lo = k->ci_hi = k->boot_lo = k->boot_hi = NAN;
        k->sd_unit = NAN;
    }
    p->n_keys = n_paths;
    moments_spec_init(&p->spec, obs, 0, to_h);
    moments_compute(&p->spec, obs, &p->obs);
    moments_week_bootstrap(&p->spec, obs, MOMENTS_BOOTSTRAP, p->seed, &p->obs);
    p->horizon_days = p->spec.to_h / 24;
    /* The start must be a scenario the format accepts. */
    double x[FIT_KEYS_MAX] = {0};
    for (size_t i = 0; i < p->n_keys; i++)
        x[i] = p->key[i].start;
    struct scn_doc *d = fit_doc_at(p, x, true, 1, p->seed, err);
    if (d == NULL)
        return SIM_ERR_INPUT;
    scn = sim_calloc(1, sizeof *scn);
    rc = scn_doc_compile(d, scn, err);
    free(scn);
    scn_doc_free(d);
    return rc;
}

/* ---- simulating histories --------------------------------------------------- */

/* One replication's task: replication r of the scenario, its lead log
 * kept in memory as out[r] (leadlog_sink_memory: the history the CSV log
 * would read back as, with no text and no file; writing and parsing that
 * CSV took more than half of a fit's time).  Each task fills only its own
 * out[r], so the histories do not depend on --jobs. */
struct sim_task {
    const struct scenario *scn;
    const struct leadlog_sink *sink;
};

static int sim_task_run(void *user, size_t task, const volatile sig_atomic_t *interrupt,
                        struct sim_err *err)
{
    const struct sim_task *t = user;
    struct funnel_opts fo = {.interrupt = interrupt, .leads = t->sink};
    double metrics[METRIC_COUNT];
    return funnel_replicate(t->scn, (unsigned)task, &fo, metrics, err);
}

int fit_simulate(const struct scn_doc *doc, unsigned jobs, const volatile sig_atomic_t *interrupt,
                 struct history *out, unsigned *n_out, struct sim_err *err)
{
    *n_out = 0;
    struct scenario *scn = sim_calloc(1, sizeof *scn);
    int rc = scn_doc_compile(doc, scn, err);
    if (rc == SIM_OK && scn->replications > FIT_MAX_REPS)
        rc = sim_err_set(err, SIM_ERR_INPUT, "fit: at most %d replications an evaluation",
                         FIT_MAX_REPS);
    if (rc != SIM_OK) {
        free(scn);
        return rc;
    }
    unsigned reps = scn->replications;
    memset(out, 0, reps * sizeof *out);
    struct leadlog_sink sink;
    leadlog_sink_memory(&sink, scn, out);
    bool *done = sim_calloc(reps, sizeof *done);
    struct sim_task t = {scn, &sink};
    struct sim_runner_opts ro = {.jobs = jobs, .interrupt = interrupt};
    rc = sim_runner_map(reps, sim_task_run, &t, &ro, done, err);
    /* A replication that failed or was interrupted freed its history; one
     * never started has none (out[] was zeroed). */
    for (unsigned r = 0; r < reps && rc == SIM_OK; r++)
        if (!done[r])
            rc = SIM_TASK_INTERRUPTED;
    if (rc == SIM_OK) {
        *n_out = reps;
    } else {
        for (unsigned r = 0; r < reps; r++)
            history_free(&out[r]);
    }
    free(done);
    free(scn);
    return rc;
}

/* ---- the objective ---------------------------------------------------------- */

/* J of sim against obs, R replications in sim's mean; *n_used: moments
 * entering it. */
static double objective_of(const struct moments *obs, const struct moments *sim, const unsigned *n_def,
                           unsigned reps, size_t *n_used)
{
    double j = 0;
    size_t used = 0;
    for (size_t i = 0; i < obs->n; i++) {
        if (isnan(obs->value[i]) || !(obs->var[i] > 0))
            continue;
        used++;
        if (n_def[i] == 0 || isnan(sim->value[i])) {
            j += FIT_MISSING;
            continue;
        }
        double d = obs->value[i] - sim->value[i];
        j += d * d / (obs->var[i] * (1 + 1.0 / reps));
    }
    if (n_used != NULL)
        *n_used = used;
    return j;
}

int fit_objective(const struct fit_problem *p, const double *x, const struct fit_opts *opts,
                  uint64_t seed, double *j, struct moments *sim, struct sim_err *err)
{
    unsigned reps = opts->reps ? opts->reps : FIT_DEFAULT_REPS;
    struct sim_err e2 = {0};
    struct scn_doc *d = fit_doc_at(p, x, true, reps, seed, &e2);
    *j = FIT_PENALTY;
    if (d == NULL)
        return SIM_OK;
    struct history *h = sim_calloc(reps, sizeof *h);
    unsigned n = 0;
    int rc = fit_simulate(d, opts->jobs, opts->interrupt, h, &n, &e2);
    scn_doc_free(d);
    if (rc == SIM_ERR_INPUT) {
        free(h);
        return SIM_OK;      /* a candidate the scenario refuses */
    }
    if (rc != SIM_OK) {
        free(h);
        if (rc != SIM_TASK_INTERRUPTED && err != NULL)
            *err = e2;
        return rc;
    }
    struct moments *each = sim_calloc(n, sizeof *each), *mean = sim_calloc(1, sizeof *mean);
    unsigned n_def[MOMENTS_MAX];
    for (unsigned r = 0; r < n; r++) {
        moments_compute(&p->spec, &h[r], &each[r]);
        history_free(&h[r]);
    }
    moments_mean(each, n, mean, n_def);
    *j = objective_of(&p->obs, mean, n_def, reps, NULL);
    if (sim != NULL)
        *sim = *mean;
    free(each);
    free(mean);
    free(h);
    return SIM_OK;
}

/* ---- the optimiser ------------------------------------------------------------ */

struct search {
    const struct fit_problem *p;
    const struct fit_opts *opts;
    uint64_t seed;
    nlopt_opt opt;
    unsigned evals;
    double best;
    double best_x[FIT_KEYS_MAX];
    struct moments *best_sim;
    int rc;                     /* first error, or SIM_TASK_INTERRUPTED */
    struct sim_err err;
    struct fit_progress prog;
};

static double search_f(unsigned n, const double *u, double *grad, void *data)
{
    (void)grad;
    struct search *s = data;
    if (s->rc != SIM_OK || (s->opts->interrupt != NULL && *s->opts->interrupt)) {
        if (s->rc == SIM_OK)
            s->rc = SIM_TASK_INTERRUPTED;
        if (s->opt != NULL)
            nlopt_force_stop(s->opt);
        return HUGE_VAL;
    }
    double x[FIT_KEYS_MAX] = {0};
    for (unsigned i = 0; i < n; i++)
        x[i] = from_unit(&s->p->key[i], u[i]);
    double j;
    struct moments *sim = sim_calloc(1, sizeof *sim);
    int rc = fit_objective(s->p, x, s->opts, s->seed, &j, sim, &s->err);
    if (rc != SIM_OK) {
        s->rc = rc;
        free(sim);
        if (s->opt != NULL)
            nlopt_force_stop(s->opt);
        return HUGE_VAL;
    }
    s->evals++;
    if (j < s->best) {
        s->best = j;
        memcpy(s->best_x, x, n * sizeof *x);
        if (s->best_sim != NULL)
            *s->best_sim = *sim;
    }
    free(sim);
    if (s->opts->progress != NULL) {
        s->prog.evals = s->evals;
        s->prog.best = s->best;
        s->opts->progress(s->opts->user, &s->prog);
    }
    return j;
}

/* One evaluation at unit point u outside NLopt (the design). */
static void search_eval(struct search *s, const double *u, double *j)
{
    s->opt = NULL;
    *j = search_f((unsigned)s->p->n_keys, u, NULL, s);
}

/* Minimises J over p's keys from `start` with the simulation streams of
 * `seed`; the best point into x, its J into *j.  SIM_OK,
 * SIM_TASK_INTERRUPTED (x the best so far) or an error. */
static int minimise(const struct fit_problem *p, const struct fit_opts *opts, uint64_t seed,
                    const double *start, bool design, struct fit_progress prog, double *x, double *j,
                    unsigned *evals, struct moments *best_sim, struct sim_err *err)
{
    size_t n = p->n_keys;
    struct search s = {.p = p, .opts = opts, .seed = seed, .best = HUGE_VAL,
                       .best_sim = best_sim, .prog = prog};
    memcpy(s.best_x, start, n * sizeof *start);
    double u[FIT_KEYS_MAX] = {0}, lo[FIT_KEYS_MAX] = {0}, hi[FIT_KEYS_MAX] = {0},
           step[FIT_KEYS_MAX] = {0};
    for (size_t i = 0; i < n; i++) {
        u[i] = to_unit(&p->key[i], start[i]);
        lo[i] = 0;
        hi[i] = 1;
        /* A first step of a tenth of the range, into the range. */
        step[i] = u[i] > 0.9 ? -0.1 : 0.1;
    }
    /* A first look over the whole box: FIT_DESIGN_PER_KEY x keys points of
     * a Sobol sequence; the search starts from the best of them and the
     * start.  Subplex is a local method, and a start far from the minimum
     * along a ridge (reach against its decay) can leave it on a step far
     * from the minimum.  The bootstrap's refits take the same first look:
     * started at the estimate alone, a refit on a flat ridge stays near it
     * and the intervals come out too narrow. */
    if (design) {
        double j0 = HUGE_VAL;
        search_eval(&s, u, &j0);
        double best_u[FIT_KEYS_MAX];
        memcpy(best_u, u, n * sizeof *u);
        gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)n);
        unsigned points = FIT_DESIGN_PER_KEY * (unsigned)n;
        double prev = s.best;
        for (unsigned k = 0; k < points && s.rc == SIM_OK; k++) {
            double v[FIT_KEYS_MAX], jv;
            gsl_qrng_get(q, v);
            search_eval(&s, v, &jv);
            if (s.best < prev) {
                memcpy(best_u, v, n * sizeof *v);
                prev = s.best;
            }
        }
        gsl_qrng_free(q);
        memcpy(u, best_u, n * sizeof *u);
        for (size_t i = 0; i < n; i++)
            step[i] = u[i] > 0.9 ? -0.1 : 0.1;
    }
    /* Subplex stops where a simplex step no longer helps, which on a
     * stepwise J can be a flat step short of the minimum: it is started
     * again from the best point with a fresh simplex until a restart gains
     * less than FIT_RESTART_GAIN, at most FIT_RESTARTS times, within the
     * one budget of evaluations. */
    unsigned budget = opts->max_eval ? opts->max_eval : FIT_DEFAULT_MAX_EVAL;
    nlopt_result r = NLOPT_SUCCESS;
    for (unsigned round = 0; round <= FIT_RESTARTS && s.evals < budget && s.rc == SIM_OK;
         round++) {
        double before = s.best;
        if (round > 0)
            for (size_t i = 0; i < n; i++) {
                u[i] = to_unit(&p->key[i], s.best_x[i]);
                step[i] = u[i] > 0.9 ? -0.1 : 0.1;
            }
        s.opt = nlopt_create(NLOPT_LN_SBPLX, (unsigned)n);
        nlopt_set_lower_bounds(s.opt, lo);
        nlopt_set_upper_bounds(s.opt, hi);
        nlopt_set_initial_step(s.opt, step);
        nlopt_set_min_objective(s.opt, search_f, &s);
        nlopt_set_xtol_abs1(s.opt, 1e-3);
        nlopt_set_ftol_abs(s.opt, FIT_FTOL);
        nlopt_set_maxeval(s.opt, (int)(budget - s.evals));
        double fmin;
        r = nlopt_optimize(s.opt, u, &fmin);
        nlopt_destroy(s.opt);
        if (round > 0 && before - s.best < FIT_RESTART_GAIN)
            break;
    }
    memcpy(x, s.best_x, n * sizeof *x);
    *j = s.best;
    *evals = s.evals;
    if (s.rc != SIM_OK && s.rc != SIM_TASK_INTERRUPTED && err != NULL)
        *err = s.err;
    if (s.rc != SIM_OK)
        return s.rc;
    if (r < 0 && r != NLOPT_FORCED_STOP && r != NLOPT_ROUNDOFF_LIMITED)
        return sim_err_set(err, SIM_ERR_RUNTIME, "fit: the optimiser failed (NLopt code %d)",
                           (int)r);
    return SIM_OK;
}

/* Seeds of bootstrap refit b: the simulated data's and the refit's own
 * simulations', apart from each other and from the fit's. */
static uint64_t boot_seed(uint64_t seed, unsigned b, unsigned which)
{
    return seed + 0x9E3779B97F4A7C15ull * (2ull * b + which + 1);
}

/* The bootstrap (fit.h): p's keys' boot_lo/boot_hi from B refits. */
static int bootstrap(struct fit_problem *p, const struct fit_opts *opts, struct fit_result *res,
                     struct sim_err *err)
{
    unsigned B = opts->bootstrap;
    size_t n = p->n_keys;
    double *est = sim_calloc((size_t)B * n, sizeof *est);
    double x_hat[FIT_KEYS_MAX] = {0};
    for (size_t i = 0; i < n; i++)
        x_hat[i] = p->key[i].estimate;
    struct fit_problem *pb = sim_calloc(1, sizeof *pb);
    int rc = SIM_OK;
    unsigned done = 0;
    for (unsigned b = 0; b < B && rc == SIM_OK; b++) {
        struct scn_doc *d = fit_doc_at(p, x_hat, true, 1, boot_seed(p->seed, b, 0), err);
        if (d == NULL) {
            rc = SIM_ERR_INPUT;
            break;
        }
        struct history h;
        unsigned got = 0;
        rc = fit_simulate(d, opts->jobs, opts->interrupt, &h, &got, err);
        scn_doc_free(d);
        if (rc != SIM_OK)
            break;
        *pb = *p;
        moments_spec_init(&pb->spec, &h, 0, p->spec.to_h);
        moments_compute(&pb->spec, &h, &pb->obs);
        moments_week_bootstrap(&pb->spec, &h, MOMENTS_BOOTSTRAP, p->seed + b, &pb->obs);
        double x[FIT_KEYS_MAX] = {0}, j;
        unsigned evals;
        struct fit_progress prog = {"bootstrap", b + 1, B, 0, 0};
        rc = minimise(pb, opts, boot_seed(p->seed, b, 1), x_hat, true, prog, x, &j, &evals, NULL, err);
        /* its names are h's: the spec dies with it */
        history_free(&h);
        if (rc != SIM_OK)
            break;
        for (size_t i = 0; i < n; i++)
            est[i * B + done] = x[i];
        done++;
    }
    free(pb);
    res->refits = done;
    if (done >= 2) {
        for (size_t i = 0; i < n; i++) {
            double *e = &est[i * B];
            gsl_sort(e, 1, done);
            p->key[i].boot_lo = gsl_stats_quantile_from_sorted_data(e, 1, done, 0.025);
            p->key[i].boot_hi = gsl_stats_quantile_from_sorted_data(e, 1, done, 0.975);
        }
    }
    free(est);
    return rc;
}

/* ---- the estimate's neighbourhood: polish, covariance, J's reference ---------- */

struct local {
    const struct fit_problem *p;
    const struct fit_opts *opts;
    struct moments *sim;        /* scratch */
    struct fit_progress prog;   /* prog.best: the lowest J seen here */
};

/* msm_eval_fn: the mean moments and J at unit point u, the fit's streams. */
static int local_eval(void *user, const double *u, double *m, double *j, struct sim_err *err)
{
    struct local *l = user;
    const struct fit_problem *p = l->p;
    double x[FIT_KEYS_MAX] = {0};
    for (size_t i = 0; i < p->n_keys; i++)
        x[i] = from_unit(&p->key[i], u[i]);
    l->sim->n = 0;
    int rc = fit_objective(p, x, l->opts, p->seed, j, l->sim, err);
    if (rc != SIM_OK)
        return rc;
    for (size_t i = 0; i < p->obs.n; i++)
        m[i] = l->sim->n == p->obs.n ? l->sim->value[i] : NAN;
    l->prog.evals++;
    l->prog.best = fmin(l->prog.best, *j);
    if (l->opts->progress != NULL)
        l->opts->progress(l->opts->user, &l->prog);
    return SIM_OK;
}

/* The moments of FIT_COV_REPS single replications at x, with streams apart
 * from the fit's, into each[r * n + i] (n = p->obs.n), and their mean into
 * *mean, with the replications defining each moment in n_def. */
static int local_replications(const struct fit_problem *p, const struct fit_opts *opts,
                              const double *x, double *each, struct moments *mean,
                              unsigned *n_def, struct sim_err *err)
{
    struct scn_doc *d = fit_doc_at(p, x, true, FIT_COV_REPS, boot_seed(p->seed, UINT32_MAX, 0),
                                   err);
    if (d == NULL)
        return SIM_ERR_INPUT;
    struct history *h = sim_calloc(FIT_COV_REPS, sizeof *h);
    unsigned got = 0;
    int rc = fit_simulate(d, opts->jobs, opts->interrupt, h, &got, err);
    scn_doc_free(d);
    struct moments *m = sim_calloc(got ? got : 1, sizeof *m);
    for (unsigned r = 0; r < got; r++) {
        moments_compute(&p->spec, &h[r], &m[r]);
        for (size_t i = 0; i < p->obs.n; i++)
            each[r * p->obs.n + i] = m[r].value[i];
        history_free(&h[r]);
    }
    moments_mean(m, got, mean, n_def);
    free(m);
    free(h);
    return rc;
}

/* From the search's best point x: the estimate and the Jacobian from the
 * local response surface (msm_local), then FIT_COV_REPS replications
 * there with streams of their own: their mean is the fitted moments and
 * J (sum_j w_j (m_obs_j - mean_j)^2; FIT_MISSING for a moment none of them
 * defines), their spread the moments' covariance that gives the keys'
 * standard errors, 95% intervals and J's reference (sim/msm.h). */
static int local_shape(struct fit_problem *p, const struct fit_opts *opts, double *x, double *j,
                       struct fit_result *res, struct sim_err *err)
{
    size_t n = p->obs.n, k = p->n_keys, nn = n ? n : 1;
    double *obs = sim_calloc(nn, sizeof *obs), *w = sim_calloc(nn, sizeof *w),
           *G = sim_calloc(nn * k, sizeof *G),
           *each = sim_calloc((size_t)FIT_COV_REPS * nn, sizeof *each);
    for (size_t i = 0; i < n; i++) {
        bool used = !isnan(p->obs.value[i]) && p->obs.var[i] > 0;
        obs[i] = p->obs.value[i];
        w[i] = used ? 1 / p->obs.var[i] : 0;
    }
    struct local l = {.p = p, .opts = opts, .sim = sim_calloc(1, sizeof *l.sim),
                      .prog = {"local surface", 0, 0, 0, *j}};
    struct msm ms = {.k = k, .n = n, .obs = obs, .w = w,
                     .reps = opts->reps ? opts->reps : FIT_DEFAULT_REPS,
                     .eval = local_eval, .user = &l};
    double u[FIT_KEYS_MAX];
    for (size_t i = 0; i < k; i++)
        u[i] = to_unit(&p->key[i], x[i]);
    unsigned design = FIT_LOCAL_POINTS_PER_KEY * (unsigned)(k + 1) + 1;
    int rc = msm_local(&ms, u, FIT_LOCAL_DELTA, design, FIT_LOCAL_ROUNDS, G, err);
    double xe[FIT_KEYS_MAX] = {0};
    unsigned n_def[MOMENTS_MAX];
    if (rc == SIM_OK) {
        for (size_t i = 0; i < k; i++)
            xe[i] = from_unit(&p->key[i], u[i]);
        rc = local_replications(p, opts, xe, each, &res->fitted, n_def, err);
    }
    /* interrupted, x and *j stay the search's: a point and its J */
    res->evals += ms.evals + (rc == SIM_OK ? FIT_COV_REPS / ms.reps : 0);
    if (rc == SIM_OK) {
        /* J over the replications' mean (not divided by 1 + 1/M: the
         * reference, sim/msm.h, is that of this sum) */
        double jc = 0;
        for (size_t i = 0; i < n; i++) {
            double d = obs[i] - res->fitted.value[i];
            if (w[i] > 0)
                jc += n_def[i] ? w[i] * d * d : FIT_MISSING;
        }
        *j = jc;
        memcpy(x, xe, k * sizeof *x);
        struct msm_cov cov;
        msm_covariance(&ms, G, each, FIT_COV_REPS, &cov);
        double z95 = gsl_cdf_ugaussian_Pinv(0.975);
        for (size_t i = 0; i < k; i++) {
            struct fit_key *key = &p->key[i];
            key->sd_unit = cov.sd[i];
            double lo = u[i] - z95 * cov.sd[i], hi = u[i] + z95 * cov.sd[i];
            key->ci_lo = isfinite(lo) ? from_unit(key, lo) : key->lo;
            key->ci_hi = isfinite(hi) ? from_unit(key, hi) : key->hi;
        }
        res->j_scale = cov.j_scale;
        res->j_dof = cov.j_dof;
        res->p_value = msm_j_pvalue(&cov, *j);
    }
    free(l.sim);
    free(obs);
    free(w);
    free(G);
    free(each);
    return rc;
}

int fit_run(struct fit_problem *p, const struct fit_opts *opts, struct fit_result *res,
            struct sim_err *err)
{
    memset(res, 0, sizeof *res);
    size_t n = p->n_keys;
    double start[FIT_KEYS_MAX] = {0}, x[FIT_KEYS_MAX] = {0}, j;
    for (size_t i = 0; i < n; i++)
        start[i] = p->key[i].start;
    struct fit_progress prog = {"fit", 0, 0, 0, 0};
    int rc = minimise(p, opts, p->seed, start, true, prog, x, &j, &res->evals, &res->fitted, err);
    if (rc != SIM_OK && rc != SIM_TASK_INTERRUPTED)
        return rc;
    res->j_scale = res->j_dof = res->p_value = NAN;
    if (rc == SIM_OK) {
        rc = local_shape(p, opts, x, &j, res, err);
        if (rc != SIM_OK && rc != SIM_TASK_INTERRUPTED)
            return rc;
    }
    for (size_t i = 0; i < n; i++)
        p->key[i].estimate = x[i];
    res->objective = j;
    unsigned reps = opts->reps ? opts->reps : FIT_DEFAULT_REPS;
    size_t used = 0;
    unsigned n_def[MOMENTS_MAX];
    for (size_t i = 0; i < MOMENTS_MAX; i++)
        n_def[i] = 1;
    objective_of(&p->obs, &p->obs, n_def, reps, &used);
    res->n_moments = used;
    res->dof = used > n ? (unsigned)(used - n) : 0;
    if (rc == SIM_TASK_INTERRUPTED) {
        res->interrupted = true;
        return SIM_OK;
    }
    if (opts->bootstrap > 0) {
        rc = bootstrap(p, opts, res, err);
        if (rc == SIM_TASK_INTERRUPTED) {
            res->interrupted = true;
            return SIM_OK;
        }
    }
    return rc;
}

/* ---- the history as it was at a date ------------------------------------------ */

void fit_history_cut(const struct history *h, double to_h, struct history *out)
{
    memset(out, 0, sizeof *out);
    out->origin = h->origin;
    out->horizon_h = to_h < h->horizon_h ? to_h : h->horizon_h;
    out->lead = sim_calloc(h->n ? h->n : 1, sizeof *out->lead);
    for (size_t i = 0; i < h->n; i++) {
        struct history_lead l = h->lead[i];
        if (!(l.created_h < to_h))
            continue;
        bool later = l.closed_h >= to_h || l.first_contact_h >= to_h;
        if (l.first_contact_h >= to_h)
            l.first_contact_h = NAN;
        if (later && l.status != HISTORY_OPEN) {
            l.closed_h = NAN;
            l.status = HISTORY_OPEN;
            l.reason = HISTORY_REASON_NONE;
            l.value = NAN;
        }
        out->lead[out->n++] = l;
    }
    out->n_channels = h->n_channels;
    out->channel = sim_calloc(h->n_channels ? h->n_channels : 1, sizeof *out->channel);
    for (size_t c = 0; c < h->n_channels; c++)
        out->channel[c] = sim_strdup(h->channel[c]);
    out->n_owners = h->n_owners;
    out->owner = sim_calloc(h->n_owners ? h->n_owners : 1, sizeof *out->owner);
    for (size_t o = 0; o < h->n_owners; o++) {
        out->owner[o] = h->owner[o];
        out->owner[o].name = sim_strdup(h->owner[o].name);
        out->owner[o].group = h->owner[o].group ? sim_strdup(h->owner[o].group) : NULL;
    }
}
