"""hallucheck: stop AI-hallucinated Python imports before they are committed."""

__version__ = "0.1.0"

HOMEPAGE = "https://github.com/OWNER/hallucheck"
"""The project's home (README and docs); SARIF links rule help to ``docs/rules.md`` there."""
RULES_URL = f"{HOMEPAGE}/blob/main/docs/rules.md"
