"""The lab's equipment: instruments, their calibration and whether they may be used."""
