# Stubs of the journal models of `clickairtime._native` (src/journal.rs), re-exported by `_native.pyi`.
# Checked against the built module by `mypy.stubtest`.
import datetime as _dt
from typing import Any, ClassVar, Generic, Literal, Mapping, Optional, Tuple, TypeVar, final

from ._native_models import _Model
from ._native_v1 import Transaction
from ._native_v2 import TopUp
from ._types import ErrorCode, SendState

R = TypeVar("R", TopUp, Transaction)

@final
class JournalEntry(_Model, Generic[R]):
    """One send as the journal holds it (``client.pending()``, ``client.journal_entry(reference)``,
    ``Recovery.entry``). ``R`` is :class:`TopUp` for a V2 client, :class:`Transaction` for V1."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        api: Literal["v1", "v2"],
        reference: str,
        state: SendState,
        writes: int,
        request: str,
        created_at: _dt.datetime,
        updated_at: _dt.datetime,
        idempotency_key: Optional[str] = None,
        transaction_id: Optional[str] = None,
        status: Optional[str] = None,
        error_kind: Optional[ErrorCode] = None,
        error_message: Optional[str] = None,
        record: Optional[R] = None,
        last_write_at: Optional[_dt.datetime] = None,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JournalEntry[Any]: ...
    @property
    def api(self) -> Literal["v1", "v2"]: ...
    @property
    def reference(self) -> str: ...
    @property
    def state(self) -> SendState: ...
    @property
    def writes(self) -> int: ...
    @property
    def request(self) -> str: ...
    @property
    def created_at(self) -> _dt.datetime: ...
    @property
    def updated_at(self) -> _dt.datetime: ...
    @property
    def idempotency_key(self) -> Optional[str]: ...
    @property
    def transaction_id(self) -> Optional[str]: ...
    @property
    def status(self) -> Optional[str]: ...
    @property
    def error_kind(self) -> Optional[ErrorCode]: ...
    @property
    def error_message(self) -> Optional[str]: ...
    @property
    def record(self) -> Optional[R]: ...
    @property
    def last_write_at(self) -> Optional[_dt.datetime]: ...
    @property
    def is_open(self) -> bool: ...

@final
class Recovery(_Model, Generic[R]):
    """What ``client.recover()`` did with one open journal entry: ``entry`` after recovery and, when it is now
    sent, ``record``: the verified :class:`TopUp` / :class:`Transaction` (with ``.meta``)."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(self, entry: JournalEntry[R], record: Optional[R] = None) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Recovery[Any]: ...
    @property
    def entry(self) -> JournalEntry[R]: ...
    @property
    def record(self) -> Optional[R]: ...
    @property
    def reference(self) -> str: ...
    @property
    def state(self) -> SendState: ...
    @property
    def transaction_id(self) -> Optional[str]: ...
