/* SPDX-License-Identifier: MIT */
#include "file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sim_file_open(struct sim_file *f, const char *dir, const char *name,
                  struct sim_err *err)
{
    f->fp = NULL;
    int n1 = snprintf(f->path, sizeof f->path, "%s/%s", dir, name);
    int n2 = snprintf(f->tmp, sizeof f->tmp, "%s/.%s.XXXXXX", dir, name);
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof f->path || (size_t)n2 >= sizeof f->tmp)
        return sim_err_set(err, SIM_ERR_INPUT, "%s/%s: path too long", dir, name);
    int fd = mkstemp(f->tmp);
    if (fd < 0)
        return sim_err_set(err, SIM_ERR_RUNTIME, "%s: cannot create a file there: %s",
                           dir, strerror(errno));
    /* mkstemp makes the file 0600; outputs are ordinary files. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || (f->fp = fdopen(fd, "w")) == NULL) {
        int e = errno;
        close(fd);
        unlink(f->tmp);
        return sim_err_set(err, SIM_ERR_RUNTIME, "%s: %s", f->path, strerror(e));
    }
    return SIM_OK;
}

int sim_file_commit(struct sim_file *f, struct sim_err *err)
{
    int failed = 0;
    if (fflush(f->fp) != 0 || ferror(f->fp))
        failed = errno ? errno : EIO;
    else if (fsync(fileno(f->fp)) != 0 && errno != EINVAL)
        failed = errno;
    if (fclose(f->fp) != 0 && !failed)
        failed = errno ? errno : EIO;
    f->fp = NULL;
    if (!failed && rename(f->tmp, f->path) != 0)
        failed = errno;
    if (failed) {
        unlink(f->tmp);
        return sim_err_set(err, SIM_ERR_RUNTIME, "%s: write failed: %s", f->path,
                           strerror(failed));
    }
    return SIM_OK;
}

void sim_file_discard(struct sim_file *f)
{
    if (f->fp != NULL)
        fclose(f->fp);
    f->fp = NULL;
    unlink(f->tmp);
}

int sim_file_write_text(const char *dir, const char *name, const char *text,
                        struct sim_err *err)
{
    struct sim_file f;
    int rc = sim_file_open(&f, dir, name, err);
    if (rc != SIM_OK)
        return rc;
    fputs(text, f.fp);
    return sim_file_commit(&f, err);
}

uint64_t sim_file_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

int sim_file_hash(const char *path, uint64_t *hash, uint64_t *bytes)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return -1;
    uint64_t h = SIM_FILE_FNV_START, total = 0;
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
        h = sim_file_fnv1a(h, buf, n);
        total += n;
    }
    int failed = ferror(fp);
    int e = errno;
    fclose(fp);
    if (failed) {
        errno = e ? e : EIO;
        return -1;
    }
    *hash = h;
    *bytes = total;
    return 0;
}
