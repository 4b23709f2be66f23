"""Every table of the service. Tortoise's migrations under `migrations/` create them."""

from service.store.models.accounts import Account, AdminSession, Device, RefreshToken
from service.store.models.certificates import (
    AnnualReviewResult,
    Certificate,
    NumberSequence,
)
from service.store.models.exchange import ApiKey, ExchangeChange
from service.store.models.feedback import Feedback, FeedbackForm
from service.store.models.notifications import Delivery, NotificationChannel, OutboxMessage
from service.store.models.people import Assessment, Exam, Officer, OfficerEvent, Sanction
from service.store.models.reference import Agency, Region
from service.store.models.state import EvidenceFile, SigningKeyRecord
from service.store.models.training import (
    Attendance,
    ExternalClaim,
    HourEntry,
    HourMonth,
    HourYear,
    OfflineScan,
    Requirement,
    TrainingPlan,
    TrainingSession,
    TypedCodeFailure,
)

__all__ = [
    "Account",
    "AdminSession",
    "Agency",
    "AnnualReviewResult",
    "ApiKey",
    "Assessment",
    "Attendance",
    "Certificate",
    "Delivery",
    "Device",
    "EvidenceFile",
    "Exam",
    "ExchangeChange",
    "ExternalClaim",
    "Feedback",
    "FeedbackForm",
    "HourEntry",
    "HourMonth",
    "HourYear",
    "NotificationChannel",
    "NumberSequence",
    "Officer",
    "OfficerEvent",
    "OfflineScan",
    "OutboxMessage",
    "RefreshToken",
    "Region",
    "Requirement",
    "Sanction",
    "SigningKeyRecord",
    "TrainingPlan",
    "TrainingSession",
    "TypedCodeFailure",
]

# Model docstrings become table comments. Tortoise runs SQLite scripts split at semicolons
# and quotes, so a model docstring stays on one line with neither (a unit test checks).
