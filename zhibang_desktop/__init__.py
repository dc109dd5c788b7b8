"""职帮 zhibang_desktop — hardship relief for county-level trade unions."""

__version__ = "0.1.0"
