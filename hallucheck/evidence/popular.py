"""Offline name evidence: popular-distribution ranks, typosquat proximity and known hallucinations.

Everything here works on PEP 503-normalised distribution names (``re.sub(r"[-_.]+", "-", name).lower()``)
and on data shipped with the package:

``data/top_pypi.tsv``
    ``rank<TAB>name`` of the ~15,000 most downloaded PyPI distributions, sorted by rank.
``data/top_pypi.idx``
    The segment index of those names (below), derived from ``top_pypi.tsv`` by
    ``scripts/refresh_popular.py``.
``data/known_hallucinations.txt``
    Names documented as hallucinated by AI assistants, or squatted after being hallucinated (curated by hand,
    each with its source).
``data/hallucinated_names.tsv``
    The public lists of hallucinated names (the VDB slopsquatting dataset, the 2026 replication's universal
    hallucinations, PyPI research placeholders), filtered by ``scripts/refresh_hallucinations.py``; sources
    and licences in ``data/hallucinated_names.SOURCES.md``.

and the import names of the popular distributions, read through :mod:`hallucheck.resolve.mapping`
(``sklearn`` of scikit-learn, ``bs4``, ``dateutil``, ``cv2``, ``PIL``, ``yaml``): assistants misspell what
they write in code, so a name is compared with those too, and a match names the distribution
(:attr:`Similar.import_name`).

The data is read on first use, never at import: a run that checks no new dependency pays nothing.

A name *imitates* a popular name ``p`` (a distribution name or an import name) when it is not popular itself
and

* its optimal-string-alignment (restricted Damerau-Levenshtein) distance to ``p`` is 1, or 2 when both
  names are longer than 5 characters (so a popular name plus or minus a trailing ``s`` is distance 1); a
  distance-1 match records its typo shape (:data:`EDIT_SHAPES`: ``transposition``, ``doubled letter``,
  ``digit swap``, ...), which the error policy weighs;
* it equals ``p`` after PyPI's "ultranormalisation" (separators dropped, ``l``/``i`` read as ``1``, ``o`` as
  ``0``), or
* it is ``p`` with a ``py``/``python`` prefix or suffix added, removed or swapped (``python-requests``,
  ``requests-py``, ``pyrequests``).

Edit-distance search is indexed, never a loop over the 15,000 names. By the pigeonhole principle (as in
PassJoin), if a popular name of 6 or more characters is cut into 3 segments, a name within distance 2 of
it contains one of those segments, shifted by at most 2 -- once a transposition straddling a segment
boundary is undone, so the query's variants with one adjacent transposition are probed too. The index
groups the names by (length, segment number, first character of the segment) into one small text
*section* per group, with one ``<segment>TAB<positions>`` line per distinct segment; a probe is a
``str.find`` in one section. It is shipped precomputed because building its ~40,000 entries in Python
costs more than the whole first-query budget, while splitting the file into its ~4,000 sections is
cheap; if it was not built from the shipped ``top_pypi.tsv`` (its CRC-32 differs) it is rebuilt in
memory. The ~450 import names are too few to be worth a segment index: a query is compared with those of
a near length. Names of 5 characters or
fewer only ever match at distance 1, so they are not segmented: a query of 6 or fewer characters looks
up its whole distance-1 neighbourhood in the popular set instead. Candidates are then verified by a
bounded edit-distance check.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence

from hallucheck.data import DATA_DIRECTORY as _DATA_DIR
from hallucheck.lazy import LazyPattern, record

_TOP_FILE = "top_pypi.tsv"
_INDEX_FILE = "top_pypi.idx"
_HALLUCINATIONS_FILE = "known_hallucinations.txt"
_REAL_LOOKALIKES_FILE = "real_lookalikes.txt"
_PUBLIC_LISTS_FILE = "hallucinated_names.tsv"
_PUBLIC_LISTS = {
    "vdb": "the VDB slopsquatting dataset",
    "replication-2026": "the 2026 replication's universal hallucinations",
    "pypi-placeholder": "a PyPI slopsquatting-research placeholder",
}
"""What each source key of ``hallucinated_names.tsv`` stands for, in messages."""

_SHORT = 5
"""Names of at most this many characters match at edit distance 1 only."""
_SEGMENTED = _SHORT + 1
"""Names of at least this many characters are in the segment index."""
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-"
_ULTRA = str.maketrans({"l": "1", "i": "1", "o": "0", "-": None})
_PREFIXES = ("python-", "python", "py-", "py")
_SUFFIXES = ("-python", "python", "-py", "py")
_INDEX_MAGIC = "# hallucheck segment index v2"
_CONFUSABLE = "same after confusable normalisation"

EDIT_SHAPES = ("deletion", "insertion", "substitution", "transposition", "doubled letter", "digit swap")
"""The shapes of a distance-1 typo, as :attr:`Similar.shape` names them: a character missing, added or
replaced, two adjacent characters swapped, a letter doubled or undoubled (``follium``, ``pyteseract``), a
digit replaced by another (``bs5``). (A separator added or dropped is a confusable spelling.)"""


@record(frozen=True)
class Similar:
    """A popular distribution that a name looks like."""

    name: str
    """The popular distribution, normalised."""
    rank: int
    """Its download rank (1 is the most downloaded)."""
    reason: str
    """Why they look alike: ``"edit distance 1"``, ``"same after confusable normalisation"``,
    ``"python- prefix swap"``, ..."""
    shape: str = ""
    """For an edit-distance-1 resemblance, its typo shape (one of :data:`EDIT_SHAPES`); "" otherwise."""
    import_name: str = ""
    """The import name of :attr:`name` that was matched, as the bundled table writes it (``sklearn`` for
    scikit-learn, ``PIL`` for pillow); "" when the distribution's own name was."""

    @property
    def spelling(self) -> str:
        """What the name resembles: the import name when that was matched, else the distribution."""
        return self.import_name or self.name


def popularity_rank(name: str) -> int | None:
    """The download rank of distribution ``name`` (normalised first), ``None`` when it is not in the list."""
    return _popular().rank_of(_normalise(name))


def similar_popular_names(name: str, limit: int = 3) -> tuple[Similar, ...]:
    """Popular distributions that `name` imitates, by their own names or their import names, best (lowest
    edit distance, then best rank) first; () when `name` is itself popular (popular names are never flagged
    against each other).

    ``name`` is normalised first. A confusable spelling ranks as distance 0 and a ``py``/``python`` affix
    swap as distance 1; each popular distribution appears once, with its strongest reason (its own name
    before its import name on a tie). At most ``limit`` results are returned.
    """
    return _listing().similar_cached(_normalise(name), limit)


def import_name_providers(name: str) -> tuple[str, ...]:
    """Popular distributions whose import name ``name`` is, compared normalised (``pil`` and ``PIL`` ->
    pillow), best rank first; () when it is no import name of a popular distribution, or is one's own name."""
    normalised = _normalise(name)
    return tuple(provider for provider, _ in _listing().imports.providers.get(normalised, ()) if provider != normalised)


def is_known_real(name: str) -> bool:
    """Whether ``name`` is a real distribution outside the popular list that looks like a popular name
    (``data/real_lookalikes.txt``, each entry checked on PyPI): it is no look-alike."""
    global _real_lookalikes
    if _real_lookalikes is None:
        lines = (line.partition("#")[0].strip() for line in _read(_REAL_LOOKALIKES_FILE).splitlines())
        _real_lookalikes = frozenset(_normalise(line) for line in lines if line)
    return _normalise(name) in _real_lookalikes


def is_known_hallucination(name: str, extra: Iterable[str] = ()) -> bool:
    """Whether ``name`` is a documented AI-hallucinated (or hallucinated-then-squatted) distribution name.

    ``extra`` adds a team's own names to the bundled lists; all names are compared normalised. A popular
    distribution is never one by the bundled lists alone, whatever they say.
    """
    normalised = _normalise(name)
    return hallucination_source(normalised) is not None or any(_normalise(item) == normalised for item in extra)


def hallucination_source(name: str) -> str | None:
    """Where the bundled data documents ``name`` as hallucinated, for a message: ``bundled list`` (the
    curated one) or ``bundled list: the VDB slopsquatting dataset`` (a public one); None when it does not,
    and always for a popular distribution."""
    normalised = _normalise(name)
    if popularity_rank(normalised) is not None:
        return None
    if normalised in _curated():
        return "bundled list"
    sources = _public_lists().get(normalised)
    return None if sources is None else "bundled list: " + " and ".join(_PUBLIC_LISTS.get(key, key) for key in sources)


@record(frozen=True)
class Derivation:
    """How a name that is not popular looks built from popular names (evidence for the reviewer, never an
    error: real packages are named this way too, ``requests-toolbelt``, ``pandas-stubs``)."""

    summary: str
    """For a message: ``looks built from `sklearn` (the import name of `scikit-learn`, #179 by downloads) +
    `kit```."""
    shape: str
    """``joined`` (a popular name and an affix), ``blended`` (a prefix and a suffix of two names of one
    distribution) or ``swapped`` (a popular name with two of its parts swapped)."""
    distribution: str
    """The popular distribution the name comes from, normalised."""


def derivation(name: str) -> Derivation | None:
    """How ``name`` looks built from popular distribution or import names, or None.

    Three shapes, tried in this order, each only for a name that is not popular itself:

    * a part of ``name`` swapped with its neighbour gives a popular name (``plotmatlib`` <- ``matplotlib``);
    * a prefix of one name of a popular distribution and a suffix of another of its names (``bssoup4`` <-
      ``bs4`` + ``beautifulsoup4``);
    * a popular name (3+ characters) joined to an affix of 2+ characters (``sklearnkit`` <- ``sklearn`` +
      ``kit``; ``pandas_pro``; ``nltk_utils``); the longest popular part wins, then the best rank.

    Separators are ignored when comparing (``pandas_pro`` is ``pandas`` + ``pro``).
    """
    normalised = _normalise(name)
    derivations = _listing().derivations
    if normalised not in derivations:
        derivations[normalised] = _derivation(normalised)
    return derivations[normalised]


def _derivation(normalised: str) -> Derivation | None:
    if popularity_rank(normalised) is not None:
        return None
    compact = normalised.replace("-", "")
    if not 5 <= len(compact) <= _DERIVABLE:
        return None
    parts = _compact_names()
    return _swapped(compact, parts) or _blended(compact) or _joined(normalised, compact, parts)


def _described_name(entry: tuple[str, str, int]) -> str:
    """```sklearn` (the import name of `scikit-learn`, #179 by downloads)`` or ```pandas` (#37 by downloads)``."""
    spelled, distribution, rank = entry
    if _normalise(spelled) != distribution:
        return f"`{spelled}` (the import name of `{distribution}`, #{rank:,} by downloads)"
    return f"`{distribution}` (#{rank:,} by downloads)"


_DERIVABLE = 120
"""The longest name (separators dropped) searched for a derivation. A derivation is a popular name altered the
way a typo or a blend alters it, so it is about as long as the names it comes from: a swap keeps the length, a
blend is a head of one name plus a tail of another of the same distribution, a join adds an affix to one. The
longest popular name is 51 characters (``tests/test_lookalike_index.py`` keeps it at most half this bound), so a longer
name is no imitation of one; it stays a new, unknown name to review, only without this evidence. The bound also
keeps one name's search short whatever the name (attack C3: a 1,000-character name took over a minute in the
agent's hook, past its timeout)."""


def _swapped(compact: str, parts: dict[str, tuple[str, str, int]]) -> Derivation | None:
    """A popular name that ``compact`` is with two adjacent parts (2+ characters each) swapped back.

    Swapping ``compact[start:middle]`` and ``compact[middle:end]`` keeps the length and the text outside
    ``start:end``, so only a popular name of the same length that starts with ``compact[:start]`` and ends
    with ``compact[end:]`` can come out: the cut points are tried within the longest such prefix and suffix.
    """
    heads, tails = _same_length(len(compact))
    if not heads:
        return None
    prefix = _shared_prefix(compact, heads)
    suffix = _shared_prefix(compact[::-1], tails)
    from hallucheck.sources.shell import check_time  # the agent hook's deadline holds inside one name too

    best = None
    for start in range(min(prefix, len(compact) - 4) + 1):
        check_time()
        for middle in range(start + 2, len(compact) - 1):
            for end in range(max(middle + 2, len(compact) - suffix), len(compact) + 1):
                first, second = compact[start:middle], compact[middle:end]
                original = compact[:start] + second + first + compact[end:]
                entry = parts.get(original)
                if entry is not None and (best is None or entry[2] < best[1][2]):
                    best = ((second, first), entry)
    if best is None:
        return None
    (left, right), entry = best
    return Derivation(f"looks like {_described_name(entry)} with `{right}` and `{left}` swapped", "swapped", entry[1])


def _same_length(length: int) -> tuple[list[str], list[str]]:
    """The popular compact names (distribution and import names) of ``length`` characters, sorted, and the
    same names reversed, sorted."""
    global _by_length
    if _by_length is None:
        grouped: dict[int, list[str]] = {}
        for name in _compact_names():
            grouped.setdefault(len(name), []).append(name)
        _by_length = {size: (sorted(names), sorted(name[::-1] for name in names)) for size, names in grouped.items()}
    return _by_length.get(length, ([], []))


_by_length: dict[int, tuple[list[str], list[str]]] | None = None


def _shared_prefix(name: str, ordered: list[str]) -> int:
    """The length of the longest prefix ``name`` shares with a string of the sorted list ``ordered`` (the
    strings sorted next to ``name`` share the longest)."""
    import bisect

    at = bisect.bisect_left(ordered, name)
    return max((_common(name, other) for other in ordered[max(at - 1, 0):at + 1]), default=0)


def _common(left: str, right: str) -> int:
    return next((at for at, (one, two) in enumerate(zip(left, right, strict=False)) if one != two),
                min(len(left), len(right)))


def _blended(compact: str) -> Derivation | None:
    best = None
    for head, tail, spelled, rank, distribution in _listing().imports.blends().get(compact[:2], ()):
        for cut in range(2, len(head)):
            rest = compact[cut:]
            if (compact[:cut] == head[:cut] and len(rest) >= 3 and tail.endswith(rest) and rest != tail
                    and compact != head and (best is None or rank < best[2])):
                best = ((compact[:cut], rest), spelled, rank, distribution)
    if best is None:
        return None
    (head, tail), (first, second), rank, distribution = best
    return Derivation(
        f"looks blended from `{first}` and `{second}` (`{head}` + `{tail}`), two names of `{distribution}` "
        f"(#{rank:,} by downloads)", "blended", distribution,
    )


_GENERIC_PARTS = frozenset({
    "api", "cli", "client", "common", "core", "ext", "extra", "extras", "helper", "helpers", "kit", "lib", "plus",
    "pro", "sdk", "tool", "tools", "util", "utils", "wrapper",
})
"""Words that are affixes when they join a popular name (``nltk_utils``), though distributions of these names
exist: never the popular part of a join."""
_JOIN_RANK = 5000
"""A popular part of at most this rank is preferred to a longer, less downloaded one."""


def _joined(normalised: str, compact: str, parts: dict[str, tuple[str, str, int]]) -> Derivation | None:
    best = None
    for cut in range(3, len(compact) - 1):
        for popular_part, affix, first in ((compact[:cut], compact[cut:], True),
                                           (compact[len(compact) - cut:], compact[:len(compact) - cut], False)):
            entry = parts.get(popular_part)
            if entry is None or len(affix) < 2 or popular_part in _GENERIC_PARTS:
                continue
            key = (entry[2] > _JOIN_RANK, -len(popular_part), entry[2])
            if best is None or key < best[0]:
                best = (key, entry, len(popular_part) if first else len(compact) - len(popular_part), first)
    if best is None:
        return None
    _, entry, cut, first = best
    positions = [index for index, character in enumerate(normalised) if character != "-"]
    head, tail = normalised[:positions[cut]].strip("-"), normalised[positions[cut]:].strip("-")
    pieces = (_described_name(entry), f"`{tail}`") if first else (f"`{head}`", _described_name(entry))
    return Derivation(f"looks built from {pieces[0]} + {pieces[1]}", "joined", entry[1])


def _compact_names() -> dict[str, tuple[str, str, int]]:
    """Popular distribution and import names with separators dropped -> (the name as written, its
    distribution, the rank); built on first use (the best-ranked distribution wins a shared spelling)."""
    global _compact
    if _compact is None:
        popular = _popular()
        table: dict[str, tuple[str, str, int]] = {}
        for name, ranked in zip(popular._names, popular._ranks, strict=True):
            table.setdefault(name.replace("-", ""), (name, name, int(ranked)))
        imports = _listing().imports
        for key, providers in imports.providers.items():
            distribution, rank = providers[0]
            entry = (imports.spelling.get(key, key), distribution, rank)
            current = table.get(key.replace("-", ""))
            if current is None or current[0] == current[1] or rank < current[2]:
                table[key.replace("-", "")] = entry  # `sklearn`: the import name of scikit-learn, not the shim
        _compact = table
    return _compact


_compact: dict[str, tuple[str, str, int]] | None = None


def held_out_names(cutoff: int = 10_000) -> tuple[dict[str, tuple[Similar, ...]], list[str]]:
    """For measuring false positives: each popular name ranked below ``cutoff`` (a real package) with the
    names of the top ``cutoff`` (and their import names) it resembles, checked against those alone; and the
    held-out names in rank order."""
    listing = _popular()
    ranked = list(zip(listing._names, map(int, listing._ranks), strict=True))
    head = _Popular.from_names(
        [name for name, rank in ranked if rank <= cutoff], [rank for _, rank in ranked if rank <= cutoff]
    )
    combined = _Listing(head, _ImportNames.build(head))
    tail = [name for name, rank in ranked if rank > cutoff]
    return {name: combined.similar(name, 3) for name in tail}, tail


def _normalise(name: str) -> str:
    return _SEPARATORS.sub("-", name).lower()


_SEPARATORS = LazyPattern(r"[-_.]+")


def _threshold(left: str, right: str) -> int:
    """The largest edit distance at which two names count as alike."""
    return 1 if min(len(left), len(right)) <= _SHORT else 2


def _segment_bounds(length: int) -> tuple[int, int]:
    """Where the second and the third of a name's 3 segments start (their lengths differ by at most 1)."""
    third, rest = divmod(length, 3)
    return third, 2 * third + (rest == 2)


class _Popular:
    """The popular names, in rank order, with their indexes.

    Without ``sections`` (a list of a few hundred names, such as the import names) the edit-distance
    candidates are the names of a near length, which is cheaper than building the segment index.
    """

    def __init__(self, names: list[str], ranks: list[str], sections: dict[str, str] | None) -> None:
        self._names = names
        self._ranks = ranks
        self._position = dict(zip(names, range(len(names)), strict=True))
        self._sections = sections
        self._longest = max(map(len, names), default=0)
        self._ultra: dict[str, list[int]] | None = None
        """Ultranormalised name -> positions of the names that read so; built at the first query."""
        self._deletions: dict[str, list[int]] | None = None
        """Without sections: each name with up to 2 characters deleted -> positions; built at the first query."""

    @classmethod
    def from_names(cls, names: Sequence[str], ranks: Iterable[int] = (), *, indexed: bool = True) -> _Popular:
        """A list held in memory: ``names`` normalised, in rank order; ranks default to 1, 2, ...; with the
        segment index unless ``indexed`` is false."""
        rank_strings = list(map(str, ranks)) or [str(rank) for rank in range(1, len(names) + 1)]
        return cls(list(names), rank_strings, _build_sections(names) if indexed else None)

    def rank_of(self, name: str) -> int | None:
        position = self._position.get(name)
        return None if position is None else int(self._ranks[position])

    def similar(self, name: str, limit: int) -> tuple[Similar, ...]:
        """The popular names ``name`` imitates (see :func:`similar_popular_names`), this list alone."""
        if not _searchable(name) or name in self._position or limit <= 0:
            return ()
        found = self.candidates(name)
        ordered = sorted(found.values(), key=lambda item: (_strength(item), item.rank))
        return tuple(ordered[:limit])

    def candidates(self, name: str) -> dict[str, Similar]:
        """Each name of this list that ``name`` imitates, with its strongest resemblance."""
        best: dict[int, tuple[int, int, str]] = {}
        for position, found in self._matches(name):
            if position not in best or found < best[position]:
                best[position] = found
        result = {}
        for position, (_, _, reason) in best.items():
            popular = self._names[position]
            if popular == name:
                continue
            shape = _edit_shape(name, popular) if reason == "edit distance 1" else ""
            result[popular] = Similar(popular, int(self._ranks[position]), reason, shape)
        return result

    def _matches(self, name: str) -> Iterator[tuple[int, tuple[int, int, str]]]:
        """(position, (sort distance, tie-break, reason)) of every popular name that ``name`` imitates."""
        for position in self._confusables(name):
            yield position, (0, 0, _CONFUSABLE)
        for position, reason in self._affix_swaps(name):
            yield position, (1, 1, reason)
        characters = frozenset(name)
        for position in self._edit_candidates(name):
            popular = self._names[position]
            limit = _threshold(name, popular)
            # Each edit adds or removes at most 2 distinct characters: a cheap filter before the real check.
            if len(characters.symmetric_difference(popular)) <= 2 * limit:
                distance = _osa_distance(name, popular, limit)
                if distance <= limit:
                    yield position, (distance, 2, f"edit distance {distance}")

    def _confusables(self, name: str) -> Iterator[int]:
        if self._ultra is None:
            self._ultra = {}
            for position, popular in enumerate(self._names):
                self._ultra.setdefault(popular.translate(_ULTRA), []).append(position)
        yield from self._ultra.get(name.translate(_ULTRA), ())

    def _affix_swaps(self, name: str) -> Iterator[tuple[int, str]]:
        for core, affix in _affix_split(name):
            for prefix in ("", *_PREFIXES):
                for suffix in ("",) if prefix else ("", *_SUFFIXES):
                    other = prefix + core + suffix
                    position = self._position.get(other)
                    if other != name and position is not None:
                        yield position, _swap_reason(affix, _affix_label(prefix, suffix))

    def _edit_candidates(self, name: str) -> set[int]:
        if self._sections is None:
            return self._deletion_candidates(name)
        candidates: set[int] = set()
        if len(name) <= _SEGMENTED:
            position = self._position
            candidates.update(position[near] for near in position.keys() & _neighbourhood(name))
        if _SEGMENTED <= len(name) <= self._longest + 2:
            sections = self._sections
            for key, segment in _probes(name):
                section = sections.get(key)
                found = -1 if section is None else section.find(f"\n{segment}\t")
                if section is not None and found >= 0:
                    start = found + len(segment) + 2
                    candidates.update(map(int, section[start : section.index("\n", start)].split()))
        return candidates


    def _deletion_candidates(self, name: str) -> set[int]:
        """The names that share a string with ``name`` once at most 2 characters are deleted from each: every
        name within edit distance 2 does (a substitution or a transposition is one deletion on each side)."""
        if len(name) > self._longest + 2:
            return set()
        if self._deletions is None:
            self._deletions = {}
            for position, popular in enumerate(self._names):
                for variant in _deleted(popular):
                    self._deletions.setdefault(variant, []).append(position)
        deletions = self._deletions
        return {position for variant in _deleted(name) for position in deletions.get(variant, ())}


def _deleted(name: str) -> set[str]:
    """``name`` with 0, 1 or 2 of its characters deleted."""
    once = {name[:at] + name[at + 1 :] for at in range(len(name))}
    return {name, *once, *(item[:at] + item[at + 1 :] for item in once for at in range(len(item)))}


class _ImportNames:
    """The import names of popular distributions that differ from the distributions' own names."""

    def __init__(
        self, index: _Popular, spelling: dict[str, str], providers: dict[str, tuple[tuple[str, int], ...]]
    ) -> None:
        self.index = index
        """The normalised import names, ranked by their best provider."""
        self.spelling = spelling
        """Normalised import name -> as the table writes it (``pil`` -> ``PIL``)."""
        self.providers = providers
        """Normalised import name -> its popular providers and their ranks, best first."""
        self._blends: dict[str, list[tuple[str, str, tuple[str, str], int, str]]] | None = None

    def blends(self) -> dict[str, list[tuple[str, str, tuple[str, str], int, str]]]:
        """The (head, tail) name pairs a blended name is cut from (an import name and its distribution's own
        name, each way round), by the head's first 2 characters, in the order :func:`_blended` tries them:
        ``(head, tail, (head as written, tail as written), rank, distribution)``. Built at the first query."""
        if self._blends is None:
            self._blends = {}
            for key, providers in self.providers.items():
                module = self.spelling.get(key, key)
                module_compact = _normalise(module).replace("-", "")
                distribution, rank = providers[0]
                own = distribution.replace("-", "")
                for head, tail in ((module_compact, own), (own, module_compact)):
                    spelled = (module, distribution) if head == module_compact else (distribution, module)
                    if len(head) > 2:
                        self._blends.setdefault(head[:2], []).append((head, tail, spelled, rank, distribution))
        return self._blends

    @classmethod
    def build(cls, listing: _Popular) -> _ImportNames:
        """The import names that the bundled mapping gives for the distributions of ``listing``."""
        from hallucheck.resolve import mapping

        found: dict[str, list[tuple[int, str]]] = {}
        spelling: dict[str, str] = {}
        for distribution, modules in mapping.import_names_table().items():
            rank = listing.rank_of(distribution)
            if rank is None:
                continue
            for module in modules:
                key = module.lower().replace("_", "-") if "__" not in module else _normalise(module)
                if "." not in module and not module.startswith("_") and key != distribution:
                    found.setdefault(key, []).append((rank, distribution))
                    spelling.setdefault(key, module)
        ordered = sorted(found, key=lambda key: (min(found[key]), key))
        providers = {key: tuple((name, rank) for rank, name in sorted(found[key])) for key in ordered}
        index = _Popular.from_names(ordered, [providers[key][0][1] for key in ordered], indexed=False)
        return cls(index, spelling, providers)


class _Listing:
    """Popular distributions and their import names, searched together."""

    def __init__(self, popular: _Popular, imports: _ImportNames) -> None:
        self.popular = popular
        self.imports = imports
        self._similar: dict[tuple[str, int], tuple[Similar, ...]] = {}
        self.derivations: dict[str, Derivation | None] = {}
        """:func:`derivation` per normalised name: a file that installs a name a hundred times asks once."""

    def similar_cached(self, name: str, limit: int) -> tuple[Similar, ...]:
        """:meth:`similar`, once per name and limit."""
        key = (name, limit)
        if key not in self._similar:
            self._similar[key] = self.similar(name, limit)
        return self._similar[key]

    def similar(self, name: str, limit: int) -> tuple[Similar, ...]:
        if not _searchable(name) or self.popular.rank_of(name) is not None or limit <= 0:
            return ()
        found = self.popular.candidates(name)
        for key, item in self.imports.index.candidates(name).items():
            distribution, rank = self.imports.providers[key][0]
            candidate = Similar(distribution, rank, item.reason, item.shape, self.imports.spelling[key])
            current = found.get(distribution)
            if current is None or _strength(candidate) < _strength(current):
                found[distribution] = candidate
        ordered = sorted(found.values(), key=lambda item: (_strength(item)[0], item.rank, _strength(item)[1]))
        return tuple(ordered[:limit])


def _searchable(name: str) -> bool:
    """Whether ``name`` can be a distribution name at all (not empty, no whitespace)."""
    return name.split() == [name]


def _strength(item: Similar) -> tuple[int, int]:
    """(distance, 1 for an import-name match): lower is a stronger resemblance."""
    if item.reason == _CONFUSABLE:
        distance = 0
    elif item.reason.startswith("edit distance "):
        distance = int(item.reason.rpartition(" ")[2])
    else:
        distance = 1  # a py/python affix swap
    return distance, int(bool(item.import_name))


def _edit_shape(name: str, popular: str) -> str:
    """The typo shape that turns ``popular`` into ``name``, which are at edit distance 1."""
    if len(name) == len(popular):
        at = next(index for index, (left, right) in enumerate(zip(name, popular, strict=True)) if left != right)
        if name[at + 1 : at + 2] == popular[at] and popular[at + 1 : at + 2] == name[at]:
            return "transposition"
        return "digit swap" if name[at].isdigit() and popular[at].isdigit() else "substitution"
    longer, shorter = (name, popular) if len(name) > len(popular) else (popular, name)
    pairs = enumerate(zip(longer, shorter, strict=False))
    at = next((index for index, (left, right) in pairs if left != right), len(shorter))
    extra = longer[at]
    if longer[at - 1 : at] == extra or longer[at + 1 : at + 2] == extra:
        return "doubled letter"
    return "insertion" if longer is name else "deletion"


def _probes(name: str) -> set[tuple[str, str]]:
    """(Section key, segment) pairs to look for: a popular name within distance 2 of ``name`` has one."""
    length = len(name)
    variants = [(name, -1)]
    variants.extend(
        (name[:at] + name[at + 1] + name[at] + name[at + 2 :], at)
        for at in range(length - 1)
        if name[at] != name[at + 1]
    )
    probes: set[tuple[str, str]] = set()
    for other in range(max(_SEGMENTED, length - 2), length + 3):
        shifts = range(max(-2, length - other - 2), min(2, length - other + 2) + 1)
        first, second = _segment_bounds(other)
        for number, start, end in ((0, 0, first), (1, first, second), (2, second, other)):
            for shift in shifts:
                begin, stop = start + shift, end + shift
                if begin < 0 or stop > length:
                    continue
                for variant, swapped in variants:  # a transposed variant only matters where it differs
                    if swapped < 0 or (begin <= swapped + 1 and swapped < stop):
                        segment = variant[begin:stop]
                        probes.add((f"{other}:{number}:{segment[0]}", segment))
    return probes


def _neighbourhood(name: str) -> set[str]:
    """Every string at edit distance 1 from ``name`` over the alphabet of normalised names."""
    found = set()
    for cut in range(len(name) + 1):
        head, tail = name[:cut], name[cut:]
        found.update([head + char + tail for char in _ALPHABET])
        if tail:
            rest = tail[1:]
            found.add(head + rest)
            found.update([head + char + rest for char in _ALPHABET])
            if rest:
                found.add(head + rest[0] + tail[0] + rest[1:])
    return found


def _osa_distance(left: str, right: str, limit: int) -> int:
    """The optimal-string-alignment distance of two strings, or ``limit + 1`` when it exceeds ``limit``."""
    if left == right:
        return 0
    if abs(len(left) - len(right)) > limit or not _within(left, right, limit):
        return limit + 1
    return next(distance for distance in range(1, limit + 1) if _within(left, right, distance))


def _within(left: str, right: str, budget: int) -> bool:
    """Whether ``budget`` edits suffice: each edit possible at the first difference, then the rest."""
    start = 0
    shorter = min(len(left), len(right))
    while start < shorter and left[start] == right[start]:
        start += 1
    left, right = left[start:], right[start:]
    if not left or not right:
        return len(left) + len(right) <= budget
    if budget == 0:
        return False
    rest_left, rest_right = left[1:], right[1:]
    swapped = left[0] == right[1:2] and right[0] == left[1:2]
    if budget == 1:
        return rest_left in (rest_right, right) or left == rest_right or (swapped and left[2:] == right[2:])
    budget -= 1
    return (
        _within(rest_left, rest_right, budget)
        or _within(rest_left, right, budget)
        or _within(left, rest_right, budget)
        or (swapped and _within(left[2:], right[2:], budget))
    )


def _affix_split(name: str) -> Iterator[tuple[str, str]]:
    """Each reading of ``name`` as a core (2+ characters) plus at most one py/python affix, with the affix's
    label."""
    if _is_core(name):
        yield name, ""
    for prefix in _PREFIXES:
        core = name[len(prefix) :]
        if name.startswith(prefix) and _is_core(core):
            yield core, _affix_label(prefix, "")
    for suffix in _SUFFIXES:
        core = name[: -len(suffix)]
        if name.endswith(suffix) and _is_core(core):
            yield core, _affix_label("", suffix)


def _is_core(core: str) -> bool:
    return len(core) >= 2 and not core.startswith("-") and not core.endswith("-")


def _affix_label(prefix: str, suffix: str) -> str:
    return f"{prefix} prefix" if prefix else f"{suffix} suffix" if suffix else ""


def _swap_reason(mine: str, theirs: str) -> str:
    return f"{mine} instead of {theirs}" if mine and theirs else f"{mine or theirs} swap"


def _build_sections(names: Sequence[str]) -> dict[str, str]:
    """The segment index of ``names`` (normalised, in rank order), as sections keyed
    ``<length>:<segment number>:<first character of the segment>``.

    A section holds one ``<segment>TAB<positions>`` line per segment (positions in ``names``, 0-based),
    between newlines. Used by ``scripts/refresh_popular.py`` and when the shipped index is stale.
    """
    groups: dict[str, dict[str, list[int]]] = {}
    for position, name in enumerate(names):
        length = len(name)
        if length >= _SEGMENTED:
            first, second = _segment_bounds(length)
            for number, segment in enumerate((name[:first], name[first:second], name[second:])):
                key = f"{length}:{number}:{segment[0]}"
                groups.setdefault(key, {}).setdefault(segment, []).append(position)
    return {
        key: "".join(f"\n{segment}\t{' '.join(map(str, positions))}" for segment, positions in sorted(segments.items()))
        + "\n"
        for key, segments in sorted(groups.items(), key=lambda item: _section_order(item[0]))
    }


def _section_order(key: str) -> tuple[int, int, str]:
    length, number, first = key.split(":")
    return int(length), int(number), first


def _format_index(sections: dict[str, str], top_text: str) -> str:
    """The text of ``top_pypi.idx`` for ``sections``, tied to the ``top_pypi.tsv`` text they come from."""
    import zlib

    header = (
        f"{_INDEX_MAGIC}\n# crc32 {zlib.crc32(top_text.encode()):08x}\n"
        "# Generated by scripts/refresh_popular.py from top_pypi.tsv; do not edit.\n"
        "# An '@<length>:<segment number>:<first character>' line starts a section of\n"
        "# '<segment>TAB<positions>' lines: the 0-based positions (in rank order) of the names of\n"
        "# that length with that segment."
    )
    return header + "".join(f"\n@{key}{section}" for key, section in sections.items()).rstrip("\n") + "\n"


def _parse_index(text: str, top_text: str) -> dict[str, str] | None:
    """The sections of a ``top_pypi.idx`` text, or ``None`` when it was not built from ``top_text``."""
    import zlib

    header, *parts = text.split("\n@")
    checksum = f"\n# crc32 {zlib.crc32(top_text.encode()):08x}\n"
    if not header.startswith(_INDEX_MAGIC) or checksum not in header:
        return None
    sections = {}
    for part in parts:
        key, _, lines = part.partition("\n")
        sections[key] = "\n" + lines.rstrip("\n") + "\n"
    return sections


def _parse_top(text: str) -> tuple[list[str], list[str]]:
    """Names and rank strings of a ``rank<TAB>name`` file (``#`` comments and a column header allowed)."""
    start = 0
    while text.startswith(("#", "rank\t"), start):
        start = text.find("\n", start) + 1 or len(text)
    fields = text[start:].split()
    if len(fields) % 2:
        raise ValueError(f"{_TOP_FILE}: every line must be rank<TAB>name")
    return fields[1::2], fields[0::2]


def _read(file_name: str) -> str:
    with open(os.path.join(_DATA_DIR, file_name), encoding="utf-8") as handle:
        return handle.read()


_loaded: _Popular | None = None
_combined: _Listing | None = None
_curated_names: frozenset[str] | None = None
_public_names: dict[str, tuple[str, ...]] | None = None
_real_lookalikes: frozenset[str] | None = None


def _popular() -> _Popular:
    global _loaded
    if _loaded is None:
        top_text = _read(_TOP_FILE)
        names, ranks = _parse_top(top_text)
        try:
            sections = _parse_index(_read(_INDEX_FILE), top_text)
        except OSError:
            sections = None
        _loaded = _Popular(names, ranks, sections if sections is not None else _build_sections(names))
    return _loaded


def _listing() -> _Listing:
    global _combined
    if _combined is None:
        _combined = _Listing(_popular(), _ImportNames.build(_popular()))
    return _combined


def _curated() -> frozenset[str]:
    global _curated_names
    if _curated_names is None:
        lines = (line.partition("#")[0].strip() for line in _read(_HALLUCINATIONS_FILE).splitlines())
        _curated_names = frozenset(_normalise(line) for line in lines if line)
    return _curated_names


def documented_real(name: str) -> str | None:
    """What the real project documents installing instead of the hallucinated ``name`` (``huggingface-cli`` ->
    ``huggingface_hub[cli]``), from the ``real:`` notes of the curated list; None when none is documented."""
    global _real_names
    if _real_names is None:
        found = {}
        for line in _read(_HALLUCINATIONS_FILE).splitlines():
            listed, _, comment = line.partition("#")
            _, marker, real = comment.rpartition("real: ")
            if listed.strip() and marker and real.strip():
                found[_normalise(listed.strip())] = real.strip()
        _real_names = found
    return _real_names.get(_normalise(name))


_real_names: dict[str, str] | None = None


def _public_lists() -> dict[str, tuple[str, ...]]:
    """Name -> source keys, from ``hallucinated_names.tsv`` (``name<TAB>key,key``; the names are normalised
    when the file is generated, which a test checks, so reading does not normalise them again)."""
    global _public_names
    if _public_names is None:
        names = {}
        for line in _read(_PUBLIC_LISTS_FILE).splitlines():
            name, _, sources = line.partition("\t")
            if name and not name.startswith("#"):
                names[name] = tuple(sources.split(","))
        _public_names = names
    return _public_names
