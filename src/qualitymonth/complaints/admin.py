import secrets

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qualitymonth.complaints.models import (
    Complaint,
    Open311Key,
    ProblemGroup,
    ResponseTemplate,
    RouterModel,
)
from qualitymonth.complaints.routing import pipeline, router
from qualitymonth.core.admin import AuditedAdmin
from qualitymonth.core.audit import audit_record
from qualitymonth.core.forms import ModelForm


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """Read-only and masked: cases change through the back office's workflow, where every step
    is audited and the complainant told."""

    list_display = ["tracking_number", "kind", "status", "unit", "nature", "received_at", "due_on"]
    list_filter = ["kind", "status", "nature", "channel"]
    search_fields = ["tracking_number", "respondent_name"]
    exclude = ["complainant_name", "complainant_mobile", "complainant_address", "complainant_email"]
    readonly_fields = ["masked_name", "masked_mobile"]

    def get_readonly_fields(self, request, obj=None):
        names = [f.name for f in Complaint._meta.fields if f.name not in self.exclude]
        return [*self.readonly_fields, *names]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProblemGroup)
class ProblemGroupAdmin(AuditedAdmin):
    list_display = ["title", "case_count", "nature", "category", "action", "last_at"]
    list_filter = ["action", "nature", "category"]
    search_fields = ["title", "public_title", "respondent_name"]
    readonly_fields = ["key", "case_count", "first_at", "last_at"]


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(AuditedAdmin):
    list_display = ["title", "step", "unit", "is_active"]
    list_filter = ["step", "is_active", "unit"]
    search_fields = ["title", "body"]


class Open311KeyForm(ModelForm):
    class Meta:
        model = Open311Key
        fields = ["name", "is_active"]


@admin.register(Open311Key)
class Open311KeyAdmin(AuditedAdmin):
    """A new key is shown once, when it is issued; only its hash is kept."""

    form = Open311KeyForm
    list_display = ["name", "key_prefix", "is_active", "created_at", "last_used_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            key = secrets.token_urlsafe(24)
            obj.set_key(key)
            messages.warning(
                request,
                _("The new API key is %(key)s. Copy it now: it will not be shown again.")
                % {"key": key},
            )
        super().save_model(request, obj, form, change)


@admin.register(RouterModel)
class RouterModelAdmin(AuditedAdmin):
    list_display = ["name", "target", "is_active", "created_at", "path"]
    list_filter = ["target", "is_active"]
    readonly_fields = ["metrics", "created_at"]
    actions = ["activate"]

    @admin.action(description=_("Route new cases with this model"))
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one model."), messages.ERROR)
            return
        chosen = queryset.get()
        try:
            pipeline.load(chosen.path)
        except Exception as error:
            self.message_user(
                request, _("The model file cannot be loaded: %(e)s") % {"e": error}, messages.ERROR
            )
            return
        with transaction.atomic():
            RouterModel.objects.filter(target=chosen.target, is_active=True).update(is_active=False)
            RouterModel.objects.filter(pk=chosen.pk).update(is_active=True)
            audit_record(actor=request.user, event_type="routing.model_activated", target=chosen)
        router.reset()
        self.message_user(request, _("New cases are now routed with %(m)s.") % {"m": chosen})
