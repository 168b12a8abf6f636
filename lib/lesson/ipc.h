/* lesson/ipc.h - the rules of `pardemo ipc`.
 * Shared memory is said to win only where it did, against the other
 * mechanism that was best on the metric quoted; a cause is given only
 * when the counts measured (copies, system calls) show it. Python's
 * Queue is set against the C pipe it is built on, and against a bare
 * Pipe, only where the intervals are decidedly apart.
 */
#ifndef LESSON_IPC_H
#define LESSON_IPC_H

#include <stdbool.h>
#include "cli.h"
#include "notice.h"

enum ipc_mech { MECH_SHM, MECH_MQ, MECH_PIPE, MECH_UNIX, MECH_COUNT };

/* "shared memory", "message queue", "pipe", "unix socket". */
const char *ipc_mech_name(enum ipc_mech m);

/* One mechanism at one message size. */
struct ipc_row {
    bool is_run;
    struct est lat_pinned, lat_free;    /* one way, seconds */
    struct est bw;                      /* bytes per second, the streams */
    double syscalls;                    /* per message streamed, both sides */
    double copies;                      /* times each byte was copied */
    double rt_calls_pinned, rt_calls_free; /* per round trip, the sender's */
    bool is_ok;                         /* every checksum matched */
};

/* The Python part's mechanisms: the lecture's own Queue, and Pipe
 * (ipc_queue.py); a shared_memory block, an Array (with its lock) and a
 * RawArray (without) (ipc_shared.py). */
enum ipc_py_mech { PYM_QUEUE, PYM_PIPE, PYM_SHM, PYM_ARRAY, PYM_RAW,
                   PYM_COUNT };

struct ipc_results {
    int nsizes;
    long long size[CLI_LIST_MAX];
    struct ipc_row row[MECH_COUNT][CLI_LIST_MAX];
    int cpus;                           /* allowed to this process */
    long msgsize_max;                   /* a message queue's limit */
    long long rounds;                   /* round trips timed, first size */
    int stream_reps;                    /* streams per mechanism and size */
    double bytes_checked;
    struct cond cond;                   /* the machine meanwhile */
    /* the Python part (copies and system calls not counted: NAN) */
    bool has_python;
    struct ipc_row py[PYM_COUNT][CLI_LIST_MAX];
};

/* Appends the topic's notices for res to ns. */
void ipc_notices(const struct ipc_results *res, struct notices *ns);

#endif
