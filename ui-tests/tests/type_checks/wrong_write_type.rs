// A write of the wrong type, to a primitive atom and to a writable atom's write argument.
nexus::store! {
    pub struct Thermo;
}

nexus::atom! {
    #![store(Thermo)]
    pub static FAHRENHEIT: f64 = 32.0;
    pub static CELSIUS: f64 = writable(
        |s| (s.get(&FAHRENHEIT) - 32.0) * 5.0 / 9.0,
        |s, c: f64| s.set(&FAHRENHEIT, c * 9.0 / 5.0 + 32.0),
    );
}

fn main() {
    let t = Thermo::new();
    t.set(&FAHRENHEIT, "hot");
    t.set(&CELSIUS, 21_i32);
}
