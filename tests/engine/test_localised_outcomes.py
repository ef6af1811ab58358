"""Chinese answers name the common endpoints and units in Chinese; English answers are unchanged."""

import pytest

from onconav.engine.messages import localise_endpoint, localise_value


@pytest.mark.parametrize(
    ("endpoint", "zh"),
    [
        ("median OS", "中位总生存期"),
        ("median progression-free survival", "中位无进展生存期"),
        ("ORR (independent review)", "客观缓解率 (independent review)"),
        ("5-year overall survival", "5年总生存率"),
        ("36-month overall survival", "36个月总生存率"),
        ("3-year invasive-disease-free survival", "3年无浸润性疾病生存率"),
        ("CRS (any grade)", "CRS (any grade)"),
    ],
)
def test_common_endpoints_are_named_in_chinese(endpoint, zh):
    assert localise_endpoint(endpoint, "zh-hans") == zh
    assert localise_endpoint(endpoint, "en") == endpoint


def test_units_and_not_reached_are_localised():
    assert localise_value("18.9 months", "zh-hans") == "18.9个月"
    assert localise_value("not reached", "zh-hans") == "未达到"
    assert localise_value("18.9 months", "en") == "18.9 months"
