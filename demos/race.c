/* race.c - share everything, and you need locks.
 * (a) threads bump one shared counter: load-then-store loses updates, a
 *     mutex or an atomic fetch-add does not (compare "lost" and ns/update);
 * (b) the lecture's dedupe filter: check-then-act without a lock fetches
 *     some URLs twice; with the lock each URL exactly once;
 * (c) false sharing: private counters on one cache line are slow anyway;
 * (d) the filter's log: appending by lseek then write loses lines, a lock
 *     or O_APPEND does not.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "report.h"
#include "stats.h"
#include "hash.h"
#include "sysinfo.h"
#include "team.h"
#include "rounds.h"
#include "url_list.h"
#include "fp_set.h"
#include "demos.h"
#include "private.h"
#include "cleanup.h"
#include "lesson/race.h"
#include "pyspark/pylesson.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Default work is a total, split over the threads, so that 64 threads
 * fighting over one lock still finish in seconds. */
#define DEFAULT_INCREMENTS 20000000LL
#define QUICK_INCREMENTS 4000000LL
#define DEFAULT_URLS 500000
#define QUICK_URLS 100000
#define DEFAULT_BUMPS 200000000LL
#define QUICK_BUMPS 40000000LL
#define DEFAULT_LINES 100000LL  /* (d): appended lines, all threads */
#define QUICK_LINES 20000LL
#define PAD_BYTES 128   /* two 64-byte lines: some CPUs fetch lines in pairs */

/* ---- (a) one shared counter, three ways -------------------------------- */

enum counter_kind { COUNT_UNSYNC, COUNT_MUTEX, COUNT_ATOMIC, COUNT_KINDS };

static const char *const counter_name[COUNT_KINDS] = {
    "unsync", "mutex", "atomic",
};

struct counter {
    _Atomic uint64_t value;
    pthread_mutex_t lock;       /* the mutex variant's */
};

struct counter_job {
    struct counter *c;
    struct rounds *r;           /* shared: the rounds all threads run */
    long long updates;          /* this thread's, over all the rounds */
};

/* Rounds of about this many updates per thread, each round begun by all
 * threads together: whenever two of them hold a CPU at the same time,
 * they bump the counter at the same time - the race gets its chance in
 * every such round, not only if the OS happens to start them together. */
#define ROUND_UPDATES 1000

/* The race: load, add one, store. Another thread's store between our load
 * and our store is overwritten - a lost update. Relaxed atomics make each
 * load and each store whole, so this is a race but not undefined
 * behaviour (a plain ++ on shared data would be both). */
static void *bump_unsync(void *arg)
{
    struct counter_job *j = arg;
    _Atomic uint64_t *value = &j->c->value;
    struct round_turn turn = { 0, 0 };

    while (rounds_begin(j->r, &turn)) {
        for (long long i = rounds_part(j->r, &turn, j->updates); i > 0; i--) {
            uint64_t v = atomic_load_explicit(value, memory_order_relaxed);
            atomic_store_explicit(value, v + 1, memory_order_relaxed);
        }
        rounds_end(j->r);
    }
    return NULL;
}

/* The same load and store as bump_unsync, but only one thread at a time
 * may be between them: delete the lock and unlock lines and this is
 * bump_unsync again (worksheet 4). */
static void *bump_mutex(void *arg)
{
    struct counter_job *j = arg;
    _Atomic uint64_t *value = &j->c->value;
    struct round_turn turn = { 0, 0 };

    while (rounds_begin(j->r, &turn)) {
        for (long long i = rounds_part(j->r, &turn, j->updates); i > 0; i--) {
            pthread_mutex_lock(&j->c->lock);
            uint64_t v = atomic_load_explicit(value, memory_order_relaxed);
            atomic_store_explicit(value, v + 1, memory_order_relaxed);
            pthread_mutex_unlock(&j->c->lock);
        }
        rounds_end(j->r);
    }
    return NULL;
}

/* One indivisible instruction (lock xadd on x86). Relaxed is enough: we
 * need every increment counted, not an order against other memory. */
static void *bump_atomic(void *arg)
{
    struct counter_job *j = arg;
    struct round_turn turn = { 0, 0 };

    while (rounds_begin(j->r, &turn)) {
        for (long long i = rounds_part(j->r, &turn, j->updates); i > 0; i--)
            atomic_fetch_add_explicit(&j->c->value, 1, memory_order_relaxed);
        rounds_end(j->r);
    }
    return NULL;
}

/* Worker i's share of total: the remainder goes to the first workers. */
static long long share_of(long long total, int n, int i)
{
    return total / n + (i < total % n);
}

/* One run of a variant: wall seconds, the final count or sum, and the
 * rounds in which two threads were inside at once (and their seconds). */
struct one_run {
    double secs;
    uint64_t count;
    long long rounds, at_once;
    double at_once_secs;
};

/* Runs fn on threads threads, job[i] of size bytes each, over r; fills
 * out's time and rounds. Returns 0 or an errno. */
static int rounds_run(int threads, void *(*fn)(void *), void *job,
                      size_t size, struct rounds *r, struct one_run *out)
{
    struct team_time tt = { 0, 0 };
    int rc = team_run(threads, fn, job, size, &tt);

    out->secs = tt.seconds;
    out->rounds = r->count;
    out->at_once = rounds_at_once(r, &out->at_once_secs);
    return rc;
}

/* Runs one variant once: threads share total updates. Returns 0 or an
 * errno; fills out. */
static int counter_run(enum counter_kind kind, int threads, long long total,
                       struct one_run *out)
{
    static void *(*const bump[COUNT_KINDS])(void *) = {
        bump_unsync, bump_mutex, bump_atomic,
    };
    struct counter c = { 0, PTHREAD_MUTEX_INITIALIZER };
    struct counter_job *job = calloc((size_t)threads, sizeof(*job));
    struct rounds r;
    int rc;

    if (!job)
        return ENOMEM;
    rounds_init(&r, threads, rounds_for(share_of(total, threads, 0),
                                        ROUND_UPDATES));
    for (int i = 0; i < threads; i++)
        job[i] = (struct counter_job){ &c, &r, share_of(total, threads, i) };
    rc = rounds_run(threads, bump[kind], job, sizeof(*job), &r, out);
    free(job);
    out->count = atomic_load(&c.value);
    return rc;
}

/* ---- (b) the dedupe filter: a crawl frontier with duplicates ----------- */

/* request_fingerprint(): FNV-1a, never 0 (0 marks an empty slot). */
static uint64_t fingerprint(const char *url)
{
    uint64_t h = hash_bytes(url, strlen(url));

    return h ? h : 1;
}

struct crawl {
    const struct url_list *urls;
    struct fp_set seen;
    pthread_mutex_t lock;
    bool is_locked;
    int window;                 /* spin steps between check and add */
    _Atomic size_t next;        /* the frontier: next URL to take */
    _Atomic uint32_t *fetches;  /* per distinct URL: times fetched */
};

/* Widens the gap between the check and the add, so that on 2 CPUs another
 * worker often lands inside it. The empty asm stops the compiler from
 * deleting the loop; it costs about a cycle per step. */
static void widen_window(int steps)
{
    for (int i = 0; i < steps; i++)
        __asm__ volatile("" ::: "memory");
}

/* The lecture's request_seen: "if fp in fingerprints: return True;
 * fingerprints.add(fp)". Check, then act - two steps, not one. */
static bool request_seen(struct crawl *c, const char *url)
{
    uint64_t fp = fingerprint(url);

    if (fp_set_contains(&c->seen, fp))
        return true;
    widen_window(c->window);
    fp_set_add(&c->seen, fp);
    return false;
}

/* A worker takes URLs off the frontier and fetches the unseen ones
 * (fetching = counting, exactly, per distinct URL). */
static void *crawler(void *arg)
{
    struct crawl *c = arg;
    const struct url_list *u = c->urls;
    size_t i;

    while ((i = atomic_fetch_add(&c->next, 1)) < u->n) {
        const char *url = u->text + u->at[i];
        bool is_seen;
        if (c->is_locked) {
            pthread_mutex_lock(&c->lock);
            is_seen = request_seen(c, url);
            pthread_mutex_unlock(&c->lock);
        } else {
            is_seen = request_seen(c, url);
        }
        if (!is_seen)
            atomic_fetch_add(&c->fetches[u->id[i]], 1);
    }
    return NULL;
}

struct crawl_result {
    double seconds;
    long long fetches;          /* all fetches */
    long long once;             /* distinct URLs fetched exactly once */
    long long dup_urls;         /* distinct URLs fetched more than once */
    long long never;            /* distinct URLs never fetched */
    unsigned most;              /* the most fetches of one URL */
};

/* Crawls the list once with threads workers sharing one filter. Returns
 * 0 or an errno. */
static int crawl_run(const struct url_list *u, int threads, bool is_locked,
                     int window, struct crawl_result *res)
{
    struct crawl c = { .urls = u, .lock = PTHREAD_MUTEX_INITIALIZER,
                       .is_locked = is_locked, .window = window };
    struct team_time tt = { 0, 0 };
    int rc;

    memset(res, 0, sizeof(*res));
    c.fetches = calloc(u->ndistinct, sizeof(*c.fetches));
    if (!c.fetches || fp_set_init(&c.seen, u->n)) {
        free(c.fetches);
        return ENOMEM;
    }
    /* arg_size 0: every worker gets the same crawl */
    rc = team_run(threads, crawler, &c, 0, &tt);
    res->seconds = tt.seconds;
    for (size_t d = 0; !rc && d < u->ndistinct; d++) {
        unsigned k = atomic_load(&c.fetches[d]);
        res->fetches += k;
        res->once += k == 1;
        res->dup_urls += k > 1;
        res->never += k == 0;
        if (k > res->most)
            res->most = k;
    }
    free(c.fetches);
    fp_set_free(&c.seen);
    return rc;
}

/* Nanoseconds one widened window takes (0 steps: 0). */
static double window_ns(int steps)
{
    int reps = (int)(10000000 / ((long long)steps + 1)) + 1;
    double t0 = clk_now();

    for (int i = 0; i < reps; i++)
        widen_window(steps);
    return steps ? (clk_now() - t0) / reps * 1e9 : 0;
}

/* ---- (c) private counters: packed on one line, or padded apart --------- */

struct padded_counter {
    alignas(PAD_BYTES) _Atomic uint64_t v;
};

struct own_job {
    _Atomic uint64_t *mine;     /* only this thread ever writes it */
    struct rounds *r;           /* shared: the rounds all threads run */
    long long bumps;
};

#define ROUND_BUMPS 10000   /* bumps per thread in one round */

/* Nothing is shared, so nothing is lost; but a store needs the whole cache
 * line, and if a neighbour's counter lives on it, the line bounces between
 * the two cores on every bump - in the rounds where both run at once.
 * Relaxed load+store keeps every bump in memory (the compiler may not
 * fold them into one add at the end). */
static void *bump_own(void *arg)
{
    struct own_job *j = arg;
    struct round_turn turn = { 0, 0 };

    while (rounds_begin(j->r, &turn)) {
        for (long long i = rounds_part(j->r, &turn, j->bumps); i > 0; i--) {
            uint64_t v = atomic_load_explicit(j->mine, memory_order_relaxed);
            atomic_store_explicit(j->mine, v + 1, memory_order_relaxed);
        }
        rounds_end(j->r);
    }
    return NULL;
}

/* Runs the private counters once, 8 bytes apart (packed) or PAD_BYTES
 * apart. Returns 0 or an errno; fills out (count: the sum). */
static int sharing_run(bool is_padded, int threads, long long total,
                       struct one_run *out)
{
    size_t stride = is_padded ? sizeof(struct padded_counter)
                              : sizeof(_Atomic uint64_t);
    size_t bytes = (threads * stride + PAD_BYTES - 1) / PAD_BYTES * PAD_BYTES;
    char *mem = aligned_alloc(PAD_BYTES, bytes);
    struct own_job *job = calloc((size_t)threads, sizeof(*job));
    struct rounds r;
    int rc = ENOMEM;

    rounds_init(&r, threads, rounds_for(share_of(total, threads, 0),
                                        ROUND_BUMPS));
    if (mem && job) {
        memset(mem, 0, bytes);
        for (int i = 0; i < threads; i++)
            job[i] = (struct own_job){ (_Atomic uint64_t *)(mem + i * stride),
                                       &r, share_of(total, threads, i) };
        rc = rounds_run(threads, bump_own, job, sizeof(*job), &r, out);
        out->count = 0;
        for (int i = 0; !rc && i < threads; i++)
            out->count += atomic_load(job[i].mine);
    }
    free(mem);
    free(job);
    return rc;
}

/* ---- (d) the filter's second race: appending to a shared file ------- */

/* The lecture's filter also logs each new fingerprint:
 * self.file.write(fp + os.linesep). Every thread has its own descriptor
 * on one file, as processes would; appending is again check-then-act
 * (find the end, then write there) unless the kernel makes it one step. */
enum append_kind { APPEND_SEEK, APPEND_LOCKED, APPEND_O_APPEND, APPEND_KINDS };

static const char *const append_name[APPEND_KINDS] = {
    "seek+write", "locked", "O_APPEND",
};

#define LINE_BYTES 18       /* "T0001 00000000042\n": thread, line number */
#define ROUND_LINES 32      /* lines per thread in one round */

struct append_job {
    struct rounds *r;
    pthread_mutex_t *lock;      /* the locked variant's */
    enum append_kind kind;
    int fd, id;                 /* its own descriptor; its number */
    long long lines;
    int err;                    /* an errno, or 0 */
};

/* One line, at the end of the file as this thread last saw it: between
 * the lseek and the write another thread may append there first, and
 * this write lands on its line. O_APPEND moves to the end and writes in
 * one step; the lock makes the two steps one for the others. */
static int append_line(struct append_job *j, const char *line)
{
    bool is_two_steps = j->kind != APPEND_O_APPEND;
    ssize_t n;

    if (j->kind == APPEND_LOCKED)
        pthread_mutex_lock(j->lock);
    if (is_two_steps && lseek(j->fd, 0, SEEK_END) < 0)
        n = -1;
    else
        n = write(j->fd, line, LINE_BYTES);
    if (n >= 0 && n < LINE_BYTES)   /* cut short (ulimit -f): say why */
        n = write(j->fd, line + n, (size_t)(LINE_BYTES - n));
    if (j->kind == APPEND_LOCKED)
        pthread_mutex_unlock(j->lock);
    return n < 0 ? errno : 0;
}

static void *appender(void *arg)
{
    struct append_job *j = arg;
    struct round_turn turn = { 0, 0 };
    long long at = 0;
    char line[32];              /* LINE_BYTES of it are written */

    while (rounds_begin(j->r, &turn)) {
        for (long long i = rounds_part(j->r, &turn, j->lines); i > 0; i--) {
            snprintf(line, sizeof(line), "T%04d %011lld\n", j->id, at++);
            if (!j->err)
                j->err = append_line(j, line);
        }
        rounds_end(j->r);
    }
    return NULL;
}
/* What one run left in the file, line by line. */
struct append_result {
    long long expected;         /* lines written */
    long long whole;            /* lines found intact, each once */
    long long torn;             /* anything else: a line cut or mixed */
    double secs;
    long long rounds, at_once;
};

/* Is line (LINE_BYTES long) one a thread wrote, and not seen before? */
static bool line_is_new(const char *line, int threads, long long each,
                        unsigned char *seen)
{
    int id, len = 0;
    long long at;

    if (sscanf(line, "T%4d %11lld\n%n", &id, &at, &len) != 2 ||
        len != LINE_BYTES || id < 0 || id >= threads || at < 0 ||
        at >= each || seen[(long long)id * each + at])
        return false;
    seen[(long long)id * each + at] = 1;
    return true;
}

/* Reads the file back: whole lines (each thread's, once) and torn ones.
 * Returns 0 or an errno. */
static int append_check(const char *path, int threads, long long each,
                        struct append_result *res)
{
    FILE *f = fopen(path, "r");
    unsigned char *seen = calloc((size_t)(threads * each), 1);
    char line[LINE_BYTES + 2];
    int rc = f && seen ? 0 : f ? ENOMEM : errno;

    while (!rc && fgets(line, sizeof(line), f)) {
        if (line_is_new(line, threads, each, seen))
            res->whole++;
        else
            res->torn++;
    }
    if (f)
        fclose(f);
    free(seen);
    return rc;
}

/* Threads each append each lines to a new file in dir, as kind says;
 * then reads it back. Returns 0 or an errno. */
static int append_run(enum append_kind kind, int threads, long long each,
                      const char *dir, struct append_result *res)
{
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    struct append_job *job = calloc((size_t)threads, sizeof(*job));
    char *path = NULL;
    struct rounds r;
    struct one_run one;
    int rc = job && asprintf(&path, "%s/shared.log", dir) > 0 ? 0 : ENOMEM;
    int flags = O_WRONLY | O_NOFOLLOW | (kind == APPEND_O_APPEND ? O_APPEND
                                                                : 0);

    memset(res, 0, sizeof(*res));
    rounds_init(&r, threads, rounds_for(each, ROUND_LINES));
    if (!rc && close(open(path, O_CREAT | O_EXCL | flags, 0600)) < 0)
        rc = errno;
    for (int i = 0; !rc && i < threads; i++) {
        job[i] = (struct append_job){ &r, &lock, kind, open(path, flags),
                                      i, each, 0 };
        rc = job[i].fd < 0 ? errno : 0;
    }
    if (!rc)
        rc = rounds_run(threads, appender, job, sizeof(*job), &r, &one);
    for (int i = 0; job && i < threads; i++) {
        if (job[i].fd > 0)
            close(job[i].fd);
        rc = rc ? rc : job[i].err;
    }
    res->expected = (long long)threads * each;
    if (!rc)
        rc = append_check(path, threads, each, res);
    res->secs = one.secs;
    res->rounds = one.rounds;
    res->at_once = one.at_once;
    if (path)
        unlink(path);
    free(path);
    free(job);
    return rc;
}

/* ---- the kernels `pardemo bench race` sweeps --------------------------- */

enum { K_FALSE_SHARING = COUNT_KINDS, K_PADDED, K_VARIANTS };

/* Runs variant k (a counter, or the packed or padded private counters)
 * once. Returns 0 or an errno. */
static int variant_run(int k, int threads, long long total,
                       struct one_run *out)
{
    if (k < COUNT_KINDS)
        return counter_run((enum counter_kind)k, threads, total, out);
    return sharing_run(k == K_PADDED, threads, total, out);
}

/* size = all updates, split over the workers: the checksum is the final
 * count, equal to size for every worker count when the variant is exact. */
static int run_kernel(int k, const struct run_params *in,
                      struct run_result *out)
{
    struct one_run one;
    int rc = variant_run(k, in->threads, in->size, &one);

    out->seconds = one.secs;
    out->checksum = one.count;
    return rc;
}

static int k_unsync(const struct run_params *in, struct run_result *out)
{
    return run_kernel(COUNT_UNSYNC, in, out);
}

static int k_mutex(const struct run_params *in, struct run_result *out)
{
    return run_kernel(COUNT_MUTEX, in, out);
}

static int k_atomic(const struct run_params *in, struct run_result *out)
{
    return run_kernel(COUNT_ATOMIC, in, out);
}

static int k_false_sharing(const struct run_params *in,
                           struct run_result *out)
{
    return run_kernel(K_FALSE_SHARING, in, out);
}

static int k_padded(const struct run_params *in, struct run_result *out)
{
    return run_kernel(K_PADDED, in, out);
}

static const struct kernel race_kernels[] = {
    { "unsync", "shared counter, load then store: loses updates", k_unsync },
    { "mutex", "shared counter under a pthread mutex", k_mutex },
    { "atomic", "shared counter, atomic fetch-add", k_atomic },
    { "false-sharing", "private counters packed on one cache line",
      k_false_sharing },
    { "padded", "private counters padded to their own cache lines",
      k_padded },
    { 0 },
};

/* ---- measuring and reporting ------------------------------------------- */

struct race_opts {
    int window;                 /* spin steps inside check-then-act */
    long long urls;             /* length of the generated frontier */
    long long bumps;            /* (c): bumps per thread */
    long long lines;            /* (d): appended lines, all threads */
    struct pyl_opts py;         /* --no-python, --python-only... */
};

static const struct cli_opt race_opts[] = {
    { "window", 0, CLI_INT, "N", "spin steps between the check and the add "
      "(widens the race window; 0: none)", 0, 1000000, NULL,
      offsetof(struct race_opts, window) },
    { "urls", 0, CLI_SIZE, "N", "URLs in the generated crawl frontier", 1,
      URL_LIST_MAX, NULL, offsetof(struct race_opts, urls) },
    { "bumps", 0, CLI_SIZE, "N", "false sharing: bumps per thread", 1,
      1LL << 32, NULL, offsetof(struct race_opts, bumps) },
    { "lines", 0, CLI_SIZE, "N", "appending to a shared file: lines, all "
      "threads together", 1, 1LL << 32, NULL,
      offsetof(struct race_opts, lines) },
    PYL_CLI_OPTS(struct race_opts, py),
    { 0 },
};

static const struct cli_spec race_spec = {
    .args = "[URLFILE]", .min_args = 0, .max_args = 1,
    .common = CLI_COMMON,
    .size_help = "increments per thread on the shared counter",
    .size_min = 1, .size_max = 1LL << 30,
    .opts = race_opts,
    .examples = "pardemo race\n"
                "pardemo race -t 4 -n 4M --window 0\n"
                "pardemo race urls.txt      # crawl your own list, one URL "
                "a line",
};

/* A kernel run several times after a warm-up. */
struct measured {
    struct est secs;            /* median and quartiles, wall seconds */
    uint64_t count;             /* median final count */
    int runs, exact_runs;       /* runs; runs whose count was expected */
    long long worst_lost;       /* the most one run fell short */
    double cpus_busy;           /* CPU time / wall time over the runs */
    long long rounds, at_once;  /* rounds run; with two threads inside */
    struct est at_once_secs;    /* per update, in the at-once rounds */
    int at_once_runs;           /* runs that had at-once rounds */
};

#define TRIES_MAX 10    /* a race that has not struck: try this often */
#define TRIES_SECS 3.0  /* ... for at most this long */

/* The runs of one kernel so far. */
struct runs {
    int cap, n, n_at_once;
    double *secs, *counts;      /* per run */
    double *at_once_secs;       /* per update in at-once rounds, per run */
    double wall, cpu, first;    /* first: the wall of the plan's min runs */
};

static int runs_init(struct runs *rs, int cap)
{
    memset(rs, 0, sizeof(*rs));
    rs->cap = cap;
    rs->secs = calloc((size_t)cap, sizeof(double));
    rs->counts = calloc((size_t)cap, sizeof(double));
    rs->at_once_secs = calloc((size_t)cap, sizeof(double));
    return rs->secs && rs->counts && rs->at_once_secs ? 0 : ENOMEM;
}

static void runs_free(struct runs *rs)
{
    free(rs->secs);
    free(rs->counts);
    free(rs->at_once_secs);
}

/* Runs variant k once more and adds it to rs and m. Returns 0 or an
 * errno. */
static int runs_add(struct runs *rs, const struct reps_plan *pl, int k,
                    int threads, long long total, struct measured *m)
{
    double cpu0 = cond_cpu_seconds();
    struct one_run one;
    int rc = variant_run(k, threads, total, &one);

    rs->cpu += cond_cpu_seconds() - cpu0;
    rs->wall += rs->secs[rs->n] = one.secs;
    rs->counts[rs->n] = (double)one.count;
    if (++rs->n == pl->min)
        rs->first = rs->wall;
    m->exact_runs += one.count == (uint64_t)total;
    if (total - (long long)one.count > m->worst_lost)
        m->worst_lost = total - (long long)one.count;
    m->rounds += one.rounds;
    m->at_once += one.at_once;
    if (one.at_once > 0)    /* a round's updates: total / rounds */
        rs->at_once_secs[rs->n_at_once++] = one.at_once_secs /
            ((double)one.at_once * (double)total / (double)one.rounds);
    return rc;
}

static void runs_summary(const struct runs *rs, struct measured *m)
{
    struct stats st = stats_of(rs->secs, (size_t)rs->n);
    struct stats ao = stats_of(rs->at_once_secs, (size_t)rs->n_at_once);

    m->secs = est_of(&st);
    m->count = (uint64_t)(stats_of(rs->counts, (size_t)rs->n).median + 0.5);
    m->runs = rs->n;
    m->cpus_busy = rs->wall > 0 ? rs->cpu / rs->wall : 0;
    m->at_once_runs = rs->n_at_once;
    m->at_once_secs = rs->n_at_once ? est_of(&ao) : est_exact(NAN);
}

/* Another run? The plan's, while the times vary (stats_want_more); and
 * when is_until, while no run fell short yet, up to TRIES_MAX runs or
 * TRIES_SECS. */
static bool want_run(const struct reps_plan *pl, bool is_until,
                     const struct measured *m, const struct runs *rs)
{
    struct stats st = stats_of(rs->secs, (size_t)rs->n);

    if (rs->n >= rs->cap)
        return false;
    if (is_until && m->worst_lost == 0 && rs->n < TRIES_MAX &&
        rs->wall < TRIES_SECS)
        return true;
    return stats_want_more(pl, rs->n, rs->wall, rs->first,
                           est_spread(est_of(&st)));
}

/* Runs variant k as pl and is_until say (see want_run), after a warm-up.
 * Returns 0 or the kernel's errno. */
static int measure(int k, int threads, long long total,
                   const struct reps_plan *pl, bool is_until,
                   struct measured *m)
{
    int cap = pl->max > TRIES_MAX ? pl->max : TRIES_MAX;
    struct one_run warm;
    struct runs rs;
    int rc = runs_init(&rs, cap);

    memset(m, 0, sizeof(*m));
    if (!rc)
        rc = variant_run(k, threads, total, &warm);
    while (!rc && want_run(pl, is_until, m, &rs))
        rc = runs_add(&rs, pl, k, threads, total, m);
    if (!rc)
        runs_summary(&rs, m);
    runs_free(&rs);
    return rc;
}

/* Per update in the rounds where both ran at once: packed / padded. */
static struct est sharing_ratio(const struct measured *sh)
{
    return est_ratio(sh[0].at_once_secs, sh[1].at_once_secs);
}

#define SHARING_PAIRS 10    /* packed-then-padded pairs at most */

/* Another pair? The plan's minimum; then, up to SHARING_PAIRS, the
 * plan's maximum (-r N: exactly N) or TRIES_SECS, while the at-once ratio is not clear of RACE_SHARING_AT
 * (too few at-once runs to tell, or quartiles straddling it). */
static bool want_pair(const struct reps_plan *pl, const struct runs *rs,
                      const struct measured *sh)
{
    struct est r;

    if (rs[0].n < pl->min)
        return true;
    if (rs[0].n >= SHARING_PAIRS || rs[0].n >= pl->max ||
        rs[0].wall + rs[1].wall >= TRIES_SECS)
        return false;
    if (rs[0].n_at_once < 3 || rs[1].n_at_once < 3)
        return sys_allowed_cpus() > 1;
    r = sharing_ratio(sh);
    return r.lo <= RACE_SHARING_AT && r.hi >= RACE_SHARING_AT;
}

/* The private counters, packed and padded in turn (so that a change in
 * the machine's load hits both alike), after a warm-up of each. Returns
 * 0 or an errno. */
static int measure_sharing(int threads, long long total,
                           const struct reps_plan *pl, struct measured *sh)
{
    int cap = pl->max;
    struct runs rs[2];
    struct one_run warm;
    int rc = runs_init(&rs[0], cap) | runs_init(&rs[1], cap);

    memset(sh, 0, 2 * sizeof(*sh));
    for (int k = 0; k < 2 && !rc; k++)
        rc = variant_run(K_FALSE_SHARING + k, threads, total, &warm);
    while (!rc && want_pair(pl, rs, sh)) {
        for (int k = 0; k < 2 && !rc; k++)
            rc = runs_add(&rs[k], pl, K_FALSE_SHARING + k, threads, total,
                          &sh[k]);
        for (int k = 0; k < 2 && !rc; k++)
            runs_summary(&rs[k], &sh[k]);
    }
    runs_free(&rs[0]);
    runs_free(&rs[1]);
    return rc;
}

#define CRAWL_TRIES 5   /* unlocked crawls until one fetches twice */

struct race_measured {
    bool is_python_only;
    struct race_python py;              /* the Python part, if it ran */
    struct pyl_part py_part;            /* ran, or why not */
    struct measured counter[COUNT_KINDS];
    struct crawl_result crawl[2];       /* unlocked, locked */
    int crawl_tries;                    /* unlocked crawls run */
    double crawl_busy;                  /* their CPUs busy */
    struct measured sharing[2];         /* packed, padded */
    struct append_result append[APPEND_KINDS];  /* seek+write: the worst */
    int append_tries;                   /* seek+write runs */
    const char *failed;                 /* what could not be done */
    double window_ns;
    struct cond cond;
};

/* The unlocked crawl until a URL is fetched twice (CRAWL_TRIES at most),
 * then the locked one. Returns 0 or an errno. */
static int measure_crawls(const struct run_params *p,
                          const struct race_opts *o,
                          const struct url_list *u, struct race_measured *res)
{
    double cpu0 = cond_cpu_seconds(), wall = 0;
    int rc = 0;

    res->crawl_tries = 0;
    do {
        rc = crawl_run(u, p->threads, false, o->window, &res->crawl[0]);
        wall += res->crawl[0].seconds;
        res->crawl_tries++;
    } while (!rc && res->crawl[0].dup_urls == 0 && p->threads > 1 &&
             res->crawl_tries < CRAWL_TRIES);
    res->crawl_busy = wall > 0 ? (cond_cpu_seconds() - cpu0) / wall : 0;
    return rc ? rc : crawl_run(u, p->threads, true, o->window,
                               &res->crawl[1]);
}

/* (d) in a directory of its own: seek+write until a line is lost (as
 * the unsynchronised counter), then locked, then O_APPEND. Returns 0 or
 * an errno. */
static int measure_appends(const struct run_params *p,
                           const struct race_opts *o,
                           struct race_measured *res)
{
    long long each = (o->lines + p->threads - 1) / p->threads;
    struct append_result one;
    double wall = 0;
    int slot, rc = 0;
    char *dir = priv_dir(PATH_MAX, 32, &slot);

    if (!dir)
        return errno;
    res->append_tries = 0;
    do {
        rc = append_run(APPEND_SEEK, p->threads, each, dir, &one);
        wall += one.secs;
        if (!rc && (res->append_tries++ == 0 ||
                    one.whole < res->append[APPEND_SEEK].whole))
            res->append[APPEND_SEEK] = one;
    } while (!rc && p->threads > 1 && one.whole == one.expected &&
             res->append_tries < TRIES_MAX && wall < TRIES_SECS);
    for (int k = APPEND_LOCKED; !rc && k < APPEND_KINDS; k++)
        rc = append_run((enum append_kind)k, p->threads, each, dir,
                        &res->append[k]);
    priv_dir_remove(dir, slot);
    return rc;
}

/* Everything is measured before anything is printed, so a failure never
 * leaves half a CSV behind. Returns 0 or an errno. */
static int measure_all(struct report *rep, const struct run_params *p,
                       const struct race_opts *o, const struct url_list *u,
                       struct race_measured *res)
{
    long long total = (long long)p->threads * p->size;
    struct reps_plan pl = stats_plan(p, p->reps);
    struct cond_probe probe;
    int rc = 0;

    cond_start(&probe);
    for (int k = 0; k < COUNT_KINDS && !rc; k++) {
        report_progress(rep, "counter: %s...", counter_name[k]);
        rc = measure(k, p->threads, total, &pl,
                     k == COUNT_UNSYNC && p->threads > 1, &res->counter[k]);
    }
    report_progress(rep, "dedupe filter...");
    res->window_ns = window_ns(o->window);
    if (!rc)
        rc = measure_crawls(p, o, u, res);
    total = (long long)p->threads * o->bumps;
    report_progress(rep, "false sharing: packed, padded...");
    if (!rc)
        rc = measure_sharing(p->threads, total, &pl, res->sharing);
    report_progress(rep, "appending to a shared file...");
    if (!rc && (rc = measure_appends(p, o, res)))
        res->failed = "append to the shared file";
    res->cond = cond_stop(&probe);
    res->cond.reps = res->counter[COUNT_MUTEX].runs;
    for (int k = 0; k < COUNT_KINDS; k++)
        if (est_spread(res->counter[k].secs) > res->cond.spread)
            res->cond.spread = est_spread(res->counter[k].secs);
    return rc;
}

/* ---- the Python part: race_dedupe.py, run by the real CPython ---- */

#define PY_SHARE 20                 /* the Value's increments: a 20th */

static const char *const rpy_name[RPY_FILTERS] = {
    "slide's", "writes first", "writes, Lock",
};

#define PY_URLS 10000               /* Python crawls the first 10000 */
#define PY_LINES 20000              /* ... and logs at most 20000 lines */

/* The first n URLs, one a line, for Python to split. NULL: no memory. */
static char *urls_text(const struct url_list *u, size_t n)
{
    size_t len = 1;
    char *t, *at;

    for (size_t i = 0; i < n; i++)
        len += strlen(u->text + u->at[i]) + 1;
    if (!(at = t = malloc(len)))
        return NULL;
    for (size_t i = 0; i < n; i++)
        at += sprintf(at, "%s%s", i ? "\n" : "", u->text + u->at[i]);
    *at = '\0';
    return t;
}

static int py_fail(int n)
{
    return n == PYL_INTERRUPTED ? EINTR : EIO;
}

static int py_crawls(const struct run_params *p, const struct url_list *u,
                     struct race_python *py)
{
    struct pyl_num got[5];
    char *text = urls_text(u, py->urls);
    int n = 5;

    for (int k = 0; text && k < RPY_FILTERS && n == 5; k++) {
        double t0 = clk_now();
        n = pyl_call(got, 5, "race_dedupe", "crawl", "(siid)", text,
                     p->threads, k, 0.005);
        py->crawl[k] = (struct race_crawl){
            (long long)got[1].v, (long long)got[0].v, (long long)got[3].v,
            (long long)got[4].v, 1, clk_now() - t0, 0,
        };
    }
    free(text);
    return !text ? ENOMEM : n == 5 ? 0 : py_fail(n);
}

static int py_values(const struct run_params *p, struct race_python *py)
{
    long long each = p->size / PY_SHARE > 1000 ? p->size / PY_SHARE : 1000;
    struct pyl_num got;
    double cpu0 = cond_cpu_seconds(), t0 = clk_now();
    int n;

    py->value_total = each * p->threads;
    for (int locked = 0; locked < 2; locked++) {
        n = pyl_call(&got, 1, "race_dedupe", "counter", "(iLi)", p->threads,
                     each, locked);
        if (n != 1)
            return py_fail(n);
        py->value_final[locked] = (long long)got.v;
        if (!locked)
            py->value_busy = (cond_cpu_seconds() - cpu0) /
                             (clk_now() - t0);
    }
    return 0;
}

/* The filter's log from Python processes, in a directory of the run's
 * own: each way of appending once. Returns 0 or an errno. */
static int py_logs(const struct run_params *p, long long lines,
                   struct race_python *py)
{
    long long each = (lines < PY_LINES ? lines : PY_LINES) / p->threads + 1;
    struct pyl_num got[4];
    int slot, n = 4;
    char *dir = priv_dir(PATH_MAX, 32, &slot);

    if (!dir)
        return errno;
    for (int k = 0; k < RPY_APPENDS && n == 4; k++) {
        n = pyl_call(got, 4, "race_dedupe", "append", "(siLi)", dir,
                     p->threads, each, k);
        py->log[k] = (struct race_py_log){ (long long)got[0].v,
            (long long)got[1].v, (long long)got[2].v, (long long)got[3].v };
    }
    priv_dir_remove(dir, slot);
    return n == 4 ? 0 : py_fail(n);
}

struct py_measure {
    const struct run_params *p;
    const struct url_list *u;
    long long lines;
    struct race_python *py;
};

/* The Python rows, between pyl_start and pyl_stop (pyl_part_run). */
static int measure_python(void *ctx, struct report *rep)
{
    const struct py_measure *m = ctx;
    struct race_python *py = m->py;
    struct cond_probe probe;
    int rc;

    cond_start(&probe);
    report_progress(rep, "Python: the dedupe filter, a Value...");
    py->threads = m->p->threads;
    py->urls = m->u->n < PY_URLS ? m->u->n : PY_URLS;
    rc = py_crawls(m->p, m->u, py);
    if (!rc)
        rc = py_values(m->p, py);
    if (!rc)
        rc = py_logs(m->p, m->lines, py);
    py->cond = cond_stop(&probe);
    py->cond.reps = 1;
    errno = rc;
    return rc ? -1 : 0;
}

/* Starts Python, measures, stops it. Returns 0 (py->is_run says whether
 * it ran), or -1 after an error line. */
static int python_part(struct report *rep, const struct run_params *p,
                       const struct race_opts *o, const struct url_list *u,
                       struct race_measured *res)
{
    struct py_measure m = { p, u, o->lines, &res->py };
    int rc;

    memset(&res->py, 0, sizeof(res->py));
    rc = pyl_part_run(&res->py_part, p->topic, &o->py, rep, measure_python,
                      &m);
    res->py.is_run = res->py_part.has_run;
    return rc;
}

/* A Python row of the counter table: the Value, without or with its lock
 * around the read and the write (one run each, not timed per update). */
static void value_row(struct table *t, const struct race_python *py,
                      int locked)
{
    long long total = py->value_total, lost = total - py->value_final[locked];

    table_str(t, "Python");
    table_str(t, locked ? "Value get_lock" : "Value +=");
    table_num(t, (double)total);
    table_num(t, (double)py->value_final[locked]);
    table_num(t, (double)lost);
    table_num(t, (double)lost / (double)total);
    table_num(t, 1);
    table_num(t, lost == 0);
    table_num(t, (double)lost);
    table_num(t, (double)lost / (double)total);
    table_num(t, NAN);
    table_num(t, locked ? NAN : py->value_busy);
    table_num(t, NAN);
    table_num(t, NAN);
    table_num(t, NAN);
}

static void counter_table(struct report *rep, const struct run_params *p,
                          const struct race_measured *res)
{
    long long total = (long long)p->threads * p->size;
    char caption[128];
    struct table *t;

    report_text(rep, "(a) Every thread adds 1 to the same counter, three "
                "ways. unsync: load, then\nstore, no lock; mutex: the same "
                "load and store inside\npthread_mutex_lock/unlock; atomic: "
                "one atomic fetch-add. per update =\nwall time / all "
                "updates; CPUs busy: how many threads really ran at once.");
    snprintf(caption, sizeof(caption), "One shared counter: %d thread%s "
             "x %lld increments = %lld expected per run", p->threads,
             p->threads == 1 ? "" : "s", p->size, total);
    t = report_table(rep, "counter", caption);
    table_col(t, "language", "lang", U_TEXT);
    table_col(t, "variant", "variant", U_TEXT);
    table_col_data(t, "expected", U_INT);
    table_col_data(t, "actual", U_INT);
    table_col_data(t, "lost", U_INT);
    table_col_data(t, "lost_fraction", U_PCT);
    table_col(t, "runs", "runs", U_INT);
    table_col(t, "exact_runs", "exact", U_INT);
    table_col(t, "most_lost", "most lost", U_INT);
    table_col(t, "most_lost_fraction", "lost", U_PCT);
    table_col(t, "seconds_per_update", "per update", U_NS);
    table_col_data(t, "cpus_busy", U_NUM);
    table_col_data(t, "rounds", U_INT);
    table_col_data(t, "rounds_at_once", U_INT);
    table_col(t, "at_once_fraction", "at once", U_PCT);
    for (int k = 0; k < COUNT_KINDS && !res->is_python_only; k++) {
        const struct measured *m = &res->counter[k];
        table_str(t, "C");
        table_str(t, counter_name[k]);
        table_num(t, (double)total);
        table_num(t, (double)m->count);
        table_num(t, (double)(total - (long long)m->count));
        table_num(t, (double)(total - (long long)m->count) / (double)total);
        table_num(t, m->runs);
        table_num(t, m->exact_runs);
        table_num(t, (double)m->worst_lost);
        table_num(t, (double)m->worst_lost / (double)total);
        table_num(t, m->secs.v / (double)total);
        table_num(t, m->cpus_busy);
        table_num(t, (double)m->rounds);
        table_num(t, (double)m->at_once);
        table_num(t, m->rounds ? (double)m->at_once / (double)m->rounds : 0);
    }
    for (int k = 0; k < 2 && res->py.is_run; k++)
        value_row(t, &res->py, k);
    table_end(t);
}

static void dedupe_text(struct report *rep, const struct run_params *p,
                        const struct race_opts *o, const struct url_list *u,
                        double ns)
{
    report_text(rep, "(b) The lecture's dedupe filter (\"Concurrency\" "
                "slide), shared by %d worker%s\ncrawling %zu URLs, %zu of "
                "them distinct:\n\n"
                "    def request_seen(self, request):\n"
                "        fp = self.request_fingerprint(request)\n"
                "        if fp in self.fingerprints:    # check...\n"
                "            return True\n"
                "        self.fingerprints.add(fp)      # ...then act: "
                "another thread\n"
                "                                       # can run in "
                "between", p->threads, p->threads == 1 ? "" : "s",
                u->n, u->ndistinct);
    if (o->window > 0)
        report_text(rep, "Between the check and the add each worker spins "
                    "%d steps (about %.0f ns):\nthis WIDENS the window the "
                    "real code has, so the race shows up in one run.\n"
                    "--window 0 removes the widening.", o->window, ns);
    else
        report_text(rep, "No widening (--window 0): the window is just the "
                    "few instructions\nbetween the check and the add.");
}

static void dedupe_table(struct report *rep, const struct run_params *p,
                         const struct url_list *u,
                         const struct race_measured *res)
{
    struct table *t = report_table(rep, "dedupe", "The crawl, without and "
                                   "with a lock around request_seen (the "
                                   "unlocked one\nrepeated until a URL was "
                                   "fetched twice, at most 5 times)");

    table_col(t, "language", "lang", U_TEXT);
    table_col(t, "filter", "filter", U_TEXT);
    table_col(t, "workers", "workers", U_INT);
    table_col(t, "urls", "URLs", U_INT);
    table_col(t, "distinct", "distinct", U_INT);
    table_col(t, "fetches", "fetches", U_INT);
    table_col(t, "fetched_once", "once", U_INT);
    table_col(t, "fetched_twice_or_more", "twice+", U_INT);
    table_col(t, "extra_fetches", "extra", U_INT);
    table_col(t, "seconds", "wall", U_MS);
    table_col_data(t, "crawls", U_INT);
    table_col_data(t, "cpus_busy", U_NUM);
    for (int locked = 0; locked < 2 && !res->is_python_only; locked++) {
        const struct crawl_result *c = &res->crawl[locked];
        table_str(t, "C");
        table_str(t, locked ? "locked" : "unlocked");
        table_num(t, p->threads);
        table_num(t, (double)u->n);
        table_num(t, (double)u->ndistinct);
        table_num(t, (double)c->fetches);
        table_num(t, (double)c->once);
        table_num(t, (double)c->dup_urls);
        table_num(t, (double)(c->fetches - (long long)u->ndistinct));
        table_num(t, c->seconds);
        table_num(t, locked ? 1 : res->crawl_tries);
        table_num(t, locked ? NAN : res->crawl_busy);
    }
    for (int k = 0; k < RPY_FILTERS && res->py.is_run; k++) {
        const struct race_crawl *c = &res->py.crawl[k];
        table_str(t, "Python");
        table_str(t, rpy_name[k]);
        table_num(t, p->threads);
        table_num(t, (double)res->py.urls);
        table_num(t, (double)c->distinct);
        table_num(t, (double)c->fetches);
        table_num(t, (double)(c->distinct - c->dup_urls - c->never));
        table_num(t, (double)c->dup_urls);
        table_num(t, (double)(c->fetches - c->distinct));
        table_num(t, c->secs);
        table_num(t, 1);
        table_num(t, NAN);
    }
    table_end(t);
}

static long cache_line_bytes(void)
{
    long line = sysconf(_SC_LEVEL1_DCACHE_LINESIZE);

    return line > 0 ? line : 64;
}

static void sharing_table(struct report *rep, const struct run_params *p,
                          const struct race_opts *o,
                          const struct race_measured *res)
{
    long long total = (long long)p->threads * o->bumps;
    char caption[128];
    struct table *t;

    report_text(rep, "(c) Nothing shared, yet: every thread bumps its "
                "OWN counter. Packed, the\ncounters sit side by side (8 "
                "bytes apart, one cache line); padded, %d\nbytes apart.",
                PAD_BYTES);
    snprintf(caption, sizeof(caption), "False sharing: %d thread%s, each "
             "bumps its own counter %lld times", p->threads,
             p->threads == 1 ? "" : "s", o->bumps);
    t = report_table(rep, "sharing", caption);
    table_col(t, "layout", "counters", U_TEXT);
    table_col(t, "bytes_apart", "bytes apart", U_INT);
    table_col_data(t, "updates", U_INT);
    table_col(t, "runs", "runs", U_INT);
    table_col_data(t, "exact_runs", U_INT);
    table_col(t, "seconds_per_update", "per update", U_NS);
    table_col_data(t, "slowdown", U_NUM);
    table_col_data(t, "cpus_busy", U_NUM);
    table_col_data(t, "rounds", U_INT);
    table_col_data(t, "rounds_at_once", U_INT);
    table_col(t, "at_once_fraction", "at once", U_PCT);
    table_col(t, "seconds_per_update_at_once", "when at once", U_NS);
    table_col(t, "slowdown_at_once", "vs padded", U_NUM);
    for (int k = 0; k < 2; k++) {
        const struct measured *m = &res->sharing[k];
        table_str(t, k ? "padded" : "packed");
        table_num(t, k ? (double)sizeof(struct padded_counter)
                       : (double)sizeof(uint64_t));
        table_num(t, (double)total);
        table_num(t, m->runs);
        table_num(t, m->exact_runs);
        table_num(t, m->secs.v / (double)total);
        table_num(t, m->secs.v / res->sharing[1].secs.v);
        table_num(t, m->cpus_busy);
        table_num(t, (double)m->rounds);
        table_num(t, (double)m->at_once);
        table_num(t, m->rounds ? (double)m->at_once / (double)m->rounds : 0);
        table_num(t, m->at_once_secs.v);
        table_num(t, m->at_once_secs.v / res->sharing[1].at_once_secs.v);
    }
    table_end(t);
}

static const char *const py_log_name[RPY_APPENDS] = {
    "open 'a'", "seek+write", "'a', a line",
};

/* A Python row of the append table: processes, one run, no rounds. */
static void py_log_row(struct table *t, const struct race_py_log *l, int k)
{
    table_str(t, "Python");
    table_str(t, py_log_name[k]);
    table_num(t, 1);
    table_num(t, (double)l->expected);
    table_num(t, (double)l->whole);
    table_num(t, (double)(l->expected - l->whole));
    table_num(t, (double)l->torn);
    table_num(t, NAN);
    table_num(t, NAN);
    table_num(t, NAN);
    table_num(t, NAN);
    table_num(t, (double)l->switches);
}

static void append_table(struct report *rep, const struct run_params *p,
                         const struct race_measured *res)
{
    struct table *t;

    report_text(rep, "(d) The filter also logs each new fingerprint: "
                "self.file.write(fp +\nos.linesep).");
    if (!res->is_python_only)
        report_text(rep, "In C %d thread%s append%s %d-byte lines to one "
                    "file, each with its own\ndescriptor (as processes "
                    "have): lseek to the end, then write; the same\nunder "
                    "a lock; or O_APPEND, which the kernel does in one "
                    "step.", p->threads, p->threads == 1 ? "" : "s",
                    p->threads == 1 ? "s" : "", LINE_BYTES);
    if (res->py.is_run)
        report_text(rep, "In Python %d multiprocessing.Process worker%s "
                    "log%s %lld fingerprints\nin all with that line: to a "
                    "file opened \"a\" (buffered, as on the slide);\n"
                    "after file.seek(0, os.SEEK_END) and with a flush; "
                    "opened \"a\" line-buffered.", p->threads,
                    p->threads == 1 ? "" : "s", p->threads == 1 ? "s" : "",
                    res->py.log[0].expected);
    t = report_table(rep, "append", "Appending to a shared file (seek+write "
                     "repeated until a line was lost,\nat most 10 times; "
                     "the worst run shown)");
    table_col(t, "language", "lang", U_TEXT);
    table_col(t, "variant", "append by", U_TEXT);
    table_col(t, "runs", "runs", U_INT);
    table_col(t, "lines_written", "lines", U_INT);
    table_col(t, "lines_whole", "whole", U_INT);
    table_col(t, "lines_lost", "lost", U_INT);
    table_col(t, "lines_torn", "torn", U_INT);
    table_col_data(t, "seconds", U_DUR);
    table_col_data(t, "rounds", U_INT);
    table_col_data(t, "rounds_at_once", U_INT);
    table_col(t, "at_once_fraction", "at once", U_PCT);
    table_col_data(t, "writer_switches", U_INT);
    for (int k = 0; k < APPEND_KINDS && !res->is_python_only; k++) {
        const struct append_result *a = &res->append[k];
        table_str(t, "C");
        table_str(t, append_name[k]);
        table_num(t, k == APPEND_SEEK ? res->append_tries : 1);
        table_num(t, (double)a->expected);
        table_num(t, (double)a->whole);
        table_num(t, (double)(a->expected - a->whole));
        table_num(t, (double)a->torn);
        table_num(t, a->secs);
        table_num(t, (double)a->rounds);
        table_num(t, (double)a->at_once);
        table_num(t, a->rounds ? (double)a->at_once / (double)a->rounds : 0);
        table_num(t, NAN);
    }
    for (int k = 0; k < RPY_APPENDS && res->py.is_run; k++)
        py_log_row(t, &res->py.log[k], k);
    table_end(t);
}

static struct race_counter lesson_counter(const struct measured *m,
                                          long long total)
{
    return (struct race_counter){
        total, m->runs, m->exact_runs, m->worst_lost,
        est_scale(m->secs, 1e0 / (double)total), m->cpus_busy,
        m->rounds, m->at_once,
    };
}

/* The lesson's view of the measurements (lib/lesson/race). */
static void lesson_results(const struct run_params *p,
                           const struct race_opts *o,
                           const struct url_list *u,
                           const struct race_measured *m,
                           struct race_results *r)
{
    long long total = (long long)p->threads * p->size;
    double bumps = (double)p->threads * (double)o->bumps;

    memset(r, 0, sizeof(*r));
    r->threads = p->threads;
    r->cpus = sys_allowed_cpus();
    for (int k = 0; k < COUNT_KINDS; k++)
        r->counter[k] = lesson_counter(&m->counter[k], total);
    for (int k = 0; k < 2; k++)
        r->crawl[k] = (struct race_crawl){
            (long long)u->ndistinct, m->crawl[k].fetches,
            m->crawl[k].dup_urls, m->crawl[k].never,
            k ? 1 : m->crawl_tries, m->crawl[k].seconds,
            k ? 0 : m->crawl_busy,
        };
    r->sharing.packed_ns = est_scale(m->sharing[0].secs, 1 / bumps);
    r->sharing.padded_ns = est_scale(m->sharing[1].secs, 1 / bumps);
    r->sharing.packed_ao = m->sharing[0].at_once_secs;
    r->sharing.padded_ao = m->sharing[1].at_once_secs;
    r->sharing.packed_busy = m->sharing[0].cpus_busy;
    r->sharing.runs = m->sharing[0].runs;
    r->sharing.ao_runs = m->sharing[0].at_once_runs <
        m->sharing[1].at_once_runs ? m->sharing[0].at_once_runs
                                   : m->sharing[1].at_once_runs;
    r->sharing.rounds = m->sharing[0].rounds;
    r->sharing.at_once = m->sharing[0].at_once < m->sharing[1].at_once
                             ? m->sharing[0].at_once : m->sharing[1].at_once;
    for (int k = 0; k < APPEND_KINDS; k++) {
        const struct append_result *a = &m->append[k];
        r->append[k] = (struct race_append){
            a->expected, a->whole, a->torn, a->rounds, a->at_once,
            k == APPEND_SEEK ? m->append_tries : 1,
        };
    }
    r->line_bytes = cache_line_bytes();
    r->cond = m->cond;
    r->is_python_only = m->is_python_only;
    r->py = m->py;
}

/* Classroom defaults (per thread: the totals split over the threads). */
static void race_defaults(const struct run_params *p, struct race_opts *o,
                          long long *increments)
{
    long long t = p->threads;

    *increments = (p->is_quick ? QUICK_INCREMENTS : DEFAULT_INCREMENTS) / t;
    o->urls = p->is_quick ? QUICK_URLS : DEFAULT_URLS;
    o->bumps = (p->is_quick ? QUICK_BUMPS : DEFAULT_BUMPS) / t;
    o->lines = p->is_quick ? QUICK_LINES : DEFAULT_LINES;
}

/* Parses the options. What was not given follows the final -t and
 * --quick, which may come after the defaults were set. Returns -1 to go
 * on, else the exit status. */
static int parse_args(struct run_params *p, struct race_opts *o, int argc,
                      char **argv)
{
    struct race_opts before, after;
    long long increments;
    int rc;

    cli_defaults(p, "race");
    p->threads = p->threads < 2 ? 2 : p->threads;  /* a race needs two */
    p->reps = 3;
    o->window = 100;
    race_defaults(p, o, &p->size);
    before = *o;
    if ((rc = cli_parse(&demo_race, argc, argv, p, o)) >= 0)
        return rc;
    after = *o;
    race_defaults(p, &after, &increments);
    if (!p->size_given)
        p->size = increments;
    if (o->urls == before.urls)
        o->urls = after.urls;
    if (o->bumps == before.bumps)
        o->bumps = after.bumps;
    if (o->lines == before.lines)
        o->lines = after.lines;
    return -1;
}

static int load_urls(const struct run_params *p, const struct race_opts *o,
                     struct url_list *u)
{
    const char *why = "cannot make";
    int rc;

    if (p->nargs == 0)
        rc = url_list_generate(u, (size_t)o->urls, p->seed);
    else
        rc = url_list_load(u, p->args[0], &why);
    if (rc > 0)
        cli_error(p->topic, "%s %s: %s", why,
                  p->nargs ? p->args[0] : "the URL list", cli_strerror(rc));
    else if (rc < 0)
        cli_error(p->topic, "%s %s", why, p->args[0]);
    return rc;
}

/* What the Python rows are, or why there are none. */
static void python_text(struct report *rep, const struct run_params *p,
                        const struct race_opts *o,
                        const struct race_measured *res)
{
    char ran[800];

    snprintf(ran, sizeof(ran), "Python (lang Python; "
             "demos/python/race_dedupe.py, in pardemo's CPython): the\n"
             "first %zu URLs crawled by %d threading.Thread workers with the "
             "slide's\nrequest_seen; with one that writes the fingerprint (a "
             "blocking call) between\nthe check and the add; and that one "
             "under a threading.Lock. In the counter\ntable, a "
             "multiprocessing.Value shared by %d processes: v.value += 1, "
             "then the\nsame inside v.get_lock().", res->py.urls, p->threads,
             p->threads);
    pyl_part_text(rep, &res->py_part, &o->py, p->topic,
                  "the lecture's dedupe filter and a Value", ran);
}

static void print_all(struct report *rep, const struct run_params *p,
                      const struct race_opts *o, const struct url_list *u,
                      const struct race_measured *res)
{
    struct race_results lesson;
    struct notices ns;

    counter_table(rep, p, res);
    if (!res->is_python_only)
        dedupe_text(rep, p, o, u, res->window_ns);
    python_text(rep, p, o, res);
    dedupe_table(rep, p, u, res);
    if (!res->is_python_only)
        sharing_table(rep, p, o, res);
    if (!res->is_python_only || res->py.is_run)
        append_table(rep, p, res);
    lesson_results(p, o, u, res, &lesson);
    notices_init(&ns);
    race_notices(&lesson, &ns);
    if (!res->is_python_only)
        report_conditions(rep, res->py.is_run ? "C" : NULL, &res->cond);
    if (res->py.is_run)
        report_conditions(rep, res->is_python_only ? NULL : "Python",
                          &res->py.cond);
    report_notices(rep, &ns);
}

static int race_main(int argc, char **argv)
{
    struct run_params p;
    struct race_opts o = { 0, 0, 0, 0, { false, false, -1 } };
    struct race_measured res;
    struct url_list urls = { 0 };
    struct report *rep;
    int rc;

    if ((rc = parse_args(&p, &o, argc, argv)) >= 0)
        return rc;
    if ((rc = pyl_opts_check("race", &o.py)) >= 0)
        return rc;
    cleanup_init();     /* (d)'s directory goes, even on Ctrl-C */
    if (load_urls(&p, &o, &urls)) {
        url_list_free(&urls);
        return 1;
    }
    rep = report_begin(&p, "Races, locks and false sharing",
                       "Lecture: \"Concurrency\". Threads share everything: "
                       "an update made of two steps\n(read, then write) "
                       "needs a lock, and even private data can collide.");
    report_param(rep, "threads", "%d", p.threads);
    report_param(rep, "increments", "%lld", p.size);
    report_param(rep, "reps", "%d", p.reps);
    report_param(rep, "window", "%d", o.window);
    report_param(rep, "urls", "%zu", urls.n);
    report_param(rep, "bumps", "%lld", o.bumps);
    report_param(rep, "lines", "%lld", o.lines);
    report_param(rep, "cache_line", "%ld", cache_line_bytes());
    memset(&res, 0, sizeof(res));
    res.is_python_only = o.py.is_only;
    if (!o.py.is_only && (rc = measure_all(rep, &p, &o, &urls, &res)))
        cli_error(p.topic, "cannot %s: %s", res.failed ? res.failed
                  : "run the threads", cli_strerror(rc));
    else if ((rc = python_part(rep, &p, &o, &urls, &res)) == 0)
        print_all(rep, &p, &o, &urls, &res);
    report_end(rep);
    url_list_free(&urls);
    return rc ? 1 : 0;
}

const struct demo demo_race = {
    .name = "race",
    .summary = "lost updates, locks, atomics, the dedupe filter, false sharing",
    .main = race_main,
    .kernels = race_kernels,
    .slide = "Concurrency",
    .spec = &race_spec,
    /* per thread, as -n is here: the classroom total shared by two */
    .sizes = { DEFAULT_INCREMENTS / 2 },
    .quick_sizes = { QUICK_INCREMENTS / 2 },
};
