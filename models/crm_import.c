/*
 * crm_import.c - a CRM export into a lead history (models/crm_import.h).
 *
 * Two passes over the file in memory: the first reads the header and a
 * sample of each date column, the second the rows.  Each lead's three
 * times are kept as read (struct sim_ts) until the last row, since day 0
 * (the Monday on or before the first creation) is known only then; hours
 * are computed from them once, directly from the dates, so no rounding
 * accumulates from a provisional origin.
 *
 * SPDX-License-Identifier: MIT
 */
#include "models/crm_import.h"

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/csvin.h"
#include "sim/date.h"
#include "sim/file.h"
#include "sim/mem.h"
#include "sim/text.h"

/* A lead's times as read, until day 0 is known. */
struct pending {
    struct sim_ts t[CRM_DATES];
    bool has[CRM_DATES];
    bool at_creation[CRM_DATES];    /* a date alone on created_at's day */
    unsigned long line;
};

struct imp {
    const char *name;
    const struct crm_map *map;
    struct history *h;
    struct crm_report *r;
    bool utf8;                  /* the bytes were not converted: check them */
    bool header_done;
    long col[CRM_FIELDS];       /* field index of each schema field, -1 */
    size_t n_head;
    /* pass 1: samples */
    char *sample[CRM_DATES][CRM_IMPORT_SAMPLE];
    size_t n_sample[CRM_DATES];
    /* pass 2 */
    const char *strp;
    struct pending *pend;
    size_t cap_pend;
    size_t *slot;               /* the id set: lead index + 1, 0 free */
    size_t n_slot;
};

enum { STOP_SAMPLED = 99 };     /* pass 1 has what it needs */

/* ---- small readers ----------------------------------------------------------- */

/* A cell trimmed of spaces and tabs into buf (cut to its size). */
static const char *trimmed(const struct sim_csvin_row *row, long at, char *buf, size_t size)
{
    if (at < 0 || (size_t)at >= row->n) {
        buf[0] = '\0';
        return buf;
    }
    const char *s = row->field[at];
    size_t n = row->len[at];
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return buf;
}

static bool utf8_ok(const char *s, size_t n)
{
    size_t at = 0, k;
    while (at < n) {
        if (sim_text_utf8_next(s + at, n - at, &k) < 0)
            return false;
        at += k;
    }
    return true;
}

/* A count 0..65535. */
static bool whole(const char *s, unsigned *v)
{
    if (*s < '0' || *s > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long u = strtoul(s, &end, 10);
    if (*end != '\0' || errno || u > 65535)
        return false;
    *v = (unsigned)u;
    return true;
}

/* An amount as exports write it: "1 234,50", "1234.5", "1,234.50": spaces
 * (also no-break ones) and apostrophes group digits; a comma is the decimal
 * mark when no point is there, a grouping one before a point. */
static bool amount(const char *s, double *x)
{
    char buf[64];
    size_t n = 0;
    bool point = strchr(s, '.') != NULL;
    size_t commas = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == ' ' || *p == '\'')
            continue;
        if (p[0] == 0xC2 && p[1] == 0xA0) {
            p++;
            continue;
        }
        if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xAF || p[2] == 0x89)) {
            p += 2;
            continue;
        }
        if (*p == ',') {
            commas++;
            if (point)
                continue;
        }
        if (n + 1 >= sizeof buf)
            return false;
        buf[n++] = *p == ',' ? '.' : (char)*p;
    }
    buf[n] = '\0';
    if (n == 0 || (!point && commas > 1) || buf[0] == '-' || buf[0] == '+')
        return false;
    char *end;
    errno = 0;
    *x = strtod(buf, &end);
    return *end == '\0' && errno == 0 && isfinite(*x) && (buf[0] >= '0' && buf[0] <= '9');
}

/* ---- problems ---------------------------------------------------------------- */

static int problem(struct imp *im, bool managers, unsigned long line, const char *id, int field,
                   unsigned rule, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static int problem(struct imp *im, bool managers, unsigned long line, const char *id, int field,
                   unsigned rule, const char *fmt, ...)
{
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    crm_report_problem(im->r, managers, line, id, field, rule, msg);
    return SIM_OK;
}

/* A value quoted for a message: printable, cut at 60 bytes. */
static const char *shown(const char *s, char *buf, size_t size)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%s", s);
    sim_text_printable(buf, size, tmp);
    return buf;
}

/* ---- the header ------------------------------------------------------------- */

static bool header_is(const char *cellv, const char *name, bool fold)
{
    char a[256];
    snprintf(a, sizeof a, "%s", cellv);
    char *s = a;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    if (!fold)
        return strcmp(s, name) == 0;
    /* loosely: any ASCII case, a space or a hyphen for an underscore
     * ("Lead ID", "Created-At" are lead_id, created_at) */
    for (; *s && *name; s++, name++) {
        char c = *s == ' ' || *s == '-' ? '_' : *s;
        char d = *name == ' ' || *name == '-' ? '_' : *name;
        if (c != d && !(c >= 'A' && c <= 'Z' && c + 32 == d) &&
            !(d >= 'A' && d <= 'Z' && d + 32 == c))
            return false;
    }
    return *s == '\0' && *name == '\0';
}

static int read_header(struct imp *im, const struct sim_csvin_row *row, struct sim_err *err)
{
    for (size_t i = 0; i < row->n; i++)
        if (im->utf8 && !utf8_ok(row->field[i], row->len[i]))
            return sim_err_set(err, SIM_ERR_INPUT, "%s line %lu: the header is not UTF-8 "
                               "(an export in another encoding: give the map's \"encoding\", "
                               "e.g. \"cp1251\")", im->name, row->line);
    im->n_head = row->n;
    for (int f = 0; f < CRM_FIELDS; f++) {
        const char *want = im->map && im->map->column[f] ? im->map->column[f]
                                                         : crm_field_name((unsigned)f);
        im->col[f] = -1;
        for (int fold = 0; fold < 2 && im->col[f] < 0; fold++)
            for (size_t i = 0; i < row->n && im->col[f] < 0; i++)
                if (header_is(row->field[i], want, fold))
                    im->col[f] = (long)i;
        if (im->col[f] < 0 && im->map && im->map->column[f])
            return sim_err_set(err, SIM_ERR_INPUT, "%s line %lu: no column \"%s\", which the "
                               "map's columns.%s names", im->name, row->line, want,
                               crm_field_name((unsigned)f));
        if (im->col[f] < 0 && (f == CRM_LEAD_ID || f == CRM_CREATED_AT))
            return sim_err_set(err, SIM_ERR_INPUT, "%s line %lu: no column \"%s\" (required; "
                               "name the file's column in --map's \"columns\")", im->name,
                               row->line, want);
        if (im->col[f] >= 0) {
            free(im->r->column[f]);
            im->r->column[f] = sim_strdup(row->field[im->col[f]]);
        }
    }
    for (int d = 0; d < CRM_DATES; d++)
        im->r->date_used[d] = im->col[crm_date_fields[d]] >= 0;
    im->header_done = true;
    return SIM_OK;
}

/* ---- pass 1: the samples ---------------------------------------------------- */

static int pass1(void *ctx, const struct sim_csvin_row *row, struct sim_err *err)
{
    struct imp *im = ctx;
    if (!im->header_done)
        return read_header(im, row, err);
    bool full = true;
    for (int d = 0; d < CRM_DATES; d++) {
        if (im->col[crm_date_fields[d]] < 0 || im->n_sample[d] == CRM_IMPORT_SAMPLE)
            continue;
        char buf[128];
        trimmed(row, im->col[crm_date_fields[d]], buf, sizeof buf);
        if (buf[0] != '\0')
            im->sample[d][im->n_sample[d]++] = sim_strdup(buf);
        full = full && im->n_sample[d] == CRM_IMPORT_SAMPLE;
    }
    return full ? STOP_SAMPLED : SIM_OK;
}

/* ---- pass 2: the rows ------------------------------------------------------- */

static size_t id_hash(const char *s)
{
    return (size_t)sim_file_fnv1a(SIM_FILE_FNV_START, s, strlen(s));
}

/* The lead already holding `id`, or -1 (and the id's slot in *at). */
static long id_find(struct imp *im, const char *id, size_t *at)
{
    size_t mask = im->n_slot - 1;
    for (size_t i = id_hash(id) & mask;; i = (i + 1) & mask) {
        if (im->slot[i] == 0) {
            *at = i;
            return -1;
        }
        if (strcmp(im->h->id[im->slot[i] - 1], id) == 0)
            return (long)(im->slot[i] - 1);
    }
}

static void id_grow(struct imp *im)
{
    if (im->n_slot != 0 && 2 * (im->h->n + 1) < im->n_slot)
        return;
    size_t n = im->n_slot ? 2 * im->n_slot : 1024;
    free(im->slot);
    im->slot = sim_calloc(n, sizeof *im->slot);
    im->n_slot = n;
    for (size_t k = 0; k < im->h->n; k++) {
        size_t at;
        id_find(im, im->h->id[k], &at);
        im->slot[at] = k + 1;
    }
}

/* A date cell of column d, when given: false after listing a problem. */
static bool read_date(struct imp *im, const struct sim_csvin_row *row, const char *id, int d,
                      struct sim_ts *ts, bool *has)
{
    char buf[160], why[160], sv[96];
    trimmed(row, im->col[crm_date_fields[d]], buf, sizeof buf);
    *has = buf[0] != '\0';
    if (!*has)
        return true;
    enum sim_ts_format f = im->strp ? SIM_TS_STRPTIME : im->r->date_form[d];
    if (sim_ts_parse(buf, f, im->strp, ts, why, sizeof why))
        return true;
    problem(im, false, row->line, id, crm_date_fields[d], CRM_RULE_BAD_DATE, "%s \"%s\": %s",
            crm_field_name((unsigned)crm_date_fields[d]), shown(buf, sv, sizeof sv), why);
    return false;
}

/* The status of a row without one: from what the row does say. */
static unsigned derived_status(bool reason, double value, bool contact, bool closed)
{
    if (reason)
        return HISTORY_LOST;
    if (value > 0)
        return HISTORY_WON;
    if (closed)
        return contact ? HISTORY_LOST : HISTORY_DISQUALIFIED;
    return HISTORY_OPEN;
}

static int pass2(void *ctx, const struct sim_csvin_row *row, struct sim_err *err)
{
    struct imp *im = ctx;
    (void)err;
    if (!im->header_done) {
        im->header_done = true;
        return SIM_OK;
    }
    struct crm_report *r = im->r;
    r->rows++;
    char id[1024], buf[256], sv[96];   /* ids longer than 1023 bytes are cut */
    trimmed(row, im->col[CRM_LEAD_ID], id, sizeof id);
    if (im->utf8)
        for (size_t i = 0; i < row->n; i++)
            if (!utf8_ok(row->field[i], row->len[i]))
                return problem(im, false, row->line, id, -1,
                               CRM_RULE_BAD_TEXT, "column %zu is not UTF-8 (give the map's "
                               "\"encoding\")", i + 1);
    for (size_t i = im->n_head; i < row->n; i++)
        if (row->len[i] > 0)
            return problem(im, false, row->line, id, -1, CRM_RULE_EXTRA_CELLS,
                           "%zu cells where the header has %zu columns (a delimiter inside "
                           "an unquoted cell?)", row->n, im->n_head);
    if (id[0] == '\0')
        return problem(im, false, row->line, id, CRM_LEAD_ID, CRM_RULE_EMPTY_ID,
                       "lead_id is empty");
    struct pending p = {.line = row->line};
    trimmed(row, im->col[CRM_CREATED_AT], buf, sizeof buf);
    if (buf[0] == '\0')
        return problem(im, false, row->line, id, CRM_CREATED_AT, CRM_RULE_NO_CREATED,
                       "created_at is empty");
    for (int d = 0; d < CRM_DATES; d++)
        if (!read_date(im, row, id, d, &p.t[d], &p.has[d]))
            return SIM_OK;
    /* Order: a later time before the creation is a broken row, unless one
     * of the two is a date alone on the same day (then: at creation). */
    const struct crm_map *m = im->map;
    bool tz = m && m->tz;
    int tzm = m ? m->tz_min : 0;
    double hc = sim_ts_hours(&p.t[0], p.t[0].date, tz, tzm);
    for (int d = 1; d < CRM_DATES; d++) {
        if (!p.has[d])
            continue;
        double hk = sim_ts_hours(&p.t[d], p.t[0].date, tz, tzm);
        bool same_day = p.t[d].date == p.t[0].date && (!p.t[d].has_time || !p.t[0].has_time);
        if (hk < hc && same_day) {
            p.at_creation[d] = true;
        } else if (hk < hc) {
            char b2[96];
            trimmed(row, im->col[crm_date_fields[d]], buf, sizeof buf);
            trimmed(row, im->col[CRM_CREATED_AT], b2, sizeof b2);
            return problem(im, false, row->line, id, crm_date_fields[d],
                           d == 1 ? CRM_RULE_CONTACT_BEFORE_CREATED
                                  : CRM_RULE_CLOSED_BEFORE_CREATED,
                           "%s %s is before created_at %s", crm_field_name((unsigned)crm_date_fields[d]),
                           shown(buf, sv, sizeof sv), b2);
        }
    }
    unsigned attempts = 0;
    double value = NAN;
    trimmed(row, im->col[CRM_ATTEMPTS], buf, sizeof buf);
    if (buf[0] != '\0' && !whole(buf, &attempts))
        return problem(im, false, row->line, id, CRM_ATTEMPTS, CRM_RULE_BAD_NUMBER,
                       "attempts \"%s\" is not a whole number 0 to 65535",
                       shown(buf, sv, sizeof sv));
    trimmed(row, im->col[CRM_VALUE], buf, sizeof buf);
    if (buf[0] != '\0' && !amount(buf, &value))
        return problem(im, false, row->line, id, CRM_VALUE, CRM_RULE_BAD_NUMBER,
                       "value \"%s\" is not an amount >= 0", shown(buf, sv, sizeof sv));
    char reason[256];
    trimmed(row, im->col[CRM_REASON], reason, sizeof reason);
    trimmed(row, im->col[CRM_STATUS], buf, sizeof buf);
    int st;
    if (buf[0] != '\0') {
        st = crm_map_status(m, buf);
        if (st < 0)
            return problem(im, false, row->line, id, CRM_STATUS, CRM_RULE_UNKNOWN_STATUS,
                           "status \"%s\" is not won, qualified, lost, disqualified or open "
                           "(map it in --map's \"status\")", shown(buf, sv, sizeof sv));
    } else {
        st = (int)derived_status(reason[0] != '\0', isnan(value) ? 0 : value, p.has[1],
                                 p.has[2]);
    }
    /* Kept: the first parsed row with this id. */
    id_grow(im);
    size_t at;
    long first = id_find(im, id, &at);
    if (first >= 0) {
        r->duplicates++;
        return problem(im, false, row->line, id, CRM_LEAD_ID, CRM_RULE_DUPLICATE_ID,
                       "lead_id seen before, on line %lu (the first is kept)",
                       im->pend[first].line);
    }
    if (buf[0] == '\0')
        r->status_derived++;
    struct history_lead l = {
        .channel = HISTORY_NONE, .owner = HISTORY_NONE, .attempts = (uint16_t)attempts,
        .status = (uint8_t)st, .reason = HISTORY_REASON_NONE,
        .value = st == HISTORY_WON ? value : NAN,
    };
    if (st == HISTORY_LOST) {
        int re = reason[0] ? crm_map_reason(m, reason) : HISTORY_REASON_OTHER;
        if (re < 0) {
            crm_report_unmapped(r, reason);
            re = HISTORY_REASON_OTHER;
        }
        l.reason = (uint8_t)re;
    }
    if (st != HISTORY_WON && st != HISTORY_LOST && st != HISTORY_DISQUALIFIED)
        p.has[2] = false;
    trimmed(row, im->col[CRM_CHANNEL], buf, sizeof buf);
    if (buf[0])
        l.channel = history_channel(im->h, buf);
    trimmed(row, im->col[CRM_OWNER], buf, sizeof buf);
    if (buf[0])
        l.owner = history_owner(im->h, buf);
    if (im->h->n == im->cap_pend) {
        im->cap_pend = im->cap_pend ? 2 * im->cap_pend : 256;
        im->pend = sim_reallocarray(im->pend, im->cap_pend, sizeof *im->pend);
    }
    im->pend[im->h->n] = p;
    im->slot[at] = im->h->n + 1;
    history_add(im->h, &l, id);
    r->parsed++;
    r->status[st]++;
    return SIM_OK;
}

/* ---- the end: day 0, hours -------------------------------------------------- */

static void finish(struct imp *im)
{
    struct history *h = im->h;
    const struct crm_map *m = im->map;
    bool tz = m && m->tz;
    int tzm = m ? m->tz_min : 0;
    int32_t ref = im->pend[0].t[0].date;
    double first = INFINITY;
    for (size_t i = 0; i < h->n; i++) {
        double c = sim_ts_hours(&im->pend[i].t[0], ref, tz, tzm);
        if (c < first)
            first = c;
    }
    int32_t day = ref + (int32_t)floor(first / 24.0);
    int32_t day0 = day - sim_date_weekday(day);
    h->origin.dated = true;
    h->origin.date = day0;
    double last = 0;
    for (size_t i = 0; i < h->n; i++) {
        struct pending *p = &im->pend[i];
        double t[CRM_DATES];
        for (int d = 0; d < CRM_DATES; d++) {
            t[d] = NAN;
            if (!p->has[d])
                continue;
            if (p->t[d].has_offset && tz)
                im->r->offsets_converted++;
            else if (p->t[d].has_offset)
                im->r->offsets_dropped++;
            t[d] = sim_ts_hours(&p->t[d], day0, tz, tzm);
            if (p->at_creation[d])
                t[d] = t[0];
            if (t[d] > last)
                last = t[d];
        }
        h->lead[i].created_h = t[0];
        h->lead[i].first_contact_h = t[1];
        h->lead[i].closed_h = t[2];
    }
    h->horizon_h = (floor(last / 24.0) + 1.0) * 24.0;
    /* the order of the file, then by creation (stable): pending follows */
    history_sort(h);
}

/* ---- the managers file ---------------------------------------------------- */

enum { M_OWNER, M_GROUP, M_START, M_END, M_COLS };
static const char *const manager_cols[M_COLS] = {"owner", "group", "start_date", "end_date"};

struct mgr {
    struct imp *im;
    const char *name;
    long col[M_COLS];
    bool header_done;
    bool *seen;                 /* owners named in the file */
    size_t n_seen;
    enum sim_ts_format form[2];
    char *sample[2][CRM_IMPORT_SAMPLE];
    size_t n_sample[2];
    int pass;
};

static int mgr_row(void *ctx, const struct sim_csvin_row *row, struct sim_err *err)
{
    struct mgr *g = ctx;
    struct imp *im = g->im;
    char owner[256], buf[160], why[160], sv[96];
    if (!g->header_done) {
        g->header_done = true;
        for (int k = 0; k < M_COLS; k++) {
            g->col[k] = -1;
            for (size_t i = 0; i < row->n && g->col[k] < 0; i++)
                if (header_is(row->field[i], manager_cols[k], true))
                    g->col[k] = (long)i;
        }
        if (g->col[M_OWNER] < 0)
            return sim_err_set(err, SIM_ERR_INPUT, "%s line %lu: no column \"owner\"",
                               g->name, row->line);
        return SIM_OK;
    }
    if (g->pass == 1) {
        for (int d = 0; d < 2; d++) {
            trimmed(row, g->col[M_START + d], buf, sizeof buf);
            if (buf[0] && g->n_sample[d] < CRM_IMPORT_SAMPLE)
                g->sample[d][g->n_sample[d]++] = sim_strdup(buf);
        }
        return SIM_OK;
    }
    im->r->m_rows++;
    trimmed(row, g->col[M_OWNER], owner, sizeof owner);
    if (im->utf8)
        for (size_t i = 0; i < row->n; i++)
            if (!utf8_ok(row->field[i], row->len[i]))
                return problem(im, true, row->line, owner, -1, CRM_RULE_BAD_TEXT,
                               "column %zu is not UTF-8", i + 1);
    if (owner[0] == '\0')
        return problem(im, true, row->line, owner, -1, CRM_RULE_EMPTY_OWNER, "owner is empty");
    double t[2] = {NAN, NAN};
    int32_t day0 = im->h->origin.date;
    for (int d = 0; d < 2; d++) {
        struct sim_ts ts;
        trimmed(row, g->col[M_START + d], buf, sizeof buf);
        if (buf[0] == '\0')
            continue;
        if (!sim_ts_parse(buf, g->form[d], NULL, &ts, why, sizeof why))
            return problem(im, true, row->line, owner, -1, CRM_RULE_BAD_DATE, "%s \"%s\": %s",
                           manager_cols[M_START + d], shown(buf, sv, sizeof sv), why);
        t[d] = (double)(ts.date - day0 + d) * 24.0;     /* end_date: through its end */
    }
    if (t[1] < t[0])
        return problem(im, true, row->line, owner, -1, CRM_RULE_END_BEFORE_START,
                       "end_date is before start_date");
    struct history *h = im->h;
    uint32_t o = history_owner(h, owner);
    if (o < g->n_seen && g->seen[o])
        return problem(im, true, row->line, owner, -1, CRM_RULE_DUPLICATE_OWNER,
                       "owner named before in the file (the first is kept)");
    if (o >= g->n_seen) {
        g->seen = sim_reallocarray(g->seen, h->n_owners, sizeof *g->seen);
        memset(g->seen + g->n_seen, 0, (h->n_owners - g->n_seen) * sizeof *g->seen);
        g->n_seen = h->n_owners;
    }
    g->seen[o] = true;
    trimmed(row, g->col[M_GROUP], buf, sizeof buf);
    free(h->owner[o].group);
    h->owner[o].group = buf[0] ? sim_strdup(buf) : NULL;
    h->owner[o].start_h = t[0];
    h->owner[o].end_h = t[1];
    im->r->m_parsed++;
    return SIM_OK;
}

/* ---- reading the bytes ------------------------------------------------------ */

static int read_all(const char *path, const char *name, char **buf, size_t *len,
                    struct sim_err *err)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return sim_err_set(err, errno == ENOENT || errno == EACCES ? SIM_ERR_INPUT
                                                                   : SIM_ERR_RUNTIME,
                           "%s: cannot open: %s", name, strerror(errno));
    size_t cap = 1u << 16, n = 0, k;
    char *b = sim_malloc(cap);
    while ((k = fread(b + n, 1, cap - n, fp)) > 0) {
        n += k;
        if (n > CRM_IMPORT_MAX_BYTES) {
            fclose(fp);
            free(b);
            return sim_err_set(err, SIM_ERR_INPUT, "%s: larger than %u MiB", name,
                               CRM_IMPORT_MAX_BYTES >> 20);
        }
        if (n == cap)
            b = sim_realloc(b, cap *= 2);
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        free(b);
        return sim_err_set(err, SIM_ERR_INPUT, "%s: cannot read (a directory?)", name);
    }
    *buf = b;
    *len = n;
    return SIM_OK;
}

/* The bytes in `enc` as UTF-8 (a new buffer). */
static int convert(const char *enc, const char *name, const char *in, size_t n, char **out,
                   size_t *outn, struct sim_err *err)
{
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1)
        return sim_err_set(err, SIM_ERR_INPUT, "%s: encoding \"%s\" unknown to iconv", name,
                           enc);
    size_t cap = 2 * n + 16;
    char *o = sim_malloc(cap);
    char *ip = (char *)in, *op = o;
    size_t il = n, ol = cap;
    while (il > 0) {
        if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
            continue;
        if (errno == E2BIG) {
            size_t used = (size_t)(op - o);
            o = sim_realloc(o, cap *= 2);
            op = o + used;
            ol = cap - used;
            continue;
        }
        unsigned long line = 1;
        for (const char *p = in; p < ip; p++)
            line += *p == '\n';
        int rc = sim_err_set(err, SIM_ERR_INPUT, "%s line %lu: not %s text (byte 0x%02X)",
                             name, line, enc, (unsigned)(unsigned char)*ip);
        iconv_close(cd);
        free(o);
        return rc;
    }
    iconv_close(cd);
    *out = o;
    *outn = (size_t)(op - o);
    return SIM_OK;
}

/* ---- the whole ---------------------------------------------------------- */

static void imp_free(struct imp *im)
{
    for (int d = 0; d < CRM_DATES; d++)
        for (size_t i = 0; i < im->n_sample[d]; i++)
            free(im->sample[d][i]);
    free(im->pend);
    free(im->slot);
}

static int import_bytes(const char *buf, size_t len, const char *name,
                        const struct crm_import_opts *o, bool converted, struct history *h,
                        struct crm_report *r, struct sim_err *err)
{
    struct imp im = {
        .name = name, .map = o ? o->map : NULL, .h = h, .r = r, .utf8 = !converted,
    };
    const struct crm_map *m = im.map;
    struct sim_csvin_opts co = {.delim = m ? m->delim : 0};
    int rc = sim_csvin_mem(buf, len, name, &co, pass1, &im, &r->delim, err);
    if (rc == STOP_SAMPLED)
        rc = SIM_OK;
    if (rc == SIM_OK && !im.header_done)
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s: empty: no header line", name);
    if (rc == SIM_OK) {
        for (int d = 0; d < CRM_DATES; d++)
            r->date_form[d] = sim_ts_detect((const char *const *)im.sample[d],
                                            im.n_sample[d], NULL);
        if (m && m->date_format) {
            im.strp = m->date_format;
            r->date_format = sim_strdup(m->date_format);
        }
        im.header_done = false;
        rc = sim_csvin_mem(buf, len, name, &co, pass2, &im, NULL, err);
    }
    if (rc == SIM_OK && r->rows == 0)
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s: no rows after the header", name);
    if (rc == SIM_OK && r->parsed == 0) {
        char counts[160] = "";
        size_t k = 0;
        for (unsigned u = 0; u < CRM_RULES && k < sizeof counts; u++)
            if (r->by_rule[u])
                k += (size_t)snprintf(counts + k, sizeof counts - k, "%s%zu %s", k ? ", " : "",
                                      r->by_rule[u], crm_rule_name(u));
        const struct crm_problem *p = &r->problem[0];
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s: all %zu rows skipped (%s); the first: line "
                         "%lu: %s: %s", name, r->rows, counts, p->line, crm_rule_name(p->rule),
                         p->message);
    }
    if (rc == SIM_OK) {
        finish(&im);
    }
    imp_free(&im);
    return rc;
}

static void report_start(struct crm_report *r, const struct crm_import_opts *o)
{
    memset(r, 0, sizeof *r);
    const struct crm_map *m = o ? o->map : NULL;
    r->encoding = sim_strdup(m && m->encoding ? m->encoding : "UTF-8");
}

int crm_import_mem(const char *buf, size_t len, const char *name,
                   const struct crm_import_opts *o, struct history *h, struct crm_report *r,
                   struct sim_err *err)
{
    memset(h, 0, sizeof *h);
    report_start(r, o);
    const struct crm_map *m = o ? o->map : NULL;
    char *conv = NULL;
    size_t n = len;
    int rc = SIM_OK;
    if (!crm_map_utf8(m))
        rc = convert(m->encoding, name, buf, len, &conv, &n, err);
    if (rc == SIM_OK)
        rc = import_bytes(conv ? conv : buf, n, name, o, conv != NULL, h, r, err);
    free(conv);
    if (rc != SIM_OK) {
        history_free(h);
        crm_report_free(r);
    }
    return rc;
}

/* The header of the file, to tell a lead log. */
struct peek {
    bool replication, lead, created_h;
};

static int peek_row(void *ctx, const struct sim_csvin_row *row, struct sim_err *err)
{
    struct peek *p = ctx;
    (void)err;
    for (size_t i = 0; i < row->n; i++) {
        p->replication |= strcmp(row->field[i], "replication") == 0;
        p->lead |= strcmp(row->field[i], "lead") == 0;
        p->created_h |= strcmp(row->field[i], "created_h") == 0;
    }
    return STOP_SAMPLED;
}

static int managers_file(const char *path, struct imp *im, struct sim_err *err)
{
    char *buf = NULL, *conv = NULL;
    size_t len = 0;
    int rc = read_all(path, path, &buf, &len, err);
    if (rc == SIM_OK && !crm_map_utf8(im->map))
        rc = convert(im->map->encoding, path, buf, len, &conv, &len, err);
    struct mgr g = {.im = im, .name = path, .pass = 1};
    const char *b = conv ? conv : buf;
    if (rc == SIM_OK)
        rc = sim_csvin_mem(b, len, path, NULL, mgr_row, &g, NULL, err);
    if (rc == SIM_OK && !g.header_done)
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s: empty: no header line", path);
    if (rc == SIM_OK) {
        for (int d = 0; d < 2; d++)
            g.form[d] = sim_ts_detect((const char *const *)g.sample[d], g.n_sample[d], NULL);
        g.pass = 2;
        g.header_done = false;
        rc = sim_csvin_mem(b, len, path, NULL, mgr_row, &g, NULL, err);
    }
    for (int d = 0; d < 2; d++)
        for (size_t i = 0; i < g.n_sample[d]; i++)
            free(g.sample[d][i]);
    free(g.seen);
    free(buf);
    free(conv);
    return rc;
}

int crm_import_file(const char *path, const char *name, const struct crm_import_opts *o,
                    struct history *h, struct crm_report *r, struct sim_err *err)
{
    memset(h, 0, sizeof *h);
    report_start(r, o);
    struct peek pk = {0};
    int rc = sim_csvin_file(path, name, NULL, peek_row, &pk, NULL, err);
    if (rc == STOP_SAMPLED)
        rc = SIM_OK;
    if (rc == SIM_OK && pk.replication && pk.lead && pk.created_h) {
        if (o && (o->map || o->managers))
            rc = sim_err_set(err, SIM_ERR_INPUT, "%s: a lead log of `run --leads` is read "
                             "through its built-in map: give neither --map nor --managers",
                             name);
        if (rc == SIM_OK)
            rc = history_read_leadlog(path, o ? o->replication : 0, h, err);
        if (rc == SIM_OK) {
            r->leadlog = true;
            r->replication = o ? o->replication : 0;
            r->rows = r->parsed = h->n;
            r->delim = ',';
            for (size_t i = 0; i < h->n; i++)
                r->status[h->lead[i].status]++;
        }
    } else if (rc == SIM_OK) {
        char *buf = NULL;
        size_t len = 0;
        rc = read_all(path, name, &buf, &len, err);
        if (rc == SIM_OK) {
            /* crm_import_mem() resets *r: keep nothing before it */
            crm_report_free(r);
            rc = crm_import_mem(buf, len, name, o, h, r, err);
        }
        free(buf);
        if (rc == SIM_OK && o && o->managers) {
            struct imp im = {.map = o->map, .h = h, .r = r, .utf8 = crm_map_utf8(o->map)};
            rc = managers_file(o->managers, &im, err);
        }
    }
    if (rc != SIM_OK) {
        history_free(h);
        crm_report_free(r);
    }
    return rc;
}

