//! The 1,000-row pages of the tests: a row per atom ([`NexusRows`]) and the same page with a plain
//! Leptos signal per row ([`SignalRows`]), for `tests/browser.rs` (one write changes one text node) and
//! the benchmark `tests/rows.rs` (nexus against `RwSignal`).

use leptos::prelude::*;
use nexus::leptos::use_atom_value;
use nexus::Atom;

nexus::store! {
    /// The rows' store: provide one instance above [`NexusRows`].
    pub struct RowStore;
}

/// The run-time atoms of `n` rows, all starting at 0.
#[must_use]
pub fn row_atoms(n: usize) -> Vec<Atom<u32, RowStore>> {
    (0..n).map(|_| Atom::new(0)).collect()
}

/// A row per atom (`ul.rows > li.row`), each bound through [`use_atom_value`] in the nearest
/// [`RowStore`].
#[component]
pub fn NexusRows(
    /// One atom per row.
    atoms: Vec<Atom<u32, RowStore>>,
) -> impl IntoView {
    view! {
        <ul class="rows">
            {atoms.into_iter().map(|atom| view! { <NexusRow atom/> }).collect_view()}
        </ul>
    }
}

/// One row of [`NexusRows`].
// Component props come by value.
#[allow(clippy::needless_pass_by_value)]
#[component]
pub fn NexusRow(
    /// The row's atom.
    atom: Atom<u32, RowStore>,
) -> impl IntoView {
    let value = use_atom_value(&atom);
    view! { <li class="row">{value}</li> }
}

/// The same page with a Leptos `RwSignal` per row.
#[component]
pub fn SignalRows(
    /// One signal per row.
    signals: Vec<RwSignal<u32>>,
) -> impl IntoView {
    view! {
        <ul class="rows">
            {signals.into_iter().map(|value| view! { <li class="row">{value}</li> }).collect_view()}
        </ul>
    }
}
