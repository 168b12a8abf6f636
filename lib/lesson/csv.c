/* lesson/csv.c - parsing a CSV file into records, as the lecture does.
 * What to notice: where the slide's line.split(",") breaks a record (a
 * quoted comma), and what reduceByKey's map side summed before the
 * shuffle.
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

void csv_lesson_notices(const struct csv_lesson *x, struct notices *ns)
{
    if (!x->is_trade)
        notice_say(notice_add(ns, "csv.not_trade"), "The header is not the "
                   "trade data's, so there are no totals by Country.");
    notice_split(x, ns);
    notice_combine(x, ns);
}
