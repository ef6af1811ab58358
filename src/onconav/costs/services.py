"""Cost estimates for a treatment in China: line items from diagnosis to follow-up, as ranges in
CNY with their sources and dates, converted to the patient's currency with dated rates (data, never
fetched). Items whose price is not in the knowledge base are listed as unknown, never guessed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from onconav.kbdata.schema import CostItem, ExchangeRate
from onconav.options.services import engine_get

HOSPITAL_TYPE_PRICE_BAND = {
    "public_tertiary": "public_tertiary",
    "public_general": "public_tertiary",
    "public_specialist": "public_tertiary",
    "cancer_centre": "public_tertiary",
    "tcm": "public_tertiary",
    "private": "private",
    "international": "international",
    "clinic": "private",
    "other": "public_tertiary",
}
PHASES = ("diagnosis", "treatment", "follow_up", "travel")
DIAGNOSIS = [
    ("consultation", 1),
    ("mdt_review", 1),
    ("imaging", 1),
    ("pet_ct", 1),
    ("pathology", 1),
    ("blood_tests", 2),
]
FOLLOW_UP = [("follow_up_visit", 2), ("imaging", 1)]
MODALITY_COMPONENT = {
    "chemotherapy": "chemo_cycle",
    "immunotherapy": "immunotherapy_cycle",
    "bispecific_antibody": "immunotherapy_cycle",
    "targeted_therapy": "targeted_month",
    "cell_therapy": "car_t_product",
}
REGIMEN_LOCAL = [
    ("proton", "proton_course"),
    ("heavy-ion", "heavy_ion_course"),
    ("sbrt", "sbrt_course"),
    ("chemoradiation", "radiotherapy_course"),
    ("radiotherapy", "radiotherapy_course"),
    ("tace", "tace"),
    ("ablation", "ablation"),
    ("transplant", "stem_cell_transplant"),
    ("robotic", "robotic_surgery"),
    ("surgery", "surgery"),
    ("lobectomy", "surgery"),
    ("ectomy", "surgery"),
]


@dataclass
class Line:
    phase: str
    label: str
    component: str
    units: float
    cny_low: float | None
    cny_high: float | None
    item: CostItem | None = None
    note: str = ""

    @property
    def known(self) -> bool:
        return self.cny_low is not None


@dataclass
class Estimate:
    regimen: str | None
    regimen_name: str
    city: str
    price_band: str
    currency: str
    rate: ExchangeRate | None
    lines: list[Line] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    def total_cny(self) -> tuple[float, float]:
        known = [x for x in self.lines if x.known]
        return sum(x.cny_low or 0 for x in known), sum(x.cny_high or 0 for x in known)

    def convert(self, cny: float) -> float | None:
        if self.currency == "CNY":
            return cny
        return None if self.rate is None else cny / self.rate.cny_per_unit

    def phase_totals(self) -> list[dict[str, Any]]:
        out = []
        for phase in PHASES:
            lines = [x for x in self.lines if x.phase == phase and x.known]
            lo, hi = sum(x.cny_low or 0 for x in lines), sum(x.cny_high or 0 for x in lines)
            out.append(
                {
                    "phase": phase,
                    "cny_low": lo,
                    "cny_high": hi,
                    "low": self.convert(lo),
                    "high": self.convert(hi),
                    # items of this phase whose price is not known: not in the sums above
                    "unknown_items": sum(1 for x in self.lines if x.phase == phase and not x.known),
                }
            )
        return out

    def us_comparison(self) -> tuple[float, float, list[str]] | None:
        items = [x for x in self.lines if x.item is not None and x.item.compare_us_usd_low is not None]
        if not items:
            return None
        lo = sum((x.item.compare_us_usd_low or 0) * x.units for x in items)  # type: ignore[union-attr]
        hi = sum((x.item.compare_us_usd_high or x.item.compare_us_usd_low or 0) * x.units for x in items)  # type: ignore[union-attr]
        return lo, hi, [x.label for x in items]

    def as_dict(self) -> dict[str, Any]:
        lo, hi = self.total_cny()
        us = self.us_comparison()
        return {
            "regimen": self.regimen,
            "regimen_name": self.regimen_name,
            "city": self.city,
            "price_band": self.price_band,
            "currency": self.currency,
            "exchange_rate": None
            if self.rate is None
            else {
                "cny_per_unit": self.rate.cny_per_unit,
                "date": self.rate.rate_date.isoformat(),
                "sources": list(self.rate.sources),
            },
            "total_cny": {"low": lo, "high": hi},
            "unknown_items": sum(1 for x in self.lines if not x.known),
            "total": {"low": self.convert(lo), "high": self.convert(hi)},
            "phases": self.phase_totals(),
            "lines": [
                {
                    "phase": x.phase,
                    "label": x.label,
                    "component": x.component,
                    "units": x.units,
                    "cny_low": x.cny_low,
                    "cny_high": x.cny_high,
                    "low": None if x.cny_low is None else self.convert(x.cny_low),
                    "high": None if x.cny_high is None else self.convert(x.cny_high),
                    "price_year": x.item.price_date.year if x.item else None,
                    "item": x.item.id if x.item else None,
                    "price_date": x.item.price_date.isoformat() if x.item else None,
                    "sources": list(x.item.sources) if x.item else [],
                    "verified": x.item.verified if x.item else False,
                    "note": x.note,
                }
                for x in self.lines
            ],
            "excluded": self.excluded,
            "compare_us_usd": None if us is None else {"low": us[0], "high": us[1], "covers": us[2]},
        }


def _zh() -> bool:
    return (get_language() or "").startswith("zh")


def _pick(
    items: list[CostItem], component: str, *, city: str, band: str, drug: str | None = None
) -> CostItem | None:
    candidates = [c for c in items if c.component == component and (drug is None or c.drug == drug)]
    if drug is None:
        candidates = [c for c in candidates if c.drug is None]
    if not candidates:
        return None

    def score(c: CostItem) -> tuple[int, int, int, int, str]:
        # A newer price beats an older one (negotiated drug prices fall at each NRDL renewal, so a
        # verified 2018 price must not hide a 2025 one); verification breaks ties between same-date items.
        return (
            0 if c.hospital_type == band else 1 if c.hospital_type == "any" else 2,
            0 if (c.city or "").lower() == city.lower() else 1 if c.city is None else 2,
            -c.price_date.toordinal(),
            0 if c.verified else 1,
            c.id,
        )

    return sorted(candidates, key=score)[0]


def _line(phase: str, item: CostItem | None, component: str, units: float, fallback_label: str) -> Line:
    if item is None:
        from onconav.pages.labels import label

        # a drug without a price keeps its name; a component is named in words, never by its code
        shown = fallback_label if fallback_label != component else label("component", component)
        if fallback_label in engine_get().kb.drug_by_inn and _zh():
            shown = engine_get().kb.drug_by_inn[fallback_label].name_zh
        return Line(phase, shown, component, units, None, None, None, _("price not in the knowledge base"))
    label = item.name.zh if _zh() else item.name.en
    return Line(phase, label, component, units, item.cny_low * units, item.cny_high * units, item)


def exchange_rate(currency: str) -> ExchangeRate | None:
    return next((r for r in engine_get().kb.exchange_rates if r.currency == currency), None)


def currencies() -> list[str]:
    return ["CNY", *sorted(r.currency for r in engine_get().kb.exchange_rates)]


def cost_estimate(
    *,
    regimen: str | None = None,
    city: str = "Shanghai",
    hospital_type: str = "public_tertiary",
    currency: str = "USD",
    treatment_units: float | None = None,
    stay_nights: int = 14,
    interpreter_days: int = 5,
) -> Estimate:
    """An estimate for a regimen (or the diagnostic work-up alone) at a city and kind of hospital."""
    kb = engine_get().kb
    items = list(kb.costs)
    band = HOSPITAL_TYPE_PRICE_BAND.get(
        hospital_type, hospital_type if hospital_type in ("private", "international") else "public_tertiary"
    )
    reg = kb.regimen_by_id.get(regimen) if regimen else None
    if regimen and reg is None:
        raise ValueError(f"unknown regimen {regimen!r}")
    reg_name = (reg.name.zh if _zh() else reg.name.en) if reg else _("Diagnosis and planning only")
    est = Estimate(
        regimen=regimen,
        regimen_name=reg_name,
        city=city,
        price_band=band,
        currency=currency,
        rate=exchange_rate(currency),
    )
    for component, units in DIAGNOSIS:
        est.lines.append(
            _line("diagnosis", _pick(items, component, city=city, band=band), component, units, component)
        )
    if reg is not None:
        drug_mod = {d: kb.drug_by_inn[d].modality for d in reg.drugs if d in kb.drug_by_inn}
        if any(m in ("targeted_therapy", "immunotherapy") for m in drug_mod.values()) and not any(
            c == "ngs_panel" for c, _u in DIAGNOSIS
        ):
            est.lines.append(
                _line(
                    "diagnosis", _pick(items, "ngs_panel", city=city, band=band), "ngs_panel", 1, "ngs_panel"
                )
            )
        for inn, modality in drug_mod.items():
            component = MODALITY_COMPONENT.get(str(modality), "chemo_cycle")
            item = _pick(items, component, city=city, band=band, drug=inn) or next(
                (c for c in items if c.drug == inn), None
            )
            if item is None and component == "chemo_cycle":
                item = _pick(items, "chemo_cycle", city=city, band=band)
            units = treatment_units or (item.typical_units if item and item.typical_units else 1)
            est.lines.append(_line("treatment", item, item.component if item else component, units, inn))
        for hint, component in REGIMEN_LOCAL:
            if hint in reg.id:
                item = _pick(items, component, city=city, band=band)
                est.lines.append(_line("treatment", item, component, 1, component))
                if component in ("surgery", "robotic_surgery", "stem_cell_transplant"):
                    est.lines.append(
                        _line(
                            "treatment",
                            _pick(items, "hospital_day", city=city, band=band),
                            "hospital_day",
                            7,
                            "hospital_day",
                        )
                    )
                break
        if reg.modality == "cell_therapy":
            est.lines.append(
                _line(
                    "treatment",
                    _pick(items, "car_t_stay", city=city, band=band),
                    "car_t_stay",
                    1,
                    "car_t_stay",
                )
            )
    for component, units in FOLLOW_UP:
        est.lines.append(
            _line("follow_up", _pick(items, component, city=city, band=band), component, units, component)
        )
    est.lines.append(
        _line(
            "travel",
            _pick(items, "interpreter_day", city=city, band=band),
            "interpreter_day",
            interpreter_days,
            "interpreter_day",
        )
    )
    est.lines.append(
        _line(
            "travel",
            _pick(items, "accommodation_night", city=city, band=band),
            "accommodation_night",
            stay_nights,
            "accommodation_night",
        )
    )
    est.excluded = [
        _("International flights and visa fees"),
        _("Treatment of complications and unplanned admissions"),
        _("Further lines of treatment if the cancer progresses"),
        _("Anything marked as price not in the knowledge base"),
    ]
    return est


def _phase_amount(p: dict[str, Any]) -> str:
    """ "CNY 1,000 – 2,000", "price not known", or "CNY 1,000 – 2,000 + 1 item not known"."""
    n = p.get("unknown_items", 0)
    if n and not (p["cny_low"] or p["cny_high"]):
        return str(_("price not known"))
    amount = f"CNY {p['cny_low']:,.0f} – {p['cny_high']:,.0f}"
    if n:
        more = ngettext("%(n)d item not known", "%(n)d items not known", n) % {"n": n}
        amount += f" + {more}"
    return amount


def chart_svg(est: Estimate) -> str:
    """A server-side SVG bar chart of the cost range per phase (no JavaScript, no CDN)."""
    from django.utils.html import escape

    from onconav.pages.labels import label

    names = {p: label("phase", p) for p in PHASES}
    phases = est.phase_totals()
    top = max([p["cny_high"] for p in phases] + [1])
    # Narrow drawing (360 units): on a phone it is drawn at about its own size, so the 14-unit
    # text stays readable; each phase's name sits above its bar, never beside it.
    width, bar_h, row_h = 360, 22, 64
    rows = []
    for i, p in enumerate(phases):
        y = 4 + i * row_h
        x_lo = (p["cny_low"] / top) * (width - 2)
        x_hi = (p["cny_high"] / top) * (width - 2)
        rows.append(
            f'<text x="0" y="{y + 14}" font-size="14" fill="#1b1f23">{escape(names[p["phase"]])}</text>'
            f'<rect x="0" y="{y + 20}" width="{max(x_lo, 0):.1f}" height="{bar_h}" fill="#0b5563"/>'
            f'<rect x="{x_lo:.1f}" y="{y + 20}" width="{max(x_hi - x_lo, 1):.1f}" height="{bar_h}" fill="#0b5563" opacity="0.35"/>'
            f'<text x="0" y="{y + 20 + bar_h + 15}" font-size="13" fill="#4a5560">{escape(_phase_amount(p))}</text>'
        )
    height = 4 + len(phases) * row_h + 6
    title = escape(_("Estimated cost range by phase (dark: low estimate; light: up to the high estimate)"))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{title}">'
        f"<title>{title}</title>{''.join(rows)}</svg>"
    )
