/* test_rdd.c - the mini-RDD engine against Python and PySpark's rules:
 * the lecture's examples print what PySpark prints (for 1-4 partitions
 * and 1-3 threads), hash() and repr() equal python3's, textFile reads
 * every line once for any split count, cache and recovery behave. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rdd/rdd.h"
#include "rdd/rdd_impl.h"
#include "check.h"

#define RUN(...) cmd_run((const char *const[]){ __VA_ARGS__, NULL })

static char *repr_result(struct rdd_result *res)
{
    struct rdd_buf b = { 0 };

    rdd_repr_list(&b, res->v, res->n);
    rdd_result_free(res);
    return b.s;
}

static struct rdd_value square(struct rdd_value x, struct rdd_arena *a,
                               void *ctx)
{
    (void)a, (void)ctx;
    return rdd_int(x.i * x.i);
}

static bool is_even(struct rdd_value x, void *ctx)
{
    (void)ctx;
    return x.i % 2 == 0;
}

static void range_of(struct rdd_value x, struct rdd_sink *out, void *ctx)
{
    (void)ctx;
    for (int64_t i = 0; i < x.i; i++)
        rdd_emit(out, rdd_int(i));
}

static struct rdd *nums_rdd(struct rdd_context *sc, int parts)
{
    struct rdd_value v[3] = { rdd_int(1), rdd_int(2), rdd_int(3) };

    return rdd_parallelize(sc, v, 3, parts);
}

static void expect(struct rdd_result *res, int rc, const char *want)
{
    char *got;

    cr_assert_eq(rc, 0);
    got = repr_result(res);
    cr_assert_str_eq(got, want);
    free(got);
}

Test(rdd, lecture_basics_print_as_pyspark)
{
    for (int threads = 1; threads <= 3; threads++) {
        for (int parts = 1; parts <= 4; parts++) {
            struct rdd_context *sc = rdd_context_new(threads);
            struct rdd *nums = nums_rdd(sc, parts);
            struct rdd *sq = rdd_map(nums, square, NULL);
            struct rdd_result res;
            long long n;
            expect(&res, rdd_collect(sq, &res), "[1, 4, 9]");
            expect(&res, rdd_collect(rdd_filter(sq, is_even, NULL), &res),
                   "[4]");
            expect(&res, rdd_collect(rdd_flat_map(nums, range_of, NULL),
                   &res), "[0, 0, 1, 0, 1, 2]");
            expect(&res, rdd_collect(nums, &res), "[1, 2, 3]");
            expect(&res, rdd_take(nums, 2, &res), "[1, 2]");
            expect(&res, rdd_reduce(nums, rdd_add, NULL, &res), "[6]");
            expect(&res, rdd_sum(nums, &res), "[6]");
            expect(&res, rdd_top(nums, 2, &res), "[3, 2]");
            expect(&res, rdd_take_ordered(nums, 2, &res), "[1, 2]");
            cr_assert_eq(rdd_count(nums, &n), 0);
            cr_assert_eq(n, 3);
            rdd_context_free(sc);
        }
    }
}

Test(rdd, parallelize_slices_like_spark)
{
    struct rdd_value v[10];
    struct rdd_context *sc = rdd_context_new(2);
    struct rdd *r;
    long long n;

    for (int i = 0; i < 10; i++)
        v[i] = rdd_int(i);
    r = rdd_parallelize(sc, v, 10, 3);
    /* slice i holds [i*10/3, (i+1)*10/3): 3, 3, 4 elements */
    struct rdd_result res;
    expect(&res, rdd_take(r, 4, &res), "[0, 1, 2, 3]");
    cr_assert_eq(sc->stages[sc->nstages - 1].records_out, 1);  /* 4th */
    cr_assert_eq(rdd_count(r, &n), 0);
    cr_assert_eq(n, 10);
    rdd_context_free(sc);
}

static struct rdd *pets_rdd(struct rdd_context *sc, int parts)
{
    const char *name[] = { "cat", "dog", "cat" };
    int n[] = { 1, 1, 2 };
    struct rdd_value items[6], pets[3];

    for (int i = 0; i < 3; i++) {
        items[2 * i] = rdd_cstr(name[i]);
        items[2 * i + 1] = rdd_int(n[i]);
        pets[i] = (struct rdd_value){ .kind = RDD_TUPLE, .len = 2,
                                      .items = &items[2 * i] };
    }
    return rdd_parallelize(sc, pets, 3, parts);
}

/* PySpark's order after a shuffle, computed by python3 itself: key k goes
 * to partition hash(k) % n (PYTHONHASHSEED=0), first-seen order inside. */
static char *pyspark_reduce_order(int parts)
{
    char line[1024];

    snprintf(line, sizeof(line), "PYTHONHASHSEED=0 python3 -c \""
             "pets=[('cat',1),('dog',1),('cat',2)]; n=%d\n"
             "sl=[pets[i*3//n:(i+1)*3//n] for i in range(n)]\n"
             "b=[{} for i in range(n)]\n"
             "for s in sl:\n"
             "  d={}\n"
             "  for k,v in s: d[k]=d.get(k,0)+v\n"
             "  for k,v in d.items():\n"
             "    o=b[hash(k)%%n]; o[k]=o.get(k,0)+v\n"
             "print([kv for d in b for kv in d.items()])\"", parts);
    return sh_first_line(line, 30);
}

static struct rdd_value as_list(struct rdd_value x, struct rdd_arena *a,
                                void *ctx)
{
    (void)a, (void)ctx;
    return x;
}

Test(rdd, pets_key_value_examples)
{
    for (int parts = 1; parts <= 4; parts++) {
        char *want = pyspark_reduce_order(parts);
        for (int threads = 1; threads <= 3; threads++) {
            struct rdd_context *sc = rdd_context_new(threads);
            struct rdd *pets = pets_rdd(sc, parts);
            struct rdd_result res;
            expect(&res, rdd_collect(rdd_reduce_by_key(pets, rdd_add, NULL,
                   0), &res), want);
            expect(&res, rdd_collect(rdd_sort_by_key(pets, true, 0), &res),
                   "[('cat', 1), ('cat', 2), ('dog', 1)]");
            expect(&res, rdd_collect(rdd_sort_by_key(pets, false, 0), &res),
                   "[('dog', 1), ('cat', 1), ('cat', 2)]");
            expect(&res, rdd_count_by_key(pets, &res),
                   "[('cat', 2), ('dog', 1)]");
            rdd_collect(rdd_map_values(rdd_group_by_key(pets, 0), as_list,
                        NULL), &res);
            char *g = repr_result(&res);
            cr_assert(strstr(g, "('cat', [1, 2])"), "%s", g);
            cr_assert(strstr(g, "('dog', [1])"), "%s", g);
            free(g);
            rdd_context_free(sc);
        }
        free(want);
    }
}

Test(rdd, portable_hash_equals_python)
{
    const char *words[] = { "cat", "dog", "", "exactly8", "nine char", "été",
                            "日本語", "😀x", "\xff\xfe", "x\xc3" };
    char line[4096] = "PYTHONHASHSEED=0 python3 -c \"import sys\n"
                      "for a in sys.argv[1:]: print(hash(a))\"";
    struct cmd_out c;
    char *p;

    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        snprintf(line + strlen(line), sizeof(line) - strlen(line),
                 " '%s'", words[i]);
    c = cmd_sh(line, 30);
    cr_assert_eq(c.status, 0, "%s", c.err);
    p = c.out;
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        long long want = strtoll(p, &p, 10);
        cr_assert_eq(rdd_portable_hash(rdd_cstr(words[i])), want, "%s",
                     words[i]);
    }
    cmd_free(&c);
    cr_assert_eq(rdd_portable_hash(rdd_int(-1)), -2);
    cr_assert_eq(rdd_portable_hash(rdd_float(1.5)), 1152921504606846977LL);
}

Test(rdd, repr_equals_python)
{
    struct rdd_buf b = { 0 };
    struct cmd_out c;

    rdd_repr(&b, rdd_cstr("it's"));
    rdd_buf_add(&b, " ", 1);
    rdd_repr(&b, rdd_str("a\tb\x00\x1f\\'\"", 8));
    rdd_buf_add(&b, " ", 1);
    rdd_repr(&b, rdd_cstr("é\xc2\xa0\xff"));
    rdd_buf_add(&b, " ", 1);
    rdd_repr(&b, rdd_float(0.1));
    rdd_buf_add(&b, " ", 1);
    rdd_repr(&b, rdd_float(1e16));
    rdd_buf_add(&b, " ", 1);
    rdd_repr(&b, rdd_float(2.0));
    c = cmd_sh("PYTHONIOENCODING=utf-8 python3 -c \"print(repr(\\\"it's\\\"),"
               " repr('a\\tb\\x00\\x1f\\\\\\\\\\'\\\"'), repr(b'\\xc3\\xa9"
               "\\xc2\\xa0\\xff'.decode('utf-8', 'surrogateescape')), "
               "repr(0.1), repr(1e16), repr(2.0))\"", 30);
    cr_assert_eq(c.status, 0, "%s", c.err);
    c.out[strcspn(c.out, "\n")] = '\0';
    cr_assert_str_eq(b.s, c.out);
    cmd_free(&c);
    rdd_buf_free(&b);
}

/* A file of awkward lines: CRLF, lone CR, empty lines, a long line, no
 * final newline. */
static const char *awkward_file(char *path, size_t len)
{
    FILE *f;
    int fd;

    snprintf(path, len, "%s/pardemo-test-lines-XXXXXX", tmp_root());
    fd = mkstemp(path);
    cr_assert(fd >= 0);
    f = fdopen(fd, "w");
    fputs("first\r\nsecond\rthird\n\n\r\n  spaced  \n", f);
    for (int i = 0; i < 40; i++)
        fprintf(f, "line %d %.*s\n", i, i * 7, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    fputs("\r\r\n\nlast without newline", f);
    fclose(f);
    return path;
}

Test(rdd, text_file_reads_every_line_once)
{
    char path[4096], line[4400];
    struct cmd_out c;

    awkward_file(path, sizeof(path));
    snprintf(line, sizeof(line), "python3 -c \"import re\n"
             "d=open('%s','rb').read().decode()\n"
             "l=re.split(r'\\r\\n|\\r|\\n', d)\n"
             "print(l[:-1] if l and l[-1]=='' else l)\"", path);
    c = cmd_sh(line, 30);
    cr_assert_eq(c.status, 0, "%s", c.err);
    c.out[strcspn(c.out, "\n")] = '\0';
    for (int splits = 1; splits <= 60; splits++) {
        struct rdd_context *sc = rdd_context_new(1 + splits % 3);
        struct rdd *lines = rdd_text_file(sc, path, splits);
        struct rdd_result res;
        cr_assert(lines);
        cr_assert_geq(rdd_num_partitions(lines), splits);
        expect(&res, rdd_collect(lines, &res), c.out);
        rdd_context_free(sc);
    }
    cmd_free(&c);
    unlink(path);
}

Test(rdd, text_file_empty_and_missing)
{
    char *path = tmp_template("empty");
    struct rdd_context *sc = rdd_context_new(2);
    struct rdd *r;
    long long n = -1;

    close(mkstemp(path));
    r = rdd_text_file(sc, path, 2);
    cr_assert(r);
    cr_assert_eq(rdd_num_partitions(r), 1);     /* Hadoop: one empty split */
    cr_assert_eq(rdd_count(r, &n), 0);
    cr_assert_eq(n, 0);
    unlink(path);
    free(path);
    cr_assert_null(rdd_text_file(sc, "/nonexistent/x.txt", 2));
    cr_assert(strstr(sc->error, "No such file"), "%s", sc->error);
    rdd_context_free(sc);
}

Test(rdd, cache_reuses_partitions_and_lost_one_is_recomputed)
{
    struct rdd_context *sc = rdd_context_new(2);
    struct rdd_value v[100];
    struct rdd *r;
    long long n;

    for (int i = 0; i < 100; i++)
        v[i] = rdd_int(i);
    sc->lose_partition = 2;
    r = rdd_cache(rdd_map(rdd_parallelize(sc, v, 100, 4), square, NULL));
    cr_assert_eq(rdd_count(r, &n), 0);
    cr_assert_eq(n, 100);
    cr_assert_eq(sc->stages[0].cache_hits, 0);
    cr_assert(sc->lost_what && strstr(sc->lost_what, "cached partition 2"));
    rdd_trace_clear(sc);
    struct rdd_result res;
    cr_assert_eq(rdd_sum(r, &res), 0);
    cr_assert_eq(res.v[0].i, 328350);   /* sum of squares 0..99 */
    rdd_result_free(&res);
    cr_assert_eq(sc->stages[0].cache_hits, 3);
    cr_assert_eq(sc->stages[0].tasks_recomputed, 1);
    for (int i = 0; i < sc->ntasks; i++)
        cr_assert_eq(sc->tasks[i].is_recompute, sc->tasks[i].partition == 2);
    rdd_context_free(sc);
}

Test(rdd, lost_shuffle_output_is_recomputed_mid_job)
{
    for (int lose = 0; lose < 3; lose++) {
        struct rdd_context *sc = rdd_context_new(2);
        struct rdd_result res;
        sc->lose_partition = lose;
        expect(&res, rdd_collect(rdd_reduce_by_key(pets_rdd(sc, 3), rdd_add,
               NULL, 3), &res), "[('cat', 3), ('dog', 1)]");
        cr_assert_eq(sc->stages[0].tasks, 3);
        cr_assert_eq(sc->stages[1].stage_id, 0);    /* same stage, retried */
        cr_assert_eq(sc->stages[1].attempt, 1);
        cr_assert_eq(sc->stages[1].tasks, 1);
        cr_assert_eq(sc->stages[1].tasks_recomputed, 1);
        rdd_context_free(sc);
    }
}

Test(rdd, reduce_of_empty_rdd_fails_like_python)
{
    struct rdd_context *sc = rdd_context_new(2);
    struct rdd *r = rdd_parallelize(sc, NULL, 0, 2);
    struct rdd_result res;

    cr_assert_eq(rdd_reduce(r, rdd_add, NULL, &res), -1);
    rdd_result_free(&res);
    cr_assert_str_eq(sc->error, "ValueError: Can not reduce() empty RDD");
    cr_assert_eq(rdd_first(r, &res), -1);
    rdd_result_free(&res);
    cr_assert_str_eq(sc->error, "ValueError: RDD is empty");
    rdd_context_free(sc);
}

Test(rdd, debug_string_has_sparks_shape)
{
    char path[4096];
    struct rdd_context *sc = rdd_context_new(2);
    struct rdd *lines, *counts;
    struct rdd_buf b = { 0 };
    char want[10000];

    struct rdd *words, *pairs;
    int at[4];

    awkward_file(path, sizeof(path));
    at[0] = __LINE__ + 1;
    lines = rdd_text_file(sc, path, 2);
    at[1] = __LINE__ + 1;
    words = rdd_flat_map(lines, range_of, NULL);
    at[2] = __LINE__ + 1;
    pairs = rdd_map(words, square, NULL);
    at[3] = __LINE__ + 1;
    counts = rdd_reduce_by_key(pairs, rdd_add, NULL, 0);
    rdd_debug_string(counts, &b);
    snprintf(want, sizeof(want),
             "(2) ShuffledRDD[4] at reduceByKey at test_rdd.c:%d []\n"
             " +-(2) MapPartitionsRDD[3] at map at test_rdd.c:%d []\n"
             "    |  MapPartitionsRDD[2] at flatMap at test_rdd.c:%d []\n"
             "    |  %s MapPartitionsRDD[1] at textFile at test_rdd.c:%d []\n"
             "    |  %s HadoopRDD[0] at textFile at test_rdd.c:%d []",
             at[3], at[2], at[1], path, at[0], path, at[0]);
    cr_assert_str_eq(b.s, want);
    rdd_buf_free(&b);
    rdd_context_free(sc);
    unlink(path);
}

Test(rdd, save_refuses_existing_dir_untouched)
{
    char *dir = make_tmpdir(), file[300];
    struct rdd_context *sc = rdd_context_new(2);
    struct stat st;

    snprintf(file, sizeof(file), "%s/keep", dir);
    fclose(fopen(file, "w"));
    cr_assert_eq(rdd_save_as_text_file(nums_rdd(sc, 2), dir), -1);
    cr_assert(strstr(sc->error, "FileAlreadyExistsException: Output "
                     "directory file:"), "%s", sc->error);
    cr_assert(strstr(sc->error, "already exists"));
    cr_assert_eq(stat(file, &st), 0);
    snprintf(file, sizeof(file), "%s/_SUCCESS", dir);
    cr_assert_neq(stat(file, &st), 0);
    rdd_context_free(sc);
    rm_tree(dir);
    free(dir);
}

Test(rdd, save_writes_parts_and_success)
{
    char *dir = make_tmpdir(), out[300], cmd[400];
    struct rdd_context *sc = rdd_context_new(2);
    struct cmd_out c;

    snprintf(out, sizeof(out), "%s/nums", dir);
    cr_assert_eq(rdd_save_as_text_file(nums_rdd(sc, 2), out), 0);
    snprintf(cmd, sizeof(cmd), "cd %s && ls -A && cat part-*", out);
    c = cmd_sh(cmd, 10);
    cr_assert_str_eq(c.out, "_SUCCESS\npart-00000\npart-00001\n1\n2\n3\n");
    cmd_free(&c);
    snprintf(cmd, sizeof(cmd), "ls -A %s", dir);
    c = cmd_sh(cmd, 10);
    cr_assert_str_eq(c.out, "nums\n");      /* no temporary sibling left */
    cmd_free(&c);
    rdd_context_free(sc);
    rm_tree(dir);
    free(dir);
}

Test(rdd_cli, topic_prints_lecture_results)
{
    struct cmd_out c = RUN("rdd", "-p", "2", "--lose", "1", "--explain");

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_empty(c.err);
    cr_assert(strstr(c.out, "\n[0, 0, 1, 0, 1, 2]\n"));
    cr_assert(strstr(c.out, "\n[1, 4, 9]\n"));
    cr_assert(strstr(c.out, "\n[('dog', 1), ('cat', 3)]\n"));
    cr_assert(strstr(c.out, "\n[('cat', 1), ('cat', 2), ('dog', 1)]\n"));
    cr_assert(strstr(c.out, "called 0 times"));
    cr_assert(strstr(c.out, "+-(2) ParallelCollectionRDD"));
    cr_assert(strstr(c.out, "recomputed (lost)"));
    cr_assert(strstr(c.out, "the result is the same"));
    cmd_free(&c);
    c = RUN("rdd", "-p", "0");
    cr_assert_eq(c.status, 2);
    cr_assert_str_empty(c.out);
    cr_assert_str_eq(c.err, "pardemo: rdd: --partitions must be 1..64 "
                     "(got '0': out of range)\n");
    cmd_free(&c);
}

static struct rdd_value negate(struct rdd_value x, struct rdd_arena *a,
                               void *ctx)
{
    (void)a, (void)ctx;
    return rdd_int(-x.i);
}

static void part_sum(const struct rdd_value *xs, size_t n,
                     struct rdd_sink *out, void *ctx)
{
    int64_t s = 0;

    (void)ctx;
    for (size_t i = 0; i < n; i++)
        s += xs[i].i;
    rdd_emit(out, rdd_int(s));
}

static void count_each(struct rdd_value x, void *ctx)
{
    (void)x;
    __atomic_fetch_add((long *)ctx, 1, __ATOMIC_RELAXED);
}

/* The other operations, against what PySpark prints for
 * sc.parallelize([3, 1, 2, 3, 1], 2): slices [3, 1] and [2, 3, 1]; an
 * int's portable_hash is itself, so 2 goes to partition 0, 1 and 3 to 1. */
Test(rdd, other_operations_print_as_pyspark)
{
    for (int threads = 1; threads <= 3; threads++) {
        struct rdd_context *sc = rdd_context_new(threads);
        struct rdd_value v[5] = { rdd_int(3), rdd_int(1), rdd_int(2),
                                  rdd_int(3), rdd_int(1) };
        struct rdd *r = rdd_parallelize(sc, v, 5, 2);
        struct rdd_value cv[2];
        struct rdd_result res;
        long calls = 0;
        expect(&res, rdd_collect(rdd_distinct(r, 0), &res), "[2, 3, 1]");
        expect(&res, rdd_collect(rdd_sort_by(r, negate, NULL, true, 0), &res),
               "[3, 3, 2, 1, 1]");
        expect(&res, rdd_collect(rdd_union(r, r), &res),
               "[3, 1, 2, 3, 1, 3, 1, 2, 3, 1]");
        expect(&res, rdd_collect(rdd_map_partitions(r, part_sum, NULL), &res),
               "[4, 6]");
        expect(&res, rdd_fold(r, rdd_int(0), rdd_add, NULL, &res), "[10]");
        expect(&res, rdd_first(r, &res), "[3]");
        expect(&res, rdd_count_by_value(r, &res), "[(3, 2), (1, 2), (2, 1)]");
        cr_assert_eq(rdd_foreach(r, count_each, &calls), 0);
        cr_assert_eq(calls, 5);
        cv[0] = rdd_cstr("cat");
        cv[1] = rdd_cstr("meow");
        struct rdd_value sound = { .kind = RDD_TUPLE, .len = 2, .items = cv };
        expect(&res, rdd_collect(rdd_join(pets_rdd(sc, 2),
               rdd_parallelize(sc, &sound, 1, 1), 0), &res),
               "[('cat', (1, 'meow')), ('cat', (2, 'meow'))]");
        rdd_context_free(sc);
    }
}

/* the same as rdd_with_one, but not recognised: the general path */
static struct rdd_value pair_one(struct rdd_value x, struct rdd_arena *a,
                                 void *ctx)
{
    (void)ctx;
    return rdd_pair(a, x, rdd_int(1));
}

/* x and y collect to the same list (same order too) */
static void expect_same(struct rdd *x, struct rdd *y, int parts, int threads)
{
    struct rdd_result a, b;

    cr_assert_eq(rdd_collect(x, &a), 0);
    cr_assert_eq(rdd_collect(y, &b), 0);
    char *fa = repr_result(&a), *fb = repr_result(&b);
    cr_assert_str_eq(fa, fb, "parts %d threads %d", parts, threads);
    free(fa);
    free(fb);
}

/* map(lambda w: (w, 1)).reduceByKey(add) is counted by count.c's word
 * table; it must give what the general combine gives, order included:
 * words around its 16 bytes held inline, equal heads, NUL bytes, the
 * empty word, and keys that are not strings (1 == True == 1.0). */
Test(rdd, fused_word_count_equals_general_path)
{
    static const char *const w[] = {
        "a", "", "the", "a", "0123456789abcdef", "0123456789abcdefX",
        "0123456789abcdefY", "0123456789abcdef", "12345678", "123456789",
        "0123456789abcdef0123456789abcdef0123456789abcdef-one",
        "0123456789abcdef0123456789abcdef0123456789abcdef-two", "the",
        "0123456789abcdef0123456789abcdef0123456789abcdef-one", "",
        "01234567zyxwvuts", "0123456789abcdeQ", "12345678A", "12345678B",
    };
    enum { NW = sizeof(w) / sizeof(w[0]) };
    struct rdd_value v[3 * NW];
    size_t n = 0;

    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < NW; i++)
            v[n++] = rdd_str(w[i], strlen(w[i]));
    v[7] = rdd_str("a\0b", 3);          /* NUL inside a word */
    v[8] = rdd_str("a\0c", 3);
    for (int mixed = 0; mixed < 2; mixed++) {
        if (mixed) {                    /* keys that are not strings */
            v[20] = rdd_int(1);
            v[30] = rdd_bool(true);
            v[40] = rdd_float(1.0);
        }
        for (int parts = 1; parts <= 3; parts++)
            for (int threads = 1; threads <= 2; threads++) {
                struct rdd_context *sc = rdd_context_new(threads);
                struct rdd *in = rdd_parallelize(sc, v, n, parts);
                expect_same(rdd_reduce_by_key(rdd_map(in, rdd_with_one,
                                                      NULL), rdd_add, NULL, 0),
                            rdd_reduce_by_key(rdd_map(in, pair_one, NULL),
                                              rdd_add, NULL, 0),
                            parts, threads);
                rdd_context_free(sc);
            }
    }
}

/* the same as rdd_add, but not recognised: shuffle.c's general merge */
static struct rdd_value plain_add(struct rdd_value a, struct rdd_value b,
                                  struct rdd_arena *ar, void *ctx)
{
    return rdd_add(a, b, ar, ctx);
}

/* reduceByKey(add)'s reduce side counts string keys with small ints in
 * count.c's table and sends anything else to the general table: the
 * result, order included, is the general merge's. */
Test(rdd, reduce_by_key_add_equals_general_merge)
{
    struct rdd_arena *a = rdd_arena_new();
    struct rdd_value big = rdd_int(5000000000LL), v[] = {
        rdd_pair(a, rdd_cstr("a"), rdd_int(1)),
        rdd_pair(a, rdd_cstr("b"), rdd_int(2)),
        rdd_pair(a, rdd_cstr("a"), rdd_int(4000000000LL)),
        rdd_pair(a, rdd_cstr("a"), rdd_int(400000000)),
        rdd_pair(a, rdd_cstr("d"), big),
        rdd_pair(a, rdd_cstr("b"), rdd_int(-3)),
        rdd_pair(a, rdd_cstr("e"), rdd_float(2.5)),
        rdd_pair(a, rdd_cstr("e"), rdd_int(1)),
        rdd_pair(a, rdd_cstr("c"), rdd_cstr("x")),
        rdd_pair(a, rdd_cstr("c"), rdd_cstr("y")),
        rdd_pair(a, rdd_int(7), rdd_int(5)),
        rdd_pair(a, rdd_cstr("d"), rdd_int(1)),
        rdd_pair(a, rdd_int(7), rdd_int(5)),
    };
    size_t n = sizeof(v) / sizeof(v[0]);

    for (size_t skip = 0; skip < 3; skip++)     /* 0: all kinds mixed */
        for (int parts = 1; parts <= 3; parts++)
            for (int threads = 1; threads <= 2; threads++) {
                struct rdd_context *sc = rdd_context_new(threads);
                struct rdd *in = rdd_parallelize(sc, v + skip * 5,
                                                 n - skip * 5, parts);
                expect_same(rdd_reduce_by_key(in, rdd_add, NULL, 0),
                            rdd_reduce_by_key(in, plain_add, NULL, 0), parts,
                            threads);
                rdd_context_free(sc);
            }
    rdd_arena_free(a);
}

/* A shuffle block gives back exactly the records written, every kind,
 * and takes rdd_value_bytes() bytes each (what the stage table shows). */
Test(rdd, shuffle_block_round_trip)
{
    struct rdd_arena *a = rdd_arena_new();
    struct rdd_value t = rdd_tuple(a, 3), l = rdd_list(a, 2), v[] = {
        rdd_int(0), rdd_int(-1), rdd_int(INT64_MAX), rdd_int(INT64_MIN),
        rdd_bool(true), rdd_bool(false), rdd_float(-2.5), rdd_none(),
        rdd_cstr(""), rdd_str("a\0b", 3), rdd_cstr("0123456789abcdefXY"),
        t, l,
    };
    size_t n = sizeof(v) / sizeof(v[0]), bytes = 0;
    struct block b = { 0 };
    struct rdd_buf want = { 0 }, got = { 0 };
    const char *at;

    t.items[0] = rdd_int(300);
    t.items[1] = rdd_cstr("x");
    t.items[2] = l;
    l.items[0] = rdd_float(1e300);
    l.items[1] = rdd_bool(true);
    for (size_t i = 0; i < n; i++) {
        rdd_block_add(&b, v[i], v[n - 1 - i]);
        bytes += rdd_value_bytes(v[i]) + rdd_value_bytes(v[n - 1 - i]);
    }
    cr_assert_eq(b.n, n);
    cr_assert_eq(b.len, bytes);
    at = b.bytes;
    for (size_t i = 0; i < n; i++) {
        struct rdd_value k, x;
        at = rdd_block_next(at, &k, &x, a);
        want.len = got.len = 0;
        rdd_repr(&want, v[i]);
        rdd_repr(&want, v[n - 1 - i]);
        rdd_repr(&got, k);
        rdd_repr(&got, x);
        cr_assert_str_eq(got.s, want.s);
        cr_assert_eq(k.kind, v[i].kind, "record %zu", i);
    }
    cr_assert_eq(at, b.bytes + b.len);
    rdd_buf_free(&want);
    rdd_buf_free(&got);
    rdd_block_free(&b);
    rdd_arena_free(a);
}
