"""SQLite storage through sqlite-utils: opening, migrations, and the repository."""

from bip_talk.store.database import open_database
from bip_talk.store.repository import Store

__all__ = ["Store", "open_database"]
