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

#include <dirent.h>
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
    const char *dir;            /* the temporary directory */
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

static void save_task(struct rdd *r, int p, struct task *t, void *ctx)
{
    struct save_job *j = ctx;
    struct write_sink w = { { write_part, t }, NULL, { 0 } };
    char path[PATH_MAX + 16];

    snprintf(path, sizeof(path), "%s/part-%05d", j->dir, p);
    if (!(w.f = fopen(path, "w"))) {
        j->errnos[p] = errno;
        return;
    }
    rdd_compute(r, p, &w.base, t);
    if (ferror(w.f))
        j->errnos[p] = EIO;
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
    char abs[PATH_MAX];

    if (!realpath(dir, abs))
        snprintf(abs, sizeof(abs), "%s", dir);
    rdd_fail(sc, "org.apache.hadoop.mapred.FileAlreadyExistsException: "
             "Output directory file:%s already exists", abs);
    return -1;
}

/* The temporary sibling: "out" -> "./.out.pardemo-PID-XXXXXX" */
static int make_temp_sibling(const char *dir, char *tmp, size_t len)
{
    const char *slash = strrchr(dir, '/');
    int n = slash ? (int)(slash - dir + 1) : 0;

    snprintf(tmp, len, "%.*s.%s.pardemo-%d-XXXXXX", n, dir,
             slash ? slash + 1 : dir, (int)getpid());
    return mkdtemp(tmp) ? 0 : -1;
}

/* Removes the temporary directory and the part files in it. */
static void remove_temp(const char *tmp)
{
    DIR *d = opendir(tmp);
    struct dirent *e;

    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            unlinkat(dirfd(d), e->d_name, 0);
    if (d)
        closedir(d);
    rmdir(tmp);
}

static int write_success(const char *tmp)
{
    char path[PATH_MAX + 16];
    int fd;

    snprintf(path, sizeof(path), "%s/_SUCCESS", tmp);
    if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
        return -1;
    return close(fd);
}

static int save_lead(struct rdd *r, const char *dir, bool *is_run)
{
    static const struct job_io io = { errno_save, errno_load };
    struct rdd_context *sc = r->sc;
    struct save_job j = { NULL, NULL };
    char tmp[PATH_MAX];
    struct stat st;
    int slot, rc, p, err = 0;

    if (lstat(dir, &st) == 0)
        return already_exists(sc, dir);
    if (make_temp_sibling(dir, tmp, sizeof(tmp)) < 0) {
        rdd_fail(sc, "cannot create a directory beside %s: %s", dir,
                 strerror(errno));
        return -1;
    }
    slot = cleanup_add(CLEAN_TREE, tmp);    /* Ctrl-C: nothing left over */
    j.dir = tmp;
    j.errnos = rdd_xcalloc((size_t)r->nparts + 1, sizeof(*j.errnos));
    *is_run = true;
    mpi_share(sc, 1);           /* under MPI: the other ranks join in */
    rc = rdd_run_job_io(r, "saveAsTextFile", NULL, 0, save_task, &io, &j);
    for (p = 0; p < r->nparts && !err; p++)
        err = j.errnos[p];
    free(j.errnos);
    if (rc == 0 && !err && write_success(tmp) < 0)
        err = errno;
    /* a test hook: an interrupt after the parts, before the rename */
    if (rc == 0 && !err && getenv("PARDEMO_TEST_SIGINT_IN_SAVE"))
        raise(SIGINT);
    /* rename never replaces: if dir appeared meanwhile, we fail */
    if (rc == 0 && !err && renameat2(AT_FDCWD, tmp, AT_FDCWD, dir,
                                     RENAME_NOREPLACE) < 0) {
        err = errno;
        if (err == EEXIST || err == ENOTEMPTY) {
            remove_temp(tmp);
            cleanup_forget(slot);
            return already_exists(sc, dir);
        }
    }
    if (rc == 0 && err)
        rdd_fail(sc, "cannot write %s: %s", dir, strerror(err));
    if (rc < 0 || err)
        remove_temp(tmp);
    cleanup_forget(slot);
    return rc < 0 || err ? -1 : 0;
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
