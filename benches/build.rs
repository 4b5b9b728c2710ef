//! Generates 1,000 atom declarations for the "1 vs 1,000 declared atoms" workload.
use std::fmt::Write as _;

fn main() {
    let mut src = String::from("nexus::atom! {\n    #![store(Big)]\n");
    for i in 0..1_000 {
        let _ = writeln!(src, "    pub static BIG{i}: u64 = {i};");
    }
    src.push_str("}\n");
    let dir = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(dir.join("big_atoms.rs"), src).expect("write generated atoms");
    // A function touching all 1,000, so that each gets its slot in the store type's space.
    let mut touch = String::from("fn big_rest(s: &Big) -> u64 {\n    s.get(&BIG0)");
    for i in 1..1_000 {
        let _ = write!(touch, " + s.get(&BIG{i})");
    }
    touch.push_str("\n}\n");
    std::fs::write(dir.join("big_touch.rs"), touch).expect("write generated touch");
}
