"""The demo databases' password, apart from the code that builds them: the sign-in dialog's hint
and the bench's probes read it without importing the services the demo is built through."""
DEMO_PASSWORD = "demo1234"  # demo databases only
