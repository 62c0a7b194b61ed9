"""PyInstaller's own QtGui hook, less the Qt plugins a desktop Limber never loads.

packaging/limber.spec names this folder in `hookspath`, where a hook takes
precedence over PyInstaller's. Leaving a plugin out here, before the analysis
of binary dependencies, also leaves out the libraries only it links; filtering
the Analysis afterwards would keep them.
"""

from pathlib import PurePath

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

# Plugin folders that only serve other platform plugins: EGL device integrations
# (for eglfs) and generic input plugins (evdev, TUIO; loaded by eglfs/linuxfb or
# on request only).
UNUSED_FOLDERS = {"egldeviceintegrations", "generic"}
# Platform plugins for devices without a window system (kept: xcb, wayland,
# offscreen for `limber screenshot`, minimal); vnc and tuiotouch link QtNetwork.
# The GTK 3 platform theme links GTK, which the bundle cannot ship coherently:
# PyInstaller bundles the GTK stack it finds on the build machine (cairo, pango,
# gdk-pixbuf: 10 MB here) and the user's own theme modules would then load
# against those. Without it Qt draws its own dialogs; the xdg-desktop-portal
# theme stays.
UNUSED_PLUGINS = {
    "libqeglfs.so",
    "libqlinuxfb.so",
    "libqvnc.so",
    "libqvkkhrdisplay.so",
    "libqminimalegl.so",
    "libqgtk3.so",
}


def _used(source: str, destination: str) -> bool:
    return (
        PurePath(destination).name not in UNUSED_FOLDERS
        and PurePath(source).name not in UNUSED_PLUGINS
    )


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, destination) for source, destination in binaries if _used(source, destination)]
