/* SPDX-License-Identifier: MIT */
/*
 * manifest.c - the output folder's lock, refusal, --overwrite and
 * run.json (manifest.h).
 */
#include "cli/manifest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "models/scn_doc.h"
#include "plots/plot.h"
#include "plots/plot_file.h"
#include "plots/plot_origin.h"
#include "sim/dirlock.h"
#include "sim/file.h"
#include "sim/mem.h"
#include "sim/schema.h"

/* A whole number in full digits: a seed past 2^53 would lose its last
 * digits as a JSON double (cli/output.c writes results the same way; this
 * module sits below it). */
static void add_u64(cJSON *obj, const char *name, unsigned long long u)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", u);
    cJSON_AddRawToObject(obj, name, buf);
}

#define MANIFEST_MAX_SCENARIOS 64

static struct {
    const char *command;
    int argc;
    char **argv;
    time_t start;
    char run_id[64];
    struct { const char *path; uint64_t seed; } scn[MANIFEST_MAX_SCENARIOS];
    size_t n_scn;
    struct sim_dirlock lock;
    bool clear;                 /* --overwrite: clear DIR before writing */
} manifest;

static void iso_time(time_t t, char *buf, size_t n)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* 64 random bits: the system's, or the clock and pid mixed when there is
 * no /dev/urandom. */
static uint64_t random_bits(void)
{
    uint64_t x = 0;
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd >= 0) {
        if (read(fd, &x, sizeof x) != (ssize_t)sizeof x)
            x = 0;
        close(fd);
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    x ^= (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid() << 32;
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ull;
    return x ^ (x >> 29);
}

void manifest_command(const char *name, int argc, char **argv)
{
    manifest.command = name;
    manifest.argc = argc;
    manifest.argv = argv;
    manifest.start = time(NULL);
    char when[32];
    struct tm tm;
    gmtime_r(&manifest.start, &tm);
    strftime(when, sizeof when, "%Y%m%dT%H%M%SZ", &tm);
    snprintf(manifest.run_id, sizeof manifest.run_id, "%s-%016" PRIx64, when, random_bits());
}

void manifest_scenario(const char *path, uint64_t seed)
{
    for (size_t i = 0; i < manifest.n_scn; i++)
        if (strcmp(manifest.scn[i].path, path) == 0) {
            manifest.scn[i].seed = seed;
            return;
        }
    if (manifest.n_scn < MANIFEST_MAX_SCENARIOS) {
        manifest.scn[manifest.n_scn].path = path;
        manifest.scn[manifest.n_scn++].seed = seed;
    }
}

void manifest_settings_json(cJSON *obj, const struct scn_doc *doc, double target_junk,
                            const char *const *sets, size_t n_sets)
{
    cJSON_AddNumberToObject(obj, "target_junk", target_junk);
    cJSON *list = cJSON_AddArrayToObject(obj, "overrides");
    for (size_t i = 0; i < n_sets; i++) {
        const char *eq = strchr(sets[i], '=');
        char key[SIM_SCHEMA_PATH_MAX + 1], label[512];
        size_t n = eq != NULL ? (size_t)(eq - sets[i]) : strlen(sets[i]);
        snprintf(key, sizeof key, "%.*s", (int)(n < sizeof key - 1 ? n : sizeof key - 1),
                 sets[i]);
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "key", key);
        cJSON_AddStringToObject(e, "value", eq != NULL ? eq + 1 : "");
        cJSON_AddStringToObject(e, "label", scn_doc_label(doc, key, label, sizeof label));
        cJSON_AddItemToArray(list, e);
    }
}

const char *manifest_run_id(void)
{
    return manifest.run_id;
}

static void release_lock(void)
{
    sim_dirlock_release(&manifest.lock);
}

/* A file of a funnelsim run: a result, a chart's file, report.html, the
 * manifest. */
static bool ours(const char *name)
{
    return strcmp(name, PLOT_ORIGIN_MANIFEST) == 0 || plot_origin_is_result(name) ||
           plot_is_output(name);
}

/* A plain name inside the folder: no '/', not "." or "..", not hidden. */
static bool plain(const char *name)
{
    return name[0] != '\0' && name[0] != '.' && strchr(name, '/') == NULL;
}

/* Removes the files listed in DIR/run.json. */
static int remove_listed(const char *dir, struct sim_err *err)
{
    char path[PATH_MAX];
    size_t len = 0;
    char *text = plot_file_read(dir, PLOT_ORIGIN_MANIFEST, &len);
    if (text == NULL)
        return SIM_OK;
    cJSON *doc = cJSON_ParseWithLength(text, len);
    free(text);
    const cJSON *f, *files = cJSON_GetObjectItemCaseSensitive(doc, "files");
    int rc = SIM_OK;
    cJSON_ArrayForEach(f, files) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(f, "name");
        if (!cJSON_IsString(name) || !plain(name->valuestring))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, name->valuestring);
        if (unlink(path) != 0 && errno != ENOENT) {
            rc = sim_err_set(err, SIM_ERR_RUNTIME, "--overwrite: cannot remove '%s': %s",
                             path, strerror(errno));
            break;
        }
    }
    cJSON_Delete(doc);
    return rc;
}

/* With `remove`, removes funnelsim's files from DIR (and those the old
 * run.json lists); without, refuses a DIR that holds any, naming them. */
static int sweep_dir(const char *dir, bool remove, struct sim_err *err)
{
    int rc = SIM_OK;
    if (remove && (rc = remove_listed(dir, err)) != SIM_OK)
        return rc;
    DIR *d = opendir(dir);
    if (d == NULL)
        return sim_err_set(err, SIM_ERR_RUNTIME, "--out: cannot list '%s': %s", dir,
                           strerror(errno));
    char found[256] = "";
    size_t n_found = 0, len = 0;
    for (struct dirent *e; rc == SIM_OK && (e = readdir(d)) != NULL; ) {
        if (!plain(e->d_name) || !ours(e->d_name))
            continue;
        if (remove) {
            char path[PATH_MAX];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            if (unlink(path) != 0 && errno != ENOENT)
                rc = sim_err_set(err, SIM_ERR_RUNTIME, "--overwrite: cannot remove '%s': %s",
                                 path, strerror(errno));
            continue;
        }
        if (n_found++ < 4 && len < sizeof found)
            len += (size_t)snprintf(found + len, sizeof found - len, "%s%s",
                                    len ? ", " : "", e->d_name);
    }
    closedir(d);
    if (rc != SIM_OK || n_found == 0)
        return rc;
    char more[48] = "";
    if (n_found > 4)
        snprintf(more, sizeof more, " and %zu more", n_found - 4);
    return sim_err_set(err, SIM_ERR_INPUT, "--out: '%s' holds another run's files (%s%s): "
                       "one run per folder; use --overwrite to replace them, or another "
                       "--out", dir, found, more);
}

int manifest_claim(const char *dir, bool overwrite, struct sim_err *err)
{
    char what[512];
    int n = snprintf(what, sizeof what, "%s", manifest.command ? manifest.command : "?");
    for (int i = 0; i < manifest.argc && n > 0 && (size_t)n < sizeof what; i++)
        n += snprintf(what + n, sizeof what - (size_t)n, " %s", manifest.argv[i]);
    int rc = sim_dirlock_take(&manifest.lock, dir, what, err);
    if (rc != SIM_OK)
        return rc;
    atexit(release_lock);
    manifest.clear = overwrite;
    return overwrite ? SIM_OK : sweep_dir(dir, false, err);
}

int manifest_clear(const char *dir, struct sim_err *err)
{
    if (!manifest.clear)
        return SIM_OK;
    manifest.clear = false;
    return sweep_dir(dir, true, err);
}

/* {"name": ..., "bytes": n, "fnv1a64": "hex"} of DIR/name, or NULL when
 * the file is not there. */
static cJSON *file_entry(const char *dir, const char *name, bool with_name,
                         struct sim_err *err, int *rc)
{
    char path[PATH_MAX];
    if (with_name)
        snprintf(path, sizeof path, "%s/%s", dir, name);
    else
        snprintf(path, sizeof path, "%s", name);
    uint64_t hash, bytes;
    if (sim_file_hash(path, &hash, &bytes) != 0) {
        if (errno != ENOENT)
            *rc = sim_err_set(err, SIM_ERR_RUNTIME, "%s: cannot read: %s", path,
                              strerror(errno));
        return NULL;
    }
    char text[17];
    snprintf(text, sizeof text, "%016" PRIx64, hash);
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, with_name ? "name" : "file", name);
    add_u64(obj, "bytes", (unsigned long long)bytes);
    cJSON_AddStringToObject(obj, "fnv1a64", text);
    return obj;
}

int manifest_write(const char *dir, const char *const *sets, size_t n_sets, bool partial,
                   struct sim_err *err)
{
    int rc = SIM_OK;
    char when[32];
    cJSON *m = cJSON_CreateObject();
    cJSON_AddNumberToObject(m, "manifest_version", 1);
    cJSON_AddStringToObject(m, "run_id", manifest.run_id);
    cJSON_AddStringToObject(m, "command", manifest.command ? manifest.command : "");
    cJSON *args = cJSON_AddArrayToObject(m, "arguments");
    for (int i = 0; i < manifest.argc; i++)
        cJSON_AddItemToArray(args, cJSON_CreateString(manifest.argv[i]));
    cJSON *list = cJSON_AddArrayToObject(m, "overrides");
    for (size_t i = 0; i < n_sets; i++)
        cJSON_AddItemToArray(list, cJSON_CreateString(sets[i]));
    cJSON *scns = cJSON_AddArrayToObject(m, "scenarios");
    for (size_t i = 0; i < manifest.n_scn && rc == SIM_OK; i++) {
        cJSON *e = file_entry(NULL, manifest.scn[i].path, false, err, &rc);
        if (e == NULL) {
            e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "file", manifest.scn[i].path);
            cJSON_AddNullToObject(e, "bytes");
            cJSON_AddNullToObject(e, "fnv1a64");
        }
        add_u64(e, "seed", manifest.scn[i].seed);
        cJSON_AddItemToArray(scns, e);
    }
    if (manifest.n_scn > 0)
        add_u64(m, "seed", manifest.scn[0].seed);
    else
        cJSON_AddNullToObject(m, "seed");
    cJSON_AddStringToObject(m, "funnelsim_version", FUNNELSIM_VERSION);
    iso_time(manifest.start, when, sizeof when);
    cJSON_AddStringToObject(m, "started", when);
    iso_time(time(NULL), when, sizeof when);
    cJSON_AddStringToObject(m, "ended", when);
    cJSON_AddStringToObject(m, "status", partial ? "interrupted" : "complete");
    cJSON *files = cJSON_AddArrayToObject(m, "files");
    for (size_t i = 0; plot_origin_result_files[i] != NULL && rc == SIM_OK; i++) {
        cJSON *e = file_entry(dir, plot_origin_result_files[i], true, err, &rc);
        if (e != NULL)
            cJSON_AddItemToArray(files, e);
    }
    if (rc == SIM_OK) {
        char *text = sim_mem_check(cJSON_Print(m));
        size_t n = strlen(text);
        text = sim_realloc(text, n + 2);
        memcpy(text + n, "\n", 2);
        rc = sim_file_write_text(dir, PLOT_ORIGIN_MANIFEST, text, err);
        free(text);
    }
    cJSON_Delete(m);
    return rc;
}
