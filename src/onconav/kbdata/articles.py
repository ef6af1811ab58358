"""Travel-guide articles: Markdown files with YAML front matter, one file per language
(``knowledge/articles/<slug>.<en|zh-hans>.md``). Pure Python (no Django)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from onconav.kbdata.schema import Reference

LANGS = ("en", "zh-hans")
TOPICS = (
    "visa",
    "choosing",
    "hospitals",
    "accreditation",
    "insurance",
    "payment",
    "arrival",
    "language",
    "follow-up",
    "disputes",
    "boao",
    "tcm",
    "treatment",
)
FRONT_RE = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.DOTALL)


class Article(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9\-]*$")]
    lang: Literal["en", "zh-hans"]
    title: Annotated[str, StringConstraints(min_length=1)]
    summary: Annotated[str, StringConstraints(min_length=1)]
    topic: Literal[TOPICS]  # type: ignore[valid-type]
    reviewed: dt.date
    sources: list[Reference] = Field(min_length=1)
    verified: bool = False
    notes: str | None = None
    body: Annotated[str, StringConstraints(min_length=50)]


def parse_article(path: Path) -> Article:
    name = path.name[: -len(".md")]
    slug, _, lang = name.rpartition(".")
    m = FRONT_RE.match(path.read_text(encoding="utf-8"))
    if not m:
        raise ValueError("missing YAML front matter between --- lines")
    meta = yaml.safe_load(m.group(1)) or {}
    if meta.get("slug") not in (None, slug):
        raise ValueError(f"front matter slug {meta.get('slug')!r} does not match the file name")
    meta.update(slug=slug, lang=lang, body=m.group(2).strip())
    return Article.model_validate(meta)


def load_articles(root: Path) -> tuple[list[Article], list[str]]:
    """All articles and the problems found (invalid files, a language missing for a slug)."""
    problems: list[str] = []
    articles: list[Article] = []
    for path in sorted((root / "articles").glob("*.md")):
        try:
            articles.append(parse_article(path))
        except (ValueError, ValidationError, yaml.YAMLError, OSError) as exc:
            problems.append(f"articles/{path.name}: {exc}".splitlines()[0])
    by_slug: dict[str, set[str]] = {}
    for a in articles:
        by_slug.setdefault(a.slug, set()).add(a.lang)
    for slug, langs in sorted(by_slug.items()):
        for lang in LANGS:
            if lang not in langs:
                problems.append(f"articles/{slug}: no {lang} version")
    return articles, problems
