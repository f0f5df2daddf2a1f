"""Training, pure: personas and vignettes as data, the simulated citizen, the
feedback checklist and calibration agreement."""
