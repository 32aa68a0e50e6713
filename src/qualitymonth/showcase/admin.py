from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qualitymonth.core.admin import AuditedAdmin
from qualitymonth.core.forms import ModelForm
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.showcase import services
from qualitymonth.showcase.models import Article, BrandStory


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
        for article in queryset.filter(status=Article.Status.DRAFT):
            try:
                services.article_step(article=article, step="publish", acting_user=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{article}: {error}", messages.ERROR)


class BrandStoryForm(ModelForm):
    class Meta:
        model = BrandStory
        fields = [
            "campaign", "title", "slug", "enterprise", "domain", "summary", "body", "cover",
            "video", "unit",
        ]  # fmt: skip

    def clean_video(self):
        video = self.cleaned_data.get("video")
        if video and hasattr(video, "size") and not getattr(video, "_committed", False):
            services.validate_video(video)
        return video


@admin.register(BrandStory)
class BrandStoryAdmin(AuditedAdmin):
    form = BrandStoryForm
    list_display = [
        "title",
        "enterprise",
        "domain",
        "status",
        "published_at",
        "view_count",
        "like_count",
    ]
    list_filter = ["status", "campaign", "domain"]
    search_fields = ["title", "enterprise", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["view_count", "like_count", "status", "published_at"]
    actions = ["submit", "publish"]

    def save_model(self, request, obj, form, change):
        services.story_prepare(obj)
        super().save_model(request, obj, form, change)

    def _step(self, request, queryset, step):
        for story in queryset:
            try:
                services.story_step(story=story, step=step, acting_user=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{story}: {error}", messages.ERROR)

    @admin.action(description=_("Submit for review"))
    def submit(self, request, queryset):
        self._step(request, queryset, "submit")

    @admin.action(description=_("Publish"))
    def publish(self, request, queryset):
        self._step(request, queryset, "publish")
