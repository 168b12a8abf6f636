/* datapath.h - where pardemo's data files are (worksheets, quiz bank,
 * gnuplot scripts), whether run from the source tree or installed. */
#ifndef DATAPATH_H
#define DATAPATH_H

#include <stddef.h>

/* Finds rel (e.g. "bench/gnuplot/speedup.gp") in, in order: $PARDEMO_DATA,
 * PREFIX/share/pardemo next to the running binary (../share/pardemo from
 * its bin/), the binary's own directory (the source tree), and the
 * current directory. Returns buf, or NULL when none has it. */
const char *datapath_find(const char *rel, char *buf, size_t len);

#endif
