from __future__ import annotations

import pytest


@pytest.fixture
def admin(actor_for):  # type: ignore[no-untyped-def]
    return actor_for("it.admin")
