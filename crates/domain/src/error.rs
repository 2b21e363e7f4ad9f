use thiserror::Error;

/// A rule of the domain was broken by the input. `field` names the input that is wrong, so
/// pages can show the message beside it; `code` is stable for API clients.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{field}: {message}")]
pub struct DomainError {
    pub code: &'static str,
    pub field: &'static str,
    /// The message shown to the user, in Chinese (the product's first language).
    pub message: String,
}

impl DomainError {
    pub fn new(code: &'static str, field: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            field,
            message: message.into(),
        }
    }
}
