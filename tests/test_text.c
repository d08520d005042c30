/*
 * test_text.c - text a user writes comes back as written: names with
 * quotes, commas, semicolons and Cyrillic survive every CSV the program
 * writes (read back by a strict RFC 4180 reader written here, not by the
 * program's own code); the CSV writer quotes CR and LF.
 *
 * The runs are short (2 replications, 20-day horizons).
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/csv.h"
#include "sim/text.h"
#include "tests/cli_harness.h"

/* ---- a strict RFC 4180 reader -------------------------------------------------- */

#define CSV_MAX_ROWS 2048
#define CSV_MAX_FIELDS 256

struct csv_doc {
    size_t n_rows;
    size_t n_fields[CSV_MAX_ROWS];
    char *field[CSV_MAX_ROWS][CSV_MAX_FIELDS];
};

static void csv_free(struct csv_doc *d)
{
    for (size_t r = 0; r < d->n_rows; r++)
        for (size_t f = 0; f < d->n_fields[r]; f++)
            free(d->field[r][f]);
    free(d);
}

/* Parses `text` (len bytes): fields separated by commas, rows ended by LF
 * or CRLF (the last one too); a field is either plain (no quote, CR or LF
 * in it) or quoted from its first to its last byte, with each quote inside
 * doubled.  Anything else fails the test, naming `what` and the row. */
static struct csv_doc *csv_read(const char *text, size_t len, const char *what)
{
    struct csv_doc *d = calloc(1, sizeof *d);
    cr_assert_not_null(d);
    cr_assert_gt(len, 0, "%s: empty", what);
    cr_assert_eq(text[len - 1], '\n', "%s: the last row does not end with a line end", what);
    size_t i = 0;
    while (i < len) {
        cr_assert_lt(d->n_rows, CSV_MAX_ROWS, "%s: too many rows", what);
        size_t r = d->n_rows++;
        for (;;) {
            cr_assert_lt(d->n_fields[r], CSV_MAX_FIELDS, "%s: row %zu: too many fields", what, r);
            char *buf = malloc(len + 1);
            cr_assert_not_null(buf);
            size_t n = 0;
            if (text[i] == '"') {
                for (i++;; i++) {
                    cr_assert_lt(i, len, "%s: row %zu: a quote is never closed", what, r);
                    if (text[i] == '"') {
                        if (i + 1 < len && text[i + 1] == '"') {
                            buf[n++] = '"';
                            i++;
                            continue;
                        }
                        i++;
                        break;
                    }
                    buf[n++] = text[i];
                }
            } else {
                for (; i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r'; i++) {
                    cr_assert_neq(text[i], '"', "%s: row %zu: a quote inside an unquoted "
                                  "field", what, r);
                    buf[n++] = text[i];
                }
            }
            buf[n] = '\0';
            d->field[r][d->n_fields[r]++] = buf;
            cr_assert_lt(i, len, "%s: row %zu: no line end", what, r);
            if (text[i] == ',') {
                i++;
                continue;
            }
            if (text[i] == '\r') {
                cr_assert(i + 1 < len && text[i + 1] == '\n', "%s: row %zu: a CR that is not "
                          "part of a line end", what, r);
                i++;
            }
            cr_assert_eq(text[i], '\n', "%s: row %zu: '%c' after a closing quote", what, r,
                         text[i]);
            i++;
            break;
        }
    }
    return d;
}

/* Reads `text` strictly and checks that every row has the header's number
 * of fields and that there is at least one row under the header. */
static struct csv_doc *csv_read_table(const char *text, size_t len, const char *what)
{
    struct csv_doc *d = csv_read(text, len, what);
    cr_assert_geq(d->n_rows, 2, "%s: no row under the header", what);
    for (size_t r = 1; r < d->n_rows; r++)
        cr_assert_eq(d->n_fields[r], d->n_fields[0], "%s: row %zu has %zu fields, the "
                     "header %zu", what, r, d->n_fields[r], d->n_fields[0]);
    return d;
}

/* The index of the header's column `name`; the test fails without one. */
static size_t csv_column(const struct csv_doc *d, const char *name, const char *what)
{
    for (size_t f = 0; f < d->n_fields[0]; f++)
        if (strcmp(d->field[0][f], name) == 0)
            return f;
    cr_assert_fail("%s: no column '%s'", what, name);
    return 0;
}

/* Every *.csv of `dir`, read strictly; returns how many there were. */
static size_t check_csv_files(const char *dir)
{
    DIR *dp = opendir(dir);
    cr_assert_not_null(dp, "cannot list %s: %s", dir, strerror(errno));
    size_t n = 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 4, ".csv") != 0)
            continue;
        char *path = harness_path(dir, e->d_name);
        size_t size;
        char *text = harness_read_file(path, &size);
        cr_assert_not_null(text, "cannot read %s", path);
        csv_free(csv_read_table(text, size, path));
        free(text);
        free(path);
        n++;
    }
    closedir(dp);
    return n;
}

/* ---- scenarios with awkward names ---------------------------------------------- */

static const char NAME_A[] = "x\",0.99,\"y; a,b;\"c\" Кириллица";
static const char NAME_B[] = "\"q\";\"\",,Ж \"";
static const char CHANNEL[] = "ch,\"1\";канал";
static const char GROUP[] = "g\"р,п;";

/* A short scenario named `name` with `count` managers, as DIR/FILE. */
static char *write_scenario(const char *dir, const char *file, const char *name, int count)
{
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "name", name);
    cJSON_AddNumberToObject(s, "seed", 7);
    cJSON_AddNumberToObject(s, "replications", 2);
    cJSON_AddNumberToObject(s, "horizon_days", 20);
    cJSON_AddNumberToObject(s, "warmup_days", 2);
    cJSON *ch = cJSON_AddArrayToObject(s, "channels");
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "name", CHANNEL);
    cJSON *arr = cJSON_AddObjectToObject(c, "arrivals");
    cJSON_AddStringToObject(arr, "kind", "poisson");
    cJSON_AddNumberToObject(arr, "per_week", 200);
    cJSON_AddItemToArray(ch, c);
    cJSON *team = cJSON_AddArrayToObject(s, "team");
    cJSON *g = cJSON_CreateObject();
    cJSON_AddStringToObject(g, "name", GROUP);
    cJSON_AddNumberToObject(g, "count", count);
    cJSON_AddItemToArray(team, g);
    char *text = cJSON_Print(s);
    cJSON_Delete(s);
    char *path = harness_path(dir, file);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp, "cannot write %s", path);
    fputs(text, fp);
    cr_assert_eq(fclose(fp), 0);
    free(text);
    return path;
}

/* Runs the binary, expecting exit 0. */
static void run_ok(struct harness_result *r, const char *const *args)
{
    cr_assert_eq(harness_runv(r, args), 0, "cannot run %s: %s", FUNNELSIM_BIN,
                 strerror(errno));
    harness_assert_exit(r, 0);
}

/* The column `col` of compare's CSV holds the two names, byte for byte. */
static void check_names(const char *text, size_t len, const char *what, const char *col)
{
    struct csv_doc *d = csv_read_table(text, len, what);
    cr_assert_eq(d->n_rows, 3, "%s: %zu rows, expected the header and 2", what, d->n_rows);
    size_t k = csv_column(d, col, what);
    cr_assert_str_eq(d->field[1][k], NAME_A, "%s: the first name read back differs", what);
    cr_assert_str_eq(d->field[2][k], NAME_B, "%s: the second name read back differs", what);
    csv_free(d);
}

Test(text, every_csv_keeps_awkward_names, .timeout = 120)
{
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    char *a = write_scenario(dir, "a.json", NAME_A, 3);
    char *b = write_scenario(dir, "b.json", NAME_B, 4);
    char *out = harness_path(dir, "out");
    struct harness_result r;

    /* run: result.csv, replications.csv, the series; --format csv */
    run_ok(&r, HARNESS_ARGS("run", a, "--quiet", "--out", out));
    harness_free(&r);
    cr_assert_geq(check_csv_files(out), 3, "run --out wrote fewer CSV files than expected");
    harness_rmtree(out);
    run_ok(&r, HARNESS_ARGS("run", a, "--quiet", "--format", "csv"));
    csv_free(csv_read_table(r.out, r.out_len, "run --format csv"));
    harness_free(&r);

    /* sweep */
    run_ok(&r, HARNESS_ARGS("sweep", a, "--quiet", "--vary", "team[0].count", "--from", "2",
                            "--to", "3", "--steps", "2", "--out", out));
    harness_free(&r);
    cr_assert_eq(check_csv_files(out), 1, "sweep --out: no sweep.csv");
    harness_rmtree(out);

    /* compare: the names themselves */
    run_ok(&r, HARNESS_ARGS("compare", a, b, "--quiet", "--out", out));
    harness_free(&r);
    cr_assert_eq(check_csv_files(out), 1, "compare --out: no compare.csv");
    char *file = harness_path(out, "compare.csv");
    size_t size;
    char *text = harness_read_file(file, &size);
    cr_assert_not_null(text, "cannot read %s", file);
    check_names(text, size, "compare.csv", "scenario");
    free(text);
    free(file);
    harness_rmtree(out);
    run_ok(&r, HARNESS_ARGS("compare", a, b, "--quiet", "--format", "csv"));
    check_names(r.out, r.out_len, "compare --format csv", "scenario");
    harness_free(&r);

    /* compare --measures */
    run_ok(&r, HARNESS_ARGS("compare", "--measures", a, b, "--quiet", "--out", out));
    harness_free(&r);
    cr_assert_eq(check_csv_files(out), 1, "compare --measures --out: no measures.csv");
    harness_rmtree(out);

    /* size */
    run_ok(&r, HARNESS_ARGS("size", a, "--quiet", "--target-junk", "0.5", "--vary",
                            "team[0].count", "--from", "1", "--to", "4", "--out", out));
    harness_free(&r);
    cr_assert_eq(check_csv_files(out), 1, "size --out: no size.csv");
    harness_rmtree(out);
    run_ok(&r, HARNESS_ARGS("size", a, "--quiet", "--target-junk", "0.5", "--vary",
                            "team[0].count", "--from", "1", "--to", "4", "--format", "csv"));
    csv_free(csv_read_table(r.out, r.out_len, "size --format csv"));
    harness_free(&r);

    free(out);
    free(a);
    free(b);
    harness_rmtree(dir);
    free(dir);
}

/* The writer itself: fields with CR, LF, quotes and commas (names cannot
 * hold CR or LF, so no command line reaches these). */
Test(text, csv_writer_quotes_what_needs_it)
{
    static const char *const fields[] = {
        "plain", "a,b", "say \"hi\"", "line\nbreak", "cr\rhere", "crlf\r\n", "", "\"",
        "semi;colon", "Кириллица", " lead and trail ",
    };
    const size_t n = sizeof fields / sizeof fields[0];
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    cr_assert_not_null(fp);
    struct sim_csv w = sim_csv_on(fp);
    for (size_t i = 0; i < n; i++)
        sim_csv_text(&w, fields[i]);
    sim_csv_end(&w);
    for (size_t i = 0; i < n; i++)
        sim_csv_number(&w, (double)i / 3.0);
    sim_csv_end(&w);
    cr_assert_eq(fclose(fp), 0);
    struct csv_doc *d = csv_read_table(buf, len, "the writer's output");
    cr_assert_eq(d->n_rows, 2);
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(d->field[0][i], fields[i], "field %zu read back differs", i);
    cr_assert_str_eq(d->field[0][0], "plain");
    cr_assert(strncmp(buf, "plain,", 6) == 0, "a plain field was quoted: %.20s", buf);
    csv_free(d);
    free(buf);

    /* counts in full, never with an exponent; an undefined number is empty */
    fp = open_memstream(&buf, &len);
    cr_assert_not_null(fp);
    w = sim_csv_on(fp);
    sim_csv_whole(&w, 1e15);
    sim_csv_whole(&w, 9007199254740992.0);
    sim_csv_whole(&w, 2.5);
    sim_csv_whole(&w, NAN);
    sim_csv_uint(&w, 18446744073709551615ull);
    sim_csv_end(&w);
    cr_assert_eq(fclose(fp), 0);
    cr_assert_str_eq(buf, "1000000000000000,9007199254740992,2.5,,18446744073709551615\n");
    free(buf);
}

/* ---- text keys are checked at load ---------------------------------------------- */

/* A scenario whose scenario name and first channel and group names are
 * the JSON texts given (quotes included), as DIR/bad.json. */
static char *write_raw(const char *dir, const char *name, const char *channel,
                       const char *group)
{
    char *path = harness_path(dir, "bad.json");
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp, "cannot write %s", path);
    fprintf(fp, "{\"name\": %s, \"horizon_days\": 10, \"warmup_days\": 1,\n"
                " \"channels\": [{\"name\": %s, \"arrivals\": {\"kind\": \"poisson\", "
                "\"per_week\": 10}}],\n"
                " \"team\": [{\"name\": %s, \"count\": 1}]}\n", name, channel, group);
    cr_assert_eq(fclose(fp), 0);
    return path;
}

/* validate refuses the file with exit 2, naming the path and the rule. */
static void assert_refused(const char *name, const char *channel, const char *group,
                           const char *path_and_rule)
{
    char *dir = harness_tmpdir();
    cr_assert_not_null(dir);
    char *file = write_raw(dir, name, channel, group);
    struct harness_result r;
    cr_assert_eq(harness_runv(&r, HARNESS_ARGS("validate", file)), 0);
    HARNESS_ASSERT_ERROR(&r, 2, "bad.json: ", path_and_rule);
    for (size_t i = 0; i < r.err_len; i++)
        cr_assert(r.err[i] == '\n' || ((unsigned char)r.err[i] >= 0x20 && r.err[i] != 0x7f),
                  "the message holds the control byte 0x%02x: %s", (unsigned char)r.err[i],
                  r.err);
    harness_free(&r);
    free(file);
    harness_rmtree(dir);
    free(dir);
}

Test(text, invalid_utf8_refused_by_path)
{
    assert_refused("\"ab\xff\xfe\"", "\"c\"", "\"g\"",
                   "name: must be valid UTF-8 (byte 0xFF at offset 2 is not)");
    /* overlong '/', a UTF-8 encoded surrogate, a truncated sequence */
    assert_refused("\"ok\"", "\"c\xc0\xaf\"", "\"g\"", "channels[0].name: must be valid UTF-8");
    assert_refused("\"ok\"", "\"c\"", "\"g\xed\xa0\x80\"", "team[0].name: must be valid UTF-8");
    assert_refused("\"ok\xd0\"", "\"c\"", "\"g\"", "name: must be valid UTF-8");
}

Test(text, nul_escape_refused_by_path)
{
    assert_refused("\"ab\\u0000cd\"", "\"c\"", "\"g\"", "name: must not hold \\u0000");
    assert_refused("\"ok\"", "\"c\\u0000\"", "\"g\"", "channels[0].name: must not hold \\u0000");
    /* an escaped backslash before u0000 is plain text */
    char *dir = harness_tmpdir();
    char *file = write_raw(dir, "\"a\\\\u0000\"", "\"c\"", "\"g\"");
    struct harness_result r;
    cr_assert_eq(harness_runv(&r, HARNESS_ARGS("validate", file)), 0);
    harness_assert_exit(&r, 0);
    cr_assert(harness_contains(r.out, "a\\u0000"), "%s", r.out);
    harness_free(&r);
    free(file);
    harness_rmtree(dir);
    free(dir);
}

Test(text, lone_surrogates_refused_by_path)
{
    assert_refused("\"a\\ud800b\"", "\"c\"", "\"g\"", "name: must not hold \\uD800");
    assert_refused("\"ok\"", "\"c\\uDC00\"", "\"g\"", "channels[0].name: must not hold \\uDC00");
    assert_refused("\"ok\"", "\"c\"", "\"g\\ud83d\"", "team[0].name: must not hold \\uD83D");
}

Test(text, control_characters_refused_by_path)
{
    assert_refused("\"a\\nb\"", "\"c\"", "\"g\"",
                   "name: must not hold control characters (U+000A at offset 1)");
    assert_refused("\"ok\"", "\"\\u001b[31mred\"", "\"g\"",
                   "channels[0].name: must not hold control characters (U+001B at offset 0)");
    assert_refused("\"ok\"", "\"c\"", "\"g\\u0085\"",
                   "team[0].name: must not hold control characters (U+0085");
    /* a raw tab inside the string */
    assert_refused("\"a\tb\"", "\"c\"", "\"g\"", "name: must not hold control characters");
}

/* Valid text outside ASCII passes, a surrogate pair included, and comes
 * back unchanged. */
Test(text, valid_unicode_accepted)
{
    char *dir = harness_tmpdir();
    char *file = write_raw(dir, "\"Кириллица \\ud83d\\ude00 ok\"", "\"канал\"", "\"группа\"");
    struct harness_result r;
    cr_assert_eq(harness_runv(&r, HARNESS_ARGS("validate", file)), 0);
    harness_assert_exit(&r, 0);
    cr_assert(harness_contains(r.out, "Кириллица \xf0\x9f\x98\x80 ok"), "%s", r.out);
    harness_free(&r);
    free(file);
    harness_rmtree(dir);
    free(dir);
}

/* A file name that is not UTF-8 and holds an escape byte: the JSON result
 * is still valid UTF-8 and the messages print no control byte. */
Test(text, odd_file_name_gives_valid_json, .timeout = 60)
{
    char *dir = harness_tmpdir();
    char *file = harness_path(dir, "a\xff\x1b[2Jb.json");
    char *scn = harness_read_file("scenarios/validation-erlang-a.json", NULL);
    cr_assert_not_null(scn);
    FILE *fp = fopen(file, "w");
    cr_assert_not_null(fp);
    fputs(scn, fp);
    cr_assert_eq(fclose(fp), 0);
    free(scn);
    struct harness_result r;
    run_ok(&r, HARNESS_ARGS("run", file, "--quiet", "--reps", "2", "--set", "horizon_days=10",
                            "--set", "warmup_days=1", "--format", "json"));
    for (size_t i = 0, len; i < r.out_len; i += len) {
        long cp = sim_text_utf8_next(r.out + i, r.out_len - i, &len);
        cr_assert_geq(cp, 0, "the JSON output is not UTF-8 at byte %zu", i);
        cr_assert(cp >= 0x20 || cp == '\n' || cp == '\t', "raw control U+%04lX in the JSON",
                  (unsigned long)cp);
    }
    cJSON *doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc, "not JSON: %.200s", r.out);
    cJSON_Delete(doc);
    harness_free(&r);
    cr_assert_eq(harness_runv(&r, HARNESS_ARGS("run", file, "--set", "horizon_days=-1")), 0);
    harness_assert_exit(&r, 2);
    cr_assert_null(memchr(r.err, 0x1b, r.err_len), "an escape byte reached the terminal: %s",
                   r.err);
    harness_free(&r);
    free(file);
    harness_rmtree(dir);
    free(dir);
}
