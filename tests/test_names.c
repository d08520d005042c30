/*
 * test_names.c - charts and reports name what they show as the key table
 * labels it, never by a JSON path; the junk target and the overrides a
 * run used travel with its results.
 *
 * The demo's test: the run and the sweep of `make demo` (the default
 * scenario; the web channel's weekly inflow from 250 to 1000), shortened
 * (fewer points, replications and days) and with a team size set on the
 * command line, plus a team-size sweep and a grid, each written to a
 * temporary folder with --plot.  Every NAME.vars file (the words gnuplot
 * draws) and report.html (the words and the inlined charts) is read, and
 * the test fails on "channels[" or "team[", the marks of a JSON path.
 * Without gnuplot the .vars files and the report are written all the
 * same (--plot then only warns), so this runs in the fast tier.
 *
 * It also checks what the words are: the label with the channel's or the
 * group's name, a team-size sweep titled as one, the override shown by
 * label in the report ("managers in group 'sdrs' = 7"), the target line
 * at the scenario's report.target_junk or --target-junk as run, and plot's
 * --target-junk drawing another without a rerun.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/cli_harness.h"

#define DEFAULT "scenarios/default.json"
#define WEB_RATE "channels[0].arrivals.per_week"
#define SDRS "team[1].count"
#define SHORT "--reps", "3", "--set", "horizon_days=63", "--set", "warmup_days=14"

/* The marks of a JSON path in words meant for people. */
static const char *const path_marks[] = {"channels[", "team["};

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

static void assert_no_path(const char *text, const char *file)
{
    for (size_t i = 0; i < sizeof path_marks / sizeof path_marks[0]; i++) {
        const char *p = strstr(text, path_marks[i]);
        cr_assert_null(p, "%s shows a JSON path: ...%.60s...", file,
                       p != NULL ? (p - text > 30 ? p - 30 : text) : "");
    }
}

/* Reads every .vars file of DIR and its report.html, failing on a path;
 * returns how many .vars files there were. */
static size_t check_folder(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s: cannot list", dir);
    size_t n_vars = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (!ends_with(e->d_name, ".vars"))
            continue;
        char *file = harness_path(dir, e->d_name);
        char *text = harness_read_file(file, NULL);
        cr_assert_not_null(text, "%s: cannot read", file);
        assert_no_path(text, e->d_name);
        n_vars++;
        free(text);
        free(file);
    }
    closedir(d);
    char *file = harness_path(dir, "report.html");
    char *html = harness_read_file(file, NULL);
    cr_assert_not_null(html, "%s: not written", file);
    assert_no_path(html, "report.html");
    free(html);
    free(file);
    return n_vars;
}

static char *read_in(const char *dir, const char *name)
{
    char *file = harness_path(dir, name);
    char *text = harness_read_file(file, NULL);
    cr_assert_not_null(text, "%s: missing", file);
    free(file);
    return text;
}

/* The number a .vars file assigns to `name`. */
static double vars_number(const char *vars, const char *name)
{
    char key[64];
    snprintf(key, sizeof key, "\n%s = ", name);
    const char *p = strstr(vars, key);
    cr_assert_not_null(p, "no %s in the .vars file", name);
    return strtod(p + strlen(key), NULL);
}

static void run_ok(struct harness_result *r)
{
    cr_assert(!r->timed_out && r->signal == 0 && r->exit_code == 0, "%s",
              harness_describe(r));
    harness_free(r);
}

Test(names, demo_charts_and_report_show_names_not_paths)
{
    char *run_dir = harness_tmpdir(), *sweep_dir = harness_tmpdir();
    struct harness_result r;
    HARNESS_RUN(&r, "run", DEFAULT, SHORT, "--set", SDRS "=7", "--quiet", "--out", run_dir,
                "--plot");
    run_ok(&r);
    HARNESS_RUN(&r, "sweep", DEFAULT, "--vary", WEB_RATE, "--from", "250", "--to", "1000",
                "--steps", "7", SHORT, "--set", SDRS "=7", "--quiet", "--out", sweep_dir,
                "--plot");
    run_ok(&r);
    cr_assert_geq(check_folder(run_dir), 1, "the run drew no chart");
    cr_assert_eq(check_folder(sweep_dir), 3, "the sweep's three charts");

    /* The words are the key table's, with the channel's name. */
    char *vars = read_in(sweep_dir, "junk_vs_inflow.vars");
    cr_expect(strstr(vars, "\ntitle = 'Junk rate vs web leads a week'") != NULL, "%s", vars);
    cr_expect(strstr(vars, "\nxlabel = 'web leads a week'") != NULL, "%s", vars);
    cr_expect(strstr(vars, "(web, webinar)") != NULL, "the channels by name: %s", vars);
    free(vars);
    /* The override, by label, in both reports. */
    char *html = read_in(sweep_dir, "report.html");
    cr_expect(strstr(html, "managers in group 'sdrs' = 7") != NULL,
              "the override is not shown by its label");
    cr_expect(strstr(html, "inflow (web leads a week)") != NULL);
    free(html);
    html = read_in(run_dir, "report.html");
    cr_expect(strstr(html, "managers in group 'sdrs' = 7") != NULL);
    free(html);
    /* sweep.json carries what plot needs without the scenario. */
    char *json = read_in(sweep_dir, "sweep.json");
    cJSON *root = cJSON_Parse(json);
    cr_assert_not_null(root);
    const cJSON *vary = cJSON_GetObjectItemCaseSensitive(root, "vary");
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(vary, "label")),
                     "web leads a week");
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(vary, "unit")),
                     "leads a week");
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(vary, "tag")),
                     "inflow");
    const cJSON *over = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "overrides"), 3);
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(over, "key")), SDRS);
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(over, "label")),
                     "managers in group 'sdrs'");
    cJSON_Delete(root);
    free(json);
    harness_rmtree(run_dir);
    harness_rmtree(sweep_dir);
    free(run_dir);
    free(sweep_dir);
}

Test(names, a_team_size_sweep_and_a_grid_by_name)
{
    char *team_dir = harness_tmpdir(), *grid_dir = harness_tmpdir();
    struct harness_result r;
    HARNESS_RUN(&r, "sweep", DEFAULT, "--vary", SDRS, "--from", "4", "--to", "10", "--steps",
                "4", SHORT, "--quiet", "--out", team_dir, "--plot");
    run_ok(&r);
    HARNESS_RUN(&r, "sweep", DEFAULT, "--vary", WEB_RATE, "--from", "250", "--to", "1000",
                "--steps", "3", "--vary2", SDRS, "--from2", "4", "--to2", "8", "--steps2", "3",
                SHORT, "--quiet", "--out", grid_dir, "--plot");
    run_ok(&r);
    cr_assert_eq(check_folder(team_dir), 3);
    cr_assert_eq(check_folder(grid_dir), 1);
    char *vars = read_in(team_dir, "junk_vs_inflow.vars");
    cr_expect(strstr(vars, "\ntitle = 'Junk rate vs team size (managers in group '") != NULL,
              "a team-size sweep not titled as one: %s", vars);
    free(vars);
    vars = read_in(grid_dir, "sizing_map.vars");
    cr_expect(strstr(vars, "\nxlabel = 'web leads a week'") != NULL, "%s", vars);
    cr_expect(strstr(vars, "\nylabel = 'managers in group '") != NULL, "%s", vars);
    free(vars);
    char *html = read_in(team_dir, "report.html");
    cr_expect(strstr(html, "team size (managers in group &#39;sdrs&#39;)") != NULL ||
                  strstr(html, "team size (managers in group 'sdrs')") != NULL,
              "the report does not call the team size one");
    free(html);
    harness_rmtree(team_dir);
    harness_rmtree(grid_dir);
    free(team_dir);
    free(grid_dir);
}

/* The target line: the scenario's report.target_junk (10% by default),
 * --target-junk on the run, recorded in the results, and plot's
 * --target-junk over what was recorded. */
Test(names, the_target_travels_with_the_results)
{
    char *dir = harness_tmpdir(), *deflt = harness_tmpdir();
    struct harness_result r;
    HARNESS_RUN(&r, "sweep", DEFAULT, "--vary", WEB_RATE, "--from", "250", "--to", "1000",
                "--steps", "3", SHORT, "--quiet", "--out", deflt, "--plot");
    run_ok(&r);
    char *vars = read_in(deflt, "junk_vs_inflow.vars");
    cr_expect_float_eq(vars_number(vars, "target_pct"), 10, 1e-9, "the default target");
    free(vars);

    HARNESS_RUN(&r, "sweep", DEFAULT, "--vary", WEB_RATE, "--from", "250", "--to", "1000",
                "--steps", "3", SHORT, "--target-junk", "0.35", "--quiet", "--out", dir,
                "--plot");
    run_ok(&r);
    char *json = read_in(dir, "sweep.json");
    cJSON *root = cJSON_Parse(json);
    cr_assert_not_null(root);
    cr_expect_float_eq(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(root,
                                                                             "target_junk")),
                       0.35, 1e-12);
    cJSON_Delete(root);
    free(json);
    vars = read_in(dir, "junk_vs_inflow.vars");
    cr_expect_float_eq(vars_number(vars, "target_pct"), 35, 1e-9, "--target-junk on sweep");
    free(vars);
    char *html = read_in(dir, "report.html");
    cr_expect(strstr(html, "target junk rate = 0.35") != NULL, "the target as an override");
    free(html);

    /* plot's option draws another line without a rerun; without it, the
     * recorded one comes back. */
    HARNESS_RUN(&r, "plot", dir, "--target-junk", "0.5", "--quiet");
    cr_assert(r.exit_code == 0 || r.exit_code == 1, "%s", harness_describe(&r));
    harness_free(&r);
    vars = read_in(dir, "junk_vs_inflow.vars");
    cr_expect_float_eq(vars_number(vars, "target_pct"), 50, 1e-9, "plot --target-junk");
    free(vars);
    HARNESS_RUN(&r, "plot", dir, "--quiet");
    harness_free(&r);
    vars = read_in(dir, "junk_vs_inflow.vars");
    cr_expect_float_eq(vars_number(vars, "target_pct"), 35, 1e-9, "the recorded target");
    free(vars);

    /* The scenario key, and its range. */
    HARNESS_RUN(&r, "run", DEFAULT, "--reps", "2", "--set", "horizon_days=30", "--set",
                "report.target_junk=0.2", "--format", "json", "--quiet");
    cr_assert_eq(r.exit_code, 0, "%s", harness_describe(&r));
    root = cJSON_Parse(r.out);
    cr_assert_not_null(root);
    cr_expect_float_eq(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(root,
                                                                             "target_junk")),
                       0.2, 1e-12);
    cJSON_Delete(root);
    harness_free(&r);
    HARNESS_RUN(&r, "run", DEFAULT, "--set", "report.target_junk=1", "--quiet");
    cr_expect_eq(r.exit_code, 2);
    cr_expect(strstr(r.err, "report.target_junk") != NULL, "%s", r.err);
    harness_free(&r);
    HARNESS_RUN(&r, "compare", DEFAULT, "--target-junk", "0", "--quiet");
    cr_expect_eq(r.exit_code, 2, "a target of 0 is refused");
    harness_free(&r);
    harness_rmtree(dir);
    harness_rmtree(deflt);
    free(dir);
    free(deflt);
}

/* Which causes the junk_by_cause chart calls rising comes from the data:
 * over the demo's inflow, abandoned leads rise with the load; over the
 * win rate, which leaves the load alone, nothing is tied to load. */
Test(names, rising_causes_are_read_off_the_sweep)
{
    char *dir = harness_tmpdir(), *flat = harness_tmpdir();
    struct harness_result r;
    HARNESS_RUN(&r, "sweep", DEFAULT, "--vary", WEB_RATE, "--from", "250", "--to", "1000",
                "--steps", "4", SHORT, "--quiet", "--out", dir, "--plot");
    run_ok(&r);
    HARNESS_RUN(&r, "sweep", DEFAULT, "--vary", "sales.win_rate", "--from", "0.1", "--to",
                "0.4", "--steps", "3", SHORT, "--quiet", "--out", flat, "--plot");
    run_ok(&r);

    /* The chart's rising layers are those whose share at the highest
     * load is above the lowest load's beyond both intervals. */
    char *json = read_in(dir, "sweep.json");
    cJSON *root = cJSON_Parse(json);
    cr_assert_not_null(root);
    const cJSON *pts = cJSON_GetObjectItemCaseSensitive(root, "points");
    const cJSON *lo = NULL, *hi = NULL;
    const cJSON *pt;
    cJSON_ArrayForEach(pt, pts) {
        double load = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(pt, "load_ratio"));
        if (lo == NULL || load < cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(lo, "load_ratio")))
            lo = pt;
        if (hi == NULL || load > cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(hi, "load_ratio")))
            hi = pt;
    }
    static const char *const keys[] = {"bad_fit", "theorist", "unreachable", "went_cold",
                                       "misjudged", "abandoned"};
    static const char *const words[] = {"bad fit", "theorists", "unreachable", "went cold",
                                        "misjudged", "abandoned"};
    char *vars = read_in(dir, "junk_by_cause.vars");
    unsigned rising = 0;
    for (size_t k = 0; k < 6; k++) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(lo, "junk_by_reason"), keys[k]);
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(hi, "junk_by_reason"), keys[k]);
        cr_assert_not_null(a, "no junk_by_reason.%s", keys[k]);
        double a_mean = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(a, "mean"));
        double b_mean = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(b, "mean"));
        double a_hi = cJSON_GetNumberValue(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(a, "ci95"), 1));
        double b_lo = cJSON_GetNumberValue(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(b, "ci95"), 0));
        bool rises = b_mean - a_mean >= 0.005 && (isnan(a_hi) || isnan(b_lo) || b_lo > a_hi);
        char want[64];
        snprintf(want, sizeof want, "'%s (rises with load)'", words[k]);
        cr_expect_eq(strstr(vars, want) != NULL, rises, "%s: rises %d, from %g to %g", words[k],
                     rises, a_mean, b_mean);
        rising += rises;
    }
    cr_expect_float_eq(vars_number(vars, "n_flat"), 6 - rising, 1e-9);
    cr_expect(strstr(vars, "'abandoned (rises with load)'") != NULL,
              "the demo's overload does not show in abandoned leads:\n%s", vars);
    free(vars);
    cJSON_Delete(root);
    free(json);
    char *html = read_in(dir, "report.html");
    cr_expect(strstr(html, "Causes rising with load") != NULL);
    free(html);

    vars = read_in(flat, "junk_by_cause.vars");
    cr_expect(strstr(vars, "rises with load") == NULL, "a cause tied to a load that does not "
              "move:\n%s", vars);
    cr_expect(strstr(vars, "does not vary") != NULL, "%s", vars);
    free(vars);
    harness_rmtree(dir);
    harness_rmtree(flat);
    free(dir);
    free(flat);
}

/* A sweep.json from an older funnelsim, without labels, target or
 * overrides, still charts: the path stands in for the label, the key
 * table gives the unit and the tag (an inflow: "at or below"), and the
 * target is 10%. */
Test(names, an_older_sweep_json_still_charts)
{
    char *dir = harness_tmpdir();
    struct harness_result r;
    HARNESS_RUN(&r, "sweep", DEFAULT, "--vary", WEB_RATE, "--from", "250", "--to", "1000",
                "--steps", "3", SHORT, "--target-junk", "0.3", "--quiet", "--out", dir);
    run_ok(&r);
    char *json = read_in(dir, "sweep.json");
    cJSON *root = cJSON_Parse(json);
    cr_assert_not_null(root);
    free(json);
    cJSON *vary = cJSON_GetObjectItemCaseSensitive(root, "vary");
    cJSON_DeleteItemFromObject(vary, "label");
    cJSON_DeleteItemFromObject(vary, "unit");
    cJSON_DeleteItemFromObject(vary, "tag");
    cJSON_DeleteItemFromObject(root, "target_junk");
    cJSON_DeleteItemFromObject(root, "overrides");
    cJSON_DeleteItemFromObject(root, "channel_names");
    cJSON_DeleteItemFromObject(root, "group_names");
    json = cJSON_Print(root);
    cJSON_Delete(root);
    char *file = harness_path(dir, "sweep.json");
    FILE *fp = fopen(file, "w");
    cr_assert_not_null(fp);
    fputs(json, fp);
    fclose(fp);
    free(json);
    free(file);
    /* Without its manifest, as an older funnelsim left it. */
    file = harness_path(dir, "run.json");
    cr_assert_eq(unlink(file), 0);
    free(file);
    HARNESS_RUN(&r, "plot", dir, "--quiet");
    cr_assert(r.exit_code == 0 || r.exit_code == 1, "%s", harness_describe(&r));
    harness_free(&r);
    char *vars = read_in(dir, "junk_vs_inflow.vars");
    cr_expect(strstr(vars, "\nxlabel = 'channels[0].arrivals.per_week (leads a week)'") != NULL,
              "%s", vars);
    cr_expect_float_eq(vars_number(vars, "target_pct"), 10, 1e-9);
    free(vars);
    char *html = read_in(dir, "report.html");
    cr_expect(strstr(html, "inflow (channels[0].arrivals.per_week)") != NULL,
              "the key table's tag is lost for an older file");
    free(html);
    harness_rmtree(dir);
    free(dir);
}

/* The target is what results are measured against, not a change to the
 * funnel: two scenarios that differ in it alone add no waterfall step. */
Test(names, the_target_is_no_step_of_the_waterfall)
{
    char *dir = harness_tmpdir();
    char *text = harness_read_file(FUNNELSIM_SRCDIR "/scenarios/article-seven-measures.json",
                                   NULL);
    cr_assert_not_null(text);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(doc);
    cJSON *report = cJSON_AddObjectToObject(doc, "report");
    cJSON_AddNumberToObject(report, "target_junk", 0.25);
    char *after = harness_path(dir, "after.json");
    FILE *fp = fopen(after, "w");
    cr_assert_not_null(fp);
    char *json = cJSON_Print(doc);
    fputs(json, fp);
    fclose(fp);
    free(json);
    cJSON_Delete(doc);
    struct harness_result r;
    HARNESS_RUN(&r, "compare", "--measures", "scenarios/article-baseline.json", after, "--reps",
                "2", "--set", "horizon_days=40", "--format", "json", "--quiet");
    cr_assert_eq(r.exit_code, 0, "%s", harness_describe(&r));
    cJSON *root = cJSON_Parse(r.out);
    cr_assert_not_null(root);
    const cJSON *step;
    cJSON_ArrayForEach(step, cJSON_GetObjectItemCaseSensitive(root, "steps")) {
        const cJSON *change;
        cJSON_ArrayForEach(change, cJSON_GetObjectItemCaseSensitive(step, "changes"))
            cr_expect(strstr(cJSON_GetStringValue(change), "report") == NULL,
                      "a step changes %s", cJSON_GetStringValue(change));
    }
    cJSON_Delete(root);
    harness_free(&r);
    harness_rmtree(dir);
    free(after);
    free(dir);
}
