//! [`BoundedListener`]: a TCP listener that holds at most a fixed number of connections open, and
//! at most a smaller number from any one IP address.
//!
//! Past the total limit it stops accepting: new connections wait in the kernel's backlog until an
//! open one closes, so a flood of idle connections costs the node neither memory nor file
//! descriptors beyond the limit. A connection from an address that holds its share already is
//! closed at once, so one client cannot take every slot; the server's header timeout closes the
//! idle ones it holds.

use std::{
    collections::BTreeMap,
    io,
    net::{IpAddr, SocketAddr},
    pin::Pin,
    sync::{Arc, Mutex, PoisonError},
    task::{Context, Poll},
};

use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::{OwnedSemaphorePermit, Semaphore},
};

use crate::metrics::CountGauge;

/// A listener that accepts a connection only while fewer than its limit are open, and keeps one
/// only while its address holds fewer than its share.
#[derive(Debug)]
pub struct BoundedListener {
    inner: TcpListener,
    permits: Arc<Semaphore>,
    open: CountGauge,
    per_address: usize,
    by_address: Arc<Mutex<BTreeMap<IpAddr, usize>>>,
}

impl BoundedListener {
    /// Wraps `inner`, allowing `limit` open connections (at least one), `per_address` of them
    /// (at least one) from any one IP address, counted in `open`.
    pub fn new(inner: TcpListener, limit: usize, per_address: usize, open: CountGauge) -> Self {
        BoundedListener {
            inner,
            permits: Arc::new(Semaphore::new(limit.max(1))),
            open,
            per_address: per_address.max(1),
            by_address: Arc::default(),
        }
    }

    /// The next connection within the limits.
    pub async fn accept(&mut self) -> (BoundedStream, SocketAddr) {
        let permit = match self.permits.clone().acquire_owned().await {
            Ok(permit) => permit,
            // The semaphore is never closed; if it were, accept nothing more.
            Err(_) => std::future::pending().await,
        };
        loop {
            let (stream, address) = axum::serve::Listener::accept(&mut self.inner).await;
            let ip = address.ip();
            {
                let mut by_address = self.by_address.lock().unwrap_or_else(PoisonError::into_inner);
                let held = by_address.entry(ip).or_insert(0);
                if *held >= self.per_address {
                    // Dropping the stream closes it: this address holds its share already.
                    tracing::debug!(%ip, held = *held, "connection refused: too many from one address");
                    continue;
                }
                *held += 1;
            }
            self.open.inc();
            let stream = BoundedStream {
                stream,
                ip,
                open: self.open.clone(),
                by_address: self.by_address.clone(),
                _permit: permit,
            };
            return (stream, address);
        }
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// An accepted connection; closing it makes room for the next.
#[derive(Debug)]
pub struct BoundedStream {
    stream: TcpStream,
    ip: IpAddr,
    open: CountGauge,
    by_address: Arc<Mutex<BTreeMap<IpAddr, usize>>>,
    _permit: OwnedSemaphorePermit,
}

impl Drop for BoundedStream {
    fn drop(&mut self) {
        self.open.dec();
        let mut by_address = self.by_address.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(held) = by_address.get_mut(&self.ip) {
            *held -= 1;
            if *held == 0 {
                by_address.remove(&self.ip);
            }
        }
    }
}

impl AsyncRead for BoundedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for BoundedStream {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
