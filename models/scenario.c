/*
 * scenario.c - loading, overriding and checking scenario files.
 *
 * The format is described once, by the static tables at the end of the
 * "format" section: one `struct obj` per JSON object, listing its keys
 * (`struct key`: type, range, default, where the value lands, a help line).
 * Everything else is driven by those tables:
 *
 *   - fill() checks an object against its table (unknown keys with a
 *     did-you-mean hint, duplicates, types, ranges, required keys, keys of
 *     another kind) and writes each value, or its default, into the struct
 *     the object maps to; a `finish` hook then applies the rules that tie
 *     several keys together and turns names into table pointers;
 *   - walk() resolves a --set path against the same tables, so that an
 *     override can name exactly the keys a file could hold.
 *
 * Input is untrusted (the loader is fuzzed): cJSON limits nesting to 1000,
 * fill() only recurses as deep as the tables, arrays and files are bounded
 * before they are walked, and every string echoed in a message is cut and
 * cleaned.
 *
 * SPDX-License-Identifier: MIT
 */
#include "scenario.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cJSON.h>

#include "models/route.h"
#include "sim/text.h"

#if defined(__GNUC__)
#define SCN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SCN_PRINTF(f, a)
#endif

#define SCN_FILE_MAX (4u << 20)        /* bytes; a scenario is a few KiB */
#define SCN_MAX_LEADS 1e9              /* expected leads per replication */
#define SCN_ECHO_MAX 40                /* chars of a string echoed in a message */
/* The smallest cv of a distribution with a free cv: gamma's shape is
 * 1 / cv^2, which becomes infinite (and its samples NaN) for a cv below
 * about 1e-154; a cv of 0.1% is already no spread at all. */
#define SCN_MIN_CV 1e-3
/* Money: any larger value sums to infinity over the leads of a run and
 * would be printed as null. */
#define SCN_MAX_MONEY 1e15

struct scn_doc {
    cJSON *root;
    char *name;
};

/* ===================================================================
 * Messages
 * =================================================================== */

/* Where an error is: the file, an optional prefix ("--set ") and the JSON
 * path being checked, kept as a string that grows and shrinks as the
 * checks descend. */
struct ctx {
    const char *file;
    const char *prefix;
    struct sim_err *err;
    char path[256];
    size_t len;
};

static void ctx_init(struct ctx *c, const char *file, const char *prefix,
                     struct sim_err *err)
{
    c->file = file;
    c->prefix = prefix;
    c->err = err;
    c->path[0] = '\0';
    c->len = 0;
}

/* Copies at most `max` chars of s into dst (size > max + 3), replacing
 * control characters so that a hostile file cannot drive the terminal. */
static void clean_copy(char *dst, size_t size, const char *s, size_t max)
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
 * path; returns the old length, for path_pop(). */
static size_t path_push(struct ctx *c, const char *key)
{
    size_t mark = c->len;
    char clean[SCN_ECHO_MAX + 4];
    clean_copy(clean, sizeof clean, key, SCN_ECHO_MAX);
    int n = snprintf(c->path + c->len, sizeof c->path - c->len, "%s%s",
                     c->len > 0 ? "." : "", clean);
    if (n > 0)
        c->len = strlen(c->path);
    return mark;
}

static size_t path_push_index(struct ctx *c, size_t i)
{
    size_t mark = c->len;
    int n = snprintf(c->path + c->len, sizeof c->path - c->len, "[%zu]", i);
    if (n > 0)
        c->len = strlen(c->path);
    return mark;
}

static void path_pop(struct ctx *c, size_t mark)
{
    c->len = mark;
    c->path[mark] = '\0';
}

static int fail(struct ctx *c, const char *fmt, ...) SCN_PRINTF(2, 3);

/* Reports "FILE: PATH: RULE"; returns SIM_ERR_INPUT. */
static int fail(struct ctx *c, const char *fmt, ...)
{
    char rule[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rule, sizeof rule, fmt, ap);
    va_end(ap);
    return sim_err_set(c->err, SIM_ERR_INPUT, "%s: %s%s: %s", c->file,
                       c->prefix, c->len > 0 ? c->path : "(root)", rule);
}

static int out_of_memory(struct sim_err *err, const char *file)
{
    return sim_err_set(err, SIM_ERR_RUNTIME, "%s: out of memory", file);
}

/* The shortest of %.15g and %.17g that reads back as v: "1.4", not
 * "1.3999999999999999". */
static const char *fmt_num(char buf[32], double v)
{
    snprintf(buf, 32, "%.15g", v);
    if (isfinite(v) && strtod(buf, NULL) != v)
        snprintf(buf, 32, "%.17g", v);
    return buf;
}

/* A JSON value as a message shows it: 1.4, "abc", true, an object. */
static const char *describe(const cJSON *v, char buf[64])
{
    char clean[SCN_ECHO_MAX + 4];
    if (cJSON_IsNumber(v))
        return fmt_num(buf, v->valuedouble);
    if (cJSON_IsString(v)) {
        clean_copy(clean, sizeof clean, v->valuestring, SCN_ECHO_MAX);
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

/* The i-th name of a list described by arg; NULL past the end. */
typedef sim_text_list_fn name_fn;

/* "did you mean \"x\"?" or "allowed: a, b, c". */
static void hint(char *buf, size_t size, const char *word, name_fn names,
                 const void *arg, const char *list_intro)
{
    char clean[SCN_ECHO_MAX + 4];
    const char *near = sim_text_closest_in(word, names, arg);
    if (near != NULL) {
        snprintf(buf, size, "did you mean \"%s\"?", near);
        return;
    }
    size_t n = (size_t)snprintf(buf, size, "%s", list_intro);
    for (size_t i = 0; names(arg, i) != NULL && n < size; i++) {
        clean_copy(clean, sizeof clean, names(arg, i), SCN_ECHO_MAX);
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", clean);
    }
}

/* ===================================================================
 * The format's description
 * =================================================================== */

enum ktype {
    K_REAL,     /* double */
    K_UINT,     /* unsigned, a whole number */
    K_INT,      /* int, a whole number */
    K_U64,      /* uint64_t, a whole number */
    K_BOOL,     /* bool */
    K_TEXT,     /* char[hi + 1], length lo..hi */
    K_CHOICE,   /* one of `choice`'s names; the finish hook stores it */
    K_OBJECT,   /* `sub` at base + off */
    K_ARRAY,    /* lo..hi `sub` objects at base + off, count at count_off */
    K_CUSTOM,   /* `custom` reads it; `sub` is its object form, if any */
    K_ANY       /* any JSON value, ignored */
};

#define F_REQUIRED 1u
#define F_LO_OPEN 2u    /* lo itself is out of range */
#define F_HI_OPEN 4u    /* hi itself is out of range */
#define F_WHOLE 8u      /* a K_CUSTOM number must be whole */

#define NOSTORE SIZE_MAX

struct ctx;
struct key;

struct obj {
    const struct key *keys;     /* ends with a NULL name */
    const char *selector;       /* the key that picks the kind, or NULL */
    size_t size;                /* sizeof what an element fills (arrays) */
    int (*finish)(struct ctx *c, const cJSON *json, void *base);
};

struct key {
    const char *name;
    enum ktype type;
    unsigned flags;
    double lo, hi;              /* value range; text length; array size */
    double def;                 /* default of a number or bool */
    const char *def_text;       /* default of a text or choice */
    size_t off;                 /* where it lands from the base; NOSTORE */
    size_t count_off;           /* K_ARRAY: where the count lands */
    const char *only;           /* the selector value it needs, or NULL */
    const struct obj *sub;
    name_fn choice;
    int (*custom)(struct ctx *c, const cJSON *v, const struct key *k,
                  void *base);
    const char *noun;           /* K_ARRAY: an element, for messages */
    const char *help;
};

static void *at(void *base, size_t off)
{
    return (char *)base + off;
}

static bool is_whole(const struct key *k)
{
    return k->type == K_UINT || k->type == K_INT || k->type == K_U64 ||
           (k->flags & F_WHOLE);
}

static const struct key *key_find(const struct obj *o, const char *name)
{
    for (const struct key *k = o->keys; k->name != NULL; k++)
        if (strcmp(k->name, name) == 0)
            return k;
    return NULL;
}

static const struct key *key_named(const struct obj *o, const char *name)
{
    const struct key *k = key_find(o, name);
    assert(k != NULL);
    return k;
}

static const char *obj_key_name(const void *arg, size_t i)
{
    return ((const struct obj *)arg)->keys[i].name;
}

/* ===================================================================
 * Reading one value
 * =================================================================== */

static void range_text(const struct key *k, char *buf, size_t size)
{
    char lo[32], hi[32];
    fmt_num(lo, k->lo);
    fmt_num(hi, k->hi);
    if (is_whole(k) && k->lo == k->hi)
        snprintf(buf, size, "%s", lo);
    else if (is_whole(k) && isinf(k->hi))
        snprintf(buf, size, "a whole number >= %s", lo);
    else if (is_whole(k))
        snprintf(buf, size, "a whole number from %s to %s", lo, hi);
    else if (isinf(k->hi))
        snprintf(buf, size, "%s %s", k->flags & F_LO_OPEN ? ">" : ">=", lo);
    else if (!(k->flags & (F_LO_OPEN | F_HI_OPEN)))
        snprintf(buf, size, "between %s and %s", lo, hi);
    else
        snprintf(buf, size, "%s %s and %s %s",
                 k->flags & F_LO_OPEN ? ">" : ">=", lo,
                 k->flags & F_HI_OPEN ? "<" : "<=", hi);
}

static bool in_range(const struct key *k, double x)
{
    bool lo_ok = k->flags & F_LO_OPEN ? x > k->lo : x >= k->lo;
    bool hi_ok = k->flags & F_HI_OPEN ? x < k->hi : x <= k->hi;
    return lo_ok && hi_ok;
}

/* An absent key: an error if required, otherwise false (use the default). */
static int absent(struct ctx *c, const struct key *k)
{
    if (!(k->flags & F_REQUIRED))
        return SIM_OK;
    return fail(c, "required key missing (%s)", k->help);
}

/* A number within the key's range (and whole when the key says so); the
 * default when absent. */
static int read_number(struct ctx *c, const cJSON *v, const struct key *k,
                       double *out)
{
    char got[64], range[96];
    *out = k->def;
    if (v == NULL)
        return absent(c, k);
    if (!cJSON_IsNumber(v))
        return fail(c, "must be %s (got %s)",
                    is_whole(k) ? "a whole number" : "a number",
                    describe(v, got));
    double x = v->valuedouble;
    if (!isfinite(x))
        return fail(c, "must be a finite number");
    if (is_whole(k) && x != floor(x))
        return fail(c, "must be a whole number (got %s)", describe(v, got));
    if (!in_range(k, x)) {
        range_text(k, range, sizeof range);
        return fail(c, "must be %s (got %s)", range, describe(v, got));
    }
    *out = x;
    return SIM_OK;
}

static int read_bool(struct ctx *c, const cJSON *v, const struct key *k,
                     bool *out)
{
    char got[64];
    *out = k->def != 0.0;
    if (v == NULL)
        return absent(c, k);
    if (!cJSON_IsBool(v))
        return fail(c, "must be true or false (got %s)", describe(v, got));
    *out = cJSON_IsTrue(v);
    return SIM_OK;
}

static int read_text(struct ctx *c, const cJSON *v, const struct key *k,
                     const char **out)
{
    char got[64];
    *out = k->def_text != NULL ? k->def_text : "";
    if (v == NULL)
        return absent(c, k);
    if (!cJSON_IsString(v))
        return fail(c, "must be a string (got %s)", describe(v, got));
    size_t n = strlen(v->valuestring);
    if ((double)n < k->lo || (double)n > k->hi)
        return fail(c, "must be %.0f to %.0f characters long (got %zu)",
                    k->lo, k->hi, n);
    *out = v->valuestring;
    return SIM_OK;
}

static int read_choice(struct ctx *c, const cJSON *v, const struct key *k,
                       const char **out)
{
    char got[64], help[300];
    *out = k->def_text;
    if (v == NULL)
        return absent(c, k);
    if (!cJSON_IsString(v)) {
        hint(help, sizeof help, "", k->choice, NULL, "one of: ");
        return fail(c, "must be a string (got %s); %s", describe(v, got), help);
    }
    for (size_t i = 0; k->choice(NULL, i) != NULL; i++)
        if (strcmp(k->choice(NULL, i), v->valuestring) == 0) {
            *out = k->choice(NULL, i);
            return SIM_OK;
        }
    hint(help, sizeof help, v->valuestring, k->choice, NULL, "one of: ");
    return fail(c, "unknown value %s (%s)", describe(v, got), help);
}

/* The value of a choice key that fill() has already checked. */
static const char *choice_of(const cJSON *json, const struct obj *o,
                             const char *name)
{
    const struct key *k = key_named(o, name);
    const cJSON *v = json != NULL ? cJSON_GetObjectItemCaseSensitive(json, name)
                                  : NULL;
    return cJSON_IsString(v) ? v->valuestring : k->def_text;
}

static bool has_key(const cJSON *json, const char *name)
{
    return json != NULL && cJSON_GetObjectItemCaseSensitive(json, name) != NULL;
}

/* ===================================================================
 * Checking an object against its table
 * =================================================================== */

static int fill(struct ctx *c, const cJSON *json, const struct obj *o,
                void *base);

/* Every key of `json` is in the table, once. */
static int check_keys(struct ctx *c, const cJSON *json, const struct obj *o)
{
    char help[300];
    uint64_t seen = 0;
    for (const cJSON *m = json->child; m != NULL; m = m->next) {
        const char *name = m->string != NULL ? m->string : "";
        const struct key *k = key_find(o, name);
        size_t mark = path_push(c, name);
        int rc = SIM_OK;
        if (k == NULL) {
            hint(help, sizeof help, name, obj_key_name, o, "allowed here: ");
            rc = fail(c, "unknown key (%s)", help);
        } else {
            size_t bit = (size_t)(k - o->keys);
            assert(bit < 64);
            if (seen & (UINT64_C(1) << bit))
                rc = fail(c, "duplicate key");
            seen |= UINT64_C(1) << bit;
        }
        path_pop(c, mark);
        if (rc != SIM_OK)
            return rc;
    }
    return SIM_OK;
}

static int fill_number(struct ctx *c, const cJSON *v, const struct key *k,
                       void *base)
{
    double x;
    int rc = read_number(c, v, k, &x);
    if (rc != SIM_OK || k->off == NOSTORE)
        return rc;
    void *p = at(base, k->off);
    switch (k->type) {
    case K_REAL: *(double *)p = x; break;
    case K_UINT: assert(k->hi <= UINT_MAX); *(unsigned *)p = (unsigned)x; break;
    case K_INT: assert(k->hi <= INT_MAX); *(int *)p = (int)x; break;
    case K_U64: *(uint64_t *)p = (uint64_t)x; break;
    default: assert(!"not a number key");
    }
    return SIM_OK;
}

static int fill_text(struct ctx *c, const cJSON *v, const struct key *k,
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

static int fill_bool(struct ctx *c, const cJSON *v, const struct key *k,
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
static int check_unique_names(struct ctx *c, const struct key *k,
                              const cJSON *arr, size_t i, const cJSON *elem)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(elem, "name");
    size_t j = 0;
    for (const cJSON *e = arr->child; j < i; e = e->next, j++) {
        const cJSON *other = cJSON_GetObjectItemCaseSensitive(e, "name");
        if (strcmp(other->valuestring, name->valuestring) == 0) {
            char got[64];
            size_t mark = path_push(c, "name");
            int rc = fail(c, "duplicate name %s (%s[%zu] has it too)",
                          describe(name, got), k->name, j);
            path_pop(c, mark);
            return rc;
        }
    }
    return SIM_OK;
}

static int fill_array(struct ctx *c, const cJSON *v, const struct key *k,
                      void *base)
{
    char got[64];
    if (v == NULL)
        return absent(c, k);
    if (!cJSON_IsArray(v))
        return fail(c, "must be an array (got %s)", describe(v, got));
    size_t n = 0;
    for (const cJSON *e = v->child; e != NULL && (double)n <= k->hi; e = e->next)
        n++;
    if ((double)n < k->lo && k->lo == 1)
        return fail(c, "must have at least one %s", k->noun);
    if ((double)n < k->lo)
        return fail(c, "must have at least %.0f %ss", k->lo, k->noun);
    if ((double)n > k->hi)
        return fail(c, "must have at most %.0f %ss", k->hi, k->noun);
    size_t i = 0;
    for (const cJSON *e = v->child; e != NULL; e = e->next, i++) {
        size_t mark = path_push_index(c, i);
        int rc = fill(c, e, k->sub, at(base, k->off + i * k->sub->size));
        if (rc == SIM_OK)
            rc = check_unique_names(c, k, v, i, e);
        path_pop(c, mark);
        if (rc != SIM_OK)
            return rc;
    }
    *(unsigned *)at(base, k->count_off) = (unsigned)n;
    return SIM_OK;
}

static int fill_key(struct ctx *c, const cJSON *v, const struct key *k,
                    void *base)
{
    const char *s;
    switch (k->type) {
    case K_REAL:
    case K_UINT:
    case K_INT:
    case K_U64:
        return fill_number(c, v, k, base);
    case K_BOOL:
        return fill_bool(c, v, k, base);
    case K_TEXT:
        return fill_text(c, v, k, base);
    case K_CHOICE:
        return read_choice(c, v, k, &s);
    case K_OBJECT:
        if (v == NULL && (k->flags & F_REQUIRED))
            return absent(c, k);
        return fill(c, v, k->sub, at(base, k->off));
    case K_ARRAY:
        return fill_array(c, v, k, base);
    case K_CUSTOM:
        return k->custom(c, v, k, base);
    case K_ANY:
        return SIM_OK;
    }
    assert(!"unknown key type");
    return SIM_ERR_INPUT;
}

/* One member of an object of kind `kind` (the selector's value): a key of
 * another kind is refused when present and left alone (zero) otherwise. */
static int fill_member(struct ctx *c, const cJSON *v, const struct obj *o,
                       const struct key *k, const char *kind, void *base)
{
    if (k->only == NULL)
        return fill_key(c, v, k, base);
    assert(kind != NULL);
    if (strcmp(k->only, kind) != 0)
        return v != NULL ? fail(c, "only with %s \"%s\"", o->selector, k->only)
                         : SIM_OK;
    if (v == NULL && (k->flags & F_REQUIRED))
        return fail(c, "required with %s \"%s\" (%s)", o->selector, k->only,
                    k->help);
    return fill_key(c, v, k, base);
}

/* Checks `json` (NULL: absent, so every key takes its default) against
 * the table `o` and fills the struct at `base`. */
static int fill(struct ctx *c, const cJSON *json, const struct obj *o,
                void *base)
{
    char got[64];
    if (json != NULL && !cJSON_IsObject(json))
        return fail(c, "must be an object (got %s)", describe(json, got));
    int rc = json != NULL ? check_keys(c, json, o) : SIM_OK;
    const char *kind = NULL;
    if (rc == SIM_OK && o->selector != NULL) {
        const struct key *sel = key_named(o, o->selector);
        size_t mark = path_push(c, sel->name);
        rc = read_choice(c, json ? cJSON_GetObjectItemCaseSensitive(json, sel->name)
                                 : NULL, sel, &kind);
        path_pop(c, mark);
    }
    for (const struct key *k = o->keys; rc == SIM_OK && k->name != NULL; k++) {
        const cJSON *v = json ? cJSON_GetObjectItemCaseSensitive(json, k->name)
                              : NULL;
        size_t mark = path_push(c, k->name);
        rc = fill_member(c, v, o, k, kind, base);
        path_pop(c, mark);
    }
    if (rc == SIM_OK && o->finish != NULL)
        rc = o->finish(c, json, base);
    return rc;
}

/* ===================================================================
 * Rules that tie keys together
 * =================================================================== */

static int fail_at(struct ctx *c, const char *key, const char *fmt, ...)
    SCN_PRINTF(3, 4);

/* fail() one level down, at `key`. */
static int fail_at(struct ctx *c, const char *key, const char *fmt, ...)
{
    char rule[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rule, sizeof rule, fmt, ap);
    va_end(ap);
    size_t mark = path_push(c, key);
    int rc = fail(c, "%s", rule);
    path_pop(c, mark);
    return rc;
}

static const struct obj calendar_obj, arrivals_obj, temperature_obj,
    dist_deal_obj, dist_duration_obj, prequal_obj, decay_obj, abandon_obj,
    root_obj;

static int finish_calendar(struct ctx *c, const cJSON *json, void *base)
{
    struct sim_cal *cal = base;
    char a[32], b[32];
    cal->business = strcmp(choice_of(json, &calendar_obj, "mode"), "business") == 0;
    if (cal->business && cal->start_hour + cal->hours_per_day > 24.0)
        return fail(c, "start_hour + hours_per_day must be at most 24, a working "
                       "day does not cross midnight (got %s + %s)",
                    fmt_num(a, cal->start_hour), fmt_num(b, cal->hours_per_day));
    return SIM_OK;
}

static int finish_arrivals(struct ctx *c, const cJSON *json, void *base)
{
    struct scn_channel *ch = base;
    (void)c;
    ch->kind = strcmp(choice_of(json, &arrivals_obj, "kind"), "batch") == 0
                   ? SCN_ARRIVALS_BATCH : SCN_ARRIVALS_POISSON;
    return SIM_OK;
}

/* Absent: every lead is hot.  Given: the missing ones are 0 and the three
 * shares add up to 1. */
static int finish_temperature(struct ctx *c, const cJSON *json, void *base)
{
    double *t = base;
    char got[32];
    if (json == NULL) {
        t[SCN_HOT] = 1.0;
        return SIM_OK;
    }
    double sum = t[SCN_HOT] + t[SCN_WARM] + t[SCN_COLD];
    if (fabs(sum - 1.0) > 1e-9)
        return fail(c, "hot + warm + cold must add up to 1 (got %s)",
                    fmt_num(got, sum));
    return SIM_OK;
}

static const char *dist_kind(const cJSON *json, const struct obj *o)
{
    return choice_of(json, o, "dist");
}

/* A cv that contradicts the distribution is refused rather than ignored:
 * the user believes it is in effect. */
static int finish_dist(struct ctx *c, const cJSON *json, const struct obj *o,
                       void *base)
{
    struct dist *d = base;
    const struct dist_type *t = dist_find(dist_kind(json, o));
    char a[32], b[32];
    assert(t != NULL);
    if (t->fixed_cv >= 0.0 && has_key(json, "cv") && d->cv != t->fixed_cv)
        return fail_at(c, "cv", "must be %s with dist \"%s\" (got %s)",
                       fmt_num(a, t->fixed_cv), t->name, fmt_num(b, d->cv));
    if (t->fixed_cv < 0.0 && d->cv <= 0.0)
        return fail_at(c, "cv", "must be > 0 with dist \"%s\" (got %s; for no "
                       "spread use dist \"fixed\")", t->name, fmt_num(a, d->cv));
    if (t->fixed_cv < 0.0 && d->cv < SCN_MIN_CV)
        return fail_at(c, "cv", "must be at least %s with dist \"%s\" (got %s; "
                       "for no spread use dist \"fixed\")", fmt_num(b, SCN_MIN_CV),
                       t->name, fmt_num(a, d->cv));
    dist_set(d, t, d->mean, d->cv);
    return SIM_OK;
}

static int finish_deal(struct ctx *c, const cJSON *json, void *base)
{
    return finish_dist(c, json, &dist_deal_obj, base);
}

static int finish_duration(struct ctx *c, const cJSON *json, void *base)
{
    return finish_dist(c, json, &dist_duration_obj, base);
}

/* deal_value: a number (every deal worth exactly that) or a distribution. */
static int custom_deal_value(struct ctx *c, const cJSON *v, const struct key *k,
                             void *base)
{
    struct dist *d = at(base, k->off);
    if (v == NULL || cJSON_IsNumber(v)) {
        double x;
        int rc = read_number(c, v, k, &x);
        dist_set(d, &dist_fixed, x, 0.0);
        return rc;
    }
    if (!cJSON_IsObject(v)) {
        char got[64];
        return fail(c, "must be a number or an object (got %s)", describe(v, got));
    }
    return fill(c, v, k->sub, d);
}

/* max_backlog: null (no cap) or a whole number. */
static int custom_max_backlog(struct ctx *c, const cJSON *v,
                              const struct key *k, void *base)
{
    struct scn_handoff *h = base;
    char got[64];
    double x;
    h->capped = false;
    h->max_backlog = 0;
    if (v == NULL || cJSON_IsNull(v))
        return SIM_OK;
    if (!cJSON_IsNumber(v))
        return fail(c, "must be null or a whole number (got %s)", describe(v, got));
    int rc = read_number(c, v, k, &x);
    if (rc == SIM_OK) {
        h->capped = true;
        h->max_backlog = (unsigned)x;
    }
    return rc;
}

static int finish_prequal(struct ctx *c, const cJSON *json, void *base)
{
    struct scn_prequal *p = base;
    if (p->min_true > p->indicators)
        return fail_at(c, "min_true", "must be at most indicators (%u) (got %u%s)",
                       p->indicators, p->min_true,
                       has_key(json, "min_true") ? "" : ", the default");
    return SIM_OK;
}

static int finish_contact(struct ctx *c, const cJSON *json, void *base)
{
    struct scn_contact *k = base;
    char a[32], b[32];
    (void)json;
    if (k->misjudge_base + k->rush_penalty > 1.0)
        return fail(c, "misjudge_base + rush_penalty must be at most 1 (got %s + %s)",
                    fmt_num(a, k->misjudge_base), fmt_num(b, k->rush_penalty));
    return SIM_OK;
}

static int finish_decay(struct ctx *c, const cJSON *json, void *base)
{
    struct decay *d = base;
    char a[32], b[32];
    d->type = decay_find(choice_of(json, &decay_obj, "kind"));
    assert(d->type != NULL);
    if (d->type == &decay_two_phase &&
        d->slow_half_life_hours < d->fast_half_life_hours)
        return fail_at(c, "slow_half_life_hours",
                       "must be >= fast_half_life_hours (got %s, fast %s)",
                       fmt_num(a, d->slow_half_life_hours),
                       fmt_num(b, d->fast_half_life_hours));
    decay_prepare(d);
    return SIM_OK;
}

/* Both mean_hours and after_hours land in patience.mean; fill() leaves the
 * one of the other kind untouched. */
static int finish_abandon(struct ctx *c, const cJSON *json, void *base)
{
    struct scn_abandon *a = base;
    const char *kind = choice_of(json, &abandon_obj, "kind");
    (void)c;
    a->enabled = strcmp(kind, "none") != 0;
    if (strcmp(kind, "exponential") == 0)
        dist_set(&a->patience, &dist_exponential, a->patience.mean, 1.0);
    else if (strcmp(kind, "fixed") == 0)
        dist_set(&a->patience, &dist_fixed, a->patience.mean, 0.0);
    else    /* infinite patience: sampling it by mistake abandons no one */
        dist_set(&a->patience, &dist_fixed, INFINITY, 0.0);
    return SIM_OK;
}

/* Expected leads created over the horizon, to refuse a what-if that would
 * only exhaust memory. */
static double expected_leads(const struct scenario *s)
{
    double total = 0.0;
    for (unsigned i = 0; i < s->n_channels; i++) {
        const struct scn_channel *ch = &s->channels[i];
        if (ch->kind == SCN_ARRIVALS_POISSON)
            total += ch->per_week * s->horizon_days / 7.0;
        else if (ch->first_day < s->horizon_days)
            total += (double)ch->batch_size *
                     ceil((s->horizon_days - ch->first_day) / ch->every_days);
    }
    return total;
}

static int finish_root(struct ctx *c, const cJSON *json, void *base)
{
    struct scenario *s = base;
    char a[32], b[32];
    if (!has_key(json, "warmup_days"))
        s->warmup_days = fmin(28.0, s->horizon_days / 4.0);
    if (s->warmup_days >= s->horizon_days)
        return fail_at(c, "warmup_days", "must be less than horizon_days (got %s, "
                       "horizon_days %s)", fmt_num(a, s->warmup_days),
                       fmt_num(b, s->horizon_days));
    s->routing = route_find(choice_of(json, &root_obj, "routing"));
    assert(s->routing != NULL);
    s->hottest_first =
        strcmp(choice_of(json, &root_obj, "queue_discipline"), "hottest_first") == 0;
    bool any_favourite = false;
    for (unsigned g = 0; g < s->n_groups; g++)
        any_favourite |= s->team[g].favourite;
    if (s->routing == &route_favourites && !any_favourite)
        return fail_at(c, "routing", "\"favourites\" needs at least one team "
                       "group with \"favourite\": true");
    if (scn_managers(s) > SCN_MAX_MANAGERS)
        return fail_at(c, "team", "at most %d managers in all (got %u)",
                       SCN_MAX_MANAGERS, scn_managers(s));
    double leads = expected_leads(s);
    if (leads > SCN_MAX_LEADS)
        return fail_at(c, "channels", "about %.0f leads over the horizon; at "
                       "most 1e9 per replication", leads);
    return SIM_OK;
}

/* ===================================================================
 * The format (version 1): see docs/scenario.md
 * =================================================================== */

static const char *name_calendar_mode(const void *arg, size_t i)
{
    (void)arg;
    static const char *const names[] = {"24x7", "business", NULL};
    return names[i];
}

static const char *name_arrival_kind(const void *arg, size_t i)
{
    (void)arg;
    static const char *const names[] = {"poisson", "batch", NULL};
    return names[i];
}

static const char *name_queue(const void *arg, size_t i)
{
    (void)arg;
    static const char *const names[] = {"fifo", "hottest_first", NULL};
    return names[i];
}

static const char *name_abandon_kind(const void *arg, size_t i)
{
    (void)arg;
    static const char *const names[] = {"none", "exponential", "fixed", NULL};
    return names[i];
}

static const char *name_dist(const void *arg, size_t i)
{
    (void)arg;
    return dist_types[i] != NULL ? dist_types[i]->name : NULL;
}

static const char *name_decay(const void *arg, size_t i)
{
    (void)arg;
    return decay_types[i] != NULL ? decay_types[i]->name : NULL;
}

static const char *name_route(const void *arg, size_t i)
{
    (void)arg;
    return route_types[i] != NULL ? route_types[i]->name : NULL;
}

#define AT(T, f) .off = offsetof(T, f)
#define PROB(T, f, d, h) \
    {.name = #f, .type = K_REAL, .lo = 0, .hi = 1, .def = d, AT(T, f), .help = h}

#define CAL struct sim_cal
static const struct key calendar_keys[] = {
    {.name = "mode", .type = K_CHOICE, .choice = name_calendar_mode,
     .def_text = "24x7", .help = "\"24x7\" or \"business\""},
    {.name = "hours_per_day", .type = K_REAL, .flags = F_LO_OPEN, .lo = 0,
     .hi = 24, .def = 8, AT(CAL, hours_per_day), .only = "business",
     .help = "working hours a day"},
    {.name = "days_per_week", .type = K_INT, .lo = 1, .hi = 7, .def = 5,
     AT(CAL, days_per_week), .only = "business",
     .help = "working days a week, Monday first"},
    {.name = "start_hour", .type = K_REAL, .flags = F_HI_OPEN, .lo = 0,
     .hi = 24, .def = 9, AT(CAL, start_hour),
     .help = "when the working day (and a batch's arrival) starts"},
    {.name = NULL}};
#undef CAL
static const struct obj calendar_obj = {calendar_keys, "mode", 0, finish_calendar};

#define CH struct scn_channel
static const struct key arrivals_keys[] = {
    {.name = "kind", .type = K_CHOICE, .flags = F_REQUIRED,
     .choice = name_arrival_kind, .help = "\"poisson\" or \"batch\""},
    {.name = "per_week", .type = K_REAL, .flags = F_REQUIRED | F_LO_OPEN,
     .lo = 0, .hi = 1e7, AT(CH, per_week), .only = "poisson",
     .help = "mean leads per week"},
    {.name = "size", .type = K_UINT, .flags = F_REQUIRED, .lo = 1, .hi = 1e6,
     AT(CH, batch_size), .only = "batch", .help = "leads per batch"},
    {.name = "every_days", .type = K_UINT, .flags = F_REQUIRED, .lo = 1,
     .hi = UINT_MAX, AT(CH, every_days), .only = "batch",
     .help = "days between two batches"},
    {.name = "first_day", .type = K_UINT, .lo = 0, .hi = UINT_MAX, .def = 0,
     AT(CH, first_day), .only = "batch",
     .help = "day of the first batch, 0 being the first Monday"},
    {.name = NULL}};
static const struct obj arrivals_obj = {arrivals_keys, "kind", 0, finish_arrivals};

static const struct key temperature_keys[] = {
    {.name = "hot", .type = K_REAL, .hi = 1, .off = SCN_HOT * sizeof(double),
     .help = "share of hot leads"},
    {.name = "warm", .type = K_REAL, .hi = 1, .off = SCN_WARM * sizeof(double),
     .help = "share of warm leads"},
    {.name = "cold", .type = K_REAL, .hi = 1, .off = SCN_COLD * sizeof(double),
     .help = "share of cold leads"},
    {.name = NULL}};
static const struct obj temperature_obj = {temperature_keys, NULL, 0,
                                           finish_temperature};

static const struct key dist_deal_keys[] = {
    {.name = "dist", .type = K_CHOICE, .choice = name_dist,
     .def_text = "lognormal", .help = "the distribution of deal values"},
    {.name = "mean", .type = K_REAL, .flags = F_REQUIRED | F_LO_OPEN, .lo = 0,
     .hi = SCN_MAX_MONEY, AT(struct dist, mean), .help = "mean deal value"},
    {.name = "cv", .type = K_REAL, .lo = 0, .hi = 100, .def = 1.0,
     AT(struct dist, cv), .help = "coefficient of variation, sd / mean"},
    {.name = NULL}};
static const struct obj dist_deal_obj = {dist_deal_keys, NULL, 0, finish_deal};

static const struct key channel_keys[] = {
    {.name = "name", .type = K_TEXT, .flags = F_REQUIRED, .lo = 1,
     .hi = SCN_NAME_MAX - 1, AT(CH, name), .help = "the channel's name, unique"},
    {.name = "arrivals", .type = K_OBJECT, .flags = F_REQUIRED, .off = 0,
     .sub = &arrivals_obj, .help = "how leads arrive"},
    PROB(CH, fit_share, 1, "share of leads that fit the ideal-customer profile"),
    PROB(CH, theorist_share, 0, "share of leads that are theorists"),
    {.name = "temperature", .type = K_OBJECT, AT(CH, temperature),
     .sub = &temperature_obj, .help = "shares of hot, warm and cold leads"},
    {.name = "cost_per_lead", .type = K_REAL, .lo = 0, .hi = SCN_MAX_MONEY,
     AT(CH, cost_per_lead), .help = "acquisition cost of one lead"},
    {.name = "deal_value", .type = K_CUSTOM, .lo = 0, .hi = SCN_MAX_MONEY,
     AT(CH, deal_value), .sub = &dist_deal_obj, .custom = custom_deal_value,
     .help = "value of a won deal: a number or {dist, mean, cv}"},
    {.name = NULL}};
#undef CH
static const struct obj channel_obj = {channel_keys, NULL,
                                       sizeof(struct scn_channel), NULL};

#define PQ struct scn_prequal
static const struct key prequal_keys[] = {
    {.name = "enabled", .type = K_BOOL, AT(PQ, enabled),
     .help = "whether leads are checked before handoff"},
    {.name = "indicators", .type = K_UINT, .lo = 1, .hi = SCN_MAX_INDICATORS,
     .def = 7, AT(PQ, indicators), .help = "indicators checked"},
    {.name = "min_true", .type = K_UINT, .lo = 0, .hi = SCN_MAX_INDICATORS,
     .def = 5, AT(PQ, min_true), .help = "true indicators needed to pass"},
    PROB(PQ, p_true_fit, 0.85, "P(an indicator is true) for a fitting lead"),
    PROB(PQ, p_true_unfit, 0.35, "P(an indicator is true) for another lead"),
    PROB(PQ, theorist_detection, 0, "P(a theorist is detected)"),
    PROB(PQ, nurture_return_share, 0.1, "P(a diverted theorist returns as a buyer)"),
    {.name = "nurture_return_days", .type = K_REAL, .flags = F_LO_OPEN, .lo = 0,
     .hi = 3650, .def = 90, AT(PQ, nurture_return_days),
     .help = "days before that return"},
    {.name = NULL}};
#undef PQ
static const struct obj prequal_obj = {prequal_keys, NULL, 0, finish_prequal};

static const struct key handoff_keys[] = {
    {.name = "max_backlog", .type = K_CUSTOM, .flags = F_WHOLE, .lo = 0,
     .hi = 1e9, .off = 0, .custom = custom_max_backlog,
     .help = "null, or leads waiting for first contact above which new "
             "leads stay with marketing"},
    {.name = "delay_hours", .type = K_REAL, .lo = 0, .hi = 8760,
     AT(struct scn_handoff, delay_hours), .help = "marketing-to-sales delay"},
    {.name = NULL}};
static const struct obj handoff_obj = {handoff_keys, NULL, 0, NULL};

static const struct key interest_keys[] = {
    {.name = "hot", .type = K_REAL, .flags = F_LO_OPEN, .lo = 0, .hi = 1,
     .def = 1, .off = SCN_HOT * sizeof(double),
     .help = "initial interest of a hot lead"},
    {.name = "warm", .type = K_REAL, .lo = 0, .hi = 1, .def = 0.7,
     .off = SCN_WARM * sizeof(double), .help = "initial interest of a warm lead"},
    {.name = "cold", .type = K_REAL, .lo = 0, .hi = 1, .def = 0.4,
     .off = SCN_COLD * sizeof(double), .help = "initial interest of a cold lead"},
    {.name = NULL}};
static const struct obj interest_obj = {interest_keys, NULL, 0, NULL};

#define GR struct scn_group
static const struct key group_keys[] = {
    {.name = "name", .type = K_TEXT, .flags = F_REQUIRED, .lo = 1,
     .hi = SCN_NAME_MAX - 1, AT(GR, name), .help = "the group's name, unique"},
    {.name = "count", .type = K_UINT, .flags = F_REQUIRED, .lo = 1,
     .hi = SCN_MAX_MANAGERS, AT(GR, count), .help = "managers in the group"},
    PROB(GR, skill, 0.5, "first-contact skill"),
    {.name = "new_lead_share", .type = K_REAL, .flags = F_LO_OPEN, .lo = 0,
     .hi = 1, .def = 1, AT(GR, new_lead_share),
     .help = "share of working time for new leads"},
    {.name = "favourite", .type = K_BOOL, AT(GR, favourite),
     .help = "gets the hot leads under \"favourites\" routing"},
    {.name = NULL}};
#undef GR
static const struct obj group_obj = {group_keys, NULL, sizeof(struct scn_group),
                                     NULL};

static const struct key dist_duration_keys[] = {
    {.name = "dist", .type = K_CHOICE, .choice = name_dist,
     .def_text = "lognormal", .help = "the distribution of contact durations"},
    {.name = "mean_hours", .type = K_REAL, .flags = F_LO_OPEN, .lo = 0,
     .hi = 1000, .def = 0.5, AT(struct dist, mean),
     .help = "mean conversation length"},
    {.name = "cv", .type = K_REAL, .lo = 0, .hi = 10, .def = 0.6,
     AT(struct dist, cv), .help = "coefficient of variation, sd / mean"},
    {.name = NULL}};
static const struct obj dist_duration_obj = {dist_duration_keys, NULL, 0,
                                             finish_duration};

#define CO struct scn_contact
static const struct key contact_keys[] = {
    {.name = "duration", .type = K_OBJECT, AT(CO, duration),
     .sub = &dist_duration_obj, .help = "a conversation with a reached lead"},
    {.name = "attempt_hours", .type = K_REAL, .lo = 0, .hi = 100, .def = 0.05,
     AT(CO, attempt_hours), .help = "an attempt that does not reach the lead"},
    PROB(CO, contactable, 1, "share of leads that can be reached at all"),
    {.name = "max_attempts", .type = K_UINT, .lo = 1, .hi = SCN_MAX_ATTEMPTS,
     .def = 1, AT(CO, max_attempts), .help = "attempts before giving up"},
    PROB(CO, p_reach, 1, "P(an attempt reaches a contactable lead)"),
    {.name = "retry_gap_hours", .type = K_REAL, .lo = 0, .hi = 8760, .def = 4,
     AT(CO, retry_gap_hours), .help = "wait between two attempts"},
    {.name = "comfortable_backlog", .type = K_REAL, .flags = F_LO_OPEN,
     .lo = 0, .hi = INFINITY, .def = 15, AT(CO, comfortable_backlog),
     .help = "backlog per manager above which rushing starts"},
    PROB(CO, misjudge_base, 0, "misjudgement at skill 0, no rush"),
    PROB(CO, rush_penalty, 0, "extra misjudgement at full rush"),
    {.name = "rush_speedup", .type = K_REAL, .flags = F_HI_OPEN, .lo = 0,
     .hi = 1, .def = 0, AT(CO, rush_speedup),
     .help = "share of contact time cut at full rush"},
    {.name = NULL}};
#undef CO
static const struct obj contact_obj = {contact_keys, NULL, 0, finish_contact};

#define DE struct decay
static const struct key decay_keys[] = {
    {.name = "kind", .type = K_CHOICE, .choice = name_decay, .def_text = "none",
     .help = "\"none\", \"exponential\" or \"two_phase\""},
    {.name = "half_life_hours", .type = K_REAL, .flags = F_REQUIRED | F_LO_OPEN,
     .lo = 0, .hi = INFINITY, AT(DE, half_life_hours), .only = "exponential",
     .help = "hours for interest to halve"},
    {.name = "fast_half_life_hours", .type = K_REAL,
     .flags = F_REQUIRED | F_LO_OPEN, .lo = 0, .hi = INFINITY,
     AT(DE, fast_half_life_hours), .only = "two_phase",
     .help = "half-life of the fast phase"},
    {.name = "slow_half_life_hours", .type = K_REAL,
     .flags = F_REQUIRED | F_LO_OPEN, .lo = 0, .hi = INFINITY,
     AT(DE, slow_half_life_hours), .only = "two_phase",
     .help = "half-life of the slow phase, >= the fast one"},
    {.name = "fast_weight", .type = K_REAL, .lo = 0, .hi = 1, .def = 0.5,
     AT(DE, fast_weight), .only = "two_phase",
     .help = "weight of the fast phase"},
    {.name = "floor", .type = K_REAL, .flags = F_HI_OPEN, .lo = 0, .hi = 1,
     AT(DE, floor), .only = "two_phase",
     .help = "share of interest that never decays"},
    {.name = NULL}};
#undef DE
static const struct obj decay_obj = {decay_keys, "kind", 0, finish_decay};

static const struct key abandon_keys[] = {
    {.name = "kind", .type = K_CHOICE, .choice = name_abandon_kind,
     .def_text = "none", .help = "\"none\", \"exponential\" or \"fixed\""},
    {.name = "mean_hours", .type = K_REAL, .flags = F_REQUIRED | F_LO_OPEN,
     .lo = 0, .hi = INFINITY, AT(struct scn_abandon, patience.mean),
     .only = "exponential", .help = "mean patience of a waiting lead"},
    {.name = "after_hours", .type = K_REAL, .flags = F_REQUIRED | F_LO_OPEN,
     .lo = 0, .hi = INFINITY, AT(struct scn_abandon, patience.mean),
     .only = "fixed", .help = "wait after which every lead leaves"},
    {.name = NULL}};
static const struct obj abandon_obj = {abandon_keys, "kind", 0, finish_abandon};

static const struct key control_keys[] = {
    PROB(struct scn_control, audit_share, 0, "share of rejections audited"),
    PROB(struct scn_control, recovery, 0.8, "P(an audited misjudged lead is recovered)"),
    PROB(struct scn_control, deterrence, 0.5, "how much audits cut misjudgement"),
    {.name = NULL}};
static const struct obj control_obj = {control_keys, NULL, 0, NULL};

static const struct key sales_keys[] = {
    PROB(struct scn_sales, win_rate, 0.25, "P(win | qualified, skill 1)"),
    PROB(struct scn_sales, skill_effect, 0.5, "how much low skill cuts the win rate"),
    {.name = NULL}};
static const struct obj sales_obj = {sales_keys, NULL, 0, NULL};

#define SC struct scenario
static const struct key root_keys[] = {
    {.name = "version", .type = K_INT, .lo = 1, .hi = 1, .def = 1,
     .off = NOSTORE, .help = "the format version, 1"},
    {.name = "name", .type = K_TEXT, .flags = F_REQUIRED, .lo = 1,
     .hi = SCN_NAME_MAX - 1, AT(SC, name),
     .help = "the scenario's name, 1 to 63 characters"},
    {.name = "description", .type = K_TEXT, .lo = 0, .hi = SCN_TEXT_MAX - 1,
     AT(SC, description), .help = "one line"},
    {.name = "notes", .type = K_ANY, .help = "free documentation, ignored"},
    {.name = "seed", .type = K_U64, .lo = 0, .hi = 9007199254740992.0, .def = 1,
     AT(SC, seed), .help = "master seed of the random streams"},
    {.name = "replications", .type = K_UINT, .lo = 1, .hi = 10000, .def = 20,
     AT(SC, replications), .help = "independent runs"},
    {.name = "horizon_days", .type = K_REAL, .flags = F_LO_OPEN, .lo = 0,
     .hi = 3650, .def = 182, AT(SC, horizon_days),
     .help = "simulated days in a run"},
    {.name = "warmup_days", .type = K_REAL, .lo = 0, .hi = INFINITY, .def = 28,
     AT(SC, warmup_days), .help = "days excluded from the statistics"},
    {.name = "calendar", .type = K_OBJECT, AT(SC, calendar),
     .sub = &calendar_obj, .help = "working time"},
    {.name = "channels", .type = K_ARRAY, .flags = F_REQUIRED, .lo = 1,
     .hi = SCN_MAX_CHANNELS, AT(SC, channels),
     .count_off = offsetof(SC, n_channels), .sub = &channel_obj,
     .noun = "channel", .help = "lead sources"},
    {.name = "prequalification", .type = K_OBJECT, AT(SC, prequal),
     .sub = &prequal_obj, .help = "checks before handoff"},
    {.name = "handoff", .type = K_OBJECT, AT(SC, handoff), .sub = &handoff_obj,
     .help = "passing leads to sales"},
    {.name = "interest", .type = K_OBJECT, AT(SC, interest),
     .sub = &interest_obj, .help = "initial interest by temperature"},
    {.name = "team", .type = K_ARRAY, .flags = F_REQUIRED, .lo = 1,
     .hi = SCN_MAX_GROUPS, AT(SC, team), .count_off = offsetof(SC, n_groups),
     .sub = &group_obj, .noun = "group", .help = "groups of managers"},
    {.name = "routing", .type = K_CHOICE, .choice = name_route,
     .def_text = "pool", .help = "who gets a lead"},
    {.name = "queue_discipline", .type = K_CHOICE, .choice = name_queue,
     .def_text = "fifo", .help = "\"fifo\" or \"hottest_first\""},
    {.name = "contact", .type = K_OBJECT, AT(SC, contact), .sub = &contact_obj,
     .help = "first contact"},
    {.name = "decay", .type = K_OBJECT, AT(SC, decay), .sub = &decay_obj,
     .help = "how interest fades while a lead waits"},
    {.name = "abandon", .type = K_OBJECT, AT(SC, abandon), .sub = &abandon_obj,
     .help = "leads that stop waiting"},
    {.name = "control", .type = K_OBJECT, AT(SC, control), .sub = &control_obj,
     .help = "audits of rejections"},
    {.name = "sales", .type = K_OBJECT, AT(SC, sales), .sub = &sales_obj,
     .help = "winning deals"},
    {.name = NULL}};
#undef SC
static const struct obj root_obj = {root_keys, NULL, 0, finish_root};

#undef PROB
#undef AT

/* ===================================================================
 * Documents
 * =================================================================== */

static char *copy_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p != NULL)
        memcpy(p, s, n);
    return p;
}

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
    /* Not cJSON_GetErrorPtr(): that is global state; return_parse_end is
     * ours.  The length counts the terminator, which cJSON then requires. */
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (root == NULL) {
        size_t pos = end != NULL && end >= text ? (size_t)(end - text) : 0;
        syntax_error(text, len, pos > len ? len : pos, name, NULL, err);
        return NULL;
    }
    struct scn_doc *doc = malloc(sizeof *doc);
    char *copy = copy_string(name);
    if (doc == NULL || copy == NULL) {
        cJSON_Delete(root);
        free(doc);
        free(copy);
        out_of_memory(err, name);
        return NULL;
    }
    doc->root = root;
    doc->name = copy;
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

/* Reads at most SCN_FILE_MAX + 1 bytes, so that a huge file or an endless
 * device costs no more than that; the text is '\0'-terminated. */
static char *read_all(FILE *f, const char *path, size_t *len,
                      struct sim_err *err)
{
    size_t cap = 1 << 14, n = 0;
    char *buf = malloc(cap + 1);
    while (buf != NULL && n <= SCN_FILE_MAX) {
        size_t want = cap - n;
        if (n + want > SCN_FILE_MAX + 1)
            want = SCN_FILE_MAX + 1 - n;
        size_t got = fread(buf + n, 1, want, f);
        n += got;
        if (got < want || n > SCN_FILE_MAX)
            break;
        if (n == cap) {
            char *grown = realloc(buf, 2 * cap + 1);
            if (grown == NULL)
                free(buf);
            buf = grown;
            cap *= 2;
        }
    }
    if (buf == NULL) {
        out_of_memory(err, path);
        return NULL;
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

/* Refuses a directory, and a regular file that is too large before
 * reading it. */
static int check_file(FILE *f, const char *path, struct sim_err *err)
{
    struct stat st;
    if (fstat(fileno(f), &st) != 0)
        return SIM_OK;      /* read_all() will report what is wrong */
    if (S_ISDIR(st.st_mode))
        return sim_err_set(err, SIM_ERR_INPUT, "%s: cannot open: %s", path,
                           strerror(EISDIR));
    if (S_ISREG(st.st_mode) && st.st_size > (off_t)SCN_FILE_MAX)
        return too_large(path, err);
    return SIM_OK;
}

struct scn_doc *scn_doc_load(const char *path, struct sim_err *err)
{
    assert(path != NULL);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        sim_err_set(err, SIM_ERR_INPUT, "%s: cannot open: %s", path,
                    strerror(errno));
        return NULL;
    }
    if (check_file(f, path, err) != SIM_OK) {
        fclose(f);
        return NULL;
    }
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
    struct scn_doc *copy = malloc(sizeof *copy);
    if (copy == NULL)
        return NULL;
    copy->root = cJSON_Duplicate(doc->root, 1);
    copy->name = copy_string(doc->name);
    if (copy->root == NULL || copy->name == NULL) {
        scn_doc_free(copy);
        return NULL;
    }
    return copy;
}

void scn_doc_free(struct scn_doc *doc)
{
    if (doc == NULL)
        return;
    cJSON_Delete(doc->root);
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

#define SCN_PATH_MAX 256
#define SCN_SEGS_MAX 16

/* One step of a path: a key, or an index when key is NULL. */
struct seg {
    const char *key;
    size_t index;
};

/* Splits `path` (copied into buf, which the segments point into) into
 * segments: KEY, KEY[N], KEY.KEY, ... */
static int split_path(struct ctx *c, const char *path, char *buf,
                      struct seg *segs, size_t *n_segs)
{
    size_t n = 0, len = strlen(path);
    if (len >= SCN_PATH_MAX)
        return fail(c, "path too long");
    memcpy(buf, path, len + 1);
    char *p = buf;
    for (;;) {
        char *key = p;
        p += strcspn(p, ".[]");
        if (p == key || n == SCN_SEGS_MAX)
            goto malformed;
        segs[n++] = (struct seg){key, 0};
        char sep = *p;
        *p = '\0';
        while (sep == '[') {
            size_t nd = strspn(++p, "0123456789");
            if (nd == 0 || nd > 9 || p[nd] != ']' || n == SCN_SEGS_MAX)
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
    return fail(c, "malformed path (expected KEY, KEY[N] or KEY.KEY, "
                   "N a whole number)");
}

enum walk_mode {
    WALK_CHECK,     /* resolve, change nothing: absent objects are fine */
    WALK_CREATE,    /* resolve, creating absent objects on the way */
    WALK_LOOKUP     /* resolve, everything must exist */
};

/* The object and key a path ends at. */
struct target {
    cJSON *parent;              /* NULL in a check past an absent object */
    const char *key;
    const struct key *spec;
};

/* The object-valued member `k` of `node`, created when allowed. */
static int descend_object(struct ctx *c, cJSON **node, const struct key *k,
                          enum walk_mode mode)
{
    char got[64];
    cJSON *child = *node != NULL
                       ? cJSON_GetObjectItemCaseSensitive(*node, k->name) : NULL;
    if (child != NULL && !cJSON_IsObject(child))
        return fail(c, "is not an object in the file (got %s)", describe(child, got));
    if (child == NULL && mode == WALK_LOOKUP)
        return fail(c, "not in the file");
    if (child == NULL && mode == WALK_CREATE && *node != NULL) {
        child = cJSON_CreateObject();
        if (child == NULL || !cJSON_AddItemToObject(*node, k->name, child)) {
            cJSON_Delete(child);
            return sim_err_set(c->err, SIM_ERR_RUNTIME, "%s: out of memory", c->file);
        }
    }
    *node = child;
    return SIM_OK;
}

/* The element `i` of the array-valued member `k` of `node`. */
static int descend_index(struct ctx *c, cJSON **node, const struct key *k,
                         size_t i)
{
    char got[64];
    cJSON *arr = *node != NULL
                     ? cJSON_GetObjectItemCaseSensitive(*node, k->name) : NULL;
    if (arr != NULL && !cJSON_IsArray(arr))
        return fail(c, "is not an array in the file (got %s)", describe(arr, got));
    size_t n = 0;
    cJSON *elem = NULL;
    for (cJSON *e = arr != NULL ? arr->child : NULL; e != NULL; e = e->next, n++)
        if (n == i)
            elem = e;
    path_push_index(c, i);
    if (elem == NULL)
        return fail(c, "no such element (%s has %zu)", k->name, n);
    if (!cJSON_IsObject(elem))
        return fail(c, "is not an object in the file (got %s)", describe(elem, got));
    *node = elem;
    return SIM_OK;
}

/* Resolves `path` against the format's tables and the document. */
static int walk(struct ctx *c, cJSON *root, const char *path,
                enum walk_mode mode, char *buf, struct target *t)
{
    struct seg segs[SCN_SEGS_MAX];
    size_t n = 0;
    size_t mark = path_push(c, path);
    int rc = split_path(c, path, buf, segs, &n);
    if (rc == SIM_OK && segs[n - 1].key == NULL)
        rc = fail(c, "a path must end with a key");
    path_pop(c, mark);
    if (rc != SIM_OK)
        return rc;
    if (!cJSON_IsObject(root))
        return fail(c, "must be a JSON object");
    cJSON *node = root;
    const struct obj *o = &root_obj;
    for (size_t i = 0; i < n; i++) {
        const struct key *k = key_find(o, segs[i].key);
        if (k == NULL) {
            char help[300];
            hint(help, sizeof help, segs[i].key, obj_key_name, o,
                 "allowed here: ");
            path_push(c, segs[i].key);
            return fail(c, "unknown key (%s)", help);
        }
        path_push(c, k->name);
        if (i + 1 == n) {
            *t = (struct target){node, k->name, k};
            return SIM_OK;
        }
        if (segs[i + 1].key == NULL) {
            if (k->type != K_ARRAY)
                return fail(c, "is not an array");
            rc = descend_index(c, &node, k, segs[++i].index);
            if (rc == SIM_OK && i + 1 < n && segs[i + 1].key == NULL)
                rc = fail(c, "is not an array");
        } else if (k->sub == NULL || k->type == K_ARRAY) {
            rc = fail(c, "is not an object");
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

/* Checks the path, then sets its key to `value` (owned: consumed). */
static int put(struct ctx *c, struct scn_doc *doc, const char *path,
               cJSON *value)
{
    char buf[SCN_PATH_MAX];
    struct target t;
    size_t mark = c->len;
    int rc = walk(c, doc->root, path, WALK_CHECK, buf, &t);
    path_pop(c, mark);
    if (rc == SIM_OK)
        rc = walk(c, doc->root, path, WALK_CREATE, buf, &t);
    if (rc != SIM_OK) {
        cJSON_Delete(value);
        return rc;
    }
    assert(t.parent != NULL);
    bool ok = cJSON_GetObjectItemCaseSensitive(t.parent, t.key) != NULL
                  ? cJSON_ReplaceItemInObjectCaseSensitive(t.parent, t.key, value)
                  : cJSON_AddItemToObject(t.parent, t.key, value);
    if (!ok) {
        cJSON_Delete(value);
        return out_of_memory(c->err, c->file);
    }
    return SIM_OK;
}

/* VALUE as JSON when it is a scalar JSON literal, otherwise as a string. */
static cJSON *parse_value(const char *text)
{
    const char *end = NULL;
    cJSON *v = cJSON_ParseWithOpts(text, &end, 1);
    if (v != NULL && (cJSON_IsNumber(v) || cJSON_IsBool(v) || cJSON_IsNull(v) ||
                      cJSON_IsString(v)))
        return v;
    cJSON_Delete(v);
    return cJSON_CreateString(text);
}

int scn_doc_set(struct scn_doc *doc, const char *assignment,
                struct sim_err *err)
{
    assert(doc != NULL && assignment != NULL);
    struct ctx c;
    ctx_init(&c, doc->name, "--set ", err);
    const char *eq = strchr(assignment, '=');
    if (eq == NULL || eq == assignment) {
        path_push(&c, assignment);
        return fail(&c, "malformed (expected PATH=VALUE)");
    }
    char path[SCN_PATH_MAX];
    size_t n = (size_t)(eq - assignment);
    if (n >= sizeof path) {
        path_push(&c, assignment);
        return fail(&c, "path too long");
    }
    memcpy(path, assignment, n);
    path[n] = '\0';
    cJSON *value = parse_value(eq + 1);
    if (value == NULL)
        return out_of_memory(err, doc->name);
    return put(&c, doc, path, value);
}

int scn_doc_set_number(struct scn_doc *doc, const char *path, double value,
                       struct sim_err *err)
{
    assert(doc != NULL && path != NULL);
    struct ctx c;
    char got[32];
    ctx_init(&c, doc->name, "", err);
    if (!isfinite(value)) {
        path_push(&c, path);
        return fail(&c, "must be a finite number (got %s)", fmt_num(got, value));
    }
    cJSON *v = cJSON_CreateNumber(value);
    if (v == NULL)
        return out_of_memory(err, doc->name);
    return put(&c, doc, path, v);
}

int scn_doc_get_number(const struct scn_doc *doc, const char *path,
                       double *value, struct sim_err *err)
{
    assert(doc != NULL && path != NULL && value != NULL);
    struct ctx c;
    char buf[SCN_PATH_MAX], got[64];
    struct target t;
    ctx_init(&c, doc->name, "", err);
    int rc = walk(&c, doc->root, path, WALK_LOOKUP, buf, &t);
    if (rc != SIM_OK)
        return rc;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(t.parent, t.key);
    if (v == NULL)
        return fail(&c, "not in the file");
    if (!cJSON_IsNumber(v))
        return fail(&c, "is not a number (got %s)", describe(v, got));
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
    char path[SCN_PATH_MAX];
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

int scn_doc_diff(const struct scn_doc *a, const struct scn_doc *b,
                 scn_diff_fn fn, void *user, struct sim_err *err)
{
    assert(a != NULL && b != NULL && fn != NULL);
    (void)err;
    struct differ d = {.fn = fn, .user = user};
    if (cJSON_IsObject(a->root) && cJSON_IsObject(b->root))
        diff_object(&d, a->root, b->root, true);
    else
        fn(user, "");
    return SIM_OK;
}

int scn_doc_copy(struct scn_doc *dst, const struct scn_doc *src,
                 const char *path, struct sim_err *err)
{
    assert(dst != NULL && src != NULL && path != NULL);
    struct ctx c;
    char buf[SCN_PATH_MAX];
    struct target t;
    ctx_init(&c, src->name, "", err);
    int rc = walk(&c, src->root, path, WALK_CHECK, buf, &t);
    if (rc != SIM_OK)
        return rc;
    const cJSON *value = t.parent != NULL
                             ? cJSON_GetObjectItemCaseSensitive(t.parent, t.key) : NULL;
    ctx_init(&c, dst->name, "", err);
    if (value == NULL) {
        rc = walk(&c, dst->root, path, WALK_CHECK, buf, &t);
        if (rc == SIM_OK && t.parent != NULL)
            cJSON_DeleteItemFromObjectCaseSensitive(t.parent, t.key);
        return rc;
    }
    cJSON *copy = cJSON_Duplicate(value, 1);
    if (copy == NULL)
        return out_of_memory(err, dst->name);
    return put(&c, dst, path, copy);
}

char *scn_doc_print(const struct scn_doc *doc)
{
    assert(doc != NULL);
    return cJSON_Print(doc->root);
}

/* ===================================================================
 * Compiling
 * =================================================================== */

int scn_compile(const struct scn_doc *doc, struct scenario *out,
                struct sim_err *err)
{
    assert(doc != NULL && out != NULL);
    struct ctx c;
    ctx_init(&c, doc->name, "", err);
    if (!cJSON_IsObject(doc->root))
        return fail(&c, "must be a JSON object");
    /* Built aside, so that *out is untouched on failure. */
    struct scenario *s = calloc(1, sizeof *s);
    if (s == NULL)
        return out_of_memory(err, doc->name);
    int rc = fill(&c, doc->root, &root_obj, s);
    if (rc == SIM_OK) {
        size_t n = strlen(doc->name);
        if (n >= sizeof s->source)
            n = sizeof s->source - 1;
        memcpy(s->source, doc->name, n);
        s->source[n] = '\0';
        *out = *s;
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
        rc = scn_compile(doc, out, err);
    scn_doc_free(doc);
    return rc;
}

unsigned scn_managers(const struct scenario *scn)
{
    unsigned total = 0;
    for (unsigned g = 0; g < scn->n_groups; g++)
        total += scn->team[g].count;
    return total;
}
