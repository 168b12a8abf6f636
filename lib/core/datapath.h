/* datapath.h - where pardemo's data files are (worksheets, quiz bank,
 * gnuplot scripts), whether run from the source tree or installed. */
#ifndef DATAPATH_H
#define DATAPATH_H

/* Finds rel (e.g. "bench/gnuplot/speedup.gp") in, in order: $PARDEMO_DATA,
 * PREFIX/share/pardemo next to the running binary (../share/pardemo from
 * its bin/), the binary's own directory (the source tree), and the
 * current directory. Returns the path (malloc'd: free it), or NULL when
 * none has it. */
char *datapath_find(const char *rel);

#endif
