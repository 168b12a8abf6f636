/* test_install.c - pardemo as an installed tool: the man page renders
 * cleanly and documents every option --help lists, bash completion offers
 * topics, options and values, install/uninstall are exact, and the .deb
 * has the right metadata and files. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define REPO ".."   /* the suite runs in tests/ */
/* make run from a test must not inherit the suite's own make variables
 * (B=build/asan SAN=...), or ./pardemo would become a sanitizer build */
/* ...and two of these tests may run at once: flock keeps their builds of
 * build/release from racing each other in a fresh clone */
#define MAKE "flock /tmp/pardemo-test-make.lock " \
    "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u B -u SAN " \
    "-u CFLAGS -u WERROR -u RUN_ENV make"

Test(install, man_page_renders_without_warnings, .timeout = 60)
{
    struct cmd_out c = cmd_sh("man --warnings -l " REPO "/man/pardemo.1 "
                              "2>&1 >/dev/null", 60);

    cr_assert_eq(c.status, 0);
    cr_assert_str_empty(c.out, "man warnings: %s", c.out);
    cmd_free(&c);
}

/* Every --long option of every topic's --help is in the man page. */
Test(install, man_page_documents_every_option, .timeout = 120)
{
    char line[512];
    struct cmd_out man = cmd_sh("cat " REPO "/man/pardemo.1", 10);
    struct cmd_out list = cmd_run((const char *const[]){ "list", NULL });

    cr_assert_eq(list.status, 0);
    for (char *t = strtok(list.out, "\n"); t; t = strtok(NULL, "\n")) {
        char topic[64], sect[96];
        if (sscanf(t, " %63s", topic) != 1)
            continue;
        snprintf(sect, sizeof(sect), ".SS %s\n", topic);
        char *at = strstr(man.out, sect);
        cr_assert(at, "topic %s has no section in man/pardemo.1 "
                  "(run make man)", topic);
        char *end = strstr(at + 1, ".SS ");
        struct cmd_out h = cmd_run((const char *const[]){ topic, "--help",
                                                          NULL });
        cr_assert_eq(h.status, 0, "%s --help", topic);
        FILE *f = fmemopen(h.out, h.out_len, "r");
        while (fgets(line, sizeof(line), f)) {
            char *o = strstr(line, "--"), name[96], roff[200];
            if (strncmp(line, "  ", 2) || !o)
                continue;
            sscanf(o + 2, "%60[a-z0-9-]", name);
            snprintf(roff, sizeof(roff), "\\-\\-");
            for (char *n = name; *n; n++) {
                size_t l = strlen(roff);
                if (*n == '-')
                    snprintf(roff + l, sizeof(roff) - l, "\\-");
                else
                    snprintf(roff + l, sizeof(roff) - l, "%c", *n);
            }
            char *hit = strstr(at, roff);
            cr_assert(hit && (!end || hit < end),
                      "man page section %s lacks --%s (run make man)",
                      topic, name);
        }
        fclose(f);
        cmd_free(&h);
    }
    cmd_free(&list);
    cmd_free(&man);
}

static char *complete(const char *words, int cword)
{
    char cmd[1024];

    snprintf(cmd, sizeof(cmd), "bash -c 'source " REPO "/completion/"
             "pardemo.bash; COMP_WORDS=(%s); COMP_CWORD=%d; _pardemo; "
             "echo \"${COMPREPLY[*]}\"'", words, cword);
    struct cmd_out c = cmd_sh(cmd, 60);
    cr_assert_eq(c.status, 0, "%s", c.err);
    free(c.err);
    return c.out;
}

Test(install, bash_completion, .timeout = 60)
{
    char words[600], *got;
    const char *bin = pardemo_bin();

    snprintf(words, sizeof(words), "%s to", bin);
    got = complete(words, 1);
    cr_assert(strstr(got, "tour"), "topics: %s", got);
    free(got);
    snprintf(words, sizeof(words), "%s tour --q", bin);
    got = complete(words, 2);
    cr_assert(strstr(got, "--quiet") && strstr(got, "--quick"), "%s", got);
    free(got);
    snprintf(words, sizeof(words), "%s help t", bin);
    got = complete(words, 2);
    cr_assert(strstr(got, "tour"), "%s", got);
    free(got);
}

Test(install, install_and_uninstall_are_exact, .timeout = 300)
{
    char *dir = make_tmpdir(), cmd[1024];

    snprintf(cmd, sizeof(cmd), "cd " REPO " && " MAKE " -s install DESTDIR=%s "
             "PREFIX=/usr/local >/dev/null && test -x %s/usr/local/bin/pardemo"
             " && test -f %s/usr/local/share/man/man1/pardemo.1 && "
             "test -f %s/usr/local/share/bash-completion/completions/pardemo"
             " && " MAKE " -s uninstall DESTDIR=%s PREFIX=/usr/local >/dev/null;"
             " find %s -type f | wc -l", dir, dir, dir, dir, dir, dir);
    struct cmd_out c = cmd_sh(cmd, 300);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_eq(c.out, "0\n", "files left after uninstall: %s", c.out);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

Test(install, deb_package_metadata_and_contents, .timeout = 300)
{
    struct cmd_out c = cmd_sh("cd " REPO " && " MAKE " -s deb >/dev/null && "
        "deb=$(ls build/pardemo_*.deb | head -1) && "
        "dpkg-deb --field $deb Package Depends Recommends && "
        "dpkg-deb --contents $deb", 300);

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(strstr(c.out, "Package: pardemo"));
    cr_assert(strstr(c.out, "libgomp1"));
    cr_assert(strstr(c.out, "libpython3."), "%s", c.out);    /* spark */
    cr_assert(strstr(c.out, "Recommends: gnuplot-nox, openmpi-bin"));
    cr_assert(strstr(c.out, "./usr/bin/pardemo"));
    cr_assert(strstr(c.out, "./usr/share/man/man1/pardemo.1"));
    cr_assert(strstr(c.out, "completions/pardemo"));
    cmd_free(&c);
}
