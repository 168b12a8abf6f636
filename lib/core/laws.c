/* laws.c - Amdahl, Gustafson and Karp-Flatt (see laws.h). */
#include "laws.h"

#include <math.h>

double law_amdahl(double f, double n)
{
    return 1 / (f + (1 - f) / n);
}

double law_gustafson(double f, double n)
{
    return n - f * (n - 1);
}

double law_karp_flatt(double speedup, int n)
{
    double w = n;

    if (n <= 1 || !(speedup > 0))
        return NAN;
    return (1 / speedup - 1 / w) / (1 - 1 / w);
}
