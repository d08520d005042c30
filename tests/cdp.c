/* SPDX-License-Identifier: MIT */
/*
 * cdp.c - the DevTools protocol over a pipe (cdp.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/cdp.h"

#define CDP_MESSAGE_MAX (64u << 20)     /* a screenshot fits in a few MiB */

static void pause_ms(long ms)
{
    struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void fail(struct cdp *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->error, sizeof c->error, fmt, ap);
    va_end(ap);
}

int cdp_start(struct cdp *c, const char *chromium, const char *user_dir, const char *log)
{
    memset(c, 0, sizeof *c);
    c->pid = -1;
    c->next_id = 1;
    int to[2], from[2];
    if (pipe(to) != 0)
        return fail(c, "pipe: %s", strerror(errno)), -1;
    if (pipe(from) != 0) {
        close(to[0]), close(to[1]);
        return fail(c, "pipe: %s", strerror(errno)), -1;
    }
    char profile[1200];
    snprintf(profile, sizeof profile, "--user-data-dir=%s", user_dir);
    pid_t pid = fork();
    if (pid < 0)
        return fail(c, "fork: %s", strerror(errno)), -1;
    if (pid == 0) {
        setpgid(0, 0);
        /* fds 3 and 4 must be exactly these pipe ends: move them above 4
         * first, so that dup2 cannot close one while placing the other. */
        int r = fcntl(to[0], F_DUPFD, 10), w = fcntl(from[1], F_DUPFD, 10);
        if (r < 0 || w < 0 || dup2(r, 3) < 0 || dup2(w, 4) < 0)
            _exit(127);
        int out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int in = open("/dev/null", O_RDONLY);
        if (out >= 0)
            dup2(out, 1), dup2(out, 2);
        if (in >= 0)
            dup2(in, 0);
        for (int fd = 5; fd < 1024; fd++)
            close(fd);
        execl(chromium, chromium, "--headless", "--no-sandbox", "--disable-gpu",
              "--disable-quic", "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--disable-extensions",
              "--window-size=1300,1400", "--remote-debugging-pipe", profile,
              "about:blank", (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    close(to[0]);
    close(from[1]);
    c->pid = pid;
    c->to_browser = to[1];
    c->from_browser = from[0];
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The next whole message, parsed, or NULL at the deadline or on EOF. */
static cJSON *next_message(struct cdp *c, double deadline)
{
    for (;;) {
        char *nul = c->len ? memchr(c->buf, '\0', c->len) : NULL;
        if (nul != NULL) {
            cJSON *m = cJSON_Parse(c->buf);
            size_t used = (size_t)(nul - c->buf) + 1;
            memmove(c->buf, c->buf + used, c->len - used);
            c->len -= used;
            if (m != NULL)
                return m;
            continue;
        }
        double left = deadline - now_s();
        if (left <= 0) {
            fail(c, "no answer from the browser in time");
            return NULL;
        }
        struct pollfd p = {.fd = c->from_browser, .events = POLLIN};
        int r = poll(&p, 1, (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        if (c->cap - c->len < 65536) {
            if (c->cap >= CDP_MESSAGE_MAX) {
                fail(c, "a message over %u bytes", CDP_MESSAGE_MAX);
                return NULL;
            }
            c->cap = c->cap ? 2 * c->cap : 1u << 20;
            c->buf = realloc(c->buf, c->cap);
            if (c->buf == NULL)
                abort();
        }
        ssize_t n = read(c->from_browser, c->buf + c->len, c->cap - c->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fail(c, "the browser closed its pipe");
            return NULL;
        }
        c->len += (size_t)n;
    }
}

cJSON *cdp_call(struct cdp *c, const char *session, const char *method, cJSON *params,
                double timeout_s)
{
    int id = c->next_id++;
    cJSON *msg = cJSON_CreateObject();
    cJSON_AddNumberToObject(msg, "id", id);
    cJSON_AddStringToObject(msg, "method", method);
    cJSON_AddItemToObject(msg, "params", params != NULL ? params : cJSON_CreateObject());
    if (session != NULL)
        cJSON_AddStringToObject(msg, "sessionId", session);
    char *text = cJSON_PrintUnformatted(msg);
    cJSON_Delete(msg);
    int rc = write_all(c->to_browser, text, strlen(text) + 1);  /* with its NUL */
    free(text);
    if (rc != 0) {
        fail(c, "%s: cannot write to the browser", method);
        return NULL;
    }
    double deadline = now_s() + timeout_s;
    for (;;) {
        cJSON *m = next_message(c, deadline);
        if (m == NULL)
            return NULL;
        const cJSON *mid = cJSON_GetObjectItemCaseSensitive(m, "id");
        if (!cJSON_IsNumber(mid) || mid->valueint != id) {
            cJSON_Delete(m);
            continue;
        }
        cJSON *result = cJSON_DetachItemFromObjectCaseSensitive(m, "result");
        if (result == NULL) {
            char *e = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(m, "error"));
            fail(c, "%s: %s", method, e != NULL ? e : "no result");
            free(e);
        }
        cJSON_Delete(m);
        return result;
    }
}

char *cdp_open_page(struct cdp *c, double timeout_s)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "url", "about:blank");
    cJSON *r = cdp_call(c, NULL, "Target.createTarget", p, timeout_s);
    const cJSON *tid = cJSON_GetObjectItemCaseSensitive(r, "targetId");
    if (!cJSON_IsString(tid)) {
        cJSON_Delete(r);
        return NULL;
    }
    p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "targetId", tid->valuestring);
    cJSON_AddBoolToObject(p, "flatten", 1);
    cJSON_Delete(r);
    r = cdp_call(c, NULL, "Target.attachToTarget", p, timeout_s);
    const cJSON *sid = cJSON_GetObjectItemCaseSensitive(r, "sessionId");
    char *session = NULL;
    if (cJSON_IsString(sid)) {
        session = strdup(sid->valuestring);
        if (session == NULL)
            abort();
    }
    cJSON_Delete(r);
    return session;
}

cJSON *cdp_eval(struct cdp *c, const char *session, const char *expr, double timeout_s)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "expression", expr);
    cJSON_AddBoolToObject(p, "returnByValue", 1);
    cJSON_AddBoolToObject(p, "awaitPromise", 1);
    cJSON *r = cdp_call(c, session, "Runtime.evaluate", p, timeout_s);
    if (r == NULL)
        return NULL;
    const cJSON *exc = cJSON_GetObjectItemCaseSensitive(r, "exceptionDetails");
    if (exc != NULL) {
        char *e = cJSON_PrintUnformatted(exc);
        fail(c, "%s: threw %.400s", expr, e != NULL ? e : "");
        free(e);
        cJSON_Delete(r);
        return NULL;
    }
    cJSON *res = cJSON_GetObjectItemCaseSensitive(r, "result");
    cJSON *value = cJSON_DetachItemFromObjectCaseSensitive(res, "value");
    cJSON_Delete(r);
    return value != NULL ? value : cJSON_CreateNull();
}

void cdp_stop(struct cdp *c)
{
    if (c->pid > 0) {
        cJSON_Delete(cdp_call(c, NULL, "Browser.close", NULL, 3));
        close(c->to_browser);
        close(c->from_browser);
        int status;
        double deadline = now_s() + 5;
        while (waitpid(c->pid, &status, WNOHANG) == 0) {
            if (now_s() > deadline) {
                kill(-c->pid, SIGKILL);
                waitpid(c->pid, &status, 0);
                break;
            }
            pause_ms(20);
        }
        /* Helpers left in the group go with it. */
        kill(-c->pid, SIGKILL);
        c->pid = -1;
    }
    free(c->buf);
    c->buf = NULL;
    c->len = c->cap = 0;
}
