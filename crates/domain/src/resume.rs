//! A student's resume (简历): structured sections, their validators, and the completeness score
//! that decides whether the student may enter a fair.
//!
//! Every section may be saved half-filled: students fill a resume on a phone, often in several
//! sittings, and losing what they typed because one field is still empty would be worse than
//! useless. What is filled must be valid; what is missing is reported by `completeness`, and the
//! fair's threshold (`check_entry`) is what finally asks for it.
//!
//! Entries of the list sections (education, experience, projects, awards) are parsed one at a
//! time, as the page edits them one at a time; `check_room` bounds how many a section holds.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::DomainError;
use crate::account::{Email, Phone};
use crate::message::Message;
use crate::msg;

/// A person's name: long enough for minority and transliterated foreign names.
pub const NAME_MAX: usize = 30;
/// Schools, colleges, majors, organisations, project and award names.
pub const TITLE_MAX: usize = 60;
/// A role in an internship or project (职务 / 担任角色).
pub const ROLE_MAX: usize = 30;
/// What an internship or project was about: a few paragraphs, not an essay.
pub const DESCRIPTION_MAX: usize = 1000;
pub const SELF_EVALUATION_MAX: usize = 500;
/// One skill or certificate ("CET-6", "Python", "初级会计师").
pub const SKILL_MAX: usize = 30;
pub const MAX_SKILLS: usize = 30;
/// Intended cities and positions: a handful each, so employers can read them at a glance.
pub const MAX_CITIES: usize = 5;
pub const CITY_MAX: usize = 20;
pub const MAX_INTENDED_POSITIONS: usize = 5;
pub const INTENDED_POSITION_MAX: usize = 30;
pub const MAX_EDUCATION: usize = 6;
pub const MAX_EXPERIENCE: usize = 10;
pub const MAX_PROJECTS: usize = 10;
pub const MAX_AWARDS: usize = 20;

/// Months (birth, study, work) from 1950: city employment platforms also serve job seekers who
/// are not fresh graduates, so the bound only catches typing mistakes.
pub const MONTH_YEAR_MIN: u16 = 1950;
pub const MONTH_YEAR_MAX: u16 = 2100;
/// Graduation years: nobody graduating before 1990 looks for a job at a campus fair.
pub const GRADUATION_YEAR_MIN: u16 = 1990;
pub const GRADUATION_YEAR_MAX: u16 = 2100;
/// Expected monthly salary, in thousands of yuan (the "8K-12K" every job site uses).
pub const SALARY_K_MAX: u16 = 200;

// ---------------------------------------------------------------------------------------------
// Small value types
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub const ALL: [Gender; 2] = [Gender::Male, Gender::Female];

    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }

    /// Accepts the stored text or the Chinese label, as a select or an import may send either.
    pub fn parse(input: &str) -> Result<Gender, DomainError> {
        let s = input.trim();
        Gender::ALL
            .into_iter()
            .find(|g| g.as_str().eq_ignore_ascii_case(s) || g.label_zh() == s)
            .ok_or_else(|| {
                DomainError::new(
                    "invalid_gender",
                    "gender",
                    msg!("error.resume.gender_invalid"),
                )
            })
    }
}

/// The degree levels campus recruiting filters on. Shared with the roster import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Degree {
    /// 大专 (also written 专科 or 高职).
    Associate,
    /// 本科
    Bachelor,
    /// 硕士
    Master,
    /// 博士
    Doctor,
}

impl Degree {
    pub const ALL: [Degree; 4] = [
        Degree::Associate,
        Degree::Bachelor,
        Degree::Master,
        Degree::Doctor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Degree::Associate => "associate",
            Degree::Bachelor => "bachelor",
            Degree::Master => "master",
            Degree::Doctor => "doctor",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Degree::Associate => "大专",
            Degree::Bachelor => "本科",
            Degree::Master => "硕士",
            Degree::Doctor => "博士",
        }
    }

    /// Accepts the stored text, the label, and the other names university records use for
    /// the same level (专科, 硕士研究生, …). `None` for anything else.
    pub fn from_text(input: &str) -> Option<Degree> {
        let s = input.trim();
        if let Some(d) = Degree::ALL
            .into_iter()
            .find(|d| d.as_str().eq_ignore_ascii_case(s) || d.label_zh() == s)
        {
            return Some(d);
        }
        match s {
            "专科" | "高职" | "高职高专" | "大学专科" => Some(Degree::Associate),
            "大学本科" | "学士" => Some(Degree::Bachelor),
            "硕士研究生" | "研究生" | "硕士研究生毕业" => Some(Degree::Master),
            "博士研究生" => Some(Degree::Doctor),
            _ => None,
        }
    }

    pub fn parse(input: &str, field: &'static str) -> Result<Degree, DomainError> {
        Degree::from_text(input).ok_or_else(|| {
            DomainError::new("invalid_degree", field, msg!("error.resume.degree_invalid"))
        })
    }
}

/// A calendar month, as resumes date things: "2024-09". Ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct YearMonth {
    year: u16,
    month: u8,
}

impl YearMonth {
    pub fn new(year: u16, month: u8) -> Option<YearMonth> {
        ((MONTH_YEAR_MIN..=MONTH_YEAR_MAX).contains(&year) && (1..=12).contains(&month))
            .then_some(YearMonth { year, month })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    /// Reads "2024-09" (what `<input type="month">` sends), and the forms people type:
    /// "2024-9", "2024.09", "2024/09", "2024年9月".
    pub fn parse(input: &str, field: &'static str) -> Result<YearMonth, DomainError> {
        let s = input.trim();
        let bad = || {
            DomainError::new(
                "invalid_month",
                field,
                msg!(
                    "error.resume.month_invalid",
                    min = MONTH_YEAR_MIN,
                    max = MONTH_YEAR_MAX
                ),
            )
        };
        let s = s.strip_suffix('月').unwrap_or(s);
        let (y, m) = s.split_once(['-', '.', '/', '年']).ok_or_else(bad)?;
        let digits = |x: &str, max_len: usize| {
            !x.is_empty() && x.len() <= max_len && x.bytes().all(|b| b.is_ascii_digit())
        };
        if y.len() != 4 || !digits(y, 4) || !digits(m, 2) {
            return Err(bad());
        }
        let year: u16 = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        YearMonth::new(year, month).ok_or_else(bad)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for YearMonth {
    type Error = DomainError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        YearMonth::parse(&s, "month")
    }
}

impl From<YearMonth> for String {
    fn from(m: YearMonth) -> Self {
        m.to_string()
    }
}

/// Expected monthly salary: negotiable (面议) or a range in thousands of yuan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Salary {
    Negotiable,
    Range { min_k: u16, max_k: u16 },
}

impl Salary {
    /// Empty means "not given". Accepts 面议 / negotiable, "8-12", "8K-12K", "8k~12k" and a
    /// single amount "10K".
    pub fn parse(input: &str) -> Result<Option<Salary>, DomainError> {
        let s: String = input
            .trim()
            .chars()
            .map(fold_full_width)
            .filter(|c| !c.is_whitespace())
            .collect();
        if s.is_empty() {
            return Ok(None);
        }
        if s == "面议" || s.eq_ignore_ascii_case("negotiable") {
            return Ok(Some(Salary::Negotiable));
        }
        let bad = || {
            DomainError::new(
                "invalid_salary",
                "salary",
                msg!("error.resume.salary_invalid", max = SALARY_K_MAX),
            )
        };
        let amount = |x: &str| -> Result<u16, DomainError> {
            let x = x.strip_suffix(['k', 'K']).unwrap_or(x);
            if x.is_empty() || x.len() > 3 || !x.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            let n: u16 = x.parse().map_err(|_| bad())?;
            if (1..=SALARY_K_MAX).contains(&n) {
                Ok(n)
            } else {
                Err(bad())
            }
        };
        let (min_k, max_k) = match s.split_once(['-', '~', '—', '至']) {
            Some((a, b)) => (amount(a)?, amount(b)?),
            None => {
                let n = amount(&s)?;
                (n, n)
            }
        };
        if min_k > max_k {
            return Err(DomainError::new(
                "invalid_salary",
                "salary",
                msg!("error.resume.salary_range"),
            ));
        }
        Ok(Some(Salary::Range { min_k, max_k }))
    }

    /// The stored text: "negotiable" or "8-12".
    pub fn as_string(self) -> String {
        match self {
            Salary::Negotiable => "negotiable".to_owned(),
            Salary::Range { min_k, max_k } => format!("{min_k}-{max_k}"),
        }
    }

    /// What pages show: 面议, 8K-12K, 10K.
    pub fn label_zh(self) -> String {
        match self {
            Salary::Negotiable => "面议".to_owned(),
            Salary::Range { min_k, max_k } if min_k == max_k => format!("{min_k}K"),
            Salary::Range { min_k, max_k } => format!("{min_k}K-{max_k}K"),
        }
    }
}

impl TryFrom<String> for Salary {
    type Error = DomainError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Salary::parse(&s)?.ok_or_else(|| {
            DomainError::new(
                "invalid_salary",
                "salary",
                msg!("error.resume.salary_empty"),
            )
        })
    }
}

impl From<Salary> for String {
    fn from(s: Salary) -> Self {
        s.as_string()
    }
}

/// Full-width ASCII forms (Ａ, １, －, （) as their ASCII selves, and the ideographic space as a
/// space: Chinese input methods produce them and they mean the same thing.
pub(crate) fn fold_full_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

// ---------------------------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------------------------

/// A one-line text field: trimmed, bounded, no control characters. `Ok(None)` when empty.
fn line(
    input: &str,
    field: &'static str,
    label: Message,
    max: usize,
) -> Result<Option<String>, DomainError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let n = s.chars().count();
    if n > max {
        return Err(DomainError::new(
            "too_long",
            field,
            msg!("error.resume.too_long", label = label, max = max, len = n),
        ));
    }
    if s.chars().any(char::is_control) {
        return Err(DomainError::new(
            "invalid_characters",
            field,
            msg!("error.resume.invalid_characters", label = label),
        ));
    }
    Ok(Some(s.to_owned()))
}

fn required_line(
    input: &str,
    field: &'static str,
    label: Message,
    max: usize,
) -> Result<String, DomainError> {
    line(input, field, label.clone(), max)?.ok_or_else(|| {
        DomainError::new(
            "required",
            field,
            msg!("error.resume.required", label = label),
        )
    })
}

/// A multi-line text: line endings unified to `\n`, tabs as spaces, trimmed, bounded, no other
/// control characters. Empty is allowed (the caller decides whether that is missing).
fn paragraphs(
    input: &str,
    field: &'static str,
    label: Message,
    max: usize,
) -> Result<String, DomainError> {
    let s = input.replace("\r\n", "\n").replace(['\r', '\t'], " ");
    let s = s.trim();
    if s.chars().any(|c| c.is_control() && c != '\n') {
        return Err(DomainError::new(
            "invalid_characters",
            field,
            msg!("error.resume.invalid_characters", label = label),
        ));
    }
    let n = s.chars().count();
    if n > max {
        return Err(DomainError::new(
            "too_long",
            field,
            msg!("error.resume.too_long", label = label, max = max, len = n),
        ));
    }
    Ok(s.to_owned())
}

/// A list of short texts: each trimmed, empties dropped, duplicates dropped (first kept),
/// each bounded, and at most `max_items`.
fn short_list(
    items: &[String],
    field: &'static str,
    label: Message,
    max_items: usize,
    max_chars: usize,
) -> Result<Vec<String>, DomainError> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if let Some(s) = line(item, field, label.clone(), max_chars)?
            && !out.contains(&s)
        {
            out.push(s);
        }
    }
    if out.len() > max_items {
        return Err(DomainError::new(
            "too_many",
            field,
            msg!("error.resume.too_many", label = label, max = max_items),
        ));
    }
    Ok(out)
}

/// Splits a list typed into one text box: by commas (either width), 、, semicolons and new
/// lines. Forms use it; the JSON API sends arrays.
pub fn split_list(input: &str) -> Vec<String> {
    input
        .split([',', '，', '、', ';', '；', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn push_err<T>(errors: &mut Vec<DomainError>, r: Result<T, DomainError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

/// `end` is empty or 至今 for something still going on.
fn optional_end(input: &str) -> Result<Option<YearMonth>, DomainError> {
    let s = input.trim();
    if s.is_empty() || s == "至今" || s.eq_ignore_ascii_case("present") {
        Ok(None)
    } else {
        YearMonth::parse(s, "end").map(Some)
    }
}

fn period_order(start: YearMonth, end: YearMonth) -> Result<(), DomainError> {
    if end < start {
        Err(DomainError::new(
            "period_order",
            "end",
            msg!("error.resume.period_order"),
        ))
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------

/// 基本信息 as a form sends it: every field text, lists as arrays (see `split_list`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BasicsInput {
    pub name: String,
    pub gender: String,
    pub birth_month: String,
    pub phone: String,
    pub email: String,
    pub school: String,
    pub college: String,
    pub major: String,
    pub degree: String,
    pub graduation_year: String,
    pub cities: Vec<String>,
    pub positions: Vec<String>,
    pub salary: String,
}

/// 求职意向.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobIntention {
    pub cities: Vec<String>,
    pub positions: Vec<String>,
    pub salary: Option<Salary>,
}

/// 基本信息, parsed. Every field may be missing (see the module comment).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Basics {
    pub name: Option<String>,
    pub gender: Option<Gender>,
    pub birth_month: Option<YearMonth>,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub school: Option<String>,
    pub college: Option<String>,
    pub major: Option<String>,
    pub degree: Option<Degree>,
    pub graduation_year: Option<u16>,
    pub intention: JobIntention,
}

fn blank_or<T>(
    input: &str,
    parse: impl FnOnce(&str) -> Result<T, DomainError>,
) -> Result<Option<T>, DomainError> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse(input).map(Some)
    }
}

/// A graduation year: "2025", also "2025届" or "2025年" as people write it.
pub fn parse_graduation_year(input: &str, field: &'static str) -> Result<u16, DomainError> {
    let s = input.trim();
    let s = s
        .strip_suffix('届')
        .or_else(|| s.strip_suffix('年'))
        .unwrap_or(s)
        .trim();
    let bad = || {
        DomainError::new(
            "invalid_year",
            field,
            msg!(
                "error.resume.graduation_year_invalid",
                min = GRADUATION_YEAR_MIN,
                max = GRADUATION_YEAR_MAX
            ),
        )
    };
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let year: u16 = s.parse().map_err(|_| bad())?;
    if (GRADUATION_YEAR_MIN..=GRADUATION_YEAR_MAX).contains(&year) {
        Ok(year)
    } else {
        Err(bad())
    }
}

impl Basics {
    /// Parses every field and returns all errors at once, so the form can show each beside
    /// its field.
    pub fn parse(input: &BasicsInput) -> Result<Basics, Vec<DomainError>> {
        let mut e = Vec::new();
        let name = push_err(
            &mut e,
            line(&input.name, "name", msg!("label.resume.name"), NAME_MAX),
        );
        let gender = push_err(&mut e, blank_or(&input.gender, Gender::parse));
        let birth_month = push_err(
            &mut e,
            blank_or(&input.birth_month, |s| YearMonth::parse(s, "birth_month")),
        );
        let phone = push_err(&mut e, blank_or(&input.phone, Phone::parse));
        let email = push_err(&mut e, blank_or(&input.email, Email::parse));
        let school = push_err(
            &mut e,
            line(
                &input.school,
                "school",
                msg!("label.resume.graduation_school"),
                TITLE_MAX,
            ),
        );
        let college = push_err(
            &mut e,
            line(
                &input.college,
                "college",
                msg!("label.resume.college"),
                TITLE_MAX,
            ),
        );
        let major = push_err(
            &mut e,
            line(&input.major, "major", msg!("label.resume.major"), TITLE_MAX),
        );
        let degree = push_err(
            &mut e,
            blank_or(&input.degree, |s| Degree::parse(s, "degree")),
        );
        let graduation_year = push_err(
            &mut e,
            blank_or(&input.graduation_year, |s| {
                parse_graduation_year(s, "graduation_year")
            }),
        );
        let cities = push_err(
            &mut e,
            short_list(
                &input.cities,
                "cities",
                msg!("label.resume.cities"),
                MAX_CITIES,
                CITY_MAX,
            ),
        );
        let positions = push_err(
            &mut e,
            short_list(
                &input.positions,
                "positions",
                msg!("label.resume.positions"),
                MAX_INTENDED_POSITIONS,
                INTENDED_POSITION_MAX,
            ),
        );
        let salary = push_err(&mut e, Salary::parse(&input.salary));
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Basics {
            name: name.flatten(),
            gender: gender.flatten(),
            birth_month: birth_month.flatten(),
            phone: phone.flatten(),
            email: email.flatten(),
            school: school.flatten(),
            college: college.flatten(),
            major: major.flatten(),
            degree: degree.flatten(),
            graduation_year: graduation_year.flatten(),
            intention: JobIntention {
                cities: cities.unwrap_or_default(),
                positions: positions.unwrap_or_default(),
                salary: salary.flatten(),
            },
        })
    }
}

/// 教育经历 as a form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EducationInput {
    pub school: String,
    pub major: String,
    pub degree: String,
    pub start: String,
    pub end: String,
}

/// One school attended. `end` is required and may lie in the future: a student's expected
/// graduation is exactly what an employer wants to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Education {
    pub school: String,
    pub major: String,
    pub degree: Degree,
    pub start: YearMonth,
    pub end: YearMonth,
}

impl Education {
    pub fn parse(input: &EducationInput) -> Result<Education, Vec<DomainError>> {
        let mut e = Vec::new();
        let school = push_err(
            &mut e,
            required_line(
                &input.school,
                "school",
                msg!("label.resume.school"),
                TITLE_MAX,
            ),
        );
        let major = push_err(
            &mut e,
            required_line(&input.major, "major", msg!("label.resume.major"), TITLE_MAX),
        );
        let degree = push_err(
            &mut e,
            if input.degree.trim().is_empty() {
                Err(DomainError::new(
                    "required",
                    "degree",
                    msg!("error.resume.degree_required"),
                ))
            } else {
                Degree::parse(&input.degree, "degree")
            },
        );
        let start = push_err(
            &mut e,
            required_month(&input.start, "start", msg!("label.resume.start")),
        );
        let end = push_err(
            &mut e,
            required_month(&input.end, "end", msg!("label.resume.end")),
        );
        if let (Some(s), Some(en)) = (start, end) {
            push_err(&mut e, period_order(s, en));
        }
        match (school, major, degree, start, end) {
            (Some(school), Some(major), Some(degree), Some(start), Some(end)) if e.is_empty() => {
                Ok(Education {
                    school,
                    major,
                    degree,
                    start,
                    end,
                })
            }
            _ => Err(e),
        }
    }
}

fn required_month(
    input: &str,
    field: &'static str,
    label: Message,
) -> Result<YearMonth, DomainError> {
    if input.trim().is_empty() {
        Err(DomainError::new(
            "required",
            field,
            msg!("error.resume.required", label = label),
        ))
    } else {
        YearMonth::parse(input, field)
    }
}

/// 实习/工作经历 as a form sends it. An empty `end` (or 至今) means it is still going on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExperienceInput {
    pub organisation: String,
    pub role: String,
    pub start: String,
    pub end: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Experience {
    pub organisation: String,
    pub role: String,
    pub start: YearMonth,
    /// `None`: 至今.
    pub end: Option<YearMonth>,
    pub description: String,
}

impl Experience {
    pub fn parse(input: &ExperienceInput) -> Result<Experience, Vec<DomainError>> {
        let mut e = Vec::new();
        let organisation = push_err(
            &mut e,
            required_line(
                &input.organisation,
                "organisation",
                msg!("label.resume.organisation"),
                TITLE_MAX,
            ),
        );
        let role = push_err(
            &mut e,
            required_line(
                &input.role,
                "role",
                msg!("label.resume.job_title"),
                ROLE_MAX,
            ),
        );
        let start = push_err(
            &mut e,
            required_month(&input.start, "start", msg!("label.resume.start")),
        );
        let end = push_err(&mut e, optional_end(&input.end));
        if let (Some(s), Some(Some(en))) = (start, end) {
            push_err(&mut e, period_order(s, en));
        }
        let description = push_err(
            &mut e,
            paragraphs(
                &input.description,
                "description",
                msg!("label.resume.work_description"),
                DESCRIPTION_MAX,
            ),
        );
        match (organisation, role, start, end, description) {
            (Some(organisation), Some(role), Some(start), Some(end), Some(description))
                if e.is_empty() =>
            {
                Ok(Experience {
                    organisation,
                    role,
                    start,
                    end,
                    description,
                })
            }
            _ => Err(e),
        }
    }
}

/// 项目经历 as a form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProjectInput {
    pub name: String,
    pub role: String,
    pub start: String,
    pub end: String,
    pub description: String,
}

/// A project. The role is optional: a course project done alone has none worth naming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub name: String,
    pub role: Option<String>,
    pub start: YearMonth,
    /// `None`: 至今.
    pub end: Option<YearMonth>,
    pub description: String,
}

impl Project {
    pub fn parse(input: &ProjectInput) -> Result<Project, Vec<DomainError>> {
        let mut e = Vec::new();
        let name = push_err(
            &mut e,
            required_line(
                &input.name,
                "name",
                msg!("label.resume.project_name"),
                TITLE_MAX,
            ),
        );
        let role = push_err(
            &mut e,
            line(
                &input.role,
                "role",
                msg!("label.resume.project_role"),
                ROLE_MAX,
            ),
        );
        let start = push_err(
            &mut e,
            required_month(&input.start, "start", msg!("label.resume.start")),
        );
        let end = push_err(&mut e, optional_end(&input.end));
        if let (Some(s), Some(Some(en))) = (start, end) {
            push_err(&mut e, period_order(s, en));
        }
        let description = push_err(
            &mut e,
            paragraphs(
                &input.description,
                "description",
                msg!("label.resume.project_description"),
                DESCRIPTION_MAX,
            ),
        );
        match (name, role, start, end, description) {
            (Some(name), Some(role), Some(start), Some(end), Some(description)) if e.is_empty() => {
                Ok(Project {
                    name,
                    role,
                    start,
                    end,
                    description,
                })
            }
            _ => Err(e),
        }
    }
}

/// 技能与证书: trimmed, empties and duplicates dropped, at most `MAX_SKILLS`.
pub fn parse_skills(items: &[String]) -> Result<Vec<String>, DomainError> {
    short_list(
        items,
        "skills",
        msg!("label.resume.skills"),
        MAX_SKILLS,
        SKILL_MAX,
    )
}

/// 获奖经历 as a form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AwardInput {
    pub name: String,
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Award {
    pub name: String,
    pub date: YearMonth,
}

impl Award {
    pub fn parse(input: &AwardInput) -> Result<Award, Vec<DomainError>> {
        let mut e = Vec::new();
        let name = push_err(
            &mut e,
            required_line(
                &input.name,
                "name",
                msg!("label.resume.award_name"),
                TITLE_MAX,
            ),
        );
        let date = push_err(
            &mut e,
            required_month(&input.date, "date", msg!("label.resume.award_date")),
        );
        match (name, date) {
            (Some(name), Some(date)) if e.is_empty() => Ok(Award { name, date }),
            _ => Err(e),
        }
    }
}

/// 自我评价: empty is allowed (it is then missing from the score).
pub fn parse_self_evaluation(input: &str) -> Result<String, DomainError> {
    paragraphs(
        input,
        "self_evaluation",
        msg!("label.resume.self_evaluation"),
        SELF_EVALUATION_MAX,
    )
}

/// The whole resume as stored. Photo and attachment are file keys in the object store, set by
/// the upload handler after it has checked the file's content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Resume {
    pub basics: Basics,
    pub education: Vec<Education>,
    pub experience: Vec<Experience>,
    pub projects: Vec<Project>,
    pub skills: Vec<String>,
    pub awards: Vec<Award>,
    pub self_evaluation: String,
    pub photo: Option<String>,
    pub attachment: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Sections and the completeness score
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Basics,
    Education,
    Experience,
    Projects,
    Skills,
    Awards,
    SelfEvaluation,
    Photo,
    Attachment,
}

impl Section {
    /// In the order the resume page shows them.
    pub const ALL: [Section; 9] = [
        Section::Basics,
        Section::Education,
        Section::Experience,
        Section::Projects,
        Section::Skills,
        Section::Awards,
        Section::SelfEvaluation,
        Section::Photo,
        Section::Attachment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Section::Basics => "basics",
            Section::Education => "education",
            Section::Experience => "experience",
            Section::Projects => "projects",
            Section::Skills => "skills",
            Section::Awards => "awards",
            Section::SelfEvaluation => "self_evaluation",
            Section::Photo => "photo",
            Section::Attachment => "attachment",
        }
    }

    pub fn parse(s: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Section::Basics => "基本信息",
            Section::Education => "教育经历",
            Section::Experience => "实习经历",
            Section::Projects => "项目经历",
            Section::Skills => "技能证书",
            Section::Awards => "获奖经历",
            Section::SelfEvaluation => "自我评价",
            Section::Photo => "证件照",
            Section::Attachment => "附件简历",
        }
    }

    /// The section's name, for messages in any language.
    pub fn label(self) -> Message {
        match self {
            Section::Basics => msg!("label.resume.section.basics"),
            Section::Education => msg!("label.resume.section.education"),
            Section::Experience => msg!("label.resume.section.experience"),
            Section::Projects => msg!("label.resume.section.projects"),
            Section::Skills => msg!("label.resume.section.skills"),
            Section::Awards => msg!("label.resume.section.awards"),
            Section::SelfEvaluation => msg!("label.resume.section.self_evaluation"),
            Section::Photo => msg!("label.resume.section.photo"),
            Section::Attachment => msg!("label.resume.section.attachment"),
        }
    }

    /// How many entries a list section holds; `None` for the others.
    pub fn max_entries(self) -> Option<usize> {
        match self {
            Section::Education => Some(MAX_EDUCATION),
            Section::Experience => Some(MAX_EXPERIENCE),
            Section::Projects => Some(MAX_PROJECTS),
            Section::Awards => Some(MAX_AWARDS),
            _ => None,
        }
    }

    /// The most this section adds to the score: the sum of its items in `WEIGHTS`.
    pub fn max_score(self) -> u8 {
        WEIGHTS
            .iter()
            .filter(|w| w.item.section() == self)
            .map(|w| w.weight)
            .sum()
    }
}

/// May one more entry be added to a list section that already holds `current`?
pub fn check_room(section: Section, current: usize) -> Result<(), DomainError> {
    match section.max_entries() {
        Some(max) if current >= max => Err(DomainError::new(
            "too_many",
            section.as_str(),
            msg!(
                "error.resume.section_full",
                section = section.label(),
                max = max
            ),
        )),
        _ => Ok(()),
    }
}

/// One thing the score counts: a field of the basics, or a whole other section (one entry is
/// enough: a student with one internship is not less complete than one with three).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Item {
    Name,
    Gender,
    BirthMonth,
    Phone,
    Email,
    School,
    College,
    Major,
    Degree,
    GraduationYear,
    IntentionCities,
    IntentionPositions,
    Salary,
    Education,
    Experience,
    Projects,
    Skills,
    Awards,
    SelfEvaluation,
    Photo,
    Attachment,
}

impl Item {
    pub fn section(self) -> Section {
        match self {
            Item::Name
            | Item::Gender
            | Item::BirthMonth
            | Item::Phone
            | Item::Email
            | Item::School
            | Item::College
            | Item::Major
            | Item::Degree
            | Item::GraduationYear
            | Item::IntentionCities
            | Item::IntentionPositions
            | Item::Salary => Section::Basics,
            Item::Education => Section::Education,
            Item::Experience => Section::Experience,
            Item::Projects => Section::Projects,
            Item::Skills => Section::Skills,
            Item::Awards => Section::Awards,
            Item::SelfEvaluation => Section::SelfEvaluation,
            Item::Photo => Section::Photo,
            Item::Attachment => Section::Attachment,
        }
    }

    /// What to do to earn this item, as the resume page lists it.
    pub fn todo_zh(self) -> &'static str {
        match self {
            Item::Name => "填写姓名",
            Item::Gender => "选择性别",
            Item::BirthMonth => "填写出生年月",
            Item::Phone => "填写手机号",
            Item::Email => "填写邮箱",
            Item::School => "填写毕业院校",
            Item::College => "填写所在学院",
            Item::Major => "填写所学专业",
            Item::Degree => "选择学历",
            Item::GraduationYear => "填写毕业年份",
            Item::IntentionCities => "填写意向城市",
            Item::IntentionPositions => "填写意向职位",
            Item::Salary => "填写期望薪资",
            Item::Education => "添加教育经历",
            Item::Experience => "添加实习经历",
            Item::Projects => "添加项目经历",
            Item::Skills => "填写技能与证书",
            Item::Awards => "添加获奖经历",
            Item::SelfEvaluation => "填写自我评价",
            Item::Photo => "上传证件照",
            Item::Attachment => "上传附件简历（PDF）",
        }
    }

    /// What to do to earn this item, for messages in any language.
    pub fn todo(self) -> Message {
        match self {
            Item::Name => msg!("label.resume.todo.name"),
            Item::Gender => msg!("label.resume.todo.gender"),
            Item::BirthMonth => msg!("label.resume.todo.birth_month"),
            Item::Phone => msg!("label.resume.todo.phone"),
            Item::Email => msg!("label.resume.todo.email"),
            Item::School => msg!("label.resume.todo.school"),
            Item::College => msg!("label.resume.todo.college"),
            Item::Major => msg!("label.resume.todo.major"),
            Item::Degree => msg!("label.resume.todo.degree"),
            Item::GraduationYear => msg!("label.resume.todo.graduation_year"),
            Item::IntentionCities => msg!("label.resume.todo.intention_cities"),
            Item::IntentionPositions => msg!("label.resume.todo.intention_positions"),
            Item::Salary => msg!("label.resume.todo.salary"),
            Item::Education => msg!("label.resume.todo.education"),
            Item::Experience => msg!("label.resume.todo.experience"),
            Item::Projects => msg!("label.resume.todo.projects"),
            Item::Skills => msg!("label.resume.todo.skills"),
            Item::Awards => msg!("label.resume.todo.awards"),
            Item::SelfEvaluation => msg!("label.resume.todo.self_evaluation"),
            Item::Photo => msg!("label.resume.todo.photo"),
            Item::Attachment => msg!("label.resume.todo.attachment"),
        }
    }

    pub fn is_filled(self, r: &Resume) -> bool {
        let b = &r.basics;
        match self {
            Item::Name => b.name.is_some(),
            Item::Gender => b.gender.is_some(),
            Item::BirthMonth => b.birth_month.is_some(),
            Item::Phone => b.phone.is_some(),
            Item::Email => b.email.is_some(),
            Item::School => b.school.is_some(),
            Item::College => b.college.is_some(),
            Item::Major => b.major.is_some(),
            Item::Degree => b.degree.is_some(),
            Item::GraduationYear => b.graduation_year.is_some(),
            Item::IntentionCities => !b.intention.cities.is_empty(),
            Item::IntentionPositions => !b.intention.positions.is_empty(),
            Item::Salary => b.intention.salary.is_some(),
            Item::Education => !r.education.is_empty(),
            Item::Experience => !r.experience.is_empty(),
            Item::Projects => !r.projects.is_empty(),
            Item::Skills => !r.skills.is_empty(),
            Item::Awards => !r.awards.is_empty(),
            Item::SelfEvaluation => !r.self_evaluation.trim().is_empty(),
            Item::Photo => r.photo.is_some(),
            Item::Attachment => r.attachment.is_some(),
        }
    }
}

/// One row of the score table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weight {
    pub item: Item,
    /// Percentage points the item adds; the table sums to 100.
    pub weight: u8,
    /// Rough effort to add it on a phone, in minutes, raised for what many students simply do
    /// not have yet (internships, projects, awards). `to_reach` suggests the least effort.
    pub effort: u8,
}

const fn w(item: Item, weight: u8, effort: u8) -> Weight {
    Weight {
        item,
        weight,
        effort,
    }
}

/// The completeness score, written down once.
///
/// - Basics 30: without who, how to reach them, and which school/major/degree/year, an
///   employer can neither judge nor contact the student. Contact and study fields weigh most;
///   gender, birth month, college, cities and salary are nice to have.
/// - Education 15: campus recruiting filters on it first.
/// - Experience 10, projects 10, awards 5: valued, but many students have none, so a student
///   with none of the three can still reach 80. The default threshold of 70 is reachable by
///   basics + education + skills + self-evaluation + photo, which every student can supply.
/// - Skills 10, self-evaluation 10: cheap to write and what employers skim.
/// - Photo 5: the interview is by video, the face is seen anyway.
/// - Attachment 5: a PDF repeats the structured content; it helps employers who print.
pub const WEIGHTS: [Weight; 21] = [
    w(Item::Name, 4, 1),
    w(Item::Gender, 1, 1),
    w(Item::BirthMonth, 1, 1),
    w(Item::Phone, 4, 1),
    w(Item::Email, 2, 1),
    w(Item::School, 4, 1),
    w(Item::College, 1, 1),
    w(Item::Major, 3, 1),
    w(Item::Degree, 3, 1),
    w(Item::GraduationYear, 3, 1),
    w(Item::IntentionCities, 1, 1),
    w(Item::IntentionPositions, 2, 1),
    w(Item::Salary, 1, 1),
    w(Item::Education, 15, 3),
    w(Item::Experience, 10, 10),
    w(Item::Projects, 10, 10),
    w(Item::Skills, 10, 2),
    w(Item::Awards, 5, 8),
    w(Item::SelfEvaluation, 10, 5),
    w(Item::Photo, 5, 3),
    w(Item::Attachment, 5, 6),
];

fn weight_of(item: Item) -> Weight {
    WEIGHTS
        .iter()
        .copied()
        .find(|w| w.item == item)
        .unwrap_or(w(item, 0, 0))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionScore {
    pub section: Section,
    pub earned: u8,
    pub max: u8,
    /// What to add, in Chinese, in form order ("填写毕业院校").
    pub missing: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completeness {
    pub percent: u8,
    /// Every section, in page order.
    pub sections: Vec<SectionScore>,
}

pub fn completeness(resume: &Resume) -> Completeness {
    let sections: Vec<SectionScore> = Section::ALL
        .into_iter()
        .map(|section| {
            let rows = WEIGHTS.iter().filter(|w| w.item.section() == section);
            let mut score = SectionScore {
                section,
                earned: 0,
                max: 0,
                missing: Vec::new(),
            };
            for row in rows {
                score.max += row.weight;
                if row.item.is_filled(resume) {
                    score.earned += row.weight;
                } else {
                    score.missing.push(row.item.todo_zh());
                }
            }
            score
        })
        .collect();
    Completeness {
        percent: sections.iter().map(|s| s.earned).sum(),
        sections,
    }
}

/// Something the student could add, with what it is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub item: Item,
    pub section: Section,
    pub weight: u8,
    pub todo_zh: &'static str,
}

impl Suggestion {
    fn of(item: Item) -> Suggestion {
        Suggestion {
            item,
            section: item.section(),
            weight: weight_of(item).weight,
            todo_zh: item.todo_zh(),
        }
    }
}

/// The least-effort set of missing items that lifts the score to `threshold`, in form order;
/// empty if the resume already reaches it, every missing item if it cannot be reached.
///
/// Least effort (by `Weight::effort`, then fewest items), not most points per item: a greedy
/// pick by weight would send a student with no internship to "添加实习经历" before "填写姓名".
/// The table is small, so an exact 0/1 knapsack over the missing points is cheap.
pub fn to_reach(resume: &Resume, threshold: u8) -> Vec<Suggestion> {
    let percent = completeness(resume).percent;
    if percent >= threshold {
        return Vec::new();
    }
    let need = usize::from(threshold - percent);
    let missing: Vec<Weight> = WEIGHTS
        .iter()
        .copied()
        .filter(|w| !w.item.is_filled(resume))
        .collect();
    let available: usize = missing.iter().map(|w| usize::from(w.weight)).sum();
    if available < need {
        return missing.iter().map(|w| Suggestion::of(w.item)).collect();
    }
    // best[i][p]: the least (effort, count) to earn at least `p` more points using the first
    // `i` missing items; `None` when impossible.
    type Cost = Option<(u32, u32)>;
    let mut best: Vec<Vec<Cost>> = vec![vec![None; need + 1]; missing.len() + 1];
    best[0][0] = Some((0, 0));
    for (i, row) in missing.iter().enumerate() {
        for p in 0..=need {
            let skip = best[i][p];
            let rest = p.saturating_sub(usize::from(row.weight));
            let take = best[i][rest].map(|(e, n)| (e + u32::from(row.effort), n + 1));
            best[i + 1][p] = match (skip, take) {
                (Some(s), Some(t)) => Some(s.min(t)),
                (s, t) => s.or(t),
            };
        }
    }
    let mut chosen = Vec::new();
    let mut p = need;
    for i in (0..missing.len()).rev() {
        if best[i + 1][p] != best[i][p] {
            chosen.push(missing[i].item);
            p = p.saturating_sub(usize::from(missing[i].weight));
        }
    }
    chosen.reverse();
    chosen.into_iter().map(Suggestion::of).collect()
}

/// Entry into a fair was refused because the resume is not complete enough.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("resume is {percent}% complete, the fair requires {threshold}%")]
pub struct EntryRefused {
    pub percent: u8,
    pub threshold: u8,
    /// What would lift it to the threshold (see `to_reach`).
    pub missing: Vec<Suggestion>,
}

impl EntryRefused {
    pub fn code(&self) -> &'static str {
        "resume_incomplete"
    }

    pub fn message(&self) -> Message {
        if self.missing.is_empty() {
            msg!(
                "error.resume.incomplete",
                percent = self.percent,
                threshold = self.threshold
            )
        } else {
            msg!(
                "error.resume.incomplete_with_todo",
                percent = self.percent,
                threshold = self.threshold,
                todo = self
                    .missing
                    .iter()
                    .map(|s| s.item.todo())
                    .collect::<Vec<_>>()
            )
        }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        self.message().zh()
    }
}

impl From<EntryRefused> for DomainError {
    fn from(e: EntryRefused) -> Self {
        DomainError::new(e.code(), "resume", e.message())
    }
}

/// May this resume enter a fair whose minimum completeness is `threshold`?
///
/// At the threshold is enough. The seed says "大于70%", but the fair stores a *minimum*
/// (DESIGN.md), organizers may set 100, which must stay reachable, and 0 must mean "no
/// requirement".
pub fn check_entry(resume: &Resume, threshold: u8) -> Result<(), EntryRefused> {
    let percent = completeness(resume).percent;
    if percent >= threshold {
        Ok(())
    } else {
        Err(EntryRefused {
            percent,
            threshold,
            missing: to_reach(resume, threshold),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn codes<T: fmt::Debug>(r: Result<T, Vec<DomainError>>) -> Vec<(&'static str, &'static str)> {
        r.unwrap_err().iter().map(|e| (e.code, e.field)).collect()
    }

    fn full_basics_input() -> BasicsInput {
        BasicsInput {
            name: " 李明 ".into(),
            gender: "男".into(),
            birth_month: "2003-05".into(),
            phone: "138 1234 5678".into(),
            email: "LiMing@Example.com".into(),
            school: "天津大学".into(),
            college: "智能与计算学部".into(),
            major: "计算机科学与技术".into(),
            degree: "本科".into(),
            graduation_year: "2025届".into(),
            cities: vec!["天津".into(), " 北京 ".into(), "天津".into(), "".into()],
            positions: vec!["后端开发".into()],
            salary: "8k-12k".into(),
        }
    }

    fn education() -> Education {
        Education::parse(&EducationInput {
            school: "天津大学".into(),
            major: "计算机科学与技术".into(),
            degree: "bachelor".into(),
            start: "2021-09".into(),
            end: "2025-06".into(),
        })
        .unwrap()
    }

    fn full_resume() -> Resume {
        Resume {
            basics: Basics::parse(&full_basics_input()).unwrap(),
            education: vec![education()],
            experience: vec![
                Experience::parse(&ExperienceInput {
                    organisation: "某科技公司".into(),
                    role: "后端实习生".into(),
                    start: "2024-07".into(),
                    end: "2024-09".into(),
                    description: "负责接口开发".into(),
                })
                .unwrap(),
            ],
            projects: vec![
                Project::parse(&ProjectInput {
                    name: "校园二手平台".into(),
                    start: "2023-03".into(),
                    ..Default::default()
                })
                .unwrap(),
            ],
            skills: parse_skills(&["Rust".into(), "CET-6".into()]).unwrap(),
            awards: vec![
                Award::parse(&AwardInput {
                    name: "ACM 区域赛铜奖".into(),
                    date: "2023-11".into(),
                })
                .unwrap(),
            ],
            self_evaluation: parse_self_evaluation("踏实认真。").unwrap(),
            photo: Some("photos/1.jpg".into()),
            attachment: Some("resumes/1.pdf".into()),
        }
    }

    // --- the score table ------------------------------------------------------------------

    #[test]
    fn the_weights_sum_to_100_and_list_every_item_once() {
        let total: u32 = WEIGHTS.iter().map(|w| u32::from(w.weight)).sum();
        assert_eq!(total, 100);
        for (i, a) in WEIGHTS.iter().enumerate() {
            assert!(a.weight > 0 && a.effort > 0, "{:?}", a.item);
            for b in &WEIGHTS[i + 1..] {
                assert_ne!(a.item, b.item);
            }
        }
        let by_section: Vec<(Section, u8)> =
            Section::ALL.iter().map(|s| (*s, s.max_score())).collect();
        assert_eq!(
            by_section,
            vec![
                (Section::Basics, 30),
                (Section::Education, 15),
                (Section::Experience, 10),
                (Section::Projects, 10),
                (Section::Skills, 10),
                (Section::Awards, 5),
                (Section::SelfEvaluation, 10),
                (Section::Photo, 5),
                (Section::Attachment, 5),
            ]
        );
    }

    #[test]
    fn an_empty_resume_scores_0_and_lists_everything_missing() {
        let c = completeness(&Resume::default());
        assert_eq!(c.percent, 0);
        assert_eq!(c.sections.len(), 9);
        let basics = &c.sections[0];
        assert_eq!((basics.earned, basics.max), (0, 30));
        assert_eq!(basics.missing.len(), 13);
        assert!(basics.missing.contains(&"填写毕业院校"));
        assert_eq!(c.sections[1].missing, vec!["添加教育经历"]);
    }

    #[test]
    fn a_full_resume_scores_100_with_nothing_missing() {
        let c = completeness(&full_resume());
        assert_eq!(c.percent, 100);
        assert!(
            c.sections
                .iter()
                .all(|s| s.earned == s.max && s.missing.is_empty())
        );
        assert!(to_reach(&full_resume(), 100).is_empty());
    }

    #[test]
    fn each_item_contributes_exactly_its_weight() {
        let full = full_resume();
        for row in WEIGHTS {
            let mut r = full.clone();
            let b = &mut r.basics;
            match row.item {
                Item::Name => b.name = None,
                Item::Gender => b.gender = None,
                Item::BirthMonth => b.birth_month = None,
                Item::Phone => b.phone = None,
                Item::Email => b.email = None,
                Item::School => b.school = None,
                Item::College => b.college = None,
                Item::Major => b.major = None,
                Item::Degree => b.degree = None,
                Item::GraduationYear => b.graduation_year = None,
                Item::IntentionCities => b.intention.cities.clear(),
                Item::IntentionPositions => b.intention.positions.clear(),
                Item::Salary => b.intention.salary = None,
                Item::Education => r.education.clear(),
                Item::Experience => r.experience.clear(),
                Item::Projects => r.projects.clear(),
                Item::Skills => r.skills.clear(),
                Item::Awards => r.awards.clear(),
                Item::SelfEvaluation => r.self_evaluation = "  ".into(),
                Item::Photo => r.photo = None,
                Item::Attachment => r.attachment = None,
            }
            let c = completeness(&r);
            assert_eq!(c.percent, 100 - row.weight, "{:?}", row.item);
            let s = c
                .sections
                .iter()
                .find(|s| s.section == row.item.section())
                .unwrap();
            assert_eq!(s.earned, s.max - row.weight);
            assert_eq!(s.missing, vec![row.item.todo_zh()]);
        }
    }

    #[test]
    fn each_section_alone_earns_its_share() {
        let full = full_resume();
        let only = |f: &dyn Fn(&mut Resume, &Resume)| {
            let mut r = Resume::default();
            f(&mut r, &full);
            completeness(&r).percent
        };
        assert_eq!(only(&|r, f| r.basics = f.basics.clone()), 30);
        assert_eq!(only(&|r, f| r.education = f.education.clone()), 15);
        assert_eq!(only(&|r, f| r.experience = f.experience.clone()), 10);
        assert_eq!(only(&|r, f| r.projects = f.projects.clone()), 10);
        assert_eq!(only(&|r, f| r.skills = f.skills.clone()), 10);
        assert_eq!(only(&|r, f| r.awards = f.awards.clone()), 5);
        assert_eq!(
            only(&|r, f| r.self_evaluation = f.self_evaluation.clone()),
            10
        );
        assert_eq!(only(&|r, f| r.photo = f.photo.clone()), 5);
        assert_eq!(only(&|r, f| r.attachment = f.attachment.clone()), 5);
        let three = Resume {
            education: vec![education(), education(), education()],
            ..Default::default()
        };
        assert_eq!(completeness(&three).percent, 15, "one entry is enough");
    }

    // --- entry threshold ------------------------------------------------------------------

    /// Basics + education + skills + self-evaluation + photo: exactly 70.
    fn seventy() -> Resume {
        let mut r = full_resume();
        r.experience.clear();
        r.projects.clear();
        r.awards.clear();
        r.attachment = None;
        r
    }

    #[test]
    fn exactly_at_the_threshold_enters_and_one_below_is_refused_with_what_to_add() {
        let r = seventy();
        assert_eq!(completeness(&r).percent, 70);
        assert_eq!(check_entry(&r, 70), Ok(()));

        let mut below = r.clone();
        below.basics.intention.salary = None;
        assert_eq!(completeness(&below).percent, 69);
        let err = check_entry(&below, 70).unwrap_err();
        assert_eq!((err.percent, err.threshold), (69, 70));
        assert_eq!(err.code(), "resume_incomplete");
        assert_eq!(
            err.missing.iter().map(|s| s.item).collect::<Vec<_>>(),
            vec![Item::Salary]
        );
        assert_eq!(
            err.message_zh(),
            "简历完整度 69%，需达到 70% 才能报名进入会场。建议补充：填写期望薪资"
        );
        let de: DomainError = err.into();
        assert_eq!((de.code, de.field), ("resume_incomplete", "resume"));

        assert_eq!(check_entry(&Resume::default(), 0), Ok(()));
        assert_eq!(check_entry(&full_resume(), 100), Ok(()));
        assert!(check_entry(&below, 100).is_err());
    }

    #[test]
    fn the_suggestions_for_an_empty_resume_are_what_every_student_can_supply() {
        let s = to_reach(&Resume::default(), 70);
        let items: Vec<Item> = s.iter().map(|s| s.item).collect();
        let sum: u32 = s.iter().map(|s| u32::from(s.weight)).sum();
        assert_eq!(sum, 70);
        for absent in [
            Item::Experience,
            Item::Projects,
            Item::Awards,
            Item::Attachment,
        ] {
            assert!(!items.contains(&absent), "{absent:?} suggested");
        }
        // Form order: basics first.
        assert_eq!(items[0], Item::Name);
        let message = check_entry(&Resume::default(), 70)
            .unwrap_err()
            .message_zh();
        assert!(
            message.starts_with("简历完整度 0%，需达到 70% 才能报名进入会场。建议补充：填写姓名、")
        );
    }

    #[test]
    fn the_suggestions_reach_the_threshold_at_least_effort() {
        // Missing only a few items: the cheapest set that covers the gap is chosen.
        let mut r = full_resume();
        r.education.clear(); // 15, effort 3
        r.experience.clear(); // 10, effort 10
        r.self_evaluation.clear(); // 10, effort 5
        r.photo = None; // 5, effort 3
        assert_eq!(completeness(&r).percent, 60);
        let items = |t| to_reach(&r, t).iter().map(|s| s.item).collect::<Vec<_>>();
        assert_eq!(items(60), vec![]);
        // Education and photo cost the same; the tie goes to the earlier one in form order.
        assert_eq!(items(65), vec![Item::Education]);
        assert_eq!(items(75), vec![Item::Education]);
        assert_eq!(items(80), vec![Item::Education, Item::Photo]);
        assert_eq!(items(85), vec![Item::Education, Item::SelfEvaluation]);
        assert_eq!(
            items(90),
            vec![Item::Education, Item::SelfEvaluation, Item::Photo]
        );
        assert_eq!(
            items(100),
            vec![
                Item::Education,
                Item::Experience,
                Item::SelfEvaluation,
                Item::Photo
            ]
        );
        // Unreachable: everything missing.
        assert_eq!(items(101).len(), 4);
    }

    #[test]
    fn suggestions_always_reach_the_threshold() {
        let mut r = Resume::default();
        r.basics.name = Some("李明".into());
        r.skills = vec!["Rust".into()];
        let base = completeness(&r).percent;
        for t in 0..=100u8 {
            let gained: u8 = to_reach(&r, t).iter().map(|s| s.weight).sum();
            assert!(base + gained >= t, "threshold {t}");
        }
    }

    // --- basics ---------------------------------------------------------------------------

    #[test]
    fn basics_parse_and_normalise_every_field() {
        let b = Basics::parse(&full_basics_input()).unwrap();
        assert_eq!(b.name.as_deref(), Some("李明"));
        assert_eq!(b.gender, Some(Gender::Male));
        assert_eq!(b.birth_month.map(|m| m.to_string()), Some("2003-05".into()));
        assert_eq!(b.phone.as_ref().map(Phone::as_str), Some("13812345678"));
        assert_eq!(
            b.email.as_ref().map(Email::as_str),
            Some("liming@example.com")
        );
        assert_eq!(b.degree, Some(Degree::Bachelor));
        assert_eq!(b.graduation_year, Some(2025));
        assert_eq!(b.intention.cities, vec!["天津", "北京"]);
        assert_eq!(
            b.intention.salary,
            Some(Salary::Range {
                min_k: 8,
                max_k: 12
            })
        );
    }

    #[test]
    fn empty_basics_are_saved_as_missing_not_refused() {
        assert_eq!(
            Basics::parse(&BasicsInput::default()),
            Ok(Basics::default())
        );
    }

    #[test]
    fn every_bad_basics_field_is_reported_beside_its_field() {
        let input = BasicsInput {
            name: "名".repeat(NAME_MAX + 1),
            gender: "未知".into(),
            birth_month: "2003-13".into(),
            phone: "12345".into(),
            email: "not-an-email".into(),
            school: "校".repeat(TITLE_MAX + 1),
            college: "学\u{7}院".into(),
            major: "专".repeat(TITLE_MAX + 1),
            degree: "高中".into(),
            graduation_year: "1989".into(),
            cities: vec!["城".repeat(CITY_MAX + 1)],
            positions: (0..=MAX_INTENDED_POSITIONS)
                .map(|i| format!("职位{i}"))
                .collect(),
            salary: "12-8".into(),
        };
        assert_eq!(
            codes(Basics::parse(&input)),
            vec![
                ("too_long", "name"),
                ("invalid_gender", "gender"),
                ("invalid_month", "birth_month"),
                ("invalid_phone", "phone"),
                ("invalid_email", "email"),
                ("too_long", "school"),
                ("invalid_characters", "college"),
                ("too_long", "major"),
                ("invalid_degree", "degree"),
                ("invalid_year", "graduation_year"),
                ("too_long", "cities"),
                ("too_many", "positions"),
                ("invalid_salary", "salary"),
            ]
        );
        let too_many_cities = BasicsInput {
            cities: (0..=MAX_CITIES).map(|i| format!("城{i}")).collect(),
            ..Default::default()
        };
        assert_eq!(
            codes(Basics::parse(&too_many_cities)),
            vec![("too_many", "cities")]
        );
    }

    #[test]
    fn months_read_common_forms_and_refuse_others() {
        for (ok, want) in [
            ("2024-09", "2024-09"),
            ("2024-9", "2024-09"),
            (" 2024.09 ", "2024-09"),
            ("2024/12", "2024-12"),
            ("2024年9月", "2024-09"),
            ("1950-01", "1950-01"),
            ("2100-12", "2100-12"),
        ] {
            assert_eq!(
                YearMonth::parse(ok, "m").map(|m| m.to_string()),
                Ok(want.into()),
                "{ok}"
            );
        }
        for bad in [
            "",
            "2024",
            "2024-00",
            "2024-13",
            "1949-12",
            "2101-01",
            "24-09",
            "2024-009",
            "2024-9a",
            "abcd-09",
            "2024--09",
            "２０２４-09",
        ] {
            let e = YearMonth::parse(bad, "m").unwrap_err();
            assert_eq!((e.code, e.field), ("invalid_month", "m"), "{bad}");
        }
        assert!(
            YearMonth::parse("2024-01", "m").unwrap() < YearMonth::parse("2024-02", "m").unwrap()
        );
        assert!(
            YearMonth::parse("2023-12", "m").unwrap() < YearMonth::parse("2024-01", "m").unwrap()
        );
    }

    #[test]
    fn graduation_years_are_1990_to_2100() {
        for (ok, want) in [
            ("1990", 1990),
            ("2100", 2100),
            ("2025届", 2025),
            (" 2026年 ", 2026),
        ] {
            assert_eq!(parse_graduation_year(ok, "y"), Ok(want), "{ok}");
        }
        for bad in ["1989", "2101", "25", "20255", "二〇二五", "", "2025-06"] {
            assert_eq!(
                parse_graduation_year(bad, "y").map_err(|e| e.code),
                Err("invalid_year"),
                "{bad}"
            );
        }
    }

    #[test]
    fn salaries_are_negotiable_or_a_range_in_thousands() {
        let r = |min_k, max_k| Ok(Some(Salary::Range { min_k, max_k }));
        assert_eq!(Salary::parse(""), Ok(None));
        assert_eq!(Salary::parse("面议"), Ok(Some(Salary::Negotiable)));
        assert_eq!(Salary::parse("Negotiable"), Ok(Some(Salary::Negotiable)));
        assert_eq!(Salary::parse("8-12"), r(8, 12));
        assert_eq!(Salary::parse("8K - 12K"), r(8, 12));
        assert_eq!(Salary::parse("８ｋ～１２ｋ"), r(8, 12));
        assert_eq!(Salary::parse("10k"), r(10, 10));
        assert_eq!(Salary::parse("200"), r(200, 200));
        for bad in [
            "0", "201", "12-8", "8-", "-8", "abc", "8.5k", "8-12-16", "1000",
        ] {
            assert_eq!(
                Salary::parse(bad).map_err(|e| e.code),
                Err("invalid_salary"),
                "{bad}"
            );
        }
        assert_eq!(Salary::Negotiable.label_zh(), "面议");
        assert_eq!(
            Salary::Range {
                min_k: 8,
                max_k: 12
            }
            .label_zh(),
            "8K-12K"
        );
        assert_eq!(
            Salary::Range {
                min_k: 10,
                max_k: 10
            }
            .label_zh(),
            "10K"
        );
    }

    #[test]
    fn genders_and_degrees_read_text_and_labels() {
        for g in Gender::ALL {
            assert_eq!(Gender::parse(g.as_str()), Ok(g));
            assert_eq!(Gender::parse(g.label_zh()), Ok(g));
        }
        assert!(Gender::parse("其他").is_err());
        for d in Degree::ALL {
            assert_eq!(Degree::from_text(d.as_str()), Some(d));
            assert_eq!(Degree::from_text(d.label_zh()), Some(d));
        }
        assert_eq!(Degree::from_text("专科"), Some(Degree::Associate));
        assert_eq!(Degree::from_text("硕士研究生"), Some(Degree::Master));
        assert_eq!(Degree::from_text("博士研究生"), Some(Degree::Doctor));
        assert_eq!(Degree::from_text("高中"), None);
        assert_eq!(Degree::from_text(""), None);
    }

    #[test]
    fn lists_typed_in_one_box_are_split() {
        assert_eq!(
            split_list("天津，北京、上海;深圳\n 广州 ,,"),
            vec!["天津", "北京", "上海", "深圳", "广州"]
        );
    }

    // --- list sections --------------------------------------------------------------------

    #[test]
    fn education_needs_every_field_and_an_ordered_period() {
        assert_eq!(education().end.to_string(), "2025-06");
        assert_eq!(
            codes(Education::parse(&EducationInput::default())),
            vec![
                ("required", "school"),
                ("required", "major"),
                ("required", "degree"),
                ("required", "start"),
                ("required", "end"),
            ]
        );
        let mut i = EducationInput {
            school: "天津大学".into(),
            major: "软件工程".into(),
            degree: "硕士".into(),
            start: "2025-09".into(),
            end: "2025-06".into(),
        };
        assert_eq!(codes(Education::parse(&i)), vec![("period_order", "end")]);
        i.end = "2025-09".into();
        assert!(Education::parse(&i).is_ok(), "same month is fine");
        i.degree = "小学".into();
        i.start = "2025-9-1".into();
        assert_eq!(
            codes(Education::parse(&i)),
            vec![("invalid_degree", "degree"), ("invalid_month", "start")]
        );
    }

    #[test]
    fn experience_may_be_ongoing_and_checks_its_period_and_text() {
        let mut i = ExperienceInput {
            organisation: "某科技公司".into(),
            role: "实习生".into(),
            start: "2024-07".into(),
            end: "至今".into(),
            description: "第一段\r\n\r\n第二段\t完".into(),
        };
        let e = Experience::parse(&i).unwrap();
        assert_eq!(e.end, None);
        assert_eq!(e.description, "第一段\n\n第二段 完");
        i.end = "".into();
        assert_eq!(Experience::parse(&i).unwrap().end, None);
        i.end = "2024-06".into();
        assert_eq!(codes(Experience::parse(&i)), vec![("period_order", "end")]);
        i.end = "2024-08".into();
        i.description = "x".repeat(DESCRIPTION_MAX + 1);
        assert_eq!(
            codes(Experience::parse(&i)),
            vec![("too_long", "description")]
        );
        i.description = "bell\u{7}".into();
        assert_eq!(
            codes(Experience::parse(&i)),
            vec![("invalid_characters", "description")]
        );
        assert_eq!(
            codes(Experience::parse(&ExperienceInput::default())),
            vec![
                ("required", "organisation"),
                ("required", "role"),
                ("required", "start"),
            ]
        );
        i.description.clear();
        i.role = "职".repeat(ROLE_MAX + 1);
        i.end = "2024-13".into();
        assert_eq!(
            codes(Experience::parse(&i)),
            vec![("too_long", "role"), ("invalid_month", "end")]
        );
    }

    #[test]
    fn projects_need_a_name_and_start() {
        let ok = Project::parse(&ProjectInput {
            name: "校园二手平台".into(),
            role: " 负责人 ".into(),
            start: "2023-03".into(),
            end: "2023-06".into(),
            description: String::new(),
        })
        .unwrap();
        assert_eq!(ok.role.as_deref(), Some("负责人"));
        assert_eq!(
            codes(Project::parse(&ProjectInput::default())),
            vec![("required", "name"), ("required", "start")]
        );
        assert_eq!(
            codes(Project::parse(&ProjectInput {
                name: "x".into(),
                start: "2023-06".into(),
                end: "2023-03".into(),
                ..Default::default()
            })),
            vec![("period_order", "end")]
        );
    }

    #[test]
    fn skills_are_deduplicated_and_bounded() {
        assert_eq!(
            parse_skills(&[" Rust ".into(), "".into(), "Rust".into(), "CET-6".into()]),
            Ok(vec!["Rust".into(), "CET-6".into()])
        );
        let many: Vec<String> = (0..=MAX_SKILLS).map(|i| format!("技能{i}")).collect();
        assert_eq!(parse_skills(&many).map_err(|e| e.code), Err("too_many"));
        assert_eq!(
            parse_skills(&["x".repeat(SKILL_MAX + 1)]).map_err(|e| e.code),
            Err("too_long")
        );
    }

    #[test]
    fn awards_need_a_name_and_a_month() {
        assert_eq!(
            codes(Award::parse(&AwardInput::default())),
            vec![("required", "name"), ("required", "date")]
        );
        assert_eq!(
            codes(Award::parse(&AwardInput {
                name: "奖".into(),
                date: "去年".into(),
            })),
            vec![("invalid_month", "date")]
        );
    }

    #[test]
    fn the_self_evaluation_is_bounded() {
        assert_eq!(parse_self_evaluation("  \r\n "), Ok(String::new()));
        assert_eq!(
            parse_self_evaluation(&"好".repeat(SELF_EVALUATION_MAX)).map(|s| s.chars().count()),
            Ok(SELF_EVALUATION_MAX)
        );
        assert_eq!(
            parse_self_evaluation(&"好".repeat(SELF_EVALUATION_MAX + 1)).map_err(|e| e.field),
            Err("self_evaluation")
        );
    }

    #[test]
    fn list_sections_are_bounded() {
        assert_eq!(check_room(Section::Education, MAX_EDUCATION - 1), Ok(()));
        let e = check_room(Section::Education, MAX_EDUCATION).unwrap_err();
        assert_eq!((e.code, e.field), ("too_many", "education"));
        assert_eq!(e.message, format!("教育经历最多 {MAX_EDUCATION} 条"));
        assert!(check_room(Section::Awards, MAX_AWARDS).is_err());
        assert!(
            check_room(Section::Skills, 1000).is_ok(),
            "not a list section"
        );
    }

    #[test]
    fn a_resume_round_trips_through_json() {
        let r = full_resume();
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"2021-09\""));
        assert!(json.contains("\"8-12\""));
        let back: Resume = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
        let empty: Resume = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, Resume::default());
        assert!(serde_json::from_str::<YearMonth>("\"2024-13\"").is_err());
        for s in Section::ALL {
            assert_eq!(Section::parse(s.as_str()), Some(s));
        }
    }
}
