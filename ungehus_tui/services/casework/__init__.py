"""Services for casework."""
