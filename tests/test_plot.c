/*
 * test_plot.c - the charts: every kind drawn by the real binary
 * from a small run, the files checked as a user (and gnuplot) meets them,
 * and the numbers the charts mark checked on curves whose answers are
 * known.
 *
 * Rendering tests run the program with --plot on short runs (70 days or
 * less, a few replications, few points) so the file takes a few seconds;
 * they check that each PNG and SVG exists and is 1600 x 1000 (the PNG's
 * IHDR chunk, the SVG root's attributes), and that each data file has the
 * columns its script reads: the '# columns:' header equals the chart's
 * column list in C (plot_charts[]), every row has that many fields, and
 * the script defines c_NAME = N for exactly those columns and refers to
 * data columns only through them.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>

#include "plots/plot_chart.h"
#include "plots/plot_facts.h"
#include "plots/plot_load.h"
#include "plots/report.h"
#include "tests/cli_harness.h"

#define HEALTHY "scenarios/healthy.json"
#define DEFAULT "scenarios/default.json"
#define BASELINE "scenarios/article-baseline.json"
#define SEVEN "scenarios/article-seven-measures.json"
#define WEB_RATE "channels[0].arrivals.per_week"
#define SHORT "--set", "horizon_days=70", "--set", "warmup_days=14"

static char *path_in(const char *dir, const char *name)
{
    static char buf[4][1024];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- PNG and SVG sizes ----------------------------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The PNG's width and height from its IHDR chunk, which must come first. */
static void png_size(const char *path, uint32_t *w, uint32_t *h)
{
    size_t len = 0;
    unsigned char *png = (unsigned char *)harness_read_file(path, &len);
    cr_assert_not_null(png, "%s: missing", path);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    cr_assert(len > 1000, "%s: only %zu bytes", path, len);
    cr_assert(memcmp(png, sig, 8) == 0, "%s: not a PNG", path);
    cr_assert(memcmp(png + 12, "IHDR", 4) == 0, "%s: no IHDR first", path);
    *w = be32(png + 16);
    *h = be32(png + 20);
    free(png);
}

/* The value of attribute `name` in the root <svg ...> tag. */
static double svg_attr(const char *svg, const char *name)
{
    const char *root = strstr(svg, "<svg");
    cr_assert_not_null(root, "no <svg> element");
    const char *end = strchr(root, '>');
    char key[32];
    snprintf(key, sizeof key, "%s=\"", name);
    for (const char *p = root; p != NULL && p < end; p++) {
        p = strstr(p, key);
        if (p == NULL || p > end)
            break;
        if (isspace((unsigned char)p[-1]))
            return strtod(p + strlen(key), NULL);
    }
    cr_assert_fail("the root <svg> has no %s attribute", name);
    return NAN;
}

static void assert_drawn(const char *dir, enum plot_chart c)
{
    const char *name = plot_charts[c].name;
    char file[128];
    snprintf(file, sizeof file, "%s.png", name);
    uint32_t w = 0, h = 0;
    png_size(path_in(dir, file), &w, &h);
    cr_assert(w == 1600 && h == 1000, "%s: %ux%u, not 1600x1000", file, w, h);
    snprintf(file, sizeof file, "%s.svg", name);
    size_t len = 0;
    char *svg = harness_read_file(path_in(dir, file), &len);
    cr_assert_not_null(svg, "%s: missing", file);
    cr_assert(len > 1000, "%s: only %zu bytes", file, len);
    cr_assert_eq(svg_attr(svg, "width"), 1600, "%s: root width", file);
    cr_assert_eq(svg_attr(svg, "height"), 1000, "%s: root height", file);
    cr_assert(strstr(svg, "</svg>") != NULL, "%s: not complete", file);
    free(svg);
}

/* ---- data files and scripts ------------------------------------------------------ */

/* Splits a data row into fields: blanks separate, "..." is one field.
 * Returns the number of fields; numeric ones (unquoted) must read as
 * numbers or NaN. */
static size_t row_fields(const char *line, const char *file, size_t lineno)
{
    size_t n = 0;
    const char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '\n')
            return n;
        n++;
        if (*p == '"') {
            const char *q = strchr(p + 1, '"');
            cr_assert_not_null(q, "%s:%zu: unterminated string", file, lineno);
            p = q + 1;
            continue;
        }
        char *end;
        double x = strtod(p, &end);
        (void)x;
        if (strncmp(p, "NaN", 3) == 0)
            end = (char *)p + 3;
        cr_assert(end > p && (*end == ' ' || *end == '\0' || *end == '\n'),
                  "%s:%zu: field %zu is not a number: %.20s", file, lineno, n, p);
        p = end;
    }
}

/* The data file's '# columns:' header equals the chart's list, and every
 * row has that many fields.  Returns the number of rows. */
static size_t check_data(const char *dir, enum plot_chart c)
{
    char file[128];
    snprintf(file, sizeof file, "%s.dat", plot_charts[c].name);
    char *text = harness_read_file(path_in(dir, file), NULL);
    cr_assert_not_null(text, "%s: missing", file);
    size_t ncols = plot_chart_columns(c), rows = 0, lineno = 0;
    bool header = false;
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        lineno++;
        if (strncmp(line, "# columns:", 10) == 0) {
            header = true;
            char *save = NULL;
            size_t k = 0;
            for (char *tok = strtok_r(line + 10, " ", &save); tok != NULL;
                 tok = strtok_r(NULL, " ", &save), k++) {
                cr_assert(k < ncols, "%s: more columns in the header than in plot_charts[]",
                          file);
                cr_assert_str_eq(tok, plot_charts[c].columns[k], "%s: column %zu", file, k + 1);
            }
            cr_assert_eq(k, ncols, "%s: %zu columns in the header, %zu in plot_charts[]", file,
                         k, ncols);
            continue;
        }
        if (line[0] == '#')
            continue;
        cr_assert(header, "%s:%zu: a row before the '# columns:' header", file, lineno);
        cr_assert_eq(row_fields(line, file, lineno), ncols, "%s:%zu: %zu fields, want %zu",
                     file, lineno, row_fields(line, file, lineno), ncols);
        rows++;
    }
    cr_assert(header, "%s: no '# columns:' header", file);
    free(text);
    return rows;
}

/* The script defines c_NAME = N for exactly the chart's columns, in their
 * places, uses no other c_ name, and reads the data file through them
 * only: no $N and no bare "using N" (sizing_map's contour is read back
 * from gnuplot's own table, $target_line, whose columns gnuplot fixes). */
static void check_script_text(const char *text, enum plot_chart c)
{
    const struct plot_chart_desc *d = &plot_charts[c];
    size_t ncols = plot_chart_columns(c);
    bool defined[PLOT_CHART_MAX_COLUMNS] = {false};
    char *copy = strdup(text);
    cr_assert_not_null(copy);
    size_t lineno = 0;
    for (char *line = strtok(copy, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        lineno++;
        if (line[0] == '#')
            continue;
        char name[64];
        int col = 0, used = 0;
        if (sscanf(line, "c_%63[a-z0-9_] = %d%n", name, &col, &used) == 2 &&
            line[used] == '\0') {
            cr_assert(col >= 1 && (size_t)col <= ncols, "%s.gp:%zu: c_%s = %d: no such column",
                      d->name, lineno, name, col);
            cr_assert_str_eq(name, d->columns[col - 1], "%s.gp:%zu: column %d is %s, not %s",
                             d->name, lineno, col, d->columns[col - 1], name);
            defined[col - 1] = true;
            continue;
        }
        for (const char *p = strstr(line, "c_"); p != NULL; p = strstr(p + 1, "c_")) {
            if (p > line && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
                continue;
            size_t n = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz0123456789_");
            bool known = false;
            for (size_t k = 0; k < ncols; k++)
                known = known || (strlen(d->columns[k]) == n && strncmp(p + 2, d->columns[k], n) == 0);
            cr_assert(known, "%s.gp:%zu: c_%.*s is not a column of %s.dat", d->name, lineno,
                      (int)n, p + 2, d->name);
        }
        if (strstr(line, "$target_line") != NULL)
            continue;
        for (const char *p = strchr(line, '$'); p != NULL; p = strchr(p + 1, '$'))
            cr_assert(!isdigit((unsigned char)p[1]), "%s.gp:%zu: $N column reference",
                      d->name, lineno);
        for (const char *p = strstr(line, "column("); p != NULL; p = strstr(p + 1, "column("))
            cr_assert(!isdigit((unsigned char)p[7]), "%s.gp:%zu: column(N)", d->name, lineno);
        /* Each field of a using spec: a c_ name or an expression, never
         * a bare number. */
        for (const char *p = strstr(line, "using "); p != NULL; p = strstr(p + 1, "using ")) {
            const char *f = p + 6;
            int depth = 0;
            for (const char *q = f;; q++) {
                if (*q == '(')
                    depth++;
                else if (*q == ')')
                    depth--;
                bool end = *q == '\0' || (depth == 0 && (*q == ' ' || *q == ':'));
                if (!end)
                    continue;
                size_t n = (size_t)(q - f);
                cr_assert(n == 0 || strspn(f, "0123456789") != n,
                          "%s.gp:%zu: using column number %.*s", d->name, lineno, (int)n, f);
                if (*q != ':')
                    break;
                f = q + 1;
            }
        }
    }
    for (size_t k = 0; k < ncols; k++)
        cr_assert(defined[k], "%s.gp: no c_%s = %zu", d->name, d->columns[k], k + 1);
    free(copy);
}

/* The script the program built in, as a string. */
static char *embedded_script(enum plot_chart c)
{
    char name[128], *buf = NULL;
    size_t len = 0;
    snprintf(name, sizeof name, "%s.gp", plot_charts[c].name);
    FILE *fp = open_memstream(&buf, &len);
    cr_assert_not_null(fp);
    cr_assert(plot_chart_script_write(name, fp), "%s: not built in", name);
    fclose(fp);
    return buf;
}

static void check_chart(const char *dir, enum plot_chart c)
{
    assert_drawn(dir, c);
    cr_assert(check_data(dir, c) >= 2, "%s.dat: fewer than two rows", plot_charts[c].name);
    char file[128];
    snprintf(file, sizeof file, "%s.gp", plot_charts[c].name);
    char *written = harness_read_file(path_in(dir, file), NULL);
    cr_assert_not_null(written, "%s: missing", file);
    char *built_in = embedded_script(c);
    cr_assert_str_eq(written, built_in, "%s in DIR differs from the built-in script", file);
    check_script_text(written, c);
    /* A title and a footnote naming the scenario and the replications,
     * drawn into the chart. */
    snprintf(file, sizeof file, "%s.vars", plot_charts[c].name);
    char *vars = harness_read_file(path_in(dir, file), NULL);
    cr_assert_not_null(vars, "%s: missing", file);
    cr_assert(strstr(vars, "\ntitle = '") != NULL, "%s: no title", file);
    cr_assert(strstr(vars, "\nfootnote = '") != NULL && strstr(vars, "replications") != NULL,
              "%s: no footnote with the replications", file);
    snprintf(file, sizeof file, "%s.svg", plot_charts[c].name);
    char *svg = harness_read_file(path_in(dir, file), NULL);
    cr_assert(strstr(svg, "replications") != NULL, "%s: the footnote is not drawn", file);
    free(svg);
    free(vars);
    free(written);
    free(built_in);
}

/* ---- rendering every kind ------------------------------------------------------- */

Test(plot, sweep_draws_curve_causes_and_money)
{
    char *dir = harness_tmpdir();
    struct harness_result r;
    HARNESS_RUN(&r, "sweep", HEALTHY, "--vary", WEB_RATE, "--from", "200", "--to", "1000", "--steps",
        "9", "--reps", "4", SHORT, "--quiet", "--out", dir, "--plot");
    harness_assert_exit(&r, 0);
    check_chart(dir, PLOT_CHART_JUNK_VS_INFLOW);
    check_chart(dir, PLOT_CHART_JUNK_BY_CAUSE);
    check_chart(dir, PLOT_CHART_WASTED_MONEY);
    cr_assert_eq(check_data(dir, PLOT_CHART_JUNK_VS_INFLOW), 9);
    /* It says what it drew and what it skipped, and why. */
    cr_assert(strstr(r.err, "junk_vs_inflow.png") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "sizing_map") != NULL && strstr(r.err, "skipped") != NULL &&
              strstr(r.err, "--vary2") != NULL, "%s", r.err);
    cr_assert(exists(path_in(dir, "report.html")));
    cr_assert(!exists(path_in(dir, "run_over_time.png")));
    harness_free(&r);
    harness_rmtree(dir);
    free(dir);
}

Test(plot, run_draws_its_series)
{
    char *dir = harness_tmpdir();
    struct harness_result r;
    HARNESS_RUN(&r, "run", DEFAULT, "--reps", "3", "--set", "horizon_days=56", "--set",
        "warmup_days=14", "--quiet", "--out", dir, "--plot");
    harness_assert_exit(&r, 0);
    check_chart(dir, PLOT_CHART_RUN_OVER_TIME);
    cr_assert_eq(check_data(dir, PLOT_CHART_RUN_OVER_TIME), 56, "a row per day");
    harness_free(&r);
    harness_rmtree(dir);
    free(dir);
}

/* A dated plan: run_over_time marks the trade show, the hires and the
 * month tics, labelled from the scenario's names (read here from the
 * scenario file, not pasted), and campaign_effect is drawn with its rows
 * a week each; plot --target-on worst-week labels the measure, and a
 * window the run did not record is bad input (exit 2). */
Test(plot, plan_marks_and_campaign_effect, .timeout = 120)
{
    char *dir = harness_tmpdir();
    struct harness_result r;
    HARNESS_RUN(&r, "run", "scenarios/director-tradeshow.json", "--reps", "3", "--set",
        "horizon_days=140", "--quiet", "--out", dir, "--plot");
    harness_assert_exit(&r, 0);
    harness_free(&r);
    check_chart(dir, PLOT_CHART_RUN_OVER_TIME);
    check_chart(dir, PLOT_CHART_CAMPAIGN_EFFECT);
    cr_assert_eq(check_data(dir, PLOT_CHART_CAMPAIGN_EFFECT), 20, "a row per week");
    char *scn_text = harness_read_file(FUNNELSIM_SRCDIR "/scenarios/director-tradeshow.json", NULL);
    cJSON *scn = cJSON_Parse(scn_text);
    cr_assert_not_null(scn);
    const cJSON *show = cJSON_GetArrayItem(cJSON_GetObjectItem(scn, "channels"), 1);
    const cJSON *sdrs = cJSON_GetArrayItem(cJSON_GetObjectItem(scn, "team"), 1);
    char hire[128], shown[128];
    snprintf(hire, sizeof hire, "\"+%.0f hires %s\"",
             harness_number(cJSON_GetObjectItem(sdrs, "hires"), "count"),
             cJSON_GetStringValue(cJSON_GetObjectItem(sdrs, "name")));
    snprintf(shown, sizeof shown, "\"%s: %.0f leads\"",
             cJSON_GetStringValue(cJSON_GetObjectItem(show, "name")),
             harness_number(cJSON_GetObjectItem(show, "arrivals"), "size"));
    static const char *const charts[] = {"run_over_time.vars", "campaign_effect.vars"};
    for (size_t k = 0; k < 2; k++) {
        char *vars = harness_read_file(path_in(dir, charts[k]), NULL);
        cr_assert_not_null(vars);
        cr_expect(strstr(vars, hire) != NULL, "%s lacks %s", charts[k], hire);
        cr_expect(strstr(vars, shown) != NULL, "%s lacks %s", charts[k], shown);
        cr_expect(strstr(vars, "xtic_labels = '\"Feb 2027\"") != NULL, "%s: month tics",
                  charts[k]);
        cr_expect(strstr(vars, "arrivals.") == NULL && strstr(vars, "team[") == NULL,
                  "%s: a key path in the labels", charts[k]);
        free(vars);
    }
    HARNESS_RUN(&r, "plot", dir, "--target-on", "worst-week", "--quiet");
    harness_assert_exit(&r, 0);
    harness_free(&r);
    char *vars = harness_read_file(path_in(dir, "campaign_effect.vars"), NULL);
    cr_expect(strstr(vars, "on_label = 'Target tested on each replication") != NULL, "%s", vars);
    free(vars);
    char *html = harness_read_file(path_in(dir, "report.html"), NULL);
    cr_expect(strstr(html, "Tested on the worst week") != NULL, "report.html lacks the measure");
    free(html);
    HARNESS_RUN(&r, "plot", dir, "--target-on", "window:30..60", "--quiet");
    harness_assert_exit(&r, 2);
    cr_expect(strstr(r.err, "window:30..60") != NULL, "%s", r.err);
    harness_free(&r);
    cJSON_Delete(scn);
    free(scn_text);
    harness_rmtree(dir);
    free(dir);
}

Test(plot, grid_draws_the_sizing_map)
{
    char *dir = harness_tmpdir();
    struct harness_result r;
    HARNESS_RUN(&r, "sweep", HEALTHY, "--vary", WEB_RATE, "--from", "200", "--to", "1000", "--steps",
        "5", "--vary2", "team[1].count", "--from2", "3", "--to2", "7", "--steps2", "5",
        "--reps", "3", SHORT, "--quiet", "--out", dir, "--plot");
    harness_assert_exit(&r, 0);
    check_chart(dir, PLOT_CHART_SIZING_MAP);
    cr_assert_eq(check_data(dir, PLOT_CHART_SIZING_MAP), 25);
    /* The grid holds the target somewhere and misses it elsewhere: the
     * contour is drawn. */
    char *vars = harness_read_file(path_in(dir, "sizing_map.vars"), NULL);
    cr_assert(strstr(vars, "has_contour = 1") != NULL, "%s", vars);
    free(vars);
    cr_assert(!exists(path_in(dir, "junk_vs_inflow.dat")), "1-D charts from a grid");
    harness_free(&r);
    harness_rmtree(dir);
    free(dir);
}

Test(plot, measures_draw_the_waterfall)
{
    char *dir = harness_tmpdir();
    struct harness_result r;
    HARNESS_RUN(&r, "compare", "--measures", BASELINE, SEVEN, "--reps", "3", "--set",
        "horizon_days=56", "--set", "warmup_days=14", "--quiet", "--out", dir, "--plot");
    harness_assert_exit(&r, 0);
    check_chart(dir, PLOT_CHART_MEASURES_WATERFALL);
    /* baseline, one row per step, the result */
    size_t rows = check_data(dir, PLOT_CHART_MEASURES_WATERFALL);
    char *json = harness_read_file(path_in(dir, "measures.json"), NULL);
    size_t steps = 0;
    for (const char *p = strstr(json, "\"step\":"); p; p = strstr(p + 1, "\"step\":"))
        steps++;
    cr_assert_eq(rows, steps + 1, "%zu rows for %zu steps", rows, steps);
    free(json);
    /* The steps' Shapley values reach the chart and the report. */
    char *dat = harness_read_file(path_in(dir, "measures_waterfall.dat"), NULL);
    cr_assert_not_null(dat);
    cr_expect(strstr(dat, "\"1. ideal-customer profile\" ") != NULL &&
                  strstr(dat, "\"1. ideal-customer profile\" NaN") == NULL,
              "no Shapley value in the chart's data:\n%s", dat);
    free(dat);
    char *html = harness_read_file(path_in(dir, "report.html"), NULL);
    cr_assert_not_null(html);
    cr_expect(strstr(html, "<th>Shapley value</th>") != NULL);
    cr_expect(strstr(html, "averaged over every order") != NULL);
    free(html);
    harness_free(&r);
    harness_rmtree(dir);
    free(dir);
}

/* The tornado grows with its rows (three panels of every key), so it is
 * 1600 wide and at least 1000 high rather than 1600 x 1000. */
Test(plot, sensitivity_draws_the_tornado)
{
    char *dir = harness_tmpdir();
    struct harness_result r;
    HARNESS_RUN(&r, "sensitivity", DEFAULT, "--keys",
                "sales.win_rate,contact.p_reach,report.target_junk", "--reps", "3", "--set",
                "horizon_days=56", "--set", "warmup_days=14", "--quiet", "--out", dir);
    harness_assert_exit(&r, 0);
    enum plot_chart c = PLOT_CHART_SENSITIVITY_TORNADO;
    /* A block of three rows (one a key) for each of the three metrics. */
    cr_assert_eq(check_data(dir, c), 9);
    char *written = harness_read_file(path_in(dir, "sensitivity_tornado.gp"), NULL);
    cr_assert_not_null(written);
    check_script_text(written, c);
    free(written);
    uint32_t w = 0, h = 0;
    png_size(path_in(dir, "sensitivity_tornado.png"), &w, &h);
    cr_assert(w == 1600 && h >= 1000, "%ux%u", w, h);
    char *svg = harness_read_file(path_in(dir, "sensitivity_tornado.svg"), NULL);
    cr_assert_not_null(svg);
    cr_assert(strstr(svg, "</svg>") != NULL);
    /* Titles, axis labels with units, the legend, the noise. */
    cr_assert(strstr(svg, "Which assumptions matter") != NULL);
    cr_assert(strstr(svg, "junk rate (% of resolved leads)") != NULL);
    cr_assert(strstr(svg, "deals won") != NULL && strstr(svg, "profit") != NULL);
    cr_assert(strstr(svg, "at the low end of the plausible range") != NULL);
    cr_assert(strstr(svg, "within the noise") != NULL);
    cr_assert(strstr(svg, "win rate, 0.2 to 0.3") != NULL);
    cr_assert(strstr(svg, "0 exactly: no effect") != NULL, "target_junk changes nothing");
    cr_assert(strstr(svg, "replications") != NULL, "the footnote");
    free(svg);
    char *html = harness_read_file(path_in(dir, "report.html"), NULL);
    cr_assert_not_null(html);
    cr_expect(strstr(html, "Sensitivity: which assumptions matter") != NULL);
    cr_expect(strstr(html, "id=\"summary-sensitivity\"") != NULL);
    cr_expect(strstr(html, "chart-sensitivity_tornado") != NULL);
    free(html);
    /* The tables are whole: a header and a row per key and metric. */
    char *csv = harness_read_file(path_in(dir, "sensitivity.csv"), NULL);
    cr_assert_not_null(csv);
    cr_assert_eq(harness_count_lines(csv), 1 + 3 * 3);
    free(csv);
    harness_free(&r);
    /* Another run's folder is refused, its files left alone. */
    char *other = harness_tmpdir();
    HARNESS_RUN(&r, "run", DEFAULT, "--reps", "1", "--set", "horizon_days=28", "--set",
                "warmup_days=7", "--quiet", "--out", other);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    HARNESS_RUN(&r, "sensitivity", DEFAULT, "--keys", "sales.win_rate", "--reps", "2",
                "--quiet", "--out", other);
    cr_assert_eq(r.exit_code, 2, "%s", harness_describe(&r));
    cr_assert(!exists(path_in(other, "sensitivity.json")));
    harness_free(&r);
    harness_rmtree(other);
    free(other);
    harness_rmtree(dir);
    free(dir);
}

/* ---- every script, against the C column lists ------------------------------------ */

Test(plot, scripts_read_only_their_columns)
{
    for (unsigned c = 0; c < PLOT_CHART_COUNT; c++) {
        char *text = embedded_script((enum plot_chart)c);
        check_script_text(text, (enum plot_chart)c);
        /* Built in as written in plots/. */
        char src[1024];
        snprintf(src, sizeof src, "%s/plots/%s.gp", FUNNELSIM_SRCDIR, plot_charts[c].name);
        char *source = harness_read_file(src, NULL);
        cr_assert_not_null(source, "%s: missing", src);
        cr_assert_str_eq(text, source, "%s: the binary holds another version", src);
        /* The header gives the exact command the program runs. */
        char cmd[512];
        const char *n = plot_charts[c].name;
        snprintf(cmd, sizeof cmd, "gnuplot -e \"datafile='DIR/%s.dat'; varsfile='DIR/%s.vars'; "
                 "outfile='DIR/.%s.png.part'; fmt='png'\" DIR/%s.gp", n, n, n, n);
        cr_assert(strstr(text, cmd) != NULL, "%s.gp: header lacks: %s", n, cmd);
        free(source);
        free(text);
    }
}

/* ---- without gnuplot ------------------------------------------------------------ */

Test(plot, without_gnuplot_writes_data_and_says_how_to_install)
{
    char *dir = harness_tmpdir();
    char *empty = harness_tmpdir();
    struct harness_result r;
    HARNESS_RUN(&r, "sweep", HEALTHY, "--vary", WEB_RATE, "--from", "200", "--to", "600", "--steps",
        "3", "--reps", "2", SHORT, "--quiet", "--out", dir, "--plot");
    harness_assert_exit(&r, 0);
    harness_free(&r);
    cr_assert(exists(path_in(dir, "junk_vs_inflow.png")), "drawn with gnuplot");

    /* A PATH with no gnuplot on it (the binary is run by its full path). */
    cr_assert_eq(setenv("PATH", empty, 1), 0);
    HARNESS_RUN(&r, "plot", dir);
    harness_assert_exit(&r, 1);
    cr_assert(strstr(r.err, "gnuplot") != NULL && strstr(r.err, "apt-get install gnuplot-nox"),
              "%s", r.err);
    char rerun[1100];
    snprintf(rerun, sizeof rerun, "funnelsim plot %s", dir);
    cr_assert(strstr(r.err, rerun) != NULL, "no '%s' in: %s", rerun, r.err);
    static const enum plot_chart made[] = {PLOT_CHART_JUNK_VS_INFLOW, PLOT_CHART_JUNK_BY_CAUSE,
                                           PLOT_CHART_WASTED_MONEY};
    for (size_t k = 0; k < 3; k++) {
        enum plot_chart c = made[k];
        char file[128];
        snprintf(file, sizeof file, "%s.png", plot_charts[c].name);
        /* Nor is the chart of the first plot left to show old data. */
        cr_assert(!exists(path_in(dir, file)), "%s there without gnuplot", file);
        cr_assert_eq(check_data(dir, c), 3);
        snprintf(file, sizeof file, "%s.gp", plot_charts[c].name);
        char *gp = harness_read_file(path_in(dir, file), NULL);
        cr_assert_not_null(gp, "%s: not written", file);
        check_script_text(gp, c);
        free(gp);
    }
    char *html = harness_read_file(path_in(dir, "report.html"), NULL);
    cr_assert_not_null(html, "report.html: not written");
    cr_assert(strstr(html, "apt-get install gnuplot-nox") != NULL);
    free(html);
    harness_free(&r);

    /* --plot after a good run only warns. */
    HARNESS_RUN(&r, "sweep", HEALTHY, "--vary", WEB_RATE, "--from", "200", "--to", "600", "--steps",
        "3", "--reps", "2", SHORT, "--quiet", "--out", dir, "--plot", "--overwrite");
    harness_assert_exit(&r, 0);
    cr_assert(strstr(r.err, "warning") != NULL && strstr(r.err, "apt-get install gnuplot-nox"),
              "%s", r.err);
    harness_free(&r);
    harness_rmtree(dir);
    harness_rmtree(empty);
    free(dir);
    free(empty);
}

Test(plot, a_directory_without_results_is_bad_input)
{
    char *dir = harness_tmpdir();
    struct harness_result r;
    HARNESS_RUN(&r, "plot", dir);
    harness_assert_exit(&r, 2);
    cr_assert(strstr(r.err, "no results to chart") != NULL, "%s", r.err);
    harness_free(&r);
    HARNESS_RUN(&r, "plot");
    harness_assert_exit(&r, 2);
    harness_free(&r);
    harness_rmtree(dir);
    free(dir);
}

/* ---- the facts, on curves with known answers ------------------------------------- */

/* A sweep of x = 100, 200, ... with the given mean junk (shares) and a
 * nominal load of x / 450; intervals +-0.005. */
static void fake_sweep(struct plot_sweep *s, struct plot_point *pts, const double *junk,
                       size_t n, bool reversed)
{
    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "channels[0].arrivals.per_week");
    snprintf(s->axis.label, sizeof s->axis.label, "web leads a week");
    snprintf(s->axis.unit, sizeof s->axis.unit, "leads a week");
    s->axis.tag = PLOT_TAG_INFLOW;
    s->n = n;
    s->pts = pts;
    s->horizon_days = 100;
    s->warmup_days = 30;
    s->base_value = 250;
    s->managers = 8;
    for (size_t i = 0; i < n; i++) {
        size_t k = reversed ? n - 1 - i : i;
        struct plot_point *p = &pts[k];
        memset(p, 0, sizeof *p);
        p->value = 100.0 * (double)(i + 1);
        p->offered = p->value + 50;
        p->load = p->value / 450.0;
        p->junk = (struct plot_ci){junk[i], junk[i] - 0.005, junk[i] + 0.005};
        p->wasted.mean = 1000.0 * (double)(i + 1);
    }
}

Test(plot, facts_knee_capacity_threshold_today)
{
    /* Flat at 5%, then up 10 points a step from x = 500: a hockey stick
     * whose knee is the last flat point. */
    static const double junk[] = {0.05, 0.05, 0.05, 0.05, 0.05, 0.15, 0.25, 0.35};
    for (int reversed = 0; reversed < 2; reversed++) {
        struct plot_sweep s;
        struct plot_point pts[8];
        fake_sweep(&s, pts, junk, 8, reversed);
        struct plot_facts f;
        plot_facts_compute(&s, 0.10, &f);
        cr_assert(f.rising && f.inflow);
        cr_assert_eq(s.pts[f.knee].value, 500, "knee at %g", s.pts[f.knee].value);
        /* Load x / 450 crosses 1 at 450; offered there is 500. */
        cr_assert_float_eq(f.cap_value, 450, 1e-9);
        cr_assert_float_eq(f.cap_offered, 500, 1e-9);
        /* 5% at 500, 15% at 600: 10% at 550. */
        cr_assert_float_eq(f.threshold, 550, 1e-9);
        /* Today 250: halfway between 2000 and 3000 of waste over 70 days. */
        cr_assert_float_eq(f.today_junk, 0.05, 1e-12);
        cr_assert_float_eq(f.today_wasted_month, 2500.0 / 70 * PLOT_FACTS_DAYS_PER_MONTH, 1e-9);
        char text[1024];
        report_sweep_summary(&s, &f, 0.10, text, sizeof text);
        cr_assert_str_eq(text, "With 8 managers, keep inflow (web leads a week) at or below 550 "
                               "to hold junk at or under 10%; at today's 250, 5% of handed leads "
                               "become junk, costing 1,090 a month.");
        plot_facts_free(&f);
    }
}

Test(plot, facts_when_no_crossing_or_no_knee)
{
    struct plot_sweep s;
    struct plot_point pts[4];
    struct plot_facts f;
    char text[1024];

    /* Above the target everywhere: no threshold, and the sentence says so. */
    static const double high[] = {0.30, 0.31, 0.40, 0.60};
    fake_sweep(&s, pts, high, 4, false);
    plot_facts_compute(&s, 0.10, &f);
    cr_assert(f.all_above && isnan(f.threshold));
    report_sweep_summary(&s, &f, 0.10, text, sizeof text);
    cr_assert(strstr(text, "above the 10% target even at the lowest swept") != NULL, "%s", text);
    plot_facts_free(&f);

    /* Above at the lowest value, under at the next, rising after (a U):
     * the value holding the target is found wherever it lies (the rule
     * size uses), and the bound is the crossing past it. */
    static const double dip[] = {0.12, 0.08, 0.15, 0.30};
    fake_sweep(&s, pts, dip, 4, false);
    plot_facts_compute(&s, 0.10, &f);
    cr_assert(f.rising && !f.all_above && !f.all_below);
    cr_assert_eq(f.n_feasible, 1);
    cr_assert_eq(f.feasible[0].from, 200);
    cr_assert_eq(f.feasible[0].to, 200);
    cr_assert_float_eq(f.threshold, 200 + 100 * (0.10 - 0.08) / (0.15 - 0.08), 1e-9);
    plot_facts_free(&f);

    /* Falling to the end of the range for an inflow: the largest value
     * holding the target is the range's end, and no crossing is made up. */
    static const double tail[] = {0.12, 0.08, 0.06, 0.05};
    fake_sweep(&s, pts, tail, 4, false);
    plot_facts_compute(&s, 0.10, &f);
    cr_assert(f.rising && !f.all_above && !f.all_below && isnan(f.threshold));
    cr_assert_eq(f.edge, 400);
    report_sweep_summary(&s, &f, 0.10, text, sizeof text);
    cr_assert(strstr(text, "at or under 10% at the highest swept inflow") != NULL, "%s", text);
    plot_facts_free(&f);

    /* Under everywhere, flat within noise: no knee either. */
    static const double low[] = {0.05, 0.052, 0.049, 0.051};
    fake_sweep(&s, pts, low, 4, false);
    s.base_value = 900; /* outside the range */
    plot_facts_compute(&s, 0.10, &f);
    cr_assert(f.all_below && isnan(f.threshold));
    cr_assert_eq(f.knee, (size_t)-1);
    cr_assert(isnan(f.today_junk));
    report_sweep_summary(&s, &f, 0.10, text, sizeof text);
    cr_assert(strstr(text, "stays at or under 10% over the whole swept range") != NULL, "%s",
              text);
    cr_assert(strstr(text, "today's 900 lies outside the swept range") != NULL, "%s", text);
    plot_facts_free(&f);

    /* Falling (junk against team size): at or above. */
    static const double falling[] = {0.40, 0.20, 0.08, 0.06};
    fake_sweep(&s, pts, falling, 4, false);
    snprintf(s.path, sizeof s.path, "team[1].count");
    snprintf(s.axis.label, sizeof s.axis.label, "managers in group 'sdrs'");
    snprintf(s.axis.unit, sizeof s.axis.unit, "managers");
    s.axis.tag = PLOT_TAG_HEADCOUNT;
    s.managers = NAN;
    plot_facts_compute(&s, 0.10, &f);
    cr_assert(!f.rising && !f.inflow);
    cr_assert_float_eq(f.threshold, 200 + 100 * (0.20 - 0.10) / (0.20 - 0.08), 1e-9);
    report_sweep_summary(&s, &f, 0.10, text, sizeof text);
    static const char start[] = "Keep team size (managers in group 'sdrs') at or above 284 to "
                                "hold junk";
    cr_assert(strncmp(text, start, sizeof start - 1) == 0, "%s", text);
    plot_facts_free(&f);
}

/* Which causes rise with load is read off the data: a rise beyond both
 * intervals and at least PLOT_FACTS_RISE_MIN, from the point of lowest
 * load to the point of highest, whatever the order of the values. */
Test(plot, facts_rising_causes_come_from_the_data)
{
    static const double junk[] = {0.10, 0.15, 0.20, 0.30};
    for (int reversed = 0; reversed < 2; reversed++) {
        struct plot_sweep s;
        struct plot_point pts[4];
        fake_sweep(&s, pts, junk, 4, reversed);
        /* Load falls as the value rises (a team size): the lowest load is
         * at the highest value. */
        for (size_t i = 0; i < 4; i++)
            pts[i].load = 3.0 - pts[i].value / 200.0;
        size_t lo = 0, hi = 0;
        for (size_t i = 0; i < 4; i++) {
            lo = pts[i].load < pts[lo].load ? i : lo;
            hi = pts[i].load > pts[hi].load ? i : hi;
        }
        for (size_t i = 0; i < 4; i++)
            for (unsigned r = 0; r < JUNK_REASONS; r++)
                pts[i].reason[r] = (struct plot_ci){0.02, 0.019, 0.021};
        /* went cold: +10 points, narrow intervals: rises. */
        pts[hi].reason[JUNK_WENT_COLD] = (struct plot_ci){0.12, 0.11, 0.13};
        /* bad fit: +0.3 points, beyond the intervals but too small. */
        pts[hi].reason[JUNK_BAD_FIT] = (struct plot_ci){0.023, 0.0225, 0.0235};
        /* abandoned: +3 points, but the intervals overlap: noise. */
        pts[lo].reason[JUNK_ABANDONED] = (struct plot_ci){0.02, 0.0, 0.045};
        pts[hi].reason[JUNK_ABANDONED] = (struct plot_ci){0.05, 0.03, 0.07};
        /* misjudged: falls with load. */
        pts[hi].reason[JUNK_MISJUDGED] = (struct plot_ci){0.005, 0.004, 0.006};
        /* unreachable: one replication (no interval), +2 points: rises. */
        pts[lo].reason[JUNK_UNREACHABLE] = (struct plot_ci){0.02, NAN, NAN};
        pts[hi].reason[JUNK_UNREACHABLE] = (struct plot_ci){0.04, NAN, NAN};
        struct plot_facts f;
        plot_facts_compute(&s, 0.10, &f);
        cr_assert(f.load_varies);
        cr_assert_eq(f.low_load, lo);
        cr_assert_eq(f.high_load, hi);
        cr_expect(f.rises[JUNK_WENT_COLD]);
        cr_expect(f.rises[JUNK_UNREACHABLE]);
        cr_expect(!f.rises[JUNK_BAD_FIT], "a rise of 0.3 points counted");
        cr_expect(!f.rises[JUNK_ABANDONED], "a rise within the noise counted");
        cr_expect(!f.rises[JUNK_MISJUDGED], "a fall counted");
        cr_expect(!f.rises[JUNK_THEORIST]);
        cr_expect_eq(f.n_rising, 2);
        plot_facts_free(&f);

        /* The same shares with a load that does not move: nothing is
         * tied to load. */
        for (size_t i = 0; i < 4; i++)
            pts[i].load = 1.2;
        plot_facts_compute(&s, 0.10, &f);
        cr_expect(!f.load_varies && f.n_rising == 0);
        plot_facts_free(&f);
    }
}

Test(plot, money_and_bounds_read_as_people_write_them)
{
    char buf[64];
    report_fmt_money(buf, sizeof buf, 11834.2);
    cr_assert_str_eq(buf, "11,800");
    report_fmt_money(buf, sizeof buf, 1234567);
    cr_assert_str_eq(buf, "1,230,000");
    report_fmt_money(buf, sizeof buf, 987.6);
    cr_assert_str_eq(buf, "988");
    report_fmt_money(buf, sizeof buf, 999999);
    cr_assert_str_eq(buf, "1,000,000");
    report_fmt_bound(buf, sizeof buf, 260.9, true, false);
    cr_assert_str_eq(buf, "260");
    report_fmt_bound(buf, sizeof buf, 8.2, false, false);
    cr_assert_str_eq(buf, "8.20");
    report_fmt_bound(buf, sizeof buf, 3.96, false, true);
    cr_assert_str_eq(buf, "4");
    cr_assert_float_eq(plot_facts_per_month(70, 100, 30), PLOT_FACTS_DAYS_PER_MONTH, 1e-12);
}
