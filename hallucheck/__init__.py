"""hallucheck: stop AI-hallucinated Python imports before they are committed."""

__version__ = "0.1.0"
