/*
 * crm_map.c - the import map (models/crm_map.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include "models/crm_map.h"

#include <cJSON.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "models/history.h"
#include "sim/mem.h"
#include "sim/text.h"
#include "sim/timestamp.h"

static const char *const field_names[CRM_FIELDS + 1] = {
    "lead_id", "created_at", "channel", "owner", "first_contact_at", "attempts", "status",
    "reason", "closed_at", "value", NULL,
};

const char *crm_field_name(unsigned f)
{
    return f < CRM_FIELDS ? field_names[f] : "?";
}

void crm_map_free(struct crm_map *m)
{
    for (int f = 0; f < CRM_FIELDS; f++)
        free(m->column[f]);
    for (size_t i = 0; i < m->n_status; i++)
        free(m->status[i].from);
    free(m->status);
    for (size_t i = 0; i < m->n_reason; i++)
        free(m->reason[i].from);
    free(m->reason);
    free(m->date_format);
    free(m->encoding);
    free(m->tz_text);
    memset(m, 0, sizeof *m);
}

/* `word` without leading and trailing spaces compared with `name`. */
static bool same_word(const char *word, const char *name, bool fold)
{
    while (*word == ' ' || *word == '\t')
        word++;
    size_t n = strlen(word);
    while (n > 0 && (word[n - 1] == ' ' || word[n - 1] == '\t'))
        n--;
    if (strlen(name) != n)
        return false;
    return fold ? strncasecmp(word, name, n) == 0 : strncmp(word, name, n) == 0;
}

/* A word through the map's pairs, then the schema's names (`names`, n). */
static int lookup(const struct crm_pair *p, size_t np, const char *word,
                  const char *(*name)(unsigned), unsigned n)
{
    for (int fold = 0; fold < 2; fold++) {
        for (size_t i = 0; i < np; i++)
            if (same_word(word, p[i].from, fold))
                return (int)p[i].to;
        for (unsigned k = 0; k < n; k++)
            if (same_word(word, name(k), fold))
                return (int)k;
    }
    return -1;
}

int crm_map_status(const struct crm_map *m, const char *word)
{
    return lookup(m ? m->status : NULL, m ? m->n_status : 0, word, history_status_name,
                  HISTORY_STATUSES);
}

int crm_map_reason(const struct crm_map *m, const char *word)
{
    return lookup(m ? m->reason : NULL, m ? m->n_reason : 0, word, history_reason_name,
                  HISTORY_REASON_NONE);
}

bool crm_map_utf8(const struct crm_map *m)
{
    return m == NULL || m->encoding == NULL || strcasecmp(m->encoding, "UTF-8") == 0 ||
           strcasecmp(m->encoding, "UTF8") == 0;
}

/* ---- loading -------------------------------------------------------------- */

static const char *const top_keys[] = {
    "columns", "status", "reasons", "delimiter", "date_format", "encoding", "timezone", NULL,
};

static int unknown_key(const char *path, const char *where, const char *key,
                       const char *const *names, struct sim_err *err)
{
    const char *hint = sim_text_closest(key, names);
    char known[256] = "";
    size_t len = 0;
    for (size_t i = 0; names[i] != NULL && len < sizeof known; i++)
        len += (size_t)snprintf(known + len, sizeof known - len, "%s%s", i ? ", " : "",
                                names[i]);
    if (hint != NULL)
        return sim_err_set(err, SIM_ERR_INPUT, "%s: %s%s: unknown key (did you mean \"%s\"?)",
                           path, where, key, hint);
    return sim_err_set(err, SIM_ERR_INPUT, "%s: %s%s: unknown key (known: %s)", path, where,
                       key, known);
}

static const char *status_list(const void *arg, size_t i)
{
    (void)arg;
    return i < HISTORY_STATUSES ? history_status_name((unsigned)i) : NULL;
}

static const char *reason_list(const void *arg, size_t i)
{
    (void)arg;
    return i < HISTORY_REASON_NONE ? history_reason_name((unsigned)i) : NULL;
}

/* "status" or "reasons": {word: schema name}. */
static int load_pairs(const char *path, const cJSON *obj, const char *key, bool reasons,
                      struct crm_pair **out, size_t *n, struct sim_err *err)
{
    if (!cJSON_IsObject(obj))
        return sim_err_set(err, SIM_ERR_INPUT, "%s: %s: must be an object {\"the file's "
                           "word\": \"%s\"}", path, key, reasons ? "bad_fit" : "won");
    const cJSON *it;
    cJSON_ArrayForEach(it, obj) {
        if (!cJSON_IsString(it))
            return sim_err_set(err, SIM_ERR_INPUT, "%s: %s.%s: must be a string", path, key,
                               it->string);
        unsigned lim = reasons ? HISTORY_REASON_NONE : HISTORY_STATUSES;
        int to = -1;
        for (unsigned k = 0; k < lim && to < 0; k++)
            if (strcmp(it->valuestring, reasons ? history_reason_name(k)
                                                : history_status_name(k)) == 0)
                to = (int)k;
        if (to < 0) {
            const char *hint = sim_text_closest_in(it->valuestring,
                                                   reasons ? reason_list : status_list, NULL);
            return sim_err_set(err, SIM_ERR_INPUT, "%s: %s.%s: \"%s\" is not a %s%s%s%s", path,
                               key, it->string, it->valuestring,
                               reasons ? "reason (bad_fit, theorist, unreachable, went_cold, "
                                         "misjudged, abandoned or other)"
                                       : "status (won, qualified, lost, disqualified or open)",
                               hint ? " (did you mean \"" : "", hint ? hint : "",
                               hint ? "\"?)" : "");
        }
        *out = sim_reallocarray(*out, *n + 1, sizeof **out);
        (*out)[*n] = (struct crm_pair){.from = sim_strdup(it->string), .to = (unsigned)to};
        (*n)++;
    }
    return SIM_OK;
}

static int load_columns(const char *path, const cJSON *obj, struct crm_map *m,
                        struct sim_err *err)
{
    if (!cJSON_IsObject(obj))
        return sim_err_set(err, SIM_ERR_INPUT, "%s: columns: must be an object "
                           "{\"created_at\": \"the file's header\"}", path);
    const cJSON *it;
    cJSON_ArrayForEach(it, obj) {
        int f = -1;
        for (int k = 0; k < CRM_FIELDS; k++)
            if (strcmp(it->string, field_names[k]) == 0)
                f = k;
        if (f < 0)
            return unknown_key(path, "columns.", it->string, field_names, err);
        if (!cJSON_IsString(it) || it->valuestring[0] == '\0')
            return sim_err_set(err, SIM_ERR_INPUT, "%s: columns.%s: must be the file's "
                               "header, a non-empty string", path, it->string);
        free(m->column[f]);
        m->column[f] = sim_strdup(it->valuestring);
    }
    return SIM_OK;
}

static int load_text(const char *path, const cJSON *it, char **out, struct sim_err *err)
{
    if (!cJSON_IsString(it) || it->valuestring[0] == '\0')
        return sim_err_set(err, SIM_ERR_INPUT, "%s: %s: must be a non-empty string", path,
                           it->string);
    *out = sim_strdup(it->valuestring);
    return SIM_OK;
}

static int load_item(const char *path, const cJSON *it, struct crm_map *m, struct sim_err *err)
{
    const char *k = it->string;
    if (strcmp(k, "columns") == 0)
        return load_columns(path, it, m, err);
    if (strcmp(k, "status") == 0)
        return load_pairs(path, it, k, false, &m->status, &m->n_status, err);
    if (strcmp(k, "reasons") == 0)
        return load_pairs(path, it, k, true, &m->reason, &m->n_reason, err);
    if (strcmp(k, "delimiter") == 0) {
        const char *d = cJSON_IsString(it) ? it->valuestring : "";
        if (strcmp(d, "tab") == 0 || strcmp(d, "\\t") == 0)
            d = "\t";
        if (strlen(d) != 1 || d[0] == '"' || d[0] == '\n' || d[0] == '\r')
            return sim_err_set(err, SIM_ERR_INPUT, "%s: delimiter: must be one character "
                               "(\",\", \";\", \"tab\", \"|\")", path);
        m->delim = d[0];
        return SIM_OK;
    }
    if (strcmp(k, "date_format") == 0) {
        int rc = load_text(path, it, &m->date_format, err);
        if (rc == SIM_OK && strchr(m->date_format, '%') == NULL)
            rc = sim_err_set(err, SIM_ERR_INPUT, "%s: date_format: \"%s\" is not a strptime "
                             "format (e.g. \"%%d.%%m.%%Y %%H:%%M\")", path, m->date_format);
        return rc;
    }
    if (strcmp(k, "encoding") == 0) {
        int rc = load_text(path, it, &m->encoding, err);
        if (rc != SIM_OK)
            return rc;
        iconv_t cd = iconv_open("UTF-8", m->encoding);
        if (cd == (iconv_t)-1)
            return sim_err_set(err, SIM_ERR_INPUT, "%s: encoding: \"%s\" is not an encoding "
                               "iconv knows (e.g. \"cp1251\", \"KOI8-R\", \"UTF-16\")", path,
                               m->encoding);
        iconv_close(cd);
        return SIM_OK;
    }
    if (strcmp(k, "timezone") == 0) {
        int rc = load_text(path, it, &m->tz_text, err);
        if (rc == SIM_OK && !sim_ts_parse_offset(m->tz_text, &m->tz_min))
            rc = sim_err_set(err, SIM_ERR_INPUT, "%s: timezone: \"%s\" is not a fixed offset "
                             "such as \"+03:00\" or \"UTC\" (a zone name has daylight-saving "
                             "rules, which import does not know)", path, m->tz_text);
        m->tz = rc == SIM_OK;
        return rc;
    }
    return unknown_key(path, "", k, top_keys, err);
}

int crm_map_load(const char *path, struct crm_map *m, struct sim_err *err)
{
    memset(m, 0, sizeof *m);
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return sim_err_set(err, SIM_ERR_INPUT, "--map %s: cannot open: %s", path,
                           strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0, k;
    do {
        if (len + 4096 > cap)
            buf = sim_realloc(buf, cap = 2 * cap + 4096);
        k = fread(buf + len, 1, cap - len - 1, fp);
        len += k;
    } while (k > 0 && len < (1u << 22));
    fclose(fp);
    buf[len] = '\0';
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(buf, len, &end, false);
    int rc = SIM_OK;
    if (j == NULL) {
        unsigned long line = 1;
        for (const char *p = buf; end != NULL && p < end && p < buf + len; p++)
            line += *p == '\n';
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s line %lu: not valid JSON", path, line);
    } else if (!cJSON_IsObject(j)) {
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s: must be a JSON object", path);
    } else {
        const cJSON *it;
        cJSON_ArrayForEach(it, j) {
            if ((rc = load_item(path, it, m, err)) != SIM_OK)
                break;
        }
    }
    cJSON_Delete(j);
    free(buf);
    if (rc != SIM_OK)
        crm_map_free(m);
    return rc;
}
