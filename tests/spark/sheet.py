"""Runs the ```pycon blocks of worksheets as doctests: sheet.py FILE...

Each FILE's blocks are one session (later blocks see the names of earlier
ones, as in a notebook), run in pardemo spark with `spark` and `sc`
predefined, in the current directory (where the worksheet's ```sh lines
made the data). Outputs are compared exactly, with ELLIPSIS; an output
written "(your prediction)" -- the student's to predict -- matches any,
and the empty line that show() and printSchema() end with need not be
written in a worksheet. Prints each failure, then a count; exits 1 if
any example failed.
"""
import doctest
import re
import sys

BLOCK = re.compile(r"^```pycon\n(.*?)^```", re.MULTILINE | re.DOTALL)


class Checker(doctest.OutputChecker):
    """Exact, but for the trailing empty lines of a printed table."""

    def check_output(self, want, got, optionflags):
        if want == "(your prediction)\n":
            return True
        return (super().check_output(want, got, optionflags) or
                super().check_output(want, got.rstrip("\n") + "\n",
                                     optionflags))


def main():
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(checker=Checker(),
                                   optionflags=doctest.ELLIPSIS)
    files = 0
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            text = "\n".join(BLOCK.findall(f.read()))
        if not text:
            continue
        globs = {"spark": spark, "sc": sc}
        runner.run(parser.get_doctest(text, globs, path, path, 0))
        files += 1
    failed, tried = runner.summarize(verbose=False)
    print("%d examples in %d files, %d failed" % (tried, files, failed))
    sys.exit(1 if failed else 0)


main()
