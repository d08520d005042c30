/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/scn_doc.h"
#include "models/series.h"
#include "cli/cli.h"
#include "cli/manifest.h"
#include "cli/output.h"
#include "sim/mem.h"
#include "sim/runner.h"

/* Entry i of series `id`: its mean over the finished replications. */
static double series_mean(const struct cli_results *res, enum series_id id, size_t i)
{
    double sum = 0.0;
    unsigned n = 0;
    for (unsigned r = 0; r < res->reps; r++) {
        if (!res->done[r])
            continue;
        sum += series_values(&res->series[r], id)[i];
        n++;
    }
    return n ? sum / n : 0.0;
}

/* The series of one period as a CSV file (models/series.h); the weekly
 * file ends with the week's junk rate, junk over resolved, empty for a
 * week that resolved nothing. */
static int write_series(const char *dir, const struct scenario *scn,
                        const struct cli_results *res, enum series_period period,
                        struct sim_err *err)
{
    struct sim_file f;
    int rc = sim_file_open(&f, dir, series_periods[period].file, err);
    if (rc != SIM_OK)
        return rc;
    bool weekly = period == SERIES_WEEKLY;
    struct sim_csv w = sim_csv_on(f.fp);
    sim_csv_text(&w, series_periods[period].index);
    char col[64];
    for (unsigned id = 0; id < SERIES_COUNT; id++)
        if (series_descs[id].period == period && !series_descs[id].cohort)
            sim_csv_text(&w, series_column((enum series_id)id, col, sizeof col));
    if (weekly)
        sim_csv_text(&w, "junk_rate");
    sim_csv_end(&w);
    for (size_t i = 0; i < series_length(scn, period); i++) {
        sim_csv_uint(&w, i);
        for (unsigned id = 0; id < SERIES_COUNT; id++)
            if (series_descs[id].period == period && !series_descs[id].cohort)
                sim_csv_real(&w, series_mean(res, (enum series_id)id, i), 6);
        if (weekly) {
            double resolved = series_mean(res, SERIES_RESOLVED, i);
            sim_csv_real(&w, resolved > 0 ? series_mean(res, SERIES_JUNK, i) / resolved
                                          : NAN, 6);
        }
        sim_csv_end(&w);
    }
    return sim_file_commit(&f, err);
}

/* What run's writers need (struct out_doc's self). */
struct run_result {
    const struct scenario *scn;
    const struct metric_summary *summary;
    const struct cli_results *res;
    const struct breakdown_summary *breakdown;
    const struct series_week *weeks;
    size_t n_weeks;
    struct series_worst worst;
};

static void result_csv(FILE *fp, const void *self)
{
    const struct run_result *r = self;
    out_result_csv(fp, r->summary);
}

static void result_table(FILE *fp, const void *self)
{
    const struct run_result *r = self;
    out_result_table(fp, r->scn, r->summary, r->breakdown);
    out_worst_week_table(fp, r->scn, r->weeks, r->n_weeks, &r->worst);
}

/* Besides result.json and result.csv: replications.csv and the series. */
static int more_files(const char *dir, const void *self, struct sim_err *err)
{
    const struct run_result *r = self;
    struct sim_file f;
    int rc = sim_file_open(&f, dir, "replications.csv", err);
    if (rc == SIM_OK) {
        out_replications_csv(f.fp, r->res->metrics, r->res->done, r->res->reps);
        rc = sim_file_commit(&f, err);
    }
    for (unsigned p = 0; p < SERIES_PERIODS && rc == SIM_OK; p++)
        rc = write_series(dir, r->scn, r->res, (enum series_period)p, err);
    if (rc == SIM_OK && (rc = sim_file_open(&f, dir, "weekly.csv", err)) == SIM_OK) {
        out_weekly_csv(f.fp, r->scn, r->weeks, r->n_weeks);
        rc = sim_file_commit(&f, err);
    }
    for (unsigned k = OUT_BY_CHANNEL; k <= OUT_BY_GROUP && rc == SIM_OK; k++) {
        rc = sim_file_open(&f, dir, out_breakdown_file((enum out_breakdown_kind)k), err);
        if (rc != SIM_OK)
            break;
        out_breakdown_csv(f.fp, r->scn, r->breakdown, (enum out_breakdown_kind)k);
        rc = sim_file_commit(&f, err);
    }
    return rc;
}

void cli_run_free(struct cli_run *r)
{
    cJSON_Delete(r->json);
    free(r->breakdown);
    cli_results_free(&r->res);
    free(r->weeks);
    memset(r, 0, sizeof *r);
}

static int recovery(const struct cli_opts *o, const struct scenario *scn,
                    const struct cli_run *r, cJSON *json, struct sim_err *err);

/* What each trace channel replayed (docs/model.md, "Arrivals"): its rows,
 * those in [day 0, horizon) and those ignored; only when there is one. */
static void traces_json(const struct scenario *scn, cJSON *json)
{
    cJSON *list = NULL;
    for (unsigned c = 0; c < scn->n_channels; c++) {
        const struct scn_channel *ch = &scn->channels[c];
        if (ch->kind != SCN_ARRIVALS_TRACE)
            continue;
        if (list == NULL)
            list = cJSON_AddArrayToObject(json, "traces");
        cJSON *t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "channel", ch->name);
        out_json_text(t, "file", ch->trace_file);
        out_json_text(t, "column", ch->trace_column);
        cJSON_AddNumberToObject(t, "rows", (double)(ch->trace_count + ch->trace_outside));
        cJSON_AddNumberToObject(t, "replayed", (double)ch->trace_count);
        cJSON_AddNumberToObject(t, "outside", (double)ch->trace_outside);
        cJSON_AddItemToArray(list, t);
    }
}

/* The note on standard error for rows of a trace that fall outside the
 * simulated time (they are ignored, not an error). */
static void traces_note(const struct scenario *scn)
{
    for (unsigned c = 0; c < scn->n_channels; c++) {
        const struct scn_channel *ch = &scn->channels[c];
        if (ch->kind == SCN_ARRIVALS_TRACE && ch->trace_outside > 0)
            fprintf(stderr, "funnelsim: note: channel %s: %zu of the %zu rows of %s fall "
                    "outside the simulated time (start_date + %g days) and are ignored\n",
                    ch->name, ch->trace_outside, ch->trace_count + ch->trace_outside,
                    ch->trace_file, scn->horizon_days);
    }
}

int cli_run_doc(const struct cli_opts *o, const struct scn_doc *doc, const struct scenario *scn,
                unsigned want, struct cli_run *r, struct sim_err *err)
{
    memset(r, 0, sizeof *r);
    const struct scenario *points[1] = {scn};
    /* The series always: the result names the worst week. */
    int rc = cli_simulate(o, points, 1, want | CLI_WANT_SERIES | CLI_WANT_BREAKDOWN, &r->res,
                          err);
    if (rc != SIM_OK)
        return rc;
    cli_summarise(&r->res, 0, &r->summary);
    if (r->summary.replications == 0)
        return CLI_EXIT_INTERRUPTED;
    r->breakdown = sim_calloc(1, sizeof *r->breakdown);
    cli_summarise_breakdown(&r->res, 0, scn, r->breakdown);
    r->json = out_result_json(scn, &r->summary);
    manifest_settings_json(r->json, doc, scn->report.target_junk, o->sets, o->n_sets);
    out_breakdown_json(r->json, scn, r->breakdown);
    r->n_weeks = funnel_series_weeks(scn);
    r->weeks = sim_calloc(r->n_weeks ? r->n_weeks : 1, sizeof *r->weeks);
    series_weeks_summarise(r->res.series, r->res.done, r->res.reps, scn, r->weeks);
    r->worst = series_worst_week(r->weeks, r->n_weeks);
    cJSON_AddItemToObject(r->json, "worst_week",
                          out_worst_week_json(r->weeks, r->n_weeks, &r->worst));
    cJSON_AddItemToObject(r->json, "weekly", out_weekly_json(scn, r->weeks, r->n_weeks));
    /* What the run-over-time chart marks, by day: the holidays. */
    cJSON *timeline = cJSON_AddObjectToObject(r->json, "timeline");
    cJSON *holidays = cJSON_AddArrayToObject(timeline, "holidays");
    for (unsigned h = 0; h < scn->calendar.n_holidays; h++)
        cJSON_AddItemToArray(holidays, cJSON_CreateNumber(scn->calendar.holidays[h]));
    traces_json(scn, r->json);
    return recovery(o, scn, r, r->json, err);
}

/* Weeks to recover after each campaign and batch `on` day of scn: the same
 * run (same seed) with that one event disabled, week against week
 * (series_weeks_to_recover()), into json's "recovery".  Costs one run per
 * event. */
static int recovery(const struct cli_opts *o, const struct scenario *scn,
                    const struct cli_run *r, cJSON *json, struct sim_err *err)
{
    cJSON *list = cJSON_AddArrayToObject(json, "recovery");
    /* The runs without an event are counterfactuals: they write no lead
     * log (the log is the run's own leads). */
    struct cli_opts alt_o = *o;
    alt_o.leads_sink = NULL;
    struct series_week *alt_weeks = sim_calloc(r->n_weeks ? r->n_weeks : 1, sizeof *alt_weeks);
    int rc = SIM_OK;
    for (unsigned c = 0; c < scn->n_channels && rc == SIM_OK; c++) {
        const struct scn_channel *ch = &scn->channels[c];
        unsigned n = ch->n_campaigns + ch->n_on;
        for (unsigned e = 0; e < n && rc == SIM_OK; e++) {
            struct scenario *alt = sim_calloc(1, sizeof *alt);
            *alt = *scn;
            struct series_event ev;
            char name[SCN_NAME_MAX + 32];
            if (e < ch->n_campaigns) {
                const struct scn_campaign *cp = &ch->campaigns[e];
                if (!cp->enabled) {
                    free(alt);
                    continue;
                }
                alt->channels[c].campaigns[e].enabled = false;
                snprintf(name, sizeof name, "%s", cp->name);
                ev = (struct series_event){name, cp->from_day, cp->to_day};
            } else {
                unsigned j = e - ch->n_campaigns, day = ch->on[j];
                struct scn_channel *ac = &alt->channels[c];
                memmove(&ac->on[j], &ac->on[j + 1], (ac->n_on - j - 1) * sizeof ac->on[0]);
                ac->n_on--;
                snprintf(name, sizeof name, "%s on day %u", ch->name, day);
                ev = (struct series_event){name, day, day};
            }
            const struct scenario *pts[1] = {alt};
            struct cli_results res = {0};
            rc = cli_simulate(&alt_o, pts, 1, CLI_WANT_SERIES, &res, err);
            if (rc == SIM_OK) {
                series_weeks_summarise(res.series, res.done, res.reps, alt, alt_weeks);
                int weeks = series_weeks_to_recover(r->weeks, alt_weeks, r->n_weeks, &ev);
                cJSON *item = cJSON_CreateObject();
                out_json_text(item, "event", name);
                cJSON_AddNumberToObject(item, "from_day", ev.from_day);
                cJSON_AddNumberToObject(item, "to_day", ev.to_day);
                if (weeks >= 0)
                    cJSON_AddNumberToObject(item, "weeks_to_recover", weeks);
                else
                    cJSON_AddNullToObject(item, "weeks_to_recover");
                cJSON_AddItemToArray(list, item);
            }
            cli_results_free(&res);
            free(alt);
        }
    }
    free(alt_weeks);
    return rc;
}

static int run(const struct cli_command *cmd, struct cli_opts *o)
{
    struct sim_err err = {0};
    if (o->n_args != 1) {
        sim_err_set(&err, SIM_ERR_INPUT, "run: needs exactly one SCENARIO file (got %zu)", o->n_args);
        return cli_fail(cmd, &err);
    }
    struct scn_doc *doc = NULL;
    struct scenario scn;
    struct cli_run r = {0};
    struct leadlog_sink *leads = NULL;
    int rc = cli_load(o, o->args[0], &doc, &scn, &err);
    if (rc == SIM_OK && o->out != NULL)
        rc = out_prepare_dir(o, &err);
    if (rc == SIM_OK && o->leads != NULL) {
        leads = sim_calloc(1, sizeof *leads);
        if ((rc = leadlog_sink_open(leads, o->leads, &scn, &err)) != SIM_OK) {
            free(leads);
            leads = NULL;
        } else {
            /* One thread runs the replications in order (sim/runner.h). */
            leads->direct = (o->jobs ? o->jobs : sim_runner_default_jobs()) == 1;
        }
        o->leads_sink = leads;
    }
    if (rc != SIM_OK)
        goto done;
    if (!o->quiet)
        traces_note(&scn);

    cli_signals();
    /* The series always: the table reports the worst week. */
    rc = cli_run_doc(o, doc, &scn, 0, &r, &err);
    if (rc == CLI_EXIT_INTERRUPTED)
        fprintf(stderr, "funnelsim: interrupted before any replication finished\n");
    if (rc != SIM_OK)
        goto done;
    cli_timing(o, &r.res);
    struct run_result result = {&scn, &r.summary, &r.res, r.breakdown,
                                r.weeks, r.n_weeks, r.worst};
    struct out_doc out = {
        .stem = "result", .json = r.json, .self = &result, .csv = result_csv,
        .table = result_table, .more_files = more_files,
        .plot = o->plot && !r.res.interrupted, .partial = r.res.interrupted,
    };
    if ((rc = out_emit(o, &out, &err)) != SIM_OK)
        goto done;
    if (leads != NULL) {
        /* The log covers the replications the results cover. */
        rc = leadlog_sink_commit(leads, r.res.done, &err);
        free(leads);
        leads = NULL;
        if (rc != SIM_OK)
            goto done;
    }
    if (r.res.interrupted) {
        fprintf(stderr, "funnelsim: interrupted: results cover %zu of %u replications\n",
                r.summary.replications, r.res.reps);
        rc = CLI_EXIT_INTERRUPTED;
    }
done:
    if (leads != NULL) {
        leadlog_sink_discard(leads);
        free(leads);
    }
    cli_run_free(&r);
    scn_doc_free(doc);
    return cli_finish(cmd, rc, &err);
}

const struct cli_command cmd_run = {
    .name = "run",
    .usage = "SCENARIO [options]",
    .summary = "Run a scenario's replications and report the junk rate, its causes, waits,\n"
               "utilization and money, each with a 95% confidence interval.",
    .help = "With --out DIR it also writes result.json, result.csv, replications.csv\n"
            "(one row per replication), series_daily.csv (backlog each morning),\n"
            "series_weekly.csv (inflow, handed, resolved and junk per week),\n"
            "weekly.csv (each week's cohort, the leads handed that week: created,\n"
            "handed, lost, junk rate and reasons, deals, revenue, backlog, wait to\n"
            "first contact, each with its 95% CI; weeks from 1, a `measured` flag\n"
            "for warm-up weeks and `complete` for weeks that may be the worst: ended,\n"
            "at most 5% of the cohort open at the horizon),\n"
            "by_channel.csv and by_group.csv (every number by channel and by group of\n"
            "the last attempt, in long form: channel,metric,mean,lo,hi) and run.json,\n"
            "the run's manifest (command, scenario hashes, seed, files).\n"
            "A DIR holding another run's files is refused unless --overwrite is given.\n"
            "With --plot (and --out DIR) it then draws the charts of DIR and writes\n"
            "DIR/report.html, as 'funnelsim plot DIR' does.\n"
            "--leads FILE.csv writes the lead log: one row per lead and replication,\n"
            "ordered by replication then lead (docs/model.md, \"The lead log\"):\n"
            "replication,lead,channel,created_h,handed_h,first_contact_h,resolved_h,\n"
            "group,manager,attempts,outcome,deal,value,waited_h,status,stated_reason\n"
            "(+ created_at,handed_at,first_contact_at,resolved_at with start_date);\n"
            "hours since day 0, empty where it did not happen.\n"
            "--target-junk SHARE sets the target line of the charts and report\n"
            "(report.target_junk); result.json records it and every override.\n"
            "The table and result.json name the worst week: the complete week with\n"
            "the highest mean junk rate, its 95% CI, and whether that interval\n"
            "overlaps the runner-up's (then the worst week is within the noise).\n"
            "The same scenario and seed give the same numbers whatever --jobs is.\n"
            "\nExample:\n  funnelsim run scenarios/default.json --set team[1].count=7 --format json\n",
    .options = OPTS_RUNNING | OPT_BIT(OPT_PLOT) | OPT_BIT(OPT_TARGET_JUNK) |
               OPT_BIT(OPT_LEADS),
    .run = run,
};
