/*
 * test_report.c - report.html as a browser shows it.
 *
 * The program writes a sweep and a run into one directory with --plot;
 * headless Chromium (Debian's chromium package, installed by `make deps`)
 * loads report.html from disk with networking switched off and dumps the
 * DOM it built.  The test checks that every chart drawn is in the page as
 * an inline SVG that the browser parsed (an <svg> element with drawing in
 * it inside the chart's <figure>), and that the summary sentence holds
 * the numbers of sweep.json, computed here again, independently of
 * plots/: where the mean junk curve crosses 10%, the junk rate at today's
 * inflow and the wasted spend a month there.
 *
 * A machine without Chromium fails the test, naming the package: the
 * report is part of the product, and `make test` installs it.
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
#include <sys/stat.h>

#include "tests/cli_harness.h"

#define CHROMIUM "/usr/bin/chromium"
#define CHROMIUM_TIMEOUT_S 90

static void assert_ok(const struct harness_result *r)
{
    cr_assert(!r->timed_out && r->signal == 0 && r->exit_code == 0, "%s",
              harness_describe(r));
}

/* The DOM Chromium builds from `html`, as text (the caller frees it). */
static char *dump_dom(const char *html, const char *tmp)
{
    char url[1200], user_dir[1200];
    snprintf(url, sizeof url, "file://%s", html);
    snprintf(user_dir, sizeof user_dir, "--user-data-dir=%s/chromium-profile", tmp);
    /* Chromium may leave helpers behind on a hang: the deadline kills the
     * browser, whose helpers then exit with it. */
    const struct harness_opts opts = {.prog = CHROMIUM};
    struct harness_proc browser;
    cr_assert_eq(harness_start(&browser, &opts,
                               HARNESS_ARGS("--headless", "--no-sandbox", "--disable-gpu",
                                            "--disable-quic", "--no-first-run",
                                            "--disable-background-networking",
                                            "--disable-component-update", "--disable-sync",
                                            user_dir, "--dump-dom", url)),
                 0, "cannot start %s: %s", CHROMIUM, strerror(errno));
    struct harness_result r;
    cr_assert_eq(harness_wait(&browser, CHROMIUM_TIMEOUT_S, &r), 0);
    cr_assert(!r.timed_out, "chromium took more than %d s", CHROMIUM_TIMEOUT_S);
    cr_assert(r.signal == 0 && r.exit_code == 0, "chromium failed: %s", harness_describe(&r));
    free(r.err);
    return r.out;
}

/* ---- the numbers, from sweep.json, independently -------------------------------- */

static double num(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    cr_assert(cJSON_IsNumber(item), "sweep.json: no number %s", key);
    return item->valuedouble;
}

static double mean_of(const cJSON *pt, const char *key)
{
    return num(cJSON_GetObjectItemCaseSensitive(pt, key), "mean");
}

/* 3 significant digits with thousands separators: "11,800". */
static void money(char *buf, size_t n, double x)
{
    double unit = x >= 1000 ? pow(10, floor(log10(x)) - 2) : 1;
    long long v = llround(round(x / unit) * unit);
    char digits[32];
    snprintf(digits, sizeof digits, "%lld", v);
    size_t len = strlen(digits), k = 0;
    for (size_t i = 0; i < len && k + 2 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = digits[i];
    }
    buf[k] = '\0';
}

/* The sentence the report must hold for a rising sweep over
 * channels[0].arrivals.per_week that crosses 10% inside its range. */
static void expected_sentence(const char *dir, char *buf, size_t n)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/sweep.json", dir);
    char *text = harness_read_file(path, NULL);
    cr_assert_not_null(text);
    cJSON *root = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(root);
    const cJSON *pts = cJSON_GetObjectItemCaseSensitive(root, "points");
    size_t np = (size_t)cJSON_GetArraySize(pts);
    cr_assert(np >= 3);
    double x[64], junk[64], wasted[64];
    cr_assert(np <= 64);
    for (size_t i = 0; i < np; i++) {
        const cJSON *pt = cJSON_GetArrayItem(pts, (int)i);
        x[i] = num(pt, "value");
        junk[i] = mean_of(pt, "junk_rate");
        wasted[i] = mean_of(pt, "wasted_spend");
        cr_assert(i == 0 || x[i] > x[i - 1], "the test sweeps upwards");
    }
    /* The end of the run of points at or under 10% from the lowest value,
     * then the straight line to the next point. */
    cr_assert(junk[0] <= 0.10 && junk[np - 1] > 0.10, "the test sweep must cross 10%%");
    size_t k = 0;
    while (junk[k + 1] <= 0.10)
        k++;
    double cross = x[k] + (x[k + 1] - x[k]) * (0.10 - junk[k]) / (junk[k + 1] - junk[k]);
    double today = num(cJSON_GetObjectItemCaseSensitive(root, "vary"), "base_value");
    size_t j = 0;
    while (j + 1 < np && x[j + 1] < today)
        j++;
    cr_assert(today >= x[0] && today <= x[np - 1], "today outside the sweep");
    double t = (today - x[j]) / (x[j + 1] - x[j]);
    double junk_today = junk[j] + t * (junk[j + 1] - junk[j]);
    double wasted_today = wasted[j] + t * (wasted[j + 1] - wasted[j]);
    double days = num(root, "horizon_days") - num(root, "warmup_days");
    char cost[32];
    money(cost, sizeof cost, wasted_today / days * 30.4375);
    /* The swept key by its label, with the channel's name as the
     * scenario has it (healthy.json's channels[0] is "web"). */
    snprintf(buf, n, "With %.0f managers, keep inflow (web leads a week) at or below %.0f to "
             "hold junk at or under 10%%; at today's %g, %.0f%% of handed leads become junk, "
             "costing %s a month.",
             num(root, "managers"), floor(cross), today, 100 * junk_today, cost);
    cJSON_Delete(root);
}

/* The text of the element whose opening tag is `open`, up to `close`. */
static char *element(const char *dom, const char *open, const char *close)
{
    const char *p = strstr(dom, open);
    if (p == NULL)
        return NULL;
    p += strlen(open);
    const char *e = strstr(p, close);
    if (e == NULL)
        return NULL;
    return strndup(p, (size_t)(e - p));
}

Test(report, chromium_shows_every_chart_and_the_numbers_of_the_sweep)
{
    struct stat st;
    cr_assert(stat(CHROMIUM, &st) == 0,
              "%s missing: install Debian's chromium package (make deps does)", CHROMIUM);
    /* A sweep and a run, each in its own folder (one run per folder):
     * the sweep's three charts in one report, the run's series in the
     * other. */
    char *dir = harness_tmpdir();
    char *run_dir = harness_tmpdir();
    char *tmp = harness_tmpdir();
    struct harness_result r;
    HARNESS_RUN(&r, "run", "scenarios/healthy.json", "--reps", "3", "--set", "horizon_days=56", "--set",
        "warmup_days=14", "--quiet", "--out", run_dir, "--plot");
    assert_ok(&r);
    harness_free(&r);
    HARNESS_RUN(&r, "sweep", "scenarios/healthy.json", "--vary", "channels[0].arrivals.per_week",
        "--from", "200", "--to", "1000", "--steps", "9", "--reps", "4", "--set",
        "horizon_days=70", "--set", "warmup_days=14", "--quiet", "--out", dir, "--plot");
    assert_ok(&r);
    harness_free(&r);

    char html[1100];
    snprintf(html, sizeof html, "%s/report.html", dir);
    char *page = harness_read_file(html, NULL);
    cr_assert_not_null(page, "no report.html");
    /* Self-contained: nothing to fetch. */
    static const char *const fetches[] = {"<script", "<link", "<img", "<iframe", " src=",
                                          "@import", "url(http", "href=\"http"};
    for (size_t i = 0; i < sizeof fetches / sizeof fetches[0]; i++)
        cr_assert(strstr(page, fetches[i]) == NULL, "report.html loads something: %s",
                  fetches[i]);
    free(page);

    char *dom = dump_dom(html, tmp);
    cr_assert_not_null(dom, "no DOM from chromium");
    snprintf(html, sizeof html, "%s/report.html", run_dir);
    char *run_dom = dump_dom(html, tmp);
    cr_assert_not_null(run_dom, "no DOM from chromium for the run's report");
    static const char *const charts[] = {"junk_vs_inflow", "junk_by_cause", "run_over_time",
                                         "wasted_money"};
    for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++) {
        char open[128];
        snprintf(open, sizeof open, "<figure id=\"chart-%s\">", charts[i]);
        char *fig = element(i == 2 ? run_dom : dom, open, "</figure>");
        cr_assert_not_null(fig, "%s: not in the page", charts[i]);
        const char *svg = strstr(fig, "<svg");
        cr_assert_not_null(svg, "%s: no inline <svg> in the DOM", charts[i]);
        cr_assert(strstr(svg, "</svg>") != NULL, "%s: <svg> not closed", charts[i]);
        cr_assert(strstr(svg, "<path") != NULL && strstr(svg, "<text") != NULL,
                  "%s: an empty <svg>", charts[i]);
        free(fig);
    }
    free(run_dom);
    cr_assert(strstr(dom, "chart-sizing_map") == NULL, "a chart the data does not support");

    char want[1024];
    expected_sentence(dir, want, sizeof want);
    char *got = element(dom, "<p class=\"summary\" id=\"summary-sweep\">", "</p>");
    cr_assert_not_null(got, "no sweep summary in the DOM");
    cr_assert_str_eq(got, want);
    free(got);
    free(dom);
    harness_rmtree(tmp);
    harness_rmtree(dir);
    harness_rmtree(run_dir);
    free(tmp);
    free(dir);
    free(run_dir);
}
