"""pardemo spark's shell: `sc` and `spark` predefined, and its hints.

As PySpark's shell predefines them, `sc` (a SparkContext on local[N], N
the workers asked for) and `spark` (a SparkSession) are in __main__ for
the shell, -c and scripts alike. Errors print as Python prints them, with
pyspark's own frames left out; the lecture's `=>` typo gets a hint, and
so does a Databricks notebook's display(df).
"""
import os
import sys

from pyspark.context import SparkContext

__all__ = ["setup"]

# `lambda word => ...`, `lambda x: => ...`: the parameters, up to the arrow
_ARROW = r"lambda\s*([\w\s,]*?)\s*:?\s*=>\s*"


def _arrow_hint(e):
    """`lambda w => (w, 1)` is JavaScript's and Scala's arrow: add the
    Python to CPython's own message."""
    import re
    m = re.search(_ARROW, e.text or "")
    if not m or "=>" in str(e.msg):
        return
    params = ", ".join(p.strip() for p in m.group(1).split(",") if p.strip())
    body, depth = [], 0
    for ch in e.text[m.end():]:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth < 0:
                break
        elif ch in "\\\n" and depth == 0:
            break
        body.append(ch)
    e.msg = ("%s: '=>' is not Python (it is JavaScript's and Scala's "
             "arrow); did you mean 'lambda %s: %s'?"
             % (e.msg, params, "".join(body).strip()))


def _display_hint(e):
    """display(df) is a Databricks notebook's function, not PySpark's:
    say what PySpark has."""
    if getattr(e, "name", None) == "display" and len(e.args) == 1:
        e.args = (e.args[0] + ". display() is a Databricks notebook's "
                  "function; PySpark prints a DataFrame with df.show()",)


def _user_traceback(tb):
    """tb without pyspark's own frames (the user's code is what counts)."""
    kept = []
    while tb is not None:
        if not tb.tb_frame.f_code.co_filename.startswith("<pardemo>/"):
            kept.append(tb)
        tb = tb.tb_next
    for a, b in zip(kept, kept[1:]):
        a.tb_next = b
    if kept:
        kept[-1].tb_next = None
    return kept[0] if kept else None


def _excepthook(exc_type, exc, tb):
    if isinstance(exc, SyntaxError):
        _arrow_hint(exc)
    elif isinstance(exc, NameError):
        _display_hint(exc)
    sys.__excepthook__(exc_type, exc, _user_traceback(tb))


def setup(workers, is_explain, is_repl):
    """Puts sc and spark in __main__ (called by pardemo at start)."""
    os.environ["PYTHONHASHSEED"] = "0"      # as PySpark's workers have it
    SparkContext._default_workers = workers
    sc = SparkContext("local[%d]" % workers, "PySparkShell")
    sc._is_shell = True
    sc._explain = bool(is_explain)
    from pyspark.sql.session import SparkSession
    main = sys.modules["__main__"]
    main.sc = sc
    main.spark = SparkSession(sc)
    sys.excepthook = _excepthook
