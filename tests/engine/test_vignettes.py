"""Clinical vignettes (tests/engine/vignettes/*.yaml) run against the REAL knowledge base.

Each case: a profile and expectations -- ``top_any`` (regimen ids acceptable at rank 1),
``includes`` (must appear), ``excludes`` (must not appear), ``tests_for`` (biomarker ids that must
appear in some tests_recommended[].biomarkers).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.engine.conftest import assert_contract

VIGNETTE_DIR = Path(__file__).parent / "vignettes"


def load_cases() -> list[Any]:
    cases = []
    for path in sorted(VIGNETTE_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for i, case in enumerate(data):
            cid = case.get("id") if isinstance(case, dict) else None
            cases.append(pytest.param(case, id=f"{path.stem}:{cid or i}"))
    return cases


def explain(answer: Any) -> str:
    lines = [
        f"  {o.rank}. {o.regimen} (level {o.evidence_level}, {o.setting}) {o.trace[-3:]}"
        for o in answer.options
    ]
    lines += [f"  test: {t.test} {t.biomarkers}" for t in answer.tests_recommended]
    lines += [f"  excluded: {x.regimen}: {x.reasons}" for x in answer.excluded]
    lines += [f"  warning: {w}" for w in answer.warnings]
    return "\n".join(lines)


@pytest.mark.parametrize("case", load_cases())
def test_vignette(real_engine, case):
    # given a clinical vignette written from the guidelines
    profile, expect = case["profile"], case.get("expect") or {}
    # when the engine answers
    answer = real_engine.recommend(profile)
    assert_contract(answer.to_dict())
    regs = [o.regimen for o in answer.options]
    context = f"{case.get('id')}: {case.get('description', '')}\n{explain(answer)}"
    # then the expectations hold
    top_any = expect.get("top_any") or []
    if top_any:
        assert regs and regs[0] in top_any, f"rank 1 is {regs[:1]}, expected one of {top_any}\n{context}"
    for rid in expect.get("includes") or []:
        assert rid in regs, f"{rid} missing\n{context}"
    for rid in expect.get("excludes") or []:
        assert rid not in regs, f"{rid} should not be offered\n{context}"
    tested = {b for t in answer.tests_recommended for b in t.biomarkers}
    for bid in expect.get("tests_for") or []:
        assert bid in tested, f"no test recommended for {bid}\n{context}"
