from .qt_workarounds import protect_bool_singletons

protect_bool_singletons()  # before any signal is emitted: see qt_workarounds.py
