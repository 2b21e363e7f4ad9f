use fairhall_domain::DomainError;
use fairhall_store::StoreError;

/// Everything an action can answer besides success. The web layer maps each variant to one
/// HTTP status; `Internal` is logged there and never shown.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input broke a rule; `field` says which input.
    #[error("{0}")]
    Invalid(DomainError),
    #[error("{message}")]
    Unauthenticated { code: &'static str, message: String },
    #[error("forbidden")]
    Forbidden,
    /// Signed in with the right role, but refused for a reason the user can act on (e.g. a
    /// student who has not entered the fair yet): 403 with its own code and message.
    #[error("{message}")]
    Refused { code: &'static str, message: String },
    #[error("not found")]
    NotFound,
    /// Nothing to act on, for a reason the user can read (404 with its own code).
    #[error("{message}")]
    Missing { code: &'static str, message: String },
    #[error("{message}")]
    Conflict {
        code: &'static str,
        field: &'static str,
        message: String,
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

    /// The message for the user, in Chinese.
    pub fn message(&self) -> String {
        match self {
            AppError::Invalid(e) => e.message.zh(),
            AppError::Unauthenticated { message, .. }
            | AppError::Conflict { message, .. }
            | AppError::Refused { message, .. }
            | AppError::Missing { message, .. } => message.clone(),
            AppError::Forbidden => "没有权限进行此操作".into(),
            AppError::NotFound => "内容不存在或已删除".into(),
            AppError::RateLimited { retry_after_secs } => {
                format!("操作过于频繁，请 {retry_after_secs} 秒后再试")
            }
            AppError::Internal(_) => "服务器出错了，请稍后再试".into(),
        }
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
