"""Writes: importing registry records (idempotent: a re-import updates, never duplicates)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from onconav.trials.criteria import parse_criteria
from onconav.trials.criteria.cancers import cancer_codes_in
from onconav.trials.models import Criterion, Site, Study
from onconav.trials.registry import RegistryError, read_study, studies_in

log = logging.getLogger(__name__)


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@transaction.atomic
def import_study(record: dict[str, Any], *, is_demo: bool = False) -> tuple[Study, bool]:
    """Create or update one study with its sites and parsed criteria. Returns (study, created)."""
    f = read_study(record)
    codes: list[str] = []
    for cond in f["conditions"]:
        codes += [c for c in cancer_codes_in(cond) if c not in codes]
    study, created = Study.objects.update_or_create(
        nct_id=f["nct_id"],
        defaults={
            **{
                k: f[k]
                for k in (
                    "title",
                    "official_title",
                    "brief_summary",
                    "status",
                    "phases",
                    "conditions",
                    "interventions",
                    "intervention_kinds",
                    "sponsor",
                    "min_age_years",
                    "max_age_years",
                    "sex",
                    "healthy_volunteers",
                    "criteria_text",
                    "record_date",
                )
            },
            "condition_codes": codes,
            "is_demo": is_demo,
            "raw": record,
        },
    )
    study.sites.all().delete()
    Site.objects.bulk_create([Site(study=study, **s) for s in f["sites"]])
    study.criteria.all().delete()
    rows = parse_criteria(f["criteria_text"])
    saved: dict[int, Criterion] = {}
    for r in rows:  # parents come before their children
        saved[r["index"]] = Criterion.objects.create(
            study=study,
            index=r["index"],
            kind=r["kind"],
            text=r["text"],
            depth=r["depth"],
            structured=r["check"],
            any_of=r["any_of"],
            parent=saved.get(r["parent"]) if r["parent"] is not None else None,
        )
    return study, created


def import_data(data: Any, *, is_demo: bool = False) -> ImportResult:
    """Import one study, a list or ``{"studies": [...]}``; each study is saved whole or not at all."""
    result = ImportResult()
    try:
        records = studies_in(data)
    except RegistryError as exc:
        result.errors.append(str(exc))
        return result
    for i, rec in enumerate(records):
        try:
            study, created = import_study(rec, is_demo=is_demo)
        except RegistryError as exc:
            result.errors.append(f"study {i + 1}: {exc}")
            continue
        (result.created if created else result.updated).append(study.nct_id)
    return result


def import_file(path: Path | str, *, is_demo: bool = False) -> ImportResult:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return ImportResult(errors=[f"{path.name}: cannot read JSON: {exc}"])
    result = import_data(data, is_demo=is_demo)
    result.errors = [f"{path.name}: {e}" for e in result.errors]
    return result


def import_inbox(folder: Path | str) -> ImportResult:
    """Import every *.json in ``folder``; imported files move to ``done/``, unreadable ones to ``failed/``."""
    folder = Path(folder)
    total = ImportResult()
    if not folder.is_dir():
        return total
    for path in sorted(folder.glob("*.json")):
        res = import_file(path)
        total.created += res.created
        total.updated += res.updated
        total.errors += res.errors
        target = folder / ("failed" if res.errors and not (res.created or res.updated) else "done")
        target.mkdir(exist_ok=True)
        path.replace(target / path.name)
        log.info(
            "trials inbox: %s -> %s (%d new, %d updated)",
            path.name,
            target.name,
            len(res.created),
            len(res.updated),
        )
    return total
