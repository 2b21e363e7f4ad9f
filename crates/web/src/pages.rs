//! What every page shares: the base layout's data, rendering, and the error page.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use fairhall_domain::account::Role;

use crate::i18n::{Lang, Tr};
use crate::session::CurrentUser;

/// The data the base layout needs: language, the signed-in user, the CSRF token for forms.
#[derive(Debug, Clone)]
pub struct Base {
    pub tr: Tr,
    pub user: Option<CurrentUser>,
    pub csrf: String,
    /// Phone-first layout (students, fair entry) rather than the desktop console.
    pub phone: bool,
    /// The student tab bar's active tab: "fairs", "resume", "chats", "interviews" or "".
    pub tab: &'static str,
}

impl Base {
    pub fn new(lang: Lang, user: Option<CurrentUser>) -> Self {
        let csrf = user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default();
        let phone = user.as_ref().is_none_or(|u| u.user.role == Role::Student);
        Self {
            tr: Tr { lang },
            user,
            csrf,
            phone,
            tab: "",
        }
    }

    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        self.tr.t(key)
    }

    pub fn lang(&self) -> &'static str {
        self.tr.lang.code()
    }

    pub fn role_key(&self) -> &'static str {
        match self.user.as_ref().map(|u| u.user.role) {
            Some(Role::PlatformAdmin) => "role.platform_admin",
            Some(Role::OrganizerStaff) => "role.organizer_staff",
            Some(Role::EmployerAdmin) => "role.employer_admin",
            Some(Role::Interviewer) => "role.interviewer",
            Some(Role::Student) => "role.student",
            None => "role.guest",
        }
    }

    /// The signed-in role as text (`""` for visitors), for the layout's navigation.
    pub fn role(&self) -> &'static str {
        self.user.as_ref().map_or("", |u| u.user.role.as_str())
    }

    pub fn user_name(&self) -> &str {
        self.user
            .as_ref()
            .map_or("", |u| u.user.display_name.as_str())
    }

    pub fn signed_in(&self) -> bool {
        self.user.is_some()
    }
}

/// Renders a template; a failure is logged and becomes a plain 500, never a half page.
pub fn render<T: Template>(page: &T) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "服务器出错了，请稍后再试",
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub b: Base,
    pub status: u16,
    pub message: String,
}

/// Times are shown in China Standard Time (UTC+8), where every fair happens.
pub fn fmt_time(ms: i64) -> String {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)) else {
        return String::new();
    };
    let t = t.to_offset(offset);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_show_in_beijing_time() {
        // 2026-11-26T00:00:00Z is 08:00 in Beijing.
        assert_eq!(super::fmt_time(1_795_651_200_000), "2026-11-26 08:00");
    }
}
