/* wordcount.c - the lecture's Spark word count, on the mini-RDD engine.
 * lines.flatMap(split).map(lambda w: (w, 1)).reduceByKey(add): look at
 * the stage table (the shuffle cuts the job in two), at how many records
 * map-side combine saved compared with groupByKey, and at MB/s per thread.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "report.h"
#include "stats.h"
#include "textgen.h"
#include "private.h"
#include "cleanup.h"
#include "rdd/rdd.h"
#include "rdd/rdd_report.h"
#include "rdd/rdd_mpi.h"
#include "demos.h"
#include "lesson/wordcount.h"
#include "sysinfo.h"
#include "words.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum split_mode { SPLIT_WS, SPLIT_SPACE, SPLIT_WORDS };

struct wc_opts {
    int split, top, partitions, lose;
    const char *save;
    bool is_explain, is_no_group;
};

/* groupByKey copies every (word, 1) pair: compared on small inputs only */
enum { GROUP_MAX_BYTES = 16 << 20 };

/* ---- the user functions: what the lambdas of the PySpark job do */

static void emit_word(struct rdd_value w, struct rdd_sink *out);

/* line.split(): words are slices of the line (no copy), found 64 bytes
 * at a time (lib/words.h); is_words: the --split words rule on each
 * (inlined with a constant: no cost to ws). */
static inline void split_on_spaces(struct rdd_value line, struct rdd_sink *out,
                                   bool is_words)
{
    struct words it;
    size_t at, len;

    words_init(&it, line.s, line.len);
    while (words_next(&it, &at, &len)) {
        if (is_words)
            emit_word(rdd_str(line.s + at, len), out);
        else
            rdd_emit(out, rdd_str(line.s + at, len));
    }
}

static void split_ws(struct rdd_value line, struct rdd_sink *out, void *ctx)
{
    (void)ctx;
    split_on_spaces(line, out, false);
}

/* line.split(" "): every piece between spaces, empty ones too. */
static void split_space(struct rdd_value line, struct rdd_sink *out,
                        void *ctx)
{
    const char *s = line.s, *end = line.s + line.len, *sp;

    (void)ctx;
    while ((sp = memchr(s, ' ', (size_t)(end - s)))) {
        rdd_emit(out, rdd_str(s, (size_t)(sp - s)));
        s = sp + 1;
    }
    rdd_emit(out, rdd_str(s, (size_t)(end - s)));
}

static bool is_punct(unsigned char c)
{
    return c < 0x80 && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) &&
           c != 0;
}

/* w.strip(string.punctuation), ASCII letters lowercased; drops empties */
static void emit_word(struct rdd_value w, struct rdd_sink *out)
{
    const unsigned char *s = (const unsigned char *)w.s;
    size_t a = 0, b = w.len, i;
    char *low;

    while (a < b && is_punct(s[a]))
        a++;
    while (b > a && is_punct(s[b - 1]))
        b--;
    if (a == b)
        return;
    low = rdd_alloc(rdd_sink_arena(out), b - a);
    for (i = a; i < b; i++)
        low[i - a] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    rdd_emit(out, rdd_str(low, b - a));
}

static void split_words(struct rdd_value line, struct rdd_sink *out,
                        void *ctx)
{
    (void)ctx;
    split_on_spaces(line, out, true);
}

/* (word, n) -> (-n, word): takeOrdered then gives count desc, word asc */
static struct rdd_value rank_key(struct rdd_value kv, struct rdd_arena *a,
                                 void *ctx)
{
    (void)ctx;
    return rdd_pair(a, rdd_int(-rdd_val(kv).i), rdd_key(kv));
}

static struct rdd_value group_len(struct rdd_value vs, struct rdd_arena *a,
                                  void *ctx)
{
    (void)a, (void)ctx;
    return rdd_int(vs.len);
}

static const rdd_flat_fn splitters[] = { split_ws, split_space, split_words };
static const char *const split_python[] = {
    "line.split()", "line.split(\" \")",
    "[w.strip(punctuation).lower() for w in line.split()]",
};

/* ---- the job */

struct wc_input {
    char **paths;
    int npaths;
    long long bytes;
    char *gen_path;             /* generated input (malloc'd), or NULL */
    int gen_slot;
};

/* textFile for each path, unioned (Spark: textFile("a,b")). */
static struct rdd *open_lines(struct rdd_context *sc,
                              const struct wc_input *in, int minp)
{
    struct rdd *lines = NULL, *one;

    for (int i = 0; i < in->npaths; i++) {
        if (!(one = rdd_text_file(sc, in->paths[i], minp)))
            return NULL;
        lines = lines ? rdd_union(lines, one) : one;
    }
    return lines;
}

struct wc_run {
    struct rdd *pairs, *counts;
    struct rdd_result top;
    long long words, distinct;
    double seconds;
};

/* Builds the lineage and runs the timed action (the top words). */
static int run_count(struct rdd_context *sc, const struct wc_input *in,
                     const struct wc_opts *o, struct wc_run *w)
{
    struct rdd *lines = open_lines(sc, in, o->partitions), *words;
    double t0;

    if (!lines)
        return -1;
    words = rdd_flat_map(lines, splitters[o->split], NULL);
    w->pairs = rdd_map(words, rdd_with_one, NULL);     /* (word, 1) */
    w->counts = rdd_reduce_by_key(w->pairs, rdd_add, NULL, 0);
    t0 = clk_now();
    if (rdd_take_ordered(rdd_map(w->counts, rank_key, NULL),
                         (size_t)o->top, &w->top) < 0)
        return -1;
    w->seconds = clk_now() - t0;
    w->words = sc->stages[0].records_out;
    /* every (word, n) went through takeOrdered's stage (the job's last):
     * that is the distinct count, no second job needed */
    w->distinct = sc->stages[sc->nstages - 1].records_out;
    return 0;
}

/* groupByKey on the same pairs: every (word, 1) crosses the shuffle. */
static int run_group(struct rdd_context *sc, struct rdd *pairs,
                     long long *records, long long *bytes)
{
    struct rdd *g = rdd_map_values(rdd_group_by_key(pairs, 0), group_len,
                                   NULL);
    long long n;
    int first = sc->nstages;

    if (rdd_count(g, &n) < 0)
        return -1;
    *records = *bytes = 0;
    for (int i = first; i < sc->nstages; i++) {
        *records += sc->stages[i].records_written;
        *bytes += sc->stages[i].bytes_written;
    }
    return 0;
}

static const struct cli_opt wc_opts[] = {
    { "split", 0, CLI_CHOICE, "HOW", "how lines become words: ws = "
      "line.split(), space = line.split(\" \"), words = lowercased, "
      "punctuation stripped", 0, 0, "ws|space|words",
      offsetof(struct wc_opts, split) },
    { "top", 0, CLI_INT, "N", "how many of the most frequent words to show",
      1, 1000, NULL, offsetof(struct wc_opts, top) },
    { "partitions", 'p', CLI_INT, "N", "textFile's minPartitions (0: "
      "min(threads, 2), Spark's default; 32 MB blocks split further)", 0,
      4096, NULL, offsetof(struct wc_opts, partitions) },
    { "save", 0, CLI_STR, "DIR", "saveAsTextFile(DIR): ('word', n) lines "
      "in part-NNNNN files", 0, 0, NULL, offsetof(struct wc_opts, save) },
    { "lose", 0, CLI_INT, "P", "lose map partition P's shuffle output "
      "mid-job: watch it be recomputed (-1: none)", -1, 4095, NULL,
      offsetof(struct wc_opts, lose) },
    { "explain", 0, CLI_FLAG, NULL, "print the lineage and every task", 0, 0,
      NULL, offsetof(struct wc_opts, is_explain) },
    { "no-group", 0, CLI_FLAG, NULL, "do not run groupByKey to compare what "
      "crosses the shuffle (never run above 16 MiB)", 0, 0, NULL,
      offsetof(struct wc_opts, is_no_group) },
    { 0 },
};

static const struct cli_spec wc_spec = {
    .args = "[FILE...]",
    .min_args = 0, .max_args = -1,
    .common = CLI_THREADS | CLI_SIZE_OPT | CLI_SEED | CLI_FORMAT |
              CLI_QUIET | CLI_QUICK,
    .size_help = "bytes of generated text when no FILE is given",
    .size_min = 1, .size_max = 64LL << 30,
    .opts = wc_opts,
    .examples = "pardemo wordcount --quick\n"
                "pardemo wordcount ../shared/data/hamlet.txt --split space\n"
                "pardemo wordcount -t 1 -n 256M\n"
                "pardemo wordcount hamlet.txt --save counts --explain",
};

/* ---- the report */

static void report_top(struct report *r, const struct wc_run *w)
{
    struct table *t = report_table(r, "top", "Most frequent words "
                                   "(count desc, then word)");
    struct rdd_buf b = { 0 };

    table_col(t, "rank", "rank", U_INT);
    table_col(t, "word", "word (Python repr)", U_TEXT);
    table_col(t, "count", "count", U_INT);
    for (size_t i = 0; i < w->top.n; i++) {
        struct rdd_value kv = w->top.v[i];
        b.len = 0;
        rdd_repr(&b, rdd_val(kv));
        table_num(t, (double)(i + 1));
        table_str(t, b.s);
        table_num(t, (double)-rdd_key(kv).i);
    }
    rdd_buf_free(&b);
    table_end(t);
}

/* How often '' is among the top words, or -1. */
static long long empty_count(const struct wc_run *w)
{
    for (size_t i = 0; i < w->top.n; i++)
        if (rdd_val(w->top.v[i]).len == 0)
            return (long long)-rdd_key(w->top.v[i]).i;
    return -1;
}

static void report_speed(struct report *r, const struct wc_run *w,
                         const struct wc_input *in, int threads)
{
    struct table *t = report_table(r, "throughput", "The counting job "
                                   "(both stages, timed)");

    table_col(t, "threads", "threads", U_INT);
    table_col(t, "bytes", "input", U_MIB);
    table_col(t, "words", "words", U_INT);
    table_col(t, "distinct", "distinct words", U_INT);
    table_col(t, "seconds", "time", U_SEC);
    table_col(t, "bytes_per_second", "speed", U_MBPS);
    table_col(t, "words_per_second", "words/s", U_NUM);
    table_num(t, threads);
    table_num(t, (double)in->bytes);
    table_num(t, (double)w->words);
    table_num(t, (double)w->distinct);
    table_num(t, w->seconds);
    table_num(t, w->seconds > 0 ? (double)in->bytes / w->seconds : 0);
    table_num(t, w->seconds > 0 ? (double)w->words / w->seconds : 0);
    table_end(t);
}

static void report_combine(struct report *r, const struct rdd_stage_log *m,
                           long long g_records, long long g_bytes,
                           bool has_group)
{
    struct table *t = report_table(r, "shuffle", "What crosses the shuffle");

    table_col(t, "operation", "operation", U_TEXT);
    table_col(t, "records", "records shuffled", U_INT);
    table_col(t, "bytes", "bytes shuffled", U_MIB);
    table_str(t, "reduceByKey (map-side combine)");
    table_num(t, (double)m->records_written);
    table_num(t, (double)m->bytes_written);
    if (has_group) {
        table_str(t, "groupByKey (no combine)");
        table_num(t, (double)g_records);
        table_num(t, (double)g_bytes);
    }
    table_end(t);
}

/* ---- input */

static int prepare_input(const struct run_params *p, struct wc_input *in)
{
    struct stat st;

    in->bytes = 0;
    in->gen_slot = -1;
    if (p->nargs == 0) {
        /* whole lines, up to -n bytes */
        struct gen_params g = { LLONG_MAX, p->size, p->seed };
        if (textgen_temp_file(textgen_gen_text, &g, "wordcount",
                              &in->gen_path, &in->gen_slot) < 0 ||
            stat(in->gen_path, &st) < 0) {
            cli_error("wordcount", "cannot generate text in %s: %s",
                      priv_tmp_base(), cli_strerror(errno));
            return 1;
        }
        in->npaths = 1;
        in->paths = malloc(sizeof(char *));
        in->paths[0] = in->gen_path;
        in->bytes = st.st_size;
        return 0;
    }
    in->paths = malloc(sizeof(char *) * (size_t)p->nargs);
    in->npaths = p->nargs;
    for (int i = 0; i < p->nargs; i++) {
        in->paths[i] = p->args[i];
        if (stat(p->args[i], &st) < 0) {
            cli_error("wordcount", "cannot read %s: %s", p->args[i],
                      strerror(errno));
            return 1;
        }
        in->bytes += st.st_size;
    }
    return 0;
}

static void release_input(struct wc_input *in)
{
    textgen_temp_remove(in->gen_path, in->gen_slot);
    in->gen_path = NULL;
    free(in->paths);
}

static void report_head(struct report *r, const struct run_params *p,
                        const struct wc_opts *o, const struct wc_input *in)
{
    char sz[32];

    if (p->nargs)
        report_param(r, "input", "%s%s", p->args[0],
                     p->nargs > 1 ? " ..." : "");
    else
        report_param(r, "input", "generated Zipf text (%s bytes, seed %llu)",
                     cli_fmt_size(p->size, sz, sizeof(sz)), p->seed);
    report_param(r, "split", "%s", split_python[o->split]);
    report_param(r, "threads", "%d", p->threads);
    report_text(r, "lines = sc.textFile(%s)\n"
                "counts = lines.flatMap(lambda line: %s) \\\n"
                "              .map(lambda word: (word, 1)) \\\n"
                "              .reduceByKey(lambda x, y: x + y)\n"
                "counts.takeOrdered(%d, key=lambda kv: (-kv[1], kv[0]))",
                in->npaths > 1 ? "\"a,b,...\"" : "path",
                split_python[o->split], o->top);
}

/* What the rules read (lib/lesson/wordcount): the first job's stages
 * and this run's counts. */
static void lesson_stages(const struct rdd_context *sc,
                          const struct run_params *p, struct wc_lesson *x)
{
    const struct rdd_stage_log *m = &sc->stages[0], *res = m;
    struct rdd_totals t = rdd_trace_totals(sc);

    for (int i = 0; i < sc->nstages; i++)     /* job 0's result stage */
        if (sc->stages[i].job_id == m->job_id &&
            !sc->stages[i].is_shuffle_map)
            res = &sc->stages[i];
    x->map_stage = m->stage_id;
    x->map_tasks = m->tasks;
    x->result_stage = res->stage_id;
    x->result_tasks = res->tasks;
    x->threads = p->threads;
    x->cpus = sys_allowed_cpus();
    x->skipped = t.stages_skipped;
    x->has_save_stage = sc->nstages > 4;
    x->recomputed = t.tasks_recomputed;
    x->lost = sc->lost_what;
}

/* Runs everything (so an error prints nothing on stdout), then reports. */
static int count_and_report(struct rdd_context *sc, const struct run_params *p,
                            const struct wc_opts *o, struct wc_input *in)
{
    struct wc_run w = { 0 };
    struct wc_lesson x = { 0 };
    struct notices ns;
    struct rdd_stage_log map_stage;
    long long g_records = 0, g_bytes = 0;
    bool has_group = !o->is_no_group && in->bytes <= GROUP_MAX_BYTES;
    struct report *r;
    int rc = 0;

    if (run_count(sc, in, o, &w) < 0 ||
        (o->save && rdd_save_as_text_file(w.counts, o->save) < 0)) {
        cli_error("wordcount", "%s", sc->error);
        rdd_result_free(&w.top);
        return 1;
    }
    map_stage = sc->stages[0];
    r = report_begin(p, "Word count on the mini-RDD engine",
                     "The lecture's Spark job: flatMap, map, reduceByKey, "
                     "run as stages of parallel tasks.");
    report_head(r, p, o, in);
    report_top(r, &w);
    report_speed(r, &w, in, p->threads);
    rdd_report_stages(r, sc, "stages", "Stages (as Spark's UI lists them)");
    rdd_report_ranks(r, sc);    /* under mpirun: what each rank did */
    if (o->is_explain) {
        rdd_report_lineage(r, w.counts, "counts.toDebugString():");
        rdd_report_tasks(r, sc, "tasks", "Tasks", 64);
    }
    lesson_stages(sc, p, &x);
    if (has_group && run_group(sc, w.pairs, &g_records, &g_bytes) < 0)
        rc = 1;
    report_combine(r, &map_stage, g_records, g_bytes, has_group && !rc);
    x.empty_count = empty_count(&w);
    x.red_records = map_stage.records_written;
    x.red_bytes = map_stage.bytes_written;
    x.has_group = has_group && !rc;
    x.grp_records = g_records;
    x.grp_bytes = g_bytes;
    x.is_group_too_big = !has_group && !o->is_no_group;
    x.save = o->save;
    x.save_parts = rdd_num_partitions(w.counts);
    notices_init(&ns);
    wc_lesson_notices(&x, &ns);
    report_notices(r, &ns);
    rdd_result_free(&w.top);
    report_end(r);
    return rc;
}

static int wordcount_main(int argc, char **argv)
{
    struct run_params p;
    struct wc_opts o = { SPLIT_WS, 10, 0, -1, NULL, false, false };
    struct wc_input in = { 0 };
    struct rdd_context *sc;
    int rc;

    cli_defaults(&p, "wordcount");
    p.size = demo_size(&demo_wordcount, p.is_quick);
    if ((rc = cli_parse(&demo_wordcount, argc, argv, &p, &o)) >= 0)
        return rc;
    if (!p.size_given)
        p.size = demo_size(&demo_wordcount, p.is_quick);
    if (o.save && !o.save[0]) {
        cli_error("wordcount", "--save must name a directory (got '')");
        return 2;
    }
    if (o.save && faccessat(AT_FDCWD, o.save, F_OK, AT_SYMLINK_NOFOLLOW)
        == 0) {
        char *abs = realpath(o.save, NULL);
        cli_error("wordcount", "org.apache.hadoop.mapred."
                  "FileAlreadyExistsException: Output directory file:%s "
                  "already exists", abs ? abs : o.save);
        free(abs);
        return 1;
    }
    cleanup_init();
    if ((rc = prepare_input(&p, &in)) != 0) {
        release_input(&in);
        return rc;
    }
    sc = rdd_context_new(p.threads);
    sc->lose_partition = o.lose;
    rc = count_and_report(sc, &p, &o, &in);
    rdd_context_free(sc);
    release_input(&in);
    return rc;
}

/* ---- the bench kernel: word count of generated text, size bytes */

static int wc_kernel(const struct run_params *in, struct run_result *out)
{
    struct wc_opts o = { SPLIT_WS, 10, 0, -1, NULL, false, false };
    struct wc_input wi = { 0 };
    struct run_params p = *in;
    struct rdd_context *sc;
    struct wc_run w = { 0 };
    int rc;

    p.nargs = 0;
    if (prepare_input(&p, &wi) != 0) {
        release_input(&wi);
        return -1;
    }
    sc = rdd_context_new(in->threads);
    rc = run_count(sc, &wi, &o, &w);
    out->seconds = w.seconds;
    out->checksum = (uint64_t)w.words * 1000003u + (uint64_t)w.distinct;
    rdd_result_free(&w.top);
    rdd_context_free(sc);
    release_input(&wi);
    return rc;
}

static const struct kernel wordcount_kernels[] = {
    { "rdd", "textFile.flatMap.map.reduceByKey over generated Zipf text",
      wc_kernel },
    { 0 },
};

const struct demo demo_wordcount = {
    .name = "wordcount",
    .summary = "the lecture's Spark word count: flatMap, map, reduceByKey",
    .main = wordcount_main,
    .kernels = wordcount_kernels,
    .slide = "Apache Spark: wordcount",
    .spec = &wc_spec,
    .sizes = { 16LL << 20 },
    .quick_sizes = { 4LL << 20 },
};
