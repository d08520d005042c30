/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "sim/cli/cli.h"
#include "sim/text.h"

static const struct cli_command *const commands[] = {
    &cmd_run, &cmd_validate, NULL,
};

static void usage(FILE *fp)
{
    fputs("funnelsim - a discrete-event simulator of a B2B sales funnel\n\n"
          "Usage: funnelsim COMMAND [ARGS] [OPTIONS]\n\nCommands:\n", fp);
    for (const struct cli_command *const *c = commands; *c; c++) {
        const char *nl = strchr((*c)->summary, '\n');
        int n = nl ? (int)(nl - (*c)->summary) : (int)strlen((*c)->summary);
        fprintf(fp, "  %-10s %.*s\n", (*c)->name, n, (*c)->summary);
    }
    fputs("\n'funnelsim COMMAND --help' tells more.  'funnelsim --version' prints the version.\n"
          "Exit codes: 0 success, 1 runtime failure (I/O), 2 bad input, 130 interrupted.\n", fp);
}

static const struct cli_command *find_command(const char *name)
{
    for (const struct cli_command *const *c = commands; *c; c++)
        if (strcmp((*c)->name, name) == 0)
            return *c;
    return NULL;
}

int main(int argc, char **argv)
{
    /* GSL must report errors through return codes, never abort. */
    gsl_set_error_handler_off();
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        const struct cli_command *cmd = argc > 2 ? find_command(argv[2]) : NULL;
        if (cmd != NULL)
            cli_help(cmd, stdout);
        else
            usage(stdout);
        return 0;
    }
    if (strcmp(name, "--version") == 0) {
        printf("funnelsim %s\n", FUNNELSIM_VERSION);
        return 0;
    }
    const struct cli_command *cmd = find_command(name);
    if (cmd == NULL) {
        const char *names[16];
        size_t n = 0;
        for (const struct cli_command *const *c = commands; *c && n < 15; c++)
            names[n++] = (*c)->name;
        names[n] = NULL;
        const char *hint = sim_text_closest(name, names);
        fprintf(stderr, "funnelsim: unknown command '%s'", name);
        if (hint != NULL)
            fprintf(stderr, " (did you mean '%s'?)", hint);
        fputs("\n", stderr);
        usage(stderr);
        return 2;
    }
    struct cli_opts opts;
    struct sim_err err = {0};
    int rc = cli_parse(cmd, argc - 2, argv + 2, &opts, &err);
    if (rc == -1)
        return 0;
    if (rc != SIM_OK)
        return cli_fail(cmd, &err);
    return cmd->run(cmd, &opts);
}
