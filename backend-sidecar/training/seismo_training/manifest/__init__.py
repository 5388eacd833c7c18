"""The model manifest: building, validating, reading and writing it."""
