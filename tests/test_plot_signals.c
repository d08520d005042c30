/* SPDX-License-Identifier: MIT */
/*
 * test_plot_signals.c - SIGINT and SIGTERM while charts are drawn (suite
 * plot: it needs gnuplot): `plot DIR` and `sweep --plot` stop gnuplot,
 * leave no half-drawn chart and no temporary, draw no further chart, do
 * not write report.html, and exit 130, promptly.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tests/cli_harness.h"

#define HEALTHY "scenarios/healthy.json"
#define WEB_RATE "channels[0].arrivals.per_week"

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* gnuplot is running in DIR: its log (".NAME.EXT.log") is there. */
static bool gnuplot_running(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return false;
    bool found = false;
    for (struct dirent *e; !found && (e = readdir(d)) != NULL; ) {
        size_t n = strlen(e->d_name);
        found = e->d_name[0] == '.' && n > 4 && strcmp(e->d_name + n - 4, ".log") == 0;
    }
    closedir(d);
    return found;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Every PNG in DIR is whole: the signature, IHDR first, IEND last; and
 * no temporary is left.  Returns the number of PNGs. */
static unsigned assert_whole_charts(const char *dir)
{
    char hidden[256];
    harness_entries(dir, hidden, sizeof hidden);
    cr_assert_str_empty(hidden, "a temporary was left: %s", hidden);
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    unsigned pngs = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL; ) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 4, ".png") != 0)
            continue;
        char *path = harness_path(dir, e->d_name);
        size_t len;
        unsigned char *png = (unsigned char *)harness_read_file(path, &len);
        cr_assert_not_null(png);
        static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        cr_assert(len >= 8 + 25 + 12 && memcmp(png, sig, 8) == 0, "%s: not a PNG", path);
        cr_assert(be32(png + 8) == 13 && memcmp(png + 12, "IHDR", 4) == 0, "%s: no IHDR",
                  path);
        cr_assert(be32(png + len - 12) == 0 && memcmp(png + len - 8, "IEND", 4) == 0,
                  "%s: no IEND at the end: a half-drawn chart", path);
        free(png);
        free(path);
        pngs++;
    }
    closedir(d);
    return pngs;
}

/* Starts `args`, waits (at most 60 s) until gnuplot runs in DIR, sends
 * `sig` to funnelsim alone, and checks the outcome. */
static void interrupt_charts(const char *const *args, const char *dir, int sig)
{
    struct harness_proc p;
    cr_assert_eq(harness_start(&p, NULL, args), 0, "cannot start %s: %s", FUNNELSIM_BIN,
                 strerror(errno));
    for (int i = 0; i < 12000 && !gnuplot_running(dir) && harness_running(&p); i++)
        sleep_ms(5);
    cr_assert(harness_running(&p), "it ended before gnuplot was seen running");
    cr_assert(gnuplot_running(dir), "gnuplot never ran in %s", dir);
    cr_assert_eq(kill(p.pid, sig), 0);
    struct harness_result r;
    cr_assert_eq(harness_wait(&p, 30.0, &r), 0);
    harness_assert_no_crash(&r);
    cr_assert_eq(r.exit_code, 130, "%s: %s", strsignal(sig), harness_describe(&r));
    cr_assert_lt(r.seconds, 2.0, "%s: it took %.2f s to stop", strsignal(sig), r.seconds);
    cr_assert(harness_contains(r.err, "interrupted"), "no word of the interrupt: %s", r.err);
    cr_assert(!harness_contains(r.err, "gnuplot failed") &&
              !harness_contains(r.err, "killed by signal"),
              "the interrupt was reported as a gnuplot failure: %s", r.err);
    /* No chart was begun after the signal, and no half of one is left. */
    sleep_ms(300);
    unsigned pngs = assert_whole_charts(dir);
    cr_assert_lt(pngs, 3, "every chart was drawn after the signal");
    char *report = harness_path(dir, "report.html");
    struct stat st;
    cr_assert_neq(stat(report, &st), 0, "report.html was written after the interrupt");
    free(report);
    cr_log_info("%s: stopped in %.3f s, %u charts whole", strsignal(sig), r.seconds, pngs);
    harness_free(&r);
}

/* A sweep's three charts into DIR (no drawing). */
static char *sweep_dir(void)
{
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    struct harness_result r;
    HARNESS_RUN(&r, "sweep", HEALTHY, "--vary", WEB_RATE, "--from", "200", "--to", "600",
                "--steps", "3", "--reps", "2", "--set", "horizon_days=70", "--quiet",
                "--out", dir);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    return dir;
}

Test(plot, sigint_stops_plot_without_a_half_drawn_chart, .timeout = 60)
{
    char *dir = sweep_dir();
    interrupt_charts(HARNESS_ARGS("plot", dir, "--quiet"), dir, SIGINT);
    cr_assert_eq(harness_rmtree(dir), 0);
    free(dir);
}

Test(plot, sigterm_stops_plot_without_a_half_drawn_chart, .timeout = 60)
{
    char *dir = sweep_dir();
    interrupt_charts(HARNESS_ARGS("plot", dir, "--quiet"), dir, SIGTERM);
    cr_assert_eq(harness_rmtree(dir), 0);
    free(dir);
}

/* The same while `sweep --plot` draws: the results are whole, the charts
 * stop. */
Test(plot, sigint_stops_sweep_plot, .timeout = 60)
{
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    interrupt_charts(HARNESS_ARGS("sweep", HEALTHY, "--vary", WEB_RATE, "--from", "200",
                                  "--to", "600", "--steps", "3", "--reps", "2", "--set",
                                  "horizon_days=70", "--quiet", "--out", dir, "--plot"),
                     dir, SIGINT);
    cJSON *man = harness_read_json(dir, "run.json");
    cJSON_Delete(man);
    cJSON *sweep = harness_read_json(dir, "sweep.json");
    cJSON_Delete(sweep);
    cr_assert_eq(harness_rmtree(dir), 0);
    free(dir);
}
