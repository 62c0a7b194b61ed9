"""The history view."""
