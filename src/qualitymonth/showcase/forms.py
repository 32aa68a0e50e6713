"""The back-office form for brand stories; checks live in the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qualitymonth.showcase import services
from qualitymonth.showcase.models import BrandStory


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
        if video and not getattr(video, "_committed", True):
            try:
                services.validate_video(video)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return video
