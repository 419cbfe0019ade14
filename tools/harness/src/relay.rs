//! A TCP relay in front of a server, whose network a test can cut: every open connection
//! breaks and new ones are refused, as when a reader goes offline. Browsers then fail
//! each request at once, in the page and in its service worker alike (a browser's own
//! offline switch does not reach a service worker in every browser).

use std::io;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

pub struct Relay {
    addr: SocketAddr,
    cut: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    /// Relays a port of 127.0.0.1 to `to`.
    pub fn start(to: SocketAddr) -> io::Result<Relay> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let relay = Relay {
            addr: listener.local_addr()?,
            cut: Arc::default(),
            open: Arc::default(),
        };
        let (cut, open) = (Arc::clone(&relay.cut), Arc::clone(&relay.open));
        thread::Builder::new()
            .name("garage-relay".into())
            .spawn(move || {
                for client in listener.incoming().flatten() {
                    // Cut: the listener closes, so connections are refused from now on (a
                    // connection accepted and closed unanswered is not always an error to
                    // a browser: Firefox may read it as an empty answer).
                    if cut.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(server) = TcpStream::connect(to) {
                        let _ = relay_both_ways(client, server, &open);
                    }
                }
            })?;
        Ok(relay)
    }

    /// The relay's origin, e.g. `http://127.0.0.1:41235`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    /// Cuts the network: open connections break, new ones are refused.
    pub fn cut(&self) {
        if self.cut.swap(true, Ordering::SeqCst) {
            return;
        }
        // Wakes the accepting thread, which then closes the listener.
        let _ = TcpStream::connect(self.addr);
        let open = std::mem::take(&mut *self.open.lock().unwrap_or_else(PoisonError::into_inner));
        for stream in open {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

fn relay_both_ways(
    client: TcpStream,
    server: TcpStream,
    open: &Mutex<Vec<TcpStream>>,
) -> io::Result<()> {
    let (client_in, server_in) = (client.try_clone()?, server.try_clone()?);
    {
        let mut open = open.lock().unwrap_or_else(PoisonError::into_inner);
        open.push(client.try_clone()?);
        open.push(server.try_clone()?);
    }
    copy_in_thread(client_in, server);
    copy_in_thread(server_in, client);
    Ok(())
}

fn copy_in_thread(mut from: TcpStream, mut to: TcpStream) {
    let _ = thread::Builder::new()
        .name("garage-relay-copy".into())
        .spawn(move || {
            let _ = io::copy(&mut from, &mut to);
            let _ = to.shutdown(Shutdown::Write);
        });
}
