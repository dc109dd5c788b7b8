"""The dashboard (工作概览) and the 报表 page."""
