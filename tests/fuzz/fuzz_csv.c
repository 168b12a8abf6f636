/* fuzz_csv.c - the RFC 4180 reader on arbitrary bytes: it never reads
 * outside the buffer (ASan watches), always makes progress, reports a
 * malformed record as one FILE:LINE message, and the line-start splitter
 * gives ranges that cover the buffer in order. */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "fuzz.h"

FUZZ_TARGET(csv)
{
    struct csv_reader r;
    struct csv_field f[16];
    char copy[256];
    /* an exact-size heap copy, so ASan sees any read past the end */
    char *buf = malloc(size ? size : 1);
    int records = 0, n;

    memcpy(buf, data, size);
    csv_init(&r, buf, size, "fuzz.csv");
    while ((n = csv_next(&r, f, 16)) != 0) {
        if (++records > (int)size + 1)
            abort();                    /* no progress: a hang */
        if (n < 0) {
            const char *e = csv_error(&r);
            if (!e || strncmp(e, "fuzz.csv:", 9) || strchr(e, '\n'))
                abort();
            continue;
        }
        for (int i = 0; i < n && i < 16; i++) {
            if (f[i].len && (f[i].p < buf || f[i].p + f[i].len > buf + size))
                abort();
            csv_copy(&f[i], copy, sizeof(copy));
        }
    }
    size_t at = 0;
    while (at < size) {
        size_t next = csv_next_line(buf, size, at + 1);  /* the next one */
        if (next <= at || next > size)
            abort();
        at = next;
    }
    free(buf);
    return 0;
}
