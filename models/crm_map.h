/*
 * crm_map.h - how a CRM export's columns and values map onto a lead
 * history's schema: the `--map MAP.json` of `funnelsim import`.
 *
 * Concept: the schema has ten fields (enum crm_field): lead_id and
 * created_at required; channel, owner, first_contact_at, attempts, status,
 * reason, closed_at and value optional.  A file names them its own way
 * and in its own words; the map says which header is which field
 * (`columns`), which of the file's statuses is which schema status
 * (`status`), which of its lost reasons is which model reason (`reasons`),
 * and how the file is written (`delimiter`, `date_format`, `encoding`,
 * `timezone`).  Everything is optional; what is not given is detected
 * (the delimiter, the date forms, the headers by their schema names) or
 * defaulted (UTF-8, the wall clock as written).
 *
 *   {"columns":   {"lead_id": "ID", "created_at": "Дата создания", ...},
 *    "status":    {"Успешно реализовано": "won", "Закрыто": "lost", ...},
 *    "reasons":   {"Нет бюджета": "bad_fit", "Не дозвонились": "unreachable",
 *                  "Просто интересовался": "theorist", ...},
 *    "delimiter": ";", "date_format": "%d.%m.%Y %H:%M",
 *    "encoding":  "cp1251", "timezone": "+03:00"}
 *
 * Values match exactly after trimming spaces, or, failing that, without
 * regard to ASCII case; the schema's own names (won, lost, bad_fit, ...)
 * always match.  A key the map does not know, a status or reason it maps
 * to a name the schema does not have, an encoding iconv(3) cannot read or
 * a zone that is not a fixed offset is an error naming the JSON path.
 *
 * Ownership: struct crm_map owns its strings; crm_map_free() releases
 * them.  A zeroed struct crm_map is the map with nothing given.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MODELS_CRM_MAP_H
#define MODELS_CRM_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/err.h"

enum crm_field {
    CRM_LEAD_ID,
    CRM_CREATED_AT,
    CRM_CHANNEL,
    CRM_OWNER,
    CRM_FIRST_CONTACT_AT,
    CRM_ATTEMPTS,
    CRM_STATUS,
    CRM_REASON,
    CRM_CLOSED_AT,
    CRM_VALUE,
    CRM_FIELDS
};

struct crm_pair {
    char *from;                 /* the file's word */
    unsigned to;                /* enum history_status or enum history_reason */
};

struct crm_map {
    char *column[CRM_FIELDS];   /* the file's header of each field; NULL: its schema name */
    struct crm_pair *status;
    size_t n_status;
    struct crm_pair *reason;
    size_t n_reason;
    char delim;                 /* 0: detect */
    char *date_format;          /* strptime(3) format of every date column; NULL: detect */
    char *encoding;             /* NULL: UTF-8 */
    bool tz;                    /* a timezone was given */
    int tz_min;                 /* its offset, minutes east of UTC */
    char *tz_text;              /* as given */
};

/* "lead_id", "created_at", ... */
const char *crm_field_name(unsigned f);

/* Reads MAP.json.  SIM_ERR_INPUT naming the file and the JSON path. */
int crm_map_load(const char *path, struct crm_map *m, struct sim_err *err);
void crm_map_free(struct crm_map *m);

/* The schema status (enum history_status) or reason (enum history_reason,
 * a junk reason or HISTORY_REASON_OTHER) of a file's word; -1 when neither
 * the map nor the schema names it. */
int crm_map_status(const struct crm_map *m, const char *word);
int crm_map_reason(const struct crm_map *m, const char *word);

/* Whether the map's encoding is UTF-8 (or none given). */
bool crm_map_utf8(const struct crm_map *m);

#endif
