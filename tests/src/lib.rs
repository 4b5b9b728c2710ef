//! Integration tests of nexus live in the `tests` folder of this crate; helpers they share live here.

use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs `f`, which must panic, and returns the panic's message.
///
/// # Panics
/// If `f` does not panic.
pub fn panic_message(f: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("expected a panic");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

/// The wall clock, on every target the tests run on (`SystemTime::now()` panics on wasm32).
pub fn now() -> std::time::SystemTime {
    #[cfg(target_arch = "wasm32")]
    {
        let millis = js_sys::Date::now();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let millis = millis as u64;
        std::time::UNIX_EPOCH + std::time::Duration::from_millis(millis)
    }
    #[cfg(not(target_arch = "wasm32"))]
    std::time::SystemTime::now()
}
