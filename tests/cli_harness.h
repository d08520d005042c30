/*
 * cli_harness.h - running the real funnelsim binary from the tests.
 *
 * The command-line tests (test_cli.c) check the program as a user meets
 * it: exit status, standard output and standard error of the installed
 * binary (FUNNELSIM_BIN), never its functions.  harness_run() starts the
 * binary with fork and execv (no shell, so arguments need no quoting),
 * with standard input from /dev/null and the working directory set to the
 * checkout (FUNNELSIM_SRCDIR), so relative paths such as
 * "scenarios/validation-erlang-a.json" mean what they mean to a user
 * there.  Both streams are read through pipes as they come, so a child
 * that writes a lot cannot block on a full pipe.
 *
 * A child that runs past its deadline (HARNESS_TIMEOUT_S) is killed with
 * SIGKILL and the result says so (timed_out): a hang is a failure, not a
 * stuck test suite.
 *
 * Also here: temporary directories (made with mkdtemp under /tmp and
 * removed with everything in them) and reading a whole file.
 *
 * Ownership: harness_free() releases what harness_run() captured; the
 * strings from harness_tmpdir() and harness_read_file() are the caller's
 * to free().
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef TESTS_CLI_HARNESS_H
#define TESTS_CLI_HARNESS_H

#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

/* Seconds a single run of the binary may take before it is killed. */
#ifndef HARNESS_TIMEOUT_S
#define HARNESS_TIMEOUT_S 60
#endif

/* What one run of the binary did. */
struct harness_result {
    int exit_code;          /* the exit status; -1 when it did not exit */
    int signal;             /* the signal that ended it, 0 when it exited */
    bool timed_out;         /* killed by the harness at the deadline */
    char *out;              /* standard output, NUL-terminated */
    size_t out_len;         /* its length (it may hold NULs) */
    char *err;              /* standard error, NUL-terminated */
    size_t err_len;
};

/* Runs FUNNELSIM_BIN with the arguments `args` (NULL-terminated; the
 * program name is added).  Returns 0 once the child has ended (whatever
 * its status), -1 when it could not be started or watched (errno set,
 * *r zeroed).  Call harness_free() in both cases. */
int harness_runv(struct harness_result *r, const char *const *args);

/* harness_runv() with standard output sent to the file `stdout_path`
 * (opened for writing, not created: "/dev/full" tests write failures)
 * instead of captured; r->out is then empty. */
int harness_runv_stdout(struct harness_result *r, const char *stdout_path,
                        const char *const *args);

/* harness_runv() with the arguments listed, ending with NULL. */
int harness_run(struct harness_result *r, const char *arg, ...);

void harness_free(struct harness_result *r);

/* One line describing the result, for assertion messages: exit status,
 * signal or timeout, and the start of standard error.  Points to a static
 * buffer overwritten by the next call. */
const char *harness_describe(const struct harness_result *r);

/* Creates a fresh directory /tmp/funnelsim-cli-XXXXXX.  NULL on failure. */
char *harness_tmpdir(void);

/* Removes `path` and everything under it (restoring write permission on
 * directories first).  0 on success. */
int harness_rmtree(const char *path);

/* The whole content of `path`, NUL-terminated, its length in *len (when
 * len is not NULL).  NULL when it cannot be read. */
char *harness_read_file(const char *path, size_t *len);

/* ---- Criterion assertions on results (they stop the test on failure) ---- */

/* Runs the binary with the listed arguments; fails the test if it could
 * not be started. */
#define HARNESS_RUN(r, ...)                                                      \
    cr_assert_eq(harness_run((r), __VA_ARGS__, NULL), 0, "cannot run %s: %s",   \
                 FUNNELSIM_BIN, strerror(errno))

/* The run ended by itself (no signal, no timeout) with exit code `code`. */
void harness_assert_exit(const struct harness_result *r, int code);

/* DIR/NAME parsed as JSON (the caller deletes it). */
cJSON *harness_read_json(const char *dir, const char *name);

/* The number under `key` in a JSON object. */
double harness_number(const cJSON *obj, const char *key);

#endif
