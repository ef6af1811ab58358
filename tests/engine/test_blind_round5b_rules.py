"""General rules behind the three blind round 5b misses (tests/engine/vignettes/blind-2026-12e.yaml),
each tested apart from its vignette (docs/engine.md, "Known misses"):

* short forms and combinations written as one entry ("pembro/axi", "len/pem", "AI" in sarcoma);
* a regimen whose every drug already failed is not exempted by its item's "after failure of
  <class>" (cabozantinib "after a VEGF TKI" after progression on cabozantinib);
* later-line clear-cell kidney cancer options (lenvatinib + everolimus, tivozanib, everolimus);
* in-frame variants read by codon range (HER2 / EGFR exon 20 insertions, EGFR exon 19 deletions);
* IHC results scored by intensity and share of cells (MAGE-A4 2+ in >= 30 %).
"""

from __future__ import annotations

from typing import Any

import pytest

from onconav.engine import Engine
from onconav.engine.normalize import Case, Vocabulary, normalize
from onconav.engine.prior_names import expand, for_cancer, regimen_index
from onconav.engine.profile import parse_profile
from onconav.kbdata.loader import KnowledgeBase, load_knowledge_base


@pytest.fixture(scope="module")
def real_kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture(scope="module")
def real_vocab(real_kb: KnowledgeBase) -> Vocabulary:
    return Vocabulary.compile(real_kb)


@pytest.fixture(scope="module")
def eng(real_kb: KnowledgeBase) -> Engine:
    return Engine(real_kb)


def _drugs(kb: KnowledgeBase, vocab: Vocabulary, code: str, written: str) -> list[str]:
    prof = parse_profile(
        {"cancer": {"oncotree_code": code}, "prior_therapies": [{"drugs": [written], "line": 1}]}
    )
    out, _ = expand(prof, vocab, for_cancer(regimen_index(kb.policy.regimen_names), kb.lineage(code)))
    return [vocab.drug_alias.get(d.lower(), d) for d in out.prior_therapies[0].drugs]


# --- vocabulary ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "written", "drugs"),
    [
        ("CCRCC", "pembro/axi", ["pembrolizumab", "axitinib"]),
        ("CCRCC", "Pembrolizumab + axitinib", ["pembrolizumab", "axitinib"]),
        ("MEL", "Ipi/Nivo", ["ipilimumab", "nivolumab"]),
        ("MEL", "nivo-ipi", ["nivolumab", "ipilimumab"]),
        ("LUAD", "carbo/pem/pembro", ["carboplatin", "pemetrexed", "pembrolizumab"]),
        ("UEC", "len/pem", ["lenvatinib", "pembrolizumab"]),
        ("CCRCC", "lenva/pembro", ["lenvatinib", "pembrolizumab"]),
        ("PCM", "len", ["lenalidomide"]),
        ("SYNS", "AI", ["doxorubicin", "ifosfamide"]),
    ],
)
def test_short_forms_and_combinations_written_as_one_entry_are_read(
    real_kb: KnowledgeBase, real_vocab: Vocabulary, code: str, written: str, drugs: list[str]
) -> None:
    # given a treatment history entry written the way records write it, then it is its drugs
    assert sorted(_drugs(real_kb, real_vocab, code, written)) == sorted(drugs)


@pytest.mark.parametrize(
    ("code", "written"),
    [
        ("IDC", "AI"),  # an aromatase inhibitor in breast cancer, not doxorubicin + ifosfamide
        ("COAD", "pem"),  # neither pemetrexed nor pembrolizumab is meant by "pem" here
        ("DLBCLNOS", "R-CHOP"),  # a regimen name is not cut at its hyphen
        ("IDC", "trastuzumab-deruxtecan"),  # one drug, "deruxtecan" is no drug of its own
    ],
)
def test_ambiguous_letters_and_hyphenated_names_are_not_split_or_misread(
    real_kb: KnowledgeBase, real_vocab: Vocabulary, code: str, written: str
) -> None:
    got = _drugs(real_kb, real_vocab, code, written)
    if written == "R-CHOP":
        assert got[0] == "rituximab" and "doxorubicin" in got
    else:
        assert got == [written]


# --- failure: a regimen's own failed drug ------------------------------------------------------


def _ccrcc(*lines: dict[str, Any]) -> dict[str, Any]:
    return {
        "age": 64,
        "ecog": 1,
        "cancer": {"oncotree_code": "CCRCC", "stage": "IV"},
        "prior_therapies": list(lines),
    }


def test_a_regimen_whose_every_drug_failed_is_not_exempted_by_its_after_failure_class(eng: Engine) -> None:
    # NCCN Kidney Cancer: regimens that failed are not repeated; cabozantinib's later-line item is
    # written "after a VEGF TKI", which cabozantinib itself is
    answer = eng.recommend(
        _ccrcc(
            {"drugs": ["pembrolizumab", "axitinib"], "line": 1, "outcome": "progression"},
            {"drugs": ["cabozantinib"], "line": 2, "outcome": "progression"},
        )
    )
    cabo = next(o for o in answer.options if o.regimen == "cabozantinib")
    assert "failure.own_drug_failed" in cabo.trace and "failure.same_drug" in cabo.trace
    assert "cabozantinib" not in [o.regimen for o in answer.options[:3]]
    # and cabozantinib after a different VEGF TKI keeps its place (the exemption is for others)
    fresh = eng.recommend(
        _ccrcc({"drugs": ["pembrolizumab", "axitinib"], "line": 1, "outcome": "progression"})
    )
    cabo = next(o for o in fresh.options if o.regimen == "cabozantinib")
    assert "failure.same_drug" not in cabo.trace and "failure.own_drug_failed" not in cabo.trace


def test_a_new_drug_on_a_failed_backbone_keeps_the_exemption(eng: Engine) -> None:
    # HER2CLIMB: tucatinib + trastuzumab + capecitabine after trastuzumab (its item is written for
    # after anti-HER2 antibodies; trastuzumab is continued on purpose, tucatinib is new)
    answer = eng.recommend(
        {
            "age": 55,
            "ecog": 1,
            "cancer": {"oncotree_code": "IDC", "stage": "IV"},
            "biomarkers": [{"gene": "ERBB2", "alteration": "positive"}],
            "prior_therapies": [
                {"drugs": ["trastuzumab", "pertuzumab", "docetaxel"], "line": 1, "outcome": "progression"},
                {"drugs": ["trastuzumab deruxtecan"], "line": 2, "outcome": "progression"},
            ],
        }
    )
    tucatinib = next(o for o in answer.options if o.regimen == "tucatinib+trastuzumab+capecitabine")
    assert "failure.own_drug_failed" not in tucatinib.trace
    assert "failure.same_drug" not in tucatinib.trace


# --- KB: later-line clear-cell kidney cancer -------------------------------------------------------


def test_third_line_kidney_cancer_offers_the_nccn_subsequent_options(eng: Engine) -> None:
    answer = eng.recommend(
        _ccrcc(
            {"drugs": ["pembro/axi"], "line": 1, "outcome": "progression"},
            {"drugs": ["cabozantinib"], "line": 2, "outcome": "progression"},
        )
    )
    names = [o.regimen for o in answer.options]
    assert {"belzutifan", "lenvatinib+everolimus", "tivozanib", "everolimus"} <= set(names)
    # everolimus lost to lenvatinib + everolimus (Study 205): listed after it
    assert names.index("lenvatinib+everolimus") < names.index("everolimus")
    assert "rank.beaten" in next(o for o in answer.options if o.regimen == "everolimus").trace
    # tivozanib (TIVO-3) is for the third or a later line
    second = eng.recommend(_ccrcc({"drugs": ["sunitinib"], "line": 1, "outcome": "progression"}))
    assert "tivozanib" not in [o.regimen for o in second.options]


# --- biomarkers: codon ranges ------------------------------------------------------------------


def _norm(kb: KnowledgeBase, vocab: Vocabulary, *entries: dict[str, Any], code: str = "LUAD") -> Case:
    profile = {"cancer": {"oncotree_code": code, "stage": "IV"}, "biomarkers": list(entries)}
    return normalize(vocab, kb, parse_profile(profile), "en")


@pytest.mark.parametrize(
    ("gene", "alteration", "expected"),
    [
        ("ERBB2", "exon 20 insertion A775_G776insYVMA", "ERBB2:mutation"),
        ("HER2", "p.Y772_A775dup", "ERBB2:mutation"),
        ("ERBB2", "p.Tyr772_Ala775dup", "ERBB2:mutation"),
        ("ERBB2", "G776delinsVC", "ERBB2:mutation"),
        ("ERBB2", "P780_Y781insGSP", "ERBB2:mutation"),
        ("EGFR", "D770_N771insSVD", "EGFR:exon20ins"),
        ("EGFR", "exon 20 p.A767_V769dup", "EGFR:exon20ins"),
        ("EGFR", "L747_P753delinsS", "EGFR:exon19del"),
        ("EGFR", "p.E746_S752delinsV", "EGFR:exon19del"),
    ],
)
def test_in_frame_variants_are_read_by_codon_range(
    real_kb: KnowledgeBase, real_vocab: Vocabulary, gene: str, alteration: str, expected: str
) -> None:
    case = _norm(real_kb, real_vocab, {"gene": gene, "alteration": alteration})
    assert expected in case.present, (alteration, case.present)


@pytest.mark.parametrize(
    ("gene", "alteration"),
    [
        ("EGFR", "E709_T710delinsD"),  # exon 18: neither an exon 19 deletion nor an exon 20 insertion
        ("EGFR", "D770_N771del"),  # a deletion in exon 20 is not an insertion
        ("ERBB2", "L755_T759del"),  # outside the exon 20 insertion span
    ],
)
def test_changes_outside_the_ranges_or_of_another_kind_are_not_guessed(
    real_kb: KnowledgeBase, real_vocab: Vocabulary, gene: str, alteration: str
) -> None:
    case = _norm(real_kb, real_vocab, {"gene": gene, "alteration": alteration})
    assert not {"EGFR:exon19del", "EGFR:exon20ins", "ERBB2:mutation"} & set(case.present)


# --- biomarkers: IHC scored by intensity and share of cells -------------------------------------


@pytest.mark.parametrize(
    ("value", "state"),
    [
        ("IHC 2+ 60%", True),
        ("3+ in 35% of tumour cells", True),
        ("2+ 20%, 3+ 15%", True),  # 35 % of cells at 2+ or more
        ("IHC 1+ 80%", False),  # below the required intensity
        ("2+ in 10% of cells", False),  # too few cells
        ("1+", False),
        ("2+", None),  # no share of cells: unknown, the test stays recommended
        ("60%", None),  # no intensity: unknown
    ],
)
def test_mage_a4_is_read_against_its_scoring_rule(
    real_kb: KnowledgeBase, real_vocab: Vocabulary, value: str, state: bool | None
) -> None:
    # Tecelra label: MAGE-A4 expression 2+ or more in 30 % or more of tumour cells
    case = _norm(real_kb, real_vocab, {"name": "MAGE-A4", "value": value}, code="SYNS")
    got = True if "MAGEA4:positive" in case.present else False if "MAGEA4:positive" in case.absent else None
    assert got is state, value
