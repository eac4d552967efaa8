"""Parallax command line: a thin click layer over the `compare` library."""
