"""Registry condition words -> OncoTree codes, from the knowledge base's cancer names plus the
phrasings registries use (pure Python; reads knowledge/cancers/*.yaml once).

Only codes that exist in the knowledge base are produced (checked by tests/trials/test_criteria.py).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

__all__ = ["ancestors", "cancer_codes_in", "cancer_names", "known_codes"]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
KB_CANCERS = Path(__file__).resolve().parents[4] / "knowledge" / "cancers"

# Registry phrasings (lower case) -> KB OncoTree code. Longest phrases are matched first and
# consumed, so "transformed follicular lymphoma" counts as large B-cell lymphoma, not FL.
ALIASES: dict[str, str] = {
    "solid tumor": "SOLID",
    "solid tumour": "SOLID",
    "solid malignan": "SOLID",
    "large b-cell lymphoma": "LBL",
    "large b cell lymphoma": "LBL",
    "lbcl": "LBL",
    "primary mediastinal": "LBL",
    "pmbcl": "LBL",
    "high-grade b-cell lymphoma": "LBL",
    "high grade b-cell lymphoma": "LBL",
    "hgbl": "LBL",
    "transformed follicular lymphoma": "LBL",
    "transformed from follicular lymphoma": "LBL",
    "follicular lymphoma grade 3b": "LBL",
    "tfl": "LBL",
    "diffuse large b-cell lymphoma": "DLBCLNOS",
    "diffuse large b cell lymphoma": "DLBCLNOS",
    "dlbcl": "DLBCLNOS",
    "follicular lymphoma": "FL",
    "mantle cell lymphoma": "MCL",
    "mcl": "MCL",
    "chronic lymphocytic leukemia": "CLLSLL",
    "chronic lymphocytic leukaemia": "CLLSLL",
    "small lymphocytic lymphoma": "CLLSLL",
    "cll": "CLLSLL",
    "multiple myeloma": "PCM",
    "plasma cell myeloma": "PCM",
    "myeloma": "PCM",
    "b-cell acute lymphoblastic leukemia": "BLL",
    "b-cell acute lymphoblastic leukaemia": "BLL",
    "b-acute lymphoblastic leukemia": "BLL",
    "b-all": "BLL",
    "b cell acute lymphoblastic leukemia": "BLL",
    "t-cell acute lymphoblastic leukemia": "TLL",
    "t-all": "TLL",
    "acute myeloid leukemia": "AML",
    "acute myeloid leukaemia": "AML",
    "aml": "AML",
    "classical hodgkin lymphoma": "CHL",
    "hodgkin lymphoma": "CHL",
    "non-small cell lung cancer": "NSCLC",
    "non-small-cell lung cancer": "NSCLC",
    "non small cell lung cancer": "NSCLC",
    "nsclc": "NSCLC",
    "lung adenocarcinoma": "LUAD",
    "adenocarcinoma of the lung": "LUAD",
    "non-squamous nsclc": "NSCLC",
    "squamous nsclc": "LUSC",
    "squamous non-small cell lung cancer": "LUSC",
    "small cell lung cancer": "SCLC",
    "small-cell lung cancer": "SCLC",
    "sclc": "SCLC",
    "gastric or gastroesophageal junction": "EGC",
    "gastric or gastro-oesophageal junction": "EGC",
    "gastric/gej": "EGC",
    "gastric or gej": "EGC",
    "gastroesophageal junction adenocarcinoma": "GEJ",
    "gastric adenocarcinoma": "STAD",
    "gastric cancer": "STOMACH",
    "stomach cancer": "STOMACH",
    "esophageal squamous cell carcinoma": "ESCC",
    "oesophageal squamous cell carcinoma": "ESCC",
    "escc": "ESCC",
    "esophageal cancer": "ESOPHAGUS",
    "hepatocellular carcinoma": "HCC",
    "hcc": "HCC",
    "colorectal cancer": "BOWEL",
    "colorectal adenocarcinoma": "COADREAD",
    "crc": "BOWEL",
    "pancreatic ductal adenocarcinoma": "PAAD",
    "pancreatic cancer": "PANCREAS",
    "pancreatic adenocarcinoma": "PAAD",
    "biliary tract cancer": "BILIARY_TRACT",
    "cholangiocarcinoma": "CHOL",
    "nasopharyngeal carcinoma": "NPC",
    "head and neck squamous cell carcinoma": "HNSC",
    "hnscc": "HNSC",
    "breast cancer": "BREAST",
    "triple-negative breast cancer": "BRCA",
    "tnbc": "BRCA",
    "ovarian cancer": "OVARY",
    "cervical cancer": "CERVIX",
    "endometrial cancer": "UCEC",
    "urothelial carcinoma": "BLADDER",
    "renal cell carcinoma": "KIDNEY",
    "prostate cancer": "PROSTATE",
    "melanoma": "MEL",
    "glioblastoma": "GB",
    "soft tissue sarcoma": "SOFT_TISSUE",
    "mesothelioma": "PLMESO",
    "gastric/gastroesophageal junction": "EGC",
    "gastric/gastro-oesophageal junction": "EGC",
    "gastric": "STOMACH",
    "stomach": "STOMACH",
    "b-cell all": "BLL",
    "b cell all": "BLL",
    "b-cell acute lymphoblastic": "BLL",
    "cervix": "CERVIX",
    "cervical carcinoma": "CERVIX",
    "nasopharyngeal": "NPC",
    "hepatocellular": "HCC",
    "esophageal squamous": "ESCC",
    "oesophageal squamous": "ESCC",
}


@functools.cache
def _tree() -> tuple[dict[str, str | None], dict[str, str]]:
    parents: dict[str, str | None] = {}
    names: dict[str, str] = {}
    for path in sorted(KB_CANCERS.glob("*.yaml")):
        for row in yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or []:  # noqa: S506 (a safe loader)
            code = str(row["oncotree_code"]).upper()
            parents[code] = row.get("parent")
            names[code] = row["name"]["en"]
    return parents, names


def known_codes() -> frozenset[str]:
    return frozenset(_tree()[0])


def ancestors(code: str) -> list[str]:
    """The code and its parents up to the root (only codes the KB knows)."""
    parents, _ = _tree()
    out, seen = [], set()
    cur: str | None = (code or "").upper()
    while cur and cur not in seen:
        seen.add(cur)
        out.append(cur)
        cur = parents.get(cur)
    return out


@functools.cache
def _phrases() -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation, longest phrase first, so that each span is read by its longest name."""
    _, names = _tree()
    table: dict[str, str] = {}
    for code, name in names.items():
        base = re.sub(r"\s*\(.*?\)", "", name).strip().lower()
        if len(base) >= 8:  # short generic names ("Skin cancer" is fine; "Cancer" alone never occurs)
            table[base] = code
    table.update(ALIASES)
    phrases = sorted(table, key=lambda p: (-len(p), p))
    rx = re.compile(r"(?<![a-z0-9\-])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![a-z0-9])")
    return rx, table


def cancer_codes_in(text: str) -> list[str]:
    """OncoTree codes named in ``text`` (each span read once, by its longest name)."""
    rx, table = _phrases()
    codes: list[str] = []
    for m in rx.finditer(text.lower().replace("–", "-")):
        code = table[m.group(0)]
        if code not in codes:
            codes.append(code)
    return codes


def cancer_names(code: str) -> str:
    return _tree()[1].get(code.upper(), code)
