// The point-of-sale example in C++17: the C API with RAII owners (std::unique_ptr + the library's *_free
// functions), so every handle is released on every path. Same flow as examples/c/pos.c: look the number
// up, send once with the receipt number as reference, wait, print a receipt, explain failures.
//
//     pos-cpp [phone] [amount] [receipt]      (runs against the sandbox embedded in libclickairtime)
#include "clickairtime.h"

#include <cstdio>
#include <memory>
#include <string>

namespace {

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
using Error = Owned<ca_error, ca_error_free>;

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

int explain(const Call &call, const ca_v2_client *client) {
    const ca_error *e = call.err();
    std::printf("\n*** SALE NOT COMPLETED ***\n");
    switch (call.rc()) {
    case CA_ERR_INVALID_INPUT:
        std::printf("Check the %s: %s\n", str(ca_error_field(e)).c_str(), ca_error_message(e));
        return 2;
    case CA_ERR_INVALID_RECIPIENT:
        std::printf("The number was refused by the operator.\n");
        return 2;
    case CA_ERR_INSUFFICIENT_BALANCE:
        std::printf("Airtime float too low. Nothing was charged.\n");
        return 3;
    case CA_ERR_DELIVERY_FAILED:
        std::printf("The operator could not deliver. Nothing was charged.\n");
        return 3;
    case CA_ERR_OUTCOME_UNKNOWN: {
        std::string ref = str(ca_error_reference(e));
        std::printf("Sale status UNKNOWN. Do NOT sell again. Reference: %s\n", ref.c_str());
        ca_topup *raw = nullptr;
        if (ca_v2_topup_reconcile(client, ref.c_str(), &raw, nullptr) == CA_OK) {
            TopUp found(raw);
            std::printf("%s\n", found ? "Found it: it was sold." : "Never created: safe to sell again with the same reference.");
        }
        return 6;
    }
    default:
        std::printf("%s: %s\n", ca_result_name(call.rc()), ca_error_message(e));
        return 8;
    }
}

}  // namespace

int main(int argc, char **argv) {
    const std::string phone = argc > 1 ? argv[1] : "+233541112259";
    const std::string amount = argc > 2 ? argv[2] : "20";
    const std::string receipt = argc > 3 ? argv[3] : "R-0001";
    Call call;

    ca_sandbox *sb_raw = nullptr;
    ca_client_options *opt_raw = nullptr;
    if (!call([&](ca_error **e) { return ca_sandbox_start(&sb_raw, e); })) return 1;
    Sandbox sandbox(sb_raw);
    if (!call([&](ca_error **e) { return ca_client_options_new(&opt_raw, e); })) return 1;
    Options options(opt_raw);
    if (!call([&](ca_error **e) { return ca_client_options_set_base_url(options.get(), ca_sandbox_base_url(sandbox.get()), e); }))
        return 1;

    ca_v2_client *client_raw = nullptr;
    if (!call([&](ca_error **e) { return ca_v2_client_new(ca_sandbox_api_key(sandbox.get()), options.get(), &client_raw, e); }))
        return 1;
    Client client(client_raw);

    ca_catalog *cat_raw = nullptr;
    if (!call([&](ca_error **e) { return ca_v2_lookup(client.get(), phone.c_str(), 0, &cat_raw, e); }))
        return explain(call, client.get());
    Catalog catalog(cat_raw);
    std::printf("%s is on %s\n", phone.c_str(), ca_catalog_network_name(catalog.get()));

    ca_v2_topup_request *req_raw = nullptr;
    if (!call([&](ca_error **e) {
            return ca_v2_topup_request_new_amount(phone.c_str(), ca_catalog_network_id(catalog.get()), amount.c_str(),
                                                  ca_catalog_currency(catalog.get()), &req_raw, e);
        }))
        return explain(call, client.get());
    Request request(req_raw);
    if (!call([&](ca_error **e) { return ca_v2_topup_request_set_reference(request.get(), receipt.c_str(), e); }))
        return explain(call, client.get());

    ca_topup *sent_raw = nullptr;
    if (!call([&](ca_error **e) { return ca_v2_topup_create(client.get(), request.get(), &sent_raw, e); }))
        return explain(call, client.get());
    TopUp sent(sent_raw);

    ca_topup *done_raw = nullptr;
    if (!call([&](ca_error **e) { return ca_v2_topup_wait(client.get(), ca_topup_id(sent.get()), 60000, 200, 1000, &done_raw, e); }))
        return explain(call, client.get());
    TopUp done(done_raw);

    const ca_topup *t = done.get();
    std::printf("\n======== AIRTIME RECEIPT ========\n");
    std::printf("Receipt      %s\n", receipt.c_str());
    std::printf("Number       %s\n", str(ca_topup_phone_number(t)).c_str());
    std::printf("Amount       %s %s\n", str(ca_topup_amount(t)).c_str(), str(ca_topup_amount_currency(t)).c_str());
    std::printf("Charged      %s %s\n", str(ca_topup_cost(t)).c_str(), str(ca_topup_cost_currency(t)).c_str());
    std::printf("Status       %s\n", ca_topup_status(t));
    std::printf("Transaction  %s\n", ca_topup_id(t));
    std::printf("Reference    %s\n", str(ca_topup_reference(t)).c_str());
    std::printf("=================================\n");
    return ca_topup_is_success(t) ? 0 : 3;
}
