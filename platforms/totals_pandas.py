"""Total Value ($) per Country with pandas: one process, the whole file
in one DataFrame, a boolean filter, then groupby-sum.
usage: python3 totals_pandas.py TRADE.csv"""
import sys

import pandas as pd

df = pd.read_csv(sys.argv[1], usecols=["Country", "Measure", "Value"])
totals = df[df.Measure == "$"].groupby("Country")["Value"].sum()
sys.stdout.writelines(f"{n} {country}\n" for country, n in totals.items())
