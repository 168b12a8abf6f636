/* sysinfo.c - online CPUs, allowed CPUs and the CPU model. */
#define _GNU_SOURCE
#include "sysinfo.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sys_online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n > 0 ? (int)n : 1;
}

int sys_allowed_cpus(void)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0)
        return sys_online_cpus();
    return CPU_COUNT(&set) > 0 ? CPU_COUNT(&set) : 1;
}

double sys_load_average(void)
{
    double load = 0;
    FILE *f = fopen("/proc/loadavg", "r");

    if (f) {
        if (fscanf(f, "%lf", &load) != 1)
            load = 0;
        fclose(f);
    }
    return load;
}

const char *sys_cpu_model(char *buf, size_t len)
{
    char line[512];
    FILE *f = fopen("/proc/cpuinfo", "r");

    snprintf(buf, len, "unknown CPU");
    if (!f)
        return buf;
    while (fgets(line, sizeof(line), f)) {
        char *colon = strchr(line, ':');
        /* x86 says "model name", arm64 says nothing useful but "CPU part" */
        if (colon && (!strncmp(line, "model name", 10) ||
                      !strncmp(line, "Model", 5))) {
            colon++;
            colon += strspn(colon, " \t");
            colon[strcspn(colon, "\n")] = '\0';
            snprintf(buf, len, "%s", colon);
            break;
        }
    }
    fclose(f);
    return buf;
}

long long sys_mem_available(void)
{
    char line[256];
    long long kib = -1;
    FILE *f = fopen("/proc/meminfo", "r");

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "MemAvailable: %lld kB", &kib) == 1)
            break;
    fclose(f);
    return kib < 0 ? -1 : kib * 1024;
}

bool sys_in_path(const char *prog)
{
    const char *path = getenv("PATH");
    bool is_found = false;

    if (strchr(prog, '/'))
        return access(prog, X_OK) == 0;
    while (path && *path && !is_found) {
        size_t n = strcspn(path, ":");
        char *file;
        /* an empty entry means the current directory, as for execvp */
        if (asprintf(&file, "%.*s/%s", (int)(n ? n : 1), n ? path : ".",
                     prog) < 0)
            return false;
        is_found = access(file, X_OK) == 0;
        free(file);
        path += n + (path[n] == ':');
    }
    return is_found;
}
