/* fuzz_options.c - the option parser on arbitrary argument vectors: it
 * returns -1, 0 or 2 and never crashes; accepted values are in range. */
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

FUZZ_TARGET(options)
{
    char buf[512], *argv[34];
    int argc = 1;
    struct run_params p;
    struct fz_opts o;

    if (size >= sizeof(buf))
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    argv[0] = "fuzz";
    /* arguments are the input split at newlines */
    for (char *s = buf; *s && argc < 33;) {
        argv[argc++] = s;
        s += strcspn(s, "\n");
        if (*s)
            *s++ = '\0';
    }
    argv[argc] = NULL;
    cli_defaults(&p, "fuzz");
    memset(&o, 0, sizeof(o));
    /* help and errors are printed: keep them off the fuzzer's output */
    FILE *saved_out = stdout, *saved_err = stderr;
    stdout = stderr = fopen("/dev/null", "w");
    int rc = cli_parse(&fz_demo, argc, argv, &p, &o);
    fclose(stdout);
    stdout = saved_out;
    stderr = saved_err;
    if (rc != -1 && rc != 0 && rc != 2)
        abort();
    if (rc == -1 && (p.threads < 1 || p.threads > 1024 || o.window < 0 ||
                     o.window > 1000 ||
                     (p.size_given && (p.size < 1 || p.size > (1 << 30)))))
        abort();
    return 0;
}
