/* SPDX-License-Identifier: MIT */
/*
 * plot_time.c - the charts over time: x axis, the plan's marks, the
 * campaign effect's rows (plot_time.h).
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "plots/plot_time.h"
#include "plots/plot_render.h"
#include "sim/date.h"

/* ---- word lists for gnuplot's word() ------------------------------------------ */

/* A list is one single-quoted gnuplot string of words; a label is a word
 * in double quotes inside it (gnuplot's word() keeps a quoted word whole).
 * So a label's double quote becomes a single one, a single quote is
 * doubled (the outer string's escape), a control character a space. */
static void list_open(FILE *fp, const char *name)
{
    fprintf(fp, "%s = '", name);
}

static void list_close(FILE *fp)
{
    fputs("'\n", fp);
}

static void list_num(FILE *fp, bool *first, double x)
{
    fprintf(fp, "%s%.6g", *first ? "" : " ", x);
    *first = false;
}

static void list_label(FILE *fp, bool *first, const char *s)
{
    fputs(*first ? "\"" : " \"", fp);
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\'')
            fputs("''", fp);
        else
            fputc(ch < 0x20 ? ' ' : ch, fp);
    }
    fputc('"', fp);
    *first = false;
}

/* ---- the x axis ----------------------------------------------------------------- */

void plot_time_month_tics(FILE *vars, int32_t origin_date, double from_day, double to_day)
{
    static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    bool first_w = true, first_l = true;
    /* The first month start on or after from_day. */
    int y0, m0, d0;
    sim_date_to_ymd(origin_date + (int32_t)ceil(from_day - 1e-9), &y0, &m0, &d0);
    if (d0 != 1 && ++m0 > 12) {
        m0 = 1;
        y0++;
    }
    /* Every third month past two years: a label is some 4 to 8 characters
     * and a chart about 1100 pixels wide. */
    int every = (to_day - from_day) / 30.44 > 24 ? 3 : 1;
    /* Written in two passes: the positions, then the labels. */
    for (int pass = 0; pass < 2; pass++) {
        list_open(vars, pass == 0 ? "xtic_weeks" : "xtic_labels");
        int y = y0, m = m0;
        bool labelled = false;
        for (int k = 0; k < 200; k++) {
            int32_t day = sim_date_from_ymd(y, m, 1) - origin_date;
            if (day > to_day + 1e-9)
                break;
            if (k % every == 0) {
                if (pass == 0) {
                    list_num(vars, &first_w, day / 7.0);
                } else {
                    char text[32];
                    if (m == 1 || !labelled)
                        snprintf(text, sizeof text, "%s %d", months[m - 1], y);
                    else
                        snprintf(text, sizeof text, "%s", months[m - 1]);
                    list_label(vars, &first_l, text);
                    labelled = true;
                }
            }
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
        list_close(vars);
    }
}

void plot_time_axis(FILE *vars, const struct plot_run *r)
{
    if (r->dated) {
        plot_time_month_tics(vars, r->start_date, 0, r->horizon_days);
    } else {
        fputs("xtic_weeks = ''\nxtic_labels = ''\n", vars);
    }
    plot_render_var_str(vars, "xlabel", r->dated ? "date (tics at the first of each month)"
                                                 : "weeks since the start of the run");
}

/* ---- the plan's marks ------------------------------------------------------------ */

/* The label of mark m of kind k: "spring campaign (+250 leads a week)",
 * "trade show: 400 leads", "+2 hires sdrs", "-1 leaves sdrs". */
static void mark_text(char *buf, size_t n, enum plot_mark_kind k, const struct plot_mark *m)
{
    switch (k) {
    case PLOT_MARK_CAMPAIGN:
        if (m->multiplier)
            snprintf(buf, n, "%s (x%.3g)", m->label, m->count);
        else
            snprintf(buf, n, "%s (+%.0f leads a week)", m->label, m->count);
        break;
    case PLOT_MARK_SHOW:
        snprintf(buf, n, "%s: %.0f leads", m->label, m->count);
        break;
    case PLOT_MARK_HIRE:
        snprintf(buf, n, "+%.0f hire%s %s", m->count, m->count == 1 ? "" : "s", m->label);
        break;
    default:
        snprintf(buf, n, "-%.0f leave%s %s", m->count, m->count == 1 ? "s" : "", m->label);
        break;
    }
}

/* Mark kind k's positions in weeks (a day's mark at the day's middle, a
 * window from its first day's start to its last day's end) as `pos`, its
 * ends as `end` (NULL: none) and its labels as `labels`. */
static void mark_lists(FILE *vars, const struct plot_run *r, enum plot_mark_kind k,
                       const char *pos, const char *end, const char *labels)
{
    const char *names[3] = {pos, end, labels};
    for (int pass = 0; pass < 3; pass++) {
        if (names[pass] == NULL)
            continue;
        bool first = true;
        list_open(vars, names[pass]);
        for (size_t i = 0; i < r->n_marks[k]; i++) {
            const struct plot_mark *m = &r->marks[k][i];
            if (!m->enabled)
                continue;
            bool window = k == PLOT_MARK_CAMPAIGN;
            double from = window ? m->from_day / 7.0 : (m->from_day + 0.5) / 7.0;
            if (k == PLOT_MARK_HIRE || k == PLOT_MARK_LEAVE)
                from = m->from_day / 7.0;   /* at the day's midnight */
            if (pass == 0) {
                list_num(vars, &first, from);
            } else if (pass == 1) {
                list_num(vars, &first, (m->to_day + 1.0) / 7.0);
            } else {
                char text[PLOT_LOAD_TEXT_MAX + 48];
                mark_text(text, sizeof text, k, m);
                list_label(vars, &first, text);
            }
        }
        list_close(vars);
    }
}

void plot_time_marks(FILE *vars, const struct plot_run *r)
{
    bool first = true;
    list_open(vars, "holiday_weeks");
    for (size_t h = 0; h < r->n_holidays; h++)
        list_num(vars, &first, (r->holidays[h] + 0.5) / 7.0);
    list_close(vars);
    mark_lists(vars, r, PLOT_MARK_CAMPAIGN, "campaign_from", "campaign_to", "campaign_labels");
    mark_lists(vars, r, PLOT_MARK_SHOW, "show_weeks", NULL, "show_labels");
    mark_lists(vars, r, PLOT_MARK_HIRE, "hire_weeks", NULL, "hire_labels");
    mark_lists(vars, r, PLOT_MARK_LEAVE, "leave_weeks", NULL, "leave_labels");
}

/* ---- the campaign effect ------------------------------------------------------------ */

void plot_time_campaign_effect(const struct plot_run *r, FILE *dat, FILE *vars)
{
    size_t n = r->n_without < r->n_weekly ? r->n_without : r->n_weekly;
    double top_junk = 0.0, top_rev = 0.0;
    for (size_t i = 0; i < n; i++) {
        const struct plot_week *a = &r->weekly[i], *b = &r->without[i];
        if (!a->complete)
            continue;
        top_junk = fmax(top_junk, fmax(a->junk.hi, b->junk.hi));
        top_rev = fmax(top_rev, fmax(a->revenue.hi, b->revenue.hi));
    }
    /* Revenue in thousands or millions, so the tics stay short. */
    double scale = top_rev >= 5e6 ? 1e6 : top_rev >= 5e3 ? 1e3 : 1.0;
    for (size_t i = 0; i < n; i++) {
        const struct plot_week *a = &r->weekly[i], *b = &r->without[i];
        bool ok = a->complete;
        fprintf(dat, "%zu", i + 1);
        plot_render_num(dat, (a->from_day + 3.5) / 7.0);
        const struct plot_ci *cis[4] = {&a->junk, &b->junk, &a->revenue, &b->revenue};
        for (int k = 0; k < 4; k++) {
            double f = k < 2 ? 100.0 : 1.0 / scale;
            plot_render_num(dat, ok ? f * cis[k]->mean : NAN);
            plot_render_num(dat, ok ? f * cis[k]->lo : NAN);
            plot_render_num(dat, ok ? f * cis[k]->hi : NAN);
        }
        fprintf(dat, " %d\n", ok ? 1 : 0);
    }
    plot_render_var_num(vars, "ymax_junk", top_junk > 0 ? ceil(top_junk * 100.0 * 1.15) : 10.0);
    double ymax_rev = top_rev > 0 ? top_rev / scale * 1.15 : 1.0;
    /* Three or four round tics: 1, 2 or 5 times a power of ten. */
    double raw = ymax_rev / 3.0, p10 = pow(10.0, floor(log10(raw)));
    double step = raw / p10 < 1.5 ? p10 : raw / p10 < 3.5 ? 2 * p10 : 5 * p10;
    plot_render_var_num(vars, "ymax_revenue", ymax_rev);
    plot_render_var_num(vars, "revenue_step", step);
    plot_render_var_str(vars, "revenue_label",
                        scale == 1e6   ? "revenue (millions)"
                        : scale == 1e3 ? "revenue (thousands)"
                                       : "revenue");
    plot_render_var_num(vars, "horizon_weeks", r->horizon_days / 7.0);
    plot_render_var_num(vars, "warmup_weeks", r->warmup_days / 7.0);
}

/* ---- the target's measure -------------------------------------------------------- */

int plot_time_target_on(struct plot_data *d, const char *name, const struct series_target *t,
                        struct sim_err *err)
{
    memset(&d->on, 0, sizeof d->on);
    const struct plot_run *r = d->run;
    if (r == NULL || r->n_on == 0)
        return SIM_OK;
    const char *want = name != NULL ? name : r->target_on[0] != '\0' ? r->target_on : "average";
    for (size_t i = 0; i < r->n_on; i++) {
        if (strcmp(r->on[i].name, want) != 0)
            continue;
        struct plot_target_on *on = &d->on;
        on->set = true;
        snprintf(on->name, sizeof on->name, "%s", want);
        on->junk = r->on[i].junk;
        on->window = strncmp(want, "window:", 7) == 0;
        on->from_day = on->to_day = NAN;
        /* A window by dates: the days run placed it on (same name, so
         * the same window). */
        if (on->window && t != NULL && t->kind == SERIES_TARGET_WINDOW && !t->dated) {
            on->from_day = t->from_day;
            on->to_day = t->to_day;
        } else if (on->window) {
            on->from_day = r->target_from;
            on->to_day = r->target_to;
        }
        return SIM_OK;
    }
    return sim_err_set(err, SIM_ERR_INPUT, "plot --target-on %s: %s/result.json records no "
                       "junk rate on it (it has average and worst-week; for a window, run "
                       "the scenario with --target-on %s)", want, d->dir, want);
}

const char *plot_time_target_words(const struct plot_target_on *on, char *buf, size_t n)
{
    if (strcmp(on->name, "worst-week") == 0)
        snprintf(buf, n, "the worst week (each replication's worst complete week)");
    else if (on->window)
        snprintf(buf, n, "the leads handed in the weeks overlapping days %.0f-%.0f",
                 on->from_day, on->to_day);
    else
        snprintf(buf, n, "the average");
    return buf;
}

void plot_time_target_vars(FILE *vars, const struct plot_data *d)
{
    const struct plot_target_on *on = &d->on;
    char label[256] = "";
    if (on->set && strcmp(on->name, "average") != 0 && isfinite(on->junk.mean)) {
        char where[64];
        if (on->window)
            snprintf(where, sizeof where, "the weeks over days %.0f-%.0f", on->from_day,
                     on->to_day);
        else
            snprintf(where, sizeof where, "each replication's worst week");
        snprintf(label, sizeof label, "Target tested on %s: junk %.1f%% (95%% CI %.1f-%.1f%%), "
                 "%s the %.0f%% target", where, 100 * on->junk.mean, 100 * on->junk.lo,
                 100 * on->junk.hi,
                 on->junk.lo > d->target ? "above" : on->junk.hi <= d->target ? "within"
                                                                             : "not apart from",
                 100 * d->target);
    }
    plot_render_var_str(vars, "on_label", label);
    plot_render_var_num(vars, "on_from", on->set && on->window ? on->from_day / 7.0 : NAN);
    plot_render_var_num(vars, "on_to", on->set && on->window ? (on->to_day + 1.0) / 7.0 : NAN);
}
