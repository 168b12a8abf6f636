"""Word count in plain Python: one process, collections.Counter.
The baseline every other platform is compared with.
usage: python3 wordcount_python.py FILE   (prints "count word" lines)"""
import sys
from collections import Counter

counts = Counter()
with open(sys.argv[1], encoding="utf-8", errors="surrogateescape") as f:
    for line in f:
        counts.update(line.split())
sys.stdout.writelines(f"{n} {word}\n" for word, n in counts.items())
