/* lesson/memory.c - the memory wall, roofline, and SIMD inside one core.
 * What to notice: which kernel scaled with the threads and which did
 * not, how much arithmetic each did per byte, and what SIMD gave one
 * core - each only when this run's numbers decide it.
 */
#include "lesson/memory.h"
#include "lesson/lesson.h"

#include <math.h>

#define STREAM_FACTOR 4     /* STREAM: each array 4x the caches; ours all 3 */
#define SCALES_AT 0.75      /* a speedup of at least this x threads */
#define SUPERLINEAR 1.1
#define SIMD_GAIN 1.2       /* a SIMD gain worth the word */
#define NOISY 0.25

struct est memory_rate(double amount, struct est t)
{
    return est_ratio((struct est){ amount, amount, amount }, t);
}

int memory_last_fit(const struct memory_results *r)
{
    int m = 0;

    for (int i = 1; i < r->npoints; i++)
        if (r->points[i].threads <= r->cpus_allowed)
            m = i;
    return m;
}

/* Were the arrays big enough to come from memory? */
static void notice_arrays(const struct memory_results *r,
                          struct notices *ns)
{
    struct notice *n;

    if (r->llc_bytes <= 0)
        return;
    n = notice_add(ns, "memory.beyond_cache");
    notice_num(n, "arrays", (double)r->arrays_bytes, U_MIB);
    notice_num(n, "llc", (double)r->llc_bytes, U_MIB);
    notice_num(n, "k", (double)r->arrays_bytes / (double)r->llc_bytes,
               U_RATIO);
    notice_num(n, "want", STREAM_FACTOR, U_RATIO);
    if (r->arrays_bytes >= STREAM_FACTOR * r->llc_bytes) {
        notice_rel(n, "k", REL_VGE, 1, "want");
        notice_say(n, "The three arrays ({arrays}) are {k} the last-level "
                   "cache ({llc}): every pass of a STREAM kernel comes from "
                   "memory, not from the cache.");
        return;
    }
    n->id = "memory.in_cache";
    notice_rel(n, "k", REL_VLT, 1, "want");
    notice_say(n, "The three arrays ({arrays}) are only {k} the last-level "
               "cache ({llc}), under the {want} STREAM asks for: part of "
               "each pass may come from the cache, so the GB/s here can be "
               "above what memory gives (try a larger -n).");
}

/* The values the scaling notices cite, at point m. */
static struct notice *scaling_notice(struct notices *ns, const char *id,
                                     const struct memory_results *r, int m)
{
    struct notice *n = notice_add(ns, id);
    const struct memory_point *p0 = &r->points[0], *pm = &r->points[m];

    notice_num(n, "n", pm->threads, U_INT);
    notice_num(n, "cpus", r->cpus_allowed, U_INT);
    notice_num(n, "one", 1, U_INT);
    notice_num(n, "ideal", pm->threads, U_RATIO);
    notice_num(n, "busy", pm->busy, U_NUM);
    notice_num(n, "at_once", LESSON_AT_ONCE, U_NUM);
    notice_est(n, "st", est_ratio(p0->triad_s, pm->triad_s), U_RATIO);
    notice_est(n, "sc", est_ratio(p0->compute_s, pm->compute_s), U_RATIO);
    notice_est(n, "bw1", memory_rate(r->triad_bytes, p0->triad_s),
               U_MBPS);
    notice_est(n, "bwn", memory_rate(r->triad_bytes, pm->triad_s),
               U_MBPS);
    return n;
}

/* Triad against the compute-bound kernel, over the threads. */
static void notice_wall(const struct memory_results *r, struct notices *ns)
{
    int m = memory_last_fit(r);
    struct notice *n;
    struct est st, sc;

    if (m == 0) {
        n = scaling_notice(ns, "memory.one_cpu", r, 0);
        if (r->cpus_allowed == 1) {
            notice_rel(n, "cpus", REL_EQ, 1, "one");
            notice_say(n, "Only 1 CPU is allowed to this process: one "
                       "thread was measured, so whether memory or the "
                       "cores limit more threads cannot be seen here.");
        } else {
            n->id = "memory.one_thread";
            notice_rel(n, "n", REL_EQ, 1, "one");
            notice_say(n, "Only 1 thread was measured (-t 1): try -t "
                       "{cpus} to see which kernel scales.");
        }
        return;
    }
    n = scaling_notice(ns, "memory.wall", r, m);
    st = est_ratio(r->points[0].triad_s, r->points[m].triad_s);
    sc = est_ratio(r->points[0].compute_s, r->points[m].compute_s);
    if (r->points[m].busy < LESSON_AT_ONCE) {
        n->id = "memory.not_at_once";
        notice_rel(n, "busy", REL_VLT, 1, "at_once");
        notice_cause(n, &r->cond, "The {n} threads kept only {busy} CPUs "
                     "busy: they did not run at once, so neither kernel's "
                     "scaling is read from this run:");
    } else if (sc.lo > SUPERLINEAR * r->points[m].threads ||
               st.lo > SUPERLINEAR * r->points[m].threads) {
        n->id = "memory.superlinear";
        notice_rel(n, sc.lo > st.lo ? "sc" : "st", REL_GT, SUPERLINEAR,
                   "ideal");
        notice_cause(n, &r->cond, "A kernel ran more than {n} times "
                     "faster on {n} threads (triad {st}, compute {sc}): "
                     "that is more than parallelism gives, so the 1-thread "
                     "run was held back or the data fitted the caches:");
    } else if (notice_order(n, "sc", "st") > 0 &&
               sc.v >= SCALES_AT * r->points[m].threads) {
        notice_num(n, "scales_at", SCALES_AT * r->points[m].threads,
                   U_RATIO);
        notice_rel(n, "sc", REL_VGE, 1, "scales_at");
        notice_say(n, "The memory wall: on {n} threads the compute-bound "
                   "kernel ran {sc} faster, triad only {st} ({bw1} -> "
                   "{bwn}). Triad waits for memory, and the threads share "
                   "one memory bus; the compute kernel works on what it "
                   "loaded, so it scales with the cores.");
    } else {
        n->id = "memory.wall_unshown";
        if (notice_load(n, &r->cond))
            notice_say(n, "On {n} threads triad ran {st} faster and the "
                       "compute-bound kernel {sc}: not the clear gap of "
                       "the memory wall, and other programs kept "
                       "{other_cpus} of the {allowed|allowed CPU|allowed "
                       "CPUs} busy (see Conditions).");
        else
            notice_say(n, "On {n} threads triad ran {st} faster and the "
                       "compute-bound kernel {sc}: not the clear gap of "
                       "the memory wall (compute near {ideal}, triad well "
                       "below). {n} threads did not fill this machine's "
                       "memory bus ({bwn}); a machine with more cores per "
                       "memory channel shows it.");
    }
}

/* Roofline: FLOP per byte, and the rates each kernel reached. */
static void notice_roofline(const struct memory_results *r,
                            struct notices *ns)
{
    const struct memory_point *p = &r->points[memory_last_fit(r)];
    struct notice *n = notice_add(ns, "memory.roofline");

    notice_num(n, "n", p->threads, U_INT);
    notice_num(n, "ai_t", r->triad_flops / r->triad_bytes, U_NUM);
    notice_num(n, "ai_c", r->compute_flops / r->compute_bytes, U_NUM);
    notice_est(n, "gf_t", est_scale(memory_rate(r->triad_flops,
                                                p->triad_s), 1e-9), U_NUM);
    notice_est(n, "gf_c", est_scale(memory_rate(r->compute_flops,
                                                p->compute_s), 1e-9),
               U_NUM);
    notice_rel(n, "ai_c", REL_VGT, 1, "ai_t");
    if (notice_order(n, "gf_c", "gf_t") > 0) {
        notice_say(n, "Roofline: triad does {ai_t} FLOP per byte it moves "
                   "and reached {gf_t} GFLOP/s on {n|thread|threads}; the "
                   "compute kernel does {ai_c} and reached {gf_c}. Below "
                   "the ridge of the roofline table, a kernel's speed is "
                   "its FLOP/byte times the memory's GB/s.");
        return;
    }
    n->id = "memory.roofline_unshown";
    notice_cause(n, &r->cond, "Roofline: the compute kernel does {ai_c} "
                 "FLOP per byte against triad's {ai_t}, yet it did not "
                 "reach a decidedly higher FLOP rate ({gf_c} against {gf_t} "
                 "GFLOP/s):");
}

/* SIMD inside one core, then threads and SIMD together. */
static void notice_simd(const struct memory_results *r, struct notices *ns)
{
    struct notice *n = notice_add(ns, "memory.simd");
    struct est s = est_ratio(r->sum_scalar_s, r->sum_simd_s);
    struct est b = est_ratio(r->sum_scalar_s, r->sum_both_s);

    notice_est(n, "simd", s, U_RATIO);
    notice_est(n, "both", b, U_RATIO);
    notice_num(n, "gain_at", SIMD_GAIN, U_RATIO);
    notice_num(n, "t", r->sum_threads, U_INT);
    notice_num(n, "busy", r->sum_busy, U_NUM);
    notice_num(n, "at_once", LESSON_AT_ONCE, U_NUM);
    if (!(s.lo > SIMD_GAIN)) {
        n->id = "memory.simd_unshown";
        if (s.v > SIMD_GAIN) {
            notice_rel(n, "simd", REL_VGT, 1, "gain_at");
            notice_cause(n, &r->cond, isfinite(s.hi) && s.lo > 0
                         ? "One core: #pragma omp simd made the sum {simd} "
                           "faster than the scalar loop, but from {simd:lo} "
                           "to {simd:hi} over the runs, so the gain is not "
                           "decided:"
                         : "One core: #pragma omp simd made the sum {simd} "
                           "faster than the scalar loop in one run, which "
                           "cannot show its spread:");
        } else {
            notice_rel(n, "simd", REL_VLE, 1, "gain_at");
            notice_cause(n, &r->cond, "One core: #pragma omp simd made the "
                         "sum only {simd} faster than the scalar loop, no "
                         "gain worth the word:");
        }
        return;
    }
    notice_rel(n, "simd", REL_GT, 1, "gain_at");
    notice_say(n, "Data parallelism inside one core: #pragma omp simd made "
               "the sum {simd} faster than the scalar loop, with no extra "
               "thread (several additions per instruction, several partial "
               "sums).");
    if (r->sum_threads > 1 && r->sum_busy >= LESSON_AT_ONCE &&
        b.lo > s.hi) {
        notice_rel(n, "busy", REL_VGE, 1, "at_once");
        notice_rel(n, "both", REL_GT, 1, "simd");
        notice_say(n, "%s Threads and SIMD together, on {t} threads: "
                   "{both}.", n->text);
    }
}

/* The 1-thread baseline varied: every speedup inherits it. */
static void notice_noisy(const struct memory_results *r,
                         struct notices *ns)
{
    struct est b = r->points[0].triad_s;
    struct notice *n;

    if (!(est_spread(b) > NOISY) || !isfinite(b.hi))
        return;                 /* one run: no spread to speak of */
    n = notice_add(ns, "memory.noisy");
    notice_est(n, "base", b, U_DUR);
    notice_num(n, "spread", est_spread(b), U_PCT);
    notice_num(n, "noisy", NOISY, U_PCT);
    notice_rel(n, "spread", REL_VGT, 1, "noisy");
    notice_cause(n, &r->cond, "Triad on 1 thread varied from {base:lo} to "
                 "{base:hi} ({spread} of its median), and every speedup "
                 "here is divided by it:");
}

void memory_notices(const struct memory_results *r, struct notices *ns)
{
    if (r->npoints < 1)
        return;
    notice_arrays(r, ns);
    notice_noisy(r, ns);
    notice_wall(r, ns);
    notice_roofline(r, ns);
    notice_simd(r, ns);
}
