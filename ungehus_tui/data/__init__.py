"""The store: models, engine factory, migrations. Knows nothing of the UI."""
