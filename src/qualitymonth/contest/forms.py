"""Forms for entries and scores; what must hold is checked again in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qualitymonth.contest.models import Entry


class EntryForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=80)
    category = forms.ModelChoiceField(
        label=pgettext_lazy("contest", "category"), queryset=None, empty_label=None
    )
    description = forms.CharField(
        label=pgettext_lazy("contest", "description"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    author_name = forms.CharField(label=_("author's name"), max_length=60)
    team = forms.CharField(
        label=_("team members"),
        max_length=300,
        required=False,
        help_text=_("Names, separated by commas."),
    )
    video = forms.FileField(label=_("video"))
    cover = forms.FileField(label=_("cover image"))
    originality_declared = forms.BooleanField(
        label=_(
            "I declare that this work is original and mine (or my team's), that it uses no "
            "material without permission, and that the organisers may show it for the campaign."
        ),
        error_messages={"required": _("Confirm that the work is your own and original.")},
    )

    def __init__(self, *args, contest, entry: Entry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = contest.categories.all()
        limits = _(
            "MP4, MOV or WebM (H.264 plays everywhere), %(min)d–%(max)d s, up to %(mb)d MB."
        ) % {"min": contest.min_seconds, "max": contest.max_seconds, "mb": contest.max_file_mb}
        self.fields["video"].help_text = limits
        self.fields["video"].widget.attrs["accept"] = "video/mp4,video/quicktime,video/webm"
        self.fields["cover"].help_text = _("JPEG, PNG or WebP, up to 5 MB; 16:9 looks best.")
        self.fields["cover"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
        if entry is not None:
            # Editing: the files are kept unless new ones are chosen; the declaration stands.
            self.fields["video"].required = False
            self.fields["cover"].required = False
            self.fields["video"].help_text = (
                _("Leave empty to keep the current video.") + " " + limits
            )
            self.fields["cover"].help_text = _("Leave empty to keep the current cover.")
            del self.fields["originality_declared"]


class ScoreForm(forms.Form):
    comment = forms.CharField(
        label=_("comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name} ({criterion.weight}%)",
                help_text=criterion.description + f" 0–{criterion.max_score}",
                min_value=0,
                max_value=criterion.max_score,
                decimal_places=1,
                initial=assignment.scores.get(str(criterion.pk)),
            )
        self.fields["comment"].initial = assignment.comment
        self.order_fields([f"c{c.pk}" for c in self.criteria] + ["comment"])

    def scores(self) -> dict[str, float]:
        return {str(c.pk): float(self.cleaned_data[f"c{c.pk}"]) for c in self.criteria}
