/* SPDX-License-Identifier: MIT */
/*
 * plot_origin.c - a result directory's files against its manifest
 * (plot_origin.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "plots/plot_origin.h"
#include "plots/plot_file.h"
#include "sim/file.h"

const char *const plot_origin_result_files[] = {
    "result.json", "result.csv", "replications.csv", "series_daily.csv", "series_weekly.csv",
    "sweep.json", "sweep.csv", "size.json", "size.csv", "compare.json", "compare.csv",
    "measures.json", "measures.csv", "by_channel.csv", "by_group.csv", "weekly.csv",
    "sensitivity.json", "sensitivity.csv", NULL,
};

bool plot_origin_is_result(const char *name)
{
    for (size_t i = 0; plot_origin_result_files[i] != NULL; i++)
        if (strcmp(name, plot_origin_result_files[i]) == 0)
            return true;
    return false;
}

static bool is_json(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* DIR/name parsed: NULL with *missing when it is not there; NULL and an
 * error when it cannot be read or parsed. */
static cJSON *read_json(const char *dir, const char *name, bool *missing, struct sim_err *err)
{
    char brief[PLOT_FILE_BRIEF_SIZE];
    size_t len;
    *missing = false;
    char *text = plot_file_read(dir, name, &len);
    if (text == NULL) {
        if (errno == ENOENT) {
            *missing = true;
            return NULL;
        }
        if (errno == EFBIG)
            sim_err_set(err, SIM_ERR_INPUT, "%s/%s: more than %d MiB: larger than any "
                        "file funnelsim writes", plot_file_brief(brief, sizeof brief, dir),
                        name, PLOT_FILE_MAX_MIB);
        else
            sim_err_set(err, SIM_ERR_RUNTIME, "%s/%s: cannot read: %s",
                        plot_file_brief(brief, sizeof brief, dir), name, strerror(errno));
        return NULL;
    }
    cJSON *doc = cJSON_ParseWithLength(text, len);
    free(text);
    if (!cJSON_IsObject(doc)) {
        cJSON_Delete(doc);
        sim_err_set(err, SIM_ERR_INPUT, "%s/%s: not a JSON object as funnelsim writes it",
                    plot_file_brief(brief, sizeof brief, dir), name);
        return NULL;
    }
    return doc;
}

/* The "run_id" of DIR/name, a JSON result, into id ("" when it has
 * none).  SIM_OK, also when the file is not there (*missing). */
static int run_id_of(const char *dir, const char *name, char *id, size_t n, bool *missing,
                     struct sim_err *err)
{
    id[0] = '\0';
    cJSON *doc = read_json(dir, name, missing, err);
    if (doc == NULL)
        return *missing ? SIM_OK : err->code;
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(doc, "run_id");
    if (cJSON_IsString(item))
        snprintf(id, n, "%s", item->valuestring);
    cJSON_Delete(doc);
    return SIM_OK;
}

static const char advice[] = "rerun the command with --overwrite, or into an empty folder";

/* No manifest: JSON results must not name two runs. */
static int check_without_manifest(const char *dir, FILE *warn, struct sim_err *err)
{
    char brief[PLOT_FILE_BRIEF_SIZE], first[128] = "", first_name[32] = "";
    plot_file_brief(brief, sizeof brief, dir);
    bool any = false;
    for (size_t i = 0; plot_origin_result_files[i] != NULL; i++) {
        const char *name = plot_origin_result_files[i];
        char path[PATH_MAX];
        if (plot_file_path(path, sizeof path, dir, name, NULL) != SIM_OK)
            continue;
        FILE *fp = fopen(path, "rb");
        if (fp == NULL)
            continue;
        fclose(fp);
        any = true;
        if (!is_json(name))
            continue;
        char id[128];
        bool missing;
        int rc = run_id_of(dir, name, id, sizeof id, &missing, err);
        if (rc != SIM_OK)
            return rc;
        if (id[0] == '\0' || missing)
            continue;
        if (first[0] == '\0') {
            snprintf(first, sizeof first, "%s", id);
            snprintf(first_name, sizeof first_name, "%s", name);
        } else if (strcmp(first, id) != 0) {
            return sim_err_set(err, SIM_ERR_INPUT, "plot: %s: files from different runs: "
                               "%s is from run %s, %s from run %s; %s", brief, first_name,
                               first, name, id, advice);
        }
    }
    if (any && warn != NULL)
        fprintf(warn, "funnelsim: warning: plot: %s has no %s (written by an older "
                "funnelsim?): cannot check that its files come from one run\n", brief,
                PLOT_ORIGIN_MANIFEST);
    return SIM_OK;
}

/* The manifest's entry for `name` in its "files", or NULL. */
static const cJSON *listed(const cJSON *files, const char *name)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, files) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(f, "name");
        if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
            return f;
    }
    return NULL;
}

int plot_origin_check(const char *dir, FILE *warn, struct sim_err *err)
{
    bool missing;
    cJSON *man = read_json(dir, PLOT_ORIGIN_MANIFEST, &missing, err);
    if (man == NULL)
        return missing ? check_without_manifest(dir, warn, err) : err->code;
    char brief[PLOT_FILE_BRIEF_SIZE];
    plot_file_brief(brief, sizeof brief, dir);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(man, "run_id");
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(man, "files");
    int rc = SIM_OK;
    if (!cJSON_IsString(id) || !cJSON_IsArray(files)) {
        rc = sim_err_set(err, SIM_ERR_INPUT, "plot: %s/%s: missing \"run_id\" or \"files\": "
                         "not a manifest as funnelsim writes it", brief, PLOT_ORIGIN_MANIFEST);
        goto done;
    }
    for (size_t i = 0; plot_origin_result_files[i] != NULL && rc == SIM_OK; i++) {
        const char *name = plot_origin_result_files[i];
        char path[PATH_MAX];
        if (plot_file_path(path, sizeof path, dir, name, NULL) != SIM_OK)
            continue;
        uint64_t hash, bytes;
        if (sim_file_hash(path, &hash, &bytes) != 0) {
            if (errno != ENOENT)
                rc = sim_err_set(err, SIM_ERR_RUNTIME, "%s/%s: cannot read: %s", brief, name,
                                 strerror(errno));
            continue;
        }
        const cJSON *entry = listed(files, name);
        if (entry == NULL) {
            rc = sim_err_set(err, SIM_ERR_INPUT, "plot: %s: files from different runs: %s "
                             "is not in %s (run %s); %s", brief, name, PLOT_ORIGIN_MANIFEST,
                             id->valuestring, advice);
            continue;
        }
        char own[128];
        if (is_json(name) && (rc = run_id_of(dir, name, own, sizeof own, &missing, err)) != SIM_OK)
            continue;
        if (is_json(name) && strcmp(own, id->valuestring) != 0) {
            rc = sim_err_set(err, SIM_ERR_INPUT, "plot: %s: files from different runs: %s is "
                             "from run %s, %s from run %s; %s", brief, name,
                             own[0] ? own : "(none)", PLOT_ORIGIN_MANIFEST, id->valuestring,
                             advice);
            continue;
        }
        const cJSON *h = cJSON_GetObjectItemCaseSensitive(entry, "fnv1a64");
        char text[17];
        snprintf(text, sizeof text, "%016" PRIx64, hash);
        if (!cJSON_IsString(h) || strcmp(h->valuestring, text) != 0)
            rc = sim_err_set(err, SIM_ERR_INPUT, "plot: %s: files from different runs: %s is "
                             "not the file %s lists for run %s (its hash differs); %s", brief,
                             name, PLOT_ORIGIN_MANIFEST, id->valuestring, advice);
    }
done:
    cJSON_Delete(man);
    return rc;
}
