"""Every write of the complaints app."""

from qualitymonth.complaints.services.hotspots import group_record_action
from qualitymonth.complaints.services.intake import (
    CaseInput,
    complaint_attach,
    complaint_submit,
)
from qualitymonth.complaints.services.retention import personal_data_purge
from qualitymonth.complaints.services.workflow import (
    STEPS,
    available_steps,
    complaint_personal_data,
    complaint_rate,
    complaint_route,
    complaint_step,
    complaint_transfer,
)

__all__ = [
    "STEPS",
    "CaseInput",
    "available_steps",
    "complaint_attach",
    "complaint_personal_data",
    "complaint_rate",
    "complaint_route",
    "complaint_step",
    "complaint_submit",
    "complaint_transfer",
    "group_record_action",
    "personal_data_purge",
]
