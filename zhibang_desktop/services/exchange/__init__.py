"""The annual exchange with the city union (issue 14): the county's year as one checked
workbook (layout in documents.exchange_layout).

Exporting needs ``exchange.export`` (管理员, 负责人) and the whole office in scope; checking
(and importing) needs ``exchange.import``.
"""
from .annual_check import ExchangeFileRefused, ExchangeFileSummary, check_annual_workbook
from .annual_export import EXPORT, ExchangeExport, export_annual_workbook

__all__ = ["EXPORT", "ExchangeExport", "ExchangeFileRefused", "ExchangeFileSummary", "check_annual_workbook",
           "export_annual_workbook"]
