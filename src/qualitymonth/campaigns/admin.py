"""Admin for the campaign office: setting up a year's campaign, and looking things up.

Workflow steps (submit, approve, publish, check-in …) go through the back office and the API,
where services write the audit trail; the admin is for set-up and reference data.
"""

from django.contrib import admin

from qualitymonth.campaigns.models import (
    Activity,
    ActivityReport,
    Campaign,
    Domain,
    FocusArea,
    Registration,
    ReportPhoto,
    SurveyResponse,
)
from qualitymonth.core.admin import AuditedAdmin


class FocusAreaInline(admin.TabularInline):
    model = FocusArea
    extra = 0


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    list_display = ["year", "region", "theme", "starts_on", "ends_on", "lead_unit", "is_published"]
    list_filter = ["year", "region"]
    search_fields = ["theme", "theme_en", "slogan"]
    filter_horizontal = ["co_organisers"]
    prepopulated_fields = {"slug": ["year"]}
    inlines = [FocusAreaInline, DomainInline]


@admin.register(Activity)
class ActivityAdmin(AuditedAdmin):
    list_display = [
        "title",
        "organiser",
        "campaign",
        "kind",
        "activity_type",
        "starts_at",
        "status",
    ]
    list_filter = ["campaign", "status", "kind", "activity_type", "focus_area", "district"]
    search_fields = ["title", "summary", "venue"]
    autocomplete_fields = ["organiser", "co_organisers"]
    readonly_fields = [
        "status",
        "review_note",
        "published_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "starts_at"
    list_select_related = ["organiser", "campaign__region"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = [
        "display_code",
        "masked_name",
        "masked_mobile",
        "activity",
        "status",
        "checked_in_at",
    ]
    list_filter = ["status"]
    search_fields = ["ticket_code", "activity__title"]
    readonly_fields = [f.name for f in Registration._meta.fields]
    list_select_related = ["activity"]

    def has_add_permission(self, request):
        return False


class ReportPhotoInline(admin.TabularInline):
    model = ReportPhoto
    extra = 0


@admin.register(ActivityReport)
class ActivityReportAdmin(AuditedAdmin):
    list_display = [
        "activity",
        "participants",
        "enterprises_served",
        "problems_solved",
        "submitted_at",
    ]
    search_fields = ["activity__title"]
    inlines = [ReportPhotoInline]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["registration", "overall", "usefulness", "organisation", "created_at"]
