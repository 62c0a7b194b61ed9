"""The player view, its controller and the compact window."""
