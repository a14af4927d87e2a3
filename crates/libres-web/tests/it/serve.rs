//! `libres_web::serve`: what it does before and right after it listens.

use libres_testkit::{temp_store, SpyStore};
use libres_web::WebOptions;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[tokio::test]
async fn serve_reads_the_synthetic_flag_and_warms_the_search_index_at_start() {
    let (store, _dir) = temp_store().await;
    let spy = Arc::new(SpyStore::new(store));
    let server = tokio::spawn(libres_web::serve(
        Arc::clone(&spy) as _,
        "127.0.0.1:0".parse().unwrap(),
        WebOptions::default(),
    ));
    // No request is made: both calls come from `serve` itself.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !(spy.called("is_synthetic") && spy.called("search_persons")) {
        assert!(Instant::now() < deadline, "calls: {:?}", spy.calls());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.abort();
}
