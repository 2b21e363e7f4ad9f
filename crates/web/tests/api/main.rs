//! API tests: a real server on a random port, a fresh database per test, on SQLite and on
//! PostgreSQL. Each test body is written once; `both_backends!` makes a SQLite test and a
//! PostgreSQL test of it. The PostgreSQL ones are `#[ignore]`d for a plain `cargo test` on a
//! machine with only Rust, and run by `.ci/run` with `--ignored`.

#![allow(clippy::unwrap_used)]

// A shared fixture: not every test file reads every field.
#[allow(dead_code)]
mod fixtures;
mod helpers;

mod announcements;
mod assets;
mod auth;
mod brochures;
mod call_flow;
mod call_pages;
mod calls;
mod chat;
mod contract;
mod employers;
mod hall;
mod languages;
mod organizers;
mod pages;
mod registrations;
mod rejections;
mod resumes;
mod roster;
mod s3;
mod sessions;
mod tickets;
mod two_nodes;
mod venue;
mod ws;
