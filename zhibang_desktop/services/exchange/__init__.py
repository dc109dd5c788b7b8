"""The annual exchange with the city union (issue 14): the county's year as one checked
workbook (layout in documents.exchange_layout), and in city mode the counties' workbooks
imported, checked across counties and reconciled with the city's allocations.

Exporting needs ``exchange.export`` (管理员, 负责人) and the whole office in scope; checking
and importing need ``exchange.import``.

Everything but the two permissions loads when first used: reading and writing the workbooks
brings openpyxl, which the 报表 page does not need to show itself.
"""
from ..lazy_exports import lazy_exports
from .permissions import EXPORT, IMPORT

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
    **dict.fromkeys(("AidedTwice", "CountyAid", "CrossCounty", "HeadMemberElsewhere", "cross_county"), ".cross_county"),
    **dict.fromkeys(("ImportRecord", "import_records"), ".import_records"),
    **dict.fromkeys(("Reconciliation", "ReconciliationRow", "reconcile_allocations"), ".reconciliation"),
    **dict.fromkeys(("CountyFigure", "ReportedIndicator", "rate_text", "reported_indicators"), ".reported_indicators"),
}
__getattr__ = lazy_exports(__name__, globals(), _WHERE)
