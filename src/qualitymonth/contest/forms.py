"""Forms for entries and scores; what must hold is checked again in the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qualitymonth.campaigns.forms import DATETIME_LOCAL, DateTimeLocalInput
from qualitymonth.contest.models import AwardLevel, Contest, Entry
from qualitymonth.contest.services.setup import judge_account
from qualitymonth.core.forms import Form, ModelForm
from qualitymonth.core.models import Unit


class EntryForm(Form):
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

    TEXT_FIELDS = ("category", "title", "description", "author_name", "team")

    def text_fields(self) -> dict:
        """The entry's text as the submit and edit services take it."""
        return {name: self.cleaned_data[name] for name in self.TEXT_FIELDS}


class ScoreForm(Form):
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


# Setting a contest up (office). The contest's own fields are a model form; the lists hanging
# from it are plain formsets whose rows the service receives as dictionaries.

PHASE_FIELDS = [
    "submission_opens",
    "submission_closes",
    "review_closes",
    "judging_closes",
    "voting_opens",
    "voting_closes",
    "results_at",
]


class ContestForm(ModelForm):
    class Meta:
        model = Contest
        fields = [
            "campaign",
            "title",
            "slug",
            "theme",
            "rules",
            *PHASE_FIELDS,
            "max_file_mb",
            "min_seconds",
            "max_seconds",
            "max_height",
            "judges_per_entry",
            "vote_weight",
            "votes_per_day",
        ]
        widgets = {name: DateTimeLocalInput() for name in PHASE_FIELDS} | {
            "rules": forms.Textarea(attrs={"rows": 6})
        }
        help_texts = {
            "slug": _("Latin letters, digits and hyphens; part of the public address."),
        }

    def __init__(self, *args, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PHASE_FIELDS:
            self.fields[name].input_formats = [DATETIME_LOCAL, "%Y-%m-%d %H:%M"]
        if self.instance.pk:
            # Shared links and posters carry the address; the campaign is fixed with the entries.
            del self.fields["campaign"]
            del self.fields["slug"]
        else:
            self.fields["campaign"].queryset = campaigns
            self.fields["campaign"].empty_label = None


class RowForm(Form):
    """One row of a list; `pk` says which existing row it is (empty for a new one)."""

    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CategoryRow(RowForm):
    code = forms.SlugField(
        label=_("code"), max_length=30, help_text=_("Latin letters, digits and hyphens.")
    )
    name = forms.CharField(label=_("name"), max_length=60)
    name_en = forms.CharField(label=_("English name"), max_length=100, required=False)


class CriterionRow(RowForm):
    name = forms.CharField(label=_("name"), max_length=60)
    description = forms.CharField(
        label=_("what the judge looks at"), max_length=200, required=False
    )
    weight = forms.IntegerField(label=_("weight (%)"), min_value=1, max_value=100)
    max_score = forms.IntegerField(label=_("highest score"), min_value=1, max_value=100, initial=10)


class AwardRow(RowForm):
    category_code = forms.ChoiceField(label=pgettext_lazy("contest", "category"), required=False)
    level = forms.ChoiceField(label=_("award"), choices=[("", "—"), *AwardLevel.choices])
    count = forms.IntegerField(label=_("how many"), min_value=1, max_value=100, initial=1)

    def __init__(self, *args, categories=(), **kwargs):
        """`categories`: (code, name) pairs."""
        super().__init__(*args, **kwargs)
        self.fields["category_code"].choices = [("", _("Every category")), *categories]


class JudgeRow(RowForm):
    user = forms.CharField(
        label=_("account"), max_length=150, help_text=_("The judge's user name on the platform.")
    )
    unit = forms.ModelChoiceField(
        label=_("unit"),
        queryset=Unit.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("Their units on the platform"),
    )

    def clean_user(self):
        username = self.cleaned_data["user"].strip()
        user = judge_account(username, judge_pk=self.cleaned_data.get("pk"))
        if user is None:
            raise ValidationError(
                _("No active account has the user name “%(name)s”.") % {"name": username}
            )
        return user


def _formset(form, extra: int):
    return forms.formset_factory(form, extra=extra, can_delete=True)


CategoryFormSet = _formset(CategoryRow, 2)
CriterionFormSet = _formset(CriterionRow, 2)
AwardFormSet = _formset(AwardRow, 2)
JudgeFormSet = _formset(JudgeRow, 3)


def _current_rows(contest: Contest) -> dict[str, list[dict]]:
    """The contest's four lists as the formsets show them (empty for a new contest)."""
    if contest.pk is None:
        return {"categories": [], "criteria": [], "awards": [], "judges": []}
    return {
        "categories": [
            {"pk": c.pk, "code": c.code, "name": c.name, "name_en": c.name_en}
            for c in contest.categories.all()
        ],
        "criteria": [
            {
                "pk": c.pk,
                "name": c.name,
                "description": c.description,
                "weight": c.weight,
                "max_score": c.max_score,
            }
            for c in contest.criteria.all()
        ],
        "awards": [
            {
                "pk": r.pk,
                "category_code": r.category.code if r.category else "",
                "level": r.level,
                "count": r.count,
            }
            for r in contest.award_rules.select_related("category")
        ],
        "judges": [
            {"pk": j.pk, "user": j.user.get_username(), "unit": j.unit_id}
            for j in contest.judges.select_related("user")
        ],
    }


def setup_forms(data, *, contest: Contest, campaigns=None) -> dict:
    """The contest form and its four lists, filled from the contest when there is no POST."""
    initial = _current_rows(contest)
    categories = CategoryFormSet(data, prefix="categories", initial=initial["categories"])
    # Awards may name the categories as the office is sending them, new ones included.
    sent = kept_rows(categories) if data is not None and categories.is_valid() else None
    choices = [(row["code"], row["name"]) for row in sent or initial["categories"]]
    return {
        "form": ContestForm(data, instance=contest, campaigns=campaigns),
        "categories": categories,
        "criteria": CriterionFormSet(data, prefix="criteria", initial=initial["criteria"]),
        "awards": AwardFormSet(
            data, prefix="awards", initial=initial["awards"], form_kwargs={"categories": choices}
        ),
        "judges": JudgeFormSet(data, prefix="judges", initial=initial["judges"]),
    }


def kept_rows(formset) -> list[dict]:
    """The rows the office filled in and did not mark for deletion."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
