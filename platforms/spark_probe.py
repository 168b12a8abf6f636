# Is pardemo spark the real CPython? (the platforms topic asks before it
# runs the PySpark programs; the home-made interpreter has no
# sys.implementation). usage: pardemo spark spark_probe.py -
import sys

print(sys.implementation.name)
