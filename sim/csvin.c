/*
 * csvin.c - the CSV reader over libcsv (sim/csvin.h).
 *
 * The input is cut into segments that each end at a line end (LF, CR or
 * the LF of a CRLF) or at the end of a read block, and fed to libcsv one
 * at a time: a row that libcsv closes ends at a line end, so the row after
 * it starts on the next line, which is how rows get their line numbers
 * without libcsv knowing any.
 *
 * SPDX-License-Identifier: MIT
 */
#include "sim/csvin.h"

#include <csv.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sim/mem.h"

#define CSVIN_BLOCK 65536u

struct csvin {
    struct csv_parser p;
    const char *name;
    sim_csvin_row_fn fn;
    void *ctx;
    struct sim_err *err;
    int stop;                   /* non-zero: stop, return this */

    unsigned long line;         /* line being fed */
    unsigned long row_line;     /* line the current row started on */
    bool row_done;              /* no row in progress */
    bool prev_cr;               /* the last byte fed was a CR */
    bool first;                 /* nothing fed yet (BOM, delimiter) */
    char delim;

    /* The current row: its fields' bytes, NUL-terminated, one after another. */
    char *bytes;
    size_t nbytes, capbytes;
    size_t *start;              /* offset of each field in bytes */
    size_t *len;
    char **field;
    size_t nfield;
};

static int csvin_space(unsigned char c)
{
    return c == ' ';
}

static void csvin_field(void *s, size_t n, void *data)
{
    struct csvin *in = data;
    if (in->stop)
        return;
    if (in->nfield == SIM_CSVIN_FIELDS) {
        in->stop = sim_err_set(in->err, SIM_ERR_INPUT,
                               "%s line %lu: more than %u fields in a row", in->name,
                               in->row_line, SIM_CSVIN_FIELDS);
        return;
    }
    if (in->nbytes + n + 1 > in->capbytes) {
        size_t cap = in->capbytes ? in->capbytes : 256;
        while (cap < in->nbytes + n + 1)
            cap *= 2;
        in->bytes = sim_realloc(in->bytes, cap);
        in->capbytes = cap;
    }
    in->start[in->nfield] = in->nbytes;
    in->len[in->nfield] = n;
    if (n > 0)
        memcpy(in->bytes + in->nbytes, s, n);
    in->bytes[in->nbytes + n] = '\0';
    in->nbytes += n + 1;
    in->nfield++;
}

static void csvin_row(int c, void *data)
{
    struct csvin *in = data;
    (void)c;
    if (!in->stop) {
        for (size_t i = 0; i < in->nfield; i++)
            in->field[i] = in->bytes + in->start[i];
        struct sim_csvin_row row = {
            .line = in->row_line, .n = in->nfield, .field = in->field, .len = in->len,
        };
        in->stop = in->fn(in->ctx, &row, in->err);
    }
    in->nfield = 0;
    in->nbytes = 0;
    in->row_done = true;
}

/* The delimiter of the first line: the most frequent of , ; TAB outside
 * quotes; ',' on a tie or when none is there. */
static char csvin_detect(const char *s, size_t n)
{
    size_t count[3] = {0, 0, 0};
    const char cand[3] = {',', ';', '\t'};
    bool quoted = false;
    for (size_t i = 0; i < n && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted)
            for (int k = 0; k < 3; k++)
                count[k] += s[i] == cand[k];
    }
    int best = 0;
    for (int k = 1; k < 3; k++)
        if (count[k] > count[best])
            best = k;
    return cand[best];
}

static int csvin_init(struct csvin *in, const char *name, const struct sim_csvin_opts *opts,
                      sim_csvin_row_fn fn, void *ctx, struct sim_err *err)
{
    memset(in, 0, sizeof *in);
    if (csv_init(&in->p, CSV_APPEND_NULL) != 0)
        return sim_err_set(err, SIM_ERR_RUNTIME, "%s: cannot start the CSV parser", name);
    csv_set_realloc_func(&in->p, sim_realloc);
    csv_set_space_func(&in->p, csvin_space);
    in->name = name;
    in->fn = fn;
    in->ctx = ctx;
    in->err = err;
    in->line = 1;
    in->row_done = true;
    in->first = true;
    in->delim = opts != NULL ? opts->delim : 0;
    in->start = sim_malloc(SIM_CSVIN_FIELDS * sizeof *in->start);
    in->len = sim_malloc(SIM_CSVIN_FIELDS * sizeof *in->len);
    in->field = sim_malloc(SIM_CSVIN_FIELDS * sizeof *in->field);
    return SIM_OK;
}

static void csvin_free(struct csvin *in)
{
    csv_free(&in->p);
    free(in->bytes);
    free(in->start);
    free(in->len);
    free(in->field);
}

/* Feeds one segment (ending at a line end or not) to libcsv. */
static int csvin_segment(struct csvin *in, const char *s, size_t n)
{
    if (in->row_done && (n > 1 || (s[0] != '\n' && s[0] != '\r'))) {
        in->row_line = in->line;
        in->row_done = false;
    }
    if (csv_parse(&in->p, s, n, csvin_field, csvin_row, in) != n && !in->stop)
        return in->stop = sim_err_set(in->err, SIM_ERR_INPUT, "%s line %lu: %s", in->name,
                                      in->line, csv_strerror(csv_error(&in->p)));
    if (!in->stop && csv_get_buffer_size(&in->p) > SIM_CSVIN_FIELD_MAX)
        in->stop = sim_err_set(in->err, SIM_ERR_INPUT,
                               "%s line %lu: a field longer than %u bytes", in->name,
                               in->row_line, SIM_CSVIN_FIELD_MAX);
    return in->stop;
}

/* Feeds a block: segments cut after each line end; lines counted. */
static int csvin_block(struct csvin *in, const char *s, size_t n)
{
    if (in->first) {
        if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;
            n -= 3;
        }
        if (in->delim == 0)
            in->delim = csvin_detect(s, n);
        csv_set_delim(&in->p, (unsigned char)in->delim);
        in->first = false;
    }
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\n' && s[i] != '\r') {
            in->prev_cr = false;
            continue;
        }
        if (csvin_segment(in, s + from, i + 1 - from))
            return in->stop;
        from = i + 1;
        if (s[i] == '\r' || !in->prev_cr)
            in->line++;
        in->prev_cr = s[i] == '\r';
    }
    return from < n ? csvin_segment(in, s + from, n - from) : SIM_OK;
}

static int csvin_finish(struct csvin *in, char *delim_used)
{
    /* libcsv reports an open quote at the end only in its strict mode,
     * which also rejects the stray quotes real exports hold ("5\" screen");
     * its public parser state says it: a quoted field begun (state 2, its
     * FIELD_BEGUN) and never closed. */
    bool open_quote = in->p.quoted && in->p.pstate == 2;
    if (!in->stop && (open_quote || csv_fini(&in->p, csvin_field, csvin_row, in) != 0) &&
        !in->stop)
        in->stop = sim_err_set(in->err, SIM_ERR_INPUT,
                               "%s line %lu: a quoted field is not closed before the end "
                               "of the file", in->name, in->row_line);
    if (delim_used != NULL)
        *delim_used = in->delim != 0 ? in->delim : ',';
    int rc = in->stop;
    csvin_free(in);
    return rc;
}

int sim_csvin_mem(const char *buf, size_t len, const char *name,
                  const struct sim_csvin_opts *opts, sim_csvin_row_fn fn, void *ctx,
                  char *delim_used, struct sim_err *err)
{
    struct csvin in;
    int rc = csvin_init(&in, name, opts, fn, ctx, err);
    if (rc != SIM_OK)
        return rc;
    csvin_block(&in, buf, len);
    return csvin_finish(&in, delim_used);
}

int sim_csvin_file(const char *path, const char *name, const struct sim_csvin_opts *opts,
                   sim_csvin_row_fn fn, void *ctx, char *delim_used, struct sim_err *err)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return sim_err_set(err, errno == ENOENT ? SIM_ERR_INPUT : SIM_ERR_RUNTIME,
                           "%s: cannot open: %s", name, strerror(errno));
    struct csvin in;
    int rc = csvin_init(&in, name, opts, fn, ctx, err);
    if (rc != SIM_OK) {
        fclose(fp);
        return rc;
    }
    char *block = sim_malloc(CSVIN_BLOCK);
    size_t got;
    while (!in.stop && (got = fread(block, 1, CSVIN_BLOCK, fp)) > 0)
        csvin_block(&in, block, got);
    if (!in.stop && ferror(fp))
        in.stop = sim_err_set(err, SIM_ERR_RUNTIME, "%s: cannot read: %s", name, strerror(errno));
    free(block);
    fclose(fp);
    return csvin_finish(&in, delim_used);
}
