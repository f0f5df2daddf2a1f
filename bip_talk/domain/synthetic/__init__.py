"""The synthetic cohort, pure: a generative model of BIP-like citizen histories and
the figures it should reproduce."""
