/* SPDX-License-Identifier: MIT */
/*
 * schema.c - a JSON document checked against a table of keys; paths.
 *
 * The concept, the tables' fields and who owns what are in schema.h.  The
 * checks of one object run in table order, so the first rule broken is
 * the one reported, the same on every run.
 */
#include "sim/schema.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sim_schema_ctx_init(struct sim_schema_ctx *c, const char *file,
                         const char *prefix, struct sim_err *err)
{
    c->file = file;
    c->prefix = prefix;
    c->err = err;
    c->path[0] = '\0';
    c->len = 0;
    c->origin = (struct sim_date_origin){false, 0};
    c->origin_key = NULL;
}

/* Copies at most `max` chars of s into dst (size > max + 3), replacing
 * control characters so that a hostile file cannot drive the terminal. */
void sim_schema_clean(char *dst, size_t size, const char *s, size_t max)
{
    size_t n = 0;
    assert(size > max + 3);
    for (; s[n] != '\0' && n < max; n++) {
        unsigned char ch = (unsigned char)s[n];
        dst[n] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    if (s[n] != '\0') {
        memcpy(dst + n, "...", 3);
        n += 3;
    }
    dst[n] = '\0';
}

/* Appends a key (".key", or "key" at the root) or an index ("[3]") to the
 * path; returns the old length, for sim_schema_pop(). */
size_t sim_schema_push(struct sim_schema_ctx *c, const char *key)
{
    size_t mark = c->len;
    char clean[SIM_SCHEMA_ECHO_MAX + 4];
    sim_schema_clean(clean, sizeof clean, key, SIM_SCHEMA_ECHO_MAX);
    int n = snprintf(c->path + c->len, sizeof c->path - c->len, "%s%s",
                     c->len > 0 ? "." : "", clean);
    if (n > 0)
        c->len = strlen(c->path);
    return mark;
}

size_t sim_schema_push_index(struct sim_schema_ctx *c, size_t i)
{
    size_t mark = c->len;
    int n = snprintf(c->path + c->len, sizeof c->path - c->len, "[%zu]", i);
    if (n > 0)
        c->len = strlen(c->path);
    return mark;
}

void sim_schema_pop(struct sim_schema_ctx *c, size_t mark)
{
    c->len = mark;
    c->path[mark] = '\0';
}

/* Reports "FILE: PATH: RULE"; returns SIM_ERR_INPUT. */
int sim_schema_fail(struct sim_schema_ctx *c, const char *fmt, ...)
{
    char rule[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rule, sizeof rule, fmt, ap);
    va_end(ap);
    return sim_err_set(c->err, SIM_ERR_INPUT, "%s%s%s%s: %s", c->file ? c->file : "",
                       c->file ? ": " : "", c->prefix, c->len > 0 ? c->path : "(root)",
                       rule);
}

int sim_schema_fail_at(struct sim_schema_ctx *c, const char *key, const char *fmt, ...)
{
    char rule[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rule, sizeof rule, fmt, ap);
    va_end(ap);
    size_t mark = sim_schema_push(c, key);
    int rc = sim_schema_fail(c, "%s", rule);
    sim_schema_pop(c, mark);
    return rc;
}

/* The shortest of %.15g and %.17g that reads back as v: "1.4", not
 * "1.3999999999999999". */
const char *sim_schema_num(char buf[32], double v)
{
    snprintf(buf, 32, "%.15g", v);
    if (isfinite(v) && strtod(buf, NULL) != v)
        snprintf(buf, 32, "%.17g", v);
    return buf;
}

/* A JSON value as a message shows it: 1.4, "abc", true, an object. */
const char *sim_schema_describe(const cJSON *v, char buf[64])
{
    char clean[SIM_SCHEMA_ECHO_MAX + 4];
    if (cJSON_IsNumber(v))
        return sim_schema_num(buf, v->valuedouble);
    if (cJSON_IsString(v)) {
        sim_schema_clean(clean, sizeof clean, v->valuestring, SIM_SCHEMA_ECHO_MAX);
        snprintf(buf, 64, "\"%s\"", clean);
        return buf;
    }
    if (cJSON_IsTrue(v))
        return "true";
    if (cJSON_IsFalse(v))
        return "false";
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsArray(v))
        return "an array";
    return "an object";
}

/* ===================================================================
 * Did you mean
 * =================================================================== */

/* "did you mean \"x\"?" or "allowed: a, b, c". */
static void hint(char *buf, size_t size, const char *word, sim_text_list_fn names,
                 const void *arg, const char *list_intro)
{
    char clean[SIM_SCHEMA_ECHO_MAX + 4];
    const char *near = sim_text_closest_in(word, names, arg);
    if (near != NULL) {
        snprintf(buf, size, "did you mean \"%s\"?", near);
        return;
    }
    size_t n = (size_t)snprintf(buf, size, "%s", list_intro);
    for (size_t i = 0; names(arg, i) != NULL && n < size; i++) {
        sim_schema_clean(clean, sizeof clean, names(arg, i), SIM_SCHEMA_ECHO_MAX);
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", clean);
    }
}

/* ===================================================================
 * Keys
 * =================================================================== */

static void *at(void *base, size_t off)
{
    return (char *)base + off;
}

static bool is_whole(const struct sim_schema_key *k)
{
    return k->type == SIM_SCHEMA_UINT || k->type == SIM_SCHEMA_INT || k->type == SIM_SCHEMA_U64 ||
           k->type == SIM_SCHEMA_DAY || k->type == SIM_SCHEMA_DAYS ||
           (k->flags & SIM_SCHEMA_WHOLE);
}

const struct sim_schema_key *sim_schema_key_in(const struct sim_schema_obj *o, const char *name)
{
    for (const struct sim_schema_key *k = o->keys; k->name != NULL; k++)
        if (strcmp(k->name, name) == 0)
            return k;
    return NULL;
}

static const struct sim_schema_key *key_named(const struct sim_schema_obj *o, const char *name)
{
    const struct sim_schema_key *k = sim_schema_key_in(o, name);
    assert(k != NULL);
    return k;
}

static const char *obj_key_name(const void *arg, size_t i)
{
    return ((const struct sim_schema_obj *)arg)->keys[i].name;
}

/* ===================================================================
 * Reading one value
 * =================================================================== */

void sim_schema_range_text(const struct sim_schema_key *k, char *buf, size_t size)
{
    char lo[32], hi[32];
    sim_schema_num(lo, k->lo);
    sim_schema_num(hi, k->hi);
    if (k->type == SIM_SCHEMA_U64)
        snprintf(buf, size, "a whole number from 0 to %s", SIM_SCHEMA_U64_MAX_TEXT);
    else if (is_whole(k) && k->lo == k->hi)
        snprintf(buf, size, "%s", lo);
    else if (is_whole(k) && isinf(k->hi))
        snprintf(buf, size, "a whole number >= %s", lo);
    else if (is_whole(k))
        snprintf(buf, size, "a whole number from %s to %s", lo, hi);
    else if (isinf(k->hi))
        snprintf(buf, size, "%s %s", k->flags & SIM_SCHEMA_LO_OPEN ? ">" : ">=", lo);
    else if (!(k->flags & (SIM_SCHEMA_LO_OPEN | SIM_SCHEMA_HI_OPEN)))
        snprintf(buf, size, "between %s and %s", lo, hi);
    else
        snprintf(buf, size, "%s %s and %s %s",
                 k->flags & SIM_SCHEMA_LO_OPEN ? ">" : ">=", lo,
                 k->flags & SIM_SCHEMA_HI_OPEN ? "<" : "<=", hi);
}

static bool in_range(const struct sim_schema_key *k, double x)
{
    bool lo_ok = k->flags & SIM_SCHEMA_LO_OPEN ? x > k->lo : x >= k->lo;
    bool hi_ok = k->flags & SIM_SCHEMA_HI_OPEN ? x < k->hi : x <= k->hi;
    return lo_ok && hi_ok;
}

/* An absent key: an error if required, otherwise false (use the default). */
static int absent(struct sim_schema_ctx *c, const struct sim_schema_key *k)
{
    if (!(k->flags & SIM_SCHEMA_REQUIRED))
        return SIM_OK;
    return sim_schema_fail(c, "required key missing (%s)", k->help);
}

/* A number within the key's range (and whole when the key says so); the
 * default when absent. */
int sim_schema_read_number(struct sim_schema_ctx *c, const cJSON *v, const struct sim_schema_key *k,
                       double *out)
{
    char got[64], range[96];
    *out = k->def;
    if (v == NULL)
        return absent(c, k);
    if (!cJSON_IsNumber(v))
        return sim_schema_fail(c, "must be %s (got %s)",
                    is_whole(k) ? "a whole number" : "a number",
                    sim_schema_describe(v, got));
    double x = v->valuedouble;
    if (!isfinite(x))
        return sim_schema_fail(c, "must be a finite number");
    if (is_whole(k) && x != floor(x))
        return sim_schema_fail(c, "must be a whole number (got %s)", sim_schema_describe(v, got));
    if (!in_range(k, x)) {
        sim_schema_range_text(k, range, sizeof range);
        return sim_schema_fail(c, "must be %s (got %s)", range, sim_schema_describe(v, got));
    }
    *out = x;
    return SIM_OK;
}

static int read_bool(struct sim_schema_ctx *c, const cJSON *v, const struct sim_schema_key *k,
                     bool *out)
{
    char got[64];
    *out = k->def != 0.0;
    if (v == NULL)
        return absent(c, k);
    if (!cJSON_IsBool(v))
        return sim_schema_fail(c, "must be true or false (got %s)", sim_schema_describe(v, got));
    *out = cJSON_IsTrue(v);
    return SIM_OK;
}

/* The four hex digits at s as a number; -1 when they are not. */
static long hex4(const char *s, size_t n)
{
    long v = 0;
    for (size_t i = 0; i < 4; i++) {
        if (i >= n || !isxdigit((unsigned char)s[i]))
            return -1;
        int ch = tolower((unsigned char)s[i]);
        v = v * 16 + (isdigit(ch) ? ch - '0' : ch - 'a' + 10);
    }
    return v;
}

void sim_schema_mark_escapes(char *t, size_t len)
{
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        if (t[i] == '"') {
            in_string = !in_string;
            continue;
        }
        if (!in_string || t[i] != '\\' || i + 1 >= len)
            continue;
        long u = t[i + 1] == 'u' ? hex4(t + i + 2, len - i - 2) : -1;
        if (u < 0) {
            i++;                /* \" and \\ do not end or start anything */
            continue;
        }
        bool mark = u == 0 || (u >= 0xdc00 && u <= 0xdfff);
        if (u >= 0xd800 && u <= 0xdbff) {
            long lo = i + 7 < len && t[i + 6] == '\\' && t[i + 7] == 'u'
                          ? hex4(t + i + 8, len - i - 8) : -1;
            if (lo >= 0xdc00 && lo <= 0xdfff) {
                i += 11;        /* a whole pair */
                continue;
            }
            mark = true;
        }
        if (mark)
            t[i] = (char)0xff;
        i += 5;
    }
}

/* Text a file may hold: valid UTF-8 without control characters, and none
 * of the escapes sim_schema_mark_escapes() marked. */
static int check_text(struct sim_schema_ctx *c, const char *s)
{
    const char *mark = strstr(s, "\xffu");
    long u = mark != NULL ? hex4(mark + 2, strlen(mark + 2)) : -1;
    if (u == 0)
        return sim_schema_fail(c, "must not hold \\u0000 (a NUL character)");
    if (u >= 0xd800 && u <= 0xdfff)
        return sim_schema_fail(c, "must not hold \\u%04lX: half of a UTF-16 surrogate pair "
                               "without the other half", (unsigned long)u);
    size_t at;
    long cp;
    const char *why = sim_text_invalid(s, &at, &cp);
    if (why == NULL)
        return SIM_OK;
    if (cp < 0)
        return sim_schema_fail(c, "must be valid UTF-8 (byte 0x%02X at offset %zu is not)",
                               (unsigned char)s[at], at);
    return sim_schema_fail(c, "must not hold control characters (U+%04lX at offset %zu)",
                           (unsigned long)cp, at);
}

static int read_text(struct sim_schema_ctx *c, const cJSON *v, const struct sim_schema_key *k,
                     const char **out)
{
    char got[64];
    *out = k->def_text != NULL ? k->def_text : "";
    if (v == NULL)
        return absent(c, k);
    if (!cJSON_IsString(v))
        return sim_schema_fail(c, "must be a string (got %s)", sim_schema_describe(v, got));
    int rc = check_text(c, v->valuestring);
    if (rc != SIM_OK)
        return rc;
    size_t n = strlen(v->valuestring);
    if ((double)n < k->lo || (double)n > k->hi)
        return sim_schema_fail(c, "must be %.0f to %.0f characters long (got %zu)",
                    k->lo, k->hi, n);
    *out = v->valuestring;
    return SIM_OK;
}

static int read_choice(struct sim_schema_ctx *c, const cJSON *v, const struct sim_schema_key *k,
                       const char **out)
{
    char got[64], help[300];
    *out = k->def_text;
    if (v == NULL)
        return absent(c, k);
    if (!cJSON_IsString(v)) {
        hint(help, sizeof help, "", k->choice, NULL, "one of: ");
        return sim_schema_fail(c, "must be a string (got %s); %s", sim_schema_describe(v, got), help);
    }
    for (size_t i = 0; k->choice(NULL, i) != NULL; i++)
        if (strcmp(k->choice(NULL, i), v->valuestring) == 0) {
            *out = k->choice(NULL, i);
            return SIM_OK;
        }
    hint(help, sizeof help, v->valuestring, k->choice, NULL, "one of: ");
    return sim_schema_fail(c, "unknown value %s (%s)", sim_schema_describe(v, got), help);
}

unsigned sim_schema_choice(const cJSON *json, const struct sim_schema_obj *o,
                           const char *name)
{
    const struct sim_schema_key *k = key_named(o, name);
    const cJSON *v = json != NULL ? cJSON_GetObjectItemCaseSensitive(json, name) : NULL;
    const char *chosen = cJSON_IsString(v) ? v->valuestring : k->def_text;
    assert(chosen != NULL);
    for (unsigned i = 0; k->choice(NULL, i) != NULL; i++)
        if (strcmp(k->choice(NULL, i), chosen) == 0)
            return i;
    assert(!"a choice sim_schema_fill() did not check");
    return 0;
}

bool sim_schema_has(const cJSON *json, const char *name)
{
    return json != NULL && cJSON_GetObjectItemCaseSensitive(json, name) != NULL;
}

/* ===================================================================
 * Checking an object against its table
 * =================================================================== */

int sim_schema_fill(struct sim_schema_ctx *c, const cJSON *json, const struct sim_schema_obj *o,
                void *base);

/* Every key of `json` is in the table, once. */
static int check_keys(struct sim_schema_ctx *c, const cJSON *json, const struct sim_schema_obj *o)
{
    char help[300];
    uint64_t seen = 0;
    for (const cJSON *m = json->child; m != NULL; m = m->next) {
        const char *name = m->string != NULL ? m->string : "";
        const struct sim_schema_key *k = sim_schema_key_in(o, name);
        size_t mark = sim_schema_push(c, name);
        int rc = SIM_OK;
        if (k == NULL) {
            hint(help, sizeof help, name, obj_key_name, o, "allowed here: ");
            rc = sim_schema_fail(c, "unknown key (%s)", help);
        } else {
            size_t bit = (size_t)(k - o->keys);
            assert(bit < 64);
            if (seen & (UINT64_C(1) << bit))
                rc = sim_schema_fail(c, "duplicate key");
            seen |= UINT64_C(1) << bit;
        }
        sim_schema_pop(c, mark);
        if (rc != SIM_OK)
            return rc;
    }
    return SIM_OK;
}

/* A U64 key (schema.h): a JSON number below 2^53 or a string of decimal
 * digits, from 0 to 2^64 - 1. */
static int read_u64(struct sim_schema_ctx *c, const cJSON *v, const struct sim_schema_key *k,
                    uint64_t *out)
{
    char got[64], range[96];
    *out = (uint64_t)k->def;
    if (v == NULL)
        return absent(c, k);
    sim_schema_range_text(k, range, sizeof range);
    if (cJSON_IsString(v)) {
        const char *s = v->valuestring;
        char *end = NULL;
        errno = 0;
        unsigned long long u = *s >= '0' && *s <= '9' ? strtoull(s, &end, 10) : 0;
        if (end == NULL || *end != '\0' || errno != 0)
            return sim_schema_fail(c, "must be %s, as a number or a string of decimal "
                                   "digits (got %s)", range, sim_schema_describe(v, got));
        *out = u;
        return SIM_OK;
    }
    if (!cJSON_IsNumber(v))
        return sim_schema_fail(c, "must be %s (got %s)", range, sim_schema_describe(v, got));
    double x = v->valuedouble;
    if (!isfinite(x))
        return sim_schema_fail(c, "must be a finite number");
    if (x != floor(x) || x < 0)
        return sim_schema_fail(c, "must be %s (got %s)", range, sim_schema_describe(v, got));
    if (x > SIM_SCHEMA_EXACT_MAX)
        return sim_schema_fail(c, "must be %s; above 9007199254740991 a JSON number loses "
                               "digits, so write it as a string of decimal digits, as in "
                               "\"%s\" (got %s)", range, SIM_SCHEMA_U64_MAX_TEXT,
                               sim_schema_describe(v, got));
    *out = (uint64_t)x;
    return SIM_OK;
}

static int fill_number(struct sim_schema_ctx *c, const cJSON *v, const struct sim_schema_key *k,
                       void *base)
{
    double x;
    if (k->type == SIM_SCHEMA_U64) {
        uint64_t u;
        int rc = read_u64(c, v, k, &u);
        if (rc == SIM_OK && k->off != SIM_SCHEMA_NOSTORE)
            *(uint64_t *)at(base, k->off) = u;
        return rc;
    }
    int rc = sim_schema_read_number(c, v, k, &x);
    if (rc != SIM_OK || k->off == SIM_SCHEMA_NOSTORE)
        return rc;
    void *p = at(base, k->off);
    switch (k->type) {
    case SIM_SCHEMA_REAL: *(double *)p = x; break;
    case SIM_SCHEMA_UINT: assert(k->hi <= UINT_MAX); *(unsigned *)p = (unsigned)x; break;
    case SIM_SCHEMA_INT: assert(k->hi <= INT_MAX); *(int *)p = (int)x; break;
    default: assert(!"not a number key");
    }
    return SIM_OK;
}

static int fill_text(struct sim_schema_ctx *c, const cJSON *v, const struct sim_schema_key *k,
                     void *base)
{
    const char *s;
    int rc = read_text(c, v, k, &s);
    if (rc == SIM_OK) {
        size_t n = strlen(s);
        assert((double)n <= k->hi);
        memcpy(at(base, k->off), s, n + 1);
    }
    return rc;
}

static int fill_bool(struct sim_schema_ctx *c, const cJSON *v, const struct sim_schema_key *k,
                     void *base)
{
    bool b;
    int rc = read_bool(c, v, k, &b);
    if (rc == SIM_OK)
        *(bool *)at(base, k->off) = b;
    return rc;
}

/* Two elements of one array may not share a name: results are reported
 * by name. */
static int check_unique_names(struct sim_schema_ctx *c, const struct sim_schema_key *k,
                              const cJSON *arr, size_t i, const cJSON *elem)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(elem, "name");
    size_t j = 0;
    for (const cJSON *e = arr->child; j < i; e = e->next, j++) {
        const cJSON *other = cJSON_GetObjectItemCaseSensitive(e, "name");
        if (strcmp(other->valuestring, name->valuestring) == 0) {
            char got[64];
            size_t mark = sim_schema_push(c, "name");
            int rc = sim_schema_fail(c, "duplicate name %s (%s[%zu] has it too)",
                          sim_schema_describe(name, got), k->name, j);
            sim_schema_pop(c, mark);
            return rc;
        }
    }
    return SIM_OK;
}

static int fill_array(struct sim_schema_ctx *c, const cJSON *v, const struct sim_schema_key *k,
                      void *base)
{
    char got[64];
    if (v == NULL)
        return absent(c, k);
    if (!cJSON_IsArray(v))
        return sim_schema_fail(c, "must be an array (got %s)", sim_schema_describe(v, got));
    size_t n = 0;
    for (const cJSON *e = v->child; e != NULL && (double)n <= k->hi; e = e->next)
        n++;
    if ((double)n < k->lo && k->lo == 1)
        return sim_schema_fail(c, "must have at least one %s", k->noun);
    if ((double)n < k->lo)
        return sim_schema_fail(c, "must have at least %.0f %ss", k->lo, k->noun);
    if ((double)n > k->hi)
        return sim_schema_fail(c, "must have at most %.0f %ss", k->hi, k->noun);
    size_t i = 0;
    for (const cJSON *e = v->child; e != NULL; e = e->next, i++) {
        size_t mark = sim_schema_push_index(c, i);
        int rc = sim_schema_fill(c, e, k->sub, at(base, k->off + i * k->sub->size));
        if (rc == SIM_OK)
            rc = check_unique_names(c, k, v, i, e);
        sim_schema_pop(c, mark);
        if (rc != SIM_OK)
            return rc;
    }
    *(unsigned *)at(base, k->count_off) = (unsigned)n;
    return SIM_OK;
}

static int fill_key(struct sim_schema_ctx *c, const cJSON *v, const struct sim_schema_key *k,
                    void *base)
{
    const char *s;
    switch (k->type) {
    case SIM_SCHEMA_REAL:
    case SIM_SCHEMA_UINT:
    case SIM_SCHEMA_INT:
    case SIM_SCHEMA_U64:
        return fill_number(c, v, k, base);
    case SIM_SCHEMA_BOOL:
        return fill_bool(c, v, k, base);
    case SIM_SCHEMA_TEXT:
        return fill_text(c, v, k, base);
    case SIM_SCHEMA_CHOICE:
        return read_choice(c, v, k, &s);
    case SIM_SCHEMA_OBJECT:
        if (v == NULL && (k->flags & SIM_SCHEMA_REQUIRED))
            return absent(c, k);
        return sim_schema_fill(c, v, k->sub, at(base, k->off));
    case SIM_SCHEMA_ARRAY:
        return fill_array(c, v, k, base);
    case SIM_SCHEMA_CUSTOM:
        return k->custom(c, v, k, base);
    case SIM_SCHEMA_ANY:
        return SIM_OK;
    case SIM_SCHEMA_DAY:
    case SIM_SCHEMA_DAYS:
    case SIM_SCHEMA_DATE:
        return sim_schema_fill_day(c, v, k, base);
    }
    assert(!"unknown key type");
    return SIM_ERR_INPUT;
}

/* One member of an object of kind `kind` (the selector's value): a key of
 * another kind is refused when present and left alone (zero) otherwise. */
static int fill_member(struct sim_schema_ctx *c, const cJSON *v, const struct sim_schema_obj *o,
                       const struct sim_schema_key *k, const char *kind, void *base)
{
    if (k->only == NULL)
        return fill_key(c, v, k, base);
    assert(kind != NULL);
    if (strcmp(k->only, kind) != 0)
        return v != NULL ? sim_schema_fail(c, "only with %s \"%s\"", o->selector, k->only)
                         : SIM_OK;
    if (v == NULL && (k->flags & SIM_SCHEMA_REQUIRED))
        return sim_schema_fail(c, "required with %s \"%s\" (%s)", o->selector, k->only,
                    k->help);
    return fill_key(c, v, k, base);
}

/* Checks `json` (NULL: absent, so every key takes its default) against
 * the table `o` and fills the struct at `base`. */
int sim_schema_fill(struct sim_schema_ctx *c, const cJSON *json, const struct sim_schema_obj *o,
                void *base)
{
    char got[64];
    if (json != NULL && !cJSON_IsObject(json))
        return sim_schema_fail(c, "must be an object (got %s)", sim_schema_describe(json, got));
    int rc = json != NULL ? check_keys(c, json, o) : SIM_OK;
    const char *kind = NULL;
    if (rc == SIM_OK && o->selector != NULL) {
        const struct sim_schema_key *sel = key_named(o, o->selector);
        size_t mark = sim_schema_push(c, sel->name);
        rc = read_choice(c, json ? cJSON_GetObjectItemCaseSensitive(json, sel->name)
                                 : NULL, sel, &kind);
        sim_schema_pop(c, mark);
    }
    /* Two passes: the DATE key (the origin of days) first, then the rest
     * in table order. */
    for (int pass = 0; pass < 2; pass++)
        for (const struct sim_schema_key *k = o->keys; rc == SIM_OK && k->name != NULL; k++) {
            if ((k->type == SIM_SCHEMA_DATE) != (pass == 0))
                continue;
            const cJSON *v = json ? cJSON_GetObjectItemCaseSensitive(json, k->name)
                                  : NULL;
            size_t mark = sim_schema_push(c, k->name);
            rc = fill_member(c, v, o, k, kind, base);
            sim_schema_pop(c, mark);
        }
    if (rc == SIM_OK && o->finish != NULL)
        rc = o->finish(c, json, base);
    return rc;
}

/* ===================================================================
 * Paths
 * =================================================================== */

#define SIM_SCHEMA_SEGS_MAX 16

/* One step of a path: a key, or an index when key is NULL. */
struct seg {
    const char *key;
    size_t index;
};

/* Splits `path` (copied into buf, which the segments point into) into
 * segments: KEY, KEY[N], KEY.KEY, ... */
static int split_path(struct sim_schema_ctx *c, const char *path, char *buf,
                      struct seg *segs, size_t *n_segs)
{
    size_t n = 0, len = strlen(path);
    if (len >= SIM_SCHEMA_PATH_MAX)
        return sim_schema_fail(c, "path too long");
    memcpy(buf, path, len + 1);
    char *p = buf;
    for (;;) {
        char *key = p;
        p += strcspn(p, ".[]");
        if (p == key || n == SIM_SCHEMA_SEGS_MAX)
            goto malformed;
        segs[n++] = (struct seg){key, 0};
        char sep = *p;
        *p = '\0';
        while (sep == '[') {
            size_t nd = strspn(++p, "0123456789");
            if (nd == 0 || nd > 9 || p[nd] != ']' || n == SIM_SCHEMA_SEGS_MAX)
                goto malformed;
            p[nd] = '\0';
            segs[n++] = (struct seg){NULL, strtoul(p, NULL, 10)};
            p += nd + 1;
            sep = *p;
        }
        if (sep == '\0')
            break;
        if (sep != '.')
            goto malformed;
        p++;
    }
    *n_segs = n;
    return SIM_OK;
malformed:
    return sim_schema_fail(c, "malformed path (expected KEY, KEY[N] or KEY.KEY, "
                   "N a whole number)");
}

/* The object-valued member `k` of `node`, created when allowed. */
static int descend_object(struct sim_schema_ctx *c, cJSON **node, const struct sim_schema_key *k,
                          enum sim_schema_walk_mode mode)
{
    char got[64];
    cJSON *child = *node != NULL
                       ? cJSON_GetObjectItemCaseSensitive(*node, k->name) : NULL;
    if (child != NULL && !cJSON_IsObject(child))
        return sim_schema_fail(c, "is not an object in the file (got %s)", sim_schema_describe(child, got));
    if (child == NULL && mode == SIM_SCHEMA_LOOKUP)
        return sim_schema_fail(c, "not in the file");
    if (child == NULL && mode == SIM_SCHEMA_CREATE && *node != NULL) {
        /* cJSON's allocation hooks abort when memory runs out (sim/mem.h). */
        child = cJSON_CreateObject();
        cJSON_AddItemToObject(*node, k->name, child);
    }
    *node = child;
    return SIM_OK;
}

/* The element `i` of the array-valued member `k` of `node`. */
static int descend_index(struct sim_schema_ctx *c, cJSON **node, const struct sim_schema_key *k,
                         size_t i)
{
    char got[64];
    cJSON *arr = *node != NULL
                     ? cJSON_GetObjectItemCaseSensitive(*node, k->name) : NULL;
    if (arr != NULL && !cJSON_IsArray(arr))
        return sim_schema_fail(c, "is not an array in the file (got %s)", sim_schema_describe(arr, got));
    size_t n = 0;
    cJSON *elem = NULL;
    for (cJSON *e = arr != NULL ? arr->child : NULL; e != NULL; e = e->next, n++)
        if (n == i)
            elem = e;
    sim_schema_push_index(c, i);
    if (elem == NULL)
        return sim_schema_fail(c, "no such element (%s has %zu)", k->name, n);
    if (!cJSON_IsObject(elem))
        return sim_schema_fail(c, "is not an object in the file (got %s)", sim_schema_describe(elem, got));
    *node = elem;
    return SIM_OK;
}

int sim_schema_walk(struct sim_schema_ctx *c, const struct sim_schema_obj *root_obj,
                    cJSON *root, const char *path, enum sim_schema_walk_mode mode,
                    struct sim_schema_target *t)
{
    char buf[SIM_SCHEMA_PATH_MAX];
    struct seg segs[SIM_SCHEMA_SEGS_MAX];
    size_t n = 0;
    size_t mark = sim_schema_push(c, path);
    int rc = split_path(c, path, buf, segs, &n);
    if (rc == SIM_OK && segs[n - 1].key == NULL)
        rc = sim_schema_fail(c, "a path must end with a key");
    sim_schema_pop(c, mark);
    if (rc != SIM_OK)
        return rc;
    if (!cJSON_IsObject(root))
        return sim_schema_fail(c, "must be a JSON object");
    cJSON *node = root;
    const struct sim_schema_obj *o = root_obj;
    for (size_t i = 0; i < n; i++) {
        const struct sim_schema_key *k = sim_schema_key_in(o, segs[i].key);
        if (k == NULL) {
            char help[300];
            hint(help, sizeof help, segs[i].key, obj_key_name, o,
                 "allowed here: ");
            sim_schema_push(c, segs[i].key);
            return sim_schema_fail(c, "unknown key (%s)", help);
        }
        sim_schema_push(c, k->name);
        if (i + 1 == n) {
            *t = (struct sim_schema_target){node, k->name, k};
            return SIM_OK;
        }
        if (segs[i + 1].key == NULL) {
            if (k->type != SIM_SCHEMA_ARRAY)
                return sim_schema_fail(c, "is not an array");
            rc = descend_index(c, &node, k, segs[++i].index);
            if (rc == SIM_OK && i + 1 < n && segs[i + 1].key == NULL)
                rc = sim_schema_fail(c, "is not an array");
        } else if (k->sub == NULL || k->type == SIM_SCHEMA_ARRAY) {
            rc = sim_schema_fail(c, "is not an object");
        } else {
            rc = descend_object(c, &node, k, mode);
        }
        if (rc != SIM_OK)
            return rc;
        o = k->sub;
    }
    assert(!"unreachable");
    return SIM_ERR_INPUT;
}
