//! rurume: checks inventories of devices and accounts against the るるめネット operating
//! policy, from rules written as data.

pub mod atomic;
/// The allocator of every binary of the crate (rurume, bench, corpus) and of the tests:
/// see the `mimalloc` feature in Cargo.toml and the README's Performance section.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Sets the global allocator's options; binaries call it first thing. mimalloc returns
/// freed memory to the system 10 ms after it is freed (its default, set here so that a
/// new default cannot move the figures unseen): peak memory on 10,000 files stays under
/// 150 MB. 1 ms kept it ~10 MB lower but took memory back from each batch of output just
/// before the next asked for it again (human output on 2,000 findings-heavy files: best of
/// 10, 0.374–0.402 s with 1 ms, 0.346–0.368 s with 10 ms); 0 ms was slower still (README,
/// Performance).
pub fn tune_allocator() {
    #[cfg(feature = "mimalloc")]
    {
        /// `mi_option_purge_delay` of mimalloc 2's `mimalloc.h` (libmimalloc-sys names
        /// the options before it, not this one).
        const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
        const _: () = assert!(PURGE_DELAY == libmimalloc_sys::mi_option_eager_commit_delay + 1);
        // SAFETY: called before any other thread exists; the option is an integer.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 10) };
    }
}

/// The global allocator this build uses, as the benchmark reports it.
pub const ALLOCATOR_NAME: &str = if cfg!(feature = "mimalloc") {
    "mimalloc"
} else {
    "the system allocator"
};

pub mod audit;
pub mod checklist;
pub mod cli;
pub mod config;
pub mod engine;
pub mod finding;
pub mod identity;
pub mod inventory;
pub mod lang;
pub mod output;
pub mod password;
pub mod rules;
pub mod serve;
pub mod toml_error;
pub mod workbook;
