//! Compile-time guarantees of SPEC §5 item 5: bad `store!`/`atom!` input gets one spanned error.

#[test]
fn macro_input() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/macro_input/*.rs");
}
