/*
 * test_cli_usage.c - the command line as a user mistypes it: no
 * arguments, unknown commands and options (with a hint), missing and bad
 * option values, a missing scenario file, --set paths and values that
 * cannot be right; and --help and --version.  A usage error is exit 2,
 * nothing on standard output, and a message naming what was wrong.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/cli_harness.h"

#define ERLANG_A "scenarios/validation-erlang-a.json"
#define ERLANG_C "scenarios/validation-erlang-c.json"

/* ---- bad usage ---------------------------------------------------------------------- */

Test(cli, usage_no_arguments)
{
    struct harness_result r;
    cr_assert_eq(harness_runv(&r, (const char *const[]){NULL}), 0);
    HARNESS_ASSERT_ERROR(&r, 2, "Usage: funnelsim COMMAND", "run", "validate");
    harness_free(&r);
}

Test(cli, usage_unknown_command_hints)
{
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("rn", ERLANG_A),
                         "unknown command", "'rn'", "did you mean", "'run'");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("valdate", ERLANG_A),
                         "unknown command", "did you mean", "'validate'");
}

Test(cli, usage_unknown_option_hints)
{
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--rep", "3"),
                         "unknown option", "'--rep'", "did you mean --reps");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--formt", "json"),
                         "unknown option", "did you mean --format");
    /* run's options are not validate's */
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("validate", ERLANG_A, "--reps", "3"),
                         "unknown option", "'--reps'");
}

Test(cli, usage_option_missing_value)
{
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--reps"), "--reps", "needs a value");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--set"), "--set", "needs a value");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--out"), "--out", "needs a value");
}

Test(cli, usage_bad_option_values)
{
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--format", "xml"),
                         "--format", "'xml'", "table", "json", "csv");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--jobs", "0"), "--jobs", "'0'");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--reps", "abc"),
                         "--reps", "'abc'", "whole number");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--seed", "-1"), "--seed", "'-1'");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--quiet=yes"), "--quiet", "takes no value");
    /* --reps 0 reaches the scenario's own rule on replications, and the
     * error names the option */
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--reps", "0"), "--reps 0: ",
                         "from 1 to 10000");
}

Test(cli, usage_scenario_count)
{
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run"), "SCENARIO");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, ERLANG_C), "exactly one", "got 2");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("validate"), "SCENARIO");
}

Test(cli, missing_scenario_file_names_file_and_reason)
{
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    char *missing = harness_path(dir, "no-such-scenario.json");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", missing), missing, strerror(ENOENT));
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("validate", missing), missing, strerror(ENOENT));
    /* a directory is not a scenario either */
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", dir), dir, strerror(EISDIR));
    free(missing);
    cr_assert_eq(harness_rmtree(dir), 0);
    free(dir);
}

Test(cli, set_unknown_key_hints)
{
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--set", "team[0].cuont=3"),
                         "--set team[0].cuont: unknown key", "did you mean \"count\"");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--set", "horizon_dayz=30"),
                         "horizon_dayz", "did you mean \"horizon_days\"");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("validate", ERLANG_A, "--set", "team[0].cuont=3"),
                         "team[0].cuont", "did you mean \"count\"");
    /* The override is at fault, not the file: the message names the option alone. */
    struct harness_result r;
    HARNESS_RUN(&r, "run", ERLANG_A, "--set", "team[0].cuont=3");
    cr_expect(strstr(r.err, ".json: --set") == NULL, "the file is named: %s", r.err);
    harness_free(&r);
}

Test(cli, set_bad_index)
{
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--set", "team[5].count=3"),
                         "team[5]", "no such element");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--set", "channels[1].fit_share=0.5"),
                         "channels[1]", "no such element");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--set", "team[x].count=3"),
                         "team[x]", "malformed");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--set", "team[-1].count=3"), "team[-1]");
}

Test(cli, set_malformed_assignment)
{
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--set", "horizon_days"),
                         "horizon_days", "malformed", "PATH=VALUE");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--set", "=30"), "malformed", "PATH=VALUE");
}

Test(cli, set_value_out_of_range_names_path_and_rule)
{
    /* the value came from the option, so the option is named, not the file */
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--set", "team[0].skill=1.5"),
                         "--set team[0].skill=1.5: must be between 0 and 1", "1.5");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--set", "horizon_days=-5"), "horizon_days");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--set", "horizon_days=abc"),
                         "horizon_days", "must be a number");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("validate", ERLANG_A, "--set", "team[0].skill=1.5"),
                         "team[0].skill", "must be between 0 and 1");
}

Test(cli, plot_needs_out)
{
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--plot"), "--plot", "--out");
}

/* ---- help and version -------------------------------------------------------------- */

static void assert_help(const char *const *args, const char *const *fragments)
{
    struct harness_result r;
    cr_assert_eq(harness_runv(&r, args), 0);
    harness_assert_exit(&r, 0);
    cr_assert_eq(r.err_len, 0, "help wrote to stderr: %s", r.err);
    for (; *fragments != NULL; fragments++)
        cr_assert(harness_contains(r.out, *fragments), "help for \"%s\" lacks \"%s\":\n%s",
                  args[0] ? args[0] : "", *fragments, r.out);
    harness_free(&r);
}

static const char *const run_options[] = {
    "--reps N", "--seed N", "--jobs N", "--set PATH=VALUE", "--format table|json|csv",
    "--out DIR", "--quiet", "--plot", "--max-leads N", "--timing", "--help", NULL,
};

Test(cli, help_lists_commands_and_options)
{
    assert_help(HARNESS_ARGS("--help"),
                HARNESS_ARGS("Usage: funnelsim COMMAND", "run", "validate", "--version",
                             "Exit codes"));
    assert_help(HARNESS_ARGS("-h"), HARNESS_ARGS("Usage: funnelsim COMMAND", "run", "validate"));
    assert_help(HARNESS_ARGS("run", "--help"), run_options);
    assert_help(HARNESS_ARGS("run", "--help"),
                HARNESS_ARGS("Usage: funnelsim run SCENARIO", "result.json", "Exit codes"));
    assert_help(HARNESS_ARGS("help", "run"), run_options);
    /* --help wins over everything else and runs nothing */
    assert_help(HARNESS_ARGS("run", ERLANG_A, "--reps", "3", "--help"), run_options);
    assert_help(HARNESS_ARGS("validate", "--help"),
                HARNESS_ARGS("Usage: funnelsim validate SCENARIO", "--set PATH=VALUE", "--quiet",
                             "--help"));
}

Test(cli, help_and_run_help_agree)
{
    struct harness_result a, b;
    HARNESS_RUN(&a, "run", "--help");
    HARNESS_RUN(&b, "help", "run");
    harness_assert_exit(&a, 0);
    harness_assert_exit(&b, 0);
    cr_assert(harness_same_output(&a, &b), "'run --help' and 'help run' differ at %s",
              harness_first_difference(a.out, b.out));
    harness_free(&a);
    harness_free(&b);
}

Test(cli, version)
{
    struct harness_result r;
    HARNESS_RUN(&r, "--version");
    harness_assert_exit(&r, 0);
    unsigned x, y, z;
    char nl = 0;
    int n = sscanf(r.out, "funnelsim %u.%u.%u%c", &x, &y, &z, &nl);
    cr_assert(n == 4 && nl == '\n', "expected \"funnelsim X.Y.Z\", got \"%s\"", r.out);
#ifdef FUNNELSIM_VERSION
    cr_assert_str_eq(r.out, "funnelsim " FUNNELSIM_VERSION "\n");
#endif
    harness_free(&r);
}

