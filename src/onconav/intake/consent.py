"""The consent texts, versioned. A change of wording is a new version: never edit a version's
text in place. What is recorded is the version id, the language and the SHA-256 of the exact
text shown (see ``intake.models.Consent``)."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext_lazy as _

PROCESSING_VERSION = "processing-2026-11-v1"
TRANSFER_VERSION = "transfer-2026-11-v1"

PROCESSING_TEXT = _(
    "I agree that OncoNav stores and uses the health information and records I give, to organise a "
    "record review by its coordinators and clinician reviewers, and to help with treatment "
    "arrangements. This is health data, a special category of personal data (GDPR article 9; China "
    "PIPL sensitive personal information, article 29). It is encrypted, only the people working on my "
    "case can see it, and every access is logged. I can withdraw this consent and ask for my data to "
    "be deleted at any time by writing to my coordinator."
)
TRANSFER_TEXT = _(
    "Separately, I agree that OncoNav sends my health information and records to the hospitals in "
    "China that my coordinator proposes for my case and that I am told about, so that they can say "
    "whether and how they can treat me (China PIPL articles 29 and 39; GDPR articles 9 and 49). "
    "Those hospitals are in China, where the law on personal data differs from the law where I live. "
    "Without this consent, OncoNav can review my records but cannot ask hospitals about my treatment."
)
REVIEW_NOTICE = _(
    "A record review is not an online diagnosis and not a prescription. Reviewers read your records "
    "and say which treatment options and hospitals could fit; the treating doctors decide after they "
    "have seen you."
)


def consent_text(kind: str) -> tuple[str, str]:
    """(version, text in the current language)."""
    if kind == "processing":
        return PROCESSING_VERSION, str(PROCESSING_TEXT)
    if kind == "transfer":
        return TRANSFER_VERSION, str(TRANSFER_TEXT)
    raise ValueError(kind)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
