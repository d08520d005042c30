/* SPDX-License-Identifier: MIT */
/*
 * serve_page.c - the what-if page's files and its description of the
 * scenario (serve_page.h).
 *
 * The levers are found by walking the document (its JSON, as
 * scn_doc_print() writes it) and asking the key table what each value is:
 * the tags say which keys are levers and the labels come from
 * scn_doc_label(), so a channel or group named in the file is named on
 * the page, and a key added to the table with a lever's tag appears
 * without a change here.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/serve_page.h"
#include "models/keytab.h"
#include "models/measure.h"
#include "models/metric.h"
#include "models/scn_doc.h"
#include "plots/plot_facts.h"
#include "plots/plot_style.h"
#include "sim/mem.h"

#define ASSET_PREFIX "/assets/"

bool serve_page_asset(const char *path, const char **body, size_t *len,
                      const char **content_type)
{
    const char *name = NULL;
    if (path == NULL)
        return false;
    if (strcmp(path, "/") == 0)
        name = "index.html";
    else if (strncmp(path, ASSET_PREFIX, strlen(ASSET_PREFIX)) == 0)
        name = path + strlen(ASSET_PREFIX);
    if (name == NULL || name[0] == '\0')
        return false;
    /* Exact names of the table only: no directories, no "..". */
    for (size_t i = 0; i < serve_page_files_count; i++) {
        const struct serve_page_file *f = &serve_page_files[i];
        if (strcmp(f->name, name) == 0) {
            *body = f->body;
            *len = f->len;
            *content_type = f->content_type;
            return true;
        }
    }
    return false;
}

/* ---- levers ------------------------------------------------------------------ */

static bool key_is_whole(const struct sim_schema_key *k)
{
    return k->type == SIM_SCHEMA_UINT || k->type == SIM_SCHEMA_INT ||
           k->type == SIM_SCHEMA_U64 || (k->flags & SIM_SCHEMA_WHOLE) != 0;
}

/* A step that moves a number in about a hundred steps over its range:
 * 1, 2 or 5 times a power of ten (1 for whole numbers at least). */
static double nice_step(double span, bool whole)
{
    double raw = span / 100.0;
    if (!(raw > 0))
        return whole ? 1 : 0.01;
    double p = pow(10, floor(log10(raw)));
    double step = raw / p < 2 ? p : raw / p < 5 ? 2 * p : 5 * p;
    return whole && step < 1 ? 1 : step;
}

/* min and max of a numeric lever with today's value v (NAN: none, a cap
 * that is off). */
static void lever_range(const struct sim_schema_key *k, double v, bool whole,
                        double *min, double *max)
{
    double lo = k->lo, hi = k->hi;
    const struct sim_schema_plausible *pl = &k->plausible;
    if (pl->source != NULL && (isnan(v) || (v >= pl->lo && v <= pl->hi)) && pl->hi > pl->lo) {
        *min = pl->lo;
        *max = pl->hi;
    } else if (isnan(v) || v <= 0) {
        /* No value to scale: a cap that is off.  Up to a thousand leads
         * waiting, a month of a large team's first contacts. */
        *min = 0;
        *max = 1000;
    } else {
        *min = 0.25 * v;
        *max = 3 * v;
    }
    if (whole) {
        *min = floor(*min);
        *max = ceil(*max);
    }
    if ((k->flags & SIM_SCHEMA_LO_OPEN) && *min <= lo)
        *min = whole ? lo + 1 : lo + nice_step(*max - lo, whole);
    *min = fmax(*min, lo);
    *max = fmin(*max, hi);
}

struct walk {
    const struct scn_doc *doc;
    cJSON *levers;
};

static void add_lever(struct walk *w, const char *path, const struct sim_schema_key *k,
                      const cJSON *v)
{
    char label[256];
    cJSON *l = cJSON_CreateObject();
    cJSON_AddStringToObject(l, "key", path);
    cJSON_AddStringToObject(l, "label", scn_doc_label(w->doc, path, label, sizeof label));
    cJSON_AddStringToObject(l, "unit", k->unit != NULL ? k->unit : "");
    if (k->type == SIM_SCHEMA_BOOL) {
        cJSON_AddStringToObject(l, "type", "bool");
        cJSON_AddBoolToObject(l, "value", cJSON_IsTrue(v));
    } else {
        bool whole = key_is_whole(k);
        double today = cJSON_IsNumber(v) ? v->valuedouble : NAN;
        double min, max;
        lever_range(k, today, whole, &min, &max);
        cJSON_AddStringToObject(l, "type", whole ? "integer" : "number");
        if (isnan(today))
            cJSON_AddNullToObject(l, "value");
        else
            cJSON_AddNumberToObject(l, "value", today);
        cJSON_AddNumberToObject(l, "min", min);
        cJSON_AddNumberToObject(l, "max", max);
        cJSON_AddNumberToObject(l, "step", nice_step(max - min, whole));
    }
    cJSON_AddBoolToObject(l, "nullable", (k->tags & KEYTAB_CAP) != 0);
    cJSON_AddStringToObject(l, "role", (k->tags & KEYTAB_INFLOW)      ? "inflow"
                                       : (k->tags & KEYTAB_HEADCOUNT) ? "headcount"
                                       : (k->tags & KEYTAB_CAP)       ? "cap"
                                                                      : "switch");
    cJSON_AddItemToArray(w->levers, l);
}

/* Every value of the document, depth first in the file's order. */
static void walk_levers(struct walk *w, const cJSON *node, const char *path)
{
    char child[SIM_SCHEMA_PATH_MAX];
    if (cJSON_IsObject(node) || cJSON_IsArray(node)) {
        int i = 0;
        for (const cJSON *c = node->child; c != NULL; c = c->next, i++) {
            int n = cJSON_IsArray(node) ? snprintf(child, sizeof child, "%s[%d]", path, i)
                    : path[0] ? snprintf(child, sizeof child, "%s.%s", path, c->string)
                              : snprintf(child, sizeof child, "%s", c->string);
            if (n > 0 && (size_t)n < sizeof child)
                walk_levers(w, c, child);
        }
        return;
    }
    const struct sim_schema_key *k = keytab_find(path);
    if (k == NULL)
        return;
    bool number = (k->tags & (KEYTAB_INFLOW | KEYTAB_HEADCOUNT)) && cJSON_IsNumber(node);
    bool cap = (k->tags & KEYTAB_CAP) && (cJSON_IsNumber(node) || cJSON_IsNull(node));
    bool on_off = (k->tags & KEYTAB_SWITCH) && cJSON_IsBool(node);
    if (number || cap || on_off)
        add_lever(w, path, k, node);
}

/* The document as JSON (what scn_doc_print() writes). */
static cJSON *doc_json(const struct scn_doc *doc)
{
    char *text = scn_doc_print(doc);
    cJSON *j = cJSON_Parse(text);
    free(text);
    return j;
}

/* ---- measures ----------------------------------------------------------------- */

struct diffs {
    char **paths;
    size_t n, cap;
};

static void collect(void *user, const char *path)
{
    struct diffs *d = user;
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 16;
        d->paths = sim_realloc(d->paths, d->cap * sizeof *d->paths);
    }
    d->paths[d->n++] = sim_strdup(path);
}

/* The value at `path` in a document's JSON (NULL when absent): walked
 * with the schema, so indices and keys are read as the loader reads them. */
static cJSON *value_at(cJSON *root, const char *path)
{
    struct sim_err e = {0};
    struct sim_schema_ctx c;
    struct sim_schema_target t;
    sim_schema_ctx_init(&c, "", NULL, &e);
    if (sim_schema_walk(&c, keytab_root(), root, path, SIM_SCHEMA_LOOKUP, &t) != SIM_OK ||
        t.parent == NULL)
        return NULL;
    return cJSON_IsArray(t.parent) ? NULL : cJSON_GetObjectItemCaseSensitive(t.parent, t.key);
}

/* Adds {key, value} for every value under `node` (a scalar: itself). */
static void add_leaves(cJSON *keys, const cJSON *node, const char *path)
{
    char child[SIM_SCHEMA_PATH_MAX];
    if (cJSON_IsObject(node)) {
        for (const cJSON *c = node->child; c != NULL; c = c->next) {
            int n = snprintf(child, sizeof child, "%s.%s", path, c->string);
            if (n > 0 && (size_t)n < sizeof child)
                add_leaves(keys, c, child);
        }
        return;
    }
    cJSON *kv = cJSON_CreateObject();
    cJSON_AddStringToObject(kv, "key", path);
    cJSON_AddItemToObject(kv, "value", cJSON_Duplicate(node, true));
    cJSON_AddItemToArray(keys, kv);
}

static void add_measures(cJSON *meta, const struct scn_doc *doc, const struct scn_doc *after)
{
    struct diffs d = {0};
    scn_doc_diff(doc, after, collect, &d);
    cJSON *base_json = doc_json(doc), *after_json = doc_json(after);
    cJSON *list = cJSON_AddArrayToObject(meta, "measures");
    unsigned unsettable = 0;
    for (unsigned m = 1; m <= MEASURE_COUNT; m++) {
        cJSON *keys = cJSON_CreateArray();
        for (size_t i = 0; i < d.n; i++) {
            if (measure_of_path(d.paths[i]) != m)
                continue;
            cJSON *from = value_at(base_json, d.paths[i]);
            cJSON *to = value_at(after_json, d.paths[i]);
            /* Only what --set can write: a value both documents hold and
             * that is no array (an array's length differs). */
            if (from == NULL || to == NULL || cJSON_IsArray(to) || cJSON_IsArray(from))
                unsettable++;
            else
                add_leaves(keys, to, d.paths[i]);
        }
        if (cJSON_GetArraySize(keys) == 0) {
            cJSON_Delete(keys);
            continue;
        }
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "number", m);
        cJSON_AddStringToObject(e, "name", measure_name(m));
        cJSON_AddItemToObject(e, "keys", keys);
        cJSON_AddItemToArray(list, e);
    }
    cJSON_AddNumberToObject(meta, "unsettable", unsettable);
    cJSON_Delete(base_json);
    cJSON_Delete(after_json);
    for (size_t i = 0; i < d.n; i++)
        free(d.paths[i]);
    free(d.paths);
}

/* ---- the description -------------------------------------------------------------- */

/* The figures the page shows, by their keys in the run's JSON. */
static const enum metric_id shown[] = {
    METRIC_JUNK_RATE, METRIC_LOST_RATE, METRIC_DEALS, METRIC_REVENUE,
    METRIC_PROFIT, METRIC_UTILIZATION, METRIC_WASTED_SPEND,
};

cJSON *serve_page_meta(const struct scn_doc *doc, const struct scn_doc *after)
{
    cJSON *meta = cJSON_CreateObject();
    cJSON *root = doc_json(doc);
    const cJSON *desc = cJSON_GetObjectItemCaseSensitive(root, "description");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
    cJSON_AddStringToObject(meta, "name", cJSON_IsString(name) ? name->valuestring : scn_doc_name(doc));
    cJSON_AddStringToObject(meta, "description",
                            cJSON_IsString(desc) ? desc->valuestring : "");
    struct walk w = {.doc = doc, .levers = cJSON_AddArrayToObject(meta, "levers")};
    walk_levers(&w, root, "");
    cJSON_Delete(root);
    if (after != NULL)
        add_measures(meta, doc, after);
    else
        cJSON_AddArrayToObject(meta, "measures");

    cJSON *colours = cJSON_AddObjectToObject(meta, "colours");
    for (size_t i = 0; i < plot_style_colours_count; i++)
        cJSON_AddStringToObject(colours, plot_style_colours[i].name, plot_style_colours[i].rgb);
    cJSON *reasons = cJSON_AddArrayToObject(meta, "reasons");
    for (unsigned r = 0; r < JUNK_REASONS; r++) {
        /* "junk_by_reason.bad_fit": the reason's key in the run's JSON is
         * the part after the metric's object. */
        const char *key = strrchr(metric_descs[metric_of_reason(r)].key, '.');
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "key", key != NULL ? key + 1 : metric_descs[metric_of_reason(r)].key);
        cJSON_AddStringToObject(e, "label", plot_facts_reason_words[r]);
        cJSON_AddStringToObject(e, "colour", plot_style_reason(r));
        cJSON_AddItemToArray(reasons, e);
    }
    cJSON *metrics = cJSON_AddObjectToObject(meta, "metrics");
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
        cJSON_AddStringToObject(metrics, metric_descs[shown[i]].key, metric_descs[shown[i]].label);
    return meta;
}
