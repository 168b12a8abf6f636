/* sql_impl.h - the insides of lib/sql, shared by its files only: the
 * hash table of groups (agg.c) and the join's matching (join.c) that a
 * stage (stage.c) drives.
 */
#ifndef SQL_IMPL_H
#define SQL_IMPL_H

#include "sql.h"

/* realloc that says "pardemo: out of memory" and exits rather than
 * return NULL, as the engine's own. */
void *sql_xrealloc(void *p, size_t n);

/* ---- groups (agg.c): GROUP BY's hash table, one per task */
struct sql_groups;
struct sql_groups *sql_groups_new(const struct sql_agg *agg);
void sql_groups_free(struct sql_groups *g);
/* The partial step (map side): row's key finds its group, the row is
 * folded into the group's aggregation buffer. */
void sql_groups_add_row(struct sql_groups *g, const struct rdd_value *row,
                        struct rdd_arena *scratch);
/* The final step (reduce side): a (key, buffer) record from a partial
 * step merged into its group; false when kv is not one. */
bool sql_groups_add_buffer(struct sql_groups *g, struct rdd_value kv);
/* The partial results: (key, buffer) of group i, in the order Spark's
 * reduce side reads a map task's groups (by hash partition, then first
 * seen), allocated in the table; i < sql_groups_count. */
size_t sql_groups_count(const struct sql_groups *g);
struct rdd_value sql_groups_partial(struct sql_groups *g, size_t i);
/* The final rows (keys, then each function's result), first seen
 * first, as Spark's final hash aggregate gives them. A global aggregate
 * (no keys) of nothing still gives its one row. */
typedef void (*sql_row_fn)(struct rdd_value row, void *ctx);
void sql_groups_finish(struct sql_groups *g, sql_row_fn fn, void *ctx);

/* ---- joins (join.c) */

/* The build side's rows whose key equals probe's key columns: [*lo, *hi)
 * of j->build (none when a key is null: null never joins). */
void sql_join_find(const struct sql_join *j, const struct rdd_value *probe,
                   size_t *lo, size_t *hi);
/* The output row of a left and a right row (either may be NULL: its
 * columns are null), in a. */
struct rdd_value sql_join_row(const struct sql_join *j,
                              const struct rdd_value *left,
                              const struct rdd_value *right,
                              struct rdd_arena *a);
/* Do rows a and b (of sides sa, sb) have equal, non-null keys? */
bool sql_join_keys_equal(const struct sql_join *j,
                         const struct rdd_value *a, int sa,
                         const struct rdd_value *b, int sb);

#endif
