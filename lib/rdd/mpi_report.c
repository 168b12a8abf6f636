/* mpi_report.c - what each MPI rank did: the splits it read (its share of
 * the file, read where it runs), the shuffle bytes it sent and received,
 * and its time in tasks against its time waiting in MPI.
 */
#include "rdd_mpi.h"
#include "report.h"

#include <stdlib.h>

void rdd_report_ranks(struct report *r, struct rdd_context *sc)
{
    int n = rdd_mpi_size(sc);
    struct rdd_mpi_rank_stats *st, sum = { 0 };
    struct table *t;

    if (n < 2)
        return;
    st = calloc((size_t)n, sizeof(*st));
    if (!st)
        abort();
    rdd_mpi_all_stats(sc, st);
    t = report_table(r, "ranks", "MPI ranks (partition p runs on rank "
                     "p mod ranks)");
    table_col(t, "rank", "rank", U_INT);
    table_col(t, "splits", "splits read", U_INT);
    table_col(t, "split_bytes", "split bytes", U_MIB);
    table_col(t, "tasks", "tasks", U_INT);
    table_col(t, "sent", "shuffle sent", U_MIB);
    table_col(t, "received", "received", U_MIB);
    table_col(t, "busy", "in tasks", U_MS);
    table_col(t, "mpi", "in MPI", U_MS);
    for (int i = 0; i < n; i++) {
        table_num(t, i);
        table_num(t, st[i].splits);
        table_num(t, (double)st[i].split_bytes);
        table_num(t, (double)st[i].tasks);
        table_num(t, (double)st[i].bytes_sent);
        table_num(t, (double)st[i].bytes_received);
        table_num(t, st[i].busy_seconds);
        table_num(t, st[i].comm_seconds);
        sum.bytes_sent += st[i].bytes_sent;
        sum.splits += st[i].splits;
    }
    table_end(t);
    if (sum.bytes_sent)
        report_notice(r, "%d ranks read %d splits, each only its own byte "
                      "ranges; the shuffles sent %lld bytes between ranks "
                      "(MPI_Alltoallv).", n, sum.splits, sum.bytes_sent);
    else
        report_notice(r, "%d ranks read %d splits, each only its own byte "
                      "ranges; no shuffle sent anything between ranks, "
                      "only results went to every rank.", n, sum.splits);
    free(st);
}
