// The point-of-sale example in C++17: the C API with RAII owners (std::unique_ptr + the library's *_free
// functions), so every handle is released on every path. Same flow as examples/c/pos.c: a crash-safe sales
// journal, earlier sales settled at start-up, the number looked up, the top-up sent once with the receipt
// number as reference, the outcome waited for, and for every result a message that is TRUE (a cashier reads
// it aloud).
//
//     pos-cpp [phone] [amount] [receipt]      (runs against the sandbox embedded in libclickairtime)
//
// The number is taken as the customer says it ("054 111 2259" in the till's country, POS_COUNTRY, default GH);
// Ctrl-C while waiting stops watching (a cancel token fired from the SIGINT handler): the sale stands.
//
// Environment: POS_JOURNAL (default pos-journal.sqlite here); for demonstrations POS_WAIT_MS (default 60000)
// and POS_SEND_DEADLINE_MS (default 120000).
#include "clickairtime.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace {

// Ctrl-C: stop watching the sale (the wait ends CA_ERR_CANCELLED; the sale itself stands)
ca_cancel *stop_waiting = nullptr;

void on_sigint(int) {
#if defined(_WIN32)
    std::signal(SIGINT, on_sigint);  // Windows restores the default before calling a handler: re-arm
#endif
    ca_cancel_cancel(stop_waiting);  // async-signal-safe: one atomic store
}

template <typename T, void (*Free)(T *)>
struct Deleter {
    void operator()(T *p) const noexcept { Free(p); }
};
template <typename T, void (*Free)(T *)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

using Sandbox = Owned<ca_sandbox, ca_sandbox_free>;
using Options = Owned<ca_client_options, ca_client_options_free>;
using Client = Owned<ca_v2_client, ca_v2_client_free>;
using Catalog = Owned<ca_catalog, ca_catalog_free>;
using Request = Owned<ca_v2_topup_request, ca_v2_topup_request_free>;
using TopUp = Owned<ca_topup, ca_topup_free>;
using Journal = Owned<ca_journal_list, ca_journal_list_free>;
using Error = Owned<ca_error, ca_error_free>;
using Cancel = Owned<ca_cancel, ca_cancel_free>;

// Calls a C function that reports failure through `ca_error **`, keeping the error.
class Call {
  public:
    template <typename F>
    bool operator()(F &&f) {
        ca_error *raw = nullptr;
        rc_ = f(&raw);
        err_.reset(raw);
        return rc_ == CA_OK;
    }
    ca_result rc() const { return rc_; }
    const ca_error *err() const { return err_.get(); }

  private:
    ca_result rc_ = CA_OK;
    Error err_;
};

std::string str(const char *s) { return s ? s : "-"; }

unsigned long long env_ms(const char *name, unsigned long long dflt) {
    const char *v = std::getenv(name);
    return v && *v ? std::strtoull(v, nullptr, 10) : dflt;
}

// Why nothing was sold, for a result that proves it. Returns the exit code.
int nothing_sold(const Call &call) {
    const ca_error *e = call.err();
    std::printf("\n*** NOTHING WAS SOLD ***\n");
    switch (call.rc()) {
    case CA_ERR_INVALID_INPUT:
        std::printf("Nothing was sold: check the %s (%s).\n", str(ca_error_field(e)).c_str(), ca_error_message(e));
        return 2;
    case CA_ERR_INVALID_RECIPIENT:
        std::printf("Nothing was sold: the operator refused the number. Ask the customer to check it.\n");
        return 2;
    case CA_ERR_INSUFFICIENT_BALANCE:
        std::printf("Nothing was sold: airtime float too low. Call your supervisor. The customer was not charged.\n");
        return 3;
    case CA_ERR_DELIVERY_FAILED:
        std::printf("Nothing was sold: the operator could not deliver. The customer may try again.\n");
        return 3;
    case CA_ERR_RATE_LIMITED:
        if (ca_error_has_retry_after(e))
            std::printf("Nothing was sold: too many sales right now. Wait %llu seconds and sell again (same receipt).\n",
                        static_cast<unsigned long long>((ca_error_retry_after_ms(e) + 999) / 1000));
        else
            std::printf("Nothing was sold: too many sales right now. Wait a minute and sell again (same receipt).\n");
        return 4;
    case CA_ERR_AUTHENTICATION:
    case CA_ERR_PERMISSION_DENIED:
        std::printf("Nothing was sold: this till is not authorised. Call support.\n");
        return 5;
    case CA_ERR_CONNECTION:
    case CA_ERR_TIMEOUT:
    case CA_ERR_TLS:
        std::printf("Nothing was sold: no connection to Click Airtime (%s). Sell again when it is back (same receipt).\n",
                    ca_error_message(e));
        return 7;
    case CA_ERR_JOURNAL:
        std::printf("Nothing was sold: the sales journal cannot be written (%s). Fix it before selling.\n",
                    ca_error_message(e));
        return 7;
    default:
        std::printf("Nothing was sold: %s (%s).\n", ca_error_message(e), ca_result_name(call.rc()));
        return 8;
    }
}

// What the cashier is told when a send did not end in a sale. Returns the exit code.
int explain_send(const Call &call, const std::string &receipt) {
    const ca_error *e = call.err();
    switch (call.rc()) {
    case CA_ERR_DUPLICATE_SALE:
        std::printf("\n*** NOTHING WAS SOLD FOR RECEIPT %s ***\n", receipt.c_str());
        std::printf("The API refused it as a repeat of sale %s (transaction %s): same number, same amount, moments "
                    "ago.\nCheck whether the customer already received that top-up before selling again.\n",
                    str(ca_error_existing_reference(e)).c_str(), str(ca_error_transaction_id(e)).c_str());
        return 9;
    case CA_ERR_REFERENCE_CONFLICT:
        std::printf("\n*** NOTHING WAS SOLD FOR RECEIPT %s ***\n", receipt.c_str());
        std::printf("This receipt number already belongs to another sale (%s, transaction %s).\n"
                    "Sell it under a new receipt number.\n",
                    str(ca_error_existing_reference(e)).c_str(), str(ca_error_transaction_id(e)).c_str());
        return 9;
    default:
        if (ca_result_proves_not_sent(call.rc())) return nothing_sold(call);
        // CA_ERR_OUTCOME_UNKNOWN, CA_ERR_PANIC, anything not proven: it may have gone through
        std::printf("\n*** SALE STATUS UNKNOWN: RECEIPT %s ***\n", receipt.c_str());
        std::printf("It may have gone through. Do NOT sell it again and do NOT refund.\n");
        std::printf("It is in the sales journal and will be checked at the next start-up (reference %s).\n",
                    ca_error_reference(e) ? ca_error_reference(e) : receipt.c_str());
        if (ca_error_cause_kind(e) != CA_OK)
            std::printf("(for support: %s, %s)\n", ca_result_name(ca_error_cause_kind(e)), ca_error_message(e));
        return 6;
    }
}

// Settle what the journal holds open (a crash, a lost answer) and say what became of each sale.
void recover_at_startup(const ca_v2_client *client) {
    Call call;
    ca_journal_list *raw = nullptr;
    if (!call([&](ca_error **e) { return ca_v2_client_recover(client, &raw, e); })) {
        std::printf("Earlier sales could not be checked now (%s); they stay in the journal.\n",
                    ca_error_message(call.err()));
        return;
    }
    Journal settled(raw);
    for (size_t i = 0; i < ca_journal_list_count(settled.get()); i++) {
        const ca_journal_entry *e = ca_journal_list_get(settled.get(), i);
        const std::string state = ca_journal_entry_state(e);
        const char *ref = ca_journal_entry_reference(e);
        if (state == "sent") {
            const ca_topup *t = ca_journal_entry_topup(e);
            std::printf("Earlier sale %s: SOLD (transaction %s, %s).\n", ref, ca_journal_entry_transaction_id(e),
                        t ? ca_topup_status(t) : str(ca_journal_entry_status(e)).c_str());
        } else if (state == "not_sent") {
            std::printf("Earlier sale %s: NOT sold (it never reached Click Airtime). It may be sold again.\n", ref);
        } else if (state == "refused") {
            std::printf("Earlier sale %s: NOT sold (refused: another sale, transaction %s, holds it).\n", ref,
                        str(ca_journal_entry_transaction_id(e)).c_str());
        } else {
            std::printf("Earlier sale %s: still UNKNOWN. Do NOT sell it again; it is checked again at the next start.\n",
                        ref);
        }
    }
    if (ca_journal_list_count(settled.get()) == 0) std::printf("No earlier sale left open.\n");
}

void print_receipt(const ca_topup *t, const std::string &receipt, const char *status = nullptr) {
    std::printf("\n======== AIRTIME RECEIPT ========\n");
    std::printf("Receipt      %s\n", receipt.c_str());
    std::printf("Number       %s\n", str(ca_topup_phone_number(t)).c_str());
    std::printf("Amount       %s %s\n", str(ca_topup_amount(t)).c_str(), str(ca_topup_amount_currency(t)).c_str());
    std::printf("Charged      %s %s\n", str(ca_topup_cost(t)).c_str(), str(ca_topup_cost_currency(t)).c_str());
    std::printf("Status       %s\n", status ? status : ca_topup_status(t));
    std::printf("Transaction  %s\n", ca_topup_id(t));
    std::printf("Reference    %s\n", str(ca_topup_reference(t)).c_str());
    std::printf("=================================\n");
}

// The end of a sale that exists. Returns the exit code.
int finish(const ca_topup *t, const std::string &receipt) {
    if (ca_topup_is_success(t)) {
        std::printf("SOLD: the airtime was delivered.\n");
        return 0;
    }
    if (ca_topup_is_terminal(t)) {
        std::printf("NOT DELIVERED: the operator could not deliver (%s); the customer was not topped up.\n"
                    "Refund the customer, or sell again under a NEW receipt number (receipt %s is used).\n",
                    str(ca_topup_failure_reason(t)).c_str(), receipt.c_str());
        return 3;
    }
    std::printf("SOLD: the top-up was created and is on its way (%s). Tell the customer; check receipt %s later.\n",
                ca_topup_status(t), receipt.c_str());
    return 0;
}

}  // namespace

int main(int argc, char **argv) {
    const std::string typed = argc > 1 ? argv[1] : "+233541112259";
    const char *env_country = std::getenv("POS_COUNTRY");
    const std::string country = env_country && *env_country ? env_country : "GH";
    const std::string amount = argc > 2 ? argv[2] : "20";
    const std::string receipt = argc > 3 ? argv[3] : "R-0001";
    const char *env_journal = std::getenv("POS_JOURNAL");
    const std::string journal = env_journal && *env_journal ? env_journal : "pos-journal.sqlite";
    Call call;

    ca_cancel *cancel_raw = nullptr;
    if (!call([&](ca_error **e) { return ca_cancel_new(&cancel_raw, e); })) return 1;
    Cancel cancel(cancel_raw);
    stop_waiting = cancel.get();
    std::signal(SIGINT, on_sigint);
    struct Restore {  // the handler must not outlive the token; a late Ctrl-C must not cut off the receipt
        ~Restore() {
            std::signal(SIGINT, SIG_IGN);
            stop_waiting = nullptr;
        }
    } restore;

    // 1. the embedded sandbox stands in for https://api.clickairtime.com; the journal is the till's own
    ca_sandbox *sb_raw = nullptr;
    ca_client_options *opt_raw = nullptr;
    if (!call([&](ca_error **e) { return ca_sandbox_start(&sb_raw, e); })) return 1;
    Sandbox sandbox(sb_raw);
    if (!call([&](ca_error **e) { return ca_client_options_new(&opt_raw, e); })) return 1;
    Options options(opt_raw);
    if (!call([&](ca_error **e) { return ca_client_options_set_base_url(options.get(), ca_sandbox_base_url(sandbox.get()), e); }) ||
        !call([&](ca_error **e) { return ca_client_options_set_journal(options.get(), journal.c_str(), e); }) ||
        !call([&](ca_error **e) {
            return ca_client_options_set_send_deadline_ms(options.get(), env_ms("POS_SEND_DEADLINE_MS", 120000), e);
        }))
        return 1;

    ca_v2_client *client_raw = nullptr;
    if (!call([&](ca_error **e) { return ca_v2_client_new(ca_sandbox_api_key(sandbox.get()), options.get(), &client_raw, e); })) {
        if (call.rc() == CA_ERR_JOURNAL)
            std::printf("The sales journal %s cannot be opened: %s\nNothing was sold. Fix it before selling.\n",
                        journal.c_str(), ca_error_message(call.err()));
        return 1;
    }
    Client client(client_raw);

    // 2. at start-up: settle what a crash or a lost answer left open, and say so
    recover_at_startup(client.get());

    // 3. the number as the customer said it, in E.164; which network, which currency (a lookup sells nothing)
    char e164[CA_PHONE_BUFFER_SIZE] = "";
    if (!call([&](ca_error **e) {
            return ca_phone_to_e164_in(typed.c_str(), country.c_str(), e164, sizeof e164, nullptr, e);
        }))
        return nothing_sold(call);
    const std::string phone = e164;
    ca_catalog *cat_raw = nullptr;
    if (!call([&](ca_error **e) { return ca_v2_lookup(client.get(), phone.c_str(), 0, &cat_raw, e); }))
        return nothing_sold(call);
    Catalog catalog(cat_raw);
    std::printf("%s is on %s\n", phone.c_str(), ca_catalog_network_name(catalog.get()));

    // 4. the sale, with the receipt number as its reference, fixed before anything is sent
    ca_v2_topup_request *req_raw = nullptr;
    if (!call([&](ca_error **e) {
            return ca_v2_topup_request_new_amount(phone.c_str(), ca_catalog_network_id(catalog.get()), amount.c_str(),
                                                  ca_catalog_currency(catalog.get()), &req_raw, e);
        }))
        return nothing_sold(call);
    Request request(req_raw);
    if (!call([&](ca_error **e) { return ca_v2_topup_request_set_reference(request.get(), receipt.c_str(), e); }) ||
        !call([&](ca_error **e) { return ca_v2_topup_request_prepare(request.get(), e); }))
        return nothing_sold(call);
    std::printf("Sale %s: reference %s, idempotency key %s\n", receipt.c_str(),
                ca_v2_topup_request_reference(request.get()), ca_v2_topup_request_idempotency_key(request.get()));

    // 5. send it, once (the journal writes it down before the request leaves)
    ca_topup *sent_raw = nullptr;
    if (!call([&](ca_error **e) { return ca_v2_topup_create(client.get(), request.get(), &sent_raw, e); }))
        return explain_send(call, receipt);
    TopUp sent(sent_raw);
    const std::string origin = ca_meta_origin(ca_topup_meta(sent.get()));
    if (origin == "journal") {
        std::printf("Receipt %s was already sold earlier (transaction %s): nothing new was sold.\n", receipt.c_str(),
                    ca_topup_id(sent.get()));
        print_receipt(sent.get(), receipt);
        std::printf("(status as recorded then; check it later with the transaction id)\n");
        return 0;
    }
    if (origin == "recovered") std::printf("(the connection dropped; the sale was found again, not repeated)\n");
    if (origin == "replayed") std::printf("(Click Airtime already had this sale; it was not sold twice)\n");

    // 6. wait for the operator (the API guarantees an outcome within 12 minutes); Ctrl-C stops watching
    std::printf("Waiting for the operator (Ctrl-C to stop watching; the sale stands)...\n");
    std::fflush(stdout);
    ca_topup *done_raw = nullptr;
    if (call([&](ca_error **e) {
            return ca_v2_topup_wait_cancellable(client.get(), ca_topup_id(sent.get()), env_ms("POS_WAIT_MS", 60000),
                                                200, 1000, cancel.get(), &done_raw, e);
        })) {
        TopUp done(done_raw);
        print_receipt(done.get(), receipt);
        return finish(done.get(), receipt);
    }
    if (call.rc() == CA_ERR_STILL_PENDING) {
        print_receipt(sent.get(), receipt, ca_error_status(call.err()));
        std::printf("SOLD: transaction %s was created and is still %s. The airtime is on its way: tell the customer.\n"
                    "Check receipt %s later.\n",
                    str(ca_error_transaction_id(call.err())).c_str(), str(ca_error_status(call.err())).c_str(),
                    receipt.c_str());
        return 0;
    }
    if (call.rc() == CA_ERR_CANCELLED) {
        print_receipt(sent.get(), receipt, str(ca_error_status(call.err())).c_str());
        std::printf("SOLD: transaction %s was created; we stopped watching it (last seen %s). The airtime is on its "
                    "way:\ntell the customer. Do NOT sell it again; check receipt %s later.\n",
                    ca_topup_id(sent.get()), str(ca_error_status(call.err())).c_str(), receipt.c_str());
        return 0;
    }
    // the top-up exists; only its final status could not be read
    print_receipt(sent.get(), receipt, "not known yet");
    std::printf("SOLD: transaction %s was created, but its final status cannot be read now (%s).\n"
                "Do NOT sell it again. Check receipt %s later.\n",
                ca_topup_id(sent.get()), ca_error_message(call.err()), receipt.c_str());
    return 0;
}
