"""Words for the codes that reach people (settings, modalities, option groups, access, cost
phases, cities...), in the current language. The knowledge base's policy labels
(knowledge/policy/labels.yaml) win when they hold the code; these gettext tables are the site's
own words for the rest, so a raw code never reaches a page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

TABLES: dict[str, dict[str, Any]] = {
    "setting": {
        "neoadjuvant": _("Before surgery (neoadjuvant)"),
        "perioperative": _("Before and after surgery (perioperative)"),
        "definitive": _("Treatment aiming at cure (definitive)"),
        "adjuvant": _("After surgery (adjuvant)"),
        "consolidation": _("Consolidation after first treatment"),
        "first_line": _("First treatment for advanced disease (first line)"),
        "later_line": _("After earlier treatment stopped working (later line)"),
        "maintenance": _("Maintenance"),
        "supportive": _("Supportive care"),
        "any": _("Any stage of treatment"),
    },
    "modality": {
        "surgery": _("Surgery"),
        "radiotherapy": _("Radiotherapy"),
        "chemotherapy": _("Chemotherapy"),
        "targeted_therapy": _("Targeted therapy"),
        "immunotherapy": _("Immunotherapy"),
        "cell_therapy": _("Cell therapy (for example CAR-T)"),
        "bispecific_antibody": _("Bispecific antibody"),
        "cancer_vaccine": _("Cancer vaccine"),
        "ablation": _("Ablation"),
        "interventional": _("Interventional treatment (for example TACE)"),
        "supportive_care": _("Supportive care"),
        "palliative_care": _("Palliative care"),
        "clinical_trial": _("Clinical trial"),
    },
    "group": {
        "preferred": _("Preferred now"),
        "reasonable": _("Also reasonable"),
        "conditional": _("If a test result comes back positive or negative"),
        "trial": _("Clinical trials to discuss"),
        "failed_before": _("Same drugs, class or target as a treatment that already failed"),
        "later": _("Later, if the cancer progresses"),
        "supportive": _("Supportive care alongside"),
    },
    "group_intro": {
        "preferred": _("What guidelines prefer for this situation, on the strongest evidence."),
        "reasonable": _("Other options with good support; your doctors may prefer one for your reasons."),
        "conditional": _("These depend on a result that is not known yet. The test that decides is named."),
        "trial": _(
            "Research studies that may fit, after the standard options: the treatment is investigational and the trial team decides who can join."
        ),
        "failed_before": _(
            "The cancer already grew on these drugs, or on drugs of the same class or target; guidelines prefer a different treatment or a clinical trial first."
        ),
        "later": _("What usually comes after the preferred option, if the cancer grows on it."),
        "supportive": _(
            "Care for symptoms and quality of life, given alongside cancer treatment, never instead of it."
        ),
    },
    "access": {
        "approved": _("Approved in China for this use"),
        "approved_other_indication": _("Approved in China, but for another use"),
        "boao_only": _("Only in the Boao Lecheng pilot zone (Hainan)"),
        "trial_only": _("Only in clinical trials in China"),
        "not_available": _("Not available in China"),
        "unknown": _("Approval in China not known"),
        "not_applicable": _("No drug approval needed"),
    },
    "badge": {
        "standard_of_care": _("Standard of care"),
        "approved_in_china": _("Approved in China"),
        "clinical_trial_only": _("Clinical trial only"),
        "investigational": _("Investigational"),
        "supportive_care": _("Supportive care"),
        "unproven": _("Unproven"),
    },
    "level_word": {
        "1": _("Standard of care"),
        "2": _("Guideline-supported"),
        "3A": _("Promising clinical evidence"),
        "3B": _("Evidence in another cancer"),
        "4": _("Early or laboratory evidence"),
        "R1": _("Known resistance (standard)"),
        "R2": _("Known resistance (clinical evidence)"),
    },
    "level": {  # what a level means (the policy's labels, when present, say it in their words)
        "1": _("Approved or recommended as standard for exactly this situation, on large randomised trials."),
        "2": _(
            "Recommended by major guidelines for this situation, though not (yet) the standard everywhere."
        ),
        "3A": _("Good results in clinical trials in this cancer, not yet a guideline standard."),
        "3B": _("Works in another cancer with the same change; not proven in this one."),
        "4": _("Only laboratory or very early results: not a treatment to rely on outside a trial."),
        "R1": _("Guidelines say the cancer is expected not to respond."),
        "R2": _("Clinical studies suggest the cancer may not respond."),
    },
    "phase": {
        "diagnosis": _("Diagnosis and planning"),
        "treatment": _("Treatment"),
        "follow_up": _("Follow-up"),
        "travel": _("Stay and interpreter"),
    },
    "component": {
        "consultation": _("Specialist consultation"),
        "mdt_review": _("Tumour board (MDT) review"),
        "imaging": _("Imaging (CT or MRI)"),
        "pet_ct": _("PET-CT scan"),
        "pathology": _("Pathology review"),
        "ngs_panel": _("Gene panel test (NGS)"),
        "blood_tests": _("Blood tests"),
        "surgery": _("Surgery"),
        "robotic_surgery": _("Robotic surgery"),
        "radiotherapy_course": _("Course of radiotherapy"),
        "sbrt_course": _("Course of stereotactic radiotherapy (SBRT)"),
        "proton_course": _("Course of proton therapy"),
        "heavy_ion_course": _("Course of heavy-ion therapy"),
        "chemo_cycle": _("Chemotherapy cycle"),
        "targeted_month": _("A month of a targeted drug"),
        "immunotherapy_cycle": _("Immunotherapy cycle"),
        "adc_cycle": _("Antibody-drug conjugate cycle"),
        "car_t_product": _("CAR-T cell product"),
        "car_t_stay": _("Hospital stay for CAR-T"),
        "stem_cell_transplant": _("Stem-cell transplant"),
        "ablation": _("Ablation"),
        "tace": _("TACE (chemoembolisation)"),
        "hospital_day": _("Day in hospital"),
        "follow_up_visit": _("Follow-up visit"),
        "interpreter_day": _("Interpreter, per day"),
        "accommodation_night": _("Accommodation, per night"),
        "visa": _("Visa"),
        "other": _("Other"),
    },
    "per": {"course": _("for a typical course"), "month": _("per month")},
    "budget": {
        "within": _("Within your budget"),
        "over": _("Above your budget"),
        "unknown": _("Budget fit not known"),
    },
    "route": {"oral": _("Tablets or capsules"), "infusion": _("Infusion or injection"), "any": _("Any")},
    "preference.nccn": {
        "preferred": _("preferred"),
        "other_recommended": _("other recommended"),
        "certain_circumstances": _("useful in certain circumstances"),
        "not_listed": _("not listed"),
    },
    "preference.csco": {
        "I": _("level I recommendation"),
        "II": _("level II recommendation"),
        "III": _("level III recommendation"),
        "not_listed": _("not listed"),
        "unknown": _("not known"),
    },
    "city": {
        "Beijing": _("Beijing"),
        "Shanghai": _("Shanghai"),
        "Guangzhou": _("Guangzhou"),
        "Shenzhen": _("Shenzhen"),
        "Chengdu": _("Chengdu"),
        "Hangzhou": _("Hangzhou"),
        "Hainan": _("Hainan (Boao Lecheng)"),
    },
    # ClinicalTrials.gov codes (the registry's own vocabulary) and the places its sites name.
    "trial_phase": {
        "EARLY_PHASE1": _("Early phase 1"),
        "PHASE1": _("Phase 1"),
        "PHASE2": _("Phase 2"),
        "PHASE3": _("Phase 3"),
        "PHASE4": _("Phase 4"),
        "NA": _("Phase not applicable"),
    },
    "trial_status": {
        "RECRUITING": _("Recruiting"),
        "NOT_YET_RECRUITING": _("Not yet recruiting"),
        "ENROLLING_BY_INVITATION": _("Enrolling by invitation"),
        "ACTIVE_NOT_RECRUITING": _("Active, not recruiting"),
        "COMPLETED": _("Completed"),
        "SUSPENDED": _("Suspended"),
        "TERMINATED": _("Terminated"),
        "WITHDRAWN": _("Withdrawn"),
        "UNKNOWN": _("Status not known"),
    },
    "place": {
        "Beijing": _("Beijing"),
        "Shanghai": _("Shanghai"),
        "Guangzhou": _("Guangzhou"),
        "Shenzhen": _("Shenzhen"),
        "Chengdu": _("Chengdu"),
        "Hangzhou": _("Hangzhou"),
        "Suzhou": _("Suzhou"),
        "Tianjin": _("Tianjin"),
        "Wuhan": _("Wuhan"),
        "Nanjing": _("Nanjing"),
        "Changsha": _("Changsha"),
        "Chongqing": _("Chongqing"),
        "Xi'an": _("Xi'an"),
        "Jinan": _("Jinan"),
        "Zhengzhou": _("Zhengzhou"),
        "Harbin": _("Harbin"),
        "Shenyang": _("Shenyang"),
        "Hong Kong": _("Hong Kong"),
        "Seoul": _("Seoul"),
        "China": _("China"),
        "Korea, Republic of": _("South Korea"),
        "United States": _("United States"),
        "Japan": _("Japan"),
    },
    "language": {
        "en": _("English"),
        "English": _("English"),
        "zh": _("Chinese"),
        "Chinese": _("Chinese"),
        "ru": _("Russian"),
        "Russian": _("Russian"),
        "ar": _("Arabic"),
        "Arabic": _("Arabic"),
        "fr": _("French"),
        "French": _("French"),
        "es": _("Spanish"),
        "Spanish": _("Spanish"),
        "kk": _("Kazakh"),
        "Kazakh": _("Kazakh"),
        "mn": _("Mongolian"),
        "Mongolian": _("Mongolian"),
        "ja": _("Japanese"),
        "Japanese": _("Japanese"),
        "ko": _("Korean"),
        "Korean": _("Korean"),
        "de": _("German"),
        "German": _("German"),
        "other": _("Another language"),
    },
    "test_kind": {
        "biomarker": _("Biomarker test"),
        "panel": _("Gene panel"),
        "situational": _("Test for this situation"),
        "rebiopsy": _("New biopsy"),
        "fact": _("Question for your doctors"),
        "staging": _("Staging"),
    },
}


# Chinese names of places that a trial registry gives in English: the cities of mainland China
# with cancer hospitals that run trials (the provincial capitals and the larger prefecture-level
# cities), Hong Kong, Macao and Taiwan, and countries. Standard names (the Ministry of Civil
# Affairs' administrative-division list for Chinese cities). A pinyin name shared by two cities
# (Taizhou 台州/泰州, Fuzhou 福州/抚州, Jinzhou 锦州/晋州, Taoyuan 桃园/桃源) is left out, so it
# stays in English rather than risk a wrong city. English pages show the registry's name as is.
PLACE_ZH: dict[str, str] = {
    # provincial capitals not in the table above
    "Shijiazhuang": "石家庄",
    "Taiyuan": "太原",
    "Hohhot": "呼和浩特",
    "Changchun": "长春",
    "Hefei": "合肥",
    "Nanchang": "南昌",
    "Nanning": "南宁",
    "Haikou": "海口",
    "Guiyang": "贵阳",
    "Kunming": "昆明",
    "Lhasa": "拉萨",
    "Lanzhou": "兰州",
    "Xining": "西宁",
    "Yinchuan": "银川",
    "Urumqi": "乌鲁木齐",
    "Macau": "澳门",
    "Macao": "澳门",
    # other cities with trial sites
    "Qingdao": "青岛",
    "Xiamen": "厦门",
    "Dalian": "大连",
    "Ningbo": "宁波",
    "Wenzhou": "温州",
    "Wuxi": "无锡",
    "Changzhou": "常州",
    "Nantong": "南通",
    "Xuzhou": "徐州",
    "Yangzhou": "扬州",
    "Zhenjiang": "镇江",
    "Huai'an": "淮安",
    "Yancheng": "盐城",
    "Lianyungang": "连云港",
    "Jiaxing": "嘉兴",
    "Shaoxing": "绍兴",
    "Huzhou": "湖州",
    "Jinhua": "金华",
    "Lishui": "丽水",
    "Quzhou": "衢州",
    "Zhoushan": "舟山",
    "Yantai": "烟台",
    "Weifang": "潍坊",
    "Linyi": "临沂",
    "Jining": "济宁",
    "Zibo": "淄博",
    "Weihai": "威海",
    "Rizhao": "日照",
    "Tai'an": "泰安",
    "Liaocheng": "聊城",
    "Dezhou": "德州",
    "Heze": "菏泽",
    "Binzhou": "滨州",
    "Dongying": "东营",
    "Zaozhuang": "枣庄",
    "Foshan": "佛山",
    "Dongguan": "东莞",
    "Zhuhai": "珠海",
    "Shantou": "汕头",
    "Zhanjiang": "湛江",
    "Huizhou": "惠州",
    "Jiangmen": "江门",
    "Zhongshan": "中山",
    "Meizhou": "梅州",
    "Luoyang": "洛阳",
    "Xinxiang": "新乡",
    "Kaifeng": "开封",
    "Nanyang": "南阳",
    "Anyang": "安阳",
    "Baotou": "包头",
    "Tangshan": "唐山",
    "Baoding": "保定",
    "Handan": "邯郸",
    "Cangzhou": "沧州",
    "Xingtai": "邢台",
    "Bengbu": "蚌埠",
    "Wuhu": "芜湖",
    "Quanzhou": "泉州",
    "Zhangzhou": "漳州",
    "Ganzhou": "赣州",
    "Jiujiang": "九江",
    "Zunyi": "遵义",
    "Mianyang": "绵阳",
    "Nanchong": "南充",
    "Luzhou": "泸州",
    "Deyang": "德阳",
    "Yibin": "宜宾",
    "Yichang": "宜昌",
    "Xiangyang": "襄阳",
    "Shiyan": "十堰",
    "Jingzhou": "荆州",
    "Hengyang": "衡阳",
    "Zhuzhou": "株洲",
    "Changde": "常德",
    "Yueyang": "岳阳",
    "Liuzhou": "柳州",
    "Guilin": "桂林",
    "Jilin": "吉林",
    "Daqing": "大庆",
    "Qiqihar": "齐齐哈尔",
    "Mudanjiang": "牡丹江",
    "Anshan": "鞍山",
    "Fushun": "抚顺",
    "Dandong": "丹东",
    "Baoji": "宝鸡",
    "Xianyang": "咸阳",
    "Yan'an": "延安",
    "Shihezi": "石河子",
    "Taipei": "台北",
    "Taichung": "台中",
    "Tainan": "台南",
    "Kaohsiung": "高雄",
    # countries and regions (ClinicalTrials.gov names)
    "Taiwan": "中国台湾",
    "Singapore": "新加坡",
    "Australia": "澳大利亚",
    "New Zealand": "新西兰",
    "United Kingdom": "英国",
    "Germany": "德国",
    "France": "法国",
    "Spain": "西班牙",
    "Italy": "意大利",
    "Canada": "加拿大",
    "Russian Federation": "俄罗斯",
    "Russia": "俄罗斯",
    "Kazakhstan": "哈萨克斯坦",
    "Mongolia": "蒙古国",
    "Thailand": "泰国",
    "Malaysia": "马来西亚",
    "Vietnam": "越南",
    "Viet Nam": "越南",
    "Philippines": "菲律宾",
    "Indonesia": "印度尼西亚",
    "India": "印度",
    "Belgium": "比利时",
    "Netherlands": "荷兰",
    "Poland": "波兰",
    "Brazil": "巴西",
    "Turkey": "土耳其",
    "Türkiye": "土耳其",
    "Israel": "以色列",
    "Switzerland": "瑞士",
    "Austria": "奥地利",
    "Sweden": "瑞典",
    "Denmark": "丹麦",
    "Norway": "挪威",
    "Finland": "芬兰",
    "Czechia": "捷克",
    "Czech Republic": "捷克",
    "Hungary": "匈牙利",
    "Romania": "罗马尼亚",
    "Greece": "希腊",
    "Portugal": "葡萄牙",
    "Ireland": "爱尔兰",
    "Ukraine": "乌克兰",
    "Argentina": "阿根廷",
    "Mexico": "墨西哥",
    "Chile": "智利",
    "Colombia": "哥伦比亚",
    "Peru": "秘鲁",
    "South Africa": "南非",
    "Egypt": "埃及",
    "Saudi Arabia": "沙特阿拉伯",
}


def _place_key(name: str) -> str:
    """ "Xi'an", "Xian", "XI AN", "Hefei City" -> the same key."""
    key = "".join(ch for ch in name.lower() if ch.isalpha())
    return key[: -len("city")] if key.endswith("city") and len(key) > 6 else key


def _place_word(code: str) -> str | None:
    """The word for a place, whatever the registry's spelling; None if nobody has one."""
    key = _place_key(code)
    if not key:
        return None
    for name, word in TABLES["place"].items():
        if _place_key(name) == key:
            return str(word)
    for name, word in PLACE_ZH.items():
        if _place_key(name) == key:
            return word if is_zh() else code
    return None


def is_zh() -> bool:
    return (get_language() or "en").lower().startswith("zh")


def label(namespace: str, code: Any) -> str:
    """The word for ``code`` in the current language; the code itself only if nobody has a word
    for it (tests fail on raw codes in Chinese pages, so a missing word shows up there)."""
    code = "" if code is None else str(code)
    policy_word = _policy_label(namespace, code)
    if policy_word:
        return policy_word
    word = TABLES.get(namespace, {}).get(code)
    if word is None and namespace == "place":
        word = _place_word(code)
    return str(word) if word is not None else code.replace("_", " ")


def has_label(namespace: str, code: Any) -> bool:
    """Whether someone has a word for ``code`` (else :func:`label` shows the code itself)."""
    code = "" if code is None else str(code)
    if namespace == "place" and _place_word(code) is not None:
        return True
    return bool(_policy_label(namespace, code)) or code in TABLES.get(namespace, {})


def _policy_label(namespace: str, code: str) -> str | None:
    try:
        from onconav.options.services import engine_get

        return engine_get().kb.policy.label(namespace, code, "zh-hans" if is_zh() else "en")
    except Exception:  # noqa: BLE001 - labels are a nicety; the tables above answer
        return None


def text(value: Any) -> str:
    """A bilingual text (``Text`` model, ``{en, zh}`` dict) in the current language."""
    if value is None:
        return ""
    if isinstance(value, dict):
        en, zh = value.get("en"), value.get("zh")
    else:
        en, zh = getattr(value, "en", None), getattr(value, "zh", None)
    if en is None and zh is None:
        return str(value)
    return str((zh if is_zh() and zh else en) or "")
