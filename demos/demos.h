/* demos.h - the entry points the command table in pardemo.c calls, and
 * the kernel lists the bench harness sweeps. One line per topic. */
#ifndef DEMOS_H
#define DEMOS_H

#include "pardemo.h"

int concurrency_main(int argc, char **argv);
int threads_main(int argc, char **argv);
extern const struct kernel threads_kernels[];
int gil_main(int argc, char **argv);
extern const struct kernel gil_kernels[];
int race_main(int argc, char **argv);
extern const struct kernel race_kernels[];
int forkjoin_main(int argc, char **argv);
extern const struct kernel forkjoin_kernels[];
int ipc_main(int argc, char **argv);
extern const struct kernel ipc_kernels[];
int manager_main(int argc, char **argv);
extern const struct kernel manager_kernels[];
int datatask_main(int argc, char **argv);
extern const struct kernel datatask_kernels[];
int locality_main(int argc, char **argv);
int distributed_main(int argc, char **argv);
int rdd_main(int argc, char **argv);
int wordcount_main(int argc, char **argv);
extern const struct kernel wordcount_kernels[];
int logmine_main(int argc, char **argv);
int csv_main(int argc, char **argv);
int platforms_main(int argc, char **argv);
extern const struct kernel platforms_kernels[];
int spark_main(int argc, char **argv);
int gen_main(int argc, char **argv);
int bench_main(int argc, char **argv);
int plot_main(int argc, char **argv);
int tour_main(int argc, char **argv);
int quiz_main(int argc, char **argv);

#endif
