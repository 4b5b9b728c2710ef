//! A minimal SocketCluster client (the protocol of `socketcluster-server`, which `@redux-devtools/cli`
//! runs) over a plain WebSocket: handshake, invoke, subscribe, transmit, and pings.
//!
//! Every SocketCluster frame is one JSON text message. A request carries a `cid`; its answer carries the
//! same number as `rid`. Publications arrive as `{"event":"#publish","data":{"channel":..,"data":..}}`.
//! The server pings with an empty message (protocol 2) or `#1` (protocol 1); we answer `""` or `#2`.

use std::io::{self, ErrorKind};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use serde_json::{json, Value as Json};
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message, WebSocket};

/// The most a server that stops reading can make us buffer before we give up on the connection.
const MAX_WRITE_BUFFER: usize = 8 << 20;

/// What went wrong with the connection, as a sentence.
pub(super) type Failure = String;

/// A message the server pushed to us.
pub(super) enum Incoming {
    /// A publication on a channel we subscribed to.
    Publish { data: Json },
    /// The answer to one of our requests.
    Answer { rid: u64, error: Option<Json>, data: Json },
}

/// One logged-in connection.
pub(super) struct ScSocket {
    ws: WebSocket<TcpStream>,
    next_cid: u64,
    /// The id the server gave this socket in the handshake (the `sc-<id>` channel is ours).
    pub(super) id: String,
}

impl ScSocket {
    /// Connects, upgrades to a WebSocket at `/socketcluster/` and does the SocketCluster handshake, waiting
    /// at most `timeout` for each step. The socket is left non-blocking.
    pub(super) fn connect(host: &str, port: u16, timeout: Duration) -> Result<ScSocket, Failure> {
        let addrs = (host, port).to_socket_addrs().map_err(|e| format!("cannot resolve {host}: {e}"))?;
        let mut last = format!("{host}:{port} has no address");
        let mut stream = None;
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, timeout) {
                Ok(s) => {
                    stream = Some(s);
                    break;
                }
                Err(e) => last = format!("cannot connect to {addr}: {e}"),
            }
        }
        let stream = stream.ok_or(last)?;
        let setup = |s: &TcpStream| -> io::Result<()> {
            s.set_nodelay(true)?;
            s.set_read_timeout(Some(timeout))?;
            s.set_write_timeout(Some(timeout))
        };
        setup(&stream).map_err(|e| format!("cannot configure the connection: {e}"))?;
        let config = WebSocketConfig::default().max_write_buffer_size(MAX_WRITE_BUFFER);
        let url = format!("ws://{host}:{port}/socketcluster/");
        let (ws, _) = tungstenite::client::client_with_config(url.as_str(), stream, Some(config))
            .map_err(|e| format!("WebSocket handshake with {url} failed: {e}"))?;
        let mut socket = ScSocket { ws, next_cid: 1, id: String::new() };
        let cid = socket.request("#handshake", &json!({ "authToken": null }))?;
        let answer = socket.wait_answer(cid, timeout)?;
        answer
            .get("id")
            .and_then(Json::as_str)
            .ok_or_else(|| format!("the SocketCluster handshake answer has no socket id: {answer}"))?
            .clone_into(&mut socket.id);
        Ok(socket)
    }

    /// Calls the server procedure `name` and waits for its answer (blocking; used while logging in).
    pub(super) fn invoke(&mut self, name: &str, data: &Json, timeout: Duration) -> Result<Json, Failure> {
        let cid = self.request(name, data)?;
        self.wait_answer(cid, timeout)
    }

    /// Switches to non-blocking reads and writes, for the bridge's polling loop.
    pub(super) fn set_nonblocking(&mut self) -> Result<(), Failure> {
        self.ws
            .get_mut()
            .set_nonblocking(true)
            .map_err(|e| format!("cannot make the socket non-blocking: {e}"))
    }

    /// Subscribes to `channel` (the server's acknowledgement arrives later as an [`Incoming::Answer`]).
    pub(super) fn subscribe(&mut self, channel: &str) -> Result<u64, Failure> {
        self.request("#subscribe", &json!({ "channel": channel }))
    }

    /// Sends `data` as event `event` without asking for an answer.
    pub(super) fn transmit(&mut self, event: &str, data: &Json) -> Result<(), Failure> {
        self.send(&json!({ "event": event, "data": data }).to_string())
    }

    /// The next message, if one has arrived (never blocks once non-blocking). Answers pings itself.
    pub(super) fn poll(&mut self) -> Result<Option<Incoming>, Failure> {
        loop {
            let text = match self.ws.read() {
                Ok(Message::Text(t)) => t,
                Ok(Message::Close(_)) => return Err("the server closed the connection".to_owned()),
                // Binary frames are not part of the protocol; WebSocket pings are answered by tungstenite.
                Ok(_) => continue,
                Err(tungstenite::Error::Io(e)) if e.kind() == ErrorKind::WouldBlock => {
                    self.flush()?;
                    return Ok(None);
                }
                Err(e) => return Err(format!("connection lost: {e}")),
            };
            match text.as_str() {
                "" => self.send("")?,
                "#1" => self.send("#2")?,
                text => {
                    let Ok(msg) = serde_json::from_str::<Json>(text) else { continue };
                    if let Some(incoming) = classify(msg) {
                        return Ok(Some(incoming));
                    }
                }
            }
        }
    }

    /// Pushes out what is buffered; a full socket buffer is not an error (the next call continues).
    pub(super) fn flush(&mut self) -> Result<(), Failure> {
        match self.ws.flush() {
            Ok(()) => Ok(()),
            Err(tungstenite::Error::Io(e)) if e.kind() == ErrorKind::WouldBlock => Ok(()),
            Err(e) => Err(format!("connection lost: {e}")),
        }
    }

    /// Closes politely, waiting at most `timeout` for the frames already queued to leave.
    pub(super) fn close(mut self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let _ = self.ws.close(None);
        while Instant::now() < deadline {
            match self.ws.flush() {
                Err(tungstenite::Error::Io(e)) if e.kind() == ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(2));
                }
                // Sent, or the connection is gone: either way there is nothing left to wait for.
                _ => break,
            }
        }
    }

    fn request(&mut self, event: &str, data: &Json) -> Result<u64, Failure> {
        let cid = self.next_cid;
        self.next_cid += 1;
        self.send(&json!({ "event": event, "data": data, "cid": cid }).to_string())?;
        Ok(cid)
    }

    fn send(&mut self, text: &str) -> Result<(), Failure> {
        match self.ws.send(Message::text(text)) {
            Ok(()) => Ok(()),
            // Buffered: `flush` sends it once the socket has room.
            Err(tungstenite::Error::Io(e)) if e.kind() == ErrorKind::WouldBlock => Ok(()),
            Err(e) => Err(format!("connection lost: {e}")),
        }
    }

    /// Reads (blocking, with the socket's timeout) until the answer to `cid` arrives.
    fn wait_answer(&mut self, cid: u64, timeout: Duration) -> Result<Json, Failure> {
        let deadline = Instant::now() + timeout;
        loop {
            if Instant::now() >= deadline {
                return Err(format!("no answer from the server within {timeout:?}"));
            }
            let text = match self.ws.read() {
                Ok(Message::Text(t)) => t,
                Ok(Message::Close(_)) => return Err("the server closed the connection".to_owned()),
                Ok(_) => continue,
                Err(e) => return Err(format!("connection lost: {e}")),
            };
            match text.as_str() {
                "" => self.send("")?,
                "#1" => self.send("#2")?,
                text => {
                    if let Ok(msg) = serde_json::from_str::<Json>(text) {
                        if let Some(Incoming::Answer { rid, error, data }) = classify(msg) {
                            if rid == cid {
                                return match error {
                                    Some(error) => Err(format!("the server refused: {error}")),
                                    None => Ok(data),
                                };
                            }
                        }
                    }
                }
            }
        }
    }
}

fn classify(mut msg: Json) -> Option<Incoming> {
    if let Some(rid) = msg.get("rid").and_then(Json::as_u64) {
        let error = msg.get_mut("error").map(Json::take);
        let data = msg.get_mut("data").map_or(Json::Null, Json::take);
        return Some(Incoming::Answer { rid, error, data });
    }
    if msg.get("event").and_then(Json::as_str) == Some("#publish") {
        let data = msg.get_mut("data")?.get_mut("data").map_or(Json::Null, Json::take);
        return Some(Incoming::Publish { data });
    }
    None
}
