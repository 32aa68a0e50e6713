from django import forms
from django.utils.translation import gettext_lazy as _

from qualitymonth.campaigns.forms import DateTimeLocalInput
from qualitymonth.core.forms import Form, ModelForm
from qualitymonth.core.validators import validate_xlsx_upload
from qualitymonth.quiz.models import (
    CERTIFICATE_NAME_MAX_LENGTH,
    DrawRule,
    Question,
    QuestionDomain,
    Quiz,
)
from qualitymonth.quiz.services.bank import OPTION_LETTERS
from qualitymonth.quiz.services.certificates import certificate_name_clean


class QuestionForm(ModelForm):
    options_text = forms.CharField(
        label=_("Options"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One option per line, in order A, B, C…; for true-or-false leave empty (正确 / 错误)."
        ),
        required=False,
    )
    answer_letters = forms.CharField(
        label=_("Correct options"), max_length=8, help_text=_("Letters, e.g. B or ACD.")
    )

    class Meta:
        model = Question
        fields = ["kind", "domain", "difficulty", "stem", "explanation", "source", "is_active"]
        widgets = {
            "stem": forms.Textarea(attrs={"rows": 3}),
            "explanation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["options_text"].initial = "\n".join(self.instance.options)
            self.fields["answer_letters"].initial = "".join(
                OPTION_LETTERS[i] for i in self.instance.answer
            )

    def clean(self):
        data = super().clean()
        options = [
            line.strip() for line in data.get("options_text", "").splitlines() if line.strip()
        ]
        if data.get("kind") == Question.Kind.TRUE_FALSE and not options:
            options = ["正确", "错误"]
        if len(options) < 2:
            self.add_error("options_text", _("Give at least two options."))
        if len(options) > len(OPTION_LETTERS):
            self.add_error("options_text", _("At most eight options."))
        letters = "".join(
            ch
            for ch in data.get("answer_letters", "").upper()
            if not ch.isspace() and ch not in ",，、"
        )
        if not letters or any(ch not in OPTION_LETTERS[: len(options)] for ch in letters):
            self.add_error(
                "answer_letters", _("Use the letters of existing options, e.g. B or ACD.")
            )
        data["options"] = options
        data["answer"] = sorted(
            {OPTION_LETTERS.index(ch) for ch in letters if ch in OPTION_LETTERS}
        )
        return data

    def _post_clean(self):
        # The service validates the whole question (Question.clean); its errors about options
        # and answers are shown above the form, since those fields are edited here as text.
        pass

    def service_data(self) -> dict:
        names = [*self.Meta.fields, "options", "answer"]
        return {name: self.cleaned_data[name] for name in names}


class QuizForm(ModelForm):
    class Meta:
        model = Quiz
        fields = [
            "title",
            "description",
            "opens_at",
            "closes_at",
            "time_limit_seconds",
            "attempts_per_day",
            "identity",
            "points_per_question",
            "partial_credit",
            "pass_percent",
            "is_published",
        ]
        widgets = {
            "opens_at": DateTimeLocalInput(),
            "closes_at": DateTimeLocalInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The quiz must close after it opens."))
        return data


class QuizCreateForm(QuizForm):
    """A new quiz also chooses its campaign and its address, which stay fixed afterwards."""

    class Meta(QuizForm.Meta):
        fields = ["campaign", "slug", *QuizForm.Meta.fields]
        help_texts = {"slug": _("Latin letters, digits and hyphens; part of the public address.")}

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].empty_label = None


class DrawRuleForm(ModelForm):
    class Meta:
        model = DrawRule
        fields = ["domain", "difficulty", "count"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [("", _("Any domain")), *QuestionDomain.choices]
        self.fields["difficulty"].widget = forms.Select(
            choices=[("", _("Any difficulty")), (1, "1"), (2, "2"), (3, "3")]
        )


DrawRuleFormSet = forms.modelformset_factory(DrawRule, form=DrawRuleForm, extra=2, can_delete=True)


class CertificateNameForm(Form):
    name = forms.CharField(
        label=_("Name on the certificate"),
        max_length=CERTIFICATE_NAME_MAX_LENGTH,
        help_text=_("As it should be printed. It cannot be changed afterwards."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def clean_name(self) -> str:
        return certificate_name_clean(self.cleaned_data["name"])


class ExcludeForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class BankImportForm(Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_xlsx_upload(upload, max_mb=10)
        return upload
