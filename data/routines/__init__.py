"""The built-in routines, one routine file each (docs/routine-format.md)."""
