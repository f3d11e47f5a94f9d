"""Services for desk."""
