"""Where Limber keeps things: data dir paths and the routine store."""
