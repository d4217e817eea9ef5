//! A little fake API with a ledger, for scripted hostile answers.

use super::*;

// ---- a little fake API with a ledger, for scripted hostile answers ----

/// What a scripted server holds: V2 top-ups and V1 transactions, each as the API renders it.
#[derive(Default)]
pub struct Ledger {
    pub v2: Vec<serde_json::Value>,
    pub v1: Vec<serde_json::Value>,
    next: usize,
}

impl Ledger {
    /// Create the V2 top-up a `POST /v2/topups` asks for; returns it.
    pub fn commit_v2(&mut self, req: &Seen) -> serde_json::Value {
        self.next += 1;
        let r = v2_record_for(
            req,
            &format!("00000000-0000-4000-8000-{:012}", self.next),
            "pending",
        );
        self.v2.push(r.clone());
        r
    }
    /// Create the V1 transaction a `POST /adp` asks for; returns it.
    pub fn commit_v1(&mut self, req: &Seen) -> serde_json::Value {
        self.next += 1;
        let b = json_of(req);
        let r = v1_record(
            &format!("10000000-0000-4000-8000-{:012}", self.next),
            b["extRefId"].as_str(),
            b["msisdn"].as_str().unwrap_or(""),
            b["amount"].as_i64().unwrap_or(0),
            "SUCCESS",
        );
        self.v1.push(r.clone());
        r
    }
    /// The normal answer of the API to `req`, from this ledger (lookups and creations, no faults).
    pub fn answer(&mut self, req: &Seen) -> Reply {
        match (req.method.as_str(), req.path()) {
            ("POST", "/v2/topups") => Reply::json(201, v2_one(&self.commit_v2(req))),
            ("GET", "/v2/topups") => {
                let want = query_param(&req.target, "reference");
                let items: Vec<_> = self
                    .v2
                    .iter()
                    .filter(|r| want.as_deref().is_none_or(|w| r["reference"] == w))
                    .cloned()
                    .collect();
                Reply::json(200, v2_list(&items))
            }
            ("GET", p) if p.starts_with("/v2/topups/") => {
                let id = &p["/v2/topups/".len()..];
                match self.v2.iter().find(|r| r["id"] == id) {
                    Some(r) => Reply::json(200, v2_one(r)),
                    None => Reply::json(
                        404,
                        v2_error(
                            "TRANSACTION_NOT_FOUND",
                            "no such top-up",
                            serde_json::json!({}),
                        ),
                    ),
                }
            }
            ("POST", "/adp") => {
                let r = self.commit_v1(req);
                let id = r["transactionId"].as_str().unwrap().to_owned();
                Reply::json(200, v1_answer(&id, r["amount"].as_i64().unwrap_or(0)))
            }
            ("GET", "/adp/transactions") => {
                let ext = query_param(&req.target, "extRefId");
                let msisdn = query_param(&req.target, "msisdn");
                let items: Vec<_> = self
                    .v1
                    .iter()
                    .filter(|r| ext.as_deref().is_none_or(|w| r["extRefId"] == w))
                    .filter(|r| msisdn.as_deref().is_none_or(|w| r["msisdn"] == w))
                    .cloned()
                    .collect();
                v1_list(&items)
            }
            _ => Reply::json(404, r#"{"message":"Not found","statusCode":404}"#),
        }
    }
}

/// A server whose answers come from a [`Ledger`], unless `script(request, index, ledger)` answers first.
pub fn scripted(
    script: impl Fn(&Seen, usize, &mut Ledger) -> Option<Reply> + Send + Sync + 'static,
) -> (TestServer, Arc<Mutex<Ledger>>) {
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let l = ledger.clone();
    let s = TestServer::start(move |req, i| {
        let mut l = l.lock().unwrap();
        match script(req, i, &mut l) {
            Some(r) => r,
            None => l.answer(req),
        }
    });
    (s, ledger)
}
