"""Word count with dask.bag: read_text cuts the file into partitions,
str.split and flatten make the words, frequencies() counts each
partition and merges the counts. Nothing runs until compute().
usage: python3 wordcount_dask.py FILE WORKERS processes|threads"""
import os
import sys

import dask
import dask.bag as db

if __name__ == "__main__":   # the processes scheduler spawns
    # workers that import this file: they must not run the job
    path, workers, scheduler = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    part_bytes = max(os.path.getsize(path) // workers + 1, 1 << 16)
    lines = db.read_text(path, blocksize=part_bytes, encoding="utf-8",
                         errors="surrogateescape")
    counts = lines.str.split().flatten().frequencies()
    with dask.config.set(scheduler=scheduler, num_workers=workers):
        result = counts.compute()
    sys.stdout.writelines(f"{n} {word}\n" for word, n in result)
