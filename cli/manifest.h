/*
 * manifest.h - one run per output folder: the lock, the refusal of
 * another run's files, --overwrite, and DIR/run.json.
 *
 * Concept: a command that writes --out DIR (run, sweep, size, compare)
 * claims DIR before any long work (manifest_claim(), from
 * out_prepare_dir()): it takes DIR's lock (sim/dirlock.h), so a second
 * command on DIR fails at once naming the first; it refuses a DIR that
 * holds another run's files (run.json, a result file, a chart or
 * report.html) unless --overwrite is given, which removes them once the
 * new files are ready to be written (manifest_clear()).
 * When its files are written, out_emit() writes DIR/run.json last
 * (manifest_write()): the run id, command, arguments, --set overrides,
 * scenario files with their FNV-1a hashes, seed, version, start and end
 * times and the files written, each with its size and hash.  The JSON
 * results carry the same "run_id" (manifest_run_id()), so plot can tell
 * (plots/plot_origin.h).
 *
 * Invariants:
 *   - one command per process: the state here is the process's, set by
 *     main() (manifest_command()) and cli_load() (manifest_scenario());
 *   - the lock is held from the claim to the process's end (released at
 *     exit, and by the kernel however the process ends);
 *   - --overwrite removes only files funnelsim writes (those listed in
 *     the old run.json, the result files, the charts' files, report.html,
 *     run.json), never anything else in DIR.
 *
 * Ownership: nothing is handed out but manifest_run_id()'s static text.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CLI_MANIFEST_H
#define CLI_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

/* The command's name and arguments (after the name), and its start. */
void manifest_command(const char *name, int argc, char **argv);

/* A scenario file the command loaded, with its seed after overrides. */
void manifest_scenario(const char *path, uint64_t seed);

/* Locks DIR and, unless `overwrite`, makes sure it holds no other run's
 * files.  SIM_ERR_RUNTIME when DIR is locked by another process;
 * SIM_ERR_INPUT when it holds another run's files. */
int manifest_claim(const char *dir, bool overwrite, struct sim_err *err);

/* With --overwrite, removes the old run's files from DIR: called when
 * the new files are about to be written, so that a run that fails or is
 * interrupted before it has results leaves the old run as it was. */
int manifest_clear(const char *dir, struct sim_err *err);

struct cJSON;
struct scn_doc;

/* Adds to a result document (sweep.json, result.json, compare.json,
 * measures.json) what the charts and the report need of how it ran,
 * so that `plot DIR` needs no scenario (a pure function of the
 * overrides: `--seed 7` and `--set seed=7` record the same):
 *   "target_junk"  the target the run measured against: the scenario's
 *                  report.target_junk after every override (--target-junk
 *                  is one);
 *   "overrides"    one {"key", "value", "label"} per override in the
 *                  order given (--reps, --seed and --target-junk as the
 *                  sets they stand for): the path and the value as typed,
 *                  and the key table's label with the element's name from
 *                  `doc` ("managers in group 'sdrs'"). */
void manifest_settings_json(struct cJSON *obj, const struct scn_doc *doc, double target_junk,
                            const char *const *sets, size_t n_sets);

/* This run's id: "YYYYMMDDTHHMMSSZ-" and 16 hex digits. */
const char *manifest_run_id(void);

/* Writes DIR/run.json, listing the result files now in DIR and the
 * overrides applied to the scenarios (--set, --reps and --seed as sets);
 * `partial` when the results cover only part of the work (an
 * interrupt). */
int manifest_write(const char *dir, const char *const *sets, size_t n_sets, bool partial,
                   struct sim_err *err);

#endif
