/*
 * test_validation.c - the validation contract (docs/design.md): the funnel,
 * configured as a pure queue, against queueing theory.
 *
 * Each test loads a shipped validation scenario (c = 3 managers, mu = 2 per
 * hour, exponential contacts), moves its load point through
 * channels[0].arrivals.per_week, runs every point's replications at once on
 * all cores through the experiment runner, and requires the exact value
 * (tests/queueing.c) to lie inside the 99% Student-t interval over the
 * replications.  The seeds are the scenarios' own, so every run sees the
 * same draws.
 *
 * An interval that holds the exact value proves little if it is wide, so
 * each check also bounds its half-width to QV_RESOLUTION of the exact
 * value (every value checked here is well away from 0): a 10% error in a
 * rate then falls outside.  The horizons and replication counts below are
 * sized for that, and the whole file runs in about ten seconds on two
 * cores.
 *
 * Every check prints one line to standard error with the exact value and
 * the interval, so the output documents the figures.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "models/decay.h"
#include "models/dist.h"
#include "models/funnel.h"
#include "models/metric.h"
#include "models/scenario.h"
#include "models/scn_doc.h"
#include "sim/experiment.h"
#include "sim/stats.h"
#include "tests/queueing.h"

#define QV_LEVEL 0.99
/* Largest half-width accepted, as a share of the exact value. */
#define QV_RESOLUTION 0.03
#define QV_HOURS_PER_WEEK 168.0

struct qv_run {
    const char *name;           /* "erlang_c", for the output */
    const char *file;           /* under scenarios/ */
    double horizon_days;
    double warmup_days;
    unsigned reps;
    const char *set;            /* one more override "PATH=VALUE", or NULL */
};

struct qv_point {
    double rho;                 /* lam / (c mu) */
    double lam, mu, theta;      /* per hour, read from the scenario */
    unsigned c;
    struct scenario scn;
};

/* The contract's pure queue: anything else in a validation
 * scenario would make the formulas the wrong yardstick, so an edit to the
 * shipped files that breaks it fails here, by name, not as a puzzling
 * miss of the theory. */
static void qv_require_pure_queue(const struct scenario *s)
{
    const char *f = s->source;
    const struct scn_channel *ch = &s->channels[0];
    const struct scn_contact *ct = &s->contact;
    cr_assert(s->n_channels == 1 && ch->kind == SCN_ARRIVALS_POISSON,
              "%s: one Poisson channel", f);
    cr_assert(ch->fit_share == 1.0 && ch->theorist_share == 0.0 &&
              ch->temperature[SCN_HOT] == 1.0, "%s: hot, fitting buyers only", f);
    cr_assert(!s->calendar.business && s->routing == SCN_ROUTING_POOL && !s->hottest_first,
              "%s: 24x7, pool routing, FIFO", f);
    cr_assert(!s->prequal.enabled && s->handoff.delay_hours == 0.0,
              "%s: no pre-qualification, no handoff delay", f);
    cr_assert(s->n_groups == 1 && s->team[0].skill == 1.0 &&
              s->team[0].new_lead_share == 1.0,
              "%s: one group, skill 1, all its time on new leads", f);
    cr_assert(ct->duration.type == &dist_exponential && ct->contactable == 1.0 &&
              ct->p_reach == 1.0 && ct->max_attempts == 1,
              "%s: one exponential contact that always reaches the lead", f);
    cr_assert(ct->misjudge_base == 0.0 && ct->rush_penalty == 0.0 &&
              ct->rush_speedup == 0.0 && s->control.audit_share == 0.0,
              "%s: no misjudgement, no rushing", f);
    cr_assert(s->decay.type == &decay_none || s->decay.type == &decay_exponential,
              "%s: exponential decay or none", f);
    cr_assert(!s->abandon.enabled || s->abandon.patience.type == &dist_exponential,
              "%s: exponential patience or none", f);
    cr_assert(!s->abandon.enabled || s->decay.type == &decay_none,
              "%s: decay and abandonment together have no formula here", f);
}

/* Loads run->file at load rho and compiles it with the run's horizon,
 * warm-up and replications.  mu, c and the abandonment or decay rate are
 * read from the compiled scenario, so the formulas see what the model
 * runs. */
static void qv_prepare(const struct qv_run *run, double rho, struct qv_point *pt)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/scenarios/%s", FUNNELSIM_SRCDIR, run->file);
    struct sim_err err = {0};
    struct scn_doc *doc = scn_doc_load(path, &err);
    cr_assert_not_null(doc, "%s", err.msg);

    struct scenario base;
    cr_assert_eq(scn_doc_compile(doc, &base, &err), SIM_OK, "%s", err.msg);
    qv_require_pure_queue(&base);
    pt->c = base.team[0].count;
    pt->mu = 1.0 / base.contact.duration.mean;
    pt->rho = rho;
    pt->lam = rho * pt->c * pt->mu;

    cr_assert_eq(scn_doc_set_number(doc, "channels[0].arrivals.per_week",
                                    pt->lam * QV_HOURS_PER_WEEK, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(scn_doc_set_number(doc, "horizon_days", run->horizon_days, &err),
                 SIM_OK, "%s", err.msg);
    cr_assert_eq(scn_doc_set_number(doc, "warmup_days", run->warmup_days, &err),
                 SIM_OK, "%s", err.msg);
    cr_assert_eq(scn_doc_set_number(doc, "replications", run->reps, &err),
                 SIM_OK, "%s", err.msg);
    if (run->set != NULL)
        cr_assert_eq(scn_doc_set(doc, run->set, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(scn_doc_compile(doc, &pt->scn, &err), SIM_OK, "%s", err.msg);
    scn_doc_free(doc);

    pt->theta = pt->scn.abandon.enabled ? 1.0 / pt->scn.abandon.patience.mean
                                        : pt->scn.decay.k;
}

/* Runs every replication of every point; returns the results, point-major
 * (sim/experiment.h), for the caller to free. */
static double *qv_simulate(const struct qv_point *pts, size_t n, unsigned reps)
{
    const void *configs[16];
    cr_assert_leq(n, sizeof configs / sizeof configs[0]);
    for (size_t i = 0; i < n; i++)
        configs[i] = &pts[i].scn;
    double *results = calloc(n * reps * METRIC_COUNT, sizeof *results);
    bool *done = calloc(n * reps, sizeof *done);
    cr_assert(results != NULL && done != NULL);
    struct sim_experiment x = {
        .model = &funnel_model,
        .configs = configs,
        .n_points = n,
        .reps = reps,
        .run = {.jobs = 0},
    };
    struct sim_err err = {0};
    cr_assert_eq(sim_experiment_run(&x, results, done, &err), SIM_OK, "%s", err.msg);
    for (size_t t = 0; t < n * reps; t++)
        cr_assert(done[t], "replication %zu did not finish", t);
    free(done);
    return results;
}

static const double *qv_rep(const double *results, size_t point, unsigned reps,
                            unsigned rep)
{
    return results + ((size_t)point * reps + rep) * METRIC_COUNT;
}

static struct sim_ci qv_ci(const double *results, size_t point, unsigned reps,
                           enum metric_id m)
{
    struct sim_ci ci;
    sim_stats_ci(qv_rep(results, point, reps, 0) + m, METRIC_COUNT, reps, QV_LEVEL, &ci);
    return ci;
}

/* The exact value must lie in the interval, and the interval must be
 * narrow enough to matter. */
static void qv_check(const char *run, double rho, const char *what, double exact,
                     struct sim_ci ci)
{
    double half = (ci.hi - ci.lo) / 2.0;
    bool inside = ci.lo <= exact && exact <= ci.hi;
    fprintf(stderr, "validation: %-8s rho=%.2f %-15s exact %.6f  sim %.6f  "
            "99%% [%.6f, %.6f]  half %.2f%%%s\n", run, rho, what, exact, ci.mean,
            ci.lo, ci.hi, 100.0 * half / fabs(exact), inside ? "" : "  OUTSIDE");
    cr_expect(inside, "%s rho=%.2f %s: exact %.6f outside the 99%% interval "
              "[%.6f, %.6f]", run, rho, what, exact, ci.lo, ci.hi);
    cr_expect(half <= QV_RESOLUTION * fabs(exact), "%s rho=%.2f %s: half-width %.6f "
              "is over %.0f%% of %.6f: too few replications to see an error",
              run, rho, what, half, 100.0 * QV_RESOLUTION, exact);
}

/* Little's law, L = lam W, with L the time-average backlog, lam the handed
 * rate and W the mean wait, all three measured by the funnel.  It holds on
 * every sample path, so each replication's L is paired with its own
 * lam * W, never with the means of the others.  Two checks:
 *
 *   - the mean of the per-replication products lam * W lies in the 99%
 *     interval of L: the contract's form, with the statistical resolution
 *     of L (QV_RESOLUTION);
 *   - far sharper, the interval of the per-replication gap L - lam W lies
 *     within QV_LITTLE_GAP of L.  The gap is not exactly 0 and is not noise
 *     that more replications would average out: leads waiting across the
 *     start or the end of the window add to L but not to W, a relative
 *     bias near 2 E[W | W > 0] / window (1e-4 or less here), which only a
 *     longer window shrinks.  QV_LITTLE_GAP sits far above that and below
 *     any real error in how a wait or the backlog is counted (a 1% error
 *     fails at every point). */
#define QV_LITTLE_GAP 0.005

static void qv_little(const char *run, const struct qv_point *pt,
                      const double *results, size_t point, unsigned reps)
{
    double *lw = calloc(reps, sizeof *lw), *gap = calloc(reps, sizeof *gap);
    cr_assert(lw != NULL && gap != NULL);
    for (unsigned r = 0; r < reps; r++) {
        const double *m = qv_rep(results, point, reps, r);
        lw[r] = m[METRIC_HANDED_PER_WEEK] / QV_HOURS_PER_WEEK * m[METRIC_WAIT_MEAN];
        gap[r] = m[METRIC_BACKLOG_MEAN] - lw[r];
    }
    struct sim_ci l = qv_ci(results, point, reps, METRIC_BACKLOG_MEAN);
    struct sim_ci product, d;
    sim_stats_ci(lw, 1, reps, QV_LEVEL, &product);
    sim_stats_ci(gap, 1, reps, QV_LEVEL, &d);
    free(lw);
    free(gap);

    qv_check(run, pt->rho, "L vs lam*W", product.mean, l);
    double allowed = QV_LITTLE_GAP * l.mean;
    fprintf(stderr, "validation: %-8s rho=%.2f %-15s L - lam*W %+.3g  99%% [%+.3g, %+.3g]  "
            "= %+.4f%% of L (allowed +-%.2f%%)%s\n", run, pt->rho, "little gap", d.mean,
            d.lo, d.hi, 100.0 * d.mean / l.mean, 100.0 * QV_LITTLE_GAP,
            d.lo >= -allowed && d.hi <= allowed ? "" : "  OUTSIDE");
    cr_expect(d.lo >= -allowed && d.hi <= allowed,
              "%s rho=%.2f: Little's law gap L - lam*W in [%.3g, %.3g], beyond +-%.3g",
              run, pt->rho, d.lo, d.hi, allowed);
}

Test(validation, erlang_c_and_decay)
{
    static const struct qv_run run = {"erlang_c", "validation-erlang-c.json", 1500, 10, 40, NULL};
    static const double rhos[] = {0.5, 0.8, 0.9};
    enum { N = sizeof rhos / sizeof rhos[0] };
    struct qv_point pts[N];
    for (size_t i = 0; i < N; i++)
        qv_prepare(&run, rhos[i], &pts[i]);
    double *res = qv_simulate(pts, N, run.reps);
    for (size_t i = 0; i < N; i++) {
        const struct qv_point *p = &pts[i];
        struct qt_chain q = {.lam = p->lam, .mu = p->mu, .theta = 0.0, .c = p->c,
                             .cap = QT_NO_CAP};
        struct qt_chain_result ch;
        cr_assert_eq(qt_chain_solve(&q, &ch, NULL, 0), QT_OK);
        qv_check(run.name, p->rho, "went_cold", qt_decay_cold(p->c, p->lam, p->mu, p->theta),
                 qv_ci(res, i, run.reps, METRIC_JUNK_WENT_COLD));
        qv_check(run.name, p->rho, "prob_wait", qt_erlang_c(p->c, p->lam / p->mu),
                 qv_ci(res, i, run.reps, METRIC_PROB_WAIT));
        qv_check(run.name, p->rho, "wait_mean", qt_erlang_c_wait(p->c, p->lam, p->mu),
                 qv_ci(res, i, run.reps, METRIC_WAIT_MEAN));
        qv_check(run.name, p->rho, "backlog_mean", ch.lq,
                 qv_ci(res, i, run.reps, METRIC_BACKLOG_MEAN));
        qv_check(run.name, p->rho, "utilization", ch.utilization,
                 qv_ci(res, i, run.reps, METRIC_UTILIZATION));
        qv_little(run.name, p, res, i, run.reps);
    }
    free(res);
}

Test(validation, erlang_a)
{
    static const struct qv_run run = {"erlang_a", "validation-erlang-a.json", 500, 10, 30, NULL};
    static const double rhos[] = {0.5, 0.9, 1.2, 2.0};
    enum { N = sizeof rhos / sizeof rhos[0] };
    struct qv_point pts[N];
    for (size_t i = 0; i < N; i++)
        qv_prepare(&run, rhos[i], &pts[i]);
    double *res = qv_simulate(pts, N, run.reps);
    for (size_t i = 0; i < N; i++) {
        const struct qv_point *p = &pts[i];
        struct qt_chain q = {.lam = p->lam, .mu = p->mu, .theta = p->theta, .c = p->c,
                             .cap = QT_NO_CAP};
        struct qt_chain_result ch;
        cr_assert_eq(qt_chain_solve(&q, &ch, NULL, 0), QT_OK);
        qv_check(run.name, p->rho, "abandoned", qt_erlang_a_abandon(p->c, p->lam, p->mu, p->theta),
                 qv_ci(res, i, run.reps, METRIC_JUNK_ABANDONED));
        qv_check(run.name, p->rho, "prob_wait", ch.p_wait,
                 qv_ci(res, i, run.reps, METRIC_PROB_WAIT));
        qv_check(run.name, p->rho, "wait_mean", ch.wait_mean,
                 qv_ci(res, i, run.reps, METRIC_WAIT_MEAN));
        qv_check(run.name, p->rho, "backlog_mean", ch.lq,
                 qv_ci(res, i, run.reps, METRIC_BACKLOG_MEAN));
        qv_check(run.name, p->rho, "utilization", ch.utilization,
                 qv_ci(res, i, run.reps, METRIC_UTILIZATION));
        qv_little(run.name, p, res, i, run.reps);
    }
    free(res);
}

Test(validation, mmck)
{
    static const struct qv_run run = {"mmck", "validation-mmck.json", 600, 10, 30, NULL};
    static const double rhos[] = {0.7, 1.3};
    enum { N = sizeof rhos / sizeof rhos[0] };
    struct qv_point pts[N];
    for (size_t i = 0; i < N; i++)
        qv_prepare(&run, rhos[i], &pts[i]);
    double *res = qv_simulate(pts, N, run.reps);
    for (size_t i = 0; i < N; i++) {
        const struct qv_point *p = &pts[i];
        cr_assert(p->scn.handoff.capped);
        struct qt_chain q = {.lam = p->lam, .mu = p->mu, .theta = 0.0, .c = p->c,
                             .cap = p->c + p->scn.handoff.max_backlog};
        struct qt_chain_result ch;
        cr_assert_eq(qt_chain_solve(&q, &ch, NULL, 0), QT_OK);
        /* The funnel's rates count handed leads only; the chain's count
         * every arrival (tests/queueing.h). */
        double admitted = 1.0 - ch.p_block;
        qv_check(run.name, p->rho, "held_back_rate",
                 qt_mmck_block(p->c, p->lam, p->mu, q.cap),
                 qv_ci(res, i, run.reps, METRIC_HELD_BACK_RATE));
        qv_check(run.name, p->rho, "prob_wait", ch.p_wait / admitted,
                 qv_ci(res, i, run.reps, METRIC_PROB_WAIT));
        qv_check(run.name, p->rho, "wait_mean", ch.wait_mean / admitted,
                 qv_ci(res, i, run.reps, METRIC_WAIT_MEAN));
        qv_check(run.name, p->rho, "backlog_mean", ch.lq,
                 qv_ci(res, i, run.reps, METRIC_BACKLOG_MEAN));
        qv_check(run.name, p->rho, "utilization", ch.utilization,
                 qv_ci(res, i, run.reps, METRIC_UTILIZATION));
        qv_little(run.name, p, res, i, run.reps);
    }
    free(res);
}

/* Erlang B: with max_backlog = 0 no lead waits; a lead that finds every
 * manager busy is held back (M/M/c/c), and one that finds a manager idle
 * is handed, so managers are never idle while a lead is turned away. */
Test(validation, erlang_b)
{
    static const struct qv_run run = {"erlang_b", "validation-mmck.json", 600, 10, 30,
                                      "handoff.max_backlog=0"};
    static const double rhos[] = {0.8};     /* a = 2.4 with c = 3 */
    enum { N = sizeof rhos / sizeof rhos[0] };
    struct qv_point pts[N];
    for (size_t i = 0; i < N; i++)
        qv_prepare(&run, rhos[i], &pts[i]);
    double *res = qv_simulate(pts, N, run.reps);
    for (size_t i = 0; i < N; i++) {
        const struct qv_point *p = &pts[i];
        cr_assert(p->scn.handoff.capped && p->scn.handoff.max_backlog == 0);
        double a = p->lam / p->mu;
        /* M/M/c/c blocking is Erlang B (tests/test_queueing.c checks it
         * against the textbook recursion). */
        double b = qt_mmck_block(p->c, p->lam, p->mu, p->c);
        qv_check(run.name, p->rho, "held_back_rate", b,
                 qv_ci(res, i, run.reps, METRIC_HELD_BACK_RATE));
        qv_check(run.name, p->rho, "utilization", a * (1.0 - b) / p->c,
                 qv_ci(res, i, run.reps, METRIC_UTILIZATION));
        for (unsigned r = 0; r < run.reps; r++) {
            const double *m = qv_rep(res, i, run.reps, r);
            cr_expect(m[METRIC_PROB_WAIT] == 0.0 && m[METRIC_BACKLOG_MEAN] == 0.0,
                      "replication %u: a handed lead waited (prob_wait %g, backlog %g)",
                      r, m[METRIC_PROB_WAIT], m[METRIC_BACKLOG_MEAN]);
        }
    }
    free(res);
}
