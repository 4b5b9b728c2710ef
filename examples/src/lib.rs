//! The examples live beside this manifest.
