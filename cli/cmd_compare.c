/*
 * cmd_compare.c - scenarios side by side, and the seven-measures waterfall.
 *
 * Every scenario (or every step of the waterfall) is one point of a single
 * experiment: all replications of all points share the cores, and point k's
 * replication r uses the same random streams as every other point's, so the
 * differences between columns are not noise between seeds.
 *
 * The waterfall's points are among the 2^k on/off combinations of its k
 * steps, all of which run as one experiment, so that each step's Shapley
 * value comes out per replication.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/scn_doc.h"
#include "models/measure.h"
#include "cli/cli.h"
#include "cli/manifest.h"
#include "cli/output.h"
#include "sim/mem.h"
#include "sim/paired.h"
#include "sim/shapley.h"

#define MAX_POINTS 64
#define MAX_CHANGES 256

struct point {
    struct scn_doc *doc;
    struct scenario scn;
    struct metric_summary summary;
    /* --target-on: the junk rate on its measure, per replication (owned;
     * NaN where undefined), its interval, its paired interval against the
     * best point's, whether within noise of it, and its rank (1: best). */
    double *on_reps;
    struct sim_ci on, on_vs_best;
    bool on_within;
    unsigned on_rank;
    unsigned measure;               /* waterfall: the step's measure */
    const char *changes[MAX_CHANGES];
    size_t n_changes;
};

struct compare {
    struct point *points;
    size_t n;
    bool measures;
    bool by_target;                 /* --target-on given: rank on its measure */
    struct series_target target_on;
    size_t on_best;                 /* the best point on it (lowest junk) */
    struct cli_results res;
    char *paths[MAX_CHANGES];       /* the waterfall's changed paths (owned) */
    size_t n_paths;
    /* Shapley credit: the k players are the waterfall's steps after the
     * baseline (point p is player p - 1); combination `mask` applies the
     * players whose bits are set, and the waterfall's point p is the
     * combination of its first p players. */
    struct scenario *combos;        /* 2^k */
    size_t n_combos;
    struct sim_ci shapley[MEASURE_COUNT + 1];
};

static void compare_free(struct compare *c)
{
    for (size_t i = 0; i < c->n; i++) {
        scn_doc_free(c->points[i].doc);
        free(c->points[i].on_reps);
    }
    for (size_t i = 0; i < c->n_paths; i++)
        free(c->paths[i]);
    free(c->points);
    free(c->combos);
    cli_results_free(&c->res);
}

/* ---- the waterfall ------------------------------------------------------------ */

struct diff_list {
    struct compare *c;
    bool overflow;
};

static void add_path(struct diff_list *d, const char *path)
{
    if (d->c->n_paths == MAX_CHANGES) {
        d->overflow = true;
        return;
    }
    d->c->paths[d->c->n_paths++] = sim_strdup(path);
}

/* "channels[]" for "channels[3]": the path's pattern in the key table. */
static void path_pattern(const char *in, char *out, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; in[i] != '\0' && j + 1 < n; i++) {
        out[j++] = in[i];
        if (in[i] == '[')
            while (in[i + 1] != '\0' && in[i + 1] != ']')
                i++;
    }
    out[j] = '\0';
}

struct children {
    struct diff_list *d;
    const char *path;               /* the object's path, with indices */
    char pattern[SIM_SCHEMA_PATH_MAX];
    size_t len;
    size_t n;
};

static void add_child(void *user, const char *pattern, const struct sim_schema_key *k,
                      const struct sim_schema_obj *parent)
{
    (void)k;
    (void)parent;
    struct children *ch = user;
    const char *rest = pattern + ch->len;
    if (strncmp(pattern, ch->pattern, ch->len) != 0 || rest[0] != '.' ||
        strpbrk(rest + 1, ".[") != NULL)
        return;
    char path[SIM_SCHEMA_PATH_MAX];
    snprintf(path, sizeof path, "%s%s", ch->path, rest);
    add_path(ch->d, path);
    ch->n++;
}

/* A changed path: kept whole when it belongs to one measure, split into
 * its keys when it is an object whose keys belong to several (a
 * `prequalification` object one file leaves out holds measures 2 and 3). */
static void collect_path(void *user, const char *path)
{
    struct diff_list *d = user;
    const struct sim_schema_key *k = keytab_find(path);
    if (measure_of_path(path) == MEASURE_OTHER && k != NULL && k->type == SIM_SCHEMA_OBJECT &&
        k->sub != NULL && k->sub->selector == NULL) {
        struct children ch = {.d = d, .path = path};
        path_pattern(path, ch.pattern, sizeof ch.pattern);
        ch.len = strlen(ch.pattern);
        sim_schema_each(keytab_root(), add_child, &ch);
        if (ch.n > 0)
            return;
    }
    add_path(d, path);
}

/* Two compiled scenarios that run alike: names, the source file and what
 * the results are measured against (report.target_junk) aside. */
static bool same_scenario(const struct scenario *a, const struct scenario *b)
{
    struct scenario *x = sim_calloc(2, sizeof *x);
    memcpy(&x[0], a, sizeof *a);
    memcpy(&x[1], b, sizeof *b);
    memcpy(x[1].source, x[0].source, sizeof x[0].source);
    memcpy(x[1].name, x[0].name, sizeof x[0].name);
    memcpy(x[1].description, x[0].description, sizeof x[0].description);
    x[1].report = x[0].report;
    bool same = memcmp(&x[0], &x[1], sizeof *x) == 0;
    free(x);
    return same;
}

/* Whether copying `path` from `from` into `to` changes what `to` compiles
 * to (a copy that breaks a rule counts as a change). */
static bool path_matters(const struct scn_doc *to, const struct scenario *scn_to,
                         const struct scn_doc *from, const char *path)
{
    struct scn_doc *doc = scn_doc_clone(to);
    struct scenario *s = sim_calloc(1, sizeof *s);
    struct sim_err e = {0};
    bool matters = scn_doc_copy(doc, from, path, &e) != SIM_OK ||
                   scn_doc_compile(doc, s, &e) != SIM_OK || !same_scenario(s, scn_to);
    free(s);
    scn_doc_free(doc);
    return matters;
}

/* Keeps the changed paths that change a compiled scenario: a key left out
 * and the same key written at its default are no change. */
static void keep_real_changes(struct compare *c, const struct scn_doc *base,
                              const struct scenario *scn_base, const struct scn_doc *after,
                              const struct scenario *scn_after)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_paths; i++) {
        if (path_matters(base, scn_base, after, c->paths[i]) ||
            path_matters(after, scn_after, base, c->paths[i]))
            c->paths[n++] = c->paths[i];
        else
            free(c->paths[i]);
    }
    c->n_paths = n;
}

/* "ideal-customer profile + other changes", or "no measure". */
static void combo_label(char *buf, size_t n, const struct compare *c, unsigned mask)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i + 1 < c->n; i++)
        if (mask & (1u << i)) {
            int w = snprintf(buf + len, n - len, "%s%s", len ? " + " : "",
                             measure_name(c->points[i + 1].measure));
            if (w < 0 || (size_t)w >= n - len)
                return;
            len += (size_t)w;
        }
}

/* Every on/off combination of the players, each measure's keys together. */
static int build_combos(struct compare *c, const struct scn_doc *base,
                        const struct scn_doc *after, struct sim_err *err)
{
    size_t k = c->n - 1;
    c->n_combos = (size_t)1 << k;
    c->combos = sim_calloc(c->n_combos, sizeof *c->combos);
    for (unsigned mask = 0; mask < c->n_combos; mask++) {
        struct scn_doc *doc = scn_doc_clone(base);
        struct sim_err e = {0};
        int rc = SIM_OK;
        for (size_t i = 0; i < k && rc == SIM_OK; i++)
            if (mask & (1u << i))
                for (size_t j = 0; j < c->points[i + 1].n_changes && rc == SIM_OK; j++)
                    rc = scn_doc_copy(doc, after, c->points[i + 1].changes[j], &e);
        if (rc == SIM_OK)
            rc = scn_doc_compile(doc, &c->combos[mask], &e);
        scn_doc_free(doc);
        if (rc != SIM_OK) {
            char label[512];
            combo_label(label, sizeof label, c, mask);
            return sim_err_set(err, rc, "compare --measures: %s without the others gives an "
                               "invalid scenario (keys of one measure move together): %s",
                               label, e.msg);
        }
        c->combos[mask].replications = c->points[0].scn.replications;
    }
    return SIM_OK;
}

/* Builds base, base + measure 1, + measure 2, ... (skipping measures that
 * change nothing), ending with any changes outside the seven levers, and
 * every combination of those steps for their Shapley values. */
static int build_waterfall(struct compare *c, const struct cli_opts *o, struct sim_err *err)
{
    struct scn_doc *base = NULL, *after = NULL;
    struct scenario scn_base, scn_after;
    int rc = cli_load(o, o->args[0], &base, &scn_base, err);
    if (rc == SIM_OK)
        rc = cli_load(o, o->args[1], &after, &scn_after, err);
    struct diff_list d = {.c = c};
    if (rc == SIM_OK)
        scn_doc_diff(base, after, collect_path, &d);
    if (rc == SIM_OK && d.overflow)
        rc = sim_err_set(err, SIM_ERR_INPUT, "compare --measures: more than %d differences",
                         MAX_CHANGES);
    if (rc == SIM_OK)
        keep_real_changes(c, base, &scn_base, after, &scn_after);
    if (rc == SIM_OK && c->n_paths == 0)
        rc = sim_err_set(err, SIM_ERR_INPUT, "compare --measures: %s and %s do not differ",
                         o->args[0], o->args[1]);
    if (rc != SIM_OK) {
        scn_doc_free(base);
        scn_doc_free(after);
        return rc;
    }
    c->points = sim_calloc(MEASURE_COUNT + 2, sizeof *c->points);
    c->points[0].doc = base;
    c->points[0].scn = scn_base;
    c->n = 1;
    /* Measures 1..7 in order, then the others (MEASURE_OTHER is 0). */
    for (unsigned step = 1; step <= MEASURE_COUNT + 1 && rc == SIM_OK; step++) {
        unsigned m = step % (MEASURE_COUNT + 1);
        struct point *p = &c->points[c->n];
        for (size_t i = 0; i < c->n_paths; i++)
            if (measure_of_path(c->paths[i]) == m)
                p->changes[p->n_changes++] = c->paths[i];
        if (p->n_changes == 0)
            continue;
        p->measure = m;
        p->doc = scn_doc_clone(c->points[c->n - 1].doc);
        c->n++;
        for (size_t i = 0; i < p->n_changes && rc == SIM_OK; i++)
            rc = scn_doc_copy(p->doc, after, p->changes[i], err);
        if (rc == SIM_OK)
            rc = scn_doc_compile(p->doc, &p->scn, err);
        if (rc != SIM_OK)
            sim_err_set(err, rc, "compare --measures: the step \"%s\" gives an invalid "
                        "scenario (each measure must stand on its own)", measure_name(m));
    }
    if (rc == SIM_OK) {
        /* The last step is AFTER itself, so it carries its name. */
        struct point *last = &c->points[c->n - 1];
        last->scn = scn_after;
        rc = build_combos(c, base, after, err);
    }
    scn_doc_free(after);
    return rc;
}

/* ---- Shapley values ------------------------------------------------------------ */

/* Each step's Shapley value on the junk rate, per replication (common
 * random numbers: replication r has the same streams in every
 * combination), so the interval is a t-interval over replications and the
 * values add up to the total change in each. */
static void shapley(struct compare *c)
{
    size_t k = c->n - 1, reps = c->res.reps;
    double *phi = sim_calloc(k * reps, sizeof *phi);
    sim_shapley(k, reps, c->res.metrics + METRIC_JUNK_RATE, METRIC_COUNT, phi);
    for (size_t i = 0; i < k; i++)
        sim_stats_ci(phi + i * reps, 1, reps, 0.95, &c->shapley[i]);
    free(phi);
}

/* ---- output ------------------------------------------------------------------- */

static struct capacity_load point_load(const struct compare *c, size_t p)
{
    return capacity_load_of(&c->points[p].scn, &c->points[p].summary);
}

static const enum metric_id table_rows[] = {
    METRIC_JUNK_RATE, METRIC_JUNK_BAD_FIT, METRIC_JUNK_THEORIST, METRIC_JUNK_UNREACHABLE,
    METRIC_JUNK_WENT_COLD, METRIC_JUNK_MISJUDGED, METRIC_JUNK_ABANDONED, METRIC_LOST_RATE,
    METRIC_HELD_BACK_RATE, METRIC_PROB_WAIT, METRIC_WAIT_MEAN, METRIC_UTILIZATION,
    METRIC_HANDED_PER_WEEK, METRIC_QUALIFIED, METRIC_DEALS, METRIC_REVENUE,
    METRIC_MARKETING_SPEND, METRIC_TEAM_COST, METRIC_PROFIT, METRIC_COST_PER_DEAL,
    METRIC_WASTED_SPEND,
};

/* "12.3% ±0.4", "3.1 h ±0.2", "120 ±5": the mean and the half-width of
 * its interval, in the unit's style. */
static void cell(char *buf, size_t n, const struct sim_ci *ci, const char *unit)
{
    bool share = strcmp(unit, "share") == 0;
    double k = share ? 100.0 : 1.0;
    char mean[32];
    if (share)
        metric_fmt_share(mean, sizeof mean, ci->mean);
    else
        snprintf(mean, sizeof mean, strcmp(unit, "hours") == 0 ? "%.1f h" : "%.0f", ci->mean);
    if (!isfinite(ci->mean))
        snprintf(buf, n, "-");
    else if (isfinite(ci->hi))
        snprintf(buf, n, "%s ±%.*f", mean, share || strcmp(unit, "hours") == 0 ? 1 : 0,
                 k * (ci->hi - ci->mean));
    else
        snprintf(buf, n, "%s", mean);
}

static void print_side_by_side(FILE *fp, const struct compare *c)
{
    int width = 18;
    for (size_t p = 0; p < c->n; p++)
        if ((int)strlen(c->points[p].scn.name) + 2 > width)
            width = (int)strlen(c->points[p].scn.name) + 2;
    fprintf(fp, "%zu scenarios, %zu replications each, seed %llu (the same random streams in every column)\n\n",
            c->n, c->points[0].summary.replications, (unsigned long long)c->points[0].scn.seed);
    fprintf(fp, "%-28s", "");
    for (size_t p = 0; p < c->n; p++)
        fprintf(fp, "%*s", width, c->points[p].scn.name);
    fputc('\n', fp);
    for (size_t r = 0; r < sizeof table_rows / sizeof table_rows[0]; r++) {
        enum metric_id id = table_rows[r];
        bool reason = id >= METRIC_JUNK_BAD_FIT && id <= METRIC_JUNK_ABANDONED;
        fprintf(fp, "%s%-*s", reason ? "  " : "", reason ? 26 : 28, metric_descs[id].label);
        for (size_t p = 0; p < c->n; p++) {
            char buf[48];
            cell(buf, sizeof buf, &c->points[p].summary.ci[id], metric_descs[id].unit);
            fprintf(fp, "%*s", width, buf);
        }
        fputc('\n', fp);
    }
    fprintf(fp, "%-28s", "capacity / week (nominal)");
    for (size_t p = 0; p < c->n; p++)
        fprintf(fp, "%*.0f", width, point_load(c, p).capacity);
    fprintf(fp, "\n%-28s", "load (offered / capacity)");
    for (size_t p = 0; p < c->n; p++)
        fprintf(fp, "%*.2f", width, point_load(c, p).ratio);
    fputs("\n\n± is the half-width of the 95% confidence interval.\n", fp);
}

/* ---- --target-on: the scenarios ranked on its measure ------------------------- */

/* Each point's junk rate on --target-on's measure per replication (the
 * metric for the average, cli_target_on_reps() for a week or a window, as
 * size and sweep test the target), and the ranking: the lowest mean is the
 * best, and each point's paired interval against it (common random
 * numbers: replication r shares its streams in every scenario) says
 * whether it is within noise of the best (sim/paired.h). */
static void rank_on_target(struct compare *c, const struct cli_opts *o)
{
    size_t reps = c->res.reps;
    double **neg = sim_calloc(c->n, sizeof *neg);
    for (size_t p = 0; p < c->n; p++) {
        struct point *pt = &c->points[p];
        if (c->target_on.kind == SERIES_TARGET_AVERAGE) {
            pt->on_reps = sim_reallocarray(NULL, reps, sizeof *pt->on_reps);
            for (size_t r = 0; r < reps; r++)
                pt->on_reps[r] = c->res.done[p * reps + r]
                                     ? c->res.metrics[(p * reps + r) * METRIC_COUNT +
                                                      METRIC_JUNK_RATE]
                                     : NAN;
            pt->on = pt->summary.ci[METRIC_JUNK_RATE];
        } else {
            pt->on_reps = cli_target_on_reps(o, &c->res, p, &pt->scn, &pt->on);
        }
        neg[p] = sim_reallocarray(NULL, reps, sizeof *neg[p]);
        for (size_t r = 0; r < reps; r++)
            neg[p][r] = -pt->on_reps[r];
    }
    struct sim_ci *diff = sim_calloc(c->n, sizeof *diff);
    bool *within = sim_calloc(c->n, sizeof *within);
    c->on_best = sim_paired_best((const double *const *)neg, c->n, reps, NULL, 0.95, diff,
                                 within);
    for (size_t p = 0; p < c->n; p++) {
        struct point *pt = &c->points[p];
        pt->on_within = within[p];
        /* best - p of the negated values: p - best of the junk rates. */
        pt->on_vs_best = diff[p];
        pt->on_rank = 1;
        for (size_t q = 0; q < c->n; q++)
            pt->on_rank += c->points[q].on.mean < pt->on.mean;
        free(neg[p]);
    }
    free(neg);
    free(diff);
    free(within);
}

static void print_target_ranking(FILE *fp, const struct compare *c)
{
    char name[64];
    fprintf(fp, "\nJunk rate on --target-on %s (%s),\nlowest first; against the best, "
                "paired replication by replication:\n",
            cli_target_on_name(&c->target_on, name, sizeof name),
            c->target_on.kind == SERIES_TARGET_WORST_WEEK
                ? "each replication's worst complete week"
            : c->target_on.kind == SERIES_TARGET_WINDOW
                ? "the cohorts of the weeks overlapping the window"
                : "the measured window's average");
    for (unsigned rank = 1; rank <= c->n; rank++)
        for (size_t p = 0; p < c->n; p++) {
            const struct point *pt = &c->points[p];
            if (pt->on_rank != rank)
                continue;
            char junk[48], vs[64];
            cell(junk, sizeof junk, &pt->on, "share");
            if (p == c->on_best)
                snprintf(vs, sizeof vs, "best");
            else if (isfinite(pt->on_vs_best.lo))
                snprintf(vs, sizeof vs, "%+.1f pts (95%% CI %+.1f to %+.1f): %s",
                         100 * pt->on_vs_best.mean, 100 * pt->on_vs_best.lo,
                         100 * pt->on_vs_best.hi,
                         pt->on_within ? "within noise of the best" : "worse");
            else
                snprintf(vs, sizeof vs, "-");
            fprintf(fp, "  %u. %-26s %18s   %s\n", rank, pt->scn.name, junk, vs);
        }
    if (c->target_on.kind != SERIES_TARGET_AVERAGE && c->n > 0) {
        double t = c->points[0].scn.report.target_junk;
        fprintf(fp, "Target %.0f%%: ", 100 * t);
        bool any = false;
        for (size_t p = 0; p < c->n; p++)
            if (c->points[p].on.hi <= t) {
                fprintf(fp, "%s%s", any ? ", " : "", c->points[p].scn.name);
                any = true;
            }
        fprintf(fp, "%s\n", any ? " meet it on this measure (upper bound at or under it)"
                                 : "no scenario meets it on this measure");
    }
}

static const char *step_name(const struct compare *c, size_t p)
{
    if (p == 0)
        return "baseline";
    return measure_name(c->points[p].measure);
}

static void print_waterfall(FILE *fp, const struct compare *c)
{
    const struct point *first = &c->points[0], *last = &c->points[c->n - 1];
    fprintf(fp, "The seven measures, one at a time: %s -> %s\n", first->scn.name, last->scn.name);
    fprintf(fp, "%zu replications, seed %llu; each step keeps the previous ones\n\n",
            first->summary.replications, (unsigned long long)first->scn.seed);
    fprintf(fp, "%-34s %18s %10s %16s %10s %10s %10s %12s\n", "step", "junk rate", "change",
            "Shapley", "lost", "held back", "deals", "profit");
    for (size_t p = 0; p < c->n; p++) {
        const struct metric_summary *s = &c->points[p].summary;
        char label[64], junk[48], change[24] = "", credit[48] = "";
        measure_step_label(label, sizeof label, c->points[p].measure, step_name(c, p));
        cell(junk, sizeof junk, &s->ci[METRIC_JUNK_RATE], "share");
        if (p > 0) {
            const struct sim_ci *v = &c->shapley[p - 1];
            snprintf(change, sizeof change, "%+.1f pts",
                     100.0 * (s->ci[METRIC_JUNK_RATE].mean -
                              c->points[p - 1].summary.ci[METRIC_JUNK_RATE].mean));
            if (isfinite(v->hi))
                snprintf(credit, sizeof credit, "%+.1f ±%.1f pts", 100.0 * v->mean,
                         100.0 * (v->hi - v->mean));
            else
                snprintf(credit, sizeof credit, "%+.1f pts", 100.0 * v->mean);
        }
        fprintf(fp, "%-34s %18s %10s %16s %9.1f%% %9.1f%% %10.0f %12.0f\n", label, junk,
                change, credit, 100.0 * s->ci[METRIC_LOST_RATE].mean,
                100.0 * s->ci[METRIC_HELD_BACK_RATE].mean, s->ci[METRIC_DEALS].mean,
                s->ci[METRIC_PROFIT].mean);
        for (size_t i = 0; i < c->points[p].n_changes; i++)
            fprintf(fp, "%-6s%s\n", "", c->points[p].changes[i]);
    }
    fprintf(fp, "\nJunk rate %.1f%% -> %.1f%%.", 100.0 * first->summary.ci[METRIC_JUNK_RATE].mean,
            100.0 * last->summary.ci[METRIC_JUNK_RATE].mean);
    if (last->measure == MEASURE_OTHER)
        fputs("  Some changes are none of the seven levers: they form the last step.", fp);
    fprintf(fp, "\nThe change is a step's effect after the steps above it, so it depends on the "
            "order;\nthe Shapley value is its effect averaged over every order of the steps "
            "(all %zu\ncombinations run), and the values add up to the total change.\n",
            c->n_combos);
    fputs("± is the half-width of the 95% confidence interval.\n", fp);
}

static cJSON *to_json(const struct compare *c, const struct cli_opts *o)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "replications", (double)c->points[0].summary.replications);
    out_json_u64(root, "seed", c->points[0].scn.seed);
    /* The first scenario's target (every scenario's, with --target-junk),
     * and the overrides every scenario ran with, labelled in the first. */
    manifest_settings_json(root, c->points[0].doc, c->points[0].scn.report.target_junk,
                           o->sets, o->n_sets);
    if (c->measures) {
        cJSON_AddStringToObject(root, "base", c->points[0].scn.name);
        cJSON_AddStringToObject(root, "after", c->points[c->n - 1].scn.name);
    }
    if (c->by_target) {
        char name[64];
        cJSON_AddStringToObject(root, "target_on",
                                cli_target_on_name(&c->target_on, name, sizeof name));
    }
    cJSON *list = cJSON_AddArrayToObject(root, c->measures ? "steps" : "scenarios");
    for (size_t p = 0; p < c->n; p++) {
        const struct point *pt = &c->points[p];
        cJSON *item = c->measures ? cJSON_CreateObject() : out_result_json(&pt->scn, &pt->summary);
        if (c->measures) {
            cJSON_AddNumberToObject(item, "step", (double)p);
            if (p == 0)
                cJSON_AddNullToObject(item, "measure");
            else
                cJSON_AddNumberToObject(item, "measure", pt->measure);
            cJSON_AddStringToObject(item, "name", step_name(c, p));
            cJSON *changes = cJSON_AddArrayToObject(item, "changes");
            for (size_t i = 0; i < pt->n_changes; i++)
                cJSON_AddItemToArray(changes, cJSON_CreateString(pt->changes[i]));
            if (p == 0)
                cJSON_AddNullToObject(item, "delta");
            else
                cJSON_AddNumberToObject(item, "delta",
                                        pt->summary.ci[METRIC_JUNK_RATE].mean -
                                            c->points[p - 1].summary.ci[METRIC_JUNK_RATE].mean);
            if (p == 0) {
                cJSON_AddNullToObject(item, "shapley");
            } else {
                const struct sim_ci *v = &c->shapley[p - 1];
                cJSON *sh = cJSON_AddObjectToObject(item, "shapley");
                cJSON_AddNumberToObject(sh, "mean", v->mean);
                if (isfinite(v->lo)) {
                    cJSON_AddNumberToObject(sh, "lo", v->lo);
                    cJSON_AddNumberToObject(sh, "hi", v->hi);
                } else {
                    cJSON_AddNullToObject(sh, "lo");
                    cJSON_AddNullToObject(sh, "hi");
                }
            }
            struct capacity_load load = point_load(c, p);
            out_load_json(item, &load);
            out_metrics_json(item, &pt->summary);
            cJSON_AddBoolToObject(item, "over_capacity", load.over);
        }
        if (c->by_target) {
            cJSON_AddItemToObject(item, "target_junk_rate", out_ci_json(&pt->on));
            cJSON_AddNumberToObject(item, "target_rank", pt->on_rank);
            cJSON_AddItemToObject(item, "target_vs_best", out_ci_json(&pt->on_vs_best));
            cJSON_AddBoolToObject(item, "within_noise_of_best", pt->on_within);
        }
        cJSON_AddItemToArray(list, item);
    }
    return root;
}

/* The table: the waterfall's steps, or the scenarios side by side. */
static void compare_table(FILE *fp, const void *self)
{
    const struct compare *c = self;
    if (c->measures) {
        print_waterfall(fp, c);
    } else {
        print_side_by_side(fp, c);
        if (c->by_target)
            print_target_ranking(fp, c);
    }
}

static void compare_csv(FILE *fp, const void *self)
{
    const struct compare *c = self;
    struct sim_csv w = sim_csv_on(fp);
    if (c->measures) {
        sim_csv_text(&w, "step");
        sim_csv_text(&w, "measure");
        sim_csv_text(&w, "name");
    } else {
        sim_csv_text(&w, "scenario");
    }
    out_metric_csv_header(&w);
    if (c->measures) {
        sim_csv_text(&w, "change");
        sim_csv_text(&w, "shapley");
        sim_csv_text(&w, "shapley_lo");
        sim_csv_text(&w, "shapley_hi");
    }
    sim_csv_end(&w);
    for (size_t p = 0; p < c->n; p++) {
        if (c->measures) {
            sim_csv_uint(&w, p);
            if (p > 0)
                sim_csv_uint(&w, c->points[p].measure);
            else
                sim_csv_empty(&w);
            sim_csv_text(&w, step_name(c, p));
        } else {
            sim_csv_text(&w, c->points[p].scn.name);
        }
        out_metric_csv_values(&w, &c->points[p].summary);
        if (c->measures && p == 0) {
            for (int i = 0; i < 4; i++)
                sim_csv_empty(&w);
        } else if (c->measures) {
            const struct sim_ci *v = &c->shapley[p - 1];
            sim_csv_number(&w, c->points[p].summary.ci[METRIC_JUNK_RATE].mean -
                                   c->points[p - 1].summary.ci[METRIC_JUNK_RATE].mean);
            sim_csv_number(&w, v->mean);
            sim_csv_number(&w, v->lo);
            sim_csv_number(&w, v->hi);
        }
        sim_csv_end(&w);
    }
}

/* ---- the command -------------------------------------------------------------- */

static int load_scenarios(struct compare *c, const struct cli_opts *o, struct sim_err *err)
{
    if (o->n_args > MAX_POINTS)
        return sim_err_set(err, SIM_ERR_INPUT, "compare: at most %d scenarios", MAX_POINTS);
    c->points = sim_calloc(o->n_args, sizeof *c->points);
    unsigned reps = 0;
    for (size_t i = 0; i < o->n_args; i++) {
        int rc = cli_load(o, o->args[i], &c->points[i].doc, &c->points[i].scn, err);
        c->n = i + 1;
        if (rc != SIM_OK)
            return rc;
        if (c->points[i].scn.replications > reps)
            reps = c->points[i].scn.replications;
    }
    /* One experiment needs one number of replications: the largest. */
    for (size_t i = 0; i < c->n; i++)
        c->points[i].scn.replications = reps;
    return SIM_OK;
}

static int compare(const struct cli_command *cmd, struct cli_opts *o)
{
    struct sim_err err = {0};
    struct compare c = {.measures = o->measures, .by_target = o->given[OPT_TARGET_ON],
                        .target_on = o->target_on};
    cJSON *json = NULL;
    int rc;
    if (o->measures && c.by_target)
        rc = sim_err_set(&err, SIM_ERR_INPUT, "compare --measures: --target-on is for scenarios "
                         "side by side (the waterfall's steps and Shapley values are on the "
                         "average)");
    else if (o->measures && o->n_args != 2)
        rc = sim_err_set(&err, SIM_ERR_INPUT, "compare --measures: needs exactly two scenarios, "
                         "BASE and AFTER (got %zu)", o->n_args);
    else if (o->n_args == 0)
        rc = sim_err_set(&err, SIM_ERR_INPUT, "compare: needs at least one SCENARIO file");
    else
        rc = o->measures ? build_waterfall(&c, o, &err) : load_scenarios(&c, o, &err);
    if (rc == SIM_OK && o->out != NULL)
        rc = out_prepare_dir(o, &err);
    if (rc != SIM_OK)
        goto done;

    cli_signals();
    /* The waterfall runs every combination of its steps; its points are
     * among them. */
    size_t n_runs = c.measures ? c.n_combos : c.n;
    const struct scenario **scns = sim_calloc(n_runs, sizeof *scns);
    for (size_t p = 0; p < c.n; p++)
        c.points[p].scn.replications = c.points[0].scn.replications;
    for (size_t p = 0; p < n_runs; p++)
        scns[p] = c.measures ? &c.combos[p] : &c.points[p].scn;
    bool by_week = c.by_target && c.target_on.kind != SERIES_TARGET_AVERAGE;
    if (by_week)
        rc = cli_target_on_check("compare", &c.target_on, scns, n_runs, &err);
    if (rc == SIM_OK)
        rc = cli_simulate(o, scns, n_runs, by_week ? CLI_WANT_SERIES : 0, &c.res, &err);
    free(scns);
    if (rc != SIM_OK)
        goto done;
    cli_timing(o, &c.res);
    if (c.res.interrupted) {
        fprintf(stderr, "funnelsim: interrupted: nothing written\n");
        rc = CLI_EXIT_INTERRUPTED;
        goto done;
    }
    for (size_t p = 0; p < c.n; p++)
        cli_summarise(&c.res, c.measures ? ((size_t)1 << p) - 1 : p, &c.points[p].summary);
    if (c.measures)
        shapley(&c);
    if (c.by_target)
        rank_on_target(&c, o);
    json = to_json(&c, o);
    struct out_doc out = {
        .stem = c.measures ? "measures" : "compare", .json = json, .self = &c,
        .csv = compare_csv, .table = compare_table, .plot = o->plot,
    };
    rc = out_emit(o, &out, &err);
done:
    cJSON_Delete(json);
    compare_free(&c);
    return cli_finish(cmd, rc, &err);
}

const struct cli_command cmd_compare = {
    .name = "compare",
    .usage = "SCENARIO... [options] | --measures BASE AFTER [options]",
    .summary = "Run scenarios side by side, or explain the difference between two as a\n"
               "waterfall of the seven measures.",
    .help = "Every scenario runs with the same seed and random streams, so the columns\n"
            "differ by what the scenarios change, not by chance.  --set applies to every\n"
            "scenario; they all run the largest number of replications among them.\n"
            "\n"
            "--measures BASE AFTER applies the differences from BASE to AFTER one measure\n"
            "at a time, in the order of the seven measures (ideal-customer profile,\n"
            "seven-indicator check, theorists to nurture, volume matched to capacity,\n"
            "first-contact training, transparent distribution, management control), and\n"
            "reports the junk rate after each step.  Changes to other keys form a last\n"
            "step, \"other changes\".  Changes are read from the compiled scenarios: a\n"
            "key left out and the same key written at its default are no change.\n"
            "Since a step's change depends on the order, it also runs every on/off\n"
            "combination of the steps and gives each its Shapley value: its effect on\n"
            "the junk rate averaged over all orders (the values add up to the total).\n"
            "\n"
            "With --out DIR it writes compare.json and compare.csv (or measures.json and\n"
            "measures.csv).  With --plot it then draws the charts of DIR (the waterfall\n"
            "needs --measures) and writes DIR/report.html, as 'funnelsim plot DIR' does;\n"
            "--target-junk SHARE sets every scenario's report.target_junk, their target.\n"
            "--target-on average|worst-week|window:FROM..TO ranks the scenarios on the\n"
            "junk rate on that measure (each replication's worst complete week, or the\n"
            "weeks overlapping days FROM..TO, as size and sweep test the target), lowest\n"
            "first, each against the best paired replication by replication (within\n"
            "noise or worse), and says which meet the target on it; compare.json has\n"
            "target_on and each scenario's target_junk_rate, target_rank,\n"
            "target_vs_best and within_noise_of_best.  Not with --measures.\n"
            "\nExamples:\n"
            "  funnelsim compare scenarios/article-baseline.json scenarios/healthy.json\n"
            "  funnelsim compare --measures scenarios/article-baseline.json \\\n"
            "                               scenarios/article-seven-measures.json\n",
    .options = OPTS_RUNNING | OPT_BIT(OPT_PLOT) | OPT_BIT(OPT_MEASURES) |
               OPT_BIT(OPT_TARGET_JUNK) | OPT_BIT(OPT_TARGET_ON),
    .run = compare,
};
