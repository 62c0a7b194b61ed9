"""The routine library view."""
