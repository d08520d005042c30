/* SPDX-License-Identifier: MIT */
/*
 * plot_load.c - reading a result directory back: sweep.json, result.json
 * with series_daily.csv and series_weekly.csv, measures.json
 * (plot_load.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "plots/plot_load.h"
#include "plots/plot_file.h"
#include "models/keytab.h"
#include "models/series.h"
#include "sim/date.h"
#include "sim/mem.h"

/* ---- JSON helpers ------------------------------------------------------------- */

struct jctx {
    const char *file;           /* for messages: "DIR/sweep.json" */
    struct sim_err *err;
};

const cJSON *plot_load_at(const cJSON *obj, const char *key)
{
    char part[64];
    while (obj != NULL) {
        const char *dot = strchr(key, '.');
        size_t n = dot ? (size_t)(dot - key) : strlen(key);
        if (n >= sizeof part)
            return NULL;
        memcpy(part, key, n);
        part[n] = '\0';
        obj = cJSON_GetObjectItemCaseSensitive(obj, part);
        if (dot == NULL)
            return obj;
        key = dot + 1;
    }
    return NULL;
}

double plot_load_num(const cJSON *item)
{
    return cJSON_IsNumber(item) ? item->valuedouble : NAN;
}

/* A number that must be there (null allowed: NAN). */
static int need_num(struct jctx *c, const cJSON *obj, const char *where, const char *key,
                    double *out)
{
    const cJSON *item = plot_load_at(obj, key);
    if (cJSON_IsNumber(item)) {
        *out = item->valuedouble;
        return SIM_OK;
    }
    if (cJSON_IsNull(item)) {
        *out = NAN;
        return SIM_OK;
    }
    return sim_err_set(c->err, SIM_ERR_INPUT, "%s: %s%s: missing or not a number", c->file,
                       where, key);
}

static int need_text(struct jctx *c, const cJSON *obj, const char *key, char *out, size_t n)
{
    const cJSON *item = plot_load_at(obj, key);
    if (!cJSON_IsString(item))
        return sim_err_set(c->err, SIM_ERR_INPUT, "%s: %s: missing or not a string", c->file,
                           key);
    snprintf(out, n, "%s", item->valuestring);
    return SIM_OK;
}

/* {"mean": m, "ci95": [lo, hi]} at the metric's key. */
static int need_ci(struct jctx *c, const cJSON *obj, const char *where, enum metric_id id,
                   struct plot_ci *out)
{
    const char *key = metric_descs[id].key;
    const cJSON *item = plot_load_at(obj, key);
    const cJSON *mean = cJSON_GetObjectItemCaseSensitive(item, "mean");
    const cJSON *ci = cJSON_GetObjectItemCaseSensitive(item, "ci95");
    if (!cJSON_IsObject(item) || (!cJSON_IsNumber(mean) && !cJSON_IsNull(mean)) ||
        !cJSON_IsArray(ci) || cJSON_GetArraySize(ci) != 2)
        return sim_err_set(c->err, SIM_ERR_INPUT,
                           "%s: %s%s: missing or not {\"mean\": m, \"ci95\": [lo, hi]}",
                           c->file, where, key);
    out->mean = plot_load_num(mean);
    out->lo = plot_load_num(cJSON_GetArrayItem(ci, 0));
    out->hi = plot_load_num(cJSON_GetArrayItem(ci, 1));
    return SIM_OK;
}

/* Like need_ci() for a metric that results written before it existed
 * lack: absent reads as NAN (the report then leaves it out). */
static int want_ci(struct jctx *c, const cJSON *obj, const char *where, enum metric_id id,
                   struct plot_ci *out)
{
    if (plot_load_at(obj, metric_descs[id].key) == NULL) {
        *out = (struct plot_ci){NAN, NAN, NAN};
        return SIM_OK;
    }
    return need_ci(c, obj, where, id, out);
}

/* The whole of DIR/name into *text (its length in *len): SIM_OK with
 * *text NULL when the file does not exist; an input error for one larger
 * than any result file (plot_file.h), a runtime error for one that cannot
 * be read.  `file` names it in messages. */
static int read_result(const char *dir, const char *name, const char *file, char **text,
                       size_t *len, struct sim_err *err)
{
    *text = plot_file_read(dir, name, len);
    if (*text != NULL || errno == ENOENT)
        return SIM_OK;
    if (errno == EFBIG)
        return sim_err_set(err, SIM_ERR_INPUT, "%s: more than %d MiB: larger than any "
                           "result file funnelsim writes", file, PLOT_FILE_MAX_MIB);
    return sim_err_set(err, SIM_ERR_RUNTIME, "%s: cannot read: %s", file, strerror(errno));
}

/* Parses DIR/name into *root: SIM_OK with *root NULL when the file does
 * not exist, SIM_OK with an object when it is one; otherwise an error and
 * *root NULL, the document freed here (the caller deletes only what it is
 * given).  `file` receives DIR/name for messages, shortened when long. */
static int load_json(const char *dir, const char *name, char *file, size_t n, cJSON **root,
                     struct sim_err *err)
{
    *root = NULL;
    char brief[PLOT_FILE_BRIEF_SIZE];
    snprintf(file, n, "%s/%s", plot_file_brief(brief, sizeof brief, dir), name);
    size_t len;
    char *text;
    int rc = read_result(dir, name, file, &text, &len, err);
    if (rc != SIM_OK || text == NULL)
        return rc;
    cJSON *doc = cJSON_ParseWithLength(text, len);
    free(text);
    if (!cJSON_IsObject(doc)) {
        cJSON_Delete(doc);
        return sim_err_set(err, SIM_ERR_INPUT, "%s: not a JSON object as funnelsim writes it",
                           file);
    }
    *root = doc;
    return SIM_OK;
}

/* ---- what every result records ------------------------------------------------ */

/* "target_junk" and "overrides" of a result document into d, unless an
 * earlier file gave them (a directory holds one run, so they agree).
 * Both are optional: results of an older funnelsim lack them. */
static int load_settings(struct jctx *c, const cJSON *root, struct plot_data *d)
{
    const cJSON *target = plot_load_at(root, "target_junk");
    if (target != NULL && !isfinite(d->recorded_target)) {
        if (!cJSON_IsNumber(target) || !(target->valuedouble > 0 && target->valuedouble < 1))
            return sim_err_set(c->err, SIM_ERR_INPUT, "%s: target_junk: not a share between "
                               "0 and 1", c->file);
        d->recorded_target = target->valuedouble;
    }
    const cJSON *list = plot_load_at(root, "overrides");
    if (list == NULL || d->overrides != NULL)
        return SIM_OK;
    if (!cJSON_IsArray(list))
        return sim_err_set(c->err, SIM_ERR_INPUT, "%s: overrides: not an array", c->file);
    size_t n = (size_t)cJSON_GetArraySize(list);
    if (n > PLOT_LOAD_MAX_OVERRIDES)
        return sim_err_set(c->err, SIM_ERR_INPUT, "%s: overrides: %zu, more than a command "
                           "takes (%u)", c->file, n, PLOT_LOAD_MAX_OVERRIDES);
    if (n == 0)
        return SIM_OK;
    struct plot_override *o = sim_calloc(n, sizeof *o);
    size_t i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        const cJSON *label = plot_load_at(e, "label"), *value = plot_load_at(e, "value");
        if (!cJSON_IsString(label) || !cJSON_IsString(value)) {
            free(o);
            return sim_err_set(c->err, SIM_ERR_INPUT, "%s: overrides[%zu]: not {\"label\": "
                               "text, \"value\": text}", c->file, i);
        }
        snprintf(o[i].label, sizeof o[i].label, "%s", label->valuestring);
        snprintf(o[i].value, sizeof o[i].value, "%s", value->valuestring);
        i++;
    }
    d->overrides = o;
    d->n_overrides = n;
    return SIM_OK;
}

/* ---- sweep.json --------------------------------------------------------------- */

static int load_point(struct jctx *c, const cJSON *pt, size_t i, bool grid,
                      struct plot_point *p)
{
    char where[48];
    snprintf(where, sizeof where, "points[%zu].", i);
    int rc = need_num(c, pt, where, "value", &p->value);
    p->value2 = NAN;
    if (rc == SIM_OK && grid)
        rc = need_num(c, pt, where, "value2", &p->value2);
    if (rc == SIM_OK)
        rc = need_num(c, pt, where, "offered_per_week", &p->offered);
    if (rc == SIM_OK)
        rc = need_num(c, pt, where, "capacity_per_week", &p->capacity);
    if (rc == SIM_OK)
        rc = need_num(c, pt, where, "load_ratio", &p->load);
    p->managers = plot_load_num(plot_load_at(pt, "managers"));
    if (rc == SIM_OK)
        rc = need_ci(c, pt, where, METRIC_JUNK_RATE, &p->junk);
    for (unsigned r = 0; r < JUNK_REASONS && rc == SIM_OK; r++)
        rc = need_ci(c, pt, where, metric_of_reason((enum junk_reason)r), &p->reason[r]);
    if (rc == SIM_OK)
        rc = need_ci(c, pt, where, METRIC_WASTED_SPEND, &p->wasted);
    if (rc == SIM_OK)
        rc = need_ci(c, pt, where, METRIC_REVENUE, &p->revenue);
    if (rc == SIM_OK)
        rc = need_ci(c, pt, where, METRIC_MARKETING_SPEND, &p->spend);
    p->over_capacity = cJSON_IsTrue(plot_load_at(pt, "over_capacity"));
    return rc;
}

/* The axis's label, unit and tag as sweep.json records them; for an
 * older file, the path and the key table's unit and tag. */
static void load_names(const cJSON *axis, const char *path, struct plot_axis *a)
{
    const cJSON *label = cJSON_GetObjectItemCaseSensitive(axis, "label");
    const cJSON *unit = cJSON_GetObjectItemCaseSensitive(axis, "unit");
    const cJSON *tag = cJSON_GetObjectItemCaseSensitive(axis, "tag");
    const struct sim_schema_key *k = keytab_find(path);
    snprintf(a->label, sizeof a->label, "%s",
             cJSON_IsString(label) && label->valuestring[0] != '\0' ? label->valuestring
                                                                    : path);
    if (cJSON_IsString(unit))
        snprintf(a->unit, sizeof a->unit, "%s", unit->valuestring);
    else if (unit == NULL && k != NULL && k->unit != NULL)
        snprintf(a->unit, sizeof a->unit, "%s", k->unit);
    else
        a->unit[0] = '\0';
    if (cJSON_IsString(tag))
        a->tag = strcmp(tag->valuestring, "inflow") == 0      ? PLOT_TAG_INFLOW
                 : strcmp(tag->valuestring, "headcount") == 0 ? PLOT_TAG_HEADCOUNT
                                                              : PLOT_TAG_NONE;
    else if (tag == NULL && k != NULL)
        a->tag = (k->tags & KEYTAB_INFLOW)      ? PLOT_TAG_INFLOW
                 : (k->tags & KEYTAB_HEADCOUNT) ? PLOT_TAG_HEADCOUNT
                                                : PLOT_TAG_NONE;
    else
        a->tag = PLOT_TAG_NONE;
}

static int load_axis(struct jctx *c, const cJSON *axis, const char *key, char *path,
                     struct plot_axis *names, unsigned *steps, double *base)
{
    char where[16];
    snprintf(where, sizeof where, "%s.", key);
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(axis, "path");
    if (!cJSON_IsString(p))
        return sim_err_set(c->err, SIM_ERR_INPUT, "%s: %s.path: missing or not a string",
                           c->file, key);
    snprintf(path, PLOT_LOAD_TEXT_MAX, "%s", p->valuestring);
    load_names(axis, path, names);
    double s;
    int rc = need_num(c, axis, where, "steps", &s);
    if (rc == SIM_OK && !(s >= 1 && s <= PLOT_LOAD_MAX_POINTS))
        rc = sim_err_set(c->err, SIM_ERR_INPUT, "%s: %s.steps: must be a whole number from 1 "
                         "to %u", c->file, key, PLOT_LOAD_MAX_POINTS);
    *steps = rc == SIM_OK ? (unsigned)s : 0;
    *base = plot_load_num(cJSON_GetObjectItemCaseSensitive(axis, "base_value"));
    return rc;
}

/* The channels' names joined: "web, webinar". */
static void load_channels(const cJSON *list, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        if (!cJSON_IsString(e) || len + 1 >= n)
            continue;
        int k = snprintf(buf + len, n - len, "%s%s", len ? ", " : "", e->valuestring);
        len = k > 0 && len + (size_t)k < n ? len + (size_t)k : n - 1;
    }
}

static int load_sweep(const char *dir, struct plot_sweep **out, struct plot_data *d,
                      struct sim_err *err)
{
    char file[320];
    cJSON *root;
    int rc = load_json(dir, "sweep.json", file, sizeof file, &root, err);
    if (rc != SIM_OK || root == NULL)
        return rc;
    struct jctx c = {file, err};
    struct plot_sweep *s = sim_calloc(1, sizeof *s);
    double reps = 0;
    s->base_value = s->base_value2 = s->managers = NAN;
    rc = need_text(&c, root, "scenario", s->scenario, sizeof s->scenario);
    if (rc == SIM_OK)
        rc = need_text(&c, root, "file", s->file, sizeof s->file);
    if (rc == SIM_OK)
        rc = load_axis(&c, plot_load_at(root, "vary"), "vary", s->path, &s->axis, &s->steps,
                       &s->base_value);
    const cJSON *vary2 = plot_load_at(root, "vary2");
    if (rc == SIM_OK && cJSON_IsObject(vary2)) {
        s->grid = true;
        rc = load_axis(&c, vary2, "vary2", s->path2, &s->axis2, &s->steps2,
                       &s->base_value2);
    }
    if (rc == SIM_OK)
        rc = need_num(&c, root, "", "replications", &reps);
    if (rc == SIM_OK)
        rc = need_num(&c, root, "", "horizon_days", &s->horizon_days);
    if (rc == SIM_OK)
        rc = need_num(&c, root, "", "warmup_days", &s->warmup_days);
    if (rc == SIM_OK)
        rc = need_num(&c, root, "", "capacity_per_week", &s->capacity);
    if (rc == SIM_OK)
        rc = need_num(&c, root, "", "offered_per_week", &s->offered);
    const cJSON *points = plot_load_at(root, "points");
    if (rc == SIM_OK && !cJSON_IsArray(points))
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s: points: missing or not an array", file);
    if (rc == SIM_OK && (size_t)cJSON_GetArraySize(points) > PLOT_LOAD_MAX_POINTS)
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s: points: %d, more than a sweep has (%u)",
                         file, cJSON_GetArraySize(points), PLOT_LOAD_MAX_POINTS);
    if (rc == SIM_OK) {
        s->reps = reps >= 0 && reps < 1e9 ? (unsigned)reps : 0;
        s->managers = plot_load_num(plot_load_at(root, "managers"));
        s->interrupted = cJSON_IsTrue(plot_load_at(root, "interrupted"));
        load_channels(plot_load_at(root, "channel_names"), s->channels, sizeof s->channels);
        rc = load_settings(&c, root, d);
    }
    if (rc == SIM_OK) {
        s->n = (size_t)cJSON_GetArraySize(points);
        s->pts = sim_calloc(s->n, sizeof *s->pts);
    }
    size_t i = 0;
    const cJSON *pt;
    cJSON_ArrayForEach(pt, points) {
        if (rc != SIM_OK)
            break;
        rc = load_point(&c, pt, i, s->grid, &s->pts[i]);
        i++;
    }
    cJSON_Delete(root);
    if (rc != SIM_OK) {
        free(s->pts);
        free(s);
        return rc;
    }
    *out = s;
    return SIM_OK;
}

/* ---- run: result.json and the series ------------------------------------------ */

/* A CSV of numbers under a header row: the column named `col` of every
 * row into a growing array (an empty field reads as NAN), at most
 * `max_rows` of them.  An `optional` file that is missing gives no rows. */
static int csv_column_of(const char *dir, const char *name, const char *col, size_t max_rows,
                         bool optional, double **out, size_t *n_out, struct sim_err *err)
{
    char file[PLOT_FILE_BRIEF_SIZE + 64], brief[PLOT_FILE_BRIEF_SIZE];
    snprintf(file, sizeof file, "%s/%s", plot_file_brief(brief, sizeof brief, dir), name);
    char *text;
    int rc = read_result(dir, name, file, &text, NULL, err);
    if (rc != SIM_OK)
        return rc;
    if (text == NULL && optional) {
        *out = NULL;
        *n_out = 0;
        return SIM_OK;
    }
    if (text == NULL)
        return sim_err_set(err, SIM_ERR_INPUT, "%s/%s: missing (run --out writes it "
                           "next to result.json)", dir, name);
    char *line = text, *next = strchr(line, '\n');
    if (next != NULL)
        *next++ = '\0';
    int idx = -1, k = 0;
    for (char *f = line, *comma; f != NULL; f = comma ? comma + 1 : NULL, k++) {
        comma = strchr(f, ',');
        size_t len = comma ? (size_t)(comma - f) : strcspn(f, "\r");
        if (len == strlen(col) && strncmp(f, col, len) == 0)
            idx = k;
    }
    if (idx < 0) {
        free(text);
        return sim_err_set(err, SIM_ERR_INPUT, "%s/%s: no column '%s' in the header", dir,
                           name, col);
    }
    size_t n = 0, cap = 64;
    double *v = sim_reallocarray(NULL, cap, sizeof *v);
    for (line = next; line != NULL && *line != '\0'; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        char *f = line;
        for (int j = 0; j < idx && f != NULL; j++) {
            f = strchr(f, ',');
            f = f ? f + 1 : NULL;
        }
        if (f == NULL) {
            rc = sim_err_set(err, SIM_ERR_INPUT, "%s/%s: row %zu: fewer columns than the "
                             "header", dir, name, n + 1);
            break;
        }
        if (n == max_rows) {
            rc = sim_err_set(err, SIM_ERR_INPUT, "%s/%s: more than %zu rows: more than a "
                             "run of %u days has", dir, name, max_rows, PLOT_LOAD_MAX_DAYS);
            break;
        }
        char *end;
        double x = strtod(f, &end);
        if (end == f)
            x = NAN;
        if (n == cap) {
            cap *= 2;
            v = sim_reallocarray(v, cap, sizeof *v);
        }
        v[n++] = x;
    }
    free(text);
    if (rc != SIM_OK) {
        free(v);
        return rc;
    }
    *out = v;
    *n_out = n;
    return SIM_OK;
}

static int csv_column(const char *dir, const char *name, const char *col, size_t max_rows,
                      double **out, size_t *n_out, struct sim_err *err)
{
    return csv_column_of(dir, name, col, max_rows, false, out, n_out, err);
}

static void run_free(struct plot_run *r)
{
    if (r == NULL)
        return;
    free(r->backlog_day);
    free(r->inflow_week);
    free(r->resolved_week);
    free(r->junk_week);
    free(r->cohort_junk);
    free(r->cohort_lo);
    free(r->cohort_hi);
    free(r->weekly);
    free(r->without);
    free(r);
}

/* A {mean, ci95: [lo, hi]} of result.json; NAN where absent or null. */
static struct plot_ci ci_of(const cJSON *obj)
{
    const cJSON *ci = cJSON_GetObjectItemCaseSensitive(obj, "ci95");
    return (struct plot_ci){plot_load_num(cJSON_GetObjectItemCaseSensitive(obj, "mean")),
                            plot_load_num(cJSON_GetArrayItem(ci, 0)),
                            plot_load_num(cJSON_GetArrayItem(ci, 1))};
}

/* The weeks of a weekly object ({"weeks": [...]}, cli/output.c), at most
 * PLOT_LOAD_MAX_WEEKS; NULL and 0 when absent. */
static struct plot_week *weeks_of(const cJSON *obj, size_t *n)
{
    const cJSON *weeks = cJSON_GetObjectItemCaseSensitive(obj, "weeks");
    *n = 0;
    if (!cJSON_IsArray(weeks) || cJSON_GetArraySize(weeks) < 1)
        return NULL;
    size_t m = (size_t)cJSON_GetArraySize(weeks);
    if (m > PLOT_LOAD_MAX_WEEKS)
        m = PLOT_LOAD_MAX_WEEKS;
    struct plot_week *w = sim_calloc(m, sizeof *w);
    const cJSON *row;
    cJSON_ArrayForEach(row, weeks) {
        if (*n == m)
            break;
        struct plot_week *x = &w[(*n)++];
        x->from_day = plot_load_num(cJSON_GetObjectItemCaseSensitive(row, "from_day"));
        x->complete = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "complete"));
        x->junk = ci_of(plot_load_at(row, weekly_name(WEEKLY_JUNK_RATE)));
        x->deals = ci_of(plot_load_at(row, weekly_name(WEEKLY_DEALS)));
        x->revenue = ci_of(plot_load_at(row, weekly_name(WEEKLY_REVENUE)));
    }
    return w;
}

/* A mark's label: the item's `key` (a name given in the scenario). */
static void mark_label(const cJSON *item, const char *key, struct plot_mark *m)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, key));
    snprintf(m->label, sizeof m->label, "%s", s != NULL ? s : "");
}

/* result.json's timeline: its marks and start date (all optional: a folder
 * from before them has none). */
static void load_timeline(const cJSON *tl, struct plot_run *r)
{
    static const char *const lists[PLOT_MARK_KINDS] = {"campaigns", "trade_shows", "hires",
                                                        "leaves"};
    for (unsigned k = 0; k < PLOT_MARK_KINDS; k++) {
        const cJSON *item;
        cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(tl, lists[k])) {
            if (r->n_marks[k] == PLOT_LOAD_MAX_MARKS)
                break;
            struct plot_mark m = {.enabled = true};
            if (k == PLOT_MARK_CAMPAIGN) {
                mark_label(item, "name", &m);
                m.from_day = plot_load_num(plot_load_at(item, "from_day"));
                m.to_day = plot_load_num(plot_load_at(item, "to_day"));
                m.multiplier = cJSON_IsNumber(plot_load_at(item, "multiplier"));
                m.count = plot_load_num(plot_load_at(item, m.multiplier ? "multiplier"
                                                                        : "per_week"));
                m.enabled = !cJSON_IsFalse(plot_load_at(item, "enabled"));
            } else {
                mark_label(item, k == PLOT_MARK_SHOW ? "channel" : "group", &m);
                m.from_day = m.to_day = plot_load_num(plot_load_at(item, "day"));
                m.count = plot_load_num(plot_load_at(item, k == PLOT_MARK_SHOW ? "leads"
                                                                                : "count"));
            }
            if (isfinite(m.from_day) && isfinite(m.to_day))
                r->marks[k][r->n_marks[k]++] = m;
        }
    }
    const char *start = cJSON_GetStringValue(plot_load_at(tl, "start_date"));
    char why[128];
    if (start != NULL && sim_date_parse(start, &r->start_date, why, sizeof why))
        r->dated = true;
}

static int load_run(const char *dir, struct plot_run **out, struct plot_data *d,
                    struct sim_err *err)
{
    char file[320];
    cJSON *root;
    int rc = load_json(dir, "result.json", file, sizeof file, &root, err);
    if (rc != SIM_OK || root == NULL)
        return rc;
    struct jctx c = {file, err};
    struct plot_run *r = sim_calloc(1, sizeof *r);
    double reps = 0;
    rc = need_text(&c, root, "scenario", r->scenario, sizeof r->scenario);
    if (rc == SIM_OK)
        rc = need_text(&c, root, "file", r->file, sizeof r->file);
    if (rc == SIM_OK)
        rc = need_num(&c, root, "", "replications", &reps);
    if (rc == SIM_OK)
        rc = need_num(&c, root, "", "horizon_days", &r->horizon_days);
    if (rc == SIM_OK)
        rc = need_num(&c, root, "", "warmup_days", &r->warmup_days);
    if (rc == SIM_OK)
        rc = need_num(&c, root, "", "capacity_per_week", &r->capacity);
    if (rc == SIM_OK)
        rc = need_num(&c, root, "", "offered_per_week", &r->offered);
    if (rc == SIM_OK)
        rc = need_ci(&c, root, "", METRIC_JUNK_RATE, &r->junk);
    for (unsigned k = 0; k < JUNK_REASONS && rc == SIM_OK; k++)
        rc = need_ci(&c, root, "", metric_of_reason((enum junk_reason)k), &r->reason[k]);
    if (rc == SIM_OK)
        rc = need_ci(&c, root, "", METRIC_WASTED_SPEND, &r->wasted);
    if (rc == SIM_OK)
        rc = need_ci(&c, root, "", METRIC_REVENUE, &r->revenue);
    if (rc == SIM_OK)
        rc = need_ci(&c, root, "", METRIC_WAIT_MEAN, &r->wait);
    if (rc == SIM_OK)
        rc = need_ci(&c, root, "", METRIC_BACKLOG_MEAN, &r->backlog);
    if (rc == SIM_OK)
        rc = need_ci(&c, root, "", METRIC_UTILIZATION, &r->utilization);
    if (rc == SIM_OK)
        rc = want_ci(&c, root, "", METRIC_LOST_RATE, &r->lost);
    if (rc == SIM_OK)
        rc = want_ci(&c, root, "", METRIC_DEALS, &r->deals);
    if (rc == SIM_OK)
        rc = want_ci(&c, root, "", METRIC_MARKETING_SPEND, &r->spend);
    if (rc == SIM_OK)
        rc = want_ci(&c, root, "", METRIC_TEAM_COST, &r->team_cost);
    if (rc == SIM_OK)
        rc = want_ci(&c, root, "", METRIC_PROFIT, &r->profit);
    if (rc == SIM_OK)
        rc = want_ci(&c, root, "", METRIC_COST_PER_DEAL, &r->cost_per_deal);
    if (rc == SIM_OK) {
        r->reps = reps >= 0 && reps < 1e9 ? (unsigned)reps : 0;
        r->over_capacity = cJSON_IsTrue(plot_load_at(root, "over_capacity"));
        /* Optional: the worst week (absent before weekly cohorts). */
        const cJSON *ww = plot_load_at(root, "worst_week");
        const cJSON *wk = cJSON_GetObjectItemCaseSensitive(ww, "week");
        const cJSON *wj = cJSON_GetObjectItemCaseSensitive(ww, "junk_rate");
        const cJSON *wci = cJSON_GetObjectItemCaseSensitive(wj, "ci95");
        if (cJSON_IsNumber(wk) && wk->valuedouble >= 1 && wk->valuedouble < 1e6 &&
            cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(wj, "mean"))) {
            r->worst_week = (unsigned)wk->valuedouble;
            r->worst_junk.mean = cJSON_GetObjectItemCaseSensitive(wj, "mean")->valuedouble;
            const cJSON *lo = cJSON_GetArrayItem(wci, 0), *hi = cJSON_GetArrayItem(wci, 1);
            r->worst_junk.lo = cJSON_IsNumber(lo) ? lo->valuedouble : NAN;
            r->worst_junk.hi = cJSON_IsNumber(hi) ? hi->valuedouble : NAN;
            const cJSON *ru = cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(ww, "runner_up"), "week");
            r->runner_up = cJSON_IsNumber(ru) && ru->valuedouble >= 1 && ru->valuedouble < 1e6
                               ? (unsigned)ru->valuedouble : 0;
            r->worst_overlaps = cJSON_IsTrue(plot_load_at(ww, "overlaps_runner_up"));
        }
        /* Optional: a folder from before the timeline has no marks. */
        const cJSON *h;
        cJSON_ArrayForEach(h, plot_load_at(root, "timeline.holidays"))
            if (cJSON_IsNumber(h) && r->n_holidays < PLOT_LOAD_MAX_MARKS)
                r->holidays[r->n_holidays++] = h->valuedouble;
        load_timeline(plot_load_at(root, "timeline"), r);
        r->weekly = weeks_of(plot_load_at(root, "weekly"), &r->n_weekly);
        r->without = weeks_of(plot_load_at(root, "weekly_without_campaigns"), &r->n_without);
        const cJSON *m;
        cJSON_ArrayForEach(m, plot_load_at(root, "junk_on")) {
            if (r->n_on == PLOT_LOAD_MAX_ON || m->string == NULL)
                break;
            snprintf(r->on[r->n_on].name, sizeof r->on[r->n_on].name, "%s", m->string);
            r->on[r->n_on++].junk = ci_of(m);
        }
        const cJSON *t = plot_load_at(root, "target_on");
        const char *tn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "name"));
        snprintf(r->target_on, sizeof r->target_on, "%s", tn != NULL ? tn : "");
        r->target_from = plot_load_num(cJSON_GetObjectItemCaseSensitive(t, "from_day"));
        r->target_to = plot_load_num(cJSON_GetObjectItemCaseSensitive(t, "to_day"));
        rc = load_settings(&c, root, d);
    }
    cJSON_Delete(root);
    size_t n_inflow = 0, n_resolved = 0, n_junk = 0;
    if (rc == SIM_OK)
        rc = csv_column(dir, "series_daily.csv", "backlog", PLOT_LOAD_MAX_DAYS,
                        &r->backlog_day, &r->n_days, err);
    if (rc == SIM_OK)
        rc = csv_column(dir, "series_weekly.csv", "inflow", PLOT_LOAD_MAX_WEEKS,
                        &r->inflow_week, &n_inflow, err);
    if (rc == SIM_OK)
        rc = csv_column(dir, "series_weekly.csv", "resolved", PLOT_LOAD_MAX_WEEKS,
                        &r->resolved_week, &n_resolved, err);
    if (rc == SIM_OK)
        rc = csv_column(dir, "series_weekly.csv", "junk", PLOT_LOAD_MAX_WEEKS,
                        &r->junk_week, &n_junk, err);
    /* The cohorts' junk rate and band, by handoff week (weekly.csv). */
    static const char *const cohort_cols[] = {"junk_rate_mean", "junk_rate_lo", "junk_rate_hi"};
    double **cohort[] = {&r->cohort_junk, &r->cohort_lo, &r->cohort_hi};
    size_t n_cohort[3] = {0, 0, 0};
    for (size_t k = 0; k < 3 && rc == SIM_OK; k++)
        rc = csv_column_of(dir, "weekly.csv", cohort_cols[k], PLOT_LOAD_MAX_WEEKS, true,
                           cohort[k], &n_cohort[k], err);
    r->n_cohort = n_cohort[0] < n_cohort[1] ? n_cohort[0] : n_cohort[1];
    r->n_cohort = r->n_cohort < n_cohort[2] ? r->n_cohort : n_cohort[2];
    if (rc != SIM_OK) {
        run_free(r);
        return rc;
    }
    r->n_weeks = n_inflow;
    *out = r;
    return SIM_OK;
}

/* ---- measures.json ------------------------------------------------------------- */

static void measures_free(struct plot_measures *m)
{
    if (m != NULL)
        free(m->steps);
    free(m);
}

static int load_measures(const char *dir, struct plot_measures **out, struct plot_data *d,
                         struct sim_err *err)
{
    char file[320];
    cJSON *root;
    int rc = load_json(dir, "measures.json", file, sizeof file, &root, err);
    if (rc != SIM_OK || root == NULL)
        return rc;
    struct jctx c = {file, err};
    struct plot_measures *m = sim_calloc(1, sizeof *m);
    double reps = 0;
    rc = need_text(&c, root, "base", m->base, sizeof m->base);
    if (rc == SIM_OK)
        rc = need_text(&c, root, "after", m->after, sizeof m->after);
    if (rc == SIM_OK)
        rc = need_num(&c, root, "", "replications", &reps);
    const cJSON *steps = plot_load_at(root, "steps");
    if (rc == SIM_OK && (!cJSON_IsArray(steps) || cJSON_GetArraySize(steps) < 1))
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s: steps: missing or empty", file);
    if (rc == SIM_OK && (size_t)cJSON_GetArraySize(steps) > PLOT_LOAD_MAX_STEPS)
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s: steps: %d, more than the waterfall has "
                         "(%u: the baseline, %u measures, the other changes)", file,
                         cJSON_GetArraySize(steps), PLOT_LOAD_MAX_STEPS,
                         (unsigned)MEASURE_COUNT);
    if (rc == SIM_OK)
        rc = load_settings(&c, root, d);
    if (rc == SIM_OK) {
        m->reps = reps >= 0 && reps < 1e9 ? (unsigned)reps : 0;
        m->n = (size_t)cJSON_GetArraySize(steps);
        m->steps = sim_calloc(m->n, sizeof *m->steps);
    }
    size_t i = 0;
    const cJSON *st;
    cJSON_ArrayForEach(st, steps) {
        if (rc != SIM_OK)
            break;
        struct plot_step *p = &m->steps[i];
        char where[32];
        snprintf(where, sizeof where, "steps[%zu].", i);
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(st, "name");
        if (!cJSON_IsString(name)) {
            rc = sim_err_set(err, SIM_ERR_INPUT, "%s: %sname: missing or not a string", file,
                             where);
            break;
        }
        snprintf(p->name, sizeof p->name, "%s", name->valuestring);
        double measure = plot_load_num(cJSON_GetObjectItemCaseSensitive(st, "measure"));
        p->measure = measure >= 1 && measure <= MEASURE_COUNT ? (unsigned)measure : 0;
        rc = need_ci(&c, st, where, METRIC_JUNK_RATE, &p->junk);
        struct plot_ci held = {NAN, NAN, NAN};
        if (rc == SIM_OK)
            rc = need_ci(&c, st, where, METRIC_HELD_BACK_RATE, &held);
        p->held_back = held.mean;
        if (rc == SIM_OK)
            rc = want_ci(&c, st, where, METRIC_LOST_RATE, &p->lost);
        if (rc == SIM_OK)
            rc = want_ci(&c, st, where, METRIC_DEALS, &p->deals);
        const cJSON *sh = cJSON_GetObjectItemCaseSensitive(st, "shapley");
        p->shapley.mean = plot_load_num(cJSON_GetObjectItemCaseSensitive(sh, "mean"));
        p->shapley.lo = plot_load_num(cJSON_GetObjectItemCaseSensitive(sh, "lo"));
        p->shapley.hi = plot_load_num(cJSON_GetObjectItemCaseSensitive(sh, "hi"));
        i++;
    }
    cJSON_Delete(root);
    if (rc != SIM_OK) {
        measures_free(m);
        return rc;
    }
    *out = m;
    return SIM_OK;
}

/* ---- the directory ------------------------------------------------------------- */

int plot_load(const char *dir, struct plot_data *d, struct sim_err *err)
{
    double target = d->target;
    memset(d, 0, sizeof *d);
    d->dir = dir;
    d->target = target;
    d->recorded_target = NAN;
    int rc = load_sweep(dir, &d->sweep, d, err);
    if (rc == SIM_OK)
        rc = load_run(dir, &d->run, d, err);
    if (rc == SIM_OK)
        rc = load_measures(dir, &d->measures, d, err);
    if (rc == SIM_OK) {
        char file[320];
        cJSON *cmp;
        rc = load_json(dir, "compare.json", file, sizeof file, &cmp, err);
        d->compare = cmp != NULL;
        struct jctx c = {file, err};
        if (rc == SIM_OK && cmp != NULL)
            rc = load_settings(&c, cmp, d);
        cJSON_Delete(cmp);
    }
    if (rc != SIM_OK)
        plot_load_free(d);
    return rc;
}

void plot_load_free(struct plot_data *d)
{
    if (d->sweep != NULL)
        free(d->sweep->pts);
    free(d->sweep);
    run_free(d->run);
    measures_free(d->measures);
    free(d->overrides);
    d->overrides = NULL;
    d->n_overrides = 0;
    d->sweep = NULL;
    d->run = NULL;
    d->measures = NULL;
}
