"""Starting work on an office's database: the first-run setup of a new office."""
from .setup import UnitSpec, initialise_office

__all__ = ["UnitSpec", "initialise_office"]
