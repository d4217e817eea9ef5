# Stubs of the native result models of `clickairtime._native` (V1), re-exported by `_native.pyi`.
# Generated from the field tables of the Rust binding; checked against the built module by `mypy.stubtest`.
import datetime as _dt
from decimal import Decimal
from typing import Any, ClassVar, Dict, List, Mapping, Optional, Tuple, final

from ._native_models import _Model
from ._types import ProductType, TransactionState

@final
class TxWallet(_Model):
    """What the wallet was debited for a V1 transaction."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        currency: Optional[str] = None,
        amount: Optional[Decimal] = None,
        fx_rate: Optional[Decimal] = None,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TxWallet: ...
    @property
    def currency(self) -> Optional[str]: ...
    @property
    def amount(self) -> Optional[Decimal]: ...
    @property
    def fx_rate(self) -> Optional[Decimal]: ...

@final
class Provider(_Model):
    """Provider references of a V1 transaction."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        transaction_id: Optional[str] = None,
        reference_code: Optional[str] = None,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Provider: ...
    @property
    def transaction_id(self) -> Optional[str]: ...
    @property
    def reference_code(self) -> Optional[str]: ...

@final
class Transaction(_Model):
    """A V1 transaction: the answer of a send or one record of a lookup."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        state: TransactionState,
        transaction_id: Optional[str] = None,
        status: Optional[bool] = None,
        msisdn: Optional[str] = None,
        network: Optional[str] = None,
        country: Optional[str] = None,
        amount: Optional[Decimal] = None,
        topup_amount: Optional[Decimal] = None,
        effective_amount: Optional[Decimal] = None,
        currency: Optional[str] = None,
        ext_ref_id: Optional[str] = None,
        account_id: Optional[str] = None,
        wallet: Optional[TxWallet] = None,
        provider: Optional[Provider] = None,
        code: Optional[int] = None,
        message: Optional[str] = None,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Transaction: ...
    @property
    def state(self) -> TransactionState: ...
    @property
    def transaction_id(self) -> Optional[str]: ...
    @property
    def status(self) -> Optional[bool]: ...
    @property
    def msisdn(self) -> Optional[str]: ...
    @property
    def network(self) -> Optional[str]: ...
    @property
    def country(self) -> Optional[str]: ...
    @property
    def amount(self) -> Optional[Decimal]: ...
    @property
    def topup_amount(self) -> Optional[Decimal]: ...
    @property
    def effective_amount(self) -> Optional[Decimal]: ...
    @property
    def currency(self) -> Optional[str]: ...
    @property
    def ext_ref_id(self) -> Optional[str]: ...
    @property
    def account_id(self) -> Optional[str]: ...
    @property
    def wallet(self) -> Optional[TxWallet]: ...
    @property
    def provider(self) -> Optional[Provider]: ...
    @property
    def code(self) -> Optional[int]: ...
    @property
    def message(self) -> Optional[str]: ...
    @property
    def delivered_amount(self) -> Optional[Decimal]: ...
    @property
    def is_terminal(self) -> bool: ...
    @property
    def is_success(self) -> bool: ...

@final
class V1TopUpOrder(_Model):
    """A V1 top-up to send, with its ``ext_ref_id`` fixed (``client.prepare_topup(...)``)."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        msisdn: str,
        amount: Optional[Decimal] = None,
        product_id: Optional[int] = None,
        ext_ref_id: Optional[str] = None,
        processing_mode: str = "SYNC",
        send_sms: bool = False,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> V1TopUpOrder: ...
    @property
    def msisdn(self) -> str: ...
    @property
    def amount(self) -> Optional[Decimal]: ...
    @property
    def product_id(self) -> Optional[int]: ...
    @property
    def ext_ref_id(self) -> Optional[str]: ...
    @property
    def processing_mode(self) -> str: ...
    @property
    def send_sms(self) -> bool: ...
    @property
    def reference(self) -> Optional[str]: ...

@final
class Service(_Model):
    """A V1 service (provider) with products for the account."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        service_id: int,
        provider_name: str = "",
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Service: ...
    @property
    def service_id(self) -> int: ...
    @property
    def provider_name(self) -> str: ...

@final
class Product(_Model):
    """A V1 product."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        id: int,
        name: Optional[str] = None,
        product_type: Optional[ProductType] = None,
        amount: Optional[Decimal] = None,
        currency: Optional[str] = None,
        service_id: Optional[str] = None,
        description: Optional[str] = None,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Product: ...
    @property
    def id(self) -> int: ...
    @property
    def name(self) -> Optional[str]: ...
    @property
    def product_type(self) -> Optional[ProductType]: ...
    @property
    def amount(self) -> Optional[Decimal]: ...
    @property
    def currency(self) -> Optional[str]: ...
    @property
    def service_id(self) -> Optional[str]: ...
    @property
    def description(self) -> Optional[str]: ...

@final
class AccountBalance(_Model):
    """Balance of one V1 service account."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        balance: Decimal,
        account_id: Optional[str] = None,
        service_name: Optional[str] = None,
        service_country: Optional[str] = None,
        currency: Optional[str] = None,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AccountBalance: ...
    @property
    def balance(self) -> Decimal: ...
    @property
    def account_id(self) -> Optional[str]: ...
    @property
    def service_name(self) -> Optional[str]: ...
    @property
    def service_country(self) -> Optional[str]: ...
    @property
    def currency(self) -> Optional[str]: ...
