"""Earlier treatments typed one per line in the web forms: the outcome and, after it, the reason
(a named toxicity) reach the engine's profile (options page and intake)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onconav.options.prior_text import OUTCOMES, PriorLineError, parse_prior_lines


def test_outcome_and_reason_are_read():
    lines = parse_prior_lines(
        "carboplatin + pemetrexed + pembrolizumab: progression\n"
        "trastuzumab deruxtecan: intolerance, grade 2 pneumonitis\n"
        "osimertinib: no progression (still on it)\n"
        "docetaxel\n"
    )
    assert lines[0] == {
        "drugs": ["carboplatin", "pemetrexed", "pembrolizumab"],
        "line": 1,
        "outcome": "progression",
    }
    assert lines[1]["outcome"] == "intolerance" and lines[1]["reason"] == "grade 2 pneumonitis"
    assert lines[2]["outcome"] == "no progression" and lines[2]["reason"] == "still on it"
    assert lines[3] == {"drugs": ["docetaxel"], "line": 4, "outcome": "progression"}


@pytest.mark.parametrize(
    ("text", "kind", "n"),
    [
        (": progression", "drugs", 1),
        ("gefitinib: progression\nerlotinib: it went well-ish", "outcome", 2),
        ("gefitinib: progressionish", "outcome", 1),
    ],
)
def test_unreadable_lines_say_which_and_why(text, kind, n):
    with pytest.raises(PriorLineError) as e:
        parse_prior_lines(text)
    assert (e.value.kind, e.value.n) == (kind, n)


@given(st.sampled_from(OUTCOMES), st.text(alphabet="abcdefgh 23", max_size=30))
def test_any_known_outcome_with_any_reason_parses(outcome, reason):
    [line] = parse_prior_lines(f"cisplatin: {outcome}, {reason}")
    assert line["outcome"] == outcome
    assert line.get("reason", "") == reason.strip(" ,")


FORM = {
    "oncotree_code": "IDC",
    "stage": "IV",
    "ecog": "1",
    "age": "52",
    "her2": "3+",
    "er": "negative",
    "prior_therapies": (
        "trastuzumab + pertuzumab + docetaxel: progression\n"
        "trastuzumab deruxtecan: intolerance, grade 2 pneumonitis"
    ),
}


@pytest.mark.django_db
def test_a_named_toxicity_on_the_options_page_stops_a_rechallenge(client):
    # the Enhertu label: permanently discontinue after grade 2 or higher ILD / pneumonitis
    # (policy/fitness-builtin.yaml, no_rechallenge)
    from onconav.options.forms import OptionsForm

    form = OptionsForm(FORM)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["prior_therapies"][1]["reason"] == "grade 2 pneumonitis"
    resp = client.post("/options/", FORM)
    html = resp.content.decode()
    assert resp.status_code == 200
    # the exclusion states the toxicity read from the line (not only the echoed form text)
    assert "was stopped because of grade 2 pneumonitis" in html
    assert "its label says to discontinue it permanently" in html


def test_intake_profile_keeps_the_reason():
    from onconav.intake.services import answers_to_profile

    profile = answers_to_profile(
        {
            "cancer": {"oncotree_code": "LUAD"},
            "treatment": {"prior_therapies": "nivolumab: intolerance, myocarditis"},
        }
    )
    assert profile["prior_therapies"] == [
        {"drugs": ["nivolumab"], "line": 1, "outcome": "intolerance", "reason": "myocarditis"}
    ]


@pytest.mark.django_db
def test_the_not_offered_list_is_in_chinese_on_the_chinese_page(client):
    resp = client.post("/options/", FORM, HTTP_ACCEPT_LANGUAGE="zh-Hans")
    html = resp.content.decode()
    assert "本病例未列出的1种治疗及原因" in html
    assert "发生该毒性后应永久停用" in html
    assert "treatments are not offered" not in html and "treatment is not offered" not in html


def test_prefill_carries_the_reason_into_the_intake_text_and_back():
    from onconav.intake.prefill import answers_from_profile

    profile = {
        "cancer": {"oncotree_code": "IDC"},
        "prior_therapies": [
            {
                "drugs": ["trastuzumab deruxtecan"],
                "line": 1,
                "outcome": "intolerance",
                "reason": "grade 2 pneumonitis",
            }
        ],
    }
    text = answers_from_profile(profile)["treatment"]["prior_therapies"]
    assert text == "trastuzumab deruxtecan: intolerance, grade 2 pneumonitis"
    assert parse_prior_lines(text) == profile["prior_therapies"]
