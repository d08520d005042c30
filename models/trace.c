/* SPDX-License-Identifier: MIT */
#include "trace.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/csvin.h"
#include "sim/date.h"
#include "sim/mem.h"
#include "sim/schema.h"

/* The traces read so far, newest first; never freed (see trace.h). */
struct entry {
    struct trace t;
    struct entry *next;
};

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *table;

/* A load in progress. */
struct load {
    const char *path, *column;
    long col;                   /* the column's index; -1 before the header */
    int64_t *sec;
    size_t n, cap;
};

static int on_row(void *ctx, const struct sim_csvin_row *row, struct sim_err *err)
{
    struct load *l = ctx;
    char shown[80];
    if (l->col < 0) {
        for (size_t i = 0; i < row->n; i++)
            if (strcmp(row->field[i], l->column) == 0) {
                l->col = (long)i;
                return SIM_OK;
            }
        char header[160] = "";
        for (size_t i = 0; i < row->n && strlen(header) < 120; i++) {
            sim_schema_clean(shown, sizeof shown, row->field[i], 40);
            snprintf(header + strlen(header), sizeof header - strlen(header), "%s%s",
                     i ? ", " : "", shown);
        }
        sim_schema_clean(shown, sizeof shown, l->column, 40);
        return sim_err_set(err, SIM_ERR_INPUT, "%s line %lu: the header has no column \"%s\" "
                           "(it has: %s)", l->path, row->line, shown, header);
    }
    if ((size_t)l->col >= row->n)
        return sim_err_set(err, SIM_ERR_INPUT, "%s line %lu: the row ends before column "
                           "\"%s\"", l->path, row->line, l->column);
    const char *v = row->field[l->col];
    int64_t s;
    char why[200];
    if (*v == '\0') {
        return sim_err_set(err, SIM_ERR_INPUT, "%s line %lu: column \"%s\" is empty: every "
                           "row of a trace is an arrival and needs its timestamp", l->path,
                           row->line, l->column);
    }
    if (!sim_date_parse_seconds(v, &s, why, sizeof why)) {
        sim_schema_clean(shown, sizeof shown, v, 40);
        return sim_err_set(err, SIM_ERR_INPUT, "%s line %lu: column \"%s\": \"%s\": %s",
                           l->path, row->line, l->column, shown, why);
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 1024;
        l->sec = sim_reallocarray(l->sec, l->cap, sizeof *l->sec);
    }
    l->sec[l->n++] = s;
    return SIM_OK;
}

static int cmp_sec(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Reads the file; the entry on success. */
static struct entry *load(const char *path, const char *column, struct sim_err *err)
{
    struct load l = {.path = path, .column = column, .col = -1};
    int rc = sim_csvin_file(path, path, NULL, on_row, &l, NULL, err);
    if (rc == SIM_OK && l.col < 0)
        rc = sim_err_set(err, SIM_ERR_INPUT, "%s: empty: a trace needs a header with "
                         "column \"%s\"", path, column);
    if (rc != SIM_OK) {
        free(l.sec);
        return NULL;
    }
    qsort(l.sec, l.n, sizeof *l.sec, cmp_sec);
    struct entry *e = sim_calloc(1, sizeof *e);
    e->t = (struct trace){.path = sim_strdup(path), .column = sim_strdup(column), .n = l.n,
                          .sec = l.sec};
    return e;
}

int trace_get(const char *path, const char *column, const struct trace **out,
              struct sim_err *err)
{
    pthread_mutex_lock(&table_lock);
    struct entry *e = table;
    while (e != NULL && (strcmp(e->t.path, path) != 0 || strcmp(e->t.column, column) != 0))
        e = e->next;
    if (e == NULL && (e = load(path, column, err)) != NULL) {
        e->next = table;
        table = e;
    }
    pthread_mutex_unlock(&table_lock);
    if (e == NULL)
        return err != NULL && err->code != SIM_OK ? err->code : SIM_ERR_INPUT;
    *out = &e->t;
    return SIM_OK;
}

size_t trace_lower(const struct trace *t, int64_t s)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->sec[mid] < s)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool trace_resolve(char *buf, size_t n, const char *scenario_path, const char *file)
{
    const char *slash = scenario_path != NULL ? strrchr(scenario_path, '/') : NULL;
    int k;
    if (file[0] == '/' || slash == NULL)
        k = snprintf(buf, n, "%s", file);
    else
        k = snprintf(buf, n, "%.*s/%s", (int)(slash - scenario_path), scenario_path, file);
    return k >= 0 && (size_t)k < n;
}
