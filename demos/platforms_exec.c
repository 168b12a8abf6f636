/* platforms_exec.c - start a platform as its users start it, and measure
 * it from outside: wall time from fork to reaped, CPU time and peak
 * memory from wait4's rusage (which adds up the child and every process
 * it waited for: a pool's workers, a pipeline's stages, mpirun's ranks).
 * proc_run starts a small launcher (`--measure`) whose child leads its
 * own process group, so Ctrl-C stops all of it.
 */
#define _GNU_SOURCE
#include "platforms.h"
#include "cleanup.h"
#include "cli.h"
#include "datapath.h"
#include "proc.h"
#include "stats.h"
#include "sysinfo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int pf_dir_make(struct pf_dir *d)
{
    const char *tmp = getenv("TMPDIR");
    sigset_t held;

    d->slot = -1;
    if (asprintf(&d->path, "%s/pardemo-platforms-%ld-XXXXXX",
                 tmp && *tmp ? tmp : "/tmp", (long)getpid()) < 0) {
        d->path = NULL;
        return -1;
    }
    cleanup_hold(&held);            /* made and registered, or neither */
    if (!mkdtemp(d->path)) {        /* mode 0700: ours alone */
        cleanup_release(&held);
        free(d->path);
        d->path = NULL;
        return -1;
    }
    d->slot = cleanup_add(CLEAN_TREE, d->path);
    cleanup_release(&held);
    return 0;
}

void pf_dir_remove(struct pf_dir *d)
{
    DIR *dir;
    struct dirent *e;

    if (!d->path)
        return;
    /* only files of ours are in it (inputs, outputs): one level */
    if ((dir = opendir(d->path))) {
        while ((e = readdir(dir)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                unlinkat(dirfd(dir), e->d_name, 0);
        closedir(dir);
    }
    rmdir(d->path);
    cleanup_forget(d->slot);
    free(d->path);
    d->path = NULL;
}

char *pf_dir_file(const struct pf_dir *d, const char *name)
{
    char *path;

    if (asprintf(&path, "%s/%s", d->path, name) < 0)
        abort();
    return path;
}

/* ---- the command lines */

struct argv_buf {
    const char *a[32];
    int n;
    char workers[16], lose[16];
    char *program;              /* the platform's program file (malloc'd) */
};

static void push(struct argv_buf *b, const char *s)
{
    if (b->n < (int)ARRAY_SIZE(b->a) - 1)
        b->a[b->n++] = s;
    b->a[b->n] = NULL;
}

static const char *const job_names[PF_NJOBS] = { "wordcount", "totals" };

/* pardemo platforms --engine JOB FILE -t N: the engine's own job. */
static void engine_args(struct argv_buf *b, const struct pf_env *env,
                        enum pf_job job, const char *input, bool is_mpi)
{
    push(b, env->self);
    push(b, "platforms");
    push(b, "--engine");
    push(b, job_names[job]);
    push(b, input);
    push(b, "-t");
    push(b, is_mpi ? "1" : b->workers);
    if (env->lose >= 0 && !is_mpi) {
        snprintf(b->lose, sizeof(b->lose), "%d", env->lose);
        push(b, "--lose");
        push(b, b->lose);
    }
}

/* mpirun, kept on this machine: shared memory between ranks, and its own
 * connections on the loopback interface only. */
static void mpi_args(struct argv_buf *b)
{
    static const char *const opts[] = { "--oversubscribe", "--bind-to",
        "none", "--mca", "btl", "self,vader", "--mca", "oob_tcp_if_include",
        "lo", "-np", NULL };

    push(b, "mpirun");
    if (geteuid() == 0)
        push(b, "--allow-run-as-root");     /* Open MPI refuses root */
    for (const char *const *o = opts; *o; o++)
        push(b, *o);
    push(b, b->workers);
}

/* Fills b for platform pf (the caller frees b->program); -1 when its
 * program file is not found. */
static int build_argv(struct argv_buf *b, const struct pf_env *env,
                      const struct platform *pf, enum pf_job job,
                      const char *input, int workers)
{
    char rel[128];

    b->n = 0;
    b->program = NULL;
    snprintf(b->workers, sizeof(b->workers), "%d", workers);
    if (pf->kind == PF_ENGINE || pf->kind == PF_MPI) {
        if (pf->kind == PF_MPI)
            mpi_args(b);
        engine_args(b, env, job, input, pf->kind == PF_MPI);
        return 0;
    }
    snprintf(rel, sizeof(rel), "platforms/%s", pf->program[job]);
    if (!(b->program = datapath_find(rel)))
        return -1;
    switch (pf->kind) {
    case PF_SHELL: push(b, "/bin/sh"); break;
    case PF_AWK:   push(b, "mawk"); push(b, "-f"); break;
    case PF_SPARK: push(b, env->self); push(b, "spark"); break;
    default:       push(b, env->py->exe); break;
    }
    push(b, b->program);
    push(b, input);
    if (pf->is_parallel)
        push(b, b->workers);
    if (pf->arg)
        push(b, pf->arg);
    return 0;
}

/* ---- one measured run */

static double secs(struct timeval t)
{
    return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

/* `pardemo platforms --measure FILE -- CMD...`: runs CMD, writes "wall
 * cpu peak_kib" to FILE, exits with CMD's status. Why a process between
 * us and the platform: wait4's peak memory of a child starts at the size
 * of the process it was forked from, and a fresh pardemo is a few MiB
 * where the topic, holding its answers, is tens. */
/* In the launcher's child: no stdin, stderr into the report file. */
static void exec_measured(char **argv, int report)
{
    int null = open("/dev/null", O_RDONLY);

    if (null < 0 || dup2(null, STDIN_FILENO) < 0 ||
        dup2(report, STDERR_FILENO) < 0)
        _exit(127);
    execvp(argv[0], argv);
    fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

/* `pardemo platforms --measure FILE -- CMD...`: runs CMD (its stdout is
 * ours, its stderr goes to FILE), then appends "measured WALL CPU PEAK"
 * (seconds, seconds, KiB) to FILE and exits with CMD's status. Why a
 * process between the topic and the platform: wait4's peak memory of a
 * child starts at the size of the process it was forked from, and a
 * fresh pardemo is a few MiB where the topic, holding its answers, is
 * tens. CMD leads a process group of its own, so a signal to us stops
 * the whole of it (a pool's workers, a pipeline's stages). */
int pf_measure_main(const char *path, char **argv)
{
    struct rusage ru;
    int status = 0, fd, slot;
    double t0;
    pid_t pid;

    /* a new file only: never one that is there already, nor a link */
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
              0600);
    if (fd < 0) {
        cli_error("platforms", "cannot write %s: %s", path, strerror(errno));
        return 1;
    }
    cleanup_init();
    t0 = clk_now();
    if ((pid = cleanup_fork_group(&slot)) < 0) {
        close(fd);
        return 127;
    }
    if (pid == 0)
        exec_measured(argv, fd);
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    kill(-pid, SIGKILL);        /* anything of it still running */
    cleanup_forget(slot);
    dprintf(fd, "\nmeasured %.9f %.6f %ld\n", clk_now() - t0,
            secs(ru.ru_utime) + secs(ru.ru_stime), ru.ru_maxrss);
    close(fd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The whole of a file, NUL-terminated (*len without the NUL). */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    char *s;

    *len = 0;
    if (f && fstat(fileno(f), &st) == 0 && st.st_size > 0) {
        if (!(s = malloc((size_t)st.st_size + 1)))
            abort();
        *len = fread(s, 1, (size_t)st.st_size, f);
    } else if (!(s = malloc(1))) {
        abort();
    }
    if (f)
        fclose(f);
    s[*len] = '\0';
    return s;
}

/* "No module named 'dask.bag'" in err: Debian packages module m as
 * python3-m (python3-dask, python3-pandas, python3-numpy). */
static void missing_package(struct pf_run *r, const char *err)
{
    const char *m = strstr(err, "No module named '");

    r->is_missing = m != NULL;
    if (m) {
        m += strlen("No module named '");
        snprintf(r->package, sizeof(r->package), "python3-%.*s",
                 (int)strcspn(m, "'."), m);
    }
}

/* r->why: the last non-empty line of the child's stderr. */
static void last_line(struct pf_run *r, const char *err, size_t len)
{
    size_t end = len, start;

    while (end > 0 && (err[end - 1] == '\n' || err[end - 1] == ' '))
        end--;
    start = end;
    while (start > 0 && err[start - 1] != '\n')
        start--;
    snprintf(r->why, sizeof(r->why), "%.*s", (int)(end - start),
             err + start);
    missing_package(r, err);
}

/* What the launcher wrote: the platform's stderr, then its numbers. */
static void read_report(const char *path, struct pf_run *r)
{
    size_t len;
    char *text = read_all(path, &len), *m = strstr(text, "\nmeasured ");
    long kib = 0;

    if (m && sscanf(m, "\nmeasured %lf %lf %ld", &r->wall_s, &r->cpu_s,
                    &kib) == 3) {
        r->peak_bytes = (long long)kib * 1024;
        *m = '\0';
        len = (size_t)(m - text);
    }
    last_line(r, text, len);
    free(text);
}

/* The environment of every platform: the same byte-wise locale (sort
 * compares bytes), and Python reading UTF-8 and writing back any byte it
 * could not decode as it was. */
static const char *const child_env[] = {
    "LC_ALL=C", "PYTHONIOENCODING=utf-8:surrogateescape", NULL,
};
static const char *const mpi_env[] = {
    "LC_ALL=C",
#if defined(__SANITIZE_ADDRESS__)
    "ASAN_OPTIONS=detect_leaks=0",      /* Open MPI keeps memory to exit */
#endif
    NULL,
};

int pf_exec(const struct pf_env *env, const struct platform *pf,
            enum pf_job job, const char *input, int workers,
            struct pf_run *r)
{
    struct argv_buf b;
    char *report = pf_dir_file(env->dir, "report");
    const char *via[ARRAY_SIZE(b.a) + 5] = { env->self, "platforms",
                                             "--measure", report, "--" };
    struct proc p = { .argv = (char *const *)via,
                      .env = pf->kind == PF_MPI ? mpi_env : child_env,
                      .out_mode = PROC_OUT_CAPTURE };
    int rc = -1;

    memset(r, 0, sizeof(*r));
    r->status = -1;
    if (build_argv(&b, env, pf, job, input, workers) < 0) {
        snprintf(r->why, sizeof(r->why), "cannot find platforms/%s (set "
                 "PARDEMO_DATA to pardemo's share directory)",
                 pf->program[job]);
        free(report);
        return -1;
    }
    memcpy(via + 5, b.a, sizeof(b.a[0]) * ((size_t)b.n + 1));
    if ((unlink(report) < 0 && errno != ENOENT) ||
        (r->status = proc_run(&p)) < 0) {
        snprintf(r->why, sizeof(r->why), "cannot start %s: %s", b.a[0],
                 strerror(errno));
    } else {
        r->out = p.out;
        r->out_len = p.out_len;
        read_report(report, r);
        rc = 0;
    }
    free(b.program);
    free(report);
    return rc;
}

void pf_run_free(struct pf_run *r)
{
    free(r->out);
    r->out = NULL;
}

/* ---- the interpreter */

/* What one candidate python3 says: its version and how many of the
 * platforms' modules it finds (-1: it does not run). */
static int probe_python(const char *exe, char *version, size_t len)
{
    char *argv[] = { (char *)exe, "-c", "import sys, importlib.util as u\n"
                     "print(sys.version.split()[0], sum(u.find_spec(m) is "
                     "not None for m in ('dask', 'pandas')))", NULL };
    struct proc p = { .argv = argv, .out_mode = PROC_OUT_CAPTURE };
    int found = -1;
    char v[32];

    if (proc_run(&p) == 0 && sscanf(p.out, "%31s %d", v, &found) == 2)
        snprintf(version, len, "%s", v);
    else
        found = -1;
    free(p.out);
    return found;
}

void pf_python_pick(struct pf_python *py)
{
    const char *forced = getenv("PARDEMO_PYTHON");
    const char *cand[2] = { "python3", "/usr/bin/python3" };
    int n = 2, best = -1;
    char v[32];

    if (forced && *forced) {
        cand[0] = forced;
        n = 1;
    }
    py->exe[0] = py->version[0] = '\0';
    for (int i = 0; i < n; i++) {
        int found = sys_in_path(cand[i]) ? probe_python(cand[i], v,
                                                        sizeof(v)) : -1;
        if (found > best) {
            best = found;
            snprintf(py->exe, sizeof(py->exe), "%s", cand[i]);
            snprintf(py->version, sizeof(py->version), "%s", v);
        }
    }
    if (best < 0)   /* none runs: its platforms say "not installed" */
        snprintf(py->exe, sizeof(py->exe), "%s", cand[0]);
}

/* ---- the answers */

/* One "count key" line (its end at nl): 0, or -1 with *why set. */
static int parse_line(char *line, char *nl, struct tally *t,
                      const char **why)
{
    char *p = line + strspn(line, " "), *end;
    long long n;
    struct tally_entry *e;

    errno = 0;
    n = strtoll(p, &end, 10);
    if (end == p || errno || (*end != ' ' && end != nl)) {
        *why = "a line is not \"count key\"";
        return -1;
    }
    if (end == nl || end + 1 == nl)
        return 0;       /* no key: tr leaves one empty line when the text
                           starts with whitespace; an empty word is none */
    if (!(e = tally_get(t, end + 1, (size_t)(nl - end - 1), false))) {
        *why = "out of memory";
        return -1;
    }
    if (e->rows++) {
        *why = "a key comes twice";
        return -1;
    }
    e->sum[0] = n;
    return 0;
}

int pf_parse_answer(char *text, struct tally *t, const char **why)
{
    char *line = text, *nl;

    while (*line) {
        if (!(nl = strchr(line, '\n')))
            nl = line + strlen(line);
        if (*line != '#' && nl > line && parse_line(line, nl, t, why) < 0)
            return -1;
        line = *nl ? nl + 1 : nl;
    }
    return 0;
}
