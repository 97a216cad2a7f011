"""Hypothesis profiles: exploring locally, reproducible in continuous integration.

Locally every run draws new examples (and replays failures from the local
example database). With ``CI`` set, examples are derived from each test
itself, so a build passes or fails the same way on every machine.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")
