"""Draft reference records (knowledge/references/) for LABEL: / GUIDELINE: / NOTICE: / BOOK:
references that have none yet.

    .venv/bin/python scripts/kb_reference_drafts.py            # drafts, as YAML, per target file
    .venv/bin/python scripts/kb_reference_drafts.py --missing  # only list references without a record

A draft is a proposal for a curator, not a record: the rules below give each kind of reference
the address where a reader opens it (an FDA label through DailyMed, an EMA product through its
EPAR page, an NCCN guideline through its page on nccn.org, NMPA records through the NMPA
database, NRDL lists through the NHSA). Review every draft before it goes into the knowledge
base; references the rules do not recognise are listed for hand-writing.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from typing import Any
from urllib.parse import quote_plus

import yaml

from onconav.kbdata.loader import load_knowledge_base

# US brands no longer marketed under that name (DailyMed finds the generic labels by INN).
US_BRANDS_GONE = {
    "Cytosar-U",
    "Platinol",
    "Paraplatin",
    "Taxol",
    "Mutamycin",
    "VePesid",
    "Cytoxan",
    "Nolvadex",
    "Adriamycin",
}
KINDS = ("LABEL:", "GUIDELINE:", "NOTICE:", "BOOK:")
DAILYMED = "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query={}"
EPAR = "https://www.ema.europa.eu/en/medicines/human/EPAR/{}"
NMPA_DB = "https://www.nmpa.gov.cn/datasearch/home-index.html"
NHSA = "https://www.nhsa.gov.cn/"
MOHRSS = "https://www.mohrss.gov.cn/"
CSCO = "https://www.csco.org.cn/"
NCCN = "https://www.nccn.org/guidelines/guidelines-detail?category={}&id={}"
NCCN_CATEGORY_1 = "https://www.nccn.org/guidelines/category_1"
NCCN_CATEGORY_3 = "https://www.nccn.org/guidelines/category_3"

# NCCN guideline pages (category, id), each id seen in at least one public page naming the
# guideline, and agreeing with the others where several were seen.
NCCN_PAGES: dict[str, tuple[int, int, str]] = {
    "Non-Small Cell Lung Cancer": (1, 1450, "非小细胞肺癌"),
    "NSCLC": (1, 1450, "非小细胞肺癌"),
    "Small Cell Lung Cancer": (1, 1462, "小细胞肺癌"),
    "SCLC": (1, 1462, "小细胞肺癌"),
    "Breast Cancer": (1, 1419, "乳腺癌"),
    "Colon Cancer": (1, 1428, "结肠癌"),
    "Rectal Cancer": (1, 1461, "直肠癌"),
    "Gastric Cancer": (1, 1434, "胃癌"),
    "Esophageal and Esophagogastric Junction Cancers": (1, 1433, "食管癌和食管胃结合部癌"),
    "Pancreatic Adenocarcinoma": (1, 1455, "胰腺癌"),
    "Prostate Cancer": (1, 1459, "前列腺癌"),
    "Ovarian Cancer": (1, 1453, "卵巢癌"),
    "Kidney Cancer": (1, 1440, "肾癌"),
    "Melanoma: Cutaneous": (1, 1492, "皮肤黑色素瘤"),
    "Head and Neck Cancers": (1, 1437, "头颈部肿瘤"),
    "Cervical Cancer": (1, 1426, "宫颈癌"),
    "Multiple Myeloma": (1, 1445, "多发性骨髓瘤"),
    "B-cell lymphomas": (1, 1480, "B细胞淋巴瘤"),
    "B-Cell Lymphomas": (1, 1480, "B细胞淋巴瘤"),
    "Acute Lymphoblastic Leukemia": (1, 1410, "急性淋巴细胞白血病"),
    "Palliative Care": (3, 1454, "姑息治疗"),
}
NCCN_OTHER_ZH = {
    "Adult Cancer Pain": ("成人癌痛", 3),
    "Older Adult Oncology": ("老年肿瘤", 3),
    "Central Nervous System Cancers": ("中枢神经系统肿瘤", 1),
    "Management of Immunotherapy-Related Toxicities": ("免疫治疗相关毒性管理", 3),
}
NCCN_QUALIFIER_ZH = {
    "(biomarker-directed therapy)": "（生物标志物指导的治疗）",
    "(clinical trial participation statement)": "（关于参加临床试验的声明）",
    "(immunotherapy, site-specific)": "（免疫治疗，各瘤种）",
    "(principles of radiation therapy, site-specific)": "（放射治疗原则，各瘤种）",
    "(site-specific)": "（各瘤种）",
    "(surgical principles, site-specific)": "（外科治疗原则，各瘤种）",
    "(systemic therapy, site-specific)": "（系统治疗，各瘤种）",
    "(RAS testing before anti-EGFR therapy)": "（抗EGFR治疗前的RAS检测）",
    "(universal MMR or MSI testing)": "（普遍开展MMR或MSI检测）",
    "(thermal ablation for small renal masses)": "（小肾肿块的热消融）",
    "(ALK rearrangement)": "（ALK重排）",
    "(EGFR T790M)": "（EGFR T790M突变）",
    "(EGFR exon 19 deletion or exon 21 L858R)": "（EGFR 19号外显子缺失或21号外显子L858R突变）",
    "(EGFR exon 20 insertion)": "（EGFR 20号外显子插入突变）",
    "(ERBB2 (HER2) mutation)": "（ERBB2（HER2）突变）",
    "(MET exon 14 skipping)": "（MET 14号外显子跳跃突变）",
    "(ROS1 rearrangement)": "（ROS1重排）",
    "(resectability criteria)": "（可切除性标准）",
    "(HRR gene testing)": "（同源重组修复基因检测）",
    "(antiemesis, adult cancer pain, cancer-related fatigue)": "（止吐、成人癌痛、癌因性疲乏）",
}
CSCO_ZH = {
    "NSCLC": "非小细胞肺癌",
    "SCLC": "小细胞肺癌",
    "Esophageal Cancer": "食管癌",
    "Gastric Cancer": "胃癌",
    "Lymphoid malignancies": "淋巴恶性肿瘤",
    "Nasopharyngeal Carcinoma": "鼻咽癌",
}


def _walk(value: Any, out: set[str]) -> None:
    if isinstance(value, dict):
        for v in value.values():
            _walk(v, out)
    elif isinstance(value, list):
        for v in value:
            _walk(v, out)
    elif isinstance(value, str) and value.startswith(KINDS):
        out.add(value)


def used_references(kb: Any) -> set[str]:
    out: set[str] = set()
    for section in (
        "modalities", "cancers", "biomarkers", "drugs", "regimens", "evidence", "trials",
        "hospitals", "costs", "exchange_rates", "faq", "regimen_costs",
    ):  # fmt: skip
        for rec in getattr(kb, section):
            _walk(rec.model_dump(mode="json"), out)
    for section in (
        "facts",
        "fitness",
        "classes",
        "tests",
        "panels",
        "exclusive",
        "ranking",
        "labels",
        "her2",
    ):
        value = getattr(kb.policy, section)
        for rec in value if isinstance(value, tuple) else [value] if value else []:
            _walk(rec.model_dump(mode="json"), out)
    return out


def drugs_citing(kb: Any) -> dict[str, set[str]]:
    """Reference -> INNs of the drugs it is cited for (drug records and evidence regimens)."""
    out: dict[str, set[str]] = defaultdict(set)
    for d in kb.drugs:
        refs: set[str] = set()
        _walk(d.model_dump(mode="json"), refs)
        for r in refs:
            out[r].add(d.inn)
    for e in kb.evidence:
        reg = kb.regimen_by_id.get(e.regimen)
        for r in [*e.references, *e.sources]:
            out[r].update(reg.drugs if reg else [])
    return out


def _drug_zh(kb: Any, inns: set[str]) -> tuple[str, str] | None:
    if len(inns) != 1:
        return None
    inn = next(iter(inns))
    return inn, kb.drug_by_inn[inn].name_zh


def _year(text: str) -> int | None:
    m = re.search(r"\b(19[5-9]\d|20[0-3]\d)\b", text)
    return int(m.group(1)) if m else None


def _by_brand(kb: Any, brand: str, inns: set[str]) -> set[str]:
    """The one drug a brand names (among the citing drugs first), else the citing drugs."""
    b = brand.lower()
    pool = [kb.drug_by_inn[i] for i in inns] or list(kb.drugs)
    hits = {d.inn for d in pool if b in {x.lower() for x in d.brands} or b == d.inn}
    if not hits:
        hits = {d.inn for d in kb.drugs if b in {x.lower() for x in d.brands}}
    return hits if len(hits) == 1 else inns


def draft_fda(ref: str, kb: Any, inns: set[str]) -> dict[str, Any]:
    body = ref.removeprefix("LABEL:FDA ").strip()
    brand = re.split(r" prescribing information| \(", body)[0].strip()
    inns = _by_brand(kb, brand.split(" and ")[0], inns)
    drug = _drug_zh(kb, inns)
    generic = brand[:1].islower() or brand.split()[0].lower() == (drug[0] if drug else "")
    query = drug[0] if drug and (generic or brand in US_BRANDS_GONE or " and " in brand) else brand
    title = f"FDA prescribing information: {body.replace(' prescribing information', '')}"
    zh_drug = f"{drug[1]}（{drug[0]}）" if drug else brand
    return {
        "ref": ref,
        "type": "label",
        "title": title,
        "title_zh": f"美国FDA药品说明书：{zh_drug}",
        "url": DAILYMED.format(quote_plus(query)),
        "publisher": "U.S. Food and Drug Administration (via DailyMed, U.S. National Library of Medicine)",
        **({"year": _year(body)} if _year(body) else {}),
    }


def draft_ema(ref: str, kb: Any, inns: set[str]) -> dict[str, Any]:
    body = ref.removeprefix("LABEL:EMA ").strip()
    product = re.sub(r" (EPAR|SmPC)$", "", body)
    drug = _drug_zh(kb, _by_brand(kb, product, inns))
    zh_drug = f"{drug[1]}（{drug[0]}）" if drug else product
    kind = (
        "summary of product characteristics" if body.endswith("SmPC") else "European public assessment report"
    )
    kind_zh = "产品特性概要" if body.endswith("SmPC") else "欧洲公开评估报告"
    return {
        "ref": ref,
        "type": "label",
        "title": f"EMA {kind}: {product}",
        "title_zh": f"欧洲药品管理局{kind_zh}：{zh_drug}",
        "url": EPAR.format(product.lower().replace(" ", "-")),
        "publisher": "European Medicines Agency",
    }


def draft_nmpa_label(ref: str, kb: Any, inns: set[str]) -> dict[str, Any]:
    drug = _drug_zh(kb, inns)
    zh_drug = f"{drug[1]}（{drug[0]}）" if drug else ref
    return {
        "ref": ref,
        "type": "label",
        "title": f"NMPA-approved Chinese prescribing information: {ref.removeprefix('LABEL:NMPA ')}",
        "title_zh": f"国家药品监督管理局核准的药品说明书：{zh_drug}",
        "url": NMPA_DB,
        "publisher": "National Medical Products Administration (NMPA) drug database",
        "note": "The NMPA database has no stable address per product: search it by the drug's Chinese name.",
    }


def draft_nccn(ref: str) -> dict[str, Any] | None:
    body = ref.removeprefix("GUIDELINE:NCCN ").strip()
    name = re.split(r" \(", body)[0].strip()
    qualifier = body[len(name) :].strip()
    if name in NCCN_PAGES:
        cat, gid, zh = NCCN_PAGES[name]
        url = NCCN.format(cat, gid)
    elif name in NCCN_OTHER_ZH:
        zh, cat = NCCN_OTHER_ZH[name]
        url = NCCN_CATEGORY_3 if cat == 3 else NCCN_CATEGORY_1
    elif name.startswith("Clinical Practice Guidelines in Oncology") or name.startswith("Supportive Care"):
        zh = "各瘤种指南" if name.startswith("Clinical") else "支持治疗指南"
        url = NCCN_CATEGORY_3 if name.startswith("Supportive") else NCCN_CATEGORY_1
    else:
        return None
    return {
        "ref": ref,
        "type": "guideline",
        "title": f"NCCN Clinical Practice Guidelines in Oncology: {body}",
        "title_zh": f"美国国立综合癌症网络（NCCN）肿瘤临床实践指南：{zh}{NCCN_QUALIFIER_ZH.get(qualifier, '')}",
        "url": url,
        "publisher": "National Comprehensive Cancer Network",
        "note": "Current version on nccn.org (free registration); the version cited is the one current at review.",
    }


def draft_csco(ref: str) -> dict[str, Any] | None:
    body = ref.removeprefix("GUIDELINE:CSCO ").strip()
    zh = CSCO_ZH.get(body)
    if zh is None:
        return None
    return {
        "ref": ref,
        "type": "guideline",
        "title": f"Chinese Society of Clinical Oncology (CSCO) guidelines: {body}",
        "title_zh": f"中国临床肿瘤学会（CSCO）{zh}诊疗指南",
        "url": CSCO,
        "publisher": "Chinese Society of Clinical Oncology; People's Medical Publishing House",
        "note": "CSCO guidelines are published yearly as books; the society's site lists the current editions.",
    }


def draft_nrdl(ref: str) -> dict[str, Any] | None:
    body = ref.removeprefix("NOTICE:").strip()
    year = _year(body)
    if year is None:
        return None
    mohrss = body.startswith("MOHRSS") or (year == 2017 and "NHSA" in body)
    return {
        "ref": ref,
        "type": "nrdl_list",
        "title": f"National Reimbursement Drug List: {body}",
        "title_zh": f"国家医保药品目录（{year}年）{'谈判药品' if 'negotiat' in body else ''}",
        "url": MOHRSS if mohrss else NHSA,
        "publisher": (
            "Ministry of Human Resources and Social Security"
            if mohrss
            else "National Healthcare Security Administration"
        ),
        "year": year,
        "note": (
            "The 2017 list was issued by MOHRSS (the NHSA was founded in 2018)." if mohrss else
            "Official lists are published on the NHSA site; no stable address per list was confirmed."
        ),
    }  # fmt: skip


def _named(kb: Any, text: str) -> list[Any]:
    """Drugs whose INN the text names, in the order they appear."""
    low = text.lower()
    hits = [(low.find(d.inn), d) for d in kb.drugs if re.search(rf"\b{re.escape(d.inn)}\b", low)]
    return [d for _, d in sorted(hits, key=lambda x: x[0])]


def draft_nmpa_notice(ref: str, kb: Any, inns: set[str]) -> dict[str, Any]:
    body = ref.removeprefix("NOTICE:").strip()
    named = _named(kb, body)
    year = _year(body)
    zh_drug = "、".join(f"{d.name_zh}（{d.inn}）" for d in named)
    return {
        "ref": ref,
        "type": "notice",
        "title": f"NMPA approval record: {body.removeprefix('NMPA ')}",
        "title_zh": f"国家药品监督管理局批准记录：{zh_drug}{f'（{year}年）' if year else ''}",
        "url": NMPA_DB,
        "publisher": "National Medical Products Administration (NMPA)",
        **({"year": year} if year else {}),
        "note": "Approval records are searchable in the NMPA database by the drug's Chinese name.",
    }


def draft(ref: str, kb: Any, inns: set[str]) -> tuple[str, dict[str, Any] | None]:
    """(target file, draft record or None when a human must write it)."""
    if ref.startswith("LABEL:FDA "):
        return "labels-fda.yaml", draft_fda(ref, kb, inns)
    if ref.startswith("LABEL:EMA "):
        return "labels-ema.yaml", draft_ema(ref, kb, inns)
    if ref.startswith("LABEL:NMPA "):
        return "labels-nmpa.yaml", draft_nmpa_label(ref, kb, inns)
    if ref.startswith("GUIDELINE:NCCN "):
        return "guidelines.yaml", draft_nccn(ref)
    if ref.startswith("GUIDELINE:CSCO "):
        return "guidelines.yaml", draft_csco(ref)
    if re.match(r"NOTICE:(NHSA|MOHRSS)", ref):
        return "nrdl.yaml", draft_nrdl(ref)
    if ref.startswith("NOTICE:NMPA"):
        return "notices-nmpa.yaml", draft_nmpa_notice(ref, kb, inns)
    return "by-hand", None


def main(argv: list[str]) -> int:
    kb = load_knowledge_base(strict=False)
    known = {r.ref for r in kb.references}
    missing = sorted(used_references(kb) - known)
    if "--missing" in argv:
        print("\n".join(missing))
        return 0
    citing = drugs_citing(kb)
    files: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_hand: list[str] = []
    for ref in missing:
        target, rec = draft(ref, kb, citing.get(ref, set()))
        if rec is None:
            by_hand.append(ref)
        else:
            files[target].append({k: v for k, v in rec.items() if v is not None})
    for target, recs in sorted(files.items()):
        print(f"# --- {target} ({len(recs)})")
        print(yaml.safe_dump(recs, allow_unicode=True, sort_keys=False, width=110))
    print(f"# --- by hand ({len(by_hand)})")
    for ref in by_hand:
        print(f"# {ref}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
