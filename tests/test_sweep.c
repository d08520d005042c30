/*
 * test_sweep.c - `funnelsim sweep` as a user meets it: the real binary,
 * its files and its exit status.
 *
 * The curve test sweeps the article's baseline over the web channel's
 * weekly inflow from half to one and a half times the team's nominal
 * capacity.  The webinar channel is given the web channel's lead mix
 * (fit, theorists, temperature) for it: in the baseline the webinar hands
 * over a fixed 75 leads a week with 35% theorists, so at a small web
 * inflow the mix, not the load, moves the junk rate (it falls from 39% to
 * 35% as web leads dilute the theorists).  With one mix the sweep changes
 * the volume alone, which is the question the chart answers.
 *
 * Runs are kept short (10 replications or fewer) so the file takes a few
 * seconds on two cores.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/cli_harness.h"

#define BASELINE "scenarios/article-baseline.json"
#define ERLANG_A "scenarios/validation-erlang-a.json"
#define ERLANG_C "scenarios/validation-erlang-c.json"
#define WEB_RATE "channels[0].arrivals.per_week"

/* The webinar with the web channel's lead mix (see the top). */
#define ONE_MIX                                                              \
    "--set", "channels[1].theorist_share=0.06", "--set", "channels[1].fit_share=0.95", \
    "--set", "channels[1].temperature.hot=0.25", "--set",                    \
    "channels[1].temperature.warm=0.5", "--set", "channels[1].temperature.cold=0.25"

static double junk_mean(const cJSON *point)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(point, "junk_rate");
    return harness_number(j, "mean");
}

static size_t count_fields(const char *line)
{
    size_t n = 1;
    for (const char *p = line; *p && *p != '\n'; p++)
        n += *p == ',';
    return n;
}

/* Every line of a CSV text has as many fields as the header. */
static void assert_csv_rectangular(const char *text)
{
    size_t want = count_fields(text);
    for (const char *p = text; *p;) {
        cr_assert_eq(count_fields(p), want, "ragged CSV line: %.60s", p);
        p = strchr(p, '\n');
        cr_assert_not_null(p, "last CSV line not terminated");
        p++;
    }
}

/* The base scenario's nominal figures, from `run --format json`. */
static void base_figures(double *capacity, double *offered)
{
    struct harness_result r;
    HARNESS_RUN(&r, "run", BASELINE, ONE_MIX, "--reps", "1", "--quiet", "--format", "json");
    harness_assert_exit(&r, 0);
    cJSON *root = cJSON_Parse(r.out);
    cr_assert_not_null(root);
    *capacity = harness_number(root, "capacity_per_week");
    *offered = harness_number(root, "offered_per_week");
    cJSON_Delete(root);
    harness_free(&r);
}

/* The web channel's rate in the scenario file. */
static double base_web_rate(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", FUNNELSIM_SRCDIR, BASELINE);
    char *text = harness_read_file(path, NULL);
    cr_assert_not_null(text);
    cJSON *root = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(root);
    const cJSON *ch = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "channels"), 0);
    double rate = harness_number(cJSON_GetObjectItemCaseSensitive(ch, "arrivals"), "per_week");
    cJSON_Delete(root);
    return rate;
}

/* The junk rate rises with the inflow, and much faster above the nominal
 * capacity than below it: the knee is where the estimate says. */
Test(sweep, inflow_curve_bends_at_capacity, .timeout = 60)
{
    double capacity, offered;
    base_figures(&capacity, &offered);
    double other = offered - base_web_rate();   /* the webinar's share */
    char from[32], to[32];
    snprintf(from, sizeof from, "%.17g", 0.5 * capacity - other);
    snprintf(to, sizeof to, "%.17g", 1.5 * capacity - other);
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);

    struct harness_result r;
    HARNESS_RUN(&r, "sweep", BASELINE, ONE_MIX, "--vary", WEB_RATE, "--from", from, "--to", to,
        "--steps", "8", "--reps", "10", "--quiet", "--out", dir);
    harness_assert_exit(&r, 0);
    cJSON *root = harness_read_json(dir, "sweep.json");
    const cJSON *points = cJSON_GetObjectItemCaseSensitive(root, "points");
    cr_assert_eq(cJSON_GetArraySize(points), 8);
    cr_assert_float_eq(harness_number(root, "capacity_per_week"), capacity, 1e-9);

    double x[8], j[8], half[8], load[8];
    for (int i = 0; i < 8; i++) {
        const cJSON *p = cJSON_GetArrayItem(points, i);
        x[i] = harness_number(p, "offered_per_week");
        j[i] = junk_mean(p);
        const cJSON *ci = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(p, "junk_rate"), "ci95");
        half[i] = (cJSON_GetArrayItem(ci, 1)->valuedouble -
                   cJSON_GetArrayItem(ci, 0)->valuedouble) / 2;
        load[i] = harness_number(p, "load_ratio");
        cr_assert_float_eq(load[i], x[i] / capacity, 1e-9);
    }
    cr_assert_float_eq(load[0], 0.5, 1e-9);
    cr_assert_float_eq(load[7], 1.5, 1e-9);

    int k = 0;              /* the last point below capacity */
    while (k + 1 < 8 && load[k + 1] < 1.0)
        k++;
    /* Well below capacity the baseline's junk is mostly bad fit,
     * theorists, unreachable leads and the night-and-weekend wait of the
     * business calendar, none of which the load moves: the curve is flat
     * there to within its noise (about 0.3 points at 10 replications),
     * and a step may fall by less than that.  From the last point below
     * capacity on it rises at every step. */
    for (int i = 1; i < 8; i++) {
        if (i > k)
            cr_assert_gt(j[i], j[i - 1], "junk falls from %.4f to %.4f at offered %.1f",
                         j[i - 1], j[i], x[i]);
        else
            cr_assert_gt(j[i], j[i - 1] - (half[i] + half[i - 1]),
                         "junk falls beyond the noise from %.4f to %.4f at offered %.1f",
                         j[i - 1], j[i], x[i]);
    }
    cr_assert_gt(j[7] - j[0], 0.15, "junk rises only from %.4f to %.4f", j[0], j[7]);
    double below = (j[k] - j[0]) / (x[k] - x[0]);
    double across = (j[k + 1] - j[k]) / (x[k + 1] - x[k]);
    double above = (j[7] - j[k + 1]) / (x[7] - x[k + 1]);
    cr_assert_gt(above, 3 * below, "slope above capacity %.3g, below %.3g", above, below);
    cr_assert_gt(across, below, "slope across capacity %.3g, below %.3g", across, below);

    /* The table marks the point nearest a load of 1. */
    int nearest = 0;
    for (int i = 1; i < 8; i++)
        if (fabs(load[i] - 1) < fabs(load[nearest] - 1))
            nearest = i;
    const char *mark = strstr(r.out, "<- capacity");
    cr_assert_not_null(mark, "no capacity mark:\n%s", r.out);
    const char *line = mark;
    while (line > r.out && line[-1] != '\n')
        line--;
    char want[32];
    snprintf(want, sizeof want, " %.0f ", x[nearest]);
    cr_assert(strstr(line, want) != NULL && strstr(line, want) < mark,
              "the mark is not on the row offering %.0f:\n%s", x[nearest], r.out);
    cr_assert(strstr(r.out, "Base scenario:") != NULL);

    /* sweep.csv: a header and one row per point, all the same width. */
    char path[512];
    snprintf(path, sizeof path, "%s/sweep.csv", dir);
    char *csv = harness_read_file(path, NULL);
    cr_assert_not_null(csv);
    cr_assert_eq(harness_count_lines(csv), 9);
    cr_assert(strncmp(csv, "value,inflow_per_week,offered_per_week,capacity_per_week,"
                           "load_ratio,junk_rate_mean,junk_rate_lo,junk_rate_hi,", 80) == 0,
              "header: %.120s", csv);
    assert_csv_rectangular(csv);
    free(csv);

    cJSON_Delete(root);
    harness_free(&r);
    harness_rmtree(dir);
    free(dir);
}

/* A grid: steps x steps2 rows, the first field outer, every pair once. */
Test(sweep, grid_has_steps_times_steps2_rows, .timeout = 60)
{
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    struct harness_result r;
    HARNESS_RUN(&r, "sweep", ERLANG_C, "--vary", "team[0].count", "--from", "3", "--to", "5",
        "--steps", "3", "--vary2", "channels[0].arrivals.per_week", "--from2", "400",
        "--to2", "1000", "--steps2", "4", "--reps", "2", "--set", "horizon_days=30",
        "--set", "warmup_days=5", "--quiet", "--out", dir, "--format", "csv");
    harness_assert_exit(&r, 0);
    cr_assert_eq(harness_count_lines(r.out), 1 + 3 * 4, "%s", r.out);
    cr_assert(strncmp(r.out, "value,value2,", 13) == 0);
    assert_csv_rectangular(r.out);

    char path[512];
    snprintf(path, sizeof path, "%s/sweep.csv", dir);
    char *csv = harness_read_file(path, NULL);
    cr_assert_not_null(csv);
    cr_assert_str_eq(csv, r.out, "the file and the printed CSV differ");
    free(csv);

    cJSON *root = harness_read_json(dir, "sweep.json");
    const cJSON *points = cJSON_GetObjectItemCaseSensitive(root, "points");
    cr_assert_eq(cJSON_GetArraySize(points), 12);
    const cJSON *vary2 = cJSON_GetObjectItemCaseSensitive(root, "vary2");
    cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(vary2, "path")->valuestring,
                     "channels[0].arrivals.per_week");
    for (int i = 0; i < 12; i++) {
        const cJSON *p = cJSON_GetArrayItem(points, i);
        cr_assert_float_eq(harness_number(p, "value"), 3 + i / 4, 1e-12);
        cr_assert_float_eq(harness_number(p, "value2"), 400 + 200 * (i % 4), 1e-9);
        /* Capacity follows the head count, the offer the inflow. */
        cr_assert_float_eq(harness_number(p, "offered_per_week"), harness_number(p, "value2"), 1e-9);
        cr_assert_float_eq(harness_number(p, "capacity_per_week"),
                           harness_number(root, "capacity_per_week") * (3 + i / 4) / 3.0, 1e-6);
    }
    cJSON_Delete(root);
    harness_free(&r);
    harness_rmtree(dir);
    free(dir);
}

/* Same seed, same sweep: byte-identical files whatever the threads. */
Test(sweep, same_files_for_jobs_1_and_2, .timeout = 60)
{
    char *dirs[2];
    const char *jobs[2] = {"1", "2"};
    for (int i = 0; i < 2; i++) {
        dirs[i] = harness_tmpdir();
        cr_assert_not_null(dirs[i]);
        struct harness_result r;
        HARNESS_RUN(&r, "sweep", BASELINE, "--vary", WEB_RATE, "--from", "200", "--to", "450",
            "--steps", "6", "--reps", "5", "--jobs", jobs[i], "--quiet", "--out", dirs[i]);
        harness_assert_exit(&r, 0);
        harness_free(&r);
    }
    static const char *const files[] = {"sweep.csv", "sweep.json"};
    for (int f = 0; f < 2; f++) {
        char p1[512], p2[512];
        snprintf(p1, sizeof p1, "%s/%s", dirs[0], files[f]);
        snprintf(p2, sizeof p2, "%s/%s", dirs[1], files[f]);
        size_t n1, n2;
        char *a = harness_read_file(p1, &n1), *b = harness_read_file(p2, &n2);
        cr_assert(a != NULL && b != NULL, "missing %s", files[f]);
        if (f == 1) {
            /* the same but for the run's id */
            char *ja = harness_json_without(a, "run_id"), *jb = harness_json_without(b, "run_id");
            free(a);
            free(b);
            a = ja;
            b = jb;
            n1 = strlen(a);
            n2 = strlen(b);
        }
        cr_assert(n1 == n2 && memcmp(a, b, n1) == 0, "%s differs between --jobs 1 and 2",
                  files[f]);
        free(a);
        free(b);
    }
    for (int i = 0; i < 2; i++) {
        harness_rmtree(dirs[i]);
        free(dirs[i]);
    }
}

/* A whole-number field stepped through fractions: a usage error that says
 * which --steps would land on whole numbers. */
Test(sweep, whole_number_field_needs_whole_steps)
{
    struct harness_result r;
    HARNESS_RUN(&r, "sweep", ERLANG_C, "--vary", "team[0].count", "--from", "2", "--to", "10",
        "--steps", "4", "--quiet");
    harness_assert_exit(&r, 2);
    cr_assert(strstr(r.err, "team[0].count takes whole numbers") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "(3 or 5)") != NULL, "%s", r.err);
    harness_free(&r);

    HARNESS_RUN(&r, "sweep", ERLANG_C, "--vary", "team[0].count", "--from", "2", "--to", "10",
        "--quiet");
    harness_assert_exit(&r, 2);
    cr_assert(strstr(r.err, "--steps N together") != NULL, "%s", r.err);
    harness_free(&r);
}

/* ---- interrupt ------------------------------------------------------------ */

static void pause_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Ctrl-C in the middle of a long sweep: exit 130, and the files hold the
 * finished points only, each row whole, as many as the message says. */
Test(sweep, interrupt_keeps_finished_points, .timeout = 60)
{
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    char sweep_dir[512];
    snprintf(sweep_dir, sizeof sweep_dir, "%s/sweep", dir);

    /* 60 points of 20 replications of 480 days: about a minute of work on
     * two cores, so the signal comes long before the end however fast
     * the engine gets. */
    struct harness_proc proc;
    cr_assert_eq(harness_start(&proc, NULL,
                               HARNESS_ARGS("sweep", ERLANG_A, "--vary", WEB_RATE, "--from",
                                            "500", "--to", "1500", "--steps", "60", "--set",
                                            "horizon_days=480", "--quiet", "--out", sweep_dir)),
                 0, "cannot start %s: %s", FUNNELSIM_BIN, strerror(errno));
    pause_ms(1500);
    kill(proc.pid, SIGINT);
    struct harness_result r;
    cr_assert_eq(harness_wait(&proc, 60.0, &r), 0);
    cr_assert(!r.timed_out && r.signal == 0, "%s", harness_describe(&r));
    const char *err = r.err;
    cr_assert_eq(r.exit_code, 130, "exit %d: %s", r.exit_code, err);

    unsigned kept = 0, total = 0;
    const char *msg = strstr(err, "kept the ");
    if (msg == NULL) {
        /* A loaded machine may not finish one point in 1.5 s. */
        cr_assert(strstr(err, "before any point finished") != NULL, "%s", err);
    } else {
        cr_assert_eq(sscanf(msg, "kept the %u of %u points", &kept, &total), 2, "%s", err);
        cr_assert_eq(total, 60);
        cr_assert(kept > 0 && kept < 60, "%s", err);
        char path[600];
        snprintf(path, sizeof path, "%s/sweep.csv", sweep_dir);
        char *csv = harness_read_file(path, NULL);
        cr_assert_not_null(csv);
        cr_assert_eq(harness_count_lines(csv), 1 + kept);
        assert_csv_rectangular(csv);
        free(csv);
        cJSON *root = harness_read_json(sweep_dir, "sweep.json");
        cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "points")),
                     (int)kept);
        cr_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "interrupted")));
        cJSON_Delete(root);
    }
    harness_free(&r);
    harness_rmtree(dir);
    free(dir);
}
