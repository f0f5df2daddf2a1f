"""Synthetic citizens in a database: ``bip-talk seed`` and the demo database."""
