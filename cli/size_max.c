/* SPDX-License-Identifier: MIT */
/*
 * size_max.c - `funnelsim size --maximize profit|deals`: the value of one
 * field with the largest mean profit (or deals won), and the values within
 * noise of it, alone or among the values meeting --target-junk.
 *
 * The search has the shape of the junk target's (cmd_size.c), and starts
 * from its runs: the scan at --steps values in one experiment (common
 * random numbers: replication r sees the same streams at every value) and,
 * with --target-junk, the refinement of the feasible set's edges.  Here a
 * value's status is "within noise of the best" or not (significantly
 * worse, or failing the target), read from the paired difference to the
 * best over the same replications (sim/paired.h); every adjacent pair of
 * runs whose status differs, and the gaps either side of the best, are
 * bisected down to whole numbers (a thousandth of the range for other
 * fields), wherever they lie.  Nothing
 * assumes the curve is monotone or has one peak, and nothing is read from
 * the range's ends alone: every scanned value is a candidate.
 *
 * Then the best and its rivals (the values within noise of it), with every
 * value tried between them, are rerun together, with doubled replications
 * up to --max-reps (replication r keeps its streams), while more than one
 * rival remains; a value shown to be significantly worse outside their
 * span drops out.  The flat region is what remains: from
 * its smallest to its largest value, one stretch when no value tried
 * between them is outside it.
 *
 * The report names the field by its key-table label, never by its path.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/size.h"
#include "cli/output.h"
#include "models/keytab.h"
#include "models/scn_doc.h"
#include "sim/csv.h"
#include "sim/mem.h"

/* Refinement runs at most; each is one value at the scan's replications. */
#define MAX_REFINE 64

/* The level of "within noise of the best". */
#define FLAT_LEVEL 0.95

static int by_x(const void *a, const void *b)
{
    double x = ((const struct size_run *)a)->x, y = ((const struct size_run *)b)->x;
    return (x > y) - (x < y);
}

/* The best of runs[0..n) (all with the same replications) and, on every
 * run, its paired difference to it and whether it is within noise.
 * Returns the best's index, or n when no run meets the target. */
static size_t read_flat(const struct size_ctx *c, struct size_run *runs, size_t n)
{
    const double **y = sim_calloc(n ? n : 1, sizeof *y);
    bool *cand = sim_calloc(n ? n : 1, sizeof *cand);
    bool *within = sim_calloc(n ? n : 1, sizeof *within);
    struct sim_ci *diff = sim_calloc(n ? n : 1, sizeof *diff);
    for (size_t i = 0; i < n; i++) {
        y[i] = runs[i].per_rep_obj;
        cand[i] = size_admissible(c, &runs[i]);
    }
    size_t best = sim_paired_best(y, n, n ? runs[0].reps : 0, cand, FLAT_LEVEL, diff, within);
    for (size_t i = 0; i < n; i++) {
        runs[i].vs_best = diff[i];
        runs[i].within = within[i];
    }
    free(y);
    free(cand);
    free(within);
    free(diff);
    return best;
}

/* Bisects every adjacent pair of runs whose status differs, and the gaps
 * either side of the best, until each is a whole number (or a thousandth
 * of the range) wide. */
static int refine(struct size_ctx *c, struct sim_err *err)
{
    double tol = c->integer ? 1 : (c->hi - c->lo) / 1000;
    for (unsigned it = 0; it <= MAX_REFINE; it++) {
        qsort(c->runs, c->n_runs, sizeof c->runs[0], by_x);
        size_t best = read_flat(c, c->runs, c->n_runs);
        if (best == c->n_runs || it == MAX_REFINE)
            return SIM_OK;
        double mid = NAN;
        for (size_t i = 0; i + 1 < c->n_runs && isnan(mid); i++) {
            double a = c->runs[i].x, b = c->runs[i + 1].x;
            bool changes = c->runs[i].within != c->runs[i + 1].within;
            if ((changes || i == best || i + 1 == best) && b - a > tol)
                mid = c->integer ? floor((a + b) / 2) : (a + b) / 2;
        }
        if (isnan(mid))
            return SIM_OK;
        int rc;
        if (size_eval(c, mid, &rc, err) == NULL)
            return rc;
        c->max.n_refined++;
    }
    return SIM_OK;
}

static void free_runs(struct size_run *runs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        size_run_free(&runs[i]);
    free(runs);
}

static double *dup_array(const double *y, unsigned n)
{
    if (y == NULL)
        return NULL;
    double *d = sim_reallocarray(NULL, n, sizeof *d);
    memcpy(d, y, n * sizeof *d);
    return d;
}

void size_max_free(struct size_ctx *c)
{
    free_runs(c->max.final, c->max.n_final);
    c->max.final = NULL;
    c->max.n_final = 0;
}

/* Where the flat region lies, whether it is one stretch, whether the best
 * is at an end of the range and whether the junk target binds there. */
static void describe(struct size_ctx *c)
{
    struct size_max *m = &c->max;
    const struct size_run *best = &m->final[m->i_best];
    m->best = best->x;
    m->flat_from = INFINITY;
    m->flat_to = -INFINITY;
    m->n_flat = 0;
    for (size_t i = 0; i < m->n_final; i++)
        if (m->final[i].within) {
            m->flat_from = fmin(m->flat_from, m->final[i].x);
            m->flat_to = fmax(m->flat_to, m->final[i].x);
            m->n_flat++;
        }
    /* Outside between its ends: a value that dropped out at some stage,
     * or one of the last stage shown significantly worse. */
    m->gap = NAN;
    for (size_t i = 0; i < c->n_runs && isnan(m->gap); i++) {
        double x = c->runs[i].x;
        if (!(m->flat_from < x && x < m->flat_to))
            continue;
        bool in = false;
        for (size_t k = 0; k < m->n_final; k++)
            in = in || (m->final[k].x == x && m->final[k].within);
        if (!in)
            m->gap = x;
    }
    m->contiguous = isnan(m->gap);
    m->at_end = m->best == c->lo ? -1 : m->best == c->hi ? 1 : 0;
    /* The target binds when a neighbour of the best among the runs fails
     * it with a higher mean (both at the scan's replications). */
    m->binds = false;
    for (size_t i = 0; i < c->n_runs && c->constrained; i++) {
        if (c->runs[i].x != m->best)
            continue;
        for (int d = -1; d <= 1; d += 2) {
            size_t j = i + (size_t)(ptrdiff_t)d;
            if (j < c->n_runs && !size_admissible(c, &c->runs[j]) &&
                c->runs[j].obj.mean > c->runs[i].obj.mean)
                m->binds = true;
        }
    }
    c->answer = m->best;
    c->at = *best;
    c->at.per_rep = c->at.per_rep_obj = NULL;   /* final[] keeps its own */
}

int size_max_search(struct size_ctx *c, struct sim_err *err)
{
    struct size_max *m = &c->max;
    m->best = m->scan_best = m->flat_from = m->flat_to = m->gap = NAN;
    int rc = refine(c, err);
    if (rc != SIM_OK)
        return rc;
    size_t n = c->n_runs;
    size_t b = read_flat(c, c->runs, n);
    m->scan_best = b < n ? c->runs[b].x : NAN;
    if (b == n) {
        c->status = SIZE_NOT_REACHABLE;
        return SIM_OK;
    }
    /* The first stage: the best and its rivals as the scan saw them. */
    m->final = sim_calloc(n, sizeof *m->final);
    for (size_t i = 0; i < n; i++) {
        if (!c->runs[i].within)
            continue;
        struct size_run *f = &m->final[m->n_final++];
        *f = c->runs[i];
        f->per_rep = dup_array(c->runs[i].per_rep, f->reps);
        f->per_rep_obj = dup_array(c->runs[i].per_rep_obj, f->reps);
    }
    m->final_reps = c->reps;
    m->i_best = read_flat(c, m->final, m->n_final);
    /* Rerun the rivals with doubled replications while more than one
     * remains. */
    double *xs = sim_calloc(n, sizeof *xs);
    size_t nx = m->n_final;
    unsigned reps = c->reps;
    while (nx > 1 && reps <= c->max_reps / 2) {
        /* Every value tried between the rivals' ends goes too, so that a
         * gap in the region is only claimed at the last replications. */
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < m->n_final; i++)
            if (m->final[i].within) {
                lo = fmin(lo, m->final[i].x);
                hi = fmax(hi, m->final[i].x);
            }
        nx = 0;
        for (size_t i = 0; i < n; i++)
            if (lo <= c->runs[i].x && c->runs[i].x <= hi)
                xs[nx++] = c->runs[i].x;
        if (nx <= 1)
            break;
        reps *= 2;
        struct size_run *fresh = sim_calloc(nx, sizeof *fresh);
        rc = size_simulate(c, xs, nx, reps, false, fresh, err);
        if (rc != SIM_OK) {
            free_runs(fresh, nx);
            free(xs);
            return rc;
        }
        if (read_flat(c, fresh, nx) == nx) {
            /* Every rival fails the target with more replications: the
             * last stage that had a best stands. */
            free_runs(fresh, nx);
            break;
        }
        size_max_free(c);
        m->final = fresh;
        m->n_final = nx;
        m->final_reps = reps;
        m->i_best = read_flat(c, m->final, m->n_final);
        nx = 0;
        for (size_t i = 0; i < m->n_final; i++)
            nx += m->final[i].within;
    }
    free(xs);
    describe(c);
    c->status = SIZE_OK;
    return SIM_OK;
}

/* ---- words ----------------------------------------------------------------- */

/* The metric's value for people: money to the unit, deals to a tenth. */
static void fmt_metric(const struct size_ctx *c, char *buf, size_t n, double v)
{
    if (!isfinite(v))
        snprintf(buf, n, "-");
    else if (c->max.metric == METRIC_PROFIT)
        snprintf(buf, n, "%.0f", v);
    else
        snprintf(buf, n, "%.1f", v);
}

/* "5602823 (95% CI 5473939 to 5731708)"; without "95% CI " when short. */
static void metric_ci_text(const struct size_ctx *c, char *buf, size_t n,
                           const struct sim_ci *ci, bool short_form)
{
    char m[32], lo[32], hi[32];
    fmt_metric(c, m, sizeof m, ci->mean);
    if (!isfinite(ci->lo)) {
        snprintf(buf, n, "%s", m);
        return;
    }
    fmt_metric(c, lo, sizeof lo, ci->lo);
    fmt_metric(c, hi, sizeof hi, ci->hi);
    snprintf(buf, n, "%s (%s%s to %s)", m, short_form ? "" : "95% CI ", lo, hi);
}

static const char *metric_words(const struct size_ctx *c)
{
    return c->max.metric == METRIC_PROFIT ? "profit" : "number of deals won";
}

/* Why a value between the region's ends is outside it, at the last
 * replications that ran it. */
static const char *gap_reason(const struct size_ctx *c, double x)
{
    const struct size_run *r = NULL;
    for (size_t i = 0; i < c->n_runs; i++)
        if (c->runs[i].x == x)
            r = &c->runs[i];
    for (size_t i = 0; i < c->max.n_final; i++)
        if (c->max.final[i].x == x)
            r = &c->max.final[i];
    return r != NULL && !size_admissible(c, r) ? "fails the junk target"
                                               : "is significantly worse";
}

void size_max_table(FILE *fp, const void *self)
{
    const struct size_ctx *c = self;
    const struct size_max *m = &c->max;
    char label[160], lo[32], hi[32], t[16], v[32], a[200], ci[96], j[64], l[64];
    char para[1600], more[600];
    scn_doc_label(c->doc, c->path, label, sizeof label);
    size_fmt_x(lo, sizeof lo, c->lo, c->integer);
    size_fmt_x(hi, sizeof hi, c->hi, c->integer);
    t[0] = '\0';
    if (c->constrained)
        metric_fmt_target(t, sizeof t, c->o->target_junk);
    fprintf(fp, "%s: the largest %s over %s%s%s\n", c->base.name, metric_words(c), label,
            c->constrained ? ", junk rate at or under " : "", t);
    char refined[96];
    if (m->n_refined > 0)
        snprintf(refined, sizeof refined, "then %zu more next to the best and where being "
                 "within noise of it changes", m->n_refined);
    else
        snprintf(refined, sizeof refined, "with no gap to refine");
    snprintf(para, sizeof para, "scanned %zu values from %s to %s%s%s%s, %s; %u replications "
             "per run, the best and its rivals rerun with up to %u; seed %llu", c->n_scan, lo,
             hi, c->bounds_note[0] ? " (" : "", c->bounds_note, c->bounds_note[0] ? ")" : "",
             refined, c->reps, c->max_reps, (unsigned long long)c->base.seed);
    size_wrap(fp, para);
    fputc('\n', fp);

    if (c->status == SIZE_NOT_REACHABLE) {
        const struct size_run *least = &c->runs[0];
        for (size_t i = 1; i < c->n_runs; i++)
            if (c->runs[i].junk.mean < least->junk.mean)
                least = &c->runs[i];
        size_fmt_x(v, sizeof v, least->x, c->integer);
        size_counted(c, v, least->x, a, sizeof a);
        metric_fmt_share_ci(j, sizeof j, least->junk.mean, least->junk.lo, least->junk.hi);
        size_widen_text(c, more, sizeof more);
        snprintf(para, sizeof para, "No value tried from %s to %s meets the %s junk target "
                 "(a mean junk rate at or under it), so there is no %s to maximize. With "
                 "%s the junk rate is lowest, %s. %s", lo, hi, t, metric_words(c), a, j,
                 more);
        size_wrap(fp, para);
    } else {
        const struct size_run *best = &m->final[m->i_best];
        size_fmt_x(v, sizeof v, m->best, c->integer);
        metric_ci_text(c, ci, sizeof ci, &best->obj, false);
        if (m->n_flat > 1) {
            char range[80];
            size_fmt_x(lo, sizeof lo, m->flat_from, c->integer);
            size_fmt_x(hi, sizeof hi, m->flat_to, c->integer);
            snprintf(range, sizeof range, "%s to %s", lo, hi);
            size_counted(c, range, m->flat_from, a, sizeof a);
            snprintf(para, sizeof para, "%s give a %s within noise of the best, %s: %s over "
                     "%u replications. Within noise: the paired difference to the best over "
                     "the same replications has a 95%% interval that contains 0.", a,
                     metric_words(c), v, ci, best->reps);
        } else {
            size_counted(c, v, m->best, a, sizeof a);
            snprintf(para, sizeof para, "%s give the largest %s, %s over %u replications; "
                     "every other value tried is significantly lower (paired difference "
                     "over the same replications, 95%% interval excluding 0).", a,
                     metric_words(c), ci, best->reps);
        }
        size_wrap(fp, para);
        if (!m->contiguous) {
            char g[32];
            size_fmt_x(g, sizeof g, m->gap, c->integer);
            snprintf(para, sizeof para, "Not one stretch: %s lies between them and %s.", g,
                     gap_reason(c, m->gap));
            size_wrap(fp, para);
        }
        if (m->at_end != 0) {
            bool key_end = m->at_end < 0 ? c->lo_is_key_end : c->hi_is_key_end;
            snprintf(para, sizeof para, "The best is the %s end of the range%s.",
                     m->at_end < 0 ? "lower" : "upper",
                     key_end ? ", which is the key's own end"
                     : m->at_end < 0 ? ": the range may need widening (lower --from)"
                                     : ": the range may need widening (raise --to)");
            size_wrap(fp, para);
        } else if (m->flat_from == c->lo || m->flat_to == c->hi) {
            snprintf(para, sizeof para, "The region reaches the %s end of the range: values "
                     "beyond it may be as good.", m->flat_from == c->lo ? "lower" : "upper");
            size_wrap(fp, para);
        }
        if (m->binds) {
            snprintf(para, sizeof para, "The junk target binds: a value next to the best "
                     "gives a higher mean %s but a junk rate over %s.", metric_words(c), t);
            size_wrap(fp, para);
        }
        metric_fmt_share_ci(j, sizeof j, best->junk.mean, best->junk.lo, best->junk.hi);
        metric_fmt_share_ci(l, sizeof l, best->lost.mean, best->lost.lo, best->lost.hi);
        snprintf(para, sizeof para, "At the best: junk rate %s; lost rate, counting the leads "
                 "held back too, %s; %.0f leads a week to sales, team capacity %.0f a week "
                 "(nominal), load %.2f.", j, l, best->load.offered, best->load.capacity,
                 best->load.ratio);
        size_wrap(fp, para);
    }

    bool any_over = false;
    const char *leaf = out_path_leaf(c->path);
    const char *mk = metric_descs[m->metric].key;
    for (int stage = 0; stage < 2; stage++) {
        const struct size_run *runs = stage == 0 ? c->runs : m->final;
        size_t n = stage == 0 ? c->n_runs : m->n_final;
        if (stage == 1 && (n == 0 || m->final_reps == c->reps))
            break;
        /* Each stage is read against its own best, at its replications. */
        double stage_best = stage == 0 ? m->scan_best : m->best;
        if (stage == 0)
            fprintf(fp, "\nRuns, read against their own best (~: within noise of it%s):\n",
                    c->constrained ? "; +: holds the junk target" : "");
        else
            fprintf(fp, "\nThe best and its rivals rerun with %u replications:\n",
                    m->final_reps);
        fprintf(fp, "%10s   %-30s %-26s %6s %6s %5s %6s\n", leaf, mk, "below the best", "junk",
                "lost", "reps", "load");
        fprintf(fp, "%10s   %-30s %-26s\n", "", "(95% CI)", "(paired, 95% CI)");
        for (size_t i = 0; i < n; i++) {
            const struct size_run *r = &runs[i];
            char x[32], o[96], d[96], jj[16], ll[16];
            size_fmt_x(x, sizeof x, r->x, c->integer);
            metric_ci_text(c, o, sizeof o, &r->obj, true);
            if (r->x == stage_best)
                snprintf(d, sizeof d, "(the best)");
            else if (isnan(r->vs_best.mean))
                snprintf(d, sizeof d, "-");
            else
                metric_ci_text(c, d, sizeof d, &r->vs_best, true);
            metric_fmt_share(jj, sizeof jj, r->junk.mean);
            metric_fmt_share(ll, sizeof ll, r->lost.mean);
            fprintf(fp, "%10s %c%c%-30s %-26s %6s %6s %5u %5.2f%c%s\n", x,
                    r->within ? '~' : ' ',
                    c->constrained && size_admissible(c, r) ? '+' : ' ', o, d, jj, ll,
                    r->reps, r->load.ratio, r->load.over ? '*' : ' ',
                    r->x == m->best && (stage == 1 || m->final_reps == c->reps)
                        ? "  <- best" : "");
            any_over = any_over || r->load.over;
        }
    }
    if (any_over)
        fprintf(fp, "\n%s", out_over_capacity_note);
}

/* ---- JSON and CSV ----------------------------------------------------------- */

cJSON *size_max_json(const struct size_ctx *c)
{
    const struct size_max *m = &c->max;
    bool have = c->status == SIZE_OK;
    const struct size_run *best = have ? &m->final[m->i_best] : NULL;
    char label[160];
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "scenario", c->base.name);
    out_json_text(doc, "file", c->base.source);
    cJSON_AddStringToObject(doc, "vary", c->path);
    cJSON_AddStringToObject(doc, "label", scn_doc_label(c->doc, c->path, label, sizeof label));
    cJSON_AddBoolToObject(doc, "whole_numbers", c->integer);
    cJSON_AddStringToObject(doc, "maximize", metric_descs[m->metric].key);
    cJSON_AddItemToObject(doc, "target", c->constrained ? cJSON_CreateNumber(c->o->target_junk)
                                                        : cJSON_CreateNull());
    cJSON_AddItemToObject(doc, "bounds", size_pair_json(c->lo, c->hi));
    cJSON_AddNumberToObject(doc, "steps", (double)c->n_scan);
    cJSON_AddNumberToObject(doc, "refined", (double)m->n_refined);
    cJSON_AddStringToObject(doc, "status", size_status_name(c->status));
    if (c->constrained) {
        cJSON *feas = cJSON_AddArrayToObject(doc, "feasible");
        for (size_t i = 0; i < c->n_feasible && i < SIZE_MAX_FEASIBLE; i++)
            cJSON_AddItemToArray(feas, size_pair_json(c->feasible[i].from, c->feasible[i].to));
    } else {
        cJSON_AddNullToObject(doc, "feasible");
    }
    cJSON_AddItemToObject(doc, "answer", out_number_or_null(have ? m->best : NAN));
    cJSON_AddItemToObject(doc, metric_descs[m->metric].key,
                          have ? out_ci_json(&best->obj) : cJSON_CreateNull());
    cJSON_AddItemToObject(doc, "junk_rate", have ? out_ci_json(&best->junk) : cJSON_CreateNull());
    cJSON_AddItemToObject(doc, "lost_rate", have ? out_ci_json(&best->lost) : cJSON_CreateNull());
    cJSON_AddItemToObject(doc, "answer_replications",
                          have ? cJSON_CreateNumber(best->reps) : cJSON_CreateNull());
    if (have) {
        cJSON *flat = cJSON_AddObjectToObject(doc, "flat_region");
        cJSON_AddNumberToObject(flat, "from", m->flat_from);
        cJSON_AddNumberToObject(flat, "to", m->flat_to);
        cJSON *vals = cJSON_AddArrayToObject(flat, "values");
        for (size_t i = 0; i < m->n_final; i++)
            if (m->final[i].within)
                cJSON_AddItemToArray(vals, cJSON_CreateNumber(m->final[i].x));
        cJSON_AddBoolToObject(flat, "contiguous", m->contiguous);
        /* The region touches an end of the range: values beyond it may be
         * as good. */
        cJSON_AddBoolToObject(flat, "reaches_lower_end", m->flat_from == c->lo);
        cJSON_AddBoolToObject(flat, "reaches_upper_end", m->flat_to == c->hi);
        cJSON_AddItemToObject(flat, "gap", out_number_or_null(m->gap));
        cJSON_AddNumberToObject(flat, "level", FLAT_LEVEL);
        cJSON_AddItemToObject(doc, "best_at_end", m->at_end == 0 ? cJSON_CreateNull()
                              : cJSON_CreateString(m->at_end < 0 ? "lower" : "upper"));
        cJSON_AddBoolToObject(doc, "target_binds", m->binds);
    } else {
        cJSON_AddNullToObject(doc, "flat_region");
        cJSON_AddNullToObject(doc, "best_at_end");
        cJSON_AddBoolToObject(doc, "target_binds", false);
    }
    struct capacity_load load = have ? best->load : capacity_load_of(&c->base, NULL);
    out_load_json(doc, &load);
    cJSON_AddNumberToObject(doc, "replications", c->reps);
    cJSON_AddNumberToObject(doc, "max_reps", c->max_reps);
    out_json_u64(doc, "seed", c->base.seed);
    cJSON *runs = cJSON_AddArrayToObject(doc, "runs");
    for (size_t i = 0; i < c->n_runs; i++)
        cJSON_AddItemToArray(runs, size_run_json(c, &c->runs[i]));
    cJSON *reruns = cJSON_AddArrayToObject(doc, "reruns");
    for (size_t i = 0; have && m->final_reps > c->reps && i < m->n_final; i++)
        cJSON_AddItemToArray(reruns, size_run_json(c, &m->final[i]));
    return doc;
}

void size_max_csv(FILE *fp, const void *self)
{
    const struct size_ctx *c = self;
    const struct size_max *m = &c->max;
    struct sim_csv w = sim_csv_on(fp);
    char name[64];
    const char *mk = metric_descs[m->metric].key;
    sim_csv_text(&w, "value");
    static const char *const ends[] = {"mean", "lo", "hi"};
    for (int e = 0; e < 3; e++) {
        snprintf(name, sizeof name, "%s_%s", mk, ends[e]);
        sim_csv_text(&w, name);
    }
    static const char *const head[] = {"below_best_mean", "below_best_lo", "below_best_hi",
                                       "within_noise_of_best", "junk_rate_mean",
                                       "junk_rate_lo", "junk_rate_hi", "lost_rate_mean",
                                       "lost_rate_lo", "lost_rate_hi", "holds",
                                       "replications", "offered_per_week",
                                       "capacity_per_week", "load_ratio", "role"};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        sim_csv_text(&w, head[k]);
    sim_csv_end(&w);
    bool reruns = c->status == SIZE_OK && m->final_reps > c->reps;
    for (int stage = 0; stage < (reruns ? 2 : 1); stage++) {
        const struct size_run *runs = stage == 0 ? c->runs : m->final;
        size_t n = stage == 0 ? c->n_runs : m->n_final;
        for (size_t i = 0; i < n; i++) {
            const struct size_run *r = &runs[i];
            sim_csv_number(&w, r->x);
            out_csv_ci(&w, &r->obj);
            out_csv_ci(&w, &r->vs_best);
            sim_csv_number(&w, r->within);
            out_csv_ci(&w, &r->junk);
            out_csv_ci(&w, &r->lost);
            sim_csv_number(&w, c->constrained ? size_admissible(c, r) : NAN);
            sim_csv_number(&w, r->reps);
            const double fixed[] = {r->load.offered, r->load.capacity, r->load.ratio};
            for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
                sim_csv_number(&w, fixed[k]);
            sim_csv_text(&w, stage == 1 ? "rerun" : size_role(c, r));
            sim_csv_end(&w);
        }
    }
}
