/*
 * fit.h - fitting a scenario's unobservable keys to a lead history by the
 * method of simulated moments.
 *
 * Concept: a history (models/history.h) shows reasons, times and outcomes
 * but not how fast interest fades, how often a manager misjudges or how
 * reachable leads are.  fit_run() looks for the values of the chosen keys
 * whose simulated histories look like the observed one: each candidate is
 * run for `reps` replications with the lead log on, each replication's
 * log is read back as a history (history_read_leadlog(), the same reader
 * and the same moments as the observed side), and the objective is
 *
 *     J(theta) = sum_j (m_obs_j - mean_r m_sim_j,r(theta))^2 / (v_j (1 + 1/R))
 *
 * over the moments of models/moments.h, v_j the observed moment's
 * sampling variance (the simulated mean of R histories of the same size
 * adds v_j / R).  At the minimum, J is approximately chi-square with
 * (moments - keys) degrees of freedom: the J test.
 *
 * Common random numbers: every evaluation uses the same seed and the same
 * replications, so J is a deterministic, stepwise function of theta (a
 * draw flips when a probability crosses it).  The search works on the keys
 * scaled to [0, 1] (log scale for a key whose range spans more than a
 * factor 100): a first look at FIT_DESIGN_PER_KEY points a key of a Sobol
 * sequence over the whole box, then NLopt's Subplex (NLOPT_LN_SBPLX),
 * bounded and derivative-free, from the best point seen, restarted from
 * its best point while a restart gains; docs/design.md says why not
 * BOBYQA.
 *
 * Bounds come from the key table (models/keytab.h): the key's range, an
 * open end moved in by 1e-6 of the width; an infinite end replaced by the
 * wider of the key's plausible range and ten times the start value
 * (a hundredth of it at the lower end when the range reaches 0).  An
 * estimate or an interval that ends on such a made-up end is flagged
 * (fit_key_at_search_bound): the data may point beyond it.
 *
 * The estimate and its intervals: the search's best point is only where
 * the simulation's noise happened to be kindest (J is rough at every
 * scale: sim/msm.h says why), so it is the start of a local response
 * surface (msm_local: FIT_LOCAL_POINTS_PER_KEY (keys + 1) + 1 points in a
 * box of half-width FIT_LOCAL_DELTA on the search scale, re-centred on the
 * surface's minimum until it lies inside), whose minimum is the estimate
 * and whose slopes are the moments' Jacobian G.  FIT_COV_REPS replications
 * at the estimate, on streams of their own, give the fitted moments, J and
 * the moments' covariance; the sandwich (msm_covariance) gives each key's
 * standard error on the search scale and its 95% interval, estimate +-
 * 1.96 standard errors there, mapped back (so a log-scale key's interval is
 * a ratio either side) and cut at the bounds.  A key no moment moves is
 * "not identified": its interval is its whole range.  The J test compares J
 * with Satterthwaite's scaled chi-square.  The coverage of these intervals
 * is measured by `make slow` (docs/fit.md).
 *
 * Optionally (opts->bootstrap = B > 0), a parametric bootstrap as well: B
 * histories simulated from the fitted scenario with new seeds, each fitted
 * again (search only, with new simulation seeds), the 2.5% and 97.5%
 * percentiles of the B estimates into boot_lo, boot_hi.  It costs B fits.
 *
 * Ownership: struct fit_problem borrows the document and the history; it
 * owns its moments.  Each evaluation allocates its clone of the document
 * and the replications' histories, built in memory from their lead logs
 * (leadlog_sink_memory: no text and no file), all freed before the next.
 * Cost: an evaluation is R runs of the scenario plus 40 bytes a simulated
 * lead and the moments of R histories (docs/performance.md).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_FIT_H
#define MODELS_FIT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/history.h"
#include "models/moments.h"
#include "models/scenario.h"
#include "models/scn_doc.h"
#include "sim/err.h"
#include "sim/schema.h"

#define FIT_KEYS_MAX 16
#define FIT_MAX_REPS 1000     /* replications an evaluation may ask */
#define FIT_DEFAULT_REPS 10         /* replications per evaluation */
#define FIT_DEFAULT_MAX_EVAL 300    /* evaluations per fit */
#define FIT_DEFAULT_BOOTSTRAP 0      /* the sandwich gives the intervals */
#define FIT_LOCAL_DELTA 0.05        /* the response surface's half-width on
                                       the [0, 1] scale */
#define FIT_LOCAL_POINTS_PER_KEY 4  /* its design: 4 (keys + 1) + 1 points */
#define FIT_LOCAL_ROUNDS 5          /* its re-centrings at most */
#define FIT_COV_REPS 60             /* replications estimating the moments'
                                       covariance at the estimate */
#define FIT_DESIGN_PER_KEY 4        /* first-look points a key (Sobol) */
#define FIT_RESTARTS 3              /* fresh simplices from the best point */
#define FIT_RESTART_GAIN 0.05       /* a restart gaining less ends the search */
#define FIT_FTOL 0.02               /* a simplex gaining less in J stops: J is a sum
                                       of squared standard deviations, and its steps
                                       at R = 10 are larger than this */
#define FIT_PENALTY 1e12            /* J of a candidate the scenario refuses */
#define FIT_MISSING 25.0            /* J's term for a moment the simulation
                                       never defines where the data does */

struct fit_key {
    char path[SIM_SCHEMA_PATH_MAX];
    const struct sim_schema_key *key;  /* its row of the key table */
    double start, lo, hi;
    bool log;                   /* searched on a log scale */
    bool lo_derived, hi_derived;  /* an end set by the rule above, not the
                                     key's own range: an estimate there may
                                     have been stopped by it */
    double estimate;
    double sd_unit;             /* standard error on the search's [0, 1]
                                   scale; INFINITY: not identified */
    double ci_lo, ci_hi;        /* the 95% interval (msm.h's sandwich, on
                                   the search scale); NAN: none */
    double boot_lo, boot_hi;    /* the bootstrap's; NAN without one */
};

struct fit_progress {
    const char *phase;          /* "fit", "bootstrap" */
    unsigned refit, refits;     /* bootstrap refit (from 1) of refits; 0 in the fit */
    unsigned evals;             /* evaluations in this fit */
    double best;                /* the lowest J so far in this fit */
};

struct fit_opts {
    unsigned reps;              /* replications per evaluation; 0: default */
    unsigned max_eval;          /* 0: default */
    unsigned bootstrap;         /* refits for the intervals; 0: none */
    unsigned jobs;              /* threads; 0: one per core */
    const volatile sig_atomic_t *interrupt;  /* may be NULL */
    void (*progress)(void *user, const struct fit_progress *p);  /* may be NULL */
    void *user;
};

struct fit_problem {
    const struct scn_doc *doc;  /* the scenario whose keys are fitted */
    uint64_t seed;              /* the scenario's seed: the evaluations' streams */
    double horizon_days;        /* simulated horizon: the history's */
    size_t n_keys;
    struct fit_key key[FIT_KEYS_MAX];
    struct moments_spec spec;
    struct moments obs;         /* observed moments */
};

struct fit_result {
    double objective;           /* J at the estimate */
    size_t n_moments;           /* moments entering J */
    unsigned dof;               /* n_moments - keys (0: none left) */
    double j_scale, j_dof;      /* J's reference, j_scale x chi2(j_dof)
                                   (sim/msm.h); NAN: none */
    double p_value;             /* of the J test against it; NAN: none */
    unsigned evals;             /* evaluations of the main fit: search,
                                   polish, differences and the covariance's
                                   replications (in evaluations of reps) */
    unsigned refits;            /* bootstrap refits finished */
    bool interrupted;           /* stopped by the interrupt: the best so far */
    struct moments fitted;      /* the simulated mean at the estimate */
};

/* The default keys of scenario scn, written as paths into paths[] (at
 * most FIT_KEYS_MAX): the numeric keys of the interest and the reach
 * decay's kinds (exponential: half_life_hours; two_phase: the fast and the
 * slow half-life), then contact.misjudge_base, contact.rush_penalty and
 * contact.p_reach.  Returns the count. */
size_t fit_default_keys(const struct scenario *scn, char paths[][SIM_SCHEMA_PATH_MAX]);

/* Whether key k's estimate lies within 1% of the search range of an end
 * that is not the key's own (lo_derived, hi_derived). */
bool fit_key_at_search_bound(const struct fit_key *k);

/* Sets up the problem: each path must name a numeric key of the table
 * (keytab_find) that the document's scenario accepts; the start is the
 * document's value, else the key's default.  Errors (SIM_ERR_INPUT) name
 * `what` ("--fit") and the path. */
int fit_problem_init(struct fit_problem *p, const struct scn_doc *doc, const struct history *obs,
                     const char *const *paths, size_t n_paths, double to_h, const char *what,
                     struct sim_err *err);

/* Fits the keys (their estimate and, with opts->bootstrap, ci_lo/ci_hi)
 * and fills *res.  SIM_OK (also when interrupted: res->interrupted, the
 * estimates the best so far), or an error. */
int fit_run(struct fit_problem *p, const struct fit_opts *opts, struct fit_result *res,
            struct sim_err *err);

/* J at values x (one per key) on the problem's observed moments, with the
 * simulated mean moments into *sim (may be NULL).  SIM_OK, or an error
 * (a candidate the scenario refuses is J = FIT_PENALTY, not an error). */
int fit_objective(const struct fit_problem *p, const double *x, const struct fit_opts *opts,
                  uint64_t seed, double *j, struct moments *sim, struct sim_err *err);

/* Rewrites every relative trace file of doc (compiled as scn, read from
 * its scenario file's directory) to be read from the existing directory
 * dir instead (FIT/scenario.json; the traces stay with the history):
 * relative to dir when the two share a directory below the root
 * ("../arrivals-0.csv" from crm/fit), so that moving both together keeps
 * the document loadable (sim/path.h); absolute otherwise, or when either
 * path cannot be resolved.  A trace the scenario names absolutely is left
 * as written.  SIM_OK; SIM_ERR_RUNTIME without a working directory when
 * one is needed. */
int fit_doc_relative_traces(struct scn_doc *doc, const struct scenario *scn, const char *dir,
                            struct sim_err *err);

/* The document with the keys set to x (the caller frees it), and its
 * replications of the problem's horizon, seed and warm-up 0 when `run`. */
struct scn_doc *fit_doc_at(const struct fit_problem *p, const double *x, bool run, unsigned reps,
                           uint64_t seed, struct sim_err *err);

/* `reps` histories of doc's scenario (compiled with its own seed and
 * replications), built in memory from its lead log (leadlog_sink_memory):
 * out[r] for replication r (history_free each).  SIM_OK, SIM_ERR_INPUT
 * when the scenario is refused, or a runtime error. */
int fit_simulate(const struct scn_doc *doc, unsigned jobs, const volatile sig_atomic_t *interrupt,
                 struct history *out, unsigned *n_out, struct sim_err *err);

/* The history of leads created before to_h, as a CRM would have shown it
 * at to_h: later contacts and closings undone (open again).  out owns
 * copies of h's names. */
void fit_history_cut(const struct history *h, double to_h, struct history *out);

#endif
