/* SPDX-License-Identifier: MIT */
/*
 * path.c - a file's path relative to a directory (path.h).
 */
#define _XOPEN_SOURCE 700   /* realpath(3): XSI, not in plain POSIX.1-2008 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sim/path.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* Appends s (len bytes) at buf[*at]; false when it would not fit with its
 * terminating NUL. */
static bool put(char *buf, size_t n, size_t *at, const char *s, size_t len)
{
    if (*at + len + 1 > n)
        return false;
    memcpy(buf + *at, s, len);
    *at += len;
    buf[*at] = '\0';
    return true;
}

enum sim_path_kind sim_path_relative(char *buf, size_t n, const char *target,
                                     const char *from_dir)
{
    char t[PATH_MAX], d[PATH_MAX];
    if (n == 0) {
        errno = ENAMETOOLONG;
        return SIM_PATH_FAILED;
    }
    buf[0] = '\0';
    if (realpath(target, t) == NULL || realpath(from_dir, d) == NULL)
        return SIM_PATH_FAILED;
    /* The common leading directories: component by component, so that
     * /a/bc is not taken to be inside /a/b. */
    size_t common = 0;          /* t[0..common) and d[0..common) agree, whole components */
    for (size_t i = 1;; i++) {
        bool t_end = t[i] == '\0' || t[i] == '/', d_end = d[i] == '\0' || d[i] == '/';
        if (t_end && d_end) {
            common = i;
            if (t[i] == '\0' || d[i] == '\0')
                break;
        } else if (t[i] != d[i]) {
            break;
        }
    }
    size_t at = 0;
    if (common == 0 || t[1] == '\0' || d[1] == '\0') {
        /* Nothing but the root in common (or one of them is the root). */
        if (!put(buf, n, &at, t, strlen(t))) {
            errno = ENAMETOOLONG;
            return SIM_PATH_FAILED;
        }
        return SIM_PATH_ABSOLUTE;
    }
    /* Up from from_dir: one ".." per component of d after the common part. */
    for (const char *p = d + common; *p != '\0'; p++) {
        if (*p == '/' && !put(buf, n, &at, at == 0 ? ".." : "/..", at == 0 ? 2 : 3)) {
            errno = ENAMETOOLONG;
            return SIM_PATH_FAILED;
        }
    }
    /* Down to target: the rest of t after the common part's '/'. */
    const char *rest = t[common] == '/' ? t + common + 1 : t + common;
    if (*rest != '\0' && ((at > 0 && !put(buf, n, &at, "/", 1)) ||
                          !put(buf, n, &at, rest, strlen(rest)))) {
        errno = ENAMETOOLONG;
        return SIM_PATH_FAILED;
    }
    if (at == 0 && !put(buf, n, &at, ".", 1)) {
        errno = ENAMETOOLONG;
        return SIM_PATH_FAILED;
    }
    return SIM_PATH_RELATIVE;
}
