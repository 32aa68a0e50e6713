from django.contrib import admin

from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import (
    AuditEvent,
    JobRun,
    Membership,
    Region,
    Unit,
    WorkdayOverride,
)


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits are state changes too: each save and delete leaves an audit row, inside the
    admin's own transaction."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            event_type=f"admin.{'change' if change else 'add'}",
            target=obj,
            fields=sorted(form.changed_data),
        )

    def delete_model(self, request, obj):
        # Log before deleting, while the object still exists.
        audit_record(actor=request.user, event_type="admin.delete", target=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_record(actor=request.user, event_type="admin.delete", target=obj)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        # Inline rows are changes too (a role granted on a unit's page is a membership added):
        # every AuditedAdmin's inlines are covered here, not one inline at a time.
        parent = {"parent_type": form.instance._meta.label_lower, "parent_id": form.instance.pk}
        # Log deletions before saving, while the rows still exist and have their ids.
        for row in formset.deleted_forms:
            if row.instance.pk is not None:
                audit_record(
                    actor=request.user, event_type="admin.delete", target=row.instance, **parent
                )
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit_record(actor=request.user, event_type="admin.add", target=obj, **parent)
        for obj, fields in formset.changed_objects:
            audit_record(
                actor=request.user,
                event_type="admin.change",
                target=obj,
                fields=sorted(fields),
                **parent,
            )


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active", "region"]
    search_fields = ["name", "short_name", "code"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "unit", "role", "created_at"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "unit__name"]
    autocomplete_fields = ["user", "unit"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is written by services and never edited by hand."""

    list_display = ["created_at", "event_type", "actor_label", "object_repr", "outcome"]
    list_filter = ["event_type", "outcome"]
    search_fields = ["event_type", "object_repr", "actor_label", "object_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """Read-only: what the scheduler ran, when, and how it ended."""

    list_display = ["slot", "job", "started_at", "finished_at", "outcome"]
    list_filter = ["job"]
    search_fields = ["job", "outcome"]
    date_hierarchy = "slot"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(AuditedAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    search_fields = ["name"]
    date_hierarchy = "date"
