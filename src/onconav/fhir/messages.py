"""Import warnings in English and Chinese: notes (key + parameters) are rendered at the edge.

Parameters are codes, numbers, dates, gene symbols and INNs (kept as they are in both languages);
the few words a parameter can hold (a staging basis, a resource type) are translated here.
"""

from __future__ import annotations

from onconav.fhir.context import Note

MESSAGES: dict[str, dict[str, str]] = {
    "not_a_bundle": {
        "en": "The file is not a FHIR resource (a JSON object with a resourceType).",
        "zh": "该文件不是 FHIR 资源（应为带 resourceType 的 JSON 对象）。",
    },
    "empty_bundle": {"en": "The bundle holds no resources.", "zh": "该数据包不含任何资源。"},
    "no_patient": {
        "en": "No Patient resource: age and sex are not known.",
        "zh": "没有 Patient（患者）资源：年龄和性别未知。",
    },
    "several_patients": {
        "en": "The bundle holds {count} patients; only the first one is read.",
        "zh": "数据包中有 {count} 位患者，只读取了第一位。",
    },
    "age_no_reference_date": {
        "en": "Age not computed: the bundle has no dated record to compute it at (today's date is never used).",
        "zh": "未计算年龄：数据包中没有可作参照的日期记录（不会使用今天的日期）。",
    },
    "birth_date_unreadable": {
        "en": "The birth date {value} could not be read.",
        "zh": "无法读取出生日期 {value}。",
    },
    "age_at": {
        "en": "Age {age} is the age on {date}, the latest date in the records.",
        "zh": "年龄 {age} 岁为 {date}（记录中的最近日期）时的年龄。",
    },
    "ecog_out_of_range": {
        "en": "ECOG value {value} is not 0-4; not used.",
        "zh": "ECOG 评分 {value} 不在 0-4 之间，未使用。",
    },
    "karnofsky_not_converted": {
        "en": "Karnofsky performance status {value} was found; it is not converted to ECOG (the published "
        "conversion tables differ). Please give the ECOG score.",
        "zh": "记录中有 Karnofsky 体能评分 {value}；由于已发表的换算表并不一致，未将其换算为 ECOG。请提供 ECOG 评分。",
    },
    "egfr_not_crcl": {
        "en": "An estimated GFR ({value} mL/min/1.73 m²) is recorded, but the options use creatinine clearance; "
        "please give the creatinine clearance.",
        "zh": "记录中有估算肾小球滤过率（{value} mL/min/1.73 m²），但治疗方案使用肌酐清除率；请提供肌酐清除率。",
    },
    "bilirubin_no_uln": {
        "en": "Bilirubin has no upper limit of normal from the laboratory; not used.",
        "zh": "胆红素结果没有化验室给出的正常值上限，未使用。",
    },
    "count_not_used": {
        "en": "A blood count ({value}) has a unit that could not be converted or a value that cannot be right; not used.",
        "zh": "一项血细胞计数（{value}）的单位无法换算或数值不可能正确，未使用。",
    },
    "crcl_not_estimated": {
        "en": "Creatinine clearance not estimated: the creatinine unit, the weight, the age or the sex is missing.",
        "zh": "未估算肌酐清除率：缺少肌酐单位、体重、年龄或性别。",
    },
    "crcl_estimated": {
        "en": "Creatinine clearance {crcl} mL/min estimated with the Cockcroft-Gault formula (creatinine "
        "{creatinine} mg/dL on {date}, weight {weight} kg); a measured value is better.",
        "zh": "肌酐清除率 {crcl} mL/min 由 Cockcroft-Gault 公式估算（{date} 肌酐 {creatinine} mg/dL，体重 {weight} kg）；"
        "实测值更准确。",
    },
    "condition_refuted": {
        "en": "Diagnosis {code} is marked refuted or entered in error; not used.",
        "zh": "诊断 {code} 被标记为已排除或录入错误，未使用。",
    },
    "no_cancer_condition": {
        "en": "No cancer diagnosis could be read from the codes: give the OncoTree code of the cancer.",
        "zh": "无法从编码中读出癌症诊断：请提供该癌症的 OncoTree 编码。",
    },
    "secondary_site_unknown": {
        "en": "A metastasis ({code}) is recorded but its site is not coded.",
        "zh": "记录了转移灶（{code}），但未编码转移部位。",
    },
    "in_situ_condition": {
        "en": "{code} is an in situ (non-invasive) diagnosis; not used as the cancer.",
        "zh": "{code} 为原位（非浸润性）诊断，未作为癌症诊断使用。",
    },
    "cancer_code_unmapped": {
        "en": "The cancer diagnosis {code} has no mapping to an OncoTree code; give the OncoTree code.",
        "zh": "癌症诊断 {code} 无法对应到 OncoTree 编码，请提供 OncoTree 编码。",
    },
    "second_primary": {
        "en": "More than one primary cancer is recorded: {used} is used, and {others} is not. Check which "
        "cancer the options should be for.",
        "zh": "记录了不止一个原发癌：采用了 {used}，未采用 {others}。请确认治疗方案应针对哪一种癌症。",
    },
    "cancer_uncertain": {
        "en": "{code} does not say the tumour is malignant; check the diagnosis.",
        "zh": "{code} 未说明肿瘤为恶性，请核对诊断。",
    },
    "cancer_not_in_kb": {
        "en": "The cancer {code} is not covered by the knowledge base.",
        "zh": "知识库未涵盖该癌症 {code}。",
    },
    "histology_not_coded": {
        "en": "The histology is not coded: the cancer is read at the organ level ({code}); give the subtype for "
        "specific options.",
        "zh": "组织学类型未编码：仅按器官层级读取该癌症（{code}）；请提供亚型以获得更具体的方案。",
    },
    "in_situ_histology": {
        "en": "The histology {code} is in situ (non-invasive); not used.",
        "zh": "组织学编码 {code} 为原位（非浸润性），未使用。",
    },
    "histology_unmapped": {
        "en": "The histology {code} has no mapping; not used.",
        "zh": "组织学编码 {code} 没有对应关系，未使用。",
    },
    "stage_unmapped": {
        "en": "The stage value {code} has no mapping; not used.",
        "zh": "分期值 {code} 没有对应关系，未使用。",
    },
    "stage_other_condition": {
        "en": "A stage ({code}) recorded for another diagnosis is not used.",
        "zh": "为其他诊断记录的分期（{code}）未使用。",
    },
    "stage_scheme_mismatch": {
        "en": "Stage {stage} ({where}) belongs to a staging system of another kind of cancer; not used.",
        "zh": "分期 {stage}（{where}）属于其他癌种的分期系统，未使用。",
    },
    "stage_conflict": {
        "en": "Different stages are recorded: {used} ({used_basis}, {used_where}) is used; {other} "
        "({other_basis}, {other_where}) is not. Check the stage.",
        "zh": "记录的分期不一致：采用了 {used}（{used_basis}，{used_where}），未采用 {other}（{other_basis}，{other_where}）。"
        "请核对分期。",
    },
    "stage_below_metastases": {
        "en": "Stage {stage} is recorded but metastases are coded too: the options are for metastatic disease; "
        "check the stage.",
        "zh": "记录的分期为 {stage}，但同时编码了转移：治疗方案按转移性疾病给出；请核对分期。",
    },
    "variant_no_gene": {
        "en": "A genomic variant ({id}) names no gene (LOINC 48018-6); not used.",
        "zh": "一项基因变异（{id}）未注明基因（LOINC 48018-6），未使用。",
    },
    "variant_no_change": {
        "en": "A variant in {genes} is reported without a coded change (HGVS or change type); not used.",
        "zh": "{genes} 的变异未以编码说明具体改变（HGVS 或变异类型），未使用。",
    },
    "variant_origin_unmapped": {
        "en": "The variant origin {code} has no mapping; the origin is left unknown.",
        "zh": "变异来源 {code} 没有对应关系，来源视为未知。",
    },
    "hgvs_from_variation_name": {
        "en": "The change {value} was read from the ClinVar variation name (no HGVS component).",
        "zh": "变异改变 {value} 读自 ClinVar 变异名称（没有 HGVS 组分）。",
    },
    "tmb_no_value": {"en": "A TMB result has no number; not used.", "zh": "一项 TMB 结果没有数值，未使用。"},
    "msi_unmapped": {
        "en": "The MSI result {code} has no mapping; not used.",
        "zh": "MSI 结果 {code} 没有对应关系，未使用。",
    },
    "marker_no_value": {
        "en": "The tumour marker test {code} has no readable result; not used.",
        "zh": "肿瘤标志物检测 {code} 没有可读取的结果，未使用。",
    },
    "drug_unmapped": {
        "en": "A cancer medicine ({code}) could not be identified; not used.",
        "zh": "一种抗肿瘤药物（{code}）无法识别，未使用。",
    },
    "drug_from_display": {
        "en": "The medicine {code} was identified as {inn} from its name (no known RxNorm code).",
        "zh": "药物 {code} 按名称识别为 {inn}（没有已知的 RxNorm 编码）。",
    },
    "drug_stopped": {
        "en": "{inn} was stopped ({reason}) while the other medicines of that line went on.",
        "zh": "{inn} 已停用（{reason}），同一线治疗中的其他药物继续使用。",
    },
    "metastasis_history": {
        "en": "A history of metastasis to the {site} is recorded.",
        "zh": "记录有{site}转移史。",
    },
    "surgery_assumed_resection": {
        "en": "The curative-intent cancer surgery {code} is read as a resection of the tumour.",
        "zh": "以根治为目的的癌症手术 {code} 被视为肿瘤切除。",
    },
    "surgery_unknown_extent": {
        "en": "Cancer surgery {code}: not known whether it removed the tumour; give 'resected' if it did.",
        "zh": "癌症手术 {code}：不清楚是否切除了肿瘤；如已切除，请注明“已切除”。",
    },
    "disease_status_unread": {
        "en": "A disease status ({code}) could not be read; not used.",
        "zh": "一项疾病状态（{code}）无法读取，未使用。",
    },
    "outcomes_not_coded": {
        "en": "Treatment outcomes (response, progression) are not coded in the bundle: add them to the profile.",
        "zh": "数据包中没有编码的治疗结果（缓解、进展）：请在资料中补充。",
    },
    "treatment_without_date": {
        "en": "Some treatments have no date; they are listed last.",
        "zh": "部分治疗没有日期，列在最后。",
    },
    "unused_resources": {
        "en": "Not used: {count} {type} resource(s).",
        "zh": "未使用：{type}资源 {count} 条。",
    },
    "unused_observations": {
        "en": "Not used: {count} Observation(s) of {kinds} other codes (e.g. {examples}).",
        "zh": "未使用：{count} 条观察记录，涉及 {kinds} 种其他编码（例如 {examples}）。",
    },
}

REASONS = {
    "intolerance": {"en": "not tolerated", "zh": "不能耐受"},
    "refractory": {"en": "no response", "zh": "无效"},
}

SITES_ZH = {
    "brain": "脑", "liver": "肝", "bone": "骨", "lung": "肺", "pleura": "胸膜", "peritoneum": "腹膜",
    "adrenal": "肾上腺", "lymph nodes": "淋巴结", "skin": "皮肤", "bone marrow": "骨髓",
    "leptomeninges": "软脑膜", "mediastinum": "纵隔",
}  # fmt: skip

BASIS = {
    "clinical": {"en": "clinical stage group", "zh": "临床分期"},
    "pathological": {"en": "pathological stage group", "zh": "病理分期"},
    "other": {"en": "stage group", "zh": "分期"},
    "condition": {"en": "diagnosis stage summary", "zh": "诊断记录中的分期"},
    "code": {"en": "diagnosis code", "zh": "诊断编码"},
}

RESOURCE_ZH = {
    "AllergyIntolerance": "过敏与不耐受",
    "CarePlan": "护理计划",
    "CareTeam": "医护团队",
    "Claim": "理赔",
    "Condition": "疾病诊断",
    "Device": "医疗器械",
    "DiagnosticReport": "诊断报告",
    "DocumentReference": "文档",
    "Encounter": "就诊",
    "ExplanationOfBenefit": "费用说明",
    "FamilyMemberHistory": "家族史",
    "Group": "分组",
    "ImagingStudy": "影像检查",
    "Immunization": "免疫接种",
    "Location": "地点",
    "Medication": "药品",
    "MedicationAdministration": "给药记录",
    "MedicationRequest": "医嘱用药",
    "MedicationStatement": "用药陈述",
    "Observation": "观察记录",
    "Organization": "机构",
    "Patient": "患者",
    "Practitioner": "医务人员",
    "PractitionerRole": "医务人员角色",
    "Procedure": "操作与手术",
    "Provenance": "来源记录",
    "ServiceRequest": "检查申请",
    "Specimen": "标本",
    "BodyStructure": "身体结构",
    "SupplyDelivery": "物资配送",
    "Coverage": "医保与保险",
    "Composition": "文档汇总",
    "Goal": "治疗目标",
    "QuestionnaireResponse": "问卷回答",
    "Consent": "知情同意",
    "RiskAssessment": "风险评估",
    "ClinicalImpression": "临床评估",
    "Media": "影音资料",
    "Communication": "沟通记录",
    "Appointment": "预约",
}


def _lang(lang: str) -> str:
    return "zh" if (lang or "").lower().startswith("zh") else "en"


def render(note: Note, lang: str = "en") -> str:
    code = _lang(lang)
    params = dict(note.params)
    for key in ("used_basis", "other_basis"):
        if key in params and params[key] in BASIS:
            params[key] = BASIS[params[key]][code]
    if "reason" in params and params["reason"] in REASONS:
        params["reason"] = REASONS[params["reason"]][code]
    if code == "zh" and "site" in params:
        params["site"] = SITES_ZH.get(params["site"], params["site"])
    if code == "zh" and "type" in params:
        params["type"] = RESOURCE_ZH.get(params["type"], params["type"])
    return MESSAGES[note.key][code].format(**params)


def render_all(notes: list[Note], lang: str = "en") -> list[str]:
    return [render(n, lang) for n in notes]
