"""The demo office: invented households, users and a year of relief and payouts, built through
the services (a tool for trying the program and for tests, not a use case of its own)."""
from .office import DEMO_PASSWORD, DEMO_USERS, DemoSummary, create_demo, is_demo_database

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "DemoSummary", "create_demo", "is_demo_database"]
