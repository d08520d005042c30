/*
 * test_fit_paths.c - FIT/scenario.json names the history's trace files
 * relative to FIT (models/fit.h fit_doc_relative_traces(), sim/path.h),
 * so the fitted scenario loads from any working directory and after the
 * history and its fit are moved together; a fit moved away from its
 * history no longer finds the traces, and says which key names them.
 *
 * The history: tests/fit/company.json, twelve dated weeks, imported; the
 * fit cheap (one key, two replications, no bootstrap).  Suite `fit_paths`
 * (fast: about a second).
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cJSON.h>

#include "tests/cli_harness.h"

/* channels[0].arrivals.file of DIR/scenario.json (the caller frees it). */
static char *trace_file(const char *dir)
{
    cJSON *j = harness_read_json(dir, "scenario.json");
    cr_assert_not_null(j, "%s/scenario.json", dir);
    const cJSON *ch = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "channels"), 0);
    const cJSON *f = cJSON_GetObjectItem(cJSON_GetObjectItem(ch, "arrivals"), "file");
    cr_assert(cJSON_IsString(f), "%s/scenario.json: no channels[0].arrivals.file", dir);
    char *s = strdup(f->valuestring);
    cJSON_Delete(j);
    return s;
}

/* `funnelsim validate SCENARIO` run in the directory `cwd` (the binary
 * the harness runs: FUNNELSIM_TEST_BIN when set). */
static void validate_in(struct harness_result *r, const char *cwd, const char *scenario)
{
    const char *bin = getenv("FUNNELSIM_TEST_BIN");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cd '%s' && exec '%s' validate '%s'", cwd,
             bin != NULL && bin[0] != '\0' ? bin : FUNNELSIM_BIN, scenario);
    const struct harness_opts sh = {.prog = "sh"};
    cr_assert_eq(harness_spawn(r, &sh, HARNESS_ARGS("-c", cmd)), 0);
}

Test(fit_paths, the_fitted_scenario_moves_with_its_history, .timeout = 60)
{
    char *parent = harness_tmpdir();
    char *log = harness_path(parent, "leads-log.csv");
    struct harness_result r;
    HARNESS_RUN(&r, "run", FUNNELSIM_SRCDIR "/tests/fit/company.json", "--quiet", "--leads",
                log, "--set", "horizon_days=84", "--set", "start_date=2026-03-02");
    harness_assert_exit(&r, 0);
    harness_free(&r);
    char *crm = harness_path(parent, "crm");
    HARNESS_RUN(&r, "import", log, "--out", crm);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    char *fit = harness_path(crm, "fit");
    HARNESS_RUN(&r, "fit", crm, "--out", fit, "--bootstrap", "0", "--reps", "2", "--fit",
                "contact.p_reach", "--quiet");
    harness_assert_exit(&r, 0);
    harness_free(&r);

    /* The draft names its trace from crm; the fit from crm/fit: one up. */
    char *draft = trace_file(crm), *fitted = trace_file(fit);
    cr_assert_neq(draft[0], '/', "the draft's trace is absolute: %s", draft);
    char want[1024];
    snprintf(want, sizeof want, "../%s", draft);
    cr_expect_str_eq(fitted, want);

    /* Loads from the checkout (the harness's directory), from FIT itself
     * and from the root. */
    char *scn = harness_path(fit, "scenario.json");
    HARNESS_RUN(&r, "validate", scn);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    validate_in(&r, fit, "scenario.json");
    harness_assert_exit(&r, 0);
    harness_free(&r);
    validate_in(&r, "/", scn);
    harness_assert_exit(&r, 0);
    harness_free(&r);

    /* crm and its fit moved together, elsewhere and under another name:
     * still loads, and runs. */
    char *elsewhere = harness_path(parent, "elsewhere");
    cr_assert_eq(mkdir(elsewhere, 0777), 0);
    char *moved = harness_path(elsewhere, "crm-copy");
    cr_assert_eq(rename(crm, moved), 0);
    char *moved_fit = harness_path(moved, "fit");
    char *moved_scn = harness_path(moved_fit, "scenario.json");
    validate_in(&r, parent, "elsewhere/crm-copy/fit/scenario.json");
    harness_assert_exit(&r, 0);
    harness_free(&r);
    char *out = harness_path(parent, "run");
    HARNESS_RUN(&r, "run", moved_scn, "--out", out, "--quiet", "--set", "replications=1");
    harness_assert_exit(&r, 0);
    harness_free(&r);

    /* The fit moved away from its history: the trace is not found, and
     * the error names the key and the path tried. */
    char *lonely = harness_path(elsewhere, "lonely");
    cr_assert_eq(mkdir(lonely, 0777), 0);
    char *lonely_fit = harness_path(lonely, "fit");
    cr_assert_eq(rename(moved_fit, lonely_fit), 0);
    char *lonely_scn = harness_path(lonely_fit, "scenario.json");
    HARNESS_RUN(&r, "validate", lonely_scn);
    HARNESS_ASSERT_ERROR(&r, 2, "channels[0].arrivals.file", fitted);
    harness_free(&r);

    free(lonely_scn);
    free(lonely_fit);
    free(lonely);
    free(out);
    free(moved_scn);
    free(moved_fit);
    free(moved);
    free(elsewhere);
    free(scn);
    free(draft);
    free(fitted);
    free(fit);
    free(crm);
    free(log);
    harness_rmtree(parent);
    free(parent);
}
