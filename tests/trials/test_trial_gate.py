"""Trials join the engine's answer as clinical_trial options only where the guidelines would
consider a trial (knowledge/policy/trials; docs/trials.md, "Into the answer")."""

from __future__ import annotations

import json

import pytest

from onconav.options.services import engine_get, options_for_profile, trial_options
from onconav.trials.gate import trial_gate

pytestmark = pytest.mark.django_db

# Triple-class exposed myeloma after three lines (NCCN Multiple Myeloma: clinical trial among the
# options for relapsed/refractory disease).
MYELOMA_RR = {
    "age": 60,
    "sex": "male",
    "ecog": 1,
    "cancer": {"oncotree_code": "PCM"},
    "prior_therapies": [
        {"regimen": "VRd", "line": 1, "outcome": "relapse"},
        {"regimen": "DPd", "line": 2, "outcome": "progression"},
        {"drugs": ["carfilzomib"], "line": 3, "outcome": "refractory"},
    ],
}
# Newly diagnosed, fit myeloma: standard induction, no trial in the answer itself.
MYELOMA_NEW = {"age": 60, "sex": "male", "ecog": 1, "cancer": {"oncotree_code": "PCM"}}


def test_relapsed_myeloma_gets_trial_options_after_the_active_ones(demo_trials):
    answer = options_for_profile(profile=MYELOMA_RR, lang="en")
    trials = [o for o in answer.options if o.trial is not None]
    assert trials, "a relapsed/refractory myeloma with a recruiting myeloma trial gets it as an option"
    assert all(o.modality == "clinical_trial" and o.group == "trial" for o in trials)
    assert trials[0].trial.nct_id == "NCT99900002"
    # ranks stay 1..n, the trials come before conditional / later / supportive options
    assert [o.rank for o in answer.options] == list(range(1, len(answer.options) + 1))
    after = answer.options[trials[-1].rank :]
    assert all(o.group not in ("preferred", "reasonable", "conditional") for o in after)
    ids = [g["id"] for g in answer.groups]
    assert "trial" in ids and all(
        ids.index("trial") > ids.index(g) for g in ("preferred", "reasonable", "conditional") if g in ids
    )
    # tie_with points at options that are still ties of each other
    for o in answer.options:
        for r in o.tie_with:
            assert o.rank in answer.options[r - 1].tie_with
    # it says why a trial is considered, that it is investigational, and which rule put it there
    t = trials[0]
    assert "relapsed or did not respond" in t.rationale[0]
    assert any("Investigational" in c for c in t.cautions) and any("Demo record" in c for c in t.cautions)
    assert t.trace[0] == "trials.gate.heme-relapsed-refractory"


def test_trial_options_are_wholly_chinese_in_chinese(demo_trials):
    answer = options_for_profile(profile=MYELOMA_RR, lang="zh-hans")
    t = next(o for o in answer.options if o.trial is not None)
    for text in [t.title, *t.rationale, *t.cautions, t.summary, *(r.text for r in t.rank_reasons)]:
        latin = [
            w
            for w in text.replace("NCT99900002", "").replace("CAR-T", "").split()
            if w.isascii() and w.isalpha()
        ]
        assert not latin, text


def test_no_trial_in_the_answer_where_standard_first_line_fits(demo_trials):
    answer = options_for_profile(profile=MYELOMA_NEW, lang="en")
    assert trial_gate(answer, MYELOMA_NEW, engine_get()) is None
    assert not [o for o in answer.options if o.trial is not None]


def test_the_list_below_the_answer_leaves_out_trials_already_in_it(demo_trials):
    answer = options_for_profile(profile=MYELOMA_RR, lang="en")
    below = {t["nct_id"] for t in trial_options(MYELOMA_RR, "en", answer)}
    assert "NCT99900002" not in below


def test_solid_tumour_rule_needs_two_advanced_lines(demo_trials):
    luad = {
        "age": 55,
        "ecog": 1,
        "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
        "biomarkers": [
            {"gene": "EGFR", "alteration": "wild-type"},
            {"gene": "ALK", "alteration": "negative"},
        ],
        "prior_therapies": [
            {"drugs": ["carboplatin", "pemetrexed", "pembrolizumab"], "line": 1, "outcome": "progression"},
        ],
    }
    engine = engine_get()
    one_line = options_for_profile(profile=luad, lang="en")
    assert trial_gate(one_line, luad, engine) is None
    two = json.loads(json.dumps(luad))
    two["prior_therapies"].append({"drugs": ["docetaxel"], "line": 2, "outcome": "progression"})
    rule = trial_gate(options_for_profile(profile=two, lang="en"), two, engine)
    assert rule is not None and rule.id == "solid-after-two-lines"


def test_api_carries_trial_options_with_the_trial(client, demo_trials):
    r = client.post("/api/v1/options", data=json.dumps(MYELOMA_RR), content_type="application/json")
    assert r.status_code == 200
    opts = [o for o in r.json()["options"] if o["modality"] == "clinical_trial" and o.get("trial")]
    assert opts and opts[0]["trial"]["nct_id"] == "NCT99900002"
    assert opts[0]["trial"]["label"] == "investigational"


def test_option_card_links_the_trial_page_and_lists_its_open_sites(demo_trials, rf):
    from django.template.loader import render_to_string
    from django.utils import translation

    for lang, words in (("en", "each eligibility criterion"), ("zh-hans", "每条入组标准")):
        answer = options_for_profile(profile=MYELOMA_RR, lang=lang)
        t = next(o for o in answer.options if o.trial is not None)
        with translation.override(lang):
            html = render_to_string(
                "options/_option.html",
                {"o": t, "hospitals_by_rank": {}, "has_cities": False},
                request=rf.get("/"),
            )
        assert "/trials/NCT99900002/" in html and words in html
        assert "Hangzhou" in html or "杭州" in html  # an open site of the demo record
        assert "cost estimator" not in html and "成本估算" not in html


def test_pdf_report_lists_the_trial_sites_not_directory_hospitals(demo_trials):
    import io

    from pypdf import PdfReader

    from onconav.documents.pdf import report_for_profile

    for lang, cost_words in (("en", "Ask the trial team"), ("zh-hans", "请向试验团队询问")):
        pdf = report_for_profile(profile=MYELOMA_RR, report_lang=lang)
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        assert "NCT99900002" in text and "Demo Hospital E (fictional)" in text
        assert cost_words in text.replace("\n", "")
        if lang == "zh-hans":
            assert "ask your coordinator" not in text


def test_standard_care_waiting_on_a_test_is_not_replaced_by_trials(demo_trials):
    """Treatment-naive stage IV KRAS G12C lung adenocarcinoma with EGFR/ALK not entered: the
    standard options are conditional on the EGFR/ALK result (issue 9); they are standard care,
    so no trial is put in the answer, let alone first (NCCN NSCLC: test, then chemo-immunotherapy)."""
    kras = {
        "age": 62,
        "ecog": 1,
        "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
        "biomarkers": [
            {"gene": "KRAS", "alteration": "G12C"},
            {"name": "PD-L1 TPS", "value": 30, "unit": "%"},
        ],
    }
    answer = options_for_profile(profile=kras, lang="en")
    assert answer.options[0].trial is None and answer.options[0].modality != "clinical_trial"
    assert trial_gate(answer, kras, engine_get()) is None
    assert not [o for o in answer.options if o.trial is not None]


# Myeloma that progressed on the BCMA bispecific teclistamab after PI, IMiD and anti-CD38 (issue 9).
# NCCN Multiple Myeloma: next a different target (GPRC5D-directed talquetamab) or a clinical trial;
# another BCMA bispecific, or teclistamab again, is not standard (knowledge/policy/classes:
# bcma_bispecific fails together).
MYELOMA_AFTER_BCMA_BISPECIFIC = {
    "age": 59,
    "sex": "female",
    "ecog": 1,
    "cancer": {"oncotree_code": "PCM", "stage": "relapsed"},
    "prior_therapies": [
        {"drugs": ["bortezomib", "lenalidomide", "dexamethasone"], "line": 1, "outcome": "progression"},
        {"drugs": ["daratumumab", "lenalidomide", "dexamethasone"], "line": 2, "outcome": "progression"},
        {"drugs": ["carfilzomib", "dexamethasone"], "line": 3, "outcome": "progression"},
        {"drugs": ["teclistamab"], "line": 4, "outcome": "progression"},
    ],
}


def test_failed_bcma_bispecific_ranks_after_the_trials_and_talquetamab_before(client, demo_trials):
    r = client.post(
        "/api/v1/options", data=json.dumps(MYELOMA_AFTER_BCMA_BISPECIFIC), content_type="application/json"
    )
    assert r.status_code == 200
    body = r.json()
    opts = body["options"]
    rank = {o["regimen"]: o["rank"] for o in opts if o["modality"] != "clinical_trial"}
    trials = [o for o in opts if o["modality"] == "clinical_trial" and o.get("trial")]
    assert trials, "relapsed myeloma with a recruiting demo myeloma trial gets it in the answer"
    first_trial, last_trial = trials[0]["rank"], trials[-1]["rank"]
    # the different-target bispecific comes before the trials ...
    assert rank["talquetamab"] < first_trial
    # ... the failed drug and its class (same target, fails together) after them, in their own group
    for regimen in ("teclistamab", "elranatamab", "linvoseltamab"):
        o = next(o for o in opts if o["regimen"] == regimen)
        assert o["rank"] > last_trial, regimen
        assert o["group"] == "failed_before" and "failure.repeat" in o["trace"], regimen
    ids = [g["id"] for g in body["groups"]]
    assert ids.index("trial") < ids.index("failed_before")
    # a new drug with a failed partner (pomalidomide + bortezomib + dexamethasone) is not a repeat
    pvd = next(o for o in opts if o["regimen"] == "pomalidomide+bortezomib+dexamethasone")
    assert pvd["group"] != "failed_before" and pvd["rank"] < first_trial
    assert [o["rank"] for o in opts] == list(range(1, len(opts) + 1))
