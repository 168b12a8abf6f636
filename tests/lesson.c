/* lesson.c - see lesson.h. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <string.h>

#include "lesson.h"

struct cond fake_cond(int cpus, double wall_s, double own, double other)
{
    return (struct cond){
        .wall_s = wall_s, .cpus_allowed = cpus, .own_cpu_s = own * wall_s,
        .busy_cpu_s = (own + other) * wall_s, .tick_s = 0.01,
        .nprobes = 1, .is_known = true,
    };
}

/* Is there a {name} left in s? (A literal brace, "{{" in the format,
 * is followed by no name.) */
static bool has_field(const char *s)
{
    for (const char *b = s; (b = strchr(b, '{')); b++)
        if (b[1] == '!' || b[1] == '_' || (b[1] >= 'a' && b[1] <= 'z'))
            return true;
    return false;
}

/* Words a projected sentence must never show: a plural after 1, a
 * speedup rounded to nothing, a ratio printed as a cost. */
static const char *const bad_words[] = {
    " 1 workers", " 1 CPUs", " 1 tasks", " 1 threads", " 1 runs",
    " 1 tries", " 1 crawls", "0.00x", "x a thread", "x the atomic",
    "x the mutex", "x as long",
};

void assert_notices_hold(const struct notices *ns, const char *table)
{
    for (int i = 0; i < ns->n; i++) {
        const struct notice *n = &ns->item[i];
        for (size_t k = 0; n->text && k < sizeof(bad_words) /
                                          sizeof(bad_words[0]); k++)
            cr_expect(!strstr(n->text, bad_words[k]), "%s: %s says '%s': %s",
                      table, n->id, bad_words[k], n->text);
        cr_log_info("%s: %s: %s", table, n->id, n->text);
        cr_expect(n->id, "%s: a notice without an id", table);
        cr_expect(notice_holds(n), "%s: %s does not hold: %s", table,
                  n->id, n->text ? n->text : "(no text)");
        cr_expect(n->text && !has_field(n->text), "%s: %s unfilled: %s",
                  table, n->id, n->text ? n->text : "(no text)");
    }
}

bool has_id(const struct notices *ns, const char *id)
{
    return notices_find(ns, id) != NULL;
}

bool has_text(const struct notices *ns, const char *s)
{
    for (int i = 0; i < ns->n; i++)
        if (ns->item[i].text && strstr(ns->item[i].text, s))
            return true;
    return false;
}
