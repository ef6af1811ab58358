"""List the China-access unknowns of the knowledge base (issue 10).

Three measures over knowledge/drugs/*.yaml:
  1. NRDL-listed drugs whose first-listing year (nrdl.since) is unknown;
  2. NMPA approvals without a year;
  3. drugs (not investigational) with no NMPA approval record.

Usage: PYTHONPATH=src python scripts/china_access_report.py [knowledge dir] [--list]
"""

from __future__ import annotations

import sys
from pathlib import Path

from onconav.kbdata.loader import load_knowledge_base


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
