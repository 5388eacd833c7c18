"""ONNX export and an independent NumPy evaluation of the exported graph."""
