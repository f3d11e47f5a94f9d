"""Service functions: every state change goes through one of these, with the acting staff
member (`actor`), so the TUI, the CLI and the tests share permissions, validation and audit.
"""
