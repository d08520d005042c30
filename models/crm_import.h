/*
 * crm_import.h - a CRM export (or a lead log) into a lead history: the
 * work of `funnelsim import`.
 *
 * Concept: the file is read whole into memory (an export of 100,000 leads
 * is tens of megabytes), converted to UTF-8 by iconv(3) when the map names
 * another encoding, and read twice through sim/csvin (libcsv): the first
 * pass finds the header's columns and a sample of each date column (the
 * first CRM_IMPORT_SAMPLE non-empty cells), from which the column's date
 * form is chosen once (sim/timestamp.h); the second turns each row into a
 * lead or skips it with a problem (struct crm_problem: the line, the
 * lead's id, the field and the rule broken).  A file whose header names a
 * `replication`, `lead` and `created_h` is a lead log of `run --leads`
 * and is read by history_read_leadlog() instead (one replication).
 *
 * Rows (docs/import.md says it for users):
 *   - skipped: an empty lead_id; a lead_id seen on a parsed row before
 *     (the first is kept); an empty or unreadable created_at; an
 *     unreadable first_contact_at or closed_at; either before created_at
 *     (a time given as a date alone on created_at's day counts as at
 *     creation); a status neither the map nor the schema names; attempts
 *     not a whole number 0..65535, value not a number >= 0; a cell that is
 *     not UTF-8; more non-empty cells than the header has columns;
 *   - a missing trailing cell is an empty one;
 *   - without a status (no column, or an empty cell): lost when a reason
 *     is given, won when a value > 0 is, else disqualified when closed
 *     without a first contact, lost (reason other) when closed after
 *     one, else open;
 *   - the reason counts only for lost leads: a word neither the map nor
 *     the schema knows is `other` (listed in the report with its count,
 *     for the map), an empty one too;
 *   - closed_at counts for won, lost and disqualified leads only.
 * Times: day 0 is the Monday on or before the first creation date, so
 * that weeks are whole Monday weeks; horizon_h is the end of the day of
 * the latest time in the file.  An offset in a time (Z, +03:00) converts
 * it to the map's timezone when one is given; otherwise it is dropped (the
 * wall clock as written) and counted in the report.
 *
 * MANAGERS.csv (owner, group, start_date, end_date; delimiter and date
 * forms detected, the map's encoding) gives the owners' groups and
 * employment: start_h is the start of start_date, end_h the end of
 * end_date.  Its bad rows are problems of file "managers".
 *
 * Errors (SIM_ERR_INPUT, the run stops, nothing written): a file that
 * cannot be read or converted, no header, no lead_id or created_at column
 * (or a column the map names that the file does not have), no rows, all
 * rows skipped (naming the first problem's line and rule).
 *
 * What was read, skipped and why goes into a struct crm_report
 * (models/crm_report.h), which also writes import.json and
 * import-problems.csv.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_CRM_IMPORT_H
#define MODELS_CRM_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "models/crm_map.h"
#include "models/crm_report.h"
#include "models/history.h"
#include "sim/err.h"

#define CRM_IMPORT_SAMPLE 50            /* date cells a column's form is chosen from */
#define CRM_IMPORT_MAX_BYTES (1u << 30) /* the largest file read */

struct crm_import_opts {
    const struct crm_map *map;  /* NULL: nothing given */
    const char *managers;       /* MANAGERS.csv, or NULL */
    unsigned replication;       /* of a lead log */
};

/* Reads `path` (named `name` in messages) into *h (history.h's
 * invariants hold) and *r.  SIM_OK with at least one lead; SIM_ERR_INPUT
 * or SIM_ERR_RUNTIME with err set, *h empty. */
int crm_import_file(const char *path, const char *name, const struct crm_import_opts *o,
                    struct history *h, struct crm_report *r, struct sim_err *err);

/* The same over `len` bytes in memory (the fuzzer; no managers file, not
 * a lead log). */
int crm_import_mem(const char *buf, size_t len, const char *name,
                   const struct crm_import_opts *o, struct history *h, struct crm_report *r,
                   struct sim_err *err);

#endif
