"""The SQL of the research exchange: reading tables for export, writing rows on import."""
