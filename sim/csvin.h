/*
 * csvin.h - the one CSV reader: every CSV file the program reads (trace
 * replay, CRM exports, lead logs) goes through it.  The parsing itself is
 * libcsv's (RFC 4180 quoting, CR, LF and CRLF line ends, quoted fields
 * holding delimiters, quotes and line breaks); this module adds what real
 * exports need around it.
 *
 * Concept: a file is read as a stream of rows; each row is handed to a
 * callback as an array of NUL-terminated fields, with the line of the file
 * the row starts on (1-based; a quoted field spanning lines does not shift
 * the numbers of the rows after it).  The first row is the header when the
 * caller says so; it is a row like any other to this module.
 *
 * What is done before libcsv sees the bytes: a UTF-8 byte order mark at
 * the start is dropped; the delimiter is detected when not given: the one
 * of ',', ';' and TAB that occurs most often outside quotes in the first
 * line (',' on a tie or when none occurs).  Empty lines are skipped (libcsv
 * reports no row for them).  Field bytes are passed as they are: an
 * encoding other than UTF-8 is the caller's to convert.
 *
 * Limits, so that a hostile file cannot take the memory: a field longer
 * than SIM_CSVIN_FIELD_MAX bytes or a row of more than SIM_CSVIN_FIELDS
 * fields stops the read with an error naming the line.  Memory: one row's
 * fields and libcsv's field buffer, whatever the file's length.
 *
 * Errors: SIM_ERR_INPUT with "FILE line N: RULE" (a quote left open at the
 * end, a field too long), SIM_ERR_RUNTIME when the file cannot be opened or
 * read.  A callback that returns non-zero stops the read; that value is
 * returned and `err` is the callback's to fill.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_CSVIN_H
#define SIM_CSVIN_H

#include <stddef.h>

#include "sim/err.h"

#define SIM_CSVIN_FIELD_MAX (1u << 20)  /* bytes in one field */
#define SIM_CSVIN_FIELDS 1024u          /* fields in one row */

struct sim_csvin_row {
    unsigned long line;         /* line of the file the row starts on */
    size_t n;                   /* fields */
    char *const *field;         /* n NUL-terminated fields, valid in the call */
    const size_t *len;          /* their lengths (a field may hold a NUL) */
};

/* Called once per row; non-zero stops the read and is returned. */
typedef int (*sim_csvin_row_fn)(void *ctx, const struct sim_csvin_row *row, struct sim_err *err);

struct sim_csvin_opts {
    char delim;                 /* ',', ';', '\t', ...; 0: detect */
};

/* Reads `path` row by row.  `name` is how errors call the file (the path
 * the user gave, say).  The delimiter used is stored in *delim_used when
 * not NULL.  SIM_OK at the end of the file. */
int sim_csvin_file(const char *path, const char *name, const struct sim_csvin_opts *opts,
                   sim_csvin_row_fn fn, void *ctx, char *delim_used, struct sim_err *err);

/* The same over `len` bytes in memory (fuzzing, tests, uploads). */
int sim_csvin_mem(const char *buf, size_t len, const char *name,
                  const struct sim_csvin_opts *opts, sim_csvin_row_fn fn, void *ctx,
                  char *delim_used, struct sim_err *err);

#endif
