"""Ungehus: keyboard-first intake for Ungehuset, Slagelse Kommune."""

__version__ = "0.1.0"
