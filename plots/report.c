/* SPDX-License-Identifier: MIT */
/*
 * report.c - report.html from what plot_dir() read, computed and drew
 * (report.h).
 *
 * Words first, then numbers, then charts: a sales director reads the
 * summary; the table is there to quote from; the charts are for the
 * screen.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/capacity.h"
#include "models/measure.h"
#include "plots/report.h"
#include "models/keytab.h"
#include "plots/plot_breakdown.h"
#include "plots/plot_file.h"
#include "plots/plot_sensitivity.h"
#include "plots/plot_time.h"
#include "sim/mem.h"

#ifndef FUNNELSIM_VERSION
#define FUNNELSIM_VERSION "dev"
#endif

/* ---- text ------------------------------------------------------------------ */

/* A growing string for sentences. */
struct text {
    char *buf;
    size_t n, len;
};

static void add(struct text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void add(struct text *t, const char *fmt, ...)
{
    if (t->len + 1 >= t->n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(t->buf + t->len, t->n - t->len, fmt, ap);
    va_end(ap);
    if (k > 0)
        t->len = t->len + (size_t)k < t->n ? t->len + (size_t)k : t->n - 1;
}

void report_fmt_bound(char *buf, size_t n, double x, bool down, bool whole)
{
    if (!isfinite(x))
        snprintf(buf, n, "-");
    else if (whole || fabs(x) >= 10)
        snprintf(buf, n, "%.0f", down ? floor(x) : ceil(x));
    else
        snprintf(buf, n, "%.2f", (down ? floor(x * 100) : ceil(x * 100)) / 100);
}

void report_fmt_money(char *buf, size_t n, double x)
{
    if (!isfinite(x)) {
        snprintf(buf, n, "-");
        return;
    }
    double a = fabs(x);
    if (a >= 1000) {
        double unit = pow(10.0, floor(log10(a)) - 2);
        a = round(a / unit) * unit;
    } else {
        a = round(a);
    }
    char digits[64];
    snprintf(digits, sizeof digits, "%.0f", a);
    size_t len = strlen(digits), k = 0;
    char out[96];
    if (x < 0 && a > 0)
        out[k++] = '-';
    for (size_t i = 0; i < len && k + 2 < sizeof out; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
    snprintf(buf, n, "%s", out);
}

/* A value as the scenario writes it: 500, 0.35. */
static void fmt_plain(char *buf, size_t n, double x)
{
    if (!isfinite(x))
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.6g", x);
}

/* " leads a week" after a value of the swept key: its unit, as sweep.json
 * records it; "" for a key without one, or when its label says it
 * already ("web leads a week": "at or below 637"). */
static const char *per_unit(const struct plot_axis *a, char *buf, size_t n)
{
    bool say = a->unit[0] != '\0' && strstr(a->label, a->unit) == NULL;
    snprintf(buf, n, "%s%s", say ? " " : "", say ? a->unit : "");
    return buf;
}

/* Reasons in words, joined: "went cold, misjudged and abandoned"; those
 * whose rises[r] equals `rising`, and (for the ones that do not rise)
 * only those with a share at point p. */
static void reason_list(char *buf, size_t n, const struct plot_facts *f, bool rising,
                        const struct plot_point *p)
{
    unsigned pick[JUNK_REASONS], k = 0;
    for (unsigned r = 0; r < JUNK_REASONS; r++)
        if (f->rises[r] == rising && (rising || p == NULL || p->reason[r].mean > 0))
            pick[k++] = r;
    size_t len = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < k && len < n; i++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s",
                                i == 0 ? "" : i + 1 == k ? " and " : ", ",
                                plot_facts_reason_words[pick[i]]);
}

void report_sweep_summary(const struct plot_sweep *s, const struct plot_facts *f,
                          double target, char *buf, size_t n)
{
    struct text t = {buf, n, 0};
    buf[0] = '\0';
    char unit_buf[PLOT_LOAD_TEXT_MAX + 2];
    const char *unit = per_unit(&s->axis, unit_buf, sizeof unit_buf);
    char subject[PLOT_LOAD_TEXT_MAX + 16], a[64], b[64], x[64];
    if (f->inflow)
        snprintf(subject, sizeof subject, "inflow (%s)", s->axis.label);
    else if (s->axis.tag == PLOT_TAG_HEADCOUNT)
        snprintf(subject, sizeof subject, "team size (%s)", s->axis.label);
    else
        snprintf(subject, sizeof subject, "%s", s->axis.label);
    const struct plot_point *lo = &s->pts[f->order[0]], *hi = &s->pts[f->order[f->n - 1]];
    fmt_plain(a, sizeof a, lo->value);
    fmt_plain(b, sizeof b, hi->value);
    char tp[16];
    metric_fmt_target(tp, sizeof tp, target);

    if (isfinite(s->managers) && s->axis.tag != PLOT_TAG_HEADCOUNT)
        add(&t, "With %.0f managers, ", s->managers);
    if (isfinite(f->threshold)) {
        report_fmt_bound(x, sizeof x, f->threshold, f->rising, plot_facts_values_whole(s));
        add(&t, "keep %s at or %s %s%s to hold junk at or under %s", subject,
            f->rising ? "below" : "above", x, unit, tp);
    } else if (f->all_below) {
        add(&t, "junk stays at or under %s over the whole swept range of %s, %s to %s%s",
            tp, subject, a, b, unit);
    } else if (isfinite(f->edge)) {
        /* The values holding the target reach the end of the range. */
        fmt_plain(x, sizeof x, f->edge);
        add(&t, "junk is at or under %s at the %s swept %s, %s%s, so the %s value holding "
            "it may lie beyond the range", tp, f->rising ? "highest" : "lowest", subject, x,
            unit, f->rising ? "highest" : "lowest");
    } else {
        /* Above the target where the curve is lowest: name the causes
         * that do not rise with load in this sweep (the data decides,
         * plot_facts.rises). */
        const struct plot_point *best = f->rising ? lo : hi;
        double structural = 0;
        for (unsigned r = 0; r < JUNK_REASONS; r++)
            if (!f->rises[r])
                structural += best->reason[r].mean;
        char causes[160];
        reason_list(causes, sizeof causes, f, false, best);
        add(&t, "junk is above the %s target even at the %s swept %s, %s%s (%.0f%%)", tp,
            f->rising ? "lowest" : "highest", subject, f->rising ? a : b, unit,
            100.0 * best->junk.mean);
        if (f->load_varies && causes[0] != '\0')
            add(&t, "; %.0f points of it come from %s, which do not rise with load here",
                100.0 * structural, causes);
    }
    char today[64];
    fmt_plain(today, sizeof today, f->today);
    if (isfinite(f->today_junk)) {
        char cost[64];
        report_fmt_money(cost, sizeof cost, f->today_wasted_month);
        add(&t, "; at today's %s%s, %.0f%% of handed leads become junk, costing %s a month.",
            today, unit, 100.0 * f->today_junk, cost);
    } else if (isfinite(f->today)) {
        add(&t, "; today's %s%s lies outside the swept range (%s to %s).", today, unit, a, b);
    } else {
        add(&t, ".");
    }
    buf[0] = (char)toupper((unsigned char)buf[0]);
}

/* Which causes rise with load, as the data says (plot_facts.rises): "As
 * the load goes from 0.62 to 2.48, went cold rises from 1% to 19% of
 * resolved leads and misjudged from 4% to 9%; bad fit, theorists and
 * unreachable do not rise with it." */
static void rising_sentence(const struct plot_sweep *s, const struct plot_facts *f,
                            struct text *t)
{
    if (!f->load_varies)
        return;
    const struct plot_point *a = &s->pts[f->low_load], *b = &s->pts[f->high_load];
    char flat[160];
    reason_list(flat, sizeof flat, f, false, NULL);
    if (f->n_rising == 0) {
        add(t, "As the load goes from %.2f to %.2f, no cause of junk rises beyond the noise.",
            a->load, b->load);
        return;
    }
    add(t, "As the load goes from %.2f to %.2f, ", a->load, b->load);
    unsigned k = 0;
    for (unsigned r = 0; r < JUNK_REASONS; r++) {
        if (!f->rises[r])
            continue;
        if (k == 0)
            add(t, "%s rises from %.0f%% to %.0f%% of resolved leads",
                plot_facts_reason_words[r], 100.0 * a->reason[r].mean,
                100.0 * b->reason[r].mean);
        else
            add(t, "%s%s from %.0f%% to %.0f%%", k + 1 == f->n_rising ? " and " : ", ",
                plot_facts_reason_words[r], 100.0 * a->reason[r].mean,
                100.0 * b->reason[r].mean);
        k++;
    }
    if (flat[0] != '\0')
        add(t, "; %s %s not rise with it.", flat, f->n_rising == JUNK_REASONS - 1 ? "does"
                                                                                 : "do");
    else
        add(t, ".");
}

/* The second sentence: capacity and knee, then the causes that rise. */
static void sweep_context(const struct plot_sweep *s, const struct plot_facts *f,
                          struct text *t)
{
    char unit_buf[PLOT_LOAD_TEXT_MAX + 2];
    const char *unit = per_unit(&s->axis, unit_buf, sizeof unit_buf);
    char v[64];
    if (isfinite(f->cap_value)) {
        fmt_plain(v, sizeof v, fabs(f->cap_value) >= 10 ? round(f->cap_value)
                                                         : round(f->cap_value * 100) / 100);
        if (f->inflow)
            add(t, "The team's nominal capacity is reached at about %s%s (load 1: %.0f leads "
                "a week handed to sales). ", v, unit, f->cap_offered);
        else
            add(t, "The load reaches the team's nominal capacity at %s = %s. ", s->axis.label,
                v);
    } else {
        const struct plot_point *lo = &s->pts[f->order[0]];
        add(t, "The load stays %s the team's nominal capacity over the whole range. ",
            lo->load < 1 ? "below" : "above");
    }
    if (f->knee != (size_t)-1) {
        const struct plot_point *k = &s->pts[f->knee];
        fmt_plain(v, sizeof v, k->value);
        add(t, "The junk curve turns steep at %s%s (%.0f%% junk): the knee. ", v, unit,
            100.0 * k->junk.mean);
    }
    rising_sentence(s, f, t);
}

/* ---- HTML ------------------------------------------------------------------ */

static void esc(FILE *fp, const char *s)
{
    for (; *s != '\0'; s++) {
        switch (*s) {
        case '&': fputs("&amp;", fp); break;
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '"': fputs("&quot;", fp); break;
        default: fputc(*s, fp);
        }
    }
}

static void row(FILE *fp, const char *what, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void row(FILE *fp, const char *what, const char *fmt, ...)
{
    char value[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(value, sizeof value, fmt, ap);
    va_end(ap);
    /* A label indented with spaces is a part of the row above. */
    bool sub = what[0] == ' ';
    while (*what == ' ')
        what++;
    fputs(sub ? "<tr class=\"sub\"><th scope=\"row\">" : "<tr><th scope=\"row\">", fp);
    esc(fp, what);
    fputs("</th><td>", fp);
    esc(fp, value);
    fputs("</td></tr>\n", fp);
}

static void ci_text(char *buf, size_t n, const struct plot_ci *ci)
{
    metric_fmt_share_ci(buf, n, ci->mean, ci->lo, ci->hi);
}

/* Copies an SVG file into the page: from its <svg> element on, every id
 * and every reference to one prefixed with the chart's name. */
static bool inline_svg(FILE *fp, const char *dir, const char *name)
{
    char file[160];
    snprintf(file, sizeof file, "%s.svg", name);
    char *text = plot_file_read(dir, file, NULL);
    if (text == NULL)
        return false;
    const char *p = strstr(text, "<svg");
    if (p == NULL) {
        free(text);
        return false;
    }
    static const char *const refs[] = {" id='", " id=\"", "href='#", "href=\"#", "url(#"};
    while (*p != '\0') {
        bool hit = false;
        for (size_t k = 0; k < sizeof refs / sizeof refs[0]; k++) {
            size_t len = strlen(refs[k]);
            if (strncmp(p, refs[k], len) == 0) {
                fwrite(p, 1, len, fp);
                fprintf(fp, "%s-", name);
                p += len;
                hit = true;
                break;
            }
        }
        if (!hit)
            fputc(*p++, fp);
    }
    free(text);
    return true;
}

static const char *const style =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "margin:0 auto;max-width:1100px;padding:24px;color:#222;line-height:1.45}"
    "h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}"
    ".meta{color:#666;margin-top:0}"
    ".summary{font-size:1.25em;background:#f4f7fb;border-left:5px solid #3b6ea5;"
    "padding:12px 16px}"
    "table{border-collapse:collapse;margin:8px 0}th,td{padding:4px 12px;text-align:left;"
    "border-bottom:1px solid #eee;vertical-align:top}th{font-weight:600;color:#333}"
    "figure{margin:24px 0}figure svg{width:100%;height:auto;border:1px solid #eee}"
    "figcaption{font-weight:600;margin-bottom:6px}.files{font-size:.9em;color:#555}"
    ".warn{color:#a33}code{background:#f3f3f3;padding:0 3px}"
    "tr.sub th{font-weight:400;padding-left:28px}";

static void write_sweep_numbers(FILE *fp, const struct report_input *in)
{
    const struct plot_sweep *s = in->d->sweep;
    const struct plot_facts *f = in->facts;
    char a[64], b[64], v[256];
    fputs("<h3>Sweep</h3>\n<table>\n", fp);
    row(fp, "Scenario", "%s (%s)", s->scenario, s->file);
    if (s->n == 0) {
        row(fp, "Swept", "%s: no point finished", s->axis.label);
    } else {
        fmt_plain(a, sizeof a, s->pts[f ? f->order[0] : 0].value);
        fmt_plain(b, sizeof b, s->pts[f ? f->order[f->n - 1] : s->n - 1].value);
        row(fp, "Swept", "%s from %s to %s, %zu points%s", s->axis.label, a, b, s->n,
            s->interrupted ? " (interrupted: finished points only)" : "");
    }
    if (s->grid) {
        row(fp, "and", "%s, %u values", s->axis2.label, s->steps2);
    }
    row(fp, "Replications", "%u per point; %.0f measured days each (%.0f days, first %.0f "
        "warm-up)", s->reps, s->horizon_days - s->warmup_days, s->horizon_days,
        s->warmup_days);
    if (isfinite(s->managers))
        row(fp, "Managers", "%.0f", s->managers);
    row(fp, "Team capacity (nominal)", "%.0f leads a week; today %.0f handed to sales "
        "(load %.2f)", s->capacity, s->offered, s->offered / s->capacity);
    if (f == NULL) {
        fputs("</table>\n", fp);
        return;
    }
    char unit_buf[PLOT_LOAD_TEXT_MAX + 2];
    const char *unit = per_unit(&s->axis, unit_buf, sizeof unit_buf);
    fmt_plain(a, sizeof a, f->today);
    row(fp, "Today's value", "%s%s (%s)", a, unit, s->axis.label);
    char tp[16];
    metric_fmt_target(tp, sizeof tp, in->d->target);
    row(fp, "Target junk rate", "%s", tp);
    if (isfinite(f->today_junk)) {
        row(fp, "Junk rate at today's value", "%.1f%%", 100 * f->today_junk);
        report_fmt_money(b, sizeof b, f->today_wasted_month);
        row(fp, "Wasted spend at today's value", "%s a month", b);
        report_fmt_money(b, sizeof b, f->today_revenue_month);
        row(fp, "Revenue at today's value", "%s a month", b);
    }
    if (isfinite(f->threshold)) {
        char t[16];
        metric_fmt_target(t, sizeof t, in->d->target);
        report_fmt_bound(b, sizeof b, f->threshold, f->rising, plot_facts_values_whole(s));
        snprintf(v, sizeof v, "%s%s (mean junk crosses %s at %.1f)", b, unit, t,
                 f->threshold);
    } else {
        char e[48];
        fmt_plain(e, sizeof e, f->edge);
        if (f->all_below)
            snprintf(v, sizeof v, "whole range under the target");
        else if (isfinite(f->edge))
            snprintf(v, sizeof v, "%s%s, the end of the swept range", e, unit);
        else
            snprintf(v, sizeof v, "no swept value reaches the target");
    }
    row(fp, f->rising ? "Highest value holding the target" : "Lowest value holding the target",
        "%s", v);
    if (isfinite(f->cap_value)) {
        fmt_plain(b, sizeof b, fabs(f->cap_value) >= 10 ? round(f->cap_value)
                                                         : round(f->cap_value * 100) / 100);
        row(fp, "Capacity reached (load 1) at", "%s%s", b, unit);
    }
    if (f->knee != (size_t)-1) {
        fmt_plain(b, sizeof b, s->pts[f->knee].value);
        row(fp, "Knee of the junk curve", "%s%s (%.1f%% junk)", b, unit,
            100 * s->pts[f->knee].junk.mean);
    }
    if (f->load_varies) {
        char causes[160];
        reason_list(causes, sizeof causes, f, true, NULL);
        row(fp, "Causes rising with load", "%s", causes[0] ? causes : "none beyond the noise");
    }
    fputs("</table>\n", fp);
}

/* The grid: per value of --vary2, the largest --vary value holding the
 * target (the first crossing of the row's mean curve, as for a sweep). */
static void write_grid_numbers(FILE *fp, const struct report_input *in, struct text *sum)
{
    const struct plot_sweep *s = in->d->sweep;
    size_t rows = s->steps2 ? s->n / s->steps2 : 0;
    if (rows < 2)
        return;
    double target = in->d->target;
    char tp[16];
    metric_fmt_target(tp, sizeof tp, target);
    fprintf(fp, "<h3>Sizing</h3>\n<table>\n<tr><th>");
    esc(fp, s->axis2.label);
    fprintf(fp, "</th><th>largest ");
    esc(fp, s->axis.label);
    fprintf(fp, " with mean junk at or under %s</th></tr>\n", tp);
    size_t *order = sim_reallocarray(NULL, rows, sizeof *order);
    double *xs = sim_reallocarray(NULL, rows, sizeof *xs);
    double *ys = sim_reallocarray(NULL, rows, sizeof *ys);
    double best_v2 = NAN, best_junk = INFINITY, best_at = NAN;
    bool today_in = false;
    for (size_t j = 0; j < s->steps2; j++) {
        /* The row's curve over --vary, in the order the grid ran it. */
        for (size_t i = 0; i < rows; i++) {
            order[i] = i;
            xs[i] = s->pts[i * s->steps2 + j].value;
            ys[i] = s->pts[i * s->steps2 + j].junk.mean;
        }
        if (xs[0] > xs[rows - 1])
            for (size_t i = 0; i < rows; i++)
                order[i] = rows - 1 - i;
        bool under_all = true;
        for (size_t i = 0; i < rows; i++)
            under_all = under_all && ys[order[i]] <= target;
        double cross = plot_facts_first_rise(order, rows, xs, ys, target, false);
        char v2[64], c[64];
        fmt_plain(v2, sizeof v2, s->pts[j].value2);
        if (isfinite(cross))
            report_fmt_bound(c, sizeof c, cross, true, plot_facts_values_whole(s));
        else
            snprintf(c, sizeof c, "%s", under_all ? "the whole range"
                                                  : "none in the range");
        fprintf(fp, "<tr><td>%s</td><td>%s</td></tr>\n", v2, c);
        double at = plot_facts_interp(order, rows, xs, ys, s->base_value);
        if (isfinite(at)) {
            today_in = true;
            /* The smallest value2 (in grid order) holding the target. */
            if (at <= target && !isfinite(best_v2))
                best_v2 = s->pts[j].value2;
            if (at < best_junk) {
                best_junk = at;
                best_at = s->pts[j].value2;
            }
        }
    }
    free(order);
    free(xs);
    free(ys);
    fputs("</table>\n", fp);
    char today[64], v[64];
    fmt_plain(today, sizeof today, s->base_value);
    char unit_buf[PLOT_LOAD_TEXT_MAX + 2];
    const char *unit = per_unit(&s->axis, unit_buf, sizeof unit_buf);
    if (!today_in) {
        add(sum, "Today's %s of %s%s lies outside the grid.", s->axis.label, today, unit);
    } else if (isfinite(best_v2)) {
        fmt_plain(v, sizeof v, best_v2);
        add(sum, "At today's %s%s, %s = %s is the first value in the grid that holds junk at "
            "or under %s.", today, unit, s->axis2.label, v, tp);
    } else {
        fmt_plain(v, sizeof v, best_at);
        add(sum, "At today's %s%s, no %s in the grid holds junk at or under %s; the "
            "lowest is %.0f%% at %s.", today, unit, s->axis2.label, tp, 100 * best_junk, v);
    }
}

static void write_run(FILE *fp, const struct plot_data *d, struct text *sum)
{
    const struct plot_run *r = d->run;
    unsigned top = 0;
    for (unsigned k = 1; k < JUNK_REASONS; k++)
        if (r->reason[k].mean > r->reason[top].mean)
            top = k;
    char wasted[64], revenue[64], junk[128];
    report_fmt_money(wasted, sizeof wasted,
                     plot_facts_per_month(r->wasted.mean, r->horizon_days, r->warmup_days));
    report_fmt_money(revenue, sizeof revenue,
                     plot_facts_per_month(r->revenue.mean, r->horizon_days, r->warmup_days));
    add(sum, "In the run of %s, %.0f%% of handed leads become junk; the largest cause is "
        "\"%s\" (%.0f%%).", r->scenario, 100 * r->junk.mean, plot_facts_reason_words[top],
        100 * r->reason[top].mean);
    if (isfinite(r->lost.mean))
        add(sum, " Counting the leads held back in marketing, %.0f%% of the leads at sales' "
            "door are lost.", 100 * r->lost.mean);
    add(sum, " Wasted spend is %s a month, against %s of revenue.", wasted, revenue);
    if (isfinite(r->profit.mean)) {
        char profit[64];
        report_fmt_money(profit, sizeof profit,
                         plot_facts_per_month(r->profit.mean, r->horizon_days, r->warmup_days));
        add(sum, " Profit after marketing spend and the team's cost is %s a month.", profit);
    }
    if (r->over_capacity)
        add(sum, " The team is over capacity: the backlog keeps growing by more than %d%% "
            "of the leads handed a day, or more than %d%% of the leads are abandoned "
            "before any call.", CAPACITY_OVER_PERCENT, CAPACITY_OVER_PERCENT);
    if (r->worst_week > 0) {
        add(sum, " The worst week is week %u: %.0f%% of the leads handed that week became "
            "junk (95%% CI %.0f%% to %.0f%%)", r->worst_week, 100 * r->worst_junk.mean,
            100 * r->worst_junk.lo, 100 * r->worst_junk.hi);
        if (r->runner_up > 0 && r->worst_overlaps)
            add(sum, ", within the noise of week %u's: no single week stands out.",
                r->runner_up);
        else if (r->runner_up > 0)
            add(sum, ", above week %u's interval, the next worst.", r->runner_up);
        else
            add(sum, ".");
    }
    const struct plot_target_on *on = &d->on;
    if (on->set && strcmp(on->name, "average") != 0 && isfinite(on->junk.mean)) {
        char what[128];
        add(sum, " Tested on %s, the junk rate is %.1f%% (95%% CI %.1f%% to %.1f%%): %s the "
            "%.0f%% target.", plot_time_target_words(on, what, sizeof what),
            100 * on->junk.mean, 100 * on->junk.lo, 100 * on->junk.hi,
            on->junk.lo > d->target ? "above" : on->junk.hi <= d->target
                                                        ? "within"
                                                        : "not told apart from",
            100 * d->target);
    }
    fputs("<h3>Run</h3>\n<table>\n", fp);
    row(fp, "Scenario", "%s (%s), %u replications", r->scenario, r->file, r->reps);
    row(fp, "Leads to sales / capacity", "%.0f / %.0f a week (load %.2f)", r->offered,
        r->capacity, r->offered / r->capacity);
    ci_text(junk, sizeof junk, &r->junk);
    row(fp, "Junk rate", "%s", junk);
    for (unsigned k = 0; k < JUNK_REASONS; k++) {
        char what[64];
        snprintf(what, sizeof what, "  %s", plot_facts_reason_words[k]);
        ci_text(junk, sizeof junk, &r->reason[k]);
        row(fp, what, "%s", junk);
    }
    if (isfinite(r->lost.mean)) {
        ci_text(junk, sizeof junk, &r->lost);
        row(fp, "Lost rate (junk or held back)", "%s", junk);
    }
    row(fp, "Mean wait for first contact", "%.1f hours", r->wait.mean);
    row(fp, "Mean backlog", "%.0f leads", r->backlog.mean);
    row(fp, "Utilization", "%.0f%%", 100 * r->utilization.mean);
    row(fp, "Wasted spend", "%s a month", wasted);
    row(fp, "Revenue", "%s a month", revenue);
    const struct {
        const char *what;
        const struct plot_ci *v;
    } money[] = {{"Marketing spend", &r->spend}, {"Team cost", &r->team_cost},
                 {"Profit", &r->profit}};
    for (size_t k = 0; k < sizeof money / sizeof money[0]; k++) {
        if (!isfinite(money[k].v->mean))
            continue;
        char b[64];
        report_fmt_money(b, sizeof b, plot_facts_per_month(money[k].v->mean, r->horizon_days,
                                                           r->warmup_days));
        row(fp, money[k].what, "%s a month", b);
    }
    if (isfinite(r->deals.mean))
        row(fp, "Deals won", "%.0f in the measured window", r->deals.mean);
    if (isfinite(r->cost_per_deal.mean)) {
        char b[64];
        report_fmt_money(b, sizeof b, r->cost_per_deal.mean);
        row(fp, "Cost per deal", "%s", b);
    }
    fputs("</table>\n", fp);
}

static void write_measures(FILE *fp, const struct plot_measures *m, struct text *sum)
{
    size_t big = 1;
    for (size_t i = 2; i < m->n; i++)
        if (m->steps[i].junk.mean - m->steps[i - 1].junk.mean <
            m->steps[big].junk.mean - m->steps[big - 1].junk.mean)
            big = i;
    double first = m->steps[0].junk.mean, last = m->steps[m->n - 1].junk.mean;
    add(sum, "The measures take junk from %.1f%% (%s) to %.1f%% (%s), %+.1f points",
        100 * first, m->base, 100 * last, m->after, 100 * (last - first));
    if (m->n > 1)
        add(sum, "; the largest step is \"%s\" (%+.1f points).", m->steps[big].name,
            100 * (m->steps[big].junk.mean - m->steps[big - 1].junk.mean));
    else
        add(sum, ".");
    fputs("<h3>The measures</h3>\n<table>\n<tr><th>step</th><th>junk rate</th>"
          "<th>change</th><th>Shapley value</th><th>held back</th><th>lost rate</th>"
          "<th>deals</th></tr>\n", fp);
    bool any_credit = false;
    for (size_t i = 0; i < m->n; i++) {
        char name[PLOT_LOAD_TEXT_MAX + 16], change[32] = "", credit[48] = "";
        const struct plot_ci *v = &m->steps[i].shapley;
        if (i > 0)
            snprintf(change, sizeof change, "%+.1f pts",
                     100 * (m->steps[i].junk.mean - m->steps[i - 1].junk.mean));
        if (i > 0 && isfinite(v->mean)) {
            any_credit = true;
            if (isfinite(v->hi))
                snprintf(credit, sizeof credit, "%+.1f pts &plusmn;%.1f", 100 * v->mean,
                         100 * (v->hi - v->mean));
            else
                snprintf(credit, sizeof credit, "%+.1f pts", 100 * v->mean);
        }
        measure_step_label(name, sizeof name, m->steps[i].measure, m->steps[i].name);
        fputs("<tr><td>", fp);
        esc(fp, name);
        char lost[32] = "-", deals[32] = "-";
        if (isfinite(m->steps[i].lost.mean))
            snprintf(lost, sizeof lost, "%.1f%%", 100 * m->steps[i].lost.mean);
        if (isfinite(m->steps[i].deals.mean))
            snprintf(deals, sizeof deals, "%.0f", m->steps[i].deals.mean);
        fprintf(fp, "</td><td>%.1f%%</td><td>%s</td><td>%s</td><td>%.1f%%</td><td>%s</td>"
                "<td>%s</td></tr>\n", 100 * m->steps[i].junk.mean, change, credit,
                100 * m->steps[i].held_back, lost, deals);
    }
    fputs("</table>\n", fp);
    if (any_credit)
        fputs("<p>The change is what a step adds after the steps above it, so it depends on "
              "the order (a measure that relieves an overload counts for less once others "
              "have relieved it); the Shapley value is its change averaged over every order "
              "of the steps, so it does not depend on the order, and the values add up to "
              "the total change.</p>\n", fp);
}

static const char *const definitions =
    "<h2>How the numbers are computed</h2>\n<ul>\n"
    "<li>Junk rate: junk leads over the resolved leads handed to sales in the measured window "
    "(after the warm-up); the mean over replications, with its 95% confidence interval.</li>\n"
    "<li>Lost rate: junk leads plus leads held back in marketing and never handed, over the "
    "leads that reached sales' door (handed, or held back and lost), each lead once. A cap "
    "lowers the junk rate by holding leads back; the lost rate counts them.</li>\n"
    "<li>Wasted spend: the acquisition cost of fitting buyers lost as junk or held back; "
    "profit: revenue less marketing spend and what the managers cost a month, prorated.</li>\n"
    "<li>Values between swept points are read off the straight line between the two "
    "neighbouring points (linear interpolation); nothing is extrapolated.</li>\n"
    "<li>Holding the target: where the mean junk curve first rises above the target, "
    "interpolated (on a falling curve, where it last falls under it), rounded down (up) "
    "to a whole number.</li>\n"
    "<li>Capacity line: where the nominal load (leads handed to sales a week over the team's "
    "nominal capacity) crosses 1, interpolated between the two neighbouring points.</li>\n"
    "<li>Knee: the swept point farthest below the straight line from the first to the last "
    "point, where the flat part of the curve turns steep; marked only when the ends differ "
    "beyond their confidence intervals.</li>\n"
    "<li>Money a month: the total over the measured window divided by its days "
    "(horizon minus warm-up) times 30.44; rounded to three significant digits.</li>\n"
    "<li>Today's value: the varied field's value in the scenario as run "
    "(with any <code>--set</code>).</li>\n"
    "<li>Causes rising with load: those whose share of resolved leads is at least half a "
    "point higher at the swept point of highest nominal load than at the point of lowest, "
    "with the two 95% confidence intervals apart; read off this sweep's data, not a fixed "
    "list.</li>\n"
    "<li>Target: the junk rate the results ran with (the scenario's "
    "<code>report.target_junk</code>, or <code>--target-junk</code>), unless "
    "<code>funnelsim plot --target-junk</code> chose another.</li>\n</ul>\n";

int report_write(const char *dir, const struct report_input *in, struct sim_err *err)
{
    const struct plot_data *d = in->d;
    struct sim_file f;
    int rc = sim_file_open(&f, dir, "report.html", err);
    if (rc != SIM_OK)
        return rc;
    FILE *fp = f.fp;
    const char *name = d->sweep ? d->sweep->scenario : d->run ? d->run->scenario
                       : d->measures                        ? d->measures->base
                                                            : d->sensitivity->scenario;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>funnelsim report: ", fp);
    esc(fp, name);
    fprintf(fp, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>Sales funnel report: ",
            style);
    esc(fp, name);
    fprintf(fp, "</h1>\n<p class=\"meta\">funnelsim %s; results in <code>", FUNNELSIM_VERSION);
    esc(fp, dir);
    fputs("</code>.</p>\n", fp);
    if (d->n_overrides > 0) {
        /* What the results ran with beyond the scenario file, by label:
         * "managers in group 'sdrs' = 7". */
        fputs("<p class=\"meta\" id=\"overrides\">Run with, changed from the scenario "
              "file: ", fp);
        for (size_t i = 0; i < d->n_overrides; i++) {
            const struct plot_override *o = &d->overrides[i];
            fputs(i ? "; " : "", fp);
            esc(fp, o->label);
            fputs(" = ", fp);
            esc(fp, o->value);
        }
        fputs(".</p>\n", fp);
    }

    /* The summary is built while the tables are written, so tables go to a
     * buffer first. */
    char *tables = NULL;
    size_t tables_len = 0;
    FILE *tf = sim_mem_check(open_memstream(&tables, &tables_len));
    char sweep_sum[2048] = "", context[1024] = "", grid_sum[1024] = "", run_sum[1024] = "",
         meas_sum[1024] = "", sens_sum[1024] = "";
    struct text ctx = {context, sizeof context, 0}, grid = {grid_sum, sizeof grid_sum, 0};
    struct text run = {run_sum, sizeof run_sum, 0}, meas = {meas_sum, sizeof meas_sum, 0};
    if (d->sweep != NULL) {
        if (in->facts != NULL) {
            report_sweep_summary(d->sweep, in->facts, d->target, sweep_sum, sizeof sweep_sum);
            sweep_context(d->sweep, in->facts, &ctx);
        }
        write_sweep_numbers(tf, in);
        if (d->sweep->grid)
            write_grid_numbers(tf, in, &grid);
    }
    if (d->run != NULL)
        write_run(tf, d, &run);
    if (d->breakdown != NULL)
        plot_breakdown_report(tf, d->breakdown);
    if (d->measures != NULL && d->measures->n > 0)
        write_measures(tf, d->measures, &meas);
    if (d->sensitivity != NULL)
        plot_sensitivity_report(tf, d->sensitivity, sens_sum, sizeof sens_sum);
    /* A memory stream fails only when it cannot grow. */
    if (fclose(tf) != 0)
        sim_mem_fail();

    fputs("<h2>Summary</h2>\n", fp);
    const char *sums[][2] = {{"summary-sweep", sweep_sum}, {"summary-capacity", context},
                             {"summary-grid", grid_sum}, {"summary-run", run_sum},
                             {"summary-measures", meas_sum},
                             {"summary-sensitivity", sens_sum}};
    for (size_t i = 0; i < sizeof sums / sizeof sums[0]; i++) {
        if (sums[i][1][0] == '\0')
            continue;
        fprintf(fp, "<p class=\"summary\" id=\"%s\">", sums[i][0]);
        esc(fp, sums[i][1]);
        fputs("</p>\n", fp);
    }
    if (in->gnuplot_missing)
        fputs("<p class=\"warn\">gnuplot is not installed, so no chart is drawn: install it "
              "(<code>apt-get install gnuplot-nox</code>) and run <code>funnelsim plot "
              "DIR</code>.</p>\n", fp);
    fputs("<h2>Charts</h2>\n", fp);
    for (unsigned c = 0; c < PLOT_CHART_COUNT; c++) {
        if (!in->written[c])
            continue;
        const char *cn = plot_charts[c].name;
        fprintf(fp, "<figure id=\"chart-%s\">\n<figcaption>", cn);
        esc(fp, in->title[c][0] != '\0' ? in->title[c] : plot_charts[c].caption);
        fputs("</figcaption>\n", fp);
        if (!in->drawn[c] || !inline_svg(fp, dir, cn))
            fputs("<p class=\"warn\">Not drawn.</p>\n", fp);
        fprintf(fp, "\n<p class=\"files\">Files: <a href=\"%s.png\">%s.png</a>, "
                    "<a href=\"%s.svg\">%s.svg</a>, <a href=\"%s.dat\">%s.dat</a> (data), "
                    "<a href=\"%s.gp\">%s.gp</a> (script: <code>cd DIR &amp;&amp; gnuplot "
                    "%s.gp</code>)</p>\n</figure>\n", cn, cn, cn, cn, cn, cn, cn, cn, cn);
    }
    bool any_skipped = false;
    for (unsigned c = 0; c < PLOT_CHART_COUNT; c++)
        any_skipped = any_skipped || in->skipped[c] != NULL;
    if (any_skipped) {
        fputs("<p>Not in this report:</p>\n<ul>\n", fp);
        for (unsigned c = 0; c < PLOT_CHART_COUNT; c++) {
            if (in->skipped[c] == NULL)
                continue;
            fputs("<li>", fp);
            esc(fp, plot_charts[c].caption);
            fputs(": ", fp);
            esc(fp, in->skipped[c]);
            fputs(".</li>\n", fp);
        }
        fputs("</ul>\n", fp);
    }
    fputs("<h2>Key numbers</h2>\n", fp);
    fwrite(tables, 1, tables_len, fp);
    free(tables);

    fputs(definitions, fp);
    fputs("</body>\n</html>\n", fp);
    return sim_file_commit(&f, err);
}

/* ---- for the other pages (plot_history.c) --------------------------------------- */

void report_html_escape(FILE *fp, const char *s)
{
    esc(fp, s);
}

const char *report_css(void)
{
    return style;
}

bool report_inline_svg(FILE *fp, const char *dir, const char *name)
{
    return inline_svg(fp, dir, name);
}
