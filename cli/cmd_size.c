/* SPDX-License-Identifier: MIT */
/*
 * funnelsim size: the value of one field that keeps the junk rate at or
 * under a target: the smallest team, the largest weekly inflow.
 *
 * The search itself is sim/search.c, which knows nothing of leads: this
 * file gives it the response (the mean junk rate and its 95% CI over the
 * scenario's replications, at one value of the field), the bounds, and
 * whether the field takes whole numbers, and then says the answer in
 * words.  Each evaluation is one experiment of every replication; the same
 * seed at every value gives common random numbers, so the response is
 * smooth in the field and the search converges on it.
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

#include "models/scn_doc.h"
#include "cli/cli.h"
#include "models/keytab.h"
#include "cli/output.h"
#include "sim/mem.h"
#include "sim/search.h"

/* What size keeps of a run beyond the search's own record. */
struct size_run {
    double x;
    struct sim_ci junk;
    struct capacity_load load;
};

/* Room for every evaluation the search may make (sim/search.c: the two
 * bounds and three narrowings of at most 64 steps). */
#define SIZE_MAX_RUNS 256

struct size_ctx {
    const struct cli_opts *o;
    struct scn_doc *doc;        /* the document evaluations set the field in */
    const char *path;
    bool integer;
    unsigned reps;
    bool chatty;                /* a line per run on a terminal */
    struct scenario scn;        /* the evaluation's scenario; 10 KiB, so
                                   not on the stack */
    struct scenario base;
    double lo, hi;
    char bounds_note[160];      /* how the bounds were chosen */
    size_t n_runs;
    struct size_run runs[SIZE_MAX_RUNS];
    struct sim_search_result res;   /* the search's, once it is done */
};

/* ---- words ------------------------------------------------------------------- */

/* x for people: whole numbers as such, others to `sig` significant digits
 * without an exponent. */
static void fmt_sig(char *buf, size_t n, double x, bool integer, int sig)
{
    if (!isfinite(x)) {
        snprintf(buf, n, "-");
        return;
    }
    if (integer || x == floor(x)) {
        snprintf(buf, n, "%.0f", x);
        return;
    }
    int digits = sig - 1 - (int)floor(log10(fabs(x)));
    if (digits < 0)
        digits = 0;
    if (digits > 9)
        digits = 9;
    int len = snprintf(buf, n, "%.*f", digits, x);
    /* 0.125, not 0.125000. */
    if (digits > 0 && len > 0 && (size_t)len < n) {
        while (len > 1 && buf[len - 1] == '0')
            buf[--len] = '\0';
        if (buf[len - 1] == '.')
            buf[len - 1] = '\0';
    }
}

/* Four digits, for sentences. */
static void fmt_x(char *buf, size_t n, double x, bool integer)
{
    fmt_sig(buf, n, x, integer, 4);
}

/* Prints a paragraph wrapped at 78 columns on spaces. */
static void wrap(FILE *fp, const char *text)
{
    const int width = 78;
    const char *p = text;
    while (*p != '\0') {
        int len = (int)strlen(p);
        if (len <= width) {
            fprintf(fp, "%s\n", p);
            return;
        }
        int cut = width;
        while (cut > 0 && p[cut] != ' ')
            cut--;
        if (cut == 0) {     /* one long word: break after it */
            cut = width;
            while (p[cut] != '\0' && p[cut] != ' ')
                cut++;
        }
        fprintf(fp, "%.*s\n", cut, p);
        p += cut;
        while (*p == ' ')
            p++;
    }
}

/* The junk rate with its interval: "9.6% (95% CI 9.1% to 10.1%)". */
static void junk_text(char *buf, size_t n, const struct sim_ci *ci)
{
    metric_fmt_share_ci(buf, n, ci->mean, ci->lo, ci->hi);
}

/* The searched key's entry in the key table. */
static const struct sim_schema_key *field_key(const struct size_ctx *c)
{
    return keytab_find(c->path);
}

/* "7 managers in group 'novices'", "1 manager in group 'novices'", "512 web
 * leads a week": a counted key's label reads after its number; the unit
 * opens the label, and loses its plural 's' for a count of 1. */
static void counted(const struct size_ctx *c, const struct sim_schema_key *k,
                    const char *v, double x, char *buf, size_t n)
{
    char label[160];
    scn_doc_label(c->doc, c->path, label, sizeof label);
    size_t u = k->unit != NULL ? strlen(k->unit) : 0;
    if (x == 1 && u > 1 && strncmp(label, k->unit, u) == 0 && k->unit[u - 1] == 's')
        snprintf(buf, n, "%s %.*s%s", v, (int)(u - 1), label, label + u);
    else
        snprintf(buf, n, "%s %s", v, label);
}

/* "With 7 managers in group 'novices' (team[1].count)", "At 512 web leads
 * a week (channels[0].arrivals.per_week)", "With contact.rush_penalty =
 * 0.31". */
static void at_value(const struct size_ctx *c, double x, char *buf, size_t n)
{
    char v[32], what[200];
    const struct sim_schema_key *k = field_key(c);
    fmt_x(v, sizeof v, x, c->integer);
    if (k != NULL && (k->tags & (KEYTAB_HEADCOUNT | KEYTAB_INFLOW))) {
        counted(c, k, v, x, what, sizeof what);
        snprintf(buf, n, "%s %s (%s)", k->tags & KEYTAB_INFLOW ? "At" : "With", what, c->path);
    } else {
        snprintf(buf, n, "With %s = %s", c->path, v);
    }
}

/* The short form of the same, for the second half of the sentence. */
static void at_value_short(const struct size_ctx *c, double x, char *buf, size_t n)
{
    char v[32];
    const struct sim_schema_key *k = field_key(c);
    fmt_x(v, sizeof v, x, c->integer);
    snprintf(buf, n, "%s %s", k != NULL && (k->tags & KEYTAB_INFLOW) ? "at" : "with", v);
}

/* ---- evaluating ---------------------------------------------------------------- */

static const struct size_run *run_at(const struct size_ctx *c, double x)
{
    for (size_t i = 0; i < c->n_runs; i++)
        if (c->runs[i].x == x)
            return &c->runs[i];
    return NULL;
}

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

/* The search's callback: every replication at x, the junk rate's mean and
 * 95% CI. */
static int evaluate(void *user, double x, struct sim_search_eval *out, struct sim_err *err)
{
    struct size_ctx *c = user;
    int rc = compile_at(c, x, &c->scn, err);
    if (rc != SIM_OK)
        return rc;
    const struct scenario *points[1] = {&c->scn};
    struct cli_results res;
    rc = cli_simulate(c->o, points, 1, false, &res, err);
    if (rc == SIM_OK && res.interrupted)
        rc = SIM_TASK_INTERRUPTED;
    struct metric_summary s;
    if (rc == SIM_OK) {
        cli_timing(c->o, &res);     /* with --timing: a line per run */
        cli_summarise(&res, 0, &s);
    }
    cli_results_free(&res);
    if (rc != SIM_OK)
        return rc;
    const struct sim_ci *junk = &s.ci[METRIC_JUNK_RATE];
    if (!isfinite(junk->mean))
        return sim_err_set(err, SIM_ERR_INPUT,
                           "size: at %s = %.10g: no lead was resolved in the measured window, "
                           "so the junk rate is undefined: narrow --from/--to", c->path, x);
    out->mean = junk->mean;
    out->lo = junk->lo;
    out->hi = junk->hi;
    if (c->n_runs < SIZE_MAX_RUNS) {
        struct size_run *r = &c->runs[c->n_runs++];
        r->x = x;
        r->junk = *junk;
        r->load = capacity_load_of(&c->scn, &s);
    }
    if (c->chatty) {
        char v[32], j[64];
        fmt_x(v, sizeof v, x, c->integer);
        junk_text(j, sizeof j, junk);
        fprintf(stderr, "size: %s = %s: junk rate %s\n", c->path, v, j);
    }
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
    fmt_x(cur, sizeof cur, v, c->integer);
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
    for (int k = 0; k < 2; k++) {
        if ((rc = compile_at(c, ends[k], &c->scn, err)) != SIM_OK) {
            if (c->bounds_note[0] != '\0')
                fprintf(stderr, "funnelsim: size: %s; give --from and --to to choose others\n",
                        c->bounds_note);
            return rc;
        }
    }
    return SIM_OK;
}

/* ---- reporting ----------------------------------------------------------------- */

static cJSON *pair_json(double a, double b)
{
    if (isnan(a) && isnan(b))
        return cJSON_CreateNull();
    cJSON *arr = cJSON_CreateArray();
    cJSON_AddItemToArray(arr, out_number_or_null(a));
    cJSON_AddItemToArray(arr, out_number_or_null(b));
    return arr;
}

static const char *status_name(enum sim_search_status s)
{
    return s == SIM_SEARCH_FOUND ? "found" : s == SIM_SEARCH_AT_BOUND ? "at_bound"
                                                                     : "not_reachable";
}

static const char *direction_name(enum sim_search_dir d)
{
    return d == SIM_SEARCH_DECREASING ? "decreasing"
           : d == SIM_SEARCH_INCREASING ? "increasing" : "flat";
}

static int by_x(const void *a, const void *b)
{
    double x = ((const struct size_run *)a)->x, y = ((const struct size_run *)b)->x;
    return (x > y) - (x < y);
}

static cJSON *run_json(const struct size_run *r)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddNumberToObject(obj, "value", r->x);
    cJSON_AddItemToObject(obj, "junk_rate", out_ci_json(&r->junk));
    out_load_json(obj, &r->load);
    cJSON_AddBoolToObject(obj, "over_capacity", r->load.over);
    return obj;
}

/* The answer as JSON (the shape plus the search's facts).  The
 * runs are sorted by value (c->runs is sorted before this is called). */
static cJSON *size_json(const struct size_ctx *c)
{
    const struct sim_search_result *res = &c->res;
    cJSON *doc = cJSON_CreateObject();
    const struct size_run *at = isnan(res->answer) ? NULL : run_at(c, res->answer);
    cJSON_AddStringToObject(doc, "scenario", c->base.name);
    out_json_text(doc, "file", c->base.source);
    cJSON_AddStringToObject(doc, "vary", c->path);
    cJSON_AddBoolToObject(doc, "whole_numbers", c->integer);
    cJSON_AddNumberToObject(doc, "target", c->o->target_junk);
    cJSON_AddItemToObject(doc, "bounds", pair_json(c->lo, c->hi));
    cJSON_AddStringToObject(doc, "status", status_name(res->status));
    cJSON_AddStringToObject(doc, "direction", direction_name(res->direction));
    cJSON_AddItemToObject(doc, "answer", out_number_or_null(res->answer));
    cJSON_AddItemToObject(doc, "junk_rate", at ? out_ci_json(&at->junk) : cJSON_CreateNull());
    cJSON_AddItemToObject(doc, "bracket", res->status == SIM_SEARCH_UNREACHABLE
                                              ? cJSON_CreateNull()
                                              : pair_json(res->bracket[0], res->bracket[1]));
    cJSON_AddItemToObject(doc, "answer_interval", pair_json(res->interval[0], res->interval[1]));
    cJSON_AddBoolToObject(doc, "converged", res->converged);
    /* At the answer, or at the base scenario when there is none. */
    struct capacity_load load = at != NULL ? at->load : capacity_load_of(&c->base, NULL);
    out_load_json(doc, &load);
    cJSON_AddNumberToObject(doc, "replications", c->reps);
    out_json_u64(doc, "seed", c->base.seed);
    cJSON *runs = cJSON_AddArrayToObject(doc, "runs");
    for (size_t i = 0; i < c->n_runs; i++)
        cJSON_AddItemToArray(runs, run_json(&c->runs[i]));
    return doc;
}

static void size_csv(FILE *fp, const void *self)
{
    const struct size_ctx *c = self;
    const struct sim_search_result *res = &c->res;
    struct sim_csv w = sim_csv_on(fp);
    static const char *const head[] = {"value", "junk_rate_mean", "junk_rate_lo",
                                       "junk_rate_hi", "offered_per_week",
                                       "capacity_per_week", "load_ratio", "role"};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        sim_csv_text(&w, head[k]);
    sim_csv_end(&w);
    for (size_t i = 0; i < c->n_runs; i++) {
        const struct size_run *r = &c->runs[i];
        const char *role = r->x == res->answer ? "answer"
                           : r->x == res->bracket[0] || r->x == res->bracket[1] ? "bracket"
                                                                                : "";
        sim_csv_number(&w, r->x);
        out_csv_ci(&w, &r->junk);
        const double fixed[] = {r->load.offered, r->load.capacity, r->load.ratio};
        for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
            sim_csv_number(&w, fixed[k]);
        sim_csv_text(&w, role);
        sim_csv_end(&w);
    }
}

/* The lead sentence, then the answer, its interval, the load, and the
 * runs. */
static void size_table(FILE *fp, const void *self)
{
    const struct size_ctx *c = self;
    const struct sim_search_result *res = &c->res;
    char t[16], a[160], b[64], j[64], jb[64], v[32], lo[32], hi[32], para[1024];
    metric_fmt_target(t, sizeof t, c->o->target_junk);
    fmt_x(lo, sizeof lo, c->lo, c->integer);
    fmt_x(hi, sizeof hi, c->hi, c->integer);
    fprintf(fp, "%s: size %s for a junk rate at or under %s\n", c->base.name, c->path, t);
    snprintf(para, sizeof para, "searched %s to %s%s%s%s; %u replications per run, seed %llu",
             lo, hi, c->bounds_note[0] ? " (" : "", c->bounds_note,
             c->bounds_note[0] ? ")" : "", c->reps, (unsigned long long)c->base.seed);
    wrap(fp, para);
    fputc('\n', fp);
    bool falling = res->direction == SIM_SEARCH_DECREASING ||
                   (res->direction == SIM_SEARCH_FLAT && c->integer);
    const struct size_run *at = isnan(res->answer) ? NULL : run_at(c, res->answer);

    if (res->status == SIM_SEARCH_UNREACHABLE) {
        /* The better bound first: the one with the lower junk rate. */
        const struct size_run *r_lo = run_at(c, c->lo), *r_hi = run_at(c, c->hi);
        const struct size_run *best = r_lo->junk.mean <= r_hi->junk.mean ? r_lo : r_hi;
        const struct size_run *other = best == r_lo ? r_hi : r_lo;
        at_value(c, best->x, a, sizeof a);
        at_value_short(c, other->x, b, sizeof b);
        junk_text(j, sizeof j, &best->junk);
        metric_fmt_share(jb, sizeof jb, other->junk.mean);
        snprintf(para, sizeof para,
                 "The %s target is not reachable within [%s, %s]. %s the junk rate is still "
                 "%s; %s it is %s. Widen the range with --from/--to, or change another "
                 "lever.", t, lo, hi, a, j, b, jb);
        wrap(fp, para);
    } else if (res->status == SIM_SEARCH_AT_BOUND) {
        at_value(c, res->answer, a, sizeof a);
        junk_text(j, sizeof j, &at->junk);
        snprintf(para, sizeof para,
                 "%s the junk rate is %s, at or under the %s target already at the %s "
                 "bound: the target holds over the whole range %s to %s. %s to look "
                 "further.", a, j, t, falling ? "lower" : "upper", lo, hi,
                 falling ? "Lower --from" : "Raise --to");
        wrap(fp, para);
    } else {
        double other = res->bracket[0] == res->answer ? res->bracket[1] : res->bracket[0];
        const struct size_run *ro = run_at(c, other);
        at_value(c, res->answer, a, sizeof a);
        at_value_short(c, other, b, sizeof b);
        junk_text(j, sizeof j, &at->junk);
        metric_fmt_share(jb, sizeof jb, ro->junk.mean);
        snprintf(para, sizeof para, "%s the junk rate is %s, at or under the %s target; "
                 "%s it is %s.", a, j, t, b, jb);
        wrap(fp, para);
    }

    if (at != NULL) {
        fmt_x(v, sizeof v, res->answer, c->integer);
        fputc('\n', fp);
        snprintf(para, sizeof para,
                 "Answer: %s, the %s %s that keeps the junk rate at or under %s (the junk "
                 "rate %s as %s rises%s).", v, falling ? "smallest" : "largest", c->path, t,
                 res->direction == SIM_SEARCH_FLAT ? "does not change"
                 : falling                          ? "falls"
                                                    : "rises",
                 c->path, res->status == SIM_SEARCH_AT_BOUND ? "; the answer is a bound" : "");
        wrap(fp, para);
        fmt_x(lo, sizeof lo, res->interval[0], c->integer);
        fmt_x(hi, sizeof hi, res->interval[1], c->integer);
        if (res->status == SIM_SEARCH_AT_BOUND)
            para[0] = '\0';
        else if (res->interval[0] == res->interval[1])
            snprintf(para, sizeof para, "Answer interval: %s alone (the runs either side "
                     "are clear of the target).", lo);
        else
            snprintf(para, sizeof para, "Answer interval: %s to %s (there the 95%% CI of the "
                     "junk rate contains the target; more replications, --reps, narrow "
                     "it).", lo, hi);
        if (para[0] != '\0')
            wrap(fp, para);
        snprintf(para, sizeof para, "At the answer: %.0f leads a week to sales, team "
                 "capacity %.0f a week (nominal), load %.2f.", at->load.offered,
                 at->load.capacity, at->load.ratio);
        wrap(fp, para);
        if (!res->converged)
            wrap(fp, "Note: the search stopped at its iteration limit before the bracket "
                     "was narrow.");
    }

    fprintf(fp, "\nRuns:\n%14s  %-34s %9s %9s %6s\n", out_path_leaf(c->path), "junk rate",
            "offered", "capacity", "load");
    bool any_over = false;
    for (size_t i = 0; i < c->n_runs; i++) {
        const struct size_run *r = &c->runs[i];
        fmt_sig(v, sizeof v, r->x, c->integer, 6);
        junk_text(j, sizeof j, &r->junk);
        bool in_bracket = r->x == res->bracket[0] || r->x == res->bracket[1];
        const char *note = r->x == res->answer ? "  <- answer"
                           : in_bracket && res->status == SIM_SEARCH_FOUND
                               ? "  <- over target"
                               : "";
        fprintf(fp, "%14s  %-34s %9.0f %9.0f %5.2f%c%s\n", v, j, r->load.offered,
                r->load.capacity, r->load.ratio, r->load.over ? '*' : ' ', note);
        any_over = any_over || r->load.over;
    }
    if (any_over)
        fprintf(fp, "\n%s", out_over_capacity_note);
}

/* ---- the command ----------------------------------------------------------------- */

static int setup(struct size_ctx *c, struct cli_opts *o, struct sim_err *err)
{
    if (o->n_args != 1)
        return sim_err_set(err, SIM_ERR_INPUT, "size: needs exactly one SCENARIO file (got %zu)",
                           o->n_args);
    if (!o->given[OPT_TARGET_JUNK] || o->vary == NULL)
        return sim_err_set(err, SIM_ERR_INPUT,
                           "size: needs --target-junk SHARE and --vary PATH");
    c->o = o;
    c->path = o->vary;
    int rc = cli_load(o, o->args[0], &c->doc, &c->base, err);
    if (rc != SIM_OK)
        return rc;
    c->reps = c->base.replications;
    if ((rc = choose_bounds(c, err)) != SIM_OK)
        return rc;
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
    struct sim_search_opts so = {
        .lo = c->lo, .hi = c->hi, .target = o->target_junk, .integer = c->integer,
    };
    rc = sim_search_run(&so, evaluate, c, &c->res, &err);
    if (rc == SIM_TASK_INTERRUPTED) {
        fprintf(stderr, "funnelsim: size: interrupted after %zu runs, before an answer\n",
                c->res.n_evals);
        rc = CLI_EXIT_INTERRUPTED;
        goto done;
    }
    if (rc != SIM_OK)
        goto done;
    qsort(c->runs, c->n_runs, sizeof c->runs[0], by_x);
    json = size_json(c);
    struct out_doc out = {
        .stem = "size", .json = json, .self = c, .csv = size_csv, .table = size_table,
    };
    rc = out_emit(o, &out, &err);
done:
    cJSON_Delete(json);
    sim_search_result_free(&c->res);
    scn_doc_free(c->doc);
    free(c);
    return cli_finish(cmd, rc, &err);
}

const struct cli_command cmd_size = {
    .name = "size",
    .usage = "SCENARIO --target-junk SHARE --vary PATH [--from A --to B] [options]",
    .summary = "Find the smallest team or the largest weekly inflow (any monotone field)\n"
               "that keeps the junk rate at or under a target.",
    .help = "PATH names a numeric field as in --set.  A field that takes whole numbers\n"
            "(team[1].count) is searched by bisection on whole numbers; any other\n"
            "(channels[0].arrivals.per_week) by root finding (GSL's Brent method) on the\n"
            "mean junk rate, to a thousandth of the range.  The direction is read from the\n"
            "bounds: when the junk rate falls as the field rises (a head count) the answer\n"
            "is the smallest value at or under the target, when it rises (an inflow) the\n"
            "largest.  Every run simulates all replications with the same seed, so the\n"
            "numbers agree with 'funnelsim run --set PATH=VALUE'.\n"
            "\n"
            "Bounds: --from and --to; by default 1 to 4 times the current value for whole\n"
            "numbers, a quarter to 4 times it for others.\n"
            "\n"
            "The answer interval: the range of values over which the 95% CI of the junk\n"
            "rate contains the target (from where the CI's upper bound meets the target to\n"
            "where its lower bound does), found by the same search on the runs either side\n"
            "of the answer.  Within it, the simulation cannot tell the junk rate from the\n"
            "target; more replications (--reps) narrow it.\n"
            "\n"
            "When the target holds at both bounds the answer is the bound on the feasible\n"
            "side (status at_bound: widen the range to look further); when it holds at\n"
            "neither, the output says 'not reachable within [A, B]', the JSON answer is\n"
            "null (status not_reachable), and the exit code is still 0.\n"
            "\n"
            "--format json prints {\"answer\", \"junk_rate\": {\"mean\", \"ci95\"} at the answer,\n"
            "\"bracket\": [below, above] (the evaluated values either side of the crossing),\n"
            "\"answer_interval\", \"runs\": [...], \"target\", \"vary\", \"status\",\n"
            "\"direction\", \"capacity_per_week\", ...}; --format csv the runs.  --out DIR\n"
            "writes size.json and size.csv.  On a terminal each run is reported on standard\n"
            "error as it ends (not with --quiet); --timing prints the speed figures of\n"
            "each run.  Ctrl-C stops the search (exit 130, no answer).\n"
            "\nExamples:\n"
            "  funnelsim size scenarios/article-baseline.json --target-junk 0.35 \\\n"
            "      --vary team[1].count\n"
            "  funnelsim size scenarios/validation-erlang-c.json --target-junk 0.10 \\\n"
            "      --vary channels[0].arrivals.per_week --from 100 --to 1500 --format json\n",
    .options = OPTS_RUNNING | OPT_BIT(OPT_VARY) | OPT_BIT(OPT_FROM) | OPT_BIT(OPT_TO) |
               OPT_BIT(OPT_TARGET_JUNK),
    .run = size,
};
