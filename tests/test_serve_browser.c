/* SPDX-License-Identifier: MIT */
/*
 * test_serve_browser.c - the what-if page in a real browser (medium tier:
 * `make test`, not `make check`).
 *
 * Starts `funnelsim serve scenarios/article-baseline.json --port 0` and
 * Debian's headless Chromium, and drives the page over the DevTools
 * protocol on a pipe (tests/cdp.h; docs/design.md section 10 says why):
 * opens the printed address, moves the novices' headcount ("managers in
 * group 'novices'") and the web channel's inflow ("web leads a week"),
 * found by their labels, waits for the answer, reads the junk rate the
 * page shows, and checks it against POST /api/run with the settings the
 * page sent: the same mean to the last bit, and the same text.  It also
 * checks the page answered within 300 ms of the change, that the token
 * left the address bar and the settings are in its fragment, and writes a
 * screenshot to build/serve-screenshot.png.  Every wait has a deadline;
 * the server and the browser's process group are killed at the end.
 * Without /usr/bin/chromium the test fails (`make deps` installs it).
 */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "tests/cdp.h"

#define CHROMIUM "/usr/bin/chromium"
#define STEP_S 20.0                 /* the deadline of each wait */
#define SCREENSHOT FUNNELSIM_SRCDIR "/build/serve-screenshot.png"

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

/* ---- the server ------------------------------------------------------------- */

struct server {
    pid_t pid;
    char url[512];          /* the printed address, whole */
    int port;
    char token[128];
};

static void server_start(struct server *s)
{
    int out[2];
    cr_assert_eq(pipe(out), 0);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        if (chdir(FUNNELSIM_SRCDIR) != 0)
            _exit(127);
        execl(FUNNELSIM_BIN, FUNNELSIM_BIN, "serve", "scenarios/article-baseline.json",
              "--port", "0", (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    s->pid = pid;
    /* The address is the first line it prints. */
    char buf[512];
    size_t len = 0;
    double deadline = now_s() + STEP_S;
    while (len + 1 < sizeof buf && memchr(buf, '\n', len) == NULL && now_s() < deadline) {
        struct pollfd p = {.fd = out[0], .events = POLLIN};
        if (poll(&p, 1, 200) <= 0)
            continue;
        ssize_t n = read(out[0], buf + len, sizeof buf - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    close(out[0]);
    char *nl = strchr(buf, '\n');
    cr_assert_not_null(nl, "funnelsim serve printed no address: \"%s\"", buf);
    *nl = '\0';
    cr_assert(sscanf(buf, "http://127.0.0.1:%d/?token=%127s", &s->port, s->token) == 2,
              "not an address: \"%s\"", buf);
    snprintf(s->url, sizeof s->url, "%s", buf);
}

static void server_stop(struct server *s)
{
    if (s->pid <= 0)
        return;
    kill(s->pid, SIGTERM);
    int status = 0;
    double deadline = now_s() + 5;
    while (waitpid(s->pid, &status, WNOHANG) == 0) {
        if (now_s() > deadline) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, &status, 0);
            break;
        }
        pause_ms(20);
    }
    s->pid = -1;
}

/* POST `body` to `path` with the token: the answer's body (the caller
 * frees it); the status in *status. */
static char *post(const struct server *s, const char *path, const char *body, int *status)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0, "connect: %s", strerror(errno));
    char head[1024];
    int n = snprintf(head, sizeof head,
                     "POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: Bearer %s\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n", path, s->port, s->token, strlen(body));
    cr_assert(write(fd, head, (size_t)n) == n);
    cr_assert(write(fd, body, strlen(body)) == (ssize_t)strlen(body));
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    double deadline = now_s() + STEP_S;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        cr_assert(now_s() < deadline, "no answer from %s", path);
        if (poll(&p, 1, 200) <= 0)
            continue;
        if (len + 1 == cap)
            buf = realloc(buf, cap *= 2);
        ssize_t r = read(fd, buf + len, cap - 1 - len);
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    buf[len] = '\0';
    cr_assert(sscanf(buf, "HTTP/1.%*d %d", status) == 1, "no status line");
    char *start = strstr(buf, "\r\n\r\n");
    cr_assert_not_null(start);
    char *out = strdup(start + 4);
    free(buf);
    return out;
}

/* ---- the page ------------------------------------------------------------------ */

/* Polls `expr` until it is true, within the deadline. */
static void wait_for(struct cdp *c, const char *session, const char *expr, const char *what)
{
    double deadline = now_s() + STEP_S;
    for (;;) {
        cJSON *v = cdp_eval(c, session, expr, STEP_S);
        bool ok = cJSON_IsTrue(v);
        cJSON_Delete(v);
        if (ok)
            return;
        cr_assert(now_s() < deadline, "the page: %s not within %.0f s (%s)", what, STEP_S,
                  c->error);
        pause_ms(50);
    }
}

static cJSON *eval(struct cdp *c, const char *session, const char *expr)
{
    cJSON *v = cdp_eval(c, session, expr, STEP_S);
    cr_assert_not_null(v, "%s", c->error);
    return v;
}

static int b64(int ch)
{
    const char *set = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = ch ? strchr(set, ch) : NULL;
    return p != NULL ? (int)(p - set) : -1;
}

/* Decodes base64 `in` into `out` (at least 3/4 of its length): bytes. */
static size_t base64_decode(const char *in, unsigned char *out)
{
    size_t n = 0;
    unsigned v = 0;
    int bits = 0;
    for (; *in != '\0' && *in != '='; in++) {
        int d = b64(*in);
        if (d < 0)
            continue;
        v = (v << 6) | (unsigned)d;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(v >> bits);
        }
    }
    return n;
}

static void screenshot(struct cdp *c, const char *session)
{
    cJSON *r = cdp_call(c, session, "Page.captureScreenshot", NULL, STEP_S);
    cr_assert_not_null(r, "%s", c->error);
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(r, "data");
    cr_assert(cJSON_IsString(data));
    unsigned char *png = malloc(strlen(data->valuestring));
    size_t n = base64_decode(data->valuestring, png);
    cr_assert(n > 8 && memcmp(png, "\x89PNG", 4) == 0, "not a PNG");
    mkdir(FUNNELSIM_SRCDIR "/build", 0755);
    FILE *fp = fopen(SCREENSHOT, "wb");
    cr_assert_not_null(fp, "%s: %s", SCREENSHOT, strerror(errno));
    cr_assert_eq(fwrite(png, 1, n, fp), n);
    cr_assert_eq(fclose(fp), 0);
    free(png);
    cJSON_Delete(r);
}

static struct server srv = {.pid = -1};
static struct cdp cdp = {.pid = -1};
static char tmpdir[] = "/tmp/funnelsim-browser-XXXXXX";

static void teardown(void)
{
    cdp_stop(&cdp);
    server_stop(&srv);
}

/* Sets the control labelled `label` to `value` as a user would (an input
 * event on its number box). */
#define MOVE_JS                                                                         \
    "(function (label, value) {"                                                       \
    "  const l = [...document.querySelectorAll('label')]"                              \
    "    .find((x) => x.textContent === label);"                                       \
    "  if (!l) throw new Error('no control labelled ' + label);"                       \
    "  const el = document.getElementById(l.htmlFor);"                                 \
    "  el.value = value;"                                                               \
    "  el.dispatchEvent(new Event('input', {bubbles: true}));"                         \
    "  return true;"                                                                    \
    "})(%s, %s)"

Test(serve_browser, the_page_shows_what_api_run_answers, .fini = teardown, .timeout = 120)
{
    cr_assert(access(CHROMIUM, X_OK) == 0,
              "%s missing: install Debian's chromium package (make deps does)", CHROMIUM);
    cr_assert_not_null(mkdtemp(tmpdir));
    server_start(&srv);

    char profile[256], log[256];
    snprintf(profile, sizeof profile, "%s/profile", tmpdir);
    snprintf(log, sizeof log, "%s/chromium.log", tmpdir);
    cr_assert_eq(cdp_start(&cdp, CHROMIUM, profile, log), 0, "%s", cdp.error);
    char *session = cdp_open_page(&cdp, STEP_S);
    cr_assert_not_null(session, "no page: %s", cdp.error);

    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "url", srv.url);
    cJSON *nav = cdp_call(&cdp, session, "Page.navigate", p, STEP_S);
    cr_assert_not_null(nav, "%s", cdp.error);
    cJSON_Delete(nav);
    wait_for(&cdp, session, "document.body && document.body.dataset.answered !== undefined",
             "first answer");
    cJSON *first = eval(&cdp, session, "document.getElementById('junk-rate').dataset.value");
    cr_assert(cJSON_IsString(first));
    cJSON_Delete(first);

    /* A quiet page (its curve drawn), then the two controls, by their
     * labels (the key table's). */
    wait_for(&cdp, session,
             "document.getElementById('curve-status').textContent.startsWith('16 points')",
             "the first curve");
    char js[2048];
    snprintf(js, sizeof js,
             "window.__before = document.body.dataset.answered;"
             "window.__t0 = performance.now();" MOVE_JS ";" MOVE_JS,
             "\"managers in group 'novices'\"", "7", "'web leads a week'", "220");
    cJSON_Delete(eval(&cdp, session, js));
    wait_for(&cdp, session,
             "document.body.dataset.answered !== window.__before && "
             "document.getElementById('status').textContent.startsWith('From ')",
             "the answer after the change");

    cJSON *got = eval(&cdp, session,
                      "JSON.stringify({set: settings(),"
                      " shown: document.getElementById('junk-rate').textContent,"
                      " mean: +document.getElementById('junk-rate').dataset.value,"
                      " ms: +document.body.dataset.quickAt - window.__t0,"
                      " full_ms: +document.body.dataset.answeredAt - window.__t0,"
                      " status: document.getElementById('status').textContent,"
                      " search: location.search, hash: location.hash})");
    cr_assert(cJSON_IsString(got));
    cJSON *page = cJSON_Parse(got->valuestring);
    cJSON_Delete(got);
    cr_assert_not_null(page);
    const cJSON *set = cJSON_GetObjectItem(page, "set");
    cr_expect_eq(cJSON_GetObjectItem(set, "team[1].count")->valuedouble, 7);
    cr_expect_eq(cJSON_GetObjectItem(set, "channels[0].arrivals.per_week")->valuedouble, 220);
    cr_expect_eq(cJSON_GetArraySize(set), 2, "only the two moved controls are set");
    double ms = cJSON_GetObjectItem(page, "ms")->valuedouble;
    cr_log_info("the page answered %.0f ms after the change (quick answer), the full run "
                "%.0f ms after it; it says: %s", ms, cJSON_GetObjectItem(page, "full_ms")->valuedouble,
                cJSON_GetObjectItem(page, "status")->valuestring);
    cr_expect(ms < 300, "the page took %.0f ms to answer a change", ms);
    cr_expect_str_empty(cJSON_GetObjectItem(page, "search")->valuestring,
                        "the token is still in the address");
    const char *hash = cJSON_GetObjectItem(page, "hash")->valuestring;
    cr_expect(strstr(hash, "team%5B1%5D.count=7") != NULL, "fragment: %s", hash);

    /* The same settings through the API. */
    cJSON *req = cJSON_CreateObject();
    cJSON_AddItemToObject(req, "set", cJSON_Duplicate(set, true));
    char *body = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    int status = 0;
    char *answer = post(&srv, "/api/run", body, &status);
    free(body);
    cr_assert_eq(status, 200, "/api/run: %d %s", status, answer);
    cJSON *run = cJSON_Parse(answer);
    free(answer);
    cr_assert_not_null(run);
    const cJSON *junk = cJSON_GetObjectItem(run, "junk_rate");
    double mean = cJSON_GetObjectItem(junk, "mean")->valuedouble;
    cr_expect_eq(cJSON_GetObjectItem(page, "mean")->valuedouble, mean,
                 "the page shows %.17g, /api/run answers %.17g",
                 cJSON_GetObjectItem(page, "mean")->valuedouble, mean);
    const cJSON *ci = cJSON_GetObjectItem(junk, "ci95");
    char text[128];
    snprintf(text, sizeof text, "%.1f%% (95%% CI %.1f%% to %.1f%%)", 100 * mean,
             100 * cJSON_GetArrayItem(ci, 0)->valuedouble,
             100 * cJSON_GetArrayItem(ci, 1)->valuedouble);
    cr_expect_str_eq(cJSON_GetObjectItem(page, "shown")->valuestring, text);
    cJSON_Delete(run);
    cJSON_Delete(page);

    /* The curve refined, then the picture for the closing note. */
    wait_for(&cdp, session,
             "document.getElementById('curve-status').textContent.startsWith('16 points')",
             "the refined curve");
    screenshot(&cdp, session);
    free(session);
}
