"""The 困难职工家庭档案表 of 1,000 households in one PDF (`print archive --all`, the paper copy of
the archive a county office files at year end), the whole print as the service does it: its
snapshot read, the forms laid out one household after another, the audit row. Its figure is
the peak memory, which must not grow with the count (1,660 forms took 1.26 GB before they were
streamed); there is no bare-library floor for a form of this shape."""
from __future__ import annotations

import sqlite3

from ..registry import BenchContext, Work, once, register

FORMS = 1000


def _app(bench: BenchContext):
    from ...services.archive.printing import print_archive_forms
    from ..app_session import clerk

    con = sqlite3.connect(f"file:{bench.db_path}?mode=ro", uri=True)
    try:
        ids = [i for (i,) in con.execute("select id from households where status = 'active' "
                                         "order by archive_no limit ?", (FORMS,))]
    finally:
        con.close()
    ctx = clerk(bench)
    return once(lambda: print_archive_forms(ctx, bench.scratch / "app-archive-forms.pdf", household_ids=ids,
                                            record=False))


register(Work(
    name="print.archive_forms", label=f"困难职工家庭档案表（{FORMS:,} 户，一个 PDF）", app=_app,
    target="峰值内存不随户数增长", max_rounds=3,
))
