"""Runs Spark's own doctests in pardemo spark: doctests.py FILE...

Each FILE holds docstring examples from pyspark (rdd.py, context.py,
sql/dataframe.py...) as
Spark documents them, one section per method ("## RDD.map"); a section
runs as one doctest with a fresh copy of the globals (`sc` and `spark`
are the shell's, local[N] as Spark's doctests use local[4]) and ELLIPSIS, as
Spark's _test() runs them. Prints each failure, then a count; exits 1 if
any example failed.
"""
import doctest
import shutil
import sys
import tempfile
from tempfile import NamedTemporaryFile

from pyspark import SparkContext

# the files the examples make (NamedTemporaryFile...) go in a directory
# of this run's, removed at the end
tempfile.tempdir = tempfile.mkdtemp(prefix="pardemo-doctest-")
parser = doctest.DocTestParser()
runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
# what Spark's doctests see: the module's names, sc, a temporary dir
base = {"sc": sc, "spark": spark, "SparkContext": SparkContext,
        "NamedTemporaryFile": NamedTemporaryFile,
        "tempdir": tempfile.tempdir}
sections = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for chunk in text.split("\n## ")[1:]:
        name, _, body = chunk.partition("\n")
        test = parser.get_doctest(body, dict(base), name.strip(), path, 0)
        runner.run(test)
        sections += 1
shutil.rmtree(base["tempdir"])
failed, tried = runner.summarize(verbose=False)
print("%d examples in %d sections, %d failed" % (tried, sections, failed))
sys.exit(1 if failed else 0)
