/* SPDX-License-Identifier: MIT */
/*
 * size_report.c - what `funnelsim size` found, in words, JSON and CSV.
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

void size_fmt_x(char *buf, size_t n, double x, bool integer)
{
    fmt_x(buf, n, x, integer);
}

void size_wrap(FILE *fp, const char *text)
{
    wrap(fp, text);
}

/* "9 to 11 managers in group 'novices'" (v = "9 to 11", x = 9), "rush
 * penalty = 0.3": the key's label from the key table, never its path. */
void size_counted(const struct size_ctx *c, const char *v, double x, char *buf, size_t n)
{
    const struct sim_schema_key *k = field_key(c);
    if (k != NULL && (k->tags & (KEYTAB_HEADCOUNT | KEYTAB_INFLOW))) {
        counted(c, k, v, x, buf, n);
    } else {
        char label[160];
        scn_doc_label(c->doc, c->path, label, sizeof label);
        snprintf(buf, n, "%s = %s", label, v);
    }
}

const char *size_status_name(enum size_status s)
{
    return s == SIZE_OK ? "ok" : s == SIZE_UNDECIDED ? "undecided" : "not_reachable";
}

/* ---- JSON and CSV ------------------------------------------------------------ */

cJSON *size_pair_json(double a, double b)
{
    if (isnan(a) && isnan(b))
        return cJSON_CreateNull();
    cJSON *arr = cJSON_CreateArray();
    cJSON_AddItemToArray(arr, out_number_or_null(a));
    cJSON_AddItemToArray(arr, out_number_or_null(b));
    return arr;
}

static const char *direction_name(const struct size_ctx *c)
{
    if (c->rise.found && c->fall.found)
        return "mixed";
    return c->rise.found ? "increasing" : c->fall.found ? "decreasing" : "flat";
}

static cJSON *change_json(const struct size_change *ch, double level)
{
    if (!ch->found)
        return cJSON_CreateNull();
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddItemToObject(obj, "between", size_pair_json(ch->from, ch->to));
    /* "ci95": 95% simultaneous over every pair compared; its own level
     * (Bonferroni) is given beside it. */
    cJSON_AddItemToObject(obj, "paired_difference", out_ci_json(&ch->diff));
    cJSON_AddNumberToObject(obj, "level", level);
    return obj;
}

const char *size_role(const struct size_ctx *c, const struct size_run *r)
{
    if (r->x == c->answer)
        return "answer";
    if (r->x == c->neighbour)
        return "neighbour";
    return r->scanned ? "scan" : "refine";
}

cJSON *size_run_json(const struct size_ctx *c, const struct size_run *r)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddNumberToObject(obj, "value", r->x);
    cJSON_AddItemToObject(obj, "junk_rate", out_ci_json(&r->junk));
    cJSON_AddItemToObject(obj, "lost_rate", out_ci_json(&r->lost));
    if (c->maximizing) {
        cJSON_AddItemToObject(obj, metric_descs[c->max.metric].key, out_ci_json(&r->obj));
        /* best - this, paired over the same replications; null when the
         * run was not compared (a value left behind at fewer
         * replications) */
        cJSON_AddItemToObject(obj, "below_best", isnan(r->vs_best.mean)
                                                     ? cJSON_CreateNull()
                                                     : out_ci_json(&r->vs_best));
        cJSON_AddBoolToObject(obj, "within_noise_of_best", r->within);
    }
    if (c->constrained)
        cJSON_AddBoolToObject(obj, "holds", sim_feasible_holds(r->junk.mean, c->o->target_junk));
    else
        cJSON_AddNullToObject(obj, "holds");
    cJSON_AddNumberToObject(obj, "replications", r->reps);
    cJSON_AddStringToObject(obj, "role", size_role(c, r));
    out_load_json(obj, &r->load);
    cJSON_AddBoolToObject(obj, "over_capacity", r->load.over);
    return obj;
}

cJSON *size_json(const struct size_ctx *c)
{
    cJSON *doc = cJSON_CreateObject();
    bool have = !isnan(c->answer), next = have && !isnan(c->neighbour);
    cJSON_AddStringToObject(doc, "scenario", c->base.name);
    out_json_text(doc, "file", c->base.source);
    cJSON_AddStringToObject(doc, "vary", c->path);
    cJSON_AddBoolToObject(doc, "whole_numbers", c->integer);
    cJSON_AddNumberToObject(doc, "target", c->o->target_junk);
    char on[48];
    cJSON_AddStringToObject(doc, "target_on", cli_target_on_name(&c->o->target_on, on, sizeof on));
    cJSON_AddItemToObject(doc, "bounds", size_pair_json(c->lo, c->hi));
    cJSON_AddStringToObject(doc, "want", c->largest ? "largest" : "smallest");
    cJSON_AddNumberToObject(doc, "steps", (double)c->n_scan);
    cJSON_AddStringToObject(doc, "status", size_status_name(c->status));
    cJSON_AddStringToObject(doc, "direction", direction_name(c));
    cJSON_AddBoolToObject(doc, "monotone", !(c->rise.found && c->fall.found));
    cJSON_AddItemToObject(doc, "rises", change_json(&c->rise, c->change_level));
    cJSON_AddItemToObject(doc, "falls", change_json(&c->fall, c->change_level));
    cJSON *feas = cJSON_AddArrayToObject(doc, "feasible");
    for (size_t i = 0; i < c->n_feasible && i < SIZE_MAX_FEASIBLE; i++)
        cJSON_AddItemToArray(feas, size_pair_json(c->feasible[i].from, c->feasible[i].to));
    cJSON_AddItemToObject(doc, "answer", out_number_or_null(c->answer));
    cJSON_AddItemToObject(doc, "junk_rate", have ? out_ci_json(&c->at.junk) : cJSON_CreateNull());
    cJSON_AddItemToObject(doc, "lost_rate", have ? out_ci_json(&c->at.lost) : cJSON_CreateNull());
    cJSON_AddItemToObject(doc, "answer_replications",
                          have ? cJSON_CreateNumber(c->at.reps) : cJSON_CreateNull());
    cJSON_AddItemToObject(doc, "neighbour", out_number_or_null(next ? c->neighbour : NAN));
    cJSON_AddItemToObject(doc, "neighbour_junk_rate",
                          next ? out_ci_json(&c->next.junk) : cJSON_CreateNull());
    cJSON_AddItemToObject(doc, "neighbour_lost_rate",
                          next ? out_ci_json(&c->next.lost) : cJSON_CreateNull());
    cJSON_AddItemToObject(doc, "bracket", next ? size_pair_json(fmin(c->answer, c->neighbour),
                                                           fmax(c->answer, c->neighbour))
                                               : cJSON_CreateNull());
    cJSON_AddItemToObject(doc, "undecided_between",
                          c->status == SIZE_UNDECIDED && next
                              ? size_pair_json(fmin(c->answer, c->neighbour),
                                          fmax(c->answer, c->neighbour))
                              : cJSON_CreateNull());
    cJSON_AddItemToObject(doc, "answer_interval", size_pair_json(c->interval[0], c->interval[1]));
    cJSON_AddBoolToObject(doc, "converged", c->converged);
    struct capacity_load load = have ? c->at.load : capacity_load_of(&c->base, NULL);
    out_load_json(doc, &load);
    cJSON_AddNumberToObject(doc, "replications", c->reps);
    cJSON_AddNumberToObject(doc, "max_reps", c->max_reps);
    out_json_u64(doc, "seed", c->base.seed);
    cJSON *runs = cJSON_AddArrayToObject(doc, "runs");
    for (size_t i = 0; i < c->n_runs; i++)
        cJSON_AddItemToArray(runs, size_run_json(c, &c->runs[i]));
    return doc;
}

void size_csv(FILE *fp, const void *self)
{
    const struct size_ctx *c = self;
    struct sim_csv w = sim_csv_on(fp);
    static const char *const head[] = {"value", "junk_rate_mean", "junk_rate_lo",
                                       "junk_rate_hi", "lost_rate_mean", "lost_rate_lo",
                                       "lost_rate_hi", "holds", "replications",
                                       "offered_per_week", "capacity_per_week",
                                       "load_ratio", "role"};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        sim_csv_text(&w, head[k]);
    sim_csv_end(&w);
    for (size_t i = 0; i < c->n_runs; i++) {
        const struct size_run *r = &c->runs[i];
        sim_csv_number(&w, r->x);
        out_csv_ci(&w, &r->junk);
        out_csv_ci(&w, &r->lost);
        sim_csv_number(&w, sim_feasible_holds(r->junk.mean, c->o->target_junk));
        sim_csv_number(&w, r->reps);
        const double fixed[] = {r->load.offered, r->load.capacity, r->load.ratio};
        for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
            sim_csv_number(&w, fixed[k]);
        sim_csv_text(&w, size_role(c, r));
        sim_csv_end(&w);
    }
}

/* ---- words ------------------------------------------------------------------- */

/* "[100, 320]", "[100, 320] and [400, 410]", "100": the feasible set. */
static void feasible_text(const struct size_ctx *c, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    size_t shown = c->n_feasible < SIZE_MAX_FEASIBLE ? c->n_feasible : SIZE_MAX_FEASIBLE;
    for (size_t i = 0; i < shown && len + 80 < n; i++) {
        char a[32], b[32];
        fmt_x(a, sizeof a, c->feasible[i].from, c->integer);
        fmt_x(b, sizeof b, c->feasible[i].to, c->integer);
        const char *sep = i == 0 ? "" : i + 1 == shown ? " and " : ", ";
        if (c->feasible[i].from == c->feasible[i].to)
            len += (size_t)snprintf(buf + len, n - len, "%s%s", sep, a);
        else
            len += (size_t)snprintf(buf + len, n - len, "%s%s to %s", sep, a, b);
    }
}

/* Which bounds of the range may be moved, for advice. */
void size_widen_text(const struct size_ctx *c, char *buf, size_t n)
{
    if (!c->lo_is_key_end && !c->hi_is_key_end)
        snprintf(buf, n, "Widen the range with --from/--to, or change another lever.");
    else if (!c->lo_is_key_end)
        snprintf(buf, n, "Lower --from (the range already ends at the key's largest "
                 "value), or change another lever.");
    else if (!c->hi_is_key_end)
        snprintf(buf, n, "Raise --to (the range already starts at the key's smallest "
                 "value), or change another lever.");
    else
        snprintf(buf, n, "The range is the key's whole range: change another lever.");
}

void size_table(FILE *fp, const void *self)
{
    const struct size_ctx *c = self;
    double target = c->o->target_junk;
    char t[16], a[160], j[64], jb[64], v[32], w[64], lo[32], hi[32], para[1400], feas[600];
    metric_fmt_target(t, sizeof t, target);
    fmt_x(lo, sizeof lo, c->lo, c->integer);
    fmt_x(hi, sizeof hi, c->hi, c->integer);
    fprintf(fp, "%s: size %s for a junk rate at or under %s\n", c->base.name, c->path, t);
    snprintf(para, sizeof para, "scanned %zu values from %s to %s%s%s%s, then refined where "
             "the status changes; %u replications per run (up to %u near the answer), "
             "seed %llu", c->n_scan, lo, hi, c->bounds_note[0] ? " (" : "", c->bounds_note,
             c->bounds_note[0] ? ")" : "", c->reps, c->max_reps,
             (unsigned long long)c->base.seed);
    wrap(fp, para);
    fputc('\n', fp);

    if (c->status == SIZE_NOT_REACHABLE) {
        const struct size_run *best = &c->runs[0];
        for (size_t i = 1; i < c->n_runs; i++)
            if (c->runs[i].junk.mean < best->junk.mean)
                best = &c->runs[i];
        at_value(c, best->x, a, sizeof a);
        junk_text(j, sizeof j, &best->junk);
        size_widen_text(c, feas, sizeof feas);
        snprintf(para, sizeof para, "The %s target is not reachable within [%s, %s]: no "
                 "scanned or refined value holds it. %s the junk rate is lowest, %s. %s",
                 t, lo, hi, a, j, feas);
        wrap(fp, para);
    } else {
        feasible_text(c, feas, sizeof feas);
        snprintf(para, sizeof para, "The target holds (mean junk rate at or under %s) "
                 "from %s.", t, feas);
        wrap(fp, para);
        fputc('\n', fp);
        at_value(c, c->answer, a, sizeof a);
        junk_text(j, sizeof j, &c->at.junk);
        fmt_x(v, sizeof v, c->answer, c->integer);
        size_t len = (size_t)snprintf(para, sizeof para,
                                      "Answer: %s, the %s %s holding the target%s. %s the "
                                      "junk rate is %s over %u replications", v,
                                      c->largest ? "largest" : "smallest", c->path,
                                      c->want_default ? "" : " (--want)", a, j, c->at.reps);
        if (!isnan(c->neighbour)) {
            at_value_short(c, c->neighbour, w, sizeof w);
            junk_text(jb, sizeof jb, &c->next.junk);
            len += (size_t)snprintf(para + len, sizeof para - len, "; %s it is %s", w, jb);
            if (sim_feasible_holds(c->next.junk.mean, target))
                len += (size_t)snprintf(para + len, sizeof para - len,
                                        ", at or under the target too with %u replications: "
                                        "the edge is inside the noise", c->next.reps);
        } else {
            bool end = c->largest ? c->hi_is_key_end : c->lo_is_key_end;
            len += (size_t)snprintf(para + len, sizeof para - len,
                                    "; it is the %s end of the range%s", c->largest ? "upper"
                                    : "lower", end ? ", and of the key's own range"
                                    : c->largest ? ": raise --to to look further"
                                                 : ": lower --from to look further");
        }
        snprintf(para + len, sizeof para - len, ".");
        wrap(fp, para);
        if (c->status == SIZE_UNDECIDED) {
            fmt_x(w, sizeof w, c->neighbour, c->integer);
            snprintf(para, sizeof para, "Undecided between %s and %s: with %u replications "
                     "the 95%% CI of the junk rate still contains the target (or the two "
                     "are in the wrong order); the difference is inside the noise. Raise "
                     "--max-reps to decide.", v, w, c->at.reps);
            wrap(fp, para);
        }
        if (!c->integer && !isnan(c->interval[0])) {
            fmt_x(lo, sizeof lo, c->interval[0], false);
            fmt_x(hi, sizeof hi, c->interval[1], false);
            snprintf(para, sizeof para, "Answer interval: %s to %s (there the 95%% CI of "
                     "the junk rate contains the target).", lo, hi);
            wrap(fp, para);
        }
        char l[64];
        junk_text(l, sizeof l, &c->at.lost);
        snprintf(para, sizeof para, "At the answer: lost rate, counting the leads held "
                 "back too, %s; %.0f leads a week to sales, team capacity %.0f a week "
                 "(nominal), load %.2f.", l,
                 c->at.load.offered, c->at.load.capacity, c->at.load.ratio);
        wrap(fp, para);
        if (!c->converged)
            wrap(fp, "Note: a refinement stopped at its iteration limit before its bracket "
                     "was narrow.");
    }
    if (c->rise.found && c->fall.found) {
        char f0[32], f1[32], r0[32], r1[32];
        fmt_x(f0, sizeof f0, c->fall.from, c->integer);
        fmt_x(f1, sizeof f1, c->fall.to, c->integer);
        fmt_x(r0, sizeof r0, c->rise.from, c->integer);
        fmt_x(r1, sizeof r1, c->rise.to, c->integer);
        snprintf(para, sizeof para, "Not monotone: the junk rate falls from %s to %s and "
                 "rises from %s to %s (paired differences over the same replications; "
                 "intervals excluding 0, 95%% simultaneous over every pair compared).", f0, f1, r0, r1);
        fputc('\n', fp);
        wrap(fp, para);
    }

    fprintf(fp, "\nRuns (+: holds the target):\n%14s  %-34s %6s %5s %9s %9s %6s\n",
            out_path_leaf(c->path), "junk rate", "lost", "reps", "offered", "capacity",
            "load");
    bool any_over = false;
    for (size_t i = 0; i < c->n_runs; i++) {
        const struct size_run *r = &c->runs[i];
        fmt_sig(v, sizeof v, r->x, c->integer, 6);
        junk_text(j, sizeof j, &r->junk);
        const char *note = r->x == c->answer ? "  <- answer"
                           : r->x == c->neighbour ? "  <- neighbour" : "";
        char l[16];
        metric_fmt_share(l, sizeof l, r->lost.mean);
        fprintf(fp, "%14s %c%-34s %6s %5u %9.0f %9.0f %5.2f%c%s\n", v,
                sim_feasible_holds(r->junk.mean, target) ? '+' : ' ', j, l, r->reps,
                r->load.offered, r->load.capacity, r->load.ratio, r->load.over ? '*' : ' ',
                note);
        any_over = any_over || r->load.over;
    }
    if (c->at.reps > c->reps) {
        fprintf(fp, "\nRerun with more replications:\n");
        const struct size_run *two[2] = {&c->at, &c->next};
        for (int k = 0; k < 2; k++) {
            if (isnan(two[k]->x))
                continue;
            fmt_sig(v, sizeof v, two[k]->x, c->integer, 6);
            junk_text(j, sizeof j, &two[k]->junk);
            char l[16];
            metric_fmt_share(l, sizeof l, two[k]->lost.mean);
            fprintf(fp, "%14s %c%-34s %6s %5u\n", v,
                    sim_feasible_holds(two[k]->junk.mean, target) ? '+' : ' ', j, l,
                    two[k]->reps);
        }
    }
    if (any_over)
        fprintf(fp, "\n%s", out_over_capacity_note);
}
