/* cli.c - the option parser every topic shares.
 * Topics describe options as data (struct cli_opt); this file turns that
 * table into getopt_long's, checks every value's range and prints help, so
 * that --help, the man page and the parser can never disagree.
 */
#define _GNU_SOURCE
#include "cli.h"
#include "sysinfo.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTS 64

/* The common options as rows of the same table the topics use; their
 * offsets point into struct run_params. */
static const struct cli_opt common_opts[] = {
    { "threads", 't', CLI_INT, "N", "workers", 1, 1024, NULL,
      offsetof(struct run_params, threads) },
    { "size", 'n', CLI_SIZE, "N", "problem size", 0, 0, NULL,
      offsetof(struct run_params, size) },
    { "reps", 'r', CLI_INT, "N", "timed repetitions (after one warm-up)",
      1, 1000, NULL, offsetof(struct run_params, reps) },
    { "seed", 's', CLI_LONG, "N", "random seed", 0, LLONG_MAX, NULL,
      offsetof(struct run_params, seed) },
    { "format", 0, CLI_CHOICE, "F", "output format", 0, 0, "text|csv|json",
      offsetof(struct run_params, format) },
    { "quiet", 'q', CLI_FLAG, NULL, "no progress on stderr", 0, 0, NULL,
      offsetof(struct run_params, is_quiet) },
    { "quick", 0, CLI_FLAG, NULL,
      "classroom-quick sizes (also PARDEMO_QUICK=1)", 0, 0, NULL,
      offsetof(struct run_params, is_quick) },
};

const char *cli_strerror(int err)
{
    switch (err) {
    case EAGAIN:
        return "Resource temporarily unavailable (no more processes or "
               "threads for this user: see ulimit -u)";
    case ENOMEM:
        return "Cannot allocate memory (see ulimit -v, or try a smaller "
               "size)";
    case EFBIG:
        return "File too large (the file size limit: see ulimit -f)";
    case EMFILE:
        return "Too many open files (see ulimit -n)";
    default:
        return strerror(err);
    }
}

/* s on one line: a newline or another control character in a value the
 * user gave ('--save $'a\nb'') is shown escaped (\n, \x1b), so an error
 * stays one line and cannot move the terminal's cursor. */
static void put_one_line(const char *s, FILE *f)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n')
            fputs("\\n", f);
        else if (c == '\r')
            fputs("\\r", f);
        else if (c < 0x20 && c != '\t')
            fprintf(f, "\\x%02x", c);
        else if (c == 0x7f)
            fputs("\\x7f", f);
        else
            fputc(c, f);
    }
}

void cli_error(const char *topic, const char *fmt, ...)
{
    va_list ap;
    char *msg = NULL;
    int n;

    fflush(stdout);
    va_start(ap, fmt);
    n = vasprintf(&msg, fmt, ap);
    va_end(ap);
    fputs("pardemo: ", stderr);
    if (topic) {
        put_one_line(topic, stderr);
        fputs(": ", stderr);
    }
    put_one_line(n >= 0 ? msg : "(out of memory)", stderr);
    fputc('\n', stderr);
    free(msg);
}

void cli_defaults(struct run_params *p, const char *topic)
{
    const char *q = getenv("PARDEMO_QUICK");

    memset(p, 0, sizeof(*p));
    p->topic = topic;
    p->threads = sys_allowed_cpus();
    p->reps = 5;
    p->seed = 42;
    p->format = FMT_TEXT;
    p->is_quick = q && *q && strcmp(q, "0") != 0;
    cond_start(&p->probe);
}

void cli_prescan_quick(struct run_params *p, int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (!strcmp(argv[i], "--quick"))
            p->is_quick = true;
}

int cli_parse_size(const char *s, long long *out, const char **why)
{
    unsigned long long v = 0, mult = 1;
    const char *c = s;

    if (!*c || *c < '0' || *c > '9') {
        *why = *c == '-' ? "negative" : "not a number";
        return -1;
    }
    for (; *c >= '0' && *c <= '9'; c++) {
        if (v > (ULLONG_MAX - 9) / 10) {
            *why = "too large";
            return -1;
        }
        v = v * 10 + (unsigned)(*c - '0');
    }
    switch (*c) {
    case '\0': break;
    case 'k': case 'K': mult = 1ULL << 10; c++; break;
    case 'm': case 'M': mult = 1ULL << 20; c++; break;
    case 'g': case 'G': mult = 1ULL << 30; c++; break;
    default:
        *why = "unknown suffix (use k, M or G)";
        return -1;
    }
    if (*c) {
        *why = "unknown suffix (use k, M or G)";
        return -1;
    }
    if (v > (unsigned long long)LLONG_MAX / mult) {
        *why = "too large";
        return -1;
    }
    *out = (long long)(v * mult);
    return 0;
}

const char *cli_fmt_size(long long n, char *buf, size_t len)
{
    static const char sfx[] = "kMG";
    int i = -1;

    while (i < 2 && n >= 1024 && n % 1024 == 0) {
        n /= 1024;
        i++;
    }
    if (i < 0)
        snprintf(buf, len, "%lld", n);
    else
        snprintf(buf, len, "%lld%c", n, sfx[i]);
    return buf;
}

static int parse_int(const char *s, long long *out, const char **why)
{
    char *end;

    if (!*s || (*s != '-' && (*s < '0' || *s > '9'))) {
        *why = "not a whole number";
        return -1;
    }
    errno = 0;
    *out = strtoll(s, &end, 10);
    if (errno == ERANGE) {
        *why = "too large";
        return -1;
    }
    if (*end) {
        *why = "not a whole number";
        return -1;
    }
    return 0;
}

static void range_text(const struct cli_opt *o, char *buf, size_t len)
{
    char a[32], b[32];

    if (o->type == CLI_INT || o->type == CLI_LONG) {
        if (o->max == LLONG_MAX)
            snprintf(buf, len, "%lld or more", o->min);
        else
            snprintf(buf, len, "%lld..%lld", o->min, o->max);
    } else {
        snprintf(buf, len, "%s..%s", cli_fmt_size(o->min, a, sizeof(a)),
                 cli_fmt_size(o->max, b, sizeof(b)));
    }
}

/* One number of an option: parse, then range-check. */
static int take_number(const char *topic, const struct cli_opt *o,
                       const char *arg, long long *out)
{
    const char *why = NULL;
    char range[80];
    int rc;

    rc = o->type != CLI_SIZE && o->type != CLI_SIZES ? parse_int(arg, out, &why)
                            : cli_parse_size(arg, out, &why);
    range_text(o, range, sizeof(range));
    if (rc == 0 && (*out < o->min || *out > o->max))
        why = "out of range";
    if (why) {
        cli_error(topic, "--%s must be %s%s (got '%s': %s)", o->name,
                  o->type == CLI_INT || o->type == CLI_LONG ? "" : "a size ", range, arg, why);
        return -1;
    }
    return 0;
}

static int take_choice(const char *topic, const struct cli_opt *o,
                       const char *arg, int *out)
{
    const char *c = o->choices;
    size_t n = strlen(arg);
    int i = 0;

    while (*c) {
        size_t w = strcspn(c, "|");
        if (w == n && strncmp(c, arg, n) == 0) {
            *out = i;
            return 0;
        }
        c += w + (c[w] == '|');
        i++;
    }
    cli_error(topic, "--%s must be one of %s (got '%s')", o->name,
              o->choices, arg);
    return -1;
}

static int take_list(const char *topic, const struct cli_opt *o,
                     const char *arg, struct cli_list *out)
{
    char item[64];
    const char *c = arg;

    out->n = 0;
    for (;;) {
        size_t w = strcspn(c, ",");
        if (w == 0 || w >= sizeof(item) || out->n == CLI_LIST_MAX) {
            cli_error(topic, "--%s must be a comma-separated list of at "
                      "most %d sizes (got '%s')", o->name, CLI_LIST_MAX, arg);
            return -1;
        }
        memcpy(item, c, w);
        item[w] = '\0';
        if (take_number(topic, o, item, &out->v[out->n]) < 0)
            return -1;
        out->n++;
        if (!c[w])
            return 0;
        c += w + 1;
    }
}

/* Stores one option's value at its offset. */
static int take_value(const char *topic, const struct cli_opt *o,
                      const char *arg, void *base)
{
    char *at = (char *)base + o->offset;
    long long v;

    switch (o->type) {
    case CLI_FLAG:
        *(bool *)at = true;
        return 0;
    case CLI_STR:
        *(const char **)at = arg;
        return 0;
    case CLI_CHOICE:
        return take_choice(topic, o, arg, (int *)at);
    case CLI_SIZES:
        return take_list(topic, o, arg, (struct cli_list *)at);
    case CLI_INT:
    case CLI_LONG:
    case CLI_SIZE:
        if (take_number(topic, o, arg, &v) < 0)
            return -1;
        if (o->type == CLI_INT)
            *(int *)at = (int)v;    /* the range keeps it within int */
        else
            *(long long *)at = v;
        return 0;
    }
    return -1;
}

/* The options a topic takes: the chosen common rows, then its own. */
struct opt_set {
    struct cli_opt opt[MAX_OPTS];
    void *base[MAX_OPTS];
    int n;
};

static void collect_opts(const struct cli_spec *spec, struct run_params *p,
                         void *topic_opts, struct opt_set *set)
{
    const struct cli_opt *o;
    size_t i;

    set->n = 0;
    for (i = 0; i < ARRAY_SIZE(common_opts); i++) {
        if (!(spec->common & (1u << i)))
            continue;
        set->opt[set->n] = common_opts[i];
        if (common_opts[i].key == 'n') {
            set->opt[set->n].min = spec->size_min;
            set->opt[set->n].max = spec->size_max;
            if (spec->size_help)
                set->opt[set->n].help = spec->size_help;
        }
        if (common_opts[i].key == 't') {
            if (spec->threads_max > 0)
                set->opt[set->n].max = spec->threads_max;
            if (spec->threads_help)
                set->opt[set->n].help = spec->threads_help;
        }
        set->base[set->n++] = p;
    }
    for (o = spec->opts; o && o->name && set->n < MAX_OPTS; o++) {
        set->opt[set->n] = *o;
        set->base[set->n++] = topic_opts;
    }
}

static void default_text(const struct cli_opt *o, const void *base,
                         char *buf, size_t len)
{
    const char *at = (const char *)base + o->offset;
    const char *c;
    int i;

    buf[0] = '\0';
    switch (o->type) {
    case CLI_INT:
        snprintf(buf, len, "%d", *(const int *)at);
        break;
    case CLI_LONG:
        snprintf(buf, len, "%lld", *(const long long *)at);
        break;
    case CLI_SIZE:
        cli_fmt_size(*(const long long *)at, buf, len);
        break;
    case CLI_STR:
        if (*(const char *const *)at)
            snprintf(buf, len, "%s", *(const char *const *)at);
        break;
    case CLI_CHOICE:
        c = o->choices;
        for (i = *(const int *)at; i > 0 && strchr(c, '|'); i--)
            c = strchr(c, '|') + 1;
        snprintf(buf, len, "%.*s", (int)strcspn(c, "|"), c);
        break;
    case CLI_SIZES: {
        const struct cli_list *l = (const struct cli_list *)at;
        size_t used = 0;
        for (i = 0; i < l->n && used + 1 < len; i++) {
            char one[32];
            used += (size_t)snprintf(buf + used, len - used, "%s%s",
                                     i ? "," : "",
                                     cli_fmt_size(l->v[i], one, sizeof(one)));
        }
        break;
    }
    case CLI_FLAG:
        break;
    }
}

/* Prints text after `col` columns already used, wrapped at word spaces
 * to fit 80 columns; continuation lines start at column `indent`. A word
 * longer than a line is printed whole. */
/* Prints text from column `col` on, wrapped at word spaces to fit 80
 * columns; continuation lines start at column `indent`. A word longer
 * than a line is printed whole. */
static void print_wrapped(const char *text, int col, int indent, FILE *out)
{
    const int width = 80;

    for (const char *w = text; *w;) {
        int n = (int)strcspn(w, " ");
        if (w > text && col + 1 + n > width) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
        } else if (w > text) {
            fputc(' ', out);
            col++;
        }
        col += fprintf(out, "%.*s", n, w);
        w += n;
        while (*w == ' ')
            w++;
    }
    fputc('\n', out);
}

static void help_line(const struct cli_opt *o, const void *base,
                      bool is_common, FILE *out)
{
    char head[64], range[80] = "", def[128], *text = NULL;
    int col;

    if (o->key)
        snprintf(head, sizeof(head), "-%c, --%s%s%s", o->key, o->name,
                 o->metavar ? " " : "", o->metavar ? o->metavar : "");
    else
        snprintf(head, sizeof(head), "    --%s%s%s", o->name,
                 o->metavar ? " " : "", o->metavar ? o->metavar : "");
    if (o->type == CLI_INT || o->type == CLI_LONG || o->type == CLI_SIZE ||
        o->type == CLI_SIZES)
        range_text(o, range, sizeof(range));
    else if (o->type == CLI_CHOICE)
        snprintf(range, sizeof(range), "%s", o->choices);
    default_text(o, base, def, sizeof(def));
    if (is_common && o->key == 't')     /* differs per machine: say how */
        snprintf(def, sizeof(def), "the allowed CPUs");
    if (range[0] || def[0]) {
        if (asprintf(&text, "%s (%s%s%s%s)", o->help, range,
                     range[0] && def[0] ? "; " : "",
                     def[0] ? "default " : "", def) < 0)
            text = NULL;
    }
    col = fprintf(out, "  %-22s ", head);
    print_wrapped(text ? text : o->help, col, 25, out);
    free(text);
}

void cli_help(const struct demo *d, const struct run_params *p,
              const void *topic_opts, FILE *out)
{
    const struct cli_spec *spec = d->spec;
    struct opt_set set;
    const char *e;
    int i;

    collect_opts(spec, (struct run_params *)p, (void *)topic_opts, &set);
    fprintf(out, "pardemo %s - %s\n\nusage: pardemo %s [options]%s%s\n\n"
            "options:\n", d->name, d->summary, d->name,
            spec->args ? " " : "", spec->args ? spec->args : "");
    for (i = 0; i < set.n; i++)
        help_line(&set.opt[i], set.base[i], set.base[i] == p, out);
    fprintf(out, "  -h, --help             this help\n");
    if (spec->examples) {
        fprintf(out, "\nexamples:\n");
        for (e = spec->examples; *e;) {
            size_t w = strcspn(e, "\n");
            fprintf(out, "  %.*s\n", (int)w, e);
            e += w + (e[w] == '\n');
        }
    }
}

static bool wants_help(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
            return true;
    return false;
}

static void note_given(struct run_params *p, const struct cli_opt *o,
                       const void *base)
{
    if (base != p)
        return;
    if (o->key == 't')
        p->threads_given = true;
    else if (o->key == 'n')
        p->size_given = true;
    else if (o->key == 'r')
        p->reps_given = true;
}

static int check_args(const struct demo *d, int argc, char **argv,
                      struct run_params *p)
{
    const struct cli_spec *spec = d->spec;
    int n = argc - optind;

    if (spec->max_args >= 0 && n > spec->max_args) {
        cli_error(d->name, "unexpected argument '%s'; see 'pardemo %s "
                  "--help'", argv[optind + spec->max_args], d->name);
        return 2;
    }
    if (n < spec->min_args) {
        cli_error(d->name, "missing %s; see 'pardemo %s --help'",
                  spec->args ? spec->args : "argument", d->name);
        return 2;
    }
    p->args = argv + optind;
    p->nargs = n;
    return -1;
}

int cli_parse(const struct demo *d, int argc, char **argv,
              struct run_params *p, void *topic_opts)
{
    const struct cli_spec *spec = d->spec;
    struct option longopts[MAX_OPTS + 1];
    char shortopts[2 * MAX_OPTS + 2] = ":";
    struct opt_set set;
    size_t ns = 1;
    int c, i;

    collect_opts(spec, p, topic_opts, &set);
    if (wants_help(argc, argv)) {
        cli_help(d, p, topic_opts, stdout);
        return 0;
    }
    for (i = 0; i < set.n; i++) {
        bool has_arg = set.opt[i].type != CLI_FLAG;
        longopts[i] = (struct option){ set.opt[i].name,
            has_arg ? required_argument : no_argument, NULL, 256 + i };
        if (set.opt[i].key) {
            shortopts[ns++] = (char)set.opt[i].key;
            if (has_arg)
                shortopts[ns++] = ':';
        }
    }
    longopts[set.n] = (struct option){ 0, 0, 0, 0 };
    shortopts[ns] = '\0';
    opterr = 0;
    optind = 0;     /* glibc: 0 re-initialises, so a second parse works */
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (c == '?' || c == ':') {
            const char *what = optopt && optopt < 256 ? NULL : argv[optind - 1];
            char shortname[3] = { '-', (char)optopt, 0 };
            if (c == '?')
                cli_error(d->name, "unknown option '%s'; see 'pardemo "
                          "%s --help'", what ? what : shortname, d->name);
            else
                cli_error(d->name, "option '%s' needs a value",
                          what ? what : shortname);
            return 2;
        }
        i = c >= 256 ? c - 256 : -1;
        for (int j = 0; i < 0 && j < set.n; j++)
            if (set.opt[j].key == c)
                i = j;
        if (i < 0 || take_value(d->name, &set.opt[i], optarg,
                                set.base[i]) < 0)
            return 2;
        note_given(p, &set.opt[i], set.base[i]);
    }
    return check_args(d, argc, argv, p);
}
