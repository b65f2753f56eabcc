"""Results: the HDF5 store, analysis and certificate rendering; takes plain data."""
