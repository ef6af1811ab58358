"""Clinical vignettes (tests/engine/vignettes/*.yaml) run against the REAL knowledge base.

Each case: ``id``, ``description``, a ``profile`` (the contract's input) and ``expect``. The
source guideline is in a comment above each case; expectations come from it, never from the
engine's output.

Legend of ``expect`` (every key optional; all given keys must hold):

=====================  ==========================================================================
``top_any``            regimen ids acceptable at rank 1
``top3_any``           at least one of these regimen ids is among ranks 1-3
``not_top3``           none of these regimen ids is among ranks 1-3 (may appear lower)
``includes``           regimen ids that must appear among the options (any group)
``excludes``           regimen ids that must not appear among the options
``conditional``        regimen ids that must appear as *conditional* options: ``option.condition``
                       is set (the option depends on an unknown test result or patient fact) and
                       names at least one deciding test
``first_not_modality`` modalities rank 1 must not have (``supportive_care``: best supportive care
                       is never option 1 for a patient with an anti-cancer option)
``tests_for``          biomarker ids that must appear in some ``tests_recommended[].biomarkers``
``tests_named``        strings that must appear (case-insensitive) in the name of some recommended
                       test (``tests_recommended[].test``, English answer)
=====================  ==========================================================================

A regimen named in an expectation is the option whose id it is, or one of whose KB aliases it is
("BEP x 4"), or whose drugs it lists joined by "+" in any order ("bleomycin+etoposide+cisplatin"
is the option ``bep-x4``): writers who never read the knowledge base name a treatment by its
drugs, and the order of drugs in an id carries no meaning. A concrete choice names a regimen
written as a family: "nivolumab+oxaliplatin+capecitabine" is the option whose drugs are nivolumab,
oxaliplatin, capecitabine, fluorouracil and leucovorin (CAPOX or FOLFOX), because the drugs it does
not name are alternatives of named ones (platinum, fluoropyrimidine, taxane) or supportive; a name
that leaves out a drug of another kind ("oxaliplatin+capecitabine" for the nivolumab regimen) does
not. A regimen whose id says "doublet" (nivolumab + platinum doublet) is named by one platinum and
one of its partner drugs with the other drugs ("nivolumab+paclitaxel+carboplatin"), and one whose id
lists chemotherapy choices with "-or-" by any of them with the other drugs ("pembrolizumab+paclitaxel"
for pembrolizumab + nab-paclitaxel or paclitaxel or gemcitabine-carboplatin). An id's parts may be
given in any order ("radiotherapy+temozolomide"). Only
expectations that ask for an option read a concrete choice so; ``not_top3`` and
``excludes`` keep the concrete regimen the writer rules out (cisplatin + fluorouracil at low
creatinine clearance does not rule out the carboplatin choice of the same family).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.engine.conftest import assert_contract

VIGNETTE_DIR = Path(__file__).parent / "vignettes"
# Vignettes the engine is known to get wrong today, each with the reason (docs/engine.md, "Known
# misses"). They still run: a known miss is an expected failure, and strict, so a miss that starts
# passing fails the suite until it is taken off the list. The list only shrinks.
KNOWN_MISSES_FILE = Path(__file__).parent / "known_misses.yaml"


def known_misses() -> dict[str, str]:
    data = yaml.safe_load(KNOWN_MISSES_FILE.read_text(encoding="utf-8")) or []
    return {item["id"]: item["reason"] for item in data}


def load_cases() -> list[Any]:
    cases = []
    misses = known_misses()
    for path in sorted(VIGNETTE_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for i, case in enumerate(data):
            cid = case.get("id") if isinstance(case, dict) else None
            pid = f"{path.stem}:{cid or i}"
            marks = []
            if pid in misses:
                marks.append(pytest.mark.xfail(reason=f"known miss: {misses[pid]}", strict=True))
            cases.append(pytest.param(case, id=pid, marks=marks))
    return cases


def test_every_known_miss_names_a_vignette_and_a_reason():
    # given the known-miss list
    ids = {p.id for p in load_cases()}
    # then every entry names an existing vignette and says why it is missed
    for pid, reason in known_misses().items():
        assert pid in ids, f"{pid} in known_misses.yaml is not a vignette"
        assert len(reason.strip()) > 20, f"{pid}: say why the engine misses it"


def explain(answer: Any) -> str:
    lines = [
        f"  {o.rank}. [{o.group}] {o.regimen} (level {o.evidence_level}, {o.setting}) {o.trace[-3:]}"
        + (f" if {o.condition.tests}" if o.condition else "")
        for o in answer.options
    ]
    lines += [f"  test: {t.test} {t.biomarkers}" for t in answer.tests_recommended]
    lines += [f"  excluded: {x.regimen}: {x.reasons}" for x in answer.excluded]
    lines += [f"  warning: {w}" for w in answer.warnings]
    return "\n".join(lines)


def _canonical(real_engine: Any, answer: Any, expect: dict[str, Any]) -> list[str]:
    """The option ids, with each expected name that means one of them replaced by that id (see
    the module docstring); names matching no option are kept as written."""
    by_id = {r.id: r for r in real_engine.kb.regimens}
    names: dict[str, str] = {}
    for o in answer.options:
        reg = by_id.get(o.regimen)
        for alias in reg.aliases if reg else []:
            names.setdefault(_spelling(alias), o.regimen)
        if o.drugs:
            names.setdefault("+".join(sorted(o.drugs)), o.regimen)
        # the parts of an id in any order ("radiotherapy+temozolomide" for temozolomide+radiotherapy)
        names.setdefault("+".join(sorted(o.regimen.split("+"))), o.regimen)
    tags = {d.inn: frozenset(d.class_tags) for d in real_engine.kb.drugs}
    offered = {o.regimen for o in answer.options}
    for key in ("top_any", "top3_any", "not_top3", "includes", "excludes", "conditional"):
        if expect.get(key):
            if key in NEGATIVE_KEYS:
                # a ruled-out regimen is the one the writer names: the KB id as written ("not
                # temozolomide" is single-agent temozolomide, not radiotherapy with it), and a
                # concrete choice is not its family ("not cisplatin + 5-FU" leaves the carboplatin one)
                resolved = [_resolve(rid, names, set(by_id)) for rid in expect[key]]
            else:
                resolved = [_resolve(rid, names, offered) for rid in expect[key]]
                resolved = [r if r in by_id else _member(r, answer, tags) for r in resolved]
            expect[key] = resolved
    return [o.regimen for o in answer.options]


# Classes whose members a regimen written as a family offers in turn ("fluoropyrimidine + platinum"
# is CAPOX, FOLFOX or FP): a writer's concrete choice names the family regimen.
INTERCHANGEABLE = frozenset({"platinum", "fluoropyrimidine", "taxane", "anthracycline", "gnrh"})
# A family regimen is named by a concrete choice only where the expectation asks for an option;
# an option the writer rules out (not_top3, excludes) is the concrete one they name.
NEGATIVE_KEYS = frozenset({"not_top3", "excludes"})


def _names_a_doublet(named: set[str], tags: dict[str, frozenset[str]]) -> bool:
    platinum = [d for d in named if "platinum" in tags.get(d, ())]
    partner = [d for d in named if "chemotherapy" in tags.get(d, ()) and "platinum" not in tags.get(d, ())]
    return len(platinum) == 1 and len(partner) == 1


def _member(rid: str, answer: Any, tags: dict[str, frozenset[str]]) -> str:
    """The option of which ``rid`` (drugs joined by "+") is one concrete choice: every named drug
            is in the option, and each of the option's other drugs is an alternative of a named one (same
            interchangeable class) or supportive (leucovorin) or androgen deprivation (the backbone of prostate
    regimens: "enzalutamide" for ADT + enzalutamide). Else ``rid`` as written. A single drug names
        such an option too ("goserelin" for radiotherapy + ADT with goserelin or leuprorelin)."""
    named = {d.strip().lower() for d in rid.split("+")}
    named_classes = set().union(*(tags.get(d, frozenset()) & INTERCHANGEABLE for d in named))
    for o in answer.options:
        drugs = set(o.drugs or [])
        if not named <= drugs:
            continue
        rest = drugs - named
        # "... + platinum doublet": a platinum and one partner chosen from the listed chemotherapy
        doublet = ("doublet" in o.regimen and _names_a_doublet(named, tags)) or (
            # "pembrolizumab + nab-paclitaxel or paclitaxel or gemcitabine-carboplatin": one choice
            "-or-" in o.regimen and any("chemotherapy" in tags.get(d, ()) for d in named)
        )
        if all(
            "supportive" in tags.get(d, ())
            or "gnrh" in tags.get(d, ())  # androgen deprivation, the backbone of every prostate regimen
            or tags.get(d, frozenset()) & named_classes
            or (doublet and "chemotherapy" in tags.get(d, ()))
            for d in rest
        ):
            return o.regimen
    return rid


def _resolve(rid: str, names: dict[str, str], first: set[str]) -> str:
    """An id in ``first`` as written (the options offered, for expectations that ask for an
    option; every KB id, for those that rule one out); else the option the name means by alias
    or drugs; else as written. A writer's "carboplatin" among the acceptable options for a
    patient offered chemoradiation with carboplatin means that option, not the single-agent
    regimen the KB also has under that id."""
    if rid in first:
        return rid
    return names.get(_spelling(rid)) or names.get("+".join(sorted(rid.split("+")))) or rid


def _spelling(name: str) -> str:
    """An alias as written, in lower case with hyphens read as spaces ("whole-brain radiotherapy")."""
    return re.sub(r"[\s\-]+", " ", name.strip().lower())


@pytest.mark.parametrize("case", load_cases())
def test_vignette(real_engine, case):
    # given a clinical vignette written from the guidelines
    profile, expect = case["profile"], dict(case.get("expect") or {})
    # when the engine answers
    answer = real_engine.recommend(profile)
    assert_contract(answer.to_dict())
    regs = _canonical(real_engine, answer, expect)
    context = f"{case.get('id')}: {case.get('description', '')}\n{explain(answer)}"
    # then the expectations hold
    top_any = expect.get("top_any") or []
    if top_any:
        assert regs and regs[0] in top_any, f"rank 1 is {regs[:1]}, expected one of {top_any}\n{context}"
    top3 = regs[:3]
    top3_any = expect.get("top3_any") or []
    if top3_any:
        assert set(top3) & set(top3_any), f"top 3 is {top3}, expected one of {top3_any}\n{context}"
    for rid in expect.get("not_top3") or []:
        assert rid not in top3, f"{rid} should not be in the top 3\n{context}"
    for mod in expect.get("first_not_modality") or []:
        assert not answer.options or answer.options[0].modality != mod, (
            f"rank 1 has modality {mod}\n{context}"
        )
    for rid in expect.get("includes") or []:
        assert rid in regs, f"{rid} missing\n{context}"
    for rid in expect.get("excludes") or []:
        assert rid not in regs, f"{rid} should not be offered\n{context}"
    for rid in expect.get("conditional") or []:
        option = next((o for o in answer.options if o.regimen == rid), None)
        assert option is not None, f"{rid} missing (expected as a conditional option)\n{context}"
        assert option.condition is not None, f"{rid} is not conditional\n{context}"
        assert option.condition.tests, f"{rid} is conditional but names no deciding test\n{context}"
    tested = {b for t in answer.tests_recommended for b in t.biomarkers}
    for bid in expect.get("tests_for") or []:
        assert bid in tested, f"no test recommended for {bid}\n{context}"
    names = [t.test.lower() for t in answer.tests_recommended]
    for want in expect.get("tests_named") or []:
        assert any(want.lower() in n for n in names), f"no recommended test named {want!r}\n{context}"


def test_an_expected_name_resolves_by_id_alias_or_drugs_in_any_order():
    by_id = {"bep-x4": object(), "pemetrexed+platinum": object()}
    names = {"bep x 4": "bep-x4", "bleomycin+cisplatin+etoposide": "bep-x4"}
    assert _resolve("pemetrexed+platinum", names, set(by_id)) == "pemetrexed+platinum"
    assert _resolve("BEP x 4", names, set(by_id)) == "bep-x4"
    assert _resolve("bleomycin+etoposide+cisplatin", names, set(by_id)) == "bep-x4"
    # a name that means no option stays as written (and so matches nothing)
    assert _resolve("etoposide+cisplatin", names, set(by_id)) == "etoposide+cisplatin"
    # asking for an option: an offered option named by its drugs wins over a KB id not offered
    names["carboplatin"] = "chemoradiation-cervix-carboplatin"
    assert (
        _resolve("carboplatin", names, {"chemoradiation-cervix-carboplatin"})
        == "chemoradiation-cervix-carboplatin"
    )
    assert _resolve("carboplatin", names, {"carboplatin", "bep-x4"}) == "carboplatin"


def test_a_concrete_choice_names_a_regimen_written_as_a_family():
    class Opt:
        regimen = "nivolumab+oxaliplatin+fluoropyrimidine"
        drugs = ["nivolumab", "oxaliplatin", "capecitabine", "fluorouracil", "leucovorin"]

    class A:
        options = [Opt()]

    tags = {
        "nivolumab": frozenset({"pd1"}),
        "oxaliplatin": frozenset({"chemotherapy", "platinum"}),
        "capecitabine": frozenset({"chemotherapy", "fluoropyrimidine"}),
        "fluorouracil": frozenset({"chemotherapy", "fluoropyrimidine"}),
        "leucovorin": frozenset({"supportive"}),
    }
    assert _member("nivolumab+oxaliplatin+capecitabine", A(), tags) == Opt.regimen
    assert _member("nivolumab+fluorouracil+leucovorin+oxaliplatin", A(), tags) == Opt.regimen
    # leaving out the antibody is another regimen, and so is a drug the option does not have
    assert _member("oxaliplatin+capecitabine", A(), tags) == "oxaliplatin+capecitabine"
    assert _member("nivolumab+oxaliplatin+s-1", A(), tags) == "nivolumab+oxaliplatin+s-1"

    class Doublet:
        regimen = "nivolumab+platinum-doublet"
        drugs = ["nivolumab", "cisplatin", "carboplatin", "pemetrexed", "paclitaxel"]

    class B:
        options = [Doublet()]

    tags |= {
        "cisplatin": frozenset({"chemotherapy", "platinum"}),
        "carboplatin": frozenset({"chemotherapy", "platinum"}),
        "pemetrexed": frozenset({"chemotherapy", "antifolate"}),
        "paclitaxel": frozenset({"chemotherapy", "taxane"}),
    }
    assert _member("nivolumab+paclitaxel+carboplatin", B(), tags) == Doublet.regimen
    # a platinum alone, or two partners, is not a doublet of this family
    assert _member("nivolumab+carboplatin", B(), tags) == "nivolumab+carboplatin"
    assert _member("nivolumab+pemetrexed+paclitaxel", B(), tags) == "nivolumab+pemetrexed+paclitaxel"

    class Choice:
        regimen = "pembrolizumab+nab-paclitaxel-or-paclitaxel-or-gemcitabine+carboplatin"
        drugs = ["pembrolizumab", "nab-paclitaxel", "paclitaxel", "gemcitabine", "carboplatin"]

    class C:
        options = [Choice()]

    tags |= {
        "nab-paclitaxel": frozenset({"chemotherapy", "taxane"}),
        "gemcitabine": frozenset({"chemotherapy"}),
    }
    assert _member("pembrolizumab+paclitaxel", C(), tags) == Choice.regimen
    # the antibody alone is not a choice of the chemotherapy
    assert _member("pembrolizumab", C(), tags) == "pembrolizumab"
