"""The annual exchange with the city union (issue 14): the county's year as one checked
workbook (layout in documents.exchange_layout), and in city mode the counties' workbooks
imported, checked across counties and reconciled with the city's allocations.

Exporting needs ``exchange.export`` (管理员, 负责人) and the whole office in scope; checking
and importing need ``exchange.import``.
"""
from .annual_check import IMPORT, ExchangeFileRefused, ExchangeFileSummary, check_annual_workbook
from .annual_export import EXPORT, ExchangeExport, export_annual_workbook
from .annual_import import ImportedFile, NotACityDatabase, import_annual_workbook
from .cross_county import AidedTwice, CountyAid, CrossCounty, HeadMemberElsewhere, cross_county
from .import_records import ImportRecord, import_records
from .reconciliation import Reconciliation, ReconciliationRow, reconcile_allocations
from .reported_indicators import CountyFigure, ReportedIndicator, rate_text, reported_indicators

__all__ = ["AidedTwice", "CountyAid", "CrossCounty", "HeadMemberElsewhere", "Reconciliation", "ReconciliationRow",
           "cross_county", "reconcile_allocations", "CountyFigure", "ReportedIndicator", "rate_text",
           "reported_indicators",
           "EXPORT", "IMPORT", "ExchangeExport", "ExchangeFileRefused", "ExchangeFileSummary", "ImportRecord",
           "ImportedFile", "NotACityDatabase", "check_annual_workbook", "export_annual_workbook",
           "import_annual_workbook", "import_records"]
