/* SPDX-License-Identifier: MIT */
/*
 * cmd_keys.c - `funnelsim keys`: the scenario format's key table, printed.
 *
 * Everything printed comes from models/keytab.c through sim_schema_each();
 * nothing here knows a key.  The markdown form is what docs/scenario.md's
 * key tables are made of: one block per JSON object between
 * `<!-- keys: PATH -->` and `<!-- /keys: PATH -->`, which
 * scripts/gen-keys.sh puts in place (and checks, in the tests).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "models/keytab.h"
#include "models/measure.h"

/* ---- what a key's entry says, in words ------------------------------------ */

static void choices_text(const struct sim_schema_key *k, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; k->choice(NULL, i) != NULL && len < n; i++)
        len += (size_t)snprintf(buf + len, n - len, "%s\"%s\"", i ? ", " : "",
                                k->choice(NULL, i));
}

/* The default as a reader writes it: 0.85, "pool", true, null, a rule. */
static void default_text(const struct sim_schema_key *k, char *buf, size_t n)
{
    char num[32];
    if (k->flags & SIM_SCHEMA_REQUIRED)
        snprintf(buf, n, "required");
    else if (k->def_rule != NULL)
        snprintf(buf, n, "%s", k->def_rule);
    else if (k->type == SIM_SCHEMA_CHOICE)
        snprintf(buf, n, "\"%s\"", k->def_text);
    else if (k->type == SIM_SCHEMA_TEXT)
        snprintf(buf, n, "\"%s\"", k->def_text != NULL ? k->def_text : "");
    else if (k->type == SIM_SCHEMA_BOOL)
        snprintf(buf, n, "%s", k->def != 0 ? "true" : "false");
    else if (k->type == SIM_SCHEMA_OBJECT || k->type == SIM_SCHEMA_ARRAY ||
             k->type == SIM_SCHEMA_ANY)
        snprintf(buf, n, "%s", k->sub != NULL ? "its keys' defaults" : "none");
    else
        snprintf(buf, n, "%s", sim_schema_num(num, k->def));
}

static void range_or_choices(const struct sim_schema_key *k, char *buf, size_t n)
{
    if (k->type == SIM_SCHEMA_CHOICE)
        choices_text(k, buf, n);
    else
        sim_schema_interval(k, buf, n);
}

/* ---- JSON ------------------------------------------------------------------- */

static void add_text(cJSON *obj, const char *name, const char *text)
{
    if (text != NULL)
        cJSON_AddStringToObject(obj, name, text);
    else
        cJSON_AddNullToObject(obj, name);
}

static void json_key(void *user, const char *path, const struct sim_schema_key *k,
                     const struct sim_schema_obj *parent)
{
    cJSON *arr = user, *e = cJSON_CreateObject();
    char buf[512];
    cJSON_AddStringToObject(e, "path", path);
    cJSON_AddStringToObject(e, "type", sim_schema_type_name(k));
    if (k->type == SIM_SCHEMA_CHOICE) {
        cJSON *c = cJSON_AddArrayToObject(e, "enum");
        for (size_t i = 0; k->choice(NULL, i) != NULL; i++)
            cJSON_AddItemToArray(c, cJSON_CreateString(k->choice(NULL, i)));
    } else {
        cJSON_AddNullToObject(e, "enum");
    }
    bool ranged = k->type <= SIM_SCHEMA_U64 || (k->type == SIM_SCHEMA_CUSTOM && k->hi > k->lo) ||
                  k->type == SIM_SCHEMA_TEXT || k->type == SIM_SCHEMA_ARRAY;
    cJSON_AddItemToObject(e, "min", ranged ? out_number_or_null(k->lo) : cJSON_CreateNull());
    if (k->type == SIM_SCHEMA_U64)     /* every digit of 2^64 - 1 */
        cJSON_AddRawToObject(e, "max", SIM_SCHEMA_U64_MAX_TEXT);
    else
        cJSON_AddItemToObject(e, "max", ranged ? out_number_or_null(k->hi) : cJSON_CreateNull());
    cJSON_AddBoolToObject(e, "min_open", (k->flags & SIM_SCHEMA_LO_OPEN) != 0);
    cJSON_AddBoolToObject(e, "max_open", (k->flags & SIM_SCHEMA_HI_OPEN) != 0 || isinf(k->hi));
    cJSON_AddBoolToObject(e, "required", (k->flags & SIM_SCHEMA_REQUIRED) != 0);
    if ((k->flags & SIM_SCHEMA_REQUIRED) || k->def_rule != NULL ||
        k->type == SIM_SCHEMA_OBJECT || k->type == SIM_SCHEMA_ARRAY || k->type == SIM_SCHEMA_ANY)
        cJSON_AddNullToObject(e, "default");
    else if (k->type == SIM_SCHEMA_CHOICE || k->type == SIM_SCHEMA_TEXT)
        cJSON_AddStringToObject(e, "default", k->def_text != NULL ? k->def_text : "");
    else if (k->type == SIM_SCHEMA_BOOL)
        cJSON_AddBoolToObject(e, "default", k->def != 0);
    else
        cJSON_AddItemToObject(e, "default", out_number_or_null(k->def));
    default_text(k, buf, sizeof buf);
    cJSON_AddStringToObject(e, "default_text", buf);
    add_text(e, "unit", k->unit);
    add_text(e, "label", k->label);
    cJSON_AddNumberToObject(e, "measure", k->measure);
    add_text(e, "measure_name", k->measure != 0 ? measure_name(k->measure) : NULL);
    if (k->plausible.source != NULL) {
        cJSON *p = cJSON_AddObjectToObject(e, "plausible");
        cJSON_AddNumberToObject(p, "min", k->plausible.lo);
        cJSON_AddNumberToObject(p, "max", k->plausible.hi);
        cJSON_AddStringToObject(p, "source", k->plausible.source);
    } else {
        cJSON_AddNullToObject(e, "plausible");
    }
    if (k->only != NULL) {
        cJSON *o = cJSON_AddObjectToObject(e, "only_with");
        cJSON_AddStringToObject(o, "key", parent->selector);
        cJSON_AddStringToObject(o, "value", k->only);
    } else {
        cJSON_AddNullToObject(e, "only_with");
    }
    cJSON_AddBoolToObject(e, "inflow", (k->tags & KEYTAB_INFLOW) != 0);
    cJSON_AddBoolToObject(e, "headcount", (k->tags & KEYTAB_HEADCOUNT) != 0);
    add_text(e, "help", k->help);
    cJSON_AddItemToArray(arr, e);
}

/* Every object once, with its path pattern ("" for the top level). */
typedef void (*obj_fn)(void *user, const char *path, const struct sim_schema_obj *o);

struct objects {
    obj_fn fn;
    void *user;
};

static void object_of_key(void *user, const char *path, const struct sim_schema_key *k,
                          const struct sim_schema_obj *parent)
{
    struct objects *s = user;
    char p[SIM_SCHEMA_PATH_MAX];
    (void)parent;
    if (k->sub == NULL)
        return;
    size_t n = strlen(path);    /* "channels[]" names the elements: drop "[]" */
    if (k->type == SIM_SCHEMA_ARRAY && n >= 2)
        n -= 2;
    snprintf(p, sizeof p, "%.*s", (int)n, path);
    s->fn(s->user, p, k->sub);
}

static void each_object(obj_fn fn, void *user)
{
    struct objects s = {fn, user};
    fn(user, "", keytab_root());
    sim_schema_each(keytab_root(), object_of_key, &s);
}

static void json_rules(void *user, const char *path, const struct sim_schema_obj *o)
{
    cJSON *arr = user;
    for (const struct sim_schema_rule *r = o->rules; r != NULL && r->text != NULL; r++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "object", path);
        cJSON_AddStringToObject(e, "keys", r->keys);
        cJSON_AddStringToObject(e, "rule", r->text);
        cJSON_AddItemToArray(arr, e);
    }
}

static int print_json(struct sim_err *err)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "version", 1);
    sim_schema_each(keytab_root(), json_key, cJSON_AddArrayToObject(doc, "keys"));
    each_object(json_rules, cJSON_AddArrayToObject(doc, "rules"));
    cJSON *m = cJSON_AddArrayToObject(doc, "measures");
    for (unsigned i = 1; i <= MEASURE_COUNT; i++)
        cJSON_AddItemToArray(m, cJSON_CreateString(measure_name(i)));
    out_print_json(stdout, doc);
    cJSON_Delete(doc);
    return out_flush_stdout(err);
}

/* ---- text ------------------------------------------------------------------- */

static void text_key(void *user, const char *path, const struct sim_schema_key *k,
                     const struct sim_schema_obj *parent)
{
    char range[512], def[256];
    (void)user;
    range_or_choices(k, range, sizeof range);
    default_text(k, def, sizeof def);
    printf("%s\n  %s", path, sim_schema_type_name(k));
    if (range[0] != '\0')
        printf(k->type == SIM_SCHEMA_CHOICE ? ", one of %s" : " in %s", range);
    printf("; default %s", def);
    if (k->only != NULL)
        printf("; only with %s \"%s\"", parent->selector, k->only);
    if (k->unit != NULL)
        printf("; %s", k->unit);
    if (k->measure != 0)
        printf("; measure %u (%s)", k->measure, measure_name(k->measure));
    printf("\n");
    if (k->label != NULL)
        printf("  label: %s\n", k->label);
    if (k->plausible.source != NULL)
        printf("  plausible: %g to %g (%s)\n", k->plausible.lo, k->plausible.hi,
               k->plausible.source);
    printf("  %s\n", k->help);
}

static void text_rules(void *user, const char *path, const struct sim_schema_obj *o)
{
    (void)user;
    for (const struct sim_schema_rule *r = o->rules; r != NULL && r->text != NULL; r++)
        printf("rule (%s%s%s): %s\n", path, path[0] ? ": " : "", r->keys, r->text);
}

/* ---- markdown ----------------------------------------------------------------- */

/* A table cell: '|' would end it. */
static void md_cell(const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '|')
            putchar('\\');
        putchar(*s);
    }
}

static void md_row(const char *path, const struct sim_schema_key *k,
                   const struct sim_schema_obj *parent)
{
    char range[512], def[256];
    range_or_choices(k, range, sizeof range);
    default_text(k, def, sizeof def);
    printf("| `%s` | %s | ", k->name, sim_schema_type_name(k));
    if (k->flags & SIM_SCHEMA_REQUIRED)
        printf("**required**");
    else
        md_cell(def);
    if (k->only != NULL)
        printf(" (only with %s `\"%s\"`)", parent->selector, k->only);
    printf(" | ");
    md_cell(range);
    printf(" | %s | %s | ", k->unit != NULL ? k->unit : "",
           k->measure != 0 ? measure_name(k->measure) : "");
    md_cell(k->help);
    if (k->plausible.source != NULL) {
        printf(". Plausible: %g to %g (", k->plausible.lo, k->plausible.hi);
        md_cell(k->plausible.source);
        printf(")");
    }
    printf(" |\n");
    (void)path;
}

static void md_object(void *user, const char *path, const struct sim_schema_obj *o)
{
    (void)user;
    printf("<!-- keys: %s -->\n", path[0] ? path : "top level");
    printf("| key | type | default | range | unit | measure | meaning |\n");
    printf("| --- | --- | --- | --- | --- | --- | --- |\n");
    for (const struct sim_schema_key *k = o->keys; k->name != NULL; k++)
        md_row(path, k, o);
    if (o->rules != NULL && o->rules[0].text != NULL) {
        printf("\nRules:\n\n");
        for (const struct sim_schema_rule *r = o->rules; r->text != NULL; r++)
            printf("- %s.\n", r->text);
    }
    printf("<!-- /keys: %s -->\n\n", path[0] ? path : "top level");
}

static int keys(const struct cli_command *cmd, struct cli_opts *o)
{
    struct sim_err err = {0};
    if (o->n_args > 0) {
        sim_err_set(&err, SIM_ERR_INPUT, "keys: takes no arguments (got '%s')", o->args[0]);
        return cli_fail(cmd, &err);
    }
    int rc = SIM_OK;
    switch (o->format) {
    case FORMAT_JSON:
        rc = print_json(&err);
        break;
    case FORMAT_MARKDOWN:
        each_object(md_object, NULL);
        break;
    default:
        sim_schema_each(keytab_root(), text_key, NULL);
        printf("\n");
        each_object(text_rules, NULL);
        break;
    }
    if (o->format != FORMAT_JSON)
        rc = out_flush_stdout(&err);
    return cli_finish(cmd, rc, &err);
}

const struct cli_command cmd_keys = {
    .name = "keys",
    .usage = "[--format table|json|markdown]",
    .summary = "List every key a scenario file may hold: type, range, default, unit, label,\n"
               "measure, plausible range, the kind it needs, and the rules between keys.",
    .help = "Paths are written as in --set, with [] for any element of an array:\n"
            "channels[].arrivals.per_week.  --format json gives one object per key (the\n"
            "fields above) plus the cross-key rules; --format markdown the tables of\n"
            "docs/scenario.md.\n",
    .options = OPT_BIT(OPT_FORMAT),
    .formats = FORMAT_BIT(FORMAT_TABLE) | FORMAT_BIT(FORMAT_JSON) | FORMAT_BIT(FORMAT_MARKDOWN),
    .run = keys,
};
