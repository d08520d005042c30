/*
 * test_credit.c - `compare --measures`: which keys changed, and each
 * measure's Shapley credit.
 *
 * The changes are read from the compiled scenarios, so a key left out and
 * the same key written at its default are no change.  The Shapley values
 * are checked against the definition (the marginal effect averaged over
 * every order of the players) computed here from independent `run --set`
 * runs of every combination: with the same seed, replication r uses the
 * same random streams in every run, so the two agree to rounding.
 *
 * Every run is the article's baseline cut to six weeks and three
 * replications, to keep the suite fast.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/keytab.h"
#include "sim/shapley.h"
#include "tests/cli_harness.h"

#define BASELINE "scenarios/article-baseline.json"
#define SMALL "--reps", "3", "--set", "horizon_days=42", "--set", "warmup_days=7", \
              "--format", "json", "--quiet"

/* ---- scenario files made from the baseline ---------------------------------- */

/* The item at `path` ("a.b", "channels[0].fit_share"), created as an
 * object when missing; with `parent`, the object holding it and its key. */
static cJSON *at_path(cJSON *root, const char *path, cJSON **parent, char *key, size_t n)
{
    cJSON *node = root;
    const char *p = path;
    while (*p != '\0') {
        size_t len = strcspn(p, ".[");
        cr_assert(len < n, "key too long in %s", path);
        memcpy(key, p, len);
        key[len] = '\0';
        p += len;
        *parent = node;
        cJSON *next = cJSON_GetObjectItemCaseSensitive(node, key);
        if (*p == '\0')
            return next;
        if (next == NULL)
            next = cJSON_AddObjectToObject(node, key);
        while (*p == '[') {
            int i = atoi(p + 1);
            next = cJSON_GetArrayItem(next, i);
            cr_assert_not_null(next, "no element %d in %s", i, path);
            p = strchr(p, ']') + 1;
        }
        if (*p == '.')
            p++;
        node = next;
    }
    return node;
}

/* Sets `path` to the JSON `value` (NULL: removes it). */
static void edit(cJSON *root, const char *path, const char *value)
{
    cJSON *parent = NULL;
    char key[64];
    at_path(root, path, &parent, key, sizeof key);
    cJSON_DeleteItemFromObjectCaseSensitive(parent, key);
    if (value != NULL) {
        cJSON *v = cJSON_Parse(value);
        cr_assert_not_null(v, "bad JSON value %s", value);
        cJSON_AddItemToObject(parent, key, v);
    }
}

static cJSON *baseline(void)
{
    char *text = harness_read_file(FUNNELSIM_SRCDIR "/" BASELINE, NULL);
    cr_assert_not_null(text);
    cJSON *root = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(root);
    return root;
}

/* Writes `doc` as DIR/NAME and returns the path (the caller frees it). */
static char *save(const char *dir, const char *name, const cJSON *doc)
{
    char *path = harness_path(dir, name), *text = cJSON_Print(doc);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
    free(text);
    return path;
}

/* The JSON a successful run printed (the caller deletes it). */
static cJSON *output(struct harness_result *r)
{
    harness_assert_exit(r, 0);
    cJSON *json = cJSON_Parse(r->out);
    cr_assert_not_null(json, "not JSON: %.200s", r->out);
    return json;
}

static double junk_mean(const cJSON *obj)
{
    return harness_number(cJSON_GetObjectItemCaseSensitive(obj, "junk_rate"), "mean");
}

static double shapley_mean(const cJSON *step)
{
    return harness_number(cJSON_GetObjectItemCaseSensitive(step, "shapley"), "mean");
}

static const cJSON *steps_of(const cJSON *json)
{
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(json, "steps");
    cr_assert(cJSON_IsArray(steps));
    return steps;
}

/* The sum of the steps' Shapley values is the total change, to rounding. */
static void assert_efficient(const cJSON *json)
{
    const cJSON *steps = steps_of(json);
    int n = cJSON_GetArraySize(steps);
    double sum = 0.0;
    for (int p = 1; p < n; p++)
        sum += shapley_mean(cJSON_GetArrayItem(steps, p));
    double total = junk_mean(cJSON_GetArrayItem(steps, n - 1)) -
                   junk_mean(cJSON_GetArrayItem(steps, 0));
    cr_expect(fabs(sum - total) <= 1e-12, "Shapley sum %.17g, total change %.17g", sum, total);
}

/* ---- which keys changed --------------------------------------------------------- */

/* BASE without its prequalification object, or with every key of it
 * written at its default (from the key table), gives the same steps and
 * the same credit: only the keys AFTER really changes are steps. */
Test(credit, absent_object_equals_its_defaults)
{
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    const struct sim_schema_key *pq = keytab_find("prequalification");
    cr_assert(pq != NULL && pq->sub != NULL);

    cJSON *absent = baseline();
    edit(absent, "prequalification", NULL);
    cJSON *written = baseline();
    edit(written, "prequalification", "{}");
    double detection_default = 0.0;
    bool enabled_default = false;
    for (const struct sim_schema_key *k = pq->sub->keys; k->name != NULL; k++) {
        char path[96], value[32];
        if (k->def_rule != NULL || k->def_text != NULL)
            continue;
        snprintf(path, sizeof path, "prequalification.%s", k->name);
        if (k->type == SIM_SCHEMA_BOOL)
            snprintf(value, sizeof value, "%s", k->def != 0 ? "true" : "false");
        else
            snprintf(value, sizeof value, "%.17g", k->def);
        edit(written, path, value);
        if (strcmp(k->name, "enabled") == 0)
            enabled_default = k->def != 0;
        if (strcmp(k->name, "theorist_detection") == 0)
            detection_default = k->def;
    }
    /* AFTER: the written defaults, with measures 2, 3 and 7 applied. */
    cJSON *after = cJSON_Duplicate(written, 1);
    char detection[32];
    snprintf(detection, sizeof detection, "%.17g", detection_default == 0.8 ? 0.6 : 0.8);
    edit(after, "prequalification.enabled", enabled_default ? "false" : "true");
    edit(after, "prequalification.theorist_detection", detection);
    edit(after, "control.audit_share", "0.3");
    /* Written but equal: the format's version, and the seed as digits. */
    edit(after, "version", "1");
    edit(after, "seed", "\"1\"");

    char *p_absent = save(dir, "absent.json", absent), *p_written = save(dir, "written.json", written);
    char *p_after = save(dir, "after.json", after);
    struct harness_result ra, rw;
    HARNESS_RUN(&ra, "compare", "--measures", p_absent, p_after, SMALL);
    HARNESS_RUN(&rw, "compare", "--measures", p_written, p_after, SMALL);
    cJSON *ja = output(&ra), *jw = output(&rw);

    const char *expect[][2] = {{"2", "prequalification.enabled"},
                               {"3", "prequalification.theorist_detection"},
                               {"7", "control.audit_share"}};
    size_t n_expect = sizeof expect / sizeof expect[0];
    for (int f = 0; f < 2; f++) {
        const cJSON *steps = steps_of(f == 0 ? ja : jw);
        cr_assert_eq((size_t)cJSON_GetArraySize(steps), n_expect + 1, "%s",
                     f == 0 ? ra.out : rw.out);
        for (size_t s = 0; s < n_expect; s++) {
            const cJSON *step = cJSON_GetArrayItem(steps, (int)s + 1);
            const cJSON *changes = cJSON_GetObjectItemCaseSensitive(step, "changes");
            cr_expect_eq(harness_number(step, "measure"), atof(expect[s][0]));
            cr_expect_eq(cJSON_GetArraySize(changes), 1);
            cr_expect_str_eq(cJSON_GetArrayItem(changes, 0)->valuestring, expect[s][1]);
        }
        assert_efficient(f == 0 ? ja : jw);
    }
    const cJSON *sa = steps_of(ja), *sw = steps_of(jw);
    for (int p = 0; p < cJSON_GetArraySize(sa); p++) {
        const cJSON *a = cJSON_GetArrayItem(sa, p), *w = cJSON_GetArrayItem(sw, p);
        cr_expect_eq(junk_mean(a), junk_mean(w), "step %d", p);
        if (p > 0)
            cr_expect_eq(shapley_mean(a), shapley_mean(w), "step %d", p);
    }
    cJSON_Delete(ja);
    cJSON_Delete(jw);
    harness_free(&ra);
    harness_free(&rw);
    cJSON_Delete(absent);
    cJSON_Delete(written);
    cJSON_Delete(after);
    free(p_absent);
    free(p_written);
    free(p_after);
    harness_rmtree(dir);
    free(dir);
}

/* ---- Shapley values --------------------------------------------------------------- */

#define PLAYERS 3

/* The junk rate of BASELINE with the players in `mask` applied, from
 * `run --set`. */
static double run_combination(const char *const sets[PLAYERS], unsigned mask)
{
    const char *args[32] = {"run", BASELINE, SMALL};
    size_t n = 0;
    while (args[n] != NULL)
        n++;
    for (unsigned i = 0; i < PLAYERS; i++)
        if (mask & (1u << i)) {
            args[n++] = "--set";
            args[n++] = sets[i];
        }
    args[n] = NULL;
    struct harness_result r;
    cr_assert_eq(harness_runv(&r, args), 0, "cannot run: %s", strerror(errno));
    cJSON *json = output(&r);
    double v = junk_mean(json);
    cJSON_Delete(json);
    harness_free(&r);
    return v;
}

/* Player i's value by the definition: its marginal effect averaged over
 * the PLAYERS! orders in which the players can join. */
static double by_orders(const double v[1u << PLAYERS], unsigned i)
{
    static const unsigned orders[][PLAYERS] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
                                               {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    size_t n = sizeof orders / sizeof orders[0];
    double sum = 0.0;
    for (size_t o = 0; o < n; o++) {
        unsigned before = 0;
        for (unsigned j = 0; orders[o][j] != i; j++)
            before |= 1u << orders[o][j];
        sum += v[before | (1u << i)] - v[before];
    }
    return sum / (double)n;
}

/* Compares each step's Shapley value with the definition computed from
 * 2^PLAYERS independent runs.  `sets` are in the order of the steps. */
static cJSON *check_against_runs(const char *dir, const char *const sets[PLAYERS])
{
    cJSON *after = baseline();
    for (unsigned i = 0; i < PLAYERS; i++) {
        char path[96];
        const char *eq = strchr(sets[i], '=');
        snprintf(path, sizeof path, "%.*s", (int)(eq - sets[i]), sets[i]);
        edit(after, path, eq + 1);
    }
    char *p_after = save(dir, "after.json", after);
    struct harness_result r;
    HARNESS_RUN(&r, "compare", "--measures", BASELINE, p_after, SMALL);
    cJSON *json = output(&r);
    const cJSON *steps = steps_of(json);
    cr_assert_eq(cJSON_GetArraySize(steps), PLAYERS + 1, "%s", r.out);

    double v[1u << PLAYERS];
    for (unsigned mask = 0; mask < (1u << PLAYERS); mask++)
        v[mask] = run_combination(sets, mask);
    for (unsigned i = 0; i < PLAYERS; i++) {
        const cJSON *step = cJSON_GetArrayItem(steps, (int)i + 1);
        /* The waterfall's points are combinations run alone. */
        cr_expect_eq(junk_mean(step), v[(2u << i) - 1], "step %u", i + 1);
        double want = by_orders(v, i);
        cr_expect(fabs(shapley_mean(step) - want) <= 1e-12,
                  "step %u: Shapley %.17g, from the runs %.17g", i + 1, shapley_mean(step), want);
    }
    assert_efficient(json);
    harness_free(&r);
    cJSON_Delete(after);
    free(p_after);
    return json;
}

Test(credit, shapley_is_the_average_over_orders)
{
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    const char *const sets[PLAYERS] = {"channels[0].fit_share=0.99", "handoff.max_backlog=80",
                                       "control.audit_share=0.3"};
    cJSON *json = check_against_runs(dir, sets);
    cJSON_Delete(json);
    harness_rmtree(dir);
    free(dir);
}

/* Changing how audits recover leads, with no audits, is a null player: 0,
 * exactly, in every replication.  So is the price of a web lead ("other
 * changes"): money is no part of the junk rate.  Being both null, the two
 * are symmetric, and get the same value. */
Test(credit, null_players_get_zero)
{
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    const char *const sets[PLAYERS] = {"handoff.max_backlog=80", "control.recovery=0.3",
                                       "channels[0].cost_per_lead=55"};
    cJSON *json = check_against_runs(dir, sets);
    const cJSON *steps = steps_of(json);
    const cJSON *control = cJSON_GetArrayItem(steps, 2), *other = cJSON_GetArrayItem(steps, 3);
    cr_expect_eq(harness_number(other, "measure"), 0.0, "the price of a lead is no measure");
    for (int p = 2; p <= 3; p++) {
        const cJSON *sh = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(steps, p), "shapley");
        cr_expect_eq(harness_number(sh, "mean"), 0.0, "step %d", p);
        cr_expect_eq(harness_number(sh, "lo"), 0.0, "step %d", p);
        cr_expect_eq(harness_number(sh, "hi"), 0.0, "step %d", p);
    }
    cr_expect_eq(shapley_mean(control), shapley_mean(other));
    double total = junk_mean(cJSON_GetArrayItem(steps, 3)) - junk_mean(cJSON_GetArrayItem(steps, 0));
    cr_expect(fabs(shapley_mean(cJSON_GetArrayItem(steps, 1)) - total) <= 1e-12,
              "the only real player takes the whole change");
    cJSON_Delete(json);
    harness_rmtree(dir);
    free(dir);
}

/* ---- sim_shapley on games with known values --------------------------------------- */

/* The weights of the subsets without a player add up to 1 for any k. */
Test(credit, weights_sum_to_one)
{
    for (size_t k = 1; k <= SIM_SHAPLEY_MAX; k++) {
        double sum = 0.0, binom = 1.0;     /* C(k - 1, s) */
        for (size_t s = 0; s < k; s++) {
            sum += binom * sim_shapley_weight(k, s);
            binom = binom * (double)(k - 1 - s) / (double)(s + 1);
        }
        cr_expect(fabs(sum - 1.0) <= 1e-12, "k %zu: %.17g", k, sum);
    }
}

/* Players 0 and 1 are worth 3 only together (symmetric: 1.5 each), player
 * 2 adds 2 alone; in replication 1 everything is doubled. */
Test(credit, symmetric_players_share_equally)
{
    enum { K = 3, REPS = 2, N = 1 << K };
    double v[N * REPS * 2];     /* stride 2: a second, unused metric between */
    for (unsigned mask = 0; mask < N; mask++)
        for (unsigned r = 0; r < REPS; r++) {
            double worth = ((mask & 3u) == 3u ? 3.0 : 0.0) + (mask & 4u ? 2.0 : 0.0);
            v[(mask * REPS + r) * 2] = worth * (double)(r + 1);
            v[(mask * REPS + r) * 2 + 1] = NAN;
        }
    double phi[K * REPS];
    sim_shapley(K, REPS, v, 2, phi);
    for (unsigned r = 0; r < REPS; r++) {
        double scale = (double)(r + 1);
        cr_expect_eq(phi[0 * REPS + r], phi[1 * REPS + r], "symmetric players, rep %u", r);
        cr_expect(fabs(phi[0 * REPS + r] - 1.5 * scale) <= 1e-15);
        cr_expect(fabs(phi[2 * REPS + r] - 2.0 * scale) <= 1e-15);
    }
}

/* A combination that breaks a rule tying keys of two steps together is an
 * input error naming the rule and the combination: here "other changes"
 * raises rush_penalty, which fits only once training has lowered
 * misjudge_base (the waterfall's own order never breaks it). */
Test(credit, combination_breaking_a_rule_is_refused)
{
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    cJSON *base = baseline(), *after = baseline();
    edit(base, "contact.misjudge_base", "0.9");
    edit(base, "contact.rush_penalty", "0.05");
    edit(after, "contact.misjudge_base", "0.1");
    edit(after, "contact.rush_penalty", "0.3");
    char *p_base = save(dir, "base.json", base), *p_after = save(dir, "after.json", after);
    struct harness_result r;
    HARNESS_RUN(&r, "compare", "--measures", p_base, p_after, SMALL);
    HARNESS_ASSERT_ERROR(&r, 2, "compare --measures: other changes without the others",
                         "misjudge_base + rush_penalty must be at most 1");
    harness_free(&r);
    cJSON_Delete(base);
    cJSON_Delete(after);
    free(p_base);
    free(p_after);
    harness_rmtree(dir);
    free(dir);
}
