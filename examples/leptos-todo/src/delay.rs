//! A timer future that is `Send` (an async atom's future must be): the browser's `setTimeout` wakes it;
//! natively it is ready at once.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

/// Ready after `ms` milliseconds in the browser; ready at once natively.
pub fn delay(ms: i32) -> Delay {
    Delay { ms, started: false, state: Arc::default() }
}

#[derive(Default)]
struct State {
    done: bool,
    waker: Option<Waker>,
}

/// See [`delay`]. It holds no JavaScript value (those are not `Send`): the timer's callback holds the
/// shared state, and the future the same.
pub struct Delay {
    ms: i32,
    started: bool,
    state: Arc<Mutex<State>>,
}

impl Future for Delay {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if !cfg!(target_arch = "wasm32") {
            return Poll::Ready(());
        }
        {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            if state.done {
                return Poll::Ready(());
            }
            state.waker = Some(cx.waker().clone());
        }
        if !self.started {
            self.started = true;
            start_timer(self.ms, self.state.clone());
        }
        Poll::Pending
    }
}

#[cfg(target_arch = "wasm32")]
fn start_timer(ms: i32, state: Arc<Mutex<State>>) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let callback = Closure::once_into_js(move || {
        let waker = {
            let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
            state.done = true;
            state.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    });
    web_sys::window()
        .expect("a browser window")
        .set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), ms)
        .expect("setTimeout");
}

#[cfg(not(target_arch = "wasm32"))]
fn start_timer(_ms: i32, _state: Arc<Mutex<State>>) {}
