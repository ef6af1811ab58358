"""``onconav options PROFILE.(json|yaml) [--format json|text] [--lang en|zh-hans] [--kb PATH]``.

Exit 0 with the answer on stdout; exit 2 with one human-readable line on stderr (and nothing on
stdout) when the profile cannot be read or validated. Also runnable as
``python -m onconav.engine.cli options PROFILE``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import yaml

from onconav.engine.profile import ProfileError

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line on stderr, exit 2
        self.exit(EXIT_BAD_INPUT, f"onconav options: {message}\n")


def _one_line(msg: str) -> str:
    return " ".join(str(msg).split())


def read_profile(path: str) -> Any:
    """Read a JSON or YAML profile file ('-' for stdin). Raises ProfileError if unreadable."""
    try:
        raw = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc.__class__.__name__
        raise ProfileError(
            [{"field": "", "message": f"cannot read {path}: {reason}"}], f"cannot read {path}: {reason}"
        ) from None
    suffix = Path(path).suffix.lower()
    try:
        if suffix == ".json":
            return json.loads(raw)
        return yaml.safe_load(raw)  # YAML is a superset of JSON
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        first = _one_line(str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__)
        raise ProfileError(
            [{"field": "", "message": f"{path} is not valid JSON/YAML: {first}"}],
            f"{path} is not valid JSON/YAML: {first}",
        ) from None


def build_parser(prog: str = "onconav options") -> argparse.ArgumentParser:
    p = _Parser(prog=prog, description="Treatment options for a patient profile (informational only).")
    p.add_argument("profile", help="profile file (.json or .yaml; '-' reads stdin)")
    p.add_argument("--format", choices=("json", "text"), default="json")
    p.add_argument("--lang", choices=("en", "zh-hans"), default="en")
    p.add_argument("--kb", default=None, help="knowledge base directory (default: the bundled one)")
    return p


def options_main(argv: list[str]) -> int:
    """Run ``options`` with ``argv`` (the arguments after the word ``options``)."""
    args = build_parser().parse_args(argv)
    from onconav.engine.core import default_engine
    from onconav.engine.render import render_text

    try:
        data = read_profile(args.profile)
        if args.kb is not None and not Path(args.kb).is_dir():
            print(f"onconav options: knowledge base directory not found: {args.kb}", file=sys.stderr)
            return EXIT_BAD_INPUT
        engine = default_engine(args.kb)
        answer = engine.recommend(data, lang=args.lang)
    except ProfileError as exc:
        print(f"onconav options: {_one_line(exc.message)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.format == "text":
        sys.stdout.write(render_text(answer, args.lang))
    else:
        sys.stdout.write(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "options":
        print(
            "usage: python -m onconav.engine.cli options PROFILE.(json|yaml) [--format json|text] [--lang en|zh-hans] [--kb PATH]",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    return options_main(args[1:])


if __name__ == "__main__":
    raise SystemExit(main())
