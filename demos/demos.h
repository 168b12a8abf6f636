/* demos.h - the entry points the command table in pardemo.c calls, and
 * the kernel lists the bench harness sweeps. One line per topic. */
#ifndef DEMOS_H
#define DEMOS_H

#include "pardemo.h"

int locality_main(int argc, char **argv);
int rdd_main(int argc, char **argv);
int wordcount_main(int argc, char **argv);
extern const struct kernel wordcount_kernels[];
int logmine_main(int argc, char **argv);
int spark_main(int argc, char **argv);
int tour_main(int argc, char **argv);

#endif
