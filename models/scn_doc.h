/*
 * scn_doc.h - a scenario document: the parsed JSON, its overrides, its
 * differences, and its compilation into a struct scenario.
 *
 * The document is what the user wrote (cJSON) plus the file name used in
 * every message.  Command-line overrides (--set PATH=VALUE) and sweep
 * points are applied to the document, not to the compiled struct, so that
 * they meet exactly the checks a file meets; paths are resolved against
 * the key table (models/keytab.h), so an override can name exactly the
 * keys a file could hold:
 *   "--set team[0].cuont: unknown key (did you mean \"count\"?)"
 *
 * Paths are written as in the file: `team[1].count`,
 * `channels[0].arrivals.per_week`, `contact.duration.mean_hours`.
 *
 * Ownership: scn_doc_load(), scn_doc_parse() and scn_doc_clone() return a
 * document the caller frees with scn_doc_free().  Allocation failure
 * aborts (sim/mem.h), so NULL means bad input, with err set.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_SCN_DOC_H
#define MODELS_SCN_DOC_H

#include <stddef.h>

#include "models/scenario.h"
#include "sim/err.h"

/* The parsed document.  Opaque. */
struct scn_doc;

/* Reads and parses `path`.  A syntax error is reported with its line and
 * column.  NULL and err set on failure: SIM_ERR_INPUT, or SIM_ERR_RUNTIME
 * when the file cannot be read. */
struct scn_doc *scn_doc_load(const char *path, struct sim_err *err);

/* Parses `text` as if read from a file called `name`. */
struct scn_doc *scn_doc_parse(const char *text, const char *name,
                              struct sim_err *err);

struct scn_doc *scn_doc_clone(const struct scn_doc *doc);
void scn_doc_free(struct scn_doc *doc);

const char *scn_doc_name(const struct scn_doc *doc);

/* Applies one override written "PATH=VALUE".  VALUE is read as JSON when it
 * is a JSON number, true, false, null or a quoted string, otherwise as a
 * bare string (so `routing=favourites` works).  PATH must name an existing
 * element or a key the format defines at that place (the compile step then
 * checks the value); an unknown key gets the same did-you-mean hint as in
 * a file.  Array indices must exist. */
int scn_doc_set(struct scn_doc *doc, const char *assignment,
                struct sim_err *err);

/* scn_doc_set, naming the override `origin` ("--reps 0"; NULL: "--set
 * PATH=VALUE") in the errors it causes: a compile error on the key it set
 * names the override instead of the file.  A later change to the key
 * (another override, a sweep point) takes the attribution away. */
int scn_doc_set_as(struct scn_doc *doc, const char *assignment, const char *origin,
                   struct sim_err *err);

/* Sets the number at `path` (the sweep's way in). */
int scn_doc_set_number(struct scn_doc *doc, const char *path, double value,
                       struct sim_err *err);

/* Reads the number at `path`, which must exist and be a number. */
int scn_doc_get_number(const struct scn_doc *doc, const char *path,
                       double *value, struct sim_err *err);

/* Calls fn(user, path) for every place where a and b differ: a scalar
 * that differs or exists in one only, or an array whose length differs
 * (its path then names the whole array).  Paths are written as for --set;
 * `name`, `description` and `notes` are not compared. */
typedef void (*scn_diff_fn)(void *user, const char *path);
void scn_doc_diff(const struct scn_doc *a, const struct scn_doc *b,
                  scn_diff_fn fn, void *user);

/* Makes the value at `path` in dst what it is in src: copied when src has
 * it, removed when it does not.  The path is checked as for --set. */
int scn_doc_copy(struct scn_doc *dst, const struct scn_doc *src,
                 const char *path, struct sim_err *err);

/* The document as JSON text (what was run, overrides included); the
 * caller frees it with free(). */
char *scn_doc_print(const struct scn_doc *doc);

/* Checks the document and fills *out.  SIM_OK or SIM_ERR_INPUT. */
int scn_doc_compile(const struct scn_doc *doc, struct scenario *out,
                    struct sim_err *err);

/* The label of the key at `path` for a chart or a control, with the name
 * of the channel or group it is in: "web leads a week" for
 * channels[0].arrivals.per_week; the path itself for a key without one.
 * Returns buf. */
const char *scn_doc_label(const struct scn_doc *doc, const char *path,
                          char *buf, size_t n);

/* scn_doc_load + every override + scn_doc_compile. */
int scn_load(const char *path, const char *const *sets, size_t n_sets,
             struct scenario *out, struct sim_err *err);

#endif
