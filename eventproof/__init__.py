"""eventproof: prove serverless, event-driven handlers against their contracts."""

__version__ = "0.1.0"

__all__ = ["__version__"]
