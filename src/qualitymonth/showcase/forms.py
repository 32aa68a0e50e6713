"""The back-office form for brand stories; checks live in the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qualitymonth.showcase import services
from qualitymonth.showcase.models import Article, BrandStory


class StoryForm(forms.ModelForm):
    class Meta:
        model = BrandStory
        fields = ["title", "enterprise", "domain", "unit", "summary", "body", "cover", "video"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "body": _("Paragraphs, lists, bold and links are kept; anything else is removed.")
        }

    def __init__(self, *args, campaign, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = campaign.domains.all()
        self.fields["unit"].queryset = units
        self.fields["video"].widget.attrs["accept"] = "video/mp4,video/webm"
        self.fields["cover"].widget.attrs["accept"] = "image/*"

    def clean_video(self):
        video = self.cleaned_data.get("video")
        if isinstance(video, UploadedFile):  # a new upload, not the stored file
            try:
                services.validate_video(video)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return video


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["title", "category", "unit", "summary", "body", "tags", "source", "cover"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 16}),
            "summary": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"category": pgettext_lazy("article", "category")}
        help_texts = {
            "body": _(
                "Paragraphs (<p>), headings (<h2>, <h3>), lists, bold, links, images and tables "
                "are kept; scripts, styles and anything else that could run are removed."
            ),
            "source": _("Where the facts come from: the law, the standard or the authority."),
        }

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["cover"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if isinstance(cover, UploadedFile):  # a new upload, not the stored file
            try:
                services.validate_cover(cover)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return cover


class ArticleFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=40)
    status = forms.ChoiceField(required=False, choices=[("", _("All")), *Article.Status.choices])
    category = forms.ChoiceField(
        required=False, choices=[("", _("Every category")), *Article.Category.choices]
    )
