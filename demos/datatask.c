/* datatask.c - data parallelism vs task parallelism on the lecture's trade CSV.
 * Data: one operation (sum Value by Country) on byte-range chunks of the
 * file, one table per thread, merged once. Task: five different operations
 * on the whole, intact file at once. Pipeline: parse -> filter -> aggregate
 * threads joined by bounded queues. Look at which one scales with the data
 * and which one is capped by its slowest task or stage.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "csv.h"
#include "demos.h"
#include "hash.h"
#include "report.h"
#include "stats.h"
#include "sysinfo.h"
#include "trade.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPLIT_BYTES (8u << 20)  /* a chunk per 8 MiB, like an input split */
#define MAX_WORKERS 1024

enum mode { MODE_DATA, MODE_TASK, MODE_PIPELINE, MODE_ALL };

struct dt_opts {
    long long rows;
    int mode;
    bool is_skip_bad;
};

/* The CSV in memory: mapped from a file, or generated. */
struct input {
    const char *name;           /* for messages: the path or "(generated)" */
    const char *data;
    size_t len, body;           /* body: where the rows start */
    struct csv_map map;
    char *generated;
};

/* ---- a hash table keyed by slices of the input ------------------------- */

struct agg_entry {
    uint64_t hash;
    const char *key;            /* points into the input: no copy */
    size_t len;
    int64_t rows, sum[2];       /* sum[0]: dollars, sum[1]: tonnes */
    bool has_escapes;           /* key holds "" pairs (see csv_copy) */
};

struct agg {
    struct agg_entry *e;
    size_t cap, used;           /* cap: a power of two, half full at most */
};

static int agg_init(struct agg *t)
{
    t->cap = 64;
    t->used = 0;
    t->e = calloc(t->cap, sizeof(*t->e));
    return t->e ? 0 : -1;
}

static void agg_free(struct agg *t)
{
    free(t->e);
    t->e = NULL;
    t->cap = t->used = 0;
}

/* Linear probing from the hash's slot: the stored hash skips most
 * memcmp calls. */
static struct agg_entry *probe(struct agg_entry *e, size_t cap, uint64_t h,
                               const char *key, size_t len)
{
    size_t i = h & (cap - 1);

    while (e[i].key && (e[i].hash != h || e[i].len != len ||
                        memcmp(e[i].key, key, len) != 0))
        i = (i + 1) & (cap - 1);
    return &e[i];
}

static int agg_grow(struct agg *t)
{
    struct agg_entry *old = t->e, *e = calloc(2 * t->cap, sizeof(*e));

    if (!e)
        return -1;
    for (size_t i = 0; i < t->cap; i++)
        if (old[i].key)
            *probe(e, 2 * t->cap, old[i].hash, old[i].key, old[i].len) =
                old[i];
    t->e = e;
    t->cap *= 2;
    free(old);
    return 0;
}

/* The entry for key, added (zeroed) if new. NULL when out of memory. */
static struct agg_entry *agg_get(struct agg *t, const char *key, size_t len,
                                 bool has_escapes)
{
    uint64_t h = hash_bytes(key, len);
    struct agg_entry *x = probe(t->e, t->cap, h, key, len);

    if (x->key)
        return x;
    if (2 * (t->used + 1) > t->cap) {
        if (agg_grow(t) < 0)
            return NULL;
        x = probe(t->e, t->cap, h, key, len);
    }
    *x = (struct agg_entry){ h, key, len, 0, { 0, 0 }, has_escapes };
    t->used++;
    return x;
}

/* Adds from's sums into into. -1: out of memory or a 64-bit overflow. */
static int agg_merge(struct agg *into, const struct agg *from)
{
    for (size_t i = 0; i < from->cap; i++) {
        const struct agg_entry *f = &from->e[i];
        struct agg_entry *x;
        if (!f->key)
            continue;
        if (!(x = agg_get(into, f->key, f->len, f->has_escapes)) ||
            __builtin_add_overflow(x->sum[0], f->sum[0], &x->sum[0]) ||
            __builtin_add_overflow(x->sum[1], f->sum[1], &x->sum[1]))
            return -1;
        x->rows += f->rows;
    }
    return 0;
}

/* Order-independent fingerprint of the totals: equal tables, equal sums. */
static uint64_t agg_checksum(const struct agg *t)
{
    uint64_t c = 0;

    for (size_t i = 0; i < t->cap; i++)
        if (t->e[i].key)
            c += hash_mix64(t->e[i].hash ^ hash_mix64((uint64_t)t->e[i].rows
                 ^ hash_mix64((uint64_t)t->e[i].sum[0] ^
                              hash_mix64((uint64_t)t->e[i].sum[1]))));
    return c;
}

static int cmp_entry(const void *a, const void *b)
{
    const struct agg_entry *x = *(struct agg_entry *const *)a;
    const struct agg_entry *y = *(struct agg_entry *const *)b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c;

    if (x->sum[0] != y->sum[0])
        return x->sum[0] < y->sum[0] ? 1 : -1;     /* biggest $ first */
    c = memcmp(x->key, y->key, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The used entries, sorted by dollars (biggest first). Free it. */
static struct agg_entry **agg_sorted(const struct agg *t)
{
    struct agg_entry **v = malloc((t->used ? t->used : 1) * sizeof(*v));
    size_t n = 0;

    if (!v)
        return NULL;
    for (size_t i = 0; i < t->cap; i++)
        if (t->e[i].key)
            v[n++] = &t->e[i];
    qsort(v, n, sizeof(*v), cmp_entry);
    return v;
}

/* ---- reading rows ------------------------------------------------------ */

/* What one worker found in its share of the rows. */
struct scan {
    struct agg tab;             /* sums by the key column */
    long long rows, bad;
    size_t bad_off;             /* the first bad row (SIZE_MAX: none) */
    char bad_msg[1024];          /* "FILE:LINE: why" for it */
    bool is_broken;             /* out of memory, or a sum overflowed */
};

static int scan_init(struct scan *s)
{
    memset(s, 0, sizeof(*s));
    s->bad_off = SIZE_MAX;
    return agg_init(&s->tab);
}

/* Counts a bad row; the message is made (lines counted) only for the
 * first, so skipping a million bad rows stays linear. */
static void note_bad(struct scan *s, struct csv_reader *r, int nfields,
                     const char *why)
{
    const char *msg;

    s->bad++;
    if (s->bad_off != SIZE_MAX && s->bad_off < csv_offset(r))
        return;
    s->bad_off = csv_offset(r);
    msg = nfields < 0 ? csv_error(r) : why ? csv_fail(r, "%s", why) :
          csv_expect_fields(r, TRADE_FIELDS, nfields);
    snprintf(s->bad_msg, sizeof(s->bad_msg), "%s", msg);
}

/* $ -> 0, Tonnes -> 1, else -1. */
static inline int measure_of(const struct csv_field *m)
{
    if (m->len == 1 && m->p[0] == '$')
        return 0;
    return m->len == 6 && !memcmp(m->p, "Tonnes", 6) ? 1 : -1;
}

/* The hot loop: adds one row's Value to its key's sums. Returns NULL, or
 * why the row is bad. */
static inline const char *add_row(struct scan *s, const struct csv_field *f,
                                  int key)
{
    int which = measure_of(&f[TRADE_MEASURE]);
    struct agg_entry *e;
    int64_t v;

    if (which < 0)
        return "Measure is neither $ nor Tonnes";
    if (trade_parse_int(f[TRADE_VALUE].p, f[TRADE_VALUE].len, &v) < 0)
        return "Value is not a whole number";
    e = agg_get(&s->tab, f[key].p, f[key].len, f[key].has_escapes);
    if (!e || __builtin_add_overflow(e->sum[which], v, &e->sum[which])) {
        s->is_broken = true;
        return "a sum does not fit in 64 bits (or out of memory)";
    }
    e->rows++;
    s->rows++;
    return NULL;
}

/* Sums Value by column key over the rows in [begin, end) of the input.
 * Stops at the first bad row unless is_skip_bad. */
static void scan_range(const struct input *in, size_t begin, size_t end,
                       int key, bool is_skip_bad, struct scan *s)
{
    struct csv_field f[TRADE_FIELDS];
    struct csv_reader r;
    const char *why;
    int n;

    csv_init(&r, in->data, in->len, in->name);
    csv_range(&r, begin, end);
    while ((n = csv_next(&r, f, TRADE_FIELDS)) != 0) {
        if (n == TRADE_FIELDS && !(why = add_row(s, f, key)))
            continue;
        note_bad(s, &r, n == TRADE_FIELDS ? 0 : n,
                 n == TRADE_FIELDS ? why : NULL);
        if (!is_skip_bad || s->is_broken)
            break;
    }
}

/* Folds worker scans into one: sums merged, the earliest bad row kept. */
static int scan_merge(struct scan *into, const struct scan *from)
{
    into->rows += from->rows;
    into->bad += from->bad;
    into->is_broken |= from->is_broken;
    if (from->bad_off < into->bad_off) {
        into->bad_off = from->bad_off;
        memcpy(into->bad_msg, from->bad_msg, sizeof(into->bad_msg));
    }
    return agg_merge(&into->tab, &from->tab);
}

/* ---- the input ------------------------------------------------------ */

/* Checks the header row; sets in->body to where the rows start. */
static int check_header(struct input *in)
{
    static const char *const names[TRADE_FIELDS] = {
        "Direction", "Year", "Date", "Weekday", "Country", "Commodity",
        "Transport_Mode", "Measure", "Value", "Cumulative",
    };
    struct csv_field f[TRADE_FIELDS];
    struct csv_reader r;
    int n, i;

    csv_init(&r, in->data, in->len, in->name);
    if ((n = csv_next(&r, f, TRADE_FIELDS)) == 0) {
        cli_error("datatask", "%s: empty file (expected the header %s)",
                  in->name, TRADE_HEADER);
        return -1;
    }
    for (i = 0; n == TRADE_FIELDS && i < n; i++)
        if (!csv_equals(&f[i], names[i]))
            break;
    if (n != TRADE_FIELDS || i < n) {
        cli_error("datatask", "%s", csv_fail(&r, "expected the header %s",
                                              TRADE_HEADER));
        return -1;
    }
    in->body = (size_t)(r.pos - in->data);
    return 0;
}

static int load_input(const struct run_params *p, const struct dt_opts *o,
                      struct input *in)
{
    memset(in, 0, sizeof(*in));
    if (p->nargs > 0) {
        in->name = p->args[0];
        if (csv_map_file(in->name, &in->map) < 0) {
            cli_error("datatask", "cannot read %s: %s", in->name,
                      strerror(errno));
            return 1;
        }
        in->data = in->map.data;
        in->len = in->map.len;
    } else {
        in->name = "(generated)";
        if (!(in->generated = trade_generate(o->rows, p->seed, &in->len))) {
            cli_error("datatask", "cannot generate %lld rows: %s", o->rows,
                      strerror(errno));
            return 1;
        }
        in->data = in->generated;
    }
    return check_header(in) < 0 ? 1 : 0;
}

static void free_input(struct input *in)
{
    if (in->generated)
        free(in->generated);
    else
        csv_unmap(&in->map);
}

/* The first `part` of the rows (cut at a line start): a smaller input
 * that shares the same bytes. */
static struct input prefix_of(const struct input *in, double part)
{
    struct input small = *in;
    size_t cut = in->body + (size_t)((double)(in->len - in->body) * part);

    small.len = csv_next_line(in->data, in->len, cut);
    return small;
}

/* ---- data parallelism ----------------------------------------------- */

struct data_run {
    int workers, chunks;
    double secs, merge_secs;
    double chunk_min_s, chunk_max_s, chunk_mean_s;
};

static int chunks_for(const struct input *in, int workers)
{
    size_t bytes = in->len - in->body;
    size_t by_size = (bytes + SPLIT_BYTES - 1) / SPLIT_BYTES;

    /* the data size sets the chunk count; at least one per worker */
    return by_size > (size_t)workers ? (int)(by_size < 4096 ? by_size : 4096)
                                     : workers;
}

static void chunk_times(struct data_run *d, const double *secs, int n)
{
    d->chunk_min_s = d->chunk_max_s = n ? secs[0] : 0;
    d->chunk_mean_s = 0;
    for (int i = 0; i < n; i++) {
        d->chunk_min_s = fmin(d->chunk_min_s, secs[i]);
        d->chunk_max_s = fmax(d->chunk_max_s, secs[i]);
        d->chunk_mean_s += secs[i] / n;
    }
}

/* Each thread scans whole chunks into its own table (no locks, no shared
 * writes), then the tables are merged once, by one thread. */
static int scan_chunks(const struct input *in, const size_t *cuts,
                       struct data_run *d, bool is_skip_bad,
                       struct scan *per, double *secs)
{
    #pragma omp parallel for num_threads(d->workers) schedule(dynamic, 1)
    for (int c = 0; c < d->chunks; c++) {
        double t0 = clk_now();
        scan_range(in, cuts[c], cuts[c + 1], TRADE_COUNTRY, is_skip_bad,
                   &per[omp_get_thread_num()]);
        secs[c] = clk_now() - t0;
    }
    return 0;
}

/* Sums Value by Country with `workers` threads into *total (initialised
 * here; scan_free it). Returns 0, or -1 when out of memory. */
static int data_parallel(const struct input *in, int workers,
                         bool is_skip_bad, struct scan *total,
                         struct data_run *d)
{
    int nc = chunks_for(in, workers), rc = 0;
    size_t *cuts = calloc((size_t)nc + 1, sizeof(*cuts));
    double *secs = calloc((size_t)nc, sizeof(*secs)), t0;
    struct scan *per = calloc((size_t)workers, sizeof(*per));

    *d = (struct data_run){ .workers = workers, .chunks = nc };
    rc = scan_init(total);
    for (int w = 0; per && w < workers; w++)
        rc |= scan_init(&per[w]);
    if (!cuts || !secs || !per || rc) {
        rc = -1;
        goto out;
    }
    t0 = clk_now();
    csv_split(in->data, in->len, in->body, nc, cuts);
    scan_chunks(in, cuts, d, is_skip_bad, per, secs);
    double t1 = clk_now();
    for (int w = 0; w < workers; w++)
        rc |= scan_merge(total, &per[w]);
    d->merge_secs = clk_now() - t1;
    d->secs = clk_now() - t0;
    chunk_times(d, secs, nc);
out:
    for (int w = 0; per && w < workers; w++)
        agg_free(&per[w].tab);
    free(per);
    free(secs);
    free(cuts);
    return rc;
}

/* The same aggregation with no OpenMP at all: the reference. */
static int data_serial(const struct input *in, bool is_skip_bad,
                       struct scan *total, struct data_run *d)
{
    double t0 = clk_now();

    *d = (struct data_run){ .workers = 1, .chunks = 1 };
    if (scan_init(total) < 0)
        return -1;
    scan_range(in, in->body, in->len, TRADE_COUNTRY, is_skip_bad, total);
    d->secs = clk_now() - t0;
    d->chunk_min_s = d->chunk_max_s = d->chunk_mean_s = d->secs;
    return 0;
}

/* A row of the data table: one worker count, timed reps times. */
struct data_point {
    struct data_run run;        /* the median run's details */
    struct stats st;
    uint64_t checksum;
};

/* Was the scan clean? If not, says why on stderr (exit status 1). */
static int scan_ok(const struct scan *s, bool is_skip_bad)
{
    if (s->bad && (!is_skip_bad || s->is_broken)) {
        cli_error("datatask", "%s", s->bad_msg);
        return 0;
    }
    return 1;
}

/* One run: workers == 0 is the serial reference. */
static int data_once(const struct input *in, int workers, bool is_skip_bad,
                     struct scan *total, struct data_run *d)
{
    int rc = workers ? data_parallel(in, workers, is_skip_bad, total, d)
                     : data_serial(in, is_skip_bad, total, d);

    if (rc == 0 && !scan_ok(total, is_skip_bad))
        rc = 1;
    return rc;
}

/* A timed sample: the mean of `inner` runs, so that a run of a few
 * microseconds is not lost in the clock's and the scheduler's noise. */
static int data_sample(const struct input *in, int workers, int inner,
                       bool is_skip_bad, struct data_run *d, uint64_t *sum,
                       struct scan *keep)
{
    struct data_run one = { 0 };
    struct scan total;
    double secs = 0;
    int rc = 0;

    for (int k = 0; k < inner && rc == 0; k++) {
        rc = data_once(in, workers, is_skip_bad, &total, &one);
        secs += one.secs;
        *sum = agg_checksum(&total.tab);
        if (rc || k < inner - 1 || !keep)
            agg_free(&total.tab);
        else
            *keep = total;
    }
    *d = one;
    d->secs = secs / inner;
    return rc;
}

/* A warm-up run, then reps samples. *keep (if not NULL) gets the last
 * run's totals. Returns 0, 1 (bad data: reported), or -1 (no memory). */
static int time_data(const struct input *in, int workers, int reps,
                     bool is_skip_bad, struct data_point *pt,
                     struct scan *keep)
{
    double secs[1001];
    struct data_run runs[1001];
    int inner = 1, rc;

    for (int i = 0; i <= reps; i++) {
        rc = data_sample(in, workers, inner, is_skip_bad, &runs[i],
                         &pt->checksum, i == reps ? keep : NULL);
        if (rc)
            return rc;
        secs[i] = runs[i].secs;
        if (i == 0 && secs[0] < 2e-3)   /* aim at 2 ms per sample */
            inner = secs[0] > 2e-6 ? (int)(2e-3 / secs[0]) : 1000;
    }
    pt->st = stats_of(secs + 1, (size_t)reps);  /* secs[0]: warm-up */
    pt->run = runs[1];
    for (int i = 1; i <= reps; i++)
        if (runs[i].secs == pt->st.median)
            pt->run = runs[i];
    return 0;
}

/* Exact in CSV and JSON: a double holds integers up to 2^53 exactly,
 * beyond that the digits go as text. */
static void table_int64(struct table *tb, int64_t v)
{
    char buf[24];

    if (v > -(1LL << 53) && v < (1LL << 53)) {
        table_num(tb, (double)v);
        return;
    }
    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    table_str(tb, buf);
}

static void totals_table(struct report *r, const struct agg *t,
                         const char *caption)
{
    struct table *tb = report_table(r, "totals", caption);
    struct agg_entry **v = agg_sorted(t);
    char name[256];

    table_col(tb, "country", "Country", U_TEXT);
    table_col(tb, "rows", "rows", U_INT);
    table_col(tb, "dollars", "Value $", U_INT);
    table_col(tb, "tonnes", "Value Tonnes", U_INT);
    for (size_t i = 0; v && i < t->used; i++) {
        struct csv_field f = { v[i]->key, v[i]->len, v[i]->has_escapes };
        csv_copy(&f, name, sizeof(name));
        table_str(tb, name);
        table_num(tb, (double)v[i]->rows);
        table_int64(tb, v[i]->sum[0]);
        table_int64(tb, v[i]->sum[1]);
    }
    free(v);
    table_end(tb);
}

/* The worker counts to try: 1..t, or powers of two and t when t > 4. */
static int worker_counts(int t, int *w)
{
    int n = 0;

    for (int k = 1; k <= t; k = t <= 4 ? k + 1 : 2 * k)
        w[n++] = k;
    if (w[n - 1] != t)
        w[n++] = t;
    return n;
}

static void data_row(struct table *tb, const char *label,
                     const struct data_point *pt, const struct data_point *ref,
                     size_t bytes)
{
    table_str(tb, label);
    table_num(tb, pt->run.chunks);
    table_num(tb, pt->st.min);
    table_num(tb, pt->st.median);
    table_num(tb, pt->st.max);
    table_num(tb, pt->st.median > 0 ? bytes / pt->st.median : 0);
    table_num(tb, stats_speedup(ref->st.median, pt->st.median));
    table_num(tb, pt->run.chunk_mean_s > 0 ?
              pt->run.chunk_max_s / pt->run.chunk_mean_s : 1);
    table_num(tb, pt->run.merge_secs);
    table_str(tb, pt->checksum == ref->checksum ? "yes" : "NO");
}

static struct table *data_table(struct report *r)
{
    struct table *tb = report_table(r, "data", "Data parallelism: sum of "
                                    "Value by Country over chunks of rows");

    table_col(tb, "run", "run", U_TEXT);
    table_col(tb, "chunks", "chunks", U_INT);
    table_col(tb, "min_seconds", "min", U_MS);
    table_col(tb, "median_seconds", "median", U_MS);
    table_col(tb, "max_seconds", "max", U_MS);
    table_col(tb, "bytes_per_second", "speed", U_MBPS);
    table_col(tb, "speedup", "speedup", U_RATIO);
    table_col(tb, "chunk_spread", "chunk spread", U_RATIO);
    table_col(tb, "merge_seconds", "merge", U_US);
    table_col(tb, "same_as_serial", "same", U_TEXT);
    return tb;
}

/* ---- task parallelism ------------------------------------------------ */

struct task_out {
    char text[112];             /* what the task found */
    uint64_t check;             /* to compare serial and parallel runs */
    long long bad;
    char bad_msg[1024];
    double secs;
    int thread;                 /* the OpenMP thread that ran it */
};

/* Calls fn for every row with 10 fields; bad rows (and rows fn rejects)
 * are counted in *s, the first with its message. */
static void each_row(const struct input *in,
                     const char *(*fn)(void *ctx, const struct csv_field *f),
                     void *ctx, struct scan *s)
{
    struct csv_field f[TRADE_FIELDS];
    struct csv_reader r;
    const char *why;
    int n;

    csv_init(&r, in->data, in->len, in->name);
    csv_range(&r, in->body, in->len);
    while ((n = csv_next(&r, f, TRADE_FIELDS)) != 0) {
        if (n != TRADE_FIELDS)
            note_bad(s, &r, n, NULL);
        else if ((why = fn(ctx, f)))
            note_bad(s, &r, 0, why);
    }
}

/* $38.1 bn, $209 m, $5120: a reading aid, the exact sums are above. */
static void fmt_money(char *buf, size_t len, int64_t v)
{
    if (v >= 1000000000)
        snprintf(buf, len, "$%.1f bn", v / 1e9);
    else if (v >= 1000000)
        snprintf(buf, len, "$%.1f m", v / 1e6);
    else
        snprintf(buf, len, "$%lld", (long long)v);
}

/* Tasks 1 and 2: the data-parallel aggregation, but by a whole task. */
static void task_by_key(const struct input *in, int key, const char *what,
                        struct task_out *out)
{
    struct scan s;
    struct agg_entry **v;
    char name[64], money[32];

    if (scan_init(&s) < 0)
        return;
    scan_range(in, in->body, in->len, key, true, &s);
    if ((v = agg_sorted(&s.tab)) && s.tab.used) {
        struct csv_field f = { v[0]->key, v[0]->len, v[0]->has_escapes };
        csv_copy(&f, name, sizeof(name));
        fmt_money(money, sizeof(money), v[0]->sum[0]);
        snprintf(out->text, sizeof(out->text), "%zu %s; top: %s %s",
                 s.tab.used, what, name, money);
    }
    out->check = agg_checksum(&s.tab);
    out->bad = s.bad;
    free(v);
    agg_free(&s.tab);
}

static void task_country(const struct input *in, struct task_out *out)
{
    task_by_key(in, TRADE_COUNTRY, "countries", out);
}

static void task_commodity(const struct input *in, struct task_out *out)
{
    task_by_key(in, TRADE_COMMODITY, "commodities", out);
}

static const char *add_weekday(void *ctx, const struct csv_field *f)
{
    int64_t *sum = ctx, v;

    if (measure_of(&f[TRADE_MEASURE]) != 0)
        return NULL;
    if (trade_parse_int(f[TRADE_VALUE].p, f[TRADE_VALUE].len, &v) < 0)
        return "Value is not a whole number";
    for (int d = 0; d < 7; d++)
        if (csv_equals(&f[TRADE_WEEKDAY], trade_weekday_name(d)))
            return sum[d] += v, NULL;
    return "unknown Weekday";
}

/* Task 3: the weekday with the most dollars. */
static void task_weekday(const struct input *in, struct task_out *out)
{
    int64_t sum[7] = { 0 };
    struct scan s;
    char money[32];
    int best = 0;

    if (scan_init(&s) < 0)
        return;
    each_row(in, add_weekday, sum, &s);
    for (int d = 1; d < 7; d++)
        if (sum[d] > sum[best])
            best = d;
    fmt_money(money, sizeof(money), sum[best]);
    snprintf(out->text, sizeof(out->text), "%s (%s)",
             trade_weekday_name(best), money);
    out->check = hash_mix64((uint64_t)sum[best] + (uint64_t)best);
    out->bad = s.bad;
    agg_free(&s.tab);
}

static const char *add_day(void *ctx, const struct csv_field *f)
{
    static const long epoch_2015 = 16436;      /* 01/01/2015, from 1970 */
    int64_t *sum = ctx, v;
    int y, m, d;
    long day;

    if (measure_of(&f[TRADE_MEASURE]) != 0)
        return NULL;
    if (trade_parse_int(f[TRADE_VALUE].p, f[TRADE_VALUE].len, &v) < 0)
        return "Value is not a whole number";
    if (trade_parse_date(f[TRADE_DATE].p, f[TRADE_DATE].len, &y, &m, &d))
        return "Date is not a real dd/mm/yyyy date";
    day = trade_days_from_civil(y, m, d) - epoch_2015;
    if (day < 0 || day >= TRADE_DAYS)
        return "Date is outside 2015-2021";
    sum[day] += v;
    return NULL;
}

/* Task 4: the single day with the most dollars, all series together. */
static void task_max_day(const struct input *in, struct task_out *out)
{
    int64_t *sum = calloc(TRADE_DAYS, sizeof(*sum));
    struct scan s;
    char money[32];
    int best = 0, y = TRADE_FIRST_YEAR, m = 1, d;

    if (!sum || scan_init(&s) < 0) {
        free(sum);
        return;
    }
    each_row(in, add_day, sum, &s);
    for (int i = 1; i < TRADE_DAYS; i++)
        if (sum[i] > sum[best])
            best = i;
    for (d = best + 1; d > trade_days_in_month(y, m); ) {
        d -= trade_days_in_month(y, m);
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
    fmt_money(money, sizeof(money), sum[best]);
    snprintf(out->text, sizeof(out->text), "%02d/%02d/%d (%s)",
             d, m, y, money);
    out->check = hash_mix64((uint64_t)sum[best] + (uint64_t)best);
    out->bad = s.bad;
    agg_free(&s.tab);
    free(sum);
}

static const char *check_row(void *ctx, const struct csv_field *f)
{
    struct trade_row row;
    const char *why;

    (void)ctx;
    return trade_check_row(f, TRADE_FIELDS, &row, &why) < 0 ? why : NULL;
}

/* Task 5: every field of every row checked, as a careful loader does. */
static void task_validate(const struct input *in, struct task_out *out)
{
    struct scan s;

    if (scan_init(&s) < 0)
        return;
    each_row(in, check_row, NULL, &s);
    snprintf(out->text, sizeof(out->text), "%lld bad row%s", s.bad,
             s.bad == 1 ? "" : "s");
    out->check = (uint64_t)s.bad;
    out->bad = s.bad;
    snprintf(out->bad_msg, sizeof(out->bad_msg), "%s", s.bad_msg);
    agg_free(&s.tab);
}

struct task_def {
    const char *name;
    void (*run)(const struct input *in, struct task_out *out);
};

static const struct task_def task_defs[] = {
    { "sum by country", task_country },
    { "sum by commodity", task_commodity },
    { "busiest weekday", task_weekday },
    { "biggest single day", task_max_day },
    { "validate every row", task_validate },
};
enum { N_TASKS = ARRAY_SIZE(task_defs) };

/* All five tasks at once on `workers` threads: each is one OpenMP task,
 * and an idle thread takes the next one. Returns the wall time. */
static double run_tasks(const struct input *in, int workers,
                        struct task_out *out)
{
    double t0 = clk_now();

    memset(out, 0, N_TASKS * sizeof(*out));
    #pragma omp parallel num_threads(workers)
    #pragma omp single
    for (int k = 0; k < N_TASKS; k++) {
        #pragma omp task firstprivate(k)
        {
            double s = clk_now();
            task_defs[k].run(in, &out[k]);
            out[k].secs = clk_now() - s;
            out[k].thread = omp_get_thread_num();
        }
    }
    return clk_now() - t0;
}

struct task_summary {
    struct task_out alone[N_TASKS], together[N_TASKS];
    struct stats serial, parallel;      /* wall times: 1 worker, N */
    int workers;
    bool is_same;                       /* same answers both ways */
};

static int measure_tasks(const struct input *in, const struct run_params *p,
                         bool is_skip_bad, struct task_summary *ts)
{
    double serial[1001], parallel[1001];

    ts->workers = p->threads;
    ts->is_same = true;
    for (int i = 0; i <= p->reps; i++) {
        serial[i] = run_tasks(in, 1, ts->alone);
        if (i == 0 && ts->alone[N_TASKS - 1].bad && !is_skip_bad) {
            cli_error("datatask", "%s", ts->alone[N_TASKS - 1].bad_msg);
            return 1;
        }
        parallel[i] = run_tasks(in, ts->workers, ts->together);
        for (int k = 0; k < N_TASKS; k++)
            ts->is_same &= ts->alone[k].check == ts->together[k].check;
    }
    ts->serial = stats_of(serial + 1, (size_t)p->reps);
    ts->parallel = stats_of(parallel + 1, (size_t)p->reps);
    return 0;
}

/* The best a task-parallel run can do: no faster than its slowest task,
 * nor than the total work shared perfectly by the workers. */
static double task_bound(const struct task_summary *ts, double *slowest,
                         double *total)
{
    *slowest = *total = 0;
    for (int k = 0; k < N_TASKS; k++) {
        *total += ts->alone[k].secs;
        *slowest = fmax(*slowest, ts->alone[k].secs);
    }
    return *total / fmax(*slowest, *total / ts->workers);
}

/* ---- a pipeline: parse -> filter -> aggregate ---------------------------- */

#define BATCH_ROWS 1024
#define QUEUE_SLOTS 4           /* bounded: a fast stage blocks, not grows */
#define N_BATCHES (3 * QUEUE_SLOTS + 3)

/* What the parse stage extracts from one row. */
struct item {
    const char *key;
    size_t len;
    bool has_escapes, is_export, is_dollars;
    int64_t value;
};

struct batch {
    int n;
    struct item it[BATCH_ROWS];
};

/* A bounded queue of batches; NULL is the end-of-stream marker. */
struct queue {
    struct batch *slot[N_BATCHES];
    int head, count, cap;
    pthread_mutex_t mu;
    pthread_cond_t can_get, can_put;
};

static void queue_init(struct queue *q, int cap)
{
    memset(q, 0, sizeof(*q));
    q->cap = cap;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->can_get, NULL);
    pthread_cond_init(&q->can_put, NULL);
}

static void queue_destroy(struct queue *q)
{
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->can_get);
    pthread_cond_destroy(&q->can_put);
}

/* Puts b, waiting while the queue is full; adds the wait to *wait_s. */
static void queue_put(struct queue *q, struct batch *b, double *wait_s)
{
    double t0 = clk_now();

    pthread_mutex_lock(&q->mu);
    while (q->count == q->cap)
        pthread_cond_wait(&q->can_put, &q->mu);
    q->slot[(q->head + q->count++) % N_BATCHES] = b;
    pthread_cond_signal(&q->can_get);
    pthread_mutex_unlock(&q->mu);
    *wait_s += clk_now() - t0;
}

static struct batch *queue_get(struct queue *q, double *wait_s)
{
    double t0 = clk_now();
    struct batch *b;

    pthread_mutex_lock(&q->mu);
    while (q->count == 0)
        pthread_cond_wait(&q->can_get, &q->mu);
    b = q->slot[q->head];
    q->head = (q->head + 1) % N_BATCHES;
    q->count--;
    pthread_cond_signal(&q->can_put);
    pthread_mutex_unlock(&q->mu);
    *wait_s += clk_now() - t0;
    return b;
}

enum { PARSE, FILTER, AGGREGATE, N_STAGES };
static const char *const stage_names[N_STAGES] = {
    "parse rows", "filter Exports, $", "sum by country",
};

struct stage_stats {
    double busy_s, wait_s;      /* working / blocked on a queue */
    long long in, out;          /* rows taken / passed on */
};

struct pipeline {
    const struct input *in;
    bool is_skip_bad;
    struct queue empty, parsed, kept;
    struct batch *batches;
    struct scan bad;            /* the parse stage's bad rows */
    struct agg sums;            /* the aggregate stage's result */
    bool is_broken;
    struct stage_stats st[N_STAGES];
};

/* Parse: turn a CSV row into an item. NULL, or why the row is bad. */
static const char *parse_item(const struct csv_field *f, struct item *it)
{
    int which = measure_of(&f[TRADE_MEASURE]);

    if (which < 0)
        return "Measure is neither $ nor Tonnes";
    if (trade_parse_int(f[TRADE_VALUE].p, f[TRADE_VALUE].len, &it->value))
        return "Value is not a whole number";
    it->key = f[TRADE_COUNTRY].p;
    it->len = f[TRADE_COUNTRY].len;
    it->has_escapes = f[TRADE_COUNTRY].has_escapes;
    it->is_dollars = which == 0;
    it->is_export = csv_equals(&f[TRADE_DIRECTION], "Exports");
    return NULL;
}

static void *parse_stage(void *arg)
{
    struct pipeline *pl = arg;
    struct stage_stats *st = &pl->st[PARSE];
    struct csv_field f[TRADE_FIELDS];
    struct csv_reader r;
    double t0 = clk_now();
    struct batch *b = queue_get(&pl->empty, &st->wait_s);
    const char *why;
    int n;

    csv_init(&r, pl->in->data, pl->in->len, pl->in->name);
    csv_range(&r, pl->in->body, pl->in->len);
    for (b->n = 0; (n = csv_next(&r, f, TRADE_FIELDS)) != 0; st->in++) {
        why = n == TRADE_FIELDS ? parse_item(f, &b->it[b->n]) : NULL;
        if (n != TRADE_FIELDS || why) {
            note_bad(&pl->bad, &r, n == TRADE_FIELDS ? 0 : n, why);
            if (!pl->is_skip_bad)
                break;
            continue;
        }
        st->out++;
        if (++b->n == BATCH_ROWS) {
            queue_put(&pl->parsed, b, &st->wait_s);
            b = queue_get(&pl->empty, &st->wait_s);
            b->n = 0;
        }
    }
    queue_put(&pl->parsed, b, &st->wait_s);
    queue_put(&pl->parsed, NULL, &st->wait_s);      /* end of stream */
    st->busy_s = clk_now() - t0 - st->wait_s;
    return NULL;
}

static void *filter_stage(void *arg)
{
    struct pipeline *pl = arg;
    struct stage_stats *st = &pl->st[FILTER];
    double t0 = clk_now();
    struct batch *b;

    while ((b = queue_get(&pl->parsed, &st->wait_s))) {
        int kept = 0;
        for (int i = 0; i < b->n; i++)
            if (b->it[i].is_export && b->it[i].is_dollars)
                b->it[kept++] = b->it[i];
        st->in += b->n;
        st->out += kept;
        b->n = kept;
        queue_put(&pl->kept, b, &st->wait_s);
    }
    queue_put(&pl->kept, NULL, &st->wait_s);
    st->busy_s = clk_now() - t0 - st->wait_s;
    return NULL;
}

static void *aggregate_stage(void *arg)
{
    struct pipeline *pl = arg;
    struct stage_stats *st = &pl->st[AGGREGATE];
    double t0 = clk_now();
    struct batch *b;

    while ((b = queue_get(&pl->kept, &st->wait_s))) {
        for (int i = 0; i < b->n; i++) {
            const struct item *it = &b->it[i];
            struct agg_entry *e = agg_get(&pl->sums, it->key, it->len,
                                          it->has_escapes);
            if (!e || __builtin_add_overflow(e->sum[0], it->value,
                                             &e->sum[0])) {
                pl->is_broken = true;
                continue;
            }
            e->rows++;
        }
        st->in += b->n;
        st->out += b->n;
        queue_put(&pl->empty, b, &st->wait_s);  /* recycle the batch */
    }
    st->busy_s = clk_now() - t0 - st->wait_s;
    return NULL;
}

static int pipeline_init(struct pipeline *pl, const struct input *in,
                         bool is_skip_bad)
{
    memset(pl, 0, sizeof(*pl));
    pl->in = in;
    pl->is_skip_bad = is_skip_bad;
    queue_init(&pl->empty, N_BATCHES);
    queue_init(&pl->parsed, QUEUE_SLOTS);
    queue_init(&pl->kept, QUEUE_SLOTS);
    pl->batches = malloc(N_BATCHES * sizeof(*pl->batches));
    if (!pl->batches || scan_init(&pl->bad) < 0 || agg_init(&pl->sums) < 0)
        return -1;
    for (int i = 0; i < N_BATCHES; i++)
        queue_put(&pl->empty, &pl->batches[i], &pl->st[PARSE].wait_s);
    pl->st[PARSE].wait_s = 0;
    return 0;
}

static void pipeline_free(struct pipeline *pl)
{
    queue_destroy(&pl->empty);
    queue_destroy(&pl->parsed);
    queue_destroy(&pl->kept);
    free(pl->batches);
    agg_free(&pl->bad.tab);
    agg_free(&pl->sums);
}

/* Three threads, one per stage: parse and filter get their own, the
 * calling thread aggregates. Returns the wall time, or -1 if no thread
 * could be started. */
static double run_pipeline(struct pipeline *pl)
{
    double t0 = clk_now();
    pthread_t parse, filter;

    if (pthread_create(&filter, NULL, filter_stage, pl) != 0)
        return -1;
    if (pthread_create(&parse, NULL, parse_stage, pl) != 0) {
        queue_put(&pl->parsed, NULL, &pl->st[PARSE].wait_s);
        aggregate_stage(pl);
        pthread_join(filter, NULL);
        return -1;
    }
    aggregate_stage(pl);
    pthread_join(parse, NULL);
    pthread_join(filter, NULL);
    return clk_now() - t0;
}

/* The same three steps fused in one loop on one thread: the reference. */
static double run_fused(const struct input *in, struct agg *sums)
{
    struct csv_field f[TRADE_FIELDS];
    struct csv_reader r;
    struct item it;
    double t0 = clk_now();
    int n;

    csv_init(&r, in->data, in->len, in->name);
    csv_range(&r, in->body, in->len);
    while ((n = csv_next(&r, f, TRADE_FIELDS)) != 0) {
        struct agg_entry *e;
        if (n != TRADE_FIELDS || parse_item(f, &it) || !it.is_export ||
            !it.is_dollars)
            continue;
        if (!(e = agg_get(sums, it.key, it.len, it.has_escapes)))
            return -1;
        e->sum[0] += it.value;
        e->rows++;
    }
    return clk_now() - t0;
}

struct pipe_summary {
    struct stats fused, piped;
    struct stage_stats st[N_STAGES];
    bool is_same;
};

static int measure_pipeline(const struct input *in, const struct run_params *p,
                            bool is_skip_bad, struct pipe_summary *ps)
{
    double fused[1001], piped[1001];
    struct pipeline pl;
    struct agg ref = { NULL, 0, 0 };

    ps->is_same = true;
    for (int i = 0; i <= p->reps; i++) {
        int rc = pipeline_init(&pl, in, is_skip_bad) < 0 ||
                 agg_init(&ref) < 0 ? -1 : 0;
        if (rc == 0 && ((fused[i] = run_fused(in, &ref)) < 0 ||
                        (piped[i] = run_pipeline(&pl)) < 0))
            rc = -1;
        if (rc == 0 && !scan_ok(&pl.bad, is_skip_bad))
            rc = 1;
        ps->is_same &= rc == 0 && !pl.is_broken &&
                       agg_checksum(&ref) == agg_checksum(&pl.sums);
        memcpy(ps->st, pl.st, sizeof(ps->st));
        pipeline_free(&pl);
        agg_free(&ref);
        if (rc)
            return rc;
    }
    ps->fused = stats_of(fused + 1, (size_t)p->reps);
    ps->piped = stats_of(piped + 1, (size_t)p->reps);
    return 0;
}

/* ---- measuring the data part ---------------------------------------- */

#define MAX_POINTS 16
#define N_SCALE 4

struct data_summary {
    size_t bytes;
    struct data_point ref, pt[MAX_POINTS];
    int npoints, workers[MAX_POINTS];
    struct scan totals;                 /* from the most workers */
    struct input scale_in[N_SCALE];     /* 1/1000, 1/100, 1/10, all */
    struct data_point scale_ser[N_SCALE], scale_par[N_SCALE];
    long long scale_rows[N_SCALE];
};

static int measure_scaling(const struct run_params *p, bool is_skip_bad,
                           const struct input *in, struct data_summary *ds)
{
    static const double part[N_SCALE] = { 1e-3, 1e-2, 1e-1, 1 };
    struct scan kept;
    int rc;

    for (int i = 0; i < N_SCALE - 1; i++) {
        ds->scale_in[i] = prefix_of(in, part[i]);
        if ((rc = time_data(&ds->scale_in[i], 0, p->reps, is_skip_bad,
                            &ds->scale_ser[i], NULL)) ||
            (rc = time_data(&ds->scale_in[i], p->threads, p->reps,
                            is_skip_bad, &ds->scale_par[i], &kept)))
            return rc;
        ds->scale_rows[i] = kept.rows;
        agg_free(&kept.tab);
    }
    ds->scale_in[N_SCALE - 1] = *in;
    ds->scale_ser[N_SCALE - 1] = ds->ref;
    ds->scale_par[N_SCALE - 1] = ds->pt[ds->npoints - 1];
    ds->scale_rows[N_SCALE - 1] = ds->totals.rows;
    return 0;
}

/* Serial, then every worker count, then the rows sweep. Returns 0, 1
 * (bad data, reported) or -1 (out of memory). */
static int measure_data(const struct input *in, const struct run_params *p,
                        bool is_skip_bad, struct data_summary *ds)
{
    int rc;

    memset(ds, 0, sizeof(*ds));
    ds->bytes = in->len - in->body;
    if ((rc = time_data(in, 0, p->reps, is_skip_bad, &ds->ref, NULL)))
        return rc;
    ds->npoints = worker_counts(p->threads, ds->workers);
    for (int i = 0; i < ds->npoints; i++) {
        bool is_last = i == ds->npoints - 1;
        if ((rc = time_data(in, ds->workers[i], p->reps, is_skip_bad,
                            &ds->pt[i], is_last ? &ds->totals : NULL)))
            return rc;
    }
    rc = measure_scaling(p, is_skip_bad, in, ds);
    if (rc)
        agg_free(&ds->totals.tab);
    return rc;
}

/* ---- printing ---------------------------------------------------------- */

static double best_speedup(const struct data_summary *ds, int *at)
{
    double best = 0;

    for (int i = 0; i < ds->npoints; i++) {
        double s = stats_speedup(ds->ref.st.median, ds->pt[i].st.median);
        if (s > best) {
            best = s;
            *at = i;
        }
    }
    return best;
}

static void scaling_table(struct report *r, const struct data_summary *ds,
                          int workers)
{
    struct table *tb = report_table(r, "scaling", "Data parallelism grows "
                                    "with the data");
    char head[48];

    snprintf(head, sizeof(head), "%d workers", workers);
    table_col(tb, "rows", "rows", U_INT);
    table_col(tb, "bytes", "size", U_MIB);
    table_col(tb, "serial_seconds", "serial", U_MS);
    table_col(tb, "parallel_seconds", head, U_MS);
    table_col(tb, "speedup", "speedup", U_RATIO);
    for (int i = 0; i < N_SCALE; i++) {
        table_num(tb, (double)ds->scale_rows[i]);
        table_num(tb, (double)(ds->scale_in[i].len - ds->scale_in[i].body));
        table_num(tb, ds->scale_ser[i].st.median);
        table_num(tb, ds->scale_par[i].st.median);
        table_num(tb, stats_speedup(ds->scale_ser[i].st.median,
                                    ds->scale_par[i].st.median));
    }
    table_end(tb);
}

/* Does the gain grow with the rows? (the fixed costs weigh less) */
static void scaling_notice(struct report *r, const struct data_summary *ds)
{
    double small = stats_speedup(ds->scale_ser[0].st.median,
                                 ds->scale_par[0].st.median);
    double big = stats_speedup(ds->scale_ser[N_SCALE - 1].st.median,
                               ds->scale_par[N_SCALE - 1].st.median);

    if (big > 1.05 * small)
        report_notice(r, "More rows, more gain: %.2fx on %lld rows, %.2fx "
                      "on %lld. Starting the team and merging %d tables "
                      "cost the same at any size, so they weigh less as the "
                      "data grows.", small, ds->scale_rows[0], big,
                      ds->scale_rows[N_SCALE - 1],
                      ds->workers[ds->npoints - 1]);
    else
        report_notice(r, "The gain hardly changed with the rows here "
                      "(%.2fx on %lld, %.2fx on %lld): %s", small,
                      ds->scale_rows[0], big, ds->scale_rows[N_SCALE - 1],
                      sys_allowed_cpus() == 1 ? "with 1 CPU there is "
                      "nothing to gain at any size." : "the fixed costs "
                      "(a warm thread team, a tiny merge) are already "
                      "small at these sizes.");
}

static void data_notices(struct report *r, const struct data_summary *ds)
{
    int at = 0, cpus = sys_allowed_cpus();
    double best = best_speedup(ds, &at);
    bool is_same = true;

    for (int i = 0; i < ds->npoints; i++)
        is_same &= ds->pt[i].checksum == ds->ref.checksum;
    report_notice(r, "Data parallel: the best run, %d worker%s, went "
                  "%.2fx the serial speed (%.0f MB/s against %.0f MB/s) on "
                  "%d CPU%s; %s.", ds->workers[at],
                  ds->workers[at] == 1 ? "" : "s", best,
                  ds->bytes / ds->pt[at].st.median / 1e6,
                  ds->bytes / ds->ref.st.median / 1e6, cpus,
                  cpus == 1 ? "" : "s", is_same ?
                  "every worker count gave exactly the serial totals" :
                  "BUT the totals differ from serial: a bug");
    if (cpus > 1 && best < 1.1)
        report_notice(r, "So little gain from %d CPUs means they were not "
                      "free: the load average is %.2f (other programs "
                      "running). Compare min with median, or run again.",
                      cpus, sys_load_average());
    scaling_notice(r, ds);
    if (ds->totals.bad)
        report_notice(r, "--skip-bad skipped %lld bad row%s; the first: %s",
                      ds->totals.bad, ds->totals.bad == 1 ? "" : "s",
                      ds->totals.bad_msg);
}

static void print_data(struct report *r, const struct data_summary *ds,
                       const struct run_params *p)
{
    struct table *tb = data_table(r);
    char label[32];

    data_row(tb, "serial", &ds->ref, &ds->ref, ds->bytes);
    for (int i = 0; i < ds->npoints; i++) {
        snprintf(label, sizeof(label), "%d worker%s", ds->workers[i],
                 ds->workers[i] == 1 ? "" : "s");
        data_row(tb, label, &ds->pt[i], &ds->ref, ds->bytes);
    }
    table_end(tb);
    totals_table(r, &ds->totals.tab, "The result: Value by Country "
                 "(whole numbers, no rounding)");
    scaling_table(r, ds, p->threads);
    data_notices(r, ds);
}

static void task_run_row(struct table *tb, const char *label,
                         const struct stats *st, const struct stats *ref,
                         double bound)
{
    table_str(tb, label);
    table_num(tb, st->min);
    table_num(tb, st->median);
    table_num(tb, st->max);
    table_num(tb, stats_speedup(ref->median, st->median));
    table_num(tb, bound);
}

/* How busy each worker was in the parallel run: uneven tasks leave some
 * idle while the last one finishes. */
static void idle_notice(struct report *r, const struct task_summary *ts)
{
    double busy[MAX_WORKERS] = { 0 }, most = 0, least = 1e300;
    int lazy = 0;

    for (int k = 0; k < N_TASKS; k++)
        if (ts->together[k].thread >= 0 &&
            ts->together[k].thread < MAX_WORKERS)
            busy[ts->together[k].thread] += ts->together[k].secs;
    for (int w = 0; w < ts->workers && w < MAX_WORKERS; w++) {
        most = fmax(most, busy[w]);
        if (busy[w] < least) {
            least = busy[w];
            lazy = w;
        }
    }
    if (ts->workers > 1 && most > 0)
        report_notice(r, "In the parallel run the busiest thread worked "
                      "%.0f ms and thread %d only %.0f ms: with uneven tasks "
                      "a worker sits idle while the last task finishes.",
                      most * 1e3, lazy, least * 1e3);
}

static void print_tasks(struct report *r, const struct task_summary *ts)
{
    struct table *tb = report_table(r, "tasks", "Task parallelism: five "
                                    "different jobs on the whole file");
    double slowest, total, bound = task_bound(ts, &slowest, &total);

    table_col(tb, "task", "task", U_TEXT);
    table_col(tb, "result", "result", U_TEXT);
    table_col(tb, "alone_seconds", "alone", U_MS);
    table_col(tb, "together_seconds", "together", U_MS);
    table_col(tb, "thread", "thread", U_INT);
    for (int k = 0; k < N_TASKS; k++) {
        table_str(tb, task_defs[k].name);
        table_str(tb, ts->together[k].text);
        table_num(tb, ts->alone[k].secs);
        table_num(tb, ts->together[k].secs);
        table_num(tb, ts->together[k].thread);
    }
    table_end(tb);
    tb = report_table(r, "task_runs", NULL);
    table_col(tb, "run", "run", U_TEXT);
    table_col(tb, "min_seconds", "min", U_MS);
    table_col(tb, "median_seconds", "median", U_MS);
    table_col(tb, "max_seconds", "max", U_MS);
    table_col(tb, "speedup", "speedup", U_RATIO);
    table_col(tb, "bound", "best possible", U_RATIO);
    task_run_row(tb, "1 worker, one task after another", &ts->serial,
                 &ts->serial, 1);
    task_run_row(tb, "all tasks at once", &ts->parallel, &ts->serial, bound);
    table_end(tb);
    idle_notice(r, ts);
    report_notice(r, "Task parallel: %d tasks on %d workers ran at %.2fx. "
                  "The slowest task took %.0f of the %.0f ms of work, so "
                  "no schedule beats %.2fx with %d workers, nor %.2fx with "
                  "unlimited ones.%s", N_TASKS, ts->workers,
                  stats_speedup(ts->serial.median, ts->parallel.median),
                  slowest * 1e3, total * 1e3, bound, ts->workers,
                  total / slowest, ts->is_same ? "" :
                  " The answers DIFFER between runs: a bug.");
}

static void print_pipeline(struct report *r, const struct pipe_summary *ps)
{
    struct table *tb = report_table(r, "pipeline", "A pipeline: three "
                                    "stages, bounded queues between them");
    double busiest = 0, busy = 0;
    int slow = 0;

    table_col(tb, "stage", "stage", U_TEXT);
    table_col(tb, "busy_seconds", "busy", U_MS);
    table_col(tb, "wait_seconds", "waiting on a queue", U_MS);
    table_col(tb, "rows_in", "rows in", U_INT);
    table_col(tb, "rows_out", "rows out", U_INT);
    for (int s = 0; s < N_STAGES; s++) {
        table_str(tb, stage_names[s]);
        table_num(tb, ps->st[s].busy_s);
        table_num(tb, ps->st[s].wait_s);
        table_num(tb, (double)ps->st[s].in);
        table_num(tb, (double)ps->st[s].out);
        busy += ps->st[s].busy_s;
        if (ps->st[s].busy_s > busiest) {
            busiest = ps->st[s].busy_s;
            slow = s;
        }
    }
    table_end(tb);
    report_notice(r, "Pipeline: %.0f ms against %.0f ms in one loop "
                  "(%.2fx)%s. Its slowest stage, \"%s\", was busy %.0f%% of "
                  "the work, so three stages cannot beat %.2fx; the others "
                  "spent their time waiting on queues.",
                  ps->piped.median * 1e3, ps->fused.median * 1e3,
                  stats_speedup(ps->fused.median, ps->piped.median),
                  ps->is_same ? ", same sums" : ", SUMS DIFFER: a bug",
                  stage_names[slow], busy > 0 ? 100 * busiest / busy : 0,
                  busiest > 0 ? busy / busiest : 1);
}

static void comparison_row(struct table *tb, const char *data,
                           const char *task, const char *measured)
{
    table_str(tb, data);
    table_str(tb, task);
    table_str(tb, measured);
}

/* The lecture's table, with what this run measured beside each row. */
static void comparison_table(struct report *r, const struct data_summary *ds,
                             const struct task_summary *ts)
{
    struct table *tb = report_table(r, "comparison", "Data vs task "
                                    "parallelism (the lecture's table)");
    double slowest, total, bound = task_bound(ts, &slowest, &total), lo = 1e9;
    int at = 0, last = ds->npoints - 1;
    char m[4][200];

    for (int k = 0; k < N_TASKS; k++)
        lo = fmin(lo, ts->alone[k].secs);
    snprintf(m[0], sizeof(m[0]), "%d chunks of %.1f MB | %d tasks x %.0f "
             "MB", ds->pt[last].run.chunks, ds->bytes / 1e6 /
             ds->pt[last].run.chunks, N_TASKS, ds->bytes / 1e6);
    snprintf(m[1], sizeof(m[1]), "1 op x %d chunks | %d different ops",
             ds->pt[last].run.chunks, N_TASKS);
    snprintf(m[2], sizeof(m[2]), "%.2fx at %lld rows, %.2fx at %lld | "
             "< %.2fx (%d tasks)", stats_speedup(ds->scale_ser[0].st.median,
             ds->scale_par[0].st.median), ds->scale_rows[0],
             best_speedup(ds, &at), ds->totals.rows, total / slowest,
             N_TASKS);
    snprintf(m[3], sizeof(m[3]), "chunk spread %.2fx | tasks %.0f-%.0f ms",
             ds->pt[last].run.chunk_mean_s > 0 ? ds->pt[last].run.chunk_max_s
             / ds->pt[last].run.chunk_mean_s : 1, lo * 1e3, slowest * 1e3);
    (void)bound;
    table_col(tb, "data", "data parallelism", U_TEXT);
    table_col(tb, "task", "task parallelism", U_TEXT);
    table_col(tb, "measured", "measured here: data | task", U_TEXT);
    comparison_row(tb, "source is partitioned", "source is intact", m[0]);
    comparison_row(tb, "same operation on subsets",
                   "different operations", m[1]);
    comparison_row(tb, "workers follow data size",
                   "workers set by developer", m[2]);
    comparison_row(tb, "tasks are similar", "tasks can differ a lot", m[3]);
    table_end(tb);
}

/* ---- the topic ------------------------------------------------------- */

static const struct cli_opt dt_cli_opts[] = {
    { "rows", 0, CLI_SIZE, "N", "rows to generate when no FILE is given",
      0, TRADE_MAX_ROWS, NULL, offsetof(struct dt_opts, rows) },
    { "mode", 0, CLI_CHOICE, "M", "what to run", 0, 0,
      "data|task|pipeline|all", offsetof(struct dt_opts, mode) },
    { "skip-bad", 0, CLI_FLAG, NULL, "count and skip malformed rows "
      "instead of stopping at the first", 0, 0, NULL,
      offsetof(struct dt_opts, is_skip_bad) },
    { 0 },
};

static const struct cli_spec dt_spec = {
    .topic = "datatask",
    .idea = "data vs task parallelism (and a pipeline) on trade data",
    .args = "[FILE]", .min_args = 0, .max_args = 1,
    .common = CLI_THREADS | CLI_REPS | CLI_SEED | CLI_FORMAT | CLI_QUIET |
              CLI_QUICK,
    .opts = dt_cli_opts,
    .examples = "pardemo datatask --quick\n"
                "pardemo datatask --mode data -t 2 --rows 2M\n"
                "pardemo gen trade --rows 1M -o /tmp/trade.csv && "
                "pardemo datatask /tmp/trade.csv --mode task",
};

struct results {
    struct data_summary data;
    struct task_summary task;
    struct pipe_summary pipe;
};

/* Runs the chosen modes before anything is printed, so bad data stops
 * the topic with one error line and an empty stdout. */
static int measure_all(const struct input *in, const struct run_params *p,
                       const struct dt_opts *o, struct report *r,
                       struct results *res)
{
    int rc = 0;
    bool all = o->mode == MODE_ALL;

    if (all || o->mode == MODE_DATA) {
        report_progress(r, "data parallelism...");
        rc = measure_data(in, p, o->is_skip_bad, &res->data);
    }
    if (rc == 0 && (all || o->mode == MODE_TASK)) {
        report_progress(r, "task parallelism...");
        rc = measure_tasks(in, p, o->is_skip_bad, &res->task);
    }
    if (rc == 0 && (all || o->mode == MODE_PIPELINE)) {
        report_progress(r, "pipeline...");
        rc = measure_pipeline(in, p, o->is_skip_bad, &res->pipe);
    }
    if (rc < 0)
        cli_error("datatask", "out of memory (or no thread could start)");
    if (rc && (all || o->mode == MODE_DATA))
        agg_free(&res->data.totals.tab);
    return rc ? 1 : 0;
}

static void print_all(struct report *r, const struct run_params *p,
                      const struct dt_opts *o, struct results *res)
{
    bool all = o->mode == MODE_ALL;

    if (all || o->mode == MODE_DATA)
        print_data(r, &res->data, p);
    if (all || o->mode == MODE_TASK)
        print_tasks(r, &res->task);
    if (all || o->mode == MODE_PIPELINE)
        print_pipeline(r, &res->pipe);
    if (all)
        comparison_table(r, &res->data, &res->task);
    if (all || o->mode == MODE_DATA)
        agg_free(&res->data.totals.tab);
}

static void describe(struct report *r, const struct run_params *p,
                     const struct dt_opts *o, const struct input *in)
{
    static const char *const modes[] = { "data", "task", "pipeline", "all" };

    report_param(r, "input", "%s", in->name);
    if (!p->nargs)
        report_param(r, "rows", "%lld", o->rows);
    report_param(r, "bytes", "%zu", in->len);
    report_param(r, "workers", "%d", p->threads);
    report_param(r, "reps", "%d", p->reps);
    report_param(r, "mode", "%s", modes[o->mode]);
}

int datatask_main(int argc, char **argv)
{
    struct run_params p;
    struct dt_opts o = { 500000, MODE_ALL, false };
    struct results *res;
    struct input in;
    struct report *r;
    int rc;

    cli_defaults(&p, "datatask");
    if ((rc = cli_parse(&dt_spec, argc, argv, &p, &o)) >= 0)
        return rc;
    if (p.is_quick && o.rows == 500000)
        o.rows = 100000;
    if (p.is_quick && !p.reps_given)
        p.reps = 3;
    if ((rc = load_input(&p, &o, &in)))
        return rc;
    if (!(res = calloc(1, sizeof(*res)))) {
        free_input(&in);
        cli_error("datatask", "out of memory");
        return 1;
    }
    r = report_begin(&p, "Data parallelism vs task parallelism",
                     "The same operation on parts of the data, or different "
                     "operations on all of it: which one scales?");
    describe(r, &p, &o, &in);
    if ((rc = measure_all(&in, &p, &o, r, res)) == 0) {
        print_all(r, &p, &o, res);
        report_end(r);
    } else {
        report_discard(r);
    }
    free(res);
    free_input(&in);
    return rc;
}

/* ---- kernels for `pardemo bench` (size = rows) ----------------------- */

enum { K_SERIAL, K_DATA, K_TASK, K_PIPELINE };

static int timed_kernel(const struct input *in, int kind, int workers,
                        struct run_result *out)
{
    struct task_out tasks[N_TASKS];
    struct data_run d;
    struct pipeline pl;
    struct scan s;
    int rc = 0;

    out->checksum = 0;
    if (kind == K_TASK) {
        out->seconds = run_tasks(in, workers, tasks);
        for (int k = 0; k < N_TASKS; k++)
            out->checksum += tasks[k].check;
        return 0;
    }
    if (kind == K_PIPELINE) {
        if (pipeline_init(&pl, in, true) < 0 ||
            (out->seconds = run_pipeline(&pl)) < 0)
            rc = -1;
        out->checksum = agg_checksum(&pl.sums);
        pipeline_free(&pl);
        return rc;
    }
    rc = kind == K_DATA ? data_parallel(in, workers, true, &s, &d)
                        : data_serial(in, true, &s, &d);
    out->seconds = d.secs;
    out->checksum = rc ? 0 : agg_checksum(&s.tab);
    agg_free(&s.tab);
    return rc;
}

static int run_kernel(const struct run_params *p, struct run_result *out,
                      int kind)
{
    struct dt_opts o = { p->size > 0 ? p->size : 200000, MODE_DATA, true };
    struct run_params quiet = *p;
    struct input in;
    int rc;

    quiet.nargs = 0;
    if (o.rows > TRADE_MAX_ROWS)
        o.rows = TRADE_MAX_ROWS;
    if (load_input(&quiet, &o, &in))
        return -1;
    rc = timed_kernel(&in, kind, p->threads > 0 ? p->threads : 1, out);
    free_input(&in);
    return rc;
}

static int k_serial(const struct run_params *p, struct run_result *out)
{
    return run_kernel(p, out, K_SERIAL);
}

static int k_data(const struct run_params *p, struct run_result *out)
{
    return run_kernel(p, out, K_DATA);
}

static int k_task(const struct run_params *p, struct run_result *out)
{
    return run_kernel(p, out, K_TASK);
}

static int k_pipeline(const struct run_params *p, struct run_result *out)
{
    return run_kernel(p, out, K_PIPELINE);
}

const struct kernel datatask_kernels[] = {
    { "serial", "sum Value by Country, one thread, no OpenMP", k_serial },
    { "data", "the same over line-aligned chunks, OpenMP parallel for",
      k_data },
    { "task", "five different operations at once, OpenMP tasks", k_task },
    { "pipeline", "parse -> filter -> aggregate threads, bounded queues",
      k_pipeline },
    { NULL, NULL, NULL },
};
