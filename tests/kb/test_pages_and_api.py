import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_knowledge_base_index_renders_in_both_languages(client, kb_loaded, lang):
    resp = client.get("/kb/", HTTP_ACCEPT_LANGUAGE=lang)
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "abemaciclib" in html and "阿贝西利" in html
    assert ("Oncology knowledge base" in html) if lang == "en" else ("肿瘤知识库" in html)


def test_cancer_page_shows_modalities_biomarkers_and_evidence(client, kb_loaded):
    html = client.get("/kb/cancers/LUAD/").content.decode()
    assert "EGFR" in html
    assert "/kb/evidence/" in html
    assert "C34" in html


def test_drug_page_shows_approvals_nrdl_and_evidence(client, kb_loaded):
    html = client.get("/kb/drugs/osimertinib/").content.decode()
    assert "NMPA" in html and "FDA" in html
    assert "/kb/evidence/" in html


def test_evidence_page_links_each_figure_to_its_source(client, kb_loaded):
    from onconav.kb.models import KBRecord

    rec = next(
        r
        for r in KBRecord.objects.filter(kind="evidence")
        if r.data["outcomes"] and r.data["outcomes"][0]["reference"].startswith("PMID:")
    )
    html = client.get(f"/kb/evidence/{rec.key}/").content.decode()
    pmid = rec.data["outcomes"][0]["reference"].split(":")[1]
    assert f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" in html


def test_unknown_record_is_a_404(client, kb_loaded):
    assert client.get("/kb/drugs/not-a-drug/").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [("osimertinib", "osimertinib"), ("奥希替尼", "osimertinib"), ("ositinib", "osimertinib")],
)
def test_search_finds_records_in_english_chinese_and_misspellings(client, kb_loaded, query, expected):
    resp = client.get("/api/v1/kb/search", {"q": query})
    assert resp.status_code == 200
    keys = [r["key"] for r in resp.json()]
    assert expected in keys[:10], keys[:10]


def test_search_page_returns_a_partial_for_htmx(client, kb_loaded):
    resp = client.get("/kb/search/", {"q": "CAR-T"}, HTTP_HX_REQUEST="true")
    html = resp.content.decode()
    assert "<html" not in html and "result" in html


def test_api_lists_and_returns_records(client, kb_loaded):
    drugs = client.get("/api/v1/kb/drugs").json()
    assert any(d["key"] == "savolitinib" for d in drugs)
    one = client.get("/api/v1/kb/drugs/savolitinib").json()
    assert one["data"]["name_zh"]
    assert client.get("/api/v1/kb/drugs/nope").json() == {"detail": "Not found.", "errors": []}


def test_api_filters_evidence_by_cancer_and_biomarker(client, kb_loaded):
    items = client.get("/api/v1/kb/evidence", {"cancer": "LUAD", "biomarker": "EGFR:sensitizing"}).json()
    assert items
    assert all(
        "EGFR:sensitizing"
        in (
            i["data"]["biomarkers"]
            + i["data"]["biomarkers_any"]
            + [t["marker"] for t in i["data"]["thresholds"]]
        )
        for i in items
    )


def test_api_kb_export_matches_the_cli(client, kb_loaded):
    doc = client.get("/api/v1/kb/export").json()
    assert doc["version"] and len(doc["drugs"]) >= 120
