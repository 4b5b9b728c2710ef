//! The wall clock that stamps registrations and tool events. `SystemTime::now()` panics on
//! `wasm32-unknown-unknown` (the standard library has no clock there), so that target asks JavaScript's
//! `Date.now()` through `js-sys`: nexus builds and runs in the browser (and in node) with no feature flag.

use std::time::SystemTime;

/// Now, on every target nexus supports.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
#[inline]
pub(crate) fn now() -> SystemTime {
    SystemTime::now()
}

/// Now, from `Date.now()` (milliseconds since the Unix epoch).
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub(crate) fn now() -> SystemTime {
    let millis = js_sys::Date::now();
    // `Date.now()` is a whole, non-negative number of milliseconds well inside `u64`.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let millis = millis.max(0.0) as u64;
    SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(millis)
}
