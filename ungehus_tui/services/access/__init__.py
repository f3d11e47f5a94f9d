"""Services for access."""
