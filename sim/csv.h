/*
 * csv.h - the one CSV writer: every CSV file the program writes goes
 * through it.
 *
 * Concept: a row is written field by field; the writer puts the comma
 * between fields and the line end after the last.  Text fields follow
 * RFC 4180: a field holding a comma, a double quote, CR or LF is written
 * in double quotes, with each double quote in it doubled; any other field
 * is written as it is, so headers and plain names look as before.  Number
 * fields are written without quotes; a value that is not finite is an
 * empty field (an undefined bound, say).  Unsigned integers (seeds,
 * counts) are written exactly, in decimal.
 *
 * Invariants: fields of a row are separated by exactly one comma; every
 * row ends with "\n" (LF, as the files have always been written: RFC 4180
 * readers accept it); a text field read back by an RFC 4180 reader is the
 * same bytes as written.
 *
 * Ownership: a struct sim_csv borrows its FILE; it allocates nothing and
 * needs no cleanup.  Write errors are the FILE's (checked where the file is
 * committed or standard output flushed).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_CSV_H
#define SIM_CSV_H

#include <stdio.h>

struct sim_csv {
    FILE *fp;
    unsigned col;       /* fields written in the current row */
};

/* A writer on `fp`, at the start of a row. */
struct sim_csv sim_csv_on(FILE *fp);

/* A text field, quoted when it needs to be. */
void sim_csv_text(struct sim_csv *w, const char *s);

/* A number with `digits` significant digits (%.Ng); empty when not finite. */
void sim_csv_real(struct sim_csv *w, double x, int digits);

/* sim_csv_real() with 10 digits: the precision of result files. */
void sim_csv_number(struct sim_csv *w, double x);

/* A count: a whole number up to 2^53 in full ("%.0f", never "1e+15");
 * anything else as sim_csv_number(). */
void sim_csv_whole(struct sim_csv *w, double x);

/* An exact unsigned integer. */
void sim_csv_uint(struct sim_csv *w, unsigned long long u);

/* An empty field. */
void sim_csv_empty(struct sim_csv *w);

/* Ends the row. */
void sim_csv_end(struct sim_csv *w);

#endif
