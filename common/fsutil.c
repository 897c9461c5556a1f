/* fsutil: see fsutil.h. */
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int mc_mkdir_p(const char *path, int mode, mc_err *err)
{
    char *p = mc_strdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, (mode_t)mode) && errno != EEXIST) {
            mc_err_set(err, MC_ERR_IO, "mkdir %s: %s", p, strerror(errno));
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = 0;
    if (mkdir(p, (mode_t)mode) && errno != EEXIST)
        rc = mc_err_set(err, MC_ERR_IO, "mkdir %s: %s", p, strerror(errno));
    free(p);
    return rc;
}

int mc_fsync_dir(const char *dir, mc_err *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return mc_err_set(err, MC_ERR_IO, "open %s: %s", dir, strerror(errno));
    int rc = fsync(fd);
    close(fd);
    if (rc)
        return mc_err_set(err, MC_ERR_IO, "fsync %s: %s", dir, strerror(errno));
    return 0;
}

int mc_file_write_atomic(const char *path, const void *data, size_t n, int mode, mc_err *err)
{
    char *tmp = mc_asprintf("%s.tmp.%ld.XXXXXX", path, (long)getpid());
    int fd = mkstemp(tmp);
    if (fd < 0) {
        mc_err_set(err, MC_ERR_IO, "create %s: %s", tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    fchmod(fd, (mode_t)mode);
    const char *p = data;
    size_t left = n;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            mc_err_set(err, MC_ERR_IO, "write %s: %s", path, w < 0 ? strerror(errno) : "short write");
            goto fail;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd)) {
        mc_err_set(err, MC_ERR_IO, "fsync %s: %s", path, strerror(errno));
        goto fail;
    }
    close(fd);
    fd = -1;
    if (rename(tmp, path)) {
        mc_err_set(err, MC_ERR_IO, "rename %s: %s", path, strerror(errno));
        goto fail;
    }
    free(tmp);
    char *d = mc_strdup(path);
    int rc = mc_fsync_dir(dirname(d), err);
    free(d);
    return rc;
fail:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    return -1;
}

int mc_file_read_all(mc_buf *out, const char *path, mc_err *err)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return mc_err_set(err, errno == ENOENT ? MC_ERR_NOT_FOUND : MC_ERR_IO, "open %s: %s", path,
                          strerror(errno));
    char tmp[65536];
    for (;;) {
        ssize_t r = read(fd, tmp, sizeof tmp);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            close(fd);
            return mc_err_set(err, MC_ERR_IO, "read %s: %s", path, strerror(errno));
        }
        if (r == 0)
            break;
        mc_buf_append(out, tmp, (size_t)r);
    }
    close(fd);
    return 0;
}

bool mc_path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

int mc_rm_rf(const char *path)
{
    if (!mc_path_exists(path))
        return 0;
    return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *mc_path_join(const char *a, const char *b)
{
    size_t la = strlen(a);
    while (la > 1 && a[la - 1] == '/')
        la--;
    while (*b == '/')
        b++;
    return mc_asprintf("%.*s/%s", (int)la, a, b);
}
