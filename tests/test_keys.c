/* SPDX-License-Identifier: MIT */
/*
 * test_keys.c - the key table says what the loader does.
 *
 * `funnelsim keys --format json` must list every key of the table with
 * every field; each listed default must be the value the loader really
 * uses (a scenario that writes the default compiles to the same bytes as
 * one that leaves the key out); each plausible range must lie inside the
 * allowed one; measures, labels and tags must be what the charts, `size`
 * and the waterfall rely on.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "models/keytab.h"
#include "models/measure.h"
#include "models/scn_doc.h"
#include "tests/cli_harness.h"

static void count_key(void *user, const char *path, const struct sim_schema_key *k,
                      const struct sim_schema_obj *parent)
{
    (void)path, (void)k, (void)parent;
    (*(size_t *)user)++;
}

Test(keys, json_lists_every_key_with_every_field)
{
    static const char *const fields[] = {
        "path", "type", "enum", "min", "max", "min_open", "max_open", "required", "default",
        "default_text", "unit", "label", "measure", "measure_name", "plausible", "only_with",
        "inflow", "headcount", "help",
    };
    struct harness_result r;
    HARNESS_RUN(&r, "keys", "--format", "json");
    harness_assert_exit(&r, 0);
    cJSON *doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc, "keys --format json is not JSON");
    const cJSON *keys = cJSON_GetObjectItemCaseSensitive(doc, "keys");
    size_t want = 0, n = 0;
    sim_schema_each(keytab_root(), count_key, &want);
    cr_assert_gt(want, 60, "the table has %zu keys", want);
    const cJSON *k;
    cJSON_ArrayForEach(k, keys) {
        n++;
        for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
            cr_expect(cJSON_HasObjectItem(k, fields[f]), "key %zu lacks \"%s\"", n, fields[f]);
        const cJSON *path = cJSON_GetObjectItemCaseSensitive(k, "path");
        cr_assert(cJSON_IsString(path));
        cr_expect_not_null(keytab_find(path->valuestring), "%s: not found by its own path",
                           path->valuestring);
        const cJSON *help = cJSON_GetObjectItemCaseSensitive(k, "help");
        cr_expect(cJSON_IsString(help) && strlen(help->valuestring) > 5, "%s: no help",
                  path->valuestring);
    }
    cr_expect_eq(n, want, "keys lists %zu keys, the table has %zu", n, want);
    cr_expect_gt(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "rules")), 5);
    cJSON_Delete(doc);
    harness_free(&r);
}

/* The smallest scenario: one Poisson channel, one group. */
static const char minimal[] =
    "{\"name\": \"m\", \"channels\": [{\"name\": \"web\", \"arrivals\": {\"kind\": "
    "\"poisson\", \"per_week\": 100}}], \"team\": [{\"name\": \"a\", \"count\": 3}]}";

static void compile_with(const char *set, struct scenario *out)
{
    struct sim_err err = {0};
    struct scn_doc *doc = scn_doc_parse(minimal, "minimal.json", &err);
    cr_assert_not_null(doc, "%s", err.msg);
    if (set != NULL)
        cr_assert_eq(scn_doc_set(doc, set, &err), SIM_OK, "%s: %s", set, err.msg);
    memset(out, 0, sizeof *out);
    cr_assert_eq(scn_doc_compile(doc, out, &err), SIM_OK, "%s: %s", set ? set : "", err.msg);
    scn_doc_free(doc);
}

struct defaults {
    struct scenario base;
    unsigned checked;
};

/* The keys whose default the minimal scenario takes: scalars that are not
 * required, have a number or choice as default (not a rule in words), and
 * belong to no kind or to the kind the minimal scenario has. */
static void check_default(void *user, const char *path, const struct sim_schema_key *k,
                          const struct sim_schema_obj *parent)
{
    struct defaults *d = user;
    char set[SIM_SCHEMA_PATH_MAX + 64], num[32], where[SIM_SCHEMA_PATH_MAX];
    if ((k->flags & SIM_SCHEMA_REQUIRED) || k->def_rule != NULL || k->sub != NULL ||
        k->type == SIM_SCHEMA_ANY || k->type == SIM_SCHEMA_TEXT || k->type == SIM_SCHEMA_CUSTOM)
        return;
    if (k->only != NULL && strcmp(k->only, "poisson") != 0)
        return;
    /* The kind's selector set with the key when it is not the default kind. */
    (void)parent;
    snprintf(where, sizeof where, "%s", path);
    for (char *p = strstr(where, "[]"); p != NULL; p = strstr(where, "[]"))
        memmove(p + 3, p + 2, strlen(p + 2) + 1), memcpy(p, "[0]", 3);
    if (k->type == SIM_SCHEMA_CHOICE)
        snprintf(set, sizeof set, "%s=%s", where, k->def_text);
    else if (k->type == SIM_SCHEMA_BOOL)
        snprintf(set, sizeof set, "%s=%s", where, k->def != 0 ? "true" : "false");
    else
        snprintf(set, sizeof set, "%s=%s", where, sim_schema_num(num, k->def));
    /* A key of an object the minimal scenario lacks, beside a key that
     * object requires (deal_value's mean), cannot be written alone. */
    bool alone = true;
    for (const struct sim_schema_key *s = parent->keys; s->name != NULL; s++)
        alone &= s == k || !(s->flags & SIM_SCHEMA_REQUIRED);
    struct sim_err err = {0};
    struct scn_doc *doc = scn_doc_parse(minimal, "minimal.json", &err);
    cr_assert_not_null(doc, "%s", err.msg);
    cr_assert_eq(scn_doc_set(doc, set, &err), SIM_OK, "%s: %s", set, err.msg);
    struct scenario with;
    memset(&with, 0, sizeof with);
    int rc = scn_doc_compile(doc, &with, &err);
    scn_doc_free(doc);
    if (rc != SIM_OK && !alone)
        return;
    cr_assert_eq(rc, SIM_OK, "%s: %s", set, err.msg);
    cr_expect(memcmp(&with, &d->base, sizeof with) == 0,
              "%s: writing the listed default changes the scenario", set);
    d->checked++;
}

Test(keys, listed_defaults_are_the_loaders)
{
    struct defaults d;
    compile_with(NULL, &d.base);
    d.checked = 0;
    sim_schema_each(keytab_root(), check_default, &d);
    fprintf(stderr, "keys: %u listed defaults checked against the loader\n", d.checked);
    cr_expect_gt(d.checked, 40, "only %u defaults checked", d.checked);
}

/* A wrong default in the table must fail the check above: the minimal
 * scenario with a value other than the default differs. */
Test(keys, a_changed_value_changes_the_scenario)
{
    struct scenario base, other;
    compile_with(NULL, &base);
    compile_with("contact.retry_gap_hours=5", &other);
    cr_expect(memcmp(&base, &other, sizeof base) != 0);
}

static void check_plausible(void *user, const char *path, const struct sim_schema_key *k,
                            const struct sim_schema_obj *parent)
{
    (void)user, (void)parent;
    if (k->plausible.source == NULL)
        return;
    cr_expect(k->plausible.lo <= k->plausible.hi, "%s: plausible range upside down", path);
    cr_expect(k->plausible.lo >= k->lo && k->plausible.hi <= k->hi,
              "%s: plausible [%g, %g] outside the allowed [%g, %g]", path, k->plausible.lo,
              k->plausible.hi, k->lo, k->hi);
}

Test(keys, plausible_ranges_lie_inside_the_allowed)
{
    sim_schema_each(keytab_root(), check_plausible, NULL);
}

Test(keys, measures_of_keys_and_objects)
{
    cr_expect_eq(measure_of_path("team[3].skill"), 5);
    cr_expect_eq(measure_of_path("team[].skill"), 5);
    cr_expect_eq(measure_of_path("channels[0].fit_share"), 1);
    cr_expect_eq(measure_of_path("channels[1].arrivals"), 4, "an object whose keys are all 4");
    cr_expect_eq(measure_of_path("handoff"), 4);
    cr_expect_eq(measure_of_path("control"), 7);
    cr_expect_eq(measure_of_path("prequalification"), MEASURE_OTHER, "measures 2 and 3 mixed");
    cr_expect_eq(measure_of_path("channels"), MEASURE_OTHER);
    cr_expect_eq(measure_of_path("contact.duration.mean_hours"), MEASURE_OTHER);
    cr_expect_eq(measure_of_path("routing"), 6);
    cr_expect_eq(measure_of_path("no.such.key"), MEASURE_OTHER);
}

Test(keys, labels_name_the_element)
{
    struct sim_err err = {0};
    struct scn_doc *doc = scn_doc_parse(minimal, "minimal.json", &err);
    cr_assert_not_null(doc);
    char buf[128];
    cr_expect_str_eq(scn_doc_label(doc, "channels[0].arrivals.per_week", buf, sizeof buf),
                     "web leads a week");
    cr_expect_str_eq(scn_doc_label(doc, "team[0].count", buf, sizeof buf),
                     "managers in group 'a'");
    cr_expect_str_eq(scn_doc_label(doc, "handoff.max_backlog", buf, sizeof buf),
                     "handoff cap (leads waiting)");
    cr_expect_str_eq(scn_doc_label(doc, "seed", buf, sizeof buf), "seed", "no label: the path");
    cr_expect_str_eq(scn_doc_label(doc, "team[7].count", buf, sizeof buf),
                     "managers in group '[7]'", "no such element: its index");
    scn_doc_free(doc);
    const struct sim_schema_key *k = keytab_find("channels[2].arrivals.size");
    cr_assert_not_null(k);
    cr_expect(k->tags & KEYTAB_INFLOW);
    cr_expect(keytab_find("team[].count")->tags & KEYTAB_HEADCOUNT);
    cr_expect_null(keytab_find("team.count"), "team is an array");
    cr_expect_null(keytab_find("handoff[0].delay_hours"), "handoff is not an array");
}

Test(keys, command_line)
{
    struct harness_result r;
    HARNESS_RUN(&r, "keys", "--format", "text");
    harness_assert_exit(&r, 0);
    cr_expect(strstr(r.out, "channels[].arrivals.per_week\n") != NULL, "%s", harness_describe(&r));
    cr_expect(strstr(r.out, "label: managers in group '{name}'") != NULL);
    harness_free(&r);
    HARNESS_RUN(&r, "keys", "--format", "csv");
    harness_assert_exit(&r, 2);
    cr_expect(strstr(r.err, "--format: 'csv': must be one of table|json|markdown") != NULL,
              "%s", r.err);
    harness_free(&r);
    HARNESS_RUN(&r, "keys", "scenarios/default.json");
    harness_assert_exit(&r, 2);
    cr_expect(strstr(r.err, "keys: takes no arguments") != NULL, "%s", r.err);
    harness_free(&r);
    HARNESS_RUN(&r, "run", "scenarios/default.json", "--format", "markdown");
    harness_assert_exit(&r, 2);
    cr_expect(strstr(r.err, "must be one of table|json|csv") != NULL, "%s", r.err);
    harness_free(&r);
}
