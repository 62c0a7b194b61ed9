"""Pure Python core: routine model and format, plan builder, player engine, clock."""
