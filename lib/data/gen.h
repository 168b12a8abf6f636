/* gen.h - what every data generator of `pardemo gen` implements.
 * A generator is one function that writes deterministic data (the same
 * seed gives the same bytes) to a stream. tools/gen.c lists them in a
 * table of {name, summary, write, default rows, most rows}; adding a
 * generator is one function with this signature and one row there.
 */
#ifndef GEN_H
#define GEN_H

#include <stdio.h>

struct gen_params {
    long long rows;             /* records to write (rows, lines) */
    long long max_bytes;        /* stop before passing this size; 0: none */
    unsigned long long seed;    /* same seed, same bytes */
};

/* Writes the data to out. Returns 0, or -1 with errno set when a write
 * failed. Never prints anything else. */
typedef int (*gen_write_fn)(FILE *out, const struct gen_params *g);

#endif
