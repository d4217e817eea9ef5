# Stubs of the PyO3 module `clickairtime._native` (src/lib.rs). Checked against the built module by
# `mypy.stubtest` in scripts/test-python.sh. Results are the native model classes (their stubs:
# `_native_models.pyi`, `_native_v2.pyi`, `_native_v1.pyi`); lists come as `(items, meta)`.
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, final

from ._native_journal import JournalEntry as JournalEntry
from ._native_journal import Recovery as Recovery
from ._native_models import Meta as Meta
from ._native_models import Pagination as Pagination
from ._native_models import RateLimit as RateLimit
from ._native_models import _Model as _Model
from ._native_v1 import AccountBalance as AccountBalance
from ._native_v1 import Product as Product
from ._native_v1 import Provider as Provider
from ._native_v1 import Service as Service
from ._native_v1 import Transaction as Transaction
from ._native_v1 import TxWallet as TxWallet
from ._native_v1 import V1TopUpOrder as V1TopUpOrder
from ._native_v2 import AvailableBalance as AvailableBalance
from ._native_v2 import Balance as Balance
from ._native_v2 import Bundle as Bundle
from ._native_v2 import Catalog as Catalog
from ._native_v2 import Country as Country
from ._native_v2 import CustomAirtime as CustomAirtime
from ._native_v2 import ExchangeRate as ExchangeRate
from ._native_v2 import Money as Money
from ._native_v2 import Network as Network
from ._native_v2 import NetworkRef as NetworkRef
from ._native_v2 import Products as Products
from ._native_v2 import Sms as Sms
from ._native_v2 import TopUp as TopUp
from ._native_v2 import TopUpOrder as TopUpOrder
from ._native_v2 import Wallet as Wallet
from ._native_v2 import WebhookEvent as WebhookEvent

__version__: str


@final
class V2Client:
    def __new__(
        cls,
        api_key: str,
        *,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        read_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        retry_base_delay: Optional[float] = None,
        max_retry_delay: Optional[float] = None,
        max_retry_after: Optional[float] = None,
        send_deadline: Optional[float] = None,
        proxy: Optional[str] = None,
        proxy_from_env: Optional[bool] = None,
        ca_certificates_pem: Optional[bytes] = None,
        user_agent_suffix: Optional[str] = None,
        max_idle_connections_per_host: Optional[int] = None,
        journal: Optional[str] = None,
        convergence_bound: Optional[float] = None,
        rate_limit_per_minute: Optional[int] = None,
        rate_limit_per_hour: Optional[int] = None,
    ) -> V2Client: ...
    @property
    def base_url(self) -> str: ...
    def last_rate_limit(self) -> Optional[RateLimit]: ...
    def catalog_lookup(self, phone_number: Optional[str] = None, network_id: Optional[int] = None) -> Catalog: ...
    def catalog_countries(self) -> Tuple[List[Country], Meta]: ...
    def catalog_networks(self, country_code: Optional[str] = None) -> Tuple[List[Network], Meta]: ...
    def catalog_products(self, network_id: int) -> Catalog: ...
    def topups_prepare(
        self,
        phone_number: str,
        network_id: int,
        *,
        amount: Optional[str] = None,
        currency: Optional[str] = None,
        product_id: Optional[str] = None,
        sms: Optional[bool] = None,
        sms_message: Optional[str] = None,
        reference: Optional[str] = None,
        callback_url: Optional[str] = None,
        metadata_json: Optional[str] = None,
        idempotency_key: Optional[str] = None,
    ) -> TopUpOrder: ...
    def topups_create(
        self,
        phone_number: str,
        network_id: int,
        *,
        amount: Optional[str] = None,
        currency: Optional[str] = None,
        product_id: Optional[str] = None,
        sms: Optional[bool] = None,
        sms_message: Optional[str] = None,
        reference: Optional[str] = None,
        callback_url: Optional[str] = None,
        metadata_json: Optional[str] = None,
        idempotency_key: Optional[str] = None,
        cancel: Optional[NativeCancel] = None,
    ) -> TopUp: ...
    def topups_get(self, id: str) -> TopUp: ...
    def topups_list(
        self,
        *,
        page: Optional[int] = None,
        per_page: Optional[int] = None,
        status: Optional[str] = None,
        phone_number: Optional[str] = None,
        reference: Optional[str] = None,
        from_: Optional[str] = None,
        to: Optional[str] = None,
        sort: Optional[str] = None,
    ) -> Tuple[List[TopUp], Meta]: ...
    def topups_list_all(
        self,
        *,
        page: Optional[int] = None,
        per_page: Optional[int] = None,
        status: Optional[str] = None,
        phone_number: Optional[str] = None,
        reference: Optional[str] = None,
        from_: Optional[str] = None,
        to: Optional[str] = None,
        sort: Optional[str] = None,
        cancel: Optional[NativeCancel] = None,
    ) -> TopUpIter: ...
    def topups_reconcile(self, reference: str) -> Optional[TopUp]: ...
    def topups_wait(
        self,
        id: str,
        *,
        deadline: Optional[float] = None,
        initial_interval: Optional[float] = None,
        max_interval: Optional[float] = None,
        not_found_grace: Optional[float] = None,
        cancel: Optional[NativeCancel] = None,
    ) -> TopUp: ...
    def topups_wait_steps(
        self,
        id: str,
        *,
        deadline: Optional[float] = None,
        initial_interval: Optional[float] = None,
        max_interval: Optional[float] = None,
        not_found_grace: Optional[float] = None,
        cancel: Optional[NativeCancel] = None,
    ) -> NativeWait: ...
    def bulk(
        self,
        source_name: str,
        data: bytes,
        *,
        concurrency: int = 4,
        on_progress: Optional[Callable[[Dict[str, Any], int, int], Any]] = None,
        cancel: Optional[NativeCancel] = None,
    ) -> Dict[str, Any]: ...
    def balance_list(self) -> Balance: ...
    def balance_get(self, wallet_id: str) -> Wallet: ...
    def verify_webhook(self, body: bytes, signature: str, timestamp: str) -> WebhookEvent: ...
    def pending(self) -> List[JournalEntry[TopUp]]: ...
    def journal_entry(self, reference: str) -> Optional[JournalEntry[TopUp]]: ...
    def recover(self) -> List[Recovery[TopUp]]: ...

@final
class TopUpIter:
    def __iter__(self) -> Iterator[TopUp]: ...
    def __next__(self) -> TopUp: ...

@final
class V1Client:
    def __new__(
        cls,
        email: str,
        token: str,
        *,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        read_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        retry_base_delay: Optional[float] = None,
        max_retry_delay: Optional[float] = None,
        max_retry_after: Optional[float] = None,
        send_deadline: Optional[float] = None,
        proxy: Optional[str] = None,
        proxy_from_env: Optional[bool] = None,
        ca_certificates_pem: Optional[bytes] = None,
        user_agent_suffix: Optional[str] = None,
        max_idle_connections_per_host: Optional[int] = None,
        topup_path: Optional[str] = None,
        journal: Optional[str] = None,
        convergence_bound: Optional[float] = None,
        rate_limit_per_minute: Optional[int] = None,
        rate_limit_per_hour: Optional[int] = None,
    ) -> V1Client: ...
    @property
    def base_url(self) -> str: ...
    def last_rate_limit(self) -> Optional[RateLimit]: ...
    def prepare_topup(
        self,
        msisdn: str,
        *,
        amount: Optional[str] = None,
        product_id: Optional[int] = None,
        ext_ref_id: Optional[str] = None,
        processing_mode: Optional[str] = None,
        send_sms: bool = False,
    ) -> V1TopUpOrder: ...
    def send_topup(
        self,
        msisdn: str,
        *,
        amount: Optional[str] = None,
        product_id: Optional[int] = None,
        ext_ref_id: Optional[str] = None,
        processing_mode: Optional[str] = None,
        send_sms: bool = False,
        cancel: Optional[NativeCancel] = None,
    ) -> Transaction: ...
    def transactions(
        self, *, transaction_id: Optional[str] = None, msisdn: Optional[str] = None, ext_ref_id: Optional[str] = None
    ) -> Tuple[List[Transaction], Meta]: ...
    def reconcile(self, ext_ref_id: str) -> Optional[Transaction]: ...
    def wait(
        self,
        ext_ref_id: str,
        *,
        deadline: Optional[float] = None,
        initial_interval: Optional[float] = None,
        max_interval: Optional[float] = None,
        not_found_grace: Optional[float] = None,
        cancel: Optional[NativeCancel] = None,
    ) -> Transaction: ...
    def wait_steps(
        self,
        ext_ref_id: str,
        *,
        deadline: Optional[float] = None,
        initial_interval: Optional[float] = None,
        max_interval: Optional[float] = None,
        not_found_grace: Optional[float] = None,
        cancel: Optional[NativeCancel] = None,
    ) -> NativeWait: ...
    def bulk(
        self,
        source_name: str,
        data: bytes,
        *,
        concurrency: int = 4,
        on_progress: Optional[Callable[[Dict[str, Any], int, int], Any]] = None,
        cancel: Optional[NativeCancel] = None,
    ) -> Dict[str, Any]: ...
    def product_catalog(self) -> Tuple[List[Service], Meta]: ...
    def products(self, service_id: int) -> Tuple[List[Product], Meta]: ...
    def product(self, product_id: int) -> Product: ...
    def balances(self) -> Tuple[List[AccountBalance], Meta]: ...
    def balance(self, account_id: str) -> AccountBalance: ...
    def pending(self) -> List[JournalEntry[Transaction]]: ...
    def journal_entry(self, ext_ref_id: str) -> Optional[JournalEntry[Transaction]]: ...
    def recover(self) -> List[Recovery[Transaction]]: ...

@final
class NativeCancel:
    def __new__(cls) -> NativeCancel: ...
    def cancel(self) -> None: ...
    @property
    def cancelled(self) -> bool: ...

@final
class NativeWait:
    def step(self) -> Tuple[bool, Any]: ...

@final
class NativeSandbox:
    def __new__(
        cls,
        *,
        port: int = 0,
        api_key: Optional[str] = None,
        v1_email: Optional[str] = None,
        v1_token: Optional[str] = None,
        processing_after: Optional[float] = None,
        complete_after: Optional[float] = None,
        slow_delay: Optional[float] = None,
        duplicate_window: Optional[float] = None,
        rate_limit_per_minute: Optional[int] = None,
        duplicate_mode: Optional[str] = None,
        idempotency_mode: Optional[str] = None,
        v1_duplicate_window: Optional[float] = None,
    ) -> NativeSandbox: ...
    @property
    def base_url(self) -> str: ...
    @property
    def port(self) -> int: ...
    @property
    def api_key(self) -> str: ...
    @property
    def v1_email(self) -> str: ...
    @property
    def v1_token(self) -> str: ...
    @property
    def running(self) -> bool: ...
    def inject(
        self,
        fault: str,
        *,
        count: int = 1,
        skip: int = 0,
        method: Optional[str] = None,
        path: Optional[str] = None,
        delay: Optional[float] = None,
        retry_after: Optional[int] = None,
    ) -> None: ...
    def configure(
        self,
        *,
        duplicate_mode: Optional[str] = None,
        duplicate_window: Optional[float] = None,
        idempotency_mode: Optional[str] = None,
        v1_duplicate_window: Optional[float] = None,
    ) -> Dict[str, Any]: ...
    def config(self) -> Dict[str, Any]: ...
    def stats(self) -> Dict[str, Any]: ...
    def transactions(self) -> Dict[str, Any]: ...
    def webhook_deliveries(self) -> Dict[str, Any]: ...
    def reset(self) -> None: ...
    def shutdown(self) -> None: ...

def webhook_verify(body: bytes, signature: str, timestamp: str, api_key: str, tolerance: Optional[float] = None) -> None: ...
def webhook_parse(body: bytes) -> WebhookEvent: ...
def webhook_sign(body: bytes, timestamp: str, api_key: str) -> str: ...
def to_e164(number: str, country: Optional[str] = None) -> str: ...
def bulk_check(api: str, source_name: str, data: bytes) -> Dict[str, Any]: ...
def cli_main(argv: List[str]) -> int: ...
def to_msisdn(number: str) -> str: ...
def parse_amount(field: str, text: str) -> str: ...
def topup_status_info(status: str) -> Tuple[str, bool, bool]: ...
def transaction_state_info(state: str) -> Tuple[str, bool, bool]: ...
def error_codes() -> List[str]: ...
def is_definitely_not_sent(code: str) -> Optional[bool]: ...
def new_reference() -> str: ...
def idempotency_key_for(reference: str) -> str: ...
def set_log_forwarding(enabled: bool) -> None: ...
def _set_test_panic(mode: Optional[str] = None) -> None: ...
