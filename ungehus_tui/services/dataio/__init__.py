"""Services for dataio."""
