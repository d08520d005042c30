/*
 * plot_file.h - the paths the charts build, and the files they read.
 *
 * Concept: everything plots/ reads (the result files, the SVG charts the
 * report inlines) is named by a directory and a file name in it, and read
 * whole into memory.  This module joins the two and reads the file; the
 * modules above it decide what the text means.  (Files are written
 * through sim/file.h, whole or not at all.)
 *
 * Invariants:
 *   - a path is never truncated: one that does not fit its buffer is
 *     refused with a message naming it, because a truncated path names
 *     another file;
 *   - a message shows a long path by its start and its end
 *     (plot_file_brief), since sim_err holds 512 bytes;
 *   - no file larger than PLOT_FILE_MAX is read, nor memory allocated for
 *     one: a regular file's size is checked before reading (a sparse file
 *     of a terabyte costs nothing to refuse), and what has no size (a
 *     FIFO) or grows while read is read no further than the limit.
 *
 * The limit, 64 MiB: the largest file funnelsim writes is sweep.json at
 * its most points (10,000, the sweep's limit, PLOT_LOAD_MAX_POINTS): 23.3
 * MB measured for a 10,000-point sweep of scenarios/default.json.  A point
 * holds about 115 numbers; were every one printed in its longest form (24
 * characters, -2.2250738585072014e-308) the file would stay under 43 MiB.
 * The others are much smaller: result.json a few KiB; measures.json (9
 * steps at most) and compare.json (64 scenarios) under 1 MiB; the series
 * CSVs, means over the replications (so their size does not grow with
 * them) of at most 3,650 days, under 200 KiB; an SVG chart of 10,000
 * points about 2.4 MB.  64 MiB leaves room for half as many metrics again,
 * and bounds what loading costs: the text, then cJSON's tree of it.
 *
 * Ownership: plot_file_read() returns memory the caller frees.  Out of
 * memory stops the program (sim/mem.h).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef PLOTS_PLOT_FILE_H
#define PLOTS_PLOT_FILE_H

#include <stddef.h>

#include "sim/err.h"
#include "sim/file.h"

/* The largest file read, in MiB and in bytes (see the top). */
#define PLOT_FILE_MAX_MIB 64
#define PLOT_FILE_MAX ((size_t)PLOT_FILE_MAX_MIB << 20)

/* A path in a message: its first HEAD characters, "...", its last TAIL. */
#define PLOT_FILE_BRIEF_HEAD 160
#define PLOT_FILE_BRIEF_TAIL 60
/* A buffer that holds any brief path. */
#define PLOT_FILE_BRIEF_SIZE (PLOT_FILE_BRIEF_HEAD + PLOT_FILE_BRIEF_TAIL + 8)

/* dir/name into buf; SIM_ERR_RUNTIME, with a message naming the path,
 * when it does not fit (buf is then ""): a path is never truncated.  err
 * may be NULL. */
int plot_file_path(char *buf, size_t n, const char *dir, const char *name,
                   struct sim_err *err);

/* path for a message into buf: whole when short, else its start and its
 * end around "...".  Returns buf. */
const char *plot_file_brief(char *buf, size_t n, const char *path);

/* The whole of dir/name, NUL-terminated (its length in *len when len is
 * not NULL), or NULL with errno set: ENOENT and the like from fopen(),
 * ENAMETOOLONG when the path does not fit, EFBIG when the file holds more
 * than PLOT_FILE_MAX bytes, EIO when reading fails.  Caller frees. */
char *plot_file_read(const char *dir, const char *name, size_t *len);

#endif
