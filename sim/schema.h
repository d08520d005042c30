/*
 * schema.h - checking a JSON document against a table of keys, and walking
 * a path through it.
 *
 * A format is described by static tables: one `struct sim_schema_obj` per
 * kind of JSON object, listing its keys (`struct sim_schema_key`: type,
 * range, default, unit, label, help, where the value lands in a C struct).
 * This module knows nothing of what the keys mean; it offers the table's
 * owner:
 *
 *   - sim_schema_fill(): checks an object against its table (unknown keys
 *     with a did-you-mean hint, duplicates, types, ranges, required keys,
 *     keys of another kind) and writes each value, or its default, into
 *     the struct the object maps to; the object's `finish` hook then
 *     applies the rules that tie several keys together;
 *   - sim_schema_walk(): resolves a path written `a.b[2].c` against the
 *     same tables and a document, so that an override names exactly the
 *     keys a file could hold;
 *   - sim_schema_find(), sim_schema_each(), sim_schema_label(): what a
 *     key is, every key of the format with its path pattern
 *     (`channels[].arrivals.per_week`), and a key's label with the name of
 *     the array element it is in ("{name} leads a week" -> "web leads a
 *     week").
 *
 * Every message names the file, the JSON path and the rule:
 *   "web.json: channels[1].fit_share: must be between 0 and 1 (got 1.4)".
 *
 * Input is untrusted: cJSON limits nesting, sim_schema_fill() recurses
 * only as deep as the tables, arrays are counted against their bound
 * before they are walked, and every string echoed in a message is cut to
 * SIM_SCHEMA_ECHO_MAX characters and cleaned of control characters.
 *
 * Tables are constant and shared by all threads; nothing here allocates
 * except sim_schema_walk() in SIM_SCHEMA_CREATE mode (cJSON nodes owned by
 * the document).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_SCHEMA_H
#define SIM_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "sim/date.h"
#include "sim/err.h"
#include "sim/text.h"

#if defined(__GNUC__)
#define SIM_SCHEMA_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SIM_SCHEMA_PRINTF(f, a)
#endif

#define SIM_SCHEMA_ECHO_MAX 40      /* chars of a string echoed in a message */
#define SIM_SCHEMA_PATH_MAX 256     /* a path, written out */
#define SIM_SCHEMA_U64_MAX_TEXT "18446744073709551615"  /* 2^64 - 1 */
#define SIM_SCHEMA_EXACT_MAX 9007199254740991.0          /* 2^53 - 1 */

/* The number types come first, REAL to U64: a reader of the table may
 * take `type <= SIM_SCHEMA_U64` to mean "has a numeric range". */
enum sim_schema_type {
    SIM_SCHEMA_REAL,    /* double */
    SIM_SCHEMA_UINT,    /* unsigned, a whole number */
    SIM_SCHEMA_INT,     /* int, a whole number */
    SIM_SCHEMA_DAY,     /* unsigned, a day: a whole number of days from day 0
                           in lo..hi (lo >= 0), or a date "YYYY-MM-DD" turned
                           into its day number by the origin (see "Days and
                           dates" below) */
    SIM_SCHEMA_U64,     /* uint64_t, any whole number from 0 to 2^64 - 1 (lo
                           and hi are not used): a JSON number below 2^53,
                           exact in a double, or a string of decimal digits
                           (larger numbers lose digits as JSON numbers, so
                           they are refused with a message that says so) */
    SIM_SCHEMA_BOOL,    /* bool */
    SIM_SCHEMA_TEXT,    /* char[hi + 1], length lo..hi */
    SIM_SCHEMA_CHOICE,  /* one of `choice`'s names; see sim_schema_choice() */
    SIM_SCHEMA_OBJECT,  /* `sub` at base + off */
    SIM_SCHEMA_ARRAY,   /* lo..hi `sub` objects at base + off, count at count_off */
    SIM_SCHEMA_CUSTOM,  /* `custom` reads it; `sub` is its object form, if any */
    SIM_SCHEMA_ANY,     /* any JSON value, ignored */
    SIM_SCHEMA_DAYS,    /* unsigned[max_items]: a list of at most max_items
                           days (each a DAY in lo..hi) at base + off, their
                           count (unsigned) at count_off; in the file's order */
    SIM_SCHEMA_DATE     /* struct sim_date_origin: a date "YYYY-MM-DD", the
                           origin of the days of its object and all beneath */
};

/*
 * Days and dates.  A format whose keys name days (the day of a batch, a
 * holiday) lets them be written as day numbers or as dates.  The table
 * gives one key of type DATE (the root's `start_date`): the date of day 0.
 * sim_schema_fill() reads an object's DATE key before its other keys,
 * whatever the table order, and records it in the context (`origin`,
 * `origin_key`), so that every DAY and DAYS key in the object and beneath
 * it converts a date to a day number: day = date - origin.  The rules, and
 * their messages (each names the JSON path):
 *
 *   - a number: a whole number in lo..hi, as for UINT;
 *   - a string: a valid date (full validation, sim/date.h), else "must be
 *     a day number or a date YYYY-MM-DD: <why>";
 *   - a date without the DATE key given: "a date needs start_date (the
 *     date of day 0); without it, write the day number";
 *   - a date before the origin: "2026-02-27 is before start_date
 *     2026-03-02 (day 0)";
 *   - a day (from a number or a date) outside lo..hi: the range rule,
 *     with the date and its day number.
 *
 * The stored value is always the day number, so the model never sees a
 * date; the DATE key stores struct sim_date_origin for whoever prints
 * dates (a week labelled by its Monday).  A DAY inside a CUSTOM key's
 * object form, or in a custom reader, uses sim_schema_read_day().
 */

#define SIM_SCHEMA_REQUIRED 1u
#define SIM_SCHEMA_LO_OPEN 2u   /* lo itself is out of range */
#define SIM_SCHEMA_HI_OPEN 4u   /* hi itself is out of range */
#define SIM_SCHEMA_WHOLE 8u     /* a CUSTOM number must be whole */

/* `off` of a key whose value is checked but stored nowhere. */
#define SIM_SCHEMA_NOSTORE SIZE_MAX

struct sim_schema_ctx;
struct sim_schema_key;

/* A rule that ties keys together, in words, for the reference; the
 * object's finish hook enforces it. */
struct sim_schema_rule {
    const char *keys;           /* the keys it ties, as the reference lists them */
    const char *text;
};

struct sim_schema_obj {
    const char *name;           /* its section in the reference */
    const struct sim_schema_key *keys;     /* ends with a NULL name */
    const char *selector;       /* the key that picks the kind, or NULL */
    size_t size;                /* sizeof what an element fills (arrays) */
    int (*finish)(struct sim_schema_ctx *c, const cJSON *json, void *base);
    const struct sim_schema_rule *rules;   /* ends with a NULL text; or NULL */
};

/* A range a sourced study considers normal; outside it is allowed but
 * worth a second look. */
struct sim_schema_plausible {
    double lo, hi;
    const char *source;         /* the study, in words; NULL: no range known */
};

struct sim_schema_key {
    const char *name;
    enum sim_schema_type type;
    unsigned flags;             /* SIM_SCHEMA_REQUIRED, ... */
    double lo, hi;              /* value range; text length; array size */
    double def;                 /* default of a number or bool */
    const char *def_text;       /* default of a text or choice */
    const char *def_rule;       /* the default in words, when computed */
    size_t off;                 /* where it lands from the base; NOSTORE */
    size_t count_off;           /* ARRAY: where the count lands */
    const char *only;           /* the selector value it needs, or NULL */
    const struct sim_schema_obj *sub;
    sim_text_list_fn choice;    /* CHOICE: the i-th allowed name */
    int (*custom)(struct sim_schema_ctx *c, const cJSON *v,
                  const struct sim_schema_key *k, void *base);
    const char *noun;           /* ARRAY, DAYS: an element, for messages */
    unsigned max_items;         /* DAYS: the most elements (the array's size) */
    const char *unit;           /* "leads a week", "managers", "hours", "share" */
    const char *label;          /* for charts and controls; "{name}" is the element's */
    unsigned measure;           /* the table owner's lever group; 0: none */
    unsigned tags;              /* the table owner's flags */
    struct sim_schema_plausible plausible;
    const char *help;
};

/* Where an error is: the file, an optional prefix ("--set ") and the JSON
 * path being checked, kept as a string that grows and shrinks as the
 * checks descend. */
struct sim_schema_ctx {
    const char *file;
    const char *prefix;
    struct sim_err *err;
    char path[SIM_SCHEMA_PATH_MAX];
    size_t len;
    struct sim_date_origin origin;  /* day 0's date, from the DATE key */
    const char *origin_key;         /* that key's name; NULL: no DATE key seen */
};

void sim_schema_ctx_init(struct sim_schema_ctx *c, const char *file,
                         const char *prefix, struct sim_err *err);

/* Appends a key (".key", or "key" at the root) or an index ("[3]") to the
 * path; returns the old length, for sim_schema_pop(). */
size_t sim_schema_push(struct sim_schema_ctx *c, const char *key);
size_t sim_schema_push_index(struct sim_schema_ctx *c, size_t i);
void sim_schema_pop(struct sim_schema_ctx *c, size_t mark);

/* Reports "FILE: PATH: RULE"; returns SIM_ERR_INPUT. */
int sim_schema_fail(struct sim_schema_ctx *c, const char *fmt, ...)
    SIM_SCHEMA_PRINTF(2, 3);
/* The same one level down, at `key`. */
int sim_schema_fail_at(struct sim_schema_ctx *c, const char *key,
                       const char *fmt, ...) SIM_SCHEMA_PRINTF(3, 4);

/* The shortest of %.15g and %.17g that reads back as v: "1.4". */
const char *sim_schema_num(char buf[32], double v);
/* A JSON value as a message shows it: 1.4, "abc", true, an object. */
const char *sim_schema_describe(const cJSON *v, char buf[64]);
/* Copies at most `max` chars of s into dst (size > max + 3), control
 * characters replaced, "..." when cut. */
void sim_schema_clean(char *dst, size_t size, const char *s, size_t max);

/* The key called `name` in `o`, or NULL. */
const struct sim_schema_key *sim_schema_key_in(const struct sim_schema_obj *o,
                                               const char *name);

/* Checks `json` (NULL: absent, so every key takes its default) against
 * `o` and fills the struct at `base`. */
int sim_schema_fill(struct sim_schema_ctx *c, const cJSON *json,
                    const struct sim_schema_obj *o, void *base);

/* A number within k's range (whole when k says so); k's default when v is
 * NULL.  For custom readers. */
int sim_schema_read_number(struct sim_schema_ctx *c, const cJSON *v,
                           const struct sim_schema_key *k, double *out);

/* A day (schema.h, "Days and dates") within k's range, as a DAY key
 * reads it; k's default when v is NULL. */
int sim_schema_read_day(struct sim_schema_ctx *c, const cJSON *v,
                        const struct sim_schema_key *k, unsigned *out);

/* Checks and stores a DAY, DAYS or DATE key (sim/schema_day.c); what
 * sim_schema_fill() calls for them. */
int sim_schema_fill_day(struct sim_schema_ctx *c, const cJSON *v,
                        const struct sim_schema_key *k, void *base);

/* The index of the value of choice key `name` of `o` in `json`, which
 * sim_schema_fill() has checked; the default's when absent. */
unsigned sim_schema_choice(const cJSON *json, const struct sim_schema_obj *o,
                           const char *name);

bool sim_schema_has(const cJSON *json, const char *name);

/* "between 0 and 1", "a whole number >= 1", "> 0". */
void sim_schema_range_text(const struct sim_schema_key *k, char *buf, size_t n);
/* "[0, 1]", "(0, 24]", "[1, inf)"; "" for keys without a range. */
void sim_schema_interval(const struct sim_schema_key *k, char *buf, size_t n);
/* "number", "whole number", "string", "one of ...", "object", ... */
const char *sim_schema_type_name(const struct sim_schema_key *k);

/* ---- paths ---------------------------------------------------------------- */

enum sim_schema_walk_mode {
    SIM_SCHEMA_CHECK,   /* resolve, change nothing: absent objects are fine */
    SIM_SCHEMA_CREATE,  /* resolve, creating absent objects on the way */
    SIM_SCHEMA_LOOKUP   /* resolve, everything must exist */
};

/* The object and key a path ends at. */
struct sim_schema_target {
    cJSON *parent;              /* NULL in a check past an absent object */
    const char *key;
    const struct sim_schema_key *spec;
};

/* Resolves `path` (KEY, KEY[N], KEY.KEY, ...) against the tables from
 * `root_obj` and the document `root`. */
int sim_schema_walk(struct sim_schema_ctx *c, const struct sim_schema_obj *root_obj,
                    cJSON *root, const char *path, enum sim_schema_walk_mode mode,
                    struct sim_schema_target *t);

/* The key a path names, indices ignored (`team[3].count` and
 * `team[].count` alike), or NULL when the format has no such key.  *parent
 * (when not NULL) gets the object the key is in. */
const struct sim_schema_key *sim_schema_find(const struct sim_schema_obj *root_obj,
                                             const char *path,
                                             const struct sim_schema_obj **parent);

/* Calls fn for every key of the format, depth first in table order, with
 * its path pattern (`channels[].arrivals.per_week`) and the object it is
 * in; a CUSTOM key with an object form is listed, then its sub-keys. */
typedef void (*sim_schema_each_fn)(void *user, const char *path,
                                   const struct sim_schema_key *k,
                                   const struct sim_schema_obj *parent);
void sim_schema_each(const struct sim_schema_obj *root_obj, sim_schema_each_fn fn,
                     void *user);

/* k's label with "{name}" replaced by the `name` of the innermost array
 * element on `path` in the document (the index when it has none); the
 * key's path when it has no label.  Returns buf. */
const char *sim_schema_label(const struct sim_schema_obj *root_obj,
                             const cJSON *root, const char *path, char *buf,
                             size_t n);

/* The lever group of the key or object at `path`: the key's own, or for
 * an object or array the group all its keys share (0 when they differ). */
unsigned sim_schema_measure(const struct sim_schema_obj *root_obj,
                            const char *path);

/* Marks, in raw JSON text, the string escapes that cJSON would lose or
 * refuse without saying where: \u0000 (decoded, the NUL would end the
 * string early, silently) and a UTF-16 surrogate without its other half
 * (a parse error with no path).  The escape's backslash becomes the byte
 * 0xFF, which is never part of UTF-8, so the string parses and the checks
 * of text keys refuse it, naming its path.  The length does not change,
 * so syntax errors keep their line and column. */
void sim_schema_mark_escapes(char *text, size_t len);

#endif
