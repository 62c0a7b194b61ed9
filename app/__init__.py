"""Limber: a hands-free desktop timer for mobility and warm-up routines."""

__version__ = "0.1.0"

# The reverse-DNS application id: the name of the .desktop file, the AppStream
# component and the icons, and what the window tells the desktop it is.
APP_ID = "io.github.limber_timer.Limber"
