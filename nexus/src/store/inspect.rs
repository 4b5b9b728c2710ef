//! What tools may ask of a store instance: its registry, its values rendered, plugins attached, the
//! primitive values it holds, and restoring recorded values (time travel). Nothing here knows a tool.

use std::any::Any;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use crate::core::info::{AtomId, AtomInfo};
use crate::core::value_slot::Value;
#[cfg(feature = "redux-devtools")]
use crate::graph::def::DefGuard;
use crate::graph::def::ErasedDef;
use crate::graph::observe::{ChangeOp, Plugin, PluginId};
use crate::store::instance::StoreShared;

/// One primitive atom's value as this instance holds it, with what is needed to show it (feature
/// `redux-devtools`: the only tool that needs every value at once).
#[cfg(feature = "redux-devtools")]
pub(crate) struct Held {
    pub(crate) atom: AtomId,
    pub(crate) name: Arc<str>,
    pub(crate) def: DefGuard,
    pub(crate) value: Value,
}

impl StoreShared {
    /// Whether this instance holds `r` (without registering it).
    pub(crate) fn holds(&self, r: crate::graph::access::AtomRef<'_>) -> bool {
        self.read().local(r.id).is_some()
    }

    /// Calls `hook` with this instance when it is dropped, before anything is torn down.
    #[cfg(feature = "persist")]
    pub(crate) fn before_drop(&self, hook: crate::graph::state::BeforeDrop) {
        self.write().tools.get_or_insert_with(Box::default).before_drop.push(hook);
    }

    /// Puts `tracer` in this instance's graph: told of every write and recompute from now on.
    pub(crate) fn add_tracer(&self, tracer: Arc<dyn crate::graph::trace::Tracer>) {
        let mut st = self.write();
        st.tools.get_or_insert_with(Box::default).tracers.push(tracer);
        st.tracing = true;
    }

    /// Takes `tracer` out of this instance's graph.
    pub(crate) fn remove_tracer(&self, tracer: &Arc<dyn crate::graph::trace::Tracer>) {
        let mut st = self.write();
        let Some(tools) = st.tools.as_mut() else { return };
        tools.tracers.retain(|t| !Arc::ptr_eq(t, tracer));
        let tracing = !tools.tracers.is_empty();
        st.tracing = tracing;
    }

    /// Every atom `r` depends on, directly or not, as its last evaluations recorded (nearest first).
    pub(crate) fn upstream(&self, r: crate::graph::access::AtomRef<'_>) -> Vec<(AtomId, Arc<str>)> {
        let st = self.read();
        let Some(start) = st.local(r.id) else { return Vec::new() };
        let mut seen = std::collections::HashSet::from([start]);
        let mut queue = std::collections::VecDeque::from([start]);
        let mut out = Vec::new();
        while let Some(l) = queue.pop_front() {
            for &s in &st.node(l).sources {
                if seen.insert(s) {
                    let node = st.node(s);
                    if node.is_live() {
                        out.push((node.id, node.def.any().core().name_arc()));
                    }
                    queue.push_back(s);
                }
            }
        }
        out
    }

    /// How many subscribers (subscriptions and watches) `r` has in this instance.
    pub(crate) fn subscriber_count(&self, r: crate::graph::access::AtomRef<'_>) -> usize {
        let st = self.read();
        st.local(r.id).map_or(0, |l| st.node(l).subs.len())
    }

    /// Sets primitive atoms back to recorded values as one round (time travel). Atoms this instance no
    /// longer holds are skipped.
    pub(crate) fn restore(&self, values: Vec<(AtomId, Value)>) {
        let adopting = crate::store::loads::begin_adopt(self, &values);
        self.change(|st, round| {
            for (id, value) in values {
                let Some(l) = st.local(id) else { continue };
                let node = st.node(l);
                let Some(def) = node.def.guard() else { continue };
                if node.proxy || node.is_derived() {
                    continue;
                }
                let same = node.value.shared().is_some_and(|current| Arc::ptr_eq(current, &value));
                let current = node.value.get().expect("primitive nodes hold a value");
                if same || def.values_equal(current, &*value) {
                    continue;
                }
                self.replace(st, l, value, ChangeOp::Restore, round);
            }
        });
        for atom in adopting {
            atom.finish_adopt(self);
        }
    }

    /// Every primitive atom whose value this instance holds, in registration order, with its current value
    /// (proxies of shared `Global` atoms excluded).
    #[cfg(feature = "redux-devtools")]
    pub(crate) fn held_primitives(&self) -> Vec<Held> {
        // The write lock: values owned by the store are moved behind an `Arc` to be handed out.
        let mut st = self.write();
        let mut nodes: Vec<&mut crate::graph::state::Node> =
            st.nodes.iter_mut().filter(|n| n.is_live() && !n.proxy && !n.is_derived()).collect();
        nodes.sort_by_key(|n| n.seq);
        nodes
            .into_iter()
            .filter_map(|node| {
                let def = node.def.guard()?;
                let value = node.value.share()?;
                Some(Held { atom: node.id, name: def.core().name_arc(), def, value })
            })
            .collect()
    }

    /// Attaches a plugin to this instance.
    pub(crate) fn add_plugin(&self, plugin: Arc<dyn Plugin>) -> PluginId {
        let mut st = self.write();
        let id = PluginId(st.next_seq());
        let plugins = &mut st.tools.get_or_insert_with(Box::default).plugins;
        let mut list = plugins.to_vec();
        list.push((id, plugin));
        *plugins = list.into();
        self.watched.store(true, std::sync::atomic::Ordering::Relaxed);
        id
    }

    /// Detaches a plugin; whether it was attached.
    pub(crate) fn remove_plugin(&self, id: PluginId) -> bool {
        let removed = {
            let mut st = self.write();
            let plugins = &mut st.tools.get_or_insert_with(Box::default).plugins;
            let pos = plugins.iter().position(|(p, _)| *p == id);
            let removed = pos.map(|pos| {
                let mut list = plugins.to_vec();
                let removed = list.remove(pos);
                *plugins = list.into();
                removed
            });
            self.watched.store(!plugins.is_empty(), std::sync::atomic::Ordering::Relaxed);
            removed
        };
        removed.is_some()
    }

    /// Every registered atom with its value rendered (derived atoms brought up to date first). An async
    /// atom is listed once, as the `Loadable` users read: its other parts are left out.
    pub(crate) fn inspect(&self) -> Vec<(AtomInfo, String)> {
        let hidden = crate::store::loads::hidden_parts();
        let mut st = self.write();
        let mut out: Vec<(u64, AtomInfo, String)> = Vec::new();
        for l in 0..u32::try_from(st.nodes.len()).expect("fewer than u32::MAX nodes") {
            let node = &st.nodes[l as usize];
            if !node.is_live() || node.proxy || hidden.contains(&node.def) {
                continue;
            }
            let Some(info) = st.info(l, (self.id, self.name)) else { continue };
            if st.node(l).is_derived() && catch_unwind(AssertUnwindSafe(|| st.refresh(self, l))).is_err() {
                out.push((st.node(l).seq, info, "<read function panicked>".to_owned()));
                continue;
            }
            let node = st.node(l);
            let rendered = match (node.def.guard(), node.value.get()) {
                (Some(def), Some(v)) => Rendered(&*def, v).to_string(),
                _ => "<no value>".to_owned(),
            };
            out.push((node.seq, info, rendered));
        }
        out.sort_by_key(|(seq, ..)| *seq);
        out.into_iter().map(|(_, i, r)| (i, r)).collect()
    }

    /// This instance's registry, in registration order (proxies of the global registry and the parts of
    /// async atoms that users do not read excluded).
    pub(crate) fn atoms(&self) -> Vec<AtomInfo> {
        let hidden = crate::store::loads::hidden_parts();
        let st = self.read();
        let mut infos: Vec<(u64, AtomInfo)> = (0..st.nodes.len())
            .filter(|&l| st.nodes[l].is_live() && !hidden.contains(&st.nodes[l].def))
            .filter_map(|l| {
                let l = u32::try_from(l).expect("fewer than u32::MAX nodes");
                Some((st.node(l).seq, st.info(l, (self.id, self.name))?))
            })
            .collect();
        infos.sort_by_key(|(seq, _)| *seq);
        infos.into_iter().map(|(_, i)| i).collect()
    }

    /// How many atoms [`atoms`](Self::atoms) lists (the store's `Debug` shows it).
    pub(crate) fn len(&self) -> usize {
        let hidden = crate::store::loads::hidden_parts();
        self.read()
            .nodes
            .iter()
            .filter(|n| n.is_live() && !n.proxy && !n.is_effect() && !hidden.contains(&n.def))
            .count()
    }
}

/// Shows a value through its atom's definition.
struct Rendered<'a>(&'a dyn ErasedDef, &'a (dyn Any + Send + Sync));

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_value(self.1, f)
    }
}
