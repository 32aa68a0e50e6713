"""Setting a contest up: dates, limits, categories, rubric, awards, judges. Entries are moderated
in the back office (/office/contest/), where the checks and the audit trail live."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from qualitymonth.contest.models import AwardRule, Category, Contest, Criterion, Entry, Judge, Vote
from qualitymonth.contest.services.setup import check_rubric
from qualitymonth.core.admin import AuditedAdmin


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


class CriterionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        rows = [
            {"weight": f.cleaned_data.get("weight") or 0}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if rows:
            check_rubric(rows)


class CriterionInline(admin.TabularInline):
    model = Criterion
    formset = CriterionFormSet
    extra = 0


class AwardRuleInline(admin.TabularInline):
    model = AwardRule
    extra = 0


class JudgeInline(admin.TabularInline):
    model = Judge
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Contest)
class ContestAdmin(AuditedAdmin):
    list_display = ["title", "campaign", "submission_opens", "voting_closes", "results_at"]
    search_fields = ["title", "theme"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["results_confirmed_at"]
    inlines = [CategoryInline, CriterionInline, AwardRuleInline, JudgeInline]
    fieldsets = [
        (None, {"fields": ["campaign", "title", "slug", "theme", "rules"]}),
        (
            _("Phases"),
            {
                "fields": [
                    ("submission_opens", "submission_closes"),
                    "review_closes",
                    "judging_closes",
                    ("voting_opens", "voting_closes"),
                    "results_at",
                    "results_confirmed_at",
                ]
            },
        ),
        (_("Files"), {"fields": [("max_file_mb", "min_seconds", "max_seconds", "max_height")]}),
        (_("Judging and votes"), {"fields": ["judges_per_entry", "vote_weight", "votes_per_day"]}),
    ]


@admin.register(Entry)
class EntryAdmin(AuditedAdmin):
    list_display = ["title", "contest", "category", "author_name", "status", "vote_count", "award"]
    list_filter = ["contest", "status", "category"]
    search_fields = ["title", "author_name"]
    readonly_fields = [
        "contest",
        "author",
        "video",
        "cover",
        "video_format",
        "codec",
        "duration_seconds",
        "width",
        "height",
        "status",
        "moderation_note",
        "vote_count",
        "judge_score",
        "final_score",
        "rank",
        "award",
        "approved_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["entry", "day", "ip_hash", "flagged", "voided_at", "created_at"]
    list_filter = ["flagged", "day"]
    readonly_fields = [f.name for f in Vote._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
