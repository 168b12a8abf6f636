/* test_install.c - pardemo as an installed tool: the man page renders
 * cleanly and documents every option --help lists, bash completion offers
 * topics, options and values, install/uninstall are exact, and the .deb
 * follows Debian policy: Depends from the libraries it links, the files
 * policy asks for, a hardened stripped binary, lintian clean. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "check.h"

#define REPO ".."   /* the suite runs in tests/ */
/* make run from a test must not inherit the suite's own make variables
 * (B=build/asan SAN=...), or ./pardemo would become a sanitizer build */
/* The .deb test holds a lock while it packages, so two suites of this
 * checkout never write build/deb at once (the lock lives in this
 * checkout's build/: another checkout is not held). */
#define LOCK "mkdir -p build && flock build/.test-make.lock "
#define MAKE_CMD "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u B -u SAN " \
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

/* make install copies the binary under test (INSTALL_BIN: installing
 * builds nothing, so it never rebuilds the binary the suite is running) */
Test(install, install_and_uninstall_are_exact, .timeout = 300)
{
    char *dir = make_tmpdir(), *bin = realpath(pardemo_bin(), NULL), *cmd;

    cr_assert(bin, "no binary at %s", pardemo_bin());
    cr_assert(asprintf(&cmd, "cd " REPO " && " MAKE_CMD " -s install "
             "INSTALL_BIN=%s DESTDIR=%s PREFIX=/usr/local >/dev/null && "
             "cmp %s %s/usr/local/bin/pardemo && "
             "test -f %s/usr/local/share/man/man1/pardemo.1 && "
             "test -f %s/usr/local/share/bash-completion/completions/pardemo"
             " && " MAKE_CMD " -s uninstall DESTDIR=%s PREFIX=/usr/local "
             ">/dev/null; find %s -type f | wc -l", bin, dir, bin, dir, dir,
             dir, dir, dir) > 0);
    struct cmd_out c = cmd_sh(cmd, 300);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_eq(c.out, "0\n", "files left after uninstall: %s", c.out);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
    free(bin);
    free(cmd);
}

/* make plots writes under PLOTS only; the README's chart is refreshed by
 * make readme-chart alone (both read from make's dry run). */
Test(install, plots_write_only_under_plots, .timeout = 120)
{
    /* (a dry run builds nothing: no lock to wait for) */
    struct cmd_out c = cmd_sh("cd " REPO " && " MAKE_CMD " -s -n plots "
                              "PLOTS=/nonexistent/p | grep -c docs/ ; "
                              MAKE_CMD " -s -n readme-chart "
                              "PLOTS=/nonexistent/p | grep -q "
                              "'cp .*docs/speedup-example.png' && echo ok",
                              120);

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_eq(c.out, "0\nok\n", "%s", c.out);
    cmd_free(&c);
}

/* make deb, copied into dir and unpacked into dir/root: the copy's path
 * (free it). It packages the release build this suite's run made (make
 * test's, hardened as Debian builds; under ASan, in make test-full, the
 * release build made before): packaging builds nothing then. */
static char *build_deb(const char *dir)
{
    char cmd[2048], *release = realpath(REPO "/build/release/pardemo", NULL);
    struct cmd_out c;
    char *deb;

    /* copied out under the lock: another suite may be packaging too */
    snprintf(cmd, sizeof(cmd), "cd " REPO " && " LOCK "sh -c '" MAKE_CMD
             " -s deb NO_LINTIAN=1 %s%s >/dev/null && "
             "cp build/pardemo_*.deb %s/' && deb=$(ls %s/pardemo_*.deb) && "
             "dpkg-deb -R $deb %s/root && echo $deb",
             release ? "DEB_BIN=" : "", release ? release : "", dir, dir,
             dir);
    free(release);
    c = cmd_sh(cmd, 600);
    cr_assert_eq(c.status, 0, "make deb: %s", c.err);
    deb = strndup(c.out, strcspn(c.out, "\n"));
    cmd_free(&c);
    return deb;
}

/* Depends names the package of every library the packaged binary needs
 * (dpkg -S on each NEEDED soname is the reference), Recommends gnuplot,
 * and Open MPI's runtime when the binary links libmpi. */
static void check_depends(const char *dir, const char *deb)
{
    char cmd[2048];

    snprintf(cmd, sizeof(cmd), "dep=$(dpkg-deb --field %s Depends) && "
        "rec=$(dpkg-deb --field %s Recommends) && "
        "for so in $(readelf -dW %s/root/usr/bin/pardemo | "
        "    sed -n 's/.*(NEEDED).*\\[\\(.*\\)\\]/\\1/p'); do "
        "  lib=$(ldconfig -p | awk -v s=\"$so\" '$1 == s { print $NF; "
        "      exit }'); "
        "  pkg=$({ dpkg -S \"$lib\" || dpkg -S \"$(readlink -f $lib)\"; } "
        "      2>/dev/null | head -1 | sed 's/[:,].*//'); "
        "  echo \"$dep\" | grep -Eq \"(^|, )$pkg( |,|$)\" || "
        "      echo \"$so is in $pkg, which Depends ($dep) lacks\"; "
        "  case $so in libmpi.so*) echo \"$rec\" | grep -q openmpi-bin || "
        "      echo \"links $so but Recommends ($rec) lacks openmpi-bin\";; "
        "  esac; "
        "done; echo \"$rec\" | grep -q gnuplot || "
        "echo \"Recommends ($rec) lacks gnuplot\"", deb, deb, dir);
    struct cmd_out c = cmd_sh(cmd, 60);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_empty(c.out, "%s", c.out);
    cmd_free(&c);
}

/* The files Debian asks for, where it asks for them; the binary is
 * stripped and hardened (BIND_NOW, fortified calls); md5sums verify. */
static void check_contents(const char *dir, const char *deb)
{
    char cmd[2048];
    static const char *const files[] = {
        "usr/bin/pardemo", "usr/share/man/man1/pardemo.1.gz",
        "usr/share/bash-completion/completions/pardemo",
        "usr/share/doc/pardemo/copyright",
        "usr/share/doc/pardemo/changelog.gz",
        "usr/share/doc/pardemo/worksheets/01-concurrency.md",
        "usr/share/pardemo/worksheets/quiz.txt",
        "usr/share/pardemo/bench/gnuplot/speedup.gp", "DEBIAN/md5sums",
    };

    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(cmd, sizeof(cmd), "%s/root/%s", dir, files[i]);
        cr_expect(access(cmd, F_OK) == 0, "%s has no %s", deb, files[i]);
    }
    snprintf(cmd, sizeof(cmd), "cd %s/root && "
        "dpkg-deb --field %s Package Maintainer | grep -c "
        "'^Package: pardemo$\\|^Maintainer: .* <[^@ ]*@[^@ ]*\\.[a-z]*>$' && "
        "head -1 usr/share/doc/pardemo/copyright && "
        "gzip -dc usr/share/doc/pardemo/changelog.gz | head -1 | "
        "cut -d' ' -f1 && "
        "readelf -SW usr/bin/pardemo | grep -c ' \\.symtab ' ; "
        "readelf -dW usr/bin/pardemo | grep -c 'BIND_NOW' && "
        "readelf --dyn-syms -W usr/bin/pardemo | grep -q '_chk@' && "
        "md5sum --quiet -c DEBIAN/md5sums && ls usr/share/pardemo | "
        "grep '\\.md$' ; ls usr/share/pardemo/worksheets", dir, deb);
    struct cmd_out c = cmd_sh(cmd, 60);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_eq(c.out, "2\nFormat: https://www.debian.org/doc/"
                     "packaging-manuals/copyright-format/1.0/\npardemo\n"
                     "0\n1\nquiz.txt\n", "%s", c.out);
    cmd_free(&c);
}

/* lintian finds no error and no warning (it is what Debian's archive
 * runs); make deb installs it, and under CI it must be there. */
static void check_lintian(const char *dir, const char *deb)
{
    char cmd[1024];

    /* in the test's own TMPDIR: lintian leaves a temp file there */
    snprintf(cmd, sizeof(cmd), "TMPDIR=%s lintian --fail-on error,warning "
             "%s 2>&1 | grep -v '^running with root'", dir, deb);
    struct cmd_out c = cmd_sh(cmd, 900);
    cr_assert_str_empty(c.out, "lintian %s:\n%s", deb, c.out);
    cmd_free(&c);
}

/* One .deb for the three checks. */
Test(install, deb_follows_debian_policy, .timeout = 900)
{
    char *dir, *deb;

    require_tool("lintian", "lintian");
    dir = make_tmpdir();
    deb = build_deb(dir);
    check_depends(dir, deb);
    check_contents(dir, deb);
    check_lintian(dir, deb);
    rm_tree(dir);
    free(dir);
    free(deb);
}
