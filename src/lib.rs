//! rurume: checks inventories of devices and accounts against the るるめネット operating
//! policy, from rules written as data.

/// The allocator of every binary of the crate (rurume, bench, corpus) and of the tests:
/// see the `mimalloc` feature in Cargo.toml and the README's Performance section.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The global allocator this build uses, as the benchmark reports it.
pub const ALLOCATOR_NAME: &str = if cfg!(feature = "mimalloc") {
    "mimalloc"
} else {
    "the system allocator"
};

pub mod audit;
pub mod cli;
pub mod config;
pub mod engine;
pub mod finding;
pub mod inventory;
pub mod lang;
pub mod output;
pub mod password;
pub mod rules;
pub mod serve;
pub mod toml_error;
