//! Compile-time guarantees of SPEC §5 items 1–4: each case must fail with a message naming the types.

#[test]
fn type_checks() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/type_checks/*.rs");
    t.pass("tests/pass/*.rs");
}
