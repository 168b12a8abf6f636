/* demos.h - the entry points the command table in pardemo.c calls, and
 * the kernel lists the bench harness sweeps. One line per topic. */
#ifndef DEMOS_H
#define DEMOS_H

#include "pardemo.h"

<<<<<<< HEAD
int rdd_main(int argc, char **argv);
int wordcount_main(int argc, char **argv);
extern const struct kernel wordcount_kernels[];
int logmine_main(int argc, char **argv);
=======
int locality_main(int argc, char **argv);
>>>>>>> main
int tour_main(int argc, char **argv);

#endif
