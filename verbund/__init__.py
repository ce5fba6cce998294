"""verbund: static sites for cooperating business associations."""

__version__ = "0.1.0"
