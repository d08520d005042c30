/*
 * test_transient.c - transient queueing against theory, from the lead log.
 *
 * The funnel configured as an M(t)/M/c+M queue (the shipped Erlang A
 * validation scenario: 24x7, one Poisson channel, c managers, exponential
 * contacts that always reach in one attempt, exponential patience, every
 * lead a fitting hot buyer, no misjudgement), started empty at time 0.
 * Theory: the number in the system is a birth-death chain with birth
 * lambda(t) and death min(n, c) mu + max(n - c, 0) theta; its state
 * probabilities follow the Kolmogorov forward equations
 *
 *   p_n' = lambda p_{n-1} + d_{n+1} p_{n+1} - (lambda + d_n) p_n,
 *
 * solved here with GSL's rk8pd (gsl_odeiv2) from p_0(0) = 1 on states
 * 0..K, K chosen so that p_K stays below 1e-12 at every hour (asserted).
 * The expected number waiting at hour h is sum_n max(n - c, 0) p_n(h).
 *
 * Simulated: `run --leads` over many replications; the number waiting at
 * hour h in a replication is the count of leads with handed_h <= h <
 * first_contact_h (or resolved_h for a lead that abandoned, or the horizon
 * for one still waiting).  Each whole hour's mean over the replications
 * must lie within a simultaneous band: a Student-t interval at level
 * 1 - 0.01/H per hour for the H hours checked (Bonferroni), so the whole
 * check fails by chance with probability at most 1%.
 *
 * The step: a campaign (channels[0].arrivals.campaigns) with multiplier 2
 * on days 1 and 2, written into a copy of the scenario.  The simulated
 * means must follow the theory with the same step over the fill-up from
 * empty, the step and the recovery; against the theory with the step a day
 * late they must fall outside the band at some hour.
 *
 * Its cost: 300 replications of six days, about 4 s on two cores: the
 * simulated check is in the medium tier (suite `transient`), the theory's
 * own check in the fast one (`transient_theory`).
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>

#include "models/dist.h"
#include "models/funnel.h"
#include "models/scn_doc.h"
#include "tests/cli_harness.h"
#include "tests/funnel_harness.h"
#include "tests/queueing.h"

#define TR_FILE "validation-erlang-a.json"     /* under scenarios/ */
#define TR_REPS 300
#define TR_DAYS 6
#define TR_HOURS (TR_DAYS * 24)
#define TR_STEP_FROM_H 24.0         /* the campaign: days 1 and 2 */
#define TR_STEP_HOURS 48.0
#define TR_STEP_MULT 2.0
#define TR_ALPHA 0.01               /* the whole band's error rate */
#define TR_TAIL 1e-12

/* The queue and its rate function. */
struct tr_queue {
    double lam;                     /* per hour, outside the step */
    double mu, theta;
    unsigned c;
    double step_from, step_hours, mult;   /* mult 1: no step */
    size_t k;                       /* states 0..k */
};

static double tr_lambda(const struct tr_queue *q, double t)
{
    return t >= q->step_from && t < q->step_from + q->step_hours ? q->lam * q->mult : q->lam;
}

struct tr_ode {
    const struct tr_queue *q;
    double lam;                     /* constant over the current piece */
};

static int tr_rhs(double t, const double *p, double *dp, void *params)
{
    (void)t;
    const struct tr_ode *o = params;
    const struct tr_queue *q = o->q;
    size_t k = q->k;
    for (size_t n = 0; n <= k; n++) {
        double dn = (n < q->c ? (double)n : (double)q->c) * q->mu +
                    (n > q->c ? (double)(n - q->c) * q->theta : 0.0);
        double birth = n < k ? o->lam : 0.0;
        double in = (n > 0 ? o->lam * p[n - 1] : 0.0);
        if (n < k) {
            double d1 = (n + 1 < q->c ? (double)(n + 1) : (double)q->c) * q->mu +
                        (n + 1 > q->c ? (double)(n + 1 - q->c) * q->theta : 0.0);
            in += d1 * p[n + 1];
        }
        dp[n] = in - (birth + dn) * p[n];
    }
    return GSL_SUCCESS;
}

/* E[number waiting] at hours 0..hours from the empty state.  The rate is
 * constant within each hour here (the step's ends are whole hours), so
 * every hour is one smooth piece. */
static void tr_expected(const struct tr_queue *q, unsigned hours, double *lq)
{
    size_t dim = q->k + 1;
    double *p = calloc(dim, sizeof *p);
    p[0] = 1.0;
    struct tr_ode o = {q, q->lam};
    gsl_odeiv2_system sys = {tr_rhs, NULL, dim, &o};
    lq[0] = 0.0;
    for (unsigned h = 0; h < hours; h++) {
        o.lam = tr_lambda(q, h + 0.5);
        gsl_odeiv2_driver *d =
            gsl_odeiv2_driver_alloc_y_new(&sys, gsl_odeiv2_step_rk8pd, 1e-3, 1e-12, 1e-10);
        double t = h;
        cr_assert_eq(gsl_odeiv2_driver_apply(d, &t, h + 1.0, p), GSL_SUCCESS);
        gsl_odeiv2_driver_free(d);
        double sum = 0.0, w = 0.0;
        for (size_t n = 0; n < dim; n++) {
            sum += p[n];
            if (n > q->c)
                w += (double)(n - q->c) * p[n];
        }
        cr_assert(fabs(sum - 1.0) < 1e-9, "hour %u: the probabilities sum to %.12g", h + 1,
                  sum);
        cr_assert_lt(p[q->k], TR_TAIL, "hour %u: the truncation at %zu holds mass %g", h + 1,
                     q->k, p[q->k]);
        lq[h + 1] = w;
    }
    free(p);
}

/* The scenario's queue (the pure-queue settings are those of
 * test_validation.c's qv_require_pure_queue, checked there). */
static struct tr_queue tr_queue_of(void)
{
    struct scn_doc *doc = fh_load(TR_FILE);
    struct scenario s;
    fh_compile(doc, &s);
    scn_doc_free(doc);
    struct tr_queue q = {
        .lam = s.channels[0].per_week / 168.0,
        .mu = 1.0 / s.contact.duration.mean,
        .theta = 1.0 / s.abandon.patience.mean,
        .c = s.team[0].count,
        .mult = 1.0,
    };
    q.k = q.c + 80;
    return q;
}

/* The scenario with the step campaign, written into dir. */
static char *tr_step_scenario(const char *dir)
{
    cJSON *root = fh_json_load(TR_FILE);
    cJSON *arr = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "channels"), 0), "arrivals");
    cr_assert_not_null(arr);
    cJSON *camps = cJSON_AddArrayToObject(arr, "campaigns");
    cJSON *k = cJSON_CreateObject();
    cJSON_AddStringToObject(k, "name", "step");
    cJSON_AddNumberToObject(k, "from", TR_STEP_FROM_H / 24.0);
    cJSON_AddNumberToObject(k, "to", (TR_STEP_FROM_H + TR_STEP_HOURS) / 24.0 - 1.0);
    cJSON_AddNumberToObject(k, "multiplier", TR_STEP_MULT);
    cJSON_AddItemToArray(camps, k);
    char *text = cJSON_Print(root);
    char *path = harness_path(dir, "step.json");
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs(text, fp);
    cr_assert_eq(fclose(fp), 0);
    free(text);
    cJSON_Delete(root);
    return path;
}

/* Waiting at each whole hour 1..TR_HOURS-1, per replication, from the
 * lead log: w[rep * TR_HOURS + h]. */
static double *tr_simulate(void)
{
    char *dir = harness_tmpdir();
    char *log = harness_path(dir, "leads.csv");
    char *scn = tr_step_scenario(dir);
    char reps[16], horizon[32];
    snprintf(reps, sizeof reps, "%d", TR_REPS);
    snprintf(horizon, sizeof horizon, "horizon_days=%d", TR_DAYS);
    struct harness_result r;
    HARNESS_RUN(&r, "run", scn, "--reps", reps, "--set", horizon, "--set",
                "warmup_days=0", "--quiet", "--format", "csv", "--leads", log);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    size_t len;
    char *text = harness_read_file(log, &len);
    cr_assert_not_null(text);
    double *w = calloc((size_t)TR_REPS * TR_HOURS, sizeof *w);
    char *save = NULL;
    char *line = strtok_r(text, "\n", &save);   /* the header */
    size_t rows = 0;
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        /* replication,lead,channel,created_h,handed_h,first_contact_h,resolved_h,... */
        char *f[8];
        char *p = line;
        for (int i = 0; i < 8; i++) {
            f[i] = p;
            p += strcspn(p, ",");
            if (*p)
                *p++ = '\0';
        }
        unsigned rep = (unsigned)atoi(f[0]);
        cr_assert_lt(rep, TR_REPS);
        if (!*f[4])
            continue;               /* never handed */
        double from = strtod(f[4], NULL);
        double to = *f[5] ? strtod(f[5], NULL) : *f[6] ? strtod(f[6], NULL) : TR_HOURS;
        for (int h = (int)ceil(from); h < TR_HOURS && h < to; h++)
            if (h >= 1)
                w[rep * TR_HOURS + (unsigned)h] += 1.0;
        rows++;
    }
    cr_assert_gt(rows, TR_REPS * 100);
    free(text);
    harness_rmtree(dir);
    free(scn);
    free(log);
    free(dir);
    return w;
}

/* Hours 1..TR_HOURS-1 whose replication mean falls outside the band
 * around the theory's value; prints the worst. */
static unsigned tr_outside(const double *w, const double *lq, const char *what)
{
    unsigned hours = TR_HOURS - 1, out = 0;
    double t = gsl_cdf_tdist_Pinv(1.0 - TR_ALPHA / (2.0 * hours), TR_REPS - 1);
    double worst = 0.0;
    unsigned worst_h = 0;
    for (unsigned h = 1; h <= hours; h++) {
        double m = 0.0, ss = 0.0;
        for (unsigned r = 0; r < TR_REPS; r++)
            m += w[r * TR_HOURS + h] / TR_REPS;
        for (unsigned r = 0; r < TR_REPS; r++)
            ss += (w[r * TR_HOURS + h] - m) * (w[r * TR_HOURS + h] - m);
        double se = sqrt(ss / (TR_REPS - 1) / TR_REPS);
        double z = se > 0.0 ? fabs(m - lq[h]) / se : (m == lq[h] ? 0.0 : INFINITY);
        if (z > t)
            out++;
        if (z > worst) {
            worst = z;
            worst_h = h;
        }
    }
    fprintf(stderr, "transient %s: %u of %u hours outside the band (t = %.2f); worst hour %u, "
            "%.2f standard errors\n", what, out, hours, t, worst_h, worst);
    return out;
}

Test(transient_theory, settles_on_the_stationary_chain)
{
    /* The forward equations settle on the stationary chain of
     * tests/queueing.c: a check of the ODE side on its own. */
    struct tr_queue q = tr_queue_of();
    double *lq = calloc(24 * 10 + 1, sizeof *lq);
    tr_expected(&q, 24 * 10, lq);
    struct qt_chain ch = {q.lam, q.mu, q.theta, q.c, QT_NO_CAP};
    struct qt_chain_result st;
    cr_assert_eq(qt_chain_solve(&ch, &st, NULL, 0), QT_OK);
    cr_expect(fabs(lq[240] - st.lq) < 1e-6 * st.lq, "after ten days %.9g, stationary %.9g",
              lq[240], st.lq);
    free(lq);
}

Test(transient, step_and_recovery_follow_the_forward_equations)
{
    struct tr_queue q = tr_queue_of();
    double lq[TR_HOURS + 1];
    double *w = tr_simulate();

    q.step_from = TR_STEP_FROM_H;
    q.step_hours = TR_STEP_HOURS;
    q.mult = TR_STEP_MULT;
    tr_expected(&q, TR_HOURS, lq);
    cr_expect_eq(tr_outside(w, lq, "step"), 0,
                 "the simulated waiting leads leave the theory's band");

    /* The same check with the rate change a day late must fail. */
    struct tr_queue late = q;
    late.step_from += 24.0;
    tr_expected(&late, TR_HOURS, lq);
    cr_expect_gt(tr_outside(w, lq, "step a day late"), 0,
                 "the theory with the step a day late must fall outside the band");
    free(w);
}
