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

#endif
