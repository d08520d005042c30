/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <gsl/gsl_errno.h>

#include "cli/cli.h"
#include "cli/manifest.h"
#include "sim/mem.h"
#include "cli/output.h"
#include "sim/mem.h"
#include "sim/text.h"

static const struct cli_command *const commands[] = {
    &cmd_run, &cmd_sweep, &cmd_size, &cmd_compare, &cmd_validate, &cmd_plot, &cmd_keys, &cmd_serve,
    &cmd_sensitivity, &cmd_import, &cmd_facts, &cmd_fit, NULL,
};

static void usage(FILE *fp)
{
    fputs("funnelsim - a discrete-event simulator of a B2B sales funnel\n\n"
          "Usage: funnelsim COMMAND [ARGS] [OPTIONS]\n\nCommands:\n", fp);
    for (const struct cli_command *const *c = commands; *c; c++) {
        /* The summary's lines, aligned under its first. */
        const char *line = (*c)->summary;
        fprintf(fp, "  %-10s ", (*c)->name);
        for (;;) {
            const char *nl = strchr(line, '\n');
            int n = nl ? (int)(nl - line) : (int)strlen(line);
            fprintf(fp, "%.*s\n", n, line);
            if (nl == NULL || nl[1] == '\0')
                break;
            line = nl + 1;
            fprintf(fp, "  %-10s ", "");
        }
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

static int unknown_command(const char *name)
{
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

/* Help and version print to standard output; a failed write is an I/O
 * failure like any other. */
static int finish_stdout(void)
{
    struct sim_err err = {0};
    return cli_finish(NULL, out_flush_stdout(&err), &err);
}

int main(int argc, char **argv)
{
    /* One out-of-memory policy (sim/mem.h): cJSON allocates through it. */
    cJSON_InitHooks(&(cJSON_Hooks){.malloc_fn = sim_malloc, .free_fn = free});
    /* GSL must report errors through return codes, never abort. */
    gsl_set_error_handler_off();
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        if (argc > 2 && find_command(argv[2]) == NULL)
            return unknown_command(argv[2]);
        if (argc > 2)
            cli_help(find_command(argv[2]), stdout);
        else
            usage(stdout);
        return finish_stdout();
    }
    if (strcmp(name, "--version") == 0) {
        printf("funnelsim %s\n", FUNNELSIM_VERSION);
        return finish_stdout();
    }
    const struct cli_command *cmd = find_command(name);
    if (cmd == NULL)
        return unknown_command(name);
    manifest_command(cmd->name, argc - 2, argv + 2);
    struct cli_opts opts;
    struct sim_err err = {0};
    int rc = cli_parse(cmd, argc - 2, argv + 2, &opts, &err);
    if (rc == -1)
        return finish_stdout();
    if (rc != SIM_OK)
        return cli_fail(cmd, &err);
    return cmd->run(cmd, &opts);
}
