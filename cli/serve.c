/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE 1                   /* getrandom, mkdtemp */
#include "cli/serve.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <dirent.h>

#include <cJSON.h>

#include "cli/cli.h"
#include "cli/serve_page.h"
#include "models/funnel_nominal.h"
#include "models/keytab.h"
#include "sim/mem.h"

extern char **environ;

/* ---- the context ---------------------------------------------------------------- */

int serve_token(char hex[SERVE_TOKEN_HEX + 1], struct sim_err *err)
{
    unsigned char raw[SERVE_TOKEN_HEX / 2];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return sim_err_set(err, SIM_ERR_RUNTIME, "serve: cannot read random bytes: %s",
                               strerror(errno));
        got += (size_t)n;
    }
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(hex + 2 * i, 3, "%02x", raw[i]);
    return SIM_OK;
}

int serve_ctx_init(struct serve_ctx *ctx, const char *path, const char *after_path,
                   struct sim_err *err)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->path = path;
    ctx->after_path = after_path;
    ctx->max_work = SERVE_MAX_WORK;
    pthread_mutex_init(&ctx->pool.mu, NULL);
    pthread_cond_init(&ctx->pool.cv, NULL);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    ctx->pool.max_running = cores > 0 ? (unsigned)cores : 1;
    ctx->pool.max_waiting = 8 * ctx->pool.max_running;
    const char *env = getenv("FUNNELSIM_SERVE_POOL");
    unsigned r, w;
    if (env != NULL && sscanf(env, "%u,%u", &r, &w) == 2 && r >= 1 && r <= 1024 && w <= 4096) {
        ctx->pool.max_running = r;
        ctx->pool.max_waiting = w;
    }
    struct scenario scn;
    ctx->doc = scn_doc_load(path, err);
    if (ctx->doc == NULL || scn_doc_compile(ctx->doc, &scn, err) != SIM_OK)
        return err->code;
    if (after_path != NULL) {
        ctx->after = scn_doc_load(after_path, err);
        if (ctx->after == NULL || scn_doc_compile(ctx->after, &scn, err) != SIM_OK)
            return err->code;
    }
    return serve_token(ctx->token, err);
}

void serve_ctx_address(struct serve_ctx *ctx, const char *addr, unsigned port)
{
    snprintf(ctx->host, sizeof ctx->host, "%s:%u", addr, port);
    snprintf(ctx->origin, sizeof ctx->origin, "http://%s:%u", addr, port);
}

void serve_ctx_free(struct serve_ctx *ctx)
{
    scn_doc_free(ctx->doc);
    scn_doc_free(ctx->after);
    pthread_mutex_destroy(&ctx->pool.mu);
    pthread_cond_destroy(&ctx->pool.cv);
    memset(ctx, 0, sizeof *ctx);
}

/* A place in the pool, or false at once when the queue is full. */
static bool pool_enter(struct serve_pool *p)
{
    pthread_mutex_lock(&p->mu);
    if (p->running >= p->max_running) {
        if (p->waiting >= p->max_waiting) {
            pthread_mutex_unlock(&p->mu);
            return false;
        }
        p->waiting++;
        while (p->running >= p->max_running)
            pthread_cond_wait(&p->cv, &p->mu);
        p->waiting--;
    }
    p->running++;
    pthread_mutex_unlock(&p->mu);
    return true;
}

static void pool_leave(struct serve_pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->running--;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* ---- replies ------------------------------------------------------------------- */

void serve_reply_free(struct serve_reply *reply)
{
    if (reply->owned)
        free((char *)reply->body);
    memset(reply, 0, sizeof *reply);
}

static void reply_text(struct serve_reply *reply, unsigned status, const char *type,
                       char *body, size_t len)
{
    reply->status = status;
    reply->content_type = type;
    reply->body = body;
    reply->len = len;
    reply->owned = true;
}

/* The reply {"error": msg}. */
static void reply_error(struct serve_reply *reply, unsigned status, const char *msg)
{
    cJSON *o = sim_mem_check(cJSON_CreateObject());
    cJSON_AddStringToObject(o, "error", msg);
    char *text = sim_mem_check(cJSON_PrintUnformatted(o));
    cJSON_Delete(o);
    reply_text(reply, status, "application/json", text, strlen(text));
}

/* A JSON tree as `--format json` prints it: formatted, a newline. */
static void reply_json(struct serve_reply *reply, const cJSON *json)
{
    char *text = sim_mem_check(cJSON_Print(json));
    size_t n = strlen(text);
    text = sim_reallocarray(text, n + 2, 1);
    text[n] = '\n';
    text[n + 1] = '\0';
    reply_text(reply, 200, "application/json", text, n + 1);
}

/* ---- checks -------------------------------------------------------------------- */

/* Equal strings, in a time that does not tell how much of them matched. */
static bool same_secret(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    unsigned char diff = na != nb;
    for (size_t i = 0; i < na && i < nb; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

/* The token the request carries, in its cookie or its Authorization. */
static bool authorised(const struct serve_ctx *ctx, const struct serve_request *req)
{
    if (req->authorization != NULL && strncmp(req->authorization, "Bearer ", 7) == 0 &&
        same_secret(req->authorization + 7, ctx->token))
        return true;
    if (req->cookie == NULL)
        return false;
    const size_t name_len = strlen(SERVE_COOKIE);
    for (const char *p = req->cookie; *p != '\0';) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        if (n > name_len && strncmp(p, SERVE_COOKIE, name_len) == 0 && p[name_len] == '=') {
            char value[SERVE_TOKEN_HEX + 2];
            size_t vn = n - name_len - 1;
            if (vn <= SERVE_TOKEN_HEX) {
                memcpy(value, p + name_len + 1, vn);
                value[vn] = '\0';
                if (same_secret(value, ctx->token))
                    return true;
            }
        }
        p += n;
    }
    return false;
}

static bool bad_path(const char *path)
{
    return path[0] != '/' || strstr(path, "..") != NULL || strchr(path, '\\') != NULL ||
           strstr(path, "//") != NULL;
}

/* ---- settings ------------------------------------------------------------------ */

/* A request's settings, as --set assignments ("PATH=VALUE"). */
struct settings {
    char *sets[CLI_MAX_SETS];
    size_t n;
};

static void settings_free(struct settings *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->sets[i]);
    s->n = 0;
}

/* Whether text would be read as JSON by --set (then a string must be
 * written quoted to stay a string). */
static bool looks_like_json(const char *text)
{
    if (text[0] == '\0' || text[0] == '"' || strcmp(text, "true") == 0 ||
        strcmp(text, "false") == 0 || strcmp(text, "null") == 0)
        return true;
    char *end;
    (void)strtod(text, &end);
    return *end == '\0';
}

/* The "set" object of a request body into assignments, each key checked
 * against the table.  SIM_OK or SIM_ERR_INPUT with err set. */
static int settings_read(const cJSON *set, struct settings *s, struct sim_err *err)
{
    memset(s, 0, sizeof *s);
    if (set == NULL)
        return SIM_OK;
    if (!cJSON_IsObject(set))
        return sim_err_set(err, SIM_ERR_INPUT, "request: \"set\" must be an object of "
                           "PATH: value");
    for (const cJSON *v = set->child; v != NULL; v = v->next) {
        if (s->n >= CLI_MAX_SETS)
            return sim_err_set(err, SIM_ERR_INPUT, "request: at most %d settings",
                               CLI_MAX_SETS);
        const char *path = v->string;
        if (path == NULL || strlen(path) >= SIM_SCHEMA_PATH_MAX)
            return sim_err_set(err, SIM_ERR_INPUT, "request: a key of \"set\" is too long");
        const struct sim_schema_key *key = keytab_find(path);
        if (key != NULL && (key->tags & KEYTAB_NAMES_FILE))
            return sim_err_set(err, SIM_ERR_INPUT, "--set %s: names a file, which the "
                               "server does not read", path);
        char *value;
        if (cJSON_IsString(v) && !looks_like_json(v->valuestring))
            value = sim_strdup(v->valuestring);
        else if (cJSON_IsNumber(v) || cJSON_IsBool(v) || cJSON_IsNull(v) || cJSON_IsString(v))
            value = sim_mem_check(cJSON_PrintUnformatted(v));
        else
            return sim_err_set(err, SIM_ERR_INPUT, "--set %s: the value must be a number, "
                               "true, false, null or a string", path);
        size_t n = strlen(path) + strlen(value) + 2;
        s->sets[s->n] = sim_reallocarray(NULL, n, 1);
        snprintf(s->sets[s->n++], n, "%s=%s", path, value);
        free(value);
    }
    return SIM_OK;
}

/* replications x days x leads a day, each at least 1. */
static double work_of(const struct scenario *scn)
{
    double days = fmax(1.0, scn->horizon_days);
    double per_day = fmax(1.0, funnel_inflow_per_week(scn) / 7.0);
    return fmax(1.0, (double)scn->replications) * days * per_day;
}

static int check_work(const struct serve_ctx *ctx, const struct scenario *scn, double points,
                      struct sim_err *err)
{
    if (scn->replications > SERVE_MAX_REPS)
        return sim_err_set(err, SIM_ERR_INPUT, "request: %u replications: the server runs "
                           "at most %d a request", scn->replications, SERVE_MAX_REPS);
    double w = points * work_of(scn);
    char limit[32];
    snprintf(limit, sizeof limit, "%.0f", ctx->max_work);
    if (!(w <= ctx->max_work))
        return sim_err_set(err, SIM_ERR_INPUT, "request: %.3g replication-lead-days (replications "
                           "x days x leads a day%s): the server does at most %s a request", w,
                           points > 1 ? " x runs" : "",
                           ctx->max_work == SERVE_MAX_WORK ? SERVE_MAX_WORK_TEXT : limit);
    return SIM_OK;
}

/* The base scenario with the settings applied and compiled. */
static struct scn_doc *settings_apply(const struct serve_ctx *ctx, const struct settings *s,
                                      struct scenario *scn, struct sim_err *err)
{
    struct scn_doc *doc = scn_doc_clone(ctx->doc);
    for (size_t i = 0; i < s->n; i++)
        if (scn_doc_set_as(doc, s->sets[i], NULL, err) != SIM_OK)
            goto fail;
    if (scn_doc_compile(doc, scn, err) != SIM_OK)
        goto fail;
    return doc;
fail:
    scn_doc_free(doc);
    return NULL;
}

/* ---- the routes ---------------------------------------------------------------- */

static void api_run(struct serve_ctx *ctx, const struct settings *s, struct serve_reply *reply)
{
    struct sim_err err = {0};
    struct scenario scn;
    struct scn_doc *doc = settings_apply(ctx, s, &scn, &err);
    /* The run, and the reruns without each campaign and trade show that
     * give weeks to recover (cli_run_reruns()): one more run each. */
    if (doc == NULL || check_work(ctx, &scn, 1.0 + cli_run_reruns(&scn), &err) != SIM_OK) {
        scn_doc_free(doc);
        reply_error(reply, 400, err.msg);
        return;
    }
    if (!pool_enter(&ctx->pool)) {
        scn_doc_free(doc);
        reply_error(reply, 503, "busy: every simulation thread is taken and the queue is full; "
                    "try again");
        return;
    }
    struct cli_opts o;
    memset(&o, 0, sizeof o);
    o.jobs = 1;
    o.quiet = true;
    o.format = FORMAT_JSON;
    o.max_leads = SERVE_MAX_LEADS;
    for (size_t i = 0; i < s->n; i++)
        o.sets[i] = s->sets[i];
    o.n_sets = s->n;
    struct cli_run r;
    int rc = cli_run_doc(&o, doc, &scn, 0, &r, &err);
    pool_leave(&ctx->pool);
    if (rc == SIM_OK && !r.res.interrupted)
        reply_json(reply, r.json);
    else if (rc == SIM_OK || rc == CLI_EXIT_INTERRUPTED)
        reply_error(reply, 503, "the server is stopping");
    else
        reply_error(reply, 400, err.msg);
    cli_run_free(&r);
    scn_doc_free(doc);
}

static void api_scenario(struct serve_ctx *ctx, const struct settings *s,
                         struct serve_reply *reply)
{
    struct sim_err err = {0};
    struct scenario scn;
    struct scn_doc *doc = settings_apply(ctx, s, &scn, &err);
    if (doc == NULL) {
        reply_error(reply, 400, err.msg);
        return;
    }
    char *text = scn_doc_print(doc);
    scn_doc_free(doc);
    size_t n = strlen(text);
    text = sim_reallocarray(text, n + 2, 1);
    memcpy(text + n, "\n", 2);
    reply_text(reply, 200, "application/json", text, n + 1);
    reply->attachment = "scenario.json";
}

/* Removes dir and what is in it (a private temporary directory). */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char p[4096];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            struct stat st;
            if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
                remove_tree(p);
            else
                unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = sim_reallocarray(NULL, cap, 1);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
        n += got;
        if (cap - n - 1 == 0)
            buf = sim_reallocarray(buf, cap *= 2, 1);
    }
    fclose(fp);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Runs this program with `args` (after argv[0]) and the settings as --set,
 * with a private temporary directory `dir` (made here; the caller removes
 * it; an argument "@/x" names x in it): standard output into DIR/out, error into DIR/err.  Its exit status,
 * or -1. */
static int spawn_self(const struct serve_ctx *ctx, const char *const *args, size_t n_args,
                      const struct settings *s, char *dir)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, 4096, "%s/funnelsim-serve-XXXXXX", tmp != NULL && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        return -1;
    char out[4200], errf[4200];
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(errf, sizeof errf, "%s/err", dir);
    const char *argv[CLI_MAX_SETS * 2 + 32];
    size_t n = 0;
    argv[n++] = ctx->exe;
    char sub[4200];             /* "@/x": x in the temporary directory */
    for (size_t i = 0; i < n_args; i++) {
        if (strncmp(args[i], "@/", 2) == 0) {
            snprintf(sub, sizeof sub, "%s%s", dir, args[i] + 1);
            argv[n++] = sub;
        } else {
            argv[n++] = args[i];
        }
    }
    for (size_t i = 0; i < s->n; i++) {
        argv[n++] = "--set";
        argv[n++] = s->sets[i];
    }
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, errf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid;
    int rc = posix_spawn(&pid, ctx->exe, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Sweep and report: this program in a subprocess, so that their answers
 * are the commands' own, byte for byte. */
static void api_spawned(struct serve_ctx *ctx, const char *const *args, size_t n_args,
                        const struct settings *s, const char *result, const char *type,
                        struct serve_reply *reply)
{
    if (ctx->exe == NULL) {
        reply_error(reply, 503, "not available here");
        return;
    }
    if (!pool_enter(&ctx->pool)) {
        reply_error(reply, 503, "busy: every simulation thread is taken and the queue is full; "
                    "try again");
        return;
    }
    char dir[4096];
    int status = spawn_self(ctx, args, n_args, s, dir);
    pool_leave(&ctx->pool);
    char path[4200];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/%s", dir, status == 0 ? result : "err");
    char *text = status >= 0 ? read_all(path, &len) : NULL;
    if (status == 0 && text != NULL) {
        reply_text(reply, 200, type, text, len);
    } else {
        const char *msg = text != NULL && strncmp(text, "funnelsim: ", 11) == 0 ? text + 11
                          : "the simulation failed";
        if (text != NULL && strchr(text, '\n') != NULL)
            *strchr(text, '\n') = '\0';
        reply_error(reply, status == 2 ? 400 : status == 130 ? 503 : 500, msg);
        free(text);
    }
    remove_tree(dir);
}

static void api_report(struct serve_ctx *ctx, const struct settings *s, struct serve_reply *reply)
{
    struct sim_err err = {0};
    struct scenario scn;
    struct scn_doc *doc = settings_apply(ctx, s, &scn, &err);
    if (doc == NULL || check_work(ctx, &scn, 1, &err) != SIM_OK) {
        scn_doc_free(doc);
        reply_error(reply, 400, err.msg);
        return;
    }
    scn_doc_free(doc);
    const char *args[] = {"run", ctx->path, "--out", "@/report", "--plot", "--quiet",
                          "--jobs", "1", "--format", "json"};
    api_spawned(ctx, args, sizeof args / sizeof args[0], s, "report/report.html",
                "text/html; charset=utf-8", reply);
    if (reply->status == 200)
        reply->attachment = "report.html";
}

static void api_sweep(struct serve_ctx *ctx, const cJSON *body, const struct settings *s,
                      struct serve_reply *reply)
{
    struct sim_err err = {0};
    const cJSON *vary = cJSON_GetObjectItemCaseSensitive(body, "vary");
    const cJSON *from = cJSON_GetObjectItemCaseSensitive(body, "from");
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(body, "to");
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(body, "steps");
    if (!cJSON_IsString(vary) || !cJSON_IsNumber(from) || !cJSON_IsNumber(to) ||
        !cJSON_IsNumber(steps)) {
        reply_error(reply, 400, "request: a sweep needs \"vary\" (a PATH), \"from\", \"to\" "
                    "and \"steps\" (numbers)");
        return;
    }
    if (!(steps->valuedouble >= 1 && steps->valuedouble <= SERVE_MAX_POINTS &&
          steps->valuedouble == floor(steps->valuedouble))) {
        reply_error(reply, 400, "request: \"steps\" must be a whole number from 1 to 41 "
                    "(the server sweeps at most 41 points)");
        return;
    }
    if (keytab_find(vary->valuestring) == NULL ||
        (keytab_find(vary->valuestring)->tags & KEYTAB_NAMES_FILE)) {
        char msg[SIM_SCHEMA_PATH_MAX + 64];
        snprintf(msg, sizeof msg, "--vary %.256s: not a key of the scenario format",
                 vary->valuestring);
        reply_error(reply, 400, msg);
        return;
    }
    /* The work at either end bounds the work of the points between. */
    double ends[2] = {from->valuedouble, to->valuedouble};
    for (int e = 0; e < 2; e++) {
        struct scenario scn;
        struct scn_doc *doc = settings_apply(ctx, s, &scn, &err);
        int rc = doc == NULL ? err.code : scn_doc_set_number(doc, vary->valuestring, ends[e], &err);
        if (rc == SIM_OK)
            rc = scn_doc_compile(doc, &scn, &err);
        if (rc == SIM_OK)
            rc = check_work(ctx, &scn, steps->valuedouble, &err);
        scn_doc_free(doc);
        if (rc != SIM_OK) {
            reply_error(reply, 400, err.msg);
            return;
        }
    }
    char a[40], b[40], n[16];
    snprintf(a, sizeof a, "%.17g", from->valuedouble);
    snprintf(b, sizeof b, "%.17g", to->valuedouble);
    snprintf(n, sizeof n, "%d", (int)steps->valuedouble);
    const char *args[] = {"sweep", ctx->path, "--vary", vary->valuestring, "--from", a,
                          "--to", b, "--steps", n, "--quiet", "--jobs", "1", "--format", "json"};
    api_spawned(ctx, args, sizeof args / sizeof args[0], s, "out", "application/json", reply);
}

/* POST /api/...: the body's JSON and its settings, then the route. */
static void api_post(struct serve_ctx *ctx, const struct serve_request *req,
                     struct serve_reply *reply)
{
    const char *route = req->path + 5;
    if (strcmp(route, "run") != 0 && strcmp(route, "sweep") != 0 &&
        strcmp(route, "scenario") != 0 && strcmp(route, "report") != 0) {
        reply_error(reply, 404, "no such API");
        return;
    }
    cJSON *body = req->len > 0 ? cJSON_ParseWithLength(req->body, req->len) : cJSON_CreateObject();
    if (!cJSON_IsObject(body)) {
        cJSON_Delete(body);
        reply_error(reply, 400, "request: the body must be a JSON object such as "
                    "{\"set\": {\"team[1].count\": 7}}");
        return;
    }
    struct settings s;
    struct sim_err err = {0};
    if (settings_read(cJSON_GetObjectItemCaseSensitive(body, "set"), &s, &err) != SIM_OK)
        reply_error(reply, 400, err.msg);
    else if (strcmp(route, "run") == 0)
        api_run(ctx, &s, reply);
    else if (strcmp(route, "sweep") == 0)
        api_sweep(ctx, body, &s, reply);
    else if (strcmp(route, "scenario") == 0)
        api_scenario(ctx, &s, reply);
    else
        api_report(ctx, &s, reply);
    settings_free(&s);
    cJSON_Delete(body);
}

void serve_handle(struct serve_ctx *ctx, const struct serve_request *req,
                  struct serve_reply *reply)
{
    memset(reply, 0, sizeof *reply);
    if (req->host == NULL || strcmp(req->host, ctx->host) != 0) {
        reply_error(reply, 403, "forbidden: the Host header must be the server's own address");
        return;
    }
    if (req->origin != NULL && strcmp(req->origin, ctx->origin) != 0) {
        reply_error(reply, 403, "forbidden: cross-origin request");
        return;
    }
    bool get = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
    if (get && strcmp(req->path, "/") == 0 && req->query_token != NULL) {
        if (!same_secret(req->query_token, ctx->token)) {
            reply_error(reply, 401, "wrong token");
            return;
        }
        reply->status = 303;
        reply->location = "/";
        reply->set_cookie = true;
        reply->content_type = "text/plain";
        reply->body = "";
        return;
    }
    if (!authorised(ctx, req)) {
        reply_error(reply, 401, "no or wrong token: open the address funnelsim serve printed");
        return;
    }
    if (bad_path(req->path)) {
        reply_error(reply, 404, "not found");
        return;
    }
    if (req->len > SERVE_MAX_BODY) {
        reply_error(reply, 413, "request body over 64 KiB");
        return;
    }
    if (strncmp(req->path, "/api/", 5) == 0) {
        if (strcmp(req->path, "/api/meta") == 0 && get) {
            cJSON *meta = serve_page_meta(ctx->doc, ctx->after);
            reply_json(reply, meta);
            cJSON_Delete(meta);
        } else if (strcmp(req->method, "POST") == 0) {
            api_post(ctx, req, reply);
        } else {
            reply_error(reply, 405, "method not allowed");
        }
        return;
    }
    const char *body, *type;
    size_t len;
    if (!get || !serve_page_asset(req->path, &body, &len, &type)) {
        reply_error(reply, 404, "not found");
        return;
    }
    reply->status = 200;
    reply->content_type = type;
    reply->body = body;
    reply->len = len;
}
