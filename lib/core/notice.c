/* notice.c - building, checking and writing notices.
 * The sentence is filled in from the same values the relations test, so
 * what the text quotes is what was checked.
 */
#define _GNU_SOURCE
#include "notice.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const rel_names[] = {
    [REL_GT] = "gt", [REL_GE] = "ge", [REL_LT] = "lt", [REL_LE] = "le",
    [REL_NEAR] = "near", [REL_EQ] = "eq", [REL_NE] = "ne",
    [REL_VGT] = "vgt", [REL_VGE] = "vge", [REL_VLT] = "vlt",
    [REL_VLE] = "vle",
};

static void oom(void)
{
    fputs("pardemo: out of memory\n", stderr);
    exit(1);
}

void notices_init(struct notices *ns)
{
    memset(ns, 0, sizeof(*ns));
}

void notices_free(struct notices *ns)
{
    for (int i = 0; i < ns->n; i++)
        free(ns->item[i].text);
    free(ns->item);
    memset(ns, 0, sizeof(*ns));
}

struct notice *notice_add(struct notices *ns, const char *id)
{
    struct notice *n;

    if (ns->n == ns->cap) {
        int cap = ns->cap ? 2 * ns->cap : 8;
        struct notice *grown = realloc(ns->item, (size_t)cap * sizeof(*n));
        if (!grown)
            oom();
        ns->item = grown;
        ns->cap = cap;
    }
    n = &ns->item[ns->n++];
    memset(n, 0, sizeof(*n));
    n->id = id;
    return n;
}

static int find_index(const struct notice *n, const char *name, size_t len)
{
    for (int i = 0; i < n->nval; i++)
        if (strlen(n->val[i].name) == len &&
            !strncmp(n->val[i].name, name, len))
            return i;
    return -1;
}

const struct notice_val *notice_find(const struct notice *n,
                                     const char *name)
{
    int i = find_index(n, name, strlen(name));

    return i < 0 ? NULL : &n->val[i];
}

void notice_est(struct notice *n, const char *name, struct est e,
                enum unit u)
{
    int i = find_index(n, name, strlen(name));

    if (i < 0 && (n->nval == NOTICE_MAX_VALS ||
                  strlen(name) >= NOTICE_NAME_LEN)) {
        n->is_bad = true;
        return;
    }
    if (i < 0) {
        i = n->nval++;
        snprintf(n->val[i].name, NOTICE_NAME_LEN, "%s", name);
    }
    n->val[i].e = e;
    n->val[i].unit = u;
}

void notice_num(struct notice *n, const char *name, double v, enum unit u)
{
    notice_est(n, name, est_exact(v), u);
}

void notice_rel(struct notice *n, const char *a, enum rel r, double k,
                const char *b)
{
    int ia = find_index(n, a, strlen(a)), ib = find_index(n, b, strlen(b));

    if (ia < 0 || ib < 0 || n->nrel == NOTICE_MAX_RELS) {
        n->is_bad = true;
        return;
    }
    n->rel[n->nrel++] = (struct notice_rel){ r, ia, ib, k };
}

const char *rel_name(enum rel r)
{
    return (size_t)r < sizeof(rel_names) / sizeof(rel_names[0])
           ? rel_names[r] : "?";
}

bool rel_holds(enum rel r, struct est a, double k, struct est b)
{
    struct est kb = est_scale(b, k);

    if (isnan(a.v) || isnan(b.v))
        return false;
    switch (r) {
    case REL_GT:   return a.lo > kb.hi;
    case REL_GE:   return a.lo >= kb.hi;
    case REL_LT:   return a.hi < kb.lo;
    case REL_LE:   return a.hi <= kb.lo;
    case REL_NEAR: return a.lo <= kb.hi && a.hi >= kb.lo;
    case REL_EQ:   return a.v == kb.v;
    case REL_NE:   return a.v != kb.v;
    case REL_VGT:  return a.v > kb.v;
    case REL_VGE:  return a.v >= kb.v;
    case REL_VLT:  return a.v < kb.v;
    case REL_VLE:  return a.v <= kb.v;
    }
    return false;
}

bool notice_holds(const struct notice *n)
{
    if (n->is_bad || !n->text || (n->nval > 0 && n->nrel == 0))
        return false;
    for (int i = 0; i < n->nrel; i++) {
        const struct notice_rel *r = &n->rel[i];
        if (!rel_holds(r->rel, n->val[r->a].e, r->k, n->val[r->b].e))
            return false;
    }
    return true;
}

const struct notice *notices_find(const struct notices *ns, const char *id)
{
    for (int i = 0; i < ns->n; i++)
        if (ns->item[i].id && !strcmp(ns->item[i].id, id))
            return &ns->item[i];
    return NULL;
}

int notice_order(struct notice *n, const char *a, const char *b)
{
    const struct notice_val *va = notice_find(n, a), *vb = notice_find(n, b);

    if (!va || !vb) {
        n->is_bad = true;
        return 0;
    }
    if (rel_holds(REL_GT, va->e, 1, vb->e)) {
        notice_rel(n, a, REL_GT, 1, b);
        return 1;
    }
    if (rel_holds(REL_LT, va->e, 1, vb->e)) {
        notice_rel(n, a, REL_LT, 1, b);
        return -1;
    }
    notice_rel(n, a, REL_NEAR, 1, b);
    return 0;
}

bool cond_is_busy(const struct cond *c)
{
    return c->is_known && cond_other_cpus(c).lo > COND_BUSY_CPUS;
}

bool notice_load(struct notice *n, const struct cond *c)
{
    notice_est(n, "other_cpus", cond_other_cpus(c), U_NUM);
    notice_num(n, "allowed", c->cpus_allowed, U_INT);
    notice_num(n, "busy_at", COND_BUSY_CPUS, U_NUM);
    if (cond_is_busy(c)) {
        notice_rel(n, "other_cpus", REL_GT, 1, "busy_at");
        return true;
    }
    if (c->is_known && cond_other_cpus(c).hi <= COND_BUSY_CPUS)
        notice_rel(n, "other_cpus", REL_LE, 1, "busy_at");
    return false;
}

void notice_cause(struct notice *n, const struct cond *c, const char *pre)
{
    if (notice_load(n, c))
        notice_say(n, "%s other programs kept {other_cpus} of the "
                   "{allowed|allowed CPU|allowed CPUs} busy (see "
                   "Conditions).", pre);
    else
        notice_say(n, "%s neither the other programs' load ({other_cpus} "
                   "CPUs) nor anything else measured here explains it; run "
                   "it again.", pre);
}

/* One {...} field: name, an optional ":lo"/":hi"/":pm", or "|one|many"
 * words; a leading '!' prints the word alone. Unknown names stay as
 * written and mark the notice bad. */
static void expand_field(FILE *f, struct notice *n, const char *s, size_t len)
{
    bool is_word_only = len > 0 && s[0] == '!';
    const char *name = s + is_word_only, *bar, *colon;
    size_t nlen = len - is_word_only;
    char buf[64];
    int i;

    bar = memchr(name, '|', nlen);
    colon = memchr(name, ':', nlen);
    i = find_index(n, name, bar ? (size_t)(bar - name)
                          : colon ? (size_t)(colon - name) : nlen);
    if (i < 0) {
        n->is_bad = true;
        fprintf(f, "{%.*s}", (int)len, s);
        return;
    }
    const struct notice_val *v = &n->val[i];
    if (bar) {
        const char *one = bar + 1, *end = name + nlen;
        const char *many = memchr(one, '|', (size_t)(end - one));
        if (!is_word_only) {
            report_value_text(buf, sizeof(buf), v->e.v, v->unit);
            fprintf(f, "%s ", buf);
        }
        if (!many)
            fprintf(f, "%.*s", (int)(end - one), one);
        else if (v->e.v == 1)
            fprintf(f, "%.*s", (int)(many - one), one);
        else
            fprintf(f, "%.*s", (int)(end - many - 1), many + 1);
        return;
    }
    if (colon && !strncmp(colon, ":pm", 3)) {
        report_value_text(buf, sizeof(buf), v->e.v != 0 ? (v->e.hi - v->e.lo)
                          / 2 / fabs(v->e.v) : 0, U_PCT);
        fprintf(f, "±%s", buf);
        return;
    }
    report_value_text(buf, sizeof(buf), colon && !strncmp(colon, ":lo", 3)
                      ? v->e.lo : colon && !strncmp(colon, ":hi", 3)
                      ? v->e.hi : v->e.v, v->unit);
    fputs(buf, f);
}

void notice_say(struct notice *n, const char *fmt, ...)
{
    char *raw, *text = NULL;
    size_t len = 0;
    va_list ap;
    FILE *f;

    va_start(ap, fmt);
    if (vasprintf(&raw, fmt, ap) < 0)
        oom();
    va_end(ap);
    if (!(f = open_memstream(&text, &len)))
        oom();
    for (const char *s = raw; *s; s++) {
        const char *end = *s == '{' ? strchr(s, '}') : NULL;
        if (s[0] == '{' && s[1] == '{') {       /* "{{": a literal '{' */
            fputc('{', f);
            s++;
            continue;
        }
        if (!end) {
            fputc(*s, f);
            continue;
        }
        expand_field(f, n, s + 1, (size_t)(end - s - 1));
        s = end;
    }
    fclose(f);
    free(raw);
    free(n->text);
    n->text = text;
}

static void json_num(FILE *f, double v)
{
    char buf[40];

    if (!isfinite(v)) {
        fputs("null", f);
        return;
    }
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, f);
}

void notice_json(FILE *f, const struct notice *n)
{
    fputs("{\"id\": ", f);
    if (n->id)
        report_json_string(f, n->id);
    else
        fputs("null", f);
    fputs(", \"text\": ", f);
    report_json_string(f, n->text ? n->text : "");
    fputs(", \"values\": {", f);
    for (int i = 0; i < n->nval; i++) {
        const struct notice_val *v = &n->val[i];
        fprintf(f, "%s", i ? ", " : "");
        report_json_string(f, v->name);
        fputs(": {\"v\": ", f);
        json_num(f, v->e.v);
        fputs(", \"lo\": ", f);
        json_num(f, v->e.lo);
        fputs(", \"hi\": ", f);
        json_num(f, v->e.hi);
        fprintf(f, ", \"unit\": \"%s\"}", report_unit_name(v->unit));
    }
    fputs("}, \"claims\": [", f);
    for (int i = 0; i < n->nrel; i++) {
        const struct notice_rel *r = &n->rel[i];
        fprintf(f, "%s{\"rel\": \"%s\", \"a\": ", i ? ", " : "",
                rel_name(r->rel));
        report_json_string(f, n->val[r->a].name);
        fputs(", \"k\": ", f);
        json_num(f, r->k);
        fputs(", \"b\": ", f);
        report_json_string(f, n->val[r->b].name);
        fputc('}', f);
    }
    fputs("]}", f);
}
