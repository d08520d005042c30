/*
 * test_harness.c - the launcher every test uses (cli_harness): what it
 * captures, the deadline, a helper that keeps the pipes open, output
 * larger than a pipe, programs looked up on PATH.  The programs are
 * /bin/sh one-liners, so that each case takes a fraction of a second.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "tests/cli_harness.h"

static const struct harness_opts sh = {.prog = "/bin/sh"};

Test(harness, captures_both_streams_and_the_exit_code)
{
    struct harness_result r;
    cr_assert_eq(harness_spawn(&r, &sh, HARNESS_ARGS("-c", "printf out; printf err >&2; exit 3")),
                 0);
    harness_assert_exit(&r, 3);
    cr_assert_str_eq(r.out, "out");
    cr_assert_eq(r.out_len, 3);
    cr_assert_str_eq(r.err, "err");
    harness_free(&r);
}

Test(harness, runs_in_the_checkout_with_nothing_on_stdin)
{
    struct harness_result r;
    cr_assert_eq(harness_spawn(&r, &sh, HARNESS_ARGS("-c", "pwd; cat; echo end")), 0);
    harness_assert_exit(&r, 0);
    cr_assert_str_eq(r.out, FUNNELSIM_SRCDIR "\nend\n");
    harness_free(&r);
}

Test(harness, a_hang_is_killed_at_the_deadline)
{
    struct harness_proc p;
    cr_assert_eq(harness_start(&p, &sh, HARNESS_ARGS("-c", "exec sleep 30")), 0);
    cr_assert(harness_running(&p));
    struct harness_result r;
    cr_assert_eq(harness_wait(&p, 0.3, &r), 0);
    cr_assert(r.timed_out && r.signal == SIGKILL, "%s", harness_describe(&r));
    cr_assert_lt(r.seconds, 5.0);
    harness_free(&r);
}

Test(harness, a_signalled_child_is_reported)
{
    struct harness_proc p;
    cr_assert_eq(harness_start(&p, &sh, HARNESS_ARGS("-c", "exec sleep 30")), 0);
    /* Past the child's reset of its signal dispositions. */
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 100 * 1000000L};
    nanosleep(&pause, NULL);
    cr_assert_eq(kill(p.pid, SIGTERM), 0);
    struct harness_result r;
    cr_assert_eq(harness_wait(&p, 10.0, &r), 0);
    cr_assert(!r.timed_out && r.signal == SIGTERM && r.exit_code == -1, "%s",
              harness_describe(&r));
    harness_free(&r);
}

/* The child ends; a process it left behind still holds both pipes. */
Test(harness, a_helper_holding_the_pipes_does_not_hold_the_wait)
{
    struct harness_result r;
    cr_assert_eq(harness_spawn(&r, &sh, HARNESS_ARGS("-c", "sleep 3 & echo done")), 0);
    harness_assert_exit(&r, 0);
    cr_assert_str_eq(r.out, "done\n");
    cr_assert_lt(r.seconds, 2.0, "the wait took %.1f s", r.seconds);
    harness_free(&r);
}

Test(harness, more_output_than_a_pipe_holds)
{
    struct harness_result r;
    cr_assert_eq(harness_spawn(&r, &sh,
                               HARNESS_ARGS("-c", "head -c 1000000 /dev/zero; "
                                                  "head -c 300000 /dev/zero >&2")),
                 0);
    harness_assert_exit(&r, 0);
    cr_assert_eq(r.out_len, 1000000);
    cr_assert_eq(r.err_len, 300000);
    harness_free(&r);
}

Test(harness, programs_are_looked_up_on_path)
{
    const struct harness_opts by_name = {.prog = "sh"};
    struct harness_result r;
    cr_assert_eq(harness_spawn(&r, &by_name, HARNESS_ARGS("-c", "echo found")), 0);
    harness_assert_exit(&r, 0);
    cr_assert_str_eq(r.out, "found\n");
    harness_free(&r);

    const struct harness_opts missing = {.prog = "funnelsim-no-such-program"};
    errno = 0;
    cr_assert_eq(harness_spawn(&r, &missing, HARNESS_ARGS("x")), -1);
    cr_assert_eq(errno, ENOENT);
    harness_free(&r);
}

Test(harness, stdout_into_a_file)
{
    const struct harness_opts to_null = {.prog = "/bin/sh", .stdout_path = "/dev/null"};
    struct harness_result r;
    cr_assert_eq(harness_spawn(&r, &to_null, HARNESS_ARGS("-c", "echo gone; echo kept >&2")), 0);
    harness_assert_exit(&r, 0);
    cr_assert_eq(r.out_len, 0);
    cr_assert_str_eq(r.err, "kept\n");
    harness_free(&r);
}
