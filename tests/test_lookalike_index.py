"""The look-alike search is indexed and memoised, and finds exactly what a scan of every popular name finds
(issue 25; ATTACK.md A10: thousands of unknown names in one file).

References here are the brute-force readings: every popular name and every import name compared with the query
(confusable spelling, affix swap, bounded edit distance), and every import name tried as the head of a blend.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from hallucheck.evidence import popular
from hallucheck.evidence.popular import Derivation, _Listing, _Popular


class _FullScan(_Popular):
    """A list whose candidates are all its names of a near length: what the indexes must agree with."""

    def _edit_candidates(self, name: str) -> set[int]:
        return {position for position, item in enumerate(self._names) if abs(len(item) - len(name)) <= 2}

    def _confusables(self, name: str) -> Iterator[int]:
        wanted = name.translate(popular._ULTRA)
        return (position for position, item in enumerate(self._names) if item.translate(popular._ULTRA) == wanted)


def _full_scan_listing() -> _Listing:
    listing = popular._listing()
    names = listing.popular._names
    imports = listing.imports
    scan_imports = popular._ImportNames(_FullScan(imports.index._names, imports.index._ranks, None),
                                        imports.spelling, imports.providers)  # fmt: skip
    return _Listing(_FullScan(names, listing.popular._ranks, None), scan_imports)


def _queries(count: int, seed: int) -> list[str]:
    """Names near popular and import names: one to three edits, an affix, a confusable letter."""
    generator = random.Random(seed)
    listing = popular._listing()
    sources = listing.popular._names[:3000] + list(listing.imports.providers)
    found = []
    for _ in range(count):
        name = generator.choice(sources)
        for _ in range(generator.randrange(1, 4)):
            at = generator.randrange(len(name) + 1)
            match generator.choice("sidtap"):
                case "s" if at < len(name):
                    name = name[:at] + generator.choice("abeilo01-") + name[at + 1 :]
                case "i":
                    name = name[:at] + generator.choice("abeilo01-") + name[at:]
                case "d" if len(name) > 2 and at < len(name):
                    name = name[:at] + name[at + 1 :]
                case "t" if at < len(name) - 1:
                    name = name[:at] + name[at + 1] + name[at] + name[at + 2 :]
                case "a":
                    name = generator.choice(["py", "python-", ""]) + name + generator.choice(["-py", "", "kit"])
                case "p":
                    name = name.replace("l", "1").replace("o", "0")
        found.append(name.strip("-") or "x")
    return found


def test_the_indexed_search_finds_what_a_scan_of_every_name_finds() -> None:
    indexed, scanned = popular._listing(), _full_scan_listing()
    for query in [*_queries(150, 25), "p0", "p1234", "sklearnn", "bs44", "yaml2", "dateutill", "cv3"]:
        name = popular._normalise(query)
        assert indexed.similar(name, 10) == scanned.similar(name, 10), query


def test_the_import_name_index_agrees_with_a_full_scan_on_generated_lists() -> None:
    generator = random.Random(7)
    names = sorted({"".join(generator.choice("abcdez19-") for _ in range(generator.randrange(1, 12)))
                    for _ in range(300)})  # fmt: skip
    names = [name for name in names if name.strip("-") == name]
    indexed, scanned = _Popular.from_names(names, indexed=False), _FullScan(names, [], None)
    scanned._ranks = indexed._ranks
    for _ in range(500):
        query = generator.choice(names)
        for _ in range(generator.randrange(1, 4)):
            if not query:
                break
            at = generator.randrange(len(query))
            query = query[:at] + generator.choice(["", "a", "z9", query[at]]) + query[at + 1 :]
        if query:
            assert indexed.similar(query, 50) == scanned.similar(query, 50), query


def _blended_reference(compact: str) -> Derivation | None:
    """popular._blended as it was: every import name tried as the head of the name."""
    imports = popular._listing().imports
    best = None
    for key, providers in imports.providers.items():
        module = imports.spelling.get(key, key)
        module_compact = popular._normalise(module).replace("-", "")
        distribution, rank = providers[0]
        own = distribution.replace("-", "")
        for head, tail in ((module_compact, own), (own, module_compact)):
            for cut in range(2, len(head)):
                rest = compact[cut:]
                if (compact[:cut] == head[:cut] and len(rest) >= 3 and tail.endswith(rest) and rest != tail
                        and compact != head and (best is None or rank < best[2])):
                    spelled = (module, distribution) if head == module_compact else (distribution, module)
                    best = ((compact[:cut], rest), spelled, rank, distribution)
    if best is None:
        return None
    (head, tail), (first, second), rank, distribution = best
    return Derivation(
        f"looks blended from `{first}` and `{second}` (`{head}` + `{tail}`), two names of `{distribution}` "
        f"(#{rank:,} by downloads)", "blended", distribution,
    )  # fmt: skip


def test_blends_are_found_as_by_trying_every_import_name() -> None:
    generator = random.Random(3)
    imports = popular._listing().imports
    queries = ["bssoup4", "sklearnlearn", "scikitlearn", "dateutilpython", "package1234", "p1234"]
    for key, providers in list(imports.providers.items())[:200]:
        distribution = providers[0][0].replace("-", "")
        module = key.replace("-", "")
        cut = generator.randrange(2, max(3, len(module)))
        queries += [module[:cut] + distribution[-generator.randrange(3, 8):], distribution[:cut] + module[-3:]]
    for query in queries:
        assert popular._blended(query) == _blended_reference(query), query


@pytest.mark.parametrize("name", ["p0", "package-1234", "sklearnkit", "requets"])
def test_a_name_is_searched_once(name: str) -> None:
    listing = popular._listing()
    first = popular.similar_popular_names(name)
    assert popular.similar_popular_names(name) is first
    derived = popular.derivation(name)
    assert popular.derivation(name) is derived
    assert listing.derivations[popular._normalise(name)] is derived


def _swapped_reference(compact: str) -> Derivation | None:
    """popular._swapped as it was: every pair of adjacent parts swapped back (cubic in the name's length)."""
    parts, best = popular._compact_names(), None
    for start in range(len(compact)):
        for middle in range(start + 2, len(compact) - 1):
            for end in range(middle + 2, len(compact) + 1):
                first, second = compact[start:middle], compact[middle:end]
                entry = parts.get(compact[:start] + second + first + compact[end:])
                if entry is not None and (best is None or entry[2] < best[1][2]):
                    best = ((second, first), entry)
    if best is None:
        return None
    (left, right), entry = best
    described = popular._described_name(entry)
    return Derivation(f"looks like {described} with `{right}` and `{left}` swapped", "swapped", entry[1])


def test_swaps_are_found_as_by_trying_every_pair_of_parts() -> None:
    # The search only tries cut points inside the prefix and suffix the name shares with a popular name of its
    # length (attack C3: the full search was cubic and one long name stalled the agent's hook).
    generator = random.Random(5)
    names = sorted(popular._compact_names())
    queries = ["plotmatlib", "learnscikit", "aaaaaaaaaa", "requestsrequests"]
    for name in generator.sample(names, 300):
        if len(name) >= 4:
            start = generator.randrange(0, len(name) - 3)
            middle = generator.randrange(start + 2, len(name) - 1)
            end = generator.randrange(middle + 2, len(name) + 1)
            queries.append(name[:start] + name[middle:end] + name[start:middle] + name[end:])
        queries.append(name[::-1])
    for query in queries:
        assert popular._swapped(query, popular._compact_names()) == _swapped_reference(query), query


def test_no_popular_name_comes_near_the_derivation_bound() -> None:
    # popular._DERIVABLE argues that a name longer than it imitates no popular name: keep that true.
    assert max(map(len, popular._compact_names())) * 2 <= popular._DERIVABLE
