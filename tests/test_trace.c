/*
 * test_trace.c - `kind: "trace"` channels replay a CSV file's arrival
 * timestamps (models/trace.h, docs/model.md "Arrivals").
 *
 * A scenario and its trace are written to a fresh directory (the file
 * named relative to the scenario); the rows mix the accepted forms (date,
 * date-time with T or a space, with and without seconds), lie in random
 * order and partly outside [day 0, horizon) (before start_date, past the
 * horizon, one exactly at it).  The test computes, by its own arithmetic
 * from the text, which rows are in and their hours; the lead log's
 * created_h of each replication must be exactly those (to the log's 1e-9
 * hours), and result.json's traces[] must count the rows, the replayed
 * and the ignored ones.  Bad files (no start_date, a bad timestamp on line
 * 4, a missing file) are tests/bad/71..73, refused by validate and run.
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

#include "sim/date.h"
#include "tests/cli_harness.h"

#define ROWS 600
#define START "2026-03-02"
#define HORIZON_DAYS 40

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A small linear congruential generator: the rows are the test's, fixed. */
static uint32_t next_u(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

/* Writes dir/s.json and dir/arr.csv; the hours of the rows in the horizon
 * into in[] (sorted), their count returned. */
static size_t write_case(const char *dir, double *in)
{
    char *csv = harness_path(dir, "arr.csv"), *json = harness_path(dir, "s.json");
    FILE *f = fopen(csv, "w");
    cr_assert_not_null(f);
    fprintf(f, "lead_id,source,created_at\n");
    int32_t day0 = sim_date_from_ymd(2026, 3, 2);
    uint32_t s = 12345;
    size_t n = 0;
    for (unsigned i = 0; i < ROWS; i++) {
        /* days -5 .. HORIZON_DAYS + 4 from day 0; the last rows pin the
         * edges: day 0 00:00 (in) and the horizon's first second (out) */
        int64_t sec = (int64_t)(next_u(&s) % ((HORIZON_DAYS + 10) * 86400u)) - 5 * 86400;
        if (i == ROWS - 2)
            sec = 0;
        if (i == ROWS - 1)
            sec = (int64_t)HORIZON_DAYS * 86400;
        unsigned form = i % 4;
        if (form == 0)
            sec -= sec - (sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400)) * 86400;
        if (form == 3)
            sec -= ((sec % 60) + 60) % 60;      /* HH:MM: whole minutes */
        int64_t d = sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
        int64_t r = sec - d * 86400;
        char date[SIM_DATE_TEXT];
        sim_date_format((int32_t)(day0 + d), date);
        if (form == 0)
            fprintf(f, "%u,web,%s\n", i, date);
        else if (form == 1)
            fprintf(f, "%u,web,%sT%02d:%02d:%02d\n", i, date, (int)(r / 3600),
                    (int)(r / 60 % 60), (int)(r % 60));
        else if (form == 2)
            fprintf(f, "%u,\"web, paid\",\"%s %02d:%02d:%02d\"\n", i, date, (int)(r / 3600),
                    (int)(r / 60 % 60), (int)(r % 60));
        else
            fprintf(f, "%u,web,%sT%02d:%02d\n", i, date, (int)(r / 3600), (int)(r / 60 % 60));
        double h = (double)sec / 3600.0;
        if (h >= 0.0 && h < HORIZON_DAYS * 24.0)
            in[n++] = h;
    }
    fclose(f);
    qsort(in, n, sizeof *in, cmp_double);
    f = fopen(json, "w");
    cr_assert_not_null(f);
    fprintf(f, "{\"name\": \"trace\", \"start_date\": \"" START "\", \"horizon_days\": %d,\n"
               " \"warmup_days\": 0, \"calendar\": {\"mode\": \"business\"},\n"
               " \"channels\": [{\"name\": \"crm\", \"fit_share\": 0.8,\n"
               "   \"arrivals\": {\"kind\": \"trace\", \"file\": \"arr.csv\"}}],\n"
               " \"team\": [{\"name\": \"all\", \"count\": 2}]}\n", HORIZON_DAYS);
    fclose(f);
    free(csv);
    free(json);
    return n;
}

Test(trace, replays_the_files_timestamps_exactly)
{
    char *dir = harness_tmpdir();
    double *in = calloc(ROWS, sizeof *in);
    size_t n_in = write_case(dir, in);
    cr_assert(n_in > ROWS / 2 && n_in < ROWS, "some rows in, some out (%zu)", n_in);
    char *json = harness_path(dir, "s.json"), *log = harness_path(dir, "log.csv");
    struct harness_result r;
    HARNESS_RUN(&r, "run", json, "--reps", "2", "--format", "json", "--leads", log);
    harness_assert_exit(&r, 0);
    char note[64];
    snprintf(note, sizeof note, "%zu of the %d rows of arr.csv", (size_t)ROWS - n_in, ROWS);
    cr_expect(harness_contains(r.err, note), "the note on stderr: %s", r.err);

    cJSON *root = cJSON_Parse(r.out);
    cr_assert_not_null(root);
    const cJSON *t = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "traces"), 0);
    cr_assert_not_null(t, "result.json has traces[0]");
    cr_expect_eq(cJSON_GetObjectItem(t, "rows")->valuedouble, ROWS);
    cr_expect_eq(cJSON_GetObjectItem(t, "replayed")->valuedouble, (double)n_in);
    cr_expect_eq(cJSON_GetObjectItem(t, "outside")->valuedouble, (double)(ROWS - n_in));
    cJSON_Delete(root);

    /* Every replication creates exactly the rows in the horizon. */
    char *text = harness_read_file(log, NULL);
    cr_assert_not_null(text);
    char *save = NULL, *line = strtok_r(text, "\n", &save);
    double *got = calloc(ROWS, sizeof *got);
    size_t n = 0;
    long rep = 0;
    while (true) {
        line = strtok_r(NULL, "\n", &save);
        long lr = line ? atol(line) : rep + 1;
        if (lr != rep) {
            cr_assert_eq(n, n_in, "replication %ld: %zu leads, the file has %zu in the horizon",
                         rep, n, n_in);
            qsort(got, n, sizeof *got, cmp_double);
            for (size_t i = 0; i < n; i++)
                cr_assert(fabs(got[i] - in[i]) <= 1e-9, "replication %ld, arrival %zu: %.9f "
                          "h, the file says %.9f h", rep, i, got[i], in[i]);
            n = 0;
            rep = lr;
        }
        if (line == NULL)
            break;
        /* replication,lead,channel,created_h,... */
        char *p = line;
        for (int k = 0; k < 3; k++)
            p = strchr(p, ',') + 1;
        cr_assert_lt(n, ROWS);
        got[n++] = strtod(p, NULL);
    }
    cr_expect_eq(rep, 2, "two replications");
    free(text);
    free(got);
    harness_free(&r);

    /* --quiet: no note. */
    HARNESS_RUN(&r, "run", json, "--reps", "1", "--quiet");
    harness_assert_exit(&r, 0);
    cr_expect(!harness_contains(r.err, "outside"), "%s", r.err);
    harness_free(&r);
    harness_rmtree(dir);
    free(in);
    free(json);
    free(log);
    free(dir);
}

/* A sweep compiles the scenario once a point and replays the same rows:
 * every point creates the leads of the horizon. */
Test(trace, a_sweep_replays_it_at_every_point)
{
    char *dir = harness_tmpdir();
    double *in = calloc(ROWS, sizeof *in);
    size_t n_in = write_case(dir, in);
    char *json = harness_path(dir, "s.json");
    struct harness_result a, b;
    HARNESS_RUN(&a, "run", json, "--reps", "2", "--quiet", "--format", "json");
    harness_assert_exit(&a, 0);
    HARNESS_RUN(&b, "sweep", json, "--vary", "team[0].count", "--from", "2", "--to", "3",
                "--steps", "2", "--reps", "2", "--quiet", "--format", "json");
    harness_assert_exit(&b, 0);
    cJSON *run = cJSON_Parse(a.out), *sweep = cJSON_Parse(b.out);
    cr_assert(run && sweep);
    cr_expect_eq(cJSON_GetObjectItem(run, "leads_generated")->valuedouble, 2.0 * n_in,
                 "two replications of the rows in the horizon");
    char *text = cJSON_PrintUnformatted(sweep);
    char want[64];
    snprintf(want, sizeof want, "\"leads_generated\":%zu", 2 * n_in);
    cr_expect(harness_contains(text, want), "every point: %s in %.300s", want, text);
    free(text);
    cJSON_Delete(run);
    cJSON_Delete(sweep);
    harness_free(&a);
    harness_free(&b);
    harness_rmtree(dir);
    free(in);
    free(json);
    free(dir);
}
