/*
 * fuzz_import.c - libFuzzer target for `funnelsim import`'s row parser:
 * a CRM export in memory through crm_import_mem() (models/crm_import.c:
 * sim/csvin over libcsv, the header and date-form detection, the
 * timestamps of sim/timestamp.c, iconv, every row rule).
 *
 * An input is
 *
 *     OPTIONS FILE
 *
 *   OPTIONS  one byte, the map the file is read with: bits 0-1 the
 *            delimiter (0 detected, 1 ';', 2 TAB, 3 ','); bit 2 a timezone
 *            of +03:00; bit 3 the encoding cp1251; bit 4 the date_format
 *            "%d.%m.%Y %H:%M"; bit 5 Cyrillic columns, statuses and
 *            reasons (tests/import/cyrillic.map.json's);
 *   FILE     the export's bytes.
 *
 * Besides "no crash, no leak, no undefined behaviour", the target aborts
 * when what must hold for any input breaks:
 *   - an error is an input error with a message, and leaves the history
 *     and the report empty;
 *   - otherwise every row is parsed or skipped (parsed + skipped = rows),
 *     at least one is parsed, one problem is listed per skipped row, the
 *     history holds the parsed leads, ordered by creation, each created in
 *     [0, horizon), contacted and closed no earlier, with day 0 a Monday
 *     within the week before the first lead.
 *
 * Seeds: the fixtures of tests/import, prefixed with an options byte
 * (the Makefile's fuzz target writes them at run time).
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/crm_import.h"
#include "models/crm_map.h"
#include "models/history.h"
#include "sim/date.h"

#define CHECK(c)                                                                   \
    do {                                                                           \
        if (!(c)) {                                                                \
            fprintf(stderr, "fuzz_import: %s:%d: %s\n", __FILE__, __LINE__, #c);   \
            abort();                                                               \
        }                                                                          \
    } while (0)

static char *dup(const char *s)
{
    char *d = malloc(strlen(s) + 1);
    CHECK(d != NULL);
    strcpy(d, s);
    return d;
}

static void pair(struct crm_pair **p, size_t *n, const char *from, unsigned to)
{
    *p = realloc(*p, (*n + 1) * sizeof **p);
    CHECK(*p != NULL);
    (*p)[(*n)++] = (struct crm_pair){.from = dup(from), .to = to};
}

static void make_map(unsigned char o, struct crm_map *m)
{
    memset(m, 0, sizeof *m);
    static const char delims[4] = {0, ';', '\t', ','};
    m->delim = delims[o & 3];
    if (o & 4) {
        m->tz = true;
        m->tz_min = 180;
        m->tz_text = dup("+03:00");
    }
    if (o & 8)
        m->encoding = dup("cp1251");
    if (o & 16)
        m->date_format = dup("%d.%m.%Y %H:%M");
    if (o & 32) {
        m->column[CRM_LEAD_ID] = dup("ID");
        m->column[CRM_CREATED_AT] = dup("Дата создания");
        m->column[CRM_STATUS] = dup("Этап");
        m->column[CRM_REASON] = dup("Причина отказа");
        pair(&m->status, &m->n_status, "Успешно реализовано", HISTORY_WON);
        pair(&m->status, &m->n_status, "Закрыто и не реализовано", HISTORY_LOST);
        pair(&m->reason, &m->n_reason, "Нет бюджета", JUNK_BAD_FIT);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct crm_map map;
    make_map(data[0], &map);
    struct crm_import_opts o = {.map = &map};
    struct history h;
    struct crm_report r;
    struct sim_err err = {0};
    int rc = crm_import_mem((const char *)data + 1, size - 1, "fuzz.csv", &o, &h, &r, &err);
    if (rc != SIM_OK) {
        CHECK(rc == SIM_ERR_INPUT);
        CHECK(err.msg[0] != '\0');
        CHECK(h.n == 0 && h.lead == NULL && r.n_problems == 0);
    } else {
        CHECK(r.parsed >= 1 && r.parsed + r.skipped == r.rows);
        CHECK(r.n_problems == r.skipped);
        CHECK(h.n == r.parsed);
        CHECK(h.origin.dated && sim_date_weekday(h.origin.date) == 0);
        CHECK(h.lead[0].created_h >= 0 && h.lead[0].created_h < 7 * 24);
        size_t by_status = 0;
        for (unsigned s = 0; s < HISTORY_STATUSES; s++)
            by_status += r.status[s];
        CHECK(by_status == h.n);
        for (size_t i = 0; i < h.n; i++) {
            const struct history_lead *l = &h.lead[i];
            CHECK(l->created_h >= 0 && l->created_h < h.horizon_h);
            CHECK(i == 0 || l->created_h >= h.lead[i - 1].created_h);
            CHECK(isnan(l->first_contact_h) || l->first_contact_h >= l->created_h);
            CHECK(isnan(l->closed_h) || (l->closed_h >= l->created_h && l->closed_h < h.horizon_h));
            CHECK(l->status < HISTORY_STATUSES && l->reason < HISTORY_REASONS);
            CHECK((l->status == HISTORY_LOST) == (l->reason != HISTORY_REASON_NONE));
            CHECK(l->channel == HISTORY_NONE || l->channel < h.n_channels);
            CHECK(l->owner == HISTORY_NONE || l->owner < h.n_owners);
            CHECK(h.id[i][0] != '\0');
        }
        history_free(&h);
        crm_report_free(&r);
    }
    crm_map_free(&map);
    return 0;
}
