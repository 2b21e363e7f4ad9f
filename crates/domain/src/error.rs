use thiserror::Error;

use crate::message::Message;

/// A rule of the domain was broken by the input. `field` names the input that is wrong, so
/// pages can show the message beside it; `code` is stable for API clients.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{field}: {message}")]
pub struct DomainError {
    pub code: &'static str,
    pub field: &'static str,
    /// The message shown to the user, rendered in their language where it is shown.
    pub message: Message,
}

impl DomainError {
    pub fn new(code: &'static str, field: &'static str, message: Message) -> Self {
        Self {
            code,
            field,
            message,
        }
    }
}
