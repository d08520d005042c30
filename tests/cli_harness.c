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
/* How long one poll() waits before the child's status is looked at
 * again: the latency of noticing an end while a helper keeps a pipe open. */
#define HARNESS_POLL_MS 20

/* ---- starting and waiting -------------------------------------------------------- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Reads what is available on stream k of p; closes it at end of file.
 * Returns the bytes read (0 at end of file or when nothing was there), -1
 * on a read error. */
static ssize_t drain(struct harness_proc *p, int k)
{
    char chunk[65536];
    ssize_t n = read(p->fd[k], chunk, sizeof chunk);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? 0 : -1;
    if (n == 0) {
        close_fd(&p->fd[k]);
        return 0;
    }
    size_t keep = (size_t)n;
    if (p->len[k] + keep > HARNESS_MAX_CAPTURE)
        keep = HARNESS_MAX_CAPTURE - p->len[k];
    if (p->len[k] + keep + 1 > p->cap[k]) {
        size_t cap = p->cap[k] ? p->cap[k] : 4096;
        while (cap < p->len[k] + keep + 1)
            cap *= 2;
        char *grown = realloc(p->buf[k], cap);
        if (grown == NULL)
            return -1;
        p->buf[k] = grown;
        p->cap[k] = cap;
    }
    memcpy(p->buf[k] + p->len[k], chunk, keep);
    p->len[k] += keep;
    p->buf[k][p->len[k]] = '\0';
    return n;
}

/* After the child's end: what it left in the pipes, without waiting for
 * an end of file that a process it started may hold back. */
static int drain_rest(struct harness_proc *p, double deadline)
{
    int rc = 0;
    for (int k = 0; k < 2; k++) {
        if (p->fd[k] < 0)
            continue;
        int flags = fcntl(p->fd[k], F_GETFL);
        if (flags >= 0)
            fcntl(p->fd[k], F_SETFL, flags | O_NONBLOCK);
        ssize_t n = 0;
        while (p->fd[k] >= 0 && (n = drain(p, k)) > 0 && now_seconds() < deadline) {
        }
        if (p->fd[k] >= 0 && n < 0)
            rc = -1;
        close_fd(&p->fd[k]);
    }
    return rc;
}

static char *take(char *buf, size_t len, size_t *out_len)
{
    *out_len = len;
    return buf != NULL ? buf : calloc(1, 1);
}

static void set_cloexec(int fd)
{
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0)
        fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

/* `prog` as execv() needs it: unchanged when it holds a '/', else the
 * first executable of that name on PATH (in `buf`), else NULL. */
static const char *find_program(const char *prog, char *buf, size_t size)
{
    if (strchr(prog, '/') != NULL)
        return prog;
    const char *path = getenv("PATH");
    for (const char *dir = path ? path : "/usr/bin:/bin"; *dir != '\0';) {
        size_t n = strcspn(dir, ":");
        if ((size_t)snprintf(buf, size, "%.*s/%s", (int)(n ? n : 1), n ? dir : ".", prog) <
                size &&
            access(buf, X_OK) == 0)
            return buf;
        dir += n + (dir[n] == ':');
    }
    return NULL;
}

/* In the child, between fork and exec: async-signal-safe calls only. */
static void exec_child(int out_fd, int err_fd, const char *stdout_path, const char *prog,
                       char *const *argv)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
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
    execv(prog, argv);
    static const char msg[] = "harness: cannot execute the program\n";
    (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
    _exit(127);
}

int harness_start(struct harness_proc *p, const struct harness_opts *opts,
                  const char *const *args)
{
    static const struct harness_opts defaults = {0};
    if (opts == NULL)
        opts = &defaults;
    memset(p, 0, sizeof *p);
    p->pid = -1;
    p->fd[0] = p->fd[1] = -1;

    char found[4096];
    /* FUNNELSIM_TEST_BIN runs the tests against another build (an older
     * commit's binary, to show that a test catches what it was written
     * for). */
    const char *other = getenv("FUNNELSIM_TEST_BIN");
    const char *prog = opts->prog != NULL ? opts->prog
                       : other != NULL && other[0] != '\0' ? other : FUNNELSIM_BIN;
    const char *path = find_program(prog, found, sizeof found);
    if (path == NULL) {
        errno = ENOENT;
        return -1;
    }
    char *argv[HARNESS_MAX_ARGS + 2];
    size_t n = 0;
    argv[n++] = (char *)prog;
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
    pid_t pid = fork();
    if (pid == 0)
        exec_child(out_pipe[1], err_pipe[1], opts->stdout_path, path, argv);
    int saved = errno;
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (pid < 0) {
        close(out_pipe[0]);
        close(err_pipe[0]);
        errno = saved;
        return -1;
    }
    p->pid = pid;
    p->fd[0] = out_pipe[0];
    p->fd[1] = err_pipe[0];
    return 0;
}

bool harness_running(const struct harness_proc *p)
{
    siginfo_t si;
    memset(&si, 0, sizeof si);
    if (waitid(P_PID, (id_t)p->pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0)
        return false;
    return si.si_pid == 0;
}

int harness_wait(struct harness_proc *p, double timeout_s, struct harness_result *r)
{
    memset(r, 0, sizeof *r);
    r->exit_code = -1;
    double start = now_seconds(), deadline = start + timeout_s;
    int rc = 0, status = 0;
    bool ended = false;
    while (!ended) {
        pid_t w = waitpid(p->pid, &status, WNOHANG);
        if (w == p->pid) {
            ended = true;
            break;
        }
        if (w < 0 && errno != EINTR) {
            rc = -1;
            break;
        }
        double left = deadline - now_seconds();
        if (left <= 0.0) {
            kill(p->pid, SIGKILL);
            r->timed_out = true;
            break;
        }
        struct pollfd pfd[2];
        nfds_t nfd = 0;
        for (int k = 0; k < 2; k++)
            if (p->fd[k] >= 0)
                pfd[nfd++] = (struct pollfd){.fd = p->fd[k], .events = POLLIN};
        /* With both pipes closed, the end comes within a few ms. */
        int ms = nfd > 0 ? HARNESS_POLL_MS : 2;
        if (left * 1000.0 < ms)
            ms = (int)(left * 1000.0) + 1;
        int ready = poll(pfd, nfd, ms);
        if (ready < 0 && errno != EINTR) {
            rc = -1;
            kill(p->pid, SIGKILL);
            break;
        }
        for (nfds_t i = 0; ready > 0 && i < nfd; i++) {
            if (pfd[i].revents == 0)
                continue;
            int k = pfd[i].fd == p->fd[0] ? 0 : 1;
            if (drain(p, k) < 0) {
                rc = -1;
                close_fd(&p->fd[k]);
            }
        }
    }
    if (!ended)
        while (waitpid(p->pid, &status, 0) < 0)
            if (errno != EINTR) {
                rc = -1;
                break;
            }
    r->seconds = now_seconds() - start;
    if (drain_rest(p, now_seconds() + 1.0) != 0)
        rc = -1;
    r->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    r->out = take(p->buf[0], p->len[0], &r->out_len);
    r->err = take(p->buf[1], p->len[1], &r->err_len);
    memset(p, 0, sizeof *p);
    p->pid = -1;
    p->fd[0] = p->fd[1] = -1;
    if (r->out == NULL || r->err == NULL)
        rc = -1;
    return rc;
}

int harness_spawn(struct harness_result *r, const struct harness_opts *opts,
                  const char *const *args)
{
    struct harness_proc p;
    if (harness_start(&p, opts, args) != 0) {
        int saved = errno;
        memset(r, 0, sizeof *r);
        r->exit_code = -1;
        errno = saved;
        return -1;
    }
    return harness_wait(&p, HARNESS_TIMEOUT_S, r);
}

int harness_runv(struct harness_result *r, const char *const *args)
{
    return harness_spawn(r, NULL, args);
}

int harness_runv_stdout(struct harness_result *r, const char *stdout_path,
                        const char *const *args)
{
    const struct harness_opts opts = {.stdout_path = stdout_path};
    return harness_spawn(r, &opts, args);
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
        snprintf(status, sizeof status, "timed out after %.0f s", r->seconds);
    else if (r->signal != 0)
        snprintf(status, sizeof status, "killed by signal %d", r->signal);
    else
        snprintf(status, sizeof status, "exit %d", r->exit_code);
    snprintf(text, sizeof text, "%s; stdout %zu bytes; stderr: %.700s", status,
             r->out_len, r->err ? r->err : "(none)");
    return text;
}

/* ---- files ------------------------------------------------------------------------ */

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

char *harness_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    cr_assert_not_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

size_t harness_entries(const char *dir, char *hidden, size_t size)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot list %s: %s", dir, strerror(errno));
    size_t n = 0;
    if (hidden != NULL && size > 0)
        hidden[0] = '\0';
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (e->d_name[0] == '.' && hidden != NULL && size > 0 && hidden[0] == '\0')
            snprintf(hidden, size, "%s", e->d_name);
        n++;
    }
    closedir(d);
    return n;
}

/* ---- text ------------------------------------------------------------------------- */

bool harness_contains(const char *s, const char *part)
{
    return s != NULL && strstr(s, part) != NULL;
}

size_t harness_count_lines(const char *text)
{
    size_t n = 0;
    for (const char *c = text; *c; c++)
        n += *c == '\n';
    return n;
}

size_t harness_split_lines(char *text, char **lines, size_t max)
{
    size_t n = 0;
    cr_assert(text[0] == '\0' || text[strlen(text) - 1] == '\n',
              "the text does not end with a newline");
    for (char *p = text; *p != '\0';) {
        char *nl = strchr(p, '\n');
        cr_assert_lt(n, max, "too many lines");
        *nl = '\0';
        lines[n++] = p;
        p = nl + 1;
    }
    return n;
}

const char *harness_first_difference(const char *a, const char *b)
{
    static char text[600];
    size_t line = 1;
    const char *la = a, *lb = b;
    for (; *a != '\0' && *a == *b; a++, b++)
        if (*a == '\n') {
            line++;
            la = a + 1;
            lb = b + 1;
        }
    int na = (int)strcspn(la, "\n"), nb = (int)strcspn(lb, "\n");
    snprintf(text, sizeof text, "line %zu: \"%.*s\" vs \"%.*s\"", line,
             na > 250 ? 250 : na, la, nb > 250 ? 250 : nb, lb);
    return text;
}

bool harness_same_output(const struct harness_result *x, const struct harness_result *y)
{
    return x->out_len == y->out_len && memcmp(x->out, y->out, x->out_len) == 0;
}

/* ---- assertions --------------------------------------------------------------------- */

void harness_assert_no_crash(const struct harness_result *r)
{
    cr_assert(!r->timed_out, "the program hung: %s", harness_describe(r));
    cr_assert_eq(r->signal, 0, "the program crashed: %s", harness_describe(r));
}

void harness_assert_exit(const struct harness_result *r, int code)
{
    harness_assert_no_crash(r);
    cr_assert_eq(r->exit_code, code, "expected exit %d: %s\nstdout: %.300s", code,
                 harness_describe(r), r->out != NULL ? r->out : "");
}

void harness_assert_error(const struct harness_result *r, int code,
                          const char *const *fragments)
{
    harness_assert_no_crash(r);
    cr_assert_eq(r->exit_code, code, "expected exit %d: %s", code, harness_describe(r));
    cr_assert_eq(r->out_len, 0, "an error must print nothing on stdout, got: %.300s", r->out);
    for (; *fragments != NULL; fragments++)
        cr_assert(strstr(r->err, *fragments) != NULL,
                  "stderr should contain \"%s\": %s", *fragments, r->err);
}

void harness_assert_usage(const char *const *args, const char *const *fragments)
{
    struct harness_result r;
    cr_assert_eq(harness_runv(&r, args), 0, "cannot run %s: %s", FUNNELSIM_BIN,
                 strerror(errno));
    harness_assert_error(&r, 2, fragments);
    harness_free(&r);
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

char *harness_json_without(const char *text, const char *key)
{
    cJSON *root = cJSON_Parse(text);
    cr_assert_not_null(root, "not JSON:\n%.300s", text);
    cJSON_DeleteItemFromObjectCaseSensitive(root, key);
    char *out = cJSON_Print(root);
    cr_assert_not_null(out);
    cJSON_Delete(root);
    return out;
}

double harness_number(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    cr_assert(cJSON_IsNumber(item), "no number '%s'", key);
    return item->valuedouble;
}

const cJSON *harness_item(const cJSON *obj, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    cr_assert_not_null(it, "no '%s'", key);
    return it;
}

double harness_element(const cJSON *arr, int i)
{
    const cJSON *it = cJSON_GetArrayItem(arr, i);
    cr_assert(cJSON_IsNumber(it), "element %d is not a number", i);
    return it->valuedouble;
}
