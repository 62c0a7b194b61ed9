"""Limber: a hands-free desktop timer for mobility and warm-up routines."""

__version__ = "0.1.0"
