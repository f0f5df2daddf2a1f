"""The research exchange: export to CSV/JSON with a data dictionary, and import of
the same format."""
