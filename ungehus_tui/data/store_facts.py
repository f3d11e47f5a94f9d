"""Facts about the store that code reads without loading SQLAlchemy or Alembic (`migrate`,
`meta`, and `early` before the store is loaded)."""

# The newest revision in `migrations/versions` (a test holds it to Alembic's own head), so
# starting the app can check the schema without loading Alembic.
HEAD_REVISION = "0005_search_stats"

DEMO_MARKER = "demo"  # the `store_meta` row `ungehus demo` writes when it fills an empty database
