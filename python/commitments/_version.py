"""The package's version: the library's (``cm_version()``) it is made for."""

__version__ = "0.1.0"
