"""Plain-language wording of a structured check, in English and Chinese (pure Python)."""

from __future__ import annotations

from typing import Any

_ANALYTES = {
    "anc": ("Neutrophil count", "中性粒细胞计数"),
    "platelets": ("Platelet count", "血小板计数"),
    "hemoglobin": ("Haemoglobin", "血红蛋白"),
    "wbc": ("White cell count", "白细胞计数"),
    "alc": ("Lymphocyte count", "淋巴细胞计数"),
    "crcl": ("Kidney function (creatinine clearance)", "肾功能（肌酐清除率）"),
    "creatinine": ("Creatinine", "肌酐"),
    "bilirubin": ("Bilirubin (liver)", "胆红素（肝功能）"),
    "ast_alt": ("Liver enzymes (AST/ALT)", "肝酶（AST/ALT）"),
    "lvef": ("Heart pumping function (LVEF)", "心脏射血分数（LVEF）"),
    "inr": ("Blood clotting (INR)", "凝血功能（INR）"),
    "albumin": ("Albumin", "白蛋白"),
    "spo2": ("Oxygen saturation", "血氧饱和度"),
}
_STATUS = {
    "relapsed_refractory": (
        "The cancer came back or did not respond to treatment",
        "肿瘤复发或对治疗无效（复发/难治）",
    ),
    "untreated": ("No treatment yet for this cancer", "此前未接受过针对该肿瘤的治疗"),
    "advanced": ("Advanced, metastatic or inoperable cancer", "晚期、转移性或无法手术的肿瘤"),
}
_CLASSES = {
    "car_t": ("CAR-T cell therapy", "CAR-T细胞治疗"),
    "anti_cd38": ("an anti-CD38 antibody (such as daratumumab)", "抗CD38单抗（如达雷妥尤单抗）"),
    "bcma": ("a BCMA-directed therapy", "靶向BCMA的治疗"),
    "cd19": ("a CD19-directed therapy", "靶向CD19的治疗"),
    "pd1": ("a PD-1/PD-L1 immunotherapy", "PD-1/PD-L1免疫治疗"),
    "proteasome_inhibitor": ("a proteasome inhibitor (such as bortezomib)", "蛋白酶体抑制剂（如硼替佐米）"),
    "imid": ("an immunomodulatory drug (such as lenalidomide)", "免疫调节药物（如来那度胺）"),
    "anti_cd20": ("an anti-CD20 antibody (such as rituximab)", "抗CD20单抗（如利妥昔单抗）"),
    "btk": ("a BTK inhibitor", "BTK抑制剂"),
    "egfr_tki": ("an EGFR-targeted tablet (EGFR-TKI)", "EGFR靶向药（EGFR-TKI）"),
    "alk_tki": ("an ALK inhibitor", "ALK抑制剂"),
    "platinum": ("platinum chemotherapy", "含铂化疗"),
    "claudin": ("a Claudin 18.2-targeted therapy", "靶向Claudin 18.2的治疗"),
    "bispecific": ("a bispecific antibody", "双特异性抗体"),
    "adc": ("an antibody-drug conjugate (ADC)", "抗体偶联药物（ADC）"),
    "taxane": ("a taxane chemotherapy", "紫杉类化疗"),
    "anthracycline": ("an anthracycline chemotherapy", "蒽环类化疗"),
    "alkylating": ("an alkylating chemotherapy", "烷化剂类化疗"),
    "chemotherapy": ("chemotherapy", "化疗"),
    "met_inhibitor": ("a MET inhibitor", "MET抑制剂"),
    "kras_g12c_inhibitor": ("a KRAS G12C inhibitor", "KRAS G12C抑制剂"),
    "egfr_exon20": ("an EGFR exon 20 insertion-targeted therapy", "针对EGFR 20号外显子插入的靶向治疗"),
    "transplant": ("a stem cell transplant", "造血干细胞移植"),
}


def _zh(lang: str) -> bool:
    return lang.lower().startswith("zh")


def _num(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float | int) else str(v)


def describe_check(check: dict[str, Any] | None, lang: str = "en") -> str:
    """What the criterion asks, in plain words; the trial team's call when nothing was read."""
    zh = _zh(lang)
    if check is None:
        return "需由试验团队确认。" if zh else "To be confirmed by the trial team."
    if "type" not in check:
        parts = [describe_check(c, lang) for c in check.get("all") or check.get("any") or []]
        joiner = ("；或" if zh else "; or ") if "any" in check else ("；" if zh else "; ")
        return joiner.join(p.rstrip("。.") for p in parts) + ("。" if zh else ".")
    t = check["type"]
    lo, hi = check.get("min"), check.get("max")
    if t == "age":
        if lo is not None and hi is not None:
            return f"年龄{_num(lo)}至{_num(hi)}岁。" if zh else f"Age {_num(lo)} to {_num(hi)} years."
        if lo is not None:
            return f"年龄不小于{_num(lo)}岁。" if zh else f"Age {_num(lo)} or older."
        return f"年龄不超过{_num(hi)}岁。" if zh else f"Age {_num(hi)} or younger."
    if t == "sex":
        sex = check["sex"]
        if sex == "all":
            return "男女均可。" if zh else "Men and women."
        return (
            ("仅限女性。" if sex == "female" else "仅限男性。")
            if zh
            else f"{sex.capitalize()} patients only."
        )
    if t == "cancer":
        codes = ", ".join(check["codes"])
        return (
            f"肿瘤类型：{codes}（OncoTree编码，含其亚型）。"
            if zh
            else f"Cancer type: {codes} (OncoTree codes, subtypes included)."
        )
    if t == "status":
        en, cn = _STATUS.get(check["status"], (check["status"], check["status"]))
        return cn + "。" if zh else en + "."
    if t == "ecog":
        if lo is not None and hi is not None:
            return f"体能状态ECOG {lo}-{hi}分。" if zh else f"Performance status ECOG {lo} to {hi}."
        if hi is not None:
            return (
                f"体能状态ECOG不超过{hi}分（能够自理）。"
                if zh
                else f"Performance status ECOG {hi} or better (lower is fitter)."
            )
        return f"体能状态ECOG不低于{lo}分。" if zh else f"Performance status ECOG {lo} or more."
    if t == "karnofsky":
        if lo is not None:
            return f"KPS评分不低于{lo}。" if zh else f"Karnofsky score {lo} or more."
        return f"KPS评分不超过{hi}。" if zh else f"Karnofsky score {hi} or less."
    if t == "prior_lines":
        if lo is not None and hi is not None and lo == hi:
            return f"既往恰好{lo}线治疗。" if zh else f"Exactly {lo} earlier line(s) of treatment."
        if lo is not None and hi is not None:
            return f"既往{lo}至{hi}线治疗。" if zh else f"{lo} to {hi} earlier lines of treatment."
        if lo is not None:
            return f"既往至少{lo}线治疗。" if zh else f"At least {lo} earlier line(s) of treatment."
        return f"既往不超过{hi}线治疗。" if zh else f"No more than {hi} earlier line(s) of treatment."
    if t == "prior_drug":
        names = [(_CLASSES.get(c, (c, c))[1 if zh else 0]) for c in check["classes"]]
        if check.get("drugs"):
            names = check["drugs"]
        joined = ("、" if zh else (" and " if check.get("require_all") else " or ")).join(names)
        if check.get("negated"):
            return f"此前未接受过{joined}。" if zh else f"Has not had {joined} before."
        return f"此前接受过{joined}。" if zh else f"Has had {joined} before."
    if t == "biomarker":
        target = check["target"]
        if check.get("positive", True):
            extra = f"（≥{check['min_percent']}%肿瘤细胞）" if zh and check.get("min_percent") else ""
            extra_en = (
                f" (in at least {check['min_percent']}% of tumour cells)" if check.get("min_percent") else ""
            )
            variant = "" if check.get("variant") in ("any", "positive") else f" {check['variant']}"
            return (
                f"检测结果：{target}{variant}阳性{extra}。"
                if zh
                else f"Test result: {target}{variant} positive{extra_en}."
            )
        return f"检测结果：{target}阴性。" if zh else f"Test result: {target} negative."
    if t == "her2":
        levels = {
            "positive": ("HER2 positive", "HER2阳性"),
            "low": ("HER2-low (IHC 1+ or 2+ with negative ISH)", "HER2低表达（IHC 1+或2+且ISH阴性）"),
            "negative": ("HER2 negative", "HER2阴性"),
            "mutation": ("HER2 (ERBB2) mutation", "HER2（ERBB2）突变"),
        }
        en, cn = levels[check["level"]]
        return f"检测结果：{cn}。" if zh else f"Test result: {en}."
    if t == "pdl1":
        score = check["score"]
        if lo is not None:
            return f"PD-L1 {score} ≥ {_num(lo)}。" if zh else f"PD-L1 {score} at least {_num(lo)}."
        return f"PD-L1 {score} ≤ {_num(hi)}。" if zh else f"PD-L1 {score} at most {_num(hi)}."
    if t == "measurable":
        return "影像上有可测量的病灶。" if zh else "A tumour that can be measured on scans."
    if t == "cns_mets":
        if check.get("active_only"):
            return (
                "关于活动性或未经治疗的脑/中枢神经系统转移。"
                if zh
                else "About active or untreated brain or spinal (CNS) spread."
            )
        return "关于脑/中枢神经系统转移。" if zh else "About cancer spread to the brain or spinal cord (CNS)."
    if t == "lab":
        en, cn = _ANALYTES.get(check["analyte"], (check["analyte"], check["analyte"]))
        unit = check.get("unit", "")
        unit = (
            "× 正常上限" if zh and unit == "xULN" else ("× upper limit of normal" if unit == "xULN" else unit)
        )
        return (
            f"化验：{cn} {check['op']} {_num(check['value'])} {unit}。"
            if zh
            else f"Blood test: {en} {check['op']} {_num(check['value'])} {unit}."
        )
    if t == "life_expectancy":
        return (
            f"预计生存期至少{_num(check['min_weeks'])}周。"
            if zh
            else f"Expected to live at least {_num(check['min_weeks'])} weeks."
        )
    if t == "pregnancy":
        return "关于妊娠、哺乳和避孕的要求。" if zh else "About pregnancy, breastfeeding and contraception."
    return "需由试验团队确认。" if zh else "To be confirmed by the trial team."
