"""Evidence about distribution names: popularity, typosquats, known hallucinations, the index.

:mod:`.popular` and :mod:`.dependencies` are pure (bundled data in, verdicts out);
:mod:`.registry` is the opt-in network edge and is only used with ``--online``.
"""
