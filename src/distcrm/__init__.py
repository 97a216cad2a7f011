"""distcrm: distribution CRM as a library."""

__version__ = "0.1.0"
__all__ = ["__version__"]
