#![allow(missing_docs)]
use nexus::Store;

pub struct Session {
    __nexus_cell: nexus::__private::StoreCell,
}
nexus::__private::impl_store!(Session, Isolated);
pub struct Shared {
    __nexus_cell: nexus::__private::StoreCell,
}
nexus::__private::impl_store!(Shared, Global);

pub static CLICKS: nexus::Atom<u32, Session> =
    nexus::__private::declare_primitive!(Session, u32, "CLICKS", 0);
pub static NAME: nexus::Atom<String, Session> =
    nexus::__private::declare_primitive!(Session, String, "NAME", String::from("anon"));
pub static DOUBLE: nexus::Computed<u32, Session> =
    nexus::__private::declare_computed!(Session, u32, "DOUBLE", |s| s.get(&CLICKS) * 2);
pub static F: nexus::Atom<f64, Session> = nexus::__private::declare_primitive!(Session, f64, "F", 32.0);
pub static C: nexus::Writable<f64, Session, f64> = nexus::__private::declare_writable!(
    Session,
    f64,
    f64,
    "C",
    |s| (s.get(&F) - 32.0) * 5.0 / 9.0,
    |s, c: f64| s.set(&F, c * 9.0 / 5.0 + 32.0)
);
pub static THEME: nexus::Atom<u8, nexus::Global> =
    nexus::__private::declare_primitive!(nexus::Global, u8, "THEME", 1);
pub static GD: nexus::Computed<u8, nexus::Global> =
    nexus::__private::declare_computed!(nexus::Global, u8, "GD", |s| s.get(&THEME) + 1);
pub static SD: nexus::Computed<u8, Shared> =
    nexus::__private::declare_computed!(Shared, u8, "SD", |s| s.get(&THEME) * 10);

#[test]
fn smoke() {
    let a = Session::new();
    let b = Session::new();
    a.set(&CLICKS, 5);
    assert_eq!(a.get(&CLICKS), 5);
    assert_eq!(b.get(&CLICKS), 0);
    assert_eq!(a.get(&DOUBLE), 10);
    a.update(&CLICKS, |c| *c += 1);
    assert_eq!(a.get(&DOUBLE), 12);
    assert_eq!(a.get(&NAME), "anon");
    a.set(&C, 100.0);
    assert!((a.get(&F) - 212.0).abs() < 1e-9);
    let seen = std::sync::Arc::new(parking_lot::Mutex::new(Vec::new()));
    let s2 = seen.clone();
    let sub = a.subscribe(&DOUBLE, move |v| s2.lock().push(*v));
    a.set(&CLICKS, 7);
    a.set(&CLICKS, 7);
    a.batch(|| {
        a.set(&CLICKS, 8);
        a.set(&CLICKS, 9);
    });
    drop(sub);
    a.set(&CLICKS, 1);
    assert_eq!(*seen.lock(), vec![14, 18]);
    println!("{:?} {}", a, a.key(&CLICKS));
    println!("{:?}", a.atoms().iter().map(|i| i.name().to_string()).collect::<Vec<_>>());
    // globals
    let g1 = Shared::new();
    let g2 = Shared::new();
    assert_eq!(a.get(&THEME), 1);
    a.set(&THEME, 3);
    assert_eq!(b.get(&THEME), 1);
    assert_eq!(g1.get(&THEME), 1);
    let seen = std::sync::Arc::new(parking_lot::Mutex::new(Vec::new()));
    let s2 = seen.clone();
    let _sub = g2.subscribe(&SD, move |v| s2.lock().push(*v));
    g1.set(&THEME, 4);
    assert_eq!(g2.get(&THEME), 4);
    assert_eq!(g2.get(&GD), 5);
    assert_eq!(*seen.lock(), vec![40]);
    println!("{:?}", nexus::global::atoms());
    // runtime atoms
    let r = nexus::Atom::<u64, Session>::new(3);
    let d = {
        let r = r.clone();
        nexus::Computed::<u64, Session>::new(move |s| s.get(&r) + 1)
    };
    assert_eq!(a.get(&d), 4);
    a.set(&r, 10);
    assert_eq!(a.get(&d), 11);
    drop(d);
    drop(r);
    println!("{:?}", a.atoms().iter().map(|i| i.name().to_string()).collect::<Vec<_>>());
}

#[test]
fn tools_smoke() {
    let a = Session::new();
    let b = Session::new();
    let dt = nexus::DevTools::attach(&a);
    let tt = nexus::TimeTravel::attach(&a, 10);
    let ttb = nexus::TimeTravel::attach(&b, 10);
    a.set(&CLICKS, 1);
    a.set(&CLICKS, 2);
    a.batch(|| {
        a.set(&CLICKS, 3);
        a.set(&NAME, "x".into());
    });
    b.set(&CLICKS, 9);
    assert_eq!(a.get(&DOUBLE), 6);
    println!("{:?}", dt.atoms().iter().map(|v| format!("{}={}", v.name(), v.value())).collect::<Vec<_>>());
    println!(
        "{:?}",
        dt.actions()
            .iter()
            .map(|v| format!("{} {}->{}", v.label(), v.before(), v.after()))
            .collect::<Vec<_>>()
    );
    println!("{:?}", tt.history());
    assert!(tt.undo());
    assert_eq!(a.get(&CLICKS), 2);
    assert_eq!(a.get(&NAME), "anon");
    assert_eq!(a.get(&DOUBLE), 4);
    assert_eq!(b.get(&CLICKS), 9);
    assert!(tt.jump_to(0));
    assert_eq!(a.get(&CLICKS), 0);
    assert!(tt.redo());
    assert_eq!(a.get(&CLICKS), 1);
    a.set(&CLICKS, 50);
    assert!(!tt.can_redo());
    assert_eq!(tt.history().len(), 2);
    assert!(ttb.undo());
    assert_eq!(b.get(&CLICKS), 0);
    println!("{}", dt.export_json());
}

#[cfg(feature = "serde")]
#[test]
fn ssr_smoke() {
    let a = Session::new();
    a.set(&CLICKS, 4);
    a.set(&NAME, "zed".into());
    let _ = a.get(&DOUBLE);
    let snap = a.snapshot();
    let json = serde_json::to_string(&snap).unwrap();
    println!("{json}");
    let back: nexus::Snapshot = serde_json::from_str(&json).unwrap();
    let b = Session::new();
    b.hydrate(&back).unwrap();
    assert_eq!(b.get(&CLICKS), 4);
    assert_eq!(b.get(&NAME), "zed");
    assert_eq!(b.get(&DOUBLE), 8);
    let mut bad = back.clone();
    bad.insert("nope::X", serde_json::json!(1));
    bad.insert("scratch_smoke::CLICKS", serde_json::json!("str"));
    let err = Session::new().hydrate(&bad).unwrap_err();
    println!("{err}");
    assert_eq!(err.problems().len(), 2);
}

pub static CELL: nexus::Family<u64, u64, Session> =
    nexus::__private::declare_family!(Session, u64, u64, "CELL", Some(3), |k: &u64| *k * 10);
pub static CELLX: nexus::ComputedFamily<u64, u64, Session> =
    nexus::__private::declare_computed_family!(Session, u64, u64, "CELLX", None, |k: &u64, s| s
        .get(&CELL.at(*k))
        + 1);

#[test]
fn family_smoke() {
    let a = Session::new();
    assert_eq!(a.get(&CELL.at(4)), 40);
    a.set(&CELL.at(4), 1);
    assert_eq!(a.get(&CELLX.at(4)), 2);
    assert_eq!(a.get(&CELL.at(4)), 1);
    for k in 10..20 {
        a.get(&CELL.at(k));
    }
    assert_eq!(CELL.len(), 3);
    println!("{:?}", a.atoms().iter().map(|i| i.name().to_string()).collect::<Vec<_>>());
    CELLX.remove(&4);
    assert_eq!(a.get(&CELL.at(4)), 40);
}
