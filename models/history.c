/*
 * history.c - a lead history: names, building, the files `import` writes
 * and the lead log reader (models/history.h).
 *
 * Every file is read through sim/csvin (libcsv) by its header's names, so
 * a column added later (or moved) breaks nothing; every file is written
 * through sim/csv into a temporary renamed into place (sim/file.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include "models/history.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/csv.h"
#include "sim/csvin.h"
#include "sim/file.h"
#include "sim/mem.h"
#include "sim/timestamp.h"

static const char *const status_names[HISTORY_STATUSES] = {
    [HISTORY_WON] = "won", [HISTORY_QUALIFIED] = "qualified", [HISTORY_LOST] = "lost",
    [HISTORY_DISQUALIFIED] = "disqualified", [HISTORY_OPEN] = "open",
};

static const char *const reason_names[HISTORY_REASONS] = {
    [JUNK_BAD_FIT] = "bad_fit",         [JUNK_THEORIST] = "theorist",
    [JUNK_UNREACHABLE] = "unreachable", [JUNK_WENT_COLD] = "went_cold",
    [JUNK_MISJUDGED] = "misjudged",     [JUNK_ABANDONED] = "abandoned",
    [HISTORY_REASON_OTHER] = "other",   [HISTORY_REASON_NONE] = "",
};
_Static_assert(JUNK_REASONS == 6, "a name for every junk reason");

const char *history_status_name(unsigned status)
{
    return status < HISTORY_STATUSES ? status_names[status] : "?";
}

const char *history_reason_name(unsigned reason)
{
    return reason < HISTORY_REASONS ? reason_names[reason] : "?";
}

/* A status or reason by its name; -1 when none has it. */
static int status_of(const char *s)
{
    for (int i = 0; i < HISTORY_STATUSES; i++)
        if (strcmp(s, status_names[i]) == 0)
            return i;
    return -1;
}

static int reason_of(const char *s)
{
    for (int i = 0; i < HISTORY_REASONS; i++)
        if (strcmp(s, reason_names[i]) == 0)
            return i;
    return -1;
}

/* ---- building ------------------------------------------------------------------ */

void history_free(struct history *h)
{
    if (h == NULL)
        return;
    for (size_t i = 0; i < h->n_channels; i++)
        free(h->channel[i]);
    free(h->channel);
    for (size_t i = 0; i < h->n_owners; i++) {
        free(h->owner[i].name);
        free(h->owner[i].group);
    }
    free(h->owner);
    if (h->id != NULL)
        for (size_t i = 0; i < h->n; i++)
            free(h->id[i]);
    free(h->id);
    free(h->lead);
    memset(h, 0, sizeof *h);
}

uint32_t history_channel(struct history *h, const char *name)
{
    for (size_t i = 0; i < h->n_channels; i++)
        if (strcmp(h->channel[i], name) == 0)
            return (uint32_t)i;
    h->channel = sim_reallocarray(h->channel, h->n_channels + 1, sizeof *h->channel);
    h->channel[h->n_channels] = sim_strdup(name);
    return (uint32_t)h->n_channels++;
}

uint32_t history_owner(struct history *h, const char *name)
{
    for (size_t i = 0; i < h->n_owners; i++)
        if (strcmp(h->owner[i].name, name) == 0)
            return (uint32_t)i;
    h->owner = sim_reallocarray(h->owner, h->n_owners + 1, sizeof *h->owner);
    h->owner[h->n_owners] = (struct history_owner){
        .name = sim_strdup(name), .group = NULL, .start_h = NAN, .end_h = NAN,
    };
    return (uint32_t)h->n_owners++;
}

void history_add(struct history *h, const struct history_lead *l, const char *id)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 256;
        h->lead = sim_reallocarray(h->lead, h->cap, sizeof *h->lead);
        if (h->id != NULL || (id != NULL && h->n == 0))
            h->id = sim_reallocarray(h->id, h->cap, sizeof *h->id);
    }
    if (id != NULL && h->id == NULL && h->n == 0)
        h->id = sim_reallocarray(NULL, h->cap, sizeof *h->id);
    h->lead[h->n] = *l;
    if (h->id != NULL)
        h->id[h->n] = sim_strdup(id != NULL ? id : "");
    h->n++;
}

/* A stable sort by created_h: a merge sort on an index (qsort is not
 * stable), then the leads and ids permuted.  n log n, 3 n words. */
static void merge_sort(size_t *a, size_t *tmp, size_t n, const struct history_lead *l)
{
    if (n < 2)
        return;
    size_t m = n / 2;
    merge_sort(a, tmp, m, l);
    merge_sort(a + m, tmp, n - m, l);
    size_t i = 0, j = m, k = 0;
    while (i < m && j < n)
        tmp[k++] = l[a[j]].created_h < l[a[i]].created_h ? a[j++] : a[i++];
    while (i < m)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

void history_sort(struct history *h)
{
    bool sorted = true;
    for (size_t i = 1; i < h->n && sorted; i++)
        sorted = !(h->lead[i].created_h < h->lead[i - 1].created_h);
    if (sorted)
        return;
    size_t *idx = sim_malloc(h->n * sizeof *idx), *tmp = sim_malloc(h->n * sizeof *tmp);
    for (size_t i = 0; i < h->n; i++)
        idx[i] = i;
    merge_sort(idx, tmp, h->n, h->lead);
    struct history_lead *lead = sim_malloc(h->cap * sizeof *lead);
    for (size_t i = 0; i < h->n; i++)
        lead[i] = h->lead[idx[i]];
    free(h->lead);
    h->lead = lead;
    if (h->id != NULL) {
        char **id = sim_malloc(h->cap * sizeof *id);
        for (size_t i = 0; i < h->n; i++)
            id[i] = h->id[idx[i]];
        free(h->id);
        h->id = id;
    }
    free(idx);
    free(tmp);
}

/* ---- reading helpers ----------------------------------------------------------- */

/* The columns a reader wants, found by name in the header row. */
struct cols {
    const char *const *name;
    size_t n;
    long at[24];                /* field index, -1: absent */
};

static void cols_find(struct cols *c, const struct sim_csvin_row *row)
{
    for (size_t k = 0; k < c->n; k++) {
        c->at[k] = -1;
        for (size_t i = 0; i < row->n; i++)
            if (strcmp(row->field[i], c->name[k]) == 0) {
                c->at[k] = (long)i;
                break;
            }
    }
}

/* The cell of column k, "" when the column or the cell is absent. */
static const char *cell(const struct cols *c, const struct sim_csvin_row *row, size_t k)
{
    return c->at[k] >= 0 && (size_t)c->at[k] < row->n ? row->field[c->at[k]] : "";
}

/* A number, or NAN for an empty cell; false when not a number. */
static bool number(const char *s, double *x)
{
    if (*s == '\0') {
        *x = NAN;
        return true;
    }
    char *end;
    errno = 0;
    *x = strtod(s, &end);
    return end != s && *end == '\0' && errno != ERANGE;
}

/* ---- save ------------------------------------------------------------------- */

/* YYYY-MM-DDTHH:MM:SS of hours h since day 0, when dated; else empty. */
static void iso_cell(struct sim_csv *w, const struct history *h, double t)
{
    if (!h->origin.dated || isnan(t)) {
        sim_csv_empty(w);
        return;
    }
    double day = floor(t / 24.0);
    long sec = lround((t - 24.0 * day) * 3600.0);
    if (sec >= 86400) {
        day += 1;
        sec -= 86400;
    }
    char d[SIM_DATE_TEXT], buf[64];
    sim_date_format(h->origin.date + (int32_t)day, d);
    int s = (int)sec;   /* 0 .. 86399 */
    snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d", d, s / 3600, s / 60 % 60, s % 60);
    sim_csv_text(w, buf);
}

static int save_leads(const struct history *h, const char *dir, struct sim_err *err)
{
    struct sim_file f;
    if (sim_file_open(&f, dir, "leads.csv", err) != SIM_OK)
        return err->code;
    struct sim_csv w = sim_csv_on(f.fp);
    static const char *const head[] = {
        "lead_id", "created_h", "first_contact_h", "closed_h", "channel", "owner",
        "attempts", "status", "reason", "value", "created_at", "first_contact_at", "closed_at",
    };
    size_t nh = h->origin.dated ? 13 : 10;
    for (size_t i = 0; i < nh; i++)
        sim_csv_text(&w, head[i]);
    sim_csv_end(&w);
    for (size_t i = 0; i < h->n; i++) {
        const struct history_lead *l = &h->lead[i];
        if (h->id != NULL)
            sim_csv_text(&w, h->id[i]);
        else
            sim_csv_uint(&w, i);
        sim_csv_real(&w, l->created_h, 17);
        sim_csv_real(&w, l->first_contact_h, 17);
        sim_csv_real(&w, l->closed_h, 17);
        sim_csv_text(&w, l->channel < h->n_channels ? h->channel[l->channel] : "");
        sim_csv_text(&w, l->owner < h->n_owners ? h->owner[l->owner].name : "");
        if (l->attempts > 0)
            sim_csv_uint(&w, l->attempts);
        else
            sim_csv_empty(&w);
        sim_csv_text(&w, history_status_name(l->status));
        sim_csv_text(&w, history_reason_name(l->reason));
        sim_csv_real(&w, l->value, 17);
        if (h->origin.dated) {
            iso_cell(&w, h, l->created_h);
            iso_cell(&w, h, l->first_contact_h);
            iso_cell(&w, h, l->closed_h);
        }
        sim_csv_end(&w);
    }
    return sim_file_commit(&f, err);
}

static int save_owners(const struct history *h, const char *dir, struct sim_err *err)
{
    struct sim_file f;
    if (sim_file_open(&f, dir, "owners.csv", err) != SIM_OK)
        return err->code;
    struct sim_csv w = sim_csv_on(f.fp);
    sim_csv_text(&w, "owner");
    sim_csv_text(&w, "group");
    sim_csv_text(&w, "start_h");
    sim_csv_text(&w, "end_h");
    sim_csv_end(&w);
    for (size_t i = 0; i < h->n_owners; i++) {
        sim_csv_text(&w, h->owner[i].name);
        sim_csv_text(&w, h->owner[i].group != NULL ? h->owner[i].group : "");
        sim_csv_real(&w, h->owner[i].start_h, 17);
        sim_csv_real(&w, h->owner[i].end_h, 17);
        sim_csv_end(&w);
    }
    return sim_file_commit(&f, err);
}

int history_save(const struct history *h, const char *dir, struct sim_err *err)
{
    cJSON *j = cJSON_CreateObject();
    char d[SIM_DATE_TEXT];
    if (h->origin.dated)
        cJSON_AddStringToObject(j, "start_date", sim_date_format(h->origin.date, d));
    else
        cJSON_AddNullToObject(j, "start_date");
    cJSON_AddNumberToObject(j, "horizon_h", h->horizon_h);
    cJSON_AddNumberToObject(j, "leads", (double)h->n);
    cJSON *ch = cJSON_AddArrayToObject(j, "channels");
    for (size_t i = 0; i < h->n_channels; i++)
        cJSON_AddItemToArray(ch, cJSON_CreateString(h->channel[i]));
    cJSON_AddNumberToObject(j, "owners", (double)h->n_owners);
    char *text = cJSON_Print(j);
    cJSON_Delete(j);
    if (text == NULL)
        return sim_err_set(err, SIM_ERR_RUNTIME, "%s/history.json: out of memory", dir);
    size_t len = strlen(text);
    char *t2 = sim_malloc(len + 2);
    memcpy(t2, text, len);
    memcpy(t2 + len, "\n", 2);
    cJSON_free(text);
    int rc = save_leads(h, dir, err);
    if (rc == SIM_OK)
        rc = save_owners(h, dir, err);
    if (rc == SIM_OK)
        rc = sim_file_write_text(dir, "history.json", t2, err);
    free(t2);
    return rc;
}

/* ---- load ------------------------------------------------------------------- */

enum { L_ID, L_CREATED, L_FIRST, L_CLOSED, L_CHANNEL, L_OWNER, L_ATTEMPTS, L_STATUS,
       L_REASON, L_VALUE, L_COLS };
static const char *const leads_cols[L_COLS] = {
    "lead_id", "created_h", "first_contact_h", "closed_h", "channel", "owner",
    "attempts", "status", "reason", "value",
};

struct load {
    struct history *h;
    struct cols c;
    const char *file;
    bool header;
};

static int load_lead(void *ctx, const struct sim_csvin_row *row, struct sim_err *err)
{
    struct load *ld = ctx;
    struct cols *c = &ld->c;
    if (!ld->header) {
        ld->header = true;
        cols_find(c, row);
        for (size_t k = 0; k < L_COLS; k++)
            if (c->at[k] < 0)
                return sim_err_set(err, SIM_ERR_INPUT, "%s line %lu: no column \"%s\"",
                                   ld->file, row->line, leads_cols[k]);
        return SIM_OK;
    }
    struct history_lead l = {.channel = HISTORY_NONE, .owner = HISTORY_NONE};
    double att;
    int st = status_of(cell(c, row, L_STATUS)), re = reason_of(cell(c, row, L_REASON));
    if (!number(cell(c, row, L_CREATED), &l.created_h) || isnan(l.created_h) ||
        !number(cell(c, row, L_FIRST), &l.first_contact_h) ||
        !number(cell(c, row, L_CLOSED), &l.closed_h) ||
        !number(cell(c, row, L_VALUE), &l.value) ||
        !number(cell(c, row, L_ATTEMPTS), &att) || st < 0 || re < 0 ||
        !(isnan(att) || (att >= 0 && att <= UINT16_MAX && att == floor(att))))
        return sim_err_set(err, SIM_ERR_INPUT,
                           "%s line %lu: not a lead as history_save writes one (a number, "
                           "status or reason out of place)", ld->file, row->line);
    l.attempts = isnan(att) ? 0 : (uint16_t)att;
    l.status = (uint8_t)st;
    l.reason = (uint8_t)re;
    const char *ch = cell(c, row, L_CHANNEL), *ow = cell(c, row, L_OWNER);
    if (*ch)
        l.channel = history_channel(ld->h, ch);
    if (*ow)
        l.owner = history_owner(ld->h, ow);
    history_add(ld->h, &l, cell(c, row, L_ID));
    return SIM_OK;
}

enum { O_NAME, O_GROUP, O_START, O_END, O_COLS };
static const char *const owner_cols[O_COLS] = {"owner", "group", "start_h", "end_h"};

static int load_owner(void *ctx, const struct sim_csvin_row *row, struct sim_err *err)
{
    struct load *ld = ctx;
    struct cols *c = &ld->c;
    if (!ld->header) {
        ld->header = true;
        cols_find(c, row);
        for (size_t k = 0; k < O_COLS; k++)
            if (c->at[k] < 0)
                return sim_err_set(err, SIM_ERR_INPUT, "%s line %lu: no column \"%s\"",
                                   ld->file, row->line, owner_cols[k]);
        return SIM_OK;
    }
    struct history *h = ld->h;
    const char *name = cell(c, row, O_NAME), *group = cell(c, row, O_GROUP);
    size_t before = h->n_owners;
    uint32_t o = history_owner(h, name);
    double s, e;
    if (*name == '\0' || o != before || !number(cell(c, row, O_START), &s) ||
        !number(cell(c, row, O_END), &e))
        return sim_err_set(err, SIM_ERR_INPUT, "%s line %lu: an owner is named once, with "
                           "numbers or empty cells for start_h and end_h", ld->file, row->line);
    h->owner[o].group = *group ? sim_strdup(group) : NULL;
    h->owner[o].start_h = s;
    h->owner[o].end_h = e;
    return SIM_OK;
}

static int read_csv(const char *dir, const char *name, sim_csvin_row_fn fn, struct load *ld,
                    struct sim_err *err)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return sim_err_set(err, SIM_ERR_INPUT, "%s: path too long", dir);
    ld->file = path;
    ld->header = false;
    int rc = sim_csvin_file(path, path, &(struct sim_csvin_opts){.delim = ','}, fn, ld, NULL,
                            err);
    if (rc == SIM_OK && !ld->header)
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s: empty: no header", path);
    return rc;
}

static int load_json(const char *dir, struct history *h, struct sim_err *err)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/history.json", dir) >= (int)sizeof path)
        return sim_err_set(err, SIM_ERR_INPUT, "%s: path too long", dir);
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return sim_err_set(err, SIM_ERR_INPUT, "%s: cannot open: %s (is %s an `import` "
                           "output directory?)", path, strerror(errno), dir);
    char *buf = NULL;
    size_t len = 0, cap = 0, k;
    do {
        if (len + 4096 > cap)
            buf = sim_realloc(buf, cap = 2 * cap + 4096);
        k = fread(buf + len, 1, cap - len - 1, fp);
        len += k;
    } while (k > 0 && len < (1u << 24));
    fclose(fp);
    buf[len] = '\0';
    cJSON *j = cJSON_Parse(buf);
    free(buf);
    const cJSON *sd = cJSON_GetObjectItemCaseSensitive(j, "start_date");
    const cJSON *hz = cJSON_GetObjectItemCaseSensitive(j, "horizon_h");
    const cJSON *ch = cJSON_GetObjectItemCaseSensitive(j, "channels");
    int rc = SIM_OK;
    char why[96];
    if (j == NULL || !cJSON_IsNumber(hz) || !(hz->valuedouble > 0) ||
        !(cJSON_IsNull(sd) || cJSON_IsString(sd)) || !cJSON_IsArray(ch)) {
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s: not as history_save writes it "
                         "(start_date, horizon_h, channels)", path);
    } else if (cJSON_IsString(sd) &&
               !sim_date_parse(sd->valuestring, &h->origin.date, why, sizeof why)) {
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s: start_date: %s", path, why);
    } else {
        h->origin.dated = cJSON_IsString(sd);
        h->horizon_h = hz->valuedouble;
        const cJSON *c;
        cJSON_ArrayForEach(c, ch) {
            if (!cJSON_IsString(c) || history_channel(h, c->valuestring) != h->n_channels - 1) {
                rc = sim_err_set(err, SIM_ERR_INPUT, "%s: channels: distinct names", path);
                break;
            }
        }
    }
    cJSON_Delete(j);
    return rc;
}

int history_load(const char *dir, struct history *h, struct sim_err *err)
{
    memset(h, 0, sizeof *h);
    struct load ld = {.h = h};
    int rc = load_json(dir, h, err);
    if (rc == SIM_OK) {
        ld.c = (struct cols){.name = owner_cols, .n = O_COLS};
        rc = read_csv(dir, "owners.csv", load_owner, &ld, err);
    }
    if (rc == SIM_OK) {
        ld.c = (struct cols){.name = leads_cols, .n = L_COLS};
        rc = read_csv(dir, "leads.csv", load_lead, &ld, err);
    }
    if (rc != SIM_OK)
        history_free(h);
    return rc;
}

/* ---- the lead log ------------------------------------------------------------ */

enum { G_REP, G_LEAD, G_CHANNEL, G_CREATED, G_FIRST, G_RESOLVED, G_GROUP, G_MANAGER,
       G_ATTEMPTS, G_STATUS, G_REASON, G_VALUE, G_CREATED_AT, G_COLS };
static const char *const log_cols[G_COLS] = {
    "replication", "lead", "channel", "created_h", "first_contact_h", "resolved_h", "group",
    "manager", "attempts", "status", "stated_reason", "value", "created_at",
};

struct logread {
    struct history *h;
    struct cols c;
    const char *path;
    bool header;
    unsigned rep;
    char rep_text[16];
    double last;                /* the latest time seen */
    bool origin_set;
};

static int log_row(void *ctx, const struct sim_csvin_row *row, struct sim_err *err)
{
    struct logread *g = ctx;
    struct cols *c = &g->c;
    if (!g->header) {
        g->header = true;
        cols_find(c, row);
        for (size_t k = 0; k < G_CREATED_AT; k++)
            if (c->at[k] < 0)
                return sim_err_set(err, SIM_ERR_INPUT, "%s line %lu: no column \"%s\"%s",
                                   g->path, row->line, log_cols[k],
                                   k == G_STATUS || k == G_REASON
                                       ? " (a lead log written by an older funnelsim: run "
                                         "`run --leads` again)" : " (not a lead log?)");
        return SIM_OK;
    }
    if (strcmp(cell(c, row, G_REP), g->rep_text) != 0)
        return SIM_OK;
    struct history_lead l = {.channel = HISTORY_NONE, .owner = HISTORY_NONE};
    double att, resolved;
    int st = status_of(cell(c, row, G_STATUS));
    const char *rs = cell(c, row, G_REASON);
    int re = *rs ? reason_of(rs) : HISTORY_REASON_NONE;
    if (!number(cell(c, row, G_CREATED), &l.created_h) || !(l.created_h >= 0) ||
        !number(cell(c, row, G_FIRST), &l.first_contact_h) ||
        !number(cell(c, row, G_RESOLVED), &resolved) ||
        !number(cell(c, row, G_VALUE), &l.value) || !number(cell(c, row, G_ATTEMPTS), &att) ||
        st < 0 || re < 0 || !(isnan(att) || (att >= 0 && att == floor(att))))
        return sim_err_set(err, SIM_ERR_INPUT, "%s line %lu: not a lead log row (a time, "
                           "attempts, status or stated_reason out of place)", g->path,
                           row->line);
    l.attempts = isnan(att) ? 0 : att > UINT16_MAX ? UINT16_MAX : (uint16_t)att;
    l.status = (uint8_t)st;
    l.reason = (uint8_t)(st == HISTORY_LOST ? re : HISTORY_REASON_NONE);
    if (st == HISTORY_LOST && re == HISTORY_REASON_NONE)
        l.reason = HISTORY_REASON_OTHER;
    bool closed = st == HISTORY_WON || st == HISTORY_LOST || st == HISTORY_DISQUALIFIED;
    l.closed_h = closed ? resolved : NAN;
    if (st != HISTORY_WON)
        l.value = NAN;
    const char *ch = cell(c, row, G_CHANNEL), *mg = cell(c, row, G_MANAGER);
    if (*ch)
        l.channel = history_channel(g->h, ch);
    if (*mg) {
        l.owner = history_owner(g->h, mg);
        const char *grp = cell(c, row, G_GROUP);
        if (*grp && g->h->owner[l.owner].group == NULL)
            g->h->owner[l.owner].group = sim_strdup(grp);
    }
    const double t[] = {l.created_h, l.first_contact_h, resolved};
    for (int i = 0; i < 3; i++)
        if (t[i] > g->last)
            g->last = t[i];
    /* The origin from the first dated row: its date-time less its hours. */
    const char *at = cell(c, row, G_CREATED_AT);
    struct sim_ts ts;
    char why[96];
    if (!g->origin_set && *at) {
        if (!sim_ts_parse(at, SIM_TS_ISO, NULL, &ts, why, sizeof why))
            return sim_err_set(err, SIM_ERR_INPUT, "%s line %lu: created_at: %s", g->path,
                               row->line, why);
        g->h->origin.dated = true;
        g->h->origin.date = (int32_t)lround(ts.date + ts.sec / 86400.0 - l.created_h / 24.0);
        g->origin_set = true;
    }
    history_add(g->h, &l, cell(c, row, G_LEAD));
    return SIM_OK;
}

int history_read_leadlog(const char *path, unsigned replication, struct history *h,
                         struct sim_err *err)
{
    memset(h, 0, sizeof *h);
    struct logread g = {
        .h = h, .c = {.name = log_cols, .n = G_COLS}, .path = path, .rep = replication,
    };
    snprintf(g.rep_text, sizeof g.rep_text, "%u", replication);
    int rc = sim_csvin_file(path, path, &(struct sim_csvin_opts){.delim = ','}, log_row, &g,
                            NULL, err);
    if (rc == SIM_OK && !g.header)
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s: empty: not a lead log", path);
    if (rc == SIM_OK && h->n == 0)
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s: no rows of replication %u", path,
                         replication);
    if (rc != SIM_OK) {
        history_free(h);
        return rc;
    }
    h->horizon_h = (floor(g.last / 24.0) + 1.0) * 24.0;
    history_sort(h);
    return SIM_OK;
}
