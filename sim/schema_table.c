/* SPDX-License-Identifier: MIT */
/*
 * schema_table.c - the format as a whole: keys found by path pattern,
 * every key visited, labels, measures, ranges and type names in words
 * (sim/schema.h).  Nothing here reads a document's values; the checks are
 * in schema.c.
 */
#include "sim/schema.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ===================================================================
 * The format as a whole
 * =================================================================== */

const struct sim_schema_key *sim_schema_find(const struct sim_schema_obj *root_obj,
                                             const char *path,
                                             const struct sim_schema_obj **parent)
{
    const struct sim_schema_obj *o = root_obj;
    const struct sim_schema_key *k = NULL;
    char name[SIM_SCHEMA_PATH_MAX];
    const char *p = path;
    while (*p != '\0') {
        if (k != NULL) {            /* step into the key found so far */
            if (k->sub == NULL)
                return NULL;
            o = k->sub;
        }
        size_t n = strcspn(p, ".[");
        if (n == 0 || n >= sizeof name)
            return NULL;
        memcpy(name, p, n);
        name[n] = '\0';
        k = sim_schema_key_in(o, name);
        if (k == NULL)
            return NULL;
        p += n;
        if (k->type == SIM_SCHEMA_ARRAY && *p == '.')
            return NULL;            /* an array's keys are its elements' */
        if (*p == '[') {            /* "[]" or "[digits]" */
            if (k->type != SIM_SCHEMA_ARRAY)
                return NULL;
            p += 1 + strspn(p + 1, "0123456789");
            if (*p++ != ']')
                return NULL;
        }
        if (*p == '.')
            p++;
        else if (*p != '\0')
            return NULL;
    }
    if (k != NULL && parent != NULL)
        *parent = o;
    return k;
}

struct each {
    sim_schema_each_fn fn;
    void *user;
    char path[SIM_SCHEMA_PATH_MAX];
};

static void each_in(struct each *e, const struct sim_schema_obj *o)
{
    size_t len = strlen(e->path);
    for (const struct sim_schema_key *k = o->keys; k->name != NULL; k++) {
        snprintf(e->path + len, sizeof e->path - len, "%s%s%s", len > 0 ? "." : "",
                 k->name, k->type == SIM_SCHEMA_ARRAY ? "[]" : "");
        e->fn(e->user, e->path, k, o);
        if (k->sub != NULL)
            each_in(e, k->sub);
        e->path[len] = '\0';
    }
}

void sim_schema_each(const struct sim_schema_obj *root_obj, sim_schema_each_fn fn,
                     void *user)
{
    struct each e = {.fn = fn, .user = user};
    each_in(&e, root_obj);
}

/* The `name` of the innermost array element on `path` in the document, or
 * its index in brackets when it has none. */
static void element_name(const struct sim_schema_obj *root_obj, const cJSON *root,
                         const char *path, char *buf, size_t n)
{
    const struct sim_schema_obj *o = root_obj;
    const cJSON *node = root;
    char seg[SIM_SCHEMA_PATH_MAX];
    buf[0] = '\0';
    for (const char *p = path; *p != '\0' && o != NULL;) {
        size_t len = strcspn(p, ".[");
        if (len == 0 || len >= sizeof seg)
            return;
        memcpy(seg, p, len);
        seg[len] = '\0';
        const struct sim_schema_key *k = sim_schema_key_in(o, seg);
        if (k == NULL)
            return;
        node = cJSON_IsObject(node) ? cJSON_GetObjectItemCaseSensitive(node, seg) : NULL;
        p += len;
        if (*p == '[') {
            char *end;
            unsigned long i = strtoul(p + 1, &end, 10);
            if (end == p + 1 || *end != ']')
                return;
            const cJSON *elem = cJSON_IsArray(node) ? cJSON_GetArrayItem(node, (int)(i > INT_MAX ? INT_MAX : i)) : NULL;
            const cJSON *nm = cJSON_IsObject(elem) ? cJSON_GetObjectItemCaseSensitive(elem, "name") : NULL;
            if (cJSON_IsString(nm))
                sim_schema_clean(buf, n, nm->valuestring, n > SIM_SCHEMA_ECHO_MAX + 4 ? SIM_SCHEMA_ECHO_MAX : n - 4);
            else
                snprintf(buf, n, "[%lu]", i);
            node = elem;
            p = end + 1;
        }
        if (*p == '.')
            p++;
        o = k->sub;
    }
}

const char *sim_schema_label(const struct sim_schema_obj *root_obj,
                             const cJSON *root, const char *path, char *buf,
                             size_t n)
{
    const struct sim_schema_key *k = sim_schema_find(root_obj, path, NULL);
    if (k == NULL || k->label == NULL) {
        snprintf(buf, n, "%s", path);
        return buf;
    }
    char name[SIM_SCHEMA_ECHO_MAX + 4];
    element_name(root_obj, root, path, name, sizeof name);
    const char *hole = strstr(k->label, "{name}");
    if (hole == NULL)
        snprintf(buf, n, "%s", k->label);
    else
        snprintf(buf, n, "%.*s%s%s", (int)(hole - k->label), k->label, name,
                 hole + strlen("{name}"));
    return buf;
}

/* The group every key under o shares: 0 when they differ or none has one;
 * UINT_MAX when o has no keys with a group of their own to compare. */
static unsigned shared_measure(const struct sim_schema_obj *o, unsigned sofar)
{
    for (const struct sim_schema_key *k = o->keys; k->name != NULL; k++) {
        /* An object key with a measure of its own has that one, as in
         * sim_schema_measure(). */
        unsigned m = k->sub != NULL && k->type != SIM_SCHEMA_CUSTOM && k->measure == 0
                         ? shared_measure(k->sub, sofar) : k->measure;
        if (m == 0)
            return 0;
        if (sofar != UINT_MAX && m != sofar)
            return 0;
        sofar = m;
    }
    return sofar;
}

unsigned sim_schema_measure(const struct sim_schema_obj *root_obj, const char *path)
{
    const struct sim_schema_key *k = sim_schema_find(root_obj, path, NULL);
    if (k == NULL)
        return 0;
    if (k->sub == NULL || k->type == SIM_SCHEMA_CUSTOM)
        return k->measure;
    if (k->measure != 0)
        return k->measure;
    unsigned m = shared_measure(k->sub, UINT_MAX);
    return m == UINT_MAX ? 0 : m;
}

void sim_schema_interval(const struct sim_schema_key *k, char *buf, size_t n)
{
    char lo[32], hi[32];
    buf[0] = '\0';
    switch (k->type) {
    case SIM_SCHEMA_REAL:
    case SIM_SCHEMA_UINT:
    case SIM_SCHEMA_INT:
    case SIM_SCHEMA_DAY:
    case SIM_SCHEMA_U64:
    case SIM_SCHEMA_CUSTOM:
        if (k->type == SIM_SCHEMA_CUSTOM && k->lo == 0 && k->hi == 0)
            return;
        if (k->type == SIM_SCHEMA_U64) {
            snprintf(buf, n, "[0, %s]", SIM_SCHEMA_U64_MAX_TEXT);
            return;
        }
        sim_schema_num(lo, k->lo);
        sim_schema_num(hi, k->hi);
        snprintf(buf, n, "%c%s, %s%c", k->flags & SIM_SCHEMA_LO_OPEN ? '(' : '[', lo,
                 isinf(k->hi) ? "inf" : hi,
                 k->flags & SIM_SCHEMA_HI_OPEN || isinf(k->hi) ? ')' : ']');
        return;
    case SIM_SCHEMA_TEXT:
        snprintf(buf, n, "%.0f to %.0f characters", k->lo, k->hi);
        return;
    case SIM_SCHEMA_ARRAY:
        snprintf(buf, n, "%.0f to %.0f %ss", k->lo, k->hi, k->noun);
        return;
    case SIM_SCHEMA_DAYS:
        snprintf(buf, n, "0 to %u %ss, each in [%.0f, %.0f]", k->max_items, k->noun, k->lo,
                 k->hi);
        return;
    default:
        return;
    }
}

const char *sim_schema_type_name(const struct sim_schema_key *k)
{
    switch (k->type) {
    case SIM_SCHEMA_REAL: return "number";
    case SIM_SCHEMA_UINT:
    case SIM_SCHEMA_INT:
    case SIM_SCHEMA_U64: return "whole number";
    case SIM_SCHEMA_BOOL: return "boolean";
    case SIM_SCHEMA_TEXT: return "string";
    case SIM_SCHEMA_CHOICE: return "string";
    case SIM_SCHEMA_OBJECT: return "object";
    case SIM_SCHEMA_ARRAY: return "array";
    case SIM_SCHEMA_CUSTOM: return k->sub != NULL ? "number or object" : "number or null";
    case SIM_SCHEMA_ANY: return "any";
    case SIM_SCHEMA_DAY: return "day number or date";
    case SIM_SCHEMA_DAYS: return "array of day numbers or dates";
    case SIM_SCHEMA_DATE: return "date (YYYY-MM-DD)";
    }
    return "?";
}
