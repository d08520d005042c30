/*
 * file.h - output files that appear whole or not at all.
 *
 * A file is written under a temporary name (".NAME.XXXXXX") in its final
 * directory, then flushed, synced and renamed over NAME.  rename(2) is
 * atomic within a directory, so a reader (or a user after Ctrl-C, a full
 * disk or a crash) sees either the old file or the complete new one, never
 * half of either.  Any failure removes the temporary and is reported with
 * the file's name and the system's reason.
 *
 * Both the program (cli/) and the charts (plots) write their files this
 * way; it sits here, below both, because it needs nothing but libc.
 *
 * Ownership: the caller owns struct sim_file (usually on its stack);
 * sim_file_commit() or sim_file_discard() ends its life.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_FILE_H
#define SIM_FILE_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/err.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

struct sim_file {
    FILE *fp;                   /* write here between open and commit */
    char path[PATH_MAX];        /* the final name */
    char tmp[PATH_MAX];         /* where it is written until committed */
};

/* Creates DIR/.NAME.XXXXXX for writing.  SIM_ERR_INPUT for a path too
 * long, SIM_ERR_RUNTIME when the file cannot be created. */
int sim_file_open(struct sim_file *f, const char *dir, const char *name,
                  struct sim_err *err);

/* Flushes, syncs and renames into place; on any failure removes the
 * temporary and returns SIM_ERR_RUNTIME. */
int sim_file_commit(struct sim_file *f, struct sim_err *err);

/* Closes and removes the temporary. */
void sim_file_discard(struct sim_file *f);

/* Writes `text` to DIR/NAME through a temporary. */
int sim_file_write_text(const char *dir, const char *name, const char *text,
                        struct sim_err *err);

/* The 64-bit FNV-1a hash: h (start from SIM_FILE_FNV_START) extended by
 * the n bytes at p.  A check that a file is the one a manifest lists, not
 * a defence against a forger. */
#define SIM_FILE_FNV_START 0xcbf29ce484222325ull
uint64_t sim_file_fnv1a(uint64_t h, const void *p, size_t n);

/* The FNV-1a hash and the size of the file at `path`.  0, or -1 with
 * errno set when it cannot be read. */
int sim_file_hash(const char *path, uint64_t *hash, uint64_t *bytes);

#endif
