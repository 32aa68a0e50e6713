from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from qualitymonth.core.admin import AuditedAdmin
from qualitymonth.showcase import services
from qualitymonth.showcase.models import Article


@admin.register(Article)
class ArticleAdmin(AuditedAdmin):
    list_display = [
        "title",
        "category",
        "unit",
        "status",
        "published_at",
        "weekly_pick",
        "read_count",
    ]
    list_filter = ["status", "category", "weekly_pick"]
    search_fields = ["title", "summary", "tags"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["read_count"]
    actions = ["publish"]

    def save_model(self, request, obj, form, change):
        # The body is sanitised on every save, whoever saves it.
        services.prepare(obj)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish"))
    def publish(self, request, queryset):
        for article in queryset:
            services.article_publish(article=article, acting_user=request.user)
