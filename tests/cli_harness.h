/*
 * cli_harness.h - starting programs from the tests, and what the tests of
 * the real funnelsim binary share.
 *
 * The tests check the program as a user meets it: exit status, standard
 * output and standard error of the built binary (FUNNELSIM_BIN), never its
 * functions.  Every test that starts a program - funnelsim, a shell that
 * wraps it, mount, Chromium - starts it here, in one way:
 * harness_start() forks and execs it (no shell, so arguments need no
 * quoting), with standard input from /dev/null, the default dispositions
 * of SIGINT, SIGTERM and SIGPIPE and an empty signal mask, and the working
 * directory set to the checkout (FUNNELSIM_SRCDIR), so relative paths such
 * as "scenarios/validation-erlang-a.json" mean what they mean to a user
 * there.  Standard output and error come back through pipes (or standard
 * output goes to a file the test names, "/dev/full" say), and
 * harness_wait() reads both as they come, so a child that writes a lot
 * cannot block on a full pipe.
 *
 * harness_run() and friends are start + wait.  A test that must act while
 * the program runs (send it a signal) calls harness_start(), acts, then
 * harness_wait().  Between the two nothing reads the pipes: a child that
 * writes more than a pipe holds (64 KiB on Linux) waits until then.
 *
 * A child that runs past its deadline (HARNESS_TIMEOUT_S for the run
 * functions) is killed with SIGKILL and the result says so (timed_out): a
 * hang is a failure, not a stuck test suite.  Once the child itself has
 * ended, what it left in the pipes is read and the wait is over, even if
 * a process it started still holds them open (Chromium's helpers).
 *
 * Also here: temporary directories (made with mkdtemp under /tmp and
 * removed with everything in them), reading a whole file, and the checks
 * that several test files make of a result.
 *
 * Ownership: harness_free() releases what a run captured; the strings from
 * harness_tmpdir(), harness_path() and harness_read_file() are the
 * caller's to free().
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef TESTS_CLI_HARNESS_H
#define TESTS_CLI_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <cJSON.h>

/* Seconds a single run of the binary may take before it is killed. */
#ifndef HARNESS_TIMEOUT_S
#define HARNESS_TIMEOUT_S 60
#endif

/* What one run did. */
struct harness_result {
    int exit_code;          /* the exit status; -1 when it did not exit */
    int signal;             /* the signal that ended it, 0 when it exited */
    bool timed_out;         /* killed by the harness at the deadline */
    double seconds;         /* from harness_wait() (for the run functions,
                               from the start) to the end */
    char *out;              /* standard output, NUL-terminated */
    size_t out_len;         /* its length (it may hold NULs) */
    char *err;              /* standard error, NUL-terminated */
    size_t err_len;
};

/* How to start a program: all zero is FUNNELSIM_BIN with both streams
 * captured. */
struct harness_opts {
    const char *prog;           /* NULL: FUNNELSIM_BIN; a name without '/'
                                   is looked up on PATH */
    const char *stdout_path;    /* NULL: captured; else this file, opened
                                   for writing (not created) */
};

/* A started program, between harness_start() and harness_wait().  Only
 * pid is for the caller (to signal it); the rest is the harness's. */
struct harness_proc {
    pid_t pid;
    int fd[2];                  /* stdout and stderr pipes, -1 once closed */
    char *buf[2];
    size_t len[2], cap[2];
};

/* Starts the program of `opts` (NULL: all defaults) with the arguments
 * `args` (NULL-terminated; argv[0], the program, is added).  Returns 0, or
 * -1 with errno set when it could not be started (nothing to wait for). */
int harness_start(struct harness_proc *p, const struct harness_opts *opts,
                  const char *const *args);

/* Whether the started program is still running (it is not reaped). */
bool harness_running(const struct harness_proc *p);

/* Waits for the program to end, at most `timeout_s` seconds (then kills
 * it), reading its output; fills *r and releases p.  Returns 0 once the
 * child has ended (whatever its status), -1 when it could not be watched.
 * Call harness_free(r) in both cases. */
int harness_wait(struct harness_proc *p, double timeout_s, struct harness_result *r);

/* Start + wait (HARNESS_TIMEOUT_S).  Returns 0 once the child has ended,
 * -1 when it could not be started or watched (errno set, *r empty).  Call
 * harness_free() in both cases. */
int harness_spawn(struct harness_result *r, const struct harness_opts *opts,
                  const char *const *args);

/* harness_spawn() of FUNNELSIM_BIN with the arguments `args`. */
int harness_runv(struct harness_result *r, const char *const *args);

/* harness_runv() with standard output sent to the file `stdout_path`
 * ("/dev/full" tests write failures) instead of captured; r->out is then
 * empty. */
int harness_runv_stdout(struct harness_result *r, const char *stdout_path,
                        const char *const *args);

/* harness_runv() with the arguments listed, ending with NULL. */
int harness_run(struct harness_result *r, const char *arg, ...);

void harness_free(struct harness_result *r);

/* One line describing the result, for assertion messages: exit status,
 * signal or timeout, and the start of standard error.  Points to a static
 * buffer overwritten by the next call. */
const char *harness_describe(const struct harness_result *r);

/* ---- files --------------------------------------------------------------- */

/* Creates a fresh directory /tmp/funnelsim-cli-XXXXXX.  NULL on failure. */
char *harness_tmpdir(void);

/* Removes `path` and everything under it (restoring write permission on
 * directories first).  0 on success. */
int harness_rmtree(const char *path);

/* The whole content of `path`, NUL-terminated, its length in *len (when
 * len is not NULL).  NULL when it cannot be read. */
char *harness_read_file(const char *path, size_t *len);

/* "dir/name", allocated (the test fails when it cannot be). */
char *harness_path(const char *dir, const char *name);

/* The entries of `dir` other than . and .., counted (the test fails when
 * it cannot be listed).  When `hidden` is not NULL it receives the first
 * name that starts with a dot (output files are renamed from hidden
 * temporaries, which must not survive), or "". */
size_t harness_entries(const char *dir, char *hidden, size_t size);

/* ---- text ---------------------------------------------------------------- */

/* `part` occurs in `s` (false when s is NULL). */
bool harness_contains(const char *s, const char *part);

/* The number of '\n' in `text`. */
size_t harness_count_lines(const char *text);

/* Splits `text` into lines in place (without their '\n'); returns the
 * count.  The text must end with '\n'; more than `max` lines fail. */
size_t harness_split_lines(char *text, char **lines, size_t max);

/* Where two texts first differ, for assertion messages: the line number
 * and both lines.  Points to a static buffer. */
const char *harness_first_difference(const char *a, const char *b);

/* The two runs printed the same standard output, byte for byte. */
bool harness_same_output(const struct harness_result *x, const struct harness_result *y);

/* ---- Criterion assertions on results (they stop the test on failure) ---- */

/* A NULL-terminated argument list, in place. */
#define HARNESS_ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Runs the binary with the listed arguments; fails the test if it could
 * not be started. */
#define HARNESS_RUN(r, ...)                                                      \
    cr_assert_eq(harness_run((r), __VA_ARGS__, NULL), 0, "cannot run %s: %s",   \
                 FUNNELSIM_BIN, strerror(errno))

/* The run ended by itself, without a signal or the harness's deadline. */
void harness_assert_no_crash(const struct harness_result *r);

/* The run ended by itself (no signal, no timeout) with exit code `code`. */
void harness_assert_exit(const struct harness_result *r, int code);

/* Exit code `code`, nothing on standard output, and every fragment (a
 * NULL-terminated list) somewhere in standard error. */
void harness_assert_error(const struct harness_result *r, int code,
                          const char *const *fragments);

#define HARNESS_ASSERT_ERROR(r, code, ...) \
    harness_assert_error((r), (code), HARNESS_ARGS(__VA_ARGS__))

/* Runs the argument list `args` (a HARNESS_ARGS()) and asserts a usage
 * error (exit 2) whose message holds every fragment. */
void harness_assert_usage(const char *const *args, const char *const *fragments);

#define HARNESS_ASSERT_USAGE(args, ...) \
    harness_assert_usage((args), HARNESS_ARGS(__VA_ARGS__))

/* DIR/NAME parsed as JSON (the caller deletes it). */
cJSON *harness_read_json(const char *dir, const char *name);

/* JSON text re-printed without its top-level `key` (a result file's
 * "run_id", which differs from run to run), for comparing two results.
 * The caller frees it; the test fails when `text` is not JSON. */
char *harness_json_without(const char *text, const char *key);

/* The number under `key` in a JSON object. */
double harness_number(const cJSON *obj, const char *key);

/* The member `key` of a JSON object; the test fails when it is absent. */
const cJSON *harness_item(const cJSON *obj, const char *key);

/* The number at index i of a JSON array; the test fails when it is not one. */
double harness_element(const cJSON *arr, int i);

#endif
