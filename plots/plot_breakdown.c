/* SPDX-License-Identifier: MIT */
/*
 * plot_breakdown.c - a run's results by channel and by group read back,
 * the junk_by_channel chart's data and the report's tables
 * (plot_breakdown.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "plots/plot_breakdown.h"
#include "plots/plot_file.h"
#include "plots/plot_render.h"
#include "sim/mem.h"

#ifndef FUNNELSIM_VERSION
#define FUNNELSIM_VERSION "dev"
#endif

/* ---- reading --------------------------------------------------------------- */

/* One array, "by_channel" or "by_group", into rows[0..max). */
static int load_rows(const char *file, const cJSON *root, const char *key,
                     const struct metric_desc *descs, unsigned n_descs,
                     struct plot_breakdown_row *rows, size_t max, size_t *n_rows,
                     struct sim_err *err)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!cJSON_IsArray(list))
        return sim_err_set(err, SIM_ERR_INPUT, "%s: %s: missing or not an array", file, key);
    int n = cJSON_GetArraySize(list);
    if (n < 0 || (size_t)n > max)
        return sim_err_set(err, SIM_ERR_INPUT, "%s: %s: %d rows, at most %zu", file, key, n,
                           max);
    for (int i = 0; i < n; i++) {
        const cJSON *row = cJSON_GetArrayItem(list, i);
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(row, "name");
        if (!cJSON_IsString(name))
            return sim_err_set(err, SIM_ERR_INPUT, "%s: %s[%d].name: missing or not a string",
                               file, key, i);
        snprintf(rows[i].name, sizeof rows[i].name, "%s", name->valuestring);
        for (unsigned k = 0; k < n_descs; k++) {
            const cJSON *item = plot_load_at(row, descs[k].key);
            const cJSON *mean = cJSON_GetObjectItemCaseSensitive(item, "mean");
            const cJSON *ci = cJSON_GetObjectItemCaseSensitive(item, "ci95");
            if (!cJSON_IsObject(item) || (!cJSON_IsNumber(mean) && !cJSON_IsNull(mean)) ||
                !cJSON_IsArray(ci) || cJSON_GetArraySize(ci) != 2)
                return sim_err_set(err, SIM_ERR_INPUT, "%s: %s[%d].%s: missing or not "
                                   "{\"mean\": m, \"ci95\": [lo, hi]}", file, key, i,
                                   descs[k].key);
            rows[i].v[k].mean = plot_load_num(mean);
            rows[i].v[k].lo = plot_load_num(cJSON_GetArrayItem(ci, 0));
            rows[i].v[k].hi = plot_load_num(cJSON_GetArrayItem(ci, 1));
        }
    }
    *n_rows = (size_t)n;
    return SIM_OK;
}

/* The run's facts for the footnote; absent ones stay empty or zero. */
static void load_facts(const cJSON *root, struct plot_breakdown *b)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "scenario");
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(root, "file");
    snprintf(b->scenario, sizeof b->scenario, "%s", cJSON_IsString(s) ? s->valuestring : "");
    snprintf(b->file, sizeof b->file, "%s", cJSON_IsString(f) ? f->valuestring : "");
    double reps = plot_load_num(cJSON_GetObjectItemCaseSensitive(root, "replications"));
    b->reps = reps >= 0 && reps < 1e9 ? (unsigned)reps : 0;
    b->horizon_days = plot_load_num(cJSON_GetObjectItemCaseSensitive(root, "horizon_days"));
    b->warmup_days = plot_load_num(cJSON_GetObjectItemCaseSensitive(root, "warmup_days"));
}

int plot_breakdown_load(const char *dir, struct plot_breakdown **out, struct sim_err *err)
{
    *out = NULL;
    char brief[PLOT_FILE_BRIEF_SIZE], file[PLOT_FILE_BRIEF_SIZE + 16];
    snprintf(file, sizeof file, "%s/result.json", plot_file_brief(brief, sizeof brief, dir));
    size_t len;
    char *text = plot_file_read(dir, "result.json", &len);
    if (text == NULL) {
        if (errno == ENOENT)
            return SIM_OK;
        if (errno == EFBIG)
            return sim_err_set(err, SIM_ERR_INPUT, "%s: more than %d MiB: larger than any "
                               "result file funnelsim writes", file, PLOT_FILE_MAX_MIB);
        return sim_err_set(err, SIM_ERR_RUNTIME, "%s: cannot read: %s", file, strerror(errno));
    }
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(text);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return sim_err_set(err, SIM_ERR_INPUT, "%s: not a JSON object as funnelsim writes it",
                           file);
    }
    if (cJSON_GetObjectItemCaseSensitive(root, "by_channel") == NULL) {
        cJSON_Delete(root);
        return SIM_OK;
    }
    struct plot_breakdown *b = sim_calloc(1, sizeof *b);
    load_facts(root, b);
    int rc = load_rows(file, root, "by_channel", breakdown_channel_descs, BC_COUNT,
                       b->channel, SCN_MAX_CHANNELS, &b->n_channels, err);
    if (rc == SIM_OK)
        rc = load_rows(file, root, "by_group", breakdown_group_descs, BG_COUNT, b->group,
                       BREAKDOWN_GROUP_ROWS, &b->n_groups, err);
    cJSON_Delete(root);
    if (rc != SIM_OK) {
        free(b);
        return rc;
    }
    *out = b;
    return SIM_OK;
}

void plot_breakdown_free(struct plot_breakdown *b)
{
    free(b);
}

/* ---- the chart ----------------------------------------------------------------- */

static void num(FILE *fp, double x)
{
    if (isfinite(x))
        fprintf(fp, " %.8g", x);
    else
        fputs(" NaN", fp);
}

static void var_str(FILE *fp, const char *name, const char *s)
{
    fprintf(fp, "%s = ", name);
    plot_render_gp_string(fp, s);
    fputc('\n', fp);
}

static void var_num(FILE *fp, const char *name, double x)
{
    if (isfinite(x))
        fprintf(fp, "%s = %.10g\n", name, x);
    else
        fprintf(fp, "%s = NaN\n", name);
}

/* The reasons' stems in the chart's variables and columns: the part of
 * the descriptor's key after "junk_by_reason.". */
static const char *reason_stem(enum junk_reason r)
{
    const char *key = breakdown_channel_descs[breakdown_channel_of_reason(r)].key;
    const char *dot = strchr(key, '.');
    return dot ? dot + 1 : key;
}

void plot_breakdown_chart(const struct plot_breakdown *b, double target, FILE *dat,
                          FILE *vars)
{
    double max = 100.0 * target;
    for (size_t c = 0; c < b->n_channels; c++) {
        const struct plot_ci *v = b->channel[c].v;
        fprintf(dat, "%zu \"", c);
        for (const char *s = b->channel[c].name; *s != '\0'; s++)
            fputc(*s == '"' ? '\'' : (unsigned char)*s < 0x20 ? ' ' : *s, dat);
        fputc('"', dat);
        for (unsigned r = 0; r < JUNK_REASONS; r++)
            num(dat, 100.0 * v[breakdown_channel_of_reason(r)].mean);
        num(dat, 100.0 * v[BC_JUNK_RATE].mean);
        num(dat, 100.0 * v[BC_JUNK_RATE].lo);
        num(dat, 100.0 * v[BC_JUNK_RATE].hi);
        fputc('\n', dat);
        double top = isfinite(v[BC_JUNK_RATE].hi) ? v[BC_JUNK_RATE].hi : v[BC_JUNK_RATE].mean;
        if (isfinite(top))
            max = fmax(max, 100.0 * top);
    }
    char buf[1024];
    snprintf(buf, sizeof buf, "Scenario %s (%s), %u replications, %.0f days of which %.0f "
             "warm-up; bars: means, whiskers: 95%% interval of the junk rate. funnelsim %s",
             b->scenario, b->file, b->reps, b->horizon_days, b->warmup_days,
             FUNNELSIM_VERSION);
    var_str(vars, "footnote", buf);
    snprintf(buf, sizeof buf, "%s (%% of the channel's resolved leads)",
             breakdown_channel_descs[BC_JUNK_RATE].label);
    var_str(vars, "ylabel", buf);
    for (unsigned r = 0; r < JUNK_REASONS; r++) {
        char name[64];
        snprintf(name, sizeof name, "label_%s", reason_stem((enum junk_reason)r));
        var_str(vars, name, breakdown_channel_descs[breakdown_channel_of_reason(r)].label);
    }
    var_str(vars, "label_junk_rate", breakdown_channel_descs[BC_JUNK_RATE].label);
    var_num(vars, "target_pct", 100.0 * target);
    var_num(vars, "n_rows", (double)b->n_channels);
    double top = max * 1.12;
    double step = top > 50 ? 10 : top > 20 ? 5 : top > 5 ? 2 : 0.5;
    var_num(vars, "ymax", fmin(100.0, ceil(top / step) * step));
}

/* ---- the report ------------------------------------------------------------------ */

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

/* A cell in the style of its unit; a share with its interval when known. */
static void cell(FILE *fp, const struct metric_desc *d, const struct plot_ci *v)
{
    char buf[96];
    if (strcmp(d->unit, "share") == 0)
        metric_fmt_share(buf, sizeof buf, v->mean);
    else if (!isfinite(v->mean))
        snprintf(buf, sizeof buf, "-");
    else if (strcmp(d->unit, "hours") == 0)
        snprintf(buf, sizeof buf, "%.1f h", v->mean);
    else
        snprintf(buf, sizeof buf, "%.0f", v->mean);
    fputs("<td>", fp);
    esc(fp, buf);
    if (isfinite(v->mean) && isfinite(v->lo) && isfinite(v->hi) && v->hi > v->lo &&
        strcmp(d->unit, "share") == 0) {
        char lo[32], hi[32];
        metric_fmt_share(lo, sizeof lo, v->lo);
        metric_fmt_share(hi, sizeof hi, v->hi);
        fprintf(fp, " <small>(%s to %s)</small>", lo, hi);
    }
    fputs("</td>", fp);
}

/* A table: a row per channel (group), a column per number of `show`. */
static void table(FILE *fp, const char *id, const char *first,
                  const struct plot_breakdown_row *rows, size_t n_rows,
                  const struct metric_desc *descs, const unsigned *show, size_t n_show)
{
    /* Wide tables scroll inside the page rather than widen it. */
    fprintf(fp, "<div style=\"overflow-x:auto\">\n<table id=\"%s\">\n<tr><th>%s</th>", id,
            first);
    for (size_t k = 0; k < n_show; k++) {
        fputs("<th>", fp);
        esc(fp, descs[show[k]].label);
        fputs("</th>", fp);
    }
    fputs("</tr>\n", fp);
    for (size_t i = 0; i < n_rows; i++) {
        fputs("<tr><th scope=\"row\">", fp);
        esc(fp, rows[i].name);
        fputs("</th>", fp);
        for (size_t k = 0; k < n_show; k++)
            cell(fp, &descs[show[k]], &rows[i].v[show[k]]);
        fputs("</tr>\n", fp);
    }
    fputs("</table>\n</div>\n", fp);
}

void plot_breakdown_report(FILE *fp, const struct plot_breakdown *b)
{
    double junk = 0.0;
    for (size_t c = 0; c < b->n_channels; c++)
        if (isfinite(b->channel[c].v[BC_JUNK].mean))
            junk += b->channel[c].v[BC_JUNK].mean;
    fputs("<h3>By channel</h3>\n", fp);
    if (junk > 0.0 && b->n_channels > 1) {
        fputs("<p id=\"summary-channels\">Where the junk comes from: ", fp);
        for (size_t c = 0; c < b->n_channels; c++) {
            const struct plot_ci *v = b->channel[c].v;
            char rate[32];
            metric_fmt_share(rate, sizeof rate, v[BC_JUNK_RATE].mean);
            esc(fp, b->channel[c].name);
            fprintf(fp, " %.0f%% of the junk leads (a %s junk rate)%s",
                    100.0 * (isfinite(v[BC_JUNK].mean) ? v[BC_JUNK].mean : 0.0) / junk, rate,
                    c + 1 < b->n_channels ? "; " : ".</p>\n");
        }
    }
    static const unsigned channel_cols[] = {
        BC_GENERATED, BC_HANDED, BC_LOST, BC_LOST_RATE, BC_JUNK_RATE, BC_JUNK_BAD_FIT,
        BC_JUNK_THEORIST, BC_JUNK_UNREACHABLE, BC_JUNK_WENT_COLD, BC_JUNK_MISJUDGED,
        BC_JUNK_ABANDONED, BC_DEALS, BC_REVENUE, BC_SPEND, BC_TEAM_COST, BC_COST_PER_DEAL,
    };
    table(fp, "by-channel", "channel", b->channel, b->n_channels, breakdown_channel_descs,
          channel_cols, sizeof channel_cols / sizeof channel_cols[0]);
    fputs("<h3>By group of the last attempt</h3>\n", fp);
    static const unsigned group_cols[] = {
        BG_WORKED, BG_UTILIZATION, BG_WAIT_MEAN, BG_JUNK_RATE, BG_JUNK_BAD_FIT,
        BG_JUNK_THEORIST, BG_JUNK_UNREACHABLE, BG_JUNK_WENT_COLD, BG_JUNK_MISJUDGED,
        BG_JUNK_ABANDONED, BG_DEALS, BG_REVENUE, BG_TEAM_COST,
    };
    table(fp, "by-group", "group", b->group, b->n_groups, breakdown_group_descs, group_cols,
          sizeof group_cols / sizeof group_cols[0]);
    fputs("<p>Counts and money are means per replication over the measured window, shares "
          "with their 95% intervals. A lead counts for the channel that created it and "
          "for the group whose manager made its last attempt (<em>"
          BREAKDOWN_UNASSIGNED "</em>: never attempted, so abandoned in the backlog); "
          "the channels' and the groups' counts add up to the totals. A channel's team "
          "cost is the team's cost shared by the attempt hours spent on its leads.</p>\n",
          fp);
}
