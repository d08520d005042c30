/* SPDX-License-Identifier: MIT */
/*
 * scn_doc.c - scenario documents: reading, overriding, comparing, copying
 * and compiling them against the key table.
 *
 * What a document is and who owns it: scn_doc.h.  Every path is resolved
 * by sim_schema_walk() against keytab_root(), so an override meets the
 * same keys, hints and rules as a file.
 */
#include "models/scn_doc.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>

#include "models/keytab.h"
#include "sim/mem.h"
#include "sim/schema.h"

#define SCN_FILE_MAX (4u << 20)        /* bytes; a scenario is a few KiB */

struct scn_doc {
    cJSON *root;
    char *name;
    cJSON *origins;     /* path -> the override that set it, or NULL */
};

/* ===================================================================
 * Documents
 * =================================================================== */

/* Line and column (from 1) of byte `pos` of text. */
static void line_column(const char *text, size_t pos, size_t *line, size_t *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < pos; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static int syntax_error(const char *text, size_t len, size_t pos,
                        const char *name, const char *why, struct sim_err *err)
{
    size_t line, col;
    line_column(text, pos, &line, &col);
    return sim_err_set(err, SIM_ERR_INPUT, "%s: line %zu, column %zu: JSON "
                       "syntax error%s", name, line, col,
                       why != NULL ? why : pos >= len ? " (unexpected end of file)"
                                                      : "");
}

/* text[len] must be '\0'. */
static struct scn_doc *parse_text(const char *text, size_t len,
                                  const char *name, struct sim_err *err)
{
    const char *nul = memchr(text, '\0', len);
    if (nul != NULL) {
        syntax_error(text, len, (size_t)(nul - text), name, " (NUL byte)", err);
        return NULL;
    }
    /* \u0000 and lone surrogates, marked so that the checks name their
     * path (sim_schema_mark_escapes()); a copy, as `text` is the caller's. */
    char *marked = sim_malloc(len + 1);
    memcpy(marked, text, len + 1);
    sim_schema_mark_escapes(marked, len);
    /* Not cJSON_GetErrorPtr(): that is global state; return_parse_end is
     * ours.  The length counts the terminator, which cJSON then requires. */
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(marked, len + 1, &end, 1);
    if (root == NULL) {
        size_t pos = end != NULL && end >= marked ? (size_t)(end - marked) : 0;
        syntax_error(text, len, pos > len ? len : pos, name, NULL, err);
    }
    free(marked);
    if (root == NULL)
        return NULL;
    struct scn_doc *doc = sim_calloc(1, sizeof *doc);
    doc->root = root;
    doc->name = sim_strdup(name);
    return doc;
}

static int too_large(const char *name, struct sim_err *err)
{
    return sim_err_set(err, SIM_ERR_INPUT, "%s: file too large: at most 4 MiB "
                       "(%u bytes)", name, SCN_FILE_MAX);
}

struct scn_doc *scn_doc_parse(const char *text, const char *name,
                              struct sim_err *err)
{
    assert(text != NULL && name != NULL);
    size_t len = strlen(text);
    if (len > SCN_FILE_MAX) {
        too_large(name, err);
        return NULL;
    }
    return parse_text(text, len, name, err);
}

/* Reads at most SCN_FILE_MAX + 1 bytes, so that a huge file, or one that
 * grows while it is read, costs no more than that; the text is '\0'-terminated. */
static char *read_all(FILE *f, const char *path, size_t *len,
                      struct sim_err *err)
{
    size_t cap = 1 << 14, n = 0;
    char *buf = sim_malloc(cap + 1);
    while (n <= SCN_FILE_MAX) {
        size_t want = cap - n;
        if (n + want > SCN_FILE_MAX + 1)
            want = SCN_FILE_MAX + 1 - n;
        size_t got = fread(buf + n, 1, want, f);
        n += got;
        if (got < want || n > SCN_FILE_MAX)
            break;
        if (n == cap) {
            buf = sim_realloc(buf, 2 * cap + 1);
            cap *= 2;
        }
    }
    if (ferror(f) || n > SCN_FILE_MAX) {
        if (n > SCN_FILE_MAX)
            too_large(path, err);
        else
            sim_err_set(err, SIM_ERR_RUNTIME, "%s: cannot read: %s", path,
                        strerror(errno));
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* What a file that is not a regular file is, for the message. */
static const char *file_kind(mode_t mode)
{
    return S_ISFIFO(mode) ? "a FIFO" : S_ISCHR(mode) ? "a character device"
           : S_ISBLK(mode) ? "a block device" : S_ISSOCK(mode) ? "a socket" : "not a file";
}

/* Opens `path` for reading a scenario: a regular file only, refused at
 * once otherwise (a directory with EISDIR's text; a FIFO is opened without
 * blocking, so a FIFO nobody writes to cannot hang the program), and a
 * regular file too large before reading it.  NULL with err set on
 * failure. */
static FILE *open_scenario(const char *path, struct sim_err *err)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        sim_err_set(err, SIM_ERR_INPUT, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    int rc = SIM_OK;
    if (fstat(fd, &st) != 0)
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s: cannot open: %s", path, strerror(errno));
    else if (S_ISDIR(st.st_mode))
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s: cannot open: %s", path, strerror(EISDIR));
    else if (!S_ISREG(st.st_mode))
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s: cannot open: not a regular file (%s); a "
                         "scenario is a JSON file", path, file_kind(st.st_mode));
    else if (st.st_size > (off_t)SCN_FILE_MAX)
        rc = too_large(path, err);
    int flags = rc == SIM_OK ? fcntl(fd, F_GETFL) : -1;
    FILE *f = flags >= 0 && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0 ? fdopen(fd, "rb")
                                                                          : NULL;
    if (f == NULL) {
        if (rc == SIM_OK)
            sim_err_set(err, SIM_ERR_RUNTIME, "%s: cannot read: %s", path, strerror(errno));
        close(fd);
    }
    return f;
}

struct scn_doc *scn_doc_load(const char *path, struct sim_err *err)
{
    assert(path != NULL);
    FILE *f = open_scenario(path, err);
    if (f == NULL)
        return NULL;
    size_t len = 0;
    char *text = read_all(f, path, &len, err);
    fclose(f);
    if (text == NULL)
        return NULL;
    struct scn_doc *doc = parse_text(text, len, path, err);
    free(text);
    return doc;
}

struct scn_doc *scn_doc_clone(const struct scn_doc *doc)
{
    assert(doc != NULL);
    struct scn_doc *copy = sim_malloc(sizeof *copy);
    copy->root = cJSON_Duplicate(doc->root, 1);
    copy->name = sim_strdup(doc->name);
    copy->origins = doc->origins != NULL ? cJSON_Duplicate(doc->origins, 1) : NULL;
    return copy;
}

void scn_doc_free(struct scn_doc *doc)
{
    if (doc == NULL)
        return;
    cJSON_Delete(doc->root);
    cJSON_Delete(doc->origins);
    free(doc->name);
    free(doc);
}

const char *scn_doc_name(const struct scn_doc *doc)
{
    assert(doc != NULL);
    return doc->name;
}

/* ===================================================================
 * Overrides: PATH=VALUE
 * =================================================================== */

/* Checks the path, then sets its key to `value` (owned: consumed). */
static int put(struct sim_schema_ctx *c, struct scn_doc *doc, const char *path,
               cJSON *value)
{
    struct sim_schema_target t;
    size_t mark = c->len;
    int rc = sim_schema_walk(c, keytab_root(), doc->root, path, SIM_SCHEMA_CHECK, &t);
    sim_schema_pop(c, mark);
    if (rc == SIM_OK)
        rc = sim_schema_walk(c, keytab_root(), doc->root, path, SIM_SCHEMA_CREATE, &t);
    if (rc != SIM_OK) {
        cJSON_Delete(value);
        return rc;
    }
    assert(t.parent != NULL);
    bool ok = cJSON_GetObjectItemCaseSensitive(t.parent, t.key) != NULL
                  ? cJSON_ReplaceItemInObjectCaseSensitive(t.parent, t.key, value)
                  : cJSON_AddItemToObject(t.parent, t.key, value);
    assert(ok);     /* the key exists, or cJSON's allocation hooks abort */
    (void)ok;
    if (doc->origins != NULL)
        cJSON_DeleteItemFromObjectCaseSensitive(doc->origins, path);
    return SIM_OK;
}

/* VALUE as JSON when it is a scalar JSON literal, otherwise as a string.
 * A whole number too large for a double to hold exactly stays its digits
 * (a string), so that a seed keeps every digit (sim/schema.h, U64). */
static cJSON *parse_value(const char *text)
{
    const char *end = NULL;
    if (text[0] != '\0' && text[strspn(text, "0123456789")] == '\0' &&
        strtod(text, NULL) > SIM_SCHEMA_EXACT_MAX)
        return cJSON_CreateString(text);
    char *marked = sim_strdup(text);
    sim_schema_mark_escapes(marked, strlen(marked));
    cJSON *v = cJSON_ParseWithOpts(marked, &end, 1);
    free(marked);
    if (v != NULL && (cJSON_IsNumber(v) || cJSON_IsBool(v) || cJSON_IsNull(v) ||
                      cJSON_IsString(v)))
        return v;
    cJSON_Delete(v);
    return cJSON_CreateString(text);
}

int scn_doc_set(struct scn_doc *doc, const char *assignment,
                struct sim_err *err)
{
    return scn_doc_set_as(doc, assignment, NULL, err);
}

int scn_doc_set_as(struct scn_doc *doc, const char *assignment, const char *origin,
                   struct sim_err *err)
{
    assert(doc != NULL && assignment != NULL);
    struct sim_schema_ctx c;
    /* An override's error is the option's, not the file's. */
    sim_schema_ctx_init(&c, NULL, "--set ", err);
    const char *eq = strchr(assignment, '=');
    if (eq == NULL || eq == assignment) {
        sim_schema_push(&c, assignment);
        return sim_schema_fail(&c, "malformed (expected PATH=VALUE)");
    }
    char path[SIM_SCHEMA_PATH_MAX];
    size_t n = (size_t)(eq - assignment);
    if (n >= sizeof path) {
        sim_schema_push(&c, assignment);
        return sim_schema_fail(&c, "path too long");
    }
    memcpy(path, assignment, n);
    path[n] = '\0';
    int rc = put(&c, doc, path, parse_value(eq + 1));
    if (rc == SIM_OK) {
        char who[SIM_SCHEMA_PATH_MAX + 64];
        snprintf(who, sizeof who, "%s%s", origin != NULL ? "" : "--set ",
                 origin != NULL ? origin : assignment);
        if (doc->origins == NULL)
            doc->origins = sim_mem_check(cJSON_CreateObject());
        cJSON_AddItemToObject(doc->origins, path, cJSON_CreateString(who));
    }
    return rc;
}

int scn_doc_set_number(struct scn_doc *doc, const char *path, double value,
                       struct sim_err *err)
{
    assert(doc != NULL && path != NULL);
    struct sim_schema_ctx c;
    char got[32];
    sim_schema_ctx_init(&c, doc->name, "", err);
    if (!isfinite(value)) {
        sim_schema_push(&c, path);
        return sim_schema_fail(&c, "must be a finite number (got %s)", sim_schema_num(got, value));
    }
    return put(&c, doc, path, cJSON_CreateNumber(value));
}

int scn_doc_get_number(const struct scn_doc *doc, const char *path,
                       double *value, struct sim_err *err)
{
    assert(doc != NULL && path != NULL && value != NULL);
    struct sim_schema_ctx c;
    char got[64];
    struct sim_schema_target t;
    sim_schema_ctx_init(&c, doc->name, "", err);
    int rc = sim_schema_walk(&c, keytab_root(), doc->root, path, SIM_SCHEMA_LOOKUP, &t);
    if (rc != SIM_OK)
        return rc;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(t.parent, t.key);
    if (v == NULL)
        return sim_schema_fail(&c, "not in the file");
    if (!cJSON_IsNumber(v))
        return sim_schema_fail(&c, "is not a number (got %s)", sim_schema_describe(v, got));
    *value = v->valuedouble;
    return SIM_OK;
}

/* ===================================================================
 * Differences between documents
 * =================================================================== */

static bool same_scalar(const cJSON *a, const cJSON *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    if ((a->type & 0xff) != (b->type & 0xff))
        return false;
    if (cJSON_IsNumber(a))
        return a->valuedouble == b->valuedouble;
    if (cJSON_IsString(a))
        return strcmp(a->valuestring, b->valuestring) == 0;
    return !cJSON_IsObject(a) && !cJSON_IsArray(a);
}

struct differ {
    scn_diff_fn fn;
    void *user;
    char path[SIM_SCHEMA_PATH_MAX];
};

static size_t array_len(const cJSON *a)
{
    size_t n = 0;
    for (const cJSON *e = a->child; e != NULL; e = e->next)
        n++;
    return n;
}

/* Appends to d->path, returning the old length (or SIZE_MAX when the
 * path would be too long: such deep paths do not exist in the format). */
static size_t differ_push(struct differ *d, const char *fmt, const char *key, size_t i)
{
    size_t len = strlen(d->path);
    int n = key != NULL ? snprintf(d->path + len, sizeof d->path - len, fmt, key)
                        : snprintf(d->path + len, sizeof d->path - len, fmt, i);
    if (n < 0 || (size_t)n >= sizeof d->path - len) {
        d->path[len] = '\0';
        return SIZE_MAX;
    }
    return len;
}

static void diff_node(struct differ *d, const cJSON *a, const cJSON *b);

static void diff_object(struct differ *d, const cJSON *a, const cJSON *b, bool root)
{
    /* Keys of a (compared with b), then keys only b has. */
    for (int pass = 0; pass < 2; pass++) {
        const cJSON *x = pass == 0 ? a : b, *y = pass == 0 ? b : a;
        for (const cJSON *e = x->child; e != NULL; e = e->next) {
            if (root && (strcmp(e->string, "name") == 0 || strcmp(e->string, "description") == 0 ||
                         strcmp(e->string, "notes") == 0))
                continue;
            const cJSON *other = cJSON_GetObjectItemCaseSensitive(y, e->string);
            if (pass == 1 && other != NULL)
                continue;
            size_t mark = differ_push(d, d->path[0] ? ".%s" : "%s", e->string, 0);
            if (mark == SIZE_MAX)
                continue;
            if (pass == 0)
                diff_node(d, e, other);
            else
                d->fn(d->user, d->path);
            d->path[mark] = '\0';
        }
    }
}

static void diff_node(struct differ *d, const cJSON *a, const cJSON *b)
{
    if (a != NULL && b != NULL && cJSON_IsObject(a) && cJSON_IsObject(b)) {
        diff_object(d, a, b, false);
        return;
    }
    if (a != NULL && b != NULL && cJSON_IsArray(a) && cJSON_IsArray(b) &&
        array_len(a) == array_len(b)) {
        size_t i = 0;
        for (const cJSON *x = a->child, *y = b->child; x != NULL; x = x->next, y = y->next, i++) {
            size_t mark = differ_push(d, "[%zu]", NULL, i);
            if (mark == SIZE_MAX)
                continue;
            diff_node(d, x, y);
            d->path[mark] = '\0';
        }
        return;
    }
    if (!same_scalar(a, b))
        d->fn(d->user, d->path);
}

void scn_doc_diff(const struct scn_doc *a, const struct scn_doc *b,
                  scn_diff_fn fn, void *user)
{
    assert(a != NULL && b != NULL && fn != NULL);
    struct differ d = {.fn = fn, .user = user};
    if (cJSON_IsObject(a->root) && cJSON_IsObject(b->root))
        diff_object(&d, a->root, b->root, true);
    else
        fn(user, "");
}

int scn_doc_copy(struct scn_doc *dst, const struct scn_doc *src,
                 const char *path, struct sim_err *err)
{
    assert(dst != NULL && src != NULL && path != NULL);
    struct sim_schema_ctx c;
    struct sim_schema_target t;
    sim_schema_ctx_init(&c, src->name, "", err);
    int rc = sim_schema_walk(&c, keytab_root(), src->root, path, SIM_SCHEMA_CHECK, &t);
    if (rc != SIM_OK)
        return rc;
    const cJSON *value = t.parent != NULL
                             ? cJSON_GetObjectItemCaseSensitive(t.parent, t.key) : NULL;
    sim_schema_ctx_init(&c, dst->name, "", err);
    if (value == NULL) {
        rc = sim_schema_walk(&c, keytab_root(), dst->root, path, SIM_SCHEMA_CHECK, &t);
        if (rc == SIM_OK && t.parent != NULL)
            cJSON_DeleteItemFromObjectCaseSensitive(t.parent, t.key);
        return rc;
    }
    return put(&c, dst, path, cJSON_Duplicate(value, 1));
}

char *scn_doc_print(const struct scn_doc *doc)
{
    assert(doc != NULL);
    return sim_mem_check(cJSON_Print(doc->root));
}

/* ===================================================================
 * Compiling
 * =================================================================== */

/* A compile error "FILE: PATH: rule" on a key an override set becomes
 * "OVERRIDE: rule": the value came from the command line, not the file. */
static void attribute(const struct scn_doc *doc, struct sim_err *err)
{
    size_t n = strlen(doc->name);
    if (err == NULL || doc->origins == NULL || strncmp(err->msg, doc->name, n) != 0 ||
        strncmp(err->msg + n, ": ", 2) != 0)
        return;
    const char *at = err->msg + n + 2;
    const cJSON *o;
    cJSON_ArrayForEach(o, doc->origins) {
        size_t k = strlen(o->string);
        if (strncmp(at, o->string, k) == 0 && strncmp(at + k, ": ", 2) == 0) {
            char out[sizeof err->msg];
            const char *rule = at + k + 2;
            int w = snprintf(out, sizeof out, "%s: ", o->valuestring);
            if (w < 0 || (size_t)w >= sizeof out)
                return;
            size_t n_rule = strlen(rule), room = sizeof out - 1 - (size_t)w;
            if (n_rule > room)
                n_rule = room;
            memcpy(out + w, rule, n_rule);
            out[(size_t)w + n_rule] = '\0';
            memcpy(err->msg, out, sizeof out);
            return;
        }
    }
}

int scn_doc_compile(const struct scn_doc *doc, struct scenario *out,
                    struct sim_err *err)
{
    assert(doc != NULL && out != NULL);
    struct sim_schema_ctx c;
    sim_schema_ctx_init(&c, doc->name, "", err);
    if (!cJSON_IsObject(doc->root))
        return sim_schema_fail(&c, "must be a JSON object");
    /* Built aside, so that *out is untouched on failure. */
    struct scenario *s = sim_calloc(1, sizeof *s);
    int rc = sim_schema_fill(&c, doc->root, keytab_root(), s);
    if (rc == SIM_OK) {
        size_t n = strlen(doc->name);
        if (n >= sizeof s->source)
            n = sizeof s->source - 1;
        memcpy(s->source, doc->name, n);
        s->source[n] = '\0';
        *out = *s;
    } else {
        attribute(doc, err);
    }
    free(s);
    return rc;
}

int scn_load(const char *path, const char *const *sets, size_t n_sets,
             struct scenario *out, struct sim_err *err)
{
    struct scn_doc *doc = scn_doc_load(path, err);
    if (doc == NULL)
        return err != NULL && err->code != SIM_OK ? err->code : SIM_ERR_INPUT;
    int rc = SIM_OK;
    for (size_t i = 0; i < n_sets && rc == SIM_OK; i++)
        rc = scn_doc_set(doc, sets[i], err);
    if (rc == SIM_OK)
        rc = scn_doc_compile(doc, out, err);
    scn_doc_free(doc);
    return rc;
}


const char *scn_doc_label(const struct scn_doc *doc, const char *path, char *buf,
                          size_t n)
{
    assert(doc != NULL && path != NULL);
    return sim_schema_label(keytab_root(), doc->root, path, buf, n);
}
