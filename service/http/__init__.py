"""HTTP edge: controllers translate requests to use-case calls and results to JSON."""
