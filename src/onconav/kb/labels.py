"""Bilingual labels for the codes knowledge-base pages show (settings, stage groups, routes,
modalities, guideline preference, agencies, China access, reference types).

A code such as ``first_line`` or ``not_available`` never reaches a page: templates show
``label(namespace, code)``. The policy file ``knowledge/policy/labels.yaml`` (see
``onconav.kbdata.policy.Labels``) is the shared source of labels; where it has a label for a
code, that label wins. The table below covers what the knowledge-base pages need until, and
wherever, the policy has no entry. ``tests/kb/test_public_pages.py`` checks that every code the
knowledge base uses has a label in both languages.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

KB_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "setting": {
        "neoadjuvant": ("Before surgery (neoadjuvant)", "术前治疗（新辅助）"),
        "perioperative": ("Before and after surgery (perioperative)", "围手术期治疗（术前及术后）"),
        "definitive": ("Curative local treatment", "根治性局部治疗"),
        "adjuvant": ("After surgery (adjuvant)", "术后治疗（辅助）"),
        "consolidation": ("Consolidation", "巩固治疗"),
        "first_line": ("First treatment for advanced disease", "晚期一线治疗"),
        "later_line": ("After earlier treatment", "既往治疗后（后线治疗）"),
        "maintenance": ("Maintenance", "维持治疗"),
        "supportive": ("Supportive and palliative care", "支持与姑息治疗"),
        "any": ("Any point in treatment", "治疗的任何阶段"),
    },
    "stage_group": {
        "early": ("Early (curable by local treatment)", "早期（可局部根治）"),
        "locally_advanced": ("Locally advanced", "局部晚期"),
        "advanced": ("Advanced or metastatic", "晚期或转移性"),
    },
    "route": {
        "oral": ("By mouth", "口服"),
        "iv": ("Into a vein (drip)", "静脉输注"),
        "infusion": ("Infusion", "输注"),
        "sc": ("Injection under the skin", "皮下注射"),
        "im": ("Injection into a muscle", "肌内注射"),
        "intravesical": ("Into the bladder", "膀胱内灌注"),
        "intratumoral": ("Injection into the tumour", "瘤内注射"),
        "topical": ("On the skin", "外用"),
    },
    "modality": {
        "surgery": ("Surgery", "手术"),
        "radiotherapy": ("Radiotherapy", "放射治疗"),
        "chemotherapy": ("Chemotherapy", "化疗"),
        "targeted_therapy": ("Targeted therapy", "靶向治疗"),
        "immunotherapy": ("Immunotherapy", "免疫治疗"),
        "cell_therapy": ("Cell therapy", "细胞治疗"),
        "bispecific_antibody": ("Bispecific antibody", "双特异性抗体"),
        "cancer_vaccine": ("Cancer vaccine", "肿瘤疫苗"),
        "ablation": ("Ablation", "消融治疗"),
        "interventional": ("Interventional treatment", "介入治疗"),
        "supportive_care": ("Supportive care", "支持治疗"),
        "palliative_care": ("Palliative care", "姑息治疗"),
        "clinical_trial": ("Clinical trial", "临床试验"),
    },
    "level": {
        "1": ("Standard of care", "标准治疗"),
        "2": ("Guideline-supported", "指南推荐"),
        "3A": ("Promising clinical evidence", "有前景的临床证据"),
        "3B": ("Evidence in another cancer", "其他癌种的证据"),
        "4": ("Early or biological evidence", "早期或生物学证据"),
        "R1": ("Resistance (standard)", "耐药（标准）"),
        "R2": ("Resistance (clinical evidence)", "耐药（临床证据）"),
    },
    "access": {
        "approved": ("Approved in China", "中国已批准"),
        "approved_other_indication": ("Approved in China for another use", "中国已批准（其他适应症）"),
        "boao_only": ("Boao Lecheng pilot zone only", "仅限博鳌乐城先行区"),
        "trial_only": ("Clinical trials only", "仅限临床试验"),
        "not_available": ("Not available in China", "中国不可及"),
        "unknown": ("China status unknown", "中国可及性未知"),
    },
    "nccn": {
        "preferred": ("NCCN: preferred", "NCCN：优选方案"),
        "other_recommended": ("NCCN: other recommended", "NCCN：其他推荐方案"),
        "certain_circumstances": ("NCCN: useful in certain circumstances", "NCCN：特定情况下可用"),
        "not_listed": ("NCCN: not listed", "NCCN：未列入"),
    },
    "csco": {
        "I": ("CSCO: level I recommendation", "CSCO：Ⅰ级推荐"),
        "II": ("CSCO: level II recommendation", "CSCO：Ⅱ级推荐"),
        "III": ("CSCO: level III recommendation", "CSCO：Ⅲ级推荐"),
        "not_listed": ("CSCO: not listed", "CSCO：未列入"),
    },
    "agency": {
        "NMPA": ("China (NMPA)", "中国国家药监局（NMPA）"),
        "FDA": ("United States (FDA)", "美国食品药品监督管理局（FDA）"),
        "EMA": ("European Union (EMA)", "欧洲药品管理局（EMA）"),
    },
    "category": {
        "solid": ("Solid tumour", "实体瘤"),
        "heme": ("Blood cancer", "血液肿瘤"),
    },
    "reference_type": {
        "label": ("Drug label", "药品说明书"),
        "guideline": ("Guideline", "指南"),
        "notice": ("Official notice", "官方公告"),
        "nrdl_list": ("National reimbursement list", "国家医保药品目录"),
        "book": ("Book", "书籍"),
        "web": ("Web page", "网页"),
        "news": ("News report", "新闻报道"),
        "registry": ("Trial registry", "临床试验登记平台"),
        "price_list": ("Price list", "价格目录"),
    },
}

# Where the policy's namespace is named differently from the knowledge-base pages' one.
POLICY_NAMESPACES: dict[str, tuple[str, ...]] = {
    "setting": ("setting", "settings"),
    "stage_group": ("stage_group", "stage_groups"),
    "route": ("route", "routes"),
    "modality": ("modality", "modalities"),
    "access": ("access", "china_access"),
    "level": ("level", "levels"),
    "nccn": ("nccn", "preference_nccn"),
    "csco": ("csco", "preference_csco"),
    "agency": ("agency", "agencies"),
}


@lru_cache(maxsize=1)
def _policy_labels() -> dict[str, dict[str, dict[str, str]]]:
    """Labels from ``knowledge/policy/labels.yaml`` (empty when the file does not exist)."""
    path = Path(settings.KNOWLEDGE_BASE_PATH) / "policy" / "labels.yaml"
    if not path.exists():
        return {}
    from onconav.kbdata.policy import Labels

    raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(raw, list):
        raw = raw[0] if raw else {}
    labels = Labels.model_validate(raw or {"labels": {}})
    return {
        ns: {code: {"en": t.en, "zh": t.zh} for code, t in codes.items()}
        for ns, codes in labels.labels.items()
    }


def labels_cache_clear() -> None:
    _policy_labels.cache_clear()


def has_label(namespace: str, code: str) -> bool:
    if code in KB_LABELS.get(namespace, {}):
        return True
    pol = _policy_labels()
    return any(code in pol.get(ns, {}) for ns in POLICY_NAMESPACES.get(namespace, (namespace,)))


def label(namespace: str, code: Any, lang: str) -> str:
    """The label of ``code`` in ``namespace`` in ``lang`` ("en" or "zh"). A code without a label
    is shown humanised (underscores become spaces), never raw; tests keep that from happening."""
    key = str(code)
    zh = lang.lower().startswith("zh")
    pol = _policy_labels()
    for ns in POLICY_NAMESPACES.get(namespace, (namespace,)):
        text = pol.get(ns, {}).get(key)
        if text:
            return text["zh" if zh else "en"]
    pair = KB_LABELS.get(namespace, {}).get(key)
    if pair:
        return pair[1] if zh else pair[0]
    return key.replace("_", " ")
