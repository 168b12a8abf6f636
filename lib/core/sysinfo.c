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

char *sys_find_in_path(const char *prog)
{
    const char *path = getenv("PATH");
    char *file;

    if (strchr(prog, '/'))
        return access(prog, X_OK) == 0 ? strdup(prog) : NULL;
    while (path && *path) {
        size_t n = strcspn(path, ":");
        /* an empty entry means the current directory, as for execvp */
        if (asprintf(&file, "%.*s/%s", (int)(n ? n : 1), n ? path : ".",
                     prog) < 0)
            return NULL;
        if (access(file, X_OK) == 0)
            return file;
        free(file);
        path += n + (path[n] == ':');
    }
    return NULL;
}

bool sys_in_path(const char *prog)
{
    char *file = sys_find_in_path(prog);

    free(file);
    return file != NULL;
}

/* One sysfs file's first line, or "" when it cannot be read. */
static void sysfs_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");

    buf[0] = '\0';
    if (f && fgets(buf, (int)len, f))
        buf[strcspn(buf, "\n")] = '\0';
    if (f)
        fclose(f);
}

int sys_caches(struct sys_cache *out, int max)
{
    int n = 0;

    for (int i = 0; n < max; i++) {
        char path[96], type[32], size[32];
        long long v;
        char unit = 'B';
        snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/"
                 "index%d/size", i);
        sysfs_line(path, size, sizeof(size));
        if (!size[0])
            break;
        snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/"
                 "index%d/type", i);
        sysfs_line(path, type, sizeof(type));
        if (!strcmp(type, "Instruction") ||
            sscanf(size, "%lld%c", &v, &unit) < 1 || v <= 0)
            continue;
        snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/"
                 "index%d/level", i);
        sysfs_line(path, type, sizeof(type));
        out[n].level = atoi(type);
        out[n].bytes = v << (unit == 'K' ? 10 : unit == 'M' ? 20 :
                             unit == 'G' ? 30 : 0);
        n++;
    }
    return n;
}
