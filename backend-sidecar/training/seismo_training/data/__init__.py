"""Data sources: CSV files and Prometheus query_range, both producing SignalFrames."""
