"""What the GUI's start asks of storage before the services are loaded: the database file's
check begun before the GUI's imports (storage.file_check), and whether the sign-in window can
be shown at once while the rest loads (storage.sign_in_preview). This module imports nothing
else, so asking costs the start nothing."""
from ..storage.file_check import begin_check
from ..storage.sign_in_preview import office_ready_to_sign_in

__all__ = ["begin_check", "office_ready_to_sign_in"]
