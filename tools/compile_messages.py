"""Compile every locale/*/LC_MESSAGES/django.po to .mo with polib, so neither development nor a
fresh machine needs GNU gettext. The .mo files are committed: the server reads them at run time."""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "src" / "qualitymonth" / "locale"


def main() -> int:
    for po_path in sorted(ROOT.glob("*/LC_MESSAGES/django.po")):
        catalogue = polib.pofile(str(po_path))
        missing = [e.msgid for e in catalogue if not e.translated() and not e.obsolete]
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(
            f"{po_path.relative_to(ROOT)}: {len(catalogue.translated_entries())} translated, {len(missing)} missing"
        )
        for msgid in missing[:20]:
            print(f"  missing: {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
