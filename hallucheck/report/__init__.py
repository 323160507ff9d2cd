"""Reports: findings to text, JSON, SARIF and GitHub annotations, and the rule documentation.

No finding logic lives here: reporters only format what the check returns.
"""
