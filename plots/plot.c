/* SPDX-License-Identifier: MIT */
/*
 * plot.c - which charts a directory supports, their data and variables,
 * and the plot_dir() that draws them.
 *
 * Each chart is three files written here (NAME.dat, NAME.vars, NAME.gp)
 * and two drawn by gnuplot (NAME.png, NAME.svg).  The data files hold
 * rates in percent and money in the scenario's currency a month, so the
 * scripts only scale and draw; every decision about what a number means
 * (the knee, the capacity line, today's value) is taken here, in C, and
 * handed to the script as a variable, so that the report's words and the
 * chart's marks come from one computation.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plots/plot.h"
#include "models/keytab.h"
#include "models/measure.h"
#include "plots/plot_breakdown.h"
#include "plots/plot_chart.h"
#include "plots/plot_facts.h"
#include "plots/plot_file.h"
#include "plots/plot_load.h"
#include "plots/plot_origin.h"
#include "plots/plot_render.h"
#include "plots/plot_sensitivity.h"
#include "plots/plot_style.h"
#include "plots/plot_time.h"
#include "plots/report.h"
#include "sim/mem.h"

#ifndef FUNNELSIM_VERSION
#define FUNNELSIM_VERSION "dev"
#endif

/* ---- small writers ------------------------------------------------------------ */

static double pct(double share)
{
    return 100.0 * share;
}

/* The opening comment and the column header every data file starts with. */
static void data_header(FILE *fp, enum plot_chart c, const char *source, const char *what)
{
    fprintf(fp, "# %s.dat - written by funnelsim %s from %s\n", plot_charts[c].name,
            FUNNELSIM_VERSION, source);
    fprintf(fp, "# %s: %s\n", plot_charts[c].caption, what);
    fprintf(fp, "# Drawn by %s.gp with the words and marks of %s.vars; NaN: no value.\n",
            plot_charts[c].name, plot_charts[c].name);
    fputs("# columns:", fp);
    for (size_t k = 0; k < plot_chart_columns(c); k++)
        fprintf(fp, " %s", plot_charts[c].columns[k]);
    fputc('\n', fp);
}

/* The footnote every chart carries: scenario, file, replications, window. */
static void footnote(char *buf, size_t n, const char *scenario, const char *file,
                     unsigned reps, double horizon_days, double warmup_days, const char *per)
{
    snprintf(buf, n, "Scenario %s (%s), %u replications%s, %.0f days of which %.0f warm-up. "
             "funnelsim %s", scenario, file, reps, per, horizon_days, warmup_days,
             FUNNELSIM_VERSION);
}

/* A swept key for an axis: its label as sweep.json records it ("web
 * leads a week"), with the unit after it when the label does not already
 * say it ("skill of 'sdrs' (share)"). */
static void axis_label(char *buf, size_t n, const struct plot_axis *a)
{
    if (a->unit[0] != '\0' && strstr(a->label, a->unit) == NULL)
        snprintf(buf, n, "%s (%s)", a->label, a->unit);
    else
        snprintf(buf, n, "%s", a->label);
}

/* What a 1-D sweep's chart is plotted against, for its title: a team
 * size is called one ("team size: managers in group 'sdrs'"). */
static void sweep_subject(char *buf, size_t n, const struct plot_axis *a)
{
    if (a->tag == PLOT_TAG_HEADCOUNT)
        snprintf(buf, n, "team size (%s)", a->label);
    else
        snprintf(buf, n, "%s", a->label);
}

/* A round step above max * 1.12, in percent: room above the curve. */
static double headroom(double max)
{
    double top = max * 1.12;
    if (!(top > 0))
        return 10.0;
    double step = top > 50 ? 10 : top > 20 ? 5 : top > 5 ? 2 : 0.5;
    return ceil(top / step) * step;
}

/* ---- the charts of a 1-D sweep ------------------------------------------------- */

/* The leads offered a week at swept value x, read off the curve between
 * the neighbouring points; NAN outside the range. */
static double offered_at(const struct plot_sweep *s, const struct plot_facts *f, double x)
{
    double *xs = sim_reallocarray(NULL, f->n, sizeof *xs);
    double *os = sim_reallocarray(NULL, f->n, sizeof *os);
    for (size_t i = 0; i < f->n; i++) {
        xs[i] = s->pts[i].value;
        os[i] = s->pts[i].offered;
    }
    double y = plot_facts_interp(f->order, f->n, xs, os, x);
    free(xs);
    free(os);
    return y;
}

static void sweep_common_vars(FILE *fp, const struct plot_data *d, const struct plot_facts *f)
{
    const struct plot_sweep *s = d->sweep;
    char buf[1024];
    axis_label(buf, sizeof buf, &s->axis);
    plot_render_var_str(fp, "xlabel", buf);
    snprintf(buf, sizeof buf, "leads handed to sales a week (%s)",
             s->channels[0] != '\0' ? s->channels : "all channels");
    plot_render_var_str(fp, "xlabel_offered", buf);
    footnote(buf, sizeof buf, s->scenario, s->file, s->reps, s->horizon_days,
             s->warmup_days, " per point");
    plot_render_var_str(fp, "footnote", buf);
    plot_render_var_num(fp, "target_pct", pct(d->target));
    plot_render_var_num(fp, "rising", f->rising ? 1 : 0);
    plot_render_var_num(fp, "cap_value", f->cap_value);
    plot_render_var_num(fp, "cap_offered", f->cap_offered);
    double lo = s->pts[f->order[0]].value, hi = s->pts[f->order[f->n - 1]].value;
    bool today_in = isfinite(f->today) && f->today >= lo && f->today <= hi;
    plot_render_var_num(fp, "today_value", today_in ? f->today : NAN);
    plot_render_var_num(fp, "today_offered", offered_at(s, f, today_in ? f->today : NAN));
}

static void write_junk_vs_inflow(const struct plot_data *d, const struct plot_facts *f,
                                  FILE *dat, FILE *vars)
{
    const struct plot_sweep *s = d->sweep;
    double max = 0;
    for (size_t i = 0; i < f->n; i++) {
        const struct plot_point *p = &s->pts[f->order[i]];
        plot_render_num(dat, p->value);
        plot_render_num(dat, p->offered);
        plot_render_num(dat, p->load);
        plot_render_num(dat, pct(p->junk.mean));
        plot_render_num(dat, pct(p->junk.lo));
        plot_render_num(dat, pct(p->junk.hi));
        fputc('\n', dat);
        if (isfinite(p->junk.hi) && pct(p->junk.hi) > max)
            max = pct(p->junk.hi);
        if (pct(p->junk.mean) > max)
            max = pct(p->junk.mean);
    }
    sweep_common_vars(vars, d, f);
    plot_render_var_num(vars, "ymax", headroom(fmax(max, pct(d->target))));
    plot_render_var_num(vars, "threshold_value", f->threshold);
    /* The bound as the report words it (report_fmt_bound). */
    char bound[128] = "";
    if (isfinite(f->threshold)) {
        char x[48], t[16];
        report_fmt_bound(x, sizeof x, f->threshold, f->rising, plot_facts_values_whole(s));
        metric_fmt_target(t, sizeof t, d->target);
        snprintf(bound, sizeof bound, "at or under %s %s %s", t,
                 f->rising ? "up to" : "from", x);
    }
    plot_render_var_str(vars, "threshold_text", bound);
    /* Where the mean curve crosses the target (the report's "at or below"). */
    plot_render_var_num(vars, "threshold_offered", offered_at(s, f, f->threshold));
    if (f->knee != (size_t)-1) {
        const struct plot_point *k = &s->pts[f->knee];
        plot_render_var_num(vars, "knee_value", k->value);
        plot_render_var_num(vars, "knee_offered", k->offered);
        plot_render_var_num(vars, "knee_pct", pct(k->junk.mean));
    } else {
        plot_render_var_num(vars, "knee_value", NAN);
        plot_render_var_num(vars, "knee_offered", NAN);
        plot_render_var_num(vars, "knee_pct", NAN);
    }
}

/* The layers of junk_by_cause, bottom to top: the reasons that do not
 * rise with load (in the table's order), then those that do, so the top
 * band is what load costs; which is which comes from the data
 * (plot_facts.rises), not from a list. */
static void cause_layers(const struct plot_data *d, const struct plot_facts *f, FILE *vars)
{
    unsigned k = 0;
    plot_render_var_num(vars, "n_flat", JUNK_REASONS - f->n_rising);
    for (int pass = 0; pass < 2; pass++)
        for (unsigned r = 0; r < JUNK_REASONS; r++) {
            if (f->rises[r] != (pass == 1))
                continue;
            char name[32], text[128];
            k++;
            snprintf(name, sizeof name, "cause_%u", k);
            plot_render_var_num(vars, name, r);
            snprintf(name, sizeof name, "title_%u", k);
            snprintf(text, sizeof text, "%s%s", plot_facts_reason_words[r],
                     f->rises[r] ? " (rises with load)" : "");
            plot_render_var_str(vars, name, text);
        }
    char note[256] = "";
    if (!f->load_varies)
        snprintf(note, sizeof note, "The nominal load does not vary over this sweep.");
    else if (f->n_rising == 0)
        snprintf(note, sizeof note, "No cause rises with load beyond the noise here.");
    (void)d;
    plot_render_var_str(vars, "cause_note", note);
}

static void write_junk_by_cause(const struct plot_data *d, const struct plot_facts *f,
                                 FILE *dat, FILE *vars)
{
    const struct plot_sweep *s = d->sweep;
    double max = 0;
    for (size_t i = 0; i < f->n; i++) {
        const struct plot_point *p = &s->pts[f->order[i]];
        plot_render_num(dat, p->value);
        plot_render_num(dat, p->offered);
        for (unsigned r = 0; r < JUNK_REASONS; r++)
            plot_render_num(dat, pct(p->reason[r].mean));
        plot_render_num(dat, pct(p->junk.mean));
        fputc('\n', dat);
        if (pct(p->junk.mean) > max)
            max = pct(p->junk.mean);
    }
    sweep_common_vars(vars, d, f);
    plot_render_var_num(vars, "ymax", headroom(fmax(max, pct(d->target))));
    cause_layers(d, f, vars);
}

static void write_wasted_money(const struct plot_data *d, const struct plot_facts *f,
                                FILE *dat, FILE *vars)
{
    const struct plot_sweep *s = d->sweep;
    double max_w = 0, max_r = 0;
    for (size_t i = 0; i < f->n; i++) {
        const struct plot_point *p = &s->pts[f->order[i]];
        double h = s->horizon_days, w = s->warmup_days;
        plot_render_num(dat, p->value);
        plot_render_num(dat, p->offered);
        const double money[] = {
            p->wasted.mean, p->wasted.lo, p->wasted.hi,
            p->revenue.mean, p->revenue.lo, p->revenue.hi, p->spend.mean,
        };
        for (size_t k = 0; k < sizeof money / sizeof money[0]; k++)
            plot_render_num(dat, plot_facts_per_month(money[k], h, w));
        fputc('\n', dat);
        max_w = fmax(max_w, plot_facts_per_month(p->wasted.mean, h, w));
        max_r = fmax(max_r, plot_facts_per_month(p->revenue.mean, h, w));
    }
    sweep_common_vars(vars, d, f);
    /* Money is shown in thousands (or millions when revenue runs to
     * tens of millions); a second axis when revenue dwarfs the waste. */
    double top = fmax(max_w, max_r);
    double scale = top >= 2e7 ? 1e6 : top >= 2e3 ? 1e3 : 1;
    plot_render_var_num(vars, "money_scale", scale);
    plot_render_var_str(vars, "money_unit", scale == 1e6 ? "millions" : scale == 1e3 ? "thousands" : "");
    plot_render_var_num(vars, "two_axes", max_w > 0 && max_r > 5 * max_w ? 1 : 0);
}

/* ---- the grid ----------------------------------------------------------------- */

/* Whole rows of the grid: an interrupted grid keeps the points of its
 * finished outer values only. */
static size_t grid_rows(const struct plot_sweep *s)
{
    return s->steps2 ? s->n / s->steps2 : 0;
}

static void write_sizing_map(const struct plot_data *d, const struct plot_facts *f,
                              FILE *dat, FILE *vars)
{
    (void)f;
    const struct plot_sweep *s = d->sweep;
    size_t rows = grid_rows(s);
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < rows; i++) {
        if (i > 0)
            fputc('\n', dat);
        for (size_t j = 0; j < s->steps2; j++) {
            const struct plot_point *p = &s->pts[i * s->steps2 + j];
            plot_render_num(dat, p->value);
            plot_render_num(dat, p->value2);
            plot_render_num(dat, p->offered);
            plot_render_num(dat, p->load);
            plot_render_num(dat, pct(p->junk.mean));
            plot_render_num(dat, pct(p->junk.lo));
            plot_render_num(dat, pct(p->junk.hi));
            fputc('\n', dat);
            lo = fmin(lo, pct(p->junk.mean));
            hi = fmax(hi, pct(p->junk.mean));
        }
    }
    char buf[1024];
    axis_label(buf, sizeof buf, &s->axis);
    plot_render_var_str(vars, "xlabel", buf);
    axis_label(buf, sizeof buf, &s->axis2);
    plot_render_var_str(vars, "ylabel", buf);
    footnote(buf, sizeof buf, s->scenario, s->file, s->reps, s->horizon_days,
             s->warmup_days, " per point");
    plot_render_var_str(vars, "footnote", buf);
    plot_render_var_num(vars, "target_pct", pct(d->target));
    plot_render_var_num(vars, "zmin", lo);
    plot_render_var_num(vars, "zmax", hi);
    /* The colour scale: from under the lower of the lowest cell and the
     * target to over the highest cell, in steps of 5 points. */
    plot_render_var_num(vars, "cb_lo", fmax(0, floor(fmin(lo, pct(d->target)) / 5 - 1) * 5));
    plot_render_var_num(vars, "cb_hi", ceil(fmax(hi, pct(d->target) + 5) / 5) * 5);
    plot_render_var_num(vars, "cell_labels", rows * s->steps2 <= 300 ? 1 : 0);
    /* Today's setting, when it lies inside the grid. */
    double x0 = s->pts[0].value, x1 = s->pts[(rows - 1) * s->steps2].value;
    double y0 = s->pts[0].value2, y1 = s->pts[s->steps2 - 1].value2;
    bool inside = s->base_value >= fmin(x0, x1) && s->base_value <= fmax(x0, x1) &&
                  s->base_value2 >= fmin(y0, y1) && s->base_value2 <= fmax(y0, y1);
    plot_render_var_num(vars, "today_value", inside ? s->base_value : NAN);
    plot_render_var_num(vars, "today_value2", inside ? s->base_value2 : NAN);
    char t[16];
    metric_fmt_target(t, sizeof t, d->target);
    if (pct(d->target) < lo)
        snprintf(buf, sizeof buf, "The %s target is not reached anywhere in this grid "
                 "(lowest junk rate: %.1f%%)", t, lo);
    else if (pct(d->target) > hi)
        snprintf(buf, sizeof buf, "Junk stays under the %s target everywhere in this "
                 "grid (highest: %.1f%%)", t, hi);
    else
        buf[0] = '\0';
    plot_render_var_str(vars, "note", buf);
    plot_render_var_num(vars, "has_contour", buf[0] == '\0' ? 1 : 0);
}

/* ---- a run over time ------------------------------------------------------------ */

static void write_run_over_time(const struct plot_data *d, const struct plot_facts *f,
                                 FILE *dat, FILE *vars)
{
    (void)f;
    const struct plot_run *r = d->run;
    double max_left = 0;
    for (size_t day = 0; day < r->n_days; day++) {
        size_t w = day / 7;
        double inflow = w < r->n_weeks ? r->inflow_week[w] : NAN;
        double junk = w < r->n_weeks && r->resolved_week[w] > 0
                          ? pct(r->junk_week[w] / r->resolved_week[w]) : NAN;
        fprintf(dat, "%zu", day);
        plot_render_num(dat, (double)day / 7.0);
        plot_render_num(dat, r->backlog_day[day]);
        plot_render_num(dat, inflow);
        plot_render_num(dat, junk);
        bool cohort = w < r->n_cohort;
        plot_render_num(dat, cohort ? pct(r->cohort_junk[w]) : NAN);
        plot_render_num(dat, cohort ? pct(r->cohort_lo[w]) : NAN);
        plot_render_num(dat, cohort ? pct(r->cohort_hi[w]) : NAN);
        fputc('\n', dat);
        if (isfinite(r->backlog_day[day]))
            max_left = fmax(max_left, r->backlog_day[day]);
        if (isfinite(inflow))
            max_left = fmax(max_left, inflow);
    }
    char buf[1024];
    footnote(buf, sizeof buf, r->scenario, r->file, r->reps, r->horizon_days,
             r->warmup_days, ", means of each day and week");
    plot_render_var_str(vars, "footnote", buf);
    plot_render_var_num(vars, "target_pct", pct(d->target));
    plot_render_var_num(vars, "warmup_weeks", r->warmup_days / 7.0);
    plot_render_var_num(vars, "horizon_weeks", r->horizon_days / 7.0);
    plot_render_var_num(vars, "capacity_week", r->capacity);
    plot_render_var_num(vars, "ymax_left", max_left * 1.25);
    plot_time_axis(vars, r);
    plot_time_marks(vars, r);
    plot_time_target_vars(vars, d);
}

static void write_campaign_effect(const struct plot_data *d, const struct plot_facts *f,
                                  FILE *dat, FILE *vars)
{
    (void)f;
    const struct plot_run *r = d->run;
    char buf[1024];
    footnote(buf, sizeof buf, r->scenario, r->file, r->reps, r->horizon_days,
             r->warmup_days, ", with and without the campaigns (same seed)");
    plot_render_var_str(vars, "footnote", buf);
    plot_render_var_num(vars, "target_pct", pct(d->target));
    plot_time_axis(vars, r);
    plot_time_marks(vars, r);
    plot_time_target_vars(vars, d);
    plot_time_campaign_effect(r, dat, vars);
}

/* ---- the seven measures ---------------------------------------------------------- */

/* A label safe inside a double-quoted gnuplot data field. */
static void data_label(FILE *fp, const char *s)
{
    fputs(" \"", fp);
    for (; *s != '\0'; s++)
        fputc(*s == '"' ? '\'' : (unsigned char)*s < 0x20 ? ' ' : *s, fp);
    fputc('"', fp);
}

static void write_measures_waterfall(const struct plot_data *d, const struct plot_facts *f,
                                      FILE *dat, FILE *vars)
{
    (void)f;
    const struct plot_measures *m = d->measures;
    double max = 0;
    bool any_up = false, any_credit = false;
    char label[PLOT_LOAD_TEXT_MAX + 32];
    for (size_t i = 0; i <= m->n; i++) {
        double from, to, change, credit = NAN;
        int kind;
        if (i == 0) {
            from = 0;
            to = pct(m->steps[0].junk.mean);
            change = NAN;
            kind = 0;
            snprintf(label, sizeof label, "baseline (%s)", m->base);
        } else if (i < m->n) {
            from = pct(m->steps[i - 1].junk.mean);
            to = pct(m->steps[i].junk.mean);
            change = to - from;
            credit = pct(m->steps[i].shapley.mean);
            any_credit = any_credit || isfinite(credit);
            kind = 1;
            any_up = any_up || change > 0;
            measure_step_label(label, sizeof label, m->steps[i].measure, m->steps[i].name);
        } else {
            from = 0;
            to = pct(m->steps[m->n - 1].junk.mean);
            change = to - pct(m->steps[0].junk.mean);
            kind = 2;
            snprintf(label, sizeof label, "after (%s)", m->after);
        }
        fprintf(dat, "%zu", i);
        plot_render_num(dat, from);
        plot_render_num(dat, to);
        plot_render_num(dat, change);
        fprintf(dat, " %d", kind);
        data_label(dat, label);
        plot_render_num(dat, credit);
        fputc('\n', dat);
        max = fmax(max, fmax(from, to));
    }
    char buf[1024];
    snprintf(buf, sizeof buf, "Scenarios %s -> %s, %u replications per step, the same "
             "random streams in each. funnelsim %s", m->base, m->after, m->reps,
             FUNNELSIM_VERSION);
    plot_render_var_str(vars, "footnote", buf);
    plot_render_var_num(vars, "target_pct", pct(d->target));
    plot_render_var_num(vars, "n_rows", (double)m->n + 1);
    plot_render_var_num(vars, "any_up", any_up ? 1 : 0);
    /* Room right of the bars for "-1.0 pts (Shapley -0.5)". */
    plot_render_var_num(vars, "xmax", headroom(fmax(max, pct(d->target))) / 1.12 * (any_credit ? 1.45 : 1.15));
}

static void write_junk_by_channel(const struct plot_data *d, const struct plot_facts *f,
                                  FILE *dat, FILE *vars)
{
    (void)f;
    plot_breakdown_chart(d->breakdown, d->target, dat, vars);
}

static void write_sensitivity_tornado(const struct plot_data *d, const struct plot_facts *f,
                                      FILE *dat, FILE *vars)
{
    (void)f;
    plot_sensitivity_chart(d->sensitivity, dat, vars);
}

/* ---- which charts ------------------------------------------------------------------ */

/* NULL when DIR's data supports chart c, else why not. */
static const char *why_not(enum plot_chart c, const struct plot_data *d)
{
    const struct plot_sweep *s = d->sweep;
    switch (c) {
    case PLOT_CHART_JUNK_VS_INFLOW:
    case PLOT_CHART_JUNK_BY_CAUSE:
    case PLOT_CHART_WASTED_MONEY:
        if (s == NULL)
            return "needs sweep.json (funnelsim sweep SCENARIO --vary PATH ... --out DIR)";
        if (s->grid)
            return "sweep.json is a grid (--vary2): the sizing map shows it";
        if (s->n < 2)
            return "sweep.json has fewer than two points";
        return NULL;
    case PLOT_CHART_SIZING_MAP:
        if (s == NULL || !s->grid)
            return "needs a grid sweep (sweep --vary PATH ... --vary2 PATH ... --out DIR)";
        if (s->steps2 < 2 || grid_rows(s) < 2)
            return "the grid needs two or more finished values on each axis";
        return NULL;
    case PLOT_CHART_RUN_OVER_TIME:
        if (d->run == NULL)
            return "needs result.json and its series (funnelsim run SCENARIO --out DIR)";
        if (d->run->n_days < 2)
            return "the series hold fewer than two days";
        return NULL;
    case PLOT_CHART_MEASURES_WATERFALL:
        if (d->measures == NULL)
            return "needs measures.json (funnelsim compare --measures BASE AFTER --out DIR)";
        if (d->measures->n < 2)
            return "measures.json has no step after the baseline";
        return NULL;
    case PLOT_CHART_JUNK_BY_CHANNEL:
        if (d->breakdown == NULL || d->breakdown->n_channels == 0)
            return "needs result.json with by_channel (funnelsim run SCENARIO --out DIR)";
        return NULL;
    case PLOT_CHART_CAMPAIGN_EFFECT:
        if (d->run == NULL)
            return "needs result.json (funnelsim run SCENARIO --out DIR)";
        if (d->run->n_without == 0 || d->run->n_weekly == 0)
            return "the run has no campaign or trade show (result.json has no "
                   "weekly_without_campaigns)";
        return NULL;
    case PLOT_CHART_SENSITIVITY_TORNADO:
        if (d->sensitivity == NULL)
            return "needs sensitivity.json (funnelsim sensitivity SCENARIO --out DIR)";
        return NULL;
    default:
        return "unknown chart";
    }
}

/* How each chart is written: its heading, what its data file holds and
 * comes from, and the writer of its rows and variables (after the data
 * file's header and the title; `f` holds the facts of a 1-D sweep, the
 * other charts ignore it). */
static const struct chart_writer {
    const char *title;          /* NAME.vars `title`; NULL: the caption */
    const char *source;         /* the result files read */
    const char *about;          /* the data file's rows */
    void (*write)(const struct plot_data *d, const struct plot_facts *f, FILE *dat,
                  FILE *vars);
} writers[PLOT_CHART_COUNT] = {
    [PLOT_CHART_JUNK_VS_INFLOW] = {
        NULL, "sweep.json",
        "one row per swept value, by value; junk in percent of resolved leads",
        write_junk_vs_inflow},
    [PLOT_CHART_JUNK_BY_CAUSE] = {
        NULL, "sweep.json",
        "one row per swept value; each cause in percent of resolved leads, adding up to "
        "junk_pct",
        write_junk_by_cause},
    [PLOT_CHART_RUN_OVER_TIME] = {
        "One run over time: backlog, inflow and junk",
        "series_daily.csv, series_weekly.csv and weekly.csv",
        "one row per day: the backlog that morning, and the inflow and junk rate of its "
        "week (means over replications), and the junk rate of the leads handed that week "
        "with its 95% CI (weekly.csv)",
        write_run_over_time},
    [PLOT_CHART_SIZING_MAP] = {
        NULL, "sweep.json",
        "a block per value of --vary (blank line between blocks), a row per value of "
        "--vary2; junk in percent",
        write_sizing_map},
    [PLOT_CHART_MEASURES_WATERFALL] = {
        "The seven measures, one at a time: junk rate", "measures.json",
        "baseline (kind 0), one row per step (kind 1), the result (kind 2); junk in "
        "percent, change in points",
        write_measures_waterfall},
    [PLOT_CHART_WASTED_MONEY] = {
        NULL, "sweep.json",
        "one row per swept value; money a month (total over the measured window / "
        "measured days x 30.44), in the scenario's currency",
        write_wasted_money},
    [PLOT_CHART_JUNK_BY_CHANNEL] = {
        "Junk by reason in each channel", "result.json (by_channel)",
        "one row per channel: its index and name, each reason in percent of the channel's "
        "resolved leads, adding up to junk_pct, and junk_pct's 95% interval",
        write_junk_by_channel},
    [PLOT_CHART_CAMPAIGN_EFFECT] = {
        "The campaigns' effect: the same run with and without them",
        "result.json (weekly, weekly_without_campaigns)",
        "one row per week: the junk rate (percent) and revenue of the leads handed that "
        "week, with their 95% CIs, in the run and in the same run (same seed) without its "
        "campaigns and trade shows; NaN for weeks not complete",
        write_campaign_effect},
    [PLOT_CHART_SENSITIVITY_TORNADO] = {
        "Which assumptions matter: each moved over its plausible range",
        "sensitivity.json",
        "a block per metric (junk rate in percent, deals, profit), a row per key in rank "
        "order: the base, the metric at the low and high ends, the swing high - low with "
        "its paired 95% interval, whether it is within the noise",
        write_sensitivity_tornado},
};

/* Chart c's title into buf: a sweep's names what was swept, by its
 * label ("Junk rate vs web leads a week"), a team size as one. */
static void chart_title(enum plot_chart c, const struct plot_data *d, char *buf, size_t n)
{
    const struct plot_sweep *s = d->sweep;
    char subject[PLOT_LOAD_TEXT_MAX + 32];
    const char *lead = c == PLOT_CHART_JUNK_VS_INFLOW ? "Junk rate"
                       : c == PLOT_CHART_JUNK_BY_CAUSE ? "Junk by cause"
                       : c == PLOT_CHART_WASTED_MONEY  ? "Wasted money and revenue"
                                                       : NULL;
    if (s != NULL && !s->grid && lead != NULL) {
        sweep_subject(subject, sizeof subject, &s->axis);
        snprintf(buf, n, "%s vs %s", lead, subject);
    } else if (s != NULL && s->grid && c == PLOT_CHART_SIZING_MAP) {
        snprintf(buf, n, "Sizing map: junk rate over %s and %s", s->axis.label,
                 s->axis2.label);
    } else {
        snprintf(buf, n, "%s", writers[c].title ? writers[c].title : plot_charts[c].caption);
    }
}

/* Writes NAME.dat, NAME.vars and NAME.gp for chart c, titled `title`. */
static int write_chart(enum plot_chart c, const struct plot_data *d,
                       const struct plot_facts *f, const char *title, struct sim_err *err)
{
    const char *name = plot_charts[c].name;
    char file[128];
    struct plot_render_files fs;
    int rc = plot_render_files_open(&fs, d->dir, name, err);
    if (rc != SIM_OK)
        return rc;
    fprintf(fs.vars.fp, "# %s.vars - written by funnelsim %s: the words and marks of %s.gp.\n"
                     "# gnuplot assignments, loaded by the script; edit them to relabel.\n",
            name, FUNNELSIM_VERSION, name);
    const struct chart_writer *w = &writers[c];
    data_header(fs.dat.fp, c, w->source, w->about);
    plot_render_var_str(fs.vars.fp, "title", title);
    plot_style_write_vars(fs.vars.fp);
    w->write(d, f, fs.dat.fp, fs.vars.fp);
    snprintf(file, sizeof file, "%s.gp", name);
    if (!plot_chart_script_write(file, fs.gp.fp))
        rc = sim_err_set(err, SIM_ERR_RUNTIME, "plot: %s: not built into this program "
                         "(rebuild: make)", file);
    return plot_render_files_close(&fs, rc, err);
}

/* ---- the directory ---------------------------------------------------------------- */

/* The longest name plot_dir() gives a file in DIR: sim_file's temporary
 * ".NAME.XXXXXX" (sim/file.h) of a chart's NAME.vars, or of report.html;
 * gnuplot's ".NAME.EXT.part" and ".NAME.EXT.log" are shorter. */
static size_t longest_file_name(void)
{
    size_t longest = strlen(".report.html.XXXXXX");
    for (unsigned c = 0; c < PLOT_CHART_COUNT; c++) {
        size_t n = strlen(".") + strlen(plot_charts[c].name) + strlen(".vars.XXXXXX");
        if (n > longest)
            longest = n;
    }
    return longest;
}

/* A directory whose files' paths would not fit in PATH_MAX is refused
 * before anything is read or written, rather than halfway through with
 * some charts written and others not. */
static int check_dir_length(const char *dir, struct sim_err *err)
{
    size_t most = PATH_MAX - 1 - 1 - longest_file_name();
    if (strlen(dir) <= most)
        return SIM_OK;
    char brief[PLOT_FILE_BRIEF_SIZE];
    return sim_err_set(err, SIM_ERR_RUNTIME, "plot: %s: directory path too long for the "
                       "chart files (%zu characters, at most %zu)",
                       plot_file_brief(brief, sizeof brief, dir), strlen(dir), most);
}

int plot_dir(const char *dir, const struct plot_opts *opts, struct plot_outcome *out,
             struct sim_err *err)
{
    struct plot_outcome dummy;
    if (out == NULL)
        out = &dummy;
    memset(out, 0, sizeof *out);
    FILE *log = opts ? opts->log : NULL;
    struct plot_data d = {0};
    int rc = check_dir_length(dir, err);
    if (rc != SIM_OK)
        return rc;
    rc = plot_origin_check(dir, opts ? opts->warn : NULL, err);
    if (rc != SIM_OK)
        return rc;
    rc = plot_load(dir, &d, err);
    if (rc != SIM_OK)
        return rc;
    if ((rc = plot_time_target_on(&d, opts ? opts->target_on_name : NULL,
                                  opts ? opts->target_on : NULL, err)) != SIM_OK) {
        plot_load_free(&d);
        return rc;
    }
    /* The option's target, else the one the results ran with. */
    d.target = opts && opts->target > 0          ? opts->target
               : isfinite(d.recorded_target) ? d.recorded_target
                                             : PLOT_DEFAULT_TARGET;
    if ((rc = plot_breakdown_load(dir, &d.breakdown, err)) != SIM_OK) {
        plot_load_free(&d);
        return rc;
    }
    if ((rc = plot_sensitivity_load(dir, &d.sensitivity, err)) != SIM_OK) {
        plot_breakdown_free(d.breakdown);
        plot_load_free(&d);
        return rc;
    }
    if (d.sweep == NULL && d.run == NULL && d.measures == NULL && d.sensitivity == NULL) {
        plot_breakdown_free(d.breakdown);
        plot_load_free(&d);
        if (d.compare)
            return sim_err_set(err, SIM_ERR_INPUT, "plot: %s: compare.json has no chart of "
                               "its own: the waterfall needs compare --measures BASE AFTER",
                               dir);
        return sim_err_set(err, SIM_ERR_INPUT, "plot: %s: no results to chart: expected "
                           "sweep.json, result.json, measures.json or sensitivity.json "
                           "(written by sweep, run, compare --measures or sensitivity with "
                           "--out DIR)", dir);
    }

    struct plot_facts facts = {0};
    bool have_facts = false;
    if (d.sweep != NULL && !d.sweep->grid && d.sweep->n >= 2) {
        plot_facts_compute(d.sweep, d.target, &facts);
        have_facts = true;
    }

    char gnuplot[4096] = "";
    const char *program = opts && opts->gnuplot ? opts->gnuplot : "gnuplot";
    bool can_draw = plot_render_find_program(program, gnuplot, sizeof gnuplot);
    out->gnuplot_missing = !can_draw;

    struct report_input in = {.d = &d, .facts = have_facts ? &facts : NULL};
    struct sim_err first = {0};
    const volatile sig_atomic_t *stop = opts ? opts->stop : NULL;
    plot_render_say(log, "plot: %s\n", dir);
    for (unsigned c = 0; c < PLOT_CHART_COUNT; c++) {
        if (stop != NULL && *stop) {
            out->interrupted = true;
            break;
        }
        const char *why = why_not((enum plot_chart)c, &d);
        const char *name = plot_charts[c].name;
        if (why != NULL) {
            in.skipped[c] = why;
            out->skipped++;
            continue;
        }
        struct sim_err e = {0};
        chart_title((enum plot_chart)c, &d, in.title[c], sizeof in.title[c]);
        if (write_chart((enum plot_chart)c, &d, &facts, in.title[c], &e) != SIM_OK) {
            sim_err_set(&first, e.code, "%s", e.msg);
            plot_render_say(log, "  %-19s FAILED: %s\n", name, e.msg);
            continue;
        }
        in.written[c] = true;
        out->written++;
        if (!can_draw) {
            /* A chart left from an earlier plot would show old data. */
            char file[128], old[PATH_MAX];
            snprintf(file, sizeof file, "%s.png", name);
            if (plot_file_path(old, sizeof old, dir, file, NULL) == SIM_OK)
                unlink(old);
            snprintf(file, sizeof file, "%s.svg", name);
            if (plot_file_path(old, sizeof old, dir, file, NULL) == SIM_OK)
                unlink(old);
            plot_render_say(log, "  %-19s %s/%s.dat and %s.gp written, not drawn\n", name, dir, name, name);
            continue;
        }
        int r = plot_render(gnuplot, dir, name, "png", stop, &e);
        if (r == SIM_OK)
            r = plot_render(gnuplot, dir, name, "svg", stop, &e);
        if (r == PLOT_RENDER_STOPPED) {
            out->interrupted = true;
            plot_render_say(log, "  %-19s interrupted\n", name);
            break;
        }
        if (r != SIM_OK) {
            sim_err_set(&first, e.code, "%s", e.msg);
            plot_render_say(log, "  %-19s FAILED: %s\n", name, e.msg);
            continue;
        }
        in.drawn[c] = true;
        out->drawn++;
        plot_render_say(log, "  %-19s %s/%s.png (and .svg): %s\n", name, dir, name, in.title[c]);
    }
    for (unsigned c = 0; c < PLOT_CHART_COUNT; c++)
        if (in.skipped[c] != NULL)
            plot_render_say(log, "  %-19s skipped: %s\n", plot_charts[c].name, in.skipped[c]);

    in.gnuplot_missing = !can_draw;
    struct sim_err e = {0};
    if (out->interrupted) {
        if (have_facts)
            plot_facts_free(&facts);
        plot_breakdown_free(d.breakdown);
        plot_sensitivity_free(d.sensitivity);
        plot_load_free(&d);
        return sim_err_set(err, SIM_ERR_RUNTIME, "plot: %s: interrupted: %u chart%s drawn "
                           "whole, none half-drawn; report.html not written", dir,
                           out->drawn, out->drawn == 1 ? "" : "s");
    }
    if (report_write(dir, &in, &e) == SIM_OK) {
        out->report = true;
        plot_render_say(log, "  %-19s %s/report.html\n", "report", dir);
    } else {
        sim_err_set(&first, e.code, "%s", e.msg);
        plot_render_say(log, "  %-19s FAILED: %s\n", "report", e.msg);
    }
    if (have_facts)
        plot_facts_free(&facts);
    plot_breakdown_free(d.breakdown);
    plot_sensitivity_free(d.sensitivity);
    plot_load_free(&d);

    out->failed = sim_err_isset(&first);
    if (out->failed)
        return sim_err_set(err, first.code, "%s", first.msg);
    if (!can_draw)
        return sim_err_set(err, SIM_ERR_RUNTIME,
                           "plot: %s not found on PATH: the chart data and gnuplot scripts "
                           "are written in %s, but no chart is drawn; install gnuplot "
                           "(apt-get install gnuplot-nox) and run 'funnelsim plot %s'",
                           program, dir, dir);
    return SIM_OK;
}

bool plot_is_output(const char *name)
{
    if (strcmp(name, "report.html") == 0)
        return true;
    static const char *const exts[] = {".dat", ".vars", ".gp", ".png", ".svg"};
    for (unsigned c = 0; c < PLOT_CHART_COUNT; c++) {
        size_t n = strlen(plot_charts[c].name);
        if (strncmp(name, plot_charts[c].name, n) != 0)
            continue;
        for (size_t k = 0; k < sizeof exts / sizeof exts[0]; k++)
            if (strcmp(name + n, exts[k]) == 0)
                return true;
    }
    return false;
}

int plot_after_run(const char *dir, const volatile sig_atomic_t *stop, bool *interrupted,
                   struct sim_err *err)
{
    struct plot_opts opts = {.log = stderr, .warn = stderr, .stop = stop};
    struct plot_outcome out;
    struct sim_err e = {0};
    int rc = plot_dir(dir, &opts, &out, &e);
    *interrupted = out.interrupted;
    if (rc != SIM_OK && out.gnuplot_missing && !out.failed) {
        fprintf(stderr, "funnelsim: warning: %s\n", e.msg);
        return SIM_OK;
    }
    if (rc != SIM_OK)
        return sim_err_set(err, e.code, "%s", e.msg);
    return SIM_OK;
}
