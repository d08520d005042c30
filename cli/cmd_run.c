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
#include "sim/date.h"
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
    const cJSON *json;              /* result.json: its "recovery" */
};

static void result_csv(FILE *fp, const void *self)
{
    const struct run_result *r = self;
    out_result_csv(fp, r->summary);
}

/* Weeks to recover after each campaign and trade show, as result.json's
 * "recovery" has them (recovery() below). */
static void recovery_table(FILE *fp, const cJSON *list)
{
    if (cJSON_GetArraySize(list) == 0)
        return;
    fputs("\nWeeks to recover after each campaign or trade show (until the weekly junk\n"
          "rate's 95% CI overlaps the same run's without the event, same seed):\n", fp);
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "event"));
        const cJSON *to = cJSON_GetObjectItemCaseSensitive(e, "to_date");
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(e, "weeks_to_recover");
        char end[64];
        if (cJSON_IsString(to))
            snprintf(end, sizeof end, "ends %s", to->valuestring);
        else
            snprintf(end, sizeof end, "ends day %.0f",
                     cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "to_day")));
        if (cJSON_IsNumber(w))
            fprintf(fp, "  %-34s %-16s %.0f week%s\n", name ? name : "?", end, w->valuedouble,
                    w->valuedouble == 1 ? "" : "s");
        else
            fprintf(fp, "  %-34s %-16s not within the horizon\n", name ? name : "?", end);
    }
}

static void result_table(FILE *fp, const void *self)
{
    const struct run_result *r = self;
    out_result_table(fp, r->scn, r->summary, r->breakdown);
    out_worst_week_table(fp, r->scn, r->weeks, r->n_weeks, &r->worst);
    recovery_table(fp, cJSON_GetObjectItemCaseSensitive(r->json, "recovery"));
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

/* Day `day`'s date as "date" in obj, when scn has a start_date. */
static void add_date(cJSON *obj, const char *name, const struct scenario *scn, unsigned day)
{
    char date[SIM_DATE_TEXT];
    if (scn->start_date.dated)
        cJSON_AddStringToObject(obj, name,
                                sim_date_format(scn->start_date.date + (int32_t)day, date));
}

/* result.json's "timeline": what the charts mark over time, by day, with
 * the names the scenario gives (the charts never read the scenario's key
 * paths): the holidays, each campaign (enabled or not), each batch `on`
 * day (a trade show, a webinar), each group's hires and leaves, and
 * start_date when the file gives one. */
static void add_timeline(cJSON *json, const struct scenario *scn)
{
    cJSON *timeline = cJSON_AddObjectToObject(json, "timeline");
    char date[SIM_DATE_TEXT];
    if (scn->start_date.dated)
        cJSON_AddStringToObject(timeline, "start_date",
                                sim_date_format(scn->start_date.date, date));
    cJSON *holidays = cJSON_AddArrayToObject(timeline, "holidays");
    for (unsigned h = 0; h < scn->calendar.n_holidays; h++)
        cJSON_AddItemToArray(holidays, cJSON_CreateNumber(scn->calendar.holidays[h]));
    cJSON *campaigns = cJSON_AddArrayToObject(timeline, "campaigns");
    cJSON *shows = cJSON_AddArrayToObject(timeline, "trade_shows");
    for (unsigned c = 0; c < scn->n_channels; c++) {
        const struct scn_channel *ch = &scn->channels[c];
        for (unsigned k = 0; k < ch->n_campaigns; k++) {
            const struct scn_campaign *cp = &ch->campaigns[k];
            cJSON *item = cJSON_CreateObject();
            out_json_text(item, "name", cp->name);
            out_json_text(item, "channel", ch->name);
            cJSON_AddBoolToObject(item, "enabled", cp->enabled);
            cJSON_AddNumberToObject(item, "from_day", cp->from_day);
            cJSON_AddNumberToObject(item, "to_day", cp->to_day);
            add_date(item, "from_date", scn, cp->from_day);
            add_date(item, "to_date", scn, cp->to_day);
            if (cp->is_multiplier)
                cJSON_AddNumberToObject(item, "multiplier", cp->multiplier);
            else
                cJSON_AddNumberToObject(item, "per_week", cp->per_week);
            cJSON_AddItemToArray(campaigns, item);
        }
        for (unsigned j = 0; j < ch->n_on; j++) {
            cJSON *item = cJSON_CreateObject();
            out_json_text(item, "channel", ch->name);
            cJSON_AddNumberToObject(item, "day", ch->on[j]);
            add_date(item, "date", scn, ch->on[j]);
            cJSON_AddNumberToObject(item, "leads", ch->batch_size);
            cJSON_AddItemToArray(shows, item);
        }
    }
    cJSON *hires = cJSON_AddArrayToObject(timeline, "hires");
    cJSON *leaves = cJSON_AddArrayToObject(timeline, "leaves");
    for (unsigned g = 0; g < scn->n_groups; g++) {
        const struct scn_group *gr = &scn->team[g];
        if (gr->hires.count > 0) {
            cJSON *item = cJSON_CreateObject();
            out_json_text(item, "group", gr->name);
            cJSON_AddNumberToObject(item, "count", gr->hires.count);
            cJSON_AddNumberToObject(item, "day", gr->hires.start_day);
            add_date(item, "date", scn, gr->hires.start_day);
            cJSON_AddNumberToObject(item, "ramp_months", gr->hires.n_ramp);
            cJSON_AddItemToArray(hires, item);
        }
        if (gr->leaves.count > 0) {
            cJSON *item = cJSON_CreateObject();
            out_json_text(item, "group", gr->name);
            cJSON_AddNumberToObject(item, "count", gr->leaves.count);
            cJSON_AddNumberToObject(item, "day", gr->leaves.on_day);
            add_date(item, "date", scn, gr->leaves.on_day);
            cJSON_AddItemToArray(leaves, item);
        }
    }
}

/* The junk rate each --target-on measure gives (cli_target_on_reps(), as
 * size and sweep test it), into result.json's "junk_on": "average",
 * "worst-week" and, when --target-on names a window, that window; and
 * "target_on", the measure --target-on names (the charts' and report's
 * default, plot --target-on chooses another). */
static void add_junk_on(const struct cli_opts *o, const struct scenario *scn,
                        const struct cli_run *r)
{
    cJSON *on = cJSON_AddObjectToObject(r->json, "junk_on");
    cJSON_AddItemToObject(on, "average", out_ci_json(&r->summary.ci[METRIC_JUNK_RATE]));
    struct cli_opts by = *o;
    struct sim_ci ci;
    char name[64];
    by.target_on = (struct series_target){SERIES_TARGET_WORST_WEEK, 0.0, 0.0, false};
    free(cli_target_on_reps(&by, &r->res, 0, scn, &ci));
    cJSON_AddItemToObject(on, "worst-week", out_ci_json(&ci));
    if (o->target_on.kind == SERIES_TARGET_WINDOW) {
        free(cli_target_on_reps(o, &r->res, 0, scn, &ci));
        cJSON_AddItemToObject(on, cli_target_on_name(&o->target_on, name, sizeof name),
                              out_ci_json(&ci));
    }
    cJSON *t = cJSON_AddObjectToObject(r->json, "target_on");
    cJSON_AddStringToObject(t, "name", cli_target_on_name(&o->target_on, name, sizeof name));
    struct series_target days;
    if (o->target_on.kind == SERIES_TARGET_WINDOW &&
        series_target_days(&o->target_on, scn, &days)) {
        cJSON_AddNumberToObject(t, "from_day", days.from_day);
        cJSON_AddNumberToObject(t, "to_day", days.to_day);
    }
}

unsigned cli_run_events(const struct scenario *scn)
{
    unsigned n = 0;
    for (unsigned c = 0; c < scn->n_channels; c++) {
        const struct scn_channel *ch = &scn->channels[c];
        for (unsigned k = 0; k < ch->n_campaigns; k++)
            n += ch->campaigns[k].enabled;
        n += ch->n_on;
    }
    return n;
}

unsigned cli_run_reruns(const struct scenario *scn)
{
    unsigned n = cli_run_events(scn);
    /* One event: its run without it is the run without every event. */
    return n <= 1 ? n : n + 1;
}

void cli_run_without_events(const struct scenario *scn, struct scenario *alt)
{
    *alt = *scn;
    for (unsigned c = 0; c < alt->n_channels; c++) {
        struct scn_channel *ch = &alt->channels[c];
        for (unsigned k = 0; k < ch->n_campaigns; k++)
            ch->campaigns[k].enabled = false;
        ch->n_on = 0;
    }
}

/* The weeks of the same run (same seed, so the same base arrivals: common
 * random numbers) without any of scn's events, into rows (n_weeks); one
 * run.  The lead log is the run's own leads: this run writes none. */
static int run_without(const struct cli_opts *o, const struct scenario *alt,
                       struct series_week *rows, struct sim_err *err)
{
    struct cli_opts alt_o = *o;
    alt_o.leads_sink = NULL;
    const struct scenario *pts[1] = {alt};
    struct cli_results res = {0};
    int rc = cli_simulate(&alt_o, pts, 1, CLI_WANT_SERIES, &res, err);
    if (rc == SIM_OK)
        series_weeks_summarise(res.series, res.done, res.reps, alt, rows);
    cli_results_free(&res);
    return rc;
}

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
    add_junk_on(o, scn, r);
    add_timeline(r->json, scn);
    traces_json(scn, r->json);
    return recovery(o, scn, r, r->json, err);
}

/* Weeks to recover after each campaign and batch `on` day of scn: the same
 * run (same seed) with that one event disabled, week against week
 * (series_weeks_to_recover()), into json's "recovery"; and the weeks of
 * the same run without any of them, into json's "weekly_without_campaigns"
 * (the campaign_effect chart; trade shows count as campaigns there).
 * Costs cli_run_reruns() runs: one per event, plus the one without all of
 * them when there are two or more events (with one, that run is the
 * event's own). */
static int recovery(const struct cli_opts *o, const struct scenario *scn,
                    const struct cli_run *r, cJSON *json, struct sim_err *err)
{
    cJSON *list = cJSON_AddArrayToObject(json, "recovery");
    unsigned events = cli_run_events(scn);
    if (events == 0)
        return SIM_OK;
    size_t rows = r->n_weeks ? r->n_weeks : 1;
    struct series_week *none = sim_calloc(rows, sizeof *none);
    struct series_week *alt_weeks = sim_calloc(rows, sizeof *alt_weeks);
    struct scenario *alt = sim_calloc(1, sizeof *alt);
    cli_run_without_events(scn, alt);
    int rc = run_without(o, alt, none, err);
    if (rc == SIM_OK) {
        cJSON *w = out_weekly_json(scn, none, r->n_weeks);
        cJSON_AddNumberToObject(w, "events_disabled", events);
        cJSON_AddItemToObject(json, "weekly_without_campaigns", w);
    }
    for (unsigned c = 0; c < scn->n_channels && rc == SIM_OK; c++) {
        const struct scn_channel *ch = &scn->channels[c];
        unsigned n = ch->n_campaigns + ch->n_on;
        for (unsigned e = 0; e < n && rc == SIM_OK; e++) {
            *alt = *scn;
            struct series_event ev;
            char name[SCN_NAME_MAX + 32];
            if (e < ch->n_campaigns) {
                const struct scn_campaign *cp = &ch->campaigns[e];
                if (!cp->enabled)
                    continue;
                alt->channels[c].campaigns[e].enabled = false;
                snprintf(name, sizeof name, "%s", cp->name);
                ev = (struct series_event){name, cp->from_day, cp->to_day};
            } else {
                unsigned j = e - ch->n_campaigns, day = ch->on[j];
                struct scn_channel *ac = &alt->channels[c];
                memmove(&ac->on[j], &ac->on[j + 1], (ac->n_on - j - 1) * sizeof ac->on[0]);
                ac->n_on--;
                char date[SIM_DATE_TEXT];
                if (scn->start_date.dated)
                    snprintf(name, sizeof name, "%s on %s", ch->name,
                             sim_date_format(scn->start_date.date + (int32_t)day, date));
                else
                    snprintf(name, sizeof name, "%s on day %u", ch->name, day);
                ev = (struct series_event){name, day, day};
            }
            /* With one event, the run without it is the run without all. */
            if (events > 1)
                rc = run_without(o, alt, alt_weeks, err);
            if (rc != SIM_OK)
                break;
            int weeks = series_weeks_to_recover(r->weeks, events > 1 ? alt_weeks : none,
                                                r->n_weeks, &ev);
            cJSON *item = cJSON_CreateObject();
            out_json_text(item, "event", name);
            cJSON_AddNumberToObject(item, "from_day", ev.from_day);
            cJSON_AddNumberToObject(item, "to_day", ev.to_day);
            add_date(item, "from_date", scn, (unsigned)ev.from_day);
            add_date(item, "to_date", scn, (unsigned)ev.to_day);
            if (weeks >= 0)
                cJSON_AddNumberToObject(item, "weeks_to_recover", weeks);
            else
                cJSON_AddNullToObject(item, "weeks_to_recover");
            cJSON_AddItemToArray(list, item);
        }
    }
    free(alt);
    free(alt_weeks);
    free(none);
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
    if (rc == SIM_OK && o->target_on.kind == SERIES_TARGET_WINDOW) {
        const struct scenario *one[1] = {&scn};
        rc = cli_target_on_check("run", &o->target_on, one, 1, &err);
    }
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
                                r.weeks, r.n_weeks, r.worst, r.json};
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
            "result.json's junk_on gives the junk rate on each --target-on measure\n"
            "(average, worst-week: each replication's worst complete week, as size and\n"
            "sweep test it); --target-on window:FROM..TO adds that window, and\n"
            "--target-on names the measure the charts and report test the target on.\n"
            "With campaigns or trade shows (batch `on` days) it also reruns the same\n"
            "scenario, same seed, without each one, for the weeks to recover after it,\n"
            "and without all of them (result.json's weekly_without_campaigns, the\n"
            "campaign_effect chart): one more run per event (one in all for one event).\n"
            "The same scenario and seed give the same numbers whatever --jobs is.\n"
            "\nExample:\n  funnelsim run scenarios/default.json --set team[1].count=7 --format json\n",
    .options = OPTS_RUNNING | OPT_BIT(OPT_PLOT) | OPT_BIT(OPT_TARGET_JUNK) |
               OPT_BIT(OPT_LEADS) | OPT_BIT(OPT_TARGET_ON),
    .run = run,
};
