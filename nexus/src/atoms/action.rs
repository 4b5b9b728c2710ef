//! [`Action`]: a named write with an argument and a result, run by `store.run` as one batch (Jotai's
//! write-only atom). It holds no value, so no store registers it; tools see its runs through the plugin
//! events `store.run` records.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use crate::core::owner::{Global, Owner, OwnerInfo, Sealed};
use crate::core::value_ops::ValueOps;
use crate::graph::observe::ActionDesc;
use crate::store::access::Runnable;
use crate::store::instance::StoreShared;
use crate::store::writer::Writer;

/// An action: a function that writes atoms of the store `S` (and `Global` ones) as one batch, taking an
/// argument `A` and returning `R`. Run it with [`Store::run`](crate::Store::run).
///
/// Declare actions with `action(|s, arg| …)` in [`atom!`](crate::atom!), or make them at run time with
/// [`Action::new`]. Inside, `s` is a [`Writer`]: it reads, sets, updates and resets atoms like a
/// writable atom's write function, and runs other actions. [`DevTools`](crate::DevTools),
/// [`TimeTravel`](crate::TimeTravel) and the Redux DevTools bridge show a run as one entry named after the
/// action, its changes under it.
///
/// The parameters follow a function's signature, `fn(A) -> R`, with the owner last: what `atom!` takes,
/// `Action<A, R>`, is the type with its owner left out, and the macro adds it as it does for every atom
/// (`Action<A, R, Session>`). `R` defaults to `()` (most actions return nothing); `S` defaults to
/// [`Global`] because a parameter after a defaulted one needs a default too, and `Action<A, R>` outside
/// any store is a `Global` action, as in an `atom!` without `#![store(..)]`.
///
/// ```
/// nexus::store! { pub struct Board; }
///
/// nexus::atom! {
///     #![store(Board)]
///     pub static NEXT_ID: u64 = 1;
///     pub static TASKS: Vec<(u64, String)> = Vec::new();
///     /// Adds a task; returns its id.
///     pub static ADD_TASK: Action<String, u64> = action(|s, title| {
///         let id = s.get(&NEXT_ID);
///         s.set(&NEXT_ID, id + 1);
///         s.update(&TASKS, |tasks| tasks.push((id, title)));
///         id
///     });
/// }
///
/// let board = Board::new();
/// assert_eq!(board.run(&ADD_TASK, "Write docs".to_owned()), 1);
/// assert_eq!(board.run(&ADD_TASK, "Review".to_owned()), 2);
/// assert_eq!(board.get(&TASKS).len(), 2);
/// assert_eq!(format!("{ADD_TASK:?}"), "Action(rust_out::ADD_TASK of Board)");
/// ```
pub struct Action<A: 'static, R: 'static = (), S: 'static = Global> {
    handle: Handle<A, R, S>,
}

/// Where an action's definition lives: a `static` (declared with `atom!`) or an `Arc` (made at run time).
enum Handle<A: 'static, R: 'static, S: 'static> {
    Static(&'static ActionDef<A, R, S>),
    Runtime(Arc<ActionDef<A, R, S>>),
}

/// A typed action definition (made by `declare_action!` or [`Action::new`]).
#[doc(hidden)]
pub struct ActionDef<A, R, S> {
    owner: OwnerInfo,
    name: Name,
    /// The Rust identifier of a declared action's static; empty for run-time actions.
    ident: &'static str,
    module: &'static str,
    body: Body<A, R, S>,
    show: Show<A>,
    /// Made on the first run that a tool watches, then shared by every run.
    name_shared: OnceLock<Arc<str>>,
    path: OnceLock<Arc<str>>,
}

enum Name {
    Static(&'static str),
    Owned(Arc<str>),
}

enum Body<A, R, S> {
    Fn(fn(&mut Writer<'_, S>, A) -> R),
    Boxed(BoxedRun<A, R, S>),
}

type BoxedRun<A, R, S> = Box<dyn Fn(&mut Writer<'_, S>, A) -> R + Send + Sync>;

/// How a run's argument is shown to tools.
enum Show<A> {
    /// Detected where the action was declared (`Debug` if the argument type has it).
    Declared(fn() -> ValueOps<A>),
    Given(Option<fn(&A, &mut fmt::Formatter<'_>) -> fmt::Result>),
}

// No `S: Owner` bound: `owner` was made by `OwnerInfo::of::<S>()`, which checks it (one error for a
// `store(..)` that names no store, on that name).
impl<A, R, S> ActionDef<A, R, S> {
    /// A declared action (used by `declare_action!`).
    pub const fn declared(
        owner: OwnerInfo,
        name: &'static str,
        ident: &'static str,
        module: &'static str,
        run: fn(&mut Writer<'_, S>, A) -> R,
        arg_ops: fn() -> ValueOps<A>,
    ) -> Self {
        ActionDef {
            owner,
            name: Name::Static(name),
            ident,
            module,
            body: Body::Fn(run),
            show: Show::Declared(arg_ops),
            name_shared: OnceLock::new(),
            path: OnceLock::new(),
        }
    }

    fn name(&self) -> &str {
        match &self.name {
            Name::Static(s) => s,
            Name::Owned(s) => s,
        }
    }

    fn name_arc(&self) -> Arc<str> {
        match &self.name {
            Name::Static(s) => self.name_shared.get_or_init(|| Arc::from(*s)).clone(),
            Name::Owned(s) => s.clone(),
        }
    }

    /// `module::IDENT` for a declared action, the name alone for a run-time one (as atoms' paths).
    fn path(&self) -> Arc<str> {
        self.path
            .get_or_init(|| {
                if self.module.is_empty() {
                    self.name().into()
                } else {
                    let last = if self.ident.is_empty() { self.name() } else { self.ident };
                    format!("{}::{last}", self.module).into()
                }
            })
            .clone()
    }

    /// What tools are told when a run starts.
    fn describe(&self, arg: &A) -> ActionDesc {
        struct Shown<'a, A>(&'a A, fn(&A, &mut fmt::Formatter<'_>) -> fmt::Result);
        impl<A> fmt::Display for Shown<'_, A> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                (self.1)(self.0, f)
            }
        }
        let debug = match &self.show {
            Show::Declared(ops) => ops().debug,
            Show::Given(debug) => *debug,
        };
        ActionDesc {
            name: self.name_arc(),
            path: self.path(),
            owner: self.owner.name,
            arg: debug.map(|debug| Shown(arg, debug).to_string()),
        }
    }
}

impl<A: 'static, R: 'static, S: 'static> Action<A, R, S> {
    #[inline]
    fn def(&self) -> &ActionDef<A, R, S> {
        match &self.handle {
            Handle::Static(d) => d,
            Handle::Runtime(d) => d,
        }
    }

    #[doc(hidden)]
    pub const fn __from_static(def: &'static ActionDef<A, R, S>) -> Self {
        Action { handle: Handle::Static(def) }
    }

    /// The registry name: the identifier, the `#[name]` given in `atom!`, the name given to
    /// [`Action::named`], or a generated one (`action#3`).
    pub fn name(&self) -> &str {
        self.def().name()
    }
}

impl<A: 'static, R: 'static, S: Owner> Action<A, R, S> {
    /// A new run-time action; `run` may capture (atoms made at run time, for instance). Tools show its
    /// runs under a generated name (`action#3`); use [`Action::named`] to choose one.
    ///
    /// ```
    /// nexus::store! { pub struct Session; }
    /// let clicks = nexus::Atom::<u32, Session>::new(0);
    /// let add = nexus::Action::<u32, u32, Session>::new({
    ///     let clicks = clicks.clone();
    ///     move |s, n| {
    ///         s.update(&clicks, |c| *c += n);
    ///         s.get(&clicks)
    ///     }
    /// });
    /// let session = Session::new();
    /// assert_eq!(session.run(&add, 2), 2);
    /// assert_eq!(session.run(&add, 3), 5);
    /// ```
    pub fn new(run: impl Fn(&mut Writer<'_, S>, A) -> R + Send + Sync + 'static) -> Self {
        static SERIAL: AtomicU64 = AtomicU64::new(1);
        let name = format!("action#{}", SERIAL.fetch_add(1, Ordering::Relaxed));
        Self::make(name, Show::Given(None), Box::new(run))
    }

    fn make(name: String, show: Show<A>, run: BoxedRun<A, R, S>) -> Self {
        Action {
            handle: Handle::Runtime(Arc::new(ActionDef {
                owner: OwnerInfo::of::<S>(),
                name: Name::Owned(name.into()),
                ident: "",
                module: "",
                body: Body::Boxed(run),
                show,
                name_shared: OnceLock::new(),
                path: OnceLock::new(),
            })),
        }
    }
}

impl<A: fmt::Debug + 'static, R: 'static, S: Owner> Action<A, R, S> {
    /// A new run-time action with a name of the program's choosing: tools show its runs under that name,
    /// with the argument through `Debug`.
    pub fn named(
        name: impl Into<String>,
        run: impl Fn(&mut Writer<'_, S>, A) -> R + Send + Sync + 'static,
    ) -> Self {
        Self::make(name.into(), Show::Given(Some(<A as fmt::Debug>::fmt)), Box::new(run))
    }
}

impl<A: 'static, R: 'static, S: 'static> Clone for Action<A, R, S> {
    fn clone(&self) -> Self {
        let handle = match &self.handle {
            Handle::Static(d) => Handle::Static(d),
            Handle::Runtime(d) => Handle::Runtime(d.clone()),
        };
        Action { handle }
    }
}

impl<A: 'static, R: 'static, S: 'static> PartialEq for Action<A, R, S> {
    /// Two handles are equal when they are the same action (clones of one another).
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.def(), other.def())
    }
}

impl<A: 'static, R: 'static, S: 'static> Eq for Action<A, R, S> {}

impl<A: 'static, R: 'static, S: 'static> fmt::Debug for Action<A, R, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let def = self.def();
        write!(f, "Action({} of {})", def.path(), def.owner.name)
    }
}

impl<A: 'static, R: 'static, S: 'static> Sealed for Action<A, R, S> {}

impl<A: 'static, R: 'static, S: Owner> Runnable for Action<A, R, S> {
    type Arg = A;
    type Output = R;
    type Owner = S;

    fn __run(&self, store: &StoreShared, arg: A) -> R {
        let def = self.def();
        store.run_action(
            arg,
            |arg| def.describe(arg),
            |arg| {
                let mut writer = Writer::<S>::new(store);
                match &def.body {
                    Body::Fn(run) => run(&mut writer, arg),
                    Body::Boxed(run) => run(&mut writer, arg),
                }
            },
        )
    }
}
