/* SPDX-License-Identifier: MIT */
/*
 * cmd_serve.c - `funnelsim serve`: the what-if page's web server.
 *
 * The HTTP part only: libmicrohttpd (Debian's libmicrohttpd-dev) listens,
 * parses requests and runs one thread per connection (at most
 * SERVE_MAX_CONNECTIONS); the body is gathered here up to SERVE_MAX_BODY
 * and everything else is decided by serve_handle() (cli/serve.h), which
 * also bounds how many simulations run at once.
 */
#define _GNU_SOURCE 1                   /* readlink, nanosleep */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "cli/cli.h"
#include "cli/serve.h"
#include "sim/mem.h"

#define SERVE_MAX_CONNECTIONS 128
#define SERVE_TIMEOUT_S 60              /* an idle connection is closed */

/* One request's body as it arrives. */
struct conn_state {
    char *body;
    size_t len;
    bool too_big;
};

static const char *header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static enum MHD_Result answer(struct MHD_Connection *c, const struct serve_reply *reply,
                              const char *token)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(reply->len, (void *)reply->body,
                                                             MHD_RESPMEM_MUST_COPY);
    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Security-Policy", SERVE_CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (reply->content_type != NULL)
        MHD_add_response_header(r, "Content-Type", reply->content_type);
    if (reply->location != NULL)
        MHD_add_response_header(r, "Location", reply->location);
    if (reply->set_cookie) {
        char cookie[128];
        snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Strict",
                 SERVE_COOKIE, token);
        MHD_add_response_header(r, "Set-Cookie", cookie);
    }
    if (reply->attachment != NULL) {
        char disp[128];
        snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", reply->attachment);
        MHD_add_response_header(r, "Content-Disposition", disp);
    }
    enum MHD_Result rc = MHD_queue_response(c, reply->status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **state)
{
    (void)version;
    struct serve_ctx *ctx = cls;
    struct conn_state *k = *state;
    struct serve_request req = {
        .method = method, .path = url,
        .query_token = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token"),
        .host = header(c, "Host"), .origin = header(c, "Origin"),
        .cookie = header(c, "Cookie"), .authorization = header(c, "Authorization"),
    };
    if (k == NULL) {
        /* First call, headers only: a body announced too large is refused
         * before it is read (after the Host and token checks). */
        const char *cl = header(c, "Content-Length");
        unsigned long long announced = cl != NULL ? strtoull(cl, NULL, 10) : 0;
        if (announced > SERVE_MAX_BODY) {
            req.len = (size_t)announced;
            struct serve_reply reply;
            serve_handle(ctx, &req, &reply);
            enum MHD_Result rc = answer(c, &reply, ctx->token);
            serve_reply_free(&reply);
            return rc;
        }
        *state = sim_calloc(1, sizeof *k);
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (k->len + *upload_size > SERVE_MAX_BODY) {
            k->too_big = true;          /* read and dropped */
        } else {
            k->body = sim_reallocarray(k->body, k->len + *upload_size + 1, 1);
            memcpy(k->body + k->len, upload, *upload_size);
            k->len += *upload_size;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    req.body = k->body;
    req.len = k->too_big ? SERVE_MAX_BODY + 1 : k->len;
    struct serve_reply reply;
    serve_handle(ctx, &req, &reply);
    enum MHD_Result rc = answer(c, &reply, ctx->token);
    serve_reply_free(&reply);
    return rc;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode why)
{
    (void)cls;
    (void)c;
    (void)why;
    struct conn_state *k = *state;
    if (k != NULL) {
        free(k->body);
        free(k);
    }
    *state = NULL;
}

static int serve(const struct cli_command *cmd, struct cli_opts *o)
{
    struct sim_err err = {0};
    if (o->n_args != 1) {
        sim_err_set(&err, SIM_ERR_INPUT, "serve: needs exactly one SCENARIO file (got %zu)",
                    o->n_args);
        return cli_fail(cmd, &err);
    }
    const char *addr = o->listen != NULL ? o->listen : "127.0.0.1";
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)o->port);
    if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
        sim_err_set(&err, SIM_ERR_INPUT, "serve --listen: '%s': must be an IPv4 address such "
                    "as 127.0.0.1", addr);
        return cli_fail(cmd, &err);
    }
    /* Host is checked against ADDR: every interface at once would match
     * no client's Host. */
    if (sin.sin_addr.s_addr == htonl(INADDR_ANY)) {
        sim_err_set(&err, SIM_ERR_INPUT, "serve --listen: '%s': name the address clients will "
                    "use (the Host of their requests must be it), not every interface", addr);
        return cli_fail(cmd, &err);
    }
    static struct serve_ctx ctx;
    if (serve_ctx_init(&ctx, o->args[0], o->measures_after, &err) != SIM_OK) {
        serve_ctx_free(&ctx);
        return cli_fail(cmd, &err);
    }
    static char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        ctx.exe = exe;
    }
    signal(SIGPIPE, SIG_IGN);
    cli_signals();
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
        on_request, &ctx,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_MAX_CONNECTIONS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVE_TIMEOUT_S,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_END);
    if (d == NULL) {
        sim_err_set(&err, SIM_ERR_RUNTIME, "serve: cannot listen on %s port %u (in use?)",
                    addr, o->port);
        serve_ctx_free(&ctx);
        return cli_fail(cmd, &err);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info != NULL && info->port != 0 ? info->port : o->port;
    serve_ctx_address(&ctx, addr, port);
    if (strcmp(addr, "127.0.0.1") != 0)
        fprintf(stderr, "funnelsim: serve: listening on %s: the traffic, the token "
                "included, is clear text that others on the network can read\n", addr);
    printf("http://%s:%u/?token=%s\n", addr, port, ctx.token);
    fflush(stdout);
    fprintf(stderr, "funnelsim: serving %s; open the address above; Ctrl-C stops\n",
            o->args[0]);
    while (!*cli_stop_flag()) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(d);
    serve_ctx_free(&ctx);
    fprintf(stderr, "funnelsim: serve: stopped\n");
    return 0;
}

const struct cli_command cmd_serve = {
    .name = "serve",
    .usage = "SCENARIO [--measures AFTER] [--port N] [--listen ADDR]",
    .summary = "Serve the what-if page and its API on a local web server.",
    .help = "Prints the address to open, http://127.0.0.1:PORT/?token=TOKEN, with a fresh\n"
            "128-bit token; opening it sets a cookie, and API calls carry that cookie or\n"
            "'Authorization: Bearer TOKEN'.  POST /api/run {\"set\": {PATH: value}}\n"
            "answers what 'funnelsim run SCENARIO --set PATH=value --format json'\n"
            "prints; /api/sweep (at most 41 points), /api/scenario and /api/report\n"
            "likewise.  A request may ask for at most " SERVE_MAX_WORK_TEXT " replication-\n"
            "lead-days (replications x days x leads a day) and 1000 replications.\n"
            "SCENARIO (and AFTER) are read once, at start.  SIGINT or SIGTERM stop it\n"
            "(exit 0).  FUNNELSIM_SERVE_POOL=RUNNING,WAITING sets how many simulations\n"
            "run at once (default: one per core) and wait (default: 8 per core); more\n"
            "are answered 503.\n"
            "\nExample:\n  funnelsim serve scenarios/article-baseline.json "
            "--measures scenarios/article-seven-measures.json\n",
    .options = OPT_BIT(OPT_MEASURES_AFTER) | OPT_BIT(OPT_PORT) | OPT_BIT(OPT_LISTEN),
    .run = serve,
};
