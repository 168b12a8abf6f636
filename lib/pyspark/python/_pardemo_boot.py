"""Serves the pyspark package built into pardemo (lib/pyspark/python).

scripts/pycompile.c compiled these modules into the binary when pardemo
was built; this importer, first on sys.meta_path, hands Python their code
(and their source, for tracebacks), so pardemo needs no files of its own.
"""
import sys
import _frozen_importlib
import _pardemo


class BuiltinPackages:
    """A meta path finder and loader for pardemo's own modules."""

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        info = _pardemo.module_info(name)
        if info is None:
            return None
        origin, is_package = info
        spec = _frozen_importlib.ModuleSpec(name, cls, origin=origin,
                                            is_package=is_package)
        spec.has_location = True
        return spec

    @staticmethod
    def create_module(spec):
        return None

    @staticmethod
    def exec_module(module):
        exec(_pardemo.module_code(module.__name__), module.__dict__)

    @staticmethod
    def get_source(name):
        return _pardemo.module_source(name)


sys.meta_path.insert(0, BuiltinPackages)
