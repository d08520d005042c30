/*
 * history.h - a lead history: the leads of a company's CRM export, or of
 * one replication of a lead log, in the CRM's vocabulary.  It is what
 * `import` produces, what `facts` describes and what `fit` matches.
 *
 * Concept: one record per lead, times in hours since the history's day 0
 * (the `origin` date, 00:00 local civil time, as a scenario's start_date),
 * a status and a stated reason as a CRM shows them.  A CRM never records
 * why a lead really went: a misjudged lead is written down as not
 * interested (went_cold), and nothing says whether a contact was rushed.
 * So a history holds only what a CRM can hold; the simulator's `outcome`
 * never enters one (history_read_leadlog() does not read that column).
 *
 * Statuses (HISTORY_*): won; qualified (passed first contact, not won or
 * not yet); lost (rejected after contact: junk, with its stated reason);
 * disqualified (dropped before any contact: counted as filtered); open.
 * Stated reasons: the six junk reasons of the model (metric.h's enum
 * junk_reason order, misjudged included for exports that do map a reason
 * to it), `other` (junk of unknown cause) and none (not lost).
 *
 * Invariants: leads are ordered by created_h (ties in file order);
 * created_h >= 0 and < horizon_h; a time that did not happen is NAN;
 * first_contact_h and closed_h, when set, are >= created_h; `channel` and
 * `owner` index their name tables (HISTORY_NONE: not given).
 *
 * Ownership: a struct history owns its arrays and names; history_free()
 * releases them.  Memory: sizeof(struct history_lead) (40 bytes) a lead,
 * plus its id's bytes when the source had ids.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_HISTORY_H
#define MODELS_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "models/metric.h"
#include "sim/date.h"
#include "sim/err.h"

#define HISTORY_NONE UINT32_MAX

enum history_status {
    HISTORY_WON,
    HISTORY_QUALIFIED,
    HISTORY_LOST,
    HISTORY_DISQUALIFIED,
    HISTORY_OPEN,
    HISTORY_STATUSES
};

/* Stated reasons: enum junk_reason's values, then these. */
enum history_reason {
    HISTORY_REASON_OTHER = JUNK_REASONS,    /* junk of unknown cause */
    HISTORY_REASON_NONE,                    /* not lost */
    HISTORY_REASONS
};

struct history_lead {
    double created_h;           /* hours since day 0 */
    double first_contact_h;     /* start of the first attempt; NAN: never */
    double closed_h;            /* won, lost or disqualified; NAN: open */
    double value;               /* deal value when won; NAN: not given */
    uint32_t channel;           /* index into channel names, or HISTORY_NONE */
    uint32_t owner;             /* index into owners, or HISTORY_NONE */
    uint16_t attempts;          /* 0: not given */
    uint8_t status;             /* enum history_status */
    uint8_t reason;             /* enum history_reason */
};

struct history_owner {
    char *name;
    char *group;                /* NULL: not given */
    double start_h, end_h;      /* employment, from MANAGERS.csv; NAN: not given */
};

struct history {
    struct sim_date_origin origin;  /* day 0; dated when the source had dates */
    double horizon_h;           /* hours covered: the last day's end */
    size_t n;
    struct history_lead *lead;
    size_t n_channels;
    char **channel;
    size_t n_owners;
    struct history_owner *owner;
    char **id;                  /* n lead ids as the source wrote them (kept for
                                   leads.csv and problem reports); NULL: the
                                   leads are numbered 0, 1, ... */
    size_t cap;                 /* leads allocated (history_add) */
};

/* Names for files and messages: "won", ...; "bad_fit", ..., "other", "". */
const char *history_status_name(unsigned status);
const char *history_reason_name(unsigned reason);

/* One replication (`replication` column) of a lead log written by `run
 * --leads`, through the built-in map: lead -> lead_id, created_h (or
 * created_at), first_contact_h, resolved_h -> closed, manager -> owner,
 * group, channel, attempts, status, stated_reason -> reason, value.  The
 * `outcome` column is never read.  day 0 is the log's day 0.
 *
 * `replication` is the number in the log's column (the log counts from 0).
 * The origin is dated when the log has a created_at column (a scenario
 * with a start_date): day 0 is the date of the first row's created_at less
 * its created_h.  horizon_h: the end of the day of the latest time in the
 * replication (the log does not say the run's horizon).  A log without a
 * `status` column (written before the column existed) is an error: the
 * status is never guessed from `outcome`.  Rows are in lead order, which
 * is creation order. */
int history_read_leadlog(const char *path, unsigned replication, struct history *h,
                         struct sim_err *err);

/* DIR/leads.csv and DIR/owners.csv as `import` writes them (history_save):
 * the normalised history, read back exactly (times to 1e-9 hours).
 *
 * DIR/history.json: {"start_date": "YYYY-MM-DD" or null, "horizon_h",
 * "leads", "channels": [names in index order], "owners": count}.
 * DIR/leads.csv: lead_id, created_h, first_contact_h, closed_h, channel,
 * owner, attempts, status, reason, value (hours with 17 significant
 * digits, so exact; an empty cell where NAN, HISTORY_NONE or attempts 0),
 * then, when the origin is dated, created_at, first_contact_at, closed_at
 * (YYYY-MM-DDTHH:MM:SS, for people; history_load reads the hours).
 * DIR/owners.csv: owner, group, start_h, end_h, in index order.
 * Each file is written whole or not at all (sim/file.h). */
int history_save(const struct history *h, const char *dir, struct sim_err *err);
int history_load(const char *dir, struct history *h, struct sim_err *err);

void history_free(struct history *h);

/* Building a history (import, the lead log reader, tests).  The index of
 * channel or owner `name`, added at the end of its table when new (linear
 * search: a CRM has tens of channels and owners, not thousands). */
uint32_t history_channel(struct history *h, const char *name);
uint32_t history_owner(struct history *h, const char *name);
/* Appends a lead (and its id, copied, when `id` is not NULL: then every
 * lead must have one). */
void history_add(struct history *h, const struct history_lead *l, const char *id);
/* Orders the leads by created_h, ties in the order added (a stable sort). */
void history_sort(struct history *h);

#endif
