"""Every string the engine writes itself, in English and Simplified Chinese.

Knowledge-base text (summaries, names, cautions) comes from the KB's bilingual ``Text`` fields;
everything else comes from this table. ``tests/engine/test_messages.py`` checks that each key
has both languages with the same placeholders.
"""

from __future__ import annotations

import re

LANGS = ("en", "zh-hans")

_LANG_ALIASES = {
    "en": "en",
    "en-us": "en",
    "en-gb": "en",
    "english": "en",
    "zh": "zh-hans",
    "zh-hans": "zh-hans",
    "zh-cn": "zh-hans",
    "zh_hans": "zh-hans",
    "zh-sg": "zh-hans",
}


def normalize_lang(lang: str | None) -> str:
    """``en`` or ``zh-hans``; raises ValueError for a language the engine does not speak."""
    key = (lang or "en").strip().lower().replace("_", "-")
    if key in _LANG_ALIASES:
        return _LANG_ALIASES[key]
    raise ValueError(f"unsupported language {lang!r}: use 'en' or 'zh-hans'")


MESSAGES: dict[str, dict[str, str]] = {
    # --- disclaimer -------------------------------------------------------------------
    "disclaimer": {
        "en": (
            "This information is for discussion with your own doctors and multidisciplinary team "
            "(MDT). It is not a diagnosis, a prescription or medical advice, it may be incomplete, "
            "and it must never be a reason to delay, stop or skip care."
        ),
        "zh-hans": (
            "本信息仅供您与自己的主治医生及多学科团队（MDT）讨论之用，不构成诊断、处方或医疗建议，"
            "可能并不完整，绝不能因此推迟、中断或放弃治疗。"
        ),
    },
    # --- warnings ---------------------------------------------------------------------
    "w_unknown_field": {
        "en": "Unknown field '{field}' was kept but not used.",
        "zh-hans": "未知字段“{field}”已保留，但未被使用。",
    },
    "w_biomarker_unrecognised": {
        "en": "Biomarker '{label}' was not recognised and was not used.",
        "zh-hans": "未能识别生物标志物“{label}”，未予使用。",
    },
    "w_biomarker_value": {
        "en": "The value of '{label}' could not be read; it was not used.",
        "zh-hans": "无法读取“{label}”的数值，未予使用。",
    },
    "w_biomarker_conflict": {
        "en": "Conflicting results for {marker}: it was treated as present. Please check the report.",
        "zh-hans": "{marker}的结果相互矛盾：按阳性处理。请核对检测报告。",
    },
    "w_biomarker_interpreted": {
        "en": "'{label}' was read as {meaning}.",
        "zh-hans": "“{label}”被理解为{meaning}。",
    },
    "w_drug_unrecognised": {
        "en": "Prior drug '{drug}' is not in the knowledge base; only this exact drug is treated as received.",
        "zh-hans": "既往用药“{drug}”不在知识库中；仅将该药本身视为已使用。",
    },
    "w_stage_unknown": {
        "en": "The stage is not given: options for every stage are considered.",
        "zh-hans": "未提供分期：已考虑所有分期的方案。",
    },
    "w_stage_unrecognised": {
        "en": "Stage '{stage}' was not recognised: options for every stage are considered.",
        "zh-hans": "未能识别分期“{stage}”：已考虑所有分期的方案。",
    },
    "w_ecog_unknown": {
        "en": "ECOG performance status is not given: fitness rules could not be applied.",
        "zh-hans": "未提供ECOG体能状态评分：无法应用体能相关规则。",
    },
    "w_no_options": {
        "en": (
            "No option in the knowledge base matches this profile yet. Ask the care team about "
            "clinical trials and supportive care."
        ),
        "zh-hans": "知识库中暂无与该情况匹配的方案。请向医疗团队咨询临床试验和支持治疗。",
    },
    "w_pending": {
        "en": "{count} more option(s) depend on test results that are not known yet: see the tests recommended.",
        "zh-hans": "另有{count}个方案取决于尚未知晓的检测结果：请参阅建议的检查。",
    },
    "w_excluded": {
        "en": "{title} is not offered: {reason}",
        "zh-hans": "未推荐{title}：{reason}",
    },
    "r_substitute": {
        "en": "In place of {what}: {reason}",
        "zh-hans": "替代{what}：{reason}",
    },
    "w_relapse_inferred": {
        "en": "A platinum-free interval or platinum resistance was given, so the last recorded treatment is read as followed by a relapse: options are for the relapse, not maintenance in remission.",
        "zh-hans": "已提供无铂间期或铂耐药信息，因此将末次记录的治疗视为其后已复发：所列方案针对复发，而非缓解期维持治疗。",
    },
    "w_poor_ps": {
        "en": "ECOG {ecog}: supportive and palliative care come first; most intensive treatments are not suitable.",
        "zh-hans": "ECOG {ecog}分：应优先支持治疗和姑息治疗；多数强化治疗不适合。",
    },
    "w_numeric_bound": {
        "en": "'{label}' is a range; decisions at a threshold inside the range are treated as unknown.",
        "zh-hans": "“{label}”是一个范围；阈值落在范围内时按未知处理。",
    },
    # --- tests recommended ------------------------------------------------------------
    "t_biomarker": {"en": "{marker} test", "zh-hans": "{marker}检测"},
    "t_reason_unlocks": {
        "en": "The result decides {count} option(s), for example {example} (evidence level {level}).",
        "zh-hans": "该结果决定{count}个方案是否适用，例如{example}（证据等级{level}）。",
    },
    "t_reason_resistance": {
        "en": "A positive result would predict resistance to {example}.",
        "zh-hans": "若结果阳性，提示对{example}耐药。",
    },
    "t_ngs": {
        "en": "Comprehensive NGS panel (tissue or plasma)",
        "zh-hans": "综合性二代测序（NGS）大Panel检测（组织或血浆）",
    },
    "t_ngs_reason": {
        "en": (
            "Several results that decide the treatment are unknown ({markers}); one panel tests them "
            "together ({count} option(s) depend on it)."
        ),
        "zh-hans": "多个决定治疗选择的检测结果未知（{markers}）；一次Panel检测可同时明确（{count}个方案取决于此）。",
    },
    "t_staging": {
        "en": "Staging (imaging and pathology to establish the stage)",
        "zh-hans": "分期检查（影像学和病理学检查以明确分期）",
    },
    "t_staging_reason": {
        "en": "The stage decides between curative local treatment and systemic treatment.",
        "zh-hans": "分期决定应采用根治性局部治疗还是全身治疗。",
    },
    "t_child_pugh": {
        "en": "Liver function assessment (Child-Pugh class)",
        "zh-hans": "肝功能评估（Child-Pugh分级）",
    },
    "t_child_pugh_reason": {
        "en": "Several liver-cancer treatments require Child-Pugh class {classes}.",
        "zh-hans": "多种肝癌治疗要求Child-Pugh分级为{classes}级。",
    },
    # --- settings and stage groups ----------------------------------------------------
    "s_neoadjuvant": {"en": "neoadjuvant (before surgery)", "zh-hans": "新辅助治疗（术前）"},
    "s_perioperative": {
        "en": "perioperative (before and after surgery)",
        "zh-hans": "围手术期治疗（术前及术后）",
    },
    "s_definitive": {"en": "definitive (curative) local treatment", "zh-hans": "根治性局部治疗"},
    "s_adjuvant": {"en": "adjuvant (after surgery)", "zh-hans": "辅助治疗（术后）"},
    "s_consolidation": {"en": "consolidation after chemoradiation", "zh-hans": "同步放化疗后巩固治疗"},
    "s_first_line": {"en": "first line", "zh-hans": "一线治疗"},
    "s_later_line": {"en": "later line (line {line})", "zh-hans": "后线治疗（第{line}线）"},
    "s_maintenance": {"en": "maintenance", "zh-hans": "维持治疗"},
    "s_supportive": {"en": "supportive care", "zh-hans": "支持治疗"},
    "s_any": {"en": "any setting", "zh-hans": "任何阶段"},
    "g_early": {"en": "early disease", "zh-hans": "早期"},
    "g_locally_advanced": {"en": "locally advanced disease", "zh-hans": "局部晚期"},
    "g_advanced": {"en": "advanced disease", "zh-hans": "晚期"},
    "setting_with_stage": {"en": "{setting}, stage {stage}", "zh-hans": "{setting}，{stage}期"},
    "setting_with_group": {"en": "{setting}, {group}", "zh-hans": "{setting}，{group}"},
    # --- levels, access, badges ------------------------------------------------------
    "level_1": {
        "en": "approved and/or guideline standard of care, backed by randomised phase 3 evidence",
        "zh-hans": "已获批准和/或为指南标准治疗，有随机III期研究支持",
    },
    "level_2": {
        "en": "guideline standard of care, or approval based on single-arm data",
        "zh-hans": "指南推荐的标准治疗，或基于单臂研究数据的批准",
    },
    "level_3A": {
        "en": "compelling clinical evidence in this cancer, not yet standard of care",
        "zh-hans": "在该癌种中有较强的临床证据，但尚非标准治疗",
    },
    "level_3B": {
        "en": "standard-of-care evidence in another cancer type",
        "zh-hans": "在其他癌种中为标准治疗证据",
    },
    "level_4": {"en": "biological or early-phase evidence only", "zh-hans": "仅有生物学或早期临床证据"},
    "access_approved": {"en": "approved in China for this use", "zh-hans": "在中国已获批用于该适应证"},
    "access_approved_other_indication": {
        "en": "approved in China, but for another indication",
        "zh-hans": "在中国已上市，但获批的是其他适应证",
    },
    "access_boao_only": {
        "en": "available only in the Hainan Boao Lecheng pilot zone",
        "zh-hans": "仅可在海南博鳌乐城先行区使用",
    },
    "access_trial_only": {
        "en": "available in China only in clinical trials",
        "zh-hans": "在中国仅能通过临床试验获得",
    },
    "access_not_available": {"en": "not available in China", "zh-hans": "在中国无法获得"},
    "access_unknown": {"en": "access in China not known", "zh-hans": "在中国的可及性未知"},
    "access_not_applicable": {
        "en": "a procedure or care offered by hospitals (no drug approval needed)",
        "zh-hans": "医院提供的治疗或照护（无需药品批准）",
    },
    "badge_standard_of_care": {"en": "Standard of care", "zh-hans": "标准治疗"},
    "badge_approved_in_china": {"en": "Approved in China", "zh-hans": "中国已批准"},
    "badge_clinical_trial_only": {"en": "Clinical trial only", "zh-hans": "仅限临床试验"},
    "badge_investigational": {"en": "Investigational", "zh-hans": "研究性"},
    "badge_supportive_care": {"en": "Supportive care", "zh-hans": "支持治疗"},
    # --- rationale --------------------------------------------------------------------
    "r_level": {"en": "Evidence level {level}: {meaning}.", "zh-hans": "证据等级{level}：{meaning}。"},
    "r_setting_fit": {"en": "Fits the current situation: {setting}.", "zh-hans": "符合当前情况：{setting}。"},
    "r_setting_other": {
        "en": "Applies in a related situation: {setting}.",
        "zh-hans": "适用于相关情况：{setting}。",
    },
    "r_setting_support": {
        "en": "Supportive care, alongside any other treatment.",
        "zh-hans": "支持治疗，可与其他治疗同时进行。",
    },
    "r_marker_present": {"en": "{marker}: present.", "zh-hans": "{marker}：阳性。"},
    "r_marker_absent": {"en": "{marker}: known negative.", "zh-hans": "{marker}：已知阴性。"},
    "r_threshold": {
        "en": "{marker} {op} {value} (this patient: {patient}).",
        "zh-hans": "{marker} {op} {value}（该患者：{patient}）。",
    },
    "r_agnostic": {
        "en": "Tumour-agnostic indication: applies to {root} whatever the organ.",
        "zh-hans": "不限瘤种的适应证：适用于所有{root}，不论原发器官。",
    },
    "r_written_for": {"en": "Evidence written for {cancer}.", "zh-hans": "证据针对{cancer}。"},
    "r_after_failure": {"en": "After failure of {what}.", "zh-hans": "用于{what}治疗失败后。"},
    "r_benefit": {
        "en": "Benefit: hazard ratio {hr} ({endpoint}{trial}).",
        "zh-hans": "获益：风险比{hr}（{endpoint}{trial}）。",
    },
    "r_benefit_none": {
        "en": "No hazard ratio recorded; the benefit size does not change the order.",
        "zh-hans": "无风险比数据；获益大小不影响排序。",
    },
    "r_access": {"en": "China access: {access}.", "zh-hans": "中国可及性：{access}。"},
    "r_nrdl_yes": {
        "en": "Reimbursed under China's national drug list (NRDL).",
        "zh-hans": "已纳入国家医保目录（NRDL）。",
    },
    "r_nrdl_no": {"en": "Not reimbursed under the NRDL.", "zh-hans": "未纳入国家医保目录。"},
    "r_nrdl_unknown": {"en": "NRDL reimbursement not known.", "zh-hans": "医保报销情况未知。"},
    "r_cost_within": {
        "en": "Estimated cost (about US${cost} per month) fits the stated budget.",
        "zh-hans": "估计费用（约每月{cost}美元）在预算范围内。",
    },
    "r_cost_over": {
        "en": "Estimated cost (about US${cost} per month) is above the stated budget; it is shown for its evidence.",
        "zh-hans": "估计费用（约每月{cost}美元）超出预算；因其证据而列出。",
    },
    "r_merged": {
        "en": "Supported by {count} evidence items; the strongest decides the rank.",
        "zh-hans": "有{count}条证据支持；以最强证据决定排序。",
    },
    "r_demoted": {
        "en": "Placed lower: {reason}",
        "zh-hans": "排序下调：{reason}",
    },
    "r_superseded": {
        "en": "{other} did better in a direct comparison ({trial}, hazard ratio {hr}): listed after it.",
        "zh-hans": "{other}在直接比较中更优（{trial}，风险比{hr}）：排在其后。",
    },
    "r_ps_first": {
        "en": "With ECOG {ecog}, supportive and palliative care come first.",
        "zh-hans": "ECOG {ecog}分时，应优先支持治疗和姑息治疗。",
    },
    # --- cautions ---------------------------------------------------------------------
    "c_ecog_intensive": {
        "en": "ECOG {ecog}: an intensive treatment; whether it can be tolerated needs discussion.",
        "zh-hans": "ECOG {ecog}分：属于强化治疗，需要讨论能否耐受。",
    },
    "c_age_intensive": {
        "en": "Age {age}: intensive treatment is less well tolerated; dose and alternatives need discussion.",
        "zh-hans": "年龄{age}岁：对强化治疗耐受性较差，需要讨论剂量及替代方案。",
    },
    "c_very_high_ecog": {
        "en": "ECOG {ecog}: CAR-T or transplant is usually limited to ECOG 0-1; specialist assessment needed.",
        "zh-hans": "ECOG {ecog}分：CAR-T或移植通常仅限ECOG 0-1分，需要专科评估。",
    },
    "c_very_high_ecog_unknown": {
        "en": "CAR-T or transplant needs good performance status (ECOG 0-1); it is not given.",
        "zh-hans": "CAR-T或移植要求体能状态良好（ECOG 0-1分）；未提供该信息。",
    },
    "c_very_high_age": {
        "en": "Age {age}: CAR-T or transplant needs a careful assessment of fitness.",
        "zh-hans": "年龄{age}岁：CAR-T或移植需要仔细评估身体状况。",
    },
    "c_very_high_organ": {
        "en": "Heart, kidney, liver and lung function must be checked before CAR-T or transplant.",
        "zh-hans": "CAR-T或移植前须评估心、肾、肝、肺功能。",
    },
    "c_comorbidity_intensive": {
        "en": "Comorbidity ({what}): whether an intensive treatment is safe needs careful assessment.",
        "zh-hans": "合并症（{what}）：需仔细评估强化治疗是否安全。",
    },
    "c_comorbidity_io": {
        "en": "Comorbidity ({what}): immunotherapy can worsen autoimmune or lung disease; specialist review needed.",
        "zh-hans": "合并症（{what}）：免疫治疗可能加重自身免疫性疾病或肺部疾病，需要专科评估。",
    },
    "c_comorbidity_hbv": {
        "en": "Hepatitis B ({what}): the virus can flare during this treatment; antiviral prophylaxis and monitoring are usually needed.",
        "zh-hans": "乙型肝炎（{what}）：治疗期间病毒可能再激活，通常需要抗病毒预防和监测。",
    },
    "c_crcl_cisplatin": {
        "en": "Creatinine clearance {crcl} mL/min: cisplatin is usually avoided; carboplatin is the usual substitute.",
        "zh-hans": "肌酐清除率{crcl} mL/min：通常避免使用顺铂，一般以卡铂替代。",
    },
    "c_lvef": {
        "en": "LVEF {lvef}%: anti-HER2 antibodies and anthracyclines can weaken the heart; cardiology review needed.",
        "zh-hans": "左心室射血分数{lvef}%：抗HER2抗体和蒽环类药物可能损害心脏功能，需要心内科评估。",
    },
    "c_ps_targeted": {
        "en": "ECOG {ecog}: targeted therapy for a driver alteration remains standard even in poor condition, with close monitoring.",
        "zh-hans": "ECOG {ecog}分：即使体能较差，针对驱动基因的靶向治疗仍是标准治疗，但需密切监测。",
    },
    "c_failed_drug": {
        "en": "{drugs} already failed (disease progressed on it): not a first choice again.",
        "zh-hans": "{drugs}此前已治疗失败（用药期间疾病进展）：不宜再作为首选。",
    },
    "c_failed_class": {
        "en": "A drug of the same class ({cls}) already failed; drugs of this class usually fail together.",
        "zh-hans": "同类药物（{cls}）此前已治疗失败；此类药物通常同时失效。",
    },
    "c_intolerance": {
        "en": "Previous intolerance to {drugs}.",
        "zh-hans": "既往对{drugs}不耐受。",
    },
    "c_resistance": {
        "en": "{marker} suggests resistance (evidence level {level}).",
        "zh-hans": "{marker}提示耐药（证据等级{level}）。",
    },
    "c_child_pugh_unknown": {
        "en": "Requires Child-Pugh {classes} liver function, which is not given.",
        "zh-hans": "要求肝功能Child-Pugh {classes}级，但未提供该信息。",
    },
    "c_size_unknown": {
        "en": "Suitable only for tumours up to {size} cm; the size is not given.",
        "zh-hans": "仅适用于直径不超过{size}厘米的肿瘤；未提供肿瘤大小。",
    },
    "c_count_unknown": {
        "en": "Suitable only for up to {count} tumour(s); the number is not given.",
        "zh-hans": "仅适用于不超过{count}个肿瘤；未提供肿瘤数目。",
    },
    "c_consolidation": {
        "en": "Given after chemoradiation when the disease has not progressed.",
        "zh-hans": "用于同步放化疗后疾病未进展者。",
    },
    "c_maintenance": {
        "en": "Maintenance is given after initial treatment has worked (response or stable disease).",
        "zh-hans": "维持治疗用于初始治疗有效（缓解或疾病稳定）之后。",
    },
    "c_later_line": {
        "en": "For when the disease progresses: the last treatment is recorded as working.",
        "zh-hans": "用于疾病进展时：记录显示当前治疗仍然有效。",
    },
    "c_stage_unknown": {
        "en": "Whether this fits depends on the stage, which is not known.",
        "zh-hans": "是否适用取决于分期，而分期未知。",
    },
    "c_budget": {
        "en": "Estimated cost is above the stated budget.",
        "zh-hans": "估计费用超出所述预算。",
    },
    # --- exclusion reasons ------------------------------------------------------------
    "x_ecog": {
        "en": "ECOG {ecog} is above the limit for this treatment (ECOG {max} or better).",
        "zh-hans": "ECOG {ecog}分超过该治疗的要求（需ECOG≤{max}分）。",
    },
    "x_child_pugh": {
        "en": "Child-Pugh {cp} liver function; this treatment requires Child-Pugh {classes}.",
        "zh-hans": "肝功能为Child-Pugh {cp}级；该治疗要求Child-Pugh {classes}级。",
    },
    "x_very_high_ps": {
        "en": "CAR-T or transplant requires good performance status (ECOG 0-1, at most 2).",
        "zh-hans": "CAR-T或移植要求体能状态良好（ECOG 0-1分，最多2分）。",
    },
    "x_very_high_frail": {
        "en": "ECOG {ecog} at age {age}: CAR-T or transplant is not usually suitable.",
        "zh-hans": "{age}岁且ECOG {ecog}分：通常不适合CAR-T或移植。",
    },
    "x_resistance": {
        "en": "{marker} predicts resistance (evidence level {level}).",
        "zh-hans": "{marker}提示耐药（证据等级{level}）。",
    },
    "x_inoperable": {
        "en": "Surgery was judged not possible (inoperable or unresectable).",
        "zh-hans": "已判断无法手术（不可手术或不可切除）。",
    },
    "x_size": {"en": "The tumour is larger than {size} cm.", "zh-hans": "肿瘤大于{size}厘米。"},
    "x_count": {"en": "There are more than {count} tumours.", "zh-hans": "肿瘤数目多于{count}个。"},
    # --- profile summary --------------------------------------------------------------
    "ps_age": {"en": "age {age}", "zh-hans": "{age}岁"},
    "ps_sex_female": {"en": "female", "zh-hans": "女性"},
    "ps_sex_male": {"en": "male", "zh-hans": "男性"},
    "ps_sex_other": {"en": "sex: other", "zh-hans": "性别：其他"},
    "ps_cancer": {"en": "{name} ({code})", "zh-hans": "{name}（{code}）"},
    "ps_stage": {"en": "stage {stage} ({group})", "zh-hans": "{stage}期（{group}）"},
    "ps_stage_groups": {"en": "{groups}", "zh-hans": "{groups}"},
    "ps_stage_unknown": {"en": "stage unknown", "zh-hans": "分期未知"},
    "ps_ecog": {"en": "ECOG {ecog}", "zh-hans": "ECOG {ecog}分"},
    "ps_child_pugh": {"en": "Child-Pugh {cp}", "zh-hans": "Child-Pugh {cp}级"},
    "ps_biomarkers": {"en": "biomarkers: {items}", "zh-hans": "生物标志物：{items}"},
    "ps_negative": {"en": "{marker} negative", "zh-hans": "{marker}阴性"},
    "ps_no_prior": {
        "en": "no prior systemic treatment for advanced disease",
        "zh-hans": "晚期阶段未接受过全身治疗",
    },
    "ps_prior": {
        "en": "{lines} prior line(s) for advanced disease ({drugs}); next: line {next}",
        "zh-hans": "晚期阶段既往{lines}线治疗（{drugs}）；下一步：第{next}线",
    },
    "ps_failed": {"en": "failed: {drugs}", "zh-hans": "治疗失败：{drugs}"},
    "ps_inoperable": {"en": "inoperable", "zh-hans": "不可手术"},
    "ps_resected": {"en": "primary tumour resected", "zh-hans": "原发肿瘤已切除"},
    # --- conditional options, groups and ranking reasons (engine v2) --------------------
    "cond_if": {"en": "If {what}", "zh-hans": "如果{what}"},
    "cond_and": {"en": " and ", "zh-hans": "且"},
    "cond_present": {"en": "{marker} is positive", "zh-hans": "{marker}为阳性"},
    "cond_absent": {"en": "{marker} is negative", "zh-hans": "{marker}为阴性"},
    "cond_threshold": {"en": "the {marker} result is in range", "zh-hans": "{marker}结果符合要求"},
    "cond_origin": {"en": "{marker} is of the required origin", "zh-hans": "{marker}来源符合要求"},
    "cond_fact": {"en": "the patient is {fact}", "zh-hans": "患者{fact}"},
    "cond_fact_not": {"en": "the patient is not {fact}", "zh-hans": "患者并非{fact}"},
    "grp_preferred": {"en": "Preferred now", "zh-hans": "目前首选"},
    "grp_reasonable": {"en": "Also reasonable now", "zh-hans": "目前亦可选择"},
    "grp_conditional": {"en": "Depends on a test result", "zh-hans": "取决于检测结果"},
    "grp_later": {"en": "For later (after progression)", "zh-hans": "后续可选（进展后）"},
    "grp_supportive": {
        "en": "Supportive and palliative care alongside treatment",
        "zh-hans": "与治疗同时进行的支持和姑息治疗",
    },
    "rr_setting_fit": {
        "en": "Written for this situation (setting and line)",
        "zh-hans": "适用于当前情况（治疗阶段和线数）",
    },
    "rr_setting_other": {
        "en": "Holds in a related setting, not the main one now",
        "zh-hans": "适用于相关情形，而非当前主要情形",
    },
    "rr_setting_support": {
        "en": "Supportive or palliative care, given alongside treatment",
        "zh-hans": "支持或姑息治疗，与抗肿瘤治疗同时进行",
    },
    "rr_tier_demoted": {
        "en": "Shown lower: a fitness, resistance or intolerance rule applies",
        "zh-hans": "排序靠后：受体能、耐药或不耐受规则影响",
    },
    "rr_tier_failed": {
        "en": "Shown lower: a drug of it, or of its class, already failed",
        "zh-hans": "排序靠后：其中药物或同类药物已经失败",
    },
    "rr_condition_open": {"en": "Depends on a result not yet known", "zh-hans": "取决于尚未知晓的结果"},
    "rr_condition_likely": {
        "en": "Depends on a result not yet known, which is likely given the other results",
        "zh-hans": "取决于尚未知晓的结果，根据其他结果很可能符合",
    },
    "rr_condition_unlikely": {
        "en": "Depends on a result not yet known, which is unlikely given the other results",
        "zh-hans": "取决于尚未知晓的结果，根据其他结果不太可能符合",
    },
    "rr_matched": {
        "en": "Directed at the patient's alteration, with guideline-level evidence",
        "zh-hans": "针对患者的基因改变，且有指南级证据",
    },
    "rr_level": {"en": "Evidence level {level}", "zh-hans": "证据等级{level}"},
    "rr_preference": {
        "en": "Guideline preference: NCCN {nccn}, CSCO {csco}",
        "zh-hans": "指南推荐：NCCN {nccn}，CSCO {csco}",
    },
    "rr_access": {"en": "China access: {access}", "zh-hans": "中国可及性：{access}"},
    "rr_nrdl": {"en": "National reimbursement (NRDL): {nrdl}", "zh-hans": "国家医保目录：{nrdl}"},
    "rr_route": {"en": "Matches the preferred route ({route})", "zh-hans": "符合首选给药方式（{route}）"},
    "rr_budget": {"en": "Cost compared with the stated budget", "zh-hans": "费用与所述预算比较"},
    "rr_tie": {
        "en": "Equivalent choice to option(s) {ranks}: the guidelines do not rank them",
        "zh-hans": "与方案{ranks}为同等选择：指南未区分先后",
    },
    "pref_nccn_preferred": {"en": "preferred", "zh-hans": "首选"},
    "pref_nccn_other_recommended": {"en": "other recommended", "zh-hans": "其他推荐"},
    "pref_nccn_certain_circumstances": {"en": "useful in certain circumstances", "zh-hans": "特定情况下有用"},
    "pref_nccn_not_listed": {"en": "not listed", "zh-hans": "未列出"},
    "pref_nccn_unknown": {"en": "not recorded", "zh-hans": "未记录"},
    "pref_csco_I": {"en": "level I", "zh-hans": "I级推荐"},
    "pref_csco_II": {"en": "level II", "zh-hans": "II级推荐"},
    "pref_csco_III": {"en": "level III", "zh-hans": "III级推荐"},
    "pref_csco_not_listed": {"en": "not listed", "zh-hans": "未列出"},
    "pref_csco_unknown": {"en": "not recorded", "zh-hans": "未记录"},
    "yes": {"en": "yes", "zh-hans": "是"},
    "no": {"en": "no", "zh-hans": "否"},
    "unknown": {"en": "unknown", "zh-hans": "未知"},
    "c_fact_derived": {"en": "{fact}: estimated, not stated.", "zh-hans": "{fact}：为估计值，并非明确提供。"},
    "c_class_failed": {
        "en": "After progression on {drugs} ({cls}), other drugs of the class usually fail too: {why}",
        "zh-hans": "在{drugs}（{cls}）治疗进展后，同类其他药物通常同样无效：{why}",
    },
    "u_field": {"en": "not a field the engine reads", "zh-hans": "引擎不读取此字段"},
    "u_biomarker": {"en": "biomarker not recognised", "zh-hans": "未能识别的生物标志物"},
    "u_comorbidity": {"en": "no rule reads this comorbidity", "zh-hans": "没有规则使用此合并症"},
    "u_drug": {"en": "drug not recognised", "zh-hans": "未能识别的药物"},
    "u_preference": {
        "en": "does not change the options (used by the hospitals page)",
        "zh-hans": "不影响方案选择（用于医院页面）",
    },
    "list_sep": {"en": ", ", "zh-hans": "、"},
    "part_sep": {"en": "; ", "zh-hans": "；"},
    # --- text rendering ---------------------------------------------------------------
    "txt_title": {"en": "Treatment options", "zh-hans": "治疗方案"},
    "txt_kb": {"en": "Knowledge base version {version}", "zh-hans": "知识库版本 {version}"},
    "txt_profile": {"en": "Profile", "zh-hans": "病情概要"},
    "txt_options": {"en": "Options (best fit first)", "zh-hans": "方案（按契合度排序）"},
    "txt_none": {"en": "(none)", "zh-hans": "（无）"},
    "txt_modality": {"en": "Modality", "zh-hans": "治疗方式"},
    "txt_drugs": {"en": "Drugs", "zh-hans": "药物"},
    "txt_setting": {"en": "Setting", "zh-hans": "治疗阶段"},
    "txt_level": {"en": "Evidence level", "zh-hans": "证据等级"},
    "txt_why": {"en": "Why", "zh-hans": "理由"},
    "txt_outcomes": {"en": "Outcomes", "zh-hans": "疗效"},
    "txt_cautions": {"en": "Cautions", "zh-hans": "注意事项"},
    "txt_china": {"en": "In China", "zh-hans": "在中国"},
    "txt_cost": {"en": "about US${cost} per month", "zh-hans": "约每月{cost}美元"},
    "txt_cost_unknown": {"en": "cost not known", "zh-hans": "费用未知"},
    "txt_nrdl_yes": {"en": "NRDL reimbursed", "zh-hans": "医保报销"},
    "txt_nrdl_no": {"en": "not NRDL reimbursed", "zh-hans": "医保不报销"},
    "txt_nrdl_unknown": {"en": "NRDL status unknown", "zh-hans": "医保情况未知"},
    "txt_references": {"en": "References", "zh-hans": "参考文献"},
    "txt_tests": {"en": "Tests that would help decide", "zh-hans": "有助于决策的检查"},
    "txt_warnings": {"en": "Warnings", "zh-hans": "提示"},
    "txt_excluded": {"en": "Not offered, and why", "zh-hans": "未推荐的方案及原因"},
    "txt_disclaimer": {"en": "Important", "zh-hans": "重要说明"},
    # --- modalities -------------------------------------------------------------------
    "m_surgery": {"en": "surgery", "zh-hans": "手术"},
    "m_radiotherapy": {"en": "radiotherapy", "zh-hans": "放疗"},
    "m_chemotherapy": {"en": "chemotherapy", "zh-hans": "化疗"},
    "m_targeted_therapy": {"en": "targeted therapy", "zh-hans": "靶向治疗"},
    "m_immunotherapy": {"en": "immunotherapy", "zh-hans": "免疫治疗"},
    "m_cell_therapy": {"en": "cell therapy", "zh-hans": "细胞治疗"},
    "m_bispecific_antibody": {"en": "bispecific antibody", "zh-hans": "双特异性抗体"},
    "m_cancer_vaccine": {"en": "cancer vaccine", "zh-hans": "肿瘤疫苗"},
    "m_ablation": {"en": "ablation", "zh-hans": "消融治疗"},
    "m_interventional": {"en": "interventional treatment", "zh-hans": "介入治疗"},
    "m_supportive_care": {"en": "supportive care", "zh-hans": "支持治疗"},
    "m_palliative_care": {"en": "palliative care", "zh-hans": "姑息治疗"},
    "m_clinical_trial": {"en": "clinical trial", "zh-hans": "临床试验"},
}


def t(key: str, lang: str = "en", **kw: object) -> str:
    """The message ``key`` in ``lang`` (``en`` or ``zh-hans``), formatted with ``kw``."""
    text = MESSAGES[key][lang]
    return text.format(**kw) if kw else text


# Outcome wording in the knowledge base is English (it follows the trial publications). In a
# Chinese answer the common endpoint names and units are given in Chinese; qualifiers in brackets
# (subgroup, analysis) stay as written.
_ENDPOINTS_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), zh)
    for p, zh in (
        (r"^median (overall survival|OS)\b", "中位总生存期"),
        (r"^median (progression-free survival|PFS)\b", "中位无进展生存期"),
        (r"^median (event-free survival|EFS)\b", "中位无事件生存期"),
        (r"^median (disease-free survival|DFS)\b", "中位无病生存期"),
        (r"^median duration of response\b", "中位缓解持续时间"),
        (r"^(objective response rate|ORR|overall response rate)\b", "客观缓解率"),
        (r"^(complete response|CR) rate\b", "完全缓解率"),
        (r"^pathological complete response\b", "病理完全缓解"),
        (r"^(\d+)-(year|month) (overall survival|OS)\b", r"\1\2总生存率"),
        (r"^(\d+)-(year|month) (progression-free survival|PFS)\b", r"\1\2无进展生存率"),
        (r"^(\d+)-(year|month) (invasive-disease-free survival|iDFS)\b", r"\1\2无浸润性疾病生存率"),
        (r"^(\d+)-(year|month) (relapse-free survival|RFS)\b", r"\1\2无复发生存率"),
        (r"^(\d+)-(year|month) (disease-free survival|DFS)\b", r"\1\2无病生存率"),
        (r"^HR for (OS|death)\b", "总生存风险比"),
        (r"^HR for (PFS|progression or death)\b", "无进展生存风险比"),
    )
)
_UNITS_ZH = (
    (re.compile(r"(\d)\s*months?\b"), r"\1个月"),
    (re.compile(r"(\d)\s*years?\b"), r"\1年"),
    (re.compile(r"^not reached\b", re.IGNORECASE), "未达到"),
)


def localise_endpoint(endpoint: str, lang: str) -> str:
    if lang != "zh-hans":
        return endpoint
    for pattern, zh in _ENDPOINTS_ZH:
        if pattern.search(endpoint):
            out = pattern.sub(zh, endpoint, count=1)
            return out.replace("year", "年").replace("month", "个月") if re.match(r"^\d", out) else out
    return endpoint


def localise_value(value: str, lang: str) -> str:
    if lang != "zh-hans":
        return value
    for pattern, zh in _UNITS_ZH:
        value = pattern.sub(zh, value)
    return value
