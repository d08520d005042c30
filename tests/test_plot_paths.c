/*
 * test_plot_paths.c - the charts in directories with hostile names, and
 * result files that are JSON but not what funnelsim writes, all through
 * the real binary.
 *
 * A result directory's path is the user's: it may be long, and full of
 * the quotes that gnuplot's strings treat specially.  Whatever it is,
 * `funnelsim plot` either draws the charts into that directory or refuses
 * with a message naming it, and never writes anywhere else: after each
 * run the whole temporary tree is scanned, and a file outside the
 * directories the test expects (a truncated path names a parent, or a
 * sibling with a shorter name) fails the test.
 *
 * The result files are bounded as funnelsim writes them (plots/plot_file.h,
 * plots/plot_load.h): a file over PLOT_FILE_MAX (sparse, made with
 * truncate()), or one holding more points, waterfall steps or series rows
 * than the commands write, is refused as malformed (exit 2) with a message
 * naming it; those tests need no gnuplot and run in the fast tier (suite
 * plot_limits).
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/keytab.h"
#include "plots/plot_file.h"
#include "plots/plot_load.h"
#include "tests/cli_harness.h"

#define DEFAULT "scenarios/default.json"
#define HEALTHY "scenarios/healthy.json"
#define WEB_RATE "channels[0].arrivals.per_week"
#define SHORT "--set", "horizon_days=70", "--set", "warmup_days=14"

/* What `run --out` writes that `plot` reads. */
static const char *const run_files[] = {"result.json", "series_daily.csv",
                                        "series_weekly.csv"};
#define N_RUN_FILES (sizeof run_files / sizeof run_files[0])

/* dir/name in a fresh string (paths here reach 4,000 characters). */
static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    cr_assert_not_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *fp = fopen(path, "wb");
    cr_assert_not_null(fp, "cannot create %.200s: %s", path, strerror(errno));
    cr_assert_eq(fwrite(text, 1, len, fp), len);
    cr_assert_eq(fclose(fp), 0);
}

/* parent/component/component/... (depth times), each directory made. */
static char *make_nested(const char *parent, const char *component, int depth)
{
    char *path = strdup(parent);
    cr_assert_not_null(path);
    for (int i = 0; i < depth; i++) {
        char *next = join(path, component);
        free(path);
        path = next;
        cr_assert_eq(mkdir(path, 0700), 0, "mkdir %zu characters: %s", strlen(path),
                     strerror(errno));
    }
    return path;
}

/* A name of n characters: `pattern` repeated. */
static char *repeat(const char *pattern, size_t n)
{
    char *s = malloc(n + 1);
    cr_assert_not_null(s);
    for (size_t i = 0; i < n; i++)
        s[i] = pattern[i % strlen(pattern)];
    s[n] = '\0';
    return s;
}

/* A short run's result files, made once per test in tmp/res. */
static char *run_results(const char *tmp)
{
    char *res = join(tmp, "res");
    struct harness_result r;
    HARNESS_RUN(&r, "run", DEFAULT, "--reps", "2", "--set", "horizon_days=28", "--set",
        "warmup_days=7", "--quiet", "--out", res);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    return res;
}

static void copy_run_files(const char *from, const char *to)
{
    for (size_t i = 0; i < N_RUN_FILES; i++) {
        char *src = join(from, run_files[i]), *dst = join(to, run_files[i]);
        size_t len = 0;
        char *text = harness_read_file(src, &len);
        cr_assert_not_null(text, "%s: missing", src);
        write_file(dst, text, len);
        free(text);
        free(src);
        free(dst);
    }
}

/* ---- the tree after a run ---------------------------------------------------- */

/* Every file under root lies directly in one of the `n` directories
 * allowed; returns how many lie in allowed[0].  A name starting with '.'
 * in allowed[0] is a temporary left behind (sim_file's ".NAME.XXXXXX",
 * gnuplot's ".NAME.EXT.part" and ".NAME.EXT.log"), also a failure. */
static size_t scan_tree(const char *root, const char *const *allowed, size_t n)
{
    DIR *d = opendir(root);
    cr_assert_not_null(d, "opendir %.200s: %s", root, strerror(errno));
    size_t in_first = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *path = join(root, e->d_name);
        struct stat st;
        cr_assert_eq(lstat(path, &st), 0, "lstat: %s", strerror(errno));
        if (S_ISDIR(st.st_mode)) {
            in_first += scan_tree(path, allowed, n);
            free(path);
            continue;
        }
        size_t k = 0;
        while (k < n && strcmp(root, allowed[k]) != 0)
            k++;
        cr_assert(k < n, "a file outside the result directory: %s in a directory of %zu "
                  "characters ending ...%s", e->d_name, strlen(root),
                  root + (strlen(root) > 40 ? strlen(root) - 40 : 0));
        if (k == 0) {
            cr_assert(e->d_name[0] != '.', "a temporary left behind: %s", e->d_name);
            in_first++;
        }
        free(path);
    }
    closedir(d);
    return in_first;
}

/* ---- the charts' files ------------------------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* NAME.png is a 1600 x 1000 PNG (its IHDR chunk, which comes first) and
 * NAME.svg a complete 1600 x 1000 SVG. */
static void assert_chart(const char *dir, const char *name)
{
    char file[128];
    snprintf(file, sizeof file, "%s.png", name);
    char *path = join(dir, file);
    size_t len = 0;
    unsigned char *png = (unsigned char *)harness_read_file(path, &len);
    cr_assert_not_null(png, "%s: missing", file);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    cr_assert(len > 1000 && memcmp(png, sig, 8) == 0, "%s: not a PNG", file);
    cr_assert(memcmp(png + 12, "IHDR", 4) == 0, "%s: no IHDR first", file);
    cr_assert(be32(png + 16) == 1600 && be32(png + 20) == 1000, "%s: %ux%u, not 1600x1000",
              file, be32(png + 16), be32(png + 20));
    free(png);
    free(path);
    snprintf(file, sizeof file, "%s.svg", name);
    path = join(dir, file);
    char *svg = harness_read_file(path, NULL);
    cr_assert_not_null(svg, "%s: missing", file);
    cr_assert(strstr(svg, "<svg") != NULL && strstr(svg, "width=\"1600\"") != NULL &&
              strstr(svg, "height=\"1000\"") != NULL && strstr(svg, "</svg>") != NULL,
              "%s: not a complete 1600x1000 SVG", file);
    free(svg);
    free(path);
}

/* The message names the directory: its start, as a user typed it. */
static void assert_names_dir(const char *msg, const char *dir)
{
    char start[64];
    snprintf(start, sizeof start, "%.60s", dir);
    cr_assert(strstr(msg, start) != NULL, "the message does not name %s...: %s", start, msg);
}

/* ---- deep and long paths ----------------------------------------------------- */

/* 16 folders of 240 quotes (3,900 characters): the names quote to twice
 * that, more than gnuplot's command line used to be given room for. */
Test(plot, directory_sixteen_deep_in_quotes)
{
    char *tmp = harness_tmpdir();
    char *res = run_results(tmp);
    char *quotes = repeat("'", 240);
    char *deep = make_nested(tmp, quotes, 16);
    copy_run_files(res, deep);
    struct harness_result r;
    HARNESS_RUN(&r, "plot", deep);
    cr_assert(!r.timed_out && r.signal == 0, "%s", harness_describe(&r));
    if (r.exit_code == 0) {
        assert_chart(deep, "run_over_time");
        char *report = join(deep, "report.html");
        cr_assert(access(report, R_OK) == 0, "no report.html");
        free(report);
        /* The run's three files, and of run_over_time and
         * junk_by_channel .dat .vars .gp .png .svg, and report.html. */
        const char *const allowed[] = {deep, res};
        cr_assert_eq(scan_tree(tmp, allowed, 2), N_RUN_FILES + 11);
    } else {
        harness_assert_exit(&r, 1);
        assert_names_dir(r.err, deep);
        const char *const allowed[] = {deep, res};
        cr_assert_eq(scan_tree(tmp, allowed, 2), N_RUN_FILES, "written after refusing");
    }
    harness_free(&r);
    harness_rmtree(tmp);
    free(deep);
    free(quotes);
    free(res);
    free(tmp);
}

/* A path of 4,070 characters: the result files fit in PATH_MAX, the
 * charts' temporaries (".measures_waterfall.vars.XXXXXX") would not.
 * Refused before anything is written, as a runtime error naming it. */
Test(plot, directory_too_long_for_the_charts_is_refused)
{
    char *tmp = harness_tmpdir();
    char *res = run_results(tmp);
    char *quotes = repeat("'", 240);
    char *deep = make_nested(tmp, quotes, 16);
    size_t want = 4070;
    cr_assert(strlen(deep) + 2 < want && want - strlen(deep) - 1 <= 255);
    char *last = repeat("'", want - strlen(deep) - 1);
    char *dir = make_nested(deep, last, 1);
    cr_assert_eq(strlen(dir), want);
    copy_run_files(res, dir);
    struct harness_result r;
    HARNESS_RUN(&r, "plot", dir);
    harness_assert_exit(&r, 1);
    assert_names_dir(r.err, dir);
    cr_assert(strstr(r.err, "too long") != NULL, "%s", r.err);
    const char *const allowed[] = {dir, res};
    cr_assert_eq(scan_tree(tmp, allowed, 2), N_RUN_FILES, "written after refusing");
    harness_free(&r);
    harness_rmtree(tmp);
    free(dir);
    free(last);
    free(deep);
    free(quotes);
    free(res);
    free(tmp);
}

/* About 1,000 characters of quotes, runs of them, and the other
 * characters a shell or gnuplot treats specially. */
Test(plot, directory_of_quotes_and_specials_draws)
{
    static const char *const parts[] = {"'", "''", "'''a'", "\"'", "''\\''", "`echo x`'",
                                        "$HOME'", "@x'", "; '", "#'' "};
    char *tmp = harness_tmpdir();
    char component[241];
    size_t k = 0;
    for (size_t i = 0; k < 240; i++) {
        const char *p = parts[i % (sizeof parts / sizeof parts[0])];
        for (; *p != '\0' && k < 240; p++)
            component[k++] = *p;
    }
    component[k] = '\0';
    char *dir = make_nested(tmp, component, 4);
    cr_assert(strlen(dir) > 950, "%zu characters", strlen(dir));
    struct harness_result r;
    HARNESS_RUN(&r, "sweep", HEALTHY, "--vary", WEB_RATE, "--from", "200", "--to", "600",
        "--steps", "3", "--reps", "2", SHORT, "--quiet", "--out", dir, "--plot");
    harness_assert_exit(&r, 0);
    assert_chart(dir, "junk_vs_inflow");
    assert_chart(dir, "junk_by_cause");
    assert_chart(dir, "wasted_money");
    const char *const allowed[] = {dir};
    cr_assert_geq(scan_tree(tmp, allowed, 1), 3u * 5 + 2, "charts, sweep.json, report");
    harness_free(&r);
    harness_rmtree(tmp);
    free(dir);
    free(tmp);
}

/* The scenario's file name goes into every chart's footnote, a gnuplot
 * string in NAME.vars: quotes in it, even in runs, must still draw. */
Test(plot, scenario_file_named_with_quotes_draws)
{
    char *tmp = harness_tmpdir();
    char *scenario = join(tmp, "''it''''s 'q''.json");
    char *src = join(FUNNELSIM_SRCDIR, DEFAULT);
    size_t len = 0;
    char *text = harness_read_file(src, &len);
    cr_assert_not_null(text);
    write_file(scenario, text, len);
    char *out = join(tmp, "out");
    struct harness_result r;
    HARNESS_RUN(&r, "run", scenario, "--reps", "2", "--set", "horizon_days=28", "--set",
        "warmup_days=7", "--quiet", "--out", out, "--plot");
    harness_assert_exit(&r, 0);
    assert_chart(out, "run_over_time");
    harness_free(&r);
    harness_rmtree(tmp);
    free(out);
    free(text);
    free(src);
    free(scenario);
    free(tmp);
}

/* ---- result files that are JSON, but not objects ------------------------------- */

/* Each result file holding an array, null or a number: refused as a
 * malformed result file (exit 2, like any other malformed one, plot.h),
 * with a message naming it, and no crash. */
Test(plot, result_file_not_an_object_is_refused)
{
    static const char *const files[] = {"sweep.json", "result.json", "measures.json",
                                        "compare.json"};
    static const char *const texts[] = {"[1,2]", "null", "42"};
    char *tmp = harness_tmpdir();
    for (size_t f = 0; f < 4; f++) {
        for (size_t t = 0; t < 3; t++) {
            char sub[32];
            snprintf(sub, sizeof sub, "%zu-%zu", f, t);
            char *dir = join(tmp, sub);
            cr_assert_eq(mkdir(dir, 0700), 0);
            char *path = join(dir, files[f]);
            write_file(path, texts[t], strlen(texts[t]));
            struct harness_result r;
            HARNESS_RUN(&r, "plot", dir);
            cr_assert(!r.timed_out && r.signal == 0, "%s holding %s: %s", files[f], texts[t],
                      harness_describe(&r));
            harness_assert_exit(&r, 2);
            cr_assert(strstr(r.err, path) != NULL && strstr(r.err, "not a JSON object"),
                      "%s holding %s: the message does not name it: %s", files[f], texts[t],
                      r.err);
            const char *const allowed[] = {dir};
            cr_assert_eq(scan_tree(dir, allowed, 1), 1, "%s holding %s: files written",
                         files[f], texts[t]);
            harness_free(&r);
            free(path);
            free(dir);
        }
    }
    harness_rmtree(tmp);
    free(tmp);
}

/* ---- result files larger than funnelsim writes --------------------------------- */

/* These refuse before anything is drawn, so they need no gnuplot: the
 * suite is in the fast tier. */

/* `plot DIR` refuses DIR/name as a malformed result file (exit 2, no
 * crash), with a message naming it and holding `says`; nothing is
 * written.  `n_files`: the files in DIR. */
static void assert_refused(const char *dir, const char *name, const char *says, size_t n_files)
{
    char *path = join(dir, name);
    struct harness_result r;
    HARNESS_RUN(&r, "plot", dir);
    cr_assert(!r.timed_out && r.signal == 0, "%s: %s", name, harness_describe(&r));
    harness_assert_exit(&r, 2);
    cr_assert(strstr(r.err, path) != NULL, "%s: the message does not name it: %s", name, r.err);
    cr_assert(strstr(r.err, says) != NULL, "%s: no '%s' in: %s", name, says, r.err);
    const char *const allowed[] = {dir};
    cr_assert_eq(scan_tree(dir, allowed, 1), n_files, "%s: files written", name);
    harness_free(&r);
    free(path);
}

/* Each result file one byte over PLOT_FILE_MAX, sparse (truncate(), so it
 * costs no disk): refused as larger than funnelsim writes, before it is
 * read.  The run's other files are real, so the big one is what fails. */
Test(plot_limits, result_file_over_the_size_limit_is_refused)
{
    static const char *const files[] = {"sweep.json", "result.json", "series_daily.csv",
                                        "series_weekly.csv", "measures.json", "compare.json"};
    char *tmp = harness_tmpdir();
    char *res = run_results(tmp);
    char says[64];
    snprintf(says, sizeof says, "more than %d MiB", PLOT_FILE_MAX_MIB);
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char sub[16];
        snprintf(sub, sizeof sub, "big-%zu", f);
        char *dir = join(tmp, sub);
        cr_assert_eq(mkdir(dir, 0700), 0);
        bool run_file = f >= 1 && f <= 3;
        if (run_file)
            copy_run_files(res, dir);
        char *path = join(dir, files[f]);
        write_file(path, "", 0);
        cr_assert_eq(truncate(path, (off_t)PLOT_FILE_MAX + 1), 0, "truncate: %s",
                     strerror(errno));
        assert_refused(dir, files[f], says, run_file ? N_RUN_FILES : 1);
        free(path);
        free(dir);
    }
    harness_rmtree(tmp);
    free(res);
    free(tmp);
}

/* At the limit a file is read (and here, all zeros, found not to be
 * JSON); a terabyte is refused as fast as a byte over. */
Test(plot_limits, size_limit_is_exact_and_costs_nothing)
{
    char *tmp = harness_tmpdir();
    char *path = join(tmp, "sweep.json");
    write_file(path, "", 0);
    cr_assert_eq(truncate(path, (off_t)PLOT_FILE_MAX), 0, "truncate: %s", strerror(errno));
    assert_refused(tmp, "sweep.json", "not a JSON object", 1);
    /* A file system without room for a sparse terabyte skips this. */
    if (truncate(path, (off_t)1 << 40) == 0) {
        char says[64];
        snprintf(says, sizeof says, "more than %d MiB", PLOT_FILE_MAX_MIB);
        assert_refused(tmp, "sweep.json", says, 1);
    }
    harness_rmtree(tmp);
    free(path);
    free(tmp);
}

/* ---- counts larger than funnelsim writes ------------------------------------- */

#define SWEEP_HEAD "{\"scenario\": \"s\", \"file\": \"s.json\", \"replications\": 2, " \
    "\"horizon_days\": 70, \"warmup_days\": 14, \"capacity_per_week\": 100, "        \
    "\"offered_per_week\": 100, "

/* `head`, n copies of `item` separated by `sep`, then `tail`. */
static char *repeated(const char *head, const char *item, const char *sep, size_t n,
                      const char *tail)
{
    size_t len = strlen(head) + n * (strlen(item) + strlen(sep)) + strlen(tail) + 1;
    char *s = malloc(len), *p = s;
    cr_assert_not_null(s);
    p += sprintf(p, "%s", head);
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s%s", i ? sep : "", item);
    sprintf(p, "%s", tail);
    return s;
}

/* Points, steps, waterfall steps and series rows one over what the
 * commands write are refused before anything is allocated for them. */
Test(plot_limits, counts_over_the_limits_are_refused)
{
    char *tmp = harness_tmpdir();
    char *res = run_results(tmp);
    char steps[160], points[160], waterfall[160], rows[160];
    snprintf(points, sizeof points, "points: %u, more than a sweep has (%u)",
             PLOT_LOAD_MAX_POINTS + 1, PLOT_LOAD_MAX_POINTS);
    snprintf(steps, sizeof steps, "vary.steps: must be a whole number from 1 to %u",
             PLOT_LOAD_MAX_POINTS);
    snprintf(waterfall, sizeof waterfall, "steps: %u, more than the waterfall has (%u",
             PLOT_LOAD_MAX_STEPS + 1, PLOT_LOAD_MAX_STEPS);
    struct {
        const char *name;
        char *text;
        const char *says;
    } cases[] = {
        {"sweep.json", repeated(SWEEP_HEAD "\"vary\": {\"path\": \"p\", \"steps\": 3}, "
                                "\"points\": [", "{}", ", ", PLOT_LOAD_MAX_POINTS + 1, "]}"),
         points},
        {"sweep.json", repeated(SWEEP_HEAD, "", "", 0, "\"vary\": {\"path\": \"p\", \"steps\": "
                                "10001}, \"points\": []}"), steps},
        {"measures.json", repeated("{\"base\": \"a\", \"after\": \"b\", \"replications\": 2, "
                                   "\"steps\": [", "{}", ", ", PLOT_LOAD_MAX_STEPS + 1, "]}"),
         waterfall},
        {"series_daily.csv", repeated("day,backlog\n", "0,1\n", "", PLOT_LOAD_MAX_DAYS + 1, ""),
         rows},
        {"series_weekly.csv", repeated("week,inflow,handed,resolved,junk,junk_rate\n",
                                       "0,1,1,1,0,0\n", "", PLOT_LOAD_MAX_WEEKS + 1, ""),
         rows},
    };
    cr_assert_eq(PLOT_LOAD_MAX_POINTS, 10000u, "the steps case writes 10001");
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char sub[16];
        snprintf(sub, sizeof sub, "count-%zu", k);
        char *dir = join(tmp, sub);
        cr_assert_eq(mkdir(dir, 0700), 0);
        bool series = strstr(cases[k].name, ".csv") != NULL;
        if (series) {
            copy_run_files(res, dir);
            snprintf(rows, sizeof rows, "more than %u rows", strstr(cases[k].name, "daily")
                     ? PLOT_LOAD_MAX_DAYS : PLOT_LOAD_MAX_WEEKS);
        }
        char *path = join(dir, cases[k].name);
        write_file(path, cases[k].text, strlen(cases[k].text));
        assert_refused(dir, cases[k].name, cases[k].says, series ? N_RUN_FILES : 1);
        free(path);
        free(dir);
        free(cases[k].text);
    }
    harness_rmtree(tmp);
    free(res);
    free(tmp);
}

/* The bounds are the writers' own limits: a sweep of more points than
 * PLOT_LOAD_MAX_POINTS, or a horizon longer than PLOT_LOAD_MAX_DAYS, is
 * refused where it is asked for, so no file funnelsim writes exceeds
 * them.  A limit raised there without here fails this test. */
Test(plot_limits, bounds_match_the_writers)
{
    const struct sim_schema_key *k = keytab_find("horizon_days");
    cr_assert_not_null(k);
    cr_assert_eq(k->hi, (double)PLOT_LOAD_MAX_DAYS, "horizon_days at most %g, the series "
                 "bound %u days", k->hi, PLOT_LOAD_MAX_DAYS);
    char steps[16], says[64];
    snprintf(steps, sizeof steps, "%u", PLOT_LOAD_MAX_POINTS + 1);
    snprintf(says, sizeof says, "at most %u", PLOT_LOAD_MAX_POINTS);
    char *tmp = harness_tmpdir();
    char *out = join(tmp, "out");
    struct harness_result r;
    HARNESS_RUN(&r, "sweep", DEFAULT, "--vary", WEB_RATE, "--from", "100", "--to", "200",
        "--steps", steps, "--quiet", "--out", out);
    harness_assert_exit(&r, 2);
    cr_assert(strstr(r.err, says) != NULL, "no '%s' in: %s", says, r.err);
    harness_free(&r);
    harness_rmtree(tmp);
    free(out);
    free(tmp);
}
