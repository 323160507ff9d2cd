"""Policy: what the project's configuration, suppression comments and baseline make of findings.

Pure: findings and snapshot files in, findings out. It never decides whether an import
resolves; it only silences, re-grades or reports what the check found.
"""
