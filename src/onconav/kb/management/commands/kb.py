"""onconav kb load | export [--format json] | diff OLD_DIR [NEW_DIR] | check"""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from onconav.kbdata.loader import KnowledgeBaseError, check, load_knowledge_base


class Command(BaseCommand):
    help = "Knowledge base: check, load (idempotent), export as JSON, diff two versions."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("action", choices=["check", "load", "export", "diff"])
        parser.add_argument("paths", nargs="*")
        parser.add_argument("--format", default="json", choices=["json"])

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        action = opts["action"]
        if action == "check":
            problems = check(Path(opts["paths"][0]) if opts["paths"] else settings.KNOWLEDGE_BASE_PATH)
            for p in problems:
                self.stdout.write(p)
            if problems:
                raise CommandError(f"{len(problems)} problem(s)")
            self.stdout.write("kb-check: OK")
        elif action == "load":
            from onconav.kb.services import kb_load

            try:
                load = kb_load(path=Path(opts["paths"][0]) if opts["paths"] else None)
            except KnowledgeBaseError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"knowledge base {load.version}: {load.added} added, {load.updated} updated, "
                f"{load.removed} removed, {load.unchanged} unchanged"
            )
        elif action == "export":
            from onconav.kb.selectors import kb_export

            doc = kb_export()
            if doc["version"] is None:
                raise CommandError("the knowledge base is not loaded: run `onconav kb load` first")
            sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        elif action == "diff":
            from onconav.kb.services import kb_change_report, kb_records

            if not opts["paths"]:
                raise CommandError("usage: onconav kb diff OLD_DIR [NEW_DIR]")
            old_dir = Path(opts["paths"][0])
            new_dir = Path(opts["paths"][1]) if len(opts["paths"]) > 1 else settings.KNOWLEDGE_BASE_PATH
            old_kb = load_knowledge_base(old_dir, strict=False)
            new_kb = load_knowledge_base(new_dir, strict=False)
            report = kb_change_report(kb_records(old_kb), kb_records(new_kb))
            report = {"from": old_kb.version, "to": new_kb.version, **report}
            sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
