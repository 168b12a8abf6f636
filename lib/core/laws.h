/* laws.h - the three laws of scaling, as numbers: Amdahl (a fixed job),
 * Gustafson (a job that grows with the workers) and Karp-Flatt (the
 * serial fraction a measured speedup implies). One copy, used by the
 * scaling topic, its rules and the bench metrics.
 */
#ifndef LAWS_H
#define LAWS_H

/* Amdahl: the speedup of a fixed job on n workers when a fraction f of
 * one worker's time is serial: 1 / (f + (1 - f) / n). */
double law_amdahl(double f, double n);

/* Gustafson: the scaled speedup on n workers when a fraction f of the
 * n-worker run's time is serial: n - f (n - 1). */
double law_gustafson(double f, double n);

/* Karp-Flatt: the serial fraction e = (1/S - 1/n) / (1 - 1/n) that a
 * measured speedup S on n workers implies (Amdahl solved for f). NaN for
 * n <= 1 or S <= 0. */
double law_karp_flatt(double speedup, int n);

#endif
