"""List the China-access unknowns of the knowledge base (issue 10).

Three measures over knowledge/drugs/*.yaml:
  1. NRDL-listed drugs whose first-listing year (nrdl.since) is unknown;
  2. NMPA approvals without a year;
  3. drugs (not investigational) with no NMPA approval record, split into those recorded as not
     approved in mainland China (china_access not_available, boao_only or trial_only, with the
     date and note of the NMPA search) and those whose mainland status is unknown.

Usage: PYTHONPATH=src python scripts/china_access_report.py [knowledge dir] [--list]
"""

from __future__ import annotations

import sys
from pathlib import Path

from onconav.kbdata.loader import load_knowledge_base

NOT_APPROVED = {"not_available", "boao_only", "trial_only"}


def _recorded_not_approved(d) -> bool:
    return d.china_access.value in NOT_APPROVED and bool(d.nmpa_searched and d.nmpa_search_note)


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    root = Path(args[0]) if args else Path(__file__).resolve().parents[1] / "knowledge"
    kb = load_knowledge_base(root)
    drugs = sorted(kb.drugs, key=lambda d: d.inn)
    since_unknown = [d for d in drugs if d.nrdl.listed and d.nrdl.since is None]
    nmpa = [(d, a) for d in drugs for a in d.approvals if a.agency == "NMPA"]
    nmpa_no_year = [(d, a) for d, a in nmpa if a.year is None]
    no_nmpa = [d for d in drugs if not any(a.agency == "NMPA" for a in d.approvals)]
    print(f"drugs: {len(drugs)}")
    print(f"NRDL status unknown: {sum(d.nrdl.listed is None for d in drugs)}")
    print(f"NRDL listed: {sum(bool(d.nrdl.listed) for d in drugs)}, first year unknown: {len(since_unknown)}")
    print(f"NMPA approvals: {len(nmpa)}, year unknown: {len(nmpa_no_year)}")
    print(
        f"drugs without an NMPA record: {len(no_nmpa)} (investigational {sum(d.investigational for d in no_nmpa)})"
    )
    not_approved = [d for d in no_nmpa if not d.investigational and _recorded_not_approved(d)]
    status_unknown = [d for d in no_nmpa if not d.investigational and not _recorded_not_approved(d)]
    print(f"  recorded as not approved in mainland China (searched, with a note): {len(not_approved)}")
    print(f"  mainland status unknown: {len(status_unknown)}")
    if "--list" in argv:
        print("\n# NRDL listed, since unknown")
        for d in since_unknown:
            print(f"  {d.inn} | {d.name_zh}")
        print("\n# NMPA approval, year unknown")
        for d, a in nmpa_no_year:
            print(f"  {d.inn} | {d.name_zh} | {a.indication[:90]}")
        print("\n# no NMPA record")
        for d in no_nmpa:
            flag = " (investigational)" if d.investigational else ""
            print(f"  {d.inn} | {d.name_zh} | china_access={d.china_access}{flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
