//! Employer (单位) rules: the registration form, profile fields, positions (招聘职位).
//!
//! Forms are parsed whole: every field is checked and every error collected, so a page can
//! show each message beside its own input in one round trip instead of one error at a time.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::account::{Email, NewPassword, Phone};
use crate::credit_code::CreditCode;
use crate::message::Message;
use crate::msg;

pub const NAME_MIN_CHARS: usize = 2;
pub const NAME_MAX_CHARS: usize = 60;
pub const CONTACT_NAME_MAX_CHARS: usize = 30;
pub const INDUSTRY_MAX_CHARS: usize = 30;
pub const CITY_MAX_CHARS: usize = 30;
pub const ADDRESS_MAX_CHARS: usize = 100;
pub const DESCRIPTION_MAX_CHARS: usize = 2000;

pub const TITLE_MAX_CHARS: usize = 40;
pub const HEADCOUNT_MAX: i64 = 9999;
pub const MAJOR_MAX_CHARS: usize = 30;
pub const MAJORS_MAX: usize = 20;
/// Salaries are monthly, in yuan (元/月), the unit Chinese job listings use; a ceiling keeps
/// a typo of extra zeros from being published.
pub const SALARY_MAX_YUAN: i64 = 1_000_000;
pub const POSITION_DESCRIPTION_MAX_CHARS: usize = 2000;

/// Every error of one form, in the order of its fields. Never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldErrors(Vec<DomainError>);

impl FieldErrors {
    pub fn all(&self) -> &[DomainError] {
        &self.0
    }

    /// The message for `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&DomainError> {
        self.0.iter().find(|e| e.field == field)
    }

    /// The first error; what an API answer carries.
    pub fn first(&self) -> &DomainError {
        // Built only through `Collector::finish`, which never makes an empty list.
        &self.0[0]
    }

    pub fn into_vec(self) -> Vec<DomainError> {
        self.0
    }
}

impl From<FieldErrors> for DomainError {
    fn from(e: FieldErrors) -> Self {
        e.0.into_iter()
            .next()
            .unwrap_or_else(|| DomainError::new("invalid", "", msg!("error.employer.invalid")))
    }
}

impl From<DomainError> for FieldErrors {
    fn from(e: DomainError) -> Self {
        FieldErrors(vec![e])
    }
}

/// Gathers the result of each field's parse and remembers the errors.
#[derive(Default)]
struct Collector(Vec<DomainError>);

impl Collector {
    fn take<T>(&mut self, r: Result<T, DomainError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    fn finish<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, FieldErrors> {
        if !self.0.is_empty() {
            return Err(FieldErrors(self.0));
        }
        build().ok_or_else(|| {
            FieldErrors(vec![DomainError::new(
                "invalid",
                "",
                msg!("error.employer.invalid"),
            )])
        })
    }
}

/// Moves an error of a shared parser (`Phone`, `Email`) onto this form's field name.
fn on_field(mut e: DomainError, field: &'static str) -> DomainError {
    e.field = field;
    e
}

fn has_control(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

/// A required single-line text: trimmed, 1..=max characters, no control characters.
fn required_text(
    input: &str,
    field: &'static str,
    label: Message,
    max: usize,
) -> Result<String, DomainError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(DomainError::new(
            "required",
            field,
            msg!("error.employer.required", label = label),
        ));
    }
    if s.chars().count() > max {
        return Err(DomainError::new(
            "too_long",
            field,
            msg!("error.employer.too_long", label = label, max = max),
        ));
    }
    if s.chars().any(char::is_control) {
        return Err(DomainError::new(
            "invalid_text",
            field,
            msg!("error.employer.invalid_text", label = label),
        ));
    }
    Ok(s.to_owned())
}

/// An optional text; `None` when blank. Multi-line text keeps its line breaks.
fn optional_text(
    input: &str,
    field: &'static str,
    label: Message,
    max: usize,
) -> Result<Option<String>, DomainError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let s = s.replace("\r\n", "\n");
    if s.chars().count() > max {
        return Err(DomainError::new(
            "too_long",
            field,
            msg!(
                "error.employer.text_too_long",
                label = label,
                max = max,
                len = s.chars().count()
            ),
        ));
    }
    if has_control(&s) {
        return Err(DomainError::new(
            "invalid_text",
            field,
            msg!("error.employer.invalid_text", label = label),
        ));
    }
    Ok(Some(s))
}

/// Folds full-width digits and separators that Chinese input methods produce.
fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            '，' => ',',
            '　' => ' ',
            _ => c,
        })
        .collect()
}

/// Company size (单位规模), a fixed set of bands as on most recruitment sites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CompanySize {
    #[serde(rename = "lt50")]
    Lt50,
    #[serde(rename = "50-99")]
    From50,
    #[serde(rename = "100-499")]
    From100,
    #[serde(rename = "500-999")]
    From500,
    #[serde(rename = "1000-9999")]
    From1000,
    #[serde(rename = "10000+")]
    From10000,
}

impl CompanySize {
    pub const ALL: [CompanySize; 6] = [
        CompanySize::Lt50,
        CompanySize::From50,
        CompanySize::From100,
        CompanySize::From500,
        CompanySize::From1000,
        CompanySize::From10000,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CompanySize::Lt50 => "lt50",
            CompanySize::From50 => "50-99",
            CompanySize::From100 => "100-499",
            CompanySize::From500 => "500-999",
            CompanySize::From1000 => "1000-9999",
            CompanySize::From10000 => "10000+",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            CompanySize::Lt50 => "50 人以下",
            CompanySize::From50 => "50–99 人",
            CompanySize::From100 => "100–499 人",
            CompanySize::From500 => "500–999 人",
            CompanySize::From1000 => "1000–9999 人",
            CompanySize::From10000 => "10000 人以上",
        }
    }

    pub fn parse(input: &str) -> Result<CompanySize, DomainError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(DomainError::new(
                "required",
                "size",
                msg!("error.employer.size_required"),
            ));
        }
        CompanySize::ALL
            .into_iter()
            .find(|c| c.as_str() == s || c.label_zh() == s)
            .ok_or_else(|| {
                DomainError::new("invalid_size", "size", msg!("error.employer.size_invalid"))
            })
    }
}

impl fmt::Display for CompanySize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Raw profile fields as typed into a form or sent as JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ProfileInput {
    pub name: String,
    pub credit_code: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub industry: String,
    pub size: String,
    pub city: String,
    pub address: String,
    pub description: String,
}

/// A checked employer profile, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub credit_code: CreditCode,
    pub contact_name: String,
    pub contact_phone: Phone,
    pub contact_email: Email,
    pub industry: String,
    pub size: CompanySize,
    pub city: String,
    pub address: Option<String>,
    pub description: Option<String>,
}

fn company_name(input: &str) -> Result<String, DomainError> {
    let name = required_text(input, "name", msg!("label.employer.name"), NAME_MAX_CHARS)?;
    if name.chars().count() < NAME_MIN_CHARS {
        return Err(DomainError::new(
            "too_short",
            "name",
            msg!("error.employer.name_too_short", min = NAME_MIN_CHARS),
        ));
    }
    Ok(name)
}

/// Where a blank contact e-mail comes from.
#[derive(Clone, Copy)]
enum Fallback<'a> {
    /// Nowhere: the profile form requires it.
    None,
    /// The registration's login e-mail (`None` when that is itself invalid).
    Login(Option<&'a Email>),
}

impl Profile {
    pub fn parse(input: &ProfileInput) -> Result<Profile, FieldErrors> {
        let mut c = Collector::default();
        let profile = Self::collect(&mut c, input, Fallback::None);
        c.finish(|| profile)
    }

    /// `email_fallback` fills the contact e-mail when the form has none (registration uses
    /// the login e-mail).
    fn collect(
        c: &mut Collector,
        input: &ProfileInput,
        email_fallback: Fallback<'_>,
    ) -> Option<Profile> {
        let name = c.take(company_name(&input.name));
        let credit_code = c.take(CreditCode::parse(&input.credit_code).map_err(DomainError::from));
        let contact_name = c.take(required_text(
            &input.contact_name,
            "contact_name",
            msg!("label.employer.contact_name"),
            CONTACT_NAME_MAX_CHARS,
        ));
        let contact_phone =
            c.take(Phone::parse(&input.contact_phone).map_err(|e| on_field(e, "contact_phone")));
        let contact_email = match (input.contact_email.trim().is_empty(), email_fallback) {
            (true, Fallback::Login(Some(login))) => Some(login.clone()),
            // The login e-mail is wrong and already reported on its own field.
            (true, Fallback::Login(None)) => None,
            _ => {
                c.take(Email::parse(&input.contact_email).map_err(|e| on_field(e, "contact_email")))
            }
        };
        let industry = c.take(required_text(
            &input.industry,
            "industry",
            msg!("label.employer.industry"),
            INDUSTRY_MAX_CHARS,
        ));
        let size = c.take(CompanySize::parse(&input.size));
        let city = c.take(required_text(
            &input.city,
            "city",
            msg!("label.employer.city"),
            CITY_MAX_CHARS,
        ));
        let address = c.take(optional_text(
            &input.address,
            "address",
            msg!("label.employer.address"),
            ADDRESS_MAX_CHARS,
        ));
        let description = c.take(optional_text(
            &input.description,
            "description",
            msg!("label.employer.description"),
            DESCRIPTION_MAX_CHARS,
        ));
        Some(Profile {
            name: name?,
            credit_code: credit_code?,
            contact_name: contact_name?,
            contact_phone: contact_phone?,
            contact_email: contact_email?,
            industry: industry?,
            size: size?,
            city: city?,
            address: address?,
            description: description?,
        })
    }
}

/// Raw registration fields (立即注册): the profile plus the employer admin's login.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RegistrationInput {
    #[serde(flatten)]
    pub profile: ProfileInput,
    /// The login e-mail; also the contact e-mail unless `profile.contact_email` is given.
    pub email: String,
    pub password: String,
}

/// A checked registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerRegistration {
    pub profile: Profile,
    pub email: Email,
    pub password: NewPassword,
}

impl EmployerRegistration {
    pub fn parse(input: &RegistrationInput) -> Result<EmployerRegistration, FieldErrors> {
        let mut c = Collector::default();
        let email = c.take(Email::parse(&input.email));
        let profile = Profile::collect(&mut c, &input.profile, Fallback::Login(email.as_ref()));
        let password = c.take(NewPassword::parse(&input.password));
        // Show errors in the order of the form: profile fields, then the login.
        c.0.sort_by_key(|e| registration_field_order(e.field));
        c.finish(|| {
            Some(EmployerRegistration {
                profile: profile?,
                email: email?,
                password: password?,
            })
        })
    }
}

fn registration_field_order(field: &str) -> usize {
    const ORDER: [&str; 12] = [
        "name",
        "credit_code",
        "contact_name",
        "contact_phone",
        "email",
        "password",
        "contact_email",
        "industry",
        "size",
        "city",
        "address",
        "description",
    ];
    ORDER
        .iter()
        .position(|f| *f == field)
        .unwrap_or(ORDER.len())
}

/// The unified social credit code identifies the employer the organizers approved; once any
/// organizer has approved a join request, changing it would swap the identity under that
/// approval, so it is frozen.
pub fn check_credit_code_change(
    current: Option<&str>,
    new: &CreditCode,
    approved_by_any_organizer: bool,
) -> Result<(), DomainError> {
    if approved_by_any_organizer && current.is_some_and(|c| c != new.as_str()) {
        return Err(DomainError::new(
            "credit_code_locked",
            "credit_code",
            msg!("error.employer.credit_code_locked"),
        ));
    }
    Ok(())
}

/// Minimum education for a position (学历要求).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Education {
    Any,
    Associate,
    Bachelor,
    Master,
    Doctor,
}

impl Education {
    pub const ALL: [Education; 5] = [
        Education::Any,
        Education::Associate,
        Education::Bachelor,
        Education::Master,
        Education::Doctor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Education::Any => "any",
            Education::Associate => "associate",
            Education::Bachelor => "bachelor",
            Education::Master => "master",
            Education::Doctor => "doctor",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Education::Any => "不限",
            Education::Associate => "大专",
            Education::Bachelor => "本科",
            Education::Master => "硕士",
            Education::Doctor => "博士",
        }
    }

    pub fn parse(input: &str) -> Result<Education, DomainError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(DomainError::new(
                "required",
                "education",
                msg!("error.employer.education_required"),
            ));
        }
        Education::ALL
            .into_iter()
            .find(|e| e.as_str() == s || e.label_zh() == s)
            .ok_or_else(|| {
                DomainError::new(
                    "invalid_education",
                    "education",
                    msg!("error.employer.education_invalid"),
                )
            })
    }
}

impl fmt::Display for Education {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Accepts a JSON string, number or null as text, so API clients may send `"headcount": 3`
/// and pages send `headcount=3` alike.
fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Int(i64),
        Float(f64),
        Null,
    }
    Ok(match Raw::deserialize(d)? {
        Raw::Text(s) => s,
        Raw::Int(n) => n.to_string(),
        Raw::Float(f) => f.to_string(),
        Raw::Null => String::new(),
    })
}

/// Raw position fields as typed into the form or sent as JSON. Numbers arrive as text so
/// that "abc" is reported beside its field instead of failing the whole request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PositionInput {
    pub title: String,
    #[serde(deserialize_with = "text_or_number")]
    pub headcount: String,
    pub education: String,
    /// Separated by commas (half- or full-width), 、, semicolons or line breaks.
    pub majors: String,
    pub city: String,
    /// 元/月; both empty means negotiable (面议).
    #[serde(deserialize_with = "text_or_number")]
    pub salary_min: String,
    #[serde(deserialize_with = "text_or_number")]
    pub salary_max: String,
    pub description: String,
}

/// A monthly salary range in yuan, `min <= max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalaryRange {
    pub min: i64,
    pub max: i64,
}

impl SalaryRange {
    /// "8000–12000 元/月".
    pub fn label_zh(&self) -> String {
        if self.min == self.max {
            format!("{} 元/月", self.min)
        } else {
            format!("{}–{} 元/月", self.min, self.max)
        }
    }
}

/// Text for a salary that may be negotiable.
pub fn salary_label_zh(salary: Option<&SalaryRange>) -> String {
    salary.map_or_else(|| "面议".to_owned(), SalaryRange::label_zh)
}

/// A checked position (招聘职位).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionDraft {
    pub title: String,
    pub headcount: i64,
    pub education: Education,
    /// Empty means any major (专业不限).
    pub majors: Vec<String>,
    pub city: String,
    /// `None` means negotiable (面议).
    pub salary: Option<SalaryRange>,
    pub description: Option<String>,
}

/// Joins majors for storage and display; `、` never occurs inside one.
pub const MAJORS_SEPARATOR: &str = "、";

impl PositionDraft {
    pub fn parse(input: &PositionInput) -> Result<PositionDraft, FieldErrors> {
        let mut c = Collector::default();
        let title = c.take(required_text(
            &input.title,
            "title",
            msg!("label.employer.position_title"),
            TITLE_MAX_CHARS,
        ));
        let headcount = c.take(parse_headcount(&input.headcount));
        let education = c.take(Education::parse(&input.education));
        let majors = c.take(parse_majors(&input.majors));
        let city = c.take(required_text(
            &input.city,
            "city",
            msg!("label.employer.work_city"),
            CITY_MAX_CHARS,
        ));
        let salary = c.take(parse_salary(&input.salary_min, &input.salary_max));
        let description = c.take(optional_text(
            &input.description,
            "description",
            msg!("label.employer.position_description"),
            POSITION_DESCRIPTION_MAX_CHARS,
        ));
        c.finish(|| {
            Some(PositionDraft {
                title: title?,
                headcount: headcount?,
                education: education?,
                majors: majors?,
                city: city?,
                salary: salary?,
                description: description?,
            })
        })
    }

    pub fn majors_text(&self) -> String {
        self.majors.join(MAJORS_SEPARATOR)
    }
}

fn parse_headcount(input: &str) -> Result<i64, DomainError> {
    let s = half_width(input);
    let s = s.trim().trim_end_matches('人').trim();
    if s.is_empty() {
        return Err(DomainError::new(
            "required",
            "headcount",
            msg!("error.employer.headcount_required"),
        ));
    }
    let n: i64 = s.parse().map_err(|_| {
        DomainError::new(
            "invalid_number",
            "headcount",
            msg!("error.employer.headcount_not_a_number"),
        )
    })?;
    if n < 1 {
        return Err(DomainError::new(
            "headcount_too_small",
            "headcount",
            msg!("error.employer.headcount_too_small"),
        ));
    }
    if n > HEADCOUNT_MAX {
        return Err(DomainError::new(
            "headcount_too_large",
            "headcount",
            msg!("error.employer.headcount_too_large", max = HEADCOUNT_MAX),
        ));
    }
    Ok(n)
}

/// Splits a list of majors on the separators people type; blanks and repeats are dropped,
/// order is kept.
pub fn parse_majors(input: &str) -> Result<Vec<String>, DomainError> {
    let mut majors: Vec<String> = Vec::new();
    for part in input.split([',', '，', '、', ';', '；', '\n', '\r']) {
        let m = part.trim().trim_matches('　').trim();
        if m.is_empty() || majors.iter().any(|x| x == m) {
            continue;
        }
        if m.chars().count() > MAJOR_MAX_CHARS {
            return Err(DomainError::new(
                "major_too_long",
                "majors",
                msg!(
                    "error.employer.major_too_long",
                    max = MAJOR_MAX_CHARS,
                    major = m
                ),
            ));
        }
        if m.chars().any(char::is_control) {
            return Err(DomainError::new(
                "invalid_text",
                "majors",
                msg!("error.employer.major_invalid_text"),
            ));
        }
        majors.push(m.to_owned());
    }
    if majors.len() > MAJORS_MAX {
        return Err(DomainError::new(
            "too_many_majors",
            "majors",
            msg!(
                "error.employer.too_many_majors",
                max = MAJORS_MAX,
                count = majors.len()
            ),
        ));
    }
    Ok(majors)
}

fn parse_yuan(
    input: &str,
    field: &'static str,
    label: Message,
) -> Result<Option<i64>, DomainError> {
    let s: String = half_width(input)
        .chars()
        .filter(|c| !matches!(c, ',' | ' '))
        .collect();
    let s = s.trim_end_matches("元/月").trim_end_matches('元');
    if s.is_empty() {
        return Ok(None);
    }
    let n: i64 = s.parse().map_err(|_| {
        DomainError::new(
            "invalid_number",
            field,
            msg!("error.employer.salary_not_a_number", label = label.clone()),
        )
    })?;
    if n < 1 {
        return Err(DomainError::new(
            "salary_too_small",
            field,
            msg!("error.employer.salary_too_small", label = label),
        ));
    }
    if n > SALARY_MAX_YUAN {
        return Err(DomainError::new(
            "salary_too_large",
            field,
            msg!(
                "error.employer.salary_too_large",
                label = label,
                max = SALARY_MAX_YUAN
            ),
        ));
    }
    Ok(Some(n))
}

/// Both bounds or neither (面议); `min <= max`.
pub fn parse_salary(min: &str, max: &str) -> Result<Option<SalaryRange>, DomainError> {
    let lo = parse_yuan(min, "salary_min", msg!("label.employer.salary_min"))?;
    let hi = parse_yuan(max, "salary_max", msg!("label.employer.salary_max"))?;
    match (lo, hi) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(DomainError::new(
            "salary_incomplete",
            "salary_max",
            msg!("error.employer.salary_max_missing"),
        )),
        (None, Some(_)) => Err(DomainError::new(
            "salary_incomplete",
            "salary_min",
            msg!("error.employer.salary_min_missing"),
        )),
        (Some(min), Some(max)) if min > max => Err(DomainError::new(
            "salary_range",
            "salary_max",
            msg!("error.employer.salary_range"),
        )),
        (Some(min), Some(max)) => Ok(Some(SalaryRange { min, max })),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn profile() -> ProfileInput {
        ProfileInput {
            name: "天津示例科技有限公司".into(),
            credit_code: "91350100M000100Y43".into(),
            contact_name: "王老师".into(),
            contact_phone: "138 1234 5678".into(),
            contact_email: "hr@example.cn".into(),
            industry: "互联网/IT".into(),
            size: "100-499".into(),
            city: "天津".into(),
            address: "".into(),
            description: "  我们是一家软件公司。\r\n欢迎加入。 ".into(),
        }
    }

    fn registration() -> RegistrationInput {
        RegistrationInput {
            profile: ProfileInput {
                contact_email: String::new(),
                ..profile()
            },
            email: "HR@Example.cn".into(),
            password: "long enough password".into(),
        }
    }

    fn position() -> PositionInput {
        PositionInput {
            title: "后端开发工程师".into(),
            headcount: "3".into(),
            education: "bachelor".into(),
            majors: "计算机科学与技术、软件工程, 数学，软件工程".into(),
            city: "天津".into(),
            salary_min: "8000".into(),
            salary_max: "12,000".into(),
            description: "".into(),
        }
    }

    fn codes(e: &FieldErrors) -> Vec<(&str, &str)> {
        e.all().iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_complete_profile_parses() {
        let p = Profile::parse(&profile()).unwrap();
        assert_eq!(p.credit_code.as_str(), "91350100M000100Y43");
        assert_eq!(p.contact_phone.as_str(), "13812345678");
        assert_eq!(p.size, CompanySize::From100);
        assert_eq!(p.address, None);
        assert_eq!(
            p.description.as_deref(),
            Some("我们是一家软件公司。\n欢迎加入。")
        );
    }

    #[test]
    fn an_empty_profile_reports_every_required_field() {
        let err = Profile::parse(&ProfileInput::default()).unwrap_err();
        assert_eq!(
            codes(&err),
            [
                ("name", "required"),
                ("credit_code", "credit_code_required"),
                ("contact_name", "required"),
                ("contact_phone", "invalid_phone"),
                ("contact_email", "invalid_email"),
                ("industry", "required"),
                ("size", "required"),
                ("city", "required"),
            ]
        );
        assert_eq!(err.first().field, "name");
        assert_eq!(err.get("city").unwrap().message, "请填写所在城市");
        let first: DomainError = err.into();
        assert_eq!(first.field, "name");
    }

    #[test]
    fn a_wrong_credit_code_says_what_is_wrong() {
        let mut input = profile();
        input.credit_code = "91350100M000100Y44".into();
        let err = Profile::parse(&input).unwrap_err();
        assert_eq!(codes(&err), [("credit_code", "credit_code_check")]);
        assert_eq!(
            err.first().message,
            "校验位错误：最后一位应为“3”，请核对后重新输入"
        );
    }

    #[test]
    fn profile_fields_are_bounded() {
        let mut input = profile();
        input.name = "甲".into();
        input.contact_name = "王".repeat(31);
        input.industry = "行".repeat(31);
        input.city = "城".repeat(31);
        input.address = "路".repeat(101);
        input.description = "字".repeat(2001);
        input.size = "huge".into();
        input.contact_phone = "12345".into();
        input.contact_email = "not-an-email".into();
        let err = Profile::parse(&input).unwrap_err();
        assert_eq!(
            codes(&err),
            [
                ("name", "too_short"),
                ("contact_name", "too_long"),
                ("contact_phone", "invalid_phone"),
                ("contact_email", "invalid_email"),
                ("industry", "too_long"),
                ("size", "invalid_size"),
                ("city", "too_long"),
                ("address", "too_long"),
                ("description", "too_long"),
            ]
        );
        input = profile();
        input.name = "公".repeat(61);
        assert_eq!(
            codes(&Profile::parse(&input).unwrap_err()),
            [("name", "too_long")]
        );
        input = profile();
        input.city = "天\u{0}津".into();
        assert_eq!(
            codes(&Profile::parse(&input).unwrap_err()),
            [("city", "invalid_text")]
        );
        input = profile();
        input.description = "简介\u{7}".into();
        assert_eq!(
            codes(&Profile::parse(&input).unwrap_err()),
            [("description", "invalid_text")]
        );
    }

    #[test]
    fn limits_are_inclusive() {
        let mut input = profile();
        input.name = "公".repeat(NAME_MAX_CHARS);
        input.address = "路".repeat(ADDRESS_MAX_CHARS);
        input.description = "字".repeat(DESCRIPTION_MAX_CHARS);
        input.name.replace_range(0..3, "某");
        assert!(Profile::parse(&input).is_ok());
        input.name = "某公".into();
        assert!(Profile::parse(&input).is_ok());
    }

    #[test]
    fn sizes_parse_by_value_or_label() {
        for s in CompanySize::ALL {
            assert_eq!(CompanySize::parse(s.as_str()), Ok(s));
            assert_eq!(CompanySize::parse(s.label_zh()), Ok(s));
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        assert_eq!(CompanySize::parse(" ").unwrap_err().code, "required");
        assert_eq!(CompanySize::parse("5").unwrap_err().code, "invalid_size");
    }

    #[test]
    fn registration_uses_the_login_email_as_contact() {
        let r = EmployerRegistration::parse(&registration()).unwrap();
        assert_eq!(r.email.as_str(), "hr@example.cn");
        assert_eq!(r.profile.contact_email.as_str(), "hr@example.cn");
        let mut input = registration();
        input.profile.contact_email = "boss@example.cn".into();
        let r = EmployerRegistration::parse(&input).unwrap();
        assert_eq!(r.profile.contact_email.as_str(), "boss@example.cn");
    }

    #[test]
    fn registration_collects_errors_in_form_order() {
        let mut input = registration();
        input.password = "short".into();
        input.email = "nope".into();
        input.profile.city = String::new();
        input.profile.credit_code = "91350100M000100Y4".into();
        let err = EmployerRegistration::parse(&input).unwrap_err();
        assert_eq!(
            codes(&err),
            [
                ("credit_code", "credit_code_length"),
                ("email", "invalid_email"),
                ("password", "weak_password"),
                ("city", "required"),
            ]
        );
        // A bad login e-mail is reported once, on the login field, not again as contact.
        assert!(err.get("contact_email").is_none());
    }

    #[test]
    fn registration_deserialises_flat_json() {
        let input: RegistrationInput = serde_json::from_str(
            r#"{"name":"某某公司","credit_code":"91110000600037341L","email":"a@b.cn","password":"12345678","size":"lt50"}"#,
        )
        .unwrap();
        assert_eq!(input.profile.name, "某某公司");
        assert_eq!(input.profile.size, "lt50");
        assert_eq!(input.email, "a@b.cn");
    }

    #[test]
    fn credit_code_freezes_after_an_approval() {
        let a = CreditCode::parse("91350100M000100Y43").unwrap();
        let b = CreditCode::parse("91110000600037341L").unwrap();
        assert!(check_credit_code_change(Some(a.as_str()), &b, false).is_ok());
        assert!(check_credit_code_change(None, &b, true).is_ok());
        assert!(check_credit_code_change(Some(a.as_str()), &a, true).is_ok());
        let err = check_credit_code_change(Some(a.as_str()), &b, true).unwrap_err();
        assert_eq!((err.field, err.code), ("credit_code", "credit_code_locked"));
    }

    #[test]
    fn a_complete_position_parses() {
        let p = PositionDraft::parse(&position()).unwrap();
        assert_eq!(p.title, "后端开发工程师");
        assert_eq!(p.headcount, 3);
        assert_eq!(p.education, Education::Bachelor);
        assert_eq!(p.majors, ["计算机科学与技术", "软件工程", "数学"]);
        assert_eq!(p.majors_text(), "计算机科学与技术、软件工程、数学");
        assert_eq!(
            p.salary,
            Some(SalaryRange {
                min: 8000,
                max: 12000
            })
        );
        assert_eq!(salary_label_zh(p.salary.as_ref()), "8000–12000 元/月");
        assert_eq!(p.description, None);
    }

    #[test]
    fn an_empty_position_reports_every_required_field() {
        let err = PositionDraft::parse(&PositionInput::default()).unwrap_err();
        assert_eq!(
            codes(&err),
            [
                ("title", "required"),
                ("headcount", "required"),
                ("education", "required"),
                ("city", "required"),
            ]
        );
    }

    #[test]
    fn headcount_must_be_a_whole_number_of_at_least_one() {
        for (input, code) in [
            ("0", "headcount_too_small"),
            ("-2", "headcount_too_small"),
            ("1.5", "invalid_number"),
            ("若干", "invalid_number"),
            ("10000", "headcount_too_large"),
        ] {
            let mut p = position();
            p.headcount = input.into();
            let err = PositionDraft::parse(&p).unwrap_err();
            assert_eq!(codes(&err), [("headcount", code)], "{input}");
        }
        for (input, n) in [("1", 1), (" ５ ", 5), ("12人", 12), ("9999", 9999)] {
            let mut p = position();
            p.headcount = input.into();
            assert_eq!(PositionDraft::parse(&p).unwrap().headcount, n, "{input}");
        }
    }

    #[test]
    fn education_is_one_of_five() {
        for e in Education::ALL {
            assert_eq!(Education::parse(e.as_str()), Ok(e));
            assert_eq!(Education::parse(e.label_zh()), Ok(e));
        }
        let labels: Vec<_> = Education::ALL.iter().map(|e| e.label_zh()).collect();
        assert_eq!(labels, ["不限", "大专", "本科", "硕士", "博士"]);
        assert_eq!(
            Education::parse("高中").unwrap_err().code,
            "invalid_education"
        );
    }

    #[test]
    fn majors_split_on_every_separator() {
        assert_eq!(
            parse_majors("法学；金融学;会计学\n 英语 、、").unwrap(),
            ["法学", "金融学", "会计学", "英语"]
        );
        assert!(parse_majors("  ").unwrap().is_empty());
        let long = "专".repeat(31);
        assert_eq!(parse_majors(&long).unwrap_err().code, "major_too_long");
        let many: Vec<String> = (0..21).map(|i| format!("专业{i}")).collect();
        assert_eq!(
            parse_majors(&many.join(",")).unwrap_err().code,
            "too_many_majors"
        );
        assert_eq!(parse_majors(&many[..20].join(",")).unwrap().len(), 20);
        assert_eq!(parse_majors("法\u{1}学").unwrap_err().code, "invalid_text");
    }

    #[test]
    fn salary_is_both_or_neither_and_ordered() {
        assert_eq!(parse_salary("", " "), Ok(None));
        assert_eq!(salary_label_zh(None), "面议");
        assert_eq!(
            parse_salary("６０００", "6000元/月"),
            Ok(Some(SalaryRange {
                min: 6000,
                max: 6000
            }))
        );
        assert_eq!(
            SalaryRange {
                min: 6000,
                max: 6000
            }
            .label_zh(),
            "6000 元/月"
        );
        for (min, max, field, code) in [
            ("8000", "", "salary_max", "salary_incomplete"),
            ("", "8000", "salary_min", "salary_incomplete"),
            ("9000", "8000", "salary_max", "salary_range"),
            ("8k", "10000", "salary_min", "invalid_number"),
            ("0", "10000", "salary_min", "salary_too_small"),
            ("8000", "1000001", "salary_max", "salary_too_large"),
        ] {
            let err = parse_salary(min, max).unwrap_err();
            assert_eq!((err.field, err.code), (field, code), "{min} {max}");
        }
        assert!(parse_salary("1", "1000000").is_ok());
    }

    #[test]
    fn position_text_fields_are_bounded() {
        let mut p = position();
        p.title = "职".repeat(41);
        p.city = "城".repeat(31);
        p.description = "字".repeat(2001);
        let err = PositionDraft::parse(&p).unwrap_err();
        assert_eq!(
            codes(&err),
            [
                ("title", "too_long"),
                ("city", "too_long"),
                ("description", "too_long"),
            ]
        );
        p = position();
        p.title = "职".repeat(40);
        p.description = "字".repeat(2000);
        assert!(PositionDraft::parse(&p).is_ok());
    }

    #[test]
    fn position_input_deserialises_with_defaults() {
        let input: PositionInput =
            serde_json::from_str(r#"{"title":"会计","headcount":"2"}"#).unwrap();
        assert_eq!(input.title, "会计");
        assert_eq!(input.education, "");
        let input: PositionInput = serde_json::from_str(
            r#"{"headcount":3,"salary_min":8000,"salary_max":null,"title":"x"}"#,
        )
        .unwrap();
        assert_eq!(input.headcount, "3");
        assert_eq!(input.salary_min, "8000");
        assert_eq!(input.salary_max, "");
        let input: PositionInput = serde_json::from_str(r#"{"headcount":1.5}"#).unwrap();
        assert_eq!(
            PositionDraft::parse(&input)
                .unwrap_err()
                .get("headcount")
                .unwrap()
                .code,
            "invalid_number"
        );
    }
}
