/* sysinfo.h - what machine are we measuring on?
 * Every result is printed with the CPU count it was measured with: a
 * speedup means nothing without it.
 */
#ifndef SYSINFO_H
#define SYSINFO_H

#include <stdbool.h>
#include <stddef.h>

/* CPUs the kernel has online (sysconf). */
int sys_online_cpus(void);

/* CPUs this process may run on (sched_getaffinity): what taskset, cgroups
 * or a container leave us. At least 1. */
int sys_allowed_cpus(void);

/* The 1-minute load average (runnable processes, ours included), or 0
 * when unknown: a speedup measured beside a load of 8 on 2 CPUs means
 * little. */
double sys_load_average(void);

/* The CPU model from /proc/cpuinfo ("AMD EPYC 7B13"), or "unknown CPU". */
const char *sys_cpu_model(char *buf, size_t len);

/* Memory the kernel says can be used without swapping (MemAvailable in
 * /proc/meminfo), in bytes; -1 when unknown. */
long long sys_mem_available(void);

/* Is prog an executable file in a directory of $PATH? (what execvp
 * would find; a name with a '/' is checked as it is) */
bool sys_in_path(const char *prog);

/* The path of the program execvp would run for prog (as sys_in_path
 * finds it), malloc'd, or NULL when there is none (or no memory). */
char *sys_find_in_path(const char *prog);

/* A data (or unified) cache of CPU 0, from sysfs. */
struct sys_cache {
    int level;                  /* 1, 2, 3 */
    long long bytes;
};

/* Fills out[0..max) with CPU 0's data caches, innermost first (from
 * /sys/devices/system/cpu/cpu0/cache); returns how many: 0 when sysfs
 * does not say (a container without it, another OS). */
int sys_caches(struct sys_cache *out, int max);

#endif
