// An alias that is another atom's key (its `#[name]`), another atom's alias, or the atom's own key:
// hydration could not tell which atom an old snapshot meant.
nexus::store! { pub struct Session; }

nexus::atom! {
    #![store(Session)]
    #[name = "clicks"]
    pub static CLICKS: u32 = 0;
    #[alias = "clicks"]
    pub static TAPS: u32 = 0;
    #[alias = "old::TOTAL"]
    pub static TOTAL: u32 = 0;
    #[alias = "old::TOTAL"]
    pub static SUM: u32 = 0;
    #[name = "score"]
    #[alias = "score"]
    pub static SCORE: u32 = 0;
}

fn main() {}
