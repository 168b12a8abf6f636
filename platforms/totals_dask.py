"""Total Value ($) per Country with dask.dataframe: read_csv cuts the file
into pandas partitions; the filter and groupby-sum run on each, and the
partial sums are combined. Nothing runs until compute().
usage: python3 totals_dask.py TRADE.csv WORKERS processes|threads"""
import os
import sys

import dask
import dask.dataframe as dd

if __name__ == "__main__":   # the processes scheduler spawns
    # workers that import this file: they must not run the job
    path, workers, scheduler = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    part_bytes = max(os.path.getsize(path) // workers + 1, 1 << 16)
    df = dd.read_csv(path, blocksize=part_bytes,
                     usecols=["Country", "Measure", "Value"])
    totals = df[df.Measure == "$"].groupby("Country").Value.sum()
    with dask.config.set(scheduler=scheduler, num_workers=workers):
        result = totals.compute()
    sys.stdout.writelines(f"{n} {country}\n" for country, n in result.items())
