/* SPDX-License-Identifier: MIT */
#include "cli_harness.h"

#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef FUNNELSIM_BIN
#error "FUNNELSIM_BIN must name the binary under test (the Makefile passes it)"
#endif
#ifndef FUNNELSIM_SRCDIR
#error "FUNNELSIM_SRCDIR must name the checkout (the Makefile passes it)"
#endif

#define HARNESS_MAX_ARGS 128
/* More output than this from one run is a bug in itself; the rest is
 * read and dropped so that the child never blocks. */
#define HARNESS_MAX_CAPTURE (64u << 20)

struct capture {
    int fd;                 /* -1 once the child closed its end */
    char *buf;
    size_t len, cap;
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Reads what is available on c->fd; closes it at end of file. */
static int drain(struct capture *c)
{
    char chunk[65536];
    ssize_t n = read(c->fd, chunk, sizeof chunk);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? 0 : -1;
    if (n == 0) {
        close(c->fd);
        c->fd = -1;
        return 0;
    }
    size_t keep = (size_t)n;
    if (c->len + keep > HARNESS_MAX_CAPTURE)
        keep = HARNESS_MAX_CAPTURE - c->len;
    if (c->len + keep + 1 > c->cap) {
        size_t cap = c->cap ? c->cap : 4096;
        while (cap < c->len + keep + 1)
            cap *= 2;
        char *grown = realloc(c->buf, cap);
        if (grown == NULL)
            return -1;
        c->buf = grown;
        c->cap = cap;
    }
    memcpy(c->buf + c->len, chunk, keep);
    c->len += keep;
    c->buf[c->len] = '\0';
    return 0;
}

static char *take(struct capture *c, size_t *len)
{
    *len = c->len;
    if (c->buf == NULL)
        return calloc(1, 1);
    return c->buf;
}

static void set_cloexec(int fd)
{
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0)
        fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

/* In the child, between fork and exec: async-signal-safe calls only. */
static void exec_child(int out_fd, int err_fd, const char *stdout_path, char *const *argv)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    if (stdout_path != NULL && (out_fd = open(stdout_path, O_WRONLY)) < 0) {
        static const char msg[] = "harness: cannot open the stdout file\n";
        (void)!write(err_fd, msg, sizeof msg - 1);
        _exit(126);
    }
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
        dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0)
        _exit(126);
    if (chdir(FUNNELSIM_SRCDIR) != 0) {
        static const char msg[] = "harness: cannot chdir to " FUNNELSIM_SRCDIR "\n";
        (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
        _exit(126);
    }
    execv(FUNNELSIM_BIN, argv);
    static const char msg[] = "harness: cannot execute " FUNNELSIM_BIN "\n";
    (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
    _exit(127);
}

/* Waits for `pid` until `deadline`, then kills it.  Fills the status
 * fields of r. */
static int reap(pid_t pid, double deadline, struct harness_result *r)
{
    int status = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            return -1;
        if (now_seconds() >= deadline) {
            kill(pid, SIGKILL);
            r->timed_out = true;
            while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                    return -1;
            break;
        }
        sleep_ms(5);
    }
    r->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return 0;
}

int harness_runv(struct harness_result *r, const char *const *args)
{
    return harness_runv_stdout(r, NULL, args);
}

int harness_runv_stdout(struct harness_result *r, const char *stdout_path,
                        const char *const *args)
{
    memset(r, 0, sizeof *r);
    r->exit_code = -1;
    char *argv[HARNESS_MAX_ARGS + 2];
    size_t n = 0;
    argv[n++] = (char *)FUNNELSIM_BIN;
    for (; args[n - 1] != NULL; n++) {
        if (n > HARNESS_MAX_ARGS) {
            errno = E2BIG;
            return -1;
        }
        argv[n] = (char *)args[n - 1];
    }
    argv[n] = NULL;

    int out_pipe[2], err_pipe[2];
    if (pipe(out_pipe) != 0)
        return -1;
    if (pipe(err_pipe) != 0) {
        close(out_pipe[0]);
        close(out_pipe[1]);
        return -1;
    }
    for (int i = 0; i < 2; i++) {
        set_cloexec(out_pipe[i]);
        set_cloexec(err_pipe[i]);
    }
    double deadline = now_seconds() + HARNESS_TIMEOUT_S;
    pid_t pid = fork();
    if (pid == 0)
        exec_child(out_pipe[1], err_pipe[1], stdout_path, argv);
    int saved = errno;
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (pid < 0) {
        close(out_pipe[0]);
        close(err_pipe[0]);
        errno = saved;
        return -1;
    }

    struct capture cap[2] = {{.fd = out_pipe[0]}, {.fd = err_pipe[0]}};
    int rc = 0;
    while (cap[0].fd >= 0 || cap[1].fd >= 0) {
        double left = deadline - now_seconds();
        if (left <= 0.0) {
            kill(pid, SIGKILL);
            r->timed_out = true;
            break;
        }
        struct pollfd pfd[2];
        nfds_t nfd = 0;
        for (int i = 0; i < 2; i++)
            if (cap[i].fd >= 0)
                pfd[nfd++] = (struct pollfd){.fd = cap[i].fd, .events = POLLIN};
        int ready = poll(pfd, nfd, (int)(left * 1000.0) + 1);
        if (ready < 0 && errno != EINTR) {
            rc = -1;
            kill(pid, SIGKILL);
            break;
        }
        for (nfds_t k = 0; ready > 0 && k < nfd; k++) {
            if (pfd[k].revents == 0)
                continue;
            struct capture *c = pfd[k].fd == cap[0].fd ? &cap[0] : &cap[1];
            if (drain(c) != 0) {
                rc = -1;
                close(c->fd);
                c->fd = -1;
            }
        }
    }
    for (int i = 0; i < 2; i++)
        if (cap[i].fd >= 0)
            close(cap[i].fd);
    if (reap(pid, r->timed_out ? now_seconds() : deadline, r) != 0)
        rc = -1;
    r->out = take(&cap[0], &r->out_len);
    r->err = take(&cap[1], &r->err_len);
    if (r->out == NULL || r->err == NULL)
        rc = -1;
    return rc;
}

int harness_run(struct harness_result *r, const char *arg, ...)
{
    const char *args[HARNESS_MAX_ARGS + 1];
    size_t n = 0;
    va_list ap;
    va_start(ap, arg);
    for (const char *a = arg; a != NULL; a = va_arg(ap, const char *)) {
        if (n >= HARNESS_MAX_ARGS) {
            va_end(ap);
            memset(r, 0, sizeof *r);
            errno = E2BIG;
            return -1;
        }
        args[n++] = a;
    }
    va_end(ap);
    args[n] = NULL;
    return harness_runv(r, args);
}

void harness_free(struct harness_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
    r->out_len = r->err_len = 0;
}

const char *harness_describe(const struct harness_result *r)
{
    static char text[1024];
    char status[64];
    if (r->timed_out)
        snprintf(status, sizeof status, "timed out after %d s", HARNESS_TIMEOUT_S);
    else if (r->signal != 0)
        snprintf(status, sizeof status, "killed by signal %d", r->signal);
    else
        snprintf(status, sizeof status, "exit %d", r->exit_code);
    snprintf(text, sizeof text, "%s; stdout %zu bytes; stderr: %.700s", status,
             r->out_len, r->err ? r->err : "(none)");
    return text;
}

char *harness_tmpdir(void)
{
    char *dir = strdup("/tmp/funnelsim-cli-XXXXXX");
    if (dir != NULL && mkdtemp(dir) == NULL) {
        free(dir);
        return NULL;
    }
    return dir;
}

int harness_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    /* A test may have taken away write or search permission. */
    chmod(path, 0700);
    DIR *d = opendir(path);
    if (d == NULL)
        return -1;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *child = malloc(n);
        if (child == NULL) {
            rc = -1;
            break;
        }
        snprintf(child, n, "%s/%s", path, e->d_name);
        if (harness_rmtree(child) != 0)
            rc = -1;
        free(child);
    }
    closedir(d);
    if (rmdir(path) != 0)
        rc = -1;
    return rc;
}

char *harness_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        if (n + 1 >= cap) {
            char *grown = realloc(buf, cap * 2);
            if (grown == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, fp);
        n += got;
        if (got == 0)
            break;
    }
    if (buf != NULL && ferror(fp)) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    if (buf == NULL)
        return NULL;
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}

void harness_assert_exit(const struct harness_result *r, int code)
{
    cr_assert(!r->timed_out && r->signal == 0, "%s", harness_describe(r));
    cr_assert_eq(r->exit_code, code, "expected exit %d: %s\nstdout: %.300s", code,
                 harness_describe(r), r->out != NULL ? r->out : "");
}

cJSON *harness_read_json(const char *dir, const char *name)
{
    char path[1024];
    cr_assert_lt((size_t)snprintf(path, sizeof path, "%s/%s", dir, name), sizeof path);
    char *text = harness_read_file(path, NULL);
    cr_assert_not_null(text, "cannot read %s", path);
    cJSON *root = cJSON_Parse(text);
    cr_assert_not_null(root, "%s is not whole JSON:\n%.300s", path, text);
    free(text);
    return root;
}

double harness_number(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    cr_assert(cJSON_IsNumber(item), "no number '%s'", key);
    return item->valuedouble;
}
