"""The options engine is built at start-up when ENGINE_PRELOAD is on (issue 9)."""

from __future__ import annotations

from django.apps import apps
from django.test import override_settings

from onconav.options import services


def test_ready_builds_the_engine_when_preload_is_on(monkeypatch):
    # given no engine yet in this process and a stand-in builder
    built = []
    monkeypatch.setattr(services, "engine_get", lambda: built.append(1))
    # when the app is ready with preloading on
    with override_settings(ENGINE_PRELOAD=True):
        apps.get_app_config("options").ready()
    # then the engine was built once
    assert built == [1]


def test_ready_does_nothing_when_preload_is_off(monkeypatch):
    built = []
    monkeypatch.setattr(services, "engine_get", lambda: built.append(1))
    with override_settings(ENGINE_PRELOAD=False):
        apps.get_app_config("options").ready()
    assert built == []
