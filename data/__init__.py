"""Shipped data, read with importlib.resources."""
