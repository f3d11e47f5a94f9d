"""Screens: one per file; dialogs are ModalScreen[T] returning a value with `dismiss`."""
