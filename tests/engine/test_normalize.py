"""Normalisation of biomarkers, cancer, stage and prior therapies (ENGINE.md step 1)."""

from __future__ import annotations

import pytest

from onconav.engine.normalize import Case, Vocabulary, normalize, parse_range, threshold_holds
from onconav.engine.profile import ProfileError, parse_profile


@pytest.fixture(scope="module")
def vocab(kb):
    return Vocabulary.compile(kb)


def norm(kb, vocab, **profile) -> Case:
    profile.setdefault("cancer", {"oncotree_code": "LUAD", "stage": "IV"})
    return normalize(vocab, kb, parse_profile(profile), "en")


def bm(gene: str, alteration: str) -> dict[str, str]:
    return {"gene": gene, "alteration": alteration}


@pytest.mark.parametrize(
    "alteration",
    [
        "19del",
        "exon 19 deletion",
        "E746_A750del",
        "p.E746_A750del",
        "Exon 19 Deletion",
        "ex19del",
        "L747_P753delinsS",
    ],
)
def test_egfr_exon19_deletion_spellings_normalise_to_one_id(kb, vocab, alteration):
    # given an EGFR exon 19 deletion written in any of the usual ways
    # when the profile is normalised
    case = norm(kb, vocab, biomarkers=[bm("EGFR", alteration)])
    # then it is EGFR:exon19del, with its groups implied
    assert "EGFR:exon19del" in case.present
    assert {"EGFR:sensitizing", "EGFR:mutation"} <= case.present
    assert case.warnings == [] or all("not recognised" not in w for w in case.warning_texts)


def test_implies_closure_l858r_is_sensitizing_and_a_mutation(kb, vocab):
    # given L858R; when normalised; then the closure holds both groups
    case = norm(kb, vocab, biomarkers=[bm("egfr", "l858r")])
    assert {"EGFR:L858R", "EGFR:sensitizing", "EGFR:mutation"} <= case.present
    assert "EGFR:T790M" not in case.present


def test_g719_variants_match_the_x_pattern(kb, vocab):
    case = norm(kb, vocab, biomarkers=[bm("EGFR", "G719A")])
    assert "EGFR:G719X" in case.present


@pytest.mark.parametrize("word", ["wild-type", "wild type", "WT", "negative", "not detected"])
def test_egfr_wild_type_makes_every_egfr_id_absent(kb, vocab, word):
    # given EGFR wild-type; when normalised; then every EGFR alteration is known absent
    case = norm(kb, vocab, biomarkers=[bm("EGFR", word)])
    assert {"EGFR:mutation", "EGFR:sensitizing", "EGFR:L858R", "EGFR:exon19del", "EGFR:T790M"} <= case.absent
    assert not case.present


def test_alk_negative_is_alk_fusion_absent(kb, vocab):
    case = norm(kb, vocab, biomarkers=[bm("ALK", "negative")])
    assert case.state("ALK:fusion") is False


def test_alk_positive_is_alk_fusion(kb, vocab):
    case = norm(kb, vocab, biomarkers=[bm("ALK", "positive"), bm("ALK", "EML4-ALK")])
    assert case.state("ALK:fusion") is True


@pytest.mark.parametrize(
    ("gene", "alteration", "expected"),
    [
        ("HER2", "amplification", "ERBB2:amplification"),
        ("HER2", "positive", "ERBB2:positive"),
        ("NTRK1", "fusion", "NTRK:fusion"),
        ("NTRK3", "ETV6-NTRK3 fusion", "NTRK:fusion"),
        ("KRAS", "G12C", "KRAS:G12C"),
        ("MET", "amp", "MET:amplification"),
    ],
)
def test_gene_synonyms_and_alteration_words(kb, vocab, gene, alteration, expected):
    case = norm(kb, vocab, biomarkers=[bm(gene, alteration)])
    assert expected in case.present


def test_her2_amplification_counts_as_her2_positive(kb, vocab):
    case = norm(kb, vocab, biomarkers=[bm("ERBB2", "amplification")])
    assert case.state("ERBB2:positive") is True


@pytest.mark.parametrize(
    ("score", "ish", "positive", "low"),
    [
        ("3+", None, True, False),
        ("2+", "positive", True, False),
        ("2+", "negative", False, True),
        ("2+", None, None, True),
        ("1+", None, False, True),
        ("0", None, False, False),
    ],
)
def test_her2_ihc_scores(kb, vocab, score, ish, positive, low):
    # given a HER2 IHC score (and maybe ISH); when normalised; then HER2-positive / HER2-low follow ASCO/CAP
    markers = [{"name": "HER2 IHC", "value": score}]
    if ish:
        markers.append({"name": "HER2 ISH", "value": ish})
    case = norm(kb, vocab, biomarkers=markers)
    assert case.state("ERBB2:positive") is positive
    assert case.state("ERBB2:low") is low


@pytest.mark.parametrize(
    ("markers", "ihc2", "ihc3"),
    [
        ([{"name": "HER2", "value": "IHC 2+"}], True, False),
        ([{"name": "HER2 IHC", "value": "2+"}, {"name": "HER2 ISH", "value": "negative"}], True, False),
        ([{"name": "HER2 IHC", "value": "2+"}, {"name": "HER2 ISH", "value": "positive"}], True, False),
        ([{"name": "HER2 IHC", "value": "3+"}], False, True),
        ([{"name": "HER2 IHC", "value": "1+"}], False, False),
        ([{"name": "HER2", "value": "not amplified"}], None, "not checked"),
    ],
)
def test_her2_ihc_2plus_is_read_from_the_score_whatever_the_ish(real_engine, markers, ihc2, ihc3):
    # given a HER2 IHC score (DESTINY-PanTumor02 enrolled IHC 2+ or 3+ without ISH) and the real
    # knowledge base (the fixture KB has no IHC-score biomarkers); when normalised; then
    # ERBB2:ihc2plus follows the IHC score alone, and is unknown without one
    case = norm(real_engine.kb, real_engine.vocab, biomarkers=markers)
    assert case.state("ERBB2:ihc2plus") is ihc2
    if ihc3 != "not checked":
        assert case.state("ERBB2:ihc3plus") is ihc3


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (60, (60, 60)),
        ("60%", (60, 60)),
        ("≥50%", (50, float("inf"))),
        (">=50", (50, float("inf"))),
        ("1-49%", (1, 49)),
    ],
)
def test_numeric_values_are_parsed_as_ranges(value, expected):
    assert parse_range(value) == expected


def test_less_than_one_percent_is_below_one():
    rng = parse_range("<1%")
    assert rng is not None and rng[1] < 1
    assert threshold_holds(rng, ">=", 1) is False
    assert threshold_holds(rng, "<", 1) is True


def test_a_range_straddling_the_threshold_is_unknown():
    assert threshold_holds((1, 49), ">=", 50) is False
    assert threshold_holds((30, 60), ">=", 50) is None


@pytest.mark.parametrize(
    ("entry", "marker", "value"),
    [
        ({"name": "PD-L1 TPS", "value": 60, "unit": "%"}, "PD-L1:TPS", (60, 60)),
        ({"name": "PD-L1", "value": "≥50%"}, "PD-L1:TPS", (50, float("inf"))),
        ({"name": "TPS", "value": "<1%"}, "PD-L1:TPS", None),
        ({"name": "TMB", "value": 12, "unit": "mut/Mb"}, "TMB:score", (12, 12)),
    ],
)
def test_measured_markers(kb, vocab, entry, marker, value):
    case = norm(kb, vocab, biomarkers=[entry])
    assert marker in case.numeric
    if value is not None:
        assert case.numeric[marker] == value


@pytest.mark.parametrize(
    ("entry", "marker", "state"),
    [
        ({"name": "ER", "value": "positive"}, "ER:positive", True),
        ({"name": "ER", "value": "negative"}, "ER:positive", False),
        ({"name": "MSI", "value": "MSI-H"}, "MSI:high", True),
        ({"name": "MSI", "value": "dMMR"}, "MSI:high", True),
        ({"name": "MSI", "value": "MSS"}, "MSI:high", False),
        ({"name": "MMR", "value": "pMMR"}, "MSI:high", False),
        ({"name": "HGF", "value": "high"}, "HGF:high", True),
        ({"name": "HGF", "value": "low"}, "HGF:high", False),
    ],
)
def test_categorical_markers(kb, vocab, entry, marker, state):
    case = norm(kb, vocab, biomarkers=[entry])
    assert case.state(marker) is state


def test_er_positive_implies_hormone_receptor_positive(kb, vocab):
    case = norm(kb, vocab, biomarkers=[{"name": "ER", "value": "positive"}])
    assert case.state("HR:positive") is True


@pytest.mark.parametrize(
    "entry",
    [
        {"gene": "FOO1", "alteration": "V600E"},
        {"gene": "EGFR", "alteration": "banana"},
        {"name": "mystery score", "value": 3},
    ],
)
def test_anything_not_understood_becomes_a_warning(kb, vocab, entry):
    # given a marker the KB does not know; when normalised; then it is reported, never silently dropped
    case = norm(kb, vocab, biomarkers=[entry])
    assert any("not recognised" in w or "could not be read" in w for w in case.warning_texts)


def test_unreadable_numeric_value_is_a_warning(kb, vocab):
    case = norm(kb, vocab, biomarkers=[{"name": "PD-L1 TPS", "value": "lots"}])
    assert "PD-L1:TPS" not in case.numeric
    assert any("could not be read" in w for w in case.warning_texts)


def test_conflicting_results_are_warned(kb, vocab):
    case = norm(kb, vocab, biomarkers=[bm("EGFR", "L858R"), bm("EGFR", "wild-type")])
    assert any("Conflicting" in w for w in case.warning_texts)
    assert case.state("EGFR:L858R") is True


def test_lineage_reaches_the_solid_root(kb, vocab):
    case = norm(kb, vocab)
    assert case.lineage == ("LUAD", "NSCLC", "LUNG", "SOLID")


@pytest.mark.parametrize(
    ("stage", "groups"),
    [
        ("IV", {"advanced"}),
        ("IVB", {"advanced"}),
        ("stage IIIA", {"locally_advanced"}),
        ("IA2", {"early"}),
        ("II", {"early"}),
        ("4", {"advanced"}),
        ("metastatic", {"advanced"}),
    ],
)
def test_ajcc_fallback_for_stage_groups(kb, vocab, stage, groups):
    case = norm(kb, vocab, cancer={"oncotree_code": "LUAD", "stage": stage})
    assert set(case.stage_groups) == groups
    assert case.stage_known


def test_cancer_specific_stage_map_is_used(kb, vocab):
    case = norm(kb, vocab, cancer={"oncotree_code": "HCC", "stage": "BCLC C"})
    assert set(case.stage_groups) == {"advanced"}
    case = norm(kb, vocab, cancer={"oncotree_code": "HCC", "stage": "bclc a"})
    assert set(case.stage_groups) == {"early"}


def test_recurrent_metastatic_means_advanced(kb, vocab):
    case = norm(kb, vocab, cancer={"oncotree_code": "LUAD", "stage": "IB", "recurrent_metastatic": True})
    assert set(case.stage_groups) == {"advanced"}


def test_unknown_stage_considers_every_group_and_says_so(kb, vocab):
    case = norm(kb, vocab, cancer={"oncotree_code": "LUAD"})
    assert set(case.stage_groups) == {"early", "locally_advanced", "advanced"}
    assert not case.stage_known
    assert any("stage is not given" in w for w in case.warning_texts)


def test_unrecognised_stage_is_warned(kb, vocab):
    case = norm(kb, vocab, cancer={"oncotree_code": "LUAD", "stage": "purple"})
    assert not case.stage_known
    assert any("purple" in w for w in case.warning_texts)


def test_prior_lines_count_and_failures(kb, vocab):
    # given two advanced lines (gefitinib progressed, then chemo with intolerance) and adjuvant chemo
    case = norm(
        kb,
        vocab,
        prior_therapies=[
            {"drugs": ["cisplatin"], "setting": "adjuvant", "outcome": "relapse"},
            {"drugs": ["Iressa"], "line": 1, "outcome": "progression"},
            {"drugs": ["pemetrexed", "carboplatin"], "line": 2, "outcome": "intolerance"},
        ],
    )
    # then the next line is 3; gefitinib (by brand) and its classes failed; intolerance is noted
    assert case.advanced_lines == 2 and case.line == 3
    assert "gefitinib" in case.failed and "egfr_tki_1g" in case.failed_tags
    assert {"pemetrexed", "carboplatin"} <= case.intolerant
    assert "cisplatin" in case.received


def test_unknown_prior_drug_is_warned_and_kept(kb, vocab):
    case = norm(kb, vocab, prior_therapies=[{"drugs": ["zorbatinib"], "outcome": "progression"}])
    assert "zorbatinib" in case.failed
    assert any("zorbatinib" in w for w in case.warning_texts)
    assert case.line == 2


def test_unknown_oncotree_code_is_a_profile_error(kb, vocab):
    with pytest.raises(ProfileError) as err:
        norm(kb, vocab, cancer={"oncotree_code": "NOPE"})
    assert err.value.errors[0]["field"] == "cancer.oncotree_code"


def test_a_group_whose_members_are_all_negative_is_negative(kb, vocab):
    # given ER negative (the fixture's only hormone receptor); then HR:positive is known absent
    case = norm(kb, vocab, biomarkers=[{"name": "ER", "value": "negative"}])
    assert case.state("HR:positive") is False
    # given only one of two EGFR sensitising mutations negative: the group stays unknown
    case = norm(kb, vocab, biomarkers=[{"gene": "EGFR", "alteration": "L858R negative"}])
    assert case.state("EGFR:L858R") is False
    assert case.state("EGFR:sensitizing") is None
