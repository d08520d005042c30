/*
 * test_import.c - `funnelsim import`: one fixture per kind of mess a real
 * CRM export holds (tests/import/), each with the rows it must parse and
 * skip and the problem lines (line number and rule) it must list; the
 * values that come through (times from day 0, the Monday on or before the
 * first creation; amounts; statuses derived; reasons mapped); the map's
 * errors; a file with every row bad (exit 2 naming the line and the rule,
 * nothing written); and a lead log of `run --leads` read through the
 * built-in map, which gives the same history whatever its `outcome`
 * column says.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "models/history.h"
#include "sim/csvin.h"
#include "sim/date.h"
#include "tests/cli_harness.h"

#define FIX FUNNELSIM_SRCDIR "/tests/import/"

/* import-problems.csv as "leads:LINE:RULE" strings. */
struct probs {
    char item[32][64];
    size_t n;
    bool header;
};

static int prob_row(void *ctx, const struct sim_csvin_row *row, struct sim_err *err)
{
    struct probs *p = ctx;
    (void)err;
    if (!p->header) {
        p->header = true;
        cr_assert_eq(row->n, 6);
        cr_assert_str_eq(row->field[1], "line");
        return SIM_OK;
    }
    cr_assert_lt(p->n, 32);
    cr_assert_eq(row->n, 6, "line %lu of import-problems.csv", row->line);
    snprintf(p->item[p->n++], 64, "%s:%s:%s", row->field[0], row->field[1], row->field[4]);
    return SIM_OK;
}

struct expect {
    const char *file, *map, *managers;
    double rows, parsed, skipped;
    const char *problems[8];    /* "leads:LINE:RULE", in order */
};

static double num(const cJSON *j, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    cr_assert(cJSON_IsNumber(v), "import.json: no number %s", key);
    return v->valuedouble;
}

/* Imports the fixture into a fresh DIR (returned: free and rmtree it),
 * checks the counts and the problems, loads the history into *h. */
static char *import_ok(const struct expect *e, struct history *h, cJSON **report)
{
    char *dir = harness_tmpdir();
    char *out = harness_path(dir, "out");
    char file[512], map[512], mgr[512];
    snprintf(file, sizeof file, FIX "%s", e->file);
    const char *args[12] = {"import", file, "--out", out};
    size_t n = 4;
    if (e->map) {
        snprintf(map, sizeof map, FIX "%s", e->map);
        args[n++] = "--map";
        args[n++] = map;
    }
    if (e->managers) {
        snprintf(mgr, sizeof mgr, FIX "%s", e->managers);
        args[n++] = "--managers";
        args[n++] = mgr;
    }
    args[n] = NULL;
    struct harness_result r;
    cr_assert_eq(harness_runv(&r, args), 0);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    cJSON *j = harness_read_json(out, "import.json");
    cr_assert_eq(num(j, "rows"), e->rows, "%s: rows", e->file);
    cr_assert_eq(num(j, "parsed"), e->parsed, "%s: parsed", e->file);
    cr_assert_eq(num(j, "skipped"), e->skipped, "%s: skipped", e->file);
    cr_assert_eq(num(j, "parsed") + num(j, "skipped"), num(j, "rows"),
                 "every row parsed or skipped");
    struct probs p = {0};
    char *pf = harness_path(out, "import-problems.csv");
    struct sim_err err = {0};
    cr_assert_eq(sim_csvin_file(pf, pf, NULL, prob_row, &p, NULL, &err), SIM_OK, "%s", err.msg);
    free(pf);
    size_t want = 0;
    while (want < 8 && e->problems[want])
        want++;
    cr_assert_eq(p.n, want, "%s: %zu problems listed, %zu expected (first: %s)", e->file, p.n,
                 want, p.n ? p.item[0] : "none");
    for (size_t i = 0; i < want; i++)
        cr_assert_str_eq(p.item[i], e->problems[i], "%s: problem %zu", e->file, i);
    cr_assert_eq(history_load(out, h, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq((double)h->n, e->parsed);
    /* history.h's invariants, and day 0 a Monday */
    cr_assert(h->origin.dated);
    cr_assert_eq(sim_date_weekday(h->origin.date), 0, "day 0 is a Monday");
    for (size_t i = 0; i < h->n; i++) {
        const struct history_lead *l = &h->lead[i];
        cr_assert(l->created_h >= 0 && l->created_h < h->horizon_h);
        cr_assert(i == 0 || l->created_h >= h->lead[i - 1].created_h, "ordered by creation");
        cr_assert(isnan(l->first_contact_h) || l->first_contact_h >= l->created_h);
        cr_assert(isnan(l->closed_h) || l->closed_h >= l->created_h);
        cr_assert(l->created_h < 7 * 24 || i > 0, "the first lead is in week 0");
    }
    cr_assert_lt(h->lead[0].created_h, 7 * 24.0, "day 0: the Monday on or before the first");
    if (report)
        *report = j;
    else
        cJSON_Delete(j);
    free(out);
    return dir;
}

static void done(char *dir, struct history *h)
{
    history_free(h);
    harness_rmtree(dir);
    free(dir);
}

/* The lead with id `id`. */
static const struct history_lead *lead(const struct history *h, const char *id)
{
    for (size_t i = 0; i < h->n; i++)
        if (strcmp(h->id[i], id) == 0)
            return &h->lead[i];
    cr_assert_fail("no lead %s", id);
    return NULL;
}

static const char *channel(const struct history *h, const struct history_lead *l)
{
    return l->channel < h->n_channels ? h->channel[l->channel] : "";
}

/* 2024-03-04 is a Monday: day 0 of every fixture's history. */
static void monday_0304(const struct history *h)
{
    cr_assert_eq(h->origin.date, sim_date_from_ymd(2024, 3, 4));
}

Test(import, utf8_bom)
{
    struct history h;
    char *d = import_ok(&(struct expect){.file = "bom.csv", .rows = 3, .parsed = 3}, &h, NULL);
    monday_0304(&h);
    cr_assert_eq(lead(&h, "1")->created_h, 2 * 24 + 10.0);
    cr_assert_eq(lead(&h, "3")->created_h, 4 * 24 + 9.25);
    cr_assert_eq(lead(&h, "2")->reason, JUNK_BAD_FIT);
    done(d, &h);
}

Test(import, headers_in_any_case_with_spaces)
{
    struct history h;
    char *d = import_ok(&(struct expect){.file = "headers.csv", .rows = 2, .parsed = 2}, &h,
                        NULL);
    cr_assert_eq(lead(&h, "1")->status, HISTORY_WON, "\"Won\": a status in any case");
    cr_assert_eq(lead(&h, "2")->status, HISTORY_LOST);
    cr_assert_str_eq(channel(&h, lead(&h, "2")), "fair");
    done(d, &h);
}

Test(import, semicolon_and_decimal_comma)
{
    struct history h;
    cJSON *j;
    char *d = import_ok(&(struct expect){.file = "semicolon.csv", .rows = 4, .parsed = 3,
                                         .skipped = 1, .problems = {"leads:4:bad_number"}},
                        &h, &j);
    cr_assert_str_eq(cJSON_GetObjectItem(j, "delimiter")->valuestring, ";");
    cr_assert_eq(lead(&h, "1")->value, 1234.5, "\"1 234,50\"");
    cr_assert_str_eq(channel(&h, lead(&h, "2")), "web, paid");
    cr_assert_eq(lead(&h, "4")->reason, HISTORY_REASON_OTHER, "lost without a reason");
    cJSON_Delete(j);
    done(d, &h);
}

Test(import, tab_delimiter)
{
    struct history h;
    cJSON *j;
    char *d = import_ok(&(struct expect){.file = "tab.tsv", .rows = 3, .parsed = 2, .skipped = 1,
                                         .problems = {"leads:4:no_created_at"}},
                        &h, &j);
    cr_assert_str_eq(cJSON_GetObjectItem(j, "delimiter")->valuestring, "tab");
    cr_assert_str_eq(channel(&h, lead(&h, "2")), "web, paid");
    cJSON_Delete(j);
    done(d, &h);
}

Test(import, crlf_line_ends)
{
    struct history h;
    char *d = import_ok(&(struct expect){.file = "crlf.csv", .rows = 3, .parsed = 2, .skipped = 1,
                                         .problems = {"leads:3:unknown_status"}},
                        &h, NULL);
    cr_assert_eq(lead(&h, "3")->status, HISTORY_LOST, "no CR left in the last cell");
    done(d, &h);
}

Test(import, quoted_newlines_and_quotes)
{
    struct history h;
    char *d = import_ok(&(struct expect){.file = "quoted.csv", .rows = 5, .parsed = 4,
                                         .skipped = 1, .problems = {"leads:8:bad_date"}},
                        &h, NULL);
    cr_assert_str_eq(channel(&h, lead(&h, "1")), "web \"paid\"");
    cr_assert_str_eq(channel(&h, lead(&h, "3")), "a\nb\nc");
    done(d, &h);
}

Test(import, day_first_dates)
{
    struct history h;
    cJSON *j;
    char *d = import_ok(&(struct expect){.file = "dmy.csv", .rows = 4, .parsed = 3, .skipped = 1,
                                         .problems = {"leads:4:bad_date"}},
                        &h, &j);
    monday_0304(&h);
    const cJSON *df = cJSON_GetObjectItem(j, "date_formats");
    cr_assert_str_eq(cJSON_GetObjectItem(df, "created_at")->valuestring, "dd.mm.yyyy");
    const struct history_lead *a = lead(&h, "1"), *b = lead(&h, "2"), *c = lead(&h, "4");
    cr_assert_eq(a->created_h, 48.0);
    cr_assert_eq(a->first_contact_h, 48 + 12.5);
    cr_assert_eq(a->closed_h, 72.0);
    cr_assert_eq(b->created_h, 48 + 9.0, "6.3.2024 09:00");
    cr_assert_eq(c->first_contact_h, c->created_h, "a date alone on the day: at creation");
    cJSON_Delete(j);
    done(d, &h);
}

Test(import, iso_offsets_dropped_without_timezone)
{
    struct history h;
    cJSON *j;
    char *d = import_ok(&(struct expect){.file = "iso_offset.csv", .rows = 4, .parsed = 3,
                                         .skipped = 1, .problems = {"leads:5:bad_date"}},
                        &h, &j);
    cr_assert_eq(num(j, "offsets_dropped"), 4);
    cr_assert_eq(lead(&h, "1")->created_h, 48 + 21.5, "the wall clock as written");
    cr_assert_eq(lead(&h, "3")->created_h, 72 + 10.0);
    cJSON_Delete(j);
    done(d, &h);
}

Test(import, iso_offsets_to_the_maps_timezone)
{
    struct history h;
    cJSON *j;
    char *d = import_ok(&(struct expect){.file = "iso_offset.csv", .map = "iso_offset.map.json",
                                         .rows = 4, .parsed = 3, .skipped = 1,
                                         .problems = {"leads:5:bad_date"}},
                        &h, &j);
    cr_assert_eq(num(j, "offsets_converted"), 4);
    cr_assert_eq(lead(&h, "1")->created_h, 72 + 0.5, "21:30Z is 00:30 the next day at +03:00");
    cr_assert_eq(lead(&h, "1")->first_contact_h, 72 + 1.0);
    cr_assert_eq(lead(&h, "2")->created_h, 72 + 10.0);
    cJSON_Delete(j);
    done(d, &h);
}

static const struct expect cyrillic = {
    .file = "cyrillic_utf8.csv", .map = "cyrillic.map.json", .rows = 6, .parsed = 5,
    .skipped = 1, .problems = {"leads:7:unknown_status"},
};

Test(import, cyrillic_headers_through_the_map)
{
    struct history h;
    cJSON *j;
    char *d = import_ok(&cyrillic, &h, &j);
    cr_assert_eq(lead(&h, "101")->status, HISTORY_WON);
    cr_assert_eq(lead(&h, "101")->value, 150000.0);
    cr_assert_eq(lead(&h, "102")->reason, JUNK_BAD_FIT);
    cr_assert_eq(lead(&h, "103")->reason, JUNK_UNREACHABLE);
    cr_assert_eq(lead(&h, "104")->reason, HISTORY_REASON_OTHER);
    cr_assert_eq(lead(&h, "105")->status, HISTORY_QUALIFIED);
    cr_assert_str_eq(channel(&h, lead(&h, "102")), "Выставка");
    const cJSON *um = cJSON_GetObjectItem(j, "unmapped_reasons");
    cr_assert_eq(cJSON_GetObjectItem(um, "Что-то своё")->valuedouble, 1);
    cJSON_Delete(j);
    done(d, &h);
}

Test(import, cp1251_with_a_map_and_managers)
{
    struct history a, h;
    char *du = import_ok(&cyrillic, &a, NULL);
    char *d = import_ok(&(struct expect){.file = "cp1251.csv", .map = "cp1251.map.json",
                                         .managers = "managers.csv", .rows = 6, .parsed = 5,
                                         .skipped = 1,
                                         .problems = {"leads:7:unknown_status",
                                                      "managers:4:end_before_start",
                                                      "managers:5:empty_owner",
                                                      "managers:6:duplicate_owner"}},
                        &h, NULL);
    cr_assert_eq(h.n, a.n);
    for (size_t i = 0; i < h.n; i++) {
        cr_assert_str_eq(h.id[i], a.id[i]);
        cr_assert_eq(h.lead[i].created_h, a.lead[i].created_h);
        cr_assert_str_eq(channel(&h, &h.lead[i]), channel(&a, &a.lead[i]), "cp1251 read as UTF-8");
        cr_assert_eq(h.lead[i].reason, a.lead[i].reason);
    }
    /* managers: bob from 01.03 (3 days before day 0) through 07.03 */
    bool bob = false;
    for (size_t i = 0; i < h.n_owners; i++)
        if (strcmp(h.owner[i].name, "bob") == 0) {
            bob = true;
            cr_assert_str_eq(h.owner[i].group, "outbound");
            cr_assert_eq(h.owner[i].start_h, -72.0);
            cr_assert_eq(h.owner[i].end_h, 4 * 24.0);
        }
    cr_assert(bob);
    done(du, &a);
    done(d, &h);
}

Test(import, cp1251_without_a_map_is_an_error)
{
    char *dir = harness_tmpdir();
    char *out = harness_path(dir, "out");
    struct harness_result r;
    HARNESS_RUN(&r, "import", FIX "cp1251.csv", "--out", out);
    HARNESS_ASSERT_ERROR(&r, 2, "cp1251.csv line 1", "not UTF-8", "encoding");
    harness_free(&r);
    free(out);
    harness_rmtree(dir);
    free(dir);
}

Test(import, empty_cells_and_derived_statuses)
{
    struct history h;
    cJSON *j;
    char *d = import_ok(&(struct expect){.file = "empty_cells.csv", .rows = 9, .parsed = 6,
                                         .skipped = 3,
                                         .problems = {"leads:3:empty_lead_id",
                                                      "leads:4:no_created_at",
                                                      "leads:9:bad_number"}},
                        &h, &j);
    cr_assert_eq(lead(&h, "1")->status, HISTORY_OPEN);
    cr_assert_eq(lead(&h, "1")->channel, HISTORY_NONE);
    cr_assert_eq(lead(&h, "4")->status, HISTORY_LOST, "closed after a contact");
    cr_assert_eq(lead(&h, "4")->reason, HISTORY_REASON_OTHER);
    cr_assert_eq(lead(&h, "5")->status, HISTORY_DISQUALIFIED, "closed, never contacted");
    cr_assert_eq(lead(&h, "6")->status, HISTORY_LOST, "a reason given");
    cr_assert_eq(lead(&h, "6")->attempts, 2);
    cr_assert_eq(lead(&h, "7")->status, HISTORY_WON, "a value given");
    cr_assert_eq(lead(&h, "9")->status, HISTORY_OPEN, "a short row: the rest empty");
    cr_assert_eq(num(j, "status_derived"), 6);
    cJSON_Delete(j);
    done(d, &h);
}

Test(import, duplicate_ids_first_kept)
{
    struct history h;
    cJSON *j;
    char *d = import_ok(&(struct expect){.file = "duplicates.csv", .rows = 6, .parsed = 3,
                                         .skipped = 3,
                                         .problems = {"leads:4:duplicate_lead_id",
                                                      "leads:5:duplicate_lead_id",
                                                      "leads:6:bad_date"}},
                        &h, &j);
    cr_assert_eq(num(j, "duplicates"), 2);
    cr_assert_eq(lead(&h, "A1")->status, HISTORY_WON, "the first A1");
    cr_assert_eq(lead(&h, "A3")->created_h, 5 * 24.0, "the first readable A3");
    cJSON_Delete(j);
    done(d, &h);
}

Test(import, closing_before_creation)
{
    struct history h;
    char *d = import_ok(&(struct expect){.file = "close_before_create.csv", .rows = 4,
                                         .parsed = 2, .skipped = 2,
                                         .problems = {"leads:2:closed_before_created",
                                                      "leads:3:contact_before_created"}},
                        &h, NULL);
    const struct history_lead *l = lead(&h, "3");
    cr_assert_eq(l->closed_h, l->created_h, "a date alone on the day of creation");
    done(d, &h);
}

Test(import, strptime_date_format_from_the_map)
{
    struct history h;
    char *d = import_ok(&(struct expect){.file = "strptime.csv", .map = "strptime.map.json",
                                         .rows = 3, .parsed = 2, .skipped = 1,
                                         .problems = {"leads:4:bad_date"}},
                        &h, NULL);
    cr_assert_eq(lead(&h, "2")->created_h, 72 + 11.5);
    done(d, &h);
}

Test(import, all_rows_bad_exits_2_and_writes_nothing)
{
    char *dir = harness_tmpdir();
    char *out = harness_path(dir, "out");
    struct harness_result r;
    HARNESS_RUN(&r, "import", FIX "all_bad.csv", "--out", out);
    HARNESS_ASSERT_ERROR(&r, 2, "all_bad.csv", "all 3 rows skipped", "line 2", "bad_date");
    harness_free(&r);
    char *leads = harness_path(out, "leads.csv");
    FILE *fp = fopen(leads, "r");
    cr_assert_null(fp, "nothing written");
    free(leads);
    free(out);
    harness_rmtree(dir);
    free(dir);
}

/* A map file with `text`, imported: exit 2 with each fragment. */
static void bad_map(const char *text, const char *frag1, const char *frag2)
{
    char *dir = harness_tmpdir();
    char *map = harness_path(dir, "map.json"), *out = harness_path(dir, "out");
    FILE *fp = fopen(map, "w");
    fputs(text, fp);
    fclose(fp);
    struct harness_result r;
    HARNESS_RUN(&r, "import", FIX "bom.csv", "--map", map, "--out", out);
    HARNESS_ASSERT_ERROR(&r, 2, frag1, frag2);
    harness_free(&r);
    free(map);
    free(out);
    harness_rmtree(dir);
    free(dir);
}

Test(import, map_errors_name_the_key)
{
    bad_map("{\"colums\": {}}", "map.json: colums", "did you mean \"columns\"");
    bad_map("{\"columns\": {\"lead\": \"ID\"}}", "map.json: columns.lead", "unknown key");
    bad_map("{\"columns\": {\"lead_id\": \"ID\"}}", "bom.csv line 1: no column \"ID\"",
            "columns.lead_id");
    bad_map("{\"status\": {\"Done\": \"wonn\"}}", "map.json: status.Done",
            "did you mean \"won\"");
    bad_map("{\"reasons\": {\"x\": \"junk\"}}", "map.json: reasons.x", "not a reason");
    bad_map("{\"timezone\": \"Europe/Moscow\"}", "map.json: timezone", "fixed offset");
    bad_map("{\"encoding\": \"no-such-enc\"}", "map.json: encoding", "iconv");
    bad_map("{\"delimiter\": \";;\"}", "map.json: delimiter", "one character");
    bad_map("{\"columns\": ", "map.json line 1", "not valid JSON");
}

Test(import, usage_errors)
{
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("import", FIX "bom.csv"), "--out DIR");
    HARNESS_ASSERT_USAGE(HARNESS_ARGS("import", "--out", "/tmp/x"), "one LEADS.csv");
    char *dir = harness_tmpdir();
    char *out = harness_path(dir, "out");
    struct harness_result r;
    HARNESS_RUN(&r, "import", FIX "no-such-file.csv", "--out", out);
    HARNESS_ASSERT_ERROR(&r, 2, "no-such-file.csv", "cannot open");
    harness_free(&r);
    free(out);
    harness_rmtree(dir);
    free(dir);
}

/* ---- a lead log ---------------------------------------------------------------- */

/* Replaces every `outcome` cell of the log with "x". */
static void scramble_outcome(const char *from, const char *to)
{
    char *text = harness_read_file(from, NULL);
    cr_assert_not_null(text);
    FILE *fp = fopen(to, "w");
    char *save = NULL;
    int col = -1;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[32];
        int n = 0;
        for (char *p = line; n < 32;) {
            f[n++] = p;
            char *c = strchr(p, ',');
            if (!c)
                break;
            *c = '\0';
            p = c + 1;
        }
        for (int i = 0; i < n; i++) {
            if (col < 0 && strcmp(f[i], "outcome") == 0)
                col = i;
            fprintf(fp, "%s%s", i ? "," : "", i == col && strcmp(f[i], "outcome") ? "x" : f[i]);
        }
        fputc('\n', fp);
    }
    fclose(fp);
    free(text);
    cr_assert_geq(col, 0, "the log has an outcome column");
}

Test(import, leadlog_replication_without_outcome)
{
    char *dir = harness_tmpdir();
    char *log = harness_path(dir, "log.csv"), *log2 = harness_path(dir, "log2.csv");
    char *o1 = harness_path(dir, "o1"), *o2 = harness_path(dir, "o2");
    struct harness_result r;
    HARNESS_RUN(&r, "run", FUNNELSIM_SRCDIR "/scenarios/default.json", "--reps", "2", "--set",
                "start_date=2025-01-08", "--set", "horizon_days=56", "--quiet", "--leads", log);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    scramble_outcome(log, log2);
    HARNESS_RUN(&r, "import", log, "--replication", "1", "--out", o1);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    HARNESS_RUN(&r, "import", log2, "--replication", "1", "--out", o2);
    harness_assert_exit(&r, 0);
    harness_free(&r);
    char *p1 = harness_path(o1, "leads.csv"), *p2 = harness_path(o2, "leads.csv");
    char *a = harness_read_file(p1, NULL), *b = harness_read_file(p2, NULL);
    cr_assert_str_eq(a, b, "the outcome column is never read: %s", harness_first_difference(a, b));
    /* the log's rows of replication 1, all there */
    char *text = harness_read_file(log, NULL);
    size_t rows = 0;
    for (char *p = text; (p = strstr(p, "\n1,")) != NULL; p++)
        rows++;
    struct history h;
    struct sim_err err = {0};
    cr_assert_eq(history_load(o1, &h, &err), SIM_OK, "%s", err.msg);
    cr_assert_eq(h.n, rows);
    cr_assert(h.origin.dated);
    cr_assert_eq(h.origin.date, sim_date_from_ymd(2025, 1, 8), "the log's day 0, not a Monday");
    HARNESS_RUN(&r, "import", log, "--map", FIX "cyrillic.map.json", "--out", o2);
    HARNESS_ASSERT_ERROR(&r, 2, "built-in map");
    harness_free(&r);
    history_free(&h);
    free(text);
    free(a);
    free(b);
    free(p1);
    free(p2);
    free(log);
    free(log2);
    free(o1);
    free(o2);
    harness_rmtree(dir);
    free(dir);
}
