//! Code generic over stores (SPEC §2 `nexus::Store`).

nexus::store! {
    pub struct Left;
    pub struct Right;
}

nexus::atom! {
    #![store(Left)]
    pub static LEFT_COUNT: i32 = 0;
}

nexus::atom! {
    #![store(Right)]
    pub static RIGHT_COUNT: i32 = 10;
}

nexus::atom! {
    pub static SHARED_COUNT: i32 = 100;
}

fn bump<S: nexus::Store>(s: &S, a: &nexus::Atom<i32, S>) {
    s.update(a, |v| *v += 1);
}

fn bump_usable<S: nexus::Store, O: nexus::UsableIn<S>>(s: &S, a: &nexus::Atom<i32, O>) -> i32 {
    s.update(a, |v| *v += 1);
    s.get(a)
}

fn describe<S: nexus::Store>(s: &S) -> String {
    format!("{}#{} ({}), {} atoms", s.name(), s.id(), s.mode(), s.atoms().len())
}

#[test]
fn generic_functions_work_for_every_store_type() {
    let left = Left::new();
    let right = Right::new();
    bump(&left, &LEFT_COUNT);
    bump(&right, &RIGHT_COUNT);
    assert_eq!(left.get(&LEFT_COUNT), 1);
    assert_eq!(right.get(&RIGHT_COUNT), 11);
    assert_eq!(bump_usable(&left, &SHARED_COUNT), 101);
    assert_eq!(bump_usable(&right, &SHARED_COUNT), 101);
    assert_eq!(bump_usable(&left, &LEFT_COUNT), 2);
    assert_eq!(describe(&left), format!("Left#{} (isolated), 2 atoms", left.id()));
    let fresh: Right = nexus::Store::new();
    assert_eq!(nexus::Store::get(&fresh, &RIGHT_COUNT), 10);
}
