/* SPDX-License-Identifier: MIT */
/*
 * plot_fit.c - the back-test chart (plot_fit.h).
 *
 * Every number the chart marks (the shares inside the intervals, the
 * holdout day) is computed here or in models/backtest.c and handed to the
 * script in backtest.vars, so the titles and fit.json's backtest summary
 * come from one count.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plots/plot_fit.h"
#include "plots/plot_file.h"
#include "plots/plot_render.h"
#include "plots/plot_style.h"
#include "plots/plot_time.h"
#include "sim/date.h"
#include "sim/file.h"

#ifndef FUNNELSIM_VERSION
#define FUNNELSIM_VERSION "dev"
#endif

const struct plot_chart_desc plot_fit_charts[PLOT_FIT_CHARTS] = {
    [PLOT_FIT_BACKTEST] = {"backtest", "Back-test: observed vs predicted weekly junk rate "
                           "and conversion",
                           {"week", "from_day", "observed_junk", "predicted_junk", "junk_lo",
                            "junk_hi", "junk_inside", "observed_conversion",
                            "predicted_conversion", "conversion_lo", "conversion_hi",
                            "conversion_inside", NULL}},
};

static const char *const what[2] = {"junk rate", "conversion"};

/* A rate as backtest.csv writes it (six decimals), NaN where it is empty. */
static void rate(FILE *fp, double x)
{
    if (isnan(x))
        fputs(" NaN", fp);
    else
        fprintf(fp, " %.6f", x);
}

static void write_dat(FILE *fp, const struct history *h, const struct backtest *bt,
                      double ymax[2])
{
    ymax[0] = ymax[1] = 0;
    fputs("# the held-out weeks: backtest.csv's rows\n", fp);
    for (size_t k = 0; k < bt->n; k++) {
        const struct backtest_week *w = &bt->w[k];
        fprintf(fp, "%u %.0f", w->week, w->from_day);
        for (int j = 0; j < 2; j++) {
            rate(fp, w->obs[j]);
            rate(fp, w->mean[j]);
            rate(fp, w->lo[j]);
            rate(fp, w->hi[j]);
            if (isnan(w->obs[j]) || isnan(w->lo[j]))
                fputs(" NaN", fp);
            else
                fprintf(fp, " %d", w->inside[j]);
            double top = fmax(isnan(w->obs[j]) ? 0 : w->obs[j], isnan(w->hi[j]) ? 0 : w->hi[j]);
            ymax[j] = fmax(ymax[j], top);
        }
        fputc('\n', fp);
    }
    /* The fitted weeks: whole weeks back from the holdout day, so that
     * they line up with the held-out ones; week 0 is the last. */
    fputs("\n\n# the fitted weeks: observed only\n", fp);
    size_t before = (size_t)floor(bt->holdout_h / 168.0 + 1e-9);
    for (size_t k = before; k > 0; k--) {
        double t0 = bt->holdout_h - 168.0 * (double)k, obs[2];
        backtest_week_rates(h, t0, obs);
        fprintf(fp, "%ld %.0f", 1 - (long)k, t0 / 24);
        for (int j = 0; j < 2; j++) {
            rate(fp, obs[j]);
            fputs(" NaN NaN NaN NaN", fp);
            if (!isnan(obs[j]))
                ymax[j] = fmax(ymax[j], obs[j]);
        }
        fputc('\n', fp);
    }
    if (before == 0)    /* an empty block would end the file early for gnuplot */
        fputs("NaN NaN NaN NaN NaN NaN NaN NaN NaN NaN NaN NaN\n", fp);
}

/* "the holdout date" in words: "2026-09-01" or "day 56". */
static void day_text(char *buf, size_t n, const struct history *h, double day)
{
    if (h->origin.dated) {
        char d[SIM_DATE_TEXT];
        snprintf(buf, n, "%s", sim_date_format(h->origin.date + (int32_t)floor(day + 1e-9), d));
    } else {
        snprintf(buf, n, "day %.0f", day);
    }
}

static void write_vars(FILE *fp, const struct history *h, const struct backtest *bt,
                       const double ymax[2])
{
    char text[512], from[48];
    double day = bt->holdout_h / 24;
    day_text(from, sizeof from, h, day);
    fprintf(fp, "# backtest.vars - written by funnelsim %s: the words and marks of "
                "backtest.gp.\n", FUNNELSIM_VERSION);
    snprintf(text, sizeof text, "Back-test: the fit on the weeks before %s, checked on the "
             "%zu weeks after", from, bt->n);
    plot_render_var_str(fp, "title", text);
    snprintf(text, sizeof text, "funnelsim fit: fitted on the leads created before %s; a "
             "held-out week's interval: %d runs of the fit (the draft's inflow), 2.5%% to "
             "97.5%%", from, BACKTEST_REPS);
    plot_render_var_str(fp, "footnote", text);
    for (int j = 0; j < 2; j++) {
        unsigned in = bt->inside[j], of = bt->weeks_with[j];
        if (of)
            snprintf(text, sizeof text, "Weekly %s: observed inside its 95%% prediction "
                     "interval in %u of %u weeks (%.0f%%)", what[j], in, of,
                     100.0 * in / of);
        else
            snprintf(text, sizeof text, "Weekly %s: no held-out week with an observed value "
                     "and an interval", what[j]);
        plot_render_var_str(fp, j == 0 ? "junk_text" : "conversion_text", text);
        /* Percent, rounded up to 5 points, with room above the highest mark. */
        plot_render_var_num(fp, j == 0 ? "ymax_junk" : "ymax_conversion",
                            fmin(100, fmax(5, ceil(100 * ymax[j] * 1.15 / 5) * 5)));
    }
    double first = day - 7.0 * floor(bt->holdout_h / 168.0 + 1e-9);
    double last = day + 7.0 * (double)bt->n;
    plot_render_var_num(fp, "holdout_day", day);
    plot_render_var_num(fp, "first_day", first);
    plot_render_var_num(fp, "last_day", last);
    plot_render_var_num(fp, "dated", h->origin.dated ? 1 : 0);
    /* A dated history is labelled by month, as the run's charts are: a
     * date under every week's tic ran together at this width. */
    if (h->origin.dated)
        plot_time_month_tics(fp, h->origin.date, first, last);
    else
        fputs("xtic_weeks = ''\nxtic_labels = ''\n", fp);
    plot_style_write_vars(fp);
}

static int write_files(const char *dir, const struct history *h, const struct backtest *bt,
                       struct sim_err *err)
{
    const struct plot_chart_desc *desc = &plot_fit_charts[PLOT_FIT_BACKTEST];
    struct plot_render_files fs;
    int rc = plot_render_files_open(&fs, dir, "backtest", err);
    if (rc != SIM_OK)
        return rc;
    fprintf(fs.dat.fp, "# backtest.dat - written by funnelsim %s from the back-test of the fit "
                    "in this directory\n# %s\n# columns:", FUNNELSIM_VERSION, desc->caption);
    for (size_t k = 0; desc->columns[k] != NULL; k++)
        fprintf(fs.dat.fp, " %s", desc->columns[k]);
    fputc('\n', fs.dat.fp);
    double ymax[2];
    write_dat(fs.dat.fp, h, bt, ymax);
    write_vars(fs.vars.fp, h, bt, ymax);
    if (!plot_chart_script_write("backtest.gp", fs.gp.fp))
        rc = sim_err_set(err, SIM_ERR_RUNTIME, "fit: backtest.gp: not built into this "
                         "program (rebuild: make)");
    return plot_render_files_close(&fs, rc, err);
}

int plot_fit_backtest(const char *dir, const struct history *h, const struct backtest *bt,
                      const struct plot_fit_opts *opts, struct plot_fit_outcome *out,
                      struct sim_err *err)
{
    struct plot_fit_outcome dummy;
    if (out == NULL)
        out = &dummy;
    memset(out, 0, sizeof *out);
    const char *name = plot_fit_charts[PLOT_FIT_BACKTEST].name;
    const volatile sig_atomic_t *stop = opts ? opts->stop : NULL;
    char gnuplot[4096] = "";
    const char *program = opts && opts->gnuplot ? opts->gnuplot : "gnuplot";
    out->gnuplot_missing = !plot_render_find_program(program, gnuplot, sizeof gnuplot);
    int rc = write_files(dir, h, bt, err);
    if (rc != SIM_OK)
        return rc;
    if (out->gnuplot_missing) {
        /* A chart left from an earlier fit would show old weeks. */
        static const char *const exts[] = {"png", "svg"};
        for (size_t k = 0; k < 2; k++) {
            char file[64], old[PATH_MAX];
            snprintf(file, sizeof file, "%s.%s", name, exts[k]);
            if (plot_file_path(old, sizeof old, dir, file, NULL) == SIM_OK)
                unlink(old);
        }
        return SIM_OK;
    }
    rc = plot_render(gnuplot, dir, name, "png", stop, err);
    if (rc == SIM_OK)
        rc = plot_render(gnuplot, dir, name, "svg", stop, err);
    if (rc == PLOT_RENDER_STOPPED) {
        out->interrupted = true;
        return SIM_OK;
    }
    out->drawn = rc == SIM_OK;
    return rc;
}
