//! An in-process node on an ephemeral port, driven through the typed client as a wallet would.

use std::{path::Path, sync::Arc};

use atelier_client::{Client, ClientError};
use atelier_node::{Node, NodeConfig};
use atelier_primitives::{Amount, Denom, Encode};
use atelier_storage::Storage;
use atelier_testkit::{GenesisBuilder, TestChain, TxFactory, dev_address, dev_key};
use tokio::sync::oneshot;

const FUNDS: Amount = Amount::new(1_000_000_000_000);

struct Running {
    node: Arc<Node>,
    client: Client,
    base: String,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), atelier_node::NodeError>>,
}

impl Running {
    async fn stop(mut self) {
        let _ = self.stop.take().map(|stop| stop.send(()));
        self.task.await.unwrap().unwrap();
    }
}

fn genesis() -> atelier_protocol::Genesis {
    GenesisBuilder::new().fund_dev_accounts(4, FUNDS).build()
}

async fn start(dir: &Path) -> Running {
    start_with(dir, |_| {}).await
}

async fn start_with(dir: &Path, adjust: impl FnOnce(&mut NodeConfig)) -> Running {
    let storage = Storage::open(&dir.join("chain.redb")).unwrap();
    if storage.head().unwrap().is_none() {
        let state = atelier_protocol::init_chain(&storage.snapshot().unwrap(), genesis()).unwrap();
        storage.init(&state).unwrap();
    }
    let mut config = NodeConfig::new("127.0.0.1:0".parse().unwrap(), dev_address(3));
    config.block_interval = None;
    config.limits.max_body_bytes = 16 * 1024;
    adjust(&mut config);
    let node = Node::new(storage, config).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel();
    let task = tokio::spawn(node.clone().run(listener, async move {
        let _ = stopped.await;
    }));
    Running { node, client: Client::new(base.clone()), base, stop: Some(stop), task }
}

fn factory() -> TxFactory {
    TestChain::new(genesis()).factory()
}

#[tokio::test]
async fn a_transfer_waits_for_inclusion_and_its_receipt_and_balances_are_readable() {
    let dir = tempfile::tempdir().unwrap();
    let running = start(dir.path()).await;
    let tx = factory().transfer(&dev_key(1), 0, dev_address(2), Amount::new(777));
    let submitted = running.client.submit(&tx.to_bytes(), true).await.unwrap();
    assert_eq!(submitted.hash, tx.hash().to_hex());
    assert_eq!(submitted.height, Some(1));

    let view = running.client.tx(&submitted.hash).await.unwrap();
    assert_eq!(view.status, atelier_api::TxStatus::Included);
    assert_eq!(view.receipt.unwrap()["outcome"]["status"], "applied");
    let bob = running.client.account(&dev_address(2).to_string()).await.unwrap();
    let gdc = bob.balances.iter().find(|c| c.denom == Denom::GDC.to_string()).unwrap();
    assert_eq!(gdc.amount, (FUNDS.get() + 777).to_string());
    let alice = running.client.account(&dev_address(1).to_string()).await.unwrap();
    assert_eq!((alice.nonce, alice.next_nonce), (1, 1));
    let events = running.client.events(1, 100).await.unwrap();
    assert!(events.items.iter().any(|e| e.tx_hash.as_deref() == Some(submitted.hash.as_str())));
    running.stop().await;
}

#[tokio::test]
async fn a_pending_transaction_is_visible_and_counts_toward_the_next_nonce() {
    let dir = tempfile::tempdir().unwrap();
    let running = start(dir.path()).await;
    let tx = factory().transfer(&dev_key(1), 0, dev_address(2), Amount::new(1));
    let submitted = running.client.submit(&tx.to_bytes(), false).await.unwrap();
    assert_eq!(submitted.status, atelier_api::TxStatus::Pending);
    assert_eq!(running.client.tx(&submitted.hash).await.unwrap().status, atelier_api::TxStatus::Pending);
    let account = running.client.account(&dev_address(1).to_string()).await.unwrap();
    assert_eq!((account.nonce, account.next_nonce), (0, 1));
    running.stop().await;
}

#[tokio::test]
async fn a_restart_from_the_same_directory_keeps_height_root_and_balances() {
    let dir = tempfile::tempdir().unwrap();
    let (head, balance) = {
        let running = start(dir.path()).await;
        let factory = factory();
        for nonce in 0..3 {
            let tx = factory.transfer(&dev_key(1), nonce, dev_address(2), Amount::new(10));
            running.client.submit(&tx.to_bytes(), true).await.unwrap();
        }
        let head = running.node.head();
        let balance = running.client.account(&dev_address(2).to_string()).await.unwrap().balances;
        running.stop().await;
        (head, balance)
    };
    let running = start(dir.path()).await;
    assert_eq!(running.node.head(), head);
    assert_eq!(running.node.storage().snapshot().unwrap().root(), head.state_root);
    assert_eq!(running.client.account(&dev_address(2).to_string()).await.unwrap().balances, balance);
    let status = running.client.status().await.unwrap();
    assert_eq!(status.height, 3);
    running.stop().await;
}

fn api_error(result: Result<impl std::fmt::Debug, ClientError>) -> (u16, atelier_api::ErrorBody) {
    match result {
        Err(ClientError::Api { status, body }) => (status, body),
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_refused_transaction_gets_422_with_its_code_and_the_expected_nonce() {
    let dir = tempfile::tempdir().unwrap();
    let running = start(dir.path()).await;
    let replay = factory().transfer(&dev_key(1), 0, dev_address(2), Amount::new(1));
    running.client.submit(&replay.to_bytes(), true).await.unwrap();
    let (status, body) = api_error(running.client.submit(&replay.to_bytes(), false).await);
    assert_eq!(
        (status, body.error.as_str(), body.code, body.expected_nonce),
        (422, "rejected", Some(8), Some(1))
    );
    let mut forged = replay.to_bytes();
    let last = forged.len() - 1;
    forged[last] ^= 1;
    let (status, body) = api_error(running.client.submit(&forged, false).await);
    assert_eq!((status, body.code), (422, Some(5)));
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_submissions_are_all_admitted_except_the_forged_one() {
    let dir = tempfile::tempdir().unwrap();
    let running = start(dir.path()).await;
    let factory = factory();
    let per_sender = 60;
    let forged_sender = 2;
    let mut submissions = tokio::task::JoinSet::new();
    for sender in 0..4 {
        for nonce in 0..per_sender {
            let tx = factory.transfer(&dev_key(sender), nonce, dev_address(3), Amount::new(1));
            let mut bytes = tx.to_bytes();
            let forged = sender == forged_sender && nonce == per_sender - 1;
            if forged {
                let last = bytes.len() - 1;
                bytes[last] ^= 1;
            }
            let client = running.client.clone();
            submissions.spawn(async move { (forged, client.submit(&bytes, false).await) });
        }
    }
    let mut refused = Vec::new();
    while let Some(joined) = submissions.join_next().await {
        let (forged, result) = joined.unwrap();
        match (forged, result) {
            (false, Ok(_)) => {}
            (true, result) => refused.push(api_error(result)),
            (false, Err(error)) => panic!("a valid submission was refused: {error:?}"),
        }
    }
    assert_eq!(refused.len(), 1);
    assert_eq!((refused[0].0, refused[0].1.code), (422, Some(5)));
    running.node.produce_block().unwrap();
    for sender in 0..4 {
        let expected = if sender == forged_sender { per_sender - 1 } else { per_sender };
        let account = running.client.account(&dev_address(sender).to_string()).await.unwrap();
        assert_eq!(account.nonce, expected, "sender {sender}");
    }
    running.stop().await;
}

/// The `atelier_api_connections` gauge.
fn open_connections(node: &Node) -> u64 {
    let metrics = node.metrics().render();
    let line = metrics.lines().find(|l| l.starts_with("atelier_api_connections ")).unwrap();
    line.rsplit(' ').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn connections_past_the_cap_wait_until_an_open_one_closes() {
    let dir = tempfile::tempdir().unwrap();
    let running = start_with(dir.path(), |config| config.limits.max_connections = 2).await;
    let address = running.base.trim_start_matches("http://").to_string();
    let mut held = Vec::new();
    for _ in 0..2 {
        held.push(tokio::net::TcpStream::connect(&address).await.unwrap());
    }
    let waiting: Vec<_> = {
        let mut waiting = Vec::new();
        for _ in 0..3 {
            waiting.push(tokio::net::TcpStream::connect(&address).await.unwrap());
        }
        waiting
    };
    // The server accepts the first two (bounded wait), and then no more while they stay open.
    tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while open_connections(&running.node) < 2 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .unwrap();
    for _ in 0..1_000 {
        tokio::task::yield_now().await;
        assert_eq!(open_connections(&running.node), 2, "a connection past the cap was accepted");
    }
    drop(held);
    drop(waiting);
    let status = tokio::time::timeout(std::time::Duration::from_secs(10), running.client.status()).await;
    assert!(status.unwrap().is_ok(), "a request after the held connections closed was served");
    running.stop().await;
}

#[tokio::test]
async fn oversized_malformed_unknown_and_over_the_cap_requests_get_json_4xx() {
    let dir = tempfile::tempdir().unwrap();
    let running = start(dir.path()).await;
    let http = reqwest::Client::new();
    let cases: Vec<(reqwest::RequestBuilder, u16)> = vec![
        (
            http.post(format!("{}/txs", running.base))
                .header("content-type", "application/json")
                .body(format!("{{\"tx\":\"{}\"}}", "ab".repeat(20_000))),
            413,
        ),
        (
            http.post(format!("{}/txs", running.base))
                .header("content-type", "application/json")
                .body("{not json"),
            400,
        ),
        (
            http.post(format!("{}/txs", running.base))
                .header("content-type", "application/json")
                .body("{\"tx\":\"zz\"}"),
            400,
        ),
        (http.get(format!("{}/no/such/route", running.base)), 404),
        (http.get(format!("{}/events?limit=5000", running.base)), 400),
        (http.get(format!("{}/events?limit=abc", running.base)), 400),
        (http.get(format!("{}/txs/nothex", running.base)), 400),
        (http.get(format!("{}/txs/{}", running.base, "00".repeat(32))), 404),
        (http.get(format!("{}/blocks/99", running.base)), 404),
        (http.get(format!("{}/accounts/cosmos1xyz", running.base)), 400),
        (http.delete(format!("{}/status", running.base)), 405),
        (http.get(format!("{}/compliance/disputes?limit=x", running.base)), 400),
        (http.get(format!("{}/accounts/%ff", running.base)), 400),
        (http.post(format!("{}/txs", running.base)).body("{}"), 415),
    ];
    for (request, expected) in cases {
        let response = request.send().await.unwrap();
        let (status, url) = (response.status().as_u16(), response.url().to_string());
        let body: atelier_api::ErrorBody = response.json().await.expect("a JSON error body");
        assert_eq!(status, expected, "{url}: {body:?}");
        assert!(!body.error.is_empty() && !body.message.is_empty());
    }
    running.stop().await;
}

#[tokio::test]
async fn the_openapi_document_describes_every_route_and_metrics_are_prometheus_text() {
    let dir = tempfile::tempdir().unwrap();
    let running = start(dir.path()).await;
    let doc: serde_json::Value =
        reqwest::get(format!("{}/openapi.json", running.base)).await.unwrap().json().await.unwrap();
    for path in [
        "/txs",
        "/txs/{hash}",
        "/accounts/{address}",
        "/blocks/latest",
        "/blocks/{height}",
        "/events",
        "/events/stream",
        "/fees",
        "/status",
        "/health",
        "/metrics",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing from the OpenAPI document");
    }
    // Requests are counted by route template, method and status; unknown paths under one label.
    reqwest::get(format!("{}/compute/jobs/7", running.base)).await.unwrap();
    reqwest::get(format!("{}/no/such/route", running.base)).await.unwrap();
    let response = reqwest::get(format!("{}/metrics", running.base)).await.unwrap();
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/openmetrics-text"));
    let metrics = response.text().await.unwrap();
    for line in [
        "atelier_api_request_duration_seconds_count{route=\"/compute/jobs/{id}\",method=\"GET\",status=\"404\"} 1",
        "atelier_api_request_duration_seconds_count{route=\"unmatched\",method=\"GET\",status=\"404\"} 1",
        &format!("atelier_build_info{{version=\"{}\"}} 1", env!("CARGO_PKG_VERSION")),
    ] {
        assert!(metrics.lines().any(|l| l == line), "no line {line:?} in:\n{metrics}");
    }
    for name in [
        "atelier_height",
        "atelier_block_interval_seconds",
        "atelier_block_txs",
        "atelier_blocks_committed_total",
        "atelier_mempool_txs",
        "atelier_mempool_bytes",
        "atelier_consensus_finalization_seconds_bucket",
        "process_cpu_seconds_total",
        "process_resident_memory_bytes",
        "process_open_fds",
        "process_start_time_seconds",
    ] {
        assert!(metrics.lines().any(|l| l.starts_with(name)), "{name} missing in:\n{metrics}");
    }
    running.stop().await;
}

#[tokio::test]
async fn the_event_stream_delivers_the_events_of_each_new_block() {
    let dir = tempfile::tempdir().unwrap();
    let running = start(dir.path()).await;
    let mut stream = reqwest::get(format!("{}/events/stream", running.base)).await.unwrap();
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let tx = factory().transfer(&dev_key(1), 0, dev_address(2), Amount::new(3));
    running.client.submit(&tx.to_bytes(), true).await.unwrap();
    let mut text = String::new();
    // Keep-alive comments may come first: read until a whole data line has arrived.
    while !text.lines().any(|line| line.starts_with("data: ") && text.contains(&format!("{line}\n"))) {
        let chunk = stream.chunk().await.unwrap().expect("the stream stays open");
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    let data = text.lines().find_map(|line| line.strip_prefix("data: ")).expect("a data line");
    let event: atelier_api::EventView = serde_json::from_str(data).unwrap();
    assert_eq!((event.height, event.tx_hash), (1, Some(tx.hash().to_hex())));
    drop(stream);
    running.stop().await;
}

/// `GET /events` pages one event at a time through a block with several: each page's cursor
/// names where the next starts, so paging always advances and returns every event once, in order,
/// and the last page has no cursor.
#[tokio::test]
async fn paging_events_one_at_a_time_advances_through_a_block_with_several() {
    let dir = tempfile::tempdir().unwrap();
    let running = start(dir.path()).await;
    let tx = factory().transfer(&dev_key(1), 0, dev_address(2), Amount::new(5));
    running.client.submit(&tx.to_bytes(), true).await.unwrap();
    let all = running.client.events(1, 1_000).await.unwrap();
    assert_eq!(all.next, None, "one page holds them all");
    let all = all.items;
    assert!(all.iter().filter(|e| e.height == 1).count() > 1, "the block has several events: {all:?}");
    let mut page = running.client.events(1, 1).await.unwrap();
    let mut seen = page.items.clone();
    while let Some(cursor) = page.next {
        page = running.client.events_after(&cursor, 1).await.unwrap();
        assert_eq!(page.items.len(), 1, "a cursor is given only when more follow");
        seen.extend(page.items.clone());
    }
    assert_eq!(seen, all);
    running.stop().await;
}

/// A cursor is read only by the list that gave it: another list's, or text that is not one, is a
/// 400 that says so.
#[tokio::test]
async fn a_cursor_from_another_list_or_none_at_all_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let running = start(dir.path()).await;
    let tx = factory().transfer(&dev_key(1), 0, dev_address(2), Amount::new(5));
    running.client.submit(&tx.to_bytes(), true).await.unwrap();
    let cursor = running.client.events(1, 1).await.unwrap().next.unwrap();
    for path in [
        format!("/market/listings?cursor={cursor}"),
        "/events?cursor=zz".into(),
        "/compute/providers?cursor=00".into(),
    ] {
        let error = running.client.read(&path).await.unwrap_err().to_string();
        assert!(error.contains("400") && error.contains("not a cursor of"), "{path}: {error}");
    }
    running.stop().await;
}

/// On demand (no block interval), transactions that do not fit the block a submission asked for
/// are included in the blocks that follow, without waiting for another submission.
#[tokio::test]
async fn on_demand_every_waited_transaction_is_included_though_one_block_holds_one() {
    let dir = tempfile::tempdir().unwrap();
    let running = start_with(dir.path(), |config| config.max_block_txs = 1).await;
    let waits: Vec<_> = (1..=3)
        .map(|i| {
            let bytes = factory().transfer(&dev_key(i), 0, dev_address(5), Amount::new(1)).to_bytes();
            let client = running.client.clone();
            tokio::spawn(async move { client.submit(&bytes, true).await })
        })
        .collect();
    for wait in waits {
        let submitted = wait.await.unwrap().unwrap();
        assert!(submitted.height.is_some(), "each one was included: {submitted:?}");
    }
    running.stop().await;
}

/// `GET /bank/supply` lets anyone audit the money: what was minted, burned and circulates per
/// denomination, and the fee a block burns shows up in it.
#[tokio::test]
async fn the_supply_route_reports_minted_burned_and_circulating_per_denomination() {
    let dir = tempfile::tempdir().unwrap();
    let running = start(dir.path()).await;
    let supply = |value: &serde_json::Value, denom: &str, field: &str| -> u128 {
        let entry = value.as_array().unwrap().iter().find(|s| s["denom"] == denom).unwrap();
        entry[field].as_str().unwrap().parse().unwrap()
    };
    let before = running.client.read("/bank/supply").await.unwrap();
    assert_eq!(supply(&before, "ugdc", "minted"), supply(&before, "ugdc", "circulating"));
    let tx = factory().transfer(&dev_key(1), 0, dev_address(2), Amount::new(5));
    running.client.submit(&tx.to_bytes(), true).await.unwrap();
    let after = running.client.read("/bank/supply").await.unwrap();
    let burned = supply(&after, "ugdc", "burned");
    assert!(burned > 0, "the base fee was burned");
    assert_eq!(supply(&after, "ugdc", "minted") - burned, supply(&after, "ugdc", "circulating"));
    assert!(after.as_array().unwrap().iter().any(|s| s["denom"] == "uusd"));
    running.stop().await;
}

#[tokio::test]
async fn what_admission_can_tell_will_fail_is_refused_with_its_code_and_charges_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let running = start(dir.path()).await;
    let factory = factory();
    let sender = dev_key(1);
    let send = |nonce, denom: &str, amount| {
        let msg =
            atelier_testkit::factory::transfer(dev_address(2), denom.parse().unwrap(), Amount::new(amount));
        factory.tx(&sender, nonce, vec![msg]).to_bytes()
    };
    let before = running.client.account(&dev_address(1).to_string()).await.unwrap();
    // Code 102: a zero amount; 103: an unknown denomination; 101: more than the balance.
    for (tx, code) in
        [(send(0, "ugdc", 0), 102), (send(0, "ufoo", 5), 103), (send(0, "ugdc", FUNDS.get()), 101)]
    {
        let (status, body) = api_error(running.client.submit(&tx, false).await);
        assert_eq!(
            (status, body.error.as_str(), body.code),
            (422, "rejected", Some(code)),
            "{}",
            body.message
        );
    }
    // Half the balance pending leaves less than half for the next transfer, whatever the nonce.
    running.client.submit(&send(0, "ugdc", FUNDS.get() / 2), false).await.unwrap();
    let (status, body) = api_error(running.client.submit(&send(1, "ugdc", FUNDS.get() / 2), false).await);
    assert_eq!((status, body.code), (422, Some(101)), "{}", body.message);
    assert!(body.message.starts_with("message 0 would fail: insufficient ugdc balance"), "{}", body.message);
    // A replacement of the pending transfer (same nonce, higher fees) is judged without it.
    let mut richer = factory.clone();
    richer.max_fee_per_gas = Amount::new(factory.max_fee_per_gas.get() * 2);
    richer.max_priority_fee_per_gas = Amount::new(factory.max_priority_fee_per_gas.get() * 2 + 1);
    let msg = atelier_testkit::factory::transfer(
        dev_address(2),
        "ugdc".parse().unwrap(),
        Amount::new(FUNDS.get() / 2),
    );
    running.client.submit(&richer.tx(&sender, 0, vec![msg]).to_bytes(), true).await.unwrap();
    let after = running.client.account(&dev_address(1).to_string()).await.unwrap();
    assert_eq!(after.nonce, before.nonce + 1, "only the accepted transfer was included");
    running.stop().await;
}

#[tokio::test]
async fn the_fee_market_shows_its_params_beside_the_base_fee() {
    let dir = tempfile::tempdir().unwrap();
    let running = start(dir.path()).await;
    let fees = running.client.fees().await.unwrap();
    let params = atelier_protocol::modules::fees::FeeParams::default();
    assert_eq!(fees.block_gas_limit, params.block_gas_limit);
    assert_eq!(fees.gas_target, params.block_gas_limit / params.elasticity_multiplier);
    assert_eq!(fees.elasticity_multiplier, params.elasticity_multiplier);
    assert_eq!(fees.base_fee_change_denominator, params.base_fee_change_denominator);
    assert_eq!(fees.min_base_fee, params.min_base_fee.to_string());
    assert_eq!(fees.last_block_gas_used, 0);
    running.stop().await;
}

#[tokio::test]
async fn a_dev_chain_mines_blocks_on_request_and_a_real_one_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let running = start_with(dir.path(), |config| config.dev_controls = true).await;
    let pending = factory().transfer(&dev_key(1), 0, dev_address(2), Amount::new(7));
    let submitted = running.client.submit(&pending.to_bytes(), false).await.unwrap();
    let mined = running.client.dev_mine(3).await.unwrap();
    assert_eq!((mined.from_height, mined.to_height), (1, 3));
    assert_eq!(running.client.status().await.unwrap().height, 3);
    assert_eq!(
        running.client.tx(&submitted.hash).await.unwrap().height,
        Some(1),
        "the pending transfer went in first"
    );
    let (status, _) = api_error(running.client.dev_mine(0).await);
    assert_eq!(status, 400);
    running.stop().await;

    let dir = tempfile::tempdir().unwrap();
    let running = start(dir.path()).await;
    let (status, body) = api_error(running.client.dev_mine(1).await);
    assert_eq!(status, 404, "{}", body.message);
    assert_eq!(running.client.status().await.unwrap().height, 0);
    running.stop().await;
}

/// A raw TCP connection to `base` from the loopback address `from` (Linux routes all of
/// 127.0.0.0/8 to the loopback interface, so each stands for a different client).
async fn connect_from(from: [u8; 4], base: &str) -> tokio::net::TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind((std::net::Ipv4Addr::from(from), 0).into()).unwrap();
    socket.connect(base.trim_start_matches("http://").parse().unwrap()).await.unwrap()
}

/// Reads until the peer closes (Ok) or `within` passes (Err).
async fn closed_within(stream: &mut tokio::net::TcpStream, within: std::time::Duration) -> Result<(), ()> {
    use tokio::io::AsyncReadExt;
    let mut buffer = [0u8; 4096];
    tokio::time::timeout(within, async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .map_err(|_| ())
}

#[tokio::test]
async fn a_connection_with_half_its_headers_nothing_or_an_idle_keep_alive_is_closed_at_the_header_timeout() {
    use tokio::io::AsyncWriteExt;
    let dir = tempfile::tempdir().unwrap();
    let running = start_with(dir.path(), |config| {
        config.limits.header_read_timeout = std::time::Duration::from_millis(300)
    })
    .await;
    let mut half = connect_from([127, 0, 0, 1], &running.base).await;
    half.write_all(b"GET /status HTTP/1.1\r\nHost: node\r\n").await.unwrap();
    let mut silent = connect_from([127, 0, 0, 1], &running.base).await;
    let mut kept_alive = connect_from([127, 0, 0, 1], &running.base).await;
    kept_alive.write_all(b"GET /health HTTP/1.1\r\nHost: node\r\n\r\n").await.unwrap();
    let limit = std::time::Duration::from_secs(10);
    for (what, stream) in
        [("half a header", &mut half), ("nothing", &mut silent), ("an idle keep-alive", &mut kept_alive)]
    {
        assert!(closed_within(stream, limit).await.is_ok(), "a connection that sent {what} stayed open");
    }
    assert!(running.client.status().await.is_ok());
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_idle_connections_and_open_streams_leave_status_answering() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().unwrap();
    let running = start(dir.path()).await;
    let limits = running.node.config().limits.clone();
    // One client opens 3 000 idle connections: it keeps its share, the rest are closed at once.
    let mut idle = Vec::new();
    for _ in 0..3_000 {
        idle.push(connect_from([127, 0, 0, 2], &running.base).await);
    }
    // Two others open event streams until the node's cap answers 503.
    let mut streams = Vec::new();
    let (mut served, mut refused) = (0, 0);
    for from in [[127, 0, 0, 3], [127, 0, 0, 4], [127, 0, 0, 5]] {
        for _ in 0..limits.max_event_streams / 2 {
            let mut stream = connect_from(from, &running.base).await;
            stream.write_all(b"GET /events/stream HTTP/1.1\r\nHost: node\r\n\r\n").await.unwrap();
            let mut head = [0u8; 12];
            stream.read_exact(&mut head).await.unwrap();
            match &head[9..12] {
                b"200" => served += 1,
                b"503" => refused += 1,
                other => panic!("unexpected status {}", String::from_utf8_lossy(other)),
            }
            streams.push(stream);
        }
    }
    assert_eq!(served, limits.max_event_streams, "the stream cap is reached and holds");
    assert!(refused > 0);
    // Meanwhile an honest client is served.
    let mut latencies = Vec::new();
    for _ in 0..200 {
        let started = std::time::Instant::now();
        let status = tokio::time::timeout(std::time::Duration::from_secs(5), running.client.status()).await;
        assert!(
            matches!(status, Ok(Ok(_))),
            "/status did not answer while connections were held: {status:?}"
        );
        latencies.push(started.elapsed());
    }
    latencies.sort();
    eprintln!(
        "with {} idle connections tried and {served} streams open: /status p50 {:?}, p99 {:?}",
        idle.len(),
        latencies[100],
        latencies[197]
    );
    // The idle client holds its share and no more: the node closed the rest.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mut buffer = [0u8; 16];
    let still_open = idle
        .iter()
        .filter(|stream| matches!(stream.try_read(&mut buffer), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock))
        .count();
    assert_eq!(still_open, limits.max_connections_per_ip);
    drop((idle, streams));
    running.stop().await;
}

/// Every `$ref` in `value`.
fn refs(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(fields) => {
            if let Some(serde_json::Value::String(target)) = fields.get("$ref") {
                found.push(target.clone());
            }
            fields.values().for_each(|field| refs(field, found));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| refs(item, found)),
        _ => {}
    }
}

#[tokio::test]
async fn every_operation_has_a_typed_answer_a_unique_id_and_its_parameters_where_they_are_read() {
    let doc = serde_json::to_value(atelier_node::http::document()).unwrap();
    let mut ids = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap();
            assert!(ids.insert(id.to_string()), "operation id {id} is used twice");
            let content = &operation["responses"]["200"]["content"];
            let schema = content.as_object().and_then(|types| types.values().next()).map(|t| &t["schema"]);
            assert!(schema.is_some_and(|s| !s.is_null()), "{method} {path} has no typed 200 answer");
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let (name, place) = (parameter["name"].as_str().unwrap(), parameter["in"].as_str().unwrap());
                let in_path = path.contains(&format!("{{{name}}}"));
                assert_eq!(
                    place,
                    if in_path { "path" } else { "query" },
                    "{method} {path}: parameter {name}"
                );
            }
        }
    }
    assert!(ids.len() >= 60, "{} operations", ids.len());
    let mut targets = Vec::new();
    refs(&doc, &mut targets);
    for target in targets {
        let name = target.trim_start_matches("#/components/schemas/");
        assert!(doc["components"]["schemas"].get(name).is_some(), "{target} is not defined");
    }
}

#[tokio::test]
async fn pages_of_the_configured_origins_may_call_the_api_and_others_may_not() {
    let dir = tempfile::tempdir().unwrap();
    let running =
        start_with(dir.path(), |config| config.cors_origins = vec!["https://gallery.example".into()]).await;
    let http = reqwest::Client::new();
    let allowed = |origin: &'static str| {
        let request = http.get(format!("{}/status", running.base)).header("origin", origin);
        async move {
            let response = request.send().await.unwrap();
            response.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap().to_string())
        }
    };
    assert_eq!(allowed("https://gallery.example").await.as_deref(), Some("https://gallery.example"));
    assert_eq!(allowed("https://elsewhere.example").await, None);
    let preflight = http
        .request(reqwest::Method::OPTIONS, format!("{}/txs", running.base))
        .header("origin", "https://gallery.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    let methods = preflight.headers()["access-control-allow-methods"].to_str().unwrap().to_string();
    assert!(methods.contains("POST"), "{methods}");
    running.stop().await;

    let dir = tempfile::tempdir().unwrap();
    let running = start_with(dir.path(), |config| config.cors_origins = vec!["*".into()]).await;
    let response = reqwest::Client::new()
        .get(format!("{}/status", running.base))
        .header("origin", "http://localhost:5173")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    running.stop().await;
}

/// Reads SSE events `(id, data)` from `response` until `count` have arrived.
async fn sse_events(response: &mut reqwest::Response, count: usize) -> Vec<(String, serde_json::Value)> {
    let mut text = String::new();
    loop {
        let events: Vec<(String, serde_json::Value)> = text
            .split("\n\n")
            .filter(|chunk| chunk.contains("data: "))
            .filter_map(|chunk| {
                let id = chunk.lines().find_map(|line| line.strip_prefix("id: "))?;
                let data = chunk.lines().find_map(|line| line.strip_prefix("data: "))?;
                Some((id.to_string(), serde_json::from_str(data).ok()?))
            })
            .collect();
        if events.len() >= count {
            return events;
        }
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), response.chunk())
            .await
            .expect("the events came")
            .unwrap()
            .expect("the stream stays open");
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test]
async fn the_event_stream_resumes_from_a_height_or_the_last_event_id_and_filters_by_kind_and_account() {
    let dir = tempfile::tempdir().unwrap();
    let running = start(dir.path()).await;
    let factory = factory();
    for (nonce, to) in [(0, 2), (1, 3), (2, 2)] {
        let tx = factory.transfer(&dev_key(1), nonce, dev_address(to), Amount::new(5));
        running.client.submit(&tx.to_bytes(), true).await.unwrap();
    }
    // From the first block: every transfer to dev2, in order, with their positions as ids.
    let url =
        format!("{}/events/stream?from_height=1&kind=transferred&account={}", running.base, dev_address(2));
    let mut stream = reqwest::get(&url).await.unwrap();
    let events = sse_events(&mut stream, 2).await;
    let heights: Vec<u64> = events.iter().map(|(_, view)| view["height"].as_u64().unwrap()).collect();
    assert_eq!(heights, [1, 3], "only the transfers to dev2");
    for (id, view) in &events {
        assert_eq!(view["event"]["event"]["type"], "transferred");
        assert!(id.starts_with(&format!("{}:", view["height"])), "{id}");
    }
    drop(stream);
    // Reconnecting after the first: the stream goes on from the one after it, then follows new blocks.
    let mut resumed = reqwest::Client::new()
        .get(format!("{}/events/stream?kind=transferred&account={}", running.base, dev_address(2)))
        .header("last-event-id", events[0].0.clone())
        .send()
        .await
        .unwrap();
    let tx = factory.transfer(&dev_key(1), 3, dev_address(2), Amount::new(5));
    running.client.submit(&tx.to_bytes(), true).await.unwrap();
    let after: Vec<u64> =
        sse_events(&mut resumed, 2).await.iter().map(|(_, view)| view["height"].as_u64().unwrap()).collect();
    assert_eq!(after, [3, 4], "resumed after the last event seen, then live");
    let (status, _) = {
        let response = reqwest::Client::new()
            .get(format!("{}/events/stream", running.base))
            .header("last-event-id", "nonsense")
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), ())
    };
    assert_eq!(status, 400);
    drop(resumed);
    running.stop().await;
}

/// The SDK's typed client is generated from this document (`sdk/ts/openapi.json`): it must be the
/// node's. `UPDATE_VECTORS=1` rewrites it, as it does the SDK's other vectors.
#[test]
fn the_sdk_openapi_document_is_the_nodes() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sdk/ts/openapi.json");
    let document = serde_json::to_string_pretty(&atelier_node::http::document()).unwrap() + "\n";
    if std::env::var_os("UPDATE_VECTORS").is_some() {
        std::fs::write(&path, document).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing {}", path.display()));
    assert!(
        committed == document,
        "sdk/ts/openapi.json is stale: UPDATE_VECTORS=1 cargo nextest run --workspace -E 'test(sdk)', then npm run generate in sdk/ts"
    );
}

/// A node whose blob store takes blobs up to 1 000 bytes, 2 500 in all.
async fn start_with_blobs(dir: &Path) -> Running {
    let blobs = dir.join("blobs");
    start_with(dir, move |config| {
        let mut store = atelier_node::blobs::BlobConfig::new(blobs);
        store.max_blob_bytes = 1_000;
        store.quota_bytes = 2_500;
        config.blobs = Some(store);
    })
    .await
}

async fn put(base: &str, bytes: &[u8], query: &str) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}/blobs{query}"))
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn a_blob_is_stored_under_its_hash_and_served_whole_in_ranges_and_to_head() {
    let dir = tempfile::tempdir().unwrap();
    let running = start_with_blobs(dir.path()).await;
    let png = b"\x89PNG\r\n\x1a\nnot really an image, but its signature".to_vec();
    let hash = atelier_primitives::Hash::blob(&png).to_hex();
    let (status, stored) = put(&running.base, &png, "").await;
    assert_eq!(status, 201);
    assert_eq!(stored["hash"], hash.as_str());
    assert_eq!(stored["content_type"], "image/png");
    let (status, again) = put(&running.base, &png, &format!("?hash={hash}")).await;
    assert_eq!((status, &again["created"]), (200, &serde_json::Value::Bool(false)));

    let http = reqwest::Client::new();
    let url = format!("{}/blobs/{hash}", running.base);
    let whole = http.get(&url).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["content-type"], "image/png");
    assert_eq!(whole.headers()["etag"], format!("\"{hash}\"").as_str());
    assert_eq!(whole.bytes().await.unwrap().as_ref(), png.as_slice());
    let part = http.get(&url).header("range", "bytes=1-3").send().await.unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.headers()["content-range"], format!("bytes 1-3/{}", png.len()).as_str());
    assert_eq!(part.bytes().await.unwrap().as_ref(), b"PNG");
    let beyond = http.get(&url).header("range", "bytes=5000-").send().await.unwrap();
    assert_eq!(beyond.status(), 416);
    assert_eq!(beyond.headers()["content-range"], format!("bytes */{}", png.len()).as_str());
    let head = http.head(&url).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["content-length"], png.len().to_string().as_str());
    assert!(head.bytes().await.unwrap().is_empty());

    let text = http.get(format!("{}/blobs/{}", running.base, atelier_primitives::Hash::blob(b"x").to_hex()));
    assert_eq!(text.send().await.unwrap().status(), 404);
    let malformed = http.get(format!("{}/blobs/not-a-hash", running.base)).send().await.unwrap();
    assert_eq!(malformed.status(), 400);
    running.stop().await;
}

#[tokio::test]
async fn a_wrong_declared_hash_an_oversized_blob_and_a_full_store_are_refused_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let running = start_with_blobs(dir.path()).await;
    let wrong = atelier_primitives::Hash::blob(b"other").to_hex();
    let (status, body) = put(&running.base, b"a red fox", &format!("?hash={wrong}")).await;
    assert_eq!((status, body["error"].as_str()), (422, Some("hash_mismatch")));
    let (status, body) = put(&running.base, &[7; 1_001], "").await;
    assert_eq!((status, body["error"].as_str()), (413, Some("payload_too_large")));
    assert_eq!(put(&running.base, &[1; 1_000], "").await.0, 201);
    assert_eq!(put(&running.base, &[2; 1_000], "").await.0, 201);
    let (status, body) = put(&running.base, &[3; 1_000], "").await;
    assert_eq!((status, body["error"].as_str()), (507, Some("insufficient_storage")));
    let metrics = reqwest::get(format!("{}/metrics", running.base)).await.unwrap().text().await.unwrap();
    assert!(metrics.contains("atelier_blob_refusals_total 3"), "{metrics}");
    assert!(metrics.contains("atelier_blobs 2"), "{metrics}");
    running.stop().await;
}

#[tokio::test]
async fn a_blob_corrupted_on_disk_is_detected_on_read_and_not_served() {
    let dir = tempfile::tempdir().unwrap();
    let running = start_with_blobs(dir.path()).await;
    let (_, stored) = put(&running.base, b"an output", "").await;
    let hash = stored["hash"].as_str().unwrap().to_owned();
    let file = dir.path().join("blobs/objects").join(&hash[..2]).join(&hash);
    std::fs::write(&file, b"an 0utput").unwrap();
    let answer = reqwest::get(format!("{}/blobs/{hash}", running.base)).await.unwrap();
    assert_eq!(answer.status(), 404);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("corrupt"), "{body}");
    assert!(!file.exists(), "the corrupt copy is removed");
    running.stop().await;
}

/// A client that accepts gzip gets JSON answers and the dashboard compressed; a blob comes as it
/// is stored (its byte ranges stay ranges of the blob), and a client that does not ask gets plain
/// JSON.
#[tokio::test]
async fn json_and_the_dashboard_come_gzipped_to_clients_that_ask_and_blobs_never_do() {
    let dir = tempfile::tempdir().unwrap();
    let blobs = dir.path().join("blobs");
    let running = start_with(dir.path(), move |config| {
        config.blobs = Some(atelier_node::blobs::BlobConfig::new(blobs))
    })
    .await;
    let http = reqwest::Client::new();
    let get = |path: &str, gzip: bool| {
        let request = http.get(format!("{}{path}", running.base));
        if gzip { request.header("accept-encoding", "gzip") } else { request }
    };
    for path in ["/openapi.json", "/dashboard/app.js", "/"] {
        let answer = get(path, true).send().await.unwrap();
        assert_eq!(answer.status(), 200, "{path}");
        assert_eq!(
            answer.headers().get("content-encoding").map(|v| v.to_str().unwrap()),
            Some("gzip"),
            "{path}"
        );
        assert_eq!(&answer.bytes().await.unwrap()[..2], &[0x1f, 0x8b], "{path} is gzip");
    }
    let plain = get("/openapi.json", false).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    serde_json::from_slice::<serde_json::Value>(&plain.bytes().await.unwrap()).expect("plain JSON");

    let json = format!("{{\"pad\": \"{}\"}}", "a".repeat(4_000));
    let (status, stored) = put(&running.base, json.as_bytes(), "").await;
    assert_eq!((status, stored["content_type"].as_str()), (201, Some("application/json")), "{stored}");
    let blob = get(&format!("/blobs/{}", stored["hash"].as_str().unwrap()), true).send().await.unwrap();
    assert!(blob.headers().get("content-encoding").is_none());
    assert_eq!(blob.bytes().await.unwrap().as_ref(), json.as_bytes());
    running.stop().await;
}

#[tokio::test]
async fn state_at_a_kept_height_is_that_blocks_and_an_older_one_is_gone_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let running = start_with(dir.path(), |config| config.state_history_blocks = 2).await;
    let key = [b"bank/balance/".as_slice(), dev_address(2).as_bytes(), Denom::GDC.as_bytes()].concat();
    let factory = factory();
    let mut seen = Vec::new();
    for nonce in 0..4 {
        let tx = factory.transfer(&dev_key(1), nonce, dev_address(2), Amount::new(10));
        running.client.submit(&tx.to_bytes(), true).await.unwrap();
        let now = running.client.state(std::slice::from_ref(&key), None, true).await.unwrap();
        seen.push(now);
    }
    // Heights 2 and 3 are in the window of the head (4): the value and block they had then.
    for then in &seen[1..3] {
        let past = running.client.state(std::slice::from_ref(&key), Some(then.height), true).await.unwrap();
        assert_eq!(past, *then);
    }
    let (status, body) = api_error(running.client.state(std::slice::from_ref(&key), Some(1), false).await);
    assert_eq!((status, body.error.as_str()), (410, "state_not_kept"));
    assert!(body.message.contains("this node keeps it from height 2"), "{}", body.message);
    let (status, _) = api_error(running.client.state(&[key], Some(99), false).await);
    assert_eq!(status, 404);
    running.stop().await;
}
