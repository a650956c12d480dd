"""Keep the Swedish catalogue in step with the source strings.

    python scripts/translations.py update            extract, merge into sv, compile
    python scripts/translations.py update --add F    ...and take translations from F
    python scripts/translations.py missing           list msgids without a Swedish text
    python scripts/translations.py compile           build the .mo file only

F is a UTF-8 file of "English<TAB>Swedish" lines (backslash-n for a newline). The whole run
holds a lock on the catalogue, so people working in parallel never overwrite each other.
"""

from __future__ import annotations

import argparse
import fcntl
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "eventapp" / "translations"
CATALOGUE = TRANSLATIONS / "sv" / "LC_MESSAGES" / "messages.po"
LOCK = ROOT / "instance" / ".translations.lock"


@contextmanager
def locked():
    LOCK.parent.mkdir(exist_ok=True)
    with LOCK.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def pybabel(*args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(result.stdout + result.stderr)


def extract_and_merge() -> None:
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "messages.pot"
        # Babel skips directories starting with "_" by default; templates/_macros and
        # templates/_partials hold user-facing strings, so only hidden folders are skipped.
        pybabel(
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--ignore-dirs",
            ".* __pycache__",
            "--no-location",
            "--sort-output",
            "-o",
            str(template),
            "eventapp",
        )
        if CATALOGUE.exists():
            pybabel(
                "update",
                "-i",
                str(template),
                "-d",
                str(TRANSLATIONS),
                "-l",
                "sv",
                "--no-fuzzy-matching",
                "--ignore-obsolete",
                "--omit-header",
            )
        else:
            pybabel("init", "-i", str(template), "-d", str(TRANSLATIONS), "-l", "sv")
    clear_header_fuzzy()


def clear_header_fuzzy() -> None:
    """Unmark the header: `pybabel init` marks it fuzzy, and compile then skips the catalogue."""
    with CATALOGUE.open("rb") as handle:
        catalog = read_po(handle, locale="sv")
    if not catalog.fuzzy and catalog.project == "eventapp":
        return
    catalog.fuzzy = False
    catalog.project = "eventapp"
    catalog.version = "0.1"
    with CATALOGUE.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)


def apply_translations(path: Path) -> int:
    wanted = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        english, swedish = line.split("\t", 1)
        wanted[english.replace("\\n", "\n")] = swedish.replace("\\n", "\n")
    with CATALOGUE.open("rb") as handle:
        catalog = read_po(handle, locale="sv")
    applied = 0
    for message in catalog:
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in wanted and key:
            if isinstance(message.id, str):
                message.string = wanted[key]
            else:
                plural = wanted.get(message.id[1], wanted[key])
                message.string = (wanted[key], plural)
            applied += 1
    with CATALOGUE.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
    return applied


def missing() -> list[str]:
    with CATALOGUE.open("rb") as handle:
        catalog = read_po(handle, locale="sv")
    result = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            result.append(message.id if isinstance(message.id, str) else message.id[0])
    return result


def compile_catalogue() -> None:
    pybabel("compile", "-d", str(TRANSLATIONS))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["update", "missing", "compile"])
    parser.add_argument("--add", type=Path, help="file of English<TAB>Swedish lines")
    args = parser.parse_args()
    with locked():
        if args.command == "update":
            extract_and_merge()
            if args.add:
                print(f"applied {apply_translations(args.add)} translations")
            compile_catalogue()
            print(f"{len(missing())} strings still without Swedish")
        elif args.command == "missing":
            for msgid in missing():
                print(msgid.replace("\n", "\\n"))
        else:
            compile_catalogue()


if __name__ == "__main__":
    main()
