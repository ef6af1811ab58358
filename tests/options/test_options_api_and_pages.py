import io

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.django_db

EGFR_PROFILE = {
    "age": 67,
    "sex": "female",
    "ecog": 1,
    "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
    "biomarkers": [{"gene": "EGFR", "alteration": "L858R"}, {"name": "PD-L1 TPS", "value": 30, "unit": "%"}],
    "preferences": {"cities": ["Shanghai"], "budget_usd": 40000},
}


def test_api_answers_with_the_contract_shape(client):
    resp = client.post("/api/v1/options", EGFR_PROFILE, content_type="application/json")
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert {
        "knowledge_base_version",
        "profile_summary",
        "options",
        "tests_recommended",
        "warnings",
        "disclaimer",
    } <= set(body)
    first = body["options"][0]
    assert first["rank"] == 1
    assert {
        "title",
        "modality",
        "drugs",
        "setting",
        "evidence_level",
        "rationale",
        "outcomes",
        "cautions",
        "china",
        "references",
    } <= set(first)
    assert {"nmpa_approved", "nrdl_reimbursed", "approx_cost_usd_per_month"} <= set(first["china"])
    assert any("osimertinib" in o["drugs"] for o in body["options"][:3])


def test_api_answers_in_chinese(client):
    resp = client.post("/api/v1/options?lang=zh-hans", EGFR_PROFILE, content_type="application/json")
    assert resp.status_code == 200
    assert any("\u4e00" <= ch <= "\u9fff" for ch in resp.json()["disclaimer"])


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        ({"cancer": {"oncotree_code": "NOPE"}}, "cancer.oncotree_code"),
        ({"cancer": {"oncotree_code": "LUAD"}, "ecog": 7}, "ecog"),
        ({"cancer": {"oncotree_code": "LUAD"}, "age": "old"}, "age"),
        ({"ecog": 1}, "cancer"),
    ],
)
def test_api_rejects_a_bad_profile_with_field_errors(client, profile, field):
    resp = client.post("/api/v1/options", profile, content_type="application/json")
    assert resp.status_code == 422
    body = resp.json()
    assert body["detail"]
    assert any(field in e["field"] for e in body["errors"]), body


def test_api_rejects_a_body_that_is_not_an_object(client):
    resp = client.post("/api/v1/options", "[1, 2]", content_type="application/json")
    assert resp.status_code == 422
    assert resp.json()["errors"]


def test_api_is_rate_limited(client, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 2
    codes = [
        client.post("/api/v1/options", EGFR_PROFILE, content_type="application/json").status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


FORM = {
    "oncotree_code": "LUAD",
    "stage": "IV",
    "ecog": "1",
    "age": "67",
    "egfr": "L858R",
    "pdl1_tps": "30",
    "other_alterations": "ALK negative",
    "prior_therapies": "",
}


@pytest.mark.parametrize(
    ("lang", "heading"), [("en", "Options to discuss with your doctors"), ("zh-Hans", "与您的医生讨论的方案")]
)
def test_options_page_shows_ranked_cards_in_both_languages(client, lang, heading):
    assert client.get("/options/", HTTP_ACCEPT_LANGUAGE=lang).status_code == 200
    resp = client.post("/options/", FORM, HTTP_ACCEPT_LANGUAGE=lang)
    html = resp.content.decode()
    assert resp.status_code == 200
    assert heading in html
    assert 'class="option-card ' in html
    assert "pubmed.ncbi.nlm.nih.gov" in html


def test_options_form_reports_unreadable_prior_treatment(client):
    resp = client.post("/options/", {**FORM, "prior_therapies": "gefitinib: it went well-ish"})
    html = resp.content.decode()
    assert "There is a problem" in html and "is not one of" in html


def test_missing_cancer_type_is_a_field_error(client):
    resp = client.post("/options/", {**FORM, "oncotree_code": ""})
    assert "There is a problem" in resp.content.decode()


@pytest.mark.parametrize(
    ("lang", "needle"), [("en", "Treatment options report"), ("zh-Hans", "治疗方案报告")]
)
def test_pdf_report_renders_and_holds_the_text(client, lang, needle):
    resp = client.post("/options/report.pdf", FORM, HTTP_ACCEPT_LANGUAGE=lang)
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(resp.content)).pages)
    assert needle in text
    assert "PubMed" in text  # references are readable and linked
    assert "PMID:" not in text and "LABEL:" not in text  # no technical prefixes


def test_pdf_report_side_by_side_holds_both_languages_date_and_kb_version(client):
    from onconav.options.services import engine_get

    resp = client.post("/options/report.pdf", {**FORM, "report_lang": "both"})
    assert resp.status_code == 200
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(resp.content)).pages).split()
    )
    assert "Treatment options report" in text and "治疗方案报告" in text
    assert engine_get().kb.version in text
    import datetime as dt

    assert dt.date.today().isoformat() in text
    for raw in (
        "first_line",
        "later_line",
        "standard_of_care",
        "not_applicable",
        "approved_other_indication",
    ):
        assert raw not in text


def test_upload_of_a_profile_file_shows_options(client):
    import json

    f = io.BytesIO(json.dumps(EGFR_PROFILE).encode())
    f.name = "profile.json"
    resp = client.post("/options/upload/", {"file": f})
    assert 'class="option-card ' in resp.content.decode()


def test_upload_of_a_non_profile_file_is_refused_clearly(client):
    f = io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00")
    f.name = "x.png"
    resp = client.post("/options/upload/", {"file": f})
    assert "not text" in resp.content.decode()
