/* test_files.c - files at the edges: every output option with paths of
 * 250 to 4000 bytes (and a long TMPDIR), Ctrl-C during a save whose
 * parent directory's path is 254 bytes long (the input and a file beside
 * it survive: a cleanup slot once cut that path short and deleted them),
 * /proc files and pipes as input, a file truncated while it is mapped
 * (one error line, exit 1, nothing left), a full disk for plot. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"
#include "leftovers.h"

/* A directory under base whose path is exactly len bytes: components of
 * up to 200 'd's (the last one shorter). Returns it (malloc'd). */
static char *long_dir(const char *base, size_t len)
{
    char *path = strdup(base);

    cr_assert_gt(len, strlen(base) + 2);
    while (strlen(path) < len) {
        size_t left = len - strlen(path) - 1, n = left > 200 ? 200 : left;
        if (left > 200 && left - 200 < 2)
            n = left - 2;       /* no 0-byte component at the end */
        char *next = NULL;
        cr_assert(asprintf(&next, "%s/%.*s", path, (int)n,
                           "dddddddddddddddddddddddddddddddddddddddddddddddd"
                           "dddddddddddddddddddddddddddddddddddddddddddddddd"
                           "dddddddddddddddddddddddddddddddddddddddddddddddd"
                           "dddddddddddddddddddddddddddddddddddddddddddddddd"
                           "dddddddd") >= 0);
        free(path);
        path = next;
        cr_assert(mkdir(path, 0755) == 0 || errno == EEXIST, "%s", path);
    }
    cr_assert_eq(strlen(path), len);
    return path;
}

static struct cmd_out sh(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static struct cmd_out sh(const char *fmt, ...)
{
    char *cmd = NULL;
    va_list ap;

    va_start(ap, fmt);
    cr_assert(vasprintf(&cmd, fmt, ap) >= 0);
    va_end(ap);
    struct cmd_out c = cmd_sh(cmd, 240);
    free(cmd);
    return c;
}

/* gen -o, bench -o, plot -o, --save and TMPDIR, each with a path of len
 * bytes: they work, and leave nothing else. */
static void every_output_at(const char *base, size_t len)
{
    char *d = long_dir(base, len - 16);     /* + "/x.csv" etc. */
    const char *p = pardemo_bin();
    struct cmd_out c;

    c = sh("cd %s && %s gen trade --rows 50 -o %s/gen.csv -q && "
           "%s gen trade --rows 50 | cmp - %s/gen.csv && "
           "%s bench race -k atomic -w 1,2 -r 1 --sizes 1k -q -o %s/b.csv && "
           "%s plot %s/b.csv -o %s/plots >/dev/null && "
           "test -s %s/plots/speedup-race.png && "
           "%s wordcount %s/gen.csv --save %s/saved -q >/dev/null && "
           "test -f %s/saved/_SUCCESS && "
           "TMPDIR=%s %s wordcount -n 64k -q >/dev/null && "
           "TMPDIR=%s %s locality --measure-size 1M -r 1 -q >/dev/null && "
           "ls -A %s", d, p, d, p, d, p, d, p, d, d, d, p, d, d, d, d, p, d,
           p, d);
    cr_expect_eq(c.status, 0, "%zu-byte paths: %s", len, c.err);
    cr_expect_str_eq(c.out, "b.csv\ngen.csv\nplots\nsaved\n", "%zu-byte "
                     "paths left: %s", len, c.out);
    cmd_free(&c);
    free(d);
}

Test(files, every_output_option_with_long_paths, .timeout = 600)
{
    char *base = make_tmpdir();
    size_t lens[] = { 250, 1000, 4000 };

    for (size_t i = 0; i < 3; i++)
        every_output_at(base, lens[i]);
    rm_tree(base);
    free(base);
}

/* A unix socket path has 107 bytes: a longer --addr is a usage error. */
Test(files, manager_socket_path_too_long_is_a_usage_error)
{
    char addr[320];

    memset(addr, 'a', sizeof(addr) - 1);
    memcpy(addr, "unix:/tmp/", 10);
    addr[sizeof(addr) - 1] = '\0';
    assert_usage_error("manager", "--addr", addr);
}

/* The case: a save into DIR/out, DIR 254 bytes long, holding the
 * input and notes.txt; Ctrl-C at seeded points of the save. Nothing but
 * out (whole) may appear, nothing may go. */
Test(files, interrupted_save_beside_a_254_byte_parent_deletes_nothing,
     .timeout = 600)
{
    char *base = make_tmpdir(), *d = long_dir(base, 254);
    unsigned seed = 7;
    struct cmd_out c;

    c = sh("cd %s && %s gen text --bytes 8M -o input.txt -q && "
           "echo keep > notes.txt", d, pardemo_bin());
    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
    for (int k = 0; k < 10; k++) {
        int ms = 50 + (int)(rand_r(&seed) % 1500);
        c = sh("cd %s || exit 1; rm -rf out; (TMPDIR=%s exec %s wordcount "
               "input.txt -t 4 -p 7 --no-group --save out -q >/dev/null) & "
               "sleep %d.%03d; kill -TERM $! 2>/dev/null; wait; "
               "test -s input.txt && test \"$(cat notes.txt)\" = keep && "
               "{ test ! -e out || test -f out/_SUCCESS; } && ls -A",
               d, d, pardemo_bin(), ms / 1000, ms % 1000);
        cr_expect_eq(c.status, 0, "after %d ms: %s", ms, c.err);
        cr_expect(!strcmp(c.out, "input.txt\nnotes.txt\n") ||
                  !strcmp(c.out, "input.txt\nnotes.txt\nout\n"),
                  "after %d ms the directory holds: %s", ms, c.out);
        cmd_free(&c);
    }
    free(d);
    rm_tree(base);
    free(base);
}

/* Words of a file by python3's split(), the independent count. */
static long python_words(const char *path)
{
    char *src = NULL;
    struct cmd_out c;
    long n;

    cr_assert(asprintf(&src, "print(len(open('%s', 'rb').read().split()))",
                       path) >= 0);
    c = python_run(src);
    n = atol(c.out);
    cmd_free(&c);
    free(src);
    return n;
}

/* A file whose size reads 0 (/proc) is read, not mapped; a pipe works. */
Test(files, proc_files_and_pipes_are_read)
{
    char shared[4096];
    struct cmd_out c;
    long want;

    c = sh("%s wordcount /proc/version --format csv -q | grep '^throughput'"
           " | cut -d, -f4", pardemo_bin());
    cr_expect_eq(atol(c.out), python_words("/proc/version"), "%s", c.err);
    cmd_free(&c);
    shared_data("hamlet.txt", shared, sizeof(shared));
    want = python_words(shared);
    c = sh("cat %s | %s wordcount /dev/stdin --format csv -q | "
           "grep '^throughput' | cut -d, -f4", shared, pardemo_bin());
    cr_expect_eq(atol(c.out), want, "a pipe: %s", c.err);
    cmd_free(&c);
    c = sh("d=$(mktemp -d) && mkfifo $d/f && (cat %s > $d/f &) && "
           "%s wordcount $d/f --format csv -q | grep '^throughput' | "
           "cut -d, -f4; rm -r $d", shared, pardemo_bin());
    cr_expect_eq(atol(c.out), want, "a FIFO: %s", c.err);
    cmd_free(&c);
}

/* Log rotation truncates a file under a reader: the mapped pages past
 * the new end raise SIGBUS. One line, exit 1, no save directory left. */
Test(files, a_file_truncated_while_mapped_is_one_error_line, .timeout = 300)
{
    char *dir = make_tmpdir();
    bool is_hit = false;
    struct cmd_out c;

    c = sh("cd %s && %s gen text --bytes 64M -o big.txt -q", dir,
           pardemo_bin());
    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
    for (int k = 0; k < 5 && !is_hit; k++) {
        c = sh("cd %s || exit 1; rm -rf out .out* rc err; cp big.txt in.txt; "
               "{ TMPDIR=%s %s wordcount in.txt -t 1 --save out -q "
               ">/dev/null 2>err; echo $? > rc; } & sleep 0.%d; "
               "truncate -s 100 in.txt; wait; cat rc err; rm in.txt; ls -A",
               dir, dir, pardemo_bin(), 1 + k);
        is_hit = !strncmp(c.out, "1\n", 2);
        if (is_hit) {
            cr_expect(strstr(c.out, "\npardemo: wordcount: cannot read "
                             "in.txt: the file shrank while it was read"),
                      "%s", c.out);
            cr_expect(strstr(c.out, "shrank while it was read (truncated "
                             "by another program?)\nbig.txt\nerr\nrc\n"),
                      "one line and nothing left: %s", c.out);
        } else {
            cr_expect(!strncmp(c.out, "0\n", 2), "%s", c.out);
        }
        cmd_free(&c);
    }
    cr_expect(is_hit, "the run always finished before the truncation");
    rm_tree(dir);
    free(dir);
}

/* A full disk (a 64 KiB tmpfs): plot fails, it does not list 0-byte
 * charts. */
Test(files, plot_on_a_full_disk_fails, .timeout = 120)
{
    char *dir = make_tmpdir(), *full = NULL;
    struct cmd_out c;

    if (geteuid() != 0)
        cr_skip_test("needs root to mount a small tmpfs");
    cr_assert(asprintf(&full, "%s/full", dir) >= 0);
    cr_assert_eq(mkdir(full, 0755), 0);
    cr_assert_eq(mount("tmpfs", full, "tmpfs", 0, "size=64k"), 0);
    c = sh("%s bench race -k atomic,mutex -w 1,2 -r 1 --sizes 1k -q "
           "-o %s/b.csv && %s plot %s/b.csv -o %s/p", pardemo_bin(), dir,
           pardemo_bin(), dir, full);
    cr_expect_eq(c.status, 1, "%s", c.out);
    cr_expect(strstr(c.err, "No space left on device"), "%s", c.err);
    cr_expect_str_empty(c.out);
    cmd_free(&c);
    umount(full);
    free(full);
    rm_tree(dir);
    free(dir);
}

/* A kernel that cannot run a size says why, not just "(status -1)". */
Test(files, bench_says_why_a_size_failed)
{
    struct cmd_out c = sh("%s bench forkjoin -k sort-serial -w 1 -r 1 "
                          "--sizes 1024G -q", pardemo_bin());

    cr_expect_eq(c.status, 1);
    cr_expect(strstr(c.err, "size 1024G (status -1: Cannot allocate memory"),
              "%s", c.err);
    cmd_free(&c);
}

/* --save makes its directory and part files with the umask's modes (not
 * 0700 whatever the umask), as Spark's Hadoop writer does. */
Test(files, save_honours_the_umask)
{
    char *dir = make_tmpdir();
    struct cmd_out c = sh("cd %s && umask 027 && %s gen text --rows 100 -q "
                          "-o in.txt && %s wordcount in.txt --save out -q "
                          ">/dev/null && stat -c %%a out out/part-00000 "
                          "out/_SUCCESS in.txt", dir, pardemo_bin(),
                          pardemo_bin());

    cr_expect_str_eq(c.out, "750\n640\n640\n640\n", "%s", c.err);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}
