/* benchcsv.h - read back what `pardemo bench` wrote (and the slices of
 * `pardemo concurrency --format csv`), so `pardemo plot` can draw them.
 * A bad file is one error naming FILE:LINE and what was wrong there.
 *
 * The bench CSV: `# key: value` lines (cpu_model, cpus_online,
 * cpus_allowed, compiler, flags, pardemo, date, command), then the header
 *     topic,kernel,workers,size,rep,seconds,checksum,checksum_ok
 * and one row per timed run. checksum_ok (1/0) may be absent (taken as 1);
 * columns may come in any order; unknown columns are ignored.
 * Rows of topic `ipc` are read as: kernel = the mechanism (pipe, shm...),
 * size = message bytes, seconds = one-way time of one message.
 *
 * The concurrency CSV (lib/report's CSV): a `# pardemo concurrency;
 * key=value; ...` line, then tables, each a header starting with `table`;
 * the rows of table `slices` (columns run, task, start_s, end_s, cpu;
 * run is "one-cpu" or "all-cpus") are kept, other tables are skipped.
 */
#ifndef BENCHCSV_H
#define BENCHCSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The header row pardemo bench writes, and the columns a reader needs. */
#define BENCHCSV_HEADER \
    "topic,kernel,workers,size,rep,seconds,checksum,checksum_ok"

struct bench_row {
    char *topic, *kernel;
    int workers;
    long long size;
    int rep;
    double seconds;
    uint64_t checksum;
    bool is_ok;             /* the writer's checksum_ok mark */
    long line;              /* where it was read, for error messages */
};

struct bench_slice {
    char *run, *task;       /* "one-cpu" or "all-cpus"; task label */
    double start_secs, end_secs;
    int cpu;
};

struct bench_meta {
    char *key, *value;
};

struct bench_csv {
    struct bench_meta *meta;
    size_t nmeta;
    struct bench_row *rows;
    size_t nrows;
    struct bench_slice *slices;
    size_t nslices;
};

/* Reads path and appends its meta lines and rows (or slices) to *c, which
 * starts zeroed. Returns 0, or -1 with err holding one line
 * "FILE:LINE: what" (or "FILE: what" for an unreadable or empty file). */
int benchcsv_read(const char *path, struct bench_csv *c, char *err,
                  size_t errlen);

/* The same from an open stream; name is used in error messages. */
int benchcsv_parse(FILE *f, const char *name, struct bench_csv *c,
                   char *err, size_t errlen);

/* The value of the first meta line with this key, or NULL. */
const char *benchcsv_meta(const struct bench_csv *c, const char *key);

/* "AMD EPYC 7B13, 2 CPUs" (or "..., 2 of 4 CPUs") from the meta lines,
 * for chart titles; "unknown machine" when the file did not say. */
const char *benchcsv_machine(const struct bench_csv *c, char *buf,
                             size_t len);

/* Allowed CPUs of the measuring machine (cpus_allowed, else cpus_online),
 * or 0 when the file did not say. */
int benchcsv_cpus(const struct bench_csv *c);

void benchcsv_free(struct bench_csv *c);

/* Splits one CSV line in place into at most max fields (RFC 4180 quotes
 * allowed). Returns the number of fields, or -1 on an unclosed quote or
 * more than max fields. */
int benchcsv_split(char *line, char **fields, int max);

#endif
