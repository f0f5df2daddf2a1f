"""Training: a rehearsal with a simulated citizen on a throwaway database, its
report, and the calibration drill."""
