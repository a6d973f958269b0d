//! Serves the API over HTTP/1.1 with the limits a public endpoint needs: the listener's caps on
//! connections (in total and per address), and a header timeout that closes a connection which
//! sends no complete request head in time — whether it sends half its headers, nothing at all, or
//! idles between keep-alive requests. On shutdown it stops accepting, lets requests in flight
//! finish, and cuts what is still open (event streams) after a grace period.

use std::{future::Future, time::Duration};

use axum::Router;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
    service::TowerToHyperService,
};

use crate::listener::BoundedListener;

/// How long open connections get to finish after shutdown begins.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Serves `app` on `listener` until `shutdown` resolves.
pub(crate) async fn serve(
    mut listener: BoundedListener,
    app: Router,
    header_read_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, _address) = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder.timer(TokioTimer::new()).header_read_timeout(header_read_timeout);
        let connection = graceful
            .watch(builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone())));
        tokio::spawn(async move {
            // A client that goes away or times out ends its connection; nothing to report.
            if let Err(error) = connection.await {
                tracing::trace!(%error, "connection ended");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {}
    }
}
