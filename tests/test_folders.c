/* SPDX-License-Identifier: MIT */
/*
 * test_folders.c - one run per output folder, through the real binary:
 * the lock that stops a second writer, the refusal of another run's
 * files, --overwrite, the manifest run.json, and plot's check that a
 * folder's files come from one run.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <errno.h>
#include <inttypes.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "tests/cli_harness.h"

#define SRC FUNNELSIM_SRCDIR
#define ERLANG_A "scenarios/validation-erlang-a.json"
#define BENCH "scenarios/bench-erlang-a.json"
#define DEFAULT "scenarios/default.json"
#define WEB_RATE "channels[0].arrivals.per_week"

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static bool exists(const char *dir, const char *name)
{
    char *path = harness_path(dir, name);
    struct stat st;
    bool there = stat(path, &st) == 0;
    free(path);
    return there;
}

/* The 64-bit FNV-1a of a file, as hex, computed here independently. */
static void fnv_hex(const char *path, char out[17])
{
    size_t len;
    char *text = harness_read_file(path, &len);
    cr_assert_not_null(text, "cannot read %s", path);
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)text[i];
        h *= 0x100000001b3ull;
    }
    free(text);
    snprintf(out, 17, "%016" PRIx64, h);
}

static const char *text_at(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    cr_assert(cJSON_IsString(item), "no string '%s'", key);
    return item->valuestring;
}

/* Every file run.json lists is in DIR with its size and hash, every JSON
 * result carries run.json's run id, and every result file in DIR is
 * listed.  Returns the number of files listed. */
static size_t assert_consistent(const char *dir, const cJSON *man)
{
    const char *id = text_at(man, "run_id");
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(man, "files");
    cr_assert(cJSON_IsArray(files), "run.json has no \"files\"");
    const cJSON *f;
    size_t n = 0;
    cJSON_ArrayForEach(f, files) {
        const char *name = text_at(f, "name");
        char *path = harness_path(dir, name);
        struct stat st;
        cr_assert_eq(stat(path, &st), 0, "run.json lists %s, which is not there", name);
        cr_assert_eq((double)st.st_size, harness_number(f, "bytes"), "%s: size", name);
        char hex[17];
        fnv_hex(path, hex);
        cr_assert_str_eq(text_at(f, "fnv1a64"), hex, "%s: hash", name);
        if (strstr(name, ".json") != NULL) {
            cJSON *doc = harness_read_json(dir, name);
            cr_assert_str_eq(text_at(doc, "run_id"), id, "%s is from another run", name);
            cJSON_Delete(doc);
        }
        free(path);
        n++;
    }
    static const char *const results[] = {
        "result.json", "result.csv", "replications.csv", "series_daily.csv",
        "series_weekly.csv", "by_channel.csv", "by_group.csv", "weekly.csv", "sweep.json",
        "sweep.csv", NULL,
    };
    for (const char *const *r = results; *r != NULL; r++) {
        bool listed = false;
        cJSON_ArrayForEach(f, files)
            listed = listed || strcmp(text_at(f, "name"), *r) == 0;
        cr_assert(!exists(dir, *r) || listed, "%s is in the folder but not in run.json", *r);
    }
    return n;
}

/* Two writers at once: the second fails at once naming the first, whose
 * files are whole and all of its own run. */
Test(folders, a_second_writer_fails_at_once_naming_the_first, .timeout = 60)
{
    char *tmp = harness_tmpdir();
    cr_assert_not_null(tmp);
    char *dir = harness_path(tmp, "conc");
    struct harness_proc first;
    cr_assert_eq(harness_start(&first, NULL,
                               HARNESS_ARGS("run", BENCH, "--reps", "12", "--jobs", "1",
                                            "--set", "horizon_days=400", "--seed", "11",
                                            "--quiet", "--format", "json", "--out", dir)),
                 0, "cannot start %s: %s", FUNNELSIM_BIN, strerror(errno));
    /* Wait (bounded) until the first has claimed the folder. */
    for (int i = 0; i < 1000 && !exists(dir, ".funnelsim.lock") && harness_running(&first); i++)
        sleep_ms(10);
    cr_assert(harness_running(&first), "the first run ended too soon to test the lock");
    cr_assert(exists(dir, ".funnelsim.lock"), "the first run left no lock in %s", dir);

    struct harness_result second;
    HARNESS_RUN(&second, "run", ERLANG_A, "--reps", "2", "--seed", "22", "--quiet",
                "--out", dir);
    cr_assert(harness_running(&first), "the second run waited for the first");
    harness_assert_no_crash(&second);
    cr_assert_eq(second.exit_code, 1, "second writer: %s", harness_describe(&second));
    char pid[32];
    snprintf(pid, sizeof pid, "pid %ld", (long)first.pid);
    cr_assert(harness_contains(second.err, dir) && harness_contains(second.err, "in use") &&
              harness_contains(second.err, pid) && harness_contains(second.err, "run " BENCH),
              "the message does not name the folder and its holder: %s", second.err);
    cr_assert_lt(second.seconds, 5.0, "the second writer took %.1f s", second.seconds);
    cr_assert_eq(second.out_len, 0, "the second writer printed results");
    harness_free(&second);

    struct harness_result r;
    cr_assert_eq(harness_wait(&first, 50.0, &r), 0);
    harness_assert_exit(&r, 0);
    cJSON *man = harness_read_json(dir, "run.json");
    cr_assert_eq(assert_consistent(dir, man), 8, "run.json lists other than eight files");
    cr_assert_eq(harness_number(man, "seed"), 11.0, "run.json's seed");
    cJSON *result = harness_read_json(dir, "result.json");
    cr_assert_eq(harness_number(result, "seed"), 11.0, "result.json is not the first run's");
    cr_assert_eq(harness_number(result, "replications"), 12.0);
    char *rid = harness_json_without(r.out, "run_id");
    char *printed = cJSON_Print(result);
    char *fid = harness_json_without(printed, "run_id");
    free(printed);
    cr_assert_str_eq(rid, fid, "result.json is not what the first run printed");
    free(rid);
    free(fid);
    char *csv_path = harness_path(dir, "replications.csv");
    char *csv = harness_read_file(csv_path, NULL);
    cr_assert(csv != NULL && harness_count_lines(csv) == 13,
              "replications.csv is not the first run's 12 replications");
    free(csv);
    free(csv_path);
    cr_assert(!exists(dir, ".funnelsim.lock"), "the lock file was left behind");
    cJSON_Delete(result);
    cJSON_Delete(man);
    harness_free(&r);
    free(dir);
    cr_assert_eq(harness_rmtree(tmp), 0);
    free(tmp);
}

/* A lock file whose holder is gone (no lock held on it) blocks no one. */
Test(folders, a_stale_lock_does_not_block)
{
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    char *lock = harness_path(dir, ".funnelsim.lock");
    FILE *fp = fopen(lock, "w");
    cr_assert_not_null(fp);
    fputs("999999999 run scenarios/default.json --out gone\n", fp);
    cr_assert_eq(fclose(fp), 0);
    struct harness_result r;
    HARNESS_RUN(&r, "run", ERLANG_A, "--reps", "2", "--quiet", "--out", dir);
    harness_assert_exit(&r, 0);
    cr_assert(exists(dir, "run.json"));
    cr_assert(!exists(dir, ".funnelsim.lock"), "the lock file was left behind");
    harness_free(&r);
    free(lock);
    cr_assert_eq(harness_rmtree(dir), 0);
    free(dir);
}

/* A folder holding another run's files is refused, untouched; with
 * --overwrite the old run is replaced whole, the user's own files kept. */
Test(folders, another_runs_folder_is_refused_and_overwrite_replaces_it, .timeout = 60)
{
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    struct harness_result r;
    HARNESS_RUN(&r, "sweep", DEFAULT, "--vary", WEB_RATE, "--from", "200", "--to", "400",
                "--steps", "3", "--reps", "2", "--quiet", "--out", dir);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    /* a chart of the sweep, and a file of the user's */
    static const char *const extra[] = {"junk_vs_inflow.png", "report.html", "notes.txt"};
    for (size_t i = 0; i < 3; i++) {
        char *path = harness_path(dir, extra[i]);
        FILE *fp = fopen(path, "w");
        cr_assert_not_null(fp);
        fputs("old\n", fp);
        cr_assert_eq(fclose(fp), 0);
        free(path);
    }
    char *sweep_path = harness_path(dir, "sweep.json");
    char *before = harness_read_file(sweep_path, NULL);
    cr_assert_not_null(before);

    HARNESS_RUN(&r, "run", ERLANG_A, "--reps", "2", "--quiet", "--out", dir);
    HARNESS_ASSERT_ERROR(&r, 2, dir, "another run's files", "--overwrite");
    cr_assert(harness_contains(r.err, "sweep.json") || harness_contains(r.err, "run.json"),
              "the message does not say what the folder holds: %s", r.err);
    char *after = harness_read_file(sweep_path, NULL);
    cr_assert(after != NULL && strcmp(before, after) == 0, "the refused run changed sweep.json");
    cr_assert(!exists(dir, "result.json"), "the refused run wrote result.json");
    free(after);
    harness_free(&r);

    /* the same refusal for size and compare, and for a folder without a
     * manifest (written before manifests existed) */
    char *man_path = harness_path(dir, "run.json");
    cr_assert_eq(unlink(man_path), 0);
    HARNESS_RUN(&r, "compare", ERLANG_A, ERLANG_A, "--reps", "2", "--quiet", "--out", dir);
    HARNESS_ASSERT_ERROR(&r, 2, dir, "--overwrite");
    harness_free(&r);

    HARNESS_RUN(&r, "run", ERLANG_A, "--reps", "2", "--quiet", "--out", dir, "--overwrite");
    harness_assert_exit(&r, 0);
    harness_free(&r);
    static const char *const gone[] = {"sweep.json", "sweep.csv", "junk_vs_inflow.png",
                                       "report.html"};
    for (size_t i = 0; i < 4; i++)
        cr_assert(!exists(dir, gone[i]), "--overwrite left the old run's %s", gone[i]);
    cr_assert(exists(dir, "notes.txt"), "--overwrite removed a file that is not funnelsim's");
    char hidden[256];
    cr_assert_eq(harness_entries(dir, hidden, sizeof hidden), 10,
                 "the folder holds other than the run's eight files, run.json and notes.txt");
    cr_assert_str_empty(hidden, "a hidden file was left: %s", hidden);
    cJSON *man = harness_read_json(dir, "run.json");
    cr_assert_str_eq(text_at(man, "command"), "run");
    assert_consistent(dir, man);
    cJSON_Delete(man);
    free(man_path);
    free(before);
    free(sweep_path);
    cr_assert_eq(harness_rmtree(dir), 0);
    free(dir);
}

Test(folders, overwrite_needs_out)
{
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("run", ERLANG_A, "--overwrite"), "--overwrite",
                         "--out");
}

/* Every field of run.json, checked against what the run was given. */
Test(folders, the_manifest_says_what_ran, .timeout = 60)
{
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    time_t t0 = time(NULL);
    const char *const args[] = {"run", ERLANG_A, "--reps", "3", "--seed", "5", "--set",
                                "team[0].count=4", "--quiet", "--out", dir, NULL};
    struct harness_result r;
    cr_assert_eq(harness_runv(&r, args), 0);
    harness_assert_exit(&r, 0);
    time_t t1 = time(NULL);
    harness_free(&r);
    cJSON *man = harness_read_json(dir, "run.json");
    cr_assert_eq(harness_number(man, "manifest_version"), 1.0);
    cr_assert_str_eq(text_at(man, "command"), "run");
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(man, "arguments");
    cr_assert_eq(cJSON_GetArraySize(list), 10, "arguments");
    for (int i = 0; i < 10; i++)
        cr_assert_str_eq(cJSON_GetArrayItem(list, i)->valuestring, args[i + 1],
                         "argument %d", i);
    list = cJSON_GetObjectItemCaseSensitive(man, "overrides");
    cr_assert_eq(cJSON_GetArraySize(list), 3, "overrides");
    cr_assert_str_eq(cJSON_GetArrayItem(list, 0)->valuestring, "replications=3");
    cr_assert_str_eq(cJSON_GetArrayItem(list, 1)->valuestring, "seed=5");
    cr_assert_str_eq(cJSON_GetArrayItem(list, 2)->valuestring, "team[0].count=4");
    list = cJSON_GetObjectItemCaseSensitive(man, "scenarios");
    cr_assert_eq(cJSON_GetArraySize(list), 1, "scenarios");
    const cJSON *scn = cJSON_GetArrayItem(list, 0);
    cr_assert_str_eq(text_at(scn, "file"), ERLANG_A);
    char hex[17];
    fnv_hex(SRC "/" ERLANG_A, hex);
    cr_assert_str_eq(text_at(scn, "fnv1a64"), hex, "the scenario's hash");
    struct stat st;
    cr_assert_eq(stat(SRC "/" ERLANG_A, &st), 0);
    cr_assert_eq(harness_number(scn, "bytes"), (double)st.st_size);
    cr_assert_eq(harness_number(scn, "seed"), 5.0);
    cr_assert_eq(harness_number(man, "seed"), 5.0);
    cr_assert_str_eq(text_at(man, "funnelsim_version"), FUNNELSIM_VERSION);
    cr_assert_str_eq(text_at(man, "status"), "complete");

    regex_t iso, id;
    cr_assert_eq(regcomp(&iso, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                         REG_EXTENDED | REG_NOSUB), 0);
    cr_assert_eq(regcomp(&id, "^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{16}$", REG_EXTENDED | REG_NOSUB), 0);
    const char *started = text_at(man, "started"), *ended = text_at(man, "ended");
    cr_assert_eq(regexec(&iso, started, 0, NULL, 0), 0, "started: %s", started);
    cr_assert_eq(regexec(&iso, ended, 0, NULL, 0), 0, "ended: %s", ended);
    cr_assert_eq(regexec(&id, text_at(man, "run_id"), 0, NULL, 0), 0, "run_id: %s",
                 text_at(man, "run_id"));
    regfree(&iso);
    regfree(&id);
    char lo[32], hi[32];
    strftime(lo, sizeof lo, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t0));
    strftime(hi, sizeof hi, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t1));
    cr_assert(strcmp(lo, started) <= 0 && strcmp(started, ended) <= 0 &&
              strcmp(ended, hi) <= 0, "times out of order: %s <= %s <= %s <= %s", lo, started,
              ended, hi);
    cr_assert_eq(assert_consistent(dir, man), 8, "run.json lists other than eight files");
    cJSON_Delete(man);

    /* a sweep's manifest lists its two files */
    char *sub = harness_path(dir, "sweep");
    HARNESS_RUN(&r, "sweep", ERLANG_A, "--vary", WEB_RATE, "--from", "400", "--to", "600",
                "--steps", "2", "--reps", "2", "--quiet", "--out", sub);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    man = harness_read_json(sub, "run.json");
    cr_assert_str_eq(text_at(man, "command"), "sweep");
    cr_assert_eq(assert_consistent(sub, man), 2, "a sweep writes sweep.json and sweep.csv");
    cJSON_Delete(man);
    free(sub);
    cr_assert_eq(harness_rmtree(dir), 0);
    free(dir);
}

/* Copies src/name over dst/name. */
static void copy_file(const char *src, const char *dst, const char *name)
{
    char *from = harness_path(src, name), *to = harness_path(dst, name);
    size_t len;
    char *text = harness_read_file(from, &len);
    cr_assert_not_null(text, "cannot read %s", from);
    FILE *fp = fopen(to, "wb");
    cr_assert_not_null(fp);
    cr_assert_eq(fwrite(text, 1, len, fp), len);
    cr_assert_eq(fclose(fp), 0);
    free(text);
    free(from);
    free(to);
}

/* plot refuses a folder whose files come from two runs (as two runs into
 * one folder used to leave it), and charts an old folder without run.json
 * with a warning. */
Test(folders, plot_refuses_files_of_two_runs, .timeout = 60)
{
    char *tmp = harness_tmpdir();
    cr_assert_not_null(tmp);
    char *a = harness_path(tmp, "a"), *b = harness_path(tmp, "b");
    struct harness_result r;
    HARNESS_RUN(&r, "run", ERLANG_A, "--reps", "2", "--seed", "11", "--quiet", "--out", a);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    HARNESS_RUN(&r, "run", ERLANG_A, "--reps", "2", "--seed", "22", "--quiet", "--out", b);
    harness_assert_exit(&r, 0);
    harness_free(&r);

    /* result.json of one run, the series of the other */
    copy_file(b, a, "series_daily.csv");
    HARNESS_RUN(&r, "plot", a, "--quiet");
    HARNESS_ASSERT_ERROR(&r, 2, a, "different runs", "series_daily.csv", "--overwrite");
    cr_assert(!exists(a, "run_over_time.png") && !exists(a, "report.html"),
              "plot drew a mixed folder");
    harness_free(&r);

    /* the JSON of the other run, whatever the manifest says */
    copy_file(b, a, "result.json");
    HARNESS_RUN(&r, "plot", a, "--quiet");
    HARNESS_ASSERT_ERROR(&r, 2, "different runs", "result.json");
    harness_free(&r);

    /* without run.json the ids still tell two runs apart */
    copy_file(b, a, "series_daily.csv");
    char *man = harness_path(a, "run.json");
    cr_assert_eq(unlink(man), 0);
    free(man);
    char *c = harness_path(tmp, "c");
    HARNESS_RUN(&r, "sweep", ERLANG_A, "--vary", WEB_RATE, "--from", "400", "--to", "600",
                "--steps", "2", "--reps", "2", "--quiet", "--out", c);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    copy_file(c, a, "sweep.json");
    HARNESS_RUN(&r, "plot", a, "--quiet");
    HARNESS_ASSERT_ERROR(&r, 2, "different runs", "sweep.json", "result.json");
    harness_free(&r);

    /* an old folder: no manifest, no run ids: charted, with a warning */
    man = harness_path(b, "run.json");
    cr_assert_eq(unlink(man), 0);
    free(man);
    cJSON *doc = harness_read_json(b, "result.json");
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "run_id");
    char *text = cJSON_Print(doc);
    char *path = harness_path(b, "result.json");
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs(text, fp);
    cr_assert_eq(fclose(fp), 0);
    free(path);
    free(text);
    cJSON_Delete(doc);
    HARNESS_RUN(&r, "plot", b, "--quiet");
    harness_assert_no_crash(&r);
    cr_assert(r.exit_code == 0 || r.exit_code == 1, "an old folder: %s", harness_describe(&r));
    cr_assert(harness_contains(r.err, "warning") && harness_contains(r.err, "run.json"),
              "no warning for a folder without run.json: %s", r.err);
    cr_assert(exists(b, "run_over_time.dat"), "the old folder was not charted");
    harness_free(&r);

    free(a);
    free(b);
    free(c);
    cr_assert_eq(harness_rmtree(tmp), 0);
    free(tmp);
}
