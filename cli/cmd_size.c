/* SPDX-License-Identifier: MIT */
/*
 * funnelsim size: the values of one field that keep the junk rate at or
 * under a target, and the largest (inflow) or smallest (team) of them;
 * with --maximize, the value with the best profit or deals (size_max.c),
 * which starts from the same scan and refinement.
 *
 * Nothing assumes the junk rate is monotone in the field: fewer web leads
 * can mean more junk (a larger share of a weak channel), more novices can
 * first add capacity and then lose quality.  So the field is scanned at
 * --steps values in one experiment (common random numbers: replication r
 * sees the same streams at every value), every adjacent pair whose status
 * changes is refined (sim/search.c: integer bisection or GSL Brent inside
 * the pair), and the feasible set is read from all the runs
 * (sim/feasible.h, the rule the sweep report uses too).  The answer is its
 * extreme chosen by --want.  When the answer, or its neighbour outside the
 * set, is within the noise, both are rerun with doubled replications up to
 * --max-reps.  The words are in size_report.c.
 *
 * Whole-number fields are recognised by the loader's own rule: the current
 * value plus one half is set and compiled, and the loader's "must be a
 * whole number" refusal says the field counts something.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/size.h"
#include "cli/output.h"
#include "models/keytab.h"
#include "models/scn_doc.h"
#include "sim/mem.h"
#include "sim/search.h"

/* Sets the field to x and compiles; the caller's message context on
 * failure. */
static int compile_at(struct size_ctx *c, double x, struct scenario *out, struct sim_err *err)
{
    struct sim_err cause = {0};
    int rc = scn_doc_set_number(c->doc, c->path, x, &cause);
    if (rc == SIM_OK)
        rc = scn_doc_compile(c->doc, out, &cause);
    if (rc != SIM_OK)
        return sim_err_set(err, rc, "size: at %s = %.10g: %s", c->path, x, cause.msg);
    if (out->replications != c->reps)
        return sim_err_set(err, SIM_ERR_INPUT,
                           "size: %s: the number of replications cannot be searched", c->path);
    return SIM_OK;
}
/* ---- bounds ---------------------------------------------------------------------- */

/* Whether the field takes whole numbers: the loader refuses a half. */
static int probe_integer(struct size_ctx *c, double v, struct sim_err *err)
{
    struct scn_doc *probe = scn_doc_clone(c->doc);
    struct sim_err cause = {0};
    int rc = scn_doc_set_number(probe, c->path, v + 0.5, &cause);
    if (rc != SIM_OK) {
        scn_doc_free(probe);
        return sim_err_set(err, rc, "size: --vary %s: %s", c->path, cause.msg);
    }
    rc = scn_doc_compile(probe, &c->scn, &cause);
    c->integer = rc != SIM_OK && strstr(cause.msg, "must be a whole number (got") != NULL;
    scn_doc_free(probe);
    return SIM_OK;
}

static int choose_bounds(struct size_ctx *c, struct sim_err *err)
{
    const struct cli_opts *o = c->o;
    struct sim_err cause = {0};
    double v = NAN;
    bool have_v = scn_doc_get_number(c->doc, c->path, &v, &cause) == SIM_OK;
    /* A path that is wrong (unknown key, no such element) is an error;
     * one the file leaves to its default only lacks a current value. */
    if (!have_v && strstr(cause.msg, "not in the file") == NULL)
        return sim_err_set(err, cause.code, "size: --vary %s: %s", c->path, cause.msg);
    if (!have_v && !(o->given[OPT_FROM] && o->given[OPT_TO])) {
        return sim_err_set(err, SIM_ERR_INPUT,
                           "size: --vary %s: %s; give --from and --to", c->path, cause.msg);
    }
    int rc = probe_integer(c, have_v ? v : o->from, err);
    if (rc != SIM_OK)
        return rc;

    char cur[32], dfrom[64], dto[64];
    size_fmt_x(cur, sizeof cur, v, c->integer);
    if (c->integer) {
        double from = v >= 1 ? 1 : 0;
        c->lo = o->given[OPT_FROM] ? o->from : from;
        c->hi = o->given[OPT_TO] ? o->to : fmax(4 * v, from + 4);
        snprintf(dfrom, sizeof dfrom, "%.0f", from);
        if (c->lo != floor(c->lo) || c->hi != floor(c->hi))
            return sim_err_set(err, SIM_ERR_INPUT,
                               "size: %s takes whole numbers: --from and --to must be whole "
                               "numbers (got %.10g and %.10g)", c->path, c->lo, c->hi);
    } else {
        if ((!o->given[OPT_FROM] || !o->given[OPT_TO]) && !(v > 0))
            return sim_err_set(err, SIM_ERR_INPUT,
                               "size: --vary %s: the current value is %s, so there is no "
                               "default range: give --from and --to", c->path, cur);
        c->lo = o->given[OPT_FROM] ? o->from : v / 4;
        c->hi = o->given[OPT_TO] ? o->to : 4 * v;
        snprintf(dfrom, sizeof dfrom, "a quarter of the current value %s", cur);
    }
    snprintf(dto, sizeof dto, "4 times the current value %s", cur);
    /* A default bound stays inside the key's own range. */
    const struct sim_schema_key *k = keytab_find(c->path);
    if (k != NULL && !o->given[OPT_TO] && c->hi >= k->hi) {
        c->hi = (k->flags & SIM_SCHEMA_HI_OPEN) ? k->hi - (k->hi - c->lo) / 1000 : k->hi;
        snprintf(dto, sizeof dto, "the key's largest value");
    }
    if (k != NULL && !o->given[OPT_FROM] && c->lo <= k->lo) {
        c->lo = (k->flags & SIM_SCHEMA_LO_OPEN) ? k->lo + (c->hi - k->lo) / 1000 : k->lo;
        snprintf(dfrom, sizeof dfrom, "the key's smallest value");
    }
    if (k != NULL) {
        c->lo_is_key_end = c->lo <= k->lo ||
                           ((k->flags & SIM_SCHEMA_LO_OPEN) && c->lo - k->lo <= (c->hi - k->lo) / 1000);
        c->hi_is_key_end = c->hi >= k->hi ||
                           ((k->flags & SIM_SCHEMA_HI_OPEN) && k->hi - c->hi <= (k->hi - c->lo) / 1000);
    }
    if (!o->given[OPT_FROM] && !o->given[OPT_TO])
        snprintf(c->bounds_note, sizeof c->bounds_note, "default bounds: %s and %s", dfrom, dto);
    else if (!o->given[OPT_FROM])
        snprintf(c->bounds_note, sizeof c->bounds_note, "default --from: %s", dfrom);
    else if (!o->given[OPT_TO])
        snprintf(c->bounds_note, sizeof c->bounds_note, "default --to: %s", dto);
    if (!(c->lo < c->hi))
        return sim_err_set(err, SIM_ERR_INPUT,
                           "size: the bounds %.10g (--from) and %.10g (--to): the first must "
                           "be below the second", c->lo, c->hi);
    /* Both bounds must be valid scenarios before the long work starts. */
    double ends[2] = {c->lo, c->hi};
    for (int e = 0; e < 2; e++) {
        if ((rc = compile_at(c, ends[e], &c->scn, err)) != SIM_OK) {
            if (c->bounds_note[0] != '\0')
                fprintf(stderr, "funnelsim: size: %s; give --from and --to to choose others\n",
                        c->bounds_note);
            return rc;
        }
    }
    return SIM_OK;
}

/* ---- evaluating ---------------------------------------------------------------- */

static const struct size_run *run_at(const struct size_ctx *c, double x)
{
    for (size_t i = 0; i < c->n_runs; i++)
        if (c->runs[i].x == x)
            return &c->runs[i];
    return NULL;
}

void size_run_free(struct size_run *r)
{
    free(r->per_rep);
    free(r->per_rep_obj);
    r->per_rep = r->per_rep_obj = NULL;
}

bool size_admissible(const struct size_ctx *c, const struct size_run *r)
{
    return !c->constrained || sim_feasible_holds(r->junk.mean, c->o->target_junk);
}

/* Metric m of every replication of point i (NaN: not finished). */
static double *per_rep_of(const struct cli_results *res, size_t i, unsigned reps,
                          enum metric_id m)
{
    double *y = sim_reallocarray(NULL, reps, sizeof *y);
    for (unsigned k = 0; k < reps; k++) {
        size_t task = i * reps + k;
        y[k] = res->done[task] ? res->metrics[task * METRIC_COUNT + m] : NAN;
    }
    return y;
}

int size_simulate(struct size_ctx *c, const double *xs, size_t n, unsigned reps,
                  bool scanned, struct size_run *out, struct sim_err *err)
{
    struct scenario *scns = sim_calloc(n, sizeof *scns);
    const struct scenario **ptrs = sim_calloc(n, sizeof *ptrs);
    struct cli_results res = {0};
    int rc = SIM_OK;
    for (size_t i = 0; i < n && rc == SIM_OK; i++) {
        rc = compile_at(c, xs[i], &scns[i], err);
        scns[i].replications = reps;    /* replication r: the same streams */
        ptrs[i] = &scns[i];
    }
    bool by_week = c->o->target_on.kind != SERIES_TARGET_AVERAGE;
    if (rc == SIM_OK && by_week)
        rc = cli_target_on_check("size", &c->o->target_on, ptrs, n, err);
    if (rc == SIM_OK) {
        rc = cli_simulate(c->o, ptrs, n, by_week ? CLI_WANT_SERIES : 0, &res, err);
        if (rc == SIM_OK && res.interrupted)
            rc = SIM_TASK_INTERRUPTED;
        if (rc == SIM_OK)
            cli_timing(c->o, &res);     /* with --timing: a line per run */
    }
    for (size_t i = 0; i < n && rc == SIM_OK; i++) {
        struct metric_summary s;
        cli_summarise(&res, i, &s);
        const struct sim_ci *junk = &s.ci[METRIC_JUNK_RATE];
        double *target_reps = NULL;
        struct sim_ci by_target;
        if (by_week) {
            /* The junk rate the target is tested on, per replication. */
            target_reps = cli_target_on_reps(c->o, &res, i, &scns[i], &by_target);
            junk = &by_target;
        }
        /* Without a junk target an undefined junk rate is only shown. */
        if (!isfinite(junk->mean) && c->constrained) {
            rc = sim_err_set(err, SIM_ERR_INPUT,
                             "size: at %s = %.10g: no lead was resolved in the measured "
                             "window, so the junk rate is undefined: narrow --from/--to",
                             c->path, xs[i]);
            break;
        }
        struct size_run *r = &out[i];
        size_run_free(r);
        *r = (struct size_run){.x = xs[i], .junk = *junk, .lost = s.ci[METRIC_LOST_RATE],
                               .reps = reps, .scanned = scanned,
                               .load = capacity_load_of(&scns[i], &s),
                               .vs_best = {NAN, NAN, NAN, NAN, 0}};
        r->per_rep = by_week ? target_reps : per_rep_of(&res, i, reps, METRIC_JUNK_RATE);
        if (c->maximizing) {
            r->obj = s.ci[c->max.metric];
            r->per_rep_obj = per_rep_of(&res, i, reps, c->max.metric);
        }
        if (c->chatty) {
            char v[32], j[64];
            size_fmt_x(v, sizeof v, xs[i], c->integer);
            metric_fmt_share_ci(j, sizeof j, junk->mean, junk->lo, junk->hi);
            fprintf(stderr, "size: %s = %s (%u replications): junk rate %s", c->path, v,
                    reps, j);
            if (c->maximizing)
                fprintf(stderr, ", %s %.10g", metric_descs[c->max.metric].key, r->obj.mean);
            fputc('\n', stderr);
        }
    }
    cli_results_free(&res);
    free(scns);
    free(ptrs);
    return rc;
}

const struct size_run *size_eval(struct size_ctx *c, double x, int *rc, struct sim_err *err)
{
    const struct size_run *r = run_at(c, x);
    *rc = SIM_OK;
    if (r != NULL)
        return r;
    if (c->n_runs >= SIZE_MAX_RUNS) {
        *rc = sim_err_set(err, SIM_ERR_INPUT, "size: more than %d runs: lower --steps",
                          SIZE_MAX_RUNS);
        return NULL;
    }
    *rc = size_simulate(c, &x, 1, c->reps, false, &c->runs[c->n_runs], err);
    if (*rc != SIM_OK)
        return NULL;
    return &c->runs[c->n_runs++];
}

/* The refinement's callback: a run already made, or a new one. */
static int evaluate(void *user, double x, struct sim_search_eval *out, struct sim_err *err)
{
    struct size_ctx *c = user;
    int rc;
    const struct size_run *r = size_eval(c, x, &rc, err);
    if (r == NULL)
        return rc;
    out->mean = r->junk.mean;
    out->lo = r->junk.lo;
    out->hi = r->junk.hi;
    return SIM_OK;
}

static int by_x(const void *a, const void *b)
{
    double x = ((const struct size_run *)a)->x, y = ((const struct size_run *)b)->x;
    return (x > y) - (x < y);
}

/* ---- the search ------------------------------------------------------------------ */

/* The values scanned: every whole number when there are at most 64, else
 * --steps values evenly spaced (rounded for whole numbers), ends exact. */
static size_t scan_values(const struct size_ctx *c, double *xs)
{
    size_t n = 0;
    if (c->integer && c->hi - c->lo + 1 <= 64) {
        for (double x = c->lo; x <= c->hi; x++)
            xs[n++] = x;
        return n;
    }
    unsigned steps = c->o->given[OPT_STEPS] ? c->o->steps : 21;
    for (unsigned i = 0; i < steps; i++) {
        double x = i == 0 ? c->lo : i + 1 == steps ? c->hi
                   : c->lo + (c->hi - c->lo) * (double)i / (double)(steps - 1);
        if (c->integer)
            x = round(x);
        if (n == 0 || x > xs[n - 1])
            xs[n++] = x;
    }
    return n;
}

/* The largest paired change up and down between scanned values whose
 * interval excludes 0.  Every pair of scanned values is compared, so the
 * intervals are simultaneous: 95% over all the pairs (Bonferroni), lest a
 * flat curve with many values show a "reversal" by chance. */
static void find_changes(struct size_ctx *c)
{
    const struct size_run *s[SIZE_MAX_RUNS];
    size_t n = 0;
    for (size_t i = 0; i < c->n_runs; i++)
        if (c->runs[i].scanned)
            s[n++] = &c->runs[i];
    unsigned reps = c->reps;
    double *d = sim_reallocarray(NULL, reps, sizeof *d);
    double pairs = n > 1 ? (double)n * (double)(n - 1) / 2 : 1;
    c->change_level = 1 - 0.05 / pairs;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            size_t m = 0;
            for (unsigned k = 0; k < reps; k++)
                if (!isnan(s[i]->per_rep[k]) && !isnan(s[j]->per_rep[k]))
                    d[m++] = s[j]->per_rep[k] - s[i]->per_rep[k];
            if (m < 2)
                continue;
            struct sim_ci ci;
            sim_stats_ci(d, 1, m, c->change_level, &ci);
            struct size_change *ch = ci.lo > 0 ? &c->rise : ci.hi < 0 ? &c->fall : NULL;
            if (ch != NULL && (!ch->found || fabs(ci.mean) > fabs(ch->diff.mean)))
                *ch = (struct size_change){true, s[i]->x, s[j]->x, ci};
        }
    }
    free(d);
}

static bool within_noise(const struct size_run *r, double target)
{
    return !(r->junk.lo <= r->junk.hi) || (r->junk.lo <= target && target <= r->junk.hi);
}

/* Scan, refine, read the feasible set, and settle the answer. */
static int search(struct size_ctx *c, struct sim_err *err)
{
    double target = c->o->target_junk;
    double xs[SIZE_MAX_STEPS > 64 ? SIZE_MAX_STEPS : 64] = {0};
    size_t n = scan_values(c, xs);
    c->n_scan = n;
    int rc = size_simulate(c, xs, n, c->reps, true, c->runs, err);
    if (rc != SIM_OK)
        return rc;
    c->n_runs = n;
    find_changes(c);

    /* Refine each adjacent scanned pair whose status changes. */
    c->converged = true;
    c->interval[0] = c->interval[1] = NAN;
    c->answer = c->neighbour = NAN;
    c->at.x = c->next.x = NAN;
    double pair_iv[SIZE_MAX_STEPS][2];
    for (size_t i = 0; i + 1 < n; i++) {
        pair_iv[i][0] = pair_iv[i][1] = NAN;
        if (!c->constrained)
            continue;
        bool a = sim_feasible_holds(c->runs[i].junk.mean, target);
        bool b = sim_feasible_holds(c->runs[i + 1].junk.mean, target);
        if (a == b || (c->integer && xs[i + 1] - xs[i] <= 1))
            continue;
        struct sim_search_opts so = {.lo = xs[i], .hi = xs[i + 1], .target = target,
                                     .integer = c->integer,
                                     .x_tol = (c->hi - c->lo) / 1000};
        struct sim_search_result sr = {0};
        rc = sim_search_run(&so, evaluate, c, &sr, err);
        if (rc == SIM_OK) {
            c->converged = c->converged && sr.converged;
            pair_iv[i][0] = sr.interval[0];
            pair_iv[i][1] = sr.interval[1];
        }
        sim_search_result_free(&sr);
        if (rc != SIM_OK)
            return rc;
    }

    /* The feasible set from every run. */
    qsort(c->runs, c->n_runs, sizeof c->runs[0], by_x);
    double *x = sim_reallocarray(NULL, c->n_runs, sizeof *x);
    double *mean = sim_reallocarray(NULL, c->n_runs, sizeof *mean);
    for (size_t i = 0; i < c->n_runs; i++) {
        x[i] = c->runs[i].x;
        mean[i] = c->runs[i].junk.mean;
    }
    c->n_feasible = c->constrained ? sim_feasible_intervals(x, mean, c->n_runs, target,
                                                            c->feasible, SIZE_MAX_FEASIBLE)
                                   : 0;
    size_t ia = sim_feasible_extreme(mean, c->n_runs, target, c->largest);
    free(x);
    free(mean);
    if (c->maximizing)
        return size_max_search(c, err);
    if (ia == c->n_runs) {
        c->status = SIZE_NOT_REACHABLE;
        return SIM_OK;
    }
    size_t ib = c->largest ? ia + 1 : ia - 1;     /* wraps to SIZE_MAX below 0 */
    bool has_next = ib < c->n_runs;
    c->answer = c->runs[ia].x;
    c->neighbour = has_next ? c->runs[ib].x : NAN;
    /* The answer interval of a continuous key: its refinement's. */
    for (size_t i = 0; i + 1 < n && !c->integer; i++)
        if (xs[i] <= c->answer && c->answer <= xs[i + 1] && !isnan(pair_iv[i][0])) {
            c->interval[0] = pair_iv[i][0];
            c->interval[1] = pair_iv[i][1];
        }

    /* Within the noise: rerun both with doubled replications. */
    struct size_run *A = &c->runs[ia], *B = has_next ? &c->runs[ib] : NULL;
    unsigned reps = c->reps;
    bool owned = false;
    while ((within_noise(A, target) || (B != NULL && within_noise(B, target))) &&
           reps <= c->max_reps / 2) {
        reps *= 2;
        double two[2] = {c->answer, c->neighbour};
        struct size_run fresh[2];
        memset(fresh, 0, sizeof fresh);
        rc = size_simulate(c, two, B != NULL ? 2 : 1, reps, false, fresh, err);
        if (rc != SIM_OK) {
            size_run_free(&fresh[0]);
            size_run_free(&fresh[1]);
            break;
        }
        if (owned) {
            size_run_free(&c->at);
            size_run_free(&c->next);
        }
        c->at = fresh[0];
        c->next = B != NULL ? fresh[1] : (struct size_run){.x = NAN};
        A = &c->at;
        B = B != NULL ? &c->next : NULL;
        owned = true;
    }
    if (!owned) {
        c->at = *A;
        c->at.per_rep = c->at.per_rep_obj = NULL;   /* the run keeps its own */
        c->next = B != NULL ? *B : (struct size_run){.x = NAN};
        c->next.per_rep = c->next.per_rep_obj = NULL;
    }
    if (rc != SIM_OK)
        return rc;
    bool decided = !within_noise(&c->at, target) && sim_feasible_holds(c->at.junk.mean, target);
    if (B != NULL)
        decided = decided && !within_noise(&c->next, target) &&
                  !sim_feasible_holds(c->next.junk.mean, target);
    /* A continuous key's neighbour is a hair away: its answer interval
     * states the noise instead. */
    if (!c->integer)
        decided = sim_feasible_holds(c->at.junk.mean, target);
    c->status = decided ? SIZE_OK : SIZE_UNDECIDED;
    return SIM_OK;
}

/* ---- the command ----------------------------------------------------------------- */

static int setup(struct size_ctx *c, struct cli_opts *o, struct sim_err *err)
{
    if (o->n_args != 1)
        return sim_err_set(err, SIM_ERR_INPUT, "size: needs exactly one SCENARIO file (got %zu)",
                           o->n_args);
    if (o->maximize != NULL) {
        if (strcmp(o->maximize, "profit") == 0)
            c->max.metric = METRIC_PROFIT;
        else if (strcmp(o->maximize, "deals") == 0)
            c->max.metric = METRIC_DEALS;
        else
            return sim_err_set(err, SIM_ERR_INPUT, "size --maximize: '%s': must be profit "
                               "or deals", o->maximize);
        if (o->want != 0)
            return sim_err_set(err, SIM_ERR_INPUT, "size: --want and --maximize exclude each "
                               "other: --maximize answers with the best value");
        c->maximizing = true;
    }
    if ((!o->given[OPT_TARGET_JUNK] && !c->maximizing) || o->vary == NULL)
        return sim_err_set(err, SIM_ERR_INPUT,
                           "size: needs --vary PATH and --target-junk SHARE, --maximize "
                           "METRIC or both");
    c->constrained = o->given[OPT_TARGET_JUNK];
    if (o->given[OPT_STEPS] && (o->steps < 2 || o->steps > SIZE_MAX_STEPS))
        return sim_err_set(err, SIM_ERR_INPUT, "size --steps: '%u': must be between 2 and %d",
                           o->steps, SIZE_MAX_STEPS);
    c->o = o;
    c->path = o->vary;
    int rc = cli_load(o, o->args[0], &c->doc, &c->base, err);
    if (rc != SIM_OK)
        return rc;
    c->reps = c->base.replications;
    c->max_reps = o->given[OPT_MAX_REPS] ? o->max_reps : 200;
    if ((rc = choose_bounds(c, err)) != SIM_OK)
        return rc;
    const struct sim_schema_key *k = keytab_find(c->path);
    unsigned tags = k != NULL ? k->tags : 0;
    if (c->maximizing) {
        c->largest = false;     /* no extreme is asked for */
    } else if (o->want != 0) {
        c->largest = o->want > 0;
    } else if (tags & (KEYTAB_INFLOW | KEYTAB_HEADCOUNT)) {
        c->largest = (tags & KEYTAB_INFLOW) != 0;
        c->want_default = true;
    } else {
        return sim_err_set(err, SIM_ERR_INPUT,
                           "size: --want: must be given for %s (largest or smallest): only "
                           "an inflow (largest) or a head count (smallest) has a default",
                           c->path);
    }
    if (o->out != NULL)
        rc = out_prepare_dir(o, err);
    return rc;
}

static int size(const struct cli_command *cmd, struct cli_opts *o)
{
    struct sim_err err = {0};
    struct size_ctx *c = sim_calloc(1, sizeof *c);
    cJSON *json = NULL;
    int rc = setup(c, o, &err);
    if (rc != SIM_OK)
        goto done;
    c->chatty = !o->quiet && isatty(STDERR_FILENO);

    cli_signals();
    rc = search(c, &err);
    if (rc == SIM_TASK_INTERRUPTED) {
        fprintf(stderr, "funnelsim: size: interrupted after %zu runs, before an answer\n",
                c->n_runs);
        rc = CLI_EXIT_INTERRUPTED;
        goto done;
    }
    if (rc != SIM_OK)
        goto done;
    json = c->maximizing ? size_max_json(c) : size_json(c);
    struct out_doc out = {
        .stem = "size", .json = json, .self = c,
        .csv = c->maximizing ? size_max_csv : size_csv,
        .table = c->maximizing ? size_max_table : size_table,
    };
    rc = out_emit(o, &out, &err);
done:
    cJSON_Delete(json);
    for (size_t i = 0; i < c->n_runs; i++)
        size_run_free(&c->runs[i]);
    size_run_free(&c->at);
    size_run_free(&c->next);
    size_max_free(c);
    scn_doc_free(c->doc);
    free(c);
    return cli_finish(cmd, rc, &err);
}

const struct cli_command cmd_size = {
    .name = "size",
    .usage = "SCENARIO --target-junk SHARE --vary PATH [--from A --to B] [--want largest|smallest]\n"
             "       [--steps N] [--max-reps N] [options]\n"
             "       funnelsim size SCENARIO --maximize profit|deals --vary PATH\n"
             "       [--target-junk SHARE] [--from A --to B] [--steps N] [--max-reps N] [options]",
    .summary = "Find the values of one field that keep the junk rate at or under a target,\n"
               "and the largest inflow or smallest team among them; or the value with the\n"
               "best profit or deals, and the values within noise of it.",
    .help = "PATH names a numeric field as in --set.  A value holds the target when its\n"
            "mean junk rate is at or under it.  The junk rate need not be monotone (fewer\n"
            "web leads can mean a larger share of a weak channel), so the field is scanned\n"
            "at --steps values (default 21; every whole number when the range holds at most\n"
            "64) in one experiment with common random numbers, every adjacent pair whose\n"
            "status changes is refined (bisection on whole numbers, GSL's Brent method on\n"
            "others, to a thousandth of the range), and the feasible set is read from all\n"
            "the runs.  The answer is its largest or smallest value (--want); the default\n"
            "is largest for an inflow and smallest for a head count, and any other field\n"
            "needs --want.  When the 95% CI of the junk rate at the answer, or at its\n"
            "neighbour outside the set, contains the target, both are rerun with doubled\n"
            "replications up to --max-reps (default 200; replication r keeps its streams).\n"
            "Every run simulates all replications with the same seed, so the numbers agree\n"
            "with 'funnelsim run --set PATH=VALUE'.\n"
            "\n"
            "Bounds: --from and --to; by default 1 to 4 times the current value for whole\n"
            "numbers, a quarter to 4 times it for others, inside the key's own range.\n"
            "\n"
            "status:\n"
            "  ok             the answer holds and its neighbour does not, each clear of the\n"
            "                 target (continuous fields: the answer holds; answer_interval\n"
            "                 gives where the 95% CI contains the target)\n"
            "  undecided      whole numbers: after --max-reps the answer and its neighbour\n"
            "                 are still within the noise (undecided_between)\n"
            "  not_reachable  no scanned or refined value holds the target; answer null\n"
            "  interrupted    Ctrl-C: exit 130 and nothing is written\n"
            "The exit code is 0 for the first three.  monotone is false only when one pair\n"
            "of scanned values shows a significant rise and another a significant fall\n"
            "(paired differences over the same replications, intervals excluding 0 that\n"
            "are 95% simultaneous over all pairs compared: rises, falls).\n"
            "\n"
            "--maximize profit|deals: the value with the largest mean profit (or deals\n"
            "won), among those whose mean junk rate meets --target-junk when it is given.\n"
            "The same scan (common random numbers), then every adjacent pair of runs where\n"
            "being within noise of the best changes, and the gaps either side of the best,\n"
            "are bisected; then the best and its\n"
            "rivals are rerun together with doubled replications up to --max-reps while\n"
            "more than one remains.  Within noise: the 95% interval of the paired\n"
            "difference to the best, replication by replication, contains 0.  The flat\n"
            "region is reported from its smallest to its largest value (\"9 to 11 managers\n"
            "in group 'novices' give a profit within noise of the best, 10\"), and said\n"
            "when it is not one stretch, when the best is an end of the range (widen it),\n"
            "or when the junk target binds.  JSON: \"answer\", \"profit\" (or \"deals\"),\n"
            "\"flat_region\": {\"from\", \"to\", \"values\", \"contiguous\", \"gap\",\n"
            "\"reaches_lower_end\", \"reaches_upper_end\"},\n"
            "\"best_at_end\", \"target_binds\", \"runs\" and \"reruns\" with \"below_best\"\n"
            "(paired) and \"within_noise_of_best\"; status ok, or not_reachable when no\n"
            "value meets --target-junk.\n"
            "\n"
            "Every output gives the lost rate (junk and leads held back, over the leads\n"
            "that reached sales' door) beside the junk rate.\n"
            "\n"
            "--format json prints {\"status\", \"feasible\": [[from, to], ...], \"answer\",\n"
            "\"junk_rate\": {\"mean\", \"ci95\"} at the answer, \"lost_rate\", \"answer_replications\",\n"
            "\"neighbour\", \"neighbour_junk_rate\", \"bracket\", \"undecided_between\",\n"
            "\"answer_interval\", \"want\", \"direction\", \"monotone\", \"runs\": [...], ...};\n"
            "--format csv the runs.  --out DIR writes size.json and size.csv.  On a\n"
            "terminal each run is reported on standard error as it ends (not with --quiet).\n"
            "\nExamples:\n"
            "  funnelsim size scenarios/article-baseline.json --target-junk 0.35 \\\n"
            "      --vary team[1].count\n"
            "  funnelsim size scenarios/validation-erlang-c.json --target-junk 0.10 \\\n"
            "      --vary channels[0].arrivals.per_week --from 100 --to 1500 --format json\n"
            "  funnelsim size scenarios/article-baseline.json --maximize profit \\\n"
            "      --vary team[1].count --set team[1].cost_per_month=6000\n",
    .options = OPTS_RUNNING | OPT_BIT(OPT_VARY) | OPT_BIT(OPT_FROM) | OPT_BIT(OPT_TO) |
               OPT_BIT(OPT_TARGET_JUNK) | OPT_BIT(OPT_TARGET_ON) | OPT_BIT(OPT_STEPS) | OPT_BIT(OPT_WANT) |
               OPT_BIT(OPT_MAX_REPS) | OPT_BIT(OPT_MAXIMIZE),
    .run = size,
};
