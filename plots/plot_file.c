/* SPDX-License-Identifier: MIT */
/*
 * plot_file.c - paths built without truncation, files read whole within
 * a limit (plot_file.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plots/plot_file.h"
#include "sim/mem.h"

const char *plot_file_brief(char *buf, size_t n, const char *path)
{
    size_t len = strlen(path);
    if (len <= PLOT_FILE_BRIEF_HEAD + PLOT_FILE_BRIEF_TAIL + 3)
        snprintf(buf, n, "%s", path);
    else
        snprintf(buf, n, "%.*s...%s", PLOT_FILE_BRIEF_HEAD, path,
                 path + len - PLOT_FILE_BRIEF_TAIL);
    return buf;
}

int plot_file_path(char *buf, size_t n, const char *dir, const char *name, struct sim_err *err)
{
    int k = snprintf(buf, n, "%s/%s", dir, name);
    if (k >= 0 && (size_t)k < n)
        return SIM_OK;
    buf[0] = '\0';
    char brief[PLOT_FILE_BRIEF_SIZE];
    return sim_err_set(err, SIM_ERR_RUNTIME, "%s/%s: path too long (%zu characters, at "
                       "most %zu)", plot_file_brief(brief, sizeof brief, dir), name,
                       strlen(dir) + 1 + strlen(name), n - 1);
}

/* What fails a read, with the file closed and the buffer freed. */
static char *read_fail(FILE *fp, char *buf, int e)
{
    fclose(fp);
    free(buf);
    errno = e;
    return NULL;
}

char *plot_file_read(const char *dir, const char *name, size_t *len)
{
    char path[PATH_MAX];
    if (plot_file_path(path, sizeof path, dir, name, NULL) != SIM_OK) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    /* A regular file is refused unread when too large, and otherwise read
     * into a buffer of its size; anything else starts at 64 KiB. */
    size_t cap = 65536;
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode)) {
        if (st.st_size < 0 || (unsigned long long)st.st_size > PLOT_FILE_MAX)
            return read_fail(fp, NULL, EFBIG);
        cap = (size_t)st.st_size + 1;
    }
    char *buf = sim_malloc(cap);
    size_t n = 0;
    for (;;) {
        n += fread(buf + n, 1, cap - 1 - n, fp);
        if (n < cap - 1)
            break;                          /* the end, or an error */
        /* The buffer is full: the end of the file, or more to come (a
         * file that grew, or one without a size). */
        int c = getc(fp);
        if (c == EOF)
            break;
        if (n >= PLOT_FILE_MAX)
            return read_fail(fp, buf, EFBIG);
        /* At most PLOT_FILE_MAX + 1: n never exceeds the limit. */
        cap = cap > (PLOT_FILE_MAX + 1) / 2 ? PLOT_FILE_MAX + 1 : 2 * cap;
        buf = sim_realloc(buf, cap);
        buf[n++] = (char)c;
    }
    if (ferror(fp))
        return read_fail(fp, buf, EIO);
    fclose(fp);
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}
