"""Fixtures shared by the trials tests."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_trials():
    """The 15 labelled demo trial records (trials_load_demo)."""
    call_command("trials_load_demo", verbosity=0)
