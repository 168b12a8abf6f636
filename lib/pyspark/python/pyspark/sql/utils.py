"""pyspark.sql.utils: where older code imports AnalysisException from."""
from pyspark.errors import (AnalysisException, ParseException,
                            IllegalArgumentException)

__all__ = ["AnalysisException", "ParseException", "IllegalArgumentException"]
