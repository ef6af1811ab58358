"""Language at the edge: the pipeline emits message codes with parameters, the answer renders them
into one language and exposes the codes next to the text (docs/engine.md, "Message codes")."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import yaml

from onconav.engine.messages import MESSAGES
from onconav.engine.msg import Join, Txt, code, from_code, msg, render

VIGNETTE_DIR = Path(__file__).parent / "vignettes"


def placeholders(s: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(s) if f}


def vignette_profiles() -> list[dict[str, Any]]:
    out = []
    for path in sorted(VIGNETTE_DIR.glob("*.yaml")):
        out += [case["profile"] for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []]
    return out


def coded_pairs(answer: Any) -> list[tuple[str, list[str], list[Any]]]:
    """(where, rendered lines, their codes) for every coded list of the answer."""
    out = [
        ("warnings", answer.warnings, answer.warning_codes),
        ("profile_summary", [answer.profile_summary], [answer.profile_summary_code]),
    ]
    for o in answer.options:
        out.append((f"{o.regimen}.setting", [o.setting], [o.setting_code]))
        out.append((f"{o.regimen}.cautions", o.cautions, o.caution_codes))
        out.append((f"{o.regimen}.rationale", o.rationale, o.rationale_codes))
        out.append(
            (f"{o.regimen}.rank_reasons", [r.text for r in o.rank_reasons], [r.code for r in o.rank_reasons])
        )
    for x in answer.excluded:
        out.append((f"{x.regimen}.excluded", x.reasons, x.reason_codes))
    for tr in answer.tests_recommended:
        out.append((f"test {tr.test}", [tr.test, tr.reason], [tr.test_code, tr.reason_code]))
    for o in answer.options:
        if o.condition is not None:
            cond = o.condition
            out.append(
                (f"{o.regimen}.condition", [cond.text, *cond.tests], [cond.text_code, *cond.test_codes])
            )
    return out


def all_codes(answer: Any) -> list[dict[str, Any]]:
    return [c for _, _, codes in coded_pairs(answer) for c in codes]


def _nested(v: Any):
    if isinstance(v, dict) and "join" in v:  # a list joined with another separator message
        v = v["items"]
    for item in v if isinstance(v, list) else [v]:
        if isinstance(item, dict) and "code" in item:
            yield from walk(item)
        elif isinstance(item, (list, dict)) and not (isinstance(item, dict) and "en" in item):
            yield from _nested(item)  # a joined list inside a joined list


def walk(c: dict[str, Any]):
    yield c
    for v in c["params"].values():
        yield from _nested(v)


def test_a_message_renders_in_each_language_and_round_trips_as_code():
    # given a message with a nested message, a bilingual text and a joined list
    m = msg("c_failed_drug", drugs=Join((Txt("osimertinib", "奥希替尼"), Txt("gefitinib", "吉非替尼"))))
    # then it renders per language, and its code renders the same after a JSON round trip
    assert "osimertinib, gefitinib" in render(m, "en")
    assert "奥希替尼、吉非替尼" in render(m, "zh-hans")
    assert render(from_code(code(m)), "zh-hans") == render(m, "zh-hans")


def test_both_languages_give_the_same_codes_and_the_codes_render_the_text(real_engine):
    for profile in vignette_profiles():
        # given a vignette profile, answered in English and in Chinese
        en = real_engine.recommend(profile, lang="en")
        zh = real_engine.recommend(profile, lang="zh-hans")
        # then the codes are the same in both languages
        assert all_codes(en) == all_codes(zh)
        for answer, lang in ((en, "en"), (zh, "zh-hans")):
            for where, lines, codes in coded_pairs(answer):
                # and each code list runs parallel to its text and renders it exactly
                assert len(lines) == len(codes), where
                for line, c in zip(lines, codes, strict=True):
                    assert render(from_code(c), lang) == line, where
            for o in answer.options:
                # the co-occurrence note of a condition is its note codes, joined with a space
                if o.condition is not None and o.condition.note is not None:
                    note = " ".join(render(from_code(c), lang) for c in o.condition.note_codes)
                    assert note == o.condition.note, o.regimen


def test_every_code_in_answers_is_a_message_with_its_placeholders_given(real_engine):
    # given the codes of every vignette answer
    seen = set()
    for profile in vignette_profiles():
        for c in all_codes(real_engine.recommend(profile, lang="en")):
            for m in walk(c):
                # then each code is in the message table, in both languages with the same
                # placeholders, and the parameters cover them
                entry = MESSAGES[m["code"]]
                assert placeholders(entry["en"]) == placeholders(entry["zh-hans"])
                assert placeholders(entry["en"]) <= set(m["params"]), m
                seen.add(m["code"])
    assert {
        "kb_text",
        "r_level",
        "rr_level",
        "t_biomarker",
        "cond_if",
        "cond_present",
        "t_reason_unlocks",
        "ps_summary",
        "ps_age",
        "ps_biomarkers",
        "setting_with_stage",
    } <= seen


def test_tests_and_conditions_carry_their_codes(engine):
    # given an advanced lung adenocarcinoma with no biomarker results and an unknown stage
    answer = engine.recommend({"cancer": {"oncotree_code": "LUAD"}}, lang="zh-hans")
    # then every test recommended has its name and reason as codes that render them in either language
    assert answer.tests_recommended
    for tr in answer.tests_recommended:
        assert render(from_code(tr.test_code), "zh-hans") == tr.test
        assert render(from_code(tr.reason_code), "en")  # the same code gives the English text
    staging = next(tr for tr in answer.tests_recommended if tr.test_code["code"] == "t_staging")
    assert staging.reason_code == {"code": "t_staging_reason", "params": {}}
    # and a conditional option's condition is coded: "If <marker> is positive", the marker bilingual
    conditional = [o for o in answer.options if o.condition is not None]
    assert conditional
    cond = conditional[0].condition
    assert cond.text_code["code"] == "cond_if"
    what = cond.text_code["params"]["what"]
    # the parts are joined with the message cond_and (" and " / "且"), named in the code
    assert what["join"] == "cond_and"
    part = what["items"][0]
    assert part["code"] in {"cond_present", "cond_absent", "cond_threshold", "cond_origin", "cond_fact"}
    assert len(cond.test_codes) == len(cond.tests)
    assert render(from_code(cond.text_code), "en").startswith("If ")
