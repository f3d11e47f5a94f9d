"""Demo data: plainly fictitious staff, young people and cases (above the services)."""
