"""Cost models: every first-line standard-of-care regimen (level 1 evidence, setting first_line)
has a cost model, or is listed in UNPRICED with the components that have no citable China price;
every item a cost model uses is sourced, dated and citable (docs/costs.md).

UNPRICED can only shrink as prices are found: each entry names the drugs (``drug:<inn>``) or
services (``price:<cost component>``, ``service:<regimen id>`` for a regimen-specific item such as
one operation) that had no citable price when searched (2026-12-07 and 2026-12-08: national and provincial
procurement results, NRDL negotiation reports, Chinese cost-effectiveness studies and cost-of-
illness studies; see docs/costs.md). The test fails as soon as a named component gets a cost item,
so the regimen must then be modelled (or the entry re-justified with what is still missing). An
entry for a regimen that is not in the knowledge base (yet) is ignored, so an entry can be written
ahead of an area merge.
"""

from __future__ import annotations

import re
from functools import cache
from typing import get_args

from django.conf import settings

from onconav.kbdata.loader import KnowledgeBase, load_knowledge_base
from onconav.kbdata.schema import CostComponent, CostItem, RegimenCost

INTERNAL_SOURCE = re.compile(r"general knowledge|cost survey|unverified", re.IGNORECASE)
SELF_LINKING = ("PMID:", "DOI:", "URL:")
CJK = re.compile(r"[\u4e00-\u9fff]")
DOSE_ASSUMPTION = re.compile(r"m²|m2|AUC|mg/kg", re.IGNORECASE)

UNPRICED: dict[str, tuple[str, ...]] = {
    "capecitabine+oxaliplatin": ("drug:capecitabine", "drug:oxaliplatin"),
    "fluorouracil+leucovorin+oxaliplatin": ("drug:fluorouracil", "drug:leucovorin", "drug:oxaliplatin"),
    "abemaciclib+letrozole-or-anastrozole": ("drug:abemaciclib", "drug:letrozole", "drug:anastrozole"),
    "abvd": ("drug:doxorubicin", "drug:bleomycin", "drug:vinblastine", "drug:dacarbazine"),
    "acalabrutinib+bendamustine+rituximab": ("drug:acalabrutinib", "drug:bendamustine", "drug:rituximab"),
    "acalabrutinib+obinutuzumab": ("drug:acalabrutinib", "drug:obinutuzumab"),
    "acalabrutinib+venetoclax": ("drug:acalabrutinib", "drug:venetoclax"),
    "adebrelimab+etoposide+carboplatin": ("drug:adebrelimab", "drug:etoposide"),
    "adt+abiraterone+prednisone": (
        "drug:goserelin",
        "drug:leuprorelin",
        "drug:abiraterone",
        "drug:prednisone",
    ),
    "adt+abiraterone+prednisone+docetaxel": (
        "drug:goserelin",
        "drug:leuprorelin",
        "drug:docetaxel",
        "drug:abiraterone",
        "drug:prednisone",
    ),
    "adt+apalutamide": ("drug:goserelin", "drug:leuprorelin", "drug:apalutamide"),
    "adt+darolutamide": ("drug:goserelin", "drug:leuprorelin", "drug:darolutamide"),
    "adt+darolutamide+docetaxel": (
        "drug:goserelin",
        "drug:leuprorelin",
        "drug:darolutamide",
        "drug:docetaxel",
    ),
    "adt+enzalutamide": ("drug:goserelin", "drug:leuprorelin", "drug:enzalutamide"),
    "adt+rezvilutamide": ("drug:goserelin", "drug:leuprorelin", "drug:rezvilutamide"),
    "amivantamab+lazertinib": ("drug:amivantamab", "drug:lazertinib"),
    "amivantamab+pemetrexed+carboplatin": ("drug:amivantamab", "drug:pemetrexed"),
    "asciminib": ("drug:asciminib",),
    "atezolizumab+etoposide+carboplatin": ("drug:etoposide",),
    "aumolertinib": ("drug:aumolertinib",),
    "autologous-stem-cell-transplant": ("drug:melphalan", "price:stem_cell_transplant"),
    "bendamustine+rituximab": ("drug:bendamustine", "drug:rituximab"),
    "benmelstobart+anlotinib+etoposide+carboplatin": ("drug:benmelstobart", "drug:etoposide"),
    "bortezomib+lenalidomide+dexamethasone": ("drug:bortezomib", "drug:lenalidomide", "drug:dexamethasone"),
    "bortezomib+rituximab+cyclophosphamide+doxorubicin+prednisone": (
        "drug:bortezomib",
        "drug:rituximab",
        "drug:cyclophosphamide",
        "drug:doxorubicin",
        "drug:prednisone",
    ),
    "bosutinib": ("drug:bosutinib",),
    "brentuximab-vedotin+avd": (
        "drug:brentuximab vedotin",
        "drug:doxorubicin",
        "drug:vinblastine",
        "drug:dacarbazine",
    ),
    "brigatinib": ("drug:brigatinib",),
    "cabozantinib": ("drug:cabozantinib",),
    "cadonilimab+capecitabine+oxaliplatin": ("drug:cadonilimab", "drug:capecitabine", "drug:oxaliplatin"),
    "cadonilimab+paclitaxel+cisplatin-or-carboplatin": ("drug:cadonilimab",),
    "cadonilimab+paclitaxel+cisplatin-or-carboplatin+bevacizumab": ("drug:cadonilimab",),
    "camrelizumab+apatinib": ("drug:apatinib",),
    "camrelizumab+pemetrexed+carboplatin": ("drug:pemetrexed",),
    "capecitabine+bevacizumab": ("drug:capecitabine",),
    "capecitabine+oxaliplatin+bevacizumab": ("drug:capecitabine", "drug:oxaliplatin"),
    "cemiplimab": ("drug:cemiplimab",),
    "cemiplimab+platinum-doublet": ("drug:cemiplimab", "drug:pemetrexed"),
    "cetuximab+platinum+fluorouracil": ("drug:fluorouracil",),
    "dabrafenib+trametinib": ("drug:dabrafenib", "drug:trametinib"),
    "dacomitinib": ("drug:dacomitinib",),
    "dalpiciclib+letrozole-or-anastrozole": ("drug:dalpiciclib", "drug:letrozole", "drug:anastrozole"),
    "daratumumab+bortezomib+lenalidomide+dexamethasone": (
        "drug:daratumumab",
        "drug:bortezomib",
        "drug:lenalidomide",
        "drug:dexamethasone",
    ),
    "daratumumab+lenalidomide+dexamethasone": ("drug:daratumumab", "drug:lenalidomide", "drug:dexamethasone"),
    "dasatinib": ("drug:dasatinib",),
    "datopotamab-deruxtecan": ("drug:datopotamab deruxtecan",),
    "daunorubicin+cytarabine": ("drug:daunorubicin", "drug:cytarabine"),
    "daunorubicin+cytarabine+gemtuzumab-ozogamicin": (
        "drug:daunorubicin",
        "drug:cytarabine",
        "drug:gemtuzumab ozogamicin",
    ),
    "daunorubicin+cytarabine+midostaurin": ("drug:daunorubicin", "drug:cytarabine", "drug:midostaurin"),
    "daunorubicin+cytarabine+quizartinib": ("drug:daunorubicin", "drug:cytarabine", "drug:quizartinib"),
    "daunorubicin-cytarabine-liposome": ("drug:daunorubicin-cytarabine liposome",),
    "donafenib": ("drug:donafenib",),
    "dostarlimab+carboplatin+paclitaxel": ("drug:dostarlimab",),
    "doxorubicin": ("drug:doxorubicin",),
    "doxorubicin+ifosfamide": ("drug:doxorubicin", "drug:ifosfamide"),
    "doxorubicin+trabectedin": ("drug:doxorubicin", "drug:trabectedin"),
    "durvalumab+carboplatin+paclitaxel": ("drug:durvalumab",),
    "durvalumab+etoposide+platinum": ("drug:durvalumab", "drug:etoposide"),
    "durvalumab+tremelimumab": ("drug:durvalumab", "drug:tremelimumab"),
    "durvalumab+tremelimumab+platinum-doublet": (
        "drug:durvalumab",
        "drug:tremelimumab",
        "drug:pemetrexed",
        "drug:nab-paclitaxel",
    ),
    "encorafenib+binimetinib": ("drug:encorafenib", "drug:binimetinib"),
    "encorafenib+cetuximab+fluorouracil+leucovorin+oxaliplatin": (
        "drug:encorafenib",
        "drug:fluorouracil",
        "drug:leucovorin",
        "drug:oxaliplatin",
    ),
    "enfortumab-vedotin+pembrolizumab": ("drug:enfortumab vedotin",),
    "ensartinib": ("drug:ensartinib",),
    "erlotinib": ("drug:erlotinib",),
    "etoposide+platinum": ("drug:etoposide",),
    "flumatinib": ("drug:flumatinib",),
    "fluorouracil+leucovorin+irinotecan+cetuximab": (
        "drug:fluorouracil",
        "drug:leucovorin",
        "drug:irinotecan",
    ),
    "fluorouracil+leucovorin+irinotecan+oxaliplatin": (
        "drug:fluorouracil",
        "drug:leucovorin",
        "drug:irinotecan",
        "drug:oxaliplatin",
    ),
    "fluorouracil+leucovorin+irinotecan+oxaliplatin+bevacizumab": (
        "drug:fluorouracil",
        "drug:leucovorin",
        "drug:irinotecan",
        "drug:oxaliplatin",
    ),
    "fluorouracil+leucovorin+oxaliplatin+bevacizumab": (
        "drug:fluorouracil",
        "drug:leucovorin",
        "drug:oxaliplatin",
    ),
    "fluorouracil+leucovorin+oxaliplatin+cetuximab": (
        "drug:fluorouracil",
        "drug:leucovorin",
        "drug:oxaliplatin",
    ),
    "fluorouracil+leucovorin+oxaliplatin+panitumumab": (
        "drug:fluorouracil",
        "drug:leucovorin",
        "drug:oxaliplatin",
        "drug:panitumumab",
    ),
    "furmonertinib": ("drug:furmonertinib",),
    "gemcitabine+cisplatin+durvalumab": ("drug:durvalumab",),
    "gemcitabine+nab-paclitaxel": ("drug:nab-paclitaxel",),
    "inavolisib+palbociclib+fulvestrant": ("drug:inavolisib", "drug:palbociclib"),
    "irinotecan-liposome+fluorouracil+leucovorin+oxaliplatin": (
        "drug:irinotecan liposome",
        "drug:fluorouracil",
        "drug:leucovorin",
        "drug:oxaliplatin",
    ),
    "isatuximab+bortezomib+lenalidomide+dexamethasone": (
        "drug:isatuximab",
        "drug:bortezomib",
        "drug:lenalidomide",
        "drug:dexamethasone",
    ),
    "ivonescimab": ("drug:ivonescimab",),
    "ivosidenib+azacitidine": ("drug:ivosidenib",),
    "lenalidomide+rituximab": ("drug:lenalidomide", "drug:rituximab"),
    "lorlatinib": ("drug:lorlatinib",),
    "nivolumab+avd": ("drug:doxorubicin", "drug:vinblastine", "drug:dacarbazine"),
    "nivolumab+cabozantinib": ("drug:cabozantinib",),
    "nivolumab+cisplatin+fluorouracil": ("drug:fluorouracil",),
    "nivolumab+ipilimumab": ("drug:ipilimumab",),
    "nivolumab+ipilimumab+platinum-doublet": ("drug:ipilimumab", "drug:pemetrexed"),
    "nivolumab+oxaliplatin+fluoropyrimidine": (
        "drug:oxaliplatin",
        "drug:capecitabine",
        "drug:fluorouracil",
        "drug:leucovorin",
    ),
    "nivolumab+relatlimab": ("drug:relatlimab",),
    "obinutuzumab+bendamustine": ("drug:obinutuzumab", "drug:bendamustine"),
    "osimertinib+pemetrexed+platinum": ("drug:pemetrexed",),
    "palbociclib+letrozole": ("drug:palbociclib", "drug:letrozole"),
    "pembrolizumab+cisplatin+fluorouracil": ("drug:fluorouracil",),
    "pembrolizumab+fluoropyrimidine+platinum": ("drug:fluorouracil", "drug:capecitabine", "drug:oxaliplatin"),
    "pembrolizumab+pemetrexed+platinum": ("drug:pemetrexed",),
    "pembrolizumab+platinum+fluorouracil": ("drug:fluorouracil",),
    "pembrolizumab+trastuzumab+fluoropyrimidine+platinum": (
        "drug:capecitabine",
        "drug:fluorouracil",
        "drug:oxaliplatin",
    ),
    "pemetrexed+platinum": ("drug:pemetrexed",),
    "pemetrexed+platinum+bevacizumab": ("drug:pemetrexed",),
    "pola-r-chp": (
        "drug:polatuzumab vedotin",
        "drug:rituximab",
        "drug:cyclophosphamide",
        "drug:doxorubicin",
        "drug:prednisone",
    ),
    "ponatinib+reduced-intensity-chemotherapy": (
        "drug:ponatinib",
        "drug:vincristine",
        "drug:dexamethasone",
        "drug:methotrexate",
        "drug:cytarabine",
    ),
    "pyrotinib+trastuzumab+docetaxel": ("drug:pyrotinib", "drug:docetaxel"),
    "r-chop": (
        "drug:rituximab",
        "drug:cyclophosphamide",
        "drug:doxorubicin",
        "drug:vincristine",
        "drug:prednisone",
    ),
    "r-chop-r-dhap+ibrutinib": (
        "drug:rituximab",
        "drug:cyclophosphamide",
        "drug:doxorubicin",
        "drug:vincristine",
        "drug:prednisone",
        "drug:dexamethasone",
        "drug:cytarabine",
    ),
    "r-chop-r-dhap-then-asct": (
        "drug:rituximab",
        "drug:cyclophosphamide",
        "drug:doxorubicin",
        "drug:vincristine",
        "drug:prednisone",
        "drug:dexamethasone",
        "drug:cytarabine",
        "price:stem_cell_transplant",
    ),
    "ribociclib+fulvestrant": ("drug:ribociclib",),
    "ribociclib+letrozole": ("drug:ribociclib", "drug:letrozole"),
    "sacituzumab-govitecan": ("drug:sacituzumab govitecan",),
    "sacituzumab-govitecan+pembrolizumab": ("drug:sacituzumab govitecan",),
    "selpercatinib": ("drug:selpercatinib",),
    "serplulimab+carboplatin+nab-paclitaxel": ("drug:serplulimab", "drug:nab-paclitaxel"),
    "serplulimab+etoposide+carboplatin": ("drug:serplulimab", "drug:etoposide"),
    "sintilimab+capecitabine+oxaliplatin": ("drug:capecitabine", "drug:oxaliplatin"),
    "sintilimab+pemetrexed+platinum": ("drug:pemetrexed",),
    "sorafenib": ("drug:sorafenib",),
    "tislelizumab+etoposide+platinum": ("drug:etoposide",),
    "tislelizumab+fluoropyrimidine+platinum": ("drug:oxaliplatin", "drug:capecitabine", "drug:fluorouracil"),
    "tislelizumab+pemetrexed+platinum": ("drug:pemetrexed",),
    "toripalimab+etoposide+platinum": ("drug:etoposide",),
    "toripalimab+nab-paclitaxel": ("drug:nab-paclitaxel",),
    "toripalimab+platinum-doublet": ("drug:pemetrexed", "drug:nab-paclitaxel"),
    "trastuzumab+cisplatin+fluoropyrimidine": ("drug:capecitabine", "drug:fluorouracil"),
    "trastuzumab+pertuzumab+docetaxel": ("drug:pertuzumab", "drug:docetaxel"),
    "trastuzumab-deruxtecan+pertuzumab": ("drug:trastuzumab deruxtecan", "drug:pertuzumab"),
    "tretinoin+arsenic-trioxide": ("drug:tretinoin", "drug:arsenic trioxide"),
    "tretinoin+realgar-indigo-naturalis-formula": ("drug:tretinoin", "drug:realgar-indigo naturalis formula"),
    "vandetanib": ("drug:vandetanib",),
    "venetoclax+azacitidine": ("drug:venetoclax",),
    "venetoclax+low-dose-cytarabine": ("drug:venetoclax", "drug:cytarabine"),
    "venetoclax+obinutuzumab": ("drug:venetoclax", "drug:obinutuzumab"),
    "zanubrutinib": ("drug:zanubrutinib",),
    "zolbetuximab+oxaliplatin+fluoropyrimidine": (
        "drug:zolbetuximab",
        "drug:oxaliplatin",
        "drug:fluorouracil",
        "drug:leucovorin",
        "drug:capecitabine",
    ),
    # Knowledge base v3 (branch kbnew, 2026-12-07): first-line level-1 regimens of the new cancers
    # and of cobimetinib. No China price was searched for these components in that change (the
    # drugs have no cost item); the cost-model owners are to search and model them.
    "atezolizumab+cobimetinib+vemurafenib": ("drug:cobimetinib",),
    "brentuximab-vedotin+chp": (
        "drug:brentuximab vedotin",
        "drug:cyclophosphamide",
        "drug:doxorubicin",
        "drug:prednisone",
    ),
    "cobimetinib+vemurafenib": ("drug:cobimetinib",),
    "lenalidomide-mds": ("drug:lenalidomide",),
    "luspatercept": ("drug:luspatercept",),
    "rituximab+lmb-chemotherapy": (
        "drug:rituximab",
        "drug:prednisone",
        "drug:vincristine",
        "drug:cyclophosphamide",
        "drug:methotrexate",
        "drug:cytarabine",
        "drug:doxorubicin",
        "drug:etoposide",
    ),
    # knowledge base v4 heme (branch kbheme4): no China price searched for these in that change
    "fedratinib": ("drug:fedratinib",),
    "ibrutinib+rituximab": ("drug:rituximab",),
    "ruxolitinib": ("drug:ruxolitinib",),
    # Knowledge base v4 (branch kbsolid, 2026-12-07): first-line level-1 regimens of the new solid
    # cancers (GEP-NETs, anal SCC, uveal melanoma, testicular germ cell tumours). No China price was searched for these components
    # in that change (the drugs have no cost item); the cost-model owners are to search and model them.
    "bep-x3": ("drug:bleomycin", "drug:etoposide"),
    "bep-x4": ("drug:bleomycin", "drug:etoposide"),
    "ep-x4": ("drug:etoposide",),
    "lanreotide": ("drug:lanreotide",),
    "lutetium-177-dotatate": ("drug:lutetium-177 oxodotreotide",),
    "retifanlimab+carboplatin+paclitaxel": ("drug:retifanlimab",),
    "tebentafusp": ("drug:tebentafusp",),
    # Fifth sitting of 2026-12-07 (lead): first-line items added for squamous NSCLC and pancreatic
    # NET; no China price was searched for nab-paclitaxel in that change (everolimus was priced on
    # 2026-12-08 and modelled).
    "carboplatin+nab-paclitaxel": ("drug:nab-paclitaxel",),
    # Knowledge base v5 heme (branch kb-heme5, 2026-12-08): first-line level-1 regimens of polycythaemia
    # vera and essential thrombocythaemia. No China price was searched for these components in that
    # change (the drugs and phlebotomy have no cost item); the cost-model owners are to search and model them.
    "phlebotomy+aspirin": ("drug:aspirin", "service:phlebotomy+aspirin"),
    "hydroxycarbamide+aspirin": ("drug:hydroxycarbamide", "drug:aspirin"),
    # Knowledge base v5 (branch kb-solid5, 2026-12-08): first-line level-1 regimens of the new solid
    # cancers (adrenocortical carcinoma, gestational trophoblastic neoplasia). No China price was searched for these components in that
    # change (mitotane has no Chinese approval seen); the cost-model owners are to search and model them.
    "etoposide+doxorubicin+cisplatin+mitotane": ("drug:etoposide", "drug:doxorubicin", "drug:mitotane"),
    # gestational trophoblastic neoplasia (low-risk single agents, GOG 174): not priced in that change
    "dactinomycin": ("drug:dactinomycin",),
    "methotrexate": ("drug:methotrexate",),
    # desmoid tumour (DeFi): nirogacestat has no Chinese approval seen
    "nirogacestat": ("drug:nirogacestat",),
}


@cache
def _kb() -> KnowledgeBase:
    return load_knowledge_base(settings.KNOWLEDGE_BASE_PATH)


def _first_line_standard(kb: KnowledgeBase) -> set[str]:
    return {e.regimen for e in kb.evidence if e.setting == "first_line" and e.level.value == "1"}


def _models(kb: KnowledgeBase) -> dict[str, RegimenCost]:
    return {m.regimen: m for m in kb.regimen_costs}


def _items(kb: KnowledgeBase) -> dict[str, CostItem]:
    return {c.id: c for c in kb.costs}


def _still_unpriced(kb: KnowledgeBase, regimen: str, token: str) -> str | None:
    """None when the token names a component that still has no cost item, else why it is stale."""
    kind, _, what = token.partition(":")
    if kind == "drug":
        if what not in kb.regimen_by_id[regimen].drugs:
            return f"{what} is not a drug of {regimen}"
        priced = [c.id for c in kb.costs if c.drug == what]
    elif kind == "price":
        if what not in get_args(CostComponent):
            return f"{what} is not a cost component"
        priced = [c.id for c in kb.costs if c.component == what]
    elif kind == "service":
        priced = [c.id for c in kb.costs if c.regimen == what]
    else:
        return f"unknown token kind {kind!r}"
    return f"{what} now has cost items {priced}: model the regimen" if priced else None


def test_first_line_standard_regimens_have_a_cost_model_or_a_documented_gap():
    kb = _kb()
    models = _models(kb)
    missing = sorted(r for r in _first_line_standard(kb) if r not in models and r not in UNPRICED)
    assert not missing, f"first-line level-1 regimens without a cost model or an UNPRICED entry: {missing}"


def test_unpriced_entries_name_components_that_are_still_unpriced():
    kb = _kb()
    models = _models(kb)
    standard = _first_line_standard(kb)
    stale = []
    for regimen, tokens in UNPRICED.items():
        if regimen not in kb.regimen_by_id:
            continue
        if regimen in models:
            stale.append(f"{regimen}: has a cost model now, remove its entry")
        if regimen not in standard:
            stale.append(f"{regimen}: no longer first-line level-1 evidence, remove it from UNPRICED")
        if not tokens:
            stale.append(f"{regimen}: names no missing component")
        stale += [f"{regimen}: {why}" for t in tokens if (why := _still_unpriced(kb, regimen, t))]
    assert not stale, stale


def test_every_item_a_cost_model_uses_is_sourced_dated_and_citable():
    kb = _kb()
    items = _items(kb)
    records = {r.ref for r in kb.references}
    problems = []
    for m in kb.regimen_costs:
        for use in m.uses:
            item = items.get(use.item)
            if item is None:
                problems.append(f"{m.regimen}: unknown item {use.item}")
                continue
            if not item.sources:
                problems.append(f"{item.id}: no source")
            for ref in item.sources:
                if INTERNAL_SOURCE.search(ref):
                    problems.append(f"{item.id}: internal source {ref}")
                elif not ref.startswith(SELF_LINKING) and ref not in records:
                    problems.append(f"{item.id}: {ref} has no reference record (knowledge/references/)")
            if item.price_date > item.reviewed:
                problems.append(f"{item.id}: price date {item.price_date} after review {item.reviewed}")
            if not item.verified and not item.notes:
                problems.append(f"{item.id}: a planning range must say in notes what it is read from")
        for ref in m.sources:
            if INTERNAL_SOURCE.search(ref):
                problems.append(f"{m.regimen}: internal source {ref}")
            elif ref.startswith(("NOTICE:", "BOOK:")) and ref not in records:
                problems.append(f"{m.regimen}: {ref} has no reference record")
    assert not problems, problems


def test_every_cost_model_states_its_duration_in_both_languages():
    for m in _kb().regimen_costs:
        assert m.duration_note is not None, m.regimen
        assert CJK.search(m.duration_note.zh), f"{m.regimen}: the Chinese duration note has no Chinese"
        assert m.duration_note.en != m.duration_note.zh, m.regimen


def test_per_dose_drug_items_state_the_dose_they_price():
    for item in _kb().costs:
        if item.component == "chemo_cycle" and item.unit == "once":
            text = f"{item.name.en} {item.notes or ''}"
            assert DOSE_ASSUMPTION.search(text), f"{item.id}: no dose (mg/m², AUC or mg/kg) stated"
            assert "1.7" in text or "65 kg" in text or "AUC" in text, f"{item.id}: no body-size assumption"


def test_cost_models_give_a_positive_ordered_range():
    kb = _kb()
    items = _items(kb)
    for m in kb.regimen_costs:
        months = m.typical_months or (
            m.typical_cycles * m.cycle_days / 30.4 if m.typical_cycles and m.cycle_days else None
        )
        times = {"cycle": m.typical_cycles, "month": m.typical_months or months, "course": 1}
        low = sum(items[u.item].cny_low * u.units * (times[u.per] or 0) for u in m.uses)
        high = sum(items[u.item].cny_high * u.units * (times[u.per] or 0) for u in m.uses)
        assert 0 < low <= high, (m.regimen, low, high)


def test_a_missing_cost_model_is_caught():
    kb = _kb()
    standard = _first_line_standard(kb)
    modelled = sorted(standard & set(_models(kb)))
    assert modelled, "no first-line standard regimen has a cost model"
    without = {r for r in standard if r not in set(_models(kb)) - {modelled[0]} and r not in UNPRICED}
    assert modelled[0] in without
