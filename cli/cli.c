/* SPDX-License-Identifier: MIT */
#include "models/scn_doc.h"
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli/manifest.h"
#include "models/series.h"
#include "sim/date.h"
#include "sim/experiment.h"
#include "sim/mem.h"
#include "sim/schema.h"
#include "sim/text.h"

static volatile sig_atomic_t cli_interrupted;

static void on_signal(int sig)
{
    (void)sig;
    cli_interrupted = 1;
}

void cli_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

const volatile sig_atomic_t *cli_stop_flag(void)
{
    return &cli_interrupted;
}

void cli_stop_reset(void)
{
    cli_interrupted = 0;
}

/* ---- options ------------------------------------------------------------------ */

enum opt_arg { ARG_NONE, ARG_UINT, ARG_NUMBER, ARG_TEXT };

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

struct opt_spec {
    const char *name;
    enum opt_arg arg;
    const char *metavar;
    const char *help;
};

static const struct opt_spec opt_specs[OPT_COUNT] = {
    [OPT_REPS] = {"--reps", ARG_UINT, "N", "replications (overrides the scenario's)"},
    [OPT_SEED] = {"--seed", ARG_UINT, "N", "master seed, 0 to 2^64 - 1 (overrides the scenario's)"},
    [OPT_JOBS] = {"--jobs", ARG_UINT, "N", "threads; default: one per core; results do not depend on it"},
    [OPT_SET] = {"--set", ARG_TEXT, "PATH=VALUE", "override a scenario value, e.g. team[1].count=7 (repeatable)"},
    [OPT_FORMAT] = {"--format", ARG_TEXT, NULL, "what to print; default: table (also called text)"},
    [OPT_OUT] = {"--out", ARG_TEXT, "DIR", "also write result files into DIR (created if missing)"},
    [OPT_QUIET] = {"--quiet", ARG_NONE, NULL, "no progress bar"},
    [OPT_PLOT] = {"--plot", ARG_NONE, NULL, "render the charts into --out DIR afterwards"},
    [OPT_MAX_LEADS] = {"--max-leads", ARG_UINT, "N", "stop a replication with more than N leads in the system (default " STRINGIFY(FUNNEL_DEFAULT_MAX_LEADS_N) ")"},
    [OPT_VARY] = {"--vary", ARG_TEXT, "PATH", "the numeric scenario value to vary"},
    [OPT_FROM] = {"--from", ARG_NUMBER, "A", "first value of --vary"},
    [OPT_TO] = {"--to", ARG_NUMBER, "B", "last value of --vary"},
    [OPT_STEPS] = {"--steps", ARG_UINT, "N", "number of values of --vary"},
    [OPT_VARY2] = {"--vary2", ARG_TEXT, "PATH", "a second value to vary (a grid)"},
    [OPT_FROM2] = {"--from2", ARG_NUMBER, "A", "first value of --vary2"},
    [OPT_TO2] = {"--to2", ARG_NUMBER, "B", "last value of --vary2"},
    [OPT_STEPS2] = {"--steps2", ARG_UINT, "N", "number of values of --vary2"},
    [OPT_TARGET_JUNK] = {"--target-junk", ARG_NUMBER, "SHARE", "the junk rate to stay at or under, e.g. 0.10 (the scenario's report.target_junk)"},
    [OPT_MEASURES] = {"--measures", ARG_NONE, NULL, "apply the changes from the first scenario to the second one lever at a time"},
    [OPT_TIMING] = {"--timing", ARG_NONE, NULL, "print speed figures (leads/s, events/s, wall time, peak memory) to standard error"},
    [OPT_OVERWRITE] = {"--overwrite", ARG_NONE, NULL, "let --out DIR replace another run's files (they are removed first)"},
    [OPT_WANT] = {"--want", ARG_TEXT, "largest|smallest", "which end of the values holding the target is the answer"},
    [OPT_MAX_REPS] = {"--max-reps", ARG_UINT, "N", "replications to double up to when the answer is within the noise (default 200)"},
    [OPT_MEASURES_AFTER] = {"--measures", ARG_TEXT, "AFTER", "the scenario after the seven measures: the page offers each as a switch"},
    [OPT_PORT] = {"--port", ARG_UINT, "N", "TCP port to listen on; 0 (the default): a free one"},
    [OPT_LISTEN] = {"--listen", ARG_TEXT, "ADDR", "IPv4 address to listen on, the one clients use (default 127.0.0.1); traffic is clear text"},
    [OPT_MAXIMIZE] = {"--maximize", ARG_TEXT, "profit|deals", "find the value with the largest mean of this metric instead"},
    [OPT_LEADS] = {"--leads", ARG_TEXT, "FILE.csv", "also write one row per lead and replication to FILE.csv (the lead log)"},
    [OPT_KEYS] = {"--keys", ARG_TEXT, "PATH,...", "the keys to move over their plausible ranges (default: every one the scenario uses)"},
    [OPT_MANAGERS] = {"--managers", ARG_TEXT, "MANAGERS.csv", "the owners' groups and employment: owner, group, start_date, end_date"},
    [OPT_MAP] = {"--map", ARG_TEXT, "MAP.json", "how the file's columns, statuses and reasons map onto the schema (docs/import.md)"},
    [OPT_REPLICATION] = {"--replication", ARG_UINT, "N", "of a lead log: the replication to read, as its `replication` column counts (default 0)"},
    [OPT_FIT] = {"--fit", ARG_TEXT, "PATH,...", "the scenario keys to fit (default: the unobservables: decay half-lives, misjudge_base, rush_penalty, p_reach)"},
    [OPT_BOOTSTRAP] = {"--bootstrap", ARG_UINT, "B", "also a parametric bootstrap of B refits, for percentile intervals beside the sandwich's (default 0: none; costs B fits)"},
    [OPT_HOLDOUT_FROM] = {"--holdout-from", ARG_TEXT, "DATE", "fit on the leads created before DATE (YYYY-MM-DD, or a day number) and back-test the weeks from it"},
    [OPT_TARGET_ON] = {"--target-on", ARG_TEXT, "average|worst-week|window:FROM..TO", "test the junk target on the average (default), each replication's worst complete week (its cohort's junk rate; weeks measured, ended, at most 5% open at the horizon), or the cohorts of the weeks overlapping days FROM..TO (days of the run, or dates YYYY-MM-DD..YYYY-MM-DD when the scenario has a start_date); junk_rate then reports that measure"},
};

/* The --format names, in the order of enum cli_format; "text" is the
 * table's other name. */
static const char *const format_names[] = {"table", "json", "csv", "markdown"};

/* "table|json|csv": the formats cmd prints. */
static void formats_text(const struct cli_command *cmd, char *buf, size_t n)
{
    unsigned allowed = cmd->formats ? cmd->formats : FORMATS_DEFAULT;
    size_t len = 0;
    buf[0] = '\0';
    for (unsigned f = 0; f < sizeof format_names / sizeof format_names[0]; f++)
        if ((allowed & FORMAT_BIT(f)) && len < n)
            len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? "|" : "", format_names[f]);
}

void cli_help(const struct cli_command *cmd, FILE *fp)
{
    fprintf(fp, "Usage: funnelsim %s %s\n\n%s\n", cmd->name, cmd->usage, cmd->summary);
    if (cmd->help != NULL && cmd->help[0] != '\0')
        fprintf(fp, "\n%s", cmd->help);
    fputs("\nOptions:\n", fp);
    for (unsigned i = 0; i < OPT_COUNT; i++) {
        if (!(cmd->options & OPT_BIT(i)))
            continue;
        char left[48], formats[40];
        const char *metavar = opt_specs[i].metavar;
        if (i == OPT_FORMAT) {
            formats_text(cmd, formats, sizeof formats);
            metavar = formats;
        }
        snprintf(left, sizeof left, "%s%s%s", opt_specs[i].name, metavar ? " " : "",
                 metavar ? metavar : "");
        fprintf(fp, "  %-30s %s\n", left, opt_specs[i].help);
    }
    fprintf(fp, "  %-30s %s\n", "--help", "this help");
    fputs("\nExit codes: 0 success, 1 runtime failure (I/O), 2 bad input, 130 interrupted.\n", fp);
}

static int bad_value(const struct cli_command *cmd, const char *opt, const char *value,
                     const char *rule, struct sim_err *err)
{
    return sim_err_set(err, SIM_ERR_INPUT, "%s %s: '%s': %s", cmd->name, opt, value, rule);
}

static int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* Stores the value of option `id` (already known to take one). */
static int store(const struct cli_command *cmd, struct cli_opts *o, enum cli_opt id,
                 const char *value, struct sim_err *err)
{
    const char *name = opt_specs[id].name;
    unsigned long long u = 0;
    double x = 0.0;
    if (opt_specs[id].arg == ARG_UINT) {
        unsigned long long max = id == OPT_SEED ? ULLONG_MAX : 0xffffffffull;
        if (parse_uint(value, max, &u) != 0)
            return bad_value(cmd, name, value, id == OPT_SEED ? "must be a whole number from 0 "
                             "to " SIM_SCHEMA_U64_MAX_TEXT : "must be a whole number", err);
    } else if (opt_specs[id].arg == ARG_NUMBER && parse_number(value, &x) != 0) {
        return bad_value(cmd, name, value, "must be a number", err);
    }
    switch (id) {
    case OPT_REPS:
    case OPT_SEED: {
        if (o->n_sets >= CLI_MAX_SETS)
            return bad_value(cmd, name, value, "too many overrides", err);
        char *buf = o->set_storage[id == OPT_SEED];
        snprintf(buf, sizeof o->set_storage[0], "%s=%llu",
                 id == OPT_SEED ? "seed" : "replications", u);
        char *origin = o->origin_storage[id == OPT_SEED];
        snprintf(origin, sizeof o->origin_storage[0], "%s %llu", name, u);
        o->set_origin[o->n_sets] = origin;
        o->sets[o->n_sets++] = buf;
        break;
    }
    case OPT_JOBS:
        if (u == 0 || u > 1024)
            return bad_value(cmd, name, value, "must be between 1 and 1024", err);
        o->jobs = (unsigned)u;
        break;
    case OPT_SET:
        if (o->n_sets >= CLI_MAX_SETS)
            return bad_value(cmd, name, value, "too many overrides", err);
        o->set_origin[o->n_sets] = NULL;
        o->sets[o->n_sets++] = value;
        break;
    case OPT_FORMAT: {
        unsigned allowed = cmd->formats ? cmd->formats : FORMATS_DEFAULT;
        int found = -1;
        for (unsigned f = 0; f < sizeof format_names / sizeof format_names[0]; f++)
            if ((allowed & FORMAT_BIT(f)) &&
                (strcmp(value, format_names[f]) == 0 ||
                 (f == FORMAT_TABLE && strcmp(value, "text") == 0)))
                found = (int)f;
        if (found < 0) {
            char rule[64], formats[40];
            formats_text(cmd, formats, sizeof formats);
            snprintf(rule, sizeof rule, "must be one of %s", formats);
            return bad_value(cmd, name, value, rule, err);
        }
        o->format = (enum cli_format)found;
        break;
    }
    case OPT_OUT:
        o->out = value;
        break;
    case OPT_MAX_LEADS:
        if (u == 0 || u > FUNNEL_MAX_LEADS)
            return bad_value(cmd, name, value, "must be between 1 and " STRINGIFY(FUNNEL_MAX_LEADS_N), err);
        o->max_leads = (uint32_t)u;
        break;
    case OPT_VARY: o->vary = value; break;
    case OPT_LEADS: o->leads = value; break;
    case OPT_KEYS: o->keys = value; break;
    case OPT_MANAGERS: o->managers = value; break;
    case OPT_MAP: o->map = value; break;
    case OPT_REPLICATION:
        if (u > 1000000)
            return bad_value(cmd, name, value, "must be between 0 and 1000000", err);
        o->replication = (unsigned)u;
        break;
    case OPT_FIT: o->fit_keys = value; break;
    case OPT_HOLDOUT_FROM: o->holdout_from = value; break;
    case OPT_BOOTSTRAP:
        if (u > 10000)
            return bad_value(cmd, name, value, "must be between 0 and 10000", err);
        o->bootstrap = (unsigned)u;
        break;
    case OPT_MAXIMIZE: o->maximize = value; break;
    case OPT_MEASURES_AFTER: o->measures_after = value; break;
    case OPT_LISTEN: o->listen = value; break;
    case OPT_PORT:
        if (u > 65535)
            return bad_value(cmd, name, value, "must be between 0 and 65535", err);
        o->port = (unsigned)u;
        break;
    case OPT_VARY2: o->vary2 = value; break;
    case OPT_FROM: o->from = x; break;
    case OPT_TO: o->to = x; break;
    case OPT_FROM2: o->from2 = x; break;
    case OPT_TO2: o->to2 = x; break;
    case OPT_STEPS:
    case OPT_STEPS2:
        if (u == 0 || u > 100000)
            return bad_value(cmd, name, value, "must be between 1 and 100000", err);
        *(id == OPT_STEPS ? &o->steps : &o->steps2) = (unsigned)u;
        break;
    case OPT_WANT:
        if (strcmp(value, "largest") == 0)
            o->want = 1;
        else if (strcmp(value, "smallest") == 0)
            o->want = -1;
        else
            return bad_value(cmd, name, value, "must be largest or smallest", err);
        break;
    case OPT_MAX_REPS:
        if (u == 0 || u > 100000)
            return bad_value(cmd, name, value, "must be between 1 and 100000", err);
        o->max_reps = (unsigned)u;
        break;
    case OPT_TARGET_ON:
        if (cli_parse_target_on(value, &o->target_on) != SIM_OK)
            return bad_value(cmd, name, value, "must be average, worst-week or window:FROM..TO "
                             "(days, 0 <= FROM <= TO, e.g. window:70..97, or dates, e.g. "
                             "window:2027-03-01..2027-03-28)", err);
        break;
    case OPT_TARGET_JUNK:
        if (!(x > 0.0 && x < 1.0))
            return bad_value(cmd, name, value, "must be between 0 and 1 (a share, 0.10 for 10%)", err);
        o->target_junk = x;
        /* A command that loads scenarios records the target in them
         * (report.target_junk), so its results carry the target they ran
         * with; plot has no scenario and passes it on itself. */
        if (cmd->options & OPT_BIT(OPT_SET)) {
            if (o->n_sets >= CLI_MAX_SETS)
                return bad_value(cmd, name, value, "too many overrides", err);
            char shortest[32];
            snprintf(o->set_storage[2], sizeof o->set_storage[2], "report.target_junk=%s",
                     sim_schema_num(shortest, x));
            snprintf(o->origin_storage[2], sizeof o->origin_storage[2], "%s %.40s", name, value);
            o->set_origin[o->n_sets] = o->origin_storage[2];
            o->sets[o->n_sets++] = o->set_storage[2];
        }
        break;
    default:
        break;
    }
    return SIM_OK;
}

/* One end of a window: a whole day number of the run, or a date
 * (YYYY-MM-DD) as its day number (sim/date.h), *dated set. */
static int parse_day(const char *s, size_t n, double *day, bool *dated)
{
    char buf[32];
    if (n == 0 || n >= sizeof buf)
        return SIM_ERR_INPUT;
    memcpy(buf, s, n);
    buf[n] = '\0';
    int32_t date;
    char why[64];
    if (sim_date_parse(buf, &date, why, sizeof why)) {
        *day = date;
        *dated = true;
        return SIM_OK;
    }
    char *end;
    errno = 0;
    double x = strtod(buf, &end);
    if (*end != '\0' || errno != 0 || !(x >= 0.0 && x <= 1e6) || x != floor(x))
        return SIM_ERR_INPUT;
    *day = x;
    *dated = false;
    return SIM_OK;
}

int cli_parse_target_on(const char *value, struct series_target *t)
{
    static const char window[] = "window:";
    if (strcmp(value, "average") == 0) {
        *t = (struct series_target){SERIES_TARGET_AVERAGE, 0.0, 0.0, false};
        return SIM_OK;
    }
    if (strcmp(value, "worst-week") == 0) {
        *t = (struct series_target){SERIES_TARGET_WORST_WEEK, 0.0, 0.0, false};
        return SIM_OK;
    }
    if (strncmp(value, window, sizeof window - 1) != 0)
        return SIM_ERR_INPUT;
    const char *from = value + sizeof window - 1;
    const char *dots = strstr(from, "..");
    double a, b;
    bool a_dated, b_dated;
    if (dots == NULL || parse_day(from, (size_t)(dots - from), &a, &a_dated) != SIM_OK ||
        parse_day(dots + 2, strlen(dots + 2), &b, &b_dated) != SIM_OK || a > b ||
        a_dated != b_dated)
        return SIM_ERR_INPUT;
    *t = (struct series_target){SERIES_TARGET_WINDOW, a, b, a_dated};
    return SIM_OK;
}

const char *cli_target_on_name(const struct series_target *t, char *buf, size_t n)
{
    switch (t->kind) {
    case SERIES_TARGET_WORST_WEEK: return "worst-week";
    case SERIES_TARGET_WINDOW:
        if (t->dated) {
            char a[SIM_DATE_TEXT], b[SIM_DATE_TEXT];
            snprintf(buf, n, "window:%s..%s", sim_date_format((int32_t)t->from_day, a),
                     sim_date_format((int32_t)t->to_day, b));
        } else {
            snprintf(buf, n, "window:%.0f..%.0f", t->from_day, t->to_day);
        }
        return buf;
    default: return "average";
    }
}

/* Two options may share a name (--measures: compare's switch, serve's
 * AFTER file): the one the command takes wins. */
static enum cli_opt find_option(const struct cli_command *cmd, const char *name, size_t len)
{
    enum cli_opt found = OPT_COUNT;
    for (unsigned i = 0; i < OPT_COUNT; i++)
        if (strlen(opt_specs[i].name) == len && strncmp(opt_specs[i].name, name, len) == 0) {
            if (cmd->options & OPT_BIT(i))
                return (enum cli_opt)i;
            found = (enum cli_opt)i;
        }
    return found;
}

static int unknown_option(const struct cli_command *cmd, const char *arg, struct sim_err *err)
{
    const char *names[OPT_COUNT + 2];
    size_t n = 0;
    for (unsigned i = 0; i < OPT_COUNT; i++)
        if (cmd->options & OPT_BIT(i))
            names[n++] = opt_specs[i].name;  /* a shared name twice: harmless */
    names[n++] = "--help";
    names[n] = NULL;
    const char *hint = sim_text_closest(arg, names);
    if (hint != NULL)
        return sim_err_set(err, SIM_ERR_INPUT, "%s: unknown option '%s' (did you mean %s?)",
                           cmd->name, arg, hint);
    return sim_err_set(err, SIM_ERR_INPUT, "%s: unknown option '%s'", cmd->name, arg);
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv,
              struct cli_opts *o, struct sim_err *err)
{
    memset(o, 0, sizeof *o);
    bool options_done = false;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (options_done || arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (o->n_args >= CLI_MAX_ARGS)
                return sim_err_set(err, SIM_ERR_INPUT, "%s: too many arguments", cmd->name);
            o->args[o->n_args++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = true;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            cli_help(cmd, stdout);
            return -1;
        }
        const char *eq = strchr(arg, '=');
        size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
        enum cli_opt id = find_option(cmd, arg, len);
        if (id == OPT_COUNT || !(cmd->options & OPT_BIT(id)))
            return unknown_option(cmd, arg, err);
        o->given[id] = true;
        if (opt_specs[id].arg == ARG_NONE) {
            if (eq != NULL)
                return bad_value(cmd, opt_specs[id].name, eq + 1, "takes no value", err);
            if (id == OPT_QUIET)
                o->quiet = true;
            else if (id == OPT_PLOT)
                o->plot = true;
            else if (id == OPT_MEASURES)
                o->measures = true;
            else if (id == OPT_TIMING)
                o->timing = true;
            else if (id == OPT_OVERWRITE)
                o->overwrite = true;
            continue;
        }
        const char *value = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (value == NULL)
            return sim_err_set(err, SIM_ERR_INPUT, "%s: %s needs a value (%s)", cmd->name,
                               opt_specs[id].name, opt_specs[id].metavar);
        int rc = store(cmd, o, id, value, err);
        if (rc != SIM_OK)
            return rc;
    }
    if (o->plot && o->out == NULL)
        return sim_err_set(err, SIM_ERR_INPUT, "%s: --plot needs --out DIR", cmd->name);
    if (o->overwrite && o->out == NULL)
        return sim_err_set(err, SIM_ERR_INPUT, "%s: --overwrite needs --out DIR", cmd->name);
    return SIM_OK;
}

void cli_print_error(const char *msg)
{
    char clean[4 * sizeof ((struct sim_err *)0)->msg];
    sim_text_printable(clean, sizeof clean, msg);
    fprintf(stderr, "funnelsim: %s\n", clean);
}

int cli_fail(const struct cli_command *cmd, const struct sim_err *err)
{
    cli_print_error(err->msg);
    if (err->code == SIM_ERR_INPUT && cmd != NULL)
        fprintf(stderr, "(see 'funnelsim %s --help')\n", cmd->name);
    return err->code == SIM_OK ? 1 : err->code;
}

int cli_finish(const struct cli_command *cmd, int rc, const struct sim_err *err)
{
    return rc == SIM_OK || rc == CLI_EXIT_INTERRUPTED ? rc : cli_fail(cmd, err);
}

int cli_load(const struct cli_opts *o, const char *path, struct scn_doc **doc,
             struct scenario *scn, struct sim_err *err)
{
    *doc = scn_doc_load(path, err);
    if (*doc == NULL)
        return err->code;
    for (size_t i = 0; i < o->n_sets; i++) {
        int rc = scn_doc_set_as(*doc, o->sets[i], o->set_origin[i], err);
        if (rc != SIM_OK)
            return rc;
    }
    int rc = scn_doc_compile(*doc, scn, err);
    if (rc == SIM_OK)
        manifest_scenario(path, scn->seed);
    return rc;
}

/* ---- running ------------------------------------------------------------------ */

struct progress {
    bool enabled;           /* standard error is a terminal, not --quiet */
    bool shown;             /* something was drawn */
    struct timespec start;
};

static double elapsed(const struct progress *p)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - p->start.tv_sec) +
           1e-9 * (double)(now.tv_nsec - p->start.tv_nsec);
}

/* Draws the bar once the work has taken a second, with the time left
 * extrapolated from the tasks done so far. */
static void show_progress(void *user, size_t done, size_t total)
{
    struct progress *p = user;
    if (!p->enabled)
        return;
    double t = elapsed(p);
    if (t < 1.0 && !p->shown)
        return;
    int width = 30;
    int filled = (int)((double)width * (double)done / (double)total);
    double left = done > 0 ? t * (double)(total - done) / (double)done : 0.0;
    fprintf(stderr, "\r[%.*s%*s] %3.0f%%  %zu/%zu  %.0fs left ", filled,
            "##############################", width - filled, "",
            100.0 * (double)done / (double)total, done, total, left);
    p->shown = true;
}

static void end_progress(struct progress *p)
{
    if (p->shown)
        fprintf(stderr, "\r%*s\r", 72, "");
}

void cli_results_free(struct cli_results *res)
{
    free(res->metrics);
    free(res->done);
    free(res->series);
    free(res->series_storage);
    free(res->breakdown);
    memset(res, 0, sizeof *res);
}

static void alloc_series(struct cli_results *res, const struct scenario *scn)
{
    size_t tasks = res->n_points * res->reps;
    size_t per_task = series_block_size(scn);
    res->series = sim_calloc(tasks, sizeof *res->series);
    res->series_storage = sim_calloc(tasks, per_task * sizeof *res->series_storage);
    for (size_t t = 0; t < tasks; t++)
        series_bind(&res->series[t], res->series_storage + t * per_task, scn);
}

int cli_simulate(const struct cli_opts *o, const struct scenario *const *scns,
                 size_t n_points, unsigned want, struct cli_results *res,
                 struct sim_err *err)
{
    memset(res, 0, sizeof *res);
    res->n_points = n_points;
    res->reps = scns[0]->replications;
    size_t tasks = n_points * res->reps;
    res->metrics = sim_calloc(tasks * METRIC_COUNT, sizeof *res->metrics);
    res->done = sim_calloc(tasks, sizeof *res->done);
    if (want & CLI_WANT_SERIES)
        alloc_series(res, scns[0]);
    if (want & CLI_WANT_BREAKDOWN)
        res->breakdown = sim_calloc(tasks, sizeof *res->breakdown);
    struct funnel_batch batch = {.max_leads = o->max_leads, .series = res->series,
                                 .breakdown = res->breakdown, .leads = o->leads_sink};
    struct progress progress = {.enabled = !o->quiet && isatty(STDERR_FILENO)};
    clock_gettime(CLOCK_MONOTONIC, &progress.start);
    struct sim_experiment x = {
        .model = &funnel_model,
        .user = &batch,
        .configs = (const void *const *)scns,
        .n_points = n_points,
        .reps = res->reps,
        .run = {.jobs = o->jobs, .interrupt = &cli_interrupted,
                .progress = show_progress, .progress_user = &progress},
    };
    int rc = sim_experiment_run(&x, res->metrics, res->done, err);
    res->wall_seconds = elapsed(&progress);
    end_progress(&progress);
    res->interrupted = cli_interrupted != 0;
    return rc;
}

void cli_summarise(const struct cli_results *res, size_t p, struct metric_summary *out)
{
    /* Only finished replications count; they are copied together so that
     * the summary sees a dense array. */
    double *buf = sim_reallocarray(NULL, (size_t)res->reps * METRIC_COUNT, sizeof *buf);
    size_t n = 0;
    for (unsigned r = 0; r < res->reps; r++) {
        size_t task = p * res->reps + r;
        if (!res->done[task])
            continue;
        memcpy(buf + n * METRIC_COUNT, res->metrics + task * METRIC_COUNT,
               METRIC_COUNT * sizeof *buf);
        n++;
    }
    metric_summarise(buf, n, 0.95, out);
    free(buf);
}

void cli_summarise_breakdown(const struct cli_results *res, size_t p,
                             const struct scenario *scn, struct breakdown_summary *out)
{
    size_t first = p * res->reps;
    breakdown_summarise(scn, res->breakdown + first, res->done + first, res->reps, 0.95, out);
}

void cli_timing(const struct cli_opts *o, const struct cli_results *res)
{
    if (!o->timing)
        return;
    double handed = 0.0, resolved = 0.0, events = 0.0;
    for (size_t t = 0; t < res->n_points * res->reps; t++) {
        if (!res->done[t])
            continue;
        handed += res->metrics[t * METRIC_COUNT + METRIC_LEADS_HANDED];
        resolved += res->metrics[t * METRIC_COUNT + METRIC_RESOLVED];
        events += res->metrics[t * METRIC_COUNT + METRIC_EVENTS];
    }
    struct rusage ru;
    long peak_kib = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
    double wall = res->wall_seconds > 0.0 ? res->wall_seconds : 1e-9;
    fprintf(stderr,
            "timing: wall_s=%.3f leads_handed=%.0f leads_resolved=%.0f events=%.0f "
            "leads_per_s=%.0f events_per_s=%.0f peak_rss_kib=%ld jobs=%u\n",
            wall, handed, resolved, events, resolved / wall, events / wall, peak_kib,
            o->jobs ? o->jobs : sim_runner_default_jobs());
}

int cli_target_on_check(const char *cmd, const struct series_target *t,
                        const struct scenario *const *scns, size_t n, struct sim_err *err)
{
    char name[64];
    for (size_t i = 0; i < n; i++) {
        struct series_target days;
        if (!series_target_days(t, scns[i], &days))
            return sim_err_set(err, SIM_ERR_INPUT, "%s --target-on %s: a window given by dates "
                               "needs the scenario's start_date (or give days of the run: "
                               "window:FROM..TO)", cmd, cli_target_on_name(t, name, sizeof name));
        if (days.kind == SERIES_TARGET_WINDOW &&
            (days.from_day < 0.0 || days.to_day >= funnel_series_days(scns[i])))
            return sim_err_set(err, SIM_ERR_INPUT, "%s --target-on %s: the window must lie "
                               "within the run's %u days (days 0 to %u%s)", cmd,
                               cli_target_on_name(t, name, sizeof name),
                               funnel_series_days(scns[i]), funnel_series_days(scns[i]) - 1,
                               t->dated ? ", from its start_date" : "");
    }
    /* The series' blocks are laid out by the first point's weeks. */
    for (size_t i = 1; i < n; i++)
        if (funnel_series_weeks(scns[i]) != funnel_series_weeks(scns[0]) ||
            funnel_series_days(scns[i]) != funnel_series_days(scns[0]))
            return sim_err_set(err, SIM_ERR_INPUT, "%s --target-on: the values varied change "
                               "the horizon; a weekly target needs the same weeks at every "
                               "value", cmd);
    return SIM_OK;
}

double *cli_target_on_reps(const struct cli_opts *o, const struct cli_results *res, size_t p,
                           const struct scenario *scn, struct sim_ci *ci)
{
    unsigned reps = res->reps;
    double *y = sim_reallocarray(NULL, reps, sizeof *y);
    double *dense = sim_reallocarray(NULL, reps, sizeof *dense);
    size_t k = 0;
    for (unsigned r = 0; r < reps; r++) {
        size_t task = p * reps + r;
        y[r] = res->done[task] ? series_target_value(&res->series[task], scn, &o->target_on)
                               : NAN;
        if (!isnan(y[r]))
            dense[k++] = y[r];
    }
    if (k > 0)
        sim_stats_ci(dense, 1, k, 0.95, ci);
    else
        *ci = (struct sim_ci){NAN, NAN, NAN, NAN, 0};
    metric_clip(&metric_descs[METRIC_JUNK_RATE], ci);
    free(dense);
    return y;
}
