"""The annual exchange with the city union (issue 14): the county's year as one checked
workbook (layout in documents.exchange_layout), and in city mode the counties' workbooks
imported, checked across counties and reconciled with the city's allocations.

Exporting needs ``exchange.export`` (管理员, 负责人) and the whole office in scope; checking
and importing need ``exchange.import``.

Reading and writing the workbooks (annual_check, annual_export, annual_import) loads when first
used: it brings openpyxl, which the 报表 page does not need to show itself.
"""
from ..lazy_exports import lazy_exports
from .cross_county import AidedTwice, CountyAid, CrossCounty, HeadMemberElsewhere, cross_county
from .import_records import ImportRecord, import_records
from .permissions import EXPORT, IMPORT
from .reconciliation import Reconciliation, ReconciliationRow, reconcile_allocations
from .reported_indicators import CountyFigure, ReportedIndicator, rate_text, reported_indicators

__all__ = ["AidedTwice", "CountyAid", "CrossCounty", "HeadMemberElsewhere", "Reconciliation", "ReconciliationRow",
           "cross_county", "reconcile_allocations", "CountyFigure", "ReportedIndicator", "rate_text",
           "reported_indicators",
           "EXPORT", "IMPORT", "ExchangeExport", "ExchangeFileRefused", "ExchangeFileSummary", "ImportRecord",
           "ImportedFile", "NotACityDatabase", "check_annual_workbook", "export_annual_workbook",
           "import_annual_workbook", "import_records"]

_WHERE = {
    **dict.fromkeys(("ExchangeFileRefused", "ExchangeFileSummary", "check_annual_workbook"), ".annual_check"),
    **dict.fromkeys(("ExchangeExport", "export_annual_workbook"), ".annual_export"),
    **dict.fromkeys(("ImportedFile", "NotACityDatabase", "import_annual_workbook"), ".annual_import"),
}
__getattr__ = lazy_exports(__name__, globals(), _WHERE)
