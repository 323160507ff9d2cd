"""hallucheck: stop AI-hallucinated Python imports before they are committed."""

__version__ = "0.1.0"

HOMEPAGE = "https://github.com/OWNER/hallucheck"
"""The project's repository URL until it is published (``hallucheck init`` writes it when it cannot tell where
hallucheck was installed from). Reports never link to it: SARIF carries each rule's help itself."""
