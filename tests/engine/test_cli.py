"""`onconav options` (contracts.md section 3): exit codes, one-line errors, JSON/text output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from onconav.engine.cli import main, options_main
from tests.engine.conftest import FIXTURE_KB, assert_contract

SRC = Path(__file__).resolve().parents[2] / "src"
LUAD = "age: 67\necog: 1\ncancer: {oncotree_code: LUAD, stage: IV}\nbiomarkers:\n  - {gene: EGFR, alteration: L858R}\n"


def run(argv, capsys):
    code = options_main([*argv, "--kb", str(FIXTURE_KB)])
    out, err = capsys.readouterr()
    return code, out, err


def test_yaml_profile_gives_json_answer(tmp_path, capsys):
    p = tmp_path / "p.yaml"
    p.write_text(LUAD, encoding="utf-8")
    code, out, err = run([str(p)], capsys)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert_contract(data)
    assert data["options"][0]["regimen"] == "osimertinib"


def test_json_profile_and_chinese(tmp_path, capsys):
    p = tmp_path / "p.json"
    p.write_text(
        json.dumps(
            {
                "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
                "biomarkers": [{"gene": "EGFR", "alteration": "19del"}],
            }
        ),
        encoding="utf-8",
    )
    code, out, _ = run([str(p), "--lang", "zh-hans"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["language"] == "zh-hans"
    assert "奥希替尼" in out  # ensure_ascii=False: Chinese is written as is


def test_text_format(tmp_path, capsys):
    p = tmp_path / "p.yaml"
    p.write_text(LUAD, encoding="utf-8")
    code, out, _ = run([str(p), "--format", "text"], capsys)
    assert code == 0 and out.startswith("Treatment options") and "1. Osimertinib" in out
    code, out, _ = run([str(p), "--format", "text", "--lang", "zh-hans"], capsys)
    assert code == 0 and out.startswith("治疗方案")


@pytest.mark.parametrize(
    "content",
    [
        "cancer: {oncotree_code: NOPE}\n",
        "ecog: 7\ncancer: {oncotree_code: LUAD}\n",
        "age: sixty\ncancer: {oncotree_code: LUAD}\n",
        "cancer: [unclosed\n",
        "- just\n- a list\n",
        "",
    ],
)
def test_invalid_profile_exits_2_with_one_line_on_stderr(tmp_path, capsys, content):
    p = tmp_path / "bad.yaml"
    p.write_text(content, encoding="utf-8")
    code, out, err = run([str(p)], capsys)
    assert code == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1 and len(err) > 10


def test_missing_file_exits_2(tmp_path, capsys):
    code, out, err = run([str(tmp_path / "missing.json")], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1


def test_bad_arguments_exit_2_with_one_line(tmp_path, capsys):
    p = tmp_path / "p.yaml"
    p.write_text(LUAD, encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        options_main([str(p), "--lang", "fr"])
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1


def test_main_requires_the_options_word(capsys):
    assert main([]) == 2


def test_python_dash_m_entry_point(tmp_path):
    p = tmp_path / "p.yaml"
    p.write_text(LUAD, encoding="utf-8")
    env = {"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}
    ok = subprocess.run(
        [sys.executable, "-m", "onconav.engine.cli", "options", str(p), "--kb", str(FIXTURE_KB)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["options"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("ecog: 9\ncancer: {oncotree_code: LUAD}\n", encoding="utf-8")
    err = subprocess.run(
        [sys.executable, "-m", "onconav.engine.cli", "options", str(bad), "--kb", str(FIXTURE_KB)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert err.returncode == 2 and err.stdout == "" and err.stderr.count("\n") == 1
    assert "ecog" in err.stderr
