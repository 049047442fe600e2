//! A hand-rolled loopback HTTP/1.1 server for the misbehaviour wiremock cannot produce: a
//! body or a header block that drips in a byte at a time, a body that never ends, a body
//! shorter than its `Content-Length`. Each path gets a scripted reply; every other path a 404.
//! One thread per connection, so a reply that never ends holds up nothing else.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// What the server sends for one path.
#[derive(Clone)]
pub enum Reply {
    /// These bytes, then the connection closes.
    Bytes(Vec<u8>),
    /// `head`, then `chunk` again and again with `pause` in between, until the client hangs up
    /// or the server stops.
    Forever { head: Vec<u8>, chunk: Vec<u8>, pause: Duration },
}

impl Reply {
    /// A complete `200 OK` with `Content-Length`.
    pub fn ok(content_type: &str, body: impl AsRef<[u8]>) -> Self {
        let body = body.as_ref();
        let mut bytes = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        bytes.extend_from_slice(body);
        Reply::Bytes(bytes)
    }
}

/// The running server; stops when dropped.
pub struct RawServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl RawServer {
    /// Serves `routes` (request path, without query, to reply) on a free loopback port.
    pub fn start(routes: HashMap<String, Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let stop = Arc::new(AtomicBool::new(false));
        let routes = Arc::new(routes);
        let thread = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (routes, stop) = (routes.clone(), stop.clone());
                    std::thread::spawn(move || serve(stream, &routes, &stop));
                }
            })
        };
        RawServer { addr, stop, thread: Some(thread) }
    }

    /// The `--mirror` base URL.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(mut stream: TcpStream, routes: &HashMap<String, Reply>, stop: &AtomicBool) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    // The request head; the client sends no body with GET.
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let target = head.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split('?').next().unwrap_or(target);
    match routes.get(path) {
        Some(Reply::Bytes(bytes)) => {
            let _ = stream.write_all(bytes);
        }
        Some(Reply::Forever { head, chunk, pause }) => {
            if stream.write_all(head).is_err() {
                return;
            }
            // Ends when the client has gone (a write fails) or the test is over.
            while !stop.load(Ordering::SeqCst) {
                if stream.write_all(chunk).and_then(|()| stream.flush()).is_err() {
                    return;
                }
                std::thread::sleep(*pause);
            }
        }
        None => {
            let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    }
}
