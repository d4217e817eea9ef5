"""The base of the package's remaining pure-Python records (the bulk report's: :class:`BulkReport`,
:class:`BulkRowResult`, :class:`BulkRowError`). Every other model is a native class (``clickairtime._native``):
frozen, with the same ``to_dict`` / ``to_json`` / ``from_dict`` / ``meta``."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json as _json
from decimal import Decimal
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    List,
    Mapping,
    Optional,
    Tuple,
    Type,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

from ._dates import parse_datetime

if TYPE_CHECKING:
    from ._native import Meta

M = TypeVar("M", bound="_Model")
T = TypeVar("T")

_HINTS: Dict[type, Dict[str, Any]] = {}


def _hints(cls: type) -> Dict[str, Any]:
    h = _HINTS.get(cls)
    if h is None:
        h = get_type_hints(cls)
        _HINTS[cls] = h
    return h


_Converter = Callable[[Any], Any]


def _to_decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def _list_of(item: Optional[_Converter]) -> _Converter:
    if item is None:
        return list

    def convert(value: Any) -> List[Any]:
        return [None if v is None else item(v) for v in value]

    return convert


def _converter(tp: Any) -> Optional[_Converter]:
    """The conversion of a non-None JSON value to the type the annotation names; ``None`` when it is kept as is.

    A converter may still return ``None`` (a timestamp that does not parse).
    """
    origin = get_origin(tp)
    if origin is Union:
        args = [a for a in get_args(tp) if a is not type(None)]
        return _converter(args[0]) if len(args) == 1 else None
    if origin is list:
        (item,) = get_args(tp)
        return _list_of(_converter(item))
    if tp is Decimal:
        return _to_decimal
    if tp is _dt.datetime:
        return parse_datetime
    if isinstance(tp, type) and issubclass(tp, _Model):
        return tp._from_wire
    if isinstance(tp, type) and hasattr(tp, "from_dict"):
        conv: _Converter = tp.from_dict  # a native model
        return conv
    return None


# How a field is filled when the wire has no value for it (key missing, or null after conversion).
_REQUIRED, _DEFAULT, _FACTORY = 0, 1, 2
_MISSING: Any = object()

#: Per class, resolved once from its fields and type hints: (attribute, wire key, converter, kind, default).
_Plan = Tuple[Tuple[str, str, Optional[_Converter], int, Any], ...]
_PLANS: Dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        if hasattr(cls, "__post_init__"):  # _from_wire builds objects without calling __init__
            raise TypeError(f"{cls.__name__}: a result model must not define __post_init__")
        hints = _hints(cls)
        entries = []
        for f in dataclasses.fields(cls):
            if f.default_factory is not dataclasses.MISSING:
                kind, default = _FACTORY, f.default_factory
            elif f.default is not dataclasses.MISSING:
                kind, default = _DEFAULT, f.default
            else:
                kind, default = _REQUIRED, None
            entries.append((f.name, f.metadata.get("wire", f.name), _converter(hints[f.name]), kind, default))
        plan = tuple(entries)
        _PLANS[cls] = plan
    return plan


def _plain(value: Any) -> Any:
    """A value as JSON-ready data: models as dicts, Decimal as its exact text, datetime/date as ISO 8601."""
    if isinstance(value, _Model) or hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Model:
    """Base of every result: conversion from the core's JSON, repr, to_dict, meta."""

    @classmethod
    def _from_wire(cls: Type[M], data: Mapping[str, Any]) -> M:
        if type(data) is not dict:
            return cls._from_any_mapping(data)
        plan = _PLANS.get(cls) or _plan(cls)
        values: Dict[str, Any] = {}
        get = data.get
        for name, key, conv, kind, default in plan:
            value = get(key, _MISSING)
            if value is _MISSING:
                if kind == _DEFAULT:
                    values[name] = default
                elif kind == _FACTORY:
                    values[name] = default()
                else:
                    return cls._from_any_mapping(data)
                continue
            if value is not None and conv is not None:
                value = conv(value)
            if value is not None or kind == _DEFAULT:
                # a null the API sends for a field with a plain default is kept as None
                values[name] = value
            elif kind == _FACTORY:
                values[name] = default()
            else:
                return cls._from_any_mapping(data)
        # what the frozen dataclass __init__ would do (no __post_init__ on any model), without its per-field
        # object.__setattr__ calls
        obj: M = object.__new__(cls)
        obj.__dict__.update(values)
        return obj

    @classmethod
    def _from_any_mapping(cls: Type[M], data: Mapping[str, Any]) -> M:
        """The plain way, through the dataclass constructor: for a value that is not a dict, and for a required
        field that is missing or null (the constructor raises its usual TypeError)."""
        kwargs: Dict[str, Any] = {}
        for name, key, conv, kind, _default in _plan(cls):
            if key in data:
                value = data[key]
                if value is not None and conv is not None:
                    value = conv(value)
                if value is None and kind != _DEFAULT:
                    continue
                kwargs[name] = value
        return cls(**kwargs)

    @property
    def meta(self) -> Optional[Meta]:
        """Request id, rate limits, pagination and send handles of the call that returned this object."""
        m: Optional[Meta] = self.__dict__.get("_meta")
        return m

    def _with_meta(self: M, meta: Optional[Meta]) -> M:
        object.__setattr__(self, "_meta", meta)
        return self

    def to_dict(self) -> Dict[str, Any]:
        """The fields as a JSON-ready dict: nested results as dicts, amounts (``Decimal``) as their exact decimal
        text (``"12.50"``), times as ISO 8601 text. ``json.dumps(x.to_dict())`` works; ``Model.from_dict(d)``
        reads it back."""
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as JSON text (``kwargs`` go to :func:`json.dumps`, e.g. ``indent=2``)."""
        return _json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls: Type[M], data: Mapping[str, Any]) -> M:
        """Rebuild a result (or an order) from :meth:`to_dict`'s output or the API's JSON: decimal text becomes
        ``Decimal``, ISO 8601 text an aware ``datetime``, nested dicts their models."""
        return cls._from_wire(dict(data))

    def __repr__(self) -> str:
        parts = []
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            v = getattr(self, f.name)
            if v is None or (isinstance(v, (list, dict)) and not v and f.default_factory is not dataclasses.MISSING):
                continue
            parts.append(f"{f.name}={v!r}")
        return f"{type(self).__name__}({', '.join(parts)})"
