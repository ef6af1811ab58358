"""The built-in fitness checks read their thresholds from knowledge/policy/fitness-builtin.yaml
(issue 9, policy as data): editing the data changes the engine, kb-check rejects a malformed
value, and the move to data did not change a single answer (a digest recorded before the move)."""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from onconav.engine import Engine
from onconav.kbdata.loader import DEFAULT_KB_PATH, check, load_knowledge_base

from .conftest import FIXTURE_KB, advanced_luad, regimens

GOLDEN = Path(__file__).parent / "fixtures" / "fitness_builtin_golden.json"
BUILTIN = Path("policy") / "fitness-builtin.yaml"
PD1_CHEMO = "pembrolizumab+pemetrexed+platinum"
NO_DRIVER = {
    "biomarkers": [
        {"gene": "EGFR", "alteration": "wt"},
        {"gene": "ALK", "alteration": "neg"},
        {"name": "TPS", "value": 70},
    ]
}
HER2_BREAST = {
    "cancer": {"oncotree_code": "BRCA", "stage": "IV"},
    "biomarkers": [{"gene": "ERBB2", "alteration": "amplification"}],
}
RELAPSED_DLBCL = {
    "cancer": {"oncotree_code": "DLBCLNOS", "stage": "IV"},
    "prior_therapies": [{"drugs": ["docetaxel"], "outcome": "refractory"}],
}


def _copy_fixture(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, root)
    return root


def _edit(root: Path, change: Any) -> None:
    path = root / BUILTIN
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


# --- the data decides ------------------------------------------------------------------------


def test_an_edited_age_threshold_changes_the_engine(tmp_path):
    root = _copy_fixture(tmp_path)
    before = Engine(load_knowledge_base(root, strict=True)).recommend(advanced_luad(age=80, **NO_DRIVER))
    chemo = next(o for o in before.options if o.regimen == PD1_CHEMO)
    assert "fitness.high_age75" in chemo.trace

    _edit(root, lambda d: d["high"].update(demote_age=85))
    after = Engine(load_knowledge_base(root, strict=True)).recommend(advanced_luad(age=80, **NO_DRIVER))
    chemo = next(o for o in after.options if o.regimen == PD1_CHEMO)
    assert "fitness.high_age75" not in chemo.trace
    # and 86 is demoted under the edited rule, with the same trace id and message code
    older = Engine(load_knowledge_base(root, strict=True)).recommend(advanced_luad(age=86, **NO_DRIVER))
    chemo = next(o for o in older.options if o.regimen == PD1_CHEMO)
    assert "fitness.high_age75" in chemo.trace
    assert any(c["code"] == "c_age_intensive" for c in chemo.caution_codes)


def test_an_edited_lvef_threshold_and_class_list_change_the_engine(tmp_path):
    root = _copy_fixture(tmp_path)
    profile = {**HER2_BREAST, "organ_function": {"lvef_percent": 40}}

    def lvef_cautioned(kb_root: Path) -> bool:
        answer = Engine(load_knowledge_base(kb_root, strict=True)).recommend(profile)
        thp = next(o for o in answer.options if o.regimen == "trastuzumab+pertuzumab+docetaxel")
        return "fitness.lvef" in thp.trace and any("LVEF 40%" in c for c in thp.cautions)

    assert lvef_cautioned(root)
    _edit(root, lambda d: d["heart"].update(below=35))
    assert not lvef_cautioned(root)
    _edit(root, lambda d: d["heart"].update(below=50, class_tags=["taxane"]))
    assert lvef_cautioned(root)  # docetaxel is a taxane: the tag list is data too


def test_an_edited_ecog_rule_and_comorbidity_keywords_change_the_engine(tmp_path):
    root = _copy_fixture(tmp_path)
    ecog2 = {**RELAPSED_DLBCL, "ecog": 2, "age": 60}
    cart = "axicabtagene-ciloleucel"
    assert cart in regimens(Engine(load_knowledge_base(root, strict=True)).recommend(ecog2))
    _edit(root, lambda d: d["very_high"].update(exclude_ecog=2, demote_ecog=[1]))
    engine = Engine(load_knowledge_base(root, strict=True))
    assert cart not in regimens(engine.recommend(ecog2))
    ecog1 = next(o for o in engine.recommend({**ecog2, "ecog": 1}).options if o.regimen == cart)
    assert "fitness.very_high" in ecog1.trace

    lung = advanced_luad(comorbidities=["gout"])
    chemo = next(o for o in engine.recommend(lung).options if o.regimen == "pemetrexed+platinum")
    assert "fitness.comorbidity" not in chemo.trace
    assert any(u.value == "gout" for u in engine.recommend(lung).unused_inputs)
    _edit(root, lambda d: d["comorbidity"][0]["keywords"].append("gout"))
    engine = Engine(load_knowledge_base(root, strict=True))
    answer = engine.recommend(lung)
    chemo = next(o for o in answer.options if o.regimen == "pemetrexed+platinum")
    assert "fitness.comorbidity" in chemo.trace
    assert not any(u.value == "gout" for u in answer.unused_inputs)


def test_an_engine_without_the_builtin_policy_refuses_to_start(kb):
    from dataclasses import replace

    with pytest.raises(ValueError, match="fitness-builtin.yaml"):
        Engine(replace(kb, policy=replace(kb.policy, fitness_builtin=None)))


# --- kb-check rejects malformed values -------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["very_high"].update(caution_age="seventy"), "very_high.caution_age"),
        (lambda d: d["heart"].update(below=150), "heart.below"),
        (lambda d: d["performance"].update(poor_ecog=5), "performance.poor_ecog"),
        (lambda d: d["very_high"].update(demote_ecog=[3]), "demote_ecog values must be below exclude_ecog"),
        (lambda d: d["kidney"].update(id="kidney"), "kidney.id"),
        (lambda d: d["kidney"].update(sources=[]), "kidney.sources"),
        (lambda d: d["kidney"].update(drugs=["cisplatinum"]), "kidney: unknown drug cisplatinum"),
        (lambda d: d["heart"].update(class_tags=["no_such_tag"]), "class tag no_such_tag is on no drug"),
        (lambda d: d["comorbidity"][0]["keywords"].append("Heart Failure"), "must be lower-case"),
        (lambda d: d["comorbidity"][0].update(message="c_comorbidity_nope"), "unknown message"),
        (lambda d: d.pop("high"), "high: Field required"),
    ],
)
def test_kb_check_rejects_a_malformed_threshold(tmp_path, change, expected):
    root = _copy_fixture(tmp_path)
    _edit(root, change)
    problems = check(root)
    assert any("fitness-builtin.yaml" in p and expected in p for p in problems), problems


def test_kb_check_requires_the_builtin_file(tmp_path):
    root = _copy_fixture(tmp_path)
    (root / BUILTIN).unlink()
    (root / "policy" / "keep.txt").write_text("the policy directory stays")
    assert any("policy/fitness-builtin.yaml: missing" in p for p in check(root))


def test_the_fixture_copy_holds_the_real_values():
    from onconav.kbdata.policy_builtin import BuiltinFitness

    real = BuiltinFitness.model_validate(yaml.safe_load((DEFAULT_KB_PATH / BUILTIN).read_text("utf-8")))
    fixture = BuiltinFitness.model_validate(yaml.safe_load((FIXTURE_KB / BUILTIN).read_text("utf-8")))
    # the fixture leaves out class tags no fixture drug carries; everything else is the same
    assert set(fixture.heart.class_tags) <= set(real.heart.class_tags)
    # ... and the comorbidity rules whose class tags are on no fixture drug (the kb-check rule)
    fixture_tags = {t for d in load_knowledge_base(FIXTURE_KB).drugs for t in d.class_tags}
    kept = [r for r in real.comorbidity if r.intensity or set(r.class_tags) & fixture_tags]
    assert len(kept) < len(real.comorbidity)  # the live-virus rule (oncolytic_virus) is left out
    for f, r in zip(fixture.comorbidity, kept, strict=True):
        assert set(f.class_tags) <= set(r.class_tags)
        assert f.model_dump(exclude={"class_tags"}) == r.model_dump(exclude={"class_tags"})
    # the fixture keeps the no-re-challenge rules whose drugs it has, each one as in the real file
    real_nr = {r.id: r for r in real.no_rechallenge}
    assert fixture.no_rechallenge
    for f in fixture.no_rechallenge:
        assert f == real_nr[f.id]
    skip = {"heart": {"class_tags"}, "comorbidity": True, "no_rechallenge": True}
    assert fixture.model_dump(exclude=skip) == real.model_dump(exclude=skip)


# --- the move to data changed nothing --------------------------------------------------------


def golden_profiles() -> list[dict[str, Any]]:
    """Profiles at and around every built-in threshold, on the fixture knowledge base."""
    bases = [advanced_luad(**NO_DRIVER), advanced_luad(biomarkers=[{"gene": "EGFR", "alteration": "L858R"}])]
    bases += [dict(HER2_BREAST), dict(RELAPSED_DLBCL)]
    bases.append({"cancer": {"oncotree_code": "HCC", "stage": "BCLC C"}, "child_pugh": "A"})
    out = []
    for base, ecog, age, organs, cm in itertools.product(
        bases,
        [None, 1, 2, 3, 4],
        [None, 69, 70, 74, 75],
        [
            {},
            {"creatinine_clearance_ml_min": 44.9, "lvef_percent": 49.5},
            {"creatinine_clearance_ml_min": 45, "lvef_percent": 50},
        ],
        [[], ["hepatitis B", "lupus"], ["COPD", "透析"], ["gout"]],
    ):
        p = json.loads(json.dumps(base))
        p.pop("ecog", None)
        p.pop("age", None)
        if ecog is not None:
            p["ecog"] = ecog
        if age is not None:
            p["age"] = age
        if organs:
            p["organ_function"] = organs
        if cm:
            p["comorbidities"] = cm
        out.append(p)
    return out


def digest(engine: Engine) -> list[str]:
    """What the fitness checks decide, per profile (sha256 of the options' regimen, trace and
    caution codes, the excluded regimens' reason codes and the unused inputs)."""
    rows: list[str] = []
    for p in golden_profiles():
        a = json.loads(engine.recommend(p).to_json())
        row = [
            [[o["regimen"], o["trace"], o["caution_codes"]] for o in a["options"]],
            [[x["regimen"], x["reason_codes"]] for x in a["excluded"]],
            [u["value"] for u in a["unused_inputs"]],
        ]
        text = json.dumps(row, ensure_ascii=False, sort_keys=True)
        rows.append(hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])
    return rows


def test_answers_are_unchanged_by_the_move_to_data(engine):
    # recorded with the engine before the thresholds moved to data (main at 33c7b65)
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = digest(engine)
    assert len(got) == len(expected) == 1500
    for i, (g, e) in enumerate(zip(got, expected, strict=True)):
        assert g == e, (i, golden_profiles()[i])
