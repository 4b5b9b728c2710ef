//! The pool that lets `&'static str` atoms hydrate is bounded (issue 14): a flood of distinct values
//! ends in a decode error naming the limit, never in unbounded memory. Its own test binary: the pool is
//! process-wide.

nexus::store! {
    pub struct Page;
}

nexus::atom! {
    #![store(Page)]
    pub static LABEL: &'static str = "start";
}

#[test]
fn distinct_borrowed_values_are_kept_up_to_a_limit_then_refused() {
    let mut accepted = 0;
    let mut refusal = None;
    for i in 0..2_000 {
        let mut snap = Page::new().snapshot();
        snap.insert("interning::LABEL", serde_json::json!(format!("label {i}")));
        let store = Page::new();
        match store.hydrate(&snap) {
            Ok(()) => {
                assert_eq!(store.get(&LABEL), format!("label {i}"));
                accepted += 1;
            }
            Err(err) => {
                refusal = Some(err.to_string());
                break;
            }
        }
    }
    assert_eq!(accepted, 1_024, "the pool keeps 1,024 distinct texts");
    let refusal = refusal.expect("the 1,025th distinct value is refused");
    assert!(refusal.contains("pool") && refusal.contains("String"), "{refusal}");

    // A value already kept still hydrates.
    let mut snap = Page::new().snapshot();
    snap.insert("interning::LABEL", serde_json::json!("label 7"));
    let store = Page::new();
    store.hydrate(&snap).expect("an interned text is reused");
    assert_eq!(store.get(&LABEL), "label 7");
}
