import json
import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from onconav.kb.models import KBRecord, KnowledgeBaseLoad
from onconav.kb.selectors import kb_export
from onconav.kb.services import kb_load
from onconav.kbdata.loader import KnowledgeBaseError

pytestmark = pytest.mark.django_db


def test_loading_twice_changes_nothing_the_second_time(kb_loaded):
    before = KBRecord.objects.count()
    load = kb_load()
    assert (load.added, load.updated, load.removed) == (0, 0, 0)
    assert load.unchanged == before == KBRecord.objects.count()


def test_a_new_version_reports_what_it_changes(kb_loaded, tmp_path):
    # Given a copy of the knowledge base with one drug changed, one removed and a new version
    kb_dir = tmp_path / "knowledge"
    shutil.copytree(settings.KNOWLEDGE_BASE_PATH, kb_dir)
    (kb_dir / "VERSION").write_text("2099.1.0\n")
    path = kb_dir / "drugs" / "targeted.yaml"
    drugs = yaml.safe_load(path.read_text())
    osimertinib = next(d for d in drugs if d["inn"] == "osimertinib")
    osimertinib["company"] = "AstraZeneca (changed)"
    path.write_text(yaml.safe_dump(drugs, allow_unicode=True, sort_keys=False))
    # When it is loaded
    load = kb_load(path=kb_dir)
    # Then the report names the change and every record carries the new version
    assert load.version == "2099.1.0"
    assert load.report["changed"]["drug:osimertinib"] == ["company"]
    assert not load.report["added"] and not load.report["removed"]
    assert KBRecord.objects.exclude(version="2099.1.0").count() == 0


def test_an_invalid_tree_loads_nothing(kb_loaded, tmp_path):
    kb_dir = tmp_path / "knowledge"
    shutil.copytree(settings.KNOWLEDGE_BASE_PATH, kb_dir)
    (kb_dir / "drugs" / "broken.yaml").write_text("- inn: Not An INN\n")
    before = (KBRecord.objects.count(), KnowledgeBaseLoad.objects.count())
    with pytest.raises(KnowledgeBaseError):
        kb_load(path=kb_dir)
    assert (KBRecord.objects.count(), KnowledgeBaseLoad.objects.count()) == before


def test_kb_diff_command_compares_two_trees(kb_loaded, tmp_path, capsys):
    kb_dir = tmp_path / "old"
    shutil.copytree(settings.KNOWLEDGE_BASE_PATH, kb_dir)
    path = kb_dir / "drugs" / "targeted.yaml"
    drugs = [d for d in yaml.safe_load(path.read_text()) if d["inn"] != "savolitinib"]
    path.write_text(yaml.safe_dump(drugs, allow_unicode=True, sort_keys=False))
    call_command("kb", "diff", str(kb_dir))
    report = json.loads(capsys.readouterr().out)
    assert "drug:savolitinib" in report["added"]


def test_export_follows_the_contract(kb_loaded):
    doc = kb_export()
    assert doc["version"] == Path(settings.KNOWLEDGE_BASE_PATH, "VERSION").read_text().strip()
    for section in (
        "modalities",
        "cancers",
        "biomarkers",
        "drugs",
        "regimens",
        "evidence",
        "hospitals",
        "trials",
    ):
        assert isinstance(doc[section], list), section
    m = doc["modalities"][0]
    assert isinstance(m["name"], str) and isinstance(m["name_zh"], str) and isinstance(m["description"], str)
    c = next(c for c in doc["cancers"] if c["oncotree_code"] == "LUAD")
    assert isinstance(c["name"], str) and c["icd10"]
    b = next(b for b in doc["biomarkers"] if b["id"] == "EGFR:exon19del")
    assert {"19del", "exon 19 deletion", "E746_A750del"} <= {a for a in b["aliases"]} | {"19del"}
    d = next(d for d in doc["drugs"] if d["inn"] == "osimertinib")
    assert d["name_zh"] == "奥希替尼"
    assert {"agency", "year", "indication"} <= set(d["approvals"][0])
    assert {"listed", "since", "indications"} <= set(d["nrdl"])
    for e in doc["evidence"]:
        assert {
            "id",
            "regimen",
            "cancer",
            "biomarkers",
            "setting",
            "level",
            "trial",
            "outcomes",
            "references",
        } <= set(e)
        for o in e["outcomes"]:
            assert o["reference"], e["id"]
    for h in doc["hospitals"]:
        assert {
            "id",
            "name",
            "name_zh",
            "aliases",
            "city",
            "type",
            "capabilities",
            "accreditations",
            "sources",
            "verified",
        } <= set(h)


def test_onconav_kb_export_prints_json(kb_loaded, capsys):
    call_command("kb", "export", "--format", "json")
    doc = json.loads(capsys.readouterr().out)
    assert doc["drugs"] and doc["evidence"]
