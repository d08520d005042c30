/* SPDX-License-Identifier: MIT */
/*
 * plot_history.c - a lead history's charts and page (plot_history.h).
 *
 * As in plot.c, every number a chart marks (the line, the quantiles, the
 * overall junk rate) is computed in C (models/facts.c) and handed to the
 * script in NAME.vars, so the page's sentences and the charts' marks come
 * from one computation.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plots/plot_history.h"
#include "plots/plot_facts.h"
#include "plots/plot_file.h"
#include "plots/plot_render.h"
#include "plots/plot_style.h"
#include "plots/report.h"
#include "sim/file.h"

#ifndef FUNNELSIM_VERSION
#define FUNNELSIM_VERSION "dev"
#endif

const struct plot_chart_desc plot_history_charts[PLOT_HISTORY_CHARTS] = {
    [PLOT_HISTORY_ARRIVALS] = {"history_arrivals", "When leads arrive: weekday and hour",
                               {"weekday", "hour", "leads", NULL}},
    [PLOT_HISTORY_LEADS] = {"history_leads", "Leads a week by channel",
                            {"day", "week", "leads", NULL}},
    [PLOT_HISTORY_JUNK] = {"history_junk", "Junk rate a week by stated reason",
                           {"day", "week", "resolved", "junk_pct", "bad_fit_pct", "theorist_pct",
                            "unreachable_pct", "went_cold_pct", "misjudged_pct",
                            "abandoned_pct", "other_pct", NULL}},
    [PLOT_HISTORY_LOAD] = {"history_load", "Junk rate vs load, week by week",
                           {"week", "load", "junk_pct", "resolved", "used", NULL}},
    [PLOT_HISTORY_CONTACT] = {"history_contact", "Time to first contact",
                              {"hours", "waiting_pct", NULL}},
};

/* ---- small writers ------------------------------------------------------------ */

static void num(FILE *fp, double x)
{
    if (isfinite(x))
        fprintf(fp, " %.8g", x);
    else
        fputs(" NaN", fp);
}

static void var_num(FILE *fp, const char *name, double x)
{
    if (isfinite(x))
        fprintf(fp, "%s = %.10g\n", name, x);
    else
        fprintf(fp, "%s = NaN\n", name);
}

static void var_str(FILE *fp, const char *name, const char *s)
{
    fprintf(fp, "%s = ", name);
    plot_render_gp_string(fp, s);
    fputc('\n', fp);
}

static double pct(double share)
{
    return 100.0 * share;
}

/* The span of the history in words: "2025-01-06 to 2025-12-28 (51 weeks)"
 * or "51.0 weeks from an undated day 0". */
static void span_text(char *buf, size_t n, const struct history *h, const struct facts *f)
{
    if (h->origin.dated) {
        char a[SIM_DATE_TEXT], b[SIM_DATE_TEXT];
        int32_t last = h->origin.date + (int32_t)ceil(h->horizon_h / 24.0 - 1e-9) - 1;
        snprintf(buf, n, "%s to %s (%.1f weeks)", sim_date_format(h->origin.date, a),
                 sim_date_format(last, b), f->weeks);
    } else {
        snprintf(buf, n, "%.1f weeks from an undated day 0", f->weeks);
    }
}

static void dates_vars(FILE *vars, const struct history *h, const struct facts *f)
{
    var_num(vars, "span_days", 7.0 * (double)f->n_weeks);
    var_num(vars, "dated", h->origin.dated ? 1 : 0);
    var_num(vars, "origin_epoch", h->origin.dated ? 86400.0 * h->origin.date : 0);
}

/* ---- the charts --------------------------------------------------------------- */

static void write_arrivals(const struct history *h, const struct facts *f, FILE *dat,
                           FILE *vars)
{
    (void)h;
    for (unsigned d = 0; d < 7; d++) {
        for (unsigned k = 0; k < 24; k++)
            fprintf(dat, "%u %u %zu\n", d, k, f->arrivals[d][k]);
        fputc('\n', dat);   /* gnuplot's image: one scan a weekday */
    }
    (void)vars;
}

static void write_leads(const struct history *h, const struct facts *f, FILE *dat,
                        FILE *vars)
{
    fprintf(vars, "n_channels = %zu\narray channel_names[%zu]\n", f->n_channels,
            f->n_channels ? f->n_channels : 1);
    for (size_t c = 0; c < f->n_channels; c++) {
        char name[48];
        snprintf(name, sizeof name, "channel_names[%zu]", c + 1);
        var_str(vars, name, facts_channel_name(h, f, c));
        fprintf(dat, "# channel %zu\n", c + 1);
        for (size_t w = 0; w < f->n_weeks; w++)
            fprintf(dat, "%zu %zu %zu\n", 7 * w, w, f->leads_week[w * f->n_channels + c]);
        /* The last week's step drawn to its end. */
        if (f->n_weeks > 0)
            fprintf(dat, "%zu %zu %zu\n", 7 * f->n_weeks, f->n_weeks,
                    f->leads_week[(f->n_weeks - 1) * f->n_channels + c]);
        fputs("\n\n", dat);
    }
    dates_vars(vars, h, f);
}

static void write_junk(const struct history *h, const struct facts *f, FILE *dat, FILE *vars)
{
    double ymax = 10;
    for (size_t w = 0; w < f->n_weeks; w++) {
        size_t r = f->resolved_week[w];
        fprintf(dat, "%zu %zu %zu", 7 * w, w, r);
        num(dat, r ? pct(f->junk_week[w]) : NAN);
        for (unsigned k = 0; k <= HISTORY_REASON_OTHER; k++)
            num(dat, r ? pct((double)f->reason_week[w * HISTORY_REASONS + k] / (double)r)
                       : NAN);
        fputc('\n', dat);
        if (r && pct(f->junk_week[w]) > ymax)
            ymax = pct(f->junk_week[w]);
    }
    var_num(vars, "ymax", fmin(100, ceil(ymax * 1.1 / 5) * 5));
    var_num(vars, "overall_pct", pct(f->junk_rate));
    fprintf(vars, "array reason_names[%d]\n", JUNK_REASONS);
    for (unsigned k = 0; k < JUNK_REASONS; k++) {
        char name[32];
        snprintf(name, sizeof name, "reason_names[%u]", k + 1);
        var_str(vars, name, plot_facts_reason_words[k]);
    }
    dates_vars(vars, h, f);
}

static void write_load(const struct history *h, const struct facts *f, FILE *dat, FILE *vars)
{
    (void)h;
    double ymax = 10;
    for (size_t w = 0; w < f->n_weeks; w++) {
        fprintf(dat, "%zu", w);
        num(dat, f->load_week[w]);
        num(dat, f->resolved_week[w] ? pct(f->junk_week[w]) : NAN);
        fprintf(dat, " %zu %d\n", f->resolved_week[w], f->line_week[w] ? 1 : 0);
        if (f->resolved_week[w] && pct(f->junk_week[w]) > ymax)
            ymax = pct(f->junk_week[w]);
    }
    const struct facts_line *l = &f->line;
    var_num(vars, "ymax", fmin(100, ceil(ymax * 1.1 / 5) * 5));
    var_num(vars, "has_line", isfinite(l->slope) ? 1 : 0);
    var_num(vars, "intercept_pct", isfinite(l->intercept) ? pct(l->intercept) : 0);
    var_num(vars, "slope_pct", isfinite(l->slope) ? pct(l->slope) : 0);
    char text[256];
    if (isfinite(l->slope_lo))
        snprintf(text, sizeof text, "slope %+.3g points per lead a manager-week "
                 "(95%% CI %+.3g to %+.3g), %zu weeks", pct(l->slope), pct(l->slope_lo),
                 pct(l->slope_hi), l->n);
    else
        snprintf(text, sizeof text, "too few weeks for a line (%zu)", l->n);
    var_str(vars, "slope_text", text);
}

static void write_contact(const struct history *h, const struct facts *f, FILE *dat,
                          FILE *vars)
{
    (void)h;
    const struct facts_km *km = &f->km;
    /* A log axis: times under a minute are drawn at a minute. */
    const double floor_h = 1.0 / 60.0;
    double xmax = floor_h * 10;
    fprintf(dat, "%.8g 100\n", floor_h);
    for (size_t i = 0; i < km->n_steps; i++) {
        fprintf(dat, "%.8g", fmax(km->t[i], floor_h));
        num(dat, pct(km->s[i]));
        fputc('\n', dat);
        xmax = fmax(xmax, km->t[i]);
    }
    var_num(vars, "xmin", floor_h);
    var_num(vars, "xmax", xmax * 1.5);
    /* The quantiles reached, as words for the script. */
    char hours[256] = "", words[256] = "";
    size_t nh = 0, nw = 0;
    for (size_t q = 0; q < FACTS_KM_QUANTILES; q++) {
        if (!isfinite(km->quantile[q]))
            continue;
        nh += (size_t)snprintf(hours + nh, sizeof hours - nh, "%s%.6g", nh ? " " : "",
                               fmax(km->quantile[q], floor_h));
        nw += (size_t)snprintf(words + nw, sizeof words - nw, "%sp%.0f", nw ? " " : "",
                               100 * facts_km_probs[q]);
        if (nh >= sizeof hours || nw >= sizeof words)
            break;
    }
    var_str(vars, "q_hours", hours);
    var_str(vars, "q_words", words);
}

typedef void (*history_writer)(const struct history *, const struct facts *, FILE *, FILE *);

static const history_writer writers[PLOT_HISTORY_CHARTS] = {
    [PLOT_HISTORY_ARRIVALS] = write_arrivals,
    [PLOT_HISTORY_LEADS] = write_leads,
    [PLOT_HISTORY_JUNK] = write_junk,
    [PLOT_HISTORY_LOAD] = write_load,
    [PLOT_HISTORY_CONTACT] = write_contact,
};

/* Why chart c cannot be drawn from these facts, or NULL. */
static const char *why_not(enum plot_history_chart c, const struct facts *f)
{
    switch (c) {
    case PLOT_HISTORY_JUNK:
        return f->status[HISTORY_WON] + f->status[HISTORY_QUALIFIED] +
               f->status[HISTORY_LOST] == 0 ? "no lead was resolved (won, qualified or lost)"
                                            : NULL;
    case PLOT_HISTORY_LOAD:
        return f->n_owners == 0 ? "the history names no owner, so there is no load" : NULL;
    case PLOT_HISTORY_CONTACT:
        return f->km.n_steps == 0 ? "no lead has a first contact time" : NULL;
    default:
        return f->n == 0 ? "no lead" : NULL;
    }
}

static void chart_title(enum plot_history_chart c, const struct history *h,
                        const struct facts *f, char *buf, size_t n)
{
    char span[96];
    span_text(span, sizeof span, h, f);
    switch (c) {
    case PLOT_HISTORY_ARRIVALS:
        snprintf(buf, n, "When leads arrive: leads by weekday and hour of creation");
        break;
    case PLOT_HISTORY_LEADS:
        snprintf(buf, n, "Leads created a week, by channel, %s", span);
        break;
    case PLOT_HISTORY_JUNK:
        snprintf(buf, n, "Junk rate of each week's leads by stated reason (overall %.1f%%)",
                 pct(f->junk_rate));
        break;
    case PLOT_HISTORY_LOAD:
        snprintf(buf, n, "Does junk rise with load? Weekly junk rate vs leads per manager");
        break;
    case PLOT_HISTORY_CONTACT:
        snprintf(buf, n, "Time to first contact: leads not yet called (%zu leads at risk)",
                 f->km.at_risk);
        break;
    default:
        buf[0] = '\0';
    }
}

static int write_chart(const char *dir, enum plot_history_chart c, const struct history *h,
                       const struct facts *f, const char *title, struct sim_err *err)
{
    const struct plot_chart_desc *desc = &plot_history_charts[c];
    char file[128];
    struct plot_render_files fs;
    int rc = plot_render_files_open(&fs, dir, desc->name, err);
    if (rc != SIM_OK)
        return rc;
    fprintf(fs.dat.fp, "# %s.dat - written by funnelsim %s from the lead history in this "
                    "directory\n# %s\n# columns:", desc->name, FUNNELSIM_VERSION, desc->caption);
    for (size_t k = 0; desc->columns[k] != NULL; k++)
        fprintf(fs.dat.fp, " %s", desc->columns[k]);
    fputc('\n', fs.dat.fp);
    fprintf(fs.vars.fp, "# %s.vars - written by funnelsim %s: the words and marks of %s.gp.\n",
            desc->name, FUNNELSIM_VERSION, desc->name);
    var_str(fs.vars.fp, "title", title);
    char foot[256], span[96];
    span_text(span, sizeof span, h, f);
    snprintf(foot, sizeof foot, "funnelsim facts: %zu leads, %s", f->n, span);
    var_str(fs.vars.fp, "footnote", foot);
    plot_style_write_vars(fs.vars.fp);
    writers[c](h, f, fs.dat.fp, fs.vars.fp);
    snprintf(file, sizeof file, "%s.gp", desc->name);
    if (!plot_chart_script_write(file, fs.gp.fp))
        rc = sim_err_set(err, SIM_ERR_RUNTIME, "facts: %s: not built into this program "
                         "(rebuild: make)", file);
    return plot_render_files_close(&fs, rc, err);
}

/* ---- the page ------------------------------------------------------------------- */

static void row(FILE *fp, const char *what, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void row(FILE *fp, const char *what, const char *fmt, ...)
{
    char value[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(value, sizeof value, fmt, ap);
    va_end(ap);
    fputs("<tr><th scope=\"row\">", fp);
    report_html_escape(fp, what);
    fputs("</th><td>", fp);
    report_html_escape(fp, value);
    fputs("</td></tr>\n", fp);
}

static void hours_text(char *buf, size_t n, double h)
{
    if (!isfinite(h))
        snprintf(buf, n, "not reached");
    else if (h < 1)
        snprintf(buf, n, "%.0f minutes", h * 60);
    else if (h < 48)
        snprintf(buf, n, "%.1f hours", h);
    else
        snprintf(buf, n, "%.1f days", h / 24);
}

/* The summary in words, from the same facts as the charts. */
static void summary(char *buf, size_t n, const struct history *h, const struct facts *f)
{
    char span[96], p50[32], p90[32];
    span_text(span, sizeof span, h, f);
    hours_text(p50, sizeof p50, f->km.quantile[0]);
    hours_text(p90, sizeof p90, f->km.quantile[2]);
    size_t k = (size_t)snprintf(buf, n, "%zu leads, %s. %.1f%% of the leads sales resolved "
                                "were junk. Half the leads were first called within %s, nine "
                                "in ten within %s; %.1f%% were never called. ", f->n, span,
                                pct(f->junk_rate), p50, p90,
                                f->n ? pct((double)f->never_contacted / (double)f->n) : 0.0);
    if (k >= n)
        return;
    const struct facts_line *l = &f->line;
    if (!isfinite(l->slope_lo))
        snprintf(buf + k, n - k, "Too few complete weeks with a known team (%zu) to test "
                 "whether junk rises with load.", l->n);
    else if (l->slope_lo > 0)
        snprintf(buf + k, n - k, "Junk rises with load: %+.2f points for each further lead "
                 "a manager gets in a week (95%% CI %+.2f to %+.2f, %zu weeks).",
                 pct(l->slope), pct(l->slope_lo), pct(l->slope_hi), l->n);
    else if (l->slope_hi < 0)
        snprintf(buf + k, n - k, "Junk falls as load rises (%+.2f points a lead per manager-"
                 "week, 95%% CI %+.2f to %+.2f, %zu weeks): something else moves with load.",
                 pct(l->slope), pct(l->slope_lo), pct(l->slope_hi), l->n);
    else
        snprintf(buf + k, n - k, "These weeks do not show junk rising with load: the slope, "
                 "%+.2f points a lead per manager-week, has a 95%% CI of %+.2f to %+.2f "
                 "(%zu weeks), which holds zero.", pct(l->slope), pct(l->slope_lo),
                 pct(l->slope_hi), l->n);
}

static void tables(FILE *fp, const struct history *h, const struct facts *f)
{
    fputs("<h2>Counts</h2>\n<table>\n", fp);
    row(fp, "leads", "%zu", f->n);
    for (unsigned s = 0; s < HISTORY_STATUSES; s++)
        row(fp, history_status_name(s), "%zu (%.1f%%)", f->status[s],
            f->n ? pct((double)f->status[s] / (double)f->n) : 0.0);
    row(fp, "junk rate", "%.1f%% of %zu resolved leads", pct(f->junk_rate),
        f->status[HISTORY_WON] + f->status[HISTORY_QUALIFIED] + f->status[HISTORY_LOST]);
    for (unsigned r = 0; r <= HISTORY_REASON_OTHER; r++) {
        char what[64];
        snprintf(what, sizeof what, "lost: %s", r < JUNK_REASONS ? plot_facts_reason_words[r]
                                                                : "other (unknown cause)");
        row(fp, what, "%zu", f->reason[r]);
    }
    char q[3][32];
    for (size_t i = 0; i < FACTS_KM_QUANTILES; i++)
        hours_text(q[i], sizeof q[i], f->km.quantile[i]);
    row(fp, "first contact, median", "%s", q[0]);
    row(fp, "first contact, 80%", "%s", q[1]);
    row(fp, "first contact, 90%", "%s", q[2]);
    row(fp, "never contacted", "%zu leads (%.1f%%)", f->never_contacted,
        f->n ? pct((double)f->never_contacted / (double)f->n) : 0.0);
    row(fp, "handed leads per working manager-week", "%.1f (%zu manager-weeks)",
        f->handed_per_manager_week, f->manager_weeks);
    fputs("</table>\n<h2>Channels</h2>\n<table>\n", fp);
    for (size_t c = 0; c < f->n_channels; c++)
        row(fp, facts_channel_name(h, f, c), "%zu leads, %.1f a week", f->channel_leads[c],
            f->weeks > 0 ? (double)f->channel_leads[c] / f->weeks : 0.0);
    fputs("</table>\n", fp);
    if (f->n_owners > 0) {
        fputs("<h2>Owners: hires and leavers</h2>\n<table>\n", fp);
        for (size_t o = 0; o < f->n_owners; o++) {
            const struct facts_owner *fo = &f->owner[o];
            if (fo->first_week < 0) {
                row(fp, h->owner[o].name, "not active in the history");
                continue;
            }
            row(fp, h->owner[o].name, "weeks %ld to %ld%s%s%s%s", fo->first_week,
                fo->last_week, h->owner[o].group ? ", group " : "",
                h->owner[o].group ? h->owner[o].group : "", fo->hired ? "; hired" : "",
                fo->left ? "; left" : "");
        }
        fputs("</table>\n", fp);
    }
}

static const char *const definitions =
    "<h2>How the numbers are computed</h2>\n<ul>\n"
    "<li><b>Junk rate</b>: lost leads / (lost + won + qualified), the share of the leads "
    "sales resolved that it rejected; a week's rate counts the leads created that week.</li>\n"
    "<li><b>Time to first contact</b>: Kaplan-Meier. A lead never called that is still open "
    "is censored at the end of the history, one that was closed without a call at its "
    "closing; disqualified leads never reached sales and are left out.</li>\n"
    "<li><b>Load</b>: leads handed (all but disqualified) in a week per working manager; a "
    "manager works from the start to the end date of the managers file, or else from the "
    "week of the first lead to that of the last.</li>\n"
    "<li><b>Junk vs load</b>: ordinary least squares over complete weeks with at least 5 "
    "resolved leads; the slope's 95% interval from Student's t with n - 2 degrees of "
    "freedom. A week's leads may still be open, so recent weeks' rates are provisional.</li>\n"
    "</ul>\n";

static int write_page(const char *dir, const struct history *h, const struct facts *f,
                      const bool *written, const bool *drawn, const char *const *skipped,
                      char titles[][256], bool gnuplot_missing, struct sim_err *err)
{
    struct sim_file file;
    int rc = sim_file_open(&file, dir, "report.html", err);
    if (rc != SIM_OK)
        return rc;
    FILE *fp = file.fp;
    fprintf(fp, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>funnelsim facts</title>\n<style>%s</style>\n</head>\n<body>\n"
                "<h1>Lead history: the facts</h1>\n<p class=\"meta\">funnelsim %s; "
                "imported history in <code>", report_css(), FUNNELSIM_VERSION);
    report_html_escape(fp, dir);
    fputs("</code>; the draft scenario is <code>scenario.json</code>, the numbers "
          "<code>facts.json</code>.</p>\n<h2>Summary</h2>\n<p class=\"summary\" "
          "id=\"summary-facts\">", fp);
    char sum[2048];
    summary(sum, sizeof sum, h, f);
    report_html_escape(fp, sum);
    fputs("</p>\n", fp);
    if (gnuplot_missing)
        fputs("<p class=\"warn\">gnuplot is not installed, so no chart is drawn: install it "
              "(<code>apt-get install gnuplot-nox</code>) and run <code>funnelsim facts "
              "DIR</code>.</p>\n", fp);
    fputs("<h2>Charts</h2>\n", fp);
    for (unsigned c = 0; c < PLOT_HISTORY_CHARTS; c++) {
        const char *cn = plot_history_charts[c].name;
        if (!written[c]) {
            if (skipped[c] != NULL) {
                fprintf(fp, "<p id=\"chart-%s\">", cn);
                report_html_escape(fp, plot_history_charts[c].caption);
                fputs(": not drawn: ", fp);
                report_html_escape(fp, skipped[c]);
                fputs(".</p>\n", fp);
            }
            continue;
        }
        fprintf(fp, "<figure id=\"chart-%s\">\n<figcaption>", cn);
        report_html_escape(fp, titles[c]);
        fputs("</figcaption>\n", fp);
        if (!drawn[c] || !report_inline_svg(fp, dir, cn))
            fputs("<p class=\"warn\">Not drawn.</p>\n", fp);
        fprintf(fp, "\n<p class=\"files\">Files: <a href=\"%s.png\">%s.png</a>, "
                    "<a href=\"%s.svg\">%s.svg</a>, <a href=\"%s.dat\">%s.dat</a> (data), "
                    "<a href=\"%s.gp\">%s.gp</a> (script)</p>\n</figure>\n",
                cn, cn, cn, cn, cn, cn, cn, cn);
    }
    tables(fp, h, f);
    fputs(definitions, fp);
    fputs("</body>\n</html>\n", fp);
    return sim_file_commit(&file, err);
}

int plot_history_dir(const char *dir, const struct history *h, const struct facts *f,
                     const struct plot_history_opts *opts, struct plot_history_outcome *out,
                     struct sim_err *err)
{
    struct plot_history_outcome dummy;
    if (out == NULL)
        out = &dummy;
    memset(out, 0, sizeof *out);
    FILE *log = opts ? opts->log : NULL;
    const volatile sig_atomic_t *stop = opts ? opts->stop : NULL;
    char gnuplot[4096] = "";
    const char *program = opts && opts->gnuplot ? opts->gnuplot : "gnuplot";
    bool can_draw = plot_render_find_program(program, gnuplot, sizeof gnuplot);
    out->gnuplot_missing = !can_draw;

    bool written[PLOT_HISTORY_CHARTS] = {0}, drawn[PLOT_HISTORY_CHARTS] = {0};
    const char *skipped[PLOT_HISTORY_CHARTS] = {0};
    char titles[PLOT_HISTORY_CHARTS][256];
    struct sim_err first = {0};
    for (unsigned c = 0; c < PLOT_HISTORY_CHARTS; c++) {
        const char *name = plot_history_charts[c].name;
        if (stop != NULL && *stop) {
            out->interrupted = true;
            break;
        }
        if ((skipped[c] = why_not((enum plot_history_chart)c, f)) != NULL) {
            plot_render_say(log, "  %-19s skipped: %s\n", name, skipped[c]);
            continue;
        }
        chart_title((enum plot_history_chart)c, h, f, titles[c], sizeof titles[c]);
        struct sim_err e = {0};
        if (write_chart(dir, (enum plot_history_chart)c, h, f, titles[c], &e) != SIM_OK) {
            sim_err_set(&first, e.code, "%s", e.msg);
            plot_render_say(log, "  %-19s FAILED: %s\n", name, e.msg);
            continue;
        }
        written[c] = true;
        out->written++;
        if (!can_draw) {
            /* A chart left from an earlier run would show old data. */
            static const char *const exts[] = {"png", "svg"};
            for (size_t k = 0; k < 2; k++) {
                char file[128], old[PATH_MAX];
                snprintf(file, sizeof file, "%s.%s", name, exts[k]);
                if (plot_file_path(old, sizeof old, dir, file, NULL) == SIM_OK)
                    unlink(old);
            }
            continue;
        }
        int r = plot_render(gnuplot, dir, name, "png", stop, &e);
        if (r == SIM_OK)
            r = plot_render(gnuplot, dir, name, "svg", stop, &e);
        if (r == PLOT_RENDER_STOPPED) {
            out->interrupted = true;
            break;
        }
        if (r != SIM_OK) {
            sim_err_set(&first, e.code, "%s", e.msg);
            plot_render_say(log, "  %-19s FAILED: %s\n", name, e.msg);
            continue;
        }
        drawn[c] = true;
        out->drawn++;
        plot_render_say(log, "  %-19s %s/%s.png (and .svg)\n", name, dir, name);
    }
    if (out->interrupted)
        return sim_err_set(err, SIM_ERR_RUNTIME, "facts: %s: interrupted: report.html not "
                           "written", dir);
    struct sim_err e = {0};
    if (write_page(dir, h, f, written, drawn, skipped, titles, !can_draw, &e) != SIM_OK)
        sim_err_set(&first, e.code, "%s", e.msg);
    else
        plot_render_say(log, "  %-19s %s/report.html\n", "report", dir);
    if (sim_err_isset(&first))
        return sim_err_set(err, first.code, "%s", first.msg);
    return SIM_OK;
}
