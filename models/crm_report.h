/*
 * crm_report.h - what an import read, skipped and why: the counts of
 * import.json and the rows of import-problems.csv.
 *
 * Concept: every row of the file is either parsed (a lead) or skipped with
 * one problem (struct crm_problem: the file, the line the row starts on,
 * its id, the field and the rule broken, and a message for people), so
 * parsed + skipped = rows always; models/crm_import.c fills the report,
 * this module keeps it and writes it.  The rules (enum crm_rule) are the
 * `rule` column's words; docs/import.md explains each.
 *
 * Ownership: struct crm_report owns its problems and texts
 * (crm_report_free()); a zeroed one is empty.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_CRM_REPORT_H
#define MODELS_CRM_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "models/crm_map.h"
#include "models/history.h"
#include "sim/err.h"
#include "sim/timestamp.h"

/* Why a row was skipped. */
enum crm_rule {
    CRM_RULE_EMPTY_ID,
    CRM_RULE_DUPLICATE_ID,
    CRM_RULE_NO_CREATED,
    CRM_RULE_BAD_DATE,
    CRM_RULE_CONTACT_BEFORE_CREATED,
    CRM_RULE_CLOSED_BEFORE_CREATED,
    CRM_RULE_UNKNOWN_STATUS,
    CRM_RULE_BAD_NUMBER,
    CRM_RULE_BAD_TEXT,
    CRM_RULE_EXTRA_CELLS,
    CRM_RULE_EMPTY_OWNER,               /* managers */
    CRM_RULE_DUPLICATE_OWNER,           /* managers */
    CRM_RULE_END_BEFORE_START,          /* managers */
    CRM_RULES
};

/* "empty_lead_id", "duplicate_lead_id", ... */
const char *crm_rule_name(unsigned rule);

struct crm_problem {
    bool managers;              /* a row of MANAGERS.csv, not of the leads */
    unsigned long line;         /* where the row starts */
    char *lead_id;              /* or the owner; "" when none */
    int field;                  /* enum crm_field, -1: the row */
    unsigned rule;              /* enum crm_rule */
    char *message;              /* for people: the value and the rule */
};

/* The date columns: created_at, first_contact_at, closed_at. */
enum { CRM_DATE_CREATED, CRM_DATE_FIRST, CRM_DATE_CLOSED, CRM_DATES };

struct crm_unmapped {
    char *word;                 /* a lost reason the map does not name */
    size_t n;
};

struct crm_report {
    bool leadlog;               /* the file was a lead log */
    unsigned replication;       /* its replication read */
    size_t rows, parsed, skipped, duplicates;
    size_t by_rule[CRM_RULES];  /* rows skipped, by rule (managers' included) */
    size_t status[HISTORY_STATUSES];  /* parsed leads by enum history_status */
    size_t status_derived;      /* rows whose status came from the defaults */
    size_t offsets_dropped;     /* times whose offset was dropped (no timezone) */
    size_t offsets_converted;   /* times moved to the map's timezone */
    char delim;
    char *encoding;             /* as read: "UTF-8", or the map's */
    char *column[CRM_FIELDS];   /* the header used for each field; NULL: absent */
    bool date_used[CRM_DATES];  /* the column was there */
    enum sim_ts_format date_form[CRM_DATES];
    char *date_format;          /* the map's, when it gave one */
    struct crm_unmapped *unmapped;
    size_t n_unmapped;
    size_t m_rows, m_parsed, m_skipped;     /* MANAGERS.csv */
    struct crm_problem *problem;
    size_t n_problems;
};

/* The schema field of each date column (CRM_CREATED_AT, ...). */
extern const int crm_date_fields[CRM_DATES];

/* Lists a skipped row (message made printable) and counts it. */
void crm_report_problem(struct crm_report *r, bool managers, unsigned long line, const char *id,
                        int field, unsigned rule, const char *message);

/* Counts a lost reason the map does not name. */
void crm_report_unmapped(struct crm_report *r, const char *word);

/* DIR/import-problems.csv (file, line, lead_id, field, rule, message: one
 * row per skipped row, in the files' order) and DIR/import.json (the
 * counts, the delimiter, encoding, columns and date forms used, the
 * unmapped reasons, day 0 and the horizon), each whole or not at all. */
int crm_report_save(const struct crm_report *r, const struct history *h, const char *source,
                    const char *dir, struct sim_err *err);

/* import.json's document (the caller deletes it). */
struct cJSON;
struct cJSON *crm_report_json(const struct crm_report *r, const struct history *h,
                              const char *source);

void crm_report_free(struct crm_report *r);

#endif
