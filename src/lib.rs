//! rurume: checks inventories of devices and accounts against the るるめネット operating
//! policy, from rules written as data.

pub mod atomic;
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
pub mod workbook;
