/*
 * fuzz_serve.c - libFuzzer target for the request path of `funnelsim
 * serve` (cli/serve.c): serve_handle(), called as the HTTP glue calls it,
 * without a socket.
 *
 * An input is the request's parts separated by NUL bytes:
 *
 *     METHOD\0PATH\0QUERY_TOKEN\0HOST\0ORIGIN\0COOKIE\0AUTHORIZATION\0BODY
 *
 * A part that is missing (fewer NULs) is an absent header.  The server's
 * token is FUZZ_TOKEN and its address 127.0.0.1:8080, so that inputs (and
 * the dictionary) can pass the checks and reach the API; the scenario is
 * scenarios/default.json (run from the checkout) and the work cap is
 * FUZZ_MAX_WORK, a replication or so, so that an input costs milliseconds.
 * Sweep and report, which start this program, answer 503 here.
 *
 * Checked for any input, besides the sanitizers' findings: the status is
 * one the server documents (FUZZ_SERVE_SHOW=1 prints it); every refusal's body is JSON {"error": text};
 * a 200 from the API is JSON; a reply body is never NULL.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "cli/serve.h"

#define FUZZ_TOKEN "0123456789abcdef0123456789abcdef"
#define FUZZ_MAX_WORK 20000.0
#define FUZZ_PARTS 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct serve_ctx ctx;
static int ready;

static void setup(void)
{
    struct sim_err err = {0};
    if (serve_ctx_init(&ctx, "scenarios/default.json", NULL, &err) != SIM_OK) {
        fprintf(stderr, "fuzz_serve: %s (run from the checkout)\n", err.msg);
        abort();
    }
    ctx.max_work = FUZZ_MAX_WORK;
    ctx.pool.max_running = 1;
    ctx.pool.max_waiting = 0;
    memcpy(ctx.token, FUZZ_TOKEN, sizeof FUZZ_TOKEN);
    serve_ctx_address(&ctx, "127.0.0.1", 8080);
    ready = 1;
}

static void check(bool ok, const char *what, const struct serve_reply *r)
{
    if (!ok) {
        fprintf(stderr, "fuzz_serve: %s (status %u): %.300s\n", what, r->status,
                r->body ? r->body : "(null)");
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready)
        setup();
    if (size > SERVE_MAX_BODY + 1024)
        return 0;
    /* A copy with a NUL after it, cut at the first FUZZ_PARTS - 1 NULs. */
    char *buf = malloc(size + 1);
    memcpy(buf, data, size);
    buf[size] = '\0';
    const char *part[FUZZ_PARTS] = {0};
    size_t n = 0, at = 0;
    while (n < FUZZ_PARTS - 1 && at <= size) {
        part[n++] = buf + at;
        size_t len = strlen(buf + at);
        at += len + 1;
    }
    const char *body = at <= size ? buf + at : "";
    size_t body_len = at <= size ? size - at : 0;
    struct serve_request req = {
        .method = part[0] ? part[0] : "GET", .path = part[1] ? part[1] : "/",
        .query_token = part[2] && part[2][0] ? part[2] : NULL,
        .host = part[3], .origin = part[4] && part[4][0] ? part[4] : NULL,
        .cookie = part[5], .authorization = part[6], .body = body, .len = body_len,
    };
    struct serve_reply r;
    serve_handle(&ctx, &req, &r);
    check(r.body != NULL, "no body", &r);
    if (getenv("FUZZ_SERVE_SHOW") != NULL)     /* to see what an input reaches */
        fprintf(stderr, "fuzz_serve: %s %s: %u %.200s\n", req.method, req.path, r.status, r.body);
    unsigned s = r.status;
    check(s == 200 || s == 303 || s == 400 || s == 401 || s == 403 || s == 404 || s == 405 ||
          s == 413 || s == 503, "undocumented status", &r);
    if (s >= 400 || (s == 200 && strncmp(req.path, "/api/", 5) == 0)) {
        cJSON *j = cJSON_ParseWithLength(r.body, r.len);
        check(j != NULL, "reply not JSON", &r);
        if (s >= 400)
            check(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "error")), "no error text", &r);
        cJSON_Delete(j);
    }
    serve_reply_free(&r);
    free(buf);
    return 0;
}
