/* fuzz_options.c - the option parser on arbitrary argument vectors: it
 * returns -1, 0 or 2 and never crashes; accepted values are in range; a
 * usage error is exactly one line on stderr (a value with a newline or an
 * escape in it included), and nothing else writes to stderr. Arguments
 * are the input split at NUL bytes when it has one, else at newlines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz.h"

struct fz_opts {
    int window;
    int mode;
    bool is_flag;
    struct cli_list sizes;
    const char *name;
};

static const struct cli_opt fz_opts[] = {
    { "window", 'w', CLI_INT, "N", "spins", 0, 1000, NULL,
      offsetof(struct fz_opts, window) },
    { "mode", 'm', CLI_CHOICE, "M", "mode", 0, 0, "a|b|c",
      offsetof(struct fz_opts, mode) },
    { "flag", 'f', CLI_FLAG, NULL, "flag", 0, 0, NULL,
      offsetof(struct fz_opts, is_flag) },
    { "sizes", 0, CLI_SIZES, "L", "sizes", 1, 1 << 20, NULL,
      offsetof(struct fz_opts, sizes) },
    { "name", 0, CLI_STR, "S", "name", 0, 0, NULL,
      offsetof(struct fz_opts, name) },
    { 0 },
};

static const struct cli_spec fz_spec = {
    .args = "[FILE]", .max_args = 2,
    .common = CLI_COMMON, .size_min = 1, .size_max = 1 << 30,
    .opts = fz_opts,
};

static const struct demo fz_demo = {
    .name = "fuzz", .summary = "fuzz", .spec = &fz_spec,
};

/* The one-line rule: status 2 prints "pardemo: ...\n" and nothing more;
 * -1 and 0 print nothing on stderr. */
static void check_one_line(int rc, const char *err, size_t len)
{
    const char *nl = memchr(err, '\n', len);

    if (rc != 2 && len != 0)
        abort();
    if (rc == 2 && (strncmp(err, "pardemo: ", 9) || !nl ||
                    nl != err + len - 1))
        abort();
    for (size_t i = 0; rc == 2 && i + 1 < len; i++)
        if ((unsigned char)err[i] < 0x20 && err[i] != '\t')
            abort();            /* a control character would move the cursor */
}

FUZZ_TARGET(options)
{
    char buf[512], *argv[34], *err = NULL;
    char sep = memchr(data, '\0', size) ? '\0' : '\n';
    size_t err_len = 0;
    int argc = 1;
    struct run_params p;
    struct fz_opts o;

    if (size >= sizeof(buf))
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    argv[0] = "fuzz";
    for (size_t at = 0; at < size && argc < 33;) {
        argv[argc++] = buf + at;
        while (at < size && buf[at] != sep)
            at++;
        buf[at++] = '\0';
    }
    argv[argc] = NULL;
    cli_defaults(&p, "fuzz");
    memset(&o, 0, sizeof(o));
    /* help goes nowhere; errors are kept, to be checked */
    FILE *saved_out = stdout, *saved_err = stderr;
    stdout = fopen("/dev/null", "w");
    stderr = open_memstream(&err, &err_len);
    int rc = cli_parse(&fz_demo, argc, argv, &p, &o);
    fclose(stdout);
    fclose(stderr);
    stdout = saved_out;
    stderr = saved_err;
    if (rc != -1 && rc != 0 && rc != 2)
        abort();
    check_one_line(rc, err, err_len);
    free(err);
    if (rc == -1 && (p.threads < 1 || p.threads > 1024 || o.window < 0 ||
                     o.window > 1000 ||
                     (p.size_given && (p.size < 1 || p.size > (1 << 30)))))
        abort();
    return 0;
}
