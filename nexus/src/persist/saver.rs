//! When saves run: off the thread that made the change. Natively, one background thread for the whole
//! process (`nexus-persist`) that sleeps until the earliest due save; a server with 10,000 persisted
//! stores has one thread, not 10,000. On wasm32, a JavaScript timer (`setTimeout`).

use std::sync::Weak;
use std::time::Duration;

use crate::persist::Inner;

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
mod native {
    use std::sync::{Condvar, Mutex, OnceLock, PoisonError, Weak};
    use std::time::{Duration, Instant};

    use crate::persist::Inner;

    struct Saver {
        due: Mutex<Vec<(Instant, Weak<Inner>)>>,
        wake: Condvar,
    }

    static SAVER: OnceLock<Saver> = OnceLock::new();

    pub(super) fn after(delay: Duration, job: Weak<Inner>) {
        let saver = SAVER.get_or_init(|| {
            std::thread::Builder::new()
                .name("nexus-persist".to_owned())
                .spawn(run)
                .expect("nexus: could not start the persistence thread");
            Saver { due: Mutex::new(Vec::new()), wake: Condvar::new() }
        });
        let at = Instant::now() + delay;
        saver.due.lock().unwrap_or_else(PoisonError::into_inner).push((at, job));
        saver.wake.notify_one();
    }

    fn run() {
        let saver = loop {
            // The thread starts inside `get_or_init`: wait until the value is there.
            if let Some(saver) = SAVER.get() {
                break saver;
            }
            std::thread::yield_now();
        };
        let mut due = saver.due.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            let now = Instant::now();
            let (ready, waiting): (Vec<_>, Vec<_>) =
                std::mem::take(&mut *due).into_iter().partition(|(at, _)| *at <= now);
            *due = waiting;
            if ready.is_empty() {
                due = match due.iter().map(|(at, _)| *at).min() {
                    Some(next) => {
                        saver.wake.wait_timeout(due, next - now).unwrap_or_else(PoisonError::into_inner).0
                    }
                    None => saver.wake.wait(due).unwrap_or_else(PoisonError::into_inner),
                };
                continue;
            }
            drop(due);
            for (_, job) in ready {
                if let Some(inner) = job.upgrade() {
                    inner.run_scheduled();
                }
            }
            due = saver.due.lock().unwrap_or_else(PoisonError::into_inner);
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod web {
    use std::sync::Weak;
    use std::time::Duration;

    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    use crate::persist::Inner;

    pub(super) fn after(delay: Duration, job: Weak<Inner>) {
        let run = Closure::once_into_js(move || {
            if let Some(inner) = job.upgrade() {
                inner.run_scheduled();
            }
        });
        let global = js_sys::global();
        let set_timeout = js_sys::Reflect::get(&global, &"setTimeout".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        let millis = f64::from(u32::try_from(delay.as_millis()).unwrap_or(u32::MAX));
        match set_timeout {
            Some(set_timeout) => {
                let _ = set_timeout.call2(&global, &run, &millis.into());
            }
            // No timers (an unusual host): save at once rather than never.
            None => {
                if let Some(f) = run.dyn_ref::<js_sys::Function>() {
                    let _ = f.call0(&global);
                }
            }
        }
    }
}

/// Runs `job`'s scheduled save `delay` from now, on the saver.
pub(crate) fn after(delay: Duration, job: Weak<Inner>) {
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    native::after(delay, job);
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    web::after(delay, job);
}
