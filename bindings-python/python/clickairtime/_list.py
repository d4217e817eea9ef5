"""Lists of results: :class:`ListResult`, a ``list`` that carries the call's ``meta``."""

from __future__ import annotations

import json as _json
from typing import TYPE_CHECKING, Any, List, Optional, TypeVar

if TYPE_CHECKING:
    from ._native import Meta, Pagination

__all__ = ["ListResult"]

T = TypeVar("T")


def _plain(value: Any) -> Any:
    to_dict = getattr(value, "to_dict", None)
    return value if to_dict is None else to_dict()


class ListResult(List[T]):
    """A list of results that also carries the :class:`Meta` of the call (``.meta``, ``.pagination``)."""

    def __init__(self, items: List[T], meta: Optional[Meta] = None) -> None:
        super().__init__(items)
        self.meta = meta

    @property
    def pagination(self) -> Optional[Pagination]:
        return self.meta.pagination if self.meta is not None else None

    def to_list(self) -> List[Any]:
        """The items as JSON-ready dicts (see :meth:`TopUp.to_dict`)."""
        return [_plain(v) for v in self]

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_list` as JSON text."""
        return _json.dumps(self.to_list(), **kwargs)

