/* SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "models/funnel.h"
#include "models/scn_doc.h"
#include "cli/cli.h"
#include "cli/output.h"
#include "sim/text.h"

/* A warning on standard error when the largest burst of batch leads
 * alone is over the --max-leads limit (funnel_largest_burst()): the file
 * is valid, but a replication of it would stop. */
static void burst_warning(const struct cli_opts *o, const char *file,
                          const struct scenario *scn)
{
    double day;
    double burst = funnel_largest_burst(scn, &day);
    uint32_t limit = o->max_leads != 0 ? o->max_leads : FUNNEL_DEFAULT_MAX_LEADS;
    if (burst <= (double)limit)
        return;
    char msg[512];
    snprintf(msg, sizeof msg, "warning: %s: %.0f leads arrive at once on day %.2f (the batch "
             "channels landing then), more than --max-leads %lu: a replication would stop "
             "there (exit 1); raise --max-leads (at most %u) or make the batches smaller", file, burst, day, (unsigned long)limit,
             (unsigned)FUNNEL_MAX_LEADS);
    cli_print_error(msg);
}

static int validate(const struct cli_command *cmd, struct cli_opts *o)
{
    struct sim_err err = {0};
    if (o->n_args == 0) {
        sim_err_set(&err, SIM_ERR_INPUT, "validate: needs at least one SCENARIO file");
        return cli_fail(cmd, &err);
    }
    int worst = SIM_OK;
    for (size_t i = 0; i < o->n_args; i++) {
        struct scn_doc *doc = NULL;
        struct scenario scn;
        sim_err_clear(&err);
        int rc = cli_load(o, o->args[i], &doc, &scn, &err);
        scn_doc_free(doc);
        if (rc != SIM_OK) {
            cli_print_error(err.msg);
            if (rc > worst)
                worst = rc;
            continue;
        }
        burst_warning(o, o->args[i], &scn);
        char path[4 * 256], days[32];
        sim_text_printable(path, sizeof path, o->args[i]);
        if (!o->quiet)
            printf("%s: ok (%s: %u channels, %u managers, %u replications of %s days)\n",
                   path, scn.name, scn.n_channels, scn_managers(&scn),
                   scn.replications, out_days(days, scn.horizon_days));
    }
    sim_err_clear(&err);
    if (out_flush_stdout(&err) != SIM_OK) {
        cli_print_error(err.msg);
        return SIM_ERR_RUNTIME > worst ? SIM_ERR_RUNTIME : worst;
    }
    return worst;
}

const struct cli_command cmd_validate = {
    .name = "validate",
    .usage = "SCENARIO... [--set PATH=VALUE]... [--max-leads N]",
    .summary = "Check scenario files without running them: every error names the file, the\n"
               "JSON path and the rule broken.  Exit code 2 if any file is invalid.",
    .help = "A scenario path must name a regular file: a directory, a FIFO or a device is\n"
            "refused at once.  A valid file whose batch channels can deliver more leads at\n"
            "one instant than --max-leads allows gets a warning on standard error, with\n"
            "the number and the day; the exit code stays 0.\n",
    .options = OPT_BIT(OPT_SET) | OPT_BIT(OPT_QUIET) | OPT_BIT(OPT_MAX_LEADS),
    .run = validate,
};
