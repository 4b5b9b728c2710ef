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
