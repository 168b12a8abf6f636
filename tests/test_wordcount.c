/* test_wordcount.c - pardemo wordcount against python3's Counter.
 * Every (word, n) the job saves must equal Python's count over
 * str.split() / split(" ") / the documented "words" rule, on hamlet.txt
 * and on awkward text, for 1-3 threads and 1, 2 and 7 partitions; a save
 * refuses an existing directory and leaves nothing half-written. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

#define RUN(...) cmd_run((const char *const[]){ __VA_ARGS__, NULL })

/* Python's count, as "('word', n)" lines sorted by bytes. Lines end at
 * \n, \r\n or \r (Hadoop's line reader, which Spark's textFile uses). */
static const char *const reference_py =
    "import sys, re, collections, string\n"
    "data = open(sys.argv[1], 'rb').read()\n"
    "lines = re.split(rb'\\r\\n|\\r|\\n', data)\n"
    "if lines and lines[-1] == b'': lines.pop()\n"
    "low = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)\n"
    "c = collections.Counter()\n"
    "for l in lines:\n"
    "    s = l.decode('utf-8', 'surrogateescape')\n"
    "    if sys.argv[2] == 'ws': c.update(s.split())\n"
    "    elif sys.argv[2] == 'space': c.update(s.split(' '))\n"
    "    else:\n"
    "        for w in s.split():\n"
    "            w = w.strip(string.punctuation).translate(low)\n"
    "            if w: c[w] += 1\n"
    "out = sorted(repr(kv).encode() + b'\\n' for kv in c.items())\n"
    "sys.stdout.buffer.write(b''.join(out))\n";

static char *write_tmp(const char *tag, const char *data, size_t len)
{
    FILE *f;
    char *path = temp_file(tag, &f);

    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
    return path;
}

/* Runs the reference once per (input, mode) into a temp file: its path
 * (free it, unlink it). */
static char *reference(const char *input, const char *mode)
{
    char *ref_path = tmp_template("ref");
    char *py = write_tmp("ref-py", reference_py, strlen(reference_py));
    char cmd[1024];
    struct cmd_out c;
    int fd;

    fd = mkstemp(ref_path);
    close(fd);
    snprintf(cmd, sizeof(cmd), "python3 %s '%s' %s > %s", py, input, mode,
             ref_path);
    c = cmd_sh(cmd, 60);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
    unlink(py);
    free(py);
    return ref_path;
}

/* pardemo wordcount INPUT --split MODE -t T -p P --save DIR; the saved
 * lines, sorted, must equal the reference byte for byte. */
static void check_run(const char *input, const char *mode, const char *ref,
                      int threads, int parts)
{
    char t[8], p[8], cmd[1024], *dir = make_tmpdir(), out[300];
    struct cmd_out c;

    snprintf(t, sizeof(t), "%d", threads);
    snprintf(p, sizeof(p), "%d", parts);
    snprintf(out, sizeof(out), "%s/counts", dir);
    c = RUN("wordcount", input, "--split", mode, "-t", t, "-p", p,
            "--save", out, "-q");
    cr_assert_eq(c.status, 0, "%s %s -t %s -p %s: %s", input, mode, t, p,
                 c.err);
    cmd_free(&c);
    snprintf(cmd, sizeof(cmd), "test -e %s/_SUCCESS && cat %s/part-* | "
             "LC_ALL=C sort | cmp - %s", out, out, ref);
    c = cmd_sh(cmd, 60);
    cr_assert_eq(c.status, 0, "%s --split %s -t %d -p %d differs from "
                 "python3: %s%s", input, mode, threads, parts, c.out, c.err);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

static void check_matrix(const char *input, const char *mode)
{
    static const int parts[] = { 1, 2, 7 };
    char *ref = reference(input, mode);

    for (int threads = 1; threads <= 3; threads++)
        for (size_t i = 0; i < 3; i++)
            check_run(input, mode, ref, threads, parts[i]);
    unlink(ref);
    free(ref);
}

Test(wordcount, hamlet_equals_python_counter, .timeout = 120)
{
    char hamlet[4096];

    shared_data("hamlet.txt", hamlet, sizeof(hamlet));
    check_matrix(hamlet, "ws");
    check_matrix(hamlet, "space");
}

/* tabs, CRLF, a lone CR, runs of spaces, UTF-8 (and its spaces U+00A0,
 * U+3000), a NUL byte, \x1c-\x1f, an invalid byte, empty lines, no final
 * newline */
static const char awkward[] =
    "The  quick\tbrown fox\r\n"
    "jumps\t\tover   the lazy dog.\r\n"
    "\n"
    "   \n"
    "café naïve CAFÉ café, 日本語\xe3\x80\x80日本\n"
    "non\xc2\xa0" "breaking\xe2\x80\x83" "em space\x1c" "fs\x1fus\n"
    "nul\x00" "byte and \xff invalid\r"
    "lone-cr line; Hello, hello! (hello)\n"
    "'quoted' \"double\" it's\n"
    "\t\n"
    "last line without newline";

static char *awkward_file(void)
{
    return write_tmp("awkward", awkward, sizeof(awkward) - 1);
}

Test(wordcount, awkward_text_equals_python_ws)
{
    char *f = awkward_file();

    check_matrix(f, "ws");
    unlink(f);
    free(f);
}

Test(wordcount, awkward_text_equals_python_space)
{
    char *f = awkward_file();

    check_matrix(f, "space");
    unlink(f);
    free(f);
}

Test(wordcount, awkward_text_equals_python_words)
{
    char *f = awkward_file();

    check_matrix(f, "words");
    unlink(f);
    free(f);
}

Test(wordcount, empty_file_counts_nothing)
{
    char *f = write_tmp("empty", "", 0);

    check_matrix(f, "ws");
    check_matrix(f, "space");
    unlink(f);
    free(f);
}

/* --top: count desc, then word asc, as python's sorted() gives them */
Test(wordcount, top_words_ordered_like_python)
{
    char hamlet[4096], cmd[8192];
    struct cmd_out c, ref;

    shared_data("hamlet.txt", hamlet, sizeof(hamlet));
    c = RUN("wordcount", hamlet, "--top", "25", "--format", "csv");
    cr_assert_eq(c.status, 0, "%s", c.err);
    snprintf(cmd, sizeof(cmd), "python3 -c \"import collections\n"
             "c = collections.Counter(open('%s', encoding='utf-8', "
             "newline='').read().split())\n"
             "for i, (w, n) in enumerate(sorted(c.items(), key=lambda kv: "
             "(-kv[1], kv[0]))[:25]):\n"
             "    print('top,%%d,%%s,%%d' %% (i + 1, repr(w), n))\"", hamlet);
    ref = cmd_sh(cmd, 60);
    cr_assert_eq(ref.status, 0, "%s", ref.err);
    cr_assert(strstr(c.out, ref.out), "top words differ:\n%s\nwant:\n%s",
              c.out, ref.out);
    cmd_free(&c);
    cmd_free(&ref);
}

Test(wordcount, save_refuses_existing_dir)
{
    char hamlet[4096], *dir = make_tmpdir(), keep[300];
    struct cmd_out c;
    struct stat st;

    shared_data("hamlet.txt", hamlet, sizeof(hamlet));
    snprintf(keep, sizeof(keep), "%s/keep", dir);
    fclose(fopen(keep, "w"));
    c = RUN("wordcount", hamlet, "--save", dir);
    cr_assert_eq(c.status, 1);
    cr_assert_str_empty(c.out);
    cr_assert(strstr(c.err, "pardemo: wordcount: org.apache.hadoop.mapred."
                     "FileAlreadyExistsException: Output directory file:"));
    cr_assert(strstr(c.err, " already exists\n"));
    cr_assert_eq(count_lines(c.err), 1);
    cr_assert_eq(stat(keep, &st), 0);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

/* An interrupt after the part files, before the rename: the temporary
 * sibling goes, and no output directory appears. */
Test(wordcount, sigint_mid_save_leaves_nothing)
{
    char hamlet[4096], *dir = make_tmpdir(), out[300], cmd[400];
    const char *env[] = { "PARDEMO_TEST_SIGINT_IN_SAVE=1", NULL };
    struct cmd_out c;

    shared_data("hamlet.txt", hamlet, sizeof(hamlet));
    snprintf(out, sizeof(out), "%s/counts", dir);
    c = cmd_run_env((const char *const[]){ "wordcount", hamlet, "--save", out,
                    "-p", "3", NULL }, NULL, env, 60);
    cr_assert_eq(c.status, 128 + SIGINT);
    cmd_free(&c);
    snprintf(cmd, sizeof(cmd), "ls -A %s", dir);
    c = cmd_sh(cmd, 10);
    cr_assert_str_empty(c.out, "left behind: %s", c.out);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

/* A real Ctrl-C at an arbitrary moment: the directory is complete (with
 * _SUCCESS) or absent, and nothing temporary is left. */
Test(wordcount, sigint_anytime_never_half_written)
{
    char *dir = make_tmpdir(), cmd[4096];
    struct cmd_out c;

    /* temporary names carry the pid of the run that made them; the run
     * is in the foreground (a background job starts with SIGINT ignored) */
    snprintf(cmd, sizeof(cmd), "cd %s && { sleep 0.7; kill -INT $(cat pid); "
             "} & sh -c 'echo $$ > %s/pid; exec \"$0\" wordcount -n 24M -q "
             "--save %s/out' %s > /dev/null; wait; pid=$(cat %s/pid); "
             "rm %s/pid; "
             "test ! -e %s/out || test -e %s/out/_SUCCESS || echo HALF; "
             "ls -A %s | grep -v '^out$'; "
             "ls ${TMPDIR:-/tmp} | grep \"pardemo-wordcount-$pid-\"", dir,
             dir, dir, pardemo_bin(), dir, dir, dir, dir, dir);
    c = cmd_sh(cmd, 60);
    cr_assert_str_empty(c.out, "%s", c.out);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

Test(wordcount, errors_are_one_line)
{
    struct cmd_out c = RUN("wordcount", "/nonexistent/file.txt");

    cr_assert_eq(c.status, 1);
    cr_assert_str_empty(c.out);
    cr_assert_str_eq(c.err, "pardemo: wordcount: cannot read "
                     "/nonexistent/file.txt: No such file or directory\n");
    cmd_free(&c);
    c = RUN("wordcount", "--split", "commas");
    cr_assert_eq(c.status, 2);
    cr_assert_str_empty(c.out);
    cr_assert_str_eq(c.err, "pardemo: wordcount: --split must be one of "
                     "ws|space|words (got 'commas')\n");
    cmd_free(&c);
}

Test(wordcount, lose_recomputes_one_task_same_counts)
{
    char hamlet[4096];
    struct cmd_out a, b;

    shared_data("hamlet.txt", hamlet, sizeof(hamlet));
    a = RUN("wordcount", hamlet, "-p", "3", "--top", "50", "--format", "csv");
    b = RUN("wordcount", hamlet, "-p", "3", "--top", "50", "--lose", "1",
            "--explain", "--format", "csv");
    cr_assert_eq(a.status, 0);
    cr_assert_eq(b.status, 0, "%s", b.err);
    cr_assert(strstr(b.out, "recomputed (lost)"));
    /* the top table is the same */
    char *ta = strstr(a.out, "table,rank"), *tb = strstr(b.out, "table,rank");
    cr_assert(ta && tb);
    cr_assert_eq(strncmp(ta, tb, strstr(ta, "\n\n") - ta), 0);
    cmd_free(&a);
    cmd_free(&b);
}
