/* notice.h - "What to notice" sentences as rules over this run's numbers.
 * A notice names the values it cites (each an estimate with its spread),
 * the relations between them that make it true (its precondition), and a
 * sentence that quotes them as {name}. A topic's generator builds notices
 * from its results only when the relations hold; the report prints the
 * sentence, and in JSON the values and relations too, so that a checker
 * can verify every sentence mechanically (scripts/check-claims.sh).
 *
 * Relations read "a REL k * b":
 *   gt, ge, lt, le  decided: the intervals do not overlap (a.lo > k b.hi...)
 *   near            the intervals overlap: too close to tell apart
 *   eq, ne          exact values (counts)
 *   vgt, vge, vlt, vle   on the quoted values only (an ordering, not a
 *                        decided difference)
 */
#ifndef NOTICE_H
#define NOTICE_H

#include <stdbool.h>
#include "conditions.h"
#include "report.h"
#include "stats.h"

enum rel {
    REL_GT, REL_GE, REL_LT, REL_LE, REL_NEAR, REL_EQ, REL_NE,
    REL_VGT, REL_VGE, REL_VLT, REL_VLE,
};

#define NOTICE_MAX_VALS 16
#define NOTICE_MAX_RELS 8
#define NOTICE_NAME_LEN 24

struct notice_val {
    char name[NOTICE_NAME_LEN];
    struct est e;
    enum unit unit;
};

struct notice_rel {
    enum rel rel;
    int a, b;                   /* indexes into val[] */
    double k;
};

struct notice {
    const char *id;             /* "gil.held_to_one": which rule spoke */
    char *text;                 /* the sentence, {name}s filled in */
    struct notice_val val[NOTICE_MAX_VALS];
    int nval;
    struct notice_rel rel[NOTICE_MAX_RELS];
    int nrel;
    bool is_bad;                /* a builder mistake: unknown name... */
};

struct notices {
    struct notice *item;
    int n, cap;
};

void notices_init(struct notices *ns);
void notices_free(struct notices *ns);

/* Adds an empty notice with this id (a static string). Never NULL (exits
 * on out-of-memory). */
struct notice *notice_add(struct notices *ns, const char *id);

/* A value the sentence cites or a relation uses: an estimate, or an exact
 * number. A name may be set again: the last value wins. */
void notice_est(struct notice *n, const char *name, struct est e,
                enum unit u);
void notice_num(struct notice *n, const char *name, double v, enum unit u);

/* The precondition: "a REL k * b", by value names. */
void notice_rel(struct notice *n, const char *a, enum rel r, double k,
                const char *b);

/* The sentence. fmt is printf'd first (use %s for names of things), then
 * each {name} becomes the value in its unit at 3 significant digits
 * ("1.95x", "41.0 ms"), {name|worker|workers} the number and the word
 * that fits it, {!name|was|were} the word alone, {name:lo} and {name:hi}
 * the interval's ends, {name:pm} its half-width as "±4.1%"; "{{" is a
 * literal "{" (text quoted through %s is scanned too: escape it). */
void notice_say(struct notice *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Does r hold for a and k * b? */
bool rel_holds(enum rel r, struct est a, double k, struct est b);
const char *rel_name(enum rel r);

/* Do all of n's relations hold (and was it built without mistakes)? A
 * notice with no relation holds only if it cites no value. */
bool notice_holds(const struct notice *n);

/* The value named name, or NULL. */
const struct notice_val *notice_find(const struct notice *n,
                                     const char *name);

/* The notice with this id, or NULL: for tests. */
const struct notice *notices_find(const struct notices *ns, const char *id);

/* Orders values a and b (already added) on their intervals and adds the
 * relation found: +1 a decidedly above b (gt), -1 below (lt), 0 too
 * close to tell apart (near). */
int notice_order(struct notice *n, const char *a, const char *b);

/* Other programs' load counts as a cause only above this many CPUs. */
#define COND_BUSY_CPUS 0.25

/* Were other programs decidedly using the CPUs (more than COND_BUSY_CPUS,
 * the interval's low end included)? */
bool cond_is_busy(const struct cond *c);

/* Adds c's evidence to n: "other_cpus" (the other programs' load, CPUs),
 * "allowed" (CPUs) and "busy_at" (COND_BUSY_CPUS). When cond_is_busy,
 * also the relation other_cpus > busy_at, and returns true: the notice
 * may then blame the other programs. Otherwise adds other_cpus <= busy_at
 * when that is decided (the machine was quiet) and returns false. */
bool notice_load(struct notice *n, const struct cond *c);

/* Ends n's sentence with its cause when the evidence shows one: pre (a
 * sentence start that may hold {names}) and then "other programs kept
 * {other_cpus} of the ... allowed CPUs busy (see Conditions)." when
 * notice_load finds them busy, else "neither the other programs' load nor
 * anything else measured here explains it; run it again." */
void notice_cause(struct notice *n, const struct cond *c, const char *pre);

/* Writes n as a JSON object: id, text, values, claims. */
void notice_json(FILE *f, const struct notice *n);

#endif
