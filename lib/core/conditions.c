/* conditions.c - /proc/stat and getrusage around a measurement.
 * /proc/stat counts each CPU's time in ticks (USER_HZ, usually 10 ms);
 * busy = everything but idle and iowait, steal included (a hypervisor
 * that runs another guest takes the CPU from us as surely as a process).
 */
#define _GNU_SOURCE
#include "conditions.h"

#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define COND_MAX_CPU (128 * 8)

static double tv_s(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

static double tick_s(void)
{
    long hz = sysconf(_SC_CLK_TCK);

    return hz > 0 ? 1.0 / (double)hz : 0.01;
}

/* Clock ticks that live child PID has reaped from its own children
 * (cutime + cstime in /proc/PID/stat), or 0. */
static unsigned long long reaped_ticks(long pid)
{
    char path[64], buf[1024], *end;
    unsigned long long cut = 0, cst = 0;
    size_t n;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    if (!(f = fopen(path, "re")))
        return 0;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* after "pid (comm)": fields 3..15, then cutime and cstime */
    if (!(end = strrchr(buf, ')')) ||
        sscanf(end + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u "
               "%*u %llu %llu", &cut, &cst) != 2)
        return 0;
    return cut + cst;
}

/* CPU seconds that our live children have reaped from theirs: a fork
 * server's workers (multiprocessing's forkserver start method) are its
 * children, not ours, and the server outlives the measurement. Clock
 * ticks, so within a tick or two of the truth. */
static double grandchildren_s(void)
{
    unsigned long long ticks = 0;
    char path[64];
    struct dirent *t;
    DIR *d = opendir("/proc/self/task");

    while (d && (t = readdir(d))) {
        FILE *f;
        long pid;

        if (t->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "/proc/self/task/%.20s/children",
                 t->d_name);
        if (!(f = fopen(path, "re")))
            continue;
        while (fscanf(f, "%ld", &pid) == 1)
            ticks += reaped_ticks(pid);
        fclose(f);
    }
    if (d)
        closedir(d);
    return (double)ticks * tick_s();
}

double cond_cpu_seconds(void)
{
    struct rusage self, kids;

    if (getrusage(RUSAGE_SELF, &self) || getrusage(RUSAGE_CHILDREN, &kids))
        return 0;
    return tv_s(self.ru_utime) + tv_s(self.ru_stime) + tv_s(kids.ru_utime) +
           tv_s(kids.ru_stime) + grandchildren_s();
}

static bool has_cpu(const struct cond_probe *p, int cpu)
{
    return cpu >= 0 && cpu < COND_MAX_CPU &&
           (p->cpus[cpu / 8] >> (cpu % 8) & 1);
}

/* Busy seconds of the probe's CPUs since boot, or -1 when unreadable. */
static double busy_seconds(const struct cond_probe *p)
{
    unsigned long long user, nice, sys, idle, iow, irq, soft, steal;
    double ticks = 0;
    char line[512];
    int cpu, seen = 0;
    FILE *f = fopen("/proc/stat", "r");

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f)) {
        steal = 0;
        if (sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu",
                   &cpu, &user, &nice, &sys, &idle, &iow, &irq, &soft,
                   &steal) < 8 || !has_cpu(p, cpu))
            continue;
        /* guest time is already inside user and nice */
        ticks += (double)(user + nice + sys + irq + soft + steal);
        seen++;
    }
    fclose(f);
    return seen ? ticks * tick_s() : -1;
}

void cond_start(struct cond_probe *p)
{
    cpu_set_t set;

    memset(p, 0, sizeof(*p));
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0)
        for (int c = 0; c < sysconf(_SC_NPROCESSORS_ONLN); c++)
            CPU_SET(c, &set);
    for (int c = 0; c < COND_MAX_CPU && c < CPU_SETSIZE; c++) {
        if (CPU_ISSET(c, &set)) {
            p->cpus[c / 8] |= (unsigned char)(1u << (c % 8));
            p->ncpus++;
        }
    }
    p->ncpus = p->ncpus ? p->ncpus : 1;
    p->busy0_s = busy_seconds(p);
    p->is_known = p->busy0_s >= 0;
    p->own0_s = cond_cpu_seconds();
    p->t0_s = clk_now();
}

struct cond cond_stop(const struct cond_probe *p)
{
    struct cond c = { 0 };
    double busy = p->is_known ? busy_seconds(p) : -1;

    c.wall_s = clk_now() - p->t0_s;
    c.own_cpu_s = cond_cpu_seconds() - p->own0_s;
    c.cpus_allowed = p->ncpus;
    c.tick_s = tick_s();
    c.nprobes = 1;
    c.is_known = busy >= 0;
    c.busy_cpu_s = c.is_known ? busy - p->busy0_s : 0;
    return c;
}

struct est cond_other_cpus(const struct cond *c)
{
    /* each CPU's count may be off by a tick at either end */
    double err = 2 * c->tick_s * c->cpus_allowed * c->nprobes, v, lo, hi;

    if (!c->is_known || c->wall_s <= 0)
        return (struct est){ 0, 0, c->cpus_allowed };
    v = (c->busy_cpu_s - c->own_cpu_s) / c->wall_s;
    lo = v - err / c->wall_s;
    hi = v + err / c->wall_s;
    v = v < 0 ? 0 : v > c->cpus_allowed ? c->cpus_allowed : v;
    lo = lo < 0 ? 0 : lo > v ? v : lo;
    hi = hi > c->cpus_allowed ? c->cpus_allowed : hi < v ? v : hi;
    return (struct est){ v, lo, hi };
}

double cond_own_cpus(const struct cond *c)
{
    return c->wall_s > 0 ? c->own_cpu_s / c->wall_s : 0;
}

void cond_add(struct cond *a, const struct cond *b)
{
    a->wall_s += b->wall_s;
    a->own_cpu_s += b->own_cpu_s;
    a->busy_cpu_s += b->busy_cpu_s;
    a->is_known = a->is_known && b->is_known;
    a->cpus_allowed = b->cpus_allowed > a->cpus_allowed ? b->cpus_allowed
                                                        : a->cpus_allowed;
    a->tick_s = b->tick_s;
    a->nprobes += b->nprobes;
}
