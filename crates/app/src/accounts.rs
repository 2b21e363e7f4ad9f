//! Sign-in and accounts for every role.

use std::net::IpAddr;

use anyhow::Context;
use fairhall_domain::DomainError;
use fairhall_domain::account::{DisplayName, Email, NewPassword, Phone, Role};
use fairhall_domain::msg;
use fairhall_domain::otp::{self, OtpVerdict};
use fairhall_store::users::NewUser;
pub use fairhall_store::users::User;
use fairhall_store::{Constraint, StoreError};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::{App, AppError, AppResult, now_ms};

/// The privacy notice a student accepts at sign-up. Bump when the text changes.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-11";

/// At most this many codes per phone per day, across all nodes.
const CODES_PER_PHONE_PER_DAY: i64 = 10;

fn invalid_credentials() -> AppError {
    AppError::Unauthenticated {
        code: "invalid_credentials",
        message: msg!("error.app.invalid_credentials"),
    }
}

impl App {
    /// Password sign-in for everyone but students.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in_with_password(
        &self,
        email: &str,
        password: &str,
        ip: IpAddr,
    ) -> AppResult<User> {
        self.limit(&self.limits.login_ip, &ip).await?;
        let email = Email::parse(email).map_err(|_| invalid_credentials())?;
        self.limit(&self.limits.login_account, &email.as_str().to_string())
            .await?;
        let creds = self.store.credentials_by_email(email.as_str()).await?;
        let hash = creds.as_ref().and_then(|c| c.password_hash.as_deref());
        // Always verify, against a dummy hash if need be, so timing does not reveal accounts.
        let ok = self.passwords.verify(password, hash).await?;
        match creds {
            Some(c) if ok && c.user.role.signs_in_with_password() => {
                self.store.touch_login(c.user.id, now_ms()).await?;
                Ok(c.user)
            }
            _ => Err(invalid_credentials()),
        }
    }

    fn code_hash(&self, phone: &Phone, code: &str) -> anyhow::Result<String> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.code_key).context("code key length")?;
        mac.update(phone.as_str().as_bytes());
        mac.update(b":");
        mac.update(code.as_bytes());
        Ok(hex::encode(mac.finalize().into_bytes()))
    }

    /// Sends a six-digit sign-in code to a phone.
    #[tracing::instrument(skip_all)]
    pub async fn request_sign_in_code(&self, phone: &str, ip: IpAddr) -> AppResult<()> {
        let phone = Phone::parse(phone)?;
        self.limit(&self.limits.codes_ip, &ip).await?;
        let now = now_ms();
        let policy = self.config.sign_in.otp_policy();
        let newest = self.store.otp_newest(phone.as_str()).await?;
        policy.may_send(newest.as_ref().map(|c| secs(&c.state)).as_ref(), now / 1000)?;
        let today = self
            .store
            .otp_count_since(phone.as_str(), now - 86_400_000)
            .await?;
        if today >= CODES_PER_PHONE_PER_DAY {
            return Err(AppError::RateLimited {
                retry_after_secs: 3600,
            });
        }
        let code = format!("{:06}", rand::random_range(0..1_000_000u32));
        self.store
            .otp_insert(phone.as_str(), &self.code_hash(&phone, &code)?, now)
            .await?;
        let minutes = policy.ttl_secs / 60;
        let text = format!(
            "【fairhall】您的登录验证码是 {code}，{minutes} 分钟内有效。如非本人操作，请忽略本短信。"
        );
        self.sms.send(&phone, &text, now).await?;
        Ok(())
    }

    /// Signs a student in with a code, creating the account on first use. `consent` is the
    /// student's acceptance of the privacy notice, required on every sign-in form.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in_with_code(
        &self,
        phone: &str,
        code: &str,
        consent: bool,
        ip: IpAddr,
    ) -> AppResult<(User, bool)> {
        self.limit(&self.limits.verify_ip, &ip).await?;
        let phone = Phone::parse(phone)?;
        let code = otp::parse_code(code)?;
        if !consent {
            return Err(DomainError::new(
                "consent_required",
                "consent",
                msg!("error.app.consent_required"),
            )
            .into());
        }
        let now = now_ms();
        let stored = self.store.otp_newest(phone.as_str()).await?;
        let matches = match &stored {
            Some(s) => bool::from(
                s.code_hash
                    .as_bytes()
                    .ct_eq(self.code_hash(&phone, &code)?.as_bytes()),
            ),
            None => false,
        };
        let state = stored.as_ref().map(|s| secs(&s.state));
        let verdict =
            self.config
                .sign_in
                .otp_policy()
                .verify(state.as_ref(), matches, now / 1000)?;
        let stored = stored.ok_or(AppError::NotFound)?;
        if verdict == OtpVerdict::Wrong {
            self.store.otp_count_attempt(stored.id).await?;
            return Err(
                DomainError::new("wrong_code", "code", msg!("error.app.wrong_code")).into(),
            );
        }
        if !self.store.otp_consume(stored.id).await? {
            return Err(DomainError::new("code_used", "code", msg!("error.otp.code_used")).into());
        }
        let (user, created) = match self.store.student_by_phone(phone.as_str()).await? {
            Some(u) => (u, false),
            None => {
                let name = format!("同学{}", &phone.as_str()[7..]);
                let new = NewUser {
                    role: Role::Student,
                    email: None,
                    phone: Some(phone.as_str()),
                    password_hash: None,
                    display_name: &name,
                    organizer_id: None,
                    employer_id: None,
                    now,
                };
                match self.store.insert_user(&new).await {
                    Ok(id) => (self.store.user(id).await?, true),
                    // Two first sign-ins raced: the other one created the account.
                    Err(StoreError::Unique(Constraint::StudentPhone)) => (
                        self.store
                            .student_by_phone(phone.as_str())
                            .await?
                            .ok_or(AppError::NotFound)?,
                        false,
                    ),
                    Err(e) => return Err(e.into()),
                }
            }
        };
        self.store
            .record_consent(user.id, PRIVACY_NOTICE_VERSION, now)
            .await?;
        self.store.touch_login(user.id, now).await?;
        Ok((user, created))
    }

    /// Creates an account that signs in with e-mail and password.
    #[tracing::instrument(skip_all, fields(role = role.as_str()))]
    pub async fn create_password_account(
        &self,
        role: Role,
        email: &str,
        password: &str,
        name: &str,
        organizer_id: Option<i64>,
        employer_id: Option<i64>,
    ) -> AppResult<User> {
        if !role.signs_in_with_password() {
            return Err(AppError::Forbidden);
        }
        let email = Email::parse(email)?;
        let password = NewPassword::parse(password)?;
        let name = DisplayName::parse(name)?;
        let hash = self.passwords.hash(password.expose()).await?;
        let new = NewUser {
            role,
            email: Some(email.as_str()),
            phone: None,
            password_hash: Some(&hash),
            display_name: name.as_str(),
            organizer_id,
            employer_id,
            now: now_ms(),
        };
        let id = self.store.insert_user(&new).await.map_err(|e| match e {
            StoreError::Unique(Constraint::UserEmail) => AppError::Conflict {
                code: "email_taken",
                field: "email",
                message: msg!("error.app.email_taken"),
            },
            other => other.into(),
        })?;
        Ok(self.store.user(id).await?)
    }

    pub async fn user(&self, id: i64) -> AppResult<User> {
        Ok(self.store.user(id).await?)
    }
}

/// The store keeps milliseconds; the code policy counts seconds.
fn secs(s: &fairhall_domain::otp::OtpState) -> fairhall_domain::otp::OtpState {
    fairhall_domain::otp::OtpState {
        created_at: s.created_at / 1000,
        ..s.clone()
    }
}
