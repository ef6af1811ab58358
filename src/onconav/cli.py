"""The ``onconav`` console command.

onconav manage <django management command> [...]   e.g. onconav manage migrate
onconav options PROFILE.(json|yaml) [--format json|text] [--lang en|zh-hans]
onconav kb check | load | export [--format json] | diff OLD_DIR
onconav genkey                                      a new FIELD_ENCRYPTION_KEY
onconav backup ARCHIVE | restore ARCHIVE            encrypted database + documents archive
onconav trials import FILE.json [...]               ClinicalTrials.gov API v2 JSON
onconav trials match PROFILE.(json|yaml) [--format json|text] [--lang en|zh-hans]
"""

from __future__ import annotations

import os
import sys

USAGE = __doc__ or ""


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onconav.config.settings")
    import django

    django.setup()


def manage(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onconav.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["onconav manage", *argv])
    return 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE.strip())
        return 0
    cmd, rest = args[0], args[1:]
    if cmd == "manage":
        return manage(rest)
    if cmd == "options":
        from onconav.engine.cli import options_main

        return options_main(rest)
    if cmd == "kb":
        if rest[:1] == ["check"]:
            from onconav.kbdata.loader import main as kb_check

            return kb_check(rest[1:])
        # load / export / diff need the database
        return manage(["kb", *rest])
    if cmd in {"backup", "restore"}:
        return manage([cmd, *rest])
    if cmd == "trials":
        return manage(["trials", *rest])
    if cmd == "genkey":
        from cryptography.fernet import Fernet

        print(Fernet.generate_key().decode())
        return 0
    print(f"onconav: unknown command {cmd!r}\n\n{USAGE.strip()}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
