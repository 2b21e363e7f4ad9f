//! Browser tests: headless Chromium driven through chromedriver against a real server.
//! They need Chromium and chromedriver (Debian's `chromium`, `chromium-driver`), so they are
//! `#[ignore]`d for a plain `cargo test`; `.ci/run` installs both and runs them.

#![allow(clippy::unwrap_used)]

#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

#[path = "../api/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;

mod harness;

mod part1;
mod part2;
mod part3;
mod rawrtc;
mod turn;
