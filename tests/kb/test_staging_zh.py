"""Issue 10: the staging system of a cancer is given in Chinese on Chinese pages."""

from __future__ import annotations

import re

import pytest

from onconav.kb.models import KBRecord, RecordKind
from onconav.kbdata.loader import load_knowledge_base
from onconav.kbdata.policy_loader import completeness

from .test_public_pages import visible_text

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")  # Chinese words or punctuation


def test_every_cancer_has_a_chinese_staging_system():
    kb = load_knowledge_base()
    missing = [c.oncotree_code for c in kb.cancers if not c.staging_system_zh]
    assert not missing, missing
    # a system name alone ("FIGO 2018", "Lugano 2014", "R-ISS / R2-ISS") needs no Chinese words
    assert all(c.staging_system_zh == c.staging_system or CJK.search(c.staging_system_zh) for c in kb.cancers)
    assert not [g for g in completeness(kb) if "staging_system_zh" in g]


@pytest.mark.django_db
def test_chinese_cancer_page_shows_the_chinese_staging_system(client, kb_loaded):
    rec = KBRecord.objects.get(kind=RecordKind.CANCER, key="ES")
    en = rec.data["staging_system"]
    zh = rec.data["staging_system_zh"]
    assert en == "AJCC 8th (bone); localised or metastatic at diagnosis"
    page_zh = visible_text(client.get("/kb/cancers/ES/", HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode())
    assert zh in page_zh and en not in page_zh and "localised" not in page_zh
    page_en = visible_text(client.get("/kb/cancers/ES/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert en in page_en and zh not in page_en
