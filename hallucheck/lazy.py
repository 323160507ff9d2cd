"""What a module defines at import without paying for it: patterns compiled and records built on first use.

Importing hallucheck costs nothing (docs/how-it-works.md, "Speed"): a commit that adds no import must not pay
for the hundred regular expressions and seventy records the other paths need. Two stand-ins keep the modules'
definitions where they are read:

- ``LazyPattern(source, flags)`` is a regular expression compiled the first time one of its methods is called; from
  then on the compiled pattern's own methods are called directly (they replace the stand-in's on the instance).
- ``record`` is ``dataclasses.dataclass`` applied when the class makes its first instance (by a call, a copy or
  unpickling), not when the module defines it. For type checkers it *is* ``dataclass``. Its fields' ``field(...)``
  is :func:`field`, which does not import ``dataclasses`` either.

Records on the commit path are :class:`Slots` classes instead: making a dataclass costs about a millisecond, and
importing ``dataclasses`` imports ``inspect``. :func:`replace` copies either kind with changes.

tests/test_import_cost.py imports every module and fails on a ``re.compile`` or a dataclass made at import.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, AnyStr, Generic, TypeVar

if TYPE_CHECKING:
    import re

__all__ = ["FrozenSlots", "LazyPattern", "Slots", "field", "record", "replace"]

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern(Generic[AnyStr]):
    """A regular expression compiled on first use; otherwise it is used as the ``re.Pattern`` it stands for."""

    def __init__(self, source: AnyStr, flags: int = 0) -> None:
        self.source: AnyStr = source
        self.flags = flags

    def compiled(self) -> re.Pattern[AnyStr]:
        """The compiled pattern; its methods replace this stand-in's, so later calls cost one attribute lookup."""
        import re

        compiled = re.compile(self.source, self.flags)
        for name in _METHODS:
            setattr(self, name, getattr(compiled, name))
        self.compiled = lambda: compiled  # type: ignore[method-assign]
        return compiled

    @property
    def pattern(self) -> AnyStr:
        return self.source

    def search(self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[AnyStr] | None:
        return self.compiled().search(string, pos, endpos)

    def match(self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[AnyStr] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[AnyStr] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def finditer(self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[AnyStr]]:
        return self.compiled().finditer(string, pos, endpos)

    def findall(self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled().findall(string, pos, endpos)

    def sub(self, repl: AnyStr | Callable[[re.Match[AnyStr]], AnyStr], string: AnyStr, count: int = 0) -> AnyStr:
        return self.compiled().sub(repl, string, count)

    def subn(
        self, repl: AnyStr | Callable[[re.Match[AnyStr]], AnyStr], string: AnyStr, count: int = 0
    ) -> tuple[AnyStr, int]:
        return self.compiled().subn(repl, string, count)

    def split(self, string: AnyStr, maxsplit: int = 0) -> list[AnyStr | Any]:
        return self.compiled().split(string, maxsplit)


class Slots:
    """A base for records on the commit path: ``__slots__`` and a hand-written ``__init__`` whose parameters are
    the slots, so defining one costs nothing and making one costs one call (a dataclass costs about a
    millisecond to define, and ``dataclasses`` imports ``inspect``). Equality, hash and repr come from the
    fields, in their order: ``_fields`` when the class names them (a cache in ``__dict__``, a field that does
    not compare), else ``__slots__``. :func:`replace` makes a changed copy.

    Records are not frozen: the hot path's records are built once and not assigned to afterwards.
    """

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def _names(self) -> tuple[str, ...]:
        names: tuple[str, ...] = type(self)._fields or type(self).__slots__
        return names

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self._names()])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Slots) and type(other) is type(self) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._names())
        return f"{type(self).__name__}({shown})"


class FrozenSlots(Slots):
    """A :class:`Slots` record that refuses assignment: for entries of tables shared by the whole run. Its
    ``__init__`` sets the fields with ``object.__setattr__``."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: {type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: {type(self).__name__} is frozen")


_Record = TypeVar("_Record")


def replace(item: _Record, /, **changes: Any) -> _Record:
    """A copy of ``item`` with ``changes``: a :class:`Slots` record is made again by its ``__init__``, whose
    parameters are named as its slots; anything else goes to ``dataclasses.replace``."""
    if isinstance(item, Slots):
        code = type(item).__init__.__code__
        values = {name: getattr(item, name) for name in code.co_varnames[1 : code.co_argcount]}
        values.update(changes)
        return type(item)(**values)
    import dataclasses

    return dataclasses.replace(item, **changes)  # type: ignore[type-var]


_Class = TypeVar("_Class", bound=type)
_PENDING = "__hallucheck_record__"


def _materialize(cls: type) -> None:
    """Apply ``dataclass`` to ``cls`` and to its pending bases, bases first (a record's fields include theirs)."""
    import dataclasses

    for klass in reversed(cls.__mro__):
        options = klass.__dict__.get(_PENDING)
        if options is None:
            continue
        for name in (_PENDING, "__init__", "__setstate__"):  # dataclass keeps an __init__ the class defines
            delattr(klass, name)
        if not klass.__doc__:  # else dataclass writes one from inspect.signature, which costs more than the rest
            klass.__doc__ = klass.__name__
        for name, value in list(vars(klass).items()):
            if isinstance(value, _Field):
                setattr(klass, name, dataclasses.field(**value.options))
        dataclasses.dataclass(klass, **options)


def _lazy_record(cls: _Class, options: dict[str, Any]) -> _Class:
    """``cls`` with stand-ins for ``__init__`` (a call) and ``__setstate__`` (a copy, unpickling) that make it a
    dataclass first. Not ``__new__``: a ``__new__`` deleted from a class leaves CPython calling ``object.__new__``
    with the constructor's arguments."""
    if options.get("slots") or "__init__" in cls.__dict__ or "__setstate__" in cls.__dict__:
        raise TypeError(f"record: {cls.__name__} defines __init__ or __setstate__, or asks for slots; use dataclass")

    def __init__(self: object, *args: object, **kwargs: object) -> None:
        _materialize(type(self))
        cls.__init__(self, *args, **kwargs)  # type: ignore[misc]

    def __setstate__(self: object, state: dict[str, object] | None) -> None:
        _materialize(type(self))
        if state:
            self.__dict__.update(state)

    setattr(cls, _PENDING, options)
    cls.__init__ = __init__  # type: ignore[misc]
    cls.__setstate__ = __setstate__  # type: ignore[attr-defined]
    return cls


class _Field:
    """``dataclasses.field(**options)`` of a :func:`record`'s field, made when the record is."""

    __slots__ = ("options",)

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options


if TYPE_CHECKING:
    from dataclasses import dataclass as record
    from dataclasses import field
else:

    def field(**options):
        """``dataclasses.field(**options)`` for a :func:`record`, without importing ``dataclasses`` now."""
        return _Field(options)

    def record(cls=None, /, **options):
        """``dataclass(cls, **options)``, done when ``cls`` makes its first instance."""
        if cls is None:
            return lambda cls: _lazy_record(cls, options)
        return _lazy_record(cls, options)
