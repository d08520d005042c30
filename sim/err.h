/*
 * err.h - the input-error channel.
 *
 * funnelsim has two error channels.  Programmer errors (a broken invariant,
 * a NULL where the contract forbids it) are caught by assert() and stop the
 * program: they are bugs, not conditions to handle.  Bad input (a scenario
 * key out of range, an unwritable --out directory, a malformed --set) is
 * reported through a return code plus a struct sim_err that the caller owns,
 * usually on its stack.  The message always reads "where: what: rule", for a
 * scenario "file: JSON path: rule", so that the user can go straight to the
 * line to fix.
 *
 * The first error set wins: later sim_err_set() calls on an error that is
 * already set are ignored, so a low-level routine can report the precise
 * cause and its callers need not worry about overwriting it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SIM_ERR_H
#define SIM_ERR_H

#include <stdbool.h>
#include <stddef.h>

enum sim_err_code {
    SIM_OK = 0,
    SIM_ERR_RUNTIME = 1,    /* I/O or resource failure: exit code 1 */
    SIM_ERR_INPUT = 2       /* bad input (usage, scenario): exit code 2 */
};

struct sim_err {
    int code;               /* enum sim_err_code; SIM_OK while unset */
    char msg[512];          /* "where: what: rule", no trailing newline */
};

/* Sets err (when not already set) from a printf-style format; returns code,
 * so that a caller can write `return sim_err_set(err, SIM_ERR_INPUT, ...)`.
 * err may be NULL, in which case only the code is returned. */
int sim_err_set(struct sim_err *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static inline bool sim_err_isset(const struct sim_err *err)
{
    return err != NULL && err->code != SIM_OK;
}

static inline void sim_err_clear(struct sim_err *err)
{
    err->code = SIM_OK;
    err->msg[0] = '\0';
}

#endif
