//! The mirror's background work: connecting, resynchronising, applying Redis' changes in order, and
//! publishing this process's `store.set`s. One task applies (the driver), so values reach the global
//! registry in Redis' order.

use std::pin::Pin;
use std::sync::{Arc, Weak};
use std::time::Duration;

use futures_core::Stream;
use redis::aio::{MultiplexedConnection, PubSubStream};
use tokio::sync::mpsc;

use crate::core::info::AtomId;
use crate::core::value_slot::Value;
use crate::graph::access::Readable;
use crate::store::global;

use super::mirror::{is_connection_error, Ctl, Inner, Written};
use super::scripts::{self, FORMAT};
use super::{MirrorError, Status};

type Messages = Pin<Box<PubSubStream>>;

/// Opens the command connection, or `None` if Redis does not answer in time.
pub(crate) async fn connect_commands(inner: &Inner) -> Option<MultiplexedConnection> {
    let config = redis::AsyncConnectionConfig::new()
        .set_connection_timeout(Some(inner.timeout))
        .set_response_timeout(Some(inner.timeout));
    let connect = inner.client.get_multiplexed_async_connection_with_config(&config);
    tokio::time::timeout(inner.timeout * 2, connect).await.ok()?.ok()
}

/// Opens the subscription to the namespace's channel, or `None`.
pub(crate) async fn subscribe(inner: &Inner) -> Option<Messages> {
    let open = async {
        let mut pubsub = inner.client.get_async_pubsub().await?;
        pubsub.subscribe(&inner.keys.channel).await?;
        Ok::<_, redis::RedisError>(pubsub.into_on_message())
    };
    Some(Box::pin(tokio::time::timeout(inner.timeout * 2, open).await.ok()?.ok()?))
}

/// Sets the status (and its atom) if it changed.
pub(crate) fn set_status(inner: &Inner, status: Status) {
    {
        let mut sync = inner.sync.lock();
        if sync.status == status {
            return;
        }
        sync.status = status;
    }
    global::apply(vec![(inner.status.__atom(), Arc::new(status) as Value)]);
}

/// Why a resync did not finish.
pub(crate) enum ResyncError {
    /// The connection failed: reconnect and try again.
    Connection,
    Mirror(MirrorError),
}

impl From<redis::RedisError> for ResyncError {
    fn from(e: redis::RedisError) -> Self {
        if is_connection_error(&e) {
            ResyncError::Connection
        } else {
            ResyncError::Mirror(MirrorError::Redis { message: e.to_string() })
        }
    }
}

/// Brings this process to one state of Redis: subscribed first (the caller did), then one atomic read
/// of every mirrored atom and the sequence number, applied as one change; the messages already
/// buffered on the subscription and not newer than that read are skipped afterwards. A namespace Redis
/// does not have is seeded from this process's values (a new one, or one Redis lost: then under a new
/// generation, so that versions never go backwards).
pub(crate) async fn resync(
    inner: &Inner,
    mut conn: MultiplexedConnection,
    first: bool,
) -> Result<(), ResyncError> {
    for _ in 0..5 {
        let mut inv = scripts::SNAPSHOT.prepare_invoke();
        inv.key(&inner.keys.meta).key(&inner.keys.seq);
        for atom in &inner.atoms {
            inv.key(inner.keys.atom(atom.key()));
        }
        let snap: Vec<String> = inv.invoke_async(&mut conn).await?;
        let field = |i: usize| snap.get(i).map_or("", String::as_str);
        let (format, schema, epoch) = (field(0), field(1), field(2));
        if format.is_empty() && epoch.is_empty() {
            seed(inner, &mut conn).await?;
            continue;
        }
        if format != FORMAT || schema != inner.schema.to_string() {
            return Err(ResyncError::Mirror(MirrorError::Schema {
                namespace: inner.namespace.clone(),
                expected: format!("format `{FORMAT}`, schema {}", inner.schema),
                found: format!("format `{format}`, schema `{schema}`"),
            }));
        }
        let number = |s: &str| s.parse::<u64>().unwrap_or(0);
        let (gen, seq) = (number(field(3)), number(field(4)));
        let mut missing = Vec::new();
        let mut problems = Vec::new();
        let mut decoded = Vec::new();
        for (i, atom) in inner.atoms.iter().enumerate() {
            let (json, ver) = (field(5 + 3 * i), number(field(6 + 3 * i)));
            if json.is_empty() {
                missing.push(i);
                continue;
            }
            match atom.decode(json) {
                Ok(value) => decoded.push((i, ver, Ok(value))),
                Err(error) => {
                    problems.push(MirrorError::Decode {
                        key: atom.key().to_owned(),
                        redis_key: inner.keys.atom(atom.key()),
                        error: error.clone(),
                    });
                    decoded.push((i, ver, Err(error)));
                }
            }
        }
        let apply = {
            let mut sync = inner.sync.lock();
            if !first && (gen, seq) < (sync.gen, sync.seq) && epoch == sync.epoch {
                // An older state than the one applied (a replica of Redis behind its primary): wait.
                None
            } else {
                epoch.clone_into(&mut sync.epoch);
                sync.gen = gen;
                sync.seq = seq;
                let mut apply = Vec::new();
                for (i, ver, value) in decoded {
                    let a = &mut sync.atoms[i];
                    a.ver = ver;
                    match value {
                        Ok(value) => {
                            a.value = Some(value.clone());
                            a.bad = None;
                            if a.pending > 0 {
                                a.held = Some(seq);
                            } else {
                                a.held = None;
                                apply.push((i, value));
                            }
                        }
                        Err(error) => a.bad = Some(error),
                    }
                }
                Some(apply)
            }
        };
        let Some(apply) = apply else {
            tokio::time::sleep(inner.poll).await;
            continue;
        };
        global::apply(apply.into_iter().map(|(i, v)| (inner.atoms[i].atom(), v)).collect());
        inner.applied.send_replace((gen, seq));
        for problem in &problems {
            inner.report(problem);
        }
        // Atoms this version of the program added: Redis gets this process's values of them.
        for i in missing {
            let value = global::value(inner.atoms[i].atom());
            let json = inner.atoms[i].encode(&value).map_err(|error| {
                ResyncError::Mirror(MirrorError::Encode { key: inner.atoms[i].key().to_owned(), error })
            })?;
            inner.write_once(&mut conn, epoch, i, &json, Some(0), &scripts::random_id()).await?;
        }
        return Ok(());
    }
    Err(ResyncError::Mirror(MirrorError::Redis {
        message: format!("the namespace `{}` kept changing while it was read", inner.namespace),
    }))
}

/// Seeds a namespace Redis does not have with this process's values, as generation one more than the
/// one this process knows, sequence numbers going on from the last one it applied.
async fn seed(inner: &Inner, conn: &mut MultiplexedConnection) -> Result<(), ResyncError> {
    let (gen, seq, vers) = {
        let sync = inner.sync.lock();
        (sync.gen + 1, sync.seq, sync.atoms.iter().map(|a| a.ver.max(1)).collect::<Vec<_>>())
    };
    let mut inv = scripts::SEED.prepare_invoke();
    inv.key(&inner.keys.meta).key(&inner.keys.seq);
    for atom in &inner.atoms {
        inv.key(inner.keys.atom(atom.key()));
    }
    inv.arg(FORMAT).arg(inner.schema).arg(scripts::random_id()).arg(gen).arg(seq).arg(&inner.keys.channel);
    for (atom, ver) in inner.atoms.iter().zip(vers) {
        let json = atom.encode(&global::value(atom.atom())).map_err(|error| {
            ResyncError::Mirror(MirrorError::Encode { key: atom.key().to_owned(), error })
        })?;
        inv.arg(json).arg(ver);
    }
    let _seeded: i64 = inv.invoke_async(conn).await?;
    Ok(())
}

/// Tells the mirror of `store.set`s (through any global-mode store) of the atoms it mirrors.
pub(crate) struct Hook(pub(crate) Weak<Inner>);

impl global::Listener for Hook {
    fn changed(&self, id: AtomId) {
        let Some(inner) = self.0.upgrade() else { return };
        let Some(i) = inner.index_of(id) else { return };
        inner.sync.lock().atoms[i].pending += 1;
        if inner.publish.send(i).is_err() {
            inner.sync.lock().atoms[i].pending -= 1;
        }
    }
}

/// Publishes `store.set`s in the order they were made: each a blind write of the atom's value at the
/// time of publishing (last writer wins in Redis' order). One that fails (Redis down) is not retried
/// and not queued: it is reported, and undone once no other is pending.
pub(crate) async fn publish(inner: Weak<Inner>, mut rx: mpsc::UnboundedReceiver<usize>) {
    while let Some(i) = rx.recv().await {
        let Some(inner) = inner.upgrade() else { return };
        let atom = &inner.atoms[i];
        let outcome = match atom.encode(&global::value(atom.atom())) {
            Ok(json) => inner.write(i, &json, None).await,
            Err(error) => Err(MirrorError::Encode { key: atom.key().to_owned(), error }),
        };
        let settled = {
            let mut sync = inner.sync.lock();
            let a = &mut sync.atoms[i];
            a.pending -= 1;
            match &outcome {
                Ok((Written::Ok { seq, .. }, _)) => a.local_seq = a.local_seq.max(*seq),
                _ => a.failed = true,
            }
            a.pending == 0 && (a.held.is_some() || a.failed)
        };
        match &outcome {
            Err(e) => inner.report(e),
            Ok((Written::Epoch, _)) => inner.report(&MirrorError::Redis {
                message: format!("`{}` was set while Redis lost its data: the value is undone", atom.key()),
            }),
            Ok(_) => {}
        }
        if settled {
            let _ = inner.ctl.send(Ctl::Settled(i));
        }
        inner.published.send_modify(|n| *n += 1);
    }
}

/// The atom's last pending `store.set` ended: apply Redis' newest value of it if that is newer than
/// this process's own write, or if a write failed (undoing it).
fn settle(inner: &Inner, i: usize) {
    let value = {
        let mut sync = inner.sync.lock();
        let a = &mut sync.atoms[i];
        if a.pending > 0 {
            return;
        }
        let held = a.held.take();
        if std::mem::take(&mut a.failed) || held.is_some_and(|seq| seq > a.local_seq) {
            a.value.clone()
        } else {
            None
        }
    };
    if let Some(value) = value {
        global::apply(vec![(inner.atoms[i].atom(), value)]);
    }
}

/// Applies one message of the channel; `false` when a resync is needed (a gap in the sequence, or a
/// new generation).
fn handle(inner: &Inner, payload: &str) -> bool {
    let Some(m) = scripts::parse(payload) else {
        inner.report(&MirrorError::Redis {
            message: format!("a message of the channel was not understood: {payload:.80}"),
        });
        return true;
    };
    let mut sync = inner.sync.lock();
    if m.gen != sync.gen {
        return m.gen < sync.gen;
    }
    if m.seq <= sync.seq {
        return true;
    }
    if m.seq != sync.seq + 1 {
        return false;
    }
    sync.seq = m.seq;
    let head = (sync.gen, sync.seq);
    let Some(i) = inner.index_of_key(m.key) else {
        // An atom this process does not mirror (another version of the service has it).
        drop(sync);
        inner.applied.send_replace(head);
        return true;
    };
    let a = &mut sync.atoms[i];
    a.ver = m.ver;
    let mut apply = None;
    let mut problem = None;
    match inner.atoms[i].decode(m.json) {
        Ok(value) => {
            a.value = Some(value.clone());
            a.bad = None;
            if a.pending > 0 {
                a.held = Some(m.seq);
            } else {
                a.held = None;
                apply = Some(value);
            }
        }
        Err(error) => {
            a.bad = Some(error.clone());
            problem =
                Some(MirrorError::Decode { key: m.key.to_owned(), redis_key: inner.keys.atom(m.key), error });
        }
    }
    drop(sync);
    if let Some(value) = apply {
        global::apply(vec![(inner.atoms[i].atom(), value)]);
    }
    inner.applied.send_replace(head);
    if let Some(problem) = problem {
        inner.report(&problem);
    }
    true
}

/// The next message, `None` when the subscription's connection is gone.
async fn next(messages: &mut Messages) -> Option<String> {
    let msg = std::future::poll_fn(|cx| messages.as_mut().poll_next(cx)).await?;
    Some(msg.get_payload::<String>().unwrap_or_default())
}

/// Waits `pause`, meanwhile settling atoms; `false` when the mirror was dropped.
async fn wait(inner: &Inner, ctl: &mut mpsc::UnboundedReceiver<Ctl>, pause: Duration) -> bool {
    let sleep = tokio::time::sleep(pause);
    tokio::pin!(sleep);
    loop {
        tokio::select! {
            () = &mut sleep => return true,
            c = ctl.recv() => match c {
                None => return false,
                Some(Ctl::Settled(i)) => settle(inner, i),
                Some(Ctl::Broken) => {}
            },
        }
    }
}

/// The driver: keeps both connections up, resynchronises after any doubt, applies messages in order,
/// and polls the namespace's head to catch a subscription lost without a word.
pub(crate) async fn drive(inner: Arc<Inner>, mut ctl: mpsc::UnboundedReceiver<Ctl>, messages: Messages) {
    let mut messages = Some(messages);
    let mut number = 1;
    let mut resync_needed = false;
    let mut backoff = Duration::from_millis(20);
    loop {
        let link_up = inner.link.lock().is_some();
        if !link_up || messages.is_none() {
            set_status(&inner, Status::Reconnecting);
            if !link_up {
                let Some(conn) = connect_commands(&inner).await else {
                    if !wait(&inner, &mut ctl, backoff).await {
                        return;
                    }
                    backoff = (backoff * 2).min(Duration::from_millis(500));
                    continue;
                };
                number += 1;
                *inner.link.lock() = Some((number, conn));
            }
            if messages.is_none() {
                messages = subscribe(&inner).await;
                if messages.is_none() {
                    if !wait(&inner, &mut ctl, backoff).await {
                        return;
                    }
                    backoff = (backoff * 2).min(Duration::from_millis(500));
                    continue;
                }
            }
            resync_needed = true;
        }
        backoff = Duration::from_millis(20);
        if resync_needed {
            set_status(&inner, Status::Resyncing);
            let Ok((number, conn)) = inner.connection() else { continue };
            match resync(&inner, conn, false).await {
                Ok(()) => resync_needed = false,
                Err(ResyncError::Connection) => {
                    inner.broken(number);
                    continue;
                }
                Err(ResyncError::Mirror(e)) => {
                    inner.report(&e);
                    if !wait(&inner, &mut ctl, inner.poll).await {
                        return;
                    }
                    continue;
                }
            }
        }
        set_status(&inner, Status::Connected);
        let stream = messages.as_mut().expect("subscribed above");
        let lost_subscription = match follow(&inner, stream, &mut ctl).await {
            Followed::Stop => return,
            Followed::Resync => {
                resync_needed = true;
                false
            }
            Followed::Reconnect => false,
            Followed::LostSubscription => true,
        };
        if lost_subscription {
            messages = None;
            // Redis itself may be gone: find out now, so that writes fail at once rather than after
            // a timeout on a dead connection.
            if let Ok((number, mut conn)) = inner.connection() {
                let cmd = redis::cmd("PING");
                let ping = cmd.query_async::<String>(&mut conn);
                if !matches!(tokio::time::timeout(inner.timeout, ping).await, Ok(Ok(_))) {
                    inner.broken(number);
                }
            }
        }
    }
}

/// Why [`follow`] stopped.
enum Followed {
    /// The mirror was dropped.
    Stop,
    /// A resync is needed (a gap, a new epoch, a lag, a failed command).
    Resync,
    /// The command connection is gone.
    Reconnect,
    /// The subscription's connection is gone.
    LostSubscription,
}

/// Applies messages as they come, settles atoms, and polls the head, until something calls for more.
async fn follow(inner: &Inner, stream: &mut Messages, ctl: &mut mpsc::UnboundedReceiver<Ctl>) -> Followed {
    let mut poll = tokio::time::interval(inner.poll);
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    poll.tick().await;
    // The head seen at the last poll, when it was ahead of what was applied.
    let mut behind: Option<u64> = None;
    loop {
        tokio::select! {
            msg = next(stream) => match msg {
                None => return Followed::LostSubscription,
                Some(payload) => if !handle(inner, &payload) {
                    return Followed::Resync;
                },
            },
            c = ctl.recv() => match c {
                None => return Followed::Stop,
                Some(Ctl::Settled(i)) => settle(inner, i),
                // A failed command (the connection is dropped: reconnect), or a write that met
                // another epoch (resync).
                Some(Ctl::Broken) => return Followed::Resync,
            },
            _ = poll.tick() => {
                let Ok((number, mut conn)) = inner.connection() else { return Followed::Reconnect };
                let mut inv = scripts::HEAD.prepare_invoke();
                inv.key(&inner.keys.meta).key(&inner.keys.seq);
                match inv.invoke_async::<Vec<String>>(&mut conn).await {
                    Err(e) => {
                        if is_connection_error(&e) {
                            inner.broken(number);
                        }
                        return Followed::Resync;
                    }
                    Ok(head) => {
                        let epoch = head.first().cloned().unwrap_or_default();
                        let seq = head.get(1).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
                        let (known_epoch, applied) = {
                            let sync = inner.sync.lock();
                            (sync.epoch.clone(), sync.seq)
                        };
                        // Behind for a whole poll interval: messages were lost.
                        if epoch != known_epoch || behind.is_some_and(|b| applied < b) {
                            return Followed::Resync;
                        }
                        behind = (seq > applied).then_some(seq);
                    }
                }
            }
        }
    }
}
