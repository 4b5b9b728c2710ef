//! Integration tests of nexus live in the `tests` folder of this crate; helpers they share live here.

use std::alloc::{GlobalAlloc, Layout, System};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicIsize, Ordering};

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

/// A global allocator that counts the live heap bytes, for the tests that check memory comes back: a
/// test binary installs it with
/// `#[global_allocator] static ALLOCATOR: nexus_tests::Counting = nexus_tests::Counting;` and reads
/// [`live_bytes`].
pub struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: forwards every call to `System` unchanged; only counts the sizes.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(isize::try_from(layout.size()).unwrap_or(isize::MAX), Ordering::Relaxed);
        // (A constant-initialised cell: reaching it allocates nothing, and it is never torn down.)
        let _ = THREAD_ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(isize::try_from(layout.size()).unwrap_or(isize::MAX), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

thread_local! {
    static THREAD_ALLOCATIONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many allocations [`Counting`] has seen this thread make (meaningful in a binary that installed it):
/// for tests of code that must not allocate, unaffected by other threads.
pub fn thread_allocations() -> usize {
    THREAD_ALLOCATIONS.with(std::cell::Cell::get)
}

/// The live heap bytes [`Counting`] has seen (meaningful in a binary that installed it).
pub fn live_bytes() -> isize {
    LIVE.load(Ordering::SeqCst)
}

/// A small deterministic PRNG (splitmix64) for the fuzz and storm tests: a fixed seed gives the same
/// cases on every run.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn bits(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.bits() % u64::try_from(n).expect("fits")).expect("fits")
    }

    /// True `percent` times in 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `items` (not empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The number in the environment variable `name`, or `default`.
pub fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// What a leak test allows for noise: a few KiB (e.g. a vector's spare capacity).
pub const LEAK_TOLERANCE: isize = 4 * 1024;

/// Runs `cycle` 1,000 times to warm up, then `cycles` times, and asserts that the live bytes (of the
/// [`Counting`] allocator, which the calling test binary installs) are back where they were after the
/// warm-up, within [`LEAK_TOLERANCE`].
///
/// # Panics
/// If they are not.
pub fn assert_flat(label: &str, cycles: u64, mut cycle: impl FnMut(u64)) {
    for i in 0..1_000 {
        cycle(i);
    }
    let baseline = live_bytes();
    for i in 0..cycles {
        cycle(i);
    }
    let after = live_bytes();
    println!(
        "{label}: baseline {baseline} B, after {cycles} cycles {after} B, difference {} B",
        after - baseline
    );
    assert!((after - baseline).abs() <= LEAK_TOLERANCE, "{label}: grew by {} bytes", after - baseline);
}

/// The Redis mirror tests' `redis-server` and partition proxy (native only).
#[cfg(not(target_arch = "wasm32"))]
pub mod redis_server;
