/* fuzz_size.c - the size-suffix parser never crashes, and what it accepts
 * formats back to the same number. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz.h"

FUZZ_TARGET(size)
{
    char s[64], buf[32];
    const char *why;
    long long v, back;

    if (size >= sizeof(s))
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    if (cli_parse_size(s, &v, &why) == 0) {
        if (v < 0)
            abort();
        cli_fmt_size(v, buf, sizeof(buf));
        if (cli_parse_size(buf, &back, &why) != 0 || back != v)
            abort();
    }
    return 0;
}
