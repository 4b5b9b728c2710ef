//! `store.graph()` (issue 31, part 3): the nodes are the store's registry, the edges what each derived atom
//! read last, following a conditional read; JSON in `getSignalGraph`'s shape; DOT, Mermaid and the HTML
//! page escape user data. (The page in a real browser: `scripts/graph-page.sh`.)

// On wasm32 these tests run in headless Chromium: wasm-bindgen-test's `#[test]`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::collections::BTreeSet;

use nexus::{AtomKind, Graph, GraphTransaction};

nexus::store! {
    pub struct Diamond;
    pub struct Switch;
    pub struct Nasty;
    #[mode(global)]
    pub struct Shared;
}

nexus::atom! {
    #![store(Diamond)]
    pub static TOP: i32 = 1;
    pub static LEFT: i32 = computed(|s| s.get(&TOP) + 1);
    pub static RIGHT: i32 = computed(|s| s.get(&TOP) * 2);
    pub static BOTTOM: i32 = computed(|s| s.get(&LEFT) + s.get(&RIGHT));
    /// Changes only when `TOP`'s parity does: an equal result keeps its version.
    pub static PARITY: bool = computed(|s| s.get(&TOP) % 2 == 0);
    pub static UNREAD: String = String::from("never read by a derived atom");
}

nexus::atom! {
    #![store(Switch)]
    pub static FLAG: bool = false;
    pub static A: u32 = 1;
    pub static B: u32 = 2;
    /// Reads `A` or `B` depending on `FLAG`.
    pub static PICK: u32 = computed(|s| if s.get(&FLAG) { s.get(&A) } else { s.get(&B) });
    pub static BOOM: bool = false;
    pub static FRAGILE: u32 = computed(|s| {
        assert!(!s.get(&BOOM), "fragile read function");
        s.get(&A)
    });
}

/// User data that must be escaped everywhere: quotes, markup, a script end, a line break, a backslash and
/// a template hole.
const NASTY: &str = "He said \"hi\" </script><script>alert(1)</script>\nline 2 \\ {{svg}} `tick` #1 & <b>";

nexus::atom! {
    #![store(Nasty)]
    #[name = "say \"hi\" <b>&"]
    pub static QUOTED: String = NASTY.to_owned();
    pub static ECHO: String = computed(|s| format!("{}!", s.get(&QUOTED)));
}

nexus::atom! {
    pub static SHARED_COUNT: u32 = 5;
}

nexus::atom! {
    #![store(Shared)]
    pub static LOCAL: u32 = 1;
    pub static SHARED_SUM: u32 = computed(|s| s.get(&SHARED_COUNT) + s.get(&LOCAL));
}

/// The edges as `(reader, source)` names.
fn named_edges(graph: &Graph) -> BTreeSet<(String, String)> {
    graph
        .edges()
        .iter()
        .map(|e| (graph.nodes()[e.reader()].name().to_owned(), graph.nodes()[e.source()].name().to_owned()))
        .collect()
}

fn edge(reader: &str, source: &str) -> (String, String) {
    (reader.to_owned(), source.to_owned())
}

fn node<'g>(graph: &'g Graph, name: &str) -> &'g nexus::GraphNode {
    &graph.nodes()[graph.index_of(name).unwrap_or_else(|| panic!("no node {name}"))]
}

/// The nodes are what `atoms()` lists, in its order, with its names, paths, keys, kinds and types; values
/// are rendered as DevTools renders them; the edges are the diamond's, reader → source.
#[test]
fn nodes_and_edges_match_the_store() {
    let store = Diamond::new();
    assert_eq!(store.get(&BOTTOM), 4);
    store.get(&PARITY);
    store.get(&UNREAD);
    let graph = store.graph();

    let atoms = store.atoms();
    assert_eq!(graph.nodes().len(), atoms.len());
    for (node, info) in graph.nodes().iter().zip(&atoms) {
        assert_eq!(node.name(), info.name());
        assert_eq!(node.path(), info.path());
        assert_eq!(node.key(), info.key().to_string());
        assert_eq!(node.kind(), info.kind());
        assert_eq!(node.type_name(), info.type_name());
    }
    assert!(graph.store().starts_with("Diamond#"));
    assert!(store.key(&TOP).to_string().starts_with(&format!("{}/", graph.store())));
    assert_eq!(node(&graph, "BOTTOM").value(), "4");
    assert_eq!(node(&graph, "UNREAD").value(), "\"never read by a derived atom\"");
    assert_eq!(node(&graph, "LEFT").kind(), AtomKind::Computed);
    assert_eq!(node(&graph, "TOP").kind(), AtomKind::Primitive);

    assert_eq!(
        named_edges(&graph),
        BTreeSet::from([
            edge("LEFT", "TOP"),
            edge("RIGHT", "TOP"),
            edge("BOTTOM", "LEFT"),
            edge("BOTTOM", "RIGHT"),
            edge("PARITY", "TOP")
        ])
    );
    assert_eq!(graph.edges().len(), 5, "no duplicate edges");
    let bottom = graph.index_of("BOTTOM").unwrap();
    let sources: Vec<&str> = graph.sources(bottom).map(|i| graph.nodes()[i].name()).collect();
    assert_eq!(sources, ["LEFT", "RIGHT"], "in the order BOTTOM read them");
    let top = graph.index_of("TOP").unwrap();
    let readers: BTreeSet<&str> = graph.readers(top).map(|i| graph.nodes()[i].name()).collect();
    assert_eq!(readers, BTreeSet::from(["LEFT", "RIGHT", "PARITY"]));

    // Depths: the longest path from a source.
    let depths = graph.depths();
    assert_eq!(depths[top], 0);
    assert_eq!(depths[graph.index_of("LEFT").unwrap()], 1);
    assert_eq!(depths[bottom], 2);
    assert_eq!(depths[graph.index_of("UNREAD").unwrap()], 0);
}

/// Mounted follows subscriptions; a version moves when the value changes, and only then (an equal result
/// keeps it), and derived atoms are brought up to date by `graph()` itself.
#[test]
fn mounted_and_versions() {
    let store = Diamond::new();
    store.get(&BOTTOM);
    store.get(&PARITY);
    let before = store.graph();
    assert!(before.nodes().iter().all(|n| !n.is_mounted()));

    let sub = store.subscribe(&BOTTOM, |_| {});
    let mounted = store.graph();
    for name in ["TOP", "LEFT", "RIGHT", "BOTTOM"] {
        assert!(node(&mounted, name).is_mounted(), "{name} is mounted through BOTTOM");
    }
    assert!(!node(&mounted, "PARITY").is_mounted());
    assert_eq!(
        mounted.nodes().iter().map(nexus::GraphNode::version).collect::<Vec<_>>(),
        before.nodes().iter().map(nexus::GraphNode::version).collect::<Vec<_>>(),
        "nothing changed"
    );

    store.set(&TOP, 3); // PARITY: still odd
    let after = store.graph(); // brings PARITY up to date without a get
    for name in ["TOP", "LEFT", "RIGHT", "BOTTOM"] {
        assert!(node(&after, name).version() > node(&before, name).version(), "{name} changed");
    }
    assert_eq!(
        node(&after, "PARITY").version(),
        node(&before, "PARITY").version(),
        "same value, same version"
    );
    assert!(node(&after, "BOTTOM").version() > node(&after, "TOP").version(), "changed after its source");
    assert_eq!(node(&after, "BOTTOM").value(), "10");
    drop(sub);
    assert!(store.graph().nodes().iter().all(|n| !n.is_mounted()));
}

/// After a conditional dependency switches, the edges follow (without a `get` in between: `graph()`
/// brings the derived atom up to date).
#[test]
fn edges_follow_a_conditional_read() {
    let store = Switch::new();
    assert_eq!(store.get(&PICK), 2);
    let g = store.graph();
    assert!(named_edges(&g).contains(&edge("PICK", "B")));
    assert!(!named_edges(&g).contains(&edge("PICK", "A")));

    store.set(&FLAG, true);
    let g = store.graph();
    assert_eq!(node(&g, "PICK").value(), "1");
    assert_eq!(named_edges(&g), BTreeSet::from([edge("PICK", "FLAG"), edge("PICK", "A")]));
    assert!(g.index_of("B").is_some(), "B is still registered, read by nothing");

    store.set(&FLAG, false);
    assert_eq!(named_edges(&store.graph()), BTreeSet::from([edge("PICK", "FLAG"), edge("PICK", "B")]));
}

/// A read function that panics is shown as such; the rest of the graph is still taken. (Native only: a
/// panic aborts on wasm32.)
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_panicking_read_function() {
    let store = Switch::new();
    assert_eq!(store.get(&FRAGILE), 1);
    store.set(&BOOM, true);
    let g = store.graph();
    assert_eq!(node(&g, "FRAGILE").value(), "<read function panicked>");
    assert_eq!(node(&g, "A").value(), "1");
    store.set(&BOOM, false);
    assert_eq!(node(&store.graph(), "FRAGILE").value(), "1");
}

/// Proxies of `Global` atoms in a global-mode store are not nodes (as in `atoms()`), nor edges to them.
#[test]
fn proxies_are_left_out() {
    let store = Shared::new();
    assert_eq!(store.get(&SHARED_SUM), 6);
    let g = store.graph();
    let names: Vec<&str> = g.nodes().iter().map(nexus::GraphNode::name).collect();
    let atoms: Vec<String> = store.atoms().iter().map(|a| a.name().to_owned()).collect();
    assert_eq!(names, atoms);
    assert!(g.index_of("SHARED_COUNT").is_none());
    assert_eq!(named_edges(&g), BTreeSet::from([edge("SHARED_SUM", "LOCAL")]));
}

fn nasty_graph() -> Graph {
    let store = Nasty::new();
    assert!(store.get(&ECHO).ends_with('!'));
    store.graph()
}

/// JSON: `serde` and `to_json` give the same document, in the documented shape (Angular's), and both
/// round-trip, with and without transactions.
#[test]
fn json_round_trips_in_the_documented_shape() {
    let store = Diamond::new();
    store.get(&BOTTOM);
    let graph = store.graph();
    let json: serde_json::Value = serde_json::from_str(&graph.to_json()).expect("to_json is JSON");
    assert_eq!(json, serde_json::to_value(&graph).unwrap(), "to_json and serde agree");
    assert_eq!(serde_json::from_value::<Graph>(json.clone()).unwrap(), graph);
    assert_eq!(serde_json::from_str::<Graph>(&serde_json::to_string(&graph).unwrap()).unwrap(), graph);

    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<BTreeSet<_>>();
    assert_eq!(keys(&json), BTreeSet::from(["store".to_owned(), "nodes".to_owned(), "edges".to_owned()]));
    let top = graph.index_of("TOP").unwrap();
    let n = &json["nodes"][top];
    assert_eq!(
        keys(n),
        ["id", "label", "path", "kind", "type", "value", "mounted", "epoch"].map(str::to_owned).into()
    );
    assert_eq!(n["id"], store.key(&TOP).to_string());
    assert_eq!(n["label"], "TOP");
    assert_eq!(n["kind"], "primitive");
    assert_eq!(n["type"], "i32");
    assert_eq!(n["value"], "1");
    assert_eq!(n["mounted"], false);
    assert!(n["epoch"].is_u64());
    assert_eq!(json["nodes"][graph.index_of("LEFT").unwrap()]["kind"], "computed");
    let edges = json["edges"].as_array().unwrap();
    assert_eq!(edges.len(), graph.edges().len());
    for (e, want) in edges.iter().zip(graph.edges()) {
        assert_eq!(keys(e), BTreeSet::from(["consumer".to_owned(), "producer".to_owned()]));
        assert_eq!(e["consumer"], want.reader());
        assert_eq!(e["producer"], want.source());
    }

    // User data, and transactions.
    let nasty =
        nasty_graph().with_transactions(vec![GraphTransaction::new("set \"QUOTED\" </script>", vec![0, 1])]);
    let json: serde_json::Value = serde_json::from_str(&nasty.to_json()).unwrap();
    assert_eq!(json, serde_json::to_value(&nasty).unwrap());
    assert_eq!(json["transactions"][0]["path"], serde_json::json!([0, 1]));
    assert_eq!(serde_json::from_value::<Graph>(json).unwrap(), nasty);
    assert!(!nasty.to_json().contains('<'), "safe inside a script element");
    let signal = serde_json::json!({
        "store": "x",
        "nodes": [{
            "id": "", "label": "", "path": "", "kind": "signal", "type": "", "value": "", "mounted": false, "epoch": 0
        }],
        "edges": []
    });
    assert!(serde_json::from_value::<Graph>(signal).is_err(), "an unknown kind is an error");
}

/// DOT and Mermaid name every node and every edge (source → reader), and escape quotes and markup.
#[test]
fn dot_and_mermaid() {
    let store = Diamond::new();
    store.get(&BOTTOM);
    let graph = store.graph();
    let dot = graph.to_dot();
    let mermaid = graph.to_mermaid();
    assert!(dot.starts_with("digraph \"Diamond#") && dot.trim_end().ends_with('}'));
    assert!(mermaid.starts_with("flowchart LR\n"));
    for (i, n) in graph.nodes().iter().enumerate() {
        assert!(dot.contains(&format!("  n{i} [label=\"{}\\n", n.name())), "{dot}");
        assert!(
            mermaid.contains(&format!("  n{i}")) && mermaid.contains(&format!("{}<br/>", n.name())),
            "{mermaid}"
        );
    }
    for e in graph.edges() {
        assert!(dot.contains(&format!("  n{} -> n{};\n", e.source(), e.reader())), "{dot}");
        assert!(mermaid.contains(&format!("  n{} --> n{}\n", e.source(), e.reader())), "{mermaid}");
    }
    assert_eq!(dot.matches(" -> ").count(), graph.edges().len());
    assert_eq!(mermaid.matches(" --> ").count(), graph.edges().len());

    let nasty = nasty_graph();
    let dot = nasty.to_dot();
    assert!(
        dot.contains(r#"[label="say \"hi\" <b>&\n\"He said \\\"hi\\\" </script><script>alert(…""#),
        "{dot}"
    );
    // Every `"` in DOT is a delimiter or escaped: the quoted strings pair up on each line.
    for line in dot.lines() {
        let unescaped = line.replace("\\\\", "").replace("\\\"", "");
        assert_eq!(unescaped.matches('"').count() % 2, 0, "{line}");
        assert!(!line.contains('\n'));
    }
    let mermaid = nasty.to_mermaid();
    assert!(mermaid.contains("say #quot;hi#quot; #lt;b#gt;#amp;<br/>"), "{mermaid}");
    assert!(!mermaid.contains("<script") && !mermaid.contains("</script") && !mermaid.contains("<b>"));
    for line in mermaid.lines().filter(|l| l.starts_with("  n") && !l.contains("-->")) {
        // `n0["…"]`: the two quotes are the label's delimiters.
        assert_eq!(line.matches('"').count(), 2, "{line}");
    }
}

/// The page is one HTML document with nothing fetched from anywhere, one SVG node per atom, and user data
/// escaped: no markup, script end or template hole of a value survives as such.
#[test]
fn html_page_is_self_contained_and_escaped() {
    let nasty =
        nasty_graph().with_transactions(vec![GraphTransaction::new("set </script><i>x</i>", vec![0, 1])]);
    let html = nasty.to_html();
    assert!(html.starts_with("<!DOCTYPE html>\n<html"));
    assert!(html.trim_end().ends_with("</html>"));
    for tag in ["<html", "</html>", "<head>", "<body>", "<svg", "</svg>", "<style>"] {
        assert_eq!(html.matches(tag).count(), 1, "one {tag}");
    }
    let lower = html.to_lowercase();
    assert!(!lower.contains("http:") && !lower.contains("https:") && !lower.contains("//cdn"), "no URL");
    assert!(
        !lower.contains(" src=") && !lower.contains(" href=") && !lower.contains("@import"),
        "nothing external"
    );
    assert!(!lower.contains("<link") && !lower.contains("<iframe") && !lower.contains("<img"));
    // Two scripts (the data and the page's): a value's `</script>` and `<script>` did not survive.
    assert_eq!(lower.matches("<script").count(), 2);
    assert_eq!(lower.matches("</script>").count(), 2);
    assert!(!html.contains("<script>alert") && !html.contains("<b>") && !html.contains("<i>x"));
    assert!(
        html.contains(r"He said \&quot;hi\&quot; &lt;/script&gt;&lt;script&gt;alert(1)"),
        "escaped in the SVG"
    );
    assert_eq!(html.matches("data-node=\"").count(), nasty.nodes().len());
    assert_eq!(html.matches("class=\"node ").count(), nasty.nodes().len());
    assert_eq!(html.matches("class=\"edge\"").count(), nasty.edges().len());
    assert!(
        html.contains("{{svg}}") && !html.contains("{{data}}"),
        "a value's hole is text, the template's are filled"
    );

    // The data script holds the graph as to_json gives it.
    let start = html.find("<script type=\"application/json\" id=\"graph-data\">").unwrap();
    let data = &html[start..];
    let data = &data[data.find('>').unwrap() + 1..data.find("</script>").unwrap()];
    assert_eq!(data, nasty.to_json());
    assert_eq!(serde_json::from_str::<Graph>(data).unwrap(), nasty);

    // An empty store still gives a page.
    let empty = Diamond::new().graph();
    assert!(empty.nodes().is_empty());
    assert!(empty.to_html().contains("0 atoms · 0 edges"));
}

/// The text outline names every atom with its sources.
#[test]
fn display_outline() {
    let store = Diamond::new();
    store.get(&BOTTOM);
    let text = store.graph().to_string();
    assert!(text.starts_with("Diamond#"));
    assert!(text.contains("BOTTOM (computed i32) = 4"), "{text}");
    assert!(text.contains("<- LEFT, RIGHT"), "{text}");
}
