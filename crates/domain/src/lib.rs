//! The fairhall domain: pure types and rules, no IO.
//!
//! Every rule the product enforces lives here, parsed into types at the edge so that
//! invalid data never reaches the store. Each module is unit-tested, including every
//! illegal transition.

pub mod account;
pub mod brochure;
pub mod call;
pub mod chat;
pub mod credit_code;
pub mod employer;
pub mod error;
pub mod fair;
pub mod file;
pub mod message;
pub mod notification;
pub mod otp;
pub mod registration;
pub mod resume;
pub mod review;
pub mod roster;
pub mod stored;
pub mod ticket;
pub mod turn;

pub use error::DomainError;
pub use message::{Lang, Message};
pub use stored::UnknownValue;
