//! What a tool may ask of a store instance about its graph: the atoms it lists (as
//! [`atoms`](StoreShared::atoms) does), each with its value rendered, whether it is mounted and when its
//! value last changed, and the edges between them (reader → source). Plain data: nothing here knows how a
//! tool draws it ([`Graph`](crate::Graph) does).

use std::any::Any;
use std::fmt;

use crate::core::info::AtomInfo;
use crate::graph::def::ErasedDef;
use crate::store::instance::StoreShared;

/// One listed atom of a store instance's graph.
pub(crate) struct ExportedNode {
    pub(crate) info: AtomInfo,
    /// Rendered as DevTools renders it, or `<read function panicked>`, or `<no value>`.
    pub(crate) value: String,
    pub(crate) mounted: bool,
    /// The store's change epoch at which this value last changed (see `Node::changed_at`).
    pub(crate) version: u64,
}

/// A store instance's graph: its listed atoms in registration order, and the edges between them as
/// `(reader, source)` indices into `nodes`, in the readers' order, each reader's sources in the order it
/// read them.
pub(crate) struct Export {
    /// `Name#id`, as a key displays its store.
    pub(crate) store: String,
    pub(crate) nodes: Vec<ExportedNode>,
    pub(crate) edges: Vec<(usize, usize)>,
}

impl StoreShared {
    /// This instance's graph (see [`Export`]). Derived atoms are brought up to date first (as
    /// [`inspect`](StoreShared::inspect) does), so that their edges are those of their current values;
    /// an atom a read function registers meanwhile is listed too.
    pub(crate) fn graph_export(&self) -> Export {
        let hidden = crate::store::loads::hidden_parts();
        let mut st = self.write();
        let listed = |st: &crate::graph::state::State, l: usize| {
            let node = &st.nodes[l];
            node.is_live() && !node.proxy && !node.is_effect() && !hidden.contains(&node.def)
        };
        // Bring every listed derived atom up to date. A read function may register atoms: the loop goes
        // on to the end of the vector as it grows.
        let mut panicked = Vec::new();
        let mut l = 0;
        while l < st.nodes.len() {
            if listed(&st, l) && st.nodes[l].is_derived() {
                let slot = u32::try_from(l).expect("fewer than u32::MAX nodes");
                if st.try_refresh(self, slot).is_err() {
                    panicked.push(slot);
                }
            }
            l += 1;
        }

        let mut order: Vec<(u64, u32, AtomInfo)> = (0..st.nodes.len())
            .filter(|&l| listed(&st, l))
            .filter_map(|l| {
                let l = u32::try_from(l).expect("fewer than u32::MAX nodes");
                Some((st.node(l).seq, l, st.info(l, (self.id, self.name))?))
            })
            .collect();
        order.sort_by_key(|(seq, ..)| *seq);

        // Local slot -> index in `nodes`.
        let mut index = vec![usize::MAX; st.nodes.len()];
        for (i, (_, l, _)) in order.iter().enumerate() {
            index[*l as usize] = i;
        }
        let mut edges = Vec::new();
        let mut nodes = Vec::with_capacity(order.len());
        for (i, (_, l, info)) in order.into_iter().enumerate() {
            let node = st.node(l);
            for (k, &s) in node.sources.iter().enumerate() {
                let j = index.get(s as usize).copied().unwrap_or(usize::MAX);
                if j != usize::MAX && !node.sources[..k].contains(&s) {
                    edges.push((i, j));
                }
            }
            let value = if panicked.contains(&l) {
                "<read function panicked>".to_owned()
            } else {
                match (node.def.guard(), node.value.get()) {
                    (Some(def), Some(v)) => Shown(&*def, v).to_string(),
                    _ => "<no value>".to_owned(),
                }
            };
            let mounted = st.is_mounted(l);
            let version = st.node(l).changed_at;
            nodes.push(ExportedNode { info, value, mounted, version });
        }
        Export { store: format!("{}#{}", self.name, self.id), nodes, edges }
    }
}

/// Shows a value through its atom's definition (as DevTools shows it).
struct Shown<'a>(&'a dyn ErasedDef, &'a (dyn Any + Send + Sync));

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_value(self.1, f)
    }
}
