"""Shipped resources (schema, sounds, icons), read with importlib.resources."""
