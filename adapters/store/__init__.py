"""The state store: one SQLite file, one module per table family over one connection layer."""
