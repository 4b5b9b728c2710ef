//! trybuild cases live in the `tests` folder of this crate.
