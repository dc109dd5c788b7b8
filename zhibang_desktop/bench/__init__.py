"""`zhibang bench`: the program's own work measured beside the bare libraries doing the same
work on the same machine, in the same run (see README, "zhibang bench").

Each measured work is a module of `bench.works` that registers itself (`registry.register`);
the runner finds them all, so adding a work touches no other file.
"""
from .registry import BenchContext, Samples, Work, each, once, register, works

__all__ = ["BenchContext", "Samples", "Work", "each", "once", "register", "works"]
