"""Pure domain logic: no database, no UI."""
