//! Integration tests of nexus live in the `tests` folder of this crate.
