/* pylesson.h - a topic's Python part: the lecture's own Python, run in
 * pardemo's one CPython beside the topic's C kernels.
 * The snippets are demos/python/<topic>_*.py, compiled into the binary.
 * The interpreter starts when a topic first asks (pyl_start) and ends
 * with pyl_stop; in between, pyl_call runs a snippet's function and hands
 * back its numbers. A topic calls these through pyl_part_run, which
 * starts, measures and stops in one go. Processes a snippet needs are multiprocessing's own
 * (its spawn and forkserver children are pardemo re-run: entry.h).
 * Signals: from pyl_start on, Ctrl-C, SIGTERM and SIGHUP interrupt the
 * snippet (its `with`/`finally` blocks run); pyl_stop then ends what
 * multiprocessing left and pardemo dies of that signal.
 */
#ifndef PYLESSON_H
#define PYLESSON_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One number a snippet returned: as a double, and (an int's) exact
 * value modulo 2^64, for checksums. */
struct pyl_num {
    double v;
    uint64_t u;
};

enum { PYL_ERROR = -1, PYL_INTERRUPTED = -2 };

/* The most --start-method choices: fork, spawn, forkserver. */
#define PYL_METHODS "fork|spawn|forkserver"

/* A topic's Python options, in its options struct (PYL_CLI_OPTS adds
 * them to its cli_opt table; pyl_opts_init sets the defaults). */
struct pyl_opts {
    bool is_skipped;            /* --no-python */
    bool is_only;               /* --python-only */
    int method;                 /* --start-method: index, -1 the default */
};

#define PYL_CLI_OPTS(type, member)                                        \
    PYL_OPT_SKIP(type, member), PYL_OPT_ONLY(type, member),               \
    PYL_OPT_METHOD(type, member)

/* A topic whose Python part needs its C part: no --python-only. */
#define PYL_CLI_SKIP_OPTS(type, member)                                   \
    PYL_OPT_SKIP(type, member), PYL_OPT_METHOD(type, member)

#define PYL_OPT_SKIP(type, member)                                        \
    { "no-python", 0, CLI_FLAG, NULL, "skip the lecture's Python part",    \
      0, 0, NULL, offsetof(type, member.is_skipped) }
#define PYL_OPT_ONLY(type, member)                                        \
    { "python-only", 0, CLI_FLAG, NULL, "only the lecture's Python part",  \
      0, 0, NULL, offsetof(type, member.is_only) }
#define PYL_OPT_METHOD(type, member)                                      \
    { "start-method", 0, CLI_CHOICE, "M",                                 \
      "multiprocessing's start method (default: this Python's)", 0, 0,   \
      PYL_METHODS, offsetof(type, member.method) }

void pyl_opts_init(struct pyl_opts *o);

/* The --start-method given, or NULL for this Python's default. */
const char *pyl_method_name(const struct pyl_opts *o);

/* What the started Python is. */
struct pyl_info {
    char version[32];           /* "3.11.7" */
    char method[16];            /* the start method in use */
    char default_method[16];    /* this Python's default */
    char methods[3][16];        /* those this Python supports */
    int nmethods;
    /* pardemo's own handlers of the signals Python takes over (INT, TERM,
     * HUP, PIPE, XFSZ), put back by pyl_stop */
    struct sigaction before[5];
};

/* Starts Python (once per run), multiprocessing's start method set to
 * `method` (NULL: this Python's default). Returns 0 and fills *info, or
 * -1 with a one-line reason in why[0..why_len); call pyl_stop(info)
 * either way. */
int pyl_start(const char *method, struct pyl_info *info, char *why,
              size_t why_len);

/* "3.11.2, start method fork (default; has spawn, forkserver)" into
 * buf, or "3.11.2, start method spawn (default: fork)". */
void pyl_describe(const struct pyl_info *info, char *buf, size_t len);

/* Calls module.function(ARGS), ARGS built from fmt as Py_BuildValue
 * builds a tuple ("(iL)", workers, units). Its result (a number, or
 * sequences of them) goes into out[0..cap), flattened. Returns how many
 * numbers it gave (more than cap: the rest are dropped), PYL_ERROR when
 * it raised (pyl_error says what, in one line; the traceback goes to
 * stderr only with PARDEMO_TRACEBACK=1), or PYL_INTERRUPTED when a
 * signal stopped it: measure nothing more, call pyl_stop. */
int pyl_call(struct pyl_num *out, int cap, const char *module,
             const char *function, const char *fmt, ...);

/* The last PYL_ERROR as one line ("race_dedupe.py line 96: OSError:
 * [Errno 27] File too large") into buf; call it before pyl_stop. */
void pyl_error(char *buf, size_t len);

/* Why a Python part failed with errno err, in one line: pyl_error's
 * line for EIO (a snippet raised), else strerror. Before pyl_stop. */
void pyl_why_failed(char *buf, size_t len, int err);

/* The source of a built-in snippet module ("gil_burn"), or NULL. */
const char *pyl_source(const char *module);

/* Ends what multiprocessing started and the interpreter (nothing if it
 * never started). If a signal interrupted the Python part, pardemo then
 * dies of that signal and this does not return. */
void pyl_stop(const struct pyl_info *info);

/* ---- a topic's Python part as a whole ---- */

struct report;

/* What a topic's Python part did (pyl_part_run): ran, or why not. */
struct pyl_part {
    struct pyl_info info;
    bool has_run;               /* it ran and measured */
    char why[200];              /* why it did not, in one line */
};

/* --no-python with --python-only: 2 after an error line; else -1. */
int pyl_opts_check(const char *topic, const struct pyl_opts *o);

/* What a topic measures in Python, between pyl_start and pyl_stop:
 * 0, or -1 with errno set (EINTR: a signal stopped it; EIO: a snippet
 * raised; pyl_fail sets them from pyl_call's answer). */
typedef int pyl_measure_fn(void *ctx, struct report *r);

/* errno from pyl_call's answer n (PYL_INTERRUPTED: EINTR, else EIO);
 * returns -1. */
int pyl_fail(int n);

/* Runs a topic's Python part: unless --no-python, starts Python, reports
 * it as the "python" parameter, calls measure(ctx, r), and stops Python
 * (a signal meanwhile ends pardemo there, after multiprocessing's
 * children). Returns 0 (part->has_run says whether it ran, part->why
 * why not), or -1 after the line "TOPIC: the Python part failed: ...". */
int pyl_part_run(struct pyl_part *part, const char *topic,
                 const struct pyl_opts *o, struct report *r,
                 pyl_measure_fn *measure, void *ctx);

/* The paragraph above the Python rows: `ran` when the part ran; else
 * that --no-python skipped it ("...; without it, TOPIC also runs\nWHAT
 * in pardemo's CPython, beside the C."), or why it did not run. */
void pyl_part_text(struct report *r, const struct pyl_part *part,
                   const struct pyl_opts *o, const char *topic,
                   const char *what, const char *ran);

#endif
