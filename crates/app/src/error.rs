use fairhall_domain::message::{Lang, Message};
use fairhall_domain::{DomainError, msg};
use fairhall_store::StoreError;

/// Everything an action can answer besides success. The web layer maps each variant to one
/// HTTP status; `Internal` is logged there and never shown.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input broke a rule; `field` says which input.
    #[error("{0}")]
    Invalid(DomainError),
    #[error("{message}")]
    Unauthenticated {
        code: &'static str,
        message: Message,
    },
    #[error("forbidden")]
    Forbidden,
    /// Signed in with the right role, but refused for a reason the user can act on (e.g. a
    /// student who has not entered the fair yet): 403 with its own code and message.
    #[error("{message}")]
    Refused {
        code: &'static str,
        message: Message,
    },
    #[error("not found")]
    NotFound,
    /// Nothing to act on, for a reason the user can read (404 with its own code).
    #[error("{message}")]
    Missing {
        code: &'static str,
        message: Message,
    },
    #[error("{message}")]
    Conflict {
        code: &'static str,
        field: &'static str,
        message: Message,
    },
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid(e) => e.code,
            AppError::Unauthenticated { code, .. }
            | AppError::Conflict { code, .. }
            | AppError::Refused { code, .. }
            | AppError::Missing { code, .. } => code,
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Internal(_) => "internal",
        }
    }

    /// The message for the user: a catalogue key and its values, to render in the user's
    /// language (`render`).
    pub fn message(&self) -> Message {
        match self {
            AppError::Invalid(e) => e.message.clone(),
            AppError::Unauthenticated { message, .. }
            | AppError::Conflict { message, .. }
            | AppError::Refused { message, .. }
            | AppError::Missing { message, .. } => message.clone(),
            AppError::Forbidden => msg!("error.app.forbidden"),
            AppError::NotFound => msg!("error.app.not_found"),
            AppError::RateLimited { retry_after_secs } => {
                msg!("error.app.rate_limited", secs = *retry_after_secs)
            }
            AppError::Internal(_) => msg!("error.app.internal"),
        }
    }

    /// The message in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        self.message().render(lang)
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            AppError::Invalid(e) => Some(e.field),
            AppError::Conflict { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        AppError::Invalid(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            other => AppError::Internal(other.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use fairhall_domain::message::{Lang, problems, uses_in};
    use fairhall_domain::msg;

    use super::AppError;

    /// Every `msg!` of the application names a key both languages have, with the arguments
    /// its text uses.
    #[test]
    fn every_message_the_application_builds_is_in_both_catalogues() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut found = Vec::new();
        let mut used = 0;
        for entry in std::fs::read_dir(dir).expect("src") {
            let path = entry.expect("entry").path();
            let source = std::fs::read_to_string(&path).expect("source");
            let uses = uses_in(&source);
            used += uses.len();
            found.extend(problems(&path.display().to_string(), &uses));
        }
        assert!(
            used > 60,
            "the application should build its messages with msg!: {used}"
        );
        assert!(found.is_empty(), "{}", found.join("\n"));
    }

    #[test]
    fn errors_render_in_either_language() {
        let e = AppError::RateLimited {
            retry_after_secs: 30,
        };
        assert_eq!(e.message(), "操作过于频繁，请 30 秒后再试");
        assert_eq!(
            e.render(Lang::En),
            "Too many attempts. Please try again in 30 seconds."
        );
        let e = AppError::Conflict {
            code: "email_taken",
            field: "email",
            message: msg!("error.app.email_taken"),
        };
        assert_eq!(e.render(Lang::Zh), "该邮箱已注册");
        assert_eq!(
            e.render(Lang::En),
            "This email address is already registered."
        );
        assert_eq!((e.code(), e.field()), ("email_taken", Some("email")));
        assert_eq!(
            AppError::NotFound.render(Lang::En),
            "This does not exist or has been deleted."
        );
    }
}
