"""onconav trials import FILE.json [...] | onconav trials match PROFILE.(json|yaml) [--format json|text]
(contracts.md section 5)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from onconav.engine.profile import ProfileError, parse_profile


class Command(BaseCommand):
    help = "Import ClinicalTrials.gov API v2 JSON files, or match a profile against the imported trials."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help='import registry JSON: one study, a list, or {"studies": [...]}')
        imp.add_argument("files", nargs="+")
        imp.add_argument("--demo", action="store_true", help="mark the studies as demo records")
        m = sub.add_parser("match", help="match a profile (JSON or YAML) against the imported trials")
        m.add_argument("profile")
        m.add_argument("--format", choices=["json", "text"], default="json")
        m.add_argument("--lang", default="en")
        m.add_argument("--limit", type=int, default=None)
        m.add_argument("--all-statuses", action="store_true", help="include trials that are not recruiting")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        if opts["action"] == "import":
            return self._import(opts)
        return self._match(opts)

    def _import(self, opts):  # type: ignore[no-untyped-def]
        from onconav.trials.services import import_file

        failed = False
        for name in opts["files"]:
            if not Path(name).is_file():
                raise CommandError(f"no such file: {name}")
            res = import_file(name, is_demo=opts["demo"])
            self.stdout.write(f"{name}: {len(res.created)} created, {len(res.updated)} updated")
            for err in res.errors:
                self.stderr.write(f"  error: {err}")
                failed = True
        if failed:
            raise CommandError("some studies were not imported (see above)")

    def _match(self, opts):  # type: ignore[no-untyped-def]
        from onconav.trials.matching import match_trials
        from onconav.trials.selectors import compiled_trials

        path = Path(opts["profile"])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from None
        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
            profile = parse_profile(data)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            raise CommandError(f"cannot parse {path}: {exc}") from None
        except ProfileError as exc:
            raise CommandError(exc.message) from None
        trials = match_trials(
            profile,
            compiled_trials(),
            lang=opts["lang"],
            limit=opts["limit"],
            only_open=not opts["all_statuses"],
        )
        if opts["format"] == "json":
            self.stdout.write(json.dumps({"trials": trials}, ensure_ascii=False, indent=2))
            return
        for t in trials:
            flag = "does not fit" if t["not_met"] else f"{t['unknown']} to confirm"
            self.stdout.write(
                f"{t['nct_id']}  {t['phase'] or '-'}  {t['status']}  score {t['score']}  ({flag})\n  {t['title']}"
            )
            for c in t["criteria"]:
                self.stdout.write(
                    f"    [{c['verdict']:>7}] {'  ' * c['depth']}{c['kind'][:3]}: {c['text'][:90]}"
                )
            for s in [s for s in t["sites"] if s["open"]][:5]:
                self.stdout.write(f"    site: {s['facility']}, {s['city']}, {s['country']}")
