/* SPDX-License-Identifier: MIT */
/*
 * test_serve_page.c - the what-if page's files and its description of a
 * scenario (cli/serve_page.h), called directly (fast tier).
 *
 * The levers must be exactly the keys the key table tags, named by the
 * table's labels, with today's value inside their range; the measures
 * must hold the keys that differ between the article's two scenarios,
 * each in the measure the key table gives it, with AFTER's value; the
 * colours must be plots/plot_style.c's, and every colour a gnuplot script
 * uses must come from that table (no script sets one of its own); the
 * page must load nothing from elsewhere and hold no inline script.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <string.h>

#include <cJSON.h>

#include "cli/serve_page.h"
#include "models/keytab.h"
#include "models/measure.h"
#include "models/scn_doc.h"
#include "plots/plot_scripts.h"
#include "plots/plot_style.h"

#define BASELINE FUNNELSIM_SRCDIR "/scenarios/article-baseline.json"
#define AFTER FUNNELSIM_SRCDIR "/scenarios/article-seven-measures.json"

static struct scn_doc *load(const char *path)
{
    struct sim_err e = {0};
    struct scn_doc *d = scn_doc_load(path, &e);
    cr_assert_not_null(d, "%s: %s", path, e.msg);
    return d;
}

static const cJSON *lever(const cJSON *meta, const char *label)
{
    const cJSON *l;
    cJSON_ArrayForEach(l, cJSON_GetObjectItem(meta, "levers"))
        if (strcmp(cJSON_GetObjectItem(l, "label")->valuestring, label) == 0)
            return l;
    return NULL;
}

Test(serve_page, assets_are_the_page_and_nothing_else)
{
    const char *body, *type;
    size_t len;
    cr_assert(serve_page_asset("/", &body, &len, &type));
    cr_assert(strstr(type, "text/html") != NULL);
    cr_assert_eq(strlen(body), len, "the body is NUL-terminated at its length");
    cr_assert(strstr(body, "/assets/app.js") != NULL);
    cr_assert(serve_page_asset("/assets/app.js", &body, &len, &type));
    cr_assert(strstr(type, "javascript") != NULL);
    cr_assert(serve_page_asset("/assets/style.css", &body, &len, &type));
    static const char *const refused[] = {
        "/index.html", "/assets/", "/assets/../app.js", "/assets/app.js?x=1", "/api/run",
        "/assets//app.js", "", "//", "/ASSETS/app.js",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        cr_expect(!serve_page_asset(refused[i], &body, &len, &type), "%s served", refused[i]);
    cr_assert(!serve_page_asset(NULL, &body, &len, &type));
}

/* Content-Security-Policy default-src 'self': no inline script or style
 * attribute handlers, no address outside the server. */
Test(serve_page, the_page_loads_nothing_from_elsewhere)
{
    for (size_t i = 0; i < serve_page_files_count; i++) {
        const struct serve_page_file *f = &serve_page_files[i];
        cr_expect(strstr(f->body, "http://") == NULL && strstr(f->body, "https://") == NULL &&
                  strstr(f->body, "//cdn") == NULL, "%s names another server", f->name);
        cr_expect(strstr(f->body, " onclick=") == NULL && strstr(f->body, " onload=") == NULL,
                  "%s: inline handler", f->name);
        if (strstr(f->name, ".html") != NULL) {
            /* every <script> has a src */
            for (const char *s = strstr(f->body, "<script"); s != NULL; s = strstr(s + 1, "<script"))
                cr_expect(strncmp(s, "<script src=", 12) == 0, "%s: inline script", f->name);
        }
    }
}

Test(serve_page, levers_come_from_the_key_table)
{
    struct scn_doc *doc = load(BASELINE);
    cJSON *meta = serve_page_meta(doc, NULL);
    cr_assert_str_eq(cJSON_GetObjectItem(meta, "name")->valuestring, "article-baseline");
    const cJSON *levers = cJSON_GetObjectItem(meta, "levers");
    /* web, webinar, seniors, novices, the cap: no campaigns in the file. */
    cr_assert_eq(cJSON_GetArraySize(levers), 5, "%d levers", cJSON_GetArraySize(levers));
    const cJSON *l;
    cJSON_ArrayForEach(l, levers) {
        const char *key = cJSON_GetObjectItem(l, "key")->valuestring;
        const struct sim_schema_key *k = keytab_find(key);
        cr_assert_not_null(k, "%s is no key", key);
        cr_expect(k->tags & (KEYTAB_INFLOW | KEYTAB_HEADCOUNT | KEYTAB_CAP | KEYTAB_SWITCH),
                  "%s is no lever", key);
        char label[256];
        cr_expect_str_eq(cJSON_GetObjectItem(l, "label")->valuestring,
                         scn_doc_label(doc, key, label, sizeof label));
        const cJSON *v = cJSON_GetObjectItem(l, "value");
        double min = cJSON_GetObjectItem(l, "min")->valuedouble;
        double max = cJSON_GetObjectItem(l, "max")->valuedouble;
        cr_expect(min >= k->lo && max <= k->hi && min < max, "%s: [%g, %g]", key, min, max);
        if (cJSON_IsNumber(v)) {
            double today = 0;
            struct sim_err e = {0};
            cr_assert_eq(scn_doc_get_number(doc, key, &today, &e), SIM_OK);
            cr_expect_eq(v->valuedouble, today, "%s", key);
            cr_expect(today >= min && today <= max, "%s: %g outside [%g, %g]", key, today, min, max);
        } else {
            cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(l, "nullable")), "%s: null, not nullable", key);
        }
    }
    const cJSON *juniors = lever(meta, "managers in group 'novices'");
    cr_assert_not_null(juniors, "no lever for the novices");
    cr_expect_str_eq(cJSON_GetObjectItem(juniors, "type")->valuestring, "integer");
    cr_expect_str_eq(cJSON_GetObjectItem(juniors, "role")->valuestring, "headcount");
    cr_expect_eq(cJSON_GetObjectItem(juniors, "step")->valuedouble, 1);
    const cJSON *web = lever(meta, "web leads a week");
    cr_assert_not_null(web);
    cr_expect_str_eq(cJSON_GetObjectItem(web, "role")->valuestring, "inflow");
    cr_expect_str_eq(cJSON_GetObjectItem(web, "type")->valuestring, "number");
    const cJSON *batch = lever(meta, "webinar leads a batch");
    cr_assert_not_null(batch);
    cr_expect_str_eq(cJSON_GetObjectItem(batch, "type")->valuestring, "integer");
    const cJSON *cap = lever(meta, "handoff cap (leads waiting)");
    cr_assert_not_null(cap);
    cr_expect(cJSON_IsNull(cJSON_GetObjectItem(cap, "value")), "the baseline has no cap");
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(meta, "measures")), 0);
    cJSON_Delete(meta);
    scn_doc_free(doc);
}

struct expect_diff {
    cJSON *keys;
    size_t missing;
};

static void check_diff(void *user, const char *path)
{
    struct expect_diff *x = user;
    const cJSON *kv;
    cJSON_ArrayForEach(kv, x->keys)
        if (strcmp(cJSON_GetObjectItem(kv, "key")->valuestring, path) == 0)
            return;
    x->missing++;
    cr_log_error("%s differs but no measure sets it", path);
}

Test(serve_page, measures_hold_the_keys_each_measure_changes)
{
    struct scn_doc *doc = load(BASELINE), *after = load(AFTER);
    cJSON *meta = serve_page_meta(doc, after);
    const cJSON *measures = cJSON_GetObjectItem(meta, "measures");
    cr_assert_eq(cJSON_GetArraySize(measures), MEASURE_COUNT,
                 "the article's AFTER changes each of the seven");
    cJSON *all = cJSON_CreateArray();
    const cJSON *m;
    unsigned expect = 1;
    cJSON_ArrayForEach(m, measures) {
        unsigned n = (unsigned)cJSON_GetObjectItem(m, "number")->valueint;
        cr_expect_eq(n, expect++, "measures in order");
        cr_expect_str_eq(cJSON_GetObjectItem(m, "name")->valuestring, measure_name(n));
        const cJSON *kv;
        cJSON_ArrayForEach(kv, cJSON_GetObjectItem(m, "keys")) {
            const char *key = cJSON_GetObjectItem(kv, "key")->valuestring;
            cr_expect_eq(measure_of_path(key), n, "%s in measure %u", key, n);
            /* AFTER's value: setting it on the baseline makes the key AFTER's. */
            const cJSON *v = cJSON_GetObjectItem(kv, "value");
            if (cJSON_IsNumber(v)) {
                double want = 0;
                struct sim_err e = {0};
                cr_assert_eq(scn_doc_get_number(after, key, &want, &e), SIM_OK, "%s", e.msg);
                cr_expect_eq(v->valuedouble, want, "%s", key);
            }
            cJSON_AddItemToArray(all, cJSON_Duplicate(kv, true));
        }
    }
    struct expect_diff x = {.keys = all};
    scn_doc_diff(doc, after, check_diff, &x);
    cr_expect_eq(x.missing, 0);
    cr_expect_eq(cJSON_GetObjectItem(meta, "unsettable")->valuedouble, 0);

    /* Applying every measure's keys to the baseline gives AFTER. */
    struct scn_doc *d = scn_doc_clone(doc);
    const cJSON *kv;
    cJSON_ArrayForEach(kv, all) {
        char *v = cJSON_PrintUnformatted(cJSON_GetObjectItem(kv, "value"));
        char set[512];
        snprintf(set, sizeof set, "%s=%s", cJSON_GetObjectItem(kv, "key")->valuestring, v);
        free(v);
        struct sim_err e = {0};
        cr_assert_eq(scn_doc_set(d, set, &e), SIM_OK, "%s: %s", set, e.msg);
    }
    size_t left = 0;
    struct expect_diff none = {.keys = cJSON_CreateArray()};
    scn_doc_diff(d, after, check_diff, &none);
    left = none.missing;
    cr_expect_eq(left, 0, "%zu keys still differ from AFTER", left);
    cJSON_Delete(none.keys);
    scn_doc_free(d);
    cJSON_Delete(all);
    cJSON_Delete(meta);
    scn_doc_free(doc);
    scn_doc_free(after);
}

Test(serve_page, colours_and_words_are_the_reports)
{
    struct scn_doc *doc = load(BASELINE);
    cJSON *meta = serve_page_meta(doc, NULL);
    const cJSON *colours = cJSON_GetObjectItem(meta, "colours");
    cr_assert_eq((size_t)cJSON_GetArraySize(colours), plot_style_colours_count);
    for (size_t i = 0; i < plot_style_colours_count; i++)
        cr_expect_str_eq(cJSON_GetObjectItem(colours, plot_style_colours[i].name)->valuestring,
                         plot_style_colours[i].rgb);
    const cJSON *reasons = cJSON_GetObjectItem(meta, "reasons");
    cr_assert_eq(cJSON_GetArraySize(reasons), JUNK_REASONS);
    for (unsigned r = 0; r < JUNK_REASONS; r++) {
        const cJSON *e = cJSON_GetArrayItem(reasons, (int)r);
        char key[64];
        snprintf(key, sizeof key, "junk_by_reason.%s", cJSON_GetObjectItem(e, "key")->valuestring);
        cr_expect_str_eq(key, metric_descs[metric_of_reason(r)].key);
        cr_expect_str_eq(cJSON_GetObjectItem(e, "colour")->valuestring, plot_style_reason(r));
    }
    cr_expect_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(meta, "metrics"), "junk_rate")->valuestring,
                     metric_descs[METRIC_JUNK_RATE].label);
    cJSON_Delete(meta);
    scn_doc_free(doc);
}

/* The scripts take every named colour from the table (rgb_NAME in the
 * .vars file) and assign none themselves (renaming one is allowed). */
Test(serve_page, the_charts_take_their_colours_from_the_table)
{
    size_t uses = 0;
    for (size_t i = 0; i < plot_scripts_count; i++)
        for (size_t j = 0; j < plot_scripts[i].n_lines; j++) {
            const char *line = plot_scripts[i].lines[j];
            if (line[0] == '#')
                continue;
            /* Greys, the grid and sizing_map's palette stay in the
             * scripts; a named colour is never assigned there. */
            cr_expect(strncmp(line, "rgb_", 4) != 0 || strstr(line, "'#") == NULL,
                      "%s: assigns a colour of its own: %s", plot_scripts[i].name, line);
            for (const char *p = strstr(line, "rgb_"); p != NULL; p = strstr(p + 1, "rgb_")) {
                char name[64];
                size_t n = 0;
                for (const char *q = p + 4; n + 1 < sizeof name &&
                     (q[0] == '_' || (q[0] >= 'a' && q[0] <= 'z')); q++)
                    name[n++] = *q;
                name[n] = '\0';
                uses++;
                cr_expect(strcmp(name, "reasons") == 0 || plot_style_find(name) != NULL,
                          "%s uses rgb_%s, which the table lacks", plot_scripts[i].name, name);
            }
        }
    cr_expect(uses > 20, "only %zu colour uses found", uses);
}
