"""Bilingual labels for the codes knowledge-base pages show (settings, stage groups, routes,
modalities, guideline preference, agencies, China access, drug classes, reference types).

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
        "unknown": ("CSCO: tier not confirmed", "CSCO：推荐级别未确认"),
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
    "drug_class": {
        "adc": ("Antibody-drug conjugate", "抗体偶联药物"),
        "alk_tki": ("ALK inhibitor", "ALK抑制剂"),
        "alk_tki_1g": ("First-generation ALK inhibitor", "第一代ALK抑制剂"),
        "alk_tki_2g": ("Second-generation ALK inhibitor", "第二代ALK抑制剂"),
        "alk_tki_3g": ("Third-generation ALK inhibitor", "第三代ALK抑制剂"),
        "alkylating_agent": ("Alkylating agent", "烷化剂"),
        "anthracycline": ("Anthracycline", "蒽环类药物"),
        "anti_angiogenic": ("Anti-angiogenic drug", "抗血管生成药物"),
        "anti_cd19": ("CD19-directed therapy", "CD19靶向治疗"),
        "anti_cd20": ("CD20 antibody", "CD20抗体"),
        "anti_cd38": ("CD38 antibody", "CD38抗体"),
        "anti_cldn18": ("Claudin 18.2 antibody", "Claudin 18.2抗体"),
        "anti_egfr_antibody": ("EGFR antibody", "EGFR抗体"),
        "anti_her2_antibody": ("HER2 antibody", "HER2抗体"),
        "anti_her3": ("HER3-directed antibody", "HER3靶向抗体"),
        "anti_hgf_antibody": ("HGF antibody", "HGF抗体"),
        "anti_met_antibody": ("MET antibody", "MET抗体"),
        "anti_vegf": ("VEGF antibody", "VEGF抗体"),
        "antiandrogen": ("Anti-androgen", "抗雄激素药物"),
        "antiestrogen": ("Anti-oestrogen", "抗雌激素药物"),
        "antifolate": ("Antifolate", "抗叶酸药物"),
        "aromatase_inhibitor": ("Aromatase inhibitor", "芳香化酶抑制剂"),
        "bcl2_inhibitor": ("BCL-2 inhibitor", "BCL-2抑制剂"),
        "bispecific": ("Bispecific antibody", "双特异性抗体"),
        "braf_inhibitor": ("BRAF inhibitor", "BRAF抑制剂"),
        "btk_inhibitor": ("BTK inhibitor", "BTK抑制剂"),
        "cancer_vaccine": ("Cancer vaccine", "肿瘤疫苗"),
        "car_t": ("CAR-T cell therapy", "CAR-T细胞治疗"),
        "car_t_bcma": ("BCMA CAR-T cell therapy", "BCMA CAR-T细胞治疗"),
        "car_t_cd19": ("CD19 CAR-T cell therapy", "CD19 CAR-T细胞治疗"),
        "cdk46_inhibitor": ("CDK4/6 inhibitor", "CDK4/6抑制剂"),
        "checkpoint_inhibitor": (
            "Immune checkpoint inhibitor (PD-1, PD-L1 or CTLA-4)",
            "免疫检查点抑制剂（PD-1、PD-L1或CTLA-4）",
        ),
        "chemotherapy": ("Chemotherapy", "化疗"),
        "corticosteroid": ("Corticosteroid", "糖皮质激素"),
        "ctla4": ("CTLA-4 antibody", "CTLA-4抗体"),
        "egfr_tki": ("EGFR inhibitor", "EGFR抑制剂"),
        "egfr_tki_1g": ("First-generation EGFR inhibitor", "第一代EGFR抑制剂"),
        "egfr_tki_2g": ("Second-generation EGFR inhibitor", "第二代EGFR抑制剂"),
        "egfr_tki_3g": ("Third-generation EGFR inhibitor", "第三代EGFR抑制剂"),
        "fgfr_inhibitor": ("FGFR inhibitor", "FGFR抑制剂"),
        "fluoropyrimidine": ("Fluoropyrimidine", "氟尿嘧啶类药物"),
        "gnrh": ("GnRH agonist or antagonist", "GnRH激动剂或拮抗剂"),
        "her2_adc": ("HER2 antibody-drug conjugate", "HER2抗体偶联药物"),
        "her2_tki": ("HER2 tyrosine kinase inhibitor", "HER2酪氨酸激酶抑制剂"),
        "hormone_therapy": ("Hormone therapy", "内分泌治疗"),
        "idh_inhibitor": ("IDH inhibitor", "IDH抑制剂"),
        "imid": ("Immunomodulatory drug (IMiD)", "免疫调节药物（IMiD）"),
        "kras_g12c_inhibitor": ("KRAS G12C inhibitor", "KRAS G12C抑制剂"),
        "mek_inhibitor": ("MEK inhibitor", "MEK抑制剂"),
        "met_tki": ("MET inhibitor", "MET抑制剂"),
        "mtor_inhibitor": ("mTOR inhibitor", "mTOR抑制剂"),
        "multikinase_tki": ("Multi-kinase inhibitor", "多靶点激酶抑制剂"),
        "ntrk_tki": ("TRK inhibitor", "TRK抑制剂"),
        "nucleoside_analog": ("Nucleoside analogue", "核苷类似物"),
        "oncolytic_virus": ("Oncolytic virus", "溶瘤病毒"),
        "parp_inhibitor": ("PARP inhibitor", "PARP抑制剂"),
        "pd1": ("PD-1 antibody", "PD-1抗体"),
        "pdl1": ("PD-L1 antibody", "PD-L1抗体"),
        "pi3k_inhibitor": ("PI3K inhibitor", "PI3K抑制剂"),
        "platinum": ("Platinum chemotherapy", "铂类化疗"),
        "proteasome_inhibitor": ("Proteasome inhibitor", "蛋白酶体抑制剂"),
        "radiopharmaceutical": ("Radiopharmaceutical", "放射性药物"),
        "ret_tki": ("RET inhibitor", "RET抑制剂"),
        "ros1_tki": ("ROS1 inhibitor", "ROS1抑制剂"),
        "serd": ("Oral SERD (oestrogen receptor degrader)", "口服SERD（雌激素受体降解剂）"),
        "supportive": ("Supportive medicine", "支持治疗药物"),
        "t_cell_engager": ("T-cell engager", "T细胞衔接器"),
        "taxane": ("Taxane", "紫杉类药物"),
        "topoisomerase_inhibitor": ("Topoisomerase inhibitor", "拓扑异构酶抑制剂"),
        "trop2_adc": ("TROP2 antibody-drug conjugate", "TROP2抗体偶联药物"),
        "vegfr_tki": ("VEGFR inhibitor", "VEGFR抑制剂"),
        "vinca_alkaloid": ("Vinca alkaloid", "长春碱类药物"),
        "xpo1_inhibitor": ("XPO1 inhibitor", "XPO1抑制剂"),
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
    """Labels from ``knowledge/policy/labels.yaml`` and drug-class labels from
    ``knowledge/policy/classes/`` (empty when the files do not exist)."""
    root = Path(settings.KNOWLEDGE_BASE_PATH)
    classes = _class_labels(root)
    path = root / "policy" / "labels.yaml"
    if not path.exists():
        return {"drug_class": classes}
    from onconav.kbdata.policy import Labels

    raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(raw, list):
        raw = raw[0] if raw else {}
    labels = Labels.model_validate(raw or {"labels": {}})
    out = {
        ns: {code: {"en": t.en, "zh": t.zh} for code, t in codes.items()}
        for ns, codes in labels.labels.items()
    }
    out["drug_class"] = {**classes, **out.get("drug_class", {})}
    return out


def _class_labels(root: Path) -> dict[str, dict[str, str]]:
    """Drug-class labels from ``knowledge/policy/classes/*.yaml`` (``tag`` and ``label``)."""
    out: dict[str, dict[str, str]] = {}
    for path in sorted((root / "policy" / "classes").glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            text = entry.get("label") if isinstance(entry, dict) else None
            if isinstance(text, dict) and text.get("en") and text.get("zh"):
                out[entry["tag"]] = {"en": text["en"], "zh": text["zh"]}
    return out


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
