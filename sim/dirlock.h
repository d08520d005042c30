/*
 * dirlock.h - one writer at a time in an output directory.
 *
 * Concept: a command that writes into a directory first takes its lock,
 * DIR/.funnelsim.lock, a POSIX record lock (fcntl F_SETLK, a write lock
 * on the whole file).  The file holds the holder's pid and what it is
 * doing ("run scenarios/default.json --out DIR"), so a second writer is
 * told who holds the directory.  Taking the lock never waits: a directory
 * in use is an error at once.
 *
 * Invariants:
 *   - the kernel drops a record lock when its process ends, however it
 *     ends (exit, a signal, SIGKILL): a lock file left behind by a dead
 *     process holds no lock and blocks no one;
 *   - the holder removes the lock file while it still holds the lock; a
 *     taker checks, once it holds the lock, that the file it locked is
 *     still the one at DIR/.funnelsim.lock and starts again when it is
 *     not, so two processes never both believe they hold it;
 *   - record locks belong to the process, not to the descriptor: a
 *     process takes a directory's lock once, and nothing else in it opens
 *     the lock file (closing any descriptor of it would drop the lock).
 *
 * Ownership: struct sim_dirlock is the caller's; sim_dirlock_release()
 * ends it (and does nothing on one not held).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_DIRLOCK_H
#define SIM_DIRLOCK_H

#include <stdbool.h>

#include "sim/err.h"
#include "sim/file.h"

#define SIM_DIRLOCK_NAME ".funnelsim.lock"

struct sim_dirlock {
    int fd;                     /* the locked file while held */
    bool held;
    bool busy;                  /* after a failed take: another process holds it */
    char path[PATH_MAX];
};

/* Takes DIR's lock, writing "PID WHAT\n" into it (when the disk has room:
 * the line is for messages, the lock holds without it).  SIM_ERR_RUNTIME when
 * another process holds it (l->busy; the message names DIR, the holder's
 * pid and what it wrote there) or when the file cannot be created or
 * locked; SIM_ERR_INPUT when the path is too long. */
int sim_dirlock_take(struct sim_dirlock *l, const char *dir, const char *what,
                     struct sim_err *err);

/* Removes the lock file and drops the lock; nothing when not held. */
void sim_dirlock_release(struct sim_dirlock *l);

#endif
