/*
 * test_serve.c - `funnelsim serve` as a client meets it: the real binary
 * started on 127.0.0.1 with --port 0, its printed address read back, and
 * requests over plain sockets (a few lines of HTTP/1.1 with
 * "Connection: close" need no client library).
 *
 * Asserted: POST /api/run answers byte for byte what `funnelsim run --set
 * ... --format json` prints, /api/sweep what `sweep --format json` prints;
 * /api/scenario gives a file that `run`
 * reproduces; the refusals: 400 (bad JSON, unknown key with the loader's
 * own message, work over the documented limit, a key that names a file), 401 (no token, wrong
 * token), 403 (foreign Host, foreign Origin), 404 (path traversal), 413
 * (a body over 64 KiB), 503 (a pool of one simulation and no queue, made
 * with FUNNELSIM_SERVE_POOL, while another request runs); the token
 * exchange (303 to "/", an HttpOnly SameSite=Strict cookie that then
 * authorises); a Content-Security-Policy on every answer; SIGTERM ends it
 * with exit 0.  Every request and the server itself are bounded in time.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "tests/cli_harness.h"

#define SCN "scenarios/default.json"

struct server {
    struct harness_proc proc;
    char *dir, *out_path;
    unsigned port;
    char token[64];
    char host[64];
};

/* The server of the running test, killed by its .fini when an assertion
 * ended the test before server_stop() (it would outlive the test). */
static pid_t running_server;

static void kill_leftover(void)
{
    if (running_server > 0)
        kill(running_server, SIGKILL);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Starts the server (pool: FUNNELSIM_SERVE_POOL, NULL: the default) and
 * reads its address from its standard output (a file). */
static void server_start(struct server *s, const char *pool)
{
    memset(s, 0, sizeof *s);
    if (pool != NULL)
        setenv("FUNNELSIM_SERVE_POOL", pool, 1);
    s->dir = harness_tmpdir();
    s->out_path = harness_path(s->dir, "out");
    FILE *fp = fopen(s->out_path, "w");
    cr_assert_not_null(fp);
    fclose(fp);
    struct harness_opts opts = {.stdout_path = s->out_path};
    const char *args[] = {"serve", SCN, "--port", "0", NULL};
    cr_assert_eq(harness_start(&s->proc, &opts, args), 0);
    running_server = s->proc.pid;
    for (int i = 0; i < 200 && s->port == 0; i++) {
        sleep_ms(50);
        size_t len;
        char *text = harness_read_file(s->out_path, &len);
        if (text != NULL &&
            sscanf(text, "http://127.0.0.1:%u/?token=%32[0-9a-f]", &s->port, s->token) != 2)
            s->port = 0;
        free(text);
    }
    cr_assert_neq(s->port, 0, "the server printed no address in 10 s");
    cr_assert_eq(strlen(s->token), 32, "a 128-bit token in hex");
    snprintf(s->host, sizeof s->host, "127.0.0.1:%u", s->port);
}

/* SIGTERM: it stops cleanly, exit 0. */
static void server_stop(struct server *s)
{
    kill(s->proc.pid, SIGTERM);
    struct harness_result r;
    cr_assert_eq(harness_wait(&s->proc, 20.0, &r), 0);
    running_server = 0;
    harness_assert_exit(&r, 0);
    harness_free(&r);
    harness_rmtree(s->dir);
    free(s->dir);
    free(s->out_path);
}

struct reply {
    int status;
    char *head;             /* status line and headers */
    char *body;
    size_t len;
};

static void reply_free(struct reply *r)
{
    free(r->head);
    r->body = NULL;
}

static int connect_to(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(fd, 0);
    struct timeval tv = {60, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

/* Sends a request: `headers` are extra lines, each ending in \r\n. */
static int send_request(unsigned port, const char *method, const char *path,
                        const char *host, const char *headers, const char *body, size_t len)
{
    int fd = connect_to(port);
    char head[2048];
    int n = snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n"
                     "%sContent-Length: %zu\r\n\r\n", method, path, host, headers, len);
    cr_assert_eq(send(fd, head, (size_t)n, MSG_NOSIGNAL), n);
    size_t sent = 0;
    while (sent < len) {
        ssize_t k = send(fd, body + sent, len - sent, MSG_NOSIGNAL);
        if (k <= 0)
            break;      /* the server may refuse before reading it all */
        sent += (size_t)k;
    }
    return fd;
}

static struct reply read_reply(int fd)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    ssize_t k;
    while ((k = recv(fd, buf + n, cap - n - 1, 0)) > 0) {
        n += (size_t)k;
        if (cap - n - 1 == 0)
            buf = realloc(buf, cap *= 2);
    }
    close(fd);
    buf[n] = '\0';
    struct reply r = {0};
    r.head = buf;
    cr_assert_eq(sscanf(buf, "HTTP/1.1 %d", &r.status), 1, "no reply: %.200s", buf);
    char *sep = strstr(buf, "\r\n\r\n");
    cr_assert_not_null(sep);
    *sep = '\0';
    r.body = sep + 4;
    r.len = n - (size_t)(r.body - buf);
    cr_assert(harness_contains(r.head, "Content-Security-Policy: default-src 'self'"),
              "no CSP:\n%s", r.head);
    return r;
}

static struct reply request(const struct server *s, const char *method, const char *path,
                            const char *headers, const char *body)
{
    return read_reply(send_request(s->port, method, path, s->host, headers, body,
                                   body ? strlen(body) : 0));
}

/* A POST to the API with the token as a Bearer. */
static struct reply api(const struct server *s, const char *path, const char *body)
{
    char auth[128];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s\r\n", s->token);
    return request(s, "POST", path, auth, body);
}

static void assert_status(const struct reply *r, int status, const char *part)
{
    cr_assert_eq(r->status, status, "status %d, wanted %d: %s", r->status, status, r->body);
    if (part != NULL)
        cr_assert(harness_contains(r->body, part), "no '%s' in %s", part, r->body);
}

Test(serve, run_answers_what_run_prints, .timeout = 120, .fini = kill_leftover)
{
    struct server s;
    server_start(&s, NULL);
    struct reply r = api(&s, "/api/run", "{\"set\": {\"team[1].count\": 7, \"replications\": 6}}");
    assert_status(&r, 200, NULL);
    struct harness_result cli;
    harness_run(&cli, "run", SCN, "--set", "team[1].count=7", "--set", "replications=6",
                "--format", "json", "--quiet", NULL);
    harness_assert_exit(&cli, 0);
    cr_assert_str_eq(r.body, cli.out, "first difference: %.200s",
                     harness_first_difference(r.body, cli.out));
    harness_free(&cli);
    reply_free(&r);

    /* The downloaded scenario reproduces the run (its file name aside). */
    r = api(&s, "/api/scenario", "{\"set\": {\"team[1].count\": 7, \"replications\": 6}}");
    assert_status(&r, 200, NULL);
    char *file = harness_path(s.dir, "whatif.json");
    FILE *fp = fopen(file, "w");
    fwrite(r.body, 1, r.len, fp);
    fclose(fp);
    reply_free(&r);
    r = api(&s, "/api/run", "{\"set\": {\"team[1].count\": 7, \"replications\": 6}}");
    harness_run(&cli, "run", file, "--format", "json", "--quiet", NULL);
    harness_assert_exit(&cli, 0);
    char *a = harness_json_without(r.body, "file"), *b = harness_json_without(cli.out, "file");
    /* the overrides list differs: the file holds them as values */
    cJSON *ja = cJSON_Parse(a), *jb = cJSON_Parse(b);
    cJSON_DeleteItemFromObjectCaseSensitive(ja, "overrides");
    cJSON_DeleteItemFromObjectCaseSensitive(jb, "overrides");
    cr_assert(cJSON_Compare(ja, jb, true), "the scenario file does not reproduce the run");
    cJSON_Delete(ja);
    cJSON_Delete(jb);
    free(a);
    free(b);
    free(file);
    harness_free(&cli);
    reply_free(&r);
    server_stop(&s);
}

Test(serve, bad_requests_are_400_with_the_loaders_message, .timeout = 60, .fini = kill_leftover)
{
    struct server s;
    server_start(&s, NULL);
    struct reply r = api(&s, "/api/run", "{\"set\": {");
    assert_status(&r, 400, "JSON object");
    reply_free(&r);
    r = api(&s, "/api/run", "{\"set\": {\"team[1].cuont\": 7}}");
    assert_status(&r, 400, "--set team[1].cuont: unknown key (did you mean \\\"count\\\"?)");
    reply_free(&r);
    /* the same message as the command line's */
    struct harness_result cli;
    harness_run(&cli, "run", SCN, "--set", "team[1].cuont=7", NULL);
    harness_assert_exit(&cli, 2);
    cr_assert(harness_contains(cli.err, "--set team[1].cuont: unknown key"));
    harness_free(&cli);
    r = api(&s, "/api/run", "{\"set\": {\"team[1].count\": -3}}");
    assert_status(&r, 400, "team[1].count");
    reply_free(&r);
    r = api(&s, "/api/run", "{\"set\": {\"team[1].count\": [1, 2]}}");
    assert_status(&r, 400, "must be a number");
    reply_free(&r);
    /* work: 1000 replications of 182 days of 600 leads a week is over */
    r = api(&s, "/api/run", "{\"set\": {\"replications\": 1000}}");
    assert_status(&r, 400, "5,000,000");
    reply_free(&r);
    r = api(&s, "/api/sweep", "{\"vary\": \"team[1].count\", \"from\": 1, \"to\": 9, \"steps\": 42}");
    assert_status(&r, 400, "41");
    reply_free(&r);
    server_stop(&s);
}

/* A key whose value names a file (a trace channel's `file`, tagged
 * KEYTAB_NAMES_FILE) is never taken from a request: the server would read
 * any file its user can.  The command line takes it (a test of trace). */
Test(serve, a_file_naming_key_is_400, .timeout = 60, .fini = kill_leftover)
{
    struct server s;
    server_start(&s, NULL);
    struct reply r = api(&s, "/api/run",
                         "{\"set\": {\"channels[0].arrivals.file\": \"/etc/passwd\"}}");
    assert_status(&r, 400, "channels[0].arrivals.file");
    cr_assert(harness_contains(r.body, "names a file"), "%s", r.body);
    reply_free(&r);
    r = api(&s, "/api/scenario",
            "{\"set\": {\"channels[0].arrivals.file\": \"x.csv\"}}");
    assert_status(&r, 400, "channels[0].arrivals.file");
    reply_free(&r);
    r = api(&s, "/api/sweep", "{\"vary\": \"channels[0].arrivals.file\", \"from\": 1, "
            "\"to\": 2, \"steps\": 2}");
    assert_status(&r, 400, "channels[0].arrivals.file");
    reply_free(&r);
    server_stop(&s);
}

Test(serve, the_token_is_needed_and_set_as_a_strict_cookie, .timeout = 60, .fini = kill_leftover)
{
    struct server s;
    server_start(&s, NULL);
    struct reply r = request(&s, "GET", "/api/meta", "", NULL);
    assert_status(&r, 401, NULL);
    reply_free(&r);
    r = request(&s, "POST", "/api/run", "Authorization: Bearer 0123456789abcdef0123456789abcdef\r\n",
                "{}");
    assert_status(&r, 401, NULL);
    reply_free(&r);
    r = request(&s, "GET", "/", "Cookie: funnelsim_token=00\r\n", NULL);
    assert_status(&r, 401, NULL);
    reply_free(&r);
    r = request(&s, "GET", "/?token=00112233445566778899aabbccddeeff", "", NULL);
    assert_status(&r, 401, NULL);
    reply_free(&r);
    char path[128], cookie[128];
    snprintf(path, sizeof path, "/?token=%s", s.token);
    r = request(&s, "GET", path, "", NULL);
    assert_status(&r, 303, NULL);
    cr_assert(harness_contains(r.head, "Location: /\r\n"), "%s", r.head);
    snprintf(cookie, sizeof cookie, "Set-Cookie: funnelsim_token=%s; Path=/; HttpOnly; "
             "SameSite=Strict", s.token);
    cr_assert(harness_contains(r.head, cookie), "%s", r.head);
    reply_free(&r);
    snprintf(cookie, sizeof cookie, "Cookie: other=1; funnelsim_token=%s\r\n", s.token);
    r = request(&s, "GET", "/", cookie, NULL);
    assert_status(&r, 200, NULL);
    reply_free(&r);
    r = request(&s, "GET", "/api/meta", cookie, NULL);
    assert_status(&r, 200, NULL);
    reply_free(&r);
    server_stop(&s);
}

Test(serve, foreign_host_origin_and_traversal_are_refused, .timeout = 60, .fini = kill_leftover)
{
    struct server s;
    server_start(&s, NULL);
    char auth[128];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s\r\n", s.token);
    struct reply r = read_reply(send_request(s.port, "GET", "/", "evil.example:80", auth, NULL, 0));
    assert_status(&r, 403, NULL);
    reply_free(&r);
    r = read_reply(send_request(s.port, "GET", "/", "localhost", auth, NULL, 0));
    assert_status(&r, 403, NULL);
    reply_free(&r);
    char headers[256];
    snprintf(headers, sizeof headers, "%sOrigin: http://evil.example\r\n", auth);
    r = request(&s, "POST", "/api/run", headers, "{}");
    assert_status(&r, 403, NULL);
    reply_free(&r);
    snprintf(headers, sizeof headers, "%sOrigin: http://%s\r\n", auth, s.host);
    r = request(&s, "GET", "/", headers, NULL);
    assert_status(&r, 200, NULL);
    reply_free(&r);
    const char *bad[] = {"/assets/../../etc/passwd", "/../cli/serve.c", "/assets/%2e%2e/x",
                         "/assets/..%2f..%2fetc/passwd", "/nothing"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = request(&s, "GET", bad[i], auth, NULL);
        cr_assert(r.status == 404 || r.status == 400, "%s: %d", bad[i], r.status);
        reply_free(&r);
    }
    server_stop(&s);
}

Test(serve, a_body_over_64_kib_is_413, .timeout = 60, .fini = kill_leftover)
{
    struct server s;
    server_start(&s, NULL);
    size_t n = 65 * 1024;
    char *body = malloc(n + 1);
    memset(body, ' ', n);
    body[0] = '{';
    body[n - 1] = '}';
    body[n] = '\0';
    struct reply r = api(&s, "/api/run", body);
    assert_status(&r, 413, "64 KiB");
    reply_free(&r);
    /* just under: accepted (blank JSON around an empty object) */
    body[64 * 1024 - 1] = '}';
    body[64 * 1024] = '\0';
    r = api(&s, "/api/scenario", body);
    assert_status(&r, 200, NULL);
    reply_free(&r);
    free(body);
    server_stop(&s);
}

Test(serve, overload_is_503, .timeout = 120, .fini = kill_leftover)
{
    struct server s;
    server_start(&s, "1,0");
    char auth[128];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s\r\n", s.token);
    /* a long request holds the only thread (seconds); another gets 503 */
    const char *slow = "{\"set\": {\"replications\": 300}}";
    int fd = send_request(s.port, "POST", "/api/run", s.host, auth, slow, strlen(slow));
    sleep_ms(300);
    struct reply r = api(&s, "/api/run", "{\"set\": {\"replications\": 2}}");
    assert_status(&r, 503, "busy");
    reply_free(&r);
    r = read_reply(fd);
    assert_status(&r, 200, "junk_rate");
    reply_free(&r);
    /* once it is done, the next one runs */
    r = api(&s, "/api/run", "{\"set\": {\"replications\": 2}}");
    assert_status(&r, 200, NULL);
    reply_free(&r);
    server_stop(&s);
}

Test(serve, sweep_answers_what_sweep_prints, .timeout = 120, .fini = kill_leftover)
{
    struct server s;
    server_start(&s, NULL);
    struct reply r = api(&s, "/api/sweep", "{\"set\": {\"replications\": 4}, \"vary\": "
                         "\"team[1].count\", \"from\": 5, \"to\": 9, \"steps\": 3}");
    assert_status(&r, 200, NULL);
    struct harness_result cli;
    harness_run(&cli, "sweep", SCN, "--vary", "team[1].count", "--from", "5", "--to", "9",
                "--steps", "3", "--set", "replications=4", "--format", "json", "--quiet", NULL);
    harness_assert_exit(&cli, 0);
    cr_assert_str_eq(r.body, cli.out, "first difference: %.200s",
                     harness_first_difference(r.body, cli.out));
    harness_free(&cli);
    reply_free(&r);
    server_stop(&s);
}

Test(serve, bad_usage_is_exit_2, .timeout = 60)
{
    struct harness_result r;
    harness_run(&r, "serve", SCN, "--listen", "0.0.0.0", NULL);
    harness_assert_exit(&r, 2);
    cr_assert(harness_contains(r.err, "--listen"), "%s", r.err);
    harness_free(&r);
    harness_run(&r, "serve", SCN, "--listen", "localhost", NULL);
    harness_assert_exit(&r, 2);
    harness_free(&r);
    harness_run(&r, "serve", SCN, "--port", "70000", NULL);
    harness_assert_exit(&r, 2);
    harness_free(&r);
    harness_run(&r, "serve", "scenarios/no-such.json", NULL);
    harness_assert_exit(&r, 2);
    harness_free(&r);
    harness_run(&r, "serve", NULL);
    harness_assert_exit(&r, 2);
    harness_free(&r);
}
