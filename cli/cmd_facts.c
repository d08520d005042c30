/* SPDX-License-Identifier: MIT */
/*
 * funnelsim facts DIR: what an imported lead history says by itself.
 * (Re)writes DIR/facts.json (models/facts.h), DIR/scenario.json (the draft
 * scenario, models/draft.h) and DIR/report.html with its charts
 * (plots/plot_history.h) from the history `import` left in DIR
 * (history_load()).  `import` calls cli_facts_write() at its end.
 *
 * Exit codes: 0 when everything was written and drawn; 1 on an I/O error,
 * when another funnelsim is writing DIR, or when gnuplot is missing or
 * failed (facts.json, scenario.json, the chart data and the page are
 * written all the same); 2 when DIR holds no history (or a broken one);
 * 130 when SIGINT or SIGTERM stopped the drawing (facts.json and
 * scenario.json are written by then; report.html is not).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "models/draft.h"
#include "models/facts.h"
#include "models/history.h"
#include "plots/plot_file.h"
#include "plots/plot_history.h"
#include "sim/dirlock.h"
#include "sim/file.h"
#include "sim/mem.h"

/* DIR/import.json, import's own account of the file (rows, parsed,
 * skipped), or NULL when there is none or it cannot be parsed: the facts
 * then count what the history holds. */
static cJSON *import_account(const char *dir)
{
    char *text = plot_file_read(dir, "import.json", NULL);
    if (text == NULL)
        return NULL;
    cJSON *j = cJSON_Parse(text);
    free(text);
    return j;
}

int cli_facts_write(const char *dir, FILE *log, const volatile sig_atomic_t *stop,
                    bool *gnuplot_missing, bool *interrupted, struct sim_err *err)
{
    *gnuplot_missing = *interrupted = false;
    struct history h = {0};
    int rc = history_load(dir, &h, err);
    if (rc != SIM_OK)
        return rc;
    struct facts f;
    facts_compute(&h, &f);

    cJSON *imp = import_account(dir);
    cJSON *doc = facts_json(&h, &f, imp);
    cJSON_Delete(imp);
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    size_t len = strlen(text);
    char *with_nl = sim_malloc(len + 2);
    memcpy(with_nl, text, len);
    memcpy(with_nl + len, "\n", 2);
    free(text);
    rc = sim_file_write_text(dir, "facts.json", with_nl, err);
    free(with_nl);
    if (rc == SIM_OK && log != NULL)
        fprintf(log, "  %-19s %s/facts.json\n", "facts", dir);

    if (rc == SIM_OK) {
        rc = draft_write(&h, &f, "draft from the imported history", dir, err);
        if (rc == SIM_OK && log != NULL)
            fprintf(log, "  %-19s %s/scenario.json\n", "draft scenario", dir);
    }
    if (rc == SIM_OK) {
        struct plot_history_opts opts = {.log = log, .stop = stop};
        struct plot_history_outcome out;
        rc = plot_history_dir(dir, &h, &f, &opts, &out, err);
        *interrupted = out.interrupted;
        *gnuplot_missing = out.gnuplot_missing;
        if (rc == SIM_OK && out.gnuplot_missing)
            rc = sim_err_set(err, SIM_ERR_RUNTIME, "facts: gnuplot not found on PATH: "
                             "facts.json, scenario.json, the chart data and report.html are "
                             "written in %s, but no chart is drawn; install gnuplot "
                             "(apt-get install gnuplot-nox) and run 'funnelsim facts %s'",
                             dir, dir);
    }
    facts_free(&f);
    history_free(&h);
    return rc;
}

static int facts(const struct cli_command *cmd, struct cli_opts *o)
{
    struct sim_err err = {0};
    if (o->n_args != 1) {
        sim_err_set(&err, SIM_ERR_INPUT, "facts: needs exactly one DIR (got %zu)", o->n_args);
        return cli_fail(cmd, &err);
    }
    const char *dir = o->args[0];
    struct sim_dirlock lock = {.fd = -1};
    char what[64 + PATH_MAX];
    snprintf(what, sizeof what, "facts %s", dir);
    int rc = sim_dirlock_take(&lock, dir, what, &err);
    if (rc != SIM_OK && lock.busy)
        return cli_finish(cmd, rc, &err);
    sim_err_clear(&err);
    cli_signals();
    if (!o->quiet)
        printf("facts: %s\n", dir);
    bool missing, interrupted;
    rc = cli_facts_write(dir, o->quiet ? NULL : stdout, cli_stop_flag(), &missing,
                         &interrupted, &err);
    sim_dirlock_release(&lock);
    if (interrupted) {
        fflush(stdout);
        fprintf(stderr, "funnelsim: %s\n", err.msg);
        return CLI_EXIT_INTERRUPTED;
    }
    if (rc == SIM_OK)
        rc = out_flush_stdout(&err);
    return cli_finish(cmd, rc, &err);
}

const struct cli_command cmd_facts = {
    .name = "facts",
    .usage = "DIR [--quiet]",
    .summary = "What an imported lead history says: DIR/facts.json, DIR/report.html with\n"
               "its charts, and a draft scenario DIR/scenario.json (DIR from import).",
    .help = "DIR is where `funnelsim import` wrote the history (leads.csv, owners.csv);\n"
            "import runs this at its end, and facts rewrites the three files from it:\n"
            "  facts.json     counts (leads, parsed, skipped, per status, per stated\n"
            "                 reason), leads a week per channel, arrivals by weekday and\n"
            "                 hour, time to first contact (Kaplan-Meier p50, p80, p90 and\n"
            "                 the share never contacted), the junk rate and each stated\n"
            "                 reason a week, handed leads per working manager-week, the\n"
            "                 weekly junk rate against that load (a least-squares line and\n"
            "                 the 95% interval of its slope), owners' first and last weeks\n"
            "  scenario.json  a draft that `funnelsim validate` accepts: the history's\n"
            "                 start date and span, each channel's measured inflow with its\n"
            "                 weekday and hour profile, fit_share and theorist_share from\n"
            "                 the stated reasons, the team from the owners; each number's\n"
            "                 origin in `notes`.  What a CRM cannot show (decay, reach,\n"
            "                 misjudgement) is left at its default for `funnelsim fit`.\n"
            "  report.html    the charts (history_arrivals, history_leads, history_junk,\n"
            "                 history_load, history_contact: NAME.dat, .vars, .gp, .png,\n"
            "                 .svg) and the numbers in words; no network needed.\n"
            "docs/facts.md defines every number.  Without gnuplot the files and the data\n"
            "are written and the command exits 1.\n",
    .options = OPT_BIT(OPT_QUIET),
    .formats = 0,
    .run = facts,
};
