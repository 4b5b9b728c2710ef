//! What one `membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)` costs on this machine: the system call a store
//! would need for lock-free `set`s with no atomic read-modify-write (an "asymmetric fence": the writers
//! pay a compiler fence, and whoever adds the first observer of an atom pays this call, which interrupts
//! every core running one of the process's threads). See BENCHMARKS.md, "Floors".
//!
//! ```sh
//! cargo run --release --example membarrier    # Linux only
//! ```

#[cfg(target_os = "linux")]
fn main() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Instant;

    const QUERY: libc::c_long = 0;
    const PRIVATE_EXPEDITED: libc::c_long = 1 << 3;
    const REGISTER_PRIVATE_EXPEDITED: libc::c_long = 1 << 4;
    let membarrier = |cmd: libc::c_long| -> libc::c_long {
        // SAFETY: `membarrier` takes two integers and a flag word and touches no memory of ours.
        #[allow(unsafe_code)]
        unsafe {
            libc::syscall(libc::SYS_membarrier, cmd, 0 as libc::c_long, 0 as libc::c_long)
        }
    };
    let supported = membarrier(QUERY);
    if supported < 0 || supported & PRIVATE_EXPEDITED == 0 || membarrier(REGISTER_PRIVATE_EXPEDITED) != 0 {
        println!("membarrier(PRIVATE_EXPEDITED) is not available on this kernel");
        return;
    }
    let time = |what: &str| {
        let n = 20_000u32;
        let start = Instant::now();
        for _ in 0..n {
            assert_eq!(membarrier(PRIVATE_EXPEDITED), 0);
        }
        println!("membarrier, {what}: {:.0} ns per call", start.elapsed().as_secs_f64() * 1e9 / f64::from(n));
    };
    time("no other thread");
    // A second thread busy on another core, as in any multi-threaded program: the call interrupts it.
    let stop = Arc::new(AtomicBool::new(false));
    let busy = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut x = 0u64;
            while !stop.load(Ordering::Relaxed) {
                x = std::hint::black_box(x.wrapping_add(1));
            }
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(50));
    time("one other thread running");
    stop.store(true, Ordering::Relaxed);
    busy.join().expect("the busy thread does not panic");
}

#[cfg(not(target_os = "linux"))]
fn main() {
    println!("membarrier is a Linux system call");
}
