/* SPDX-License-Identifier: MIT */
#include "output.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/manifest.h"
#include "plots/plot.h"
#include "sim/date.h"
#include "sim/mem.h"
#include "sim/text.h"

/* ---- files ----------------------------------------------------------------- */

static int make_dirs(const char *dir, struct sim_err *err)
{
    char path[PATH_MAX];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof path)
        return sim_err_set(err, SIM_ERR_INPUT, "--out: '%s': not a usable directory name", dir);
    memcpy(path, dir, n + 1);
    for (char *p = path + 1; ; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return sim_err_set(err, SIM_ERR_RUNTIME, "--out: cannot create '%s': %s",
                               path, strerror(errno));
        *p = saved;
        if (saved == '\0')
            break;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return sim_err_set(err, SIM_ERR_INPUT, "--out: '%s' is not a directory", dir);
    return SIM_OK;
}

int out_prepare_dir(const struct cli_opts *o, struct sim_err *err)
{
    const char *dir = o->out;
    int rc = make_dirs(dir, err);
    if (rc != SIM_OK)
        return rc;
    struct sim_file probe;
    rc = sim_file_open(&probe, dir, ".funnelsim-probe", err);
    if (rc == SIM_OK)
        sim_file_discard(&probe);
    if (rc == SIM_OK)
        rc = manifest_claim(dir, o->overwrite, err);
    return rc;
}

/* A cJSON tree, formatted, and a newline. */
void out_print_json(FILE *fp, const cJSON *json)
{
    char *text = sim_mem_check(cJSON_Print(json));
    fputs(text, fp);
    fputc('\n', fp);
    free(text);
}

int out_flush_stdout(struct sim_err *err)
{
    if (fflush(stdout) != 0 || ferror(stdout))
        return sim_err_set(err, SIM_ERR_RUNTIME, "standard output: write failed");
    return SIM_OK;
}

/* A cJSON tree, formatted, as dir/name. */
static int write_json(const char *dir, const char *name, const cJSON *json,
                      struct sim_err *err)
{
    char *text = sim_mem_check(cJSON_Print(json));
    size_t n = strlen(text);
    char *with_newline = sim_realloc(text, n + 2);
    memcpy(with_newline + n, "\n", 2);
    int rc = sim_file_write_text(dir, name, with_newline, err);
    free(with_newline);
    return rc;
}

int out_emit(const struct cli_opts *o, const struct out_doc *d, struct sim_err *err)
{
    int rc = SIM_OK;
    if (o->out != NULL) {
        if ((rc = manifest_clear(o->out, err)) != SIM_OK)
            return rc;
        char name[64];
        snprintf(name, sizeof name, "%s.json", d->stem);
        cJSON *file = sim_mem_check(cJSON_Duplicate(d->json, true));
        cJSON_AddStringToObject(file, "run_id", manifest_run_id());
        rc = write_json(o->out, name, file, err);
        cJSON_Delete(file);
        struct sim_file f;
        snprintf(name, sizeof name, "%s.csv", d->stem);
        if (rc == SIM_OK && (rc = sim_file_open(&f, o->out, name, err)) == SIM_OK) {
            d->csv(f.fp, d->self);
            rc = sim_file_commit(&f, err);
        }
        if (rc == SIM_OK && d->more_files != NULL)
            rc = d->more_files(o->out, d->self, err);
        if (rc == SIM_OK)
            rc = manifest_write(o->out, o->sets, o->n_sets, d->partial, err);
        if (rc != SIM_OK)
            return rc;
    }
    if (o->format == FORMAT_JSON)
        out_print_json(stdout, d->json);
    else if (o->format == FORMAT_CSV)
        d->csv(stdout, d->self);
    else
        d->table(stdout, d->self);
    if ((rc = out_flush_stdout(err)) != SIM_OK)
        return rc;
    if (!d->plot)
        return SIM_OK;
    /* A signal from now on stops the charts (a sweep interrupted before
     * still charts the points it finished). */
    cli_stop_reset();
    bool interrupted = false;
    rc = plot_after_run(o->out, cli_stop_flag(), &interrupted, err);
    if (interrupted) {
        fprintf(stderr, "funnelsim: %s\n", err->msg);
        return CLI_EXIT_INTERRUPTED;
    }
    return rc;
}

/* ---- JSON -------------------------------------------------------------------- */

cJSON *out_number_or_null(double x)
{
    return isfinite(x) ? cJSON_CreateNumber(x) : cJSON_CreateNull();
}

cJSON *out_count_json(double x)
{
    char buf[32];
    if (!(isfinite(x) && x == floor(x) && fabs(x) <= 9007199254740992.0))
        return out_number_or_null(x);
    snprintf(buf, sizeof buf, "%.0f", x);
    return cJSON_CreateRaw(buf);
}

void out_json_text(cJSON *obj, const char *name, const char *s)
{
    char buf[4 * 256];
    sim_text_printable(buf, sizeof buf, s);
    cJSON_AddStringToObject(obj, name, buf);
}

void out_json_u64(cJSON *obj, const char *name, unsigned long long u)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", u);
    cJSON_AddRawToObject(obj, name, buf);
}

cJSON *out_ci_json(const struct sim_ci *ci)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON *bounds = cJSON_CreateArray();
    cJSON_AddItemToObject(obj, "mean", out_number_or_null(ci->mean));
    cJSON_AddItemToArray(bounds, out_number_or_null(ci->lo));
    cJSON_AddItemToArray(bounds, out_number_or_null(ci->hi));
    cJSON_AddItemToObject(obj, "ci95", bounds);
    return obj;
}

void out_load_json(cJSON *obj, const struct capacity_load *l)
{
    cJSON_AddItemToObject(obj, "inflow_per_week", out_number_or_null(l->inflow));
    cJSON_AddItemToObject(obj, "offered_per_week", out_number_or_null(l->offered));
    cJSON_AddItemToObject(obj, "capacity_per_week", out_number_or_null(l->capacity));
    cJSON_AddItemToObject(obj, "load_ratio", out_number_or_null(l->ratio));
}

/* Adds `item` to obj under a dotted key, creating the parents. */
static void add_dotted(cJSON *obj, const char *key, cJSON *item)
{
    const char *dot = strchr(key, '.');
    if (dot == NULL) {
        cJSON_AddItemToObject(obj, key, item);
        return;
    }
    char head[64];
    size_t n = (size_t)(dot - key);
    if (n >= sizeof head)
        n = sizeof head - 1;
    memcpy(head, key, n);
    head[n] = '\0';
    cJSON *parent = cJSON_GetObjectItemCaseSensitive(obj, head);
    if (parent == NULL)
        parent = cJSON_AddObjectToObject(obj, head);
    add_dotted(parent, dot + 1, item);
}

void out_metrics_json(cJSON *obj, const struct metric_summary *s)
{
    for (unsigned i = 0; i < METRIC_COUNT; i++) {
        const struct metric_desc *d = &metric_descs[i];
        cJSON *item = d->kind == METRIC_MEAN_CI ? out_ci_json(&s->ci[i])
                                                : out_count_json(s->sum[i]);
        add_dotted(obj, d->key, item);
    }
}

/* Plain-language warnings, shared by the JSON and the table. */
static size_t warnings(const struct scenario *scn, const struct metric_summary *s,
                       char out[][256], size_t max)
{
    size_t n = 0;
    if (n < max && capacity_backlog_grows(s))
        snprintf(out[n++], 256,
                 "the team is over capacity: the backlog keeps growing, by %.3g leads "
                 "a day, %.1f%% of the leads handed a day (over %d%% counts); %.0f%% "
                 "of the leads handed were still waiting at the horizon, and the junk "
                 "rate covers resolved leads only",
                 s->ci[METRIC_BACKLOG_TREND].mean,
                 100.0 * s->ci[METRIC_BACKLOG_TREND].mean / (s->ci[METRIC_HANDED_PER_WEEK].mean / 7.0),
                 CAPACITY_OVER_PERCENT, 100.0 * capacity_unresolved_share(s));
    else if (n < max && capacity_sheds_leads(s))
        snprintf(out[n++], 256,
                 "the team is over capacity: %.1f%% of the resolved leads were abandoned "
                 "before anyone called them (over %d%% counts); the backlog stays "
                 "bounded only because they leave",
                 100.0 * s->ci[METRIC_JUNK_ABANDONED].mean, CAPACITY_OVER_PERCENT);
    if (n < max && s->replications < 2)
        snprintf(out[n++], 256, "one replication: no confidence intervals (use --reps 2 or more)");
    if (n < max && s->sum[METRIC_RESOLVED] == 0)
        snprintf(out[n++], 256, "no lead was resolved in the measured window of %s",
                 scn->name);
    return n;
}

cJSON *out_result_json(const struct scenario *scn, const struct metric_summary *s)
{
    cJSON *obj = cJSON_CreateObject();
    struct capacity_load load = capacity_load_of(scn, s);
    cJSON_AddStringToObject(obj, "scenario", scn->name);
    out_json_text(obj, "file", scn->source);
    out_json_u64(obj, "seed", scn->seed);
    cJSON_AddNumberToObject(obj, "replications", (double)s->replications);
    cJSON_AddNumberToObject(obj, "horizon_days", scn->horizon_days);
    cJSON_AddNumberToObject(obj, "warmup_days", scn->warmup_days);
    out_load_json(obj, &load);
    out_metrics_json(obj, s);
    cJSON_AddBoolToObject(obj, "over_capacity", load.over);
    char text[4][256];
    size_t n = warnings(scn, s, text, 4);
    cJSON *list = cJSON_AddArrayToObject(obj, "warnings");
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(list, cJSON_CreateString(text[i]));
    return obj;
}

/* ---- CSV and table ------------------------------------------------------------ */

const char *out_path_leaf(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot ? dot + 1 : path;
}

void out_metric_csv_header(struct sim_csv *w)
{
    char name[128];
    static const char *const ends[] = {"mean", "lo", "hi"};
    for (unsigned i = 0; i < METRIC_COUNT; i++) {
        const struct metric_desc *d = &metric_descs[i];
        if (d->kind != METRIC_MEAN_CI) {
            sim_csv_text(w, d->key);
            continue;
        }
        for (size_t k = 0; k < 3; k++) {
            snprintf(name, sizeof name, "%s_%s", d->key, ends[k]);
            sim_csv_text(w, name);
        }
    }
}

void out_csv_ci(struct sim_csv *w, const struct sim_ci *ci)
{
    sim_csv_number(w, ci->mean);
    sim_csv_number(w, ci->lo);
    sim_csv_number(w, ci->hi);
}

void out_metric_csv_values(struct sim_csv *w, const struct metric_summary *s)
{
    for (unsigned i = 0; i < METRIC_COUNT; i++) {
        if (metric_descs[i].kind == METRIC_MEAN_CI)
            out_csv_ci(w, &s->ci[i]);
        else
            sim_csv_whole(w, s->sum[i]);
    }
}

void out_result_csv(FILE *fp, const struct metric_summary *s)
{
    struct sim_csv w = sim_csv_on(fp);
    static const char *const head[] = {"metric", "mean", "ci95_lo", "ci95_hi", "unit"};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        sim_csv_text(&w, head[k]);
    sim_csv_end(&w);
    for (unsigned i = 0; i < METRIC_COUNT; i++) {
        const struct metric_desc *d = &metric_descs[i];
        sim_csv_text(&w, d->key);
        if (d->kind == METRIC_MEAN_CI) {
            out_csv_ci(&w, &s->ci[i]);
        } else {
            sim_csv_whole(&w, s->sum[i]);
            sim_csv_empty(&w);
            sim_csv_empty(&w);
        }
        sim_csv_text(&w, d->unit);
        sim_csv_end(&w);
    }
}

void out_replications_csv(FILE *fp, const double *metrics, const bool *done,
                          size_t reps)
{
    struct sim_csv w = sim_csv_on(fp);
    sim_csv_text(&w, "replication");
    for (unsigned i = 0; i < METRIC_COUNT; i++)
        sim_csv_text(&w, metric_descs[i].key);
    sim_csv_end(&w);
    for (size_t r = 0; r < reps; r++) {
        if (done != NULL && !done[r])
            continue;
        sim_csv_uint(&w, r);
        for (unsigned i = 0; i < METRIC_COUNT; i++) {
            double x = metrics[r * METRIC_COUNT + i];
            if (metric_descs[i].kind == METRIC_SUM)
                sim_csv_whole(&w, x);
            else
                sim_csv_number(&w, x);
        }
        sim_csv_end(&w);
    }
}

/* The threshold's percent as text, for the constant footnote. */
#define OUT_TEXT(x) #x
#define OUT_NUMBER_TEXT(x) OUT_TEXT(x)

const char out_over_capacity_note[] =
    "*: over capacity: the backlog keeps growing by more than "
    OUT_NUMBER_TEXT(CAPACITY_OVER_PERCENT) "% of the leads handed a day, or more than "
    OUT_NUMBER_TEXT(CAPACITY_OVER_PERCENT) "% of the leads are abandoned before any call;\n"
    "   the junk rate covers resolved leads only.\n";

/* One value in the table's style for its unit. */
static void format_value(char *buf, size_t n, double x, const char *unit)
{
    if (strcmp(unit, "share") == 0)
        metric_fmt_share(buf, n, x);
    else if (!isfinite(x))
        snprintf(buf, n, "-");
    else if (strcmp(unit, "hours") == 0)
        snprintf(buf, n, "%.1f h", x);
    else if (strcmp(unit, "money") == 0 || strcmp(unit, "count") == 0)
        snprintf(buf, n, "%.0f", x);
    else
        snprintf(buf, n, "%.1f", x);
}

static void table_row(FILE *fp, const struct metric_summary *s, enum metric_id i,
                      const char *indent)
{
    const struct metric_desc *d = &metric_descs[i];
    char mean[32], lo[32], hi[32];
    int width = 30 - (int)strlen(indent);
    if (d->kind == METRIC_SUM) {
        format_value(mean, sizeof mean, s->sum[i], d->unit);
        fprintf(fp, "%s%-*s %12s\n", indent, width, d->label, mean);
        return;
    }
    const struct sim_ci *ci = &s->ci[i];
    format_value(mean, sizeof mean, ci->mean, d->unit);
    if (isfinite(ci->lo)) {
        format_value(lo, sizeof lo, ci->lo, d->unit);
        format_value(hi, sizeof hi, ci->hi, d->unit);
        fprintf(fp, "%s%-*s %12s   (95%% CI %s to %s)\n", indent, width, d->label,
                mean, lo, hi);
    } else {
        fprintf(fp, "%s%-*s %12s\n", indent, width, d->label, mean);
    }
}

const char *out_days(char buf[32], double days)
{
    snprintf(buf, 32, "%.4f", days);
    char *dot = strchr(buf, '.');
    if (dot != NULL) {
        char *end = buf + strlen(buf);
        while (end > dot + 1 && end[-1] == '0')
            *--end = '\0';
        if (end == dot + 1)
            *dot = '\0';
    }
    return buf;
}

void out_result_table(FILE *fp, const struct scenario *scn,
                      const struct metric_summary *s, const struct breakdown_summary *b)
{
    struct capacity_load load = capacity_load_of(scn, s);
    fprintf(fp, "%s", scn->name);
    if (scn->description[0] != '\0')
        fprintf(fp, ": %s", scn->description);
    char days[2][32];
    fprintf(fp, "\n%zu replications, seed %llu, %s days (first %s warm-up), %s calendar\n\n",
            s->replications, (unsigned long long)scn->seed, out_days(days[0], scn->horizon_days),
            out_days(days[1], scn->warmup_days), scn->calendar.business ? "business" : "24x7");
    fprintf(fp, "Leads to sales    %8.0f a week (of %.0f created)\n", load.offered,
            load.inflow);
    fprintf(fp, "Team capacity     %8.0f a week (nominal)   load %.2f\n\n", load.capacity,
            load.ratio);

    table_row(fp, s, METRIC_JUNK_RATE, "");
    for (unsigned r = 0; r < JUNK_REASONS; r++)
        table_row(fp, s, metric_of_reason(r), "  ");
    /* Beside the junk rate: junk hides the leads the cap threw away. */
    table_row(fp, s, METRIC_LOST_RATE, "");
    static const enum metric_id rest[] = {
        METRIC_HELD_BACK_RATE, METRIC_PROB_WAIT, METRIC_WAIT_MEAN, METRIC_WAIT_P50,
        METRIC_WAIT_P90, METRIC_UTILIZATION, METRIC_BACKLOG_MEAN,
    };
    fputc('\n', fp);
    for (size_t k = 0; k < sizeof rest / sizeof rest[0]; k++)
        table_row(fp, s, rest[k], "");
    fprintf(fp, "\nPer replication (%s measured days)\n",
            out_days(days[0], scn->horizon_days - scn->warmup_days));
    static const enum metric_id money[] = {
        METRIC_HANDED_PER_WEEK, METRIC_QUALIFIED, METRIC_DEALS, METRIC_REVENUE,
        METRIC_MARKETING_SPEND, METRIC_TEAM_COST, METRIC_PROFIT, METRIC_COST_PER_DEAL,
        METRIC_WASTED_SPEND, METRIC_LOST,
    };
    for (size_t k = 0; k < sizeof money / sizeof money[0]; k++)
        table_row(fp, s, money[k], "  ");
    static const enum metric_id extra[] = {
        METRIC_FILTERED, METRIC_DIVERTED, METRIC_RETURNED, METRIC_HELD_BACK,
        METRIC_RECOVERED,
    };
    for (size_t k = 0; k < sizeof extra / sizeof extra[0]; k++)
        if (s->sum[extra[k]] > 0)
            table_row(fp, s, extra[k], "  ");
    fprintf(fp, "\nAll replications: %.0f leads handed, %.0f resolved, %.0f unresolved, "
                "%.0f in marketing at the horizon, %.0f events\n",
            s->sum[METRIC_LEADS_HANDED], s->sum[METRIC_RESOLVED],
            s->sum[METRIC_UNRESOLVED], s->sum[METRIC_IN_MARKETING], s->sum[METRIC_EVENTS]);
    if (b != NULL)
        out_breakdown_table(fp, scn, b);
    char text[4][256];
    size_t n = warnings(scn, s, text, 4);
    for (size_t i = 0; i < n; i++)
        fprintf(fp, "\nWARNING: %s.\n", text[i]);
}

/* ---- the weekly cohorts ------------------------------------------------------ */

/* The date of day `day` of scn as text in buf, or NULL without start_date. */
static const char *week_date(const struct scenario *scn, double day, char buf[SIM_DATE_TEXT])
{
    if (!scn->start_date.dated)
        return NULL;
    return sim_date_format(scn->start_date.date + (int32_t)day, buf);
}

cJSON *out_weekly_json(const struct scenario *scn, const struct series_week *rows, size_t n)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddNumberToObject(obj, "open_max", SERIES_OPEN_MAX);
    cJSON *weeks = cJSON_AddArrayToObject(obj, "weeks");
    for (size_t i = 0; i < n; i++) {
        const struct series_week *w = &rows[i];
        cJSON *row = cJSON_CreateObject();
        cJSON_AddNumberToObject(row, "week", w->week);
        cJSON_AddNumberToObject(row, "from_day", w->from_day);
        char date[SIM_DATE_TEXT];
        if (week_date(scn, w->from_day, date) != NULL)
            cJSON_AddStringToObject(row, "date", date);
        cJSON_AddBoolToObject(row, "measured", w->measured);
        cJSON_AddBoolToObject(row, "complete", w->complete);
        for (unsigned m = 0; m < WEEKLY_COUNT; m++)
            add_dotted(row, weekly_name((enum weekly_measure)m), out_ci_json(&w->v[m]));
        cJSON_AddItemToArray(weeks, row);
    }
    return obj;
}

cJSON *out_worst_week_json(const struct series_week *rows, size_t n,
                           const struct series_worst *w)
{
    if (w->worst >= n)
        return cJSON_CreateNull();
    cJSON *obj = cJSON_CreateObject();
    const struct series_week *a = &rows[w->worst];
    cJSON_AddNumberToObject(obj, "week", a->week);
    cJSON_AddNumberToObject(obj, "from_day", a->from_day);
    cJSON_AddItemToObject(obj, "junk_rate", out_ci_json(&a->v[WEEKLY_JUNK_RATE]));
    if (w->runner_up < n) {
        cJSON *r = cJSON_AddObjectToObject(obj, "runner_up");
        cJSON_AddNumberToObject(r, "week", rows[w->runner_up].week);
        cJSON_AddItemToObject(r, "junk_rate", out_ci_json(&rows[w->runner_up].v[WEEKLY_JUNK_RATE]));
    } else {
        cJSON_AddNullToObject(obj, "runner_up");
    }
    cJSON_AddBoolToObject(obj, "overlaps_runner_up", w->overlaps);
    size_t complete = 0;
    for (size_t i = 0; i < n; i++)
        complete += rows[i].complete;
    cJSON_AddNumberToObject(obj, "complete_weeks", (double)complete);
    return obj;
}

void out_weekly_csv(FILE *fp, const struct scenario *scn, const struct series_week *rows,
                    size_t n)
{
    struct sim_csv w = sim_csv_on(fp);
    bool dated = scn->start_date.dated;
    sim_csv_text(&w, "week");
    sim_csv_text(&w, "from_day");
    if (dated)
        sim_csv_text(&w, "date");
    sim_csv_text(&w, "measured");
    sim_csv_text(&w, "complete");
    for (unsigned m = 0; m < WEEKLY_COUNT; m++) {
        static const char *const end[] = {"_mean", "_lo", "_hi"};
        for (size_t k = 0; k < 3; k++) {
            char col[96];
            snprintf(col, sizeof col, "%s%s", weekly_name((enum weekly_measure)m), end[k]);
            sim_csv_text(&w, col);
        }
    }
    sim_csv_end(&w);
    for (size_t i = 0; i < n; i++) {
        sim_csv_uint(&w, rows[i].week);
        sim_csv_number(&w, rows[i].from_day);
        char date[SIM_DATE_TEXT];
        if (dated)
            sim_csv_text(&w, week_date(scn, rows[i].from_day, date));
        sim_csv_uint(&w, rows[i].measured);
        sim_csv_uint(&w, rows[i].complete);
        for (unsigned m = 0; m < WEEKLY_COUNT; m++)
            out_csv_ci(&w, &rows[i].v[m]);
        sim_csv_end(&w);
    }
}

void out_worst_week_table(FILE *fp, const struct scenario *scn,
                          const struct series_week *rows, size_t n,
                          const struct series_worst *w)
{
    size_t measured = 0, complete = 0, first_open = n;
    for (size_t i = 0; i < n; i++) {
        measured += rows[i].measured;
        complete += rows[i].complete;
        if (rows[i].measured && !rows[i].complete && first_open == n)
            first_open = i;
    }
    fputc('\n', fp);
    if (w->worst >= n) {
        fprintf(fp, "Worst week: none (no measured week is complete: each has more than "
                    "%.0f%% of its leads open at the horizon, or ends after it)\n",
                100.0 * SERIES_OPEN_MAX);
        return;
    }
    char a[64], b[64];
    const struct sim_ci *x = &rows[w->worst].v[WEEKLY_JUNK_RATE];
    metric_fmt_share_ci(a, sizeof a, x->mean, x->lo, x->hi);
    char date[SIM_DATE_TEXT];
    const struct series_week *ww = &rows[w->worst];
    if (week_date(scn, ww->from_day, date) != NULL)
        fprintf(fp, "Worst week        week %u (from %s): junk rate %s\n", ww->week, date, a);
    else
        fprintf(fp, "Worst week        week %u (days %.0f-%.0f): junk rate %s\n", ww->week,
                ww->from_day, ww->from_day + 6, a);
    if (w->runner_up < n) {
        const struct sim_ci *y = &rows[w->runner_up].v[WEEKLY_JUNK_RATE];
        metric_fmt_share_ci(b, sizeof b, y->mean, y->lo, y->hi);
        fprintf(fp, "  runner-up       week %u: %s; %s\n", rows[w->runner_up].week, b,
                w->overlaps ? "the intervals overlap: within the noise, the worst "
                              "week is not told apart from it"
                            : "the intervals do not overlap");
    }
    fprintf(fp, "  of %zu complete weeks (measured, ended, at most %.0f%% of the cohort "
                "open at the horizon)",
            complete, 100.0 * SERIES_OPEN_MAX);
    if (first_open < n && complete < measured)
        fprintf(fp, "; %zu measured week%s left out, from week %u", measured - complete,
                measured - complete == 1 ? "" : "s", rows[first_open].week);
    fputc('\n', fp);
}

/* ---- by channel and by group ------------------------------------------------ */

/* What a breakdown kind's rows are: descriptors, names, row count, cells. */
struct breakdown_view {
    const char *column;                 /* the CSV's first column, the JSON key */
    const struct metric_desc *descs;
    unsigned n_metrics;
    unsigned rows;
};

static struct breakdown_view breakdown_view(const struct scenario *scn,
                                            enum out_breakdown_kind kind)
{
    if (kind == OUT_BY_CHANNEL)
        return (struct breakdown_view){"channel", breakdown_channel_descs, BC_COUNT,
                                       scn->n_channels};
    return (struct breakdown_view){"group", breakdown_group_descs, BG_COUNT,
                                   breakdown_group_rows(scn)};
}

static const char *breakdown_row_name(const struct scenario *scn,
                                      enum out_breakdown_kind kind, unsigned row)
{
    return kind == OUT_BY_CHANNEL ? scn->channels[row].name : breakdown_group_name(scn, row);
}

static const struct sim_ci *breakdown_cell(const struct breakdown_summary *b,
                                           enum out_breakdown_kind kind, unsigned row,
                                           unsigned i)
{
    return kind == OUT_BY_CHANNEL ? &b->channel[row][i] : &b->group[row][i];
}

void out_breakdown_json(cJSON *obj, const struct scenario *scn,
                        const struct breakdown_summary *b)
{
    static const char *const keys[] = {"by_channel", "by_group"};
    for (unsigned k = OUT_BY_CHANNEL; k <= OUT_BY_GROUP; k++) {
        struct breakdown_view v = breakdown_view(scn, (enum out_breakdown_kind)k);
        cJSON *list = cJSON_AddArrayToObject(obj, keys[k]);
        for (unsigned row = 0; row < v.rows; row++) {
            cJSON *item = cJSON_CreateObject();
            cJSON_AddStringToObject(item, "name",
                                    breakdown_row_name(scn, (enum out_breakdown_kind)k, row));
            for (unsigned i = 0; i < v.n_metrics; i++)
                add_dotted(item, v.descs[i].key,
                           out_ci_json(breakdown_cell(b, (enum out_breakdown_kind)k, row, i)));
            cJSON_AddItemToArray(list, item);
        }
    }
}

const char *out_breakdown_file(enum out_breakdown_kind kind)
{
    return kind == OUT_BY_CHANNEL ? "by_channel.csv" : "by_group.csv";
}

void out_breakdown_csv(FILE *fp, const struct scenario *scn,
                       const struct breakdown_summary *b, enum out_breakdown_kind kind)
{
    struct breakdown_view v = breakdown_view(scn, kind);
    struct sim_csv w = sim_csv_on(fp);
    const char *head[] = {v.column, "metric", "mean", "lo", "hi"};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        sim_csv_text(&w, head[k]);
    sim_csv_end(&w);
    for (unsigned row = 0; row < v.rows; row++) {
        for (unsigned i = 0; i < v.n_metrics; i++) {
            sim_csv_text(&w, breakdown_row_name(scn, kind, row));
            sim_csv_text(&w, v.descs[i].key);
            out_csv_ci(&w, breakdown_cell(b, kind, row, i));
            sim_csv_end(&w);
        }
    }
}

/* s cut to at most `max` bytes, not inside a UTF-8 character. */
static void cut_name(char *dst, size_t max, const char *s)
{
    size_t n = strlen(s);
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* One breakdown as a table: a column per row of the breakdown, as wide as
 * the longest name (10 to 20 bytes; longer names are cut), a line per
 * number of `show`. */
static void breakdown_table(FILE *fp, const struct scenario *scn,
                            const struct breakdown_summary *b, enum out_breakdown_kind kind,
                            const char *title, const unsigned *show, size_t n_show)
{
    struct breakdown_view v = breakdown_view(scn, kind);
    int width = 10;
    for (unsigned row = 0; row < v.rows; row++) {
        size_t n = strlen(breakdown_row_name(scn, kind, row));
        if ((int)n > width)
            width = n < 20 ? (int)n : 20;
    }
    fprintf(fp, "\n%-30s", title);
    for (unsigned row = 0; row < v.rows; row++) {
        char name[21];
        cut_name(name, 20, breakdown_row_name(scn, kind, row));
        fprintf(fp, " %*s", width, name);
    }
    fputc('\n', fp);
    for (size_t k = 0; k < n_show; k++) {
        const struct metric_desc *d = &v.descs[show[k]];
        fprintf(fp, "  %-28s", d->label);
        for (unsigned row = 0; row < v.rows; row++) {
            char cell[32];
            format_value(cell, sizeof cell, breakdown_cell(b, kind, row, show[k])->mean,
                         d->unit);
            fprintf(fp, " %*s", width, cell);
        }
        fputc('\n', fp);
    }
}

void out_breakdown_table(FILE *fp, const struct scenario *scn,
                         const struct breakdown_summary *b)
{
    static const unsigned channel_rows[] = {
        BC_GENERATED, BC_HANDED, BC_LOST, BC_LOST_RATE, BC_JUNK_RATE, BC_DEALS,
        BC_REVENUE, BC_SPEND, BC_COST_PER_DEAL,
    };
    static const unsigned group_rows[] = {
        BG_WORKED, BG_UTILIZATION, BG_WAIT_MEAN, BG_JUNK_RATE, BG_DEALS,
    };
    breakdown_table(fp, scn, b, OUT_BY_CHANNEL, "By channel (means)", channel_rows,
                    sizeof channel_rows / sizeof channel_rows[0]);
    breakdown_table(fp, scn, b, OUT_BY_GROUP, "By group of the last attempt", group_rows,
                    sizeof group_rows / sizeof group_rows[0]);
}
