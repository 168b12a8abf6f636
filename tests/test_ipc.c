/* test_ipc.c - lib/ipc (checksum, ring, addresses) and `pardemo ipc`:
 * every byte arrives for every mechanism and size (copied once by shared
 * memory, twice by the others, as the diagram says), bad input is one line,
 * and nothing is left behind after a run, an error or a signal. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "ipc.h"
#include "pardemo.h"
#include "leftovers.h"
#include "check.h"

#define RUN(...) cmd_run((const char *const[]){ __VA_ARGS__, NULL })

/* ---- lib/ipc -------------------------------------------------------- */

Test(ipc_lib, checksum_ignores_how_bytes_are_split)
{
    static unsigned char data[1000];
    static const size_t cuts[][3] = { { 1, 2, 3 }, { 7, 8, 9 },
                                      { 13, 45, 77 }, { 500, 501, 999 },
                                      { 0, 0, 1000 } };
    struct ipc_sum s;
    uint64_t whole;

    ipc_fill(data, sizeof(data), 7);
    ipc_sum_init(&s);
    ipc_sum_add(&s, data, sizeof(data));
    whole = ipc_sum_final(&s);
    for (size_t i = 0; i < ARRAY_SIZE(cuts); i++) {
        ipc_sum_init(&s);
        ipc_sum_add(&s, data, cuts[i][0]);
        ipc_sum_add(&s, data + cuts[i][0], cuts[i][1] - cuts[i][0]);
        ipc_sum_add(&s, data + cuts[i][1], cuts[i][2] - cuts[i][1]);
        ipc_sum_add(&s, data + cuts[i][2], sizeof(data) - cuts[i][2]);
        cr_assert_eq(ipc_sum_final(&s), whole, "cut %zu", i);
    }
    /* swapping two 8-byte words must change it */
    unsigned char w[8];
    memcpy(w, data, 8);
    memcpy(data, data + 8, 8);
    memcpy(data + 8, w, 8);
    ipc_sum_init(&s);
    ipc_sum_add(&s, data, sizeof(data));
    cr_assert_neq(ipc_sum_final(&s), whole);
}

Test(ipc_lib, checksum_matches_python_reference)
{
    /* the same Fletcher-style sum, written independently in Python */
    struct cmd_out c = cmd_sh(
        "python3 -c '\n"
        "import struct\n"
        "M = 2**64\n"
        "d = bytes((i * 37 + 11) % 256 for i in range(1003))\n"
        "p = d + bytes(-len(d) % 8)\n"
        "a = [0] * 4; b = [0] * 4\n"
        "for k, (w,) in enumerate(struct.iter_unpack(\"<Q\", p)):\n"
        "    l = k % 4; a[l] = (a[l] + w) % M; b[l] = (b[l] + a[l]) % M\n"
        "h = len(d) * 0x9E3779B97F4A7C15 % M\n"
        "for l in range(4):\n"
        "    r = ((a[l] << 32) | (a[l] >> 32)) % M\n"
        "    h = (h ^ b[l] ^ r) * 0x100000001B3 % M\n"
        "print(h)'", 30);
    unsigned char d[1003];
    struct ipc_sum s;

    cr_assert_eq(c.status, 0, "%s", c.err);
    for (size_t i = 0; i < sizeof(d); i++)
        d[i] = (unsigned char)((i * 37 + 11) % 256);
    ipc_sum_init(&s);
    ipc_sum_add(&s, d, 5);
    ipc_sum_add(&s, d + 5, sizeof(d) - 5);
    cr_assert_eq(ipc_sum_final(&s), strtoull(c.out, NULL, 10));
    cmd_free(&c);
}

Test(ipc_lib, addresses)
{
    struct ipc_addr a;
    char why[160];
    static const char *const bad[] = {
        "", "unix:", "udp:127.0.0.1:5", "tcp:127.0.0.1", "tcp:127.0.0.1:",
        "tcp:127.0.0.1:65536", "tcp:127.0.0.1:-1", "tcp:10.0.0.1:80",
        "tcp:8.8.8.8:53", "tcp::80", "tcp:127.0.0.1:8x",
        "unix:/tmp/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sock",
    };

    cr_assert_eq(ipc_addr_parse("unix:/tmp/x.sock", &a, why, sizeof(why)), 0);
    cr_assert(!a.is_tcp);
    cr_assert_str_eq(a.path, "/tmp/x.sock");
    cr_assert_eq(ipc_addr_parse("tcp:127.0.0.1:0", &a, why, sizeof(why)), 0);
    cr_assert(a.is_tcp);
    cr_assert_eq(ipc_addr_parse("tcp:localhost:8080", &a, why, sizeof(why)),
                 0);
    cr_assert_str_eq(a.text, "tcp:127.0.0.1:8080");
    cr_assert_eq(ipc_addr_parse("tcp:127.1.2.3:65535", &a, why, sizeof(why)),
                 0);
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
        cr_assert_eq(ipc_addr_parse(bad[i], &a, why, sizeof(why)), -1,
                     "%s", bad[i]);
}

static void copy_sink(void *ctx, const void *p, size_t n)
{
    unsigned char **at = ctx;

    memcpy(*at, p, n);
    *at += n;
}

/* The ring carries messages of every awkward size byte for byte: a child
 * echoes each message back, the parent compares. */
Test(ipc_lib, ring_echoes_awkward_sizes_exactly)
{
    static const size_t sizes[] = { 1, 7, 8, 9, IPC_SLOT_BYTES - 1,
        IPC_SLOT_BYTES, IPC_SLOT_BYTES + 1, 100003,
        IPC_SLOT_BYTES * IPC_RING_SLOTS + 5 };
    struct ipc_counts counts = { 0, 0 };
    struct ipc_shm shm;
    struct ipc_ring *r;
    char err[IPC_ERR_LEN];
    size_t big = sizes[ARRAY_SIZE(sizes) - 1];
    unsigned char *out = malloc(big), *back = malloc(big);
    int slot;
    pid_t pid;

    cr_assert_eq(ipc_shm_create(&shm, "test-ring", 2 * sizeof(*r), err,
                                sizeof(err)), 0, "%s", err);
    r = shm.addr;
    ipc_ring_init(&r[0]);
    ipc_ring_init(&r[1]);
    pid = ipc_fork(&slot);
    if (pid == 0) {
        struct ipc_wait w = { false, 0, &counts, 0 };
        for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
            unsigned char *at = back;
            if (ipc_ring_recv(&r[0], sizes[i], copy_sink, &at, &w) < 0 ||
                ipc_ring_send(&r[1], back, sizes[i], &w) < 0)
                _exit(1);
        }
        _exit(0);
    }
    struct ipc_wait w = { true, pid, &counts, 0 };
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        unsigned char *at = back;
        ipc_fill(out, sizes[i], i + 1);
        cr_assert_eq(ipc_ring_send(&r[0], out, sizes[i], &w), 0);
        cr_assert_eq(ipc_ring_recv(&r[1], sizes[i], copy_sink, &at, &w), 0);
        cr_assert_eq((size_t)(at - back), sizes[i]);
        cr_assert_eq(memcmp(out, back, sizes[i]), 0, "size %zu", sizes[i]);
    }
    cr_assert_eq(ipc_reap(pid, slot), 0);
    ipc_shm_destroy(&shm);
    free(out);
    free(back);
}

/* A parent waiting on a ring whose child died gets EPIPE, not a hang. */
Test(ipc_lib, dead_peer_ends_a_wait)
{
    struct ipc_counts counts = { 0, 0 };
    struct ipc_shm shm;
    char err[IPC_ERR_LEN];
    unsigned char b[16];
    int slot;
    pid_t pid;

    cr_assert_eq(ipc_shm_create(&shm, "test-dead", sizeof(struct ipc_ring),
                                err, sizeof(err)), 0, "%s", err);
    ipc_ring_init(shm.addr);
    pid = ipc_fork(&slot);
    if (pid == 0)
        _exit(3);
    struct ipc_wait w = { false, pid, &counts, 0 };
    unsigned char *at = b;
    cr_assert_eq(ipc_ring_recv(shm.addr, sizeof(b), copy_sink, &at, &w), -1);
    cr_assert_eq(errno, EPIPE);
    cr_assert_eq(ipc_reap(pid, slot), 3);
    ipc_shm_destroy(&shm);
}

/* ---- pardemo ipc ---------------------------------------------------- */

/* Column i (0-based) of a CSV line, copied into buf. */
static const char *field(const char *line, int i, char *buf, size_t len)
{
    while (i-- > 0 && line && (line = strchr(line, ',')))
        line++;
    size_t w = line ? strcspn(line, ",\n") : 0;
    snprintf(buf, len, "%.*s", (int)w, line ? line : "");
    return buf;
}

Test(ipc_cli, every_mechanism_and_size_arrives_intact, .timeout = 120)
{
    /* sizes around the ring's 16 KiB slot, the mq's 8 KiB message limit
     * and the pipe's 64 KiB, most not a multiple of anything */
    struct cmd_out c = RUN("ipc", "--sizes", "1,63,8193,16383,16385,70001,"
                           "1048579", "--count", "3", "--format", "csv");
    int rows = 0, py_rows = 0;
    char f[64];

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_empty(c.err);
    for (char *l = strstr(c.out, "\nipc,"); l; l = strstr(l + 1, "\nipc,")) {
        const char *mech = field(l + 1, 2, f, sizeof(f));
        bool is_shm = !strcmp(mech, "shm");
        bool is_c = !strncmp(l + 1, "ipc,C,", 6);
        rows += is_c;
        py_rows += !is_c;
        cr_assert_str_eq(field(l + 1, 10, f, sizeof(f)), "yes", "%.80s",
                         l + 1);
        if (is_c)
            cr_assert_str_eq(field(l + 1, 8, f, sizeof(f)),
                             is_shm ? "1" : "2", "copies: %.80s", l + 1);
        cr_assert_str_eq(field(l + 1, 4, f, sizeof(f)), "3");
    }
    cr_assert_eq(rows, 4 * 7);
    cr_assert_eq(py_rows, 5 * 7, "Queue, Pipe, shared_memory, Array, RawArray "
                 "at every size");
    cmd_free(&c);
}

Test(ipc_cli, pipe_costs_two_syscalls_per_small_message)
{
    struct cmd_out c = RUN("ipc", "--mech", "pipe,unix", "--sizes", "100",
                           "--count", "50", "--format", "csv", "--no-python");
    char f[32];
    char *l = strstr(c.out, "\nipc,C,pipe");

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(l);
    cr_assert_str_eq(field(l + 1, 9, f, sizeof(f)), "2");
    cmd_free(&c);
}

Test(ipc_cli, text_report_explains_mq_chunks)
{
    char want[200];
    struct cmd_out c = RUN("ipc", "--mech", "mq,shm", "--sizes", "64,20000",
                           "--count", "5", "--no-python");
    long max = ipc_mq_limit("msgsize_max", 8192);

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(strstr(c.out, "What to notice"));
    snprintf(want, sizeof(want), "msgsize_max = %ld bytes", max);
    cr_assert(strstr(c.out, want), "%s", c.out);
    snprintf(want, sizeof(want), "%lld", (20000LL + max - 1) / max);
    cr_assert(strstr(c.out, want));
    cmd_free(&c);
}

struct bad_case {
    const char *args[6];
    const char *want;
};

Test(ipc_cli, bad_values_are_one_line_and_status_2)
{
    static const struct bad_case cases[] = {
        { { "ipc", "--sizes", "0" }, "--sizes must be" },
        { { "ipc", "--sizes", "64,,4k" }, "--sizes must be" },
        { { "ipc", "--sizes", "5X" }, "unknown suffix" },
        { { "ipc", "--sizes", "65M" }, "out of range" },
        { { "ipc", "--sizes", "-1" }, "negative" },
        { { "ipc", "--sizes", "" }, "--sizes must be" },
        { { "ipc", "--count", "-5" }, "--count must be" },
        { { "ipc", "--mech", "shm,tcp" }, "--mech must be" },
        { { "ipc", "--mech", "" }, "--mech must be" },
        { { "ipc", "--no-python", "--python-only" }, "exclude each other" },
        { { "ipc", "--start-method", "threads" }, "--start-method must" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct cmd_out c = cmd_run(cases[i].args);
        cr_assert_eq(c.status, 2, "%s", cases[i].args[2]);
        cr_assert_str_empty(c.out);
        cr_assert_eq(count_lines(c.err), 1, "%s", c.err);
        cr_assert(strstr(c.err, cases[i].want), "%s", c.err);
        cr_assert(!strncmp(c.err, "pardemo: ipc: ", 14));
        cmd_free(&c);
    }
}

Test(ipc_cli, normal_run_leaves_nothing)
{
    const char *args[] = { "ipc", "--sizes", "64,20000", "--count", "5",
                           "--format", "json", NULL };
    char left[1024], *err;
    pid_t pid;

    mqueue_mount();
    cr_assert_eq(bg_run(args, &pid, &err), 0, "%s", err);
    cr_assert_str_eq(leftovers(pid, NULL, 0, left, sizeof(left)), "");
    free(err);
}

/* The kernel says no: RLIMIT_MSGQUEUE room for one 10 x 4 KiB queue but
 * not two, so the first queue exists when the second fails. One line that
 * names the limit and how to raise it, exit 1, nothing left. */
Test(ipc_cli, mq_limit_is_one_line_and_leaves_nothing)
{
    const char *args[] = { "ipc", "--mech", "shm,pipe,mq", "--sizes", "4k",
                           "--count", "3", NULL };
    struct rlimit small = { 50000, 50000 };
    char left[1024], *err;
    pid_t pid;
    int st;

    /* the child inherits the limit: lower it only around the start */
    struct rlimit old;
    getrlimit(RLIMIT_MSGQUEUE, &old);
    cr_assert_eq(setrlimit(RLIMIT_MSGQUEUE, &small), 0);
    st = bg_run(args, &pid, &err);
    setrlimit(RLIMIT_MSGQUEUE, &old);
    cr_assert_eq(st, 1, "%s", err);
    cr_assert_eq(count_lines(err), 1, "%s", err);
    cr_assert(strstr(err, "RLIMIT_MSGQUEUE"), "%s", err);
    cr_assert(strstr(err, "ulimit -q"), "%s", err);
    cr_assert_str_eq(leftovers(pid, NULL, 0, left, sizeof(left)), "");
    free(err);
}

/* /dev/shm full: a private mount namespace with a 64 KiB tmpfs there
 * (needs root and unshare; skipped otherwise). */
Test(ipc_cli, full_dev_shm_is_one_line)
{
    char line[600];
    struct cmd_out c;

    if (geteuid() != 0)
        cr_skip_test("needs root (a private mount namespace)");
    require_tool("unshare", "util-linux");
    snprintf(line, sizeof(line), "unshare -m sh -c 'mount -t tmpfs -o "
             "size=64k none /dev/shm && exec %s ipc --mech pipe,shm --sizes "
             "64 --count 3'", pardemo_bin());
    c = cmd_sh(line, 60);
    cr_assert_eq(c.status, 1, "%s", c.err);
    cr_assert_str_empty(c.out);
    cr_assert_eq(count_lines(c.err), 1, "%s", c.err);
    cr_assert(strstr(c.err, "/dev/shm has"), "%s", c.err);
    cr_assert(strstr(c.err, "remount,size="), "%s", c.err);
    cmd_free(&c);
}

/* Start a long transfer, wait until it is under way (its names exist and
 * a child runs), send sig, then look for anything left. */
static void signal_mid_transfer(const char *mech, const char *dir,
                                const char *suffix, int sig)
{
    const char *args[] = { "ipc", "--mech", mech, "--sizes", "64",
                           "--count", "100000000", NULL };
    char *path = tmp_template("err"), left[1024];
    pid_t kids[8], pid;
    int fd = mkstemp(path), nkids;

    close(fd);
    if (mqueue_mount() && !strcmp(mech, "mq"))
        dir = "/dev/mqueue", suffix = "-mq-up";
    pid = bg_start(args, path);
    cr_assert(wait_for_child(pid, 30), "no child started");
    if (dir || !strcmp(mech, "unix"))
        cr_assert(wait_for_name(dir, pid, suffix, 30), "%s/pardemo-%d-*%s "
                  "never appeared", dir ? dir : "(private)", (int)pid,
                  suffix);
    nkids = bg_children(pid, kids, 8);
    cr_assert_gt(nkids, 0);
    usleep(100000);                     /* well into the ping-pong */
    kill(pid, sig);
    cr_assert_eq(bg_wait(pid, 30), 128 + sig);
    cr_assert_str_eq(leftovers(pid, kids, nkids, left, sizeof(left)), "");
    unlink(path);
    free(path);
}

/* Python's start methods: a test for each, spread over the suite's jobs
 * (under ASan a spawned child is a whole sanitized pardemo: seconds). */
static const char *const start_methods[] = { "fork", "spawn",
                                             "forkserver" };

/* The lecture's Queue and Pipe, in Python: every message checked (the
 * echo equal, CRC-32 over the streams), the table's Python rows, the
 * sentences that set them against C's pipe; --python-only has no C row;
 * every start method; no child left behind. */
ParameterizedTestParameters(ipc_cli, python_queue_and_pipe_every_start_method)
{
    static int index[] = { 0, 1, 2 };

    return cr_make_param_array(int, index, 3);
}

ParameterizedTest(int *m, ipc_cli, python_queue_and_pipe_every_start_method,
                  .timeout = 300)
{
    const char *method = start_methods[*m];
    struct cmd_out c = RUN("ipc", "--python-only", "--sizes", "64,70001",
                           "--count", "20", "--start-method", method);
    cr_assert_eq(c.status, 0, "%s: %s", method, c.err);
    cr_assert_str_empty(c.err);
    cr_assert(strstr(c.out, "Python  Queue"), "%s", c.out);
    cr_assert(strstr(c.out, "Python  Pipe"), "%s", c.out);
    cr_assert(!strstr(c.out, "C       pipe"), "%s", c.out);
    cr_assert(!strstr(c.out, "  NO"), "%s", c.out);
    char *text = unwrapped(c.out);
    cr_assert(strstr(text, "Every Python message arrived whole"));
    free(text);
    cmd_free(&c);
    assert_no_child_left((const char *const[]){ "ipc", "--python-only",
        "--sizes", "64", "--count", "5", "--start-method", method, NULL });
}

/* Python's shared memory: shared_memory, an Array and a RawArray at
 * every size, every message checked (the bytes moved counted, CRC-32),
 * in the CSV under their names; with spawn too; no child left. */
ParameterizedTestParameters(ipc_cli,
                            python_shared_memory_every_start_method)
{
    static int index[] = { 0, 1 };      /* fork, spawn */

    return cr_make_param_array(int, index, 2);
}

ParameterizedTest(int *m, ipc_cli,
                  python_shared_memory_every_start_method,
                  .timeout = 300)
{
    const char *method = start_methods[*m];
    char args[200];
    struct cmd_out c;

    snprintf(args, sizeof(args), "ipc --python-only --sizes 64,70001 "
             "--count 20 --format csv --start-method %s", method);
    c = py_check("", args,
        "import csv, sys\n"
        "rows = [r for r in csv.reader(l for l in sys.stdin\n"
        "        if l[0] != '#') if r[:2] == ['ipc', 'Python']]\n"
        "names = [r[2] for r in rows]\n"
        "want = ['Queue', 'Pipe', 'shared_memory', 'Array', "
        "'RawArray']\n"
        "assert names == want * 2, names\n"
        "assert [r[3] for r in rows] == ['64'] * 5 + ['70001'] * 5, "
        "rows\n"
        "assert all(r[10] == 'yes' for r in rows), rows\n");
    cr_assert_eq(c.status, 0, "%s: %s", method, c.err);
    cmd_free(&c);
    assert_no_child_left((const char *const[]){ "ipc", "--python-only",
        "--sizes", "64", "--count", "5", NULL });
}

/* Beside C: the lock's cost, Python's shared_memory against C's, and
 * shared_memory against a Pipe, each said from this run's numbers. */
Test(ipc_cli, python_shared_memory_beside_c, .timeout = 300)
{
    struct cmd_out c = py_check("", "ipc --mech shm,pipe --sizes 64,64k "
        "--count 50 --format json",
        "import json, sys\n"
        "ids = [n['id'] for n in json.load(sys.stdin)['notice']]\n"
        "for k in ('ipc.py_lock', 'ipc.py_shm_latency', 'ipc.py_shm_rate'):\n"
        "    assert any(i.startswith(k) for i in ids), (k, ids)\n");

    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
}

Test(ipc_cli, python_beside_c_and_without)
{
    struct cmd_out c = RUN("ipc", "--mech", "pipe", "--sizes", "64",
                           "--count", "50");
    struct cmd_out n = RUN("ipc", "--mech", "pipe", "--sizes", "64",
                           "--count", "50", "--no-python");

    char *text = unwrapped(c.out);

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(strstr(text, "Queue took"), "%s", text);
    cr_assert(strstr(text, "as long as C's pipe") ||
              strstr(text, "too close to tell apart") ||
              strstr(text, "less than C's pipe"), "%s", text);
    free(text);
    cr_assert_eq(n.status, 0, "%s", n.err);
    cr_assert(!strstr(n.out, "Python  Queue"));
    cr_assert(strstr(n.out, "skipped (--no-python)"));
    cmd_free(&c);
    cmd_free(&n);
}


/* names are pardemo-PID-RANDOM-what: the pid says whose, the random part
 * keeps another user from making them first */
Test(ipc_signal, sigint_during_shm) { signal_mid_transfer("shm",
    "/dev/shm", "-shm", SIGINT); }
Test(ipc_signal, sigterm_during_shm) { signal_mid_transfer("shm",
    "/dev/shm", "-shm", SIGTERM); }
Test(ipc_signal, sigint_during_mq) { signal_mid_transfer("mq", NULL, "",
    SIGINT); }
Test(ipc_signal, sigterm_during_mq) { signal_mid_transfer("mq", NULL, "",
    SIGTERM); }
/* the socket lives in a private directory (mode 0700) */
Test(ipc_signal, sigterm_during_unix) { signal_mid_transfer("unix",
    NULL, "", SIGTERM); }
Test(ipc_signal, sigint_during_pipe) { signal_mid_transfer("pipe", NULL,
    "", SIGINT); }
