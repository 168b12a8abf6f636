/* fuzz_textfile.c - textFile's split rule on arbitrary bytes: for any
 * split count, every line (ended by \n, \r\n or \r, or by the end of the
 * file) is read exactly once, in order, by exactly one split. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "rdd/rdd.h"

/* The lines of d[0..n) by the same rule as Hadoop's LineRecordReader. */
static size_t expect_lines(const uint8_t *d, size_t n, size_t *starts,
                           size_t *lens)
{
    size_t k = 0, i = 0;

    while (i < n) {
        size_t j = i;
        while (j < n && d[j] != '\n' && d[j] != '\r')
            j++;
        starts[k] = i;
        lens[k++] = j - i;
        if (j < n && d[j] == '\r' && j + 1 < n && d[j + 1] == '\n')
            j++;
        i = j + 1;
    }
    return k;
}

FUZZ_TARGET(textfile)
{
    char path[64];
    struct rdd_result res = { 0 };

    if (size < 1 || size > 4096)
        return 0;
    int parts = data[0] % 16 + 1;
    const uint8_t *d = data + 1;
    size_t n = size - 1;
    int fd = memfd_create("fuzz-textfile", 0);
    if (fd < 0 || write(fd, d, n) != (ssize_t)n)
        abort();
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    struct rdd_context *sc = rdd_context_new(1);
    struct rdd *r = rdd_text_file(sc, path, parts);
    if (!r || rdd_collect(r, &res) != 0)
        abort();
    size_t *starts = malloc((n + 1) * sizeof(size_t));
    size_t *lens = malloc((n + 1) * sizeof(size_t));
    size_t k = expect_lines(d, n, starts, lens);
    if (res.n != k)
        abort();
    for (size_t i = 0; i < k; i++)
        if (res.v[i].kind != RDD_STR || res.v[i].len != lens[i] ||
            memcmp(res.v[i].s, d + starts[i], lens[i]))
            abort();
    free(starts);
    free(lens);
    rdd_result_free(&res);
    rdd_context_free(sc);
    close(fd);
    return 0;
}
