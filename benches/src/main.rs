//! The benchmarks live in `benches/side_by_side.rs`; run `./run.sh`.
fn main() {
    println!("run ./run.sh (criterion benches) from this folder");
}
