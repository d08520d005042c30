/* SPDX-License-Identifier: MIT */
/*
 * plot_render.c - gnuplot run as a child, and strings written for it
 * (plot_render.h).
 *
 * gnuplot is an external program.  It is found on PATH here (rather than
 * left to posix_spawnp) so that a missing gnuplot is told apart from a
 * failing one before anything is started.  It runs with standard input
 * from /dev/null (a script waiting for input would hang) and its output
 * in a log file that is shown only when it fails: gnuplot warns about
 * harmless things (an empty contour) that would only confuse a user.
 * The chart is drawn under a temporary name and renamed when gnuplot
 * exits 0.
 *
 * gnuplot runs in the result directory and is handed the chart's files
 * by their own names ("./NAME.dat"), never by the directory's path.  A
 * path on gnuplot's command line would have to be quoted for gnuplot's
 * parser, which cannot take every name a directory may have: gnuplot 5.4
 * rejects a single-quoted string holding two escaped quotes in a row or
 * starting with one, and a path of 4,000 quotes doubles to 8,000
 * characters when escaped.  The charts' file names are the program's own
 * ([a-z_]), so they need no quoting, and the command is the one the
 * scripts' headers give, with DIR = ".", whatever the directory is
 * called.
 *
 * Every path built here is checked against its buffer (plot_file_path):
 * one that does not fit is refused with a message naming it, never
 * truncated, because a truncated path names another file.
 */
/* posix_spawn_file_actions_addchdir_np (glibc 2.29, musl 1.1.24) is
 * declared only for _GNU_SOURCE. */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "plots/plot_render.h"
#include "plots/plot_file.h"

extern char **environ;

/* gnuplot 5.4 cannot read '' twice in a row inside a single-quoted
 * string, nor '' right after the opening quote ('''a' and 'a''''b' are
 * syntax errors), so a quote is never escaped by doubling: each run of
 * quotes is written as a double-quoted string, where a single quote is
 * an ordinary character, and joined to the rest with gnuplot's string
 * concatenation: it's -> 'it'."'".'s'.  Single quotes keep everything
 * else literal (no backslash escapes, no `command` or @macro
 * substitution), so they hold the other characters. */
void plot_render_gp_string(FILE *fp, const char *s)
{
    if (*s == '\0') {
        fputs("''", fp);
        return;
    }
    for (bool first = true; *s != '\0'; first = false) {
        if (!first)
            fputc('.', fp);
        size_t quotes = strspn(s, "'");
        if (quotes > 0) {
            fputc('"', fp);
            for (size_t k = 0; k < quotes; k++)
                fputc('\'', fp);
            fputc('"', fp);
            s += quotes;
            continue;
        }
        fputc('\'', fp);
        for (; *s != '\0' && *s != '\''; s++)
            fputc((unsigned char)*s < 0x20 ? ' ' : *s, fp);
        fputc('\'', fp);
    }
}

void plot_render_num(FILE *fp, double x)
{
    if (isfinite(x))
        fprintf(fp, " %.8g", x);
    else
        fputs(" NaN", fp);
}

void plot_render_var_num(FILE *fp, const char *name, double x)
{
    if (isfinite(x))
        fprintf(fp, "%s = %.10g\n", name, x);
    else
        fprintf(fp, "%s = NaN\n", name);
}

void plot_render_var_str(FILE *fp, const char *name, const char *s)
{
    fprintf(fp, "%s = ", name);
    plot_render_gp_string(fp, s);
    fputc('\n', fp);
}

/* ---- gnuplot ----------------------------------------------------------------- */

static bool executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

bool plot_render_find_program(const char *program, char *buf, size_t n)
{
    if (strchr(program, '/') != NULL) {
        if (!executable(program) || strlen(program) >= n)
            return false;
        snprintf(buf, n, "%s", program);
        return true;
    }
    const char *path = getenv("PATH");
    if (path == NULL)
        return false;
    for (const char *p = path;; ) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        /* An empty PATH entry means the current directory. */
        int k = len ? snprintf(buf, n, "%.*s/%s", (int)len, p, program)
                    : snprintf(buf, n, "./%s", program);
        if (k > 0 && (size_t)k < n && executable(buf))
            return true;
        if (colon == NULL)
            return false;
        p = colon + 1;
    }
}

/* The -e text is built by one appender that refuses to overflow: it
 * remembers a piece that did not fit, and the caller refuses to run. */
struct plot_line {
    char buf[256];
    size_t len;
    bool overflow;
};

static void line_add(struct plot_line *l, const char *s)
{
    size_t n = strlen(s);
    if (l->overflow || n >= sizeof l->buf - l->len) {
        l->overflow = true;
        return;
    }
    memcpy(l->buf + l->len, s, n + 1);
    l->len += n;
}

/* The charts' names and extensions go on gnuplot's command line
 * unquoted (see the top): anything but [a-z0-9_] is refused. */
static bool plain_name(const char *s)
{
    return *s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s);
}

/* The first lines of gnuplot's log, for the error message: read up to
 * what the message shows, however long the log is. */
static void log_excerpt(const char *dir, const char *log, char *buf, size_t n)
{
    buf[0] = '\0';
    char path[PATH_MAX];
    if (plot_file_path(path, sizeof path, dir, log, NULL) != SIM_OK)
        return;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return;
    size_t k = 0;
    for (int c; k + 1 < n && (c = getc(fp)) != EOF && c != '\0'; ) {
        char ch = c == '\n' ? ' ' : (char)c;
        if (ch == ' ' && k > 0 && buf[k - 1] == ' ')
            continue;
        buf[k++] = ch;
    }
    buf[k] = '\0';
    fclose(fp);
}

/* gnuplot by an absolute path: it is started in DIR, where a relative
 * one (an empty or relative PATH entry) would name another file. */
static int absolute_program(const char *gnuplot, char *buf, size_t n, struct sim_err *err)
{
    if (gnuplot[0] == '/') {
        if (strlen(gnuplot) >= n)
            return sim_err_set(err, SIM_ERR_RUNTIME, "plot: %s: path too long", gnuplot);
        snprintf(buf, n, "%s", gnuplot);
        return SIM_OK;
    }
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) == NULL)
        return sim_err_set(err, SIM_ERR_RUNTIME, "plot: %s: cannot tell the current "
                           "directory: %s", gnuplot, strerror(errno));
    return plot_file_path(buf, n, cwd, gnuplot, err);
}

/* Waits for gnuplot, polling `stop`: PLOT_RENDER_STOPPED once it is
 * raised (gnuplot then killed and reaped), SIM_OK when gnuplot ended
 * (*status set), SIM_ERR_RUNTIME when it cannot be waited for. */
static int wait_gnuplot(pid_t pid, const volatile sig_atomic_t *stop, int *status,
                        const char *where, struct sim_err *err)
{
    for (;;) {
        if (stop != NULL && *stop) {
            kill(pid, SIGTERM);
            while (waitpid(pid, status, 0) < 0 && errno == EINTR)
                continue;
            return PLOT_RENDER_STOPPED;
        }
        pid_t r = waitpid(pid, status, stop != NULL ? WNOHANG : 0);
        if (r == pid)
            return SIM_OK;
        if (r < 0 && errno != EINTR) {
            int e = errno;
            return sim_err_set(err, SIM_ERR_RUNTIME, "%s: waiting for gnuplot: %s", where,
                               strerror(e));
        }
        if (r == 0)
            nanosleep(&(struct timespec){.tv_sec = 0, .tv_nsec = 10000000}, NULL);
    }
}

int plot_render(const char *gnuplot, const char *dir, const char *name, const char *ext,
                const volatile sig_atomic_t *stop, struct sim_err *err)
{
    if (!plain_name(name) || !plain_name(ext) || strlen(name) > 64 || strlen(ext) > 8)
        return sim_err_set(err, SIM_ERR_RUNTIME, "plot: %.64s.%.8s: not a chart's name",
                           name, ext);
    /* Names inside DIR (they fit: name and ext are short, checked above). */
    char script[80], out[80], tmp[96], log[96];
    snprintf(script, sizeof script, "%s.gp", name);
    snprintf(out, sizeof out, "%s.%s", name, ext);
    snprintf(tmp, sizeof tmp, ".%s.%s.part", name, ext);
    snprintf(log, sizeof log, ".%s.%s.log", name, ext);

    /* The same files by their full paths, for this process. */
    char out_path[PATH_MAX], tmp_path[PATH_MAX], log_path[PATH_MAX], program[PATH_MAX];
    int rc = plot_file_path(out_path, sizeof out_path, dir, out, err);
    if (rc == SIM_OK)
        rc = plot_file_path(tmp_path, sizeof tmp_path, dir, tmp, err);
    if (rc == SIM_OK)
        rc = plot_file_path(log_path, sizeof log_path, dir, log, err);
    if (rc == SIM_OK)
        rc = absolute_program(gnuplot, program, sizeof program, err);
    if (rc != SIM_OK)
        return rc;
    char where[PLOT_FILE_BRIEF_SIZE + 88], brief[PLOT_FILE_BRIEF_SIZE];
    snprintf(where, sizeof where, "%s/%s", plot_file_brief(brief, sizeof brief, dir), script);

    struct plot_line expr = {.len = 0};
    const char *const parts[] = {"datafile='./", name, ".dat'; varsfile='./", name,
                                 ".vars'; outfile='./.", name, ".", ext, ".part'; fmt='",
                                 ext, "'"};
    for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++)
        line_add(&expr, parts[k]);
    struct plot_line script_arg = {.len = 0};
    line_add(&script_arg, "./");
    line_add(&script_arg, script);
    if (expr.overflow || script_arg.overflow)
        return sim_err_set(err, SIM_ERR_RUNTIME, "%s: gnuplot's command line too long", where);

    /* posix_spawn_file_actions_init() allocates inside libc, where
     * sim/mem.h cannot reach: its failure stays an error of this chart. */
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return sim_err_set(err, SIM_ERR_RUNTIME, "plot: out of memory");
    /* In order: into DIR, then the log by its name there. */
    int fa_rc = posix_spawn_file_actions_addchdir_np(&fa, dir);
    if (fa_rc == 0)
        fa_rc = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (fa_rc == 0)
        fa_rc = posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log,
                                                 O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fa_rc == 0)
        fa_rc = posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
    if (fa_rc != 0) {
        posix_spawn_file_actions_destroy(&fa);
        return sim_err_set(err, SIM_ERR_RUNTIME, "%s: cannot start %s: %s", where, gnuplot,
                           strerror(fa_rc));
    }
    char *argv[] = {program, (char *)"-e", expr.buf, script_arg.buf, NULL};
    pid_t pid;
    rc = posix_spawn(&pid, program, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return sim_err_set(err, SIM_ERR_RUNTIME, "%s: cannot start %s: %s", where, gnuplot,
                           strerror(rc));
    int status = 0;
    rc = wait_gnuplot(pid, stop, &status, where, err);
    if (rc == SIM_OK && stop != NULL && *stop)
        rc = PLOT_RENDER_STOPPED;   /* the same Ctrl-C may have stopped gnuplot too */
    if (rc == PLOT_RENDER_STOPPED) {
        unlink(tmp_path);
        unlink(log_path);
        return rc;
    }
    if (rc != SIM_OK)
        return rc;
    struct stat st;
    bool made = stat(tmp_path, &st) == 0 && st.st_size > 0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !made) {
        char excerpt[320];
        log_excerpt(dir, log, excerpt, sizeof excerpt);
        unlink(tmp_path);
        if (WIFSIGNALED(status))
            return sim_err_set(err, SIM_ERR_RUNTIME, "%s: gnuplot killed by signal %d: %s",
                               where, WTERMSIG(status), excerpt);
        return sim_err_set(err, SIM_ERR_RUNTIME, "%s: gnuplot failed (exit %d%s): %s "
                           "(the whole log is %s/%s)", where,
                           WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                           made ? "" : ", no chart", excerpt, brief, log);
    }
    unlink(log_path);
    if (rename(tmp_path, out_path) != 0) {
        int e = errno;
        unlink(tmp_path);
        return sim_err_set(err, SIM_ERR_RUNTIME, "%s/%s: %s", brief, out, strerror(e));
    }
    return SIM_OK;
}

int plot_render_files_open(struct plot_render_files *f, const char *dir, const char *name,
                           struct sim_err *err)
{
    char file[128];
    *f = (struct plot_render_files){0};
    snprintf(file, sizeof file, "%s.dat", name);
    int rc = sim_file_open(&f->dat, dir, file, err);
    snprintf(file, sizeof file, "%s.vars", name);
    if (rc == SIM_OK)
        rc = sim_file_open(&f->vars, dir, file, err);
    snprintf(file, sizeof file, "%s.gp", name);
    if (rc == SIM_OK)
        rc = sim_file_open(&f->gp, dir, file, err);
    if (rc != SIM_OK) {
        if (f->dat.fp != NULL)
            sim_file_discard(&f->dat);
        if (f->vars.fp != NULL)
            sim_file_discard(&f->vars);
    }
    return rc;
}

int plot_render_files_close(struct plot_render_files *f, int rc, struct sim_err *err)
{
    struct sim_file *all[3] = {&f->dat, &f->vars, &f->gp};
    for (int i = 0; i < 3; i++) {
        if (rc == SIM_OK)
            rc = sim_file_commit(all[i], err);
        else
            sim_file_discard(all[i]);
    }
    return rc;
}

void plot_render_say(FILE *log, const char *fmt, ...)
{
    if (log == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(log, fmt, ap);
    va_end(ap);
}
