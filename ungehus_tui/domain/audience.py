"""Who Ungehuset is for: young people aged 15-29 (DOMAIN.md)."""

from __future__ import annotations

MIN_AGE, MAX_AGE = 15, 29


def age_refusal(age: int) -> str | None:
    """The Danish referral when a young person is outside Ungehuset's 15-29 (DOMAIN.md)."""
    if age < MIN_AGE:
        return (
            f"Den unge er {age} år. Ungehuset er for 15-29-årige: henvis til skolens "
            "uddannelsesvejleder (Center for Børn og Unge)."
        )
    if age > MAX_AGE:
        return (
            f"Den unge er {age} år. Ungehuset er for 15-29-årige: henvis til jobcenteret "
            "for voksne."
        )
    return None
