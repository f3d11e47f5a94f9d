"""Reusable widgets (their CSS lives in DEFAULT_CSS)."""
