/* conditions.h - what else the machine was doing while we measured.
 * A speedup means little when other programs had the CPUs. A probe reads
 * /proc/stat (the busy time of the CPUs we may use) and getrusage (the CPU
 * time this process and its reaped children received) at the start and
 * end of a measurement; the difference is the other programs' share.
 */
#ifndef CONDITIONS_H
#define CONDITIONS_H

#include <stdbool.h>
#include "stats.h"

/* A snapshot taken when a measurement starts. */
struct cond_probe {
    double t0_s;                /* clk_now() */
    double busy0_s;             /* allowed CPUs' busy time, /proc/stat */
    double own0_s;              /* our CPU time, getrusage */
    unsigned char cpus[128];    /* the allowed CPUs (a bitmap) */
    int ncpus;
    bool is_known;              /* /proc/stat was readable */
};

/* What happened between the probe and its stop. */
struct cond {
    double wall_s;
    int cpus_allowed;
    double own_cpu_s;           /* CPU time this run received */
    double busy_cpu_s;          /* the allowed CPUs' busy time, all users
                                   (hypervisor steal included) */
    double tick_s;              /* /proc/stat's resolution */
    int nprobes;                /* measurements merged (cond_add) */
    int reps;                   /* repetitions of each measurement (0:
                                   not said), and the widest relative
                                   spread of their middle half */
    double spread;
    bool is_known;              /* false: no /proc/stat, only own_cpu_s */
};

/* Takes the starting snapshot. Never fails: without /proc/stat the
 * other programs' share is simply unknown. */
void cond_start(struct cond_probe *p);

/* The conditions since p was taken. */
struct cond cond_stop(const struct cond_probe *p);

/* CPUs' worth of other programs' work on the allowed CPUs, on average
 * over the wall time, with /proc/stat's tick resolution as the interval
 * (never below 0). Unknown: {0, 0, cpus_allowed}. */
struct est cond_other_cpus(const struct cond *c);

/* CPUs this run kept busy on average: its CPU time / wall time. */
double cond_own_cpus(const struct cond *c);

/* Merges b into a: the conditions of both measurements together. */
void cond_add(struct cond *a, const struct cond *b);

/* CPU time this process (threads and reaped children) has received,
 * and what its live children have reaped from theirs (a fork server's
 * workers). */
double cond_cpu_seconds(void);

#endif
