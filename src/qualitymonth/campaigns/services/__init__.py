"""Every write of the campaigns app: one function per use case, one transaction, one audit row."""

from qualitymonth.campaigns.services.activities import (
    activity_approve,
    activity_cancel,
    activity_complete,
    activity_create,
    activity_publish,
    activity_return,
    activity_submit,
    activity_update,
)
from qualitymonth.campaigns.services.campaigns import campaign_create, campaign_new_for_year
from qualitymonth.campaigns.services.imports import ImportResult, activities_import
from qualitymonth.campaigns.services.registrations import (
    registration_cancel,
    registration_check_in,
    registration_create,
    report_file,
    survey_submit,
)

__all__ = [
    "ImportResult",
    "activities_import",
    "activity_approve",
    "activity_cancel",
    "activity_complete",
    "activity_create",
    "activity_publish",
    "activity_return",
    "activity_submit",
    "activity_update",
    "campaign_create",
    "campaign_new_for_year",
    "registration_cancel",
    "registration_check_in",
    "registration_create",
    "report_file",
    "survey_submit",
]
