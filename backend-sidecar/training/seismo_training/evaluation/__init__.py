"""Architecture comparison on labelled benchmark data."""
