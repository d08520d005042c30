/* SPDX-License-Identifier: MIT */
/*
 * plot_render.c - files written whole, and gnuplot run as a child.
 *
 * Files are written whole through sim/file.h, like the program's.
 *
 * gnuplot is an external program.  It is found on PATH here (rather than
 * left to posix_spawnp) so that a missing gnuplot is told apart from a
 * failing one before anything is started.  It runs with standard input
 * from /dev/null (a script waiting for input would hang) and its output
 * in a log file that is shown only when it fails: gnuplot warns about
 * harmless things (an empty contour) that would only confuse a user.
 * The chart is drawn under a temporary name and renamed when gnuplot
 * exits 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plots/plot_internal.h"

extern char **environ;

/* ---- files ----------------------------------------------------------------- */

char *plot_read_file(const char *dir, const char *name, size_t *len)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n - 1, fp);
        if (n < cap - 1)
            break;
        char *grown = realloc(buf, 2 * cap);
        if (grown == NULL) {
            free(buf);
            buf = NULL;
            errno = ENOMEM;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    int failed = buf != NULL && ferror(fp);
    fclose(fp);
    if (failed) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    if (buf == NULL)
        return NULL;
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}

void plot_gp_string(FILE *fp, const char *s)
{
    fputc('\'', fp);
    for (; *s != '\0'; s++) {
        if (*s == '\'')
            fputs("''", fp);
        else if ((unsigned char)*s < 0x20)
            fputc(' ', fp);
        else
            fputc(*s, fp);
    }
    fputc('\'', fp);
}

/* ---- gnuplot ----------------------------------------------------------------- */

static bool executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

bool plot_find_program(const char *program, char *buf, size_t n)
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

/* Appends s to the gnuplot -e expression as a single-quoted string. */
static void quote_into(char *out, size_t n, const char *s)
{
    size_t k = strlen(out);
    if (k + 1 < n)
        out[k++] = '\'';
    for (; *s != '\0' && k + 3 < n; s++) {
        if (*s == '\'')
            out[k++] = '\'';
        out[k++] = *s;
    }
    if (k + 1 < n)
        out[k++] = '\'';
    out[k] = '\0';
}

/* The first lines of gnuplot's log, for the error message. */
static void log_excerpt(const char *dir, const char *log, char *buf, size_t n)
{
    buf[0] = '\0';
    char *text = plot_read_file(dir, log, NULL);
    if (text == NULL)
        return;
    size_t k = 0;
    for (const char *p = text; *p != '\0' && k + 1 < n; p++) {
        char ch = *p == '\n' ? ' ' : *p;
        if (ch == ' ' && k > 0 && buf[k - 1] == ' ')
            continue;
        buf[k++] = ch;
    }
    buf[k] = '\0';
    free(text);
}

int plot_render(const char *gnuplot, const char *dir, const char *name, const char *ext,
                struct sim_err *err)
{
    char script[4096], data[4096], vars[4096], out[4096], tmp[4096], log[512], logpath[4200];
    snprintf(script, sizeof script, "%s/%s.gp", dir, name);
    snprintf(data, sizeof data, "%s/%s.dat", dir, name);
    snprintf(vars, sizeof vars, "%s/%s.vars", dir, name);
    snprintf(out, sizeof out, "%s/%s.%s", dir, name, ext);
    snprintf(tmp, sizeof tmp, "%s/.%s.%s.part", dir, name, ext);
    snprintf(log, sizeof log, ".%s.%s.log", name, ext);
    snprintf(logpath, sizeof logpath, "%s/%s", dir, log);

    char expr[16384] = "datafile=";
    quote_into(expr, sizeof expr, data);
    strcat(expr, "; varsfile=");
    quote_into(expr, sizeof expr, vars);
    strcat(expr, "; outfile=");
    quote_into(expr, sizeof expr, tmp);
    strcat(expr, "; fmt=");
    quote_into(expr, sizeof expr, ext);
    if (strlen(expr) + 2 >= sizeof expr)
        return sim_err_set(err, SIM_ERR_INPUT, "%s: path too long for gnuplot", dir);

    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return sim_err_set(err, SIM_ERR_RUNTIME, "plot: out of memory");
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, logpath,
                                     O_WRONLY | O_CREAT | O_TRUNC, 0666);
    posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
    char *argv[] = {(char *)gnuplot, (char *)"-e", expr, script, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, gnuplot, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return sim_err_set(err, SIM_ERR_RUNTIME, "%s: cannot start %s: %s", script, gnuplot,
                           strerror(rc));
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            int e = errno;
            return sim_err_set(err, SIM_ERR_RUNTIME, "%s: waiting for gnuplot: %s", script,
                               strerror(e));
        }
    }
    struct stat st;
    bool made = stat(tmp, &st) == 0 && st.st_size > 0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !made) {
        char excerpt[320];
        log_excerpt(dir, log, excerpt, sizeof excerpt);
        unlink(tmp);
        if (WIFSIGNALED(status))
            return sim_err_set(err, SIM_ERR_RUNTIME, "%s: gnuplot killed by signal %d: %s",
                               script, WTERMSIG(status), excerpt);
        return sim_err_set(err, SIM_ERR_RUNTIME, "%s: gnuplot failed (exit %d%s): %s "
                           "(the whole log is %s)", script,
                           WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                           made ? "" : ", no chart", excerpt, logpath);
    }
    unlink(logpath);
    if (rename(tmp, out) != 0) {
        int e = errno;
        unlink(tmp);
        return sim_err_set(err, SIM_ERR_RUNTIME, "%s: %s", out, strerror(e));
    }
    return SIM_OK;
}
