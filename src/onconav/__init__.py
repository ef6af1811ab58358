"""OncoNav: an open-source cancer-care navigator."""

__version__ = "0.1.0"
