/* SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "models/scn_doc.h"
#include "cli/cli.h"
#include "cli/output.h"
#include "sim/text.h"

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
        char path[4 * 256];
        sim_text_printable(path, sizeof path, o->args[i]);
        if (!o->quiet)
            printf("%s: ok (%s: %u channels, %u managers, %u replications of %.0f days)\n",
                   path, scn.name, scn.n_channels, scn_managers(&scn),
                   scn.replications, scn.horizon_days);
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
    .usage = "SCENARIO... [--set PATH=VALUE]...",
    .summary = "Check scenario files without running them: every error names the file, the\n"
               "JSON path and the rule broken.  Exit code 2 if any file is invalid.",
    .help = "",
    .options = OPT_BIT(OPT_SET) | OPT_BIT(OPT_QUIET),
    .run = validate,
};
