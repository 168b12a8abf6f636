/* race.c - share everything, and you need locks.
 * (a) threads bump one shared counter: load-then-store loses updates, a
 *     mutex or an atomic fetch-add does not (compare "lost" and ns/update);
 * (b) the lecture's dedupe filter: check-then-act without a lock fetches
 *     some URLs twice; with the lock each URL exactly once;
 * (c) false sharing: private counters on one cache line are slow anyway.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "report.h"
#include "stats.h"
#include "hash.h"
#include "sysinfo.h"
#include "team.h"
#include "url_list.h"
#include "fp_set.h"
#include "demos.h"

#include <errno.h>
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
#define PAD_BYTES 128   /* two 64-byte lines: some CPUs fetch lines in pairs */

/* ---- (a) one shared counter, three ways -------------------------------- */

enum counter_kind { COUNT_UNSYNC, COUNT_MUTEX, COUNT_ATOMIC, COUNT_KINDS };

static const char *const counter_name[COUNT_KINDS] = {
    "unsync", "mutex", "atomic",
};

struct counter {
    _Atomic uint64_t value;     /* the unsync and atomic variants */
    pthread_mutex_t lock;
    uint64_t locked_value;      /* touched only while holding lock */
};

struct counter_job {
    struct counter *c;
    long long updates;
};

/* The race: load, add one, store. Another thread's store between our load
 * and our store is overwritten - a lost update. Relaxed atomics make each
 * load and each store whole, so this is a race but not undefined
 * behaviour (a plain ++ on shared data would be both). */
static void *bump_unsync(void *arg)
{
    struct counter_job *j = arg;

    for (long long i = 0; i < j->updates; i++) {
        uint64_t v = atomic_load_explicit(&j->c->value, memory_order_relaxed);
        atomic_store_explicit(&j->c->value, v + 1, memory_order_relaxed);
    }
    return NULL;
}

/* The same read-modify-write, but only one thread at a time may do it. */
static void *bump_mutex(void *arg)
{
    struct counter_job *j = arg;

    for (long long i = 0; i < j->updates; i++) {
        pthread_mutex_lock(&j->c->lock);
        j->c->locked_value++;
        pthread_mutex_unlock(&j->c->lock);
    }
    return NULL;
}

/* One indivisible instruction (lock xadd on x86). Relaxed is enough: we
 * need every increment counted, not an order against other memory. */
static void *bump_atomic(void *arg)
{
    struct counter_job *j = arg;

    for (long long i = 0; i < j->updates; i++)
        atomic_fetch_add_explicit(&j->c->value, 1, memory_order_relaxed);
    return NULL;
}

/* Worker i's share of total: the remainder goes to the first workers. */
static long long share_of(long long total, int n, int i)
{
    return total / n + (i < total % n);
}

/* Runs one variant once: threads share total updates. Returns 0 or an
 * errno; fills the wall seconds and the final count. */
static int counter_run(enum counter_kind kind, int threads, long long total,
                       double *secs, uint64_t *count)
{
    static void *(*const bump[COUNT_KINDS])(void *) = {
        bump_unsync, bump_mutex, bump_atomic,
    };
    struct counter c = { 0, PTHREAD_MUTEX_INITIALIZER, 0 };
    struct counter_job *job = calloc((size_t)threads, sizeof(*job));
    struct team_time tt = { 0, 0 };
    int rc;

    if (!job)
        return ENOMEM;
    for (int i = 0; i < threads; i++)
        job[i] = (struct counter_job){ &c, share_of(total, threads, i) };
    rc = team_run(threads, bump[kind], job, sizeof(*job), &tt);
    free(job);
    *secs = tt.seconds;
    *count = kind == COUNT_MUTEX ? c.locked_value : atomic_load(&c.value);
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
    long long bumps;
};

/* Nothing is shared, so nothing is lost; but a store needs the whole cache
 * line, and if a neighbour's counter lives on it, the line bounces between
 * the two cores on every bump. Relaxed load+store keeps every bump in
 * memory (the compiler may not fold them into one add at the end). */
static void *bump_own(void *arg)
{
    struct own_job *j = arg;

    for (long long i = 0; i < j->bumps; i++) {
        uint64_t v = atomic_load_explicit(j->mine, memory_order_relaxed);
        atomic_store_explicit(j->mine, v + 1, memory_order_relaxed);
    }
    return NULL;
}

/* Runs the private counters once, 8 bytes apart (packed) or PAD_BYTES
 * apart. Returns 0 or an errno; fills the wall seconds and the sum. */
static int sharing_run(bool is_padded, int threads, long long total,
                       double *secs, uint64_t *sum)
{
    size_t stride = is_padded ? sizeof(struct padded_counter)
                              : sizeof(_Atomic uint64_t);
    size_t bytes = (threads * stride + PAD_BYTES - 1) / PAD_BYTES * PAD_BYTES;
    char *mem = aligned_alloc(PAD_BYTES, bytes);
    struct own_job *job = calloc((size_t)threads, sizeof(*job));
    struct team_time tt = { 0, 0 };
    int rc = ENOMEM;

    if (mem && job) {
        memset(mem, 0, bytes);
        for (int i = 0; i < threads; i++)
            job[i] = (struct own_job){ (_Atomic uint64_t *)(mem + i * stride),
                                       share_of(total, threads, i) };
        rc = team_run(threads, bump_own, job, sizeof(*job), &tt);
        *secs = tt.seconds;
        *sum = 0;
        for (int i = 0; !rc && i < threads; i++)
            *sum += atomic_load(job[i].mine);
    }
    free(mem);
    free(job);
    return rc;
}

/* ---- the kernels `pardemo bench race` sweeps --------------------------- */

/* size = all updates, split over the workers: the checksum is the final
 * count, equal to size for every worker count when the variant is exact. */
static int counter_kernel(enum counter_kind kind, const struct run_params *in,
                          struct run_result *out)
{
    return counter_run(kind, in->threads, in->size, &out->seconds,
                       &out->checksum);
}

static int k_unsync(const struct run_params *in, struct run_result *out)
{
    return counter_kernel(COUNT_UNSYNC, in, out);
}

static int k_mutex(const struct run_params *in, struct run_result *out)
{
    return counter_kernel(COUNT_MUTEX, in, out);
}

static int k_atomic(const struct run_params *in, struct run_result *out)
{
    return counter_kernel(COUNT_ATOMIC, in, out);
}

static int k_false_sharing(const struct run_params *in,
                           struct run_result *out)
{
    return sharing_run(false, in->threads, in->size, &out->seconds,
                       &out->checksum);
}

static int k_padded(const struct run_params *in, struct run_result *out)
{
    return sharing_run(true, in->threads, in->size, &out->seconds,
                       &out->checksum);
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
};

static const struct cli_opt race_opts[] = {
    { "window", 0, CLI_INT, "N", "spin steps between the check and the add "
      "(widens the race window; 0: none)", 0, 1000000, NULL,
      offsetof(struct race_opts, window) },
    { "urls", 0, CLI_SIZE, "N", "URLs in the generated crawl frontier", 1,
      URL_LIST_MAX, NULL, offsetof(struct race_opts, urls) },
    { "bumps", 0, CLI_SIZE, "N", "false sharing: bumps per thread", 1,
      1LL << 32, NULL, offsetof(struct race_opts, bumps) },
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

/* A kernel run reps times after a warm-up: median time and count. */
struct measured {
    double secs;                /* median wall seconds */
    uint64_t count;             /* median final count */
    int exact_runs;             /* runs whose count was the expected one */
};

/* Returns 0 or the kernel's errno. */
static int measure(const struct kernel *k, int threads, long long total,
                   int reps, struct measured *m)
{
    struct run_params in = { .topic = "race", .threads = threads,
                             .size = total, .reps = 1, .seed = 42 };
    struct run_result out;
    double *secs = calloc((size_t)reps, sizeof(*secs));
    double *counts = calloc((size_t)reps, sizeof(*counts));
    int rc = secs && counts ? k->run(&in, &out) : ENOMEM;

    m->exact_runs = 0;
    for (int i = 0; i < reps && !rc; i++) {
        rc = k->run(&in, &out);
        secs[i] = out.seconds;
        counts[i] = (double)out.checksum;
        m->exact_runs += out.checksum == (uint64_t)total;
    }
    if (!rc) {
        m->secs = stats_of(secs, (size_t)reps).median;
        m->count = (uint64_t)(stats_of(counts, (size_t)reps).median + 0.5);
    }
    free(secs);
    free(counts);
    return rc;
}

enum { K_FALSE_SHARING = COUNT_KINDS, K_PADDED };

struct race_results {
    struct measured counter[COUNT_KINDS];
    struct crawl_result crawl[2];       /* unlocked, locked */
    struct measured sharing[2];         /* packed, padded */
    double window_ns;
};

/* Everything is measured before anything is printed, so a failure never
 * leaves half a CSV behind. Returns 0 or an errno. */
static int measure_all(struct report *rep, const struct run_params *p,
                       const struct race_opts *o, const struct url_list *u,
                       struct race_results *res)
{
    long long total = (long long)p->threads * p->size;
    int rc = 0;

    for (int k = 0; k < COUNT_KINDS && !rc; k++) {
        report_progress(rep, "counter: %s...", counter_name[k]);
        rc = measure(&race_kernels[k], p->threads, total, p->reps,
                     &res->counter[k]);
    }
    report_progress(rep, "dedupe filter...");
    res->window_ns = window_ns(o->window);
    for (int locked = 0; locked < 2 && !rc; locked++)
        rc = crawl_run(u, p->threads, locked, o->window, &res->crawl[locked]);
    total = (long long)p->threads * o->bumps;
    for (int k = 0; k < 2 && !rc; k++) {
        report_progress(rep, "false sharing: %s...", k ? "padded" : "packed");
        rc = measure(&race_kernels[K_FALSE_SHARING + k], p->threads, total,
                     p->reps, &res->sharing[k]);
    }
    return rc;
}

static void counter_table(struct report *rep, const struct run_params *p,
                          const struct race_results *res)
{
    long long total = (long long)p->threads * p->size;
    char caption[128];
    struct table *t;

    report_text(rep, "(a) Every thread adds 1 to the same counter, three "
                "ways. unsync: load, then\nstore, no lock; mutex: ++ "
                "inside pthread_mutex_lock/unlock; atomic: one\natomic "
                "fetch-add. time/update = wall time / all updates.");
    snprintf(caption, sizeof(caption), "One shared counter: %d thread%s "
             "x %lld increments (median of %d runs)", p->threads,
             p->threads == 1 ? "" : "s", p->size, p->reps);
    t = report_table(rep, "counter", caption);
    table_col(t, "variant", "variant", U_TEXT);
    table_col(t, "expected", "expected", U_INT);
    table_col(t, "actual", "actual", U_INT);
    table_col(t, "lost", "lost", U_INT);
    table_col(t, "lost_fraction", "lost", U_PCT);
    table_col(t, "exact_runs", "exact runs", U_INT);
    table_col(t, "seconds_per_update", "time/update", U_NS);
    for (int k = 0; k < COUNT_KINDS; k++) {
        const struct measured *m = &res->counter[k];
        table_str(t, counter_name[k]);
        table_num(t, (double)total);
        table_num(t, (double)m->count);
        table_num(t, (double)(total - (long long)m->count));
        table_num(t, (double)(total - (long long)m->count) / (double)total);
        table_num(t, m->exact_runs);
        table_num(t, m->secs / (double)total);
    }
    table_end(t);
}

/* What the unlocked counter did, read from the numbers. */
static void notice_lost(struct report *rep, const struct run_params *p,
                        const struct measured *un, long long total)
{
    long long lost = total - (long long)un->count;

    if (p->threads == 1)
        report_notice(rep, "With 1 thread nothing is lost (%llu of %lld "
                      "counted): a race needs a second thread touching the "
                      "counter between a load and its store. Try -t 2.",
                      (unsigned long long)un->count, total);
    else if (lost > 0)
        report_notice(rep, "The unlocked counter lost %lld of %lld updates "
                      "(%.1f%%): a thread loaded the counter, another stored "
                      "to it, and the first then stored its stale value + 1 "
                      "over that - the other's increments vanished.%s", lost,
                      total, 100.0 * (double)lost / (double)total,
                      sys_allowed_cpus() == 1 ? " With 1 allowed CPU that "
                      "needs a thread switch between a load and its store: "
                      "rare, but then a whole time slice of the other "
                      "thread's increments is overwritten at once." : "");
    else if (un->exact_runs < p->reps)
        report_notice(rep, "The median run lost nothing, but %d of %d runs "
                      "did: the race is there, it just does not strike "
                      "every time%s.", p->reps - un->exact_runs, p->reps,
                      sys_allowed_cpus() == 1 ? " (with 1 allowed CPU it "
                      "needs a thread switch between a load and its store)"
                      : "");
    else
        report_notice(rep, "No update was lost in %d run%s this time%s. The "
                      "load-then-store is still a race (try a larger -n).",
                      p->reps, p->reps == 1 ? "" : "s",
                      sys_allowed_cpus() == 1 ? ": with 1 allowed CPU the "
                      "threads only collide when the scheduler switches "
                      "between a load and its store, which is rare" : "");
}

static void counter_notices(struct report *rep, const struct run_params *p,
                            const struct race_results *res)
{
    const struct measured *un = &res->counter[COUNT_UNSYNC];
    const struct measured *mu = &res->counter[COUNT_MUTEX];
    const struct measured *at = &res->counter[COUNT_ATOMIC];
    long long total = (long long)p->threads * p->size;
    double ns_un = un->secs / (double)total * 1e9;
    double ns_mu = mu->secs / (double)total * 1e9;
    double ns_at = at->secs / (double)total * 1e9;

    notice_lost(rep, p, un, total);
    if (mu->exact_runs == p->reps && at->exact_runs == p->reps)
        report_notice(rep, "The mutex and the atomic counted exactly %lld in "
                      "all %d runs: a lock (or one indivisible instruction) "
                      "makes the read-modify-write safe.", total, p->reps);
    else
        report_notice(rep, "The mutex counted %llu and the atomic %llu of "
                      "%lld: a correct lock never loses an update, so this "
                      "is a bug; please report it.",
                      (unsigned long long)mu->count,
                      (unsigned long long)at->count, total);
    report_notice(rep, "The %s cost %.1fx the %s (%.1f vs %.1f ns per "
                  "update); the unlocked counter took %.1f ns%s.",
                  ns_mu >= ns_at ? "mutex" : "atomic",
                  ns_mu >= ns_at ? ns_mu / ns_at : ns_at / ns_mu,
                  ns_mu >= ns_at ? "atomic" : "mutex",
                  ns_mu >= ns_at ? ns_mu : ns_at,
                  ns_mu >= ns_at ? ns_at : ns_mu, ns_un,
                  un->count < (uint64_t)total ? " - fast, and wrong" : "");
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
                         const struct race_results *res)
{
    struct table *t = report_table(rep, "dedupe", "The crawl, without and "
                                   "with a lock around request_seen");

    table_col(t, "filter", "filter", U_TEXT);
    table_col(t, "workers", "workers", U_INT);
    table_col(t, "urls", "URLs", U_INT);
    table_col(t, "distinct", "distinct", U_INT);
    table_col(t, "fetches", "fetches", U_INT);
    table_col(t, "fetched_once", "once", U_INT);
    table_col(t, "fetched_twice_or_more", "twice+", U_INT);
    table_col(t, "extra_fetches", "extra", U_INT);
    table_col(t, "seconds", "wall", U_MS);
    for (int locked = 0; locked < 2; locked++) {
        const struct crawl_result *c = &res->crawl[locked];
        table_str(t, locked ? "locked" : "unlocked");
        table_num(t, p->threads);
        table_num(t, (double)u->n);
        table_num(t, (double)u->ndistinct);
        table_num(t, (double)c->fetches);
        table_num(t, (double)c->once);
        table_num(t, (double)c->dup_urls);
        table_num(t, (double)(c->fetches - (long long)u->ndistinct));
        table_num(t, c->seconds);
    }
    table_end(t);
}

static void dedupe_notices(struct report *rep, const struct run_params *p,
                           const struct url_list *u,
                           const struct race_results *res)
{
    const struct crawl_result *un = &res->crawl[0], *lk = &res->crawl[1];
    long long distinct = (long long)u->ndistinct;

    if (un->dup_urls > 0)
        report_notice(rep, "Without a lock %lld of the %lld distinct URLs "
                      "%s fetched more than once (%lld extra fetch%s, up to "
                      "%u of one URL): workers found the URL unseen before "
                      "the first of them added it.%s", un->dup_urls, distinct,
                      un->dup_urls == 1 ? "was" : "were",
                      un->fetches - distinct,
                      un->fetches - distinct == 1 ? "" : "es", un->most,
                      sys_allowed_cpus() == 1 ? " With 1 allowed CPU that "
                      "needs a worker switched out inside the window: rare, "
                      "but it happened." : "");
    else if (p->threads == 1)
        report_notice(rep, "With 1 worker the unlocked filter cannot race: "
                      "each of the %lld distinct URLs was fetched once.",
                      distinct);
    else
        report_notice(rep, "Without a lock no URL was fetched twice this "
                      "time%s; nothing in request_seen prevents it, though.",
                      sys_allowed_cpus() == 1 ? " (on 1 allowed CPU a worker "
                      "must be switched out inside the window, which is "
                      "rare)" : "");
    if (lk->once == distinct && lk->fetches == distinct && lk->never == 0)
        report_notice(rep, "With the lock around check-and-add, each of the "
                      "%lld distinct URLs was fetched exactly once (%lld "
                      "fetches for %zu URLs in the frontier); it took "
                      "%.1f ms (unlocked: %.1f ms).", distinct, lk->fetches,
                      u->n, lk->seconds * 1e3, un->seconds * 1e3);
    else
        report_notice(rep, "The locked filter fetched %lld times for %lld "
                      "distinct URLs (%lld never): that is a bug; please "
                      "report it.", lk->fetches, distinct, lk->never);
}

static long cache_line_bytes(void)
{
    long line = sysconf(_SC_LEVEL1_DCACHE_LINESIZE);

    return line > 0 ? line : 64;
}

static void sharing_table(struct report *rep, const struct run_params *p,
                          const struct race_opts *o,
                          const struct race_results *res)
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
    table_col(t, "updates", "updates", U_INT);
    table_col(t, "exact_runs", "exact runs", U_INT);
    table_col(t, "seconds_per_update", "time/update", U_NS);
    table_col(t, "slowdown", "vs padded", U_RATIO);
    for (int k = 0; k < 2; k++) {
        const struct measured *m = &res->sharing[k];
        table_str(t, k ? "padded" : "packed");
        table_num(t, k ? (double)sizeof(struct padded_counter)
                       : (double)sizeof(uint64_t));
        table_num(t, (double)total);
        table_num(t, m->exact_runs);
        table_num(t, m->secs / (double)total);
        table_num(t, m->secs / res->sharing[1].secs);
    }
    table_end(t);
}

static void sharing_notices(struct report *rep, const struct run_params *p,
                            const struct race_opts *o,
                            const struct race_results *res)
{
    double total = (double)p->threads * (double)o->bumps;
    double ns_packed = res->sharing[0].secs / total * 1e9;
    double ns_padded = res->sharing[1].secs / total * 1e9;
    double ratio = ns_padded > 0 ? ns_packed / ns_padded : 0;
    long line = cache_line_bytes();

    if (p->threads == 1)
        report_notice(rep, "With 1 thread there is no one to share the cache "
                      "line with, so padding cannot help (%.2fx).", ratio);
    else if (sys_allowed_cpus() == 1)
        report_notice(rep, "With 1 allowed CPU the threads never run at the "
                      "same time, so the line never bounces between cores "
                      "and padding cannot help (%.2fx).", ratio);
    else if (ratio >= 1.2)
        report_notice(rep, "Padding made it %.1fx faster (%.1f vs %.1f ns "
                      "per update): packed, up to %ld counters share one "
                      "%ld-byte cache line, and every bump pulls that line "
                      "away from the other cores although no data is "
                      "shared.", ratio, ns_packed, ns_padded, line / 8, line);
    else
        report_notice(rep, "Padding made little difference here (%.2fx: "
                      "%.1f vs %.1f ns per update); the threads may not "
                      "have run at the same time.", ratio, ns_packed,
                      ns_padded);
}

/* Classroom defaults (per thread: the totals split over the threads). */
static void race_defaults(const struct run_params *p, struct race_opts *o,
                          long long *increments)
{
    long long t = p->threads;

    *increments = (p->is_quick ? QUICK_INCREMENTS : DEFAULT_INCREMENTS) / t;
    o->urls = p->is_quick ? QUICK_URLS : DEFAULT_URLS;
    o->bumps = (p->is_quick ? QUICK_BUMPS : DEFAULT_BUMPS) / t;
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

static void print_all(struct report *rep, const struct run_params *p,
                      const struct race_opts *o, const struct url_list *u,
                      const struct race_results *res)
{
    counter_table(rep, p, res);
    counter_notices(rep, p, res);
    dedupe_text(rep, p, o, u, res->window_ns);
    dedupe_table(rep, p, u, res);
    dedupe_notices(rep, p, u, res);
    sharing_table(rep, p, o, res);
    sharing_notices(rep, p, o, res);
}

static int race_main(int argc, char **argv)
{
    struct run_params p;
    struct race_opts o = { 0, 0, 0 };
    struct race_results res;
    struct url_list urls = { 0 };
    struct report *rep;
    int rc;

    if ((rc = parse_args(&p, &o, argc, argv)) >= 0)
        return rc;
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
    report_param(rep, "cache_line", "%ld", cache_line_bytes());
    if ((rc = measure_all(rep, &p, &o, &urls, &res)) == 0)
        print_all(rep, &p, &o, &urls, &res);
    else
        cli_error(p.topic, "cannot run the threads: %s", cli_strerror(rc));
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
