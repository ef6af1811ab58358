"""Tests recommended for unknown patient facts (docs/engine.md, "Facts").

A conditional option that waits on a patient fact (castration status, platinum sensitivity,
residual disease, BCG response ...) names the fact's test in ``option.condition``; the same test
is recommended in ``tests_recommended`` (``kind: fact``), with the fact's question as the reason
and the options it decides, so the answer's test list names it too ("serum testosterone and
PSA"). Facts without a ``test`` (a question only) are not listed here.
"""

from __future__ import annotations

from onconav.engine.answer import TestRecommended
from onconav.engine.model import Run, text
from onconav.engine.msg import kb_text
from onconav.engine.recommended_tests import coded
from onconav.kbdata.loader import KnowledgeBase


def recommended(run: Run, kb: KnowledgeBase) -> list[TestRecommended]:
    lang = run.case.lang
    by_name: dict[str, TestRecommended] = {}
    for c in run.options:
        for fid in c.cond_facts:
            fact = kb.policy.fact_by_id.get(fid)
            if fact is None or fact.test is None:
                continue
            name = text(fact.test, lang)
            tr = by_name.get(name)
            if tr is None:
                src = f"fact.{fid}"
                tr = coded(kb_text(fact.test, src), kb_text(fact.question, src), lang, kind="fact")
                by_name[name] = tr
            if fid not in tr.facts:
                tr.facts.append(fid)
            if c.reg.regimen.id not in tr.decides:
                tr.decides.append(c.reg.regimen.id)
    for tr in by_name.values():
        tr.decides.sort()
        tr.facts.sort()
    return list(by_name.values())
