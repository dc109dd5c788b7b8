"""The measured works: each module here registers its works when imported (see ../registry.py)."""
