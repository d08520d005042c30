/* SPDX-License-Identifier: MIT */
/*
 * plot_file.c - paths built without truncation, files read whole
 * (plot_file.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    size_t cap = 65536, n = 0;
    char *buf = sim_malloc(cap);
    for (;;) {
        n += fread(buf + n, 1, cap - n - 1, fp);
        if (n < cap - 1)
            break;
        cap *= 2;
        buf = sim_realloc(buf, cap);
    }
    if (ferror(fp)) {
        fclose(fp);
        free(buf);
        errno = EIO;
        return NULL;
    }
    fclose(fp);
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}
