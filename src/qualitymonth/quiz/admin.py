from django.contrib import admin

from qualitymonth.core.admin import AuditedAdmin
from qualitymonth.quiz.models import Attempt, DrawRule, Question, Quiz


@admin.register(Question)
class QuestionAdmin(AuditedAdmin):
    list_display = ["stem", "kind", "domain", "difficulty", "is_active"]
    list_filter = ["kind", "domain", "difficulty", "is_active"]
    search_fields = ["stem", "explanation", "source"]


class DrawRuleInline(admin.TabularInline):
    model = DrawRule
    extra = 0


@admin.register(Quiz)
class QuizAdmin(AuditedAdmin):
    list_display = ["title", "campaign", "opens_at", "closes_at", "identity", "is_published"]
    inlines = [DrawRuleInline]


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Read-only: attempts change through the quiz and the office's exclusion page."""

    list_display = [
        "masked_name",
        "quiz",
        "status",
        "score",
        "duration_ms",
        "excluded",
        "started_at",
    ]
    list_filter = ["quiz", "status", "excluded"]
    readonly_fields = [f.name for f in Attempt._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
