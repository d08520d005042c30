/*
 * plot_origin.h - whether a result directory's files come from one run.
 *
 * Concept: every command that writes --out DIR (run, sweep, size,
 * compare) leaves DIR/run.json, its manifest: the run id, the command,
 * its arguments and scenarios, and each file it wrote with its size and
 * 64-bit FNV-1a hash; its JSON results carry the same "run_id".  Charts
 * drawn from files of two runs would show one run's title over another's
 * numbers, so before drawing, plot_origin_check() compares what DIR holds
 * with its manifest.
 *
 * Invariants:
 *   - plot_origin_result_files[] lists every result file the commands
 *     write (NULL-terminated); a file of that list in DIR must be listed
 *     in run.json with the same size and hash, and a JSON one must carry
 *     run.json's run id;
 *   - a directory without run.json (written before manifests existed) is
 *     charted with a warning, unless its JSON files carry different run
 *     ids, which is refused all the same;
 *   - run.json is bounded like every result file (plot_file.h).
 *
 * Ownership: nothing is kept; the caller owns the directory name.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef PLOTS_PLOT_ORIGIN_H
#define PLOTS_PLOT_ORIGIN_H

#include <stdbool.h>
#include <stdio.h>

#include "sim/err.h"

/* The manifest's name in a result directory. */
#define PLOT_ORIGIN_MANIFEST "run.json"

extern const char *const plot_origin_result_files[];

/* name is one of plot_origin_result_files[]. */
bool plot_origin_is_result(const char *name);

/* SIM_OK when DIR's result files come from one run (a warning on `warn`,
 * when not NULL, if DIR has no manifest); SIM_ERR_INPUT naming the file
 * that does not belong, or a malformed run.json; SIM_ERR_RUNTIME when a
 * file cannot be read. */
int plot_origin_check(const char *dir, FILE *warn, struct sim_err *err);

#endif
