//! What the mirror keeps in Redis, and the Lua scripts that change it: each runs atomically on the
//! primary, so a write, its sequence number and its announcement are one step in Redis' total order.
//!
//! Keys (the `{ns}` hash tag keeps them in one slot, as Redis Cluster needs for a script's keys):
//! - `nexus:{ns}:meta`: a hash `format`, `schema`, `epoch` (a random id made when the namespace was
//!   seeded), `gen` (the epoch's number: 1, then one more per reseed after Redis lost its data);
//! - `nexus:{ns}:seq`: the namespace's sequence number, one more per write;
//! - `nexus:{ns}:a:KEY`: one hash per atom (`KEY` its snapshot key): `v` (JSON), `ver`, `seq`;
//! - `nexus:{ns}:op:ID`: the outcome of a write with operation id `ID`, for a minute, so that a retry
//!   after a lost reply returns it instead of writing twice;
//! - channel `nexus:{ns}:chg`: one message per write, `GEN|SEQ|VER|LEN|` then `KEY` and the value's JSON
//!   with nothing between them (`LEN` is the byte length of `KEY`, which may hold `|`), and `GEN|SEQ|0|0|`
//!   when a namespace is (re)seeded.

use std::sync::LazyLock;

/// What `meta.format` says: the layout above. A namespace of another format is refused.
pub(crate) const FORMAT: &str = "nexus-mirror/1";

/// The operation ids' lifetime in Redis, in seconds: far longer than any retry takes.
pub(crate) const OP_TTL: u64 = 60;

/// The key names of one namespace.
pub(crate) struct Keys {
    pub(crate) meta: String,
    pub(crate) seq: String,
    pub(crate) channel: String,
    prefix: String,
}

impl Keys {
    pub(crate) fn new(namespace: &str) -> Self {
        let prefix = format!("nexus:{{{namespace}}}:");
        Keys {
            meta: format!("{prefix}meta"),
            seq: format!("{prefix}seq"),
            channel: format!("{prefix}chg"),
            prefix,
        }
    }

    /// The hash of the atom whose snapshot key is `key`.
    pub(crate) fn atom(&self, key: &str) -> String {
        format!("{}a:{key}", self.prefix)
    }

    pub(crate) fn op(&self, id: &str) -> String {
        format!("{}op:{id}", self.prefix)
    }
}

/// One write: KEYS meta, seq, atom hash, op key; ARGV epoch, atom key, JSON, expected version (`""`: a
/// blind `set`), channel, op TTL. Returns `{"ok", "VER|SEQ"}`, `{"conflict", VER, JSON}` (the expected
/// version was not the current one) or `{"epoch", EPOCH}` (the namespace is not the epoch the caller
/// knows: Redis lost its data, or another process reseeded it). A blind write of the JSON already
/// there writes nothing (no new version, no message).
pub(crate) static WRITE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
local meta = redis.call('HMGET', KEYS[1], 'epoch', 'gen')
if meta[1] ~= ARGV[1] then return {'epoch', meta[1] or ''} end
local done = redis.call('GET', KEYS[4])
if done then return {'ok', done} end
local cur = redis.call('HMGET', KEYS[3], 'v', 'ver', 'seq')
local ver = tonumber(cur[2]) or 0
if ARGV[4] ~= '' and tonumber(ARGV[4]) ~= ver then
  return {'conflict', tostring(ver), cur[1] or ''}
end
local out
if ARGV[4] == '' and cur[1] == ARGV[3] then
  out = tostring(ver) .. '|' .. (cur[3] or '0')
else
  ver = ver + 1
  local seq = redis.call('INCR', KEYS[2])
  redis.call('HSET', KEYS[3], 'v', ARGV[3], 'ver', ver, 'seq', seq)
  redis.call('PUBLISH', ARGV[5],
    meta[2] .. '|' .. seq .. '|' .. ver .. '|' .. string.len(ARGV[2]) .. '|' .. ARGV[2] .. ARGV[3])
  out = ver .. '|' .. seq
end
redis.call('SET', KEYS[4], out, 'EX', ARGV[6])
return {'ok', out}
",
    )
});

/// One consistent state of the namespace: KEYS meta, seq, then the atom hashes. Returns `format`,
/// `schema`, `epoch`, `gen`, `seq`, then `v`, `ver`, `seq` per atom (`v` empty when the atom has none).
/// `format` is empty when there is no `meta`, and `?` when a `meta` written by something else has none.
pub(crate) static SNAPSHOT: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
local m = redis.call('HMGET', KEYS[1], 'format', 'schema', 'epoch', 'gen')
local format = m[1] or ''
if format == '' and redis.call('EXISTS', KEYS[1]) == 1 then format = '?' end
local out = {format, m[2] or '', m[3] or '', m[4] or '', redis.call('GET', KEYS[2]) or '0'}
for i = 3, #KEYS do
  local h = redis.call('HMGET', KEYS[i], 'v', 'ver', 'seq')
  out[#out + 1] = h[1] or ''
  out[#out + 1] = h[2] or '0'
  out[#out + 1] = h[3] or '0'
end
return out
",
    )
});

/// Seeds a namespace that has no `meta` (new, or lost by Redis): KEYS meta, seq, then the atom hashes;
/// ARGV format, schema, epoch, gen, seq, channel, then `JSON, VER` per atom. Returns 0 when another
/// process seeded it first.
pub(crate) static SEED: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'format', ARGV[1], 'schema', ARGV[2], 'epoch', ARGV[3], 'gen', ARGV[4])
redis.call('SET', KEYS[2], ARGV[5])
for i = 3, #KEYS do
  local j = 7 + (i - 3) * 2
  redis.call('HSET', KEYS[i], 'v', ARGV[j], 'ver', ARGV[j + 1], 'seq', ARGV[5])
end
redis.call('PUBLISH', ARGV[6], ARGV[4] .. '|' .. ARGV[5] .. '|0|0|')
return 1
",
    )
});

/// The head of the namespace, polled to catch a subscription lost without a word: KEYS meta, seq.
/// Returns `epoch`, `seq`.
pub(crate) static HEAD: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
return {redis.call('HGET', KEYS[1], 'epoch') or '', redis.call('GET', KEYS[2]) or '0'}
",
    )
});

/// A message of the channel.
#[derive(Debug, PartialEq)]
pub(crate) struct Message<'a> {
    pub(crate) gen: u64,
    pub(crate) seq: u64,
    pub(crate) ver: u64,
    /// Empty for a (re)seed.
    pub(crate) key: &'a str,
    pub(crate) json: &'a str,
}

/// Parses `GEN|SEQ|VER|LEN|KEYJSON` (see the module documentation); `None` if it is not one.
pub(crate) fn parse(payload: &str) -> Option<Message<'_>> {
    let mut parts = payload.splitn(5, '|');
    let gen = parts.next()?.parse().ok()?;
    let seq = parts.next()?.parse().ok()?;
    let ver = parts.next()?.parse().ok()?;
    let len: usize = parts.next()?.parse().ok()?;
    let rest = parts.next()?;
    if !rest.is_char_boundary(len.min(rest.len())) || len > rest.len() {
        return None;
    }
    let (key, json) = rest.split_at(len);
    Some(Message { gen, seq, ver, key, json })
}

/// Parses `VER|SEQ`.
pub(crate) fn parse_outcome(s: &str) -> Option<(u64, u64)> {
    let (ver, seq) = s.split_once('|')?;
    Some((ver.parse().ok()?, seq.parse().ok()?))
}

/// A fresh random id (epochs, operation ids): 128 bits from the standard library's randomly keyed
/// hasher, the process id, the time and a counter; no dependency for it.
pub(crate) fn random_id() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let half = |salt: u64| {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(salt);
        h.write_u64(n);
        h.write_u128(t);
        h.write_u32(std::process::id());
        h.finish()
    };
    format!("{:016x}{:016x}", half(1), half(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_parse_with_bars_in_keys_and_values() {
        let m = parse("2|17|5|8|app::A|B{\"x\":\"a|b\"}").expect("a message");
        assert_eq!(m, Message { gen: 2, seq: 17, ver: 5, key: "app::A|B", json: "{\"x\":\"a|b\"}" });
        assert_eq!(parse("3|9|0|0|").map(|m| (m.gen, m.seq, m.key)), Some((3, 9, "")));
        assert_eq!(parse("x|1|1|1|a1"), None);
        assert_eq!(parse("1|1|1|9|short"), None);
        assert_eq!(parse_outcome("4|99"), Some((4, 99)));
        assert_ne!(random_id(), random_id());
    }
}
