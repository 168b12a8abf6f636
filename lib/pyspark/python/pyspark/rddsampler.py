"""Samplers for sample(), randomSplit() and sampleByKey().

Each partition draws from its own generator, seeded with seed ^ partition
and stirred ten times: the same draws PySpark's Python samplers make, so
the same seed picks the same records.
"""
import math
import random
import sys

__all__ = ["RDDSampler", "RDDRangeSampler", "RDDStratifiedSampler"]


class RDDSamplerBase:
    def __init__(self, withReplacement, seed=None):
        self._seed = (seed if seed is not None
                      else random.randint(0, sys.maxsize))
        self._withReplacement = withReplacement
        self._random = None

    def initRandomGenerator(self, split):
        self._random = random.Random(self._seed ^ split)
        # seeds of neighbouring partitions are close: stir them apart
        for _ in range(10):
            self._random.randint(0, 1)

    def getUniformSample(self):
        return self._random.random()

    def getPoissonSample(self, mean):
        """How many copies of a record (Knuth's method, or sums of
        exponential gaps for a large mean)."""
        if mean < 20.0:
            limit = math.exp(-mean)
            p = self._random.random()
            k = 0
            while p > limit:
                k += 1
                p *= self._random.random()
        else:
            p = self._random.expovariate(mean)
            k = 0
            while p < 1.0:
                k += 1
                p += self._random.expovariate(mean)
        return k


class RDDSampler(RDDSamplerBase):
    """Each record kept with probability fraction (or Poisson copies)."""

    def __init__(self, withReplacement, fraction, seed=None):
        RDDSamplerBase.__init__(self, withReplacement, seed)
        self._fraction = fraction

    def func(self, split, iterator):
        self.initRandomGenerator(split)
        if self._withReplacement:
            for obj in iterator:
                for _ in range(self.getPoissonSample(self._fraction)):
                    yield obj
        else:
            for obj in iterator:
                if self.getUniformSample() < self._fraction:
                    yield obj


class RDDRangeSampler(RDDSamplerBase):
    """Records whose draw falls in [lowerBound, upperBound)."""

    def __init__(self, lowerBound, upperBound, seed=None):
        RDDSamplerBase.__init__(self, False, seed)
        self._lowerBound = lowerBound
        self._upperBound = upperBound

    def func(self, split, iterator):
        self.initRandomGenerator(split)
        for obj in iterator:
            if self._lowerBound <= self.getUniformSample() < self._upperBound:
                yield obj


class RDDStratifiedSampler(RDDSamplerBase):
    """Pairs kept with their key's fraction."""

    def __init__(self, withReplacement, fractions, seed=None):
        RDDSamplerBase.__init__(self, withReplacement, seed)
        self._fractions = fractions

    def func(self, split, iterator):
        self.initRandomGenerator(split)
        if self._withReplacement:
            for key, val in iterator:
                for _ in range(self.getPoissonSample(self._fractions[key])):
                    yield key, val
        else:
            for key, val in iterator:
                if self.getUniformSample() < self._fractions[key]:
                    yield key, val
