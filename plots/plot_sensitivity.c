/* SPDX-License-Identifier: MIT */
/*
 * plot_sensitivity.c - sensitivity.json read back, the tornado chart's
 * data and words, and the report's table (plot_sensitivity.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "plots/plot_file.h"
#include "plots/plot_render.h"
#include "plots/plot_sensitivity.h"
#include "sim/mem.h"

#ifndef FUNNELSIM_VERSION
#define FUNNELSIM_VERSION "dev"
#endif

#define FILE_NAME "sensitivity.json"

/* ---- reading --------------------------------------------------------------- */

static void text(char *dst, size_t n, const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    snprintf(dst, n, "%s", cJSON_IsString(v) ? v->valuestring : "");
}

/* {"mean": m, "ci95": [lo, hi]} at obj[key] into *out. */
static bool read_ci(const cJSON *obj, const char *key, struct plot_ci *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    const cJSON *mean = cJSON_GetObjectItemCaseSensitive(item, "mean");
    const cJSON *ci = cJSON_GetObjectItemCaseSensitive(item, "ci95");
    if (!cJSON_IsObject(item) || (!cJSON_IsNumber(mean) && !cJSON_IsNull(mean)) ||
        !cJSON_IsArray(ci) || cJSON_GetArraySize(ci) != 2)
        return false;
    out->mean = plot_load_num(mean);
    out->lo = plot_load_num(cJSON_GetArrayItem(ci, 0));
    out->hi = plot_load_num(cJSON_GetArrayItem(ci, 1));
    return true;
}

static int load_metrics(const char *file, const cJSON *root, struct plot_sensitivity *s,
                        struct sim_err *err)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "metrics");
    int n = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : -1;
    if (n < 1 || (unsigned)n > PLOT_SENS_METRICS)
        return sim_err_set(err, SIM_ERR_INPUT, "%s: metrics: missing, or not an array of 1 "
                           "to %u metrics", file, PLOT_SENS_METRICS);
    for (int m = 0; m < n; m++) {
        const cJSON *x = cJSON_GetArrayItem(list, m);
        struct plot_sens_metric *pm = &s->metric[m];
        text(pm->key, sizeof pm->key, x, "key");
        text(pm->label, sizeof pm->label, x, "label");
        text(pm->unit, sizeof pm->unit, x, "unit");
        if (pm->key[0] == '\0' || !read_ci(x, "base", &pm->base))
            return sim_err_set(err, SIM_ERR_INPUT, "%s: metrics[%d]: needs \"key\" and "
                               "\"base\" {\"mean\", \"ci95\"}", file, m);
    }
    s->n_metrics = (size_t)n;
    return SIM_OK;
}

static int load_keys(const char *file, const cJSON *root, struct plot_sensitivity *s,
                     struct sim_err *err)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "keys");
    int n = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : -1;
    if (n < 0 || (unsigned)n > PLOT_SENS_MAX_KEYS)
        return sim_err_set(err, SIM_ERR_INPUT, "%s: keys: missing, or not an array of at "
                           "most %u keys", file, PLOT_SENS_MAX_KEYS);
    for (int i = 0; i < n; i++) {
        const cJSON *x = cJSON_GetArrayItem(list, i);
        struct plot_sens_key *k = &s->keys[i];
        text(k->key, sizeof k->key, x, "key");
        text(k->label, sizeof k->label, x, "label");
        text(k->unit, sizeof k->unit, x, "unit");
        k->low = plot_load_num(cJSON_GetObjectItemCaseSensitive(x, "low"));
        k->high = plot_load_num(cJSON_GetObjectItemCaseSensitive(x, "high"));
        k->base_value = plot_load_num(cJSON_GetObjectItemCaseSensitive(x, "base_value"));
        const cJSON *ms = cJSON_GetObjectItemCaseSensitive(x, "metrics");
        for (size_t m = 0; m < s->n_metrics; m++) {
            const cJSON *e = cJSON_GetObjectItemCaseSensitive(ms, s->metric[m].key);
            struct plot_sens_effect *pe = &k->e[m];
            double rank = plot_load_num(cJSON_GetObjectItemCaseSensitive(e, "rank"));
            const cJSON *within = cJSON_GetObjectItemCaseSensitive(e, "within_noise");
            if (!read_ci(e, "at_low", &pe->low) || !read_ci(e, "at_high", &pe->high) ||
                !read_ci(e, "swing", &pe->swing) || !cJSON_IsBool(within) ||
                !(rank >= 1 && rank <= n))
                return sim_err_set(err, SIM_ERR_INPUT, "%s: keys[%d].metrics.%s: needs "
                                   "at_low, at_high, swing, rank (1 to %d) and within_noise",
                                   file, i, s->metric[m].key, n);
            pe->rank = (unsigned)rank;
            pe->within = cJSON_IsTrue(within);
        }
    }
    s->n = (size_t)n;
    return SIM_OK;
}

int plot_sensitivity_load(const char *dir, struct plot_sensitivity **out, struct sim_err *err)
{
    *out = NULL;
    char brief[PLOT_FILE_BRIEF_SIZE], file[PLOT_FILE_BRIEF_SIZE + 24];
    snprintf(file, sizeof file, "%s/" FILE_NAME, plot_file_brief(brief, sizeof brief, dir));
    size_t len;
    char *raw = plot_file_read(dir, FILE_NAME, &len);
    if (raw == NULL) {
        if (errno == ENOENT)
            return SIM_OK;
        if (errno == EFBIG)
            return sim_err_set(err, SIM_ERR_INPUT, "%s: more than %d MiB: larger than any "
                               "result file funnelsim writes", file, PLOT_FILE_MAX_MIB);
        return sim_err_set(err, SIM_ERR_RUNTIME, "%s: cannot read: %s", file, strerror(errno));
    }
    cJSON *root = cJSON_ParseWithLength(raw, len);
    free(raw);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return sim_err_set(err, SIM_ERR_INPUT, "%s: not a JSON object as funnelsim writes it",
                           file);
    }
    struct plot_sensitivity *s = sim_calloc(1, sizeof *s);
    text(s->scenario, sizeof s->scenario, root, "scenario");
    text(s->file, sizeof s->file, root, "file");
    double reps = plot_load_num(cJSON_GetObjectItemCaseSensitive(root, "replications"));
    s->reps = reps >= 0 && reps < 1e9 ? (unsigned)reps : 0;
    s->horizon_days = plot_load_num(cJSON_GetObjectItemCaseSensitive(root, "horizon_days"));
    s->warmup_days = plot_load_num(cJSON_GetObjectItemCaseSensitive(root, "warmup_days"));
    int rc = load_metrics(file, root, s, err);
    if (rc == SIM_OK)
        rc = load_keys(file, root, s, err);
    cJSON_Delete(root);
    if (rc != SIM_OK) {
        free(s);
        return rc;
    }
    *out = s;
    return SIM_OK;
}

void plot_sensitivity_free(struct plot_sensitivity *s)
{
    free(s);
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

static bool is_share(const char *unit)
{
    return strcmp(unit, "share") == 0;
}

/* A metric's numbers on the chart: shares in percent. */
static double scale(const struct plot_sens_metric *m)
{
    return is_share(m->unit) ? 100.0 : 1.0;
}

/* The axis label with its unit: "junk rate (% of resolved leads)". */
static void axis_label(char *buf, size_t n, const struct plot_sens_metric *m)
{
    if (is_share(m->unit))
        snprintf(buf, n, "%s (%% of resolved leads)", m->label);
    else if (strcmp(m->unit, "money") == 0)
        snprintf(buf, n, "%s over the measured window (the scenario's money)", m->label);
    else if (strstr(m->label, m->unit) == NULL)
        snprintf(buf, n, "%s (%s over the measured window)", m->label, m->unit);
    else
        snprintf(buf, n, "%s over the measured window", m->label);
}

/* A key's row label: "reach per attempt, 0.25 to 0.55". */
static void row_label(char *buf, size_t n, const struct plot_sens_key *k)
{
    bool unit = k->unit[0] != '\0' && !is_share(k->unit);
    snprintf(buf, n, "%s, %g to %g%s%s", k->label, k->low, k->high, unit ? " " : "",
             unit ? k->unit : "");
}

/* x in the metric's style: "+1.23" (points of a share), "+458.0"
 * (deals), "+5.73M" (money: three significant digits, k or M). */
static void value_text(char *buf, size_t n, const struct plot_sens_metric *m, double x,
                       bool sign)
{
    if (is_share(m->unit)) {
        snprintf(buf, n, sign ? "%+.2f" : "%.2f", 100.0 * x);
    } else if (strcmp(m->unit, "money") == 0) {
        double a = fabs(x);
        double d = a >= 1e6 ? 1e6 : a >= 1e3 ? 1e3 : 1;
        const char *suffix = a >= 1e6 ? "M" : a >= 1e3 ? "k" : "";
        snprintf(buf, n, sign ? "%+.3g%s" : "%.3g%s", x / d, suffix);
    } else {
        snprintf(buf, n, sign ? "%+.1f" : "%.1f", x);
    }
}

/* "-41.21 pts (-42.14 to -40.28)", "+0 exactly: no effect", "..., within noise". */
static void swing_text(char *buf, size_t n, const struct plot_sens_metric *m,
                       const struct plot_sens_effect *e)
{
    const char *suffix = is_share(m->unit) ? " pts" : "";
    char mean[48], lo[48], hi[48];
    if (e->swing.mean == 0 && e->swing.lo == 0 && e->swing.hi == 0) {
        snprintf(buf, n, "0 exactly: no effect");
        return;
    }
    value_text(mean, sizeof mean, m, e->swing.mean, true);
    value_text(lo, sizeof lo, m, e->swing.lo, true);
    value_text(hi, sizeof hi, m, e->swing.hi, true);
    if (isfinite(e->swing.lo))
        snprintf(buf, n, "%s%s (%s to %s)%s", mean, suffix, lo, hi,
                 e->within ? ", within noise" : "");
    else
        snprintf(buf, n, "%s%s%s", mean, suffix, e->within ? ", within noise" : "");
}

static void data_text(FILE *fp, const char *s)
{
    fputs(" \"", fp);
    for (; *s != '\0'; s++)
        fputc(*s == '"' ? '\'' : (unsigned char)*s < 0x20 ? ' ' : *s, fp);
    fputc('"', fp);
}

void plot_sensitivity_chart(const struct plot_sensitivity *s, FILE *dat, FILE *vars)
{
    char buf[1024];
    size_t *order = sim_calloc(s->n ? s->n : 1, sizeof *order);
    for (size_t m = 0; m < s->n_metrics; m++) {
        const struct plot_sens_metric *pm = &s->metric[m];
        double k = scale(pm), base = k * pm->base.mean;
        double lo = base, hi = base;
        for (size_t i = 0; i < s->n; i++)
            order[s->keys[i].e[m].rank - 1 < s->n ? s->keys[i].e[m].rank - 1 : 0] = i;
        for (size_t i = 0; i < s->n; i++) {
            double a = k * s->keys[i].e[m].low.mean, b = k * s->keys[i].e[m].high.mean;
            if (isfinite(a))
                lo = fmin(lo, a), hi = fmax(hi, a);
            if (isfinite(b))
                lo = fmin(lo, b), hi = fmax(hi, b);
        }
        double span = hi - lo > 0 ? hi - lo : fabs(base) > 0 ? fabs(base) * 0.1 : 1;
        double text_x = hi + 0.04 * span;
        if (m > 0)
            fputs("\n\n", dat);
        for (size_t r = 0; r < s->n; r++) {
            const struct plot_sens_key *key = &s->keys[order[r]];
            const struct plot_sens_effect *e = &key->e[m];
            double at_lo = k * e->low.mean, at_hi = k * e->high.mean;
            fprintf(dat, "%zu", r);
            row_label(buf, sizeof buf, key);
            data_text(dat, buf);
            num(dat, base);
            num(dat, at_lo);
            num(dat, at_hi);
            num(dat, k * e->swing.mean);
            num(dat, k * e->swing.lo);
            num(dat, k * e->swing.hi);
            fprintf(dat, " %d", e->within ? 1 : 0);
            swing_text(buf, sizeof buf, pm, e);
            data_text(dat, buf);
            num(dat, text_x);
            fputc('\n', dat);
        }
        if (s->n == 0)
            fprintf(dat, "0 \"\" NaN NaN NaN NaN NaN NaN 1 \"\" NaN\n");
        /* Room left of the bars, and right of them for the swing's words. */
        char name[32], v[48];
        snprintf(name, sizeof name, "panel%zu", m);
        value_text(v, sizeof v, pm, pm->base.mean, false);
        snprintf(buf, sizeof buf, "%s: %s%s in the scenario as it is (the line)", pm->label, v,
                 is_share(pm->unit) ? "%" : "");
        var_str(vars, name, buf);
        snprintf(name, sizeof name, "xlabel%zu", m);
        axis_label(buf, sizeof buf, pm);
        var_str(vars, name, buf);
        snprintf(name, sizeof name, "base%zu", m);
        var_num(vars, name, base);
        snprintf(name, sizeof name, "xmin%zu", m);
        var_num(vars, name, lo - 0.05 * span);
        snprintf(name, sizeof name, "xmax%zu", m);
        var_num(vars, name, hi + 1.05 * span);
        snprintf(name, sizeof name, "pct%zu", m);
        var_num(vars, name, is_share(pm->unit) ? 1 : strcmp(pm->unit, "money") == 0 ? 2 : 0);
    }
    free(order);
    var_num(vars, "n_panels", (double)s->n_metrics);
    var_num(vars, "n_rows", (double)(s->n ? s->n : 1));
    var_str(vars, "label_low", "at the low end of the plausible range");
    var_str(vars, "label_high", "at the high end");
    var_str(vars, "label_noise", "swing within the noise (its 95% interval contains 0)");
    snprintf(buf, sizeof buf, "Scenario %s (%s), %u replications a point, the same random "
             "streams at each; %.0f days, %.0f warm-up; one assumption moved at a time. "
             "funnelsim %s", s->scenario, s->file, s->reps, s->horizon_days, s->warmup_days,
             FUNNELSIM_VERSION);
    var_str(vars, "footnote", buf);
}

/* ---- the report ------------------------------------------------------------------ */

static void esc(FILE *fp, const char *str)
{
    for (; *str != '\0'; str++) {
        switch (*str) {
        case '&': fputs("&amp;", fp); break;
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '"': fputs("&quot;", fp); break;
        default: fputc(*str, fp);
        }
    }
}

/* The key of rank r (from 1) for metric m, or NULL. */
static const struct plot_sens_key *ranked(const struct plot_sensitivity *s, size_t m,
                                          unsigned r)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->keys[i].e[m].rank == r)
            return &s->keys[i];
    return NULL;
}

void plot_sensitivity_report(FILE *fp, const struct plot_sensitivity *s, char *summary,
                             size_t n)
{
    size_t len = 0;
    summary[0] = '\0';
    for (size_t m = 0; m < s->n_metrics && len + 1 < n; m++) {
        const struct plot_sens_key *top = ranked(s, m, 1);
        if (top == NULL || top->e[m].within)
            continue;
        char sw[128];
        swing_text(sw, sizeof sw, &s->metric[m], &top->e[m]);
        int w = snprintf(summary + len, n - len, "%sThe %s moves most with %s (%s over "
                         "%g to %g).", len ? " " : "", s->metric[m].label, top->label, sw,
                         top->low, top->high);
        if (w > 0)
            len = len + (size_t)w < n ? len + (size_t)w : n - 1;
    }
    fputs("<h3>Sensitivity: which assumptions matter</h3>\n", fp);
    for (size_t m = 0; m < s->n_metrics; m++) {
        const struct plot_sens_metric *pm = &s->metric[m];
        fputs("<table>\n<caption>", fp);
        esc(fp, pm->label);
        fputs("</caption>\n<tr><th>rank</th><th>assumption</th><th>range</th><th>at low"
              "</th><th>at high</th><th>swing (95% interval)</th></tr>\n", fp);
        for (unsigned r = 1; r <= s->n; r++) {
            const struct plot_sens_key *k = ranked(s, m, r);
            if (k == NULL)
                continue;
            const struct plot_sens_effect *e = &k->e[m];
            double f = scale(pm);
            char sw[128];
            swing_text(sw, sizeof sw, pm, e);
            fprintf(fp, "<tr%s><td>%u</td><td>", e->within ? " class=\"noise\"" : "", r);
            esc(fp, k->label);
            fprintf(fp, " <small><code>");
            esc(fp, k->key);
            fprintf(fp, "</code></small></td><td>%g to %g ", k->low, k->high);
            esc(fp, is_share(k->unit) ? "" : k->unit);
            fprintf(fp, "</td><td>%.4g</td><td>%.4g</td><td>", f * e->low.mean,
                    f * e->high.mean);
            esc(fp, sw);
            fputs("</td></tr>\n", fp);
        }
        fputs("</table>\n", fp);
    }
    fputs("<p>Each assumption is moved alone to the low and to the high end of the range "
          "the key table calls plausible, the others kept as in the scenario; every point "
          "runs the same replications on the same random streams, so the swing (the "
          "metric at the high end minus at the low end) is estimated from paired "
          "differences. Shares are in percent, their swings in percentage points. A swing "
          "whose 95% interval contains 0 is within the noise; an assumption the "
          "simulation does not read swings by exactly 0.</p>\n", fp);
}
