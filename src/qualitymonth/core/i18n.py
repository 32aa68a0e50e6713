"""Names of reference data in the reader's language.

Reference data (regions, units, focus areas, domains, contest categories) is typed in by the
office, so gettext cannot translate it: each row carries its own English name, and this is the
one place that decides which name a reader sees.
"""

from django.utils import translation


def english_active() -> bool:
    return (translation.get_language() or "").startswith("en")


class LocalizedNameMixin:
    """For models with `name` (the official, Chinese name) and `name_en` (blank if unknown)."""

    @property
    def localized_name(self) -> str:
        if self.name_en and english_active():
            return self.name_en
        return self.name
