"""The database file's check begun at a start, before the GUI's imports (storage.file_check):
the one thing the GUI's start asks of storage before the services are loaded, so this module
imports nothing else."""
from ..storage.file_check import begin_check

__all__ = ["begin_check"]
