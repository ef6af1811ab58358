"""Criteria splitting and structured checks (pure Python), on registry-style text."""

from __future__ import annotations

from onconav.trials.criteria import extract_check, parse_criteria, split_criteria
from onconav.trials.criteria.cancers import ALIASES, ancestors, cancer_codes_in, known_codes

CHINA_STYLE = """Inclusion Criteria:
1. Age 18-75 years old (including 18 and 75), male or female;
2. Adequate organ function:
  a) ANC ≧ 1×109/L;
  b) Total bilirubin ≤ 1.5×ULN (≤ 3×ULN for Gilbert's syndrome);
3. ECOG score 0-1;
Exclusion Criteria:
1. Prior CAR-T therapy;
"""


def test_split_keeps_kind_nesting_and_verbatim_text():
    # given Chinese-registry style text with lettered sub-items
    rows = split_criteria(CHINA_STYLE)
    # then each item is one criterion, children point at their parent, text is verbatim
    assert [r.kind for r in rows] == ["inclusion"] * 5 + ["exclusion"]
    assert rows[2].parent == 1 and rows[3].parent == 1 and rows[1].parent is None
    assert rows[2].text == "ANC ≧ 1×109/L"
    assert rows[5].text == "Prior CAR-T therapy"


def test_markdown_bullets_and_wrapped_lines():
    text = "Inclusion Criteria:\n\n* Histologically confirmed DLBCL\n  that relapsed\n* ECOG 0-2\n\nExclusion Criteria:\n\n* Active HBV"
    rows = split_criteria(text)
    assert [r.text for r in rows] == [
        "Histologically confirmed DLBCL that relapsed",
        "ECOG 0-2",
        "Active HBV",
    ]
    assert rows[2].kind == "exclusion"


def test_units_and_symbols_are_normalised():
    # x10^9/L written as x109/L, the ≧ sign, /mm3 converted, x ULN
    assert extract_check("PLT≧75×109/L") == {
        "type": "lab",
        "analyte": "platelets",
        "op": "≥",
        "value": 75.0,
        "unit": "10^9/L",
    }
    anc = extract_check("Absolute neutrophil count ≥ 1500/mm3")
    assert anc["analyte"] == "anc" and anc["value"] == 1.5 and anc["unit"] == "10^9/L"
    bili = extract_check("Total bilirubin ≤ 1.5 × ULN (≤ 3 × ULN for Gilbert's syndrome)")
    assert bili["value"] == 1.5 and bili["unit"] == "xULN" and bili["alternatives"][0]["value"] == 3.0


def test_structured_checks_for_the_main_criterion_types():
    assert extract_check("Age 18-75 years old") == {"type": "age", "min": 18.0, "max": 75.0}
    assert extract_check("ECOG performance status of 0, 1 or 2") == {"type": "ecog", "max": 2}
    assert extract_check("Karnofsky score ≥ 60%") == {"type": "karnofsky", "min": 60}
    assert extract_check("Expected survival ≥ 3 months")["type"] == "life_expectancy"
    assert extract_check("Pregnant or lactating women", "exclusion") == {"type": "pregnancy"}
    assert extract_check("At least one measurable lesion per RECIST 1.1") == {"type": "measurable"}
    assert extract_check("KRAS G12C mutation confirmed by central laboratory")["target"] == "KRAS"
    assert extract_check("PD-L1 TPS ≥ 50%") == {"type": "pdl1", "score": "TPS", "min": 50.0, "max": None}
    assert extract_check("HER2-low (IHC 1+ or IHC 2+/ISH-negative)") == {"type": "her2", "level": "low"}
    cldn = extract_check("Claudin 18.2 positive (≥ 2+ staining in ≥ 75% of tumour cells)")
    assert cldn["target"] == "CLDN18.2" and cldn["min_percent"] == 75
    assert extract_check("Received at least 3 prior lines of therapy")["min"] == 3
    drug = extract_check("Prior treatment with BCMA-targeted therapy", "exclusion")
    assert drug["type"] == "prior_drug" and drug["classes"] == ["bcma"]
    cns = extract_check("Symptomatic or untreated brain metastases", "exclusion")
    assert cns == {"type": "cns_mets", "active_only": True}


def test_unclear_text_stays_unchecked():
    # given criteria no rule can read reliably, then they are kept for the trial team
    assert extract_check("Any condition that, in the opinion of the investigator, would interfere") is None
    assert extract_check("Active hepatitis B or hepatitis C infection", "exclusion") is None
    # permissions and rules for some patients only are not checks
    assert extract_check("Asymptomatic treated CNS metastases are permitted") is None
    assert extract_check("Patients who are HBsAg positive must have HBV DNA < 500 IU/mL") is None


def test_cancer_names_map_to_known_oncotree_codes_with_parents():
    # every alias points at a code the knowledge base holds
    assert set(ALIASES.values()) <= known_codes()
    assert cancer_codes_in("relapsed or refractory transformed follicular lymphoma") == ["LBL"]
    assert cancer_codes_in("non-small cell lung cancer") == ["NSCLC"]
    assert ancestors("DLBCLNOS")[:3] == ["DLBCLNOS", "LBL", "HEME"]


def test_parse_criteria_marks_alternatives():
    rows = parse_criteria("Inclusion Criteria:\n* Meet one of the following:\n  * A\n  * B")
    assert rows[0]["any_of"] is True and rows[1]["parent"] == 0


def test_a_drug_generation_keeps_the_named_drugs():
    # "third-generation EGFR-TKI (e.g. osimertinib ...)": gefitinib (first generation) does not count
    check = extract_check(
        "Disease progression on or after a third-generation EGFR tyrosine kinase inhibitor "
        "(e.g. osimertinib, almonertinib or furmonertinib)"
    )
    assert check["drugs"] == ["almonertinib", "furmonertinib", "osimertinib"] and check["examples"]
