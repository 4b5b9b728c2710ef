//! Which thread is running: an address unique to the current thread while it lives (cheaper than
//! `std::thread::current().id()`, which clones an `Arc`).

/// An address unique to the current thread while it lives; never 0.
#[inline]
pub(crate) fn mark() -> usize {
    thread_local!(static MARK: u8 = const { 0 });
    MARK.with(|m| std::ptr::from_ref(m) as usize)
}
