/*
 * serve.h - what `funnelsim serve` answers: one request in, one reply out.
 *
 * The HTTP library (libmicrohttpd, cmd_serve.c) only carries bytes; every
 * decision is made here, by serve_handle(), a plain function of the
 * request's method, path, the few headers that matter and its body, so
 * that the fuzzer (fuzz/fuzz_serve.c) can drive the whole request path
 * without a socket.
 *
 * Safety, in the order serve_handle() checks it:
 *   - Host must be exactly the listening ADDR:PORT (no DNS rebinding);
 *     Origin, when sent, exactly http://ADDR:PORT (no cross-site
 *     requests): 403 otherwise;
 *   - the access token: `/?token=T` sets an HttpOnly, SameSite=Strict
 *     cookie and redirects to `/`; every other request carries that
 *     cookie or `Authorization: Bearer T`: 401 otherwise;
 *   - a path holding "..", a backslash or a NUL: 404;
 *   - a body over SERVE_MAX_BODY: 413 (the glue also refuses it from its
 *     Content-Length before reading it);
 *   - settings only through the key table, checked as a file's (the same
 *     messages, 400 {"error": ...}); a key whose value names a file
 *     (KEYTAB_NAMES_FILE) refused;
 *   - work: replications x days x leads a day at most SERVE_MAX_WORK per
 *     request (a sweep: its points together), at most SERVE_MAX_REPS
 *     replications, at most SERVE_MAX_LEADS leads in the system: 400
 *     naming the limit.  With SERVE_MAX_BODY, these bound what a request
 *     can make the program allocate, so its abort-on-out-of-memory policy
 *     (sim/mem.h) is not something a request can reach;
 *   - at most `max_running` simulations at once, `max_waiting` more
 *     queued: 503 beyond.
 * Every reply carries SERVE_CSP (the glue adds it).
 *
 * Routes: GET / and /assets/... (cli/serve_page.h), GET /api/meta,
 * POST /api/run, /api/sweep, /api/scenario, /api/report.
 *
 * Ownership: the context owns its documents; a reply's body is freed by
 * serve_reply_free() when `owned`.  serve_handle() is thread-safe: the
 * context is read only, but for the pool's counters under its mutex.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CLI_SERVE_H
#define CLI_SERVE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "models/scn_doc.h"

#define SERVE_MAX_BODY 65536            /* bytes of a request body */
#define SERVE_MAX_WORK 5000000.0        /* replications x days x leads a day */
#define SERVE_MAX_WORK_TEXT "5,000,000"
#define SERVE_MAX_REPS 1000             /* replications of a request */
#define SERVE_MAX_POINTS 41             /* points of a sweep */
#define SERVE_MAX_LEADS 500000          /* leads in the system in a replication */
#define SERVE_TOKEN_HEX 32              /* 128 bits */
#define SERVE_COOKIE "funnelsim_token"
#define SERVE_CSP "default-src 'self'; script-src 'self'; style-src 'self'; " \
                  "img-src 'self' data:; connect-src 'self'; object-src 'none'; " \
                  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

/* The bounded pool: how many simulations run and wait at once. */
struct serve_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned running, waiting;
    unsigned max_running, max_waiting;
};

struct serve_ctx {
    const char *path;                   /* SCENARIO as given (the run's "file") */
    const char *after_path;             /* --measures AFTER, or NULL */
    struct scn_doc *doc, *after;        /* read once, at start */
    const char *exe;                    /* this program, for sweep and report;
                                           NULL: they answer 503 (the fuzzer) */
    double max_work;                    /* SERVE_MAX_WORK (the fuzzer: less) */
    char token[SERVE_TOKEN_HEX + 1];
    char host[80];                      /* "127.0.0.1:8080" */
    char origin[96];                    /* "http://127.0.0.1:8080" */
    struct serve_pool pool;
};

/* One request; absent headers are NULL.  `query_token` is the value of
 * the query's token= (GET / only), NULL without one. */
struct serve_request {
    const char *method, *path, *query_token;
    const char *host, *origin, *cookie, *authorization;
    const char *body;
    size_t len;
};

struct serve_reply {
    unsigned status;
    const char *content_type;
    const char *body;
    size_t len;
    bool owned;                         /* body is malloc'd */
    const char *location;               /* for a redirect */
    bool set_cookie;                    /* Set-Cookie: the token */
    const char *attachment;             /* Content-Disposition file name */
};

/* Loads SCENARIO (and AFTER), makes the token and the pool.  SIM_OK, or
 * the loader's error.  The pool: one simulation per core, eight per core
 * waiting; the environment's
 * FUNNELSIM_SERVE_POOL="RUNNING,WAITING" overrides both (the tests make
 * it tiny to reach 503). */
int serve_ctx_init(struct serve_ctx *ctx, const char *path, const char *after_path,
                   struct sim_err *err);
/* Host and Origin expected once the port is known. */
void serve_ctx_address(struct serve_ctx *ctx, const char *addr, unsigned port);
void serve_ctx_free(struct serve_ctx *ctx);

void serve_handle(struct serve_ctx *ctx, const struct serve_request *req,
                  struct serve_reply *reply);
void serve_reply_free(struct serve_reply *reply);

/* Fills `hex` with SERVE_TOKEN_HEX hex digits of fresh randomness
 * (getrandom).  SIM_OK or SIM_ERR_RUNTIME. */
int serve_token(char hex[SERVE_TOKEN_HEX + 1], struct sim_err *err);

#endif
