/*
 * cmd_fit.c - `funnelsim fit DIR`: the unobservable keys of DIR's draft
 * scenario fitted to DIR's history (models/fit.h), with a back-test on
 * held-out weeks (models/backtest.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/manifest.h"
#include "cli/output.h"
#include "models/backtest.h"
#include "models/fit.h"
#include "models/history.h"
#include "plots/plot_fit.h"
#include "sim/date.h"
#include "sim/mem.h"

struct fit_cmd {
    const char *dir;
    struct fit_problem *p;
    struct fit_result *res;
    struct fit_opts fo;
    unsigned bootstrap;
    double holdout_h;           /* NAN: no back-test */
    const char *holdout_text;
    struct backtest *bt;        /* NULL: none */
    cJSON *json;
    char *scenario_text;        /* FIT/scenario.json */
    bool tty;
};

static void progress(void *user, const struct fit_progress *pr)
{
    const struct fit_cmd *c = user;
    if (!c->tty && pr->evals % 25 != 0)
        return;
    if (pr->refits)
        fprintf(stderr, "%sfit: bootstrap refit %u of %u, evaluation %u, J %.3g   %s",
                c->tty ? "\r" : "", pr->refit, pr->refits, pr->evals, pr->best,
                c->tty ? "" : "\n");
    else if (strcmp(pr->phase, "fit") == 0)
        fprintf(stderr, "%sfit: search, evaluation %u, best J %.4g   %s", c->tty ? "\r" : "",
                pr->evals, pr->best, c->tty ? "" : "\n");
    else
        fprintf(stderr, "%sfit: %s, evaluation %u   %s", c->tty ? "\r" : "", pr->phase,
                pr->evals, c->tty ? "" : "\n");
}

/* --fit's comma-separated paths into paths[]; the count, or 0 with err. */
static size_t parse_keys(const char *text, char paths[][SIM_SCHEMA_PATH_MAX], struct sim_err *err)
{
    size_t n = 0;
    const char *s = text;
    while (*s) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == 0 || len >= SIM_SCHEMA_PATH_MAX || n == FIT_KEYS_MAX) {
            sim_err_set(err, SIM_ERR_INPUT, "--fit %s: %s", text,
                        n == FIT_KEYS_MAX ? "at most 16 keys" : "an empty or too long path");
            return 0;
        }
        memcpy(paths[n], s, len);
        paths[n++][len] = '\0';
        s += len + (e != NULL);
    }
    if (n == 0)
        sim_err_set(err, SIM_ERR_INPUT, "--fit: needs at least one key path");
    return n;
}

/* --holdout-from: a date (with a dated history) or a day number, strictly
 * inside the history; the hours from day 0 into *h. */
static int parse_holdout(const char *text, const struct history *hist, double *h,
                         struct sim_err *err)
{
    int32_t date;
    char why[96];
    char *end;
    double day;
    long v = strtol(text, &end, 10);
    if (*text != '\0' && *end == '\0') {
        day = (double)v;
    } else if (sim_date_parse(text, &date, why, sizeof why)) {
        if (!hist->origin.dated)
            return sim_err_set(err, SIM_ERR_INPUT, "--holdout-from %s: the history has no "
                               "dates: give a day number", text);
        day = (double)(date - hist->origin.date);
    } else {
        return sim_err_set(err, SIM_ERR_INPUT, "--holdout-from %s: must be a date YYYY-MM-DD "
                           "or a day number: %s", text, why);
    }
    if (!(day * 24 >= 7 * 24 && day * 24 <= hist->horizon_h - 7 * 24))
        return sim_err_set(err, SIM_ERR_INPUT, "--holdout-from %s: must leave at least a week "
                           "before and after it in the history (days 7 to %.0f)", text,
                           hist->horizon_h / 24 - 7);
    *h = day * 24;
    return SIM_OK;
}

static cJSON *number_or_null(double x)
{
    return isfinite(x) ? cJSON_CreateNumber(x) : cJSON_CreateNull();
}

static void add_interval(cJSON *o, const char *name, double lo, double hi)
{
    if (isnan(lo)) {
        cJSON_AddNullToObject(o, name);
        return;
    }
    cJSON *ci = cJSON_AddArrayToObject(o, name);
    cJSON_AddItemToArray(ci, cJSON_CreateNumber(lo));
    cJSON_AddItemToArray(ci, cJSON_CreateNumber(hi));
}

static cJSON *fit_json(const struct fit_cmd *c)
{
    const struct fit_problem *p = c->p;
    const struct fit_result *r = c->res;
    cJSON *j = cJSON_CreateObject();
    out_json_text(j, "history", c->dir);
    cJSON_AddStringToObject(j, "method", "simulated moments");
    cJSON_AddStringToObject(j, "algorithm", "Sobol first look, NLOPT_LN_SBPLX, local response surface");
    cJSON_AddBoolToObject(j, "interrupted", r->interrupted);
    cJSON_AddNumberToObject(j, "replications_per_evaluation",
                            c->fo.reps ? c->fo.reps : FIT_DEFAULT_REPS);
    cJSON_AddNumberToObject(j, "evaluations", r->evals);
    cJSON_AddItemToObject(j, "objective", number_or_null(r->objective));
    cJSON_AddNumberToObject(j, "moments_used", (double)r->n_moments);
    cJSON_AddNumberToObject(j, "degrees_of_freedom", r->dof);
    cJSON *ref = cJSON_AddObjectToObject(j, "j_reference");
    cJSON_AddItemToObject(ref, "scale", number_or_null(r->j_scale));
    cJSON_AddItemToObject(ref, "degrees_of_freedom", number_or_null(r->j_dof));
    cJSON_AddItemToObject(j, "j_test_p", number_or_null(r->p_value));
    cJSON_AddStringToObject(j, "intervals", "sandwich: G'WG and the moments' covariance "
                            "at the estimate (docs/fit.md)");
    cJSON *b = cJSON_AddObjectToObject(j, "bootstrap");
    cJSON_AddNumberToObject(b, "asked", c->bootstrap);
    cJSON_AddNumberToObject(b, "refits", r->refits);
    if (isnan(c->holdout_h))
        cJSON_AddNullToObject(j, "holdout_from");
    else
        out_json_text(j, "holdout_from", c->holdout_text);
    cJSON *keys = cJSON_AddArrayToObject(j, "keys");
    for (size_t i = 0; i < p->n_keys; i++) {
        const struct fit_key *k = &p->key[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "path", k->path);
        cJSON_AddStringToObject(o, "label", k->key->label ? k->key->label : k->path);
        if (k->key->unit)
            cJSON_AddStringToObject(o, "unit", k->key->unit);
        cJSON_AddNumberToObject(o, "start", k->start);
        cJSON *bounds = cJSON_AddArrayToObject(o, "bounds");
        cJSON_AddItemToArray(bounds, cJSON_CreateNumber(k->lo));
        cJSON_AddItemToArray(bounds, cJSON_CreateNumber(k->hi));
        cJSON_AddNumberToObject(o, "estimate", k->estimate);
        add_interval(o, "ci95", k->ci_lo, k->ci_hi);
        cJSON_AddItemToObject(o, "se_search_scale", number_or_null(k->sd_unit));
        cJSON_AddBoolToObject(o, "identified", isfinite(k->sd_unit));
        cJSON_AddBoolToObject(o, "at_search_bound", fit_key_at_search_bound(k));
        if (c->bootstrap > 0)
            add_interval(o, "ci95_bootstrap", k->boot_lo, k->boot_hi);
        cJSON_AddItemToArray(keys, o);
    }
    cJSON *ms = cJSON_AddArrayToObject(j, "moments");
    for (size_t i = 0; i < p->obs.n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", p->obs.name[i]);
        cJSON_AddItemToObject(o, "observed", number_or_null(p->obs.value[i]));
        cJSON_AddItemToObject(o, "sd", number_or_null(sqrt(p->obs.var[i])));
        cJSON_AddItemToObject(o, "fitted", number_or_null(i < r->fitted.n ? r->fitted.value[i]
                                                                          : NAN));
        cJSON_AddItemToArray(ms, o);
    }
    if (c->bt != NULL)
        cJSON_AddItemToObject(j, "backtest", backtest_summary_json(c->bt));
    return j;
}

static void fit_csv(FILE *fp, const void *self)
{
    const struct fit_cmd *c = self;
    fputs("moment,observed,sd,fitted\n", fp);
    for (size_t i = 0; i < c->p->obs.n; i++)
        fprintf(fp, "%s,%.9g,%.9g,%.9g\n", c->p->obs.name[i], c->p->obs.value[i],
                sqrt(c->p->obs.var[i]),
                i < c->res->fitted.n ? c->res->fitted.value[i] : NAN);
}

static void fit_table(FILE *fp, const void *self)
{
    const struct fit_cmd *c = self;
    const struct fit_result *r = c->res;
    fprintf(fp, "fit of %s%s: %u evaluations of %u replications, J %.3f on %zu moments, "
            "J-test p %.3g", c->dir, r->interrupted ? " (interrupted: the best so far)" : "",
            r->evals, c->fo.reps ? c->fo.reps : FIT_DEFAULT_REPS, r->objective, r->n_moments,
            r->p_value);
    if (isfinite(r->j_dof))
        fprintf(fp, " (J against %.3g x chi-square on %.1f degrees of freedom)", r->j_scale,
                r->j_dof);
    fputc('\n', fp);
    if (r->p_value < 0.01)
        fprintf(fp, "the J test rejects this model (p < 0.01): the fitted values do not "
                "reproduce the history; do not plan on them\n");
    fprintf(fp, "%-40s %12s %12s   %-26s%s\n", "key", "start", "estimate", "95% interval",
            r->refits ? "bootstrap 95%" : "");
    for (size_t i = 0; i < c->p->n_keys; i++) {
        const struct fit_key *k = &c->p->key[i];
        char ci[64] = "";
        if (isinf(k->sd_unit))
            snprintf(ci, sizeof ci, "not identified");
        else if (!isnan(k->ci_lo))
            snprintf(ci, sizeof ci, "%.5g to %.5g", k->ci_lo, k->ci_hi);
        fprintf(fp, "%-40s %12.5g %12.5g   %-26s", k->path, k->start, k->estimate, ci);
        if (r->refits && !isnan(k->boot_lo))
            fprintf(fp, "%.5g to %.5g", k->boot_lo, k->boot_hi);
        fputc('\n', fp);
    }
    if (r->refits)
        fprintf(fp, "bootstrap: %u refits\n", r->refits);
    for (size_t i = 0; i < c->p->n_keys; i++) {
        const struct fit_key *k = &c->p->key[i];
        if (fit_key_at_search_bound(k))
            fprintf(fp, "warning: %s ended at the search's bound (%.5g to %.5g, made from its "
                    "start value): the data may point beyond it; start it nearer "
                    "(--set %s=...) and fit again\n", k->path, k->lo, k->hi, k->path);
    }
    if (c->bt != NULL)
        backtest_table(fp, c->bt);
}

static int more_files(const char *dir, const void *self, struct sim_err *err)
{
    const struct fit_cmd *c = self;
    int rc = sim_file_write_text(dir, "scenario.json", c->scenario_text, err);
    if (rc == SIM_OK && c->bt != NULL) {
        struct sim_file f;
        if ((rc = sim_file_open(&f, dir, "backtest.csv", err)) == SIM_OK) {
            backtest_csv(f.fp, c->bt);
            rc = sim_file_commit(&f, err);
        }
    }
    return rc;
}

/* FIT/backtest.png and .svg (plots/plot_fit.h), once backtest.csv is
 * written.  A missing gnuplot is a warning: the fit and the chart's data
 * and script are there to draw later; Ctrl-C while it draws is exit 130. */
static int draw_backtest(const struct cli_opts *o, const struct history *hist,
                         const struct backtest *bt, struct sim_err *err)
{
    struct plot_fit_opts po = {.stop = cli_stop_flag()};
    struct plot_fit_outcome pout;
    int rc = plot_fit_backtest(o->out, hist, bt, &po, &pout, err);
    if (rc != SIM_OK)
        return rc;
    if (pout.interrupted) {
        fprintf(stderr, "funnelsim: fit: interrupted while drawing %s/backtest.png: the fit "
                "is written, the chart is not\n", o->out);
        return CLI_EXIT_INTERRUPTED;
    }
    if (pout.gnuplot_missing)
        fprintf(stderr, "funnelsim: warning: fit: gnuplot not found on PATH: the back-test "
                "chart's data and script are in %s (backtest.dat, backtest.gp) but it is not "
                "drawn; install gnuplot (apt-get install gnuplot-nox) and run 'gnuplot "
                "backtest.gp' there\n", o->out);
    else if (!o->quiet && o->format == FORMAT_TABLE)
        printf("back-test chart: %s/backtest.png (and .svg)\n", o->out);
    return SIM_OK;
}

static int run(const struct cli_command *cmd, struct cli_opts *o)
{
    struct sim_err err = {0};
    if (o->n_args != 1) {
        sim_err_set(&err, SIM_ERR_INPUT, "fit: needs exactly one DIR, from import (got %zu)",
                    o->n_args);
        return cli_fail(cmd, &err);
    }
    if (o->out == NULL) {
        sim_err_set(&err, SIM_ERR_INPUT, "fit: needs --out FIT, the directory for fit.json "
                    "and the fitted scenario.json");
        return cli_fail(cmd, &err);
    }
    struct fit_cmd c = {.dir = o->args[0], .holdout_h = NAN, .holdout_text = o->holdout_from};
    struct history hist = {0}, cut = {0};
    struct scn_doc *doc = NULL;
    struct scenario *scn = sim_calloc(1, sizeof *scn);
    c.p = sim_calloc(1, sizeof *c.p);
    c.res = sim_calloc(1, sizeof *c.res);
    char scn_path[PATH_MAX];
    char paths[FIT_KEYS_MAX][SIM_SCHEMA_PATH_MAX];
    const char *key_ptr[FIT_KEYS_MAX];
    size_t n_keys = 0;
    snprintf(scn_path, sizeof scn_path, "%s/scenario.json", c.dir);
    int rc = history_load(c.dir, &hist, &err);
    if (rc == SIM_OK && access(scn_path, F_OK) != 0)
        rc = sim_err_set(&err, SIM_ERR_INPUT, "fit: %s: no draft scenario (import writes "
                         "one; or put the scenario to start from there)", scn_path);
    if (rc == SIM_OK)
        rc = cli_load(o, scn_path, &doc, scn, &err);
    if (rc == SIM_OK && o->holdout_from != NULL)
        rc = parse_holdout(o->holdout_from, &hist, &c.holdout_h, &err);
    if (rc == SIM_OK) {
        n_keys = o->fit_keys ? parse_keys(o->fit_keys, paths, &err) : fit_default_keys(scn, paths);
        if (n_keys == 0)
            rc = err.code ? err.code : SIM_ERR_INPUT;
        for (size_t i = 0; i < n_keys; i++)
            key_ptr[i] = paths[i];
    }
    const struct history *obs = &hist;
    if (rc == SIM_OK && !isnan(c.holdout_h)) {
        fit_history_cut(&hist, c.holdout_h, &cut);
        obs = &cut;
    }
    if (rc == SIM_OK)
        rc = fit_problem_init(c.p, doc, obs, key_ptr, n_keys, obs->horizon_h, "--fit", &err);
    if (rc == SIM_OK)
        rc = out_prepare_dir(o, &err);
    if (rc != SIM_OK)
        goto done;

    c.bootstrap = o->given[OPT_BOOTSTRAP] ? o->bootstrap : FIT_DEFAULT_BOOTSTRAP;
    c.tty = isatty(fileno(stderr));
    c.fo = (struct fit_opts){
        .reps = o->given[OPT_REPS] ? scn->replications : FIT_DEFAULT_REPS,
        .bootstrap = c.bootstrap, .jobs = o->jobs, .interrupt = cli_stop_flag(),
        .progress = o->quiet ? NULL : progress, .user = &c,
    };
    cli_signals();
    rc = fit_run(c.p, &c.fo, c.res, &err);
    if (!o->quiet && c.tty)
        fputc('\n', stderr);
    if (rc != SIM_OK)
        goto done;
    if (!c.res->interrupted && !isnan(c.holdout_h)) {
        double x[FIT_KEYS_MAX] = {0};
        for (size_t i = 0; i < c.p->n_keys; i++)
            x[i] = c.p->key[i].estimate;
        c.bt = sim_calloc(1, sizeof *c.bt);
        rc = backtest_run(c.p, x, &hist, c.holdout_h, &c.fo, c.bt, &err);
        if (rc == SIM_TASK_INTERRUPTED) {
            c.res->interrupted = true;
            backtest_free(c.bt);
            free(c.bt);
            c.bt = NULL;
            rc = SIM_OK;
        }
        if (rc != SIM_OK)
            goto done;
    }
    {
        double x[FIT_KEYS_MAX] = {0};
        for (size_t i = 0; i < c.p->n_keys; i++)
            x[i] = c.p->key[i].estimate;
        struct scn_doc *fitted = fit_doc_at(c.p, x, false, 0, 0, &err);
        if (fitted == NULL) {
            rc = err.code ? err.code : SIM_ERR_RUNTIME;
            goto done;
        }
        if ((rc = fit_doc_relative_traces(fitted, scn, o->out, &err)) != SIM_OK) {
            scn_doc_free(fitted);
            goto done;
        }
        char *text = scn_doc_print(fitted);
        size_t n = strlen(text);
        c.scenario_text = sim_realloc(text, n + 2);
        memcpy(c.scenario_text + n, "\n", 2);
        scn_doc_free(fitted);
    }
    c.json = fit_json(&c);
    struct out_doc out = {
        .stem = "fit", .json = c.json, .self = &c, .csv = fit_csv, .table = fit_table,
        .more_files = more_files, .partial = c.res->interrupted,
    };
    if ((rc = out_emit(o, &out, &err)) != SIM_OK)
        goto done;
    if (c.bt != NULL && (rc = draw_backtest(o, &hist, c.bt, &err)) != SIM_OK)
        goto done;
    if (c.res->interrupted) {
        fprintf(stderr, "funnelsim: fit: interrupted: wrote the best fit so far (marked "
                "\"interrupted\": true)\n");
        rc = CLI_EXIT_INTERRUPTED;
    }
done:
    cJSON_Delete(c.json);
    free(c.scenario_text);
    if (c.bt != NULL) {
        backtest_free(c.bt);
        free(c.bt);
    }
    history_free(&hist);
    history_free(&cut);
    scn_doc_free(doc);
    free(scn);
    free(c.p);
    free(c.res);
    return cli_finish(cmd, rc, &err);
}

const struct cli_command cmd_fit = {
    .name = "fit",
    .usage = "DIR --out FIT [--fit PATH,...] [--bootstrap B] [--holdout-from DATE] [options]",
    .summary = "Fit what a CRM cannot show (interest and reach decay, misjudgement, reach)\n"
               "to the history `import` wrote into DIR, by simulated moments.",
    .help = "DIR holds the history (leads.csv, owners.csv) and the draft scenario.json that\n"
            "`import` writes.  The keys (--fit; by default the decay half-lives of the\n"
            "scenario's decay kinds, contact.misjudge_base, contact.rush_penalty and\n"
            "contact.p_reach) are searched within the key table's ranges (NLopt's\n"
            "Subplex) for the values whose simulated histories match the observed one's\n"
            "moments: per channel the stated-reason rates among reached leads (went_cold\n"
            "and unreachable split by fast and slow first contact), the time to first\n"
            "contact (median, 90th percentile) and conversion, and the slope of the\n"
            "weekly junk rate against the weekly load; each weighted by its sampling\n"
            "variance (docs/fit.md).  --reps N: replications per evaluation (default 10),\n"
            "all with the same seeds (common random numbers).  The estimate is the\n"
            "minimum of a local response surface around the search's best point; its\n"
            "95% intervals are the sandwich's, from that surface's slopes and the spread\n"
            "of 60 fresh replications at the estimate, which also give J and the J test\n"
            "(p below 0.01: the model cannot reproduce the history; do not plan on it).\n"
            "--bootstrap B (default 0): also B histories simulated from the fit, each\n"
            "fitted again, for percentile intervals (ci95_bootstrap; B fits of time).\n"
            "FIT/fit.json: each key's estimate and ci95, the objective J, the evaluations,\n"
            "the J test's p value, the moments observed and fitted; FIT/fit.csv the\n"
            "moments; FIT/scenario.json the scenario with the fitted values.\n"
            "--holdout-from DATE fits on the leads created before DATE (as the CRM stood\n"
            "that day) and predicts the weeks from DATE on: FIT/backtest.csv, observed\n"
            "against predicted weekly junk rate and conversion with 95% prediction\n"
            "intervals (with the draft's inflow: a replay of the observed arrivals when\n"
            "import made it from a dated history),\n"
            "drawn by gnuplot in FIT/backtest.png and .svg (without gnuplot: a warning).\n"
            "Ctrl-C stops the search and writes the best fit so far, marked\n"
            "\"interrupted\": true (exit 130).\n"
            "\nExample:\n  funnelsim fit crm --out crm/fit --holdout-from 2026-09-01\n",
    .options = OPT_BIT(OPT_REPS) | OPT_BIT(OPT_SEED) | OPT_BIT(OPT_JOBS) | OPT_BIT(OPT_SET) |
               OPT_BIT(OPT_FORMAT) | OPT_BIT(OPT_OUT) | OPT_BIT(OPT_QUIET) |
               OPT_BIT(OPT_OVERWRITE) | OPT_BIT(OPT_FIT) |
               OPT_BIT(OPT_BOOTSTRAP) | OPT_BIT(OPT_HOLDOUT_FROM),
    .formats = FORMATS_DEFAULT,
    .run = run,
};
