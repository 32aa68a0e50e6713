"""The back-office forms for brand stories and science articles; the checks of new files and
of rights live in the services, whichever way the input comes."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qualitymonth.core.forms import Form, ModelForm
from qualitymonth.showcase.models import Article, BrandStory


class StoryForm(ModelForm):
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


class ArticleForm(ModelForm):
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


class ArticleFilterForm(Form):
    q = forms.CharField(required=False, max_length=40)
    status = forms.ChoiceField(required=False, choices=[("", _("All")), *Article.Status.choices])
    category = forms.ChoiceField(
        required=False, choices=[("", _("Every category")), *Article.Category.choices]
    )
