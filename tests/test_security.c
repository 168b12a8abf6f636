/* test_security.c - another user on the machine cannot make pardemo
 * overwrite a file, join its runs, or block it. The second user is
 * nobody (setpriv); root runs pardemo. Checked: symbolic links planted
 * at an output name before and during a run are never written through;
 * the Manager drops a client without the run's key; its socket sits in
 * a private directory; names planted in advance (the old predictable
 * /dev/shm/pardemo-PID-... and /tmp/pardemo-PID-manager.sock) do not
 * stop a run; mpirun's ranks stay on loopback and a launch whose ranks
 * never start times out. Each test has its own directory. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"
#include "leftovers.h"

#define NOBODY "setpriv --reuid nobody --regid nogroup --clear-groups "
#define PY "/usr/bin/python3"   /* nobody cannot run root's pyenv shims */
#define PRECIOUS "root's precious data\n"

struct fixture {
    char *dir;          /* 0711: nobody may pass, not list */
    char *shared;       /* dir/shared, 0777: nobody may write here */
    char *victim;       /* dir/victim, root's, 0644 */
};

static struct fixture setup(void)
{
    struct fixture f = { make_tmpdir(), NULL, NULL };
    FILE *v;

    if (geteuid() != 0)
        cr_skip_test("needs root, to be root and nobody in turn");
    cr_assert(asprintf(&f.shared, "%s/shared", f.dir) >= 0);
    cr_assert(asprintf(&f.victim, "%s/victim", f.dir) >= 0);
    cr_assert_eq(mkdir(f.shared, 0777), 0);
    chmod(f.shared, 0777);
    chmod(f.dir, 0711);
    cr_assert((v = fopen(f.victim, "w")));
    fputs(PRECIOUS, v);
    fclose(v);
    return f;
}

static void teardown(struct fixture *f)
{
    char *text = read_text(f->victim);

    cr_expect_str_eq(text ? text : "(gone)", PRECIOUS, "root's file was "
                     "changed through a planted link");
    free(text);
    rm_tree(f->dir);
    free(f->dir);
    free(f->shared);
    free(f->victim);
}

/* Runs a shell line as nobody; asserts it worked. */
static void as_nobody(const char *line)
{
    char *cmd = NULL;
    struct cmd_out c;

    cr_assert(asprintf(&cmd, NOBODY "sh -c '%s'", line) >= 0);
    c = cmd_sh(cmd, 30);
    cr_assert_eq(c.status, 0, "as nobody: %s: %s", line, c.err);
    cmd_free(&c);
    free(cmd);
}

/* Runs pardemo (as root) with a shell word list; expects status and a
 * stderr line containing want (NULL: any). */
static void expect_run(const char *args, int status, const char *want)
{
    char *cmd = NULL;
    struct cmd_out c;

    cr_assert(asprintf(&cmd, "%s %s", pardemo_bin(), args) >= 0);
    c = cmd_sh(cmd, 120);
    cr_expect_eq(c.status, status, "`%s`: status %d: %s", args, c.status,
                 c.err);
    if (want)
        cr_expect(strstr(c.err, want), "`%s`: stderr: %s", args, c.err);
    cmd_free(&c);
    free(cmd);
}

#define FOREIGN "a symbolic link owned by another user (not followed)"

Test(security, links_planted_before_the_run_are_not_followed, .timeout = 240)
{
    struct fixture f = setup();
    char *line = NULL, *args = NULL;

    cr_assert(asprintf(&line, "cd %s && ln -s ../victim out.csv && "
                       "ln -s ../victim b.csv && mkdir plots && "
                       "ln -s ../../victim plots/speedup-race.dat && "
                       "ln -s .. plotlink", f.shared) >= 0);
    as_nobody(line);
    free(line);
    cr_assert(asprintf(&args, "gen trade --rows 5 -o %s/out.csv", f.shared)
              >= 0);
    expect_run(args, 1, FOREIGN);
    free(args);
    cr_assert(asprintf(&args, "bench race -k atomic -w 1 -r 1 --sizes 1k -q "
                       "-o %s/b.csv", f.shared) >= 0);
    expect_run(args, 1, FOREIGN);
    free(args);
    cr_assert(asprintf(&args, "bench race -k atomic -w 1,2 -r 1 --sizes 1k -q "
                       "-o %s/real.csv && %s plot %s/real.csv -o %s/plots",
                       f.dir, pardemo_bin(), f.dir, f.shared) >= 0);
    expect_run(args, 1, FOREIGN);
    free(args);
    cr_assert(asprintf(&args, "plot %s/real.csv -o %s/plotlink", f.dir,
                       f.shared) >= 0);
    expect_run(args, 1, FOREIGN);
    free(args);
    teardown(&f);
}

/* Once root's temp file appears, nobody swaps it (and the output's name)
 * for links to root's file: root's file is never written, and gen says
 * its temp file was taken instead of renaming their link into place. */
Test(security, links_planted_during_the_run_are_not_followed, .timeout = 240)
{
    struct fixture f = setup();
    char *line = NULL, *args = NULL;
    pid_t planter;

    cr_assert(asprintf(&line, NOBODY "sh -c 'cd %s; while :; do "
                       "for t in .big*; do [ -f \"$t\" ] && rm -f \"$t\" && "
                       "ln -s ../victim \"$t\" && ln -sfn ../victim big.txt;"
                       " done 2>/dev/null; done'", f.shared) >= 0);
    planter = fork();
    if (planter == 0) {
        setpgid(0, 0);
        execl("/bin/sh", "sh", "-c", line, (char *)NULL);
        _exit(127);
    }
    setpgid(planter, planter);
    usleep(100000);
    cr_assert(asprintf(&args, "rm -f %s/big.txt; %s gen text --bytes 16M -q "
                       "-o %s/big.txt", f.shared, pardemo_bin(), f.shared)
              >= 0);
    for (int i = 0; i < 2; i++) {
        struct cmd_out c = cmd_sh(args, 120);
        cr_expect(c.status == 1 && (strstr(c.err, "was replaced by someone "
                  "else") || strstr(c.err, FOREIGN)), "status %d: %s",
                  c.status, c.err);
        cmd_free(&c);
    }
    kill(-planter, SIGKILL);
    waitpid(planter, NULL, 0);
    free(args);
    free(line);
    teardown(&f);
}

/* The port of pid's TCP listener, from ss; 0 when none. */
static int listen_port(pid_t pid)
{
    char *cmd = NULL, *out;
    int port = 0;

    cr_assert(asprintf(&cmd, "ss -Hltnp | grep 'pid=%d,' | "
                       "sed -E 's/.*127\\.0\\.0\\.1:([0-9]+).*/\\1/' | "
                       "head -n 1", (int)pid) >= 0);
    out = sh_first_line(cmd, 10);
    if (out)
        port = atoi(out);
    free(out);
    free(cmd);
    return port;
}

/* Like Python's Manager and its authkey: a client that does not start
 * with the run's key gets no answer (and its incr -5000 is not applied). */
Test(security, manager_drops_a_client_without_the_key, .timeout = 120)
{
    struct fixture f = setup();
    const char *args[] = { "manager", "-n", "100000000", "--addr",
                           "tcp:127.0.0.1:0", NULL };
    char *err = NULL, *line = NULL;
    int port = 0;
    pid_t pid;

    cr_assert(asprintf(&err, "%s/err", f.dir) >= 0);
    pid = bg_start(args, err);
    for (int i = 0; i < 6000 && !(port = listen_port(pid)); i++)
        usleep(20000);                  /* a loaded machine: 2 minutes */
    cr_assert_gt(port, 0, "no TCP listener");
    cr_assert(asprintf(&line, "%s/stranger.py", f.shared) >= 0);
    FILE *py = fopen(line, "w");
    cr_assert(py);
    fprintf(py, "import socket\n"
            "s = socket.create_connection(('127.0.0.1', %d))\n"
            "s.sendall(b'incr -5000\\nget x\\nstop\\n')\n"
            "print(repr(s.recv(100)))\n", port);
    fclose(py);
    chmod(line, 0644);
    char *cmd = NULL;
    cr_assert(asprintf(&cmd, NOBODY PY " %s", line) >= 0);
    struct cmd_out c = cmd_sh(cmd, 30);
    cr_expect_eq(c.status, 0, "%s", c.err);
    cr_expect_str_eq(c.out, "b''\n", "the server answered a stranger");
    cmd_free(&c);
    kill(pid, SIGINT);
    cr_expect_eq(bg_wait(pid, 30), 128 + SIGINT);
    free(cmd);
    free(line);
    free(err);
    teardown(&f);
}

/* The default unix socket is NAME.sock, mode 0600, in a 0700 directory:
 * nobody cannot even reach it. */
Test(security, manager_socket_is_private, .timeout = 120)
{
    struct fixture f = setup();
    char *cmd = NULL;
    struct cmd_out c;

    /* its own TMPDIR, so the private directory is where we look */
    cr_assert(asprintf(&cmd, "cd %s && (unset XDG_RUNTIME_DIR; TMPDIR=%s "
                       "exec %s manager -n 100000000 -q >/dev/null 2>&1) & "
                       "for i in $(seq 300); do s=$(ls %s/pardemo-*/*.sock "
                       "2>/dev/null | head -n 1); [ -n \"$s\" ] && break; "
                       "sleep 0.02; done; "
                       "stat -c %%a \"$(dirname \"$s\")\" \"$s\"; "
                       NOBODY PY " -c \"import socket; s = socket.socket("
                       "socket.AF_UNIX); s.connect('$s')\" 2>&1 | tail -n 1; "
                       "kill -TERM $!; wait", f.dir, f.dir, pardemo_bin(),
                       f.dir) >= 0);
    c = cmd_sh(cmd, 60);
    cr_expect(!strncmp(c.out, "700\n600\n", 8), "modes: %s", c.out);
    cr_expect(strstr(c.out, "PermissionError"), "nobody connected: %s",
              c.out);
    cmd_free(&c);
    free(cmd);
    teardown(&f);
}

/* The names an older pardemo used, planted by nobody for the pid the run
 * will have: the run does not care (its names carry a random part). */
Test(security, names_planted_in_advance_do_not_block_a_run, .timeout = 120)
{
    struct fixture f = setup();
    static const char *const fmt[] = { "/dev/shm/pardemo-%d-race",
        "/dev/shm/pardemo-%d-shm", "/tmp/pardemo-%d-manager.sock" };
    char path[3][128];
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        for (int i = 0; i < 3; i++) {
            snprintf(path[i], sizeof(path[i]), fmt[i], (int)getpid());
            int fd = open(path[i], O_CREAT | O_EXCL | O_WRONLY, 0600);
            if (fd < 0 || fchown(fd, 65534, 65534) < 0)
                _exit(126);
            close(fd);
        }
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        execl(pardemo_bin(), "pardemo", "manager", "-t", "2", "-n", "300",
              "-q", (char *)NULL);
        _exit(127);
    }
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    for (int i = 0; i < 3; i++) {
        snprintf(path[i], sizeof(path[i]), fmt[i], (int)pid);
        cr_expect_eq(unlink(path[i]), 0, "%s: %s (the planted name must "
                     "be left alone)", path[i], strerror(errno));
    }
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "status %d", status);
    teardown(&f);
}

/* A fake mpirun in PATH shows the arguments pardemo gives the real one. */
static void fake_mpirun(const char *dir, const char *body)
{
    char *path = NULL;
    FILE *s;

    cr_assert(asprintf(&path, "%s/mpirun", dir) >= 0);
    cr_assert((s = fopen(path, "w")));
    fprintf(s, "#!/bin/sh\n%s\n", body);
    fclose(s);
    chmod(path, 0755);
    free(path);
}

static bool has_mpi(void)
{
    struct cmd_out c;
    char *cmd = NULL;
    bool yes;

    cr_assert(asprintf(&cmd, "%s --version", pardemo_bin()) >= 0);
    c = cmd_sh(cmd, 10);
    yes = strstr(c.out, "MPI: built in") != NULL;
    cmd_free(&c);
    free(cmd);
    return yes;
}

Test(security, mpirun_ranks_stay_on_loopback, .timeout = 120)
{
    struct fixture f = setup();
    char *cmd = NULL, *args;

    if (!has_mpi())
        cr_skip_test("built without MPI");
    fake_mpirun(f.dir, "echo \"$@\" > \"$(dirname \"$0\")/args\"; exit 3");
    cr_assert(asprintf(&cmd, "PATH=%s:$PATH %s distributed --quick -q "
                       ">/dev/null 2>&1; cat %s/args", f.dir, pardemo_bin(),
                       f.dir) >= 0);
    args = sh_first_line(cmd, 120);
    cr_assert(args, "mpirun was not run");
    cr_expect(strstr(args, "--mca btl self,vader"), "%s", args);
    cr_expect(strstr(args, "--mca btl_tcp_if_include lo"), "%s", args);
    cr_expect(strstr(args, "--mca oob_tcp_if_include lo"), "%s", args);
    free(args);
    free(cmd);
    teardown(&f);
}

/* prlimit --as made a rank fail in MPI_Init and the launch hung forever:
 * a rank that never starts is given up after --timeout, with one line,
 * and mpirun's process group is stopped. */
Test(security, a_launch_whose_ranks_never_start_times_out, .timeout = 120)
{
    struct fixture f = setup();
    char *cmd = NULL;
    struct cmd_out c;

    if (!has_mpi())
        cr_skip_test("built without MPI");
    fake_mpirun(f.dir, "echo $$ > \"$(dirname \"$0\")/pid\"; exec sleep 100");
    cr_assert(asprintf(&cmd, "PATH=%s:$PATH %s distributed --quick -q "
                       "--timeout 2 >/dev/null; echo rc=$?; "
                       "kill -0 $(cat %s/pid) 2>/dev/null && echo alive",
                       f.dir, pardemo_bin(), f.dir) >= 0);
    c = cmd_sh(cmd, 100);
    cr_expect_str_eq(c.out, "rc=1\n", "%s", c.err);
    cr_expect(strstr(c.err, "the ranks had not all started after 2 s"),
              "%s", c.err);
    cr_expect_eq(count_lines(c.err), 1, "%s", c.err);
    cmd_free(&c);
    free(cmd);
    teardown(&f);
}
