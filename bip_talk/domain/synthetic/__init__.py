"""The synthetic cohort, pure: a generative model of BIP-like citizen histories and
the figures it should reproduce."""

# The documented upper bound of ``seed --citizens``: 25 times a 10x BIP database
# (about 12 GB, some 20 minutes); beyond it ids and file sizes stop being sensible.
MAX_CITIZENS = 1_000_000
