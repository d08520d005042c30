/*
 * test_plot_history.c - `funnelsim facts DIR` as a user meets it, on a
 * synthetic company's history saved the way `import` saves one
 * (history_save): the three files appear, the charts are drawn and
 * inlined, every lead is accounted for in facts.json, the draft scenario
 * validates and runs with the history's rates, and the weekly junk
 * against load holds the slope the company was built with.
 *
 * Suite `plot` (medium tier: it draws with gnuplot).
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "models/history.h"
#include "plots/plot_history.h"
#include "sim/mem.h"
#include "tests/cli_harness.h"

/* The company: 26 weeks from Monday 2025-01-06; web leads on working
 * hours, twice as many in weeks 8 to 12, webinar lists every other
 * Wednesday; five SDRs, a sixth hired in week 10, one leaving after week
 * 18.  A lead resolved is junk with probability JUNK_A + JUNK_B x (the
 * week's leads per working manager). */
#define WEEKS 26
#define JUNK_A 0.10
#define JUNK_B 0.004

static const char *const owner_names[] = {"Анна", "Boris", "Chen", "Dana", "Eli", "Fay"};

static size_t add_lead(struct history *h, size_t cap)
{
    if (h->n == cap) {
        cap = cap ? 2 * cap : 1024;
        h->lead = sim_realloc(h->lead, cap * sizeof *h->lead);
    }
    return cap;
}

struct arrival {
    double t;
    uint32_t channel;
};

static int by_time(const void *x, const void *y)
{
    double a = ((const struct arrival *)x)->t, b = ((const struct arrival *)y)->t;
    return (a > b) - (a < b);
}

static void company(struct history *h, double *true_slope)
{
    memset(h, 0, sizeof *h);
    h->origin.dated = true;
    h->origin.date = sim_date_from_ymd(2025, 1, 6);
    h->horizon_h = WEEKS * 168.0;
    h->n_channels = 2;
    h->channel = sim_calloc(2, sizeof *h->channel);
    h->channel[0] = sim_strdup("web");
    h->channel[1] = sim_strdup("webinar");
    h->n_owners = 6;
    h->owner = sim_calloc(6, sizeof *h->owner);
    for (size_t o = 0; o < 6; o++) {
        h->owner[o].name = sim_strdup(owner_names[o]);
        h->owner[o].group = sim_strdup("sdrs");
        h->owner[o].start_h = o == 5 ? 10 * 168.0 : NAN;
        h->owner[o].end_h = o == 4 ? 19 * 168.0 - 1 : NAN;
    }
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 14);
    size_t cap = 0;
    for (int w = 0; w < WEEKS; w++) {
        size_t managers = 5 + (w >= 10) - (w > 18);
        /* Working-hour web leads, then the webinar list, in time order. */
        unsigned web = gsl_ran_poisson(r, (w >= 8 && w <= 12 ? 2.0 : 1.0) * 150);
        unsigned list = w % 2 == 0 ? 60 : 0;
        struct arrival *a = sim_calloc(web + list + 1, sizeof *a);
        for (unsigned i = 0; i < web; i++)
            a[i] = (struct arrival){168.0 * w + 24.0 * (double)gsl_rng_uniform_int(r, 5) + 9 +
                                    9 * gsl_rng_uniform(r), 0};
        for (unsigned i = 0; i < list; i++)     /* Wednesday 16:00 */
            a[web + i] = (struct arrival){168.0 * w + 2 * 24 + 16 + 0.001 * i, 1};
        qsort(a, web + list, sizeof *a, by_time);
        double load = (double)(web + list) / (double)managers;
        double p_junk = JUNK_A + JUNK_B * load;
        for (unsigned i = 0; i < web + list; i++) {
            cap = add_lead(h, cap);
            struct history_lead *l = &h->lead[h->n++];
            size_t o = gsl_rng_uniform_int(r, 5);
            if (w > 18 && o == 4)
                o = 0;
            if (w >= 10 && gsl_rng_uniform(r) < 1.0 / 6)
                o = 5;
            *l = (struct history_lead){.created_h = a[i].t, .first_contact_h = NAN,
                                       .closed_h = NAN, .value = NAN,
                                       .channel = a[i].channel, .owner = (uint32_t)o,
                                       .reason = HISTORY_REASON_NONE};
            if (gsl_rng_uniform(r) < 0.05) {
                l->status = HISTORY_DISQUALIFIED;
                l->closed_h = l->created_h + 0.5;
                l->owner = HISTORY_NONE;
                continue;
            }
            double wait = gsl_ran_exponential(r, 0.1 * load);
            if (l->created_h + wait >= h->horizon_h - 1) {
                l->status = HISTORY_OPEN;
                continue;
            }
            l->first_contact_h = l->created_h + wait;
            l->closed_h = l->first_contact_h + 1;
            if (gsl_rng_uniform(r) < p_junk) {
                l->status = HISTORY_LOST;
                static const unsigned reasons[] = {JUNK_BAD_FIT, JUNK_THEORIST,
                                                   JUNK_WENT_COLD, JUNK_WENT_COLD,
                                                   HISTORY_REASON_OTHER};
                l->reason = (uint8_t)reasons[gsl_rng_uniform_int(r, 5)];
            } else if (gsl_rng_uniform(r) < 0.25) {
                l->status = HISTORY_WON;
                l->value = gsl_ran_lognormal(r, log(5000), 0.6);
            } else {
                l->status = HISTORY_QUALIFIED;
            }
        }
        free(a);
    }
    gsl_rng_free(r);
    *true_slope = JUNK_B;
}

static void company_free(struct history *h)
{
    for (size_t c = 0; c < h->n_channels; c++)
        free(h->channel[c]);
    for (size_t o = 0; o < h->n_owners; o++) {
        free(h->owner[o].name);
        free(h->owner[o].group);
    }
    free(h->channel);
    free(h->owner);
    free(h->lead);
}

static size_t count(const char *text, const char *part)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, part)) != NULL; p += strlen(part))
        n++;
    return n;
}

/* Data rows of the trace file DIR/name (a header line, a row a line). */
static size_t trace_rows(const char *dir, const char *name)
{
    char *path = harness_path(dir, name);
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s", path);
    size_t lines = 0;
    for (int ch; (ch = fgetc(fp)) != EOF;)
        lines += ch == '\n';
    fclose(fp);
    free(path);
    return lines > 0 ? lines - 1 : 0;
}

Test(plot, facts_of_a_company_history, .timeout = 120)
{
    struct history h;
    double slope;
    company(&h, &slope);
    char *dir = harness_tmpdir();
    struct sim_err err = {0};
    cr_assert_eq(history_save(&h, dir, &err), SIM_OK, "%s", err.msg);

    struct harness_result r;
    HARNESS_RUN(&r, "facts", dir);
    harness_assert_exit(&r, 0);
    cr_expect(harness_contains(r.out, "report.html"), "%s", r.out);
    harness_free(&r);

    /* facts.json: every lead counted once. */
    cJSON *facts = harness_read_json(dir, "facts.json");
    const cJSON *counts = cJSON_GetObjectItem(facts, "counts");
    double leads = cJSON_GetObjectItem(counts, "leads")->valuedouble, sum = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(counts, "status"))
        sum += v->valuedouble;
    cr_expect_eq(leads, (double)h.n);
    cr_expect_eq(sum, leads);
    double by_channel = 0;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(facts, "channels"))
        by_channel += cJSON_GetObjectItem(v, "leads")->valuedouble;
    cr_expect_eq(by_channel, leads);
    /* The company was built with junk rising by JUNK_B a lead per manager. */
    const cJSON *line = cJSON_GetObjectItem(facts, "junk_vs_load");
    const cJSON *ci = cJSON_GetObjectItem(line, "slope_ci95");
    double lo = cJSON_GetArrayItem(ci, 0)->valuedouble, hi = cJSON_GetArrayItem(ci, 1)->valuedouble;
    cr_expect(lo < slope && slope < hi, "true slope %g outside [%g, %g]", slope, lo, hi);
    cr_expect_eq(cJSON_GetObjectItem(line, "weeks")->valuedouble, WEEKS);

    /* The page: every chart drawn and inlined, with its caption. */
    char *page_path = harness_path(dir, "report.html");
    char *page = harness_read_file(page_path, NULL);
    cr_assert_not_null(page);
    for (unsigned c = 0; c < PLOT_HISTORY_CHARTS; c++) {
        char id[64];
        snprintf(id, sizeof id, "id=\"chart-%s\"", plot_history_charts[c].name);
        cr_expect(harness_contains(page, id), "no %s", id);
        char png[64];
        snprintf(png, sizeof png, "%s.png", plot_history_charts[c].name);
        char *p = harness_path(dir, png);
        size_t len = 0;
        char *img = harness_read_file(p, &len);
        cr_expect(img != NULL && len > 1000, "%s not drawn", png);
        free(img);
        free(p);
    }
    cr_expect_eq(count(page, "<svg"), PLOT_HISTORY_CHARTS);
    cr_expect(harness_contains(page, "Junk rises with load"), "the summary: %s",
              strstr(page, "summary-facts"));
    cr_expect(!harness_contains(page, "<script"));
    free(page);
    free(page_path);

    /* The draft: validates, runs, and has the history's rates. */
    char *scn = harness_path(dir, "scenario.json");
    HARNESS_RUN(&r, "validate", scn);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    HARNESS_RUN(&r, "run", scn, "--reps", "1", "--quiet", "--format", "json");
    harness_assert_exit(&r, 0);
    harness_free(&r);
    cJSON *draft = harness_read_json(dir, "scenario.json");
    cr_expect_str_eq(cJSON_GetObjectItem(draft, "start_date")->valuestring, "2025-01-06");
    size_t k = 0;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(draft, "channels")) {
        double n = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(facts,
                                                                             "channels"),
                                                          (int)k), "leads")->valuedouble;
        /* Dated: the channel replays its leads' creation times. */
        const cJSON *arr = cJSON_GetObjectItem(v, "arrivals");
        cr_assert_str_eq(cJSON_GetObjectItem(arr, "kind")->valuestring, "trace");
        cr_expect_eq((double)trace_rows(dir, cJSON_GetObjectItem(arr, "file")->valuestring),
                     n, "channel %zu", k);
        k++;
    }
    cr_expect_eq(k, 2);
    const cJSON *team = cJSON_GetArrayItem(cJSON_GetObjectItem(draft, "team"), 0);
    cr_expect_eq(cJSON_GetObjectItem(team, "count")->valuedouble, 5);
    cr_expect_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(team, "hires"), "count")->valuedouble, 1);
    cr_expect_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(team, "leaves"), "count")->valuedouble, 1);
    cJSON_Delete(draft);
    cJSON_Delete(facts);
    free(scn);
    if (getenv("FUNNELSIM_KEEP_FACTS") == NULL)
        harness_rmtree(dir);
    else
        fprintf(stderr, "kept %s\n", dir);
    free(dir);
    company_free(&h);
}

Test(plot, facts_without_a_history_exits_2)
{
    char *dir = harness_tmpdir();
    struct harness_result r;
    HARNESS_RUN(&r, "facts", dir);
    harness_assert_exit(&r, 2);
    cr_expect(harness_contains(r.err, dir), "%s", r.err);
    harness_free(&r);
    HARNESS_RUN(&r, "facts");
    harness_assert_exit(&r, 2);
    harness_free(&r);
    harness_rmtree(dir);
    free(dir);
}

/* The round trip: a run's lead log imported, then its facts.  The draft
 * has the scenario's team, and the web channel's measured rate is within
 * four Poisson standard errors of the scenario's 440 a week. */
Test(plot, facts_of_an_imported_lead_log, .timeout = 120)
{
    char *dir = harness_tmpdir();
    char *log = harness_path(dir, "log.csv"), *out = harness_path(dir, "imported");
    struct harness_result r;
    HARNESS_RUN(&r, "run", "scenarios/default.json", "--reps", "1", "--quiet", "--set",
                "start_date=2025-01-06", "--set", "horizon_days=91", "--leads", log);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    HARNESS_RUN(&r, "import", log, "--out", out);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    HARNESS_RUN(&r, "facts", out, "--quiet");
    harness_assert_exit(&r, 0);
    harness_free(&r);

    cJSON *facts = harness_read_json(out, "facts.json");
    cJSON *imp = harness_read_json(out, "import.json");
    const cJSON *counts = cJSON_GetObjectItem(facts, "counts");
    cr_expect_eq(cJSON_GetObjectItem(counts, "parsed")->valuedouble,
                 cJSON_GetObjectItem(imp, "parsed")->valuedouble);
    cr_expect_eq(cJSON_GetObjectItem(counts, "leads")->valuedouble,
                 cJSON_GetObjectItem(imp, "parsed")->valuedouble);
    cr_expect_eq(cJSON_GetObjectItem(counts, "skipped")->valuedouble, 0);

    cJSON *draft = harness_read_json(out, "scenario.json");
    const cJSON *team = cJSON_GetObjectItem(draft, "team");
    cr_assert_eq(cJSON_GetArraySize(team), 2);
    cr_expect_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(team, 0), "name")->valuestring,
                     "account executives");
    cr_expect_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(team, 0), "count")->valuedouble, 2);
    cr_expect_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(team, 1), "count")->valuedouble, 8);
    const cJSON *web = cJSON_GetArrayItem(cJSON_GetObjectItem(draft, "channels"), 0);
    cr_expect_str_eq(cJSON_GetObjectItem(web, "name")->valuestring, "web");
    const cJSON *arr = cJSON_GetObjectItem(web, "arrivals");
    cr_assert_str_eq(cJSON_GetObjectItem(arr, "kind")->valuestring, "trace");
    double weeks = 91.0 / 7, se = sqrt(440 * weeks) / weeks;
    double per_week = (double)trace_rows(out, cJSON_GetObjectItem(arr, "file")->valuestring) /
                      weeks;
    cr_expect(fabs(per_week - 440) < 4 * se, "web: %g a week, the scenario 440 (se %g)",
              per_week, se);
    char *scn = harness_path(out, "scenario.json");
    HARNESS_RUN(&r, "validate", scn);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    free(scn);
    cJSON_Delete(draft);
    cJSON_Delete(imp);
    cJSON_Delete(facts);
    harness_rmtree(dir);
    free(log);
    free(out);
    free(dir);
}
