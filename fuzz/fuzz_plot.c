/*
 * fuzz_plot.c - libFuzzer target for what the charts and the report read:
 * the result files in a directory and the directory's own name
 * (plots/plot_file.c, plot_load.c, plot.c, plot_facts.c, report.c, through
 * plot_dir()).
 *
 * An input is
 *
 *     MASK DEPTH NAME \0 FILE \0 FILE \0 ...
 *
 *   MASK    one byte: which result files the directory holds, bit 0
 *           sweep.json, 1 result.json (with series_daily.csv and
 *           series_weekly.csv), 2 measures.json, 3 compare.json; its high
 *           four bits, when not 0, set the junk target to k/16;
 *   DEPTH   one byte: the directory is NAME nested DEPTH % 20 times in a
 *           fresh temporary directory (as deep as fits: nesting stops at
 *           the first mkdir that fails, so the fuzzer can reach the paths
 *           just under PATH_MAX, where the charts' files no longer fit);
 *   NAME    a directory name, up to 255 bytes, any byte but '/' (read as
 *           '_') and NUL; "", "." and ".." get a prefix;
 *   FILE    the files present, in the order sweep.json, result.json,
 *           series_daily.csv, series_weekly.csv, measures.json,
 *           compare.json; a file missing at the end of the input is empty.
 *
 * plot_dir() then loads the directory and writes every chart's data,
 * variables and script, and report.html, as `funnelsim plot DIR` does,
 * but never runs gnuplot: it is asked for by a path that does not exist
 * (and PATH names nothing), so plot_dir() takes its "gnuplot missing"
 * branch, which writes everything but the PNG and SVG.
 *
 * Besides "no crash, no leak, no undefined behaviour" (the sanitizers'
 * job), the target checks what must hold for any input, and aborts when
 * one breaks:
 *
 *   - the result is an error (gnuplot is missing) with a message, and
 *     nothing is drawn;
 *   - no file is written outside the directory, and none is left behind
 *     under a temporary name (sim_file's ".NAME.XXXXXX");
 *   - the directory holds exactly the input's files, three per chart
 *     written (NAME.dat, NAME.vars, NAME.gp) and report.html when it was
 *     written; a directory with no room for the charts' longest file name
 *     (worked out here) is refused as a runtime error before anything is
 *     written;
 *   - every NAME.vars line is one gnuplot assignment whose value is a
 *     number, NaN, or strings as plot_render_gp_string() writes them (nothing
 *     from the input can end a string early or start a command);
 *   - every NAME.dat line has no control character and balanced double
 *     quotes, and report.html holds no <script element.
 *
 * Build and run: `make fuzz FUZZ_SECONDS=60` runs this target after
 * fuzz_scenario; the seed corpus is made from real result files, written
 * by funnelsim into a temporary directory (fuzz/seed.sh --plot).
 *
 * SPDX-License-Identifier: MIT
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "plots/plot.h"
#include "plots/plot_chart.h"
#include "plots/plot_file.h"

#define FUZZ_MAX_INPUT (64u << 10)
#define FUZZ_MAX_DEPTH 20
#define FUZZ_NAME_MAX 255

/* A program gnuplot cannot be: plot_render_find_program() checks it before
 * any child is started. */
#define FUZZ_NO_GNUPLOT "/nonexistent/funnelsim-fuzz/gnuplot"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "fuzz_plot: %s:%d: %s: ", __FILE__, __LINE__,  \
                    #cond);                                                \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
            abort();                                                       \
        }                                                                  \
    } while (0)

/* The files in input order, and the MASK bit that brings each. */
static const struct {
    const char *name;
    unsigned bit;
} fuzz_files[] = {
    {"sweep.json", 1u << 0},        {"result.json", 1u << 1},
    {"series_daily.csv", 1u << 1},  {"series_weekly.csv", 1u << 1},
    {"measures.json", 1u << 2},     {"compare.json", 1u << 3},
};
#define FUZZ_FILES (sizeof fuzz_files / sizeof fuzz_files[0])

/* Made once: every input works in root/w, removed after it. */
static char fuzz_root[PATH_MAX];

/* ---- the tree ------------------------------------------------------------------ */

/* Removes everything under the directory open as fd (closed here), by
 * names relative to it, so that depth and path length do not matter. */
static void remove_under(int fd)
{
    DIR *d = fdopendir(fd);
    if (d == NULL) {
        close(fd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (unlinkat(dirfd(d), e->d_name, 0) == 0)
            continue;
        int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        if (sub >= 0)
            remove_under(sub);
        unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
    }
    closedir(d);
}

static void remove_tree(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    if (fd >= 0)
        remove_under(fd);
    rmdir(path);
}

struct scan {
    const char *dir;        /* the result directory */
    size_t in_dir;          /* files found there */
};

/* Every file under `path` must lie in s->dir, none under a temporary
 * name.  Paths here were all made by full path, so they fit. */
static void scan_tree(const char *path, struct scan *s)
{
    DIR *d = opendir(path);
    CHECK(d != NULL, "cannot open a directory the target made: %s", strerror(errno));
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char child[PATH_MAX];
        int k = snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        CHECK(k > 0 && (size_t)k < sizeof child, "a path longer than PATH_MAX was made");
        struct stat st;
        CHECK(lstat(child, &st) == 0, "lstat: %s", strerror(errno));
        if (S_ISDIR(st.st_mode)) {
            scan_tree(child, s);
            continue;
        }
        CHECK(strcmp(path, s->dir) == 0, "a file written outside the result directory: "
              "%s in a directory of %zu bytes", e->d_name, strlen(path));
        CHECK(e->d_name[0] != '.', "a temporary left behind: %s", e->d_name);
        s->in_dir++;
    }
    closedir(d);
}

/* ---- the files written ------------------------------------------------------- */

/* One value as plot.c writes it into NAME.vars: a number, NaN, or
 * plot_render_gp_string()'s pieces ('text' without quotes or control
 * characters, "'''" for a run of quotes) joined by '.'. */
static bool vars_value(const char *v)
{
    if (strcmp(v, "NaN") == 0)
        return true;
    if (*v != '\'' && *v != '"') {
        char *end;
        (void)strtod(v, &end);
        return end != v && *end == '\0';
    }
    for (;;) {
        if (*v == '\'') {
            for (v++; *v != '\'' && *v != '\0'; v++)
                if ((unsigned char)*v < 0x20)
                    return false;
            if (*v++ != '\'')
                return false;
        } else if (*v == '"') {
            size_t quotes = strspn(v + 1, "'");
            if (quotes == 0 || v[1 + quotes] != '"')
                return false;
            v += quotes + 2;
        } else {
            return false;
        }
        if (*v == '\0')
            return true;
        if (*v++ != '.')
            return false;
    }
}

static void check_vars(const char *dir, const char *file)
{
    char *text = plot_file_read(dir, file, NULL);
    CHECK(text != NULL, "%s: written but unreadable", file);
    size_t lineno = 0;
    for (char *line = text, *next; line != NULL && *line != '\0'; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        lineno++;
        if (line[0] == '#')
            continue;
        size_t name = strspn(line, "abcdefghijklmnopqrstuvwxyz0123456789_");
        CHECK(name > 0 && strncmp(line + name, " = ", 3) == 0,
              "%s:%zu: not an assignment: %.80s", file, lineno, line);
        CHECK(vars_value(line + name + 3), "%s:%zu: not a value as plot.c writes one: %.200s",
              file, lineno, line + name + 3);
    }
    free(text);
}

static void check_dat(const char *dir, const char *file)
{
    char *text = plot_file_read(dir, file, NULL);
    CHECK(text != NULL, "%s: written but unreadable", file);
    size_t quotes = 0, lineno = 1;
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '\n') {
            CHECK(quotes % 2 == 0, "%s:%zu: unbalanced double quotes", file, lineno);
            quotes = 0;
            lineno++;
            continue;
        }
        CHECK((unsigned char)*p >= 0x20, "%s:%zu: control character %#x", file, lineno,
              (unsigned)(unsigned char)*p);
        quotes += *p == '"';
    }
    free(text);
}

static void check_written(const char *dir, const struct plot_outcome *out, size_t n_inputs,
                          size_t in_dir)
{
    size_t charts = 0;
    for (unsigned c = 0; c < PLOT_CHART_COUNT; c++) {
        char file[128];
        snprintf(file, sizeof file, "%s.vars", plot_charts[c].name);
        char *vars = plot_file_read(dir, file, NULL);
        if (vars == NULL)
            continue;
        free(vars);
        charts++;
        check_vars(dir, file);
        snprintf(file, sizeof file, "%s.dat", plot_charts[c].name);
        check_dat(dir, file);
    }
    CHECK(charts == out->written, "%zu charts' files in the directory, %u said written",
          charts, out->written);
    CHECK(in_dir == n_inputs + 3 * charts + (out->report ? 1 : 0),
          "%zu files in the directory: %zu inputs, %zu charts, report %d", in_dir, n_inputs,
          charts, out->report);
    if (out->report) {
        char *html = plot_file_read(dir, "report.html", NULL);
        CHECK(html != NULL, "report.html: said written, not there");
        CHECK(strstr(html, "<script") == NULL, "report.html: a <script element");
        free(html);
    }
}

/* ---- one input --------------------------------------------------------------- */

/* The longest name the charts give a file in the directory, worked out
 * here rather than asked of plot.c, so that the target checks it: the
 * temporary sim_file writes a chart's NAME.vars under, ".NAME.vars.XXXXXX"
 * (sim/file.h).  A directory that leaves no room for it must be refused. */
static size_t longest_file_name(void)
{
    size_t longest = 0;
    for (unsigned c = 0; c < PLOT_CHART_COUNT; c++) {
        char name[128];
        int n = snprintf(name, sizeof name, ".%s.vars.XXXXXX", plot_charts[c].name);
        if (n > 0 && (size_t)n > longest)
            longest = (size_t)n;
    }
    return longest;
}

/* NAME nested up to `depth` times under base into dir (as deep as
 * mkdir allows); returns how many levels were made. */
static int make_dir(const char *base, const char *name, int depth, char *dir, size_t n)
{
    snprintf(dir, n, "%s", base);
    int made = 0;
    for (; made < depth; made++) {
        size_t len = strlen(dir);
        int k = snprintf(dir + len, n - len, "/%s", name);
        if (k < 0 || (size_t)k >= n - len || mkdir(dir, 0700) != 0) {
            dir[len] = '\0';
            break;
        }
    }
    return made;
}

static bool write_file(const char *dir, const char *name, const char *text, size_t len)
{
    char path[PATH_MAX];
    if (plot_file_path(path, sizeof path, dir, name, NULL) != SIM_OK)
        return false;
    FILE *fp = fopen(path, "wb");
    if (fp == NULL)
        return false;
    bool ok = fwrite(text, 1, len, fp) == len;
    return fclose(fp) == 0 && ok;
}

/* libFuzzer ends with exit() when its time is up: the directory goes
 * with it.  After a crash it stays, holding the failing input's files. */
static void remove_root(void)
{
    remove_tree(fuzz_root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    gsl_set_error_handler_off();
    /* Belt and braces: no gnuplot on PATH either. */
    setenv("PATH", "/nonexistent/funnelsim-fuzz", 1);
    /* /dev/shm when there is one: every file the charts write is synced
     * (sim/file.h), which costs nothing in memory. */
    const char *base = getenv("FUZZ_PLOT_TMPDIR");
    struct stat st;
    if (base == NULL)
        base = stat("/dev/shm", &st) == 0 && access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(fuzz_root, sizeof fuzz_root, "%s/fuzz_plot-XXXXXX", base);
    if (mkdtemp(fuzz_root) == NULL) {
        fprintf(stderr, "fuzz_plot: cannot make a directory in %s: %s\n", base,
                strerror(errno));
        exit(1);
    }
    atexit(remove_root);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > FUZZ_MAX_INPUT)
        return 0;
    unsigned mask = data[0] & 0x0f, target = data[0] >> 4;
    int depth = data[1] % FUZZ_MAX_DEPTH;
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *p = text + 2, *end = text + size;

    /* NAME, made safe to nest: one component, never "." or "..". */
    size_t name_len = strlen(p);
    char name[FUZZ_NAME_MAX + 2] = "_";
    size_t keep = name_len < FUZZ_NAME_MAX ? name_len : FUZZ_NAME_MAX;
    bool dots = strspn(p, ".") == name_len && name_len <= 2;
    memcpy(name + (dots || keep == 0 ? 1 : 0), p, keep);
    name[keep + (dots || keep == 0 ? 1 : 0)] = '\0';
    for (char *q = name; *q != '\0'; q++)
        if (*q == '/')
            *q = '_';
    p += name_len < (size_t)(end - p) ? name_len + 1 : (size_t)(end - p);

    char work[PATH_MAX], dir[PATH_MAX];
    snprintf(work, sizeof work, "%s/w", fuzz_root);
    remove_tree(work);
    CHECK(mkdir(work, 0700) == 0, "mkdir %s: %s", work, strerror(errno));
    make_dir(work, name, depth, dir, sizeof dir);

    size_t n_inputs = 0;
    for (size_t f = 0; f < FUZZ_FILES; f++) {
        if (!(mask & fuzz_files[f].bit))
            continue;
        size_t len = p < end ? strlen(p) : 0;
        if (write_file(dir, fuzz_files[f].name, p < end ? p : "", len))
            n_inputs++;
        p += p < end ? len + 1 : 0;
    }

    struct plot_opts opts = {.target = target ? target / 16.0 : 0, .gnuplot = FUZZ_NO_GNUPLOT};
    struct plot_outcome out;
    struct sim_err err;
    sim_err_clear(&err);
    int rc = plot_dir(dir, &opts, &out, &err);

    CHECK(rc == SIM_ERR_INPUT || rc == SIM_ERR_RUNTIME, "plot_dir returned %d without "
          "gnuplot", rc);
    CHECK(err.code == rc && err.msg[0] != '\0', "code %d, err %d \"%s\"", rc, err.code,
          err.msg);
    CHECK(out.drawn == 0, "%u charts drawn without gnuplot", out.drawn);
    struct scan s = {dir, 0};
    scan_tree(work, &s);
    if (strlen(dir) + 1 + longest_file_name() >= PATH_MAX) {
        CHECK(rc == SIM_ERR_RUNTIME, "a directory too long is not a runtime error: %s",
              err.msg);
        CHECK(s.in_dir == n_inputs && out.written == 0 && !out.report,
              "%zu files written into a directory too long for them", s.in_dir - n_inputs);
    } else {
        check_written(dir, &out, n_inputs, s.in_dir);
    }
    remove_tree(work);
    free(text);
    return 0;
}
