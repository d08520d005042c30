/*
 * test_plot_fit.c - the back-test chart of `funnelsim fit DIR
 * --holdout-from DATE --out FIT` (plots/plot_fit.h) as a user meets it: a
 * dated history made by running tests/fit/company.json and importing its
 * lead log, fitted cheaply (one key, two replications, no bootstrap) and
 * back-tested on its last weeks.  FIT/backtest.png and .svg are drawn;
 * backtest.dat's held-out block holds exactly backtest.csv's rows, its
 * fitted block the weeks before the holdout date measured as the
 * back-test measures; the titles' counts are fit.json's shares; without
 * gnuplot the fit only warns and leaves no stale chart.
 *
 * Suite `plot` (medium tier: it draws with gnuplot).  About 5 s.  Suite
 * `plot_time` (fast): the month tics the chart's dated axis is labelled
 * with (plots/plot_time.h), shared with the run's charts.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "plots/plot_fit.h"
#include "plots/plot_time.h"
#include "sim/date.h"
#include "tests/cli_harness.h"

#define START "2026-03-02"      /* a Monday: day 0 of the history */
#define DAYS "84"               /* twelve weeks */
#define HOLDOUT "2026-04-13"    /* day 42: six weeks fitted, six held out */
#define HOLDOUT_DAY 42
#define NCOL 12                 /* backtest.csv's columns */

/* The rows of a data block: [row][column], NaN where the CSV is empty. */
struct rows {
    size_t n;
    double v[64][NCOL];
};

/* One CSV line's fields into out[] (an empty field is NaN); the count. */
static size_t csv_fields(char *line, double *out)
{
    size_t k = 0;
    char *s = line;
    for (;;) {
        char *comma = strchr(s, ',');
        if (comma != NULL)
            *comma = '\0';
        cr_assert(k < NCOL, "too many fields");
        out[k++] = *s ? strtod(s, NULL) : NAN;
        if (comma == NULL)
            return k;
        s = comma + 1;
    }
}

static void read_csv(const char *dir, struct rows *r)
{
    char *path = harness_path(dir, "backtest.csv");
    char *text = harness_read_file(path, NULL);
    cr_assert_not_null(text, "%s: not written", path);
    char *lines[80];
    size_t n = harness_split_lines(text, lines, 80);
    r->n = 0;
    for (size_t i = 1; i < n; i++) {     /* the header first */
        cr_assert_eq(csv_fields(lines[i], r->v[r->n]), NCOL, "backtest.csv:%zu", i + 1);
        r->n++;
    }
    free(text);
    free(path);
}

/* Blocks 0 and 1 of backtest.dat (gnuplot's index: two blank lines apart). */
static void read_dat(const char *dir, struct rows blocks[2])
{
    char *path = harness_path(dir, "backtest.dat");
    char *text = harness_read_file(path, NULL);
    cr_assert_not_null(text, "%s: not written", path);
    char *lines[160];
    size_t n = harness_split_lines(text, lines, 160);
    size_t b = 0, blanks = 0;
    blocks[0].n = blocks[1].n = 0;
    for (size_t i = 0; i < n; i++) {
        if (lines[i][0] == '\0') {
            if (++blanks == 2) {
                b++;
                cr_assert(b < 2, "backtest.dat: more than two blocks");
            }
            continue;
        }
        blanks = 0;
        if (lines[i][0] == '#')
            continue;
        struct rows *r = &blocks[b];
        char *s = lines[i], *end;
        for (size_t k = 0; k < NCOL; k++) {
            r->v[r->n][k] = strtod(s, &end);
            cr_assert(end != s, "backtest.dat:%zu: column %zu", i + 1, k + 1);
            s = end;
        }
        while (*s == ' ')
            s++;
        cr_assert_eq(*s, '\0', "backtest.dat:%zu: more than %d columns", i + 1, NCOL);
        r->n++;
    }
    free(text);
    free(path);
}

static bool same(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static bool exists(const char *dir, const char *name, size_t min_len)
{
    char *p = harness_path(dir, name);
    size_t len = 0;
    char *text = harness_read_file(p, &len);
    free(p);
    free(text);
    return text != NULL && len >= min_len;
}

/* DIR/crm: the company's dated history, imported; its parent made here. */
static char *make_crm(char **parent)
{
    *parent = harness_tmpdir();
    char *log = harness_path(*parent, "leads-log.csv");
    struct harness_result r;
    HARNESS_RUN(&r, "run", FUNNELSIM_SRCDIR "/tests/fit/company.json", "--quiet", "--leads",
                log, "--set", "horizon_days=" DAYS, "--set", "start_date=" START);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    char *crm = harness_path(*parent, "crm");
    HARNESS_RUN(&r, "import", log, "--out", crm);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    free(log);
    return crm;
}

Test(plot, fit_backtest_chart, .timeout = 120)
{
    char *parent;
    char *crm = make_crm(&parent);
    char *fit = harness_path(parent, "fit");
    struct harness_result r;
    HARNESS_RUN(&r, "fit", crm, "--out", fit, "--holdout-from", HOLDOUT, "--bootstrap", "0",
                "--reps", "2", "--fit", "contact.p_reach");
    harness_assert_exit(&r, 0);
    cr_expect(harness_contains(r.out, "backtest.png"), "%s", r.out);
    harness_free(&r);

    /* Drawn, both. */
    cr_expect(exists(fit, "backtest.png", 1000), "backtest.png not drawn");
    char *svg_path = harness_path(fit, "backtest.svg");
    char *svg = harness_read_file(svg_path, NULL);
    cr_expect(svg != NULL && harness_contains(svg, "<svg"), "backtest.svg not drawn");
    free(svg);
    free(svg_path);

    /* Block 0 is backtest.csv, row for row and number for number. */
    static struct rows csv, dat[2];
    read_csv(fit, &csv);
    read_dat(fit, dat);
    cr_assert_gt(csv.n, 0);
    cr_assert_eq(dat[0].n, csv.n, "backtest.dat holds %zu held-out weeks, backtest.csv %zu",
                 dat[0].n, csv.n);
    unsigned inside[2] = {0, 0}, with[2] = {0, 0};
    for (size_t i = 0; i < csv.n; i++) {
        for (size_t k = 0; k < NCOL; k++)
            cr_expect(same(dat[0].v[i][k], csv.v[i][k]), "row %zu column %zu: .dat %g, .csv %g",
                      i + 1, k + 1, dat[0].v[i][k], csv.v[i][k]);
        for (int j = 0; j < 2; j++) {
            double in = csv.v[i][6 + 5 * j];
            if (!isnan(in)) {
                with[j]++;
                inside[j] += in == 1;
            }
        }
    }
    /* Block 1: the whole weeks before the holdout day, observed only. */
    cr_assert_eq(dat[1].n, HOLDOUT_DAY / 7);
    for (size_t i = 0; i < dat[1].n; i++) {
        cr_expect_eq(dat[1].v[i][0], (double)i + 1 - HOLDOUT_DAY / 7, "week numbers");
        cr_expect_eq(dat[1].v[i][1], 7.0 * (double)i, "a fitted week's first day");
        for (int j = 0; j < 2; j++) {
            double obs = dat[1].v[i][2 + 5 * j];
            cr_expect(obs >= 0 && obs <= 1, "fitted week %zu: observed %g", i, obs);
            for (int k = 3; k < 7; k++)
                cr_expect(isnan(dat[1].v[i][k + 5 * j]), "fitted week %zu predicted", i);
        }
    }

    /* The titles' counts are fit.json's shares, from the same weeks. */
    cJSON *json = harness_read_json(fit, "fit.json");
    const cJSON *bt = cJSON_GetObjectItem(json, "backtest");
    cr_assert_not_null(bt);
    static const char *const share[2] = {"junk_inside_share", "conversion_inside_share"};
    char *vars_path = harness_path(fit, "backtest.vars");
    char *vars = harness_read_file(vars_path, NULL);
    cr_assert_not_null(vars);
    cr_expect(harness_contains(vars, HOLDOUT), "the title names the date: %s", vars);
    for (int j = 0; j < 2; j++) {
        cr_assert_gt(with[j], 0);
        cr_expect_float_eq(cJSON_GetObjectItem(bt, share[j])->valuedouble,
                           (double)inside[j] / with[j], 1e-12);
        char words[96];
        snprintf(words, sizeof words, "in %u of %u weeks", inside[j], with[j]);
        cr_expect(harness_contains(vars, words), "no '%s' in %s", words, vars);
    }
    free(vars);
    free(vars_path);
    cJSON_Delete(json);

    /* Without gnuplot: a warning, exit 0, the data, no stale chart. */
    char *empty = harness_tmpdir();
    cr_assert_eq(setenv("PATH", empty, 1), 0);
    HARNESS_RUN(&r, "fit", crm, "--out", fit, "--overwrite", "--holdout-from", HOLDOUT,
                "--bootstrap", "0", "--reps", "2", "--fit", "contact.p_reach", "--quiet");
    harness_assert_exit(&r, 0);
    cr_expect(harness_contains(r.err, "warning") && harness_contains(r.err, "gnuplot"),
              "%s", r.err);
    cr_expect(!exists(fit, "backtest.png", 0), "a stale backtest.png");
    cr_expect(!exists(fit, "backtest.svg", 0), "a stale backtest.svg");
    cr_expect(exists(fit, "backtest.dat", 100) && exists(fit, "backtest.gp", 100));
    harness_free(&r);
    harness_rmtree(empty);
    free(empty);

    free(fit);
    free(crm);
    harness_rmtree(parent);
    free(parent);
}

/* backtest.gp names its data columns c_NAME = N in the order of
 * plot_fit_charts[] (the data file's '# columns:' line). */
Test(plot, fit_backtest_script_names_the_columns)
{
    const struct plot_chart_desc *d = &plot_fit_charts[PLOT_FIT_BACKTEST];
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    cr_assert(plot_chart_script_write("backtest.gp", fp), "backtest.gp is not built in");
    fclose(fp);
    size_t k = 0;
    for (; d->columns[k] != NULL; k++) {
        char line[96];
        snprintf(line, sizeof line, "\nc_%s = %zu\n", d->columns[k], k + 1);
        cr_expect(strstr(text, line) != NULL, "backtest.gp lacks c_%s = %zu", d->columns[k],
                  k + 1);
    }
    cr_expect_eq(k, NCOL, "the table and backtest.csv");
    size_t defined = 0;
    for (const char *p = strstr(text, "\nc_"); p != NULL; p = strstr(p + 1, "\nc_"))
        defined++;
    cr_expect_eq(defined, k);
    free(text);
}

/* ---- the month tics ---------------------------------------------------------- */

/* The words of the gnuplot list `name = '...'` in text, into w (at most
 * max, each below 32 characters); their count. */
static size_t list_words(const char *text, const char *name, char w[][32], size_t max)
{
    char key[64];
    snprintf(key, sizeof key, "%s = '", name);
    const char *p = strstr(text, key);
    cr_assert_not_null(p, "no %s in %s", name, text);
    p += strlen(key);
    size_t n = 0;
    while (*p != '\'' && *p != '\0') {
        while (*p == ' ')
            p++;
        if (*p == '\'')
            break;
        size_t len = 0;
        char end = *p == '"' ? '"' : ' ';
        if (end == '"')
            p++;
        while (*p != end && *p != '\'' && *p != '\0' && len < 31)
            w[n][len++] = *p++;
        w[n][len] = '\0';
        if (*p == '"')
            p++;
        cr_assert_lt(++n, max);
    }
    return n;
}

/* Over windows that start and end mid-month, on the first, and across a
 * new year: a tic at every month start inside the window and nowhere
 * else, the year on the first label and on January's only. */
Test(plot_time, month_tics_mark_each_first_of_the_month)
{
    static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static const struct { int y, m, d; double from, to; } cases[] = {
        {2026, 1, 5, -21, 357}, {2026, 3, 1, 0, 400}, {2025, 11, 17, 3.5, 120},
        {2024, 2, 29, -60, 30},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        int32_t origin = sim_date_from_ymd(cases[c].y, cases[c].m, cases[c].d);
        char *buf = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&buf, &len);
        cr_assert_not_null(fp);
        plot_time_month_tics(fp, origin, cases[c].from, cases[c].to);
        fclose(fp);
        static char weeks[64][32], labels[64][32];
        size_t nw = list_words(buf, "xtic_weeks", weeks, 64);
        size_t nl = list_words(buf, "xtic_labels", labels, 64);
        cr_assert_eq(nw, nl, "%s", buf);
        /* The month starts in the window, day by day. */
        size_t k = 0;
        for (int day = (int)ceil(cases[c].from); day <= cases[c].to; day++) {
            int y, m, d;
            sim_date_to_ymd(origin + day, &y, &m, &d);
            if (d != 1)
                continue;
            cr_assert_lt(k, nw, "case %zu: day %d (%d-%02d-01) has no tic: %s", c, day, y, m,
                         buf);
            /* Six digits (plot_time.c): within 1e-3 of a week, ten minutes. */
            cr_expect_float_eq(strtod(weeks[k], NULL), day / 7.0, 1e-3, "case %zu tic %zu",
                               c, k);
            char want[32];
            if (k == 0 || m == 1)
                snprintf(want, sizeof want, "%s %d", months[m - 1], y);
            else
                snprintf(want, sizeof want, "%s", months[m - 1]);
            cr_expect_str_eq(labels[k], want, "case %zu tic %zu", c, k);
            k++;
        }
        cr_expect_eq(k, nw, "case %zu: %zu month starts, %zu tics: %s", c, k, nw, buf);
        free(buf);
    }
}
