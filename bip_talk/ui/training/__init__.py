"""Training mode's app and screens: the real meeting screens with a simulated citizen."""
