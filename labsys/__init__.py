"""labsys: the service that runs a shared verification lab."""

__all__ = ["__version__"]

__version__ = "0.1.0"
