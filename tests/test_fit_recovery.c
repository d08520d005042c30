/*
 * test_fit_recovery.c - `funnelsim fit` recovers what it fits.
 *
 * A year of leads (about 4,100) from `run --leads` of
 * tests/fit/company.json, whose interest half-life (120 h), p_reach (0.6)
 * and misjudge_base (0.12) are known, is turned into the history `import`
 * leaves (`import` of the lead log, as a user makes one) with
 * a draft scenario.json that starts the three keys elsewhere (60 h, 0.45,
 * 0.05) and seeds its simulations apart from the data.  The binary fits
 * them (10 replications an evaluation, the default; the intervals from
 * the local response surface and the sandwich, models/fit.h):
 *
 *   fit_recovery   each true value inside its 95% interval; the same
 *                  history fitted by a model without interest decay
 *                  (decay kind none, p_reach and misjudge_base free) fits
 *                  clearly worse: J at least twice the right model's, or
 *                  its J test's p below 0.01; Ctrl-C writes the best fit
 *                  so far, marked interrupted, and exits 130; the back-test
 *                  writes one row per held-out week and most weeks fall in
 *                  their prediction intervals; --bootstrap 3 adds three
 *                  refits and their percentile intervals.  Medium tier:
 *                  the first test is 5 fits.
 *   fit_coverage   `make slow` only (FUNNELSIM_SLOW=1, else skipped): the
 *                  same over FIT_COVERAGE_SEEDS (100) data seeds, printing
 *                  how many intervals cover each true value (the issue's
 *                  target: at least 90 of 100).
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>

#include "models/history.h"
#include "tests/cli_harness.h"
#include "tests/fit_harness.h"

#define FIT_KEYS "decay.half_life_hours,contact.p_reach,contact.misjudge_base"
#define FIT_COVERAGE_SEEDS 100

static const char *const key_path[3] = {"decay.half_life_hours", "contact.p_reach",
                                        "contact.misjudge_base"};

/* DIR as import leaves it: replication 0 of company.json at data seed
 * `seed`, and the draft `scenario` (JSON text). */
static char *make_crm(unsigned long seed, const char *scenario)
{
    char seed_text[32];
    snprintf(seed_text, sizeof seed_text, "%lu", seed);
    return fit_harness_make_crm("--seed", seed_text, scenario);
}

/* company.json as a draft: the keys started elsewhere (0.45, 0.05), and
 * `decay` as its interest decay. */
static char *draft(const char *decay)
{
    return fit_harness_draft(0.45, 0.05, decay);
}

/* The company's own values of key_path[]. */
static void truths(double *truth)
{
    for (int i = 0; i < 3; i++)
        truth[i] = fit_harness_truth(key_path[i]);
}

#define EXP_60 "{\"kind\": \"exponential\", \"half_life_hours\": 60}"

/* Runs the binary with `args` for up to `timeout` seconds. */
static void run_long(struct harness_result *r, const char *const *args, double timeout)
{
    struct harness_proc p;
    cr_assert_eq(harness_start(&p, NULL, args), 0);
    cr_assert_eq(harness_wait(&p, timeout, r), 0);
}

static double number(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItem(o, name);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* The estimate and interval of `path` in fit.json. */
static void key_of(const cJSON *fit, const char *path, double *est, double *lo, double *hi)
{
    const cJSON *k;
    *est = *lo = *hi = NAN;
    cJSON_ArrayForEach(k, cJSON_GetObjectItem(fit, "keys")) {
        if (strcmp(cJSON_GetObjectItem(k, "path")->valuestring, path) != 0)
            continue;
        *est = number(k, "estimate");
        const cJSON *ci = cJSON_GetObjectItem(k, "ci95");
        if (cJSON_IsArray(ci)) {
            *lo = cJSON_GetArrayItem(ci, 0)->valuedouble;
            *hi = cJSON_GetArrayItem(ci, 1)->valuedouble;
        }
    }
}

/* Fits DIR into DIR/NAME; fit.json (cJSON_Delete). */
static cJSON *fit(const char *dir, const char *name, const char *keys, const char *bootstrap)
{
    char *out = harness_path(dir, name);
    struct harness_result r;
    run_long(&r, HARNESS_ARGS("fit", dir, "--out", out, "--fit", keys, "--bootstrap", bootstrap,
                              "--jobs", "2", "--quiet"), 3000);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    cJSON *j = harness_read_json(out, "fit.json");
    cr_assert_not_null(j);
    free(out);
    return j;
}

Test(fit_recovery, true_values_inside_and_wrong_model_worse, .timeout = 3600)
{
    char *scn = draft(EXP_60);
    char *dir = make_crm(11, scn);
    double truth[3];
    truths(truth);
    cJSON *right = fit(dir, "fit", FIT_KEYS, "3");
    for (int i = 0; i < 3; i++) {
        double est, lo, hi;
        key_of(right, key_path[i], &est, &lo, &hi);
        fprintf(stderr, "fit_recovery: %-24s true %-6g estimate %-10.4g 95%% interval %.4g to %.4g\n",
                key_path[i], truth[i], est, lo, hi);
        cr_expect(lo <= truth[i] && truth[i] <= hi, "%s: %g outside %g to %g", key_path[i],
                  truth[i], lo, hi);
    }
    /* --bootstrap B: B refits, and each key's percentile interval beside
     * the sandwich's. */
    cr_expect_eq(number(cJSON_GetObjectItem(right, "bootstrap"), "refits"), 3);
    const cJSON *k0;
    cJSON_ArrayForEach(k0, cJSON_GetObjectItem(right, "keys")) {
        const cJSON *b = cJSON_GetObjectItem(k0, "ci95_bootstrap");
        cr_expect(cJSON_IsArray(b) && cJSON_GetArraySize(b) == 2 &&
                  cJSON_GetArrayItem(b, 0)->valuedouble <= cJSON_GetArrayItem(b, 1)->valuedouble);
        cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(k0, "identified")));
    }
    double j_right = number(right, "objective");
    /* The same history, a model without interest decay. */
    char *wrong_scn = draft("{\"kind\": \"none\"}");
    char *path = harness_path(dir, "scenario.json");
    FILE *fp = fopen(path, "w");
    fputs(wrong_scn, fp);
    fclose(fp);
    cJSON *wrong = fit(dir, "fit-wrong", "contact.p_reach,contact.misjudge_base", "0");
    double j_wrong = number(wrong, "objective"), p_wrong = number(wrong, "j_test_p");
    fprintf(stderr, "fit_recovery: J with decay %.2f (p %.3g), without %.2f (p %.3g)\n", j_right,
            number(right, "j_test_p"), j_wrong, p_wrong);
    cr_expect(j_wrong >= 2 * j_right || p_wrong < 0.01, "J %g against %g (p %g)", j_wrong,
              j_right, p_wrong);
    cJSON_Delete(right);
    cJSON_Delete(wrong);
    free(path);
    free(wrong_scn);
    free(scn);
    fit_harness_remove_crm(dir);
}

Test(fit_recovery, interrupt_keeps_the_best_so_far, .timeout = 600)
{
    char *scn = draft(EXP_60);
    char *dir = make_crm(11, scn);
    char *out = harness_path(dir, "fit");
    struct harness_proc p;
    cr_assert_eq(harness_start(&p, NULL, HARNESS_ARGS("fit", dir, "--out", out, "--fit", FIT_KEYS,
                                                      "--bootstrap", "20", "--jobs", "2")), 0);
    /* Long enough for some evaluations, far shorter than the fit. */
    struct timespec ts = {3, 0};
    nanosleep(&ts, NULL);
    cr_assert(harness_running(&p), "the fit ended before the interrupt");
    kill(p.pid, SIGINT);
    struct harness_result r;
    cr_assert_eq(harness_wait(&p, 300, &r), 0);
    harness_assert_exit(&r, 130);
    cr_expect(harness_contains(r.err, "interrupted"), "%s", r.err);
    cJSON *j = harness_read_json(out, "fit.json");
    cr_assert_not_null(j);
    cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(j, "interrupted")));
    for (int i = 0; i < 3; i++) {
        double est, lo, hi;
        key_of(j, key_path[i], &est, &lo, &hi);
        cr_expect(isfinite(est), "%s", key_path[i]);
    }
    char *fitted = harness_path(out, "scenario.json");
    char *text = harness_read_file(fitted, NULL);
    cr_expect_not_null(text);
    free(text);
    free(fitted);
    cJSON_Delete(j);
    harness_free(&r);
    free(out);
    free(scn);
    fit_harness_remove_crm(dir);
}

Test(fit_recovery, backtest_weeks_inside, .timeout = 1800)
{
    char *scn = draft(EXP_60);
    char *dir = make_crm(11, scn);
    char *out = harness_path(dir, "fit");
    struct harness_result r;
    /* Fitted on the first 39 weeks, 13 held out. */
    run_long(&r, HARNESS_ARGS("fit", dir, "--out", out, "--fit", FIT_KEYS, "--bootstrap", "0",
                              "--jobs", "2", "--holdout-from", "273", "--quiet"),
             1500);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    char *csv_path = harness_path(out, "backtest.csv");
    char *csv = harness_read_file(csv_path, NULL);
    cr_assert_not_null(csv);
    unsigned weeks = (364 - 273) / 7;
    cr_expect_eq(harness_count_lines(csv), weeks + 1, "%s", csv);
    cJSON *j = harness_read_json(out, "fit.json");
    const cJSON *bt = cJSON_GetObjectItem(j, "backtest");
    cr_assert_not_null(bt);
    cr_expect_eq(number(bt, "weeks"), weeks);
    /* With intervals that hold 95% (or even 90%) of weeks, fewer than k of
     * 13 inside has probability under 0.001. */
    unsigned k = 0;
    while (gsl_cdf_binomial_P(k, 0.9, weeks) < 0.001)
        k++;
    double share = number(bt, "junk_inside_share");
    fprintf(stderr, "fit_recovery: back-test: junk inside in %.0f of %u weeks, conversion %.0f\n",
            share * weeks, weeks, number(bt, "conversion_inside_share") * weeks);
    cr_expect(share * weeks >= k, "%g of %u weeks inside (need %u)", share * weeks, weeks, k);
    cJSON_Delete(j);
    free(csv);
    free(csv_path);
    free(out);
    free(scn);
    fit_harness_remove_crm(dir);
}

Test(fit_coverage, hundred_seeds, .timeout = 86400)
{
    if (getenv("FUNNELSIM_SLOW") == NULL)
        cr_skip_test("make slow only (FUNNELSIM_SLOW=1)");
    const char *env = getenv("FIT_COVERAGE_SEEDS");
    unsigned seeds = env ? (unsigned)atoi(env) : FIT_COVERAGE_SEEDS;
    unsigned covered[3] = {0, 0, 0}, below_05 = 0;
    double truth[3];
    truths(truth);
    char *scn = draft(EXP_60);
    for (unsigned s = 0; s < seeds; s++) {
        char *dir = make_crm(1000 + s, scn);
        cJSON *j = fit(dir, "fit", FIT_KEYS, "0");
        for (int i = 0; i < 3; i++) {
            double est, lo, hi;
            key_of(j, key_path[i], &est, &lo, &hi);
            covered[i] += lo <= truth[i] && truth[i] <= hi;
            fprintf(stderr, "fit_coverage: seed %u %s estimate %.6g interval %.6g %.6g\n",
                    1000 + s, key_path[i], est, lo, hi);
        }
        double p = number(j, "j_test_p");
        below_05 += p < 0.05;
        fprintf(stderr, "fit_coverage: %u seeds: covered %u, %u, %u; J %.3f p %.3g\n", s + 1,
                covered[0], covered[1], covered[2], number(j, "objective"), p);
        cJSON_Delete(j);
        fit_harness_remove_crm(dir);
    }
    for (int i = 0; i < 3; i++) {
        fprintf(stderr, "fit_coverage: %-24s covered in %u of %u\n", key_path[i], covered[i],
                seeds);
        cr_expect(covered[i] * 100 >= 90 * seeds, "%s: %u of %u", key_path[i], covered[i],
                  seeds);
    }
    /* The right model: the J test rejects at 5% about 5% of the time. */
    fprintf(stderr, "fit_coverage: J test p below 0.05 in %u of %u\n", below_05, seeds);
    free(scn);
}
