"""Presenters: what a screen shows, as plain text and data, with the shared-screen
rules applied. Between the services and the widgets; no textual, no SQL, so the rules
about what the citizen may see are tested without a terminal."""
