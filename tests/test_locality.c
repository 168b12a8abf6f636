/* test_locality.c - the cluster model (lib/par/cluster) and `pardemo locality`:
 * HDFS placement invariants for many seeds, locality-aware never worse than
 * blind, hand-computed schedules, deterministic tables, errors, cleanup. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster.h"
#include "check.h"
#include "harness.h"

#define RUN(...) cmd_run((const char *const[]){ __VA_ARGS__, NULL })

/* nodes, racks: clusters the invariants are checked on */
static const int shapes[][2] = {
    { 3, 1 }, { 5, 1 }, { 4, 2 }, { 6, 3 }, { 8, 2 }, { 12, 3 }, { 40, 4 },
    { 30, 10 },
};

static struct block *blocks_of(int n, long long bytes)
{
    struct block *b = calloc((size_t)n, sizeof(*b));

    cr_assert(b);
    for (int i = 0; i < n; i++)
        b[i].bytes = bytes;
    return b;
}

static int distinct_racks(const struct cluster *c, const struct block *b)
{
    int r0 = cluster_rack(c, b->node[0]), r1 = cluster_rack(c, b->node[1]);
    int r2 = cluster_rack(c, b->node[2]);

    return 1 + (r1 != r0) + (r2 != r0 && r2 != r1);
}

static void assert_distinct_nodes(const struct cluster *c,
                                  const struct block *b)
{
    for (int k = 0; k < CLUSTER_REPLICAS; k++)
        cr_assert(b->node[k] >= 0 && b->node[k] < c->nodes);
    cr_assert_neq(b->node[0], b->node[1]);
    cr_assert_neq(b->node[0], b->node[2]);
    cr_assert_neq(b->node[1], b->node[2]);
}

Test(cluster, rack_numbering_is_contiguous)
{
    struct cluster c = { 12, 3, 1, 0 };

    cr_assert_null(cluster_check(&c));
    cr_assert_eq(cluster_rack(&c, 0), 0);
    cr_assert_eq(cluster_rack(&c, 3), 0);
    cr_assert_eq(cluster_rack(&c, 4), 1);
    cr_assert_eq(cluster_rack(&c, 11), 2);
    c.racks = 5;
    cr_assert_not_null(cluster_check(&c));      /* 12 nodes, 5 racks */
    c = (struct cluster){ 6, 6, 1, 0 };
    cr_assert_not_null(cluster_check(&c));      /* 1 node per rack */
    c = (struct cluster){ 6, 3, 1, 6 };
    cr_assert_not_null(cluster_check(&c));      /* no node 6 */
}

Test(cluster, hdfs_placement_invariants_for_many_seeds)
{
    const int n = 60;
    struct block *b = blocks_of(n, 1);

    for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
        struct cluster c = { shapes[s][0], shapes[s][1], 1, 0 };
        for (uint64_t seed = 0; seed < 200; seed++) {
            c.writer = (int)(seed % (uint64_t)c.nodes);
            cluster_place(&c, PLACE_HDFS, seed, b, n);
            for (int i = 0; i < n; i++) {
                assert_distinct_nodes(&c, &b[i]);
                cr_assert_eq(b[i].node[0], c.writer, "first on the writer");
                if (c.racks < 2)
                    continue;
                cr_assert_eq(distinct_racks(&c, &b[i]), 2,
                             "%d nodes %d racks seed %llu", c.nodes, c.racks,
                             (unsigned long long)seed);
                /* the 3rd replica shares the 2nd's rack, not the 1st's */
                cr_assert_eq(cluster_rack(&c, b[i].node[1]),
                             cluster_rack(&c, b[i].node[2]));
                cr_assert_neq(cluster_rack(&c, b[i].node[0]),
                              cluster_rack(&c, b[i].node[1]));
            }
        }
    }
    free(b);
}

Test(cluster, random_placement_distinct_and_seeded)
{
    const int n = 100;
    struct block *a = blocks_of(n, 1), *b = blocks_of(n, 1);
    struct cluster c = { 12, 3, 1, 0 };
    int differ = 0;

    for (uint64_t seed = 0; seed < 100; seed++) {
        cluster_place(&c, PLACE_RANDOM, seed, a, n);
        cluster_place(&c, PLACE_RANDOM, seed, b, n);
        cr_assert_eq(memcmp(a, b, n * sizeof(*a)), 0, "same seed, same");
        for (int i = 0; i < n; i++)
            assert_distinct_nodes(&c, &a[i]);
        cluster_place(&c, PLACE_RANDOM, seed + 1000, b, n);
        differ += memcmp(a, b, n * sizeof(*a)) != 0;
    }
    cr_assert_eq(differ, 100, "another seed, another placement");
    free(a);
    free(b);
}

/* Optimal: each node holds an equal share, as first, second and third
 * copy, and on 2 racks whenever there are 2+. */
Test(cluster, optimal_placement_equal_share)
{
    for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
        struct cluster c = { shapes[s][0], shapes[s][1], 1, 0 };
        int n = 7 * c.nodes, first[64] = { 0 }, all[64] = { 0 };
        struct block *b = blocks_of(n, 1);

        cluster_place(&c, PLACE_OPTIMAL, 1, b, n);
        for (int i = 0; i < n; i++) {
            assert_distinct_nodes(&c, &b[i]);
            if (c.racks > 1)
                cr_assert_eq(distinct_racks(&c, &b[i]), 2);
            first[b[i].node[0]]++;
            for (int k = 0; k < CLUSTER_REPLICAS; k++)
                all[b[i].node[k]]++;
        }
        for (int node = 0; node < c.nodes; node++) {
            cr_assert_eq(first[node], 7);
            cr_assert_eq(all[node], 21);
        }
        free(b);
    }
}

static struct sched_params params(bool is_blind, int delay)
{
    return (struct sched_params){ .disk_bps = 400e6, .net_bps = 125e6,
        .oversub = 2, .heartbeat_s = 0.1, .delay_rounds = delay,
        .is_blind = is_blind, .seed = 5 };
}

Test(cluster, aware_never_worse_than_blind)
{
    const enum cluster_placement how[] = { PLACE_HDFS, PLACE_RANDOM,
                                           PLACE_OPTIMAL };
    const int n = 50;
    struct block *b = blocks_of(n, 128 << 20);
    struct sched_result a, z;

    for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
        for (int slots = 1; slots <= 3; slots += 2) {
            struct cluster c = { shapes[s][0], shapes[s][1], slots, 0 };
            for (uint64_t seed = 0; seed < 25; seed++) {
                for (int h = 0; h < 3; h++) {
                    int delay = (int)(seed % 4);
                    struct sched_params pa = params(false, delay);
                    struct sched_params pb = params(true, delay);
                    cluster_place(&c, how[h], seed, b, n);
                    cr_assert_eq(cluster_schedule(&c, b, n, &pa, &a), 0);
                    cr_assert_eq(cluster_schedule(&c, b, n, &pb, &z), 0);
                    cr_assert_geq(a.count[LOC_NODE], z.count[LOC_NODE],
                                  "shape %zu slots %d seed %llu how %d", s,
                                  slots, (unsigned long long)seed, h);
                    cr_assert_leq(a.net_bytes, z.net_bytes);
                }
            }
        }
    }
    free(b);
}

/* Optimal placement: every map slot finds a local block, every wave. */
Test(cluster, optimal_placement_all_node_local)
{
    for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
        for (int slots = 1; slots <= 4; slots++) {
            struct cluster c = { shapes[s][0], shapes[s][1], slots, 0 };
            int n = 3 * c.nodes * slots + c.nodes;
            struct block *b = blocks_of(n, 64 << 20);
            struct sched_params sp = params(false, 0);
            struct sched_result r;

            cluster_place(&c, PLACE_OPTIMAL, 0, b, n);
            cr_assert_eq(cluster_schedule(&c, b, n, &sp, &r), 0);
            cr_assert_eq(r.count[LOC_NODE], n, "%d nodes, %d racks, %d slots",
                         c.nodes, c.racks, slots);
            cr_assert_eq(r.net_bytes, 0);
            free(b);
        }
    }
}

/* Counts add up, and bytes are the bytes of the tasks that read remotely. */
Test(cluster, schedule_accounting)
{
    const int n = 37;
    struct block *b = blocks_of(n, 3 << 20);
    struct cluster c = { 12, 3, 2, 0 };
    struct sched_params sp = params(true, 0);
    struct sched_result r;

    b[n - 1].bytes = 1 << 20;           /* a short last block */
    cluster_place(&c, PLACE_HDFS, 9, b, n);
    cr_assert_eq(cluster_schedule(&c, b, n, &sp, &r), 0);
    cr_assert_eq(r.tasks, n);
    cr_assert_eq(r.count[LOC_NODE] + r.count[LOC_RACK] +
                 r.count[LOC_OFF_RACK], n);
    cr_assert_leq(r.core_bytes, r.net_bytes);
    cr_assert_leq(r.net_bytes, (n - 1) * (double)(3 << 20) + (1 << 20));
    if (r.count[LOC_OFF_RACK] > 0)
        cr_assert_gt(r.core_bytes, 0);
    cr_assert_eq(r.waits, 0);
    free(b);
}

/* Hand-computed: 3 nodes, 1 slot each, every block on every node, so all
 * tasks are node-local; 100 MB at 100 MB/s = 1 s a task, 2 waves. */
Test(cluster, schedule_time_by_hand)
{
    struct block *b = blocks_of(6, 100000000);
    struct cluster c = { 3, 1, 1, 0 };
    struct sched_params sp = { .disk_bps = 100e6, .net_bps = 10e6,
        .oversub = 1, .heartbeat_s = 0.25, .delay_rounds = 2 };
    struct sched_result r;

    cluster_place(&c, PLACE_OPTIMAL, 0, b, 6);
    cr_assert_eq(cluster_schedule(&c, b, 6, &sp, &r), 0);
    cr_assert_eq(r.count[LOC_NODE], 6);
    cr_assert_float_eq(r.job_seconds, 2.0, 1e-9);
    cr_assert_eq(r.net_bytes, 0);
    /* remote reads at 10 MB/s: one rack-local task takes 10 s */
    c = (struct cluster){ 4, 2, 1, 0 };
    struct block one = { 100000000, { 0, 2, 3 } };
    sp.is_blind = true;
    cr_assert_eq(cluster_schedule(&c, &one, 1, &sp, &r), 0);
    cr_assert_eq(r.count[LOC_NODE], 1);  /* node 0 is offered first */
    struct block far = { 100000000, { 2, 3, 1 } };
    cr_assert_eq(cluster_schedule(&c, &far, 1, &sp, &r), 0);
    cr_assert_eq(r.count[LOC_RACK], 1);  /* node 1 in rack 0 */
    cr_assert_float_eq(r.job_seconds, 10.0, 1e-9);
    cr_assert_eq(r.net_bytes, 1e8);
    free(b);
}

/* ---- the command ------------------------------------------------------ */

/* The rows of table NAME in CSV output, concatenated. */
static char *csv_rows(const char *out, const char *name)
{
    size_t len = strlen(name), used = 0;
    char *rows = calloc(1, strlen(out) + 1);
    const char *line = out;

    cr_assert(rows);
    while (line && *line) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line + 1) : strlen(line);
        if (!strncmp(line, name, len) && line[len] == ',') {
            memcpy(rows + used, line, n);
            used += n;
        }
        line = end ? end + 1 : NULL;
    }
    return rows;
}

Test(locality, csv_model_deterministic_for_a_seed)
{
    struct cmd_out a = RUN("locality", "--no-measure", "--format", "csv",
                           "-s", "7");
    struct cmd_out b = RUN("locality", "--no-measure", "--format", "csv",
                           "-s", "7");
    struct cmd_out c = RUN("locality", "--no-measure", "--format", "csv",
                           "-s", "8");
    char *ra, *rc;

    cr_assert_eq(a.status, 0, "%s", a.err);
    cr_assert_str_eq(a.out, b.out);
    ra = csv_rows(a.out, "model");
    rc = csv_rows(c.out, "model");
    cr_assert_eq(count_lines(ra), 6, "3 placements x 2 schedulers");
    cr_assert_str_neq(ra, rc, "another seed, another placement");
    cr_assert_str_empty(a.err);
    free(ra);
    free(rc);
    cmd_free(&a);
    cmd_free(&b);
    cmd_free(&c);
}

/* The measured run prints the same model rows as the model-only run. */
Test(locality, measured_run_keeps_model_rows)
{
    struct cmd_out a = RUN("locality", "--no-measure", "--format", "csv",
                           "--placement", "hdfs", "--nodes", "8",
                           "--racks", "2");
    struct cmd_out b = RUN("locality", "--measure-size", "1M", "-r", "2",
                           "--format", "csv", "--placement", "hdfs",
                           "--nodes", "8", "--racks", "2");
    char *ra = csv_rows(a.out, "model"), *rb = csv_rows(b.out, "model");
    char *m = csv_rows(b.out, "measured"), *g = csv_rows(b.out, "grounded");
    int verified = 0;

    cr_assert_eq(b.status, 0, "%s", b.err);
    cr_assert_eq(count_lines(ra), 2);
    cr_assert_str_eq(ra, rb);
    cr_assert_eq(count_lines(m), 3, "page cache, unix, tcp");
    for (const char *v = m; (v = strstr(v, ",verified\n")); v++)
        verified++;
    cr_assert_eq(verified, 3, "every copy checksum-verified");
    cr_assert_eq(count_lines(g), 1);
    free(ra);
    free(rb);
    free(m);
    free(g);
    cmd_free(&a);
    cmd_free(&b);
}

/* Checks one model row: fractions sum to 1 and the network bytes are the
 * non-local tasks' blocks (all full here: 40 blocks of 64 MiB). */
static void check_model_row(const char *row)
{
    char place[16], sched[16];
    double node, rack, off, net, core, waits, secs;

    cr_assert_eq(sscanf(row, "model,%15[^,],%15[^,],%lf,%lf,%lf,%lf,%lf,"
                        "%lf,%lf", place, sched, &node, &rack, &off, &net,
                        &core, &waits, &secs), 9, "%s", row);
    cr_assert_float_eq(node + rack + off, 1.0, 1e-9);
    cr_assert_float_eq(net, (rack + off) * 40 * 64.0 * 1048576, 1);
    cr_assert_float_eq(core, off * 40 * 64.0 * 1048576, 1);
    cr_assert_gt(secs, 0);
}

Test(locality, csv_rows_add_up)
{
    struct cmd_out a = RUN("locality", "--no-measure", "--format", "csv",
                           "--blocks", "40", "--block-size", "64M");
    char *rows = csv_rows(a.out, "model"), *line = rows, *nl;
    int n = 0;

    cr_assert_eq(a.status, 0, "%s", a.err);
    cr_assert(strstr(a.out, "table,placement,scheduler,node_local_fraction"));
    for (; (nl = strchr(line, '\n')); line = nl + 1, n++) {
        *nl = '\0';
        check_model_row(line);
    }
    cr_assert_eq(n, 6);
    free(rows);
    cmd_free(&a);
}

Test(locality, json_parses)
{
    struct cmd_out c = cmd_sh("\"$PARDEMO_BIN\" locality --no-measure "
        "--format json | python3 -c 'import json,sys; d=json.load(sys.stdin);"
        " t={x[\"name\"]: x for x in d[\"tables\"]};"
        " print(len(t[\"model\"][\"rows\"]), len(d[\"notice\"]) > 0)'", 60);

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_eq(c.out, "6 True\n");
    cmd_free(&c);
}

/* The defects: a given --net-mbps was replaced by this machine's ratio,
 * and a page-cache vs loopback ratio was called "a lower bound on what
 * separate storage costs". */
Test(locality, text_report_explains)
{
    struct cmd_out c = RUN("locality", "--quick", "--measure-size", "1M");
    char *out = unwrapped(c.out);

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(strstr(out, "Replicas per node"));
    cr_assert(strstr(out, "What to notice"));
    cr_assert(strstr(out, "node-local against"), "%s", out);
    cr_assert(strstr(out, "It is not what a disk or a real network costs"));
    cr_assert(strstr(out, "not a measured network"));
    cr_assert_null(strstr(out, "lower bound"));
    free(out);
    cmd_free(&c);
}

Test(locality, given_network_speed_is_kept)
{
    struct cmd_out c = RUN("locality", "--quick", "--measure-size", "1M",
                           "--net-mbps", "1250", "--format", "csv");
    char *g = csv_rows(c.out, "grounded"), *out;

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_eq(count_lines(g), 0, "no model at this machine's ratio");
    free(g);
    cmd_free(&c);
    c = RUN("locality", "--quick", "--measure-size", "1M", "--net-mbps",
            "1250");
    out = unwrapped(c.out);
    cr_assert(strstr(out, "network 1250 MB/s per node"), "%s", out);
    cr_assert(strstr(out, "--net-mbps was given, so the model keeps"));
    free(out);
    cmd_free(&c);
}

static void expect_usage_error(const char *const *args, const char *part)
{
    struct cmd_out c = cmd_run_env(args, NULL, NULL, 30);

    cr_assert_eq(c.status, 2, "%s: status %d", args[1], c.status);
    cr_assert_str_empty(c.out);
    cr_assert_eq(count_lines(c.err), 1, "%s", c.err);
    cr_assert(!strncmp(c.err, "pardemo: locality: ", 19), "%s", c.err);
    cr_assert(strstr(c.err, part), "%s", c.err);
    cmd_free(&c);
}

#define BAD(part, ...) \
    expect_usage_error((const char *const[]){ "locality", __VA_ARGS__, \
                                              NULL }, part)

Test(locality, bad_values_exit_2_with_one_line)
{
    BAD("--nodes must be 3..10000", "--nodes", "2");
    BAD("--racks must divide", "--nodes", "12", "--racks", "5");
    BAD("2+ nodes", "--nodes", "6", "--racks", "6");
    BAD("--writer", "--nodes", "6", "--writer", "6");
    BAD("not both", "--blocks", "3", "-n", "1G");
    BAD("at most 1000000 blocks", "-n", "2048G", "--block-size", "1M");
    BAD("--placement must be one of", "--placement", "best");
    BAD("--delay", "--delay", "-1");
    BAD("--net-mbps", "--net-mbps", "0");
    BAD("--measure-size", "--measure-size", "2G");
    BAD("unknown option", "--threads", "2");
}

/* The temp file and the storage process are gone after a run, and after
 * SIGTERM in the middle of the measurement. */
Test(locality, nothing_left_behind)
{
    char *dir = make_tmpdir(), line[1024];
    struct cmd_out c;

    cr_assert(dir);
    snprintf(line, sizeof(line),
        "d=%s; TMPDIR=$d \"$PARDEMO_BIN\" locality --quick --measure-size 1M"
        " >/dev/null || exit 9; ls -A $d | wc -l; "
        "TMPDIR=$d \"$PARDEMO_BIN\" locality --measure-size 64M -r 1000 "
        ">/dev/null & pid=$!; i=0; "
        "while [ -z \"$(ls -A $d)\" ] && [ $i -lt 400 ]; do sleep 0.05; "
        "i=$((i+1)); done; sleep 0.3; kill -TERM $pid; wait $pid; echo $?; "
        "sleep 0.2; ls -A $d | wc -l; "
        "grep -l \"TMPDIR=$d\" /proc/[0-9]*/environ 2>/dev/null | wc -l",
        dir);
    c = cmd_sh(line, 110);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_eq(c.out, "0\n143\n0\n0\n", "files after run, exit "
                     "status, files after SIGTERM, processes left");
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

/* A runtime failure: one line with the cause, exit 1, nothing on stdout. */
Test(locality, unwritable_tmpdir_exits_1)
{
    const char *const env[] = { "TMPDIR=/nonexistent-pardemo-dir", NULL };
    struct cmd_out c = cmd_run_env((const char *const[]){ "locality",
                                   "--measure-size", "1M", NULL }, NULL, env,
                                   60);

    cr_assert_eq(c.status, 1);
    cr_assert_str_empty(c.out);
    cr_assert_str_eq(c.err, "pardemo: locality: cannot write the temp file: "
                     "No such file or directory\n");
    cmd_free(&c);
}
