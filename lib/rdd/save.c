/* save.c - saveAsTextFile: a directory of part files, all or nothing.
 * Each task writes its partition as part-NNNNN into a temporary sibling
 * directory; only when every part and _SUCCESS are written is it renamed
 * to the real name (a rename is atomic), so a crash or Ctrl-C leaves no
 * half-written output. Like Spark, an existing directory is refused.
 */
#define _GNU_SOURCE
#include "rdd_impl.h"
#include "rdd_mpi.h"
#include "cleanup.h"
#include "outfile.h"
#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct save_job {
    int dirfd;                  /* the temporary directory */
    int *errnos;                /* per partition: 0 or errno */
};

struct write_sink {
    struct rdd_sink base;
    FILE *f;
    struct rdd_buf line;
};

static void write_part(struct rdd_sink *s, struct rdd_value v)
{
    struct write_sink *w = (struct write_sink *)s;

    s->task->records_out++;
    w->line.len = 0;
    rdd_str_of(&w->line, v);
    rdd_buf_add(&w->line, "\n", 1);
    fwrite(w->line.s, 1, w->line.len, w->f);
}

/* A new file in the temporary directory, mode 0666 less the umask. */
static FILE *create_in(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                    O_CLOEXEC, 0666);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

    if (fd >= 0 && !f)
        close(fd);
    return f;
}

static void save_task(struct rdd *r, int p, struct task *t, void *ctx)
{
    struct save_job *j = ctx;
    struct write_sink w = { { write_part, t }, NULL, { 0 } };
    char name[32];

    snprintf(name, sizeof(name), "part-%05d", p);
    if (!(w.f = create_in(j->dirfd, name))) {
        j->errnos[p] = errno;
        return;
    }
    rdd_compute(r, p, &w.base, t);
    if (ferror(w.f))
        j->errnos[p] = errno ? errno : EIO;
    if (fclose(w.f) != 0)
        j->errnos[p] = errno;
    rdd_buf_free(&w.line);
}

/* A part file's outcome (0 or an errno) crosses from a worker process. */
static void errno_save(void *ctx, int p, struct rdd_buf *out)
{
    rdd_buf_add(out, (const char *)&((struct save_job *)ctx)->errnos[p],
                sizeof(int));
}

static void errno_load(void *ctx, int p, const char *at, size_t len)
{
    if (len == sizeof(int))
        memcpy(&((struct save_job *)ctx)->errnos[p], at, len);
}

static int already_exists(struct rdd_context *sc, const char *dir)
{
    char *abs = realpath(dir, NULL);

    rdd_fail(sc, "org.apache.hadoop.mapred.FileAlreadyExistsException: "
             "Output directory file:%s already exists", abs ? abs : dir);
    free(abs);
    return -1;
}

/* The temporary sibling "./.out.pardemo-PID-RANDOM" (mode 0777 less the
 * umask, as Spark's directories), made and registered with lib/cleanup
 * in one step. Returns its fd (its name in *tmp), or -1 with errno. */
static int make_temp_sibling(int parent, const char *base, char **tmp,
                             int *slot)
{
    sigset_t held;
    int fd = -1, e = EEXIST;

    for (int tries = 0; fd < 0 && e == EEXIST && tries < 8; tries++) {
        free(*tmp);
        if (asprintf(tmp, ".%.200s.pardemo-%ld-%016llx", base,
                     (long)getpid(), (unsigned long long)priv_rand64()) < 0)
            return *tmp = NULL, -1;
        cleanup_hold(&held);
        if (mkdirat(parent, *tmp, 0777) == 0) {
            *slot = cleanup_add_at(CLEAN_TREE, parent, *tmp);
            fd = openat(parent, *tmp, O_PATH | O_DIRECTORY | O_NOFOLLOW |
                        O_CLOEXEC);
        }
        e = errno;
        cleanup_release(&held);
    }
    if (fd < 0) {
        cleanup_remove(*slot);
        *slot = -1;
        free(*tmp);
        *tmp = NULL;
        errno = e;
    }
    return fd;
}

static int write_success(int dirfd)
{
    FILE *f = create_in(dirfd, "_SUCCESS");

    return f ? fclose(f) : -1;
}

/* Runs the job into the temporary directory; 0, or an errno. */
static int write_parts(struct rdd *r, int tmpfd, bool *is_run, int *rc)
{
    static const struct job_io io = { errno_save, errno_load };
    struct save_job j = { tmpfd, NULL };
    int err = 0;

    j.errnos = rdd_xcalloc((size_t)r->nparts, sizeof(*j.errnos));
    *is_run = true;
    mpi_share(r->sc, 1);        /* under MPI: the other ranks join in */
    *rc = rdd_run_job_io(r, "saveAsTextFile", NULL, 0, save_task, &io, &j);
    for (int p = 0; p < r->nparts && !err; p++)
        err = j.errnos[p];
    free(j.errnos);
    if (*rc == 0 && !err && write_success(tmpfd) < 0)
        err = errno;
    return err;
}

static int save_lead(struct rdd *r, const char *dir, bool *is_run)
{
    struct rdd_context *sc = r->sc;
    struct stat st;
    char *base, *tmp = NULL;
    int parent, tmpfd, slot = -1, rc = -1, err;

    if (!dir[0]) {
        rdd_fail(sc, "java.lang.IllegalArgumentException: Can not create a "
                 "Path from an empty string");
        return -1;
    }
    if ((parent = outfile_split(dir, &base)) < 0) {
        rdd_fail(sc, "cannot create a directory beside %s: %s", dir,
                 strerror(errno));
        return -1;
    }
    if (fstatat(parent, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        already_exists(sc, dir);
        goto out;
    }
    if ((tmpfd = make_temp_sibling(parent, base, &tmp, &slot)) < 0) {
        rdd_fail(sc, "cannot create a directory beside %s: %s", dir,
                 strerror(errno));
        goto out;
    }
    err = write_parts(r, tmpfd, is_run, &rc);
    close(tmpfd);
    /* a test hook: an interrupt after the parts, before the rename */
    if (rc == 0 && !err && getenv("PARDEMO_TEST_SIGINT_IN_SAVE"))
        raise(SIGINT);
    /* rename never replaces: if dir appeared meanwhile, we fail */
    if (rc == 0 && !err && renameat2(parent, tmp, parent, base,
                                     RENAME_NOREPLACE) < 0) {
        err = errno;
        if (err == EEXIST || err == ENOTEMPTY)
            rc = already_exists(sc, dir), err = 0;
    }
    if (rc == 0 && err)
        rdd_fail(sc, "cannot write %s: %s", dir, strerror(err));
    if (rc < 0 || err)
        cleanup_remove(slot);
    else
        cleanup_forget(slot);
    rc = rc < 0 || err ? -1 : 0;
out:
    free(tmp);
    free(base);
    close(parent);
    return rc;
}

/* Under MPI, ranks other than 0 take part in the job (their partitions
 * reach rank 0) but write nothing: rank 0 writes every part file. */
static void skip_task(struct rdd *r, int p, struct task *t, void *ctx)
{
    (void)r, (void)p, (void)t, (void)ctx;
}

static int save_follow(struct rdd *r)
{
    if (mpi_share(r->sc, 0)) {          /* rank 0 runs the job */
        int rc = rdd_run_job(r, "saveAsTextFile", NULL, 0, skip_task, NULL);
        if (mpi_share(r->sc, 0) && rc == 0)
            return 0;
    }
    if (!r->sc->error[0])
        rdd_fail(r->sc, "saveAsTextFile failed on rank 0");
    return -1;
}

int rdd_save_as_text_file(struct rdd *r, const char *dir)
{
    bool is_run = false;
    int rc;

    if (rdd_mpi_rank(r->sc) > 0)
        return save_follow(r);
    rc = save_lead(r, dir, &is_run);
    mpi_share(r->sc, is_run && rc == 0);    /* the outcome, to the others */
    return rc;
}
