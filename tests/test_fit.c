/*
 * test_fit.c - fitting the unobservables (models/moments.h, models/fit.h,
 * `funnelsim fit`).
 *
 * Suite `fit` (fast tier): the moments of small hand-made histories
 * against the counts they are defined by; the default keys and their
 * bounds from the key table; the history as it stood at a date; the
 * command's input errors (exit 2, naming the option and the rule).
 *
 * Suite `fit_recovery` (tests/test_fit_recovery.c; medium tier, about 7
 * minutes of CPU): a year of leads from `run --leads` of
 * tests/fit/company.json, whose interest half-life, p_reach and
 * misjudge_base are known, imported and fitted from wrong starting values by the binary: every
 * true value inside its bootstrap interval; a model without interest
 * decay fits that history clearly worse; Ctrl-C keeps the best fit so far;
 * the back-test writes one row per held-out week.
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
#include <unistd.h>

#include "models/fit.h"
#include "models/history.h"
#include "models/keytab.h"
#include "models/moments.h"
#include "tests/cli_harness.h"
#include "tests/fit_harness.h"

/* ---- hand-made histories ---------------------------------------------------- */

static struct history_lead mk(double created, double ttfc, unsigned status, unsigned reason)
{
    return (struct history_lead){
        .created_h = created, .first_contact_h = isnan(ttfc) ? NAN : created + ttfc,
        .closed_h = status == HISTORY_OPEN ? NAN : created + (isnan(ttfc) ? 1 : ttfc + 1),
        .value = NAN, .channel = 0, .owner = 0, .status = (uint8_t)status,
        .reason = (uint8_t)reason,
    };
}

static void add(struct history *h, struct history_lead l)
{
    history_add(h, &l, NULL);
}

static size_t find(const struct moments *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->name[i], name) == 0)
            return i;
    cr_assert_fail("no moment %s", name);
    return 0;
}

Test(fit, moments_count_what_they_say)
{
    struct history h = {0};
    h.horizon_h = 4 * 168;
    cr_assert_eq(history_channel(&h, "web"), 0u);
    cr_assert_eq(history_owner(&h, "ann"), 0u);
    /* Fast contacts (1 h), then slow ones (10 h). */
    const unsigned st[][2] = {
        {HISTORY_WON, HISTORY_REASON_NONE}, {HISTORY_QUALIFIED, HISTORY_REASON_NONE},
        {HISTORY_LOST, JUNK_BAD_FIT}, {HISTORY_LOST, JUNK_WENT_COLD},
        {HISTORY_LOST, JUNK_UNREACHABLE},
    };
    double ttfc[] = {1, 10};
    size_t n_fast = 0;
    for (int k = 0; k < 2; k++)
        for (int rep = 0; rep < 3; rep++)
            for (size_t s = 0; s < 5; s++) {
                /* the slow half has one more went_cold each round */
                add(&h, mk(1 + (double)(rep * 5 + s), ttfc[k], st[s][0], st[s][1]));
                if (k == 1 && s == 3)
                    add(&h, mk(2 + (double)(rep * 5 + s), ttfc[k], HISTORY_LOST, JUNK_WENT_COLD));
                n_fast += k == 0;
            }
    add(&h, mk(50, NAN, HISTORY_DISQUALIFIED, HISTORY_REASON_NONE));
    add(&h, mk(51, NAN, HISTORY_OPEN, HISTORY_REASON_NONE));
    struct moments_spec spec;
    moments_spec_init(&spec, &h, 0, 0);
    cr_assert_eq(spec.n_channels, 1u);
    cr_assert_eq(n_fast, 15u);
    struct moments *m = calloc(1, sizeof *m);
    moments_compute(&spec, &h, m);
    cr_assert_eq(m->n, MOMENTS_PER_CHANNEL + 1);
    /* The thirds: rank 11 of 33 (1 h) and rank 22 (10 h). */
    cr_expect_float_eq(spec.split_h[0][0], 1.0, 1e-12);
    cr_expect_float_eq(spec.split_h[0][1], 10.0, 1e-12);
    /* Reached: won, qualified, bad_fit, went_cold: 4 of 5 statuses x 6 +
     * the 3 extra went_cold = 27; bad_fit 6 of them. */
    double reached = 27;
    cr_expect_float_eq(m->value[find(m, "web:bad_fit")], 6 / reached, 1e-12);
    cr_expect_float_eq(m->value[find(m, "web:theorist")], 0.0, 1e-12);
    double p = 6.5 / (reached + 1);
    cr_expect_float_eq(m->var[find(m, "web:bad_fit")], p * (1 - p) / reached, 1e-12);
    /* First third (1 h): 15 contacted, 12 reached, 3 went cold, 3
     * unreachable; second (10 h): 18 contacted, 15 reached, 6 went cold, 3
     * unreachable; the last third is empty. */
    cr_expect_float_eq(m->value[find(m, "web:went_cold_early")], 3 / 12.0, 1e-12);
    cr_expect_float_eq(m->value[find(m, "web:went_cold_mid")], 6 / 15.0, 1e-12);
    cr_expect(isnan(m->value[find(m, "web:went_cold_late")]));
    cr_expect_float_eq(m->value[find(m, "web:unreachable_early")], 3 / 15.0, 1e-12);
    cr_expect_float_eq(m->value[find(m, "web:unreachable_mid")], 3 / 18.0, 1e-12);
    cr_expect_float_eq(m->value[find(m, "web:ttfc_p50")], 10.0, 1e-12);
    cr_expect_float_eq(m->value[find(m, "web:ttfc_p90")], 10.0, 1e-12);
    /* Conversion: 6 won of 34 handed (the disqualified lead is not). */
    cr_expect_float_eq(m->value[find(m, "web:conversion")], 6 / 34.0, 1e-12);
    /* Fewer than 3 weeks with 5 resolved leads: no slope. */
    cr_expect(isnan(m->value[find(m, "junk_load_slope")]));
    free(m);
    history_free(&h);
}

Test(fit, slope_of_junk_against_load)
{
    /* Week w: 10 + 5w handed leads, one owner; junk rate 0.1 + 0.02 x load
     * exactly when lost = (0.1 + 0.02 L) L is whole: L = 10, 15, 20, 25, 30
     * gives lost 3, 6, 10, 15, 21 - rates 0.3, 0.4, 0.5, 0.6, 0.7: slope
     * 0.02, no residual. */
    struct history h = {0};
    h.horizon_h = 5 * 168;
    history_channel(&h, "web");
    history_owner(&h, "ann");
    const unsigned load[] = {10, 15, 20, 25, 30}, lost[] = {3, 6, 10, 15, 21};
    for (unsigned w = 0; w < 5; w++)
        for (unsigned i = 0; i < load[w]; i++)
            add(&h, mk(168.0 * w + 1 + i, 1, i < lost[w] ? HISTORY_LOST : HISTORY_QUALIFIED,
                       i < lost[w] ? JUNK_BAD_FIT : HISTORY_REASON_NONE));
    struct moments_spec spec;
    moments_spec_init(&spec, &h, 0, 0);
    struct moments *m = calloc(1, sizeof *m);
    moments_compute(&spec, &h, m);
    size_t s = find(m, "junk_load_slope");
    cr_expect_float_eq(m->value[s], 0.02, 1e-12);
    cr_expect(m->var[s] >= 0 && m->var[s] < 1e-12, "variance %g", m->var[s]);
    /* The bootstrap over weeks: a slope that fits every week exactly stays
     * exactly fitted in every resampling with 3 distinct weeks, so the
     * variance stays tiny; the rates' variance is never made smaller. */
    double before = m->var[find(m, "web:bad_fit")];
    moments_week_bootstrap(&spec, &h, 50, 1, m);
    cr_expect(m->var[find(m, "web:bad_fit")] >= before);
    free(m);
    history_free(&h);
}

Test(fit, cut_at_a_date)
{
    struct history h = {0};
    h.horizon_h = 1000;
    history_channel(&h, "web");
    history_owner(&h, "ann");
    add(&h, mk(10, 5, HISTORY_LOST, JUNK_BAD_FIT));      /* closed at 16 */
    add(&h, mk(95, 2, HISTORY_WON, HISTORY_REASON_NONE));    /* contact 97, closed 98 */
    add(&h, mk(97, 1.5, HISTORY_LOST, JUNK_WENT_COLD));  /* contact 98.5, closed 99.5 */
    add(&h, mk(200, 1, HISTORY_WON, HISTORY_REASON_NONE));
    struct history c;
    fit_history_cut(&h, 98, &c);
    cr_assert_eq(c.n, 3u);
    cr_expect_eq(c.lead[0].status, HISTORY_LOST);
    /* closed at 98 = the cut: not yet seen */
    cr_expect_eq(c.lead[1].status, HISTORY_OPEN);
    cr_expect(!isnan(c.lead[1].first_contact_h));
    cr_expect_eq(c.lead[2].status, HISTORY_OPEN);
    cr_expect(isnan(c.lead[2].first_contact_h));
    cr_expect_eq(c.lead[2].reason, HISTORY_REASON_NONE);
    cr_expect_float_eq(c.horizon_h, 98.0, 0);
    cr_expect_str_eq(c.channel[0], "web");
    history_free(&c);
    history_free(&h);
}

Test(fit, default_keys_and_bounds)
{
    struct sim_err err = {0};
    struct scenario *scn = calloc(1, sizeof *scn);
    cr_assert_eq(scn_load(FUNNELSIM_SRCDIR "/scenarios/default.json", NULL, 0, scn, &err), SIM_OK,
                 "%s", err.msg);
    char paths[FIT_KEYS_MAX][SIM_SCHEMA_PATH_MAX];
    size_t n = fit_default_keys(scn, paths);
    /* default.json: exponential interest decay, two-phase reach decay. */
    const char *want[] = {"decay.half_life_hours", "contact.reach_decay.fast_half_life_hours",
                          "contact.reach_decay.slow_half_life_hours", "contact.misjudge_base",
                          "contact.rush_penalty", "contact.p_reach"};
    cr_assert_eq(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++) {
        cr_expect_str_eq(paths[i], want[i]);
        cr_expect_not_null(keytab_find(paths[i]));
    }
    struct scn_doc *doc = scn_doc_load(FUNNELSIM_SRCDIR "/scenarios/default.json", &err);
    cr_assert_not_null(doc);
    struct history h = {0};
    h.horizon_h = 168 * 4;
    history_channel(&h, "web");
    add(&h, mk(1, 1, HISTORY_WON, HISTORY_REASON_NONE));
    struct fit_problem *p = calloc(1, sizeof *p);
    const char *ptr[FIT_KEYS_MAX];
    for (size_t i = 0; i < n; i++)
        ptr[i] = paths[i];
    cr_assert_eq(fit_problem_init(p, doc, &h, ptr, n, 0, "--fit", &err), SIM_OK, "%s", err.msg);
    for (size_t i = 0; i < n; i++) {
        const struct fit_key *k = &p->key[i];
        const struct sim_schema_key *t = keytab_find(k->path);
        /* Inside the key's own range, around the start. */
        cr_expect(k->lo >= t->lo && k->hi <= t->hi && k->lo < k->hi, "%s", k->path);
        cr_expect(k->start >= k->lo && k->start <= k->hi, "%s", k->path);
        if (isinf(t->hi))
            cr_expect(k->hi >= 10 * k->start && k->lo <= k->start / 10, "%s", k->path);
    }
    /* A share's bounds are its range: p_reach [0, 1]. */
    cr_expect_float_eq(p->key[5].lo, 0.0, 0);
    cr_expect_float_eq(p->key[5].hi, 1.0, 0);
    /* Errors name the key and the rule. */
    const char *bad[] = {"contact.p_reahc"};
    cr_expect_eq(fit_problem_init(p, doc, &h, bad, 1, 0, "--fit", &err), SIM_ERR_INPUT);
    cr_expect(strstr(err.msg, "contact.p_reahc: no such key"), "%s", err.msg);
    err = (struct sim_err){0};
    const char *whole[] = {"contact.max_attempts"};
    cr_expect_eq(fit_problem_init(p, doc, &h, whole, 1, 0, "--fit", &err), SIM_ERR_INPUT);
    cr_expect(strstr(err.msg, "only a real-valued key"), "%s", err.msg);
    err = (struct sim_err){0};
    const char *twice[] = {"contact.p_reach", "contact.p_reach"};
    cr_expect_eq(fit_problem_init(p, doc, &h, twice, 2, 0, "--fit", &err), SIM_ERR_INPUT);
    cr_expect(strstr(err.msg, "named twice"), "%s", err.msg);
    /* half_life_hours needs the exponential kind; default.json's reach
     * decay is two-phase. */
    err = (struct sim_err){0};
    const char *other_kind[] = {"contact.reach_decay.half_life_hours"};
    cr_expect_eq(fit_problem_init(p, doc, &h, other_kind, 1, 0, "--fit", &err), SIM_ERR_INPUT);
    free(p);
    scn_doc_free(doc);
    history_free(&h);
    free(scn);
}

/* ---- the command --------------------------------------------------------------- */

Test(fit, usage_errors)
{
    char *scn = fit_harness_draft(0.45, 0.05, "{\"kind\": \"exponential\", \"half_life_hours\": 60}");
    char *dir = harness_tmpdir();
    char *path = harness_path(dir, "scenario.json");
    FILE *fp = fopen(path, "w");
    fputs(scn, fp);
    fclose(fp);
    struct harness_result r;
    HARNESS_RUN(&r, "fit", dir);
    HARNESS_ASSERT_ERROR(&r, 2, "--out FIT");
    harness_free(&r);
    /* No history in DIR. */
    char *out = harness_path(dir, "fit");
    HARNESS_RUN(&r, "fit", dir, "--out", out);
    HARNESS_ASSERT_ERROR(&r, 2, "history.json");
    harness_free(&r);
    HARNESS_RUN(&r, "fit", dir, "--out", out, "--bootstrap", "x");
    HARNESS_ASSERT_ERROR(&r, 2, "--bootstrap");
    harness_free(&r);
    free(out);
    free(path);
    free(scn);
    harness_rmtree(dir);
    free(dir);
}

Test(fit, key_and_date_errors, .timeout = 60)
{
    char *scn = fit_harness_draft(0.45, 0.05, "{\"kind\": \"exponential\", \"half_life_hours\": 60}");
    char *dir = fit_harness_make_crm("--set", "horizon_days=28", scn);
    char *out = harness_path(dir, "fit");
    struct harness_result r;
    HARNESS_RUN(&r, "fit", dir, "--out", out, "--fit", "contact.p_reach,decay.halflife");
    HARNESS_ASSERT_ERROR(&r, 2, "--fit decay.halflife", "no such key");
    harness_free(&r);
    HARNESS_RUN(&r, "fit", dir, "--out", out, "--fit", "contact.p_reach,,decay.half_life_hours");
    HARNESS_ASSERT_ERROR(&r, 2, "--fit", "empty");
    harness_free(&r);
    /* A history without its draft. */
    char *draft = harness_path(dir, "scenario.json"), *kept = harness_path(dir, "kept.json");
    cr_assert_eq(rename(draft, kept), 0);
    HARNESS_RUN(&r, "fit", dir, "--out", out);
    HARNESS_ASSERT_ERROR(&r, 2, "scenario.json: no draft scenario");
    harness_free(&r);
    cr_assert_eq(rename(kept, draft), 0);
    free(draft);
    free(kept);
    HARNESS_RUN(&r, "fit", dir, "--out", out, "--holdout-from", "2026-13-01");
    HARNESS_ASSERT_ERROR(&r, 2, "--holdout-from 2026-13-01");
    harness_free(&r);
    /* 28 days: a holdout must leave a week on each side. */
    HARNESS_RUN(&r, "fit", dir, "--out", out, "--holdout-from", "25");
    HARNESS_ASSERT_ERROR(&r, 2, "--holdout-from 25", "at least a week");
    harness_free(&r);
    free(out);
    free(scn);
    fit_harness_remove_crm(dir);
}
