//! How much call stack is left, where a read function cannot be suspended by unwinding
//! (`wasm32-unknown-unknown`, where a panic aborts): a first read there nests read functions as deep as
//! the graph, and running out of stack must end in a clear panic, never in the engine's `RangeError`
//! thrown through Rust frames (which runs no destructor and leaves the store half-way).
//!
//! Two stacks can run out there. The engine's (V8's, about 984 KiB in Chromium) holds the WebAssembly
//! frames; nothing in WebAssembly can read its position, but a call of a no-op function through
//! `Reflect.apply` with `n` arguments pushes `n` words on it, and the engine refuses it with a
//! `RangeError` (returned here as an `Err`, thrown and caught in JavaScript alone) when they do not fit:
//! a probe that leaves the stack as it found it. The *shadow* stack, in linear memory (1 MiB by default,
//! placed first in memory by the linker, so growing down towards address 0), holds the locals whose
//! address is taken; the address of a local says how much of it is left.

/// Whether at least `engine` bytes of the engine's stack and `shadow` bytes of the shadow stack are free.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub(crate) fn room(engine: u32, shadow: usize) -> bool {
    let here = std::hint::black_box(0u8);
    // The linker places the shadow stack first (below 1 MiB): a local's address is the room left. A
    // program linked otherwise has its stack above its data: the check then never fails (the probe
    // below still applies).
    let address = std::ptr::from_ref(&here) as usize;
    if address < (1 << 20) && address < shadow {
        return false;
    }
    PROBE.with(|probe| probe.fits(engine))
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
thread_local! {
    static PROBE: Probe = Probe::new();
}

/// `Function.prototype` (callable, does nothing) and an argument list, kept between probes.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
struct Probe {
    noop: js_sys::Function,
    args: std::cell::RefCell<(u32, js_sys::Array)>,
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
impl Probe {
    fn new() -> Probe {
        // (No `eval` or `new Function`: pages with a strict Content-Security-Policy forbid them.)
        let constructor = js_sys::Reflect::get(&js_sys::global(), &js_sys::JsString::from("Function"))
            .expect("globalThis.Function");
        let noop = js_sys::Reflect::get(&constructor, &js_sys::JsString::from("prototype"))
            .expect("Function.prototype");
        Probe { noop: js_sys::Function::from(noop), args: std::cell::RefCell::new((0, js_sys::Array::new())) }
    }

    /// Whether `bytes` more bytes fit on the engine's stack here.
    fn fits(&self, bytes: u32) -> bool {
        let words = bytes / 8;
        let mut args = self.args.borrow_mut();
        if args.0 != words {
            let list = js_sys::Array::new_with_length(words);
            list.fill(&js_sys::Number::from(0), 0, words);
            *args = (words, list);
        }
        js_sys::Reflect::apply(&self.noop, &js_sys::global(), &args.1).is_ok()
    }
}

/// Natively a deep read suspends instead (or, built with `panic = "abort"`, uses the thread's stack,
/// whose guard page ends the process with "stack overflow").
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub(crate) fn room(_engine: u32, _shadow: usize) -> bool {
    true
}
