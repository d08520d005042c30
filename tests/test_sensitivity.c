/*
 * test_sensitivity.c - `funnelsim sensitivity` as a user meets it: the
 * real binary, its JSON and CSV, its exit status.
 *
 * The runs are the default scenario cut to 8 weeks (2 of warm-up) at a few
 * replications, so the suite takes a few seconds; the charts are drawn in
 * the plot suite (test_plot.c), which is in the medium tier.
 *
 * What is asserted, and why it can fail:
 *   - the ranks are a permutation and follow |swing|, largest first;
 *   - report.target_junk does not change the simulation (it is only the
 *     charts' target), so with common random numbers every replication at
 *     either end is the base's replication: its swing is 0 exactly, its
 *     interval [0, 0], and it is within the noise;
 *   - a higher win rate can only win more deals: the win rate's swing on
 *     deals is positive with its interval above 0;
 *   - bad --keys exit 2 naming the option and the rule;
 *   - --jobs 1 and --jobs 2 give the same bytes.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/cli_harness.h"

#define DEFAULT "scenarios/default.json"
#define SHORT "--set", "horizon_days=56", "--set", "warmup_days=14"
#define SOME_KEYS "sales.win_rate,contact.p_reach,report.target_junk,contact.contactable"

static const char *const metrics[] = {"junk_rate", "deals", "profit"};
#define N_METRICS (sizeof metrics / sizeof metrics[0])

/* `sensitivity --format json` of DEFAULT, parsed. */
static cJSON *run_json(const char *keys, const char *reps, const char *jobs, char **text)
{
    struct harness_result r;
    if (keys != NULL)
        HARNESS_RUN(&r, "sensitivity", DEFAULT, SHORT, "--keys", keys, "--reps", reps,
                    "--jobs", jobs, "--quiet", "--format", "json");
    else
        HARNESS_RUN(&r, "sensitivity", DEFAULT, SHORT, "--reps", reps, "--jobs", jobs,
                    "--quiet", "--format", "json");
    harness_assert_exit(&r, 0);
    cJSON *root = cJSON_Parse(r.out);
    cr_assert_not_null(root, "not JSON: %.200s", r.out);
    if (text != NULL)
        *text = strdup(r.out);
    harness_free(&r);
    return root;
}

static const cJSON *key_named(const cJSON *root, const char *path)
{
    const cJSON *k;
    cJSON_ArrayForEach(k, harness_item(root, "keys"))
    {
        const cJSON *name = harness_item(k, "key");
        if (cJSON_IsString(name) && strcmp(name->valuestring, path) == 0)
            return k;
    }
    cr_assert_fail("no key %s in the result", path);
    return NULL;
}

static const cJSON *effect(const cJSON *key, const char *metric)
{
    return harness_item(harness_item(key, "metrics"), metric);
}

Test(sensitivity, ranking_follows_the_swings)
{
    cJSON *root = run_json(SOME_KEYS, "6", "2", NULL);
    const cJSON *keys = harness_item(root, "keys");
    int n = cJSON_GetArraySize(keys);
    cr_assert_eq(n, 4, "four keys asked, %d in the result", n);
    for (size_t m = 0; m < N_METRICS; m++) {
        double by_rank[4];
        bool seen[4] = {false};
        for (int i = 0; i < n; i++) {
            const cJSON *e = effect(cJSON_GetArrayItem(keys, i), metrics[m]);
            double rank = harness_number(e, "rank");
            cr_assert(rank >= 1 && rank <= n && rank == floor(rank), "%s: rank %g", metrics[m],
                      rank);
            cr_assert(!seen[(int)rank - 1], "%s: rank %g twice", metrics[m], rank);
            seen[(int)rank - 1] = true;
            by_rank[(int)rank - 1] = fabs(harness_number(harness_item(e, "swing"), "mean"));
        }
        for (int r = 1; r < n; r++)
            cr_assert(by_rank[r - 1] >= by_rank[r], "%s: rank %d swings %g, rank %d %g",
                      metrics[m], r, by_rank[r - 1], r + 1, by_rank[r]);
    }
    cJSON_Delete(root);
}

Test(sensitivity, a_key_the_simulation_ignores_swings_by_exactly_zero)
{
    cJSON *root = run_json(SOME_KEYS, "6", "2", NULL);
    const cJSON *k = key_named(root, "report.target_junk");
    for (size_t m = 0; m < N_METRICS; m++) {
        const cJSON *e = effect(k, metrics[m]);
        const cJSON *swing = harness_item(e, "swing");
        cr_assert_eq(harness_number(swing, "mean"), 0.0, "%s", metrics[m]);
        const cJSON *ci = harness_item(swing, "ci95");
        cr_assert_eq(harness_element(ci, 0), 0.0, "%s: interval low", metrics[m]);
        cr_assert_eq(harness_element(ci, 1), 0.0, "%s: interval high", metrics[m]);
        cr_assert(cJSON_IsTrue(harness_item(e, "within_noise")), "%s", metrics[m]);
        /* Both ends are the base, replication by replication. */
        cr_assert_eq(harness_number(harness_item(e, "low_vs_base"), "mean"), 0.0);
        cr_assert_eq(harness_number(harness_item(e, "high_vs_base"), "mean"), 0.0);
        /* And it ranks last: every other key moves something. */
        cr_assert_eq(harness_number(e, "rank"), 4, "%s", metrics[m]);
    }
    cJSON_Delete(root);
}

Test(sensitivity, a_higher_win_rate_wins_more_deals)
{
    cJSON *root = run_json(SOME_KEYS, "6", "2", NULL);
    const cJSON *k = key_named(root, "sales.win_rate");
    cr_assert_lt(harness_number(k, "low"), harness_number(k, "high"));
    const cJSON *e = effect(k, "deals");
    const cJSON *swing = harness_item(e, "swing");
    const cJSON *ci = harness_item(swing, "ci95");
    cr_assert_gt(harness_element(ci, 0), 0.0, "deals swing %g, interval from %g",
                 harness_number(swing, "mean"), harness_element(ci, 0));
    cr_assert(cJSON_IsFalse(harness_item(e, "within_noise")));
    /* The swing is the paired difference of the two ends' means. */
    double low = harness_number(harness_item(e, "at_low"), "mean");
    double high = harness_number(harness_item(e, "at_high"), "mean");
    cr_assert_float_eq(harness_number(swing, "mean"), high - low, 1e-9 * fabs(high) + 1e-9);
    cJSON_Delete(root);
}

Test(sensitivity, default_keys_are_those_the_scenario_uses_once_per_group)
{
    char *one = NULL, *two = NULL;
    cJSON *root = run_json(NULL, "3", "1", &one);
    cJSON *again = run_json(NULL, "3", "2", &two);
    /* Reproducible whatever --jobs. */
    cr_assert_str_eq(one, two, "--jobs 1 and --jobs 2 differ at: %.200s",
                     harness_first_difference(one, two));
    /* default.json has two groups: new_lead_share once for each, labelled
     * with the group's name. */
    const cJSON *k0 = key_named(root, "team[0].new_lead_share");
    const cJSON *k1 = key_named(root, "team[1].new_lead_share");
    cr_assert(strstr(harness_item(k0, "label")->valuestring, "'account executives'") != NULL,
              "%s", harness_item(k0, "label")->valuestring);
    cr_assert(strstr(harness_item(k1, "label")->valuestring, "'sdrs'") != NULL);
    /* Its interest decay is exponential: the two-phase keys of `decay`
     * are left out; its reach decay is two-phase: those are in. */
    const cJSON *k;
    cJSON_ArrayForEach(k, harness_item(root, "keys"))
    {
        const char *path = harness_item(k, "key")->valuestring;
        cr_assert(strncmp(path, "decay.", 6) != 0, "%s: not used by the scenario", path);
    }
    key_named(root, "contact.reach_decay.floor");
    cr_assert_eq(cJSON_GetArraySize(harness_item(root, "keys")), 10);
    cJSON_Delete(root);
    cJSON_Delete(again);
    free(one);
    free(two);
}

Test(sensitivity, csv_is_the_same_whatever_jobs)
{
    struct harness_result a, b;
    HARNESS_RUN(&a, "sensitivity", DEFAULT, SHORT, "--keys", SOME_KEYS, "--reps", "4",
                "--jobs", "1", "--quiet", "--format", "csv");
    HARNESS_RUN(&b, "sensitivity", DEFAULT, SHORT, "--keys", SOME_KEYS, "--reps", "4",
                "--jobs", "2", "--quiet", "--format", "csv");
    harness_assert_exit(&a, 0);
    harness_assert_exit(&b, 0);
    cr_assert_str_eq(a.out, b.out);
    /* A header and one row per key and metric. */
    cr_assert_eq(harness_count_lines(a.out), 1 + 4 * N_METRICS);
    cr_assert(strncmp(a.out, "key,label,unit,low,high,base_value,metric,", 42) == 0, "%.80s",
              a.out);
    harness_free(&a);
    harness_free(&b);
}

Test(sensitivity, bad_keys_exit_2_naming_the_option_and_the_rule)
{
    struct harness_result r;
    HARNESS_RUN(&r, "sensitivity", DEFAULT, "--keys", "sales.win_rat", "--quiet");
    harness_assert_error(&r, 2, (const char *[]){"--keys", "sales.win_rat", "unknown key",
                                                 "did you mean \"sales.win_rate\"", NULL});
    harness_free(&r);
    HARNESS_RUN(&r, "sensitivity", DEFAULT, "--keys", "contact.misjudge_base", "--quiet");
    harness_assert_error(&r, 2, (const char *[]){"--keys", "contact.misjudge_base",
                                                 "no plausible range", NULL});
    harness_free(&r);
    HARNESS_RUN(&r, "sensitivity", DEFAULT, "--keys", "decay.floor", "--quiet");
    harness_assert_error(&r, 2, (const char *[]){"--keys", "decay.floor", "not used by",
                                                 "two_phase", NULL});
    harness_free(&r);
    HARNESS_RUN(&r, "sensitivity", DEFAULT, "--keys", "team[5].new_lead_share", "--quiet");
    harness_assert_error(&r, 2, (const char *[]){"--keys", "team[5]", "no such element", NULL});
    harness_free(&r);
}
