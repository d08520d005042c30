/*
 * cdp.h - a small Chrome DevTools Protocol client over a pipe, for the
 * browser tests.
 *
 * Chromium started with --remote-debugging-pipe reads protocol messages on
 * its file descriptor 3 and writes them on 4, each a JSON object ended by
 * a NUL byte.  cdp_start() forks Chromium (headless, in a process group of
 * its own, with a fresh profile directory) with those two descriptors
 * connected to pipes; cdp_call() sends {id, method, params, sessionId} and
 * waits, within a deadline, for the answer with that id (events and other
 * answers are skipped: the tests poll the page with Runtime.evaluate
 * rather than listen); cdp_stop() asks the browser to close, and kills its
 * whole process group when it does not within a few seconds.  No port is
 * opened, so no other local user can drive the browser while a test runs.
 *
 * Ownership: cdp_call() returns the "result" object, which the caller
 * frees with cJSON_Delete(); NULL on an error answer or a timeout, with
 * the reason in c->error.  Not thread-safe: one caller per struct cdp.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef TESTS_CDP_H
#define TESTS_CDP_H

#include <stddef.h>
#include <sys/types.h>

#include <cJSON.h>

struct cdp {
    pid_t pid;              /* Chromium, leader of its process group */
    int to_browser;         /* its fd 3 */
    int from_browser;       /* its fd 4 */
    int next_id;
    char *buf;              /* bytes read and not yet a whole message */
    size_t len, cap;
    char error[512];
};

/* Starts `chromium` headless with --remote-debugging-pipe and the profile
 * in `user_dir`, its output to `log` (a file path).  0, or -1 with
 * c->error set. */
int cdp_start(struct cdp *c, const char *chromium, const char *user_dir, const char *log);

/* Sends `method` with `params` (taken over; NULL: {}) to the browser, or
 * to the page of `session` (NULL: the browser), and returns the answer's
 * result within `timeout_s` seconds. */
cJSON *cdp_call(struct cdp *c, const char *session, const char *method, cJSON *params,
                double timeout_s);

/* A new page, attached: its session id (the caller frees it), or NULL. */
char *cdp_open_page(struct cdp *c, double timeout_s);

/* Runtime.evaluate of `expr` in the page, awaiting a promise, returning
 * the value as JSON (returnByValue); NULL when it throws (c->error says
 * why) or on a timeout. */
cJSON *cdp_eval(struct cdp *c, const char *session, const char *expr, double timeout_s);

/* Closes the browser and reaps it; kills its process group when it does
 * not exit within a few seconds. */
void cdp_stop(struct cdp *c);

#endif
