//! The examples live beside this manifest.

pub mod axum_app;
