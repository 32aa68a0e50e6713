"""Copy the front-end files named in package.json ("qualitymonth.copy") from node_modules into
the static folder. `npm ci` has fetched them and checked them against package-lock.json."""

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "qualitymonth" / "static" / "vendor"


def main() -> int:
    manifest = json.loads((ROOT / "package.json").read_text())
    TARGET.mkdir(parents=True, exist_ok=True)
    missing = []
    for source, name in manifest["qualitymonth"]["copy"].items():
        path = ROOT / "node_modules" / source
        if not path.is_file():
            missing.append(source)
            if not (TARGET / name).exists():
                # Templates link the file; an empty one keeps pages rendering without it.
                (TARGET / name).write_text(
                    f"/* {source}: not installed (npm was not available at build time) */\n"
                )
            continue
        shutil.copyfile(path, TARGET / name)
    if missing:
        print(
            "vendor_assets: not found in node_modules: "
            + ", ".join(missing)
            + "\n  Pages still work without them (no live filtering, no camera scan,"
            + " /api/docs shows only the link to /api/openapi.json).",
            file=sys.stderr,
        )
        return 0
    print(
        f"vendor_assets: {len(manifest['qualitymonth']['copy'])} files in {TARGET.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
