"""Pure domain logic: no I/O, no textual."""
