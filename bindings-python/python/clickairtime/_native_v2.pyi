# Stubs of the native result models of `clickairtime._native` (V2), re-exported by `_native.pyi`.
# Generated from the field tables of the Rust binding; checked against the built module by `mypy.stubtest`.
import datetime as _dt
from decimal import Decimal
from typing import Any, ClassVar, Dict, List, Mapping, Optional, Tuple, final

from ._native_models import _Model
from ._types import BundleType, EventType, TopUpStatus, WalletStatus, WalletType

@final
class Network(_Model):
    """A mobile network operator."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        id: int,
        name: str = "",
        country: Optional[str] = None,
        country_code: Optional[str] = None,
        currency: Optional[str] = None,
        logo_url: Optional[str] = None,
        product_count: Optional[int] = None,
        supports_custom_airtime: Optional[bool] = None,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Network: ...
    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def country(self) -> Optional[str]: ...
    @property
    def country_code(self) -> Optional[str]: ...
    @property
    def currency(self) -> Optional[str]: ...
    @property
    def logo_url(self) -> Optional[str]: ...
    @property
    def product_count(self) -> Optional[int]: ...
    @property
    def supports_custom_airtime(self) -> Optional[bool]: ...

@final
class ExchangeRate(_Model):
    """Exchange rate between the wallet (USD) and the local currency."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        source_currency: Optional[str] = None,
        destination_currency: Optional[str] = None,
        rate: Optional[Decimal] = None,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ExchangeRate: ...
    @property
    def source_currency(self) -> Optional[str]: ...
    @property
    def destination_currency(self) -> Optional[str]: ...
    @property
    def rate(self) -> Optional[Decimal]: ...

@final
class CustomAirtime(_Model):
    """Free-amount airtime limits of a network."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        available: bool = False,
        min_amount_local: Optional[Decimal] = None,
        max_amount_local: Optional[Decimal] = None,
        local_currency: Optional[str] = None,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CustomAirtime: ...
    @property
    def available(self) -> bool: ...
    @property
    def min_amount_local(self) -> Optional[Decimal]: ...
    @property
    def max_amount_local(self) -> Optional[Decimal]: ...
    @property
    def local_currency(self) -> Optional[str]: ...

@final
class Bundle(_Model):
    """A fixed bundle (data, airtime …) with a price."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        id: str,
        name: str = "",
        bundle_type: BundleType = "DATA",
        price_usd: Optional[Decimal] = None,
        local_value: Optional[str] = None,
        local_amount: Optional[Decimal] = None,
        local_currency: Optional[str] = None,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Bundle: ...
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def bundle_type(self) -> BundleType: ...
    @property
    def price_usd(self) -> Optional[Decimal]: ...
    @property
    def local_value(self) -> Optional[str]: ...
    @property
    def local_amount(self) -> Optional[Decimal]: ...
    @property
    def local_currency(self) -> Optional[str]: ...

@final
class Products(_Model):
    """Products of a network."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        custom_airtime: Optional[CustomAirtime] = None,
        fixed_bundles: List[Bundle] = ...,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Products: ...
    @property
    def custom_airtime(self) -> Optional[CustomAirtime]: ...
    @property
    def fixed_bundles(self) -> List[Bundle]: ...

@final
class Catalog(_Model):
    """Answer of a lookup or a products query: the network, its rate and its products."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        network: Network,
        phone_number: Optional[str] = None,
        exchange_rate: Optional[ExchangeRate] = None,
        products: Products = ...,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Catalog: ...
    @property
    def network(self) -> Network: ...
    @property
    def phone_number(self) -> Optional[str]: ...
    @property
    def exchange_rate(self) -> Optional[ExchangeRate]: ...
    @property
    def products(self) -> Products: ...

@final
class Country(_Model):
    """A supported country."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        country_code: Optional[str] = None,
        name: Optional[str] = None,
        currency: Optional[str] = None,
        networks: List[Network] = ...,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Country: ...
    @property
    def country_code(self) -> Optional[str]: ...
    @property
    def name(self) -> Optional[str]: ...
    @property
    def currency(self) -> Optional[str]: ...
    @property
    def networks(self) -> List[Network]: ...

@final
class Money(_Model):
    """An exact amount with its currency."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        value: Decimal,
        currency: str = "",
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Money: ...
    @property
    def value(self) -> Decimal: ...
    @property
    def currency(self) -> str: ...

@final
class NetworkRef(_Model):
    """The network of a top-up."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        id: int,
        name: Optional[str] = None,
        country: Optional[str] = None,
        country_code: Optional[str] = None,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NetworkRef: ...
    @property
    def id(self) -> int: ...
    @property
    def name(self) -> Optional[str]: ...
    @property
    def country(self) -> Optional[str]: ...
    @property
    def country_code(self) -> Optional[str]: ...

@final
class Sms(_Model):
    """SMS notification settings of a top-up."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        enabled: bool = False,
        message: Optional[str] = None,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Sms: ...
    @property
    def enabled(self) -> bool: ...
    @property
    def message(self) -> Optional[str]: ...

@final
class TopUp(_Model):
    """A V2 top-up transaction."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        id: str,
        status: TopUpStatus,
        phone_number: Optional[str] = None,
        network: Optional[NetworkRef] = None,
        amount: Optional[Money] = None,
        cost: Optional[Money] = None,
        product_id: Optional[str] = None,
        product_name: Optional[str] = None,
        sms: Optional[Sms] = None,
        reference: Optional[str] = None,
        provider_reference: Optional[str] = None,
        failure_reason: Optional[str] = None,
        metadata: Optional[Dict[str, Any]] = None,
        created_at: Optional[_dt.datetime] = None,
        completed_at: Optional[_dt.datetime] = None,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TopUp: ...
    @property
    def id(self) -> str: ...
    @property
    def status(self) -> TopUpStatus: ...
    @property
    def phone_number(self) -> Optional[str]: ...
    @property
    def network(self) -> Optional[NetworkRef]: ...
    @property
    def amount(self) -> Optional[Money]: ...
    @property
    def cost(self) -> Optional[Money]: ...
    @property
    def product_id(self) -> Optional[str]: ...
    @property
    def product_name(self) -> Optional[str]: ...
    @property
    def sms(self) -> Optional[Sms]: ...
    @property
    def reference(self) -> Optional[str]: ...
    @property
    def provider_reference(self) -> Optional[str]: ...
    @property
    def failure_reason(self) -> Optional[str]: ...
    @property
    def metadata(self) -> Optional[Dict[str, Any]]: ...
    @property
    def created_at(self) -> Optional[_dt.datetime]: ...
    @property
    def completed_at(self) -> Optional[_dt.datetime]: ...
    @property
    def is_terminal(self) -> bool: ...
    @property
    def is_success(self) -> bool: ...

@final
class AvailableBalance(_Model):
    """Total across wallets, in USD."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        amount: Decimal,
        currency: str = "",
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AvailableBalance: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def currency(self) -> str: ...

@final
class Wallet(_Model):
    """One wallet."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        id: str,
        balance: Decimal,
        currency: str = "",
        wallet_type: WalletType = "global",
        status: WalletStatus = "active",
        allowed_countries: List[str] = ...,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Wallet: ...
    @property
    def id(self) -> str: ...
    @property
    def balance(self) -> Decimal: ...
    @property
    def currency(self) -> str: ...
    @property
    def wallet_type(self) -> WalletType: ...
    @property
    def status(self) -> WalletStatus: ...
    @property
    def allowed_countries(self) -> List[str]: ...

@final
class Balance(_Model):
    """Every wallet and the USD total."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        available_balance: Optional[AvailableBalance] = None,
        wallets: List[Wallet] = ...,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Balance: ...
    @property
    def available_balance(self) -> Optional[AvailableBalance]: ...
    @property
    def wallets(self) -> List[Wallet]: ...

@final
class TopUpOrder(_Model):
    """A V2 top-up to send, with its handles fixed (``client.topups.prepare(...)``); persist it, then ``create(order)``."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        phone_number: str,
        network_id: int,
        amount: Optional[Decimal] = None,
        currency: Optional[str] = None,
        product_id: Optional[str] = None,
        sms: Optional[bool] = None,
        sms_message: Optional[str] = None,
        reference: Optional[str] = None,
        callback_url: Optional[str] = None,
        metadata: Optional[Dict[str, Any]] = None,
        idempotency_key: Optional[str] = None,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TopUpOrder: ...
    @property
    def phone_number(self) -> str: ...
    @property
    def network_id(self) -> int: ...
    @property
    def amount(self) -> Optional[Decimal]: ...
    @property
    def currency(self) -> Optional[str]: ...
    @property
    def product_id(self) -> Optional[str]: ...
    @property
    def sms(self) -> Optional[bool]: ...
    @property
    def sms_message(self) -> Optional[str]: ...
    @property
    def reference(self) -> Optional[str]: ...
    @property
    def callback_url(self) -> Optional[str]: ...
    @property
    def metadata(self) -> Optional[Dict[str, Any]]: ...
    @property
    def idempotency_key(self) -> Optional[str]: ...

@final
class WebhookEvent(_Model):
    """A parsed webhook delivery."""

    __match_args__: ClassVar[Tuple[str, ...]]
    def __init__(
        self,
        event_type: EventType,
        id: Optional[str] = None,
        timestamp: Optional[str] = None,
        topup: Optional[TopUp] = None,
        data: Any = None,
    ) -> None: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WebhookEvent: ...
    @property
    def event_type(self) -> EventType: ...
    @property
    def id(self) -> Optional[str]: ...
    @property
    def timestamp(self) -> Optional[str]: ...
    @property
    def topup(self) -> Optional[TopUp]: ...
    @property
    def data(self) -> Any: ...
