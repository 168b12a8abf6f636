/* lesson/csv.c - parsing a CSV file into records, as the lecture does.
 * What to notice: where the slide's line.split(",") breaks a record (a
 * quoted comma), what reduceByKey's map side summed before the
 * shuffle, and what inferSchema made of the columns (the slide's table is
 * a DataFrame's show).
 */
#include "lesson/csv.h"

static void notice_split(const struct csv_lesson *x, struct notices *ns)
{
    struct notice *n = notice_add(ns, "csv.split_breaks_quoted_commas");

    notice_num(n, "broken", (double)x->broken_by_split, U_INT);
    notice_num(n, "lines", (double)x->lines, U_INT);
    notice_num(n, "zero", 0, U_INT);
    if (x->broken_by_split > 0) {
        notice_rel(n, "broken", REL_GT, 1, "zero");
        notice_say(n, "The slide's csv_to_record uses line.split(\",\"): on "
                   "{broken} of {lines} lines it gives the wrong number of "
                   "fields, because a quoted name such as \"Korea, Republic "
                   "of\" holds a comma. A CSV parser (Python's csv module; "
                   "lib/csv here) reads them right.");
        return;
    }
    n->id = "csv.split_would_do";
    notice_rel(n, "broken", REL_EQ, 1, "zero");
    notice_say(n, "No line holds a quoted comma here, so the slide's "
               "line.split(\",\") would have parsed all {lines} lines.");
}

static void notice_combine(const struct csv_lesson *x, struct notices *ns)
{
    struct notice *n;

    if (x->combine_in <= 0)
        return;
    n = notice_add(ns, "csv.map_side_combine");
    notice_num(n, "in", (double)x->combine_in, U_INT);
    notice_num(n, "out", (double)x->combine_out, U_INT);
    notice_rel(n, "out", REL_VLE, 1, "in");
    notice_say(n, "reduceByKey's map side summed {in} dollar records into "
               "{out} (country, total) pairs before the shuffle: one per "
               "country per partition.");
}

/* Spark 3's inferSchema tries dates only as yyyy-MM-dd (its default
 * dateFormat): a dd/MM/yyyy column stays a string. */
static void notice_date(const struct csv_lesson *x, struct notices *ns)
{
    struct notice *n;

    if (x->ddmmyyyy_strings <= 0 || !x->date_col)
        return;
    n = notice_add(ns, "csv.date_left_string");
    notice_num(n, "cols", x->ddmmyyyy_strings, U_INT);
    notice_num(n, "one", 1, U_INT);
    notice_rel(n, "cols", REL_GE, 1, "one");
    notice_say(n, "inferSchema left %s a string: Spark 3 infers a date "
               "only from yyyy-MM-dd, and these are dd/MM/yyyy. "
               "spark.read.csv(path, header=True, inferSchema=True, "
               "dateFormat=\"dd/MM/yyyy\") reads them as dates.",
               x->date_col);
}

/* An integer column beside a long one: inferSchema picks the narrowest
 * type every value fits. */
static void notice_int_long(const struct csv_lesson *x, struct notices *ns)
{
    struct notice *n;

    if (x->int_cols <= 0 || x->long_cols <= 0 || !x->int_col ||
        !x->long_col)
        return;
    n = notice_add(ns, "csv.int_beside_long");
    notice_num(n, "ints", x->int_cols, U_INT);
    notice_num(n, "longs", x->long_cols, U_INT);
    notice_num(n, "zero", 0, U_INT);
    notice_rel(n, "ints", REL_GT, 1, "zero");
    notice_rel(n, "longs", REL_GT, 1, "zero");
    notice_say(n, "%s is an integer but %s a long: inferSchema gives a "
               "column Java's int (32 bits) while every value fits in "
               "2147483647, and a long once one does not.",
               x->int_col, x->long_col);
}

void csv_lesson_notices(const struct csv_lesson *x, struct notices *ns)
{
    if (!x->is_trade)
        notice_say(notice_add(ns, "csv.not_trade"), "The header is not the "
                   "trade data's, so there are no totals by Country.");
    notice_split(x, ns);
    notice_date(x, ns);
    notice_int_long(x, ns);
    notice_combine(x, ns);
}
