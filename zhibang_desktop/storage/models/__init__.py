"""All ORM models; importing this package registers every table on Base.metadata."""
from .audit import AuditEntry, AuditHead, RowSeal
from .base import Base
from .casework import Complaint, CrossCheckEntry, CrossCheckFinding, CrossCheckList, FollowUp
from .exchange import ExchangeImport
from .funds import BudgetAdjustment, BudgetAllocation, BudgetCarryOver, BudgetDraw, BudgetLine, FundSource
from .household import Attachment, AttachmentBlob, FamilyMember, Household, Visit
from .org import CalendarDay, CalendarYear, Counter, OrgUnit, Setting, YearStandard
from .payout import (BankTemplate, BatchAttachment, Disbursement, DisbursementLine, Notice, NoticeEntry,
                     Objection, PayoutOverride, ReceiptPrint, RequestPayoutClaim)
from .policy import PolicyVersion
from .relief import Payment, ReliefRequest, RequestAttachment, Review
from .user import ReviewerScope, User

__all__ = [
    "Attachment", "AttachmentBlob", "AuditEntry", "AuditHead", "Base", "CalendarDay",
    "CalendarYear", "Counter", "FamilyMember", "Household", "OrgUnit", "ReviewerScope",
    "Setting", "User", "Visit", "YearStandard",
    "PolicyVersion", "Payment", "ReliefRequest", "RequestAttachment", "Review",
    "BankTemplate", "Disbursement", "DisbursementLine", "Notice", "NoticeEntry", "Objection",
    "PayoutOverride", "RequestPayoutClaim", "RowSeal", "ReceiptPrint", "BatchAttachment",
    "Complaint", "CrossCheckEntry", "CrossCheckFinding", "CrossCheckList", "FollowUp",
    "BudgetAdjustment", "BudgetAllocation", "BudgetCarryOver", "BudgetDraw", "BudgetLine", "FundSource",
    "ExchangeImport",
]
