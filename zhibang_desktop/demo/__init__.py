"""The demo office: invented households, users and a year of relief and payouts, built through
the services (a tool for trying the program and for tests, not a use case of its own)."""
from .account import DEMO_PASSWORD

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "DemoSummary", "create_demo", "is_demo_database"]


def __getattr__(name: str):
    """The builder's names load with it, on first use: importing it imports most services."""
    if name in __all__:
        from . import office

        return getattr(office, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
