/* SPDX-License-Identifier: MIT */
#include "dirlock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What the holder wrote: "PID WHAT", its first line, cleaned for a
 * message. */
static void holder_text(int fd, char *buf, size_t n)
{
    ssize_t k = pread(fd, buf, n - 1, 0);
    if (k < 0)
        k = 0;
    buf[k] = '\0';
    for (ssize_t i = 0; i < k; i++)
        if ((unsigned char)buf[i] < 0x20) {
            if (buf[i] == '\n') {
                buf[i] = '\0';
                break;
            }
            buf[i] = '?';
        }
}

int sim_dirlock_take(struct sim_dirlock *l, const char *dir, const char *what,
                     struct sim_err *err)
{
    l->fd = -1;
    l->held = false;
    l->busy = false;
    int n = snprintf(l->path, sizeof l->path, "%s/%s", dir, SIM_DIRLOCK_NAME);
    if (n < 0 || (size_t)n >= sizeof l->path)
        return sim_err_set(err, SIM_ERR_INPUT, "%s: path too long", dir);
    for (int attempt = 0; attempt < 100; attempt++) {
        int fd = open(l->path, O_RDWR | O_CREAT, 0666);
        if (fd < 0)
            return sim_err_set(err, SIM_ERR_RUNTIME, "%s: cannot create %s: %s", dir,
                               SIM_DIRLOCK_NAME, strerror(errno));
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
        if (fcntl(fd, F_SETLK, &fl) != 0) {
            int e = errno;
            if (e != EACCES && e != EAGAIN) {
                close(fd);
                return sim_err_set(err, SIM_ERR_RUNTIME, "%s: cannot lock %s: %s", dir,
                                   SIM_DIRLOCK_NAME, strerror(e));
            }
            struct flock who = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
            long pid = fcntl(fd, F_GETLK, &who) == 0 && who.l_type != F_UNLCK
                           ? (long)who.l_pid : -1;
            char text[200];
            holder_text(fd, text, sizeof text);
            close(fd);
            l->busy = true;
            return sim_err_set(err, SIM_ERR_RUNTIME,
                               "%s: in use by another funnelsim (pid %ld: %s): one command "
                               "at a time writes a folder; wait for it to end, or use "
                               "another folder", dir, pid, text[0] ? text : "?");
        }
        /* The file locked must still be the one at the path: a holder
         * that was releasing may have removed it meanwhile. */
        struct stat a, b;
        if (fstat(fd, &a) != 0 || stat(l->path, &b) != 0 || a.st_dev != b.st_dev ||
            a.st_ino != b.st_ino) {
            close(fd);
            continue;
        }
        char line[600];
        int len = snprintf(line, sizeof line, "%ld %s\n", (long)getpid(), what);
        if (len < 0 || (size_t)len >= sizeof line)
            len = (int)sizeof line - 1;
        /* Who holds it is only for messages: a full disk that cannot take
         * the line leaves the lock held all the same. */
        bool wrote = ftruncate(fd, 0) == 0 && pwrite(fd, line, (size_t)len, 0) == (ssize_t)len;
        (void)wrote;    /* without the line, the holder is shown as "?" */
        l->fd = fd;
        l->held = true;
        return SIM_OK;
    }
    return sim_err_set(err, SIM_ERR_RUNTIME, "%s: cannot take %s: it keeps being replaced",
                       dir, SIM_DIRLOCK_NAME);
}

void sim_dirlock_release(struct sim_dirlock *l)
{
    if (!l->held)
        return;
    unlink(l->path);
    close(l->fd);
    l->fd = -1;
    l->held = false;
}
