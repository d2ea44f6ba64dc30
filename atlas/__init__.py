"""Batik Atlas of Pekalongan: batik producers and workers on village boundaries."""

__version__ = "0.1.0"
