/* leftovers.c - background runs and the search for what they left. */
#define _GNU_SOURCE
#include "leftovers.h"
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

pid_t bg_start(const char *const *args, const char *errfile)
{
    char *argv[64];
    int n = 0;
    pid_t pid;

    argv[n++] = (char *)pardemo_bin();
    while (args && *args && n < 63)
        argv[n++] = (char *)*args++;
    argv[n] = NULL;
    pid = fork();
    if (pid == 0) {
        int out = open("/dev/null", O_WRONLY);
        int err = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(out, 1);
        dup2(err, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

static void nap_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };

    nanosleep(&t, NULL);
}

int bg_wait(pid_t pid, int timeout_s)
{
    int status;

    for (long waited = 0;; waited += 10) {
        pid_t got = waitpid(pid, &status, WNOHANG);
        if (got == pid)
            break;
        if (waited >= timeout_s * 1000L) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            break;
        }
        nap_ms(10);
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int bg_run(const char *const *args, pid_t *pid, char **err)
{
    char *path = tmp_template("err");
    int fd = mkstemp(path), st;

    close(fd);
    *pid = bg_start(args, path);
    st = bg_wait(*pid, 120);
    *err = read_text(path);
    unlink(path);
    free(path);
    return st;
}

int bg_children(pid_t pid, pid_t *out, int max)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    int n = 0;

    while (d && (e = readdir(d)) && n < max) {
        char path[300], buf[512];
        int pp;
        FILE *f;
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
        if (!(f = fopen(path, "r")))
            continue;
        if (fgets(buf, sizeof(buf), f)) {
            char *rp = strrchr(buf, ')'), state;
            if (rp && sscanf(rp + 2, "%c %d", &state, &pp) == 2 && pp == pid)
                out[n++] = atoi(e->d_name);
        }
        fclose(f);
    }
    if (d)
        closedir(d);
    return n;
}

bool wait_for_path(const char *path, int timeout_s)
{
    for (long waited = 0; waited < timeout_s * 1000L; waited += 10) {
        if (access(path, F_OK) == 0)
            return true;
        nap_ms(10);
    }
    return false;
}

static bool has_name(const char *dir, const char *prefix, const char *suffix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    bool found = false;

    while (d && !found && (e = readdir(d))) {
        size_t n = strlen(e->d_name), k = strlen(suffix);
        found = !strncmp(e->d_name, prefix, strlen(prefix)) && n >= k &&
                !strcmp(e->d_name + n - k, suffix);
    }
    if (d)
        closedir(d);
    return found;
}

bool wait_for_name(const char *dir, pid_t pid, const char *suffix,
                   int timeout_s)
{
    char prefix[64];

    const char *dirs[] = { dir, dir ? NULL : getenv("XDG_RUNTIME_DIR"),
                           dir ? NULL : tmp_root(), dir ? NULL : "/tmp" };

    snprintf(prefix, sizeof(prefix), "pardemo-%d-", (int)pid);
    for (long waited = 0; waited < timeout_s * 1000L; waited += 10) {
        for (int i = 0; i < 4; i++)
            if (dirs[i] && has_name(dirs[i], prefix, suffix))
                return true;
        nap_ms(10);
    }
    return false;
}

bool wait_for_child(pid_t pid, int timeout_s)
{
    pid_t kids[4];

    for (long waited = 0; waited < timeout_s * 1000L; waited += 10) {
        if (bg_children(pid, kids, 4) > 0)
            return true;
        nap_ms(10);
    }
    return false;
}

static bool is_mounted(const char *dir)
{
    char *m = read_text("/proc/self/mounts");
    char needle[128];
    bool yes;

    snprintf(needle, sizeof(needle), " %s mqueue ", dir);
    yes = m && strstr(m, needle);
    free(m);
    return yes;
}

bool mqueue_mount(void)
{
    if (is_mounted("/dev/mqueue"))
        return true;
    if (geteuid() != 0)
        return false;
    mkdir("/dev/mqueue", 01777);
    mount("none", "/dev/mqueue", "mqueue", 0, NULL);
    return is_mounted("/dev/mqueue");
}

/* Appends the names in dir that start with prefix. */
static void scan_dir(const char *dir, const char *prefix, char *buf,
                     size_t len)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    while (d && (e = readdir(d)))
        if (!strncmp(e->d_name, prefix, strlen(prefix)))
            snprintf(buf + strlen(buf), len - strlen(buf), " %s/%s", dir,
                     e->d_name);
    if (d)
        closedir(d);
}

const char *leftovers(pid_t pid, const pid_t *kids, int nkids, char *buf,
                      size_t len)
{
    const char *run = getenv("XDG_RUNTIME_DIR");
    char prefix[64];

    buf[0] = '\0';
    snprintf(prefix, sizeof(prefix), "pardemo-%d-", (int)pid);
    scan_dir("/dev/shm", prefix, buf, len);
    scan_dir("/tmp", prefix, buf, len);
    if (strcmp(tmp_root(), "/tmp"))
        scan_dir(tmp_root(), prefix, buf, len);     /* pardemo's TMPDIR */
    if (run)
        scan_dir(run, prefix, buf, len);            /* private dirs */
    if (is_mounted("/dev/mqueue"))
        scan_dir("/dev/mqueue", prefix, buf, len);
    for (int i = 0; i < nkids; i++) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d", (int)kids[i]);
        if (access(path, F_OK) == 0)
            snprintf(buf + strlen(buf), len - strlen(buf), " process %d",
                     (int)kids[i]);
    }
    return buf;
}

char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    char *s = NULL;
    size_t n = 0, cap = 0;
    int c;

    if (!f)
        return NULL;
    while ((c = fgetc(f)) != EOF) {
        if (n + 2 > cap) {
            cap = cap ? 2 * cap : 4096;
            s = realloc(s, cap);
        }
        s[n++] = (char)c;
    }
    fclose(f);
    if (!s)
        s = calloc(1, 1);
    else
        s[n] = '\0';
    return s;
}
