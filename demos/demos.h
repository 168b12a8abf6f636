/* demos.h - every command's descriptor, each defined at the end of its
 * own file (demos/, bench/, tools/); demos/pardemo.c lists them in the
 * command table. One line per command. */
#ifndef DEMOS_H
#define DEMOS_H

#include "pardemo.h"

/* the lecture topics (demos/) */
extern const struct demo demo_concurrency;
extern const struct demo demo_threads;
extern const struct demo demo_gil;
extern const struct demo demo_race;
extern const struct demo demo_forkjoin;
extern const struct demo demo_ipc;
extern const struct demo demo_manager;
extern const struct demo demo_datatask;
extern const struct demo demo_locality;
extern const struct demo demo_distributed;
extern const struct demo demo_rdd;
extern const struct demo demo_wordcount;
extern const struct demo demo_logmine;
extern const struct demo demo_csv;
extern const struct demo demo_platforms;
extern const struct demo demo_spark;
/* the tools (tools/, bench/) */
extern const struct demo demo_gen;
extern const struct demo demo_bench;
extern const struct demo demo_plot;
extern const struct demo demo_tour;
extern const struct demo demo_quiz;

#endif
