//! [`Graph`]: a store instance's atoms and the edges between them, as data, and drawn as Graphviz DOT,
//! a Mermaid flowchart or one self-contained HTML page. Built from the store's inspection call
//! (`store/graph_export.rs`); nothing below `tools/` knows how a graph is drawn.

use std::collections::VecDeque;
use std::fmt::{self, Write as _};

use crate::core::info::AtomKind;
use crate::store::graph_export::Export;

/// A store instance's reactive graph at one moment, from [`Store::graph`](crate::Store::graph).
///
/// **Nodes** are the atoms the instance lists in [`Store::atoms`](crate::Store::atoms) (no proxies of
/// the global registry, an async atom as the one `Loadable` users read), in registration order, each
/// with its value rendered as [`DevTools`](crate::DevTools) renders it. Derived atoms are brought up to
/// date before the graph is taken, so **edges** are what each derived atom read in its current value's
/// evaluation: one [`GraphEdge`] per reader → source, by index into [`nodes`](Graph::nodes).
///
/// The graph is plain data (`Clone`, `PartialEq`): take one, change the store, take another and compare.
/// It is drawn by [`to_dot`](Graph::to_dot) (Graphviz), [`to_mermaid`](Graph::to_mermaid) (a flowchart for
/// Markdown) and [`to_html`](Graph::to_html) (one page that works offline: click a node to see its value,
/// sources and readers).
///
/// # JSON
///
/// [`to_json`](Graph::to_json) (and, with feature `serde`, `Serialize`/`Deserialize`, which give and take
/// the same text) follows the shape of Angular's `getSignalGraph` (`DebugSignalGraph`): nodes and edges by
/// index, an edge naming its reader `consumer` and its source `producer`:
///
/// ```json
/// {
///   "store": "Cart#1",
///   "nodes": [
///     { "id": "Cart#1/shop::PRICE", "label": "PRICE", "path": "shop::PRICE", "kind": "primitive",
///       "type": "u32", "value": "10", "mounted": false, "epoch": 3 },
///     { "id": "Cart#1/shop::TOTAL", "label": "TOTAL", "path": "shop::TOTAL", "kind": "computed",
///       "type": "u32", "value": "20", "mounted": true, "epoch": 4 }
///   ],
///   "edges": [ { "consumer": 1, "producer": 0 } ]
/// }
/// ```
///
/// `id` is the atom's [`AtomKey`](crate::AtomKey) as it displays, `label` its registry name, `kind` one of
/// `primitive`, `computed`, `writable` (Angular's `signal` and `computed`), `epoch` its
/// [`version`](GraphNode::version). An optional `transactions` array (see [`GraphTransaction`]) is there
/// only when transactions were attached with [`with_transactions`](Graph::with_transactions).
///
/// # Example
///
/// ```
/// nexus::store! { pub struct Shop; }
/// nexus::atom! {
///     #![store(Shop)]
///     pub static PRICE: u32 = 10;
///     pub static COUNT: u32 = 2;
///     pub static TOTAL: u32 = computed(|s| s.get(&PRICE) * s.get(&COUNT));
/// }
///
/// let shop = Shop::new();
/// assert_eq!(shop.get(&TOTAL), 20);
/// let graph = shop.graph();
/// let total = graph.index_of("TOTAL").unwrap();
/// assert_eq!(graph.nodes()[total].value(), "20");
/// let sources: Vec<&str> = graph.sources(total).map(|i| graph.nodes()[i].name()).collect();
/// assert_eq!(sources, ["PRICE", "COUNT"]);
/// assert!(graph.to_mermaid().contains("-->"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Graph {
    store: String,
    nodes: Vec<GraphNode>,
    edges: Vec<GraphEdge>,
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    transactions: Vec<GraphTransaction>,
}

/// One atom of a [`Graph`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GraphNode {
    id: String,
    label: String,
    path: String,
    #[cfg_attr(feature = "serde", serde(with = "kind_serde"))]
    kind: AtomKind,
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    type_name: String,
    value: String,
    mounted: bool,
    epoch: u64,
}

/// One edge of a [`Graph`]: [`reader`](GraphEdge::reader) read [`source`](GraphEdge::source) in its
/// current value's evaluation. In JSON, `{ "consumer": reader, "producer": source }` (Angular's names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GraphEdge {
    #[cfg_attr(feature = "serde", serde(rename = "consumer"))]
    reader: usize,
    #[cfg_attr(feature = "serde", serde(rename = "producer"))]
    source: usize,
}

/// A transaction to show on the [`Graph`]'s page: a one-line summary and the nodes it touched, in order
/// (the atoms it wrote first, then what it recomputed). A place for a tool that records transactions: the
/// page lists, in a node's panel, the transactions that touched it (newest last in the list given, shown
/// first), and highlights the path of the last one. In JSON, `{ "summary": "…", "path": [0, 2, 3] }`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GraphTransaction {
    summary: String,
    path: Vec<usize>,
}

impl GraphTransaction {
    /// A transaction summed up as `summary` (for example `set CART at src/main.rs:12`) that touched the
    /// nodes at `path` (indices into [`Graph::nodes`]), in order.
    pub fn new(summary: impl Into<String>, path: Vec<usize>) -> Self {
        GraphTransaction { summary: summary.into(), path }
    }

    /// The one-line summary.
    pub fn summary(&self) -> &str {
        &self.summary
    }

    /// The nodes it touched, in order, by index into [`Graph::nodes`].
    pub fn path(&self) -> &[usize] {
        &self.path
    }
}

impl GraphNode {
    /// The atom's key in its store, as [`AtomKey`](crate::AtomKey) displays (`Shop#1/shop::PRICE`).
    pub fn key(&self) -> &str {
        &self.id
    }

    /// The registry name ([`AtomInfo::name`](crate::AtomInfo::name)).
    pub fn name(&self) -> &str {
        &self.label
    }

    /// The module path plus name ([`AtomInfo::path`](crate::AtomInfo::path)).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Primitive, computed or writable.
    pub fn kind(&self) -> AtomKind {
        self.kind
    }

    /// The Rust type of the value ([`AtomInfo::type_name`](crate::AtomInfo::type_name)).
    pub fn type_name(&self) -> &str {
        &self.type_name
    }

    /// The value as [`DevTools`](crate::DevTools) renders it (`Debug`, else JSON with feature `serde`,
    /// else the type's name); `<read function panicked>` for a derived atom whose read function panicked
    /// when the graph was taken.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Whether the atom is mounted ([`Store::is_mounted`](crate::Store::is_mounted)).
    pub fn is_mounted(&self) -> bool {
        self.mounted
    }

    /// When the value last changed: the store instance's change counter (its *epoch*, bumped by every
    /// value change in the instance) at that change. 0 for a primitive atom that still holds its initial
    /// value; a derived atom's first evaluation counts as a change. Versions compare across the atoms of
    /// one instance: the higher one changed later. (JSON: `epoch`.)
    pub fn version(&self) -> u64 {
        self.epoch
    }
}

impl GraphEdge {
    /// The reading atom (a derived one), by index into [`Graph::nodes`]. JSON: `consumer`.
    pub fn reader(&self) -> usize {
        self.reader
    }

    /// The atom it read, by index into [`Graph::nodes`]. JSON: `producer`.
    pub fn source(&self) -> usize {
        self.source
    }
}

impl From<Export> for Graph {
    fn from(export: Export) -> Graph {
        let nodes = export
            .nodes
            .into_iter()
            .map(|n| GraphNode {
                id: n.info.key().to_string(),
                label: n.info.name().to_owned(),
                path: n.info.path().to_owned(),
                kind: n.info.kind(),
                type_name: n.info.type_name().to_owned(),
                value: n.value,
                mounted: n.mounted,
                epoch: n.version,
            })
            .collect();
        let edges = export.edges.into_iter().map(|(reader, source)| GraphEdge { reader, source }).collect();
        Graph { store: export.store, nodes, edges, transactions: Vec::new() }
    }
}

impl Graph {
    /// The store instance, as its keys display it (`Shop#1`).
    pub fn store(&self) -> &str {
        &self.store
    }

    /// The atoms, in registration order.
    pub fn nodes(&self) -> &[GraphNode] {
        &self.nodes
    }

    /// The edges, reader → source, grouped by reader in the nodes' order, each reader's sources in the
    /// order it read them.
    pub fn edges(&self) -> &[GraphEdge] {
        &self.edges
    }

    /// The index of the first node whose [`name`](GraphNode::name), [`path`](GraphNode::path) or
    /// [`key`](GraphNode::key) is `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.label == name || n.path == name || n.id == name)
    }

    /// What node `i` read (indices), in the order it read them.
    pub fn sources(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.edges.iter().filter(move |e| e.reader == i).map(|e| e.source)
    }

    /// The nodes that read node `i` (indices), in the nodes' order.
    pub fn readers(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.edges.iter().filter(move |e| e.source == i).map(|e| e.reader)
    }

    /// The transactions attached with [`with_transactions`](Graph::with_transactions) (none by default).
    pub fn transactions(&self) -> &[GraphTransaction] {
        &self.transactions
    }

    /// This graph with `transactions` to show on its page, oldest first (see [`GraphTransaction`]).
    #[must_use]
    pub fn with_transactions(mut self, transactions: Vec<GraphTransaction>) -> Self {
        self.transactions = transactions;
        self
    }

    /// Each node's depth: 0 for a node that reads nothing (a primitive atom, or a derived one with no
    /// listed source), else one more than its deepest source (the longest path from a source). The
    /// page draws depth `d` as its `d`-th column.
    pub fn depths(&self) -> Vec<usize> {
        let n = self.nodes.len();
        let mut depth = vec![0; n];
        let mut pending = vec![0usize; n];
        let mut readers = vec![Vec::new(); n];
        for e in self.valid_edges() {
            pending[e.reader] += 1;
            readers[e.source].push(e.reader);
        }
        // Kahn's order: a node is placed once all its sources are.
        let mut ready: VecDeque<usize> = (0..n).filter(|&i| pending[i] == 0).collect();
        let mut placed = 0;
        while let Some(i) = ready.pop_front() {
            placed += 1;
            for &r in &readers[i] {
                depth[r] = depth[r].max(depth[i] + 1);
                pending[r] -= 1;
                if pending[r] == 0 {
                    ready.push_back(r);
                }
            }
        }
        // A cycle cannot be in a store's graph, but a deserialized graph may hold one: its nodes go last.
        if placed < n {
            let last = depth.iter().copied().max().unwrap_or(0) + 1;
            for i in (0..n).filter(|&i| pending[i] > 0) {
                depth[i] = last;
            }
        }
        depth
    }

    /// The edges whose ends are nodes (a deserialized graph may hold others: the drawings skip them).
    fn valid_edges(&self) -> impl Iterator<Item = &GraphEdge> + '_ {
        let n = self.nodes.len();
        self.edges.iter().filter(move |e| e.reader < n && e.source < n && e.reader != e.source)
    }

    /// The graph as JSON, in the shape described [above](Graph#json) (the text `serde_json` gives for it
    /// with feature `serde`, which this does not need). `<`, `>`, `&` and the line separators are written
    /// as `\u` escapes, so the text can be put inside an HTML `<script>` as it is.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(256 + 160 * self.nodes.len());
        out.push_str("{\"store\":");
        json_str(&mut out, &self.store);
        out.push_str(",\"nodes\":[");
        for (i, n) in self.nodes.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"id\":");
            json_str(&mut out, &n.id);
            out.push_str(",\"label\":");
            json_str(&mut out, &n.label);
            out.push_str(",\"path\":");
            json_str(&mut out, &n.path);
            let _ = write!(out, ",\"kind\":\"{}\",\"type\":", n.kind);
            json_str(&mut out, &n.type_name);
            out.push_str(",\"value\":");
            json_str(&mut out, &n.value);
            let _ = write!(out, ",\"mounted\":{},\"epoch\":{}}}", n.mounted, n.epoch);
        }
        out.push_str("],\"edges\":[");
        for (i, e) in self.edges.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{{\"consumer\":{},\"producer\":{}}}", e.reader, e.source);
        }
        out.push(']');
        if !self.transactions.is_empty() {
            out.push_str(",\"transactions\":[");
            for (i, t) in self.transactions.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str("{\"summary\":");
                json_str(&mut out, &t.summary);
                out.push_str(",\"path\":[");
                for (k, p) in t.path.iter().enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "{p}");
                }
                out.push_str("]}");
            }
            out.push(']');
        }
        out.push('}');
        out
    }

    /// The graph in Graphviz's DOT language, left to right: one box per atom (`n0`, `n1`, … by index)
    /// labelled with its name and value (cut to 40 characters), coloured by kind, and an arrow
    /// `source -> reader` per edge (the way values flow). Render it with `dot -Tsvg`.
    pub fn to_dot(&self) -> String {
        let mut out = String::new();
        out.push_str("digraph ");
        dot_str(&mut out, &self.store);
        out.push_str(
            " {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n",
        );
        for (i, n) in self.nodes.iter().enumerate() {
            let _ = write!(out, "  n{i} [label=");
            dot_str(&mut out, &format!("{}\n{}", clip(&n.label, 40), clip(&n.value, 40)));
            let _ = write!(out, ", fillcolor=\"{}\", tooltip=", kind_fill(n.kind));
            dot_str(&mut out, &format!("{} ({}, {})", n.path, n.kind, n.type_name));
            if n.mounted {
                out.push_str(", penwidth=2");
            }
            out.push_str("];\n");
        }
        for e in self.valid_edges() {
            let _ = writeln!(out, "  n{} -> n{};", e.source, e.reader);
        }
        out.push_str("}\n");
        out
    }

    /// The graph as a Mermaid flowchart, left to right: one node per atom (`n0`, `n1`, … by index; a
    /// rectangle for a primitive atom, rounded for a computed one, a subroutine box for a writable one)
    /// labelled with its name and value (cut to 40 characters), and `source --> reader` per edge. User
    /// text is written with Mermaid's entity codes (`#quot;`, `#lt;`, …), so any name or value is safe.
    pub fn to_mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        for (i, n) in self.nodes.iter().enumerate() {
            let (open, close) = match n.kind {
                AtomKind::Primitive => ("[\"", "\"]"),
                AtomKind::Computed => ("(\"", "\")"),
                AtomKind::Writable => ("[[\"", "\"]]"),
            };
            let _ = write!(out, "  n{i}{open}");
            mermaid_text(&mut out, &clip(&n.label, 40));
            out.push_str("<br/>");
            mermaid_text(&mut out, &clip(&n.value, 40));
            let _ = writeln!(out, "{close}:::{}", n.kind);
        }
        for e in self.valid_edges() {
            let _ = writeln!(out, "  n{} --> n{}", e.source, e.reader);
        }
        for kind in [AtomKind::Primitive, AtomKind::Computed, AtomKind::Writable] {
            let _ = writeln!(out, "  classDef {kind} fill:{},stroke:{}", kind_fill(kind), kind_stroke(kind));
        }
        out
    }

    /// The graph as one self-contained HTML page: no network, no external file, its style and script
    /// inline (shipped in the crate). Atoms are drawn in columns by [depth](Graph::depths), sources on
    /// the left, each reader to the right of everything it reads, with arrows the way values flow; the
    /// layout is computed here, as SVG. Clicking an atom (or Enter on it) shows its value, kind, type,
    /// version, sources and readers in a side panel, and highlights its edges; the filter box dims the
    /// atoms whose name does not match. A page opened as `graph.html#node=NAME` starts with `NAME`
    /// selected. With [transactions](Graph::with_transactions), the page shows the last one and
    /// highlights its path, and a node's panel lists the transactions that touched it.
    ///
    /// Every name and value is escaped (HTML text and attributes; the data for the script is JSON in a
    /// `<script type="application/json">` with `<` escaped), so user data cannot end the script or add
    /// markup. Each atom's SVG group has `class="node"` and `data-node="INDEX"`.
    pub fn to_html(&self) -> String {
        let layout = Layout::of(self);
        let mut svg = String::with_capacity(1024 + 700 * self.nodes.len());
        layout.svg(self, &mut svg);
        let mut header = String::new();
        let _ = write!(
            header,
            "<span class=\"count\">{} atoms · {} edges</span>",
            self.nodes.len(),
            self.valid_edges().count()
        );
        let mut out = String::with_capacity(TEMPLATE.len() + STYLE.len() + SCRIPT.len() + svg.len() * 2);
        fill_template(&mut out, TEMPLATE, |name, out| match name {
            "title" => html_text(out, &self.store),
            "style" => out.push_str(STYLE),
            "counts" => out.push_str(&header),
            "svg" => out.push_str(&svg),
            "data" => out.push_str(&self.to_json()),
            "script" => out.push_str(SCRIPT),
            _ => {}
        });
        out
    }
}

/// A text outline: the store, then one line per atom with its kind, type, value, version and sources.
impl fmt::Display for Graph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {} atoms, {} edges", self.store, self.nodes.len(), self.edges.len())?;
        for (i, n) in self.nodes.iter().enumerate() {
            write!(f, "  [{i}] {} ({} {}) = {}", n.label, n.kind, n.type_name, clip(&n.value, 60))?;
            write!(f, "  v{}{}", n.epoch, if n.mounted { ", mounted" } else { "" })?;
            let mut sources = self.sources(i).peekable();
            if sources.peek().is_some() {
                f.write_str("  <- ")?;
                for (k, s) in sources.enumerate() {
                    let name = self.nodes.get(s).map_or("?", |n| n.label.as_str());
                    write!(f, "{}{name}", if k > 0 { ", " } else { "" })?;
                }
            }
            f.write_str("\n")?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------------
// The page's layout.

/// The page: `{{name}}` holes filled by [`Graph::to_html`].
const TEMPLATE: &str = include_str!("graph.html");
const STYLE: &str = include_str!("graph.css");
const SCRIPT: &str = include_str!("graph.js");

const BOX_W: usize = 196;
const BOX_H: usize = 54;
const COL_GAP: usize = 74;
const ROW_GAP: usize = 22;
const PAD: usize = 24;
/// Room above the columns for their titles.
const TOP: usize = 34;

/// Where each node goes: its column (depth) and row.
struct Layout {
    depth: Vec<usize>,
    /// Per column, its nodes top to bottom.
    columns: Vec<Vec<usize>>,
    rows: usize,
}

impl Layout {
    fn of(graph: &Graph) -> Layout {
        let depth = graph.depths();
        let width = depth.iter().copied().max().map_or(0, |d| d + 1);
        let mut columns: Vec<Vec<usize>> = vec![Vec::new(); width];
        for (i, &d) in depth.iter().enumerate() {
            columns[d].push(i);
        }
        let rows = columns.iter().map(Vec::len).max().unwrap_or(0);
        let mut layout = Layout { depth, columns, rows };
        layout.order(graph);
        layout
    }

    /// Orders each column by the mean height of each node's neighbours (the barycentre heuristic, a few
    /// sweeps right then left), so that edges cross less.
    fn order(&mut self, graph: &Graph) {
        let n = graph.nodes.len();
        let mut sources = vec![Vec::new(); n];
        let mut readers = vec![Vec::new(); n];
        for e in graph.valid_edges() {
            sources[e.reader].push(e.source);
            readers[e.source].push(e.reader);
        }
        for _ in 0..4 {
            for c in 1..self.columns.len() {
                self.sort_column(c, &sources);
            }
            for c in (0..self.columns.len().saturating_sub(1)).rev() {
                self.sort_column(c, &readers);
            }
        }
    }

    fn sort_column(&mut self, c: usize, neighbours: &[Vec<usize>]) {
        let y: Vec<f64> = {
            let mut y = vec![0.0; neighbours.len()];
            for col in 0..self.columns.len() {
                for (row, &i) in self.columns[col].iter().enumerate() {
                    y[i] = self.centre(col, row);
                }
            }
            y
        };
        let mut keyed: Vec<(f64, usize)> = self.columns[c]
            .iter()
            .map(|&i| {
                let ns = &neighbours[i];
                #[allow(clippy::cast_precision_loss)] // a few atoms' heights
                let key = if ns.is_empty() {
                    y[i]
                } else {
                    ns.iter().map(|&s| y[s]).sum::<f64>() / ns.len() as f64
                };
                (key, i)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
        self.columns[c] = keyed.into_iter().map(|(_, i)| i).collect();
    }

    /// The vertical centre of row `row` of column `col`: each column is centred on the tallest one.
    #[allow(clippy::cast_precision_loss)] // pixel coordinates
    fn centre(&self, col: usize, row: usize) -> f64 {
        let offset = (self.rows - self.columns[col].len()) as f64 * (BOX_H + ROW_GAP) as f64 / 2.0;
        (TOP + PAD) as f64 + offset + (row * (BOX_H + ROW_GAP)) as f64 + BOX_H as f64 / 2.0
    }

    /// The top-left corner of node `i`.
    fn place(&self) -> Vec<(usize, f64)> {
        let mut at = vec![(0, 0.0); self.depth.len()];
        for (col, nodes) in self.columns.iter().enumerate() {
            for (row, &i) in nodes.iter().enumerate() {
                #[allow(clippy::cast_precision_loss)] // pixel coordinates
                let top = self.centre(col, row) - BOX_H as f64 / 2.0;
                at[i] = (PAD + col * (BOX_W + COL_GAP), top);
            }
        }
        at
    }

    fn svg(&self, graph: &Graph, out: &mut String) {
        let width = (PAD * 2 + self.columns.len() * (BOX_W + COL_GAP)).saturating_sub(COL_GAP).max(320);
        let height = (TOP + PAD * 2 + self.rows * (BOX_H + ROW_GAP)).saturating_sub(ROW_GAP).max(120);
        let at = self.place();
        let _ = write!(
            out,
            "<svg id=\"graph\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" \
             role=\"img\" aria-label=\"dependency graph of "
        );
        html_text(out, &graph.store);
        out.push_str(
            "\"><defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" \
             markerHeight=\"7\" orient=\"auto\"><path d=\"M0,1 L9,5 L0,9 z\" class=\"arrowhead\"/></marker>\
             <marker id=\"arrow-on\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" \
             markerHeight=\"7\" orient=\"auto\"><path d=\"M0,1 L9,5 L0,9 z\" class=\"arrowhead-on\"/>\
             </marker></defs>\n",
        );
        out.push_str("<g class=\"columns\">");
        for col in 0..self.columns.len() {
            let x = PAD + col * (BOX_W + COL_GAP);
            let title = if col == 0 { "sources".to_owned() } else { format!("depth {col}") };
            let _ = write!(out, "<text class=\"column\" x=\"{x}\" y=\"{}\">{title}</text>", PAD + 8);
        }
        out.push_str("</g>\n<g class=\"edges\">\n");
        for (k, e) in graph.edges.iter().enumerate() {
            let n = graph.nodes.len();
            if e.reader >= n || e.source >= n || e.reader == e.source {
                continue;
            }
            let (sx, sy) = at[e.source];
            let (rx, ry) = at[e.reader];
            #[allow(clippy::cast_precision_loss)] // pixel coordinates
            let (x1, y1, x2, y2) =
                ((sx + BOX_W) as f64, sy + BOX_H as f64 / 2.0, rx as f64 - 2.0, ry + BOX_H as f64 / 2.0);
            let bend = ((x2 - x1) / 2.0).max(30.0);
            let _ = writeln!(
                out,
                "<path class=\"edge\" data-edge=\"{k}\" data-reader=\"{}\" data-source=\"{}\" \
                 d=\"M{x1:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}\"/>",
                e.reader,
                e.source,
                x1 + bend,
                x2 - bend
            );
        }
        out.push_str("</g>\n<g class=\"nodes\">\n");
        for (i, n) in graph.nodes.iter().enumerate() {
            let (x, y) = at[i];
            let _ = write!(
                out,
                "<g class=\"node kind-{}{}\" data-node=\"{i}\" data-depth=\"{}\" tabindex=\"0\" \
                 transform=\"translate({x},{y:.1})\"><title>",
                n.kind,
                if n.mounted { " mounted" } else { "" },
                self.depth[i]
            );
            html_text(out, &format!("{} ({}, {})\n{}", n.path, n.kind, n.type_name, clip(&n.value, 300)));
            let _ = write!(
                out,
                "</title><rect class=\"box\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"8\"/>\
                 <rect class=\"stripe\" width=\"6\" height=\"{BOX_H}\" rx=\"3\"/>\
                 <circle class=\"dot\" cx=\"{}\" cy=\"14\" r=\"4\"><title>{}</title></circle>\
                 <text class=\"name\" x=\"16\" y=\"22\">",
                BOX_W - 14,
                if n.mounted { "mounted" } else { "not mounted" }
            );
            html_text(out, &clip(&n.label, 19));
            out.push_str("</text><text class=\"value\" x=\"16\" y=\"42\">");
            html_text(out, &clip(&n.value, 24));
            out.push_str("</text></g>\n");
        }
        out.push_str("</g></svg>");
    }
}

// ---------------------------------------------------------------------------------------------------
// Escaping. Names and values are user data: every renderer writes them through one of these.

/// At most `max` characters of `s` on one line: a line break shown as `⏎`, other control characters as
/// spaces, `…` at a cut.
fn clip(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max * 4));
    for (k, c) in s.chars().enumerate() {
        if k == max {
            out.pop();
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push('⏎'),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `s` as a JSON string, safe inside an HTML `<script>` (DevTools' export writes strings the same way).
fn json_str(out: &mut String, s: &str) {
    crate::tools::devtools::json_string(out, s);
}

/// `s` as HTML text or a quoted attribute's value.
fn html_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// `s` as a DOT quoted string.
fn dot_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `s` inside a Mermaid quoted label: everything Mermaid could read as syntax or markup as an entity code.
fn mermaid_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
}

/// Copies `template`, calling `fill` for each `{{name}}` hole. One pass over the template only: what
/// `fill` writes is never searched for holes, so user data that contains `{{svg}}` stays text.
fn fill_template(out: &mut String, template: &str, mut fill: impl FnMut(&str, &mut String)) {
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return;
        };
        fill(&after[..end], out);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
}

fn kind_fill(kind: AtomKind) -> &'static str {
    match kind {
        AtomKind::Primitive => "#dbeafe",
        AtomKind::Computed => "#d1fae5",
        AtomKind::Writable => "#ede9fe",
    }
}

fn kind_stroke(kind: AtomKind) -> &'static str {
    match kind {
        AtomKind::Primitive => "#2563eb",
        AtomKind::Computed => "#059669",
        AtomKind::Writable => "#7c3aed",
    }
}

/// `AtomKind` as its lowercase name (`primitive`, `computed`, `writable`), as it displays.
#[cfg(feature = "serde")]
mod kind_serde {
    use crate::core::info::AtomKind;

    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `with` passes a reference
    pub(super) fn serialize<S: serde::Serializer>(kind: &AtomKind, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(kind)
    }

    pub(super) fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<AtomKind, D::Error> {
        let name = <String as serde::Deserialize>::deserialize(d)?;
        match name.as_str() {
            "primitive" => Ok(AtomKind::Primitive),
            "computed" => Ok(AtomKind::Computed),
            "writable" => Ok(AtomKind::Writable),
            other => Err(serde::de::Error::unknown_variant(other, &["primitive", "computed", "writable"])),
        }
    }
}
