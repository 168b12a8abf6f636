/* pycheck.c - pardemo's output in, python3's verdict out. */
#include "pycheck.h"

#include <stdio.h>
#include <stdlib.h>

struct cmd_out py_check(const char *prefix, const char *args,
                        const char *script)
{
    char *dir = make_tmpdir(), path[512], line[4096];
    struct cmd_out c;
    FILE *f;

    snprintf(path, sizeof(path), "%s/check.py", dir ? dir : "/tmp");
    if (!dir || !(f = fopen(path, "w")))
        abort();
    fputs(script, f);
    fclose(f);
    snprintf(line, sizeof(line), "%s '%s' %s > '%s/out' && python3 '%s' < "
             "'%s/out'", prefix, pardemo_bin(), args, dir, path, dir);
    c = cmd_sh(line, 120);
    rm_tree(dir);
    free(dir);
    return c;
}

int have_command(const char *name)
{
    char line[256];
    struct cmd_out c;
    int ok;

    snprintf(line, sizeof(line), "command -v '%s' >/dev/null", name);
    c = cmd_sh(line, 10);
    ok = c.status == 0;
    cmd_free(&c);
    return ok;
}
