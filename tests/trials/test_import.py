"""Import of ClinicalTrials.gov API v2 records, the beat job and the `onconav trials` command."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from onconav.trials.management.commands.trials_load_demo import DEMO_FILE
from onconav.trials.models import Criterion, Site, Study
from onconav.trials.services import import_data
from onconav.trials.tasks import import_trials_inbox

pytestmark = pytest.mark.django_db


def demo_studies() -> list[dict]:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))["studies"]


def test_import_one_study_keeps_fields_sites_and_criteria():
    # given the CD19 CAR-T record
    record = demo_studies()[0]
    # when it is imported alone (a single object)
    res = import_data(record)
    # then the study holds the registry fields, the raw record and the record date
    assert res.created == ["NCT99900001"] and not res.errors
    s = Study.objects.get(nct_id="NCT99900001")
    assert s.status == "RECRUITING" and s.phases == ["PHASE2"]
    assert s.min_age_years == 18 and s.max_age_years == 75 and s.sex == "ALL"
    assert s.intervention_kinds == ["car_t"] and "LBL" in s.condition_codes
    assert s.raw == record and str(s.record_date) == "2026-11-20"
    # and each site keeps its own status and contact
    sites = list(s.sites.all())
    assert [x.status for x in sites] == ["RECRUITING", "RECRUITING", "NOT_YET_RECRUITING", "RECRUITING"]
    assert sites[0].contact_email == "demo@example.org" and sites[0].city == "Shanghai"
    # and nested criteria keep their parent
    child = Criterion.objects.get(study=s, text__startswith="Platelets")
    assert child.parent is not None and child.parent.text.startswith("Adequate organ function")
    assert child.structured == {
        "type": "lab",
        "analyte": "platelets",
        "op": "≥",
        "value": 75.0,
        "unit": "10^9/L",
    }
    assert Criterion.objects.filter(study=s, kind="exclusion").exists()


def test_reimport_updates_and_never_duplicates():
    # given the demo set imported as a list
    studies = demo_studies()
    assert len(import_data(studies).created) == 15
    # when one record changes status and everything is imported again as {"studies": [...]}
    changed = copy.deepcopy(studies)
    changed[0]["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"
    res = import_data({"studies": changed})
    # then nothing is duplicated and the change is saved
    assert res.created == [] and len(res.updated) == 15
    assert Study.objects.count() == 15
    assert Study.objects.get(nct_id="NCT99900001").status == "COMPLETED"
    assert Site.objects.filter(study__nct_id="NCT99900001").count() == 4


def test_a_bad_record_is_reported_and_the_others_imported():
    # given a list with one record lacking an NCT id
    studies = demo_studies()[:2]
    bad = copy.deepcopy(studies[1])
    bad["protocolSection"]["identificationModule"]["nctId"] = "12345"
    # when it is imported
    res = import_data([studies[0], bad])
    # then the good one is saved and the error names the study
    assert res.created == ["NCT99900001"]
    assert res.errors and "study 2" in res.errors[0] and "NCT id" in res.errors[0]


def test_beat_job_imports_dropped_files(tmp_path: Path, settings):
    # given a file dropped in the configured inbox and an unreadable one
    settings.TRIALS_IMPORT_DIR = tmp_path
    (tmp_path / "batch.json").write_text(json.dumps({"studies": demo_studies()[:3]}), encoding="utf-8")
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    # when the scheduled task runs (eagerly)
    out = import_trials_inbox.delay().get()
    # then the studies are imported and the files moved out of the inbox
    assert sorted(out["created"]) == ["NCT99900001", "NCT99900002", "NCT99900003"]
    assert out["errors"] and "broken.json" in out["errors"][0]
    assert (tmp_path / "done" / "batch.json").exists() and (tmp_path / "failed" / "broken.json").exists()
    assert not list(tmp_path.glob("*.json"))


def test_beat_schedule_names_the_task(settings):
    # given the settings, then the beat schedule runs the inbox import
    assert (
        settings.CELERY_BEAT_SCHEDULE["trials-import-inbox"]["task"]
        == "onconav.trials.tasks.import_trials_inbox"
    )


def test_command_import_and_match_json(tmp_path: Path, capsys):
    # given the demo file imported through the command
    call_command("trials", "import", str(DEMO_FILE))
    assert Study.objects.count() == 15
    # when a myeloma profile is matched
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "age: 60\nsex: male\necog: 1\ncancer: {oncotree_code: PCM}\n"
        "prior_therapies:\n- {regimen: VRd, line: 1, outcome: relapse}\n- {regimen: DPd, line: 2, outcome: progression}\n"
        "- {drugs: [carfilzomib, dexamethasone], line: 3, outcome: refractory}\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    call_command("trials", "match", str(profile))
    out = json.loads(capsys.readouterr().out)["trials"]
    # then the output follows the contract and trials with a not_met come last
    first = out[0]
    assert {"nct_id", "title", "phase", "status", "score", "criteria", "sites"} <= set(first)
    by_id = {t["nct_id"]: t for t in out}
    # the myeloma CAR-T trials fit (myeloma, 3 lines, triple-class exposed, no prior BCMA therapy)
    assert first["nct_id"] in {"NCT99900002", "NCT99900010"}
    assert not [c for c in by_id["NCT99900002"]["criteria"] if c["verdict"] == "not_met"]
    # and the lymphoma CAR-T trial does not: its diagnosis criterion is not_met, with a reason
    cancer = next(c for c in by_id["NCT99900001"]["criteria"] if c["text"].startswith("Histologically"))
    assert cancer["verdict"] == "not_met" and "PCM" in cancer["reason"]
    flags = [any(c["verdict"] == "not_met" for c in t["criteria"]) for t in out]
    assert flags == sorted(flags)
    # and closed trials are left out
    assert "NCT99900013" not in {t["nct_id"] for t in out}
    # and the text format lists each criterion with its verdict, in Chinese when asked
    call_command("trials", "match", str(profile), "--format", "text", "--lang", "zh-hans", "--limit", "2")
    text = capsys.readouterr().out
    assert "NCT99900002" in text and "[    met]" in text and "site:" in text


def test_command_rejects_a_missing_file_and_a_bad_profile(tmp_path: Path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("trials", "import", str(tmp_path / "nope.json"))
    bad = tmp_path / "p.json"
    bad.write_text('{"age": 50}', encoding="utf-8")
    with pytest.raises(CommandError, match="cancer"):
        call_command("trials", "match", str(bad))


def test_demo_records_are_labelled_and_load_idempotently():
    # given the demo loader run twice
    call_command("trials_load_demo")
    call_command("trials_load_demo")
    # then 15 demo studies exist, each titled [DEMO]
    assert Study.objects.filter(is_demo=True).count() == 15
    assert all(t.startswith("[DEMO]") for t in Study.objects.values_list("title", flat=True))
