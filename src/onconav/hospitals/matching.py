"""Ranking hospitals for a case. The rules are public (docs/hospital-ranking.md); no hospital pays to
be listed or ranked. Each hospital's score is the sum of the points below, and every point comes
with the reason shown to the user."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from onconav.hospitals.selectors import HospitalView, hospital_views

# What each treatment needs from a hospital (any one of the capabilities will do).
MODALITY_NEEDS: dict[str, tuple[str, ...]] = {
    "surgery": ("thoracic_surgery", "robotic_surgery"),
    "radiotherapy": ("radiotherapy", "sbrt", "proton", "heavy_ion"),
    "cell_therapy": ("car_t", "bmt"),
    "ablation": ("interventional_oncology",),
    "interventional": ("interventional_oncology",),
    "chemotherapy": ("medical_oncology",),
    "targeted_therapy": ("medical_oncology",),
    "immunotherapy": ("medical_oncology",),
    "bispecific_antibody": ("medical_oncology",),
    "clinical_trial": ("clinical_trials",),
}
REGIMEN_HINTS: dict[str, tuple[str, ...]] = {
    "sbrt": ("sbrt",),
    "proton": ("proton",),
    "heavy-ion": ("heavy_ion",),
    "transplant": ("bmt",),
    "tcm": ("tcm_oncology",),
}

REGIMEN_HINT_WORDS = {
    "sbrt": _lazy("stereotactic radiotherapy (SBRT)"),
    "proton": _lazy("proton therapy"),
    "heavy-ion": _lazy("heavy-ion therapy"),
    "transplant": _lazy("stem-cell transplant"),
    "tcm": _lazy("Traditional Chinese Medicine oncology"),
}

POINTS = {
    "capability": 3,
    "cancer_centre": 2,
    "oncology": 1,
    "city": 2,
    "language": 1,
    "international_department": 1,
    "accreditation": 0.5,
    "verified": 0.5,
}


@dataclass
class Match:
    hospital: HospitalView
    score: float
    reasons: list[str] = field(default_factory=list)
    cautions: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)  # the needs it is known to meet
    missing: list[str] = field(default_factory=list)  # the needs it is not recorded as meeting


def needed_capabilities(*, modalities: list[str], regimens: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    needs: list[tuple[str, tuple[str, ...]]] = []
    for m in dict.fromkeys(modalities):
        if m in MODALITY_NEEDS:
            needs.append((m, MODALITY_NEEDS[m]))
    for r in regimens:
        for hint, caps in REGIMEN_HINTS.items():
            if hint in r and (hint, caps) not in needs:
                needs.append((hint, caps))
    return needs


def _need_word(need: str) -> str:
    from onconav.pages.labels import label

    return str(REGIMEN_HINT_WORDS[need]) if need in REGIMEN_HINT_WORDS else label("modality", need)


def _caps_words(caps: set[str]) -> str:
    from onconav.hospitals.forms import CAPABILITIES

    words = dict(CAPABILITIES)
    return ", ".join(str(words.get(c, c)) for c in sorted(caps))


def has_any_q(any_of: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """Records one of these capabilities (a database filter on the directory index)."""
    from functools import reduce
    from operator import or_

    from django.db.models import Q

    from onconav.hospitals.index import member

    return reduce(or_, [Q(capabilities__contains=member(c)) for c in any_of])


def score_expression(*, needs: list[tuple[str, tuple[str, ...]]], cities: list[str], languages: set[str]):  # type: ignore[no-untyped-def]
    """The score of ``hospital_match`` computed in the database, doubled to stay an integer (the
    same points, so the same order: best first, then by name)."""
    from functools import reduce
    from operator import or_

    from django.db.models import Case, IntegerField, Q, Value, When

    from onconav.hospitals.index import member

    def pts(key: str) -> Value:
        return Value(int(2 * POINTS[key]))

    def when(q, key: str) -> Case:  # type: ignore[no-untyped-def]
        return Case(When(q, then=pts(key)), default=Value(0), output_field=IntegerField())

    terms = [when(has_any_q(any_of), "capability") for _need, any_of in needs]
    terms.append(
        Case(
            When(type="cancer_centre", then=pts("cancer_centre")),
            When(oncology_relevant=True, then=pts("oncology")),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    if cities:
        terms.append(when(Q(city__in=cities), "city"))
    if languages:
        terms.append(when(reduce(or_, [Q(languages__contains=member(x)) for x in languages]), "language"))
    terms.append(when(Q(international_department=True), "international_department"))
    terms.append(when(Q(accredited_verified=True), "accreditation"))
    terms.append(when(Q(verified=True), "verified"))
    return reduce(lambda a, b: a + b, terms)


def hospital_match(
    *,
    modalities: list[str] | None = None,
    regimens: list[str] | None = None,
    cities: list[str] | None = None,
    languages: list[str] | None = None,
    budget_usd: float | None = None,
    limit: int = 20,
    age: float | None = None,
    cancer: str = "",
    hospitals: list[HospitalView] | None = None,
) -> list[Match]:
    """Hospitals ranked for a case: capability fit, then specialisation, preferred city, language
    support and verified facts. Hospitals marked not oncology-relevant are left out, and so are
    children's, dental, eye, skin, maternity and mental-health hospitals unless they fit the
    patient (``age``, ``cancer``)."""
    from onconav.hospitals.audience import fits_patient
    from onconav.hospitals.selectors import (
        _lineage,
        audience_q,
        entries,
        name_order,
        not_marked_irrelevant_q,
        with_data,
    )

    needs = needed_capabilities(modalities=modalities or [], regimens=regimens or [])
    cities = cities or []
    langs = {x.lower() for x in (languages or [])}
    lineage = _lineage(cancer)
    if hospitals is None:
        # the best ``limit`` found and ordered in the database by the same points; only they are
        # read and given their reasons below
        hospitals = hospital_views(
            with_data(
                entries()
                .filter(not_marked_irrelevant_q(), audience_q(age=age, lineage=lineage))
                .annotate(score2=score_expression(needs=needs, cities=cities, languages=langs))
                .order_by("-score2", *name_order("name", "key"))
            )[: max(limit, 0)]
        )
    out: list[Match] = []
    for h in hospitals:
        d = h.data
        if d.get("oncology_relevant") is False or not fits_patient(d, age=age, lineage=lineage):
            continue
        m = Match(hospital=h, score=0.0)
        caps = set(d.get("capabilities", []))
        for need, any_of in needs:
            hit = caps.intersection(any_of)
            if hit:
                m.score += POINTS["capability"]
                m.offers.append(need)
                m.reasons.append(
                    _("Offers %(what)s (%(caps)s)") % {"what": _need_word(need), "caps": _caps_words(hit)}
                )
            else:
                m.missing.append(need)
                m.cautions.append(
                    _("Not recorded as offering %(what)s: ask the hospital") % {"what": _need_word(need)}
                )
        if d.get("type") == "cancer_centre":
            m.score += POINTS["cancer_centre"]
            m.reasons.append(_("Specialist cancer centre"))
        elif d.get("oncology_relevant"):
            m.score += POINTS["oncology"]
            m.reasons.append(_("Has an oncology service"))
        if d.get("city") in cities:
            m.score += POINTS["city"]
            from onconav.pages.labels import label

            m.reasons.append(_("In a city you prefer (%(city)s)") % {"city": label("city", d["city"])})
        hosp_langs = {x.lower() for x in d.get("languages", [])}
        if langs & hosp_langs:
            m.score += POINTS["language"]
            m.reasons.append(_("Staff speak %(langs)s") % {"langs": ", ".join(sorted(langs & hosp_langs))})
        if d.get("international_department"):
            m.score += POINTS["international_department"]
            m.reasons.append(_("Has an international patient department"))
        if any(a.get("verified") for a in d.get("accreditations", [])):
            m.score += POINTS["accreditation"]
            m.reasons.append(_("Has a verified accreditation"))
        if d.get("verified"):
            m.score += POINTS["verified"]
        else:
            m.cautions.append(_("Some facts about this hospital are not yet verified"))
        if budget_usd is not None and budget_usd < 50000 and d.get("type") in ("private", "international"):
            m.cautions.append(
                _("Private and international hospitals usually charge several times public prices")
            )
        if d.get("boao_pilot_zone"):
            m.reasons.append(
                _("In the Boao Lecheng pilot zone: some drugs not yet approved in China can be used here")
            )
        out.append(m)
    out.sort(key=lambda m: (-m.score, m.hospital.data["name"]))
    return out[:limit]


def match_for_answer(
    answer: Any, *, cities: list[str], languages: list[str], budget_usd: float | None, top_options: int = 3
) -> list[Match]:
    opts = list(answer.options)[:top_options]
    return hospital_match(
        modalities=[o.modality for o in opts],
        regimens=[o.regimen for o in opts],
        cities=cities,
        languages=languages,
        budget_usd=budget_usd,
    )
