/*
 * crm_report.c - an import's counts and problems, and their files
 * (models/crm_report.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include "models/crm_report.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/csv.h"
#include "sim/date.h"
#include "sim/file.h"
#include "sim/mem.h"
#include "sim/text.h"

static const char *const crm_rule_names[CRM_RULES] = {
    [CRM_RULE_EMPTY_ID] = "empty_lead_id",
    [CRM_RULE_DUPLICATE_ID] = "duplicate_lead_id",
    [CRM_RULE_NO_CREATED] = "no_created_at",
    [CRM_RULE_BAD_DATE] = "bad_date",
    [CRM_RULE_CONTACT_BEFORE_CREATED] = "contact_before_created",
    [CRM_RULE_CLOSED_BEFORE_CREATED] = "closed_before_created",
    [CRM_RULE_UNKNOWN_STATUS] = "unknown_status",
    [CRM_RULE_BAD_NUMBER] = "bad_number",
    [CRM_RULE_BAD_TEXT] = "not_utf8",
    [CRM_RULE_EXTRA_CELLS] = "extra_cells",
    [CRM_RULE_EMPTY_OWNER] = "empty_owner",
    [CRM_RULE_DUPLICATE_OWNER] = "duplicate_owner",
    [CRM_RULE_END_BEFORE_START] = "end_before_start",
};

const char *crm_rule_name(unsigned rule)
{
    return rule < CRM_RULES ? crm_rule_names[rule] : "?";
}

const int crm_date_fields[CRM_DATES] = {CRM_CREATED_AT, CRM_FIRST_CONTACT_AT, CRM_CLOSED_AT};

void crm_report_problem(struct crm_report *r, bool managers, unsigned long line, const char *id,
                        int field, unsigned rule, const char *message)
{
    char safe[320], sid[128];
    sim_text_printable(safe, sizeof safe, message);
    sim_text_printable(sid, sizeof sid, id);
    r->problem = sim_reallocarray(r->problem, r->n_problems + 1, sizeof *r->problem);
    r->problem[r->n_problems++] = (struct crm_problem){
        .managers = managers, .line = line, .lead_id = sim_strdup(sid), .field = field,
        .rule = rule, .message = sim_strdup(safe),
    };
    r->by_rule[rule]++;
    if (managers)
        r->m_skipped++;
    else
        r->skipped++;
}

void crm_report_unmapped(struct crm_report *r, const char *word)
{
    for (size_t i = 0; i < r->n_unmapped; i++)
        if (strcmp(r->unmapped[i].word, word) == 0) {
            r->unmapped[i].n++;
            return;
        }
    r->unmapped = sim_reallocarray(r->unmapped, r->n_unmapped + 1, sizeof *r->unmapped);
    r->unmapped[r->n_unmapped++] = (struct crm_unmapped){.word = sim_strdup(word), .n = 1};
}

void crm_report_free(struct crm_report *r)
{
    for (size_t i = 0; i < r->n_problems; i++) {
        free(r->problem[i].lead_id);
        free(r->problem[i].message);
    }
    free(r->problem);
    for (size_t i = 0; i < r->n_unmapped; i++)
        free(r->unmapped[i].word);
    free(r->unmapped);
    for (int f = 0; f < CRM_FIELDS; f++)
        free(r->column[f]);
    free(r->encoding);
    free(r->date_format);
    memset(r, 0, sizeof *r);
}

/* ---- the report files ------------------------------------------------------ */

static int save_problems(const struct crm_report *r, const char *dir, struct sim_err *err)
{
    struct sim_file f;
    if (sim_file_open(&f, dir, "import-problems.csv", err) != SIM_OK)
        return err->code;
    struct sim_csv w = sim_csv_on(f.fp);
    static const char *const head[] = {"file", "line", "lead_id", "field", "rule", "message"};
    for (size_t i = 0; i < 6; i++)
        sim_csv_text(&w, head[i]);
    sim_csv_end(&w);
    for (size_t i = 0; i < r->n_problems; i++) {
        const struct crm_problem *p = &r->problem[i];
        sim_csv_text(&w, p->managers ? "managers" : "leads");
        sim_csv_uint(&w, p->line);
        sim_csv_text(&w, p->lead_id);
        sim_csv_text(&w, p->field >= 0 ? crm_field_name((unsigned)p->field) : "");
        sim_csv_text(&w, crm_rule_names[p->rule]);
        sim_csv_text(&w, p->message);
        sim_csv_end(&w);
    }
    return sim_file_commit(&f, err);
}

static void add_text(cJSON *obj, const char *key, const char *s)
{
    char safe[512];
    if (s == NULL) {
        cJSON_AddNullToObject(obj, key);
        return;
    }
    sim_text_printable(safe, sizeof safe, s);
    cJSON_AddStringToObject(obj, key, safe);
}

cJSON *crm_report_json(const struct crm_report *r, const struct history *h, const char *source)
{
    cJSON *j = cJSON_CreateObject();
    add_text(j, "source", source);
    cJSON_AddStringToObject(j, "kind", r->leadlog ? "leadlog" : "crm");
    if (r->leadlog)
        cJSON_AddNumberToObject(j, "replication", r->replication);
    cJSON_AddNumberToObject(j, "rows", (double)r->rows);
    cJSON_AddNumberToObject(j, "parsed", (double)r->parsed);
    cJSON_AddNumberToObject(j, "skipped", (double)r->skipped);
    cJSON_AddNumberToObject(j, "duplicates", (double)r->duplicates);
    cJSON *by = cJSON_AddObjectToObject(j, "skipped_by_rule");
    for (unsigned u = 0; u < CRM_RULES; u++)
        if (r->by_rule[u])
            cJSON_AddNumberToObject(by, crm_rule_names[u], (double)r->by_rule[u]);
    cJSON *st = cJSON_AddObjectToObject(j, "status");
    for (unsigned s = 0; s < HISTORY_STATUSES; s++)
        cJSON_AddNumberToObject(st, history_status_name(s), (double)r->status[s]);
    cJSON_AddNumberToObject(j, "status_derived", (double)r->status_derived);
    char d[2] = {r->delim, 0};
    cJSON_AddStringToObject(j, "delimiter", r->delim == '\t' ? "tab" : d);
    add_text(j, "encoding", r->encoding);
    if (!r->leadlog) {
        cJSON *cols = cJSON_AddObjectToObject(j, "columns");
        for (unsigned f = 0; f < CRM_FIELDS; f++)
            add_text(cols, crm_field_name(f), r->column[f]);
        cJSON *df = cJSON_AddObjectToObject(j, "date_formats");
        for (int k = 0; k < CRM_DATES; k++)
            add_text(df, crm_field_name((unsigned)crm_date_fields[k]),
                     !r->date_used[k] ? NULL
                     : r->date_format ? r->date_format
                                      : sim_ts_format_name(r->date_form[k]));
        cJSON_AddNumberToObject(j, "offsets_converted", (double)r->offsets_converted);
        cJSON_AddNumberToObject(j, "offsets_dropped", (double)r->offsets_dropped);
        cJSON *um = cJSON_AddObjectToObject(j, "unmapped_reasons");
        for (size_t i = 0; i < r->n_unmapped; i++) {
            char safe[256];
            sim_text_printable(safe, sizeof safe, r->unmapped[i].word);
            cJSON_AddNumberToObject(um, safe, (double)r->unmapped[i].n);
        }
        cJSON *mg = cJSON_AddObjectToObject(j, "managers");
        cJSON_AddNumberToObject(mg, "rows", (double)r->m_rows);
        cJSON_AddNumberToObject(mg, "parsed", (double)r->m_parsed);
        cJSON_AddNumberToObject(mg, "skipped", (double)r->m_skipped);
    }
    char day[SIM_DATE_TEXT];
    if (h->origin.dated)
        cJSON_AddStringToObject(j, "start_date", sim_date_format(h->origin.date, day));
    else
        cJSON_AddNullToObject(j, "start_date");
    cJSON_AddNumberToObject(j, "horizon_h", h->horizon_h);
    cJSON_AddNumberToObject(j, "leads", (double)h->n);
    cJSON_AddNumberToObject(j, "channels", (double)h->n_channels);
    cJSON_AddNumberToObject(j, "owners", (double)h->n_owners);
    return j;
}

int crm_report_save(const struct crm_report *r, const struct history *h, const char *source,
                    const char *dir, struct sim_err *err)
{
    cJSON *j = crm_report_json(r, h, source);
    char *text = sim_mem_check(cJSON_Print(j));
    cJSON_Delete(j);
    size_t n = strlen(text);
    text = sim_realloc(text, n + 2);
    memcpy(text + n, "\n", 2);
    int rc = save_problems(r, dir, err);
    if (rc == SIM_OK)
        rc = sim_file_write_text(dir, "import.json", text, err);
    free(text);
    return rc;
}
