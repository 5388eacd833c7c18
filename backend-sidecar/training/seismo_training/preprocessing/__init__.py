"""Gap handling, robust normalisation, time splits and sliding windows."""
