"""Draft benchmarks/data/fda_biomarker_pairs.yaml from a Molecular Oncology Almanac (MOAlmanac) DB tree.

    python scripts/fda_pairs_extract.py /path/to/moalmanac-db/referenced > /tmp/draft.yaml

Reads the MOAlmanac ``referenced/*.json`` tables (statements, propositions, indications,
biomarkers, diseases, therapies, therapy_groups), keeps the FDA statements (``ind:fda.*``) whose
biomarkers include at least one present biomarker (or RAS wild type), and writes one row per
(OncoTree code, biomarker, key drugs) with the FDA indication ids. The draft is a starting point:
the curated file (benchmarks/data/fda_biomarker_pairs.yaml) adds the prior therapy a later-line
label requires and corrects rows by hand (each correction has a comment). Not run by tests.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

# MOAlmanac biomarker name -> the profile entries a report would state (None: not a present marker)
BACKBONE = {
    "carboplatin", "cisplatin", "paclitaxel", "nab-paclitaxel", "docetaxel", "pemetrexed",
    "gemcitabine", "fluorouracil", "capecitabine", "oxaliplatin", "irinotecan", "cyclophosphamide",
    "doxorubicin", "cytarabine", "daunorubicin", "idarubicin", "etoposide", "methotrexate",
    "vincristine", "vinblastine", "prednisone", "prednisolone", "corticosteroid", "dacarbazine",
    "bendamustine", "chlorambucil", "fludarabine", "epirubicin", "ifosfamide", "mitoxantrone",
    "vinorelbine", "eribulin", "letrozole", "anastrozole", "exemestane", "fulvestrant",
    "tamoxifen", "goserelin",
}  # fmt: skip

INN = {"abiraterone acetate": "abiraterone"}  # MOAlmanac name -> WHO INN as the KB writes it
# MOAlmanac codes coarser than the label: the code a report for the label's population states
PROFILE_CODE = {
    ("ALL", "ind:fda.blincyto"): "BLL",  # B-cell precursor ALL
    ("ALL", "ind:fda.besponsa"): "BLL",  # B-cell precursor ALL
    ("ALL", "ind:fda.sprycel"): "BLLBCRABL1",  # Ph+ ALL
    ("ALL", "ind:fda.gleevec"): "BLLBCRABL1",
    ("ALL", "ind:fda.iclusig"): "BLLBCRABL1",
    ("NHL", "ind:fda.rituxan"): "FL",  # relapsed low-grade or follicular CD20+ B-cell NHL
    ("MBN", "ind:fda.rituxan"): "DLBCLNOS",
    # non-squamous NSCLC (NCIt C135017): the KB's non-squamous node is LUAD
    ("NSCLC", "ind:fda.hyrnuo"): "LUAD",
    ("NSCLC", "ind:fda.hernexeos"): "LUAD",
    ("NSCLC", "ind:fda.emrelis"): "LUAD",
    # epithelial ovarian cancer (OncoTree OVT, the parent of HGSOC): the labels' trials enrolled
    # mostly high-grade serous disease
    ("OVT", "ind:fda"): "HGSOC",  # previously untreated DLBCL / Burkitt (paediatric)
}
CODE = {"ncit:C132146": "SOLID", "ncit:C135017": "NSCLC", "ncit:C3163": "CLLSLL", "ncit:C9385": "CCRCC"}


def marker(name: str) -> tuple[list[dict], bool]:
    """Profile entries for a MOAlmanac biomarker name, and whether it is a present (directing) marker."""
    n = name.strip()
    m = re.fullmatch(r"([\w-]+) p\.(\S+)", n)
    if m:  # NPM1 W288Cfs*12 is the common "type A" NPM1 mutation; reports say "NPM1 mutation"
        return [{"gene": m[1], "alteration": "mutation" if m[1] == "NPM1" else m[2]}], True
    table = {
        "BCR::ABL1": ({"gene": "BCR-ABL1", "alteration": "fusion"}, True),
        "PML::RARA": ({"gene": "PML-RARA", "alteration": "fusion"}, True),
        "t(15;17)": ({"gene": "PML-RARA", "alteration": "fusion"}, True),
        "t(KMT2A;v)": ({"gene": "KMT2A", "alteration": "fusion"}, True),
        "FLT3-ITD": ({"gene": "FLT3", "alteration": "ITD"}, True),
        "HER2-positive": ({"name": "HER2 IHC", "value": "3+"}, True),
        "HER2-negative": ({"gene": "ERBB2", "alteration": "negative"}, False),
        "HER2-low": ({"name": "HER2 IHC", "value": "1+"}, True),
        "ER positive": ({"name": "ER", "value": "positive"}, True),
        "PR positive": ({"name": "PR", "value": "positive"}, True),
        "ER negative": ({"name": "ER", "value": "negative"}, False),
        "PR negative": ({"name": "PR", "value": "negative"}, False),
        "MSI-H": ({"name": "MSI", "value": "MSI-H"}, True),
        "dMMR": ({"name": "MMR", "value": "dMMR"}, True),
        "TMB-H (>= 10 mutations / Mb)": ({"name": "TMB", "value": 12}, True),
        "EGFR Exon 19 (Deletion)": ({"gene": "EGFR", "alteration": "exon 19 deletion"}, True),
        "EGFR Exon 20 (Insertion)": ({"gene": "EGFR", "alteration": "exon 20 insertion"}, True),
        "MET Exon 14 (Deletion)": ({"gene": "MET", "alteration": "exon 14 skipping"}, True),
        "MET Exon 14 (Splice Site)": ({"gene": "MET", "alteration": "exon 14 skipping"}, True),
        "PD-L1 (CPS) >= 1": ({"name": "PD-L1 CPS", "value": 5}, True),
        "PD-L1 (CPS) >= 10": ({"name": "PD-L1 CPS", "value": 15}, True),
        "PD-L1 >= 1%": ({"name": "PD-L1 TPS", "value": 20}, True),
        "PD-L1 >= 50%": ({"name": "PD-L1 TPS", "value": 60}, True),
        "PD-L1 (TAP) >= 1%": ({"name": "PD-L1 TPS", "value": 5}, True),
        "CLDN18.2 >= 75%": ({"name": "CLDN18.2", "value": "positive"}, True),
        "17p deletion": ({"name": "del(17p)", "value": "positive"}, True),
        "HRD": ({"name": "HRD", "value": "positive"}, True),
        "c-Met >= 50%": ({"name": "c-Met IHC", "value": "3+"}, True),
        "FOLR1 positive": ({"name": "FOLR1", "value": "positive"}, True),
        "EGFR positive": ({"name": "EGFR IHC", "value": "positive"}, True),
    }
    if n in table:
        e, present = table[n]
        return [e], present
    if n == "Wild type HRAS":  # MOAlmanac slip: the panitumumab label defines RAS wild type as KRAS and NRAS
        return [{"gene": "NRAS", "alteration": "wild-type"}], True
    m = re.fullmatch(r"Wild type (\w+)", n)
    if m:
        return [{"gene": m[1], "alteration": "wild-type"}], m[1] in {"KRAS", "NRAS", "HRAS"}
    m = re.fullmatch(r"v::(\w+)|(\w+)::v|(\w+) rearrangements", n)
    if m:
        return [{"gene": m[1] or m[2] or m[3], "alteration": "fusion"}], True
    m = re.fullmatch(r"(\w+)::(\w+)", n)
    if m:
        return [{"gene": f"{m[1]}-{m[2]}", "alteration": "fusion"}], True
    if n == "EGFR somatic variants":  # "non-resistant EGFR mutations": a report names one
        return [{"gene": "EGFR", "alteration": "exon 19 deletion"}], True
    m = re.fullmatch(r"(\w+) (?:oncogenic|pathogenic|somatic|activating|TKD activating) variants", n)
    if m:
        return [{"gene": m[1], "alteration": "mutation"}], True
    m = re.fullmatch(r"(\w+) (amplification|deletion)", n)
    if m:
        return [{"gene": m[1], "alteration": m[2]}], True
    m = re.fullmatch(r"(\w+) \+", n)
    if m:
        return [{"name": m[1], "value": "positive"}], True
    return [{"name": n, "value": "positive"}], True


def main(root: Path) -> None:
    def load(name: str) -> list[dict]:
        return json.loads((root / f"{name}.json").read_text(encoding="utf-8"))

    props = {p["id"]: p for p in load("propositions")}
    bms = {b["id"]: b for b in load("biomarkers")}
    dis = {d["id"]: d for d in load("diseases")}
    ther = {t["id"]: t for t in load("therapies")}
    groups = {g["id"]: g for g in load("therapy_groups")}
    inds = {i["id"]: i for i in load("indications")}
    rows: dict[tuple, dict] = {}
    for s in load("statements"):
        iid = s.get("indication_id") or ""
        if not iid.startswith("ind:fda."):
            continue
        p = props[s["proposition_id"]]
        tids = (
            [p["therapy_id"]] if p["therapy_id"] is not None else groups[p["therapy_group_id"]]["therapies"]
        )
        drugs = sorted(INN.get(n, n) for n in (ther[t]["name"].lower() for t in tids))
        key = [d for d in drugs if d not in BACKBONE] or drugs
        entries, present = [], False
        for b in p["biomarkers"]:
            e, pr = marker(bms[b]["name"])
            entries += e
            present = present or pr
        if not present:
            continue
        d = dis[p["conditionQualifier_id"]]
        code = CODE.get(d["primary_coding_id"], d["primary_coding_id"].split(":", 1)[1])
        # one row per gene (or named marker): point variants of one gene (FLT3 D835A/E/H...) collapse
        # ER-positive, PR-positive and both are one hormone-receptor-positive row (ER+ PR+ kept)
        genes = tuple(
            sorted({"HR" if e.get("name") in ("ER", "PR") else e.get("gene") or e["name"] for e in entries})
        )
        k = (code, genes, tuple(key), iid)  # one row per indication: settings differ
        row = rows.setdefault(
            k,
            {"code": code, "disease": d["name"], "biomarkers": entries, "drugs": key,
             "with": [x for x in drugs if x not in key], "fda": [], "text": inds[iid]["indication"],
             "approved": inds[iid].get("initial_approval_date"), "label": inds[iid].get("initial_approval_url")},
        )  # fmt: skip
        if len(entries) > len(row["biomarkers"]):
            row["biomarkers"] = entries
        if iid not in row["fda"]:
            row["fda"].append(iid)
    out = []
    seen: dict[str, int] = {}
    for r in sorted(
        rows.values(),
        key=lambda r: (r["code"], r["drugs"], r["fda"][0].split(":")[1], int(r["fda"][0].split(":")[2])),
    ):
        r.update(context(r))
        base = f"{r['code']}:{'+'.join(r['drugs'])}:{'+'.join(sorted({e.get('gene') or e['name'] for e in r['biomarkers']}))}"
        base = re.sub(r"[^A-Za-z0-9:+_.-]", "_", base.lower())
        seen[base] = seen.get(base, 0) + 1
        row = {"id": base if seen[base] == 1 else f"{base}-{seen[base]}"}
        row.update({k: r[k] for k in ("code", "disease")})
        pc = next(
            (v for (c, i), v in PROFILE_CODE.items() if c == r["code"] and r["fda"][0].startswith(i)), None
        )
        if pc:
            row["profile_code"] = pc
        row.update({k: r[k] for k in ("biomarkers", "drugs", "with", "setting", "stage")})
        if r.get("resected"):
            row["resected"] = True
        if r.get("age"):
            row["age"] = r["age"]
        row["prior"] = r["prior"]
        row["fda"] = {"indications": r["fda"], "approved": r["approved"], "label": r["label"],
                      "text": r["text"].strip()}  # fmt: skip
        if r.get("exclude"):
            row["exclude"] = r["exclude"]
        out.append(row)
    import yaml  # noqa: PLC0415

    class NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data: object) -> bool:
            return True

    sys.stdout.write(yaml.dump(out, Dumper=NoAliases, allow_unicode=True, sort_keys=False, width=100))


HEME = {"ALL", "ALAL", "AML", "APLPMLRARA", "CML", "CMLBCRABL1", "CLLSLL", "FL", "DLBCLNOS", "BL", "ALCL",
        "MDS", "NHL", "MBN", "CELNOS", "MLN", "ASM"}  # fmt: skip
LATER = re.compile(
    r"previously treated|progress|after |following|relapsed|refractory|prior |resistan|"
    r"who have received|failure|intoleran|no satisfactory",
    re.I,
)


def first_line_prior(r: dict) -> list[list[str]]:
    """The standard earlier treatment a later-line label assumes (one list of drugs per line)."""
    code, text, genes = r["code"], r["text"].lower(), {e.get("gene") or e["name"] for e in r["biomarkers"]}
    if code in ("NSCLC", "LUAD"):
        if "T790M" in str(r["biomarkers"]):
            return [["erlotinib"]]
        if "EGFR" in genes and "exon 20" not in text and "ERBB2" not in genes:
            return [["osimertinib"]]
        if "ALK" in genes:
            return [["crizotinib"]] if "crizotinib" in text else [["alectinib"]]
        if {"pembrolizumab", "nivolumab", "atezolizumab", "cemiplimab"} & set(r["drugs"]):
            return [["carboplatin", "pemetrexed"]]
        return [["carboplatin", "pemetrexed", "pembrolizumab"]]
    if code == "BRCA":
        if "HER2 IHC" in genes and "ER" not in genes:
            lines = [["trastuzumab", "pertuzumab", "docetaxel"]]
            if "two or more" in text or "trastuzumab emtansine" in text:
                lines.append(["trastuzumab emtansine"])
            return lines
        if "ER" in genes or "PR" in genes:
            cdk46 = {"palbociclib", "ribociclib", "abemaciclib"} & set(r["drugs"])
            lines = [["letrozole"] if cdk46 else ["letrozole", "palbociclib"]]
            if "chemotherapy" in text:
                lines.append(["capecitabine"])
            return lines
        return [["paclitaxel"]]
    if code == "PRAD":
        lines = [["goserelin", "abiraterone", "prednisone"]]
        if "taxane" in text:
            lines.append(["docetaxel", "prednisone"])
        return lines
    if code == "COADREAD":
        return [["fluorouracil", "oxaliplatin", "bevacizumab"], ["fluorouracil", "irinotecan", "bevacizumab"]]
    if code in ("OVT", "HGSFT", "PSEC", "HGSOC", "LGSOC"):
        return [["carboplatin", "paclitaxel"]]
    if code in ("AML", "ALAL"):
        return [["cytarabine", "daunorubicin"]]
    if code in ("CML", "CMLBCRABL1"):
        return [["imatinib"]]
    if code in ("ALL",):
        return [["vincristine", "daunorubicin", "prednisone", "asparaginase"]]
    if code in ("CLLSLL",):
        return [["ibrutinib"]]
    if code in ("FL", "NHL", "MBN"):
        return [["bendamustine", "rituximab"], ["lenalidomide", "rituximab"]]
    if code in ("DLBCLNOS", "BL", "ALCL"):
        return [["rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone"]]
    if code in ("CHOL", "IHCH", "EHCH", "ICPN", "IPN"):
        return [["gemcitabine", "cisplatin", "durvalumab"]]
    if code == "BLCA":
        return [["gemcitabine", "cisplatin"]]
    if code == "MEL":
        return [["nivolumab"]]
    if code in ("GEJ", "STAD", "ESCA"):
        return [["fluorouracil", "oxaliplatin"]]
    if code == "UCEC":
        return [["carboplatin", "paclitaxel"]]
    return [["carboplatin", "paclitaxel"]]


# Rows the MOAlmanac draft files under a cancer or biomarker the FDA label does not name
# (checked against the indication text): (code, indication id) -> why the row is left out.
EXCLUDE = {
    ("ALL", "ind:fda.mylotarg:0"): "label is CD33-positive AML, not ALL",
    ("ALL", "ind:fda.mylotarg:1"): "label is CD33-positive AML, not ALL",
    ("ALL", "ind:fda.xospata:0"): "label is FLT3-mutated AML, not ALL",
    ("ALL", "ind:fda.revuforj:1"): "NPM1 label is AML only",
    ("ALAL", "ind:fda.revuforj:1"): "NPM1 label is AML only",
    ("BL", "ind:fda.revuforj:0"): "KMT2A label is acute leukaemia, not Burkitt lymphoma",
    ("BL", "ind:fda.revuforj:1"): "NPM1 label is AML only",
    ("AML", "ind:fda.rydapt:0", "CDK12"): "midostaurin label is FLT3-mutated AML (CDK12 is a curation slip)",
    ("BRCA", "ind:fda.datroway:0"): "label is EGFR-mutated NSCLC",
    ("NSCLC", "ind:fda.datroway:1"): "label is HR-positive breast cancer",
    ("GIST", "ind:fda.herceptin:1"): "label is HER2-positive gastric cancer",
    ("GIST", "ind:fda.gleevec:8"): "adjuvant GIST label is KIT (CD117)-positive, not FIP1L1-PDGFRA",
    ("UCEC", "ind:fda.keytruda:12", "pMMR"): "label is MSI-H/dMMR (the MSI-H row is kept)",
    ("UCEC", "ind:fda.keytruda:11"): "label is pMMR / not MSI-H: an absent biomarker, not a directing one",
    ("PRAD", "ind:fda.lynparza:6", "talazoparib"): "talazoparib row filed under the olaparib label",
    ("ASM", "ind:fda.gleevec:5"): "label is ASM WITHOUT KIT D816V (a resistance marker)",
    (
        "NSCLC",
        "ind:fda.exkivity:0",
    ): "withdrawn: Takeda announced the voluntary US withdrawal of mobocertinib on 3 October 2023 (EXCLAIM-2 failed)",
    (
        "CHOL",
        "ind:fda.truseltiq:0",
    ): "withdrawn: FDA final withdrawal of infigratinib approval on 16 May 2024 (fda.gov notice)",
    ("GEJ", "ind:fda.xeloda:0"): "capecitabine is the chemotherapy backbone, not a biomarker-directed drug",
}
LATER_FIRST = {"ind:fda.faslodex:0", "ind:fda.faslodex:2", "ind:fda.perjeta:0", "ind:fda.tarceva:0",
               "ind:fda.voranigo:0", "ind:fda.vanflyta:0", "ind:fda.phesgo:2",
               # imatinib after interferon failure: a population that no longer exists; imatinib
               # is first-line CML treatment (ind:fda.gleevec:0)
               "ind:fda.gleevec:1"}  # fmt: skip
HER2_LATER = [["trastuzumab", "pertuzumab", "docetaxel"]]
OVERRIDE = {
    "ind:fda.truqap:0": {"setting": "later", "prior": [["letrozole", "palbociclib"]]},
    "ind:fda.itovebi:0": {"setting": "first_line", "prior": [["letrozole"]], "prior_setting": "adjuvant"},
    "ind:fda.enhertu:0": {"setting": "later", "prior": HER2_LATER},
    "ind:fda.kadcyla:0": {"setting": "later", "prior": HER2_LATER},
    "ind:fda.tecentriq:4": {"setting": "later", "prior": None},
    # first-line mCRPC (PROpel, MAGNITUDE): castration resistance on ADT alone
    "ind:fda.lynparza:7": {"setting": "first_line", "prior": [["goserelin"]]},
    "ind:fda.akeega:0": {"setting": "first_line", "prior": [["goserelin"]]},
    # HER2-mutant NSCLC after prior systemic therapy (Beamion LUNG-1, SOHO-01)
    "ind:fda.hernexeos:0": {"setting": "later", "prior": [["carboplatin", "pemetrexed", "pembrolizumab"]]},
    # after endocrine therapy, CDK4/6-naive (PALOMA-3, MONARCH 2)
    "ind:fda.faslodex:3": {"setting": "later", "prior": [["letrozole"]]},
    # TROPiCS-02: after endocrine therapy, a CDK4/6 inhibitor and two chemotherapy lines
    "ind:fda.trodelvy:1": {
        "setting": "later",
        "prior": [["letrozole", "palbociclib"], ["capecitabine"], ["paclitaxel"]],
    },
    # EMBRACA: prior taxane or anthracycline (neo)adjuvant or metastatic; up to 3 chemo lines
    "ind:fda.talzenna:0": {"setting": "later", "prior": [["paclitaxel"]]},
    # recurrent disease, second response to platinum (NOVA, ARIEL3)
    "ind:fda.zejula:0": {
        "setting": "maintenance",
        "prior": [["carboplatin", "paclitaxel"], ["carboplatin", "gemcitabine"]],
    },
    "ind:fda.rubraca:0": {
        "setting": "maintenance",
        "prior": [["carboplatin", "paclitaxel"], ["carboplatin", "gemcitabine"]],
    },
    # T315I is found after TKI failure; the label has no prior-line condition
    "ind:fda.iclusig:2": {"setting": "later", "prior": [["imatinib"]]},
    "ind:fda.scemblix:1": {"setting": "later", "prior": [["imatinib"]]},
    # KEYNOTE-590: first line with platinum + fluoropyrimidine
    "ind:fda.keytruda:8": {"setting": "first_line", "prior": []},
    # THOR / label: after a PD-1/PD-L1 antibody (not for those eligible but untreated)
    "ind:fda.balversa:0": {"setting": "later", "prior": [["gemcitabine", "cisplatin"], ["pembrolizumab"]]},
    # ExteNET: after adjuvant trastuzumab-based therapy
    "ind:fda.nerlynx:0": {
        "setting": "adjuvant",
        "prior": [["trastuzumab", "paclitaxel"]],
        "prior_setting": "adjuvant",
    },
    # KATHERINE: residual invasive disease after neoadjuvant taxane + trastuzumab
    "ind:fda.kadcyla:1": {
        "setting": "adjuvant",
        "prior": [["trastuzumab", "docetaxel"]],
        "prior_setting": "neoadjuvant",
    },
    # relapsed APL after tretinoin + anthracycline
    "ind:fda.trisenox:1": {"setting": "later", "prior": [["tretinoin", "idarubicin"]]},
    # PAOLA-1: bevacizumab given with first-line platinum chemotherapy, then continued with olaparib
    "ind:fda.lynparza:1": {"setting": "maintenance", "prior": [["carboplatin", "paclitaxel", "bevacizumab"]]},
    "ind:fda.lynparza:5": {
        "setting": "maintenance",
        "prior": [["fluorouracil", "oxaliplatin", "irinotecan"]],
    },
}


def excluded(r: dict) -> str | None:
    genes = {e.get("gene") or e["name"] for e in r["biomarkers"]}
    for key, why in EXCLUDE.items():
        code, iid, *extra = key
        if r["code"] == code and iid in r["fda"] and (not extra or extra[0] in genes | set(r["drugs"])):
            return why
    return None


# Labels for children (and young adults) only, whose profile is a child (10) or an adolescent (15)
# rather than the default adult of 60; restricted to the cancers added in knowledge base v3.
PAEDIATRIC_AGE = {
    ("LGGNOS", "ind:fda.mekinist:6"): 10,
    ("LGGNOS", "ind:fda.tafinlar:6"): 10,
    ("LGGNOS", "ind:fda.ojemda:0"): 10,
    ("ALCL", "ind:fda.xalkori:1"): 15,
    ("BL", "ind:fda.rituxan:4"): 10,
}


def context(r: dict) -> dict:
    """Stage and earlier treatment for a realistic profile of the label's population."""
    out = _context(r)
    iid = r["fda"][0]
    if iid in LATER_FIRST:
        out.update(setting="first_line", prior=[])
        if out.get("stage") == "IIIC":
            out["stage"] = "IV"
        if iid == "ind:fda.voranigo:0":  # grade 2 glioma after surgery, no chemo/RT
            out.update(stage=None, resected=True)
    if iid in OVERRIDE:
        o = OVERRIDE[iid]
        out["setting"] = o["setting"]
        if o["setting"] == "adjuvant":
            out["stage"] = "II"
            out["resected"] = True
        elif r["code"] == "PRAD":
            out["stage"] = "mCRPC"
        elif out["stage"] is None or out["stage"] == "II":
            out["stage"] = "IV"
        if o["setting"] != "adjuvant":
            out.pop("resected", None)
        lines = o["prior"] if o["prior"] is not None else [["osimertinib"] if "EGFR" in str(r["biomarkers"]) else ["alectinib"],
                               ["carboplatin", "pemetrexed"]]  # fmt: skip
        outcome = "response" if o["setting"] in ("maintenance", "adjuvant") else "progression"
        out["prior"] = [{"drugs": d, "outcome": "progression" if i < len(lines) - 1 else outcome}
                        for i, d in enumerate(lines)]  # fmt: skip
        if o.get("prior_setting"):
            for p in out["prior"]:
                p["setting"] = o["prior_setting"]
    if out["setting"] == "maintenance" and r["code"] in ("OVT", "HGSFT", "PSEC", "HGSOC"):
        out["resected"] = True
    if out["setting"] == "maintenance" and r["code"] == "PAAD":
        out["stage"] = "IV"
    if re.search(r"75 years|comorbidities that preclude", r["text"]):
        out["age"] = 76  # the unfit population (age >= 75 or comorbidities precluding intensive induction)
    if (r["code"], iid) in PAEDIATRIC_AGE:
        out["age"] = PAEDIATRIC_AGE[(r["code"], iid)]  # a label for children (and young adults) only
    if iid in ("ind:fda.iclusig:2", "ind:fda.scemblix:1") and "BCR-ABL1" not in str(r["biomarkers"]):
        r["biomarkers"] = [{"gene": "BCR-ABL1", "alteration": "fusion"}, *r["biomarkers"]]
    if iid == "ind:fda.voranigo:0":
        out["stage"] = "grade 2"
    if out["setting"] == "adjuvant" and r["code"] == "MEL":
        out["stage"] = "III"  # lymph-node involvement
    why = excluded(r)
    if why:
        out["exclude"] = why
    return out


def _context(r: dict) -> dict:
    text = r["text"].lower()
    code = r["code"]
    if "maintenance" in text:
        return {"setting": "maintenance", "stage": "IIIC" if code not in HEME else None,
                "prior": [{"drugs": d, "outcome": "response"} for d in first_line_prior(r)[:1]]}  # fmt: skip
    if re.search(r"\bneoadjuvant treatment", text):
        return {"setting": "neoadjuvant", "stage": "III", "prior": []}
    if re.search(
        r"\badjuvant treatment|(?:following|after) (?:tumor )?resection|extended adjuvant|as adjuvant", text
    ):
        return {"setting": "adjuvant", "stage": "II", "resected": True, "prior": []}
    stage = None if code in HEME else ("mCRPC" if code == "PRAD" and "castration-resistant" in text else "IV")
    if code in HEME and code in ("FL", "NHL", "MBN", "DLBCLNOS", "BL", "ALCL"):
        stage = "IV"
    if LATER.search(text) and not re.search(r"newly.diagnosed|previously untreated|first.line", text):
        return {"setting": "later", "stage": stage,
                "prior": [{"drugs": d, "outcome": "progression"} for d in first_line_prior(r)]}  # fmt: skip
    if code == "PRAD" and stage == "mCRPC":
        return {
            "setting": "first_line",
            "stage": stage,
            "prior": [{"drugs": ["goserelin"], "outcome": "progression"}],
        }
    return {"setting": "first_line", "stage": stage, "prior": []}


if __name__ == "__main__":
    main(Path(sys.argv[1]))
