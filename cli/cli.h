/*
 * cli.h - the funnelsim program: commands, options and what they share.
 *
 * One file per command (cmd_run.c, cmd_validate.c, ...), each defining a
 * `struct cli_command` that main.c lists in its command table, as tmux
 * lists its cmd-*.c entries.  This header is the only place that ties the
 * engine (sim/), the funnel (models/) and the charts (plots/) together.
 *
 * Options are parsed by one table (cli.c) into one struct cli_opts; each
 * command says which options it accepts, and anything else is a usage
 * error with a did-you-mean hint.  Every usage or scenario error exits
 * with code 2, runtime failures (I/O) with 1, an interrupt with 130.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <signal.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "models/breakdown.h"
#include "models/funnel.h"
#include "models/metric.h"
#include "models/scenario.h"
#include "models/scn_doc.h"
#include "models/series.h"
#include "sim/err.h"

#define CLI_MAX_SETS 256
#define CLI_MAX_ARGS 256
#define CLI_EXIT_INTERRUPTED 130

enum cli_opt {
    OPT_REPS, OPT_SEED, OPT_JOBS, OPT_SET, OPT_FORMAT, OPT_OUT, OPT_QUIET,
    OPT_PLOT, OPT_MAX_LEADS, OPT_VARY, OPT_FROM, OPT_TO, OPT_STEPS,
    OPT_VARY2, OPT_FROM2, OPT_TO2, OPT_STEPS2, OPT_TARGET_JUNK,
    OPT_MEASURES, OPT_TIMING, OPT_OVERWRITE, OPT_WANT, OPT_MAX_REPS, OPT_MAXIMIZE,
    OPT_MEASURES_AFTER, OPT_PORT, OPT_LISTEN, OPT_LEADS, OPT_TARGET_ON,
    OPT_KEYS,
    OPT_MANAGERS, OPT_MAP, OPT_REPLICATION,
    OPT_FIT, OPT_BOOTSTRAP, OPT_HOLDOUT_FROM,
    OPT_COUNT
};
_Static_assert(OPT_COUNT <= 64, "OPT_BIT() has 64 bits");

#define OPT_BIT(o) (UINT64_C(1) << (o))   /* 64 options at most */
/* The options every simulating command takes. */
#define OPTS_RUNNING (OPT_BIT(OPT_REPS) | OPT_BIT(OPT_SEED) | OPT_BIT(OPT_JOBS) | \
                      OPT_BIT(OPT_SET) | OPT_BIT(OPT_FORMAT) | OPT_BIT(OPT_OUT) | \
                      OPT_BIT(OPT_QUIET) | OPT_BIT(OPT_MAX_LEADS) | \
                      OPT_BIT(OPT_TIMING) | OPT_BIT(OPT_OVERWRITE))

enum cli_format { FORMAT_TABLE, FORMAT_JSON, FORMAT_CSV, FORMAT_MARKDOWN };
#define FORMAT_BIT(f) (1u << (f))
/* What a command prints unless it says otherwise. */
#define FORMATS_DEFAULT (FORMAT_BIT(FORMAT_TABLE) | FORMAT_BIT(FORMAT_JSON) | \
                         FORMAT_BIT(FORMAT_CSV))

struct cli_opts {
    const char *args[CLI_MAX_ARGS];     /* positional arguments */
    size_t n_args;
    const char *sets[CLI_MAX_SETS];     /* --set, plus --reps/--seed (and
                                           --target-junk where a scenario is
                                           loaded) as sets */
    const char *set_origin[CLI_MAX_SETS]; /* "--reps N", "--seed N",
                                           "--target-junk X"; NULL: --set */
    size_t n_sets;
    bool given[OPT_COUNT];
    unsigned jobs;                      /* 0: one per core */
    enum cli_format format;
    const char *out;
    bool quiet;
    bool plot;
    uint32_t max_leads;
    const char *vary, *vary2;
    double from, to, from2, to2;
    unsigned steps, steps2;
    double target_junk;
    struct series_target target_on;     /* --target-on: what the junk target
                                           is tested on (models/series.h);
                                           zero: the average */
    int want;                           /* --want: 1 largest, -1 smallest, 0 not given */
    unsigned max_reps;                  /* --max-reps */
    const char *maximize;               /* --maximize METRIC (size checks it) */
    bool measures;
    const char *measures_after;         /* serve --measures AFTER */
    unsigned port;                      /* serve --port; 0: a free one */
    const char *listen;                 /* serve --listen ADDR */
    bool timing;
    bool overwrite;                     /* --out DIR may replace another run */
    const char *leads;                  /* run --leads FILE.csv */
    const char *keys;                   /* sensitivity --keys PATH,... */
    const char *managers;               /* import --managers MANAGERS.csv */
    const char *map;                    /* import --map MAP.json */
    unsigned replication;               /* import --replication N (of a lead log) */
    const char *fit_keys;               /* fit --fit PATH,... */
    unsigned bootstrap;                 /* fit --bootstrap B */
    const char *holdout_from;           /* fit --holdout-from DATE */
    const struct leadlog_sink *leads_sink; /* set by run: where the
                                           replications write the lead log
                                           (cli_simulate passes it on) */
    char set_storage[3][64];            /* text of --reps, --seed and
                                           --target-junk sets */
    char origin_storage[3][64];         /* and the options as given */
};

/* --target-on's VALUE: "average", "worst-week" or "window:FROM..TO" (whole
 * days, 0 <= FROM <= TO).  SIM_OK, or SIM_ERR_INPUT with t unchanged. */
int cli_parse_target_on(const char *value, struct series_target *t);

/* The same as text: "average", "worst-week", "window:70..97" (in buf). */
const char *cli_target_on_name(const struct series_target *t, char *buf, size_t n);

struct cli_command {
    const char *name;
    const char *usage;                  /* after "funnelsim NAME " */
    const char *summary;                /* one line, for the command list */
    const char *help;                   /* the rest of --help */
    uint64_t options;                   /* OPT_BIT()s it accepts */
    unsigned formats;                   /* FORMAT_BIT()s; 0: FORMATS_DEFAULT */
    int (*run)(const struct cli_command *cmd, struct cli_opts *o);
};

extern const struct cli_command cmd_run;
extern const struct cli_command cmd_sweep;
extern const struct cli_command cmd_size;
extern const struct cli_command cmd_validate;
extern const struct cli_command cmd_compare;
extern const struct cli_command cmd_plot;
extern const struct cli_command cmd_keys;
extern const struct cli_command cmd_serve;
extern const struct cli_command cmd_sensitivity;
extern const struct cli_command cmd_import;
extern const struct cli_command cmd_facts;
extern const struct cli_command cmd_fit;

/* Installs the SIGINT and SIGTERM handlers, which raise the interrupt flag
 * that cli_simulate() hands to the runner. */
void cli_signals(void);

/* The flag the SIGINT and SIGTERM handlers raise (for plot_opts.stop),
 * and its lowering, before work that a later signal should stop. */
const volatile sig_atomic_t *cli_stop_flag(void);
void cli_stop_reset(void);

/* Parses argv (after the command name).  On --help prints the command's
 * help and returns -1 (exit 0); SIM_ERR_INPUT with err set on a usage
 * error. */
int cli_parse(const struct cli_command *cmd, int argc, char **argv,
              struct cli_opts *o, struct sim_err *err);

void cli_help(const struct cli_command *cmd, FILE *fp);

/* "funnelsim: MSG" on standard error, with anything unprintable in MSG
 * (control characters, invalid UTF-8 from a file name) replaced. */
void cli_print_error(const char *msg);

/* Prints "funnelsim: MESSAGE" (and a usage hint for input errors) and
 * returns the exit code for err. */
int cli_fail(const struct cli_command *cmd, const struct sim_err *err);

/* A command's exit code from its last return code: rc itself for SIM_OK
 * and CLI_EXIT_INTERRUPTED (whose message the command printed), else
 * cli_fail()'s.  cmd may be NULL (no usage hint). */
int cli_finish(const struct cli_command *cmd, int rc, const struct sim_err *err);

/* Loads scenario `path` with every --set (and --reps/--seed) applied. */
int cli_load(const struct cli_opts *o, const char *path, struct scn_doc **doc,
             struct scenario *scn, struct sim_err *err);

/* Results of running scenarios: point-major, as sim/experiment.h. */
struct cli_results {
    size_t n_points;
    unsigned reps;
    double *metrics;                    /* n_points * reps * METRIC_COUNT */
    bool *done;                         /* n_points * reps */
    struct funnel_series *series;       /* when asked for: one per task */
    double *series_storage;
    struct breakdown *breakdown;        /* when asked for: one per task */
    bool interrupted;                   /* stopped early by a signal */
    double wall_seconds;                /* of the simulation alone */
};

/* With --timing: prints the speed figures of `res` (leads and events per
 * second, wall time, peak memory) to standard error, one line. */
void cli_timing(const struct cli_opts *o, const struct cli_results *res);

/* What cli_simulate() records besides the metrics (its `want`; false or 0:
 * nothing more, so a sweep or a search pays nothing). */
enum cli_want {
    CLI_WANT_SERIES = 1u << 0,          /* the time series of every replication */
    CLI_WANT_BREAKDOWN = 1u << 1,       /* by channel and by group (breakdown.h) */
};

/* Runs `reps` replications of each scenario (all with the same number of
 * replications) on the --jobs threads, with a progress bar unless --quiet
 * or standard error is not a terminal.  `want` (enum cli_want bits) says
 * what else to record of every replication.  Results go into *res
 * (cli_results_free). */
int cli_simulate(const struct cli_opts *o, const struct scenario *const *scns,
                 size_t n_points, unsigned want, struct cli_results *res,
                 struct sim_err *err);
void cli_results_free(struct cli_results *res);

/* Summarises the finished replications of point p. */
void cli_summarise(const struct cli_results *res, size_t p,
                   struct metric_summary *out);

/* The same for the breakdown of point p, scenario scn (recorded with
 * CLI_WANT_BREAKDOWN). */
void cli_summarise_breakdown(const struct cli_results *res, size_t p,
                             const struct scenario *scn, struct breakdown_summary *out);

/* --target-on t for the points a command runs (run, size, sweep,
 * compare): SIM_OK when every point has the first one's weeks (the series
 * are laid out by it) and t's window, days or dates (then the scenario
 * needs a start_date), lies within each run; else an input error naming
 * `cmd`. */
int cli_target_on_check(const char *cmd, const struct series_target *t,
                        const struct scenario *const *scns, size_t n, struct sim_err *err);

/* The junk rate --target-on names (series_target_value()) for every
 * replication of point p, run with CLI_WANT_SERIES (NaN: not finished, or no
 * week qualifies; the caller frees the array), and in ci its 95% interval
 * over the defined ones, clipped as the junk rate is. */
double *cli_target_on_reps(const struct cli_opts *o, const struct cli_results *res, size_t p,
                           const struct scenario *scn, struct sim_ci *ci);
/* One run of one scenario, as `funnelsim run` reports it: the command and
 * the server (cli/serve.h) both make their result JSON here, so that
 * POST /api/run answers exactly what `run --format json` prints. */
struct cli_run {
    struct cli_results res;
    struct metric_summary summary;
    struct breakdown_summary *breakdown;
    cJSON *json;                        /* the result, as --format json */
    struct series_week *weeks;          /* n_weeks, the weekly cohorts */
    size_t n_weeks;
    struct series_worst worst;
};

/* Runs scn (compiled from doc with o's overrides, recorded in the JSON)
 * with `want` (enum cli_want) besides the breakdown.  SIM_OK, the
 * simulation's error, or CLI_EXIT_INTERRUPTED when no replication
 * finished.  cli_run_free() in every case. */
int cli_run_doc(const struct cli_opts *o, const struct scn_doc *doc, const struct scenario *scn,
                unsigned want, struct cli_run *r, struct sim_err *err);
void cli_run_free(struct cli_run *r);

/* The events of scn that cli_run_doc() reruns without (weeks to recover):
 * its enabled campaigns and its batch `on` days (trade shows). */
unsigned cli_run_events(const struct scenario *scn);

/* The extra runs cli_run_doc() makes beyond the run itself: one per event,
 * plus the run without all of them when there are two or more (with one,
 * that run is the event's own); 0 without events.  The server counts them
 * in its work cap (cli/serve.c). */
unsigned cli_run_reruns(const struct scenario *scn);

/* scn without its events: every campaign disabled, no batch `on` day (the
 * channels' regular batches stay). */
void cli_run_without_events(const struct scenario *scn, struct scenario *alt);

/* `funnelsim facts DIR`'s work (cmd_facts.c), which `import` calls at its
 * end: DIR/facts.json, DIR/scenario.json and DIR/report.html from the
 * history in DIR.  A line a file on `log` (NULL: quiet); `stop` is polled
 * while gnuplot draws.  SIM_OK; SIM_ERR_INPUT when DIR holds no history;
 * SIM_ERR_RUNTIME on I/O or without gnuplot (*gnuplot_missing: the rest
 * is written) or when stopped (*interrupted: report.html not written). */
int cli_facts_write(const char *dir, FILE *log, const volatile sig_atomic_t *stop,
                    bool *gnuplot_missing, bool *interrupted, struct sim_err *err);

#endif
