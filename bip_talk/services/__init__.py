"""Use cases shared by the CLI and the UI: they combine packs, storage and the domain."""
