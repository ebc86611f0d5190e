"""The web app: `create_app(settings, kg)` in app.py, one router module per area, and the
worker pool that runs the queries (workers.py)."""
