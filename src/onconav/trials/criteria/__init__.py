"""Eligibility criteria: split registry text into single criteria and read the checkable ones
into structured checks (pure Python, no Django). See docs/trials.md."""

from onconav.trials.criteria.extract import extract_check, normalise
from onconav.trials.criteria.split import RawCriterion, split_criteria

__all__ = ["RawCriterion", "extract_check", "normalise", "parse_criteria", "split_criteria"]


def parse_criteria(text: str) -> list[dict]:
    """Every criterion of ``text`` as ``{index, kind, text, parent, depth, check, any_of}``."""
    import re

    out = []
    for c in split_criteria(text):
        out.append(
            {
                "index": c.index,
                "kind": c.kind,
                "text": c.text,
                "parent": c.parent,
                "depth": c.depth,
                "check": extract_check(c.text, c.kind),
                # A parent whose children are alternatives ("meet one of the following").
                "any_of": bool(
                    re.search(r"\b(?:one|any) of the following|either\b|at least one of", c.text, re.I)
                )
                and c.kind == "inclusion",
            }
        )
    return out
