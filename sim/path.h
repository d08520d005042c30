/*
 * path.h - a file's path relative to a directory, for files that name
 * other files (a fitted scenario naming the history's trace files).
 *
 * Concept: a path written into a file that is read back from somewhere
 * else should survive moving the two together: "../arrivals-0.csv" from
 * FIT = crm/fit keeps working when crm moves with its fit, an absolute
 * "/home/a/crm/arrivals-0.csv" does not.  The relative path is computed
 * from the real paths of both (realpath(3): no ".", "..", or symbolic
 * link left), so it is the one the kernel follows from the directory,
 * whatever name the directory was reached by.
 *
 * Invariants: on success, from_dir + "/" + the result names the same file
 * as target (the same real path).  When the two share no directory but
 * the root, the result is target's real absolute path: a path that climbs
 * to the root is no more movable than the absolute one, and less readable.
 *
 * Costs: two realpath(3) calls (a system call per component); for files
 * written once, never in a simulation.
 *
 * Ownership: the caller owns every buffer; nothing is allocated here.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_PATH_H
#define SIM_PATH_H

#include <stddef.h>

/* What sim_path_relative() wrote. */
enum sim_path_kind {
    SIM_PATH_FAILED = -1,   /* nothing: errno says why (ENOENT: target or
                               from_dir does not exist; ENAMETOOLONG: n is
                               too small) */
    SIM_PATH_ABSOLUTE = 0,  /* target's real path: only the root in common */
    SIM_PATH_RELATIVE = 1,  /* target relative to from_dir ("." for
                               from_dir itself) */
};

/* The path of `target` (a file or directory that exists) as seen from the
 * existing directory `from_dir`, into buf (n bytes).  Either may be
 * relative to the working directory. */
enum sim_path_kind sim_path_relative(char *buf, size_t n, const char *target,
                                     const char *from_dir);

#endif
