//! The student's resume pages (phone first) and the employer's view of a resume.
//!
//! Every section has its own small form. A save that breaks a rule changes nothing: the form
//! comes back with what was typed and each message beside its field.

use askama::Template;
use axum::extract::{Multipart, Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fairhall_app::AppError;
use fairhall_app::resumes::{EntryInput, LoadedResume};
use fairhall_domain::DomainError;
use fairhall_domain::resume::{
    AwardInput, Basics, BasicsInput, Degree, EducationInput, ExperienceInput, Gender, ProjectInput,
    Section, parse_self_evaluation, parse_skills, split_list,
};
use serde::Deserialize;
use tower_sessions::Session;

use super::view::{ResumeView, degree_key, gender_key};
use super::{MissingItem, list_section, section_href, section_key, visited_fairs};
use crate::AppState;
use crate::error::{ApiError, PageError};
use crate::files::read_multipart;
use crate::guard::{SignedIn, Student};
use crate::pages::{Base, render};

fn fail(b: Base, error: AppError) -> Response {
    PageError { error, base: b }.into_response()
}

/// The page header of the resume pages: the student's tab bar with 简历 chosen.
fn resume_base(student: SignedIn<Student>) -> Base {
    let mut b = Base::new(student.lang, Some(student.user));
    b.phone = true;
    b.tab = "resume";
    b
}

fn user_of(b: &Base) -> &fairhall_app::accounts::User {
    &b.user.as_ref().expect("a student page has a user").user
}

fn saved_redirect(section: Section) -> Response {
    Redirect::to(&format!("/student/resume?saved=1#{}", section.as_str())).into_response()
}

// ---------------------------------------------------------------- overview

pub struct SectionCard {
    pub id: &'static str,
    pub key: &'static str,
    pub earned: u8,
    pub max: u8,
    pub missing: Vec<&'static str>,
    pub href: &'static str,
    pub is_list: bool,
    /// The entries of a list section, each with its edit link.
    pub entries: Vec<super::view::EntryLine>,
}

pub struct FairCard {
    pub title: String,
    pub code: String,
    pub threshold: u8,
    pub entered: bool,
    /// Percentage points still missing.
    pub gap: u8,
    pub missing: Vec<MissingItem>,
}

#[derive(Template)]
#[template(path = "resumes/overview.html")]
struct OverviewPage {
    b: Base,
    percent: u8,
    sections: Vec<SectionCard>,
    fairs: Vec<FairCard>,
    resume: ResumeView,
    saved: bool,
}

#[derive(Deserialize)]
pub struct OverviewQuery {
    fair: Option<String>,
    saved: Option<String>,
}

pub async fn overview(
    State(state): State<AppState>,
    student: SignedIn<Student>,
    session: Session,
    Query(q): Query<OverviewQuery>,
) -> Response {
    let b = resume_base(student);
    let l = match state.my_resume(user_of(&b)).await {
        Ok(l) => l,
        Err(e) => return fail(b, e),
    };
    let c = l.completeness();
    let resume = ResumeView::new(&b, &l);
    let sections = c
        .sections
        .iter()
        .map(|s| SectionCard {
            id: s.section.as_str(),
            key: section_key(s.section),
            earned: s.earned,
            max: s.max,
            missing: fairhall_domain::resume::WEIGHTS
                .iter()
                .filter(|w| w.item.section() == s.section && !w.item.is_filled(&l.resume))
                .map(|w| super::item_key(w.item))
                .collect(),
            href: section_href(s.section),
            is_list: s.section.max_entries().is_some(),
            entries: match s.section {
                Section::Education => resume.education.clone(),
                Section::Experience => resume.experience.clone(),
                Section::Projects => resume.projects.clone(),
                Section::Awards => resume.awards.clone(),
                _ => Vec::new(),
            },
        })
        .collect();
    let mut codes: Vec<String> = q
        .fair
        .iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    for c in visited_fairs(&session).await {
        if !codes.contains(&c) {
            codes.push(c);
        }
    }
    let mut fairs = Vec::new();
    for code in codes {
        match state.fair_entry_status_by_code(user_of(&b), &code).await {
            Ok(s) => fairs.push(FairCard {
                title: s.fair.title.clone(),
                code: s.fair.entry_code.clone(),
                threshold: s.threshold,
                entered: s.entered.is_some(),
                gap: s.threshold.saturating_sub(s.percent),
                missing: s.missing.iter().map(MissingItem::from).collect(),
            }),
            Err(AppError::NotFound) => {}
            Err(e) => return fail(b, e),
        }
    }
    render(&OverviewPage {
        percent: c.percent,
        sections,
        fairs,
        resume,
        saved: q.saved.is_some(),
        b,
    })
}

// ---------------------------------------------------------------- section forms

/// One input of a form.
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    /// `text`, `tel`, `email`, `month`, `number`, `textarea` or `select`.
    pub kind: &'static str,
    pub hint: &'static str,
    pub max: usize,
    pub required: bool,
    /// For a select: (value, label key).
    pub options: Vec<(&'static str, &'static str)>,
    pub value: String,
    pub error: String,
}

fn field(name: &'static str, label: &'static str, kind: &'static str, max: usize) -> Field {
    Field {
        name,
        label,
        kind,
        hint: "",
        max,
        required: false,
        options: Vec::new(),
        value: String::new(),
        error: String::new(),
    }
}

impl Field {
    fn hint(mut self, hint: &'static str) -> Field {
        self.hint = hint;
        self
    }

    fn required(mut self) -> Field {
        self.required = true;
        self
    }

    fn options(mut self, options: Vec<(&'static str, &'static str)>) -> Field {
        self.options = options;
        self
    }
}

fn degree_options() -> Vec<(&'static str, &'static str)> {
    Degree::ALL
        .into_iter()
        .map(|d| (d.as_str(), degree_key(d)))
        .collect()
}

/// Which form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Basics,
    Skills,
    SelfEvaluation,
    /// A list section: education, experience, projects or awards.
    Entry(Section),
}

impl Form {
    fn section(self) -> Section {
        match self {
            Form::Basics => Section::Basics,
            Form::Skills => Section::Skills,
            Form::SelfEvaluation => Section::SelfEvaluation,
            Form::Entry(s) => s,
        }
    }

    fn fields(self) -> Vec<Field> {
        use fairhall_domain::resume as r;
        match self {
            Form::Basics => vec![
                field("name", "resume.field_name", "text", r::NAME_MAX),
                field("gender", "resume.field_gender", "select", 0).options(
                    Gender::ALL
                        .into_iter()
                        .map(|g| (g.as_str(), gender_key(g)))
                        .collect(),
                ),
                field("birth_month", "resume.field_birth_month", "month", 7)
                    .hint("resume.hint_month"),
                field("phone", "resume.field_phone", "tel", 20),
                field("email", "resume.field_email", "email", 100),
                field("school", "resume.field_school", "text", r::TITLE_MAX),
                field("college", "resume.field_college", "text", r::TITLE_MAX),
                field("major", "resume.field_major", "text", r::TITLE_MAX),
                field("degree", "resume.field_degree", "select", 0).options(degree_options()),
                field(
                    "graduation_year",
                    "resume.field_graduation_year",
                    "number",
                    4,
                ),
                field("cities", "resume.field_cities", "text", 120).hint("resume.hint_cities"),
                field("positions", "resume.field_positions", "text", 180)
                    .hint("resume.hint_positions"),
                field("salary", "resume.field_salary", "text", 20).hint("resume.hint_salary"),
            ],
            Form::Skills => vec![
                field("skills", "resume.field_skills", "textarea", 1000).hint("resume.hint_skills"),
            ],
            Form::SelfEvaluation => vec![
                field(
                    "self_evaluation",
                    "resume.field_self_evaluation",
                    "textarea",
                    r::SELF_EVALUATION_MAX,
                )
                .hint("resume.hint_self_evaluation"),
            ],
            Form::Entry(Section::Education) => vec![
                field("school", "resume.field_edu_school", "text", r::TITLE_MAX).required(),
                field("major", "resume.field_major", "text", r::TITLE_MAX).required(),
                field("degree", "resume.field_degree", "select", 0)
                    .options(degree_options())
                    .required(),
                field("start", "resume.field_start", "month", 7)
                    .hint("resume.hint_month")
                    .required(),
                field("end", "resume.field_edu_end", "month", 7)
                    .hint("resume.hint_edu_end")
                    .required(),
            ],
            Form::Entry(Section::Experience) => vec![
                field(
                    "organisation",
                    "resume.field_organisation",
                    "text",
                    r::TITLE_MAX,
                )
                .required(),
                field("role", "resume.field_role", "text", r::ROLE_MAX).required(),
                field("start", "resume.field_start", "month", 7)
                    .hint("resume.hint_month")
                    .required(),
                field("end", "resume.field_end", "month", 7).hint("resume.hint_ongoing"),
                field(
                    "description",
                    "resume.field_work_description",
                    "textarea",
                    r::DESCRIPTION_MAX,
                ),
            ],
            Form::Entry(Section::Projects) => vec![
                field("name", "resume.field_project_name", "text", r::TITLE_MAX).required(),
                field("role", "resume.field_project_role", "text", r::ROLE_MAX),
                field("start", "resume.field_start", "month", 7)
                    .hint("resume.hint_month")
                    .required(),
                field("end", "resume.field_end", "month", 7).hint("resume.hint_ongoing"),
                field(
                    "description",
                    "resume.field_project_description",
                    "textarea",
                    r::DESCRIPTION_MAX,
                ),
            ],
            Form::Entry(_) => vec![
                field("name", "resume.field_award_name", "text", r::TITLE_MAX).required(),
                field("date", "resume.field_award_date", "month", 7)
                    .hint("resume.hint_month")
                    .required(),
            ],
        }
    }

    fn title(self, editing: bool) -> &'static str {
        match (self, editing) {
            (Form::Basics, _) => "resume.section_basics",
            (Form::Skills, _) => "resume.section_skills",
            (Form::SelfEvaluation, _) => "resume.section_self_evaluation",
            (Form::Entry(Section::Education), false) => "resume.add_education",
            (Form::Entry(Section::Education), true) => "resume.edit_education",
            (Form::Entry(Section::Experience), false) => "resume.add_experience",
            (Form::Entry(Section::Experience), true) => "resume.edit_experience",
            (Form::Entry(Section::Projects), false) => "resume.add_projects",
            (Form::Entry(Section::Projects), true) => "resume.edit_projects",
            (Form::Entry(_), false) => "resume.add_awards",
            (Form::Entry(_), true) => "resume.edit_awards",
        }
    }
}

/// The keys the forms use, for the catalogue test.
#[cfg(test)]
pub fn keys_used() -> Vec<&'static str> {
    let forms = [
        Form::Basics,
        Form::Skills,
        Form::SelfEvaluation,
        Form::Entry(Section::Education),
        Form::Entry(Section::Experience),
        Form::Entry(Section::Projects),
        Form::Entry(Section::Awards),
    ];
    let mut keys = Vec::new();
    for f in forms {
        keys.push(f.title(false));
        keys.push(f.title(true));
        for x in f.fields() {
            keys.push(x.label);
            if !x.hint.is_empty() {
                keys.push(x.hint);
            }
            keys.extend(x.options.iter().map(|o| o.1));
        }
    }
    keys.extend([
        "resume.delete_education",
        "resume.delete_experience",
        "resume.delete_projects",
        "resume.delete_awards",
        "resume.delete_photo",
        "resume.delete_attachment",
    ]);
    keys
}

/// A form's values by field name: as typed, or as stored.
type Values = Vec<(String, String)>;

fn get(v: &Values, name: &str) -> String {
    v.iter()
        .find(|(k, _)| k == name)
        .map(|(_, x)| x.clone())
        .unwrap_or_default()
}

fn values_of_form(body: &[u8]) -> Values {
    form_urlencoded::parse(body)
        .filter(|(k, _)| k != "_csrf")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn kv(pairs: &[(&str, String)]) -> Values {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), v.clone()))
        .collect()
}

fn month(m: Option<fairhall_domain::resume::YearMonth>) -> String {
    m.map(|m| m.to_string()).unwrap_or_default()
}

/// The stored values of a form (`id` picks the entry of a list section).
fn stored_values(form: Form, l: &LoadedResume, id: Option<i64>) -> Option<Values> {
    let r = &l.resume;
    let index = id.and_then(|id| l.ids(form.section()).iter().position(|x| *x == id));
    Some(match form {
        Form::Basics => {
            let b = &r.basics;
            kv(&[
                ("name", b.name.clone().unwrap_or_default()),
                (
                    "gender",
                    b.gender.map(|g| g.as_str().into()).unwrap_or_default(),
                ),
                ("birth_month", month(b.birth_month)),
                (
                    "phone",
                    b.phone
                        .as_ref()
                        .map(|p| p.as_str().into())
                        .unwrap_or_default(),
                ),
                (
                    "email",
                    b.email
                        .as_ref()
                        .map(|e| e.as_str().into())
                        .unwrap_or_default(),
                ),
                ("school", b.school.clone().unwrap_or_default()),
                ("college", b.college.clone().unwrap_or_default()),
                ("major", b.major.clone().unwrap_or_default()),
                (
                    "degree",
                    b.degree.map(|d| d.as_str().into()).unwrap_or_default(),
                ),
                (
                    "graduation_year",
                    b.graduation_year.map(|y| y.to_string()).unwrap_or_default(),
                ),
                ("cities", b.intention.cities.join("，")),
                ("positions", b.intention.positions.join("，")),
                (
                    "salary",
                    b.intention.salary.map(|s| s.label_zh()).unwrap_or_default(),
                ),
            ])
        }
        Form::Skills => kv(&[("skills", r.skills.join("\n"))]),
        Form::SelfEvaluation => kv(&[("self_evaluation", r.self_evaluation.clone())]),
        Form::Entry(Section::Education) => {
            let e = r.education.get(index?)?;
            kv(&[
                ("school", e.school.clone()),
                ("major", e.major.clone()),
                ("degree", e.degree.as_str().into()),
                ("start", e.start.to_string()),
                ("end", e.end.to_string()),
            ])
        }
        Form::Entry(Section::Experience) => {
            let e = r.experience.get(index?)?;
            kv(&[
                ("organisation", e.organisation.clone()),
                ("role", e.role.clone()),
                ("start", e.start.to_string()),
                ("end", month(e.end)),
                ("description", e.description.clone()),
            ])
        }
        Form::Entry(Section::Projects) => {
            let p = r.projects.get(index?)?;
            kv(&[
                ("name", p.name.clone()),
                ("role", p.role.clone().unwrap_or_default()),
                ("start", p.start.to_string()),
                ("end", month(p.end)),
                ("description", p.description.clone()),
            ])
        }
        Form::Entry(_) => {
            let a = r.awards.get(index?)?;
            kv(&[("name", a.name.clone()), ("date", a.date.to_string())])
        }
    })
}

fn entry_input(section: Section, v: &Values) -> EntryInput {
    match section {
        Section::Education => EntryInput::Education(EducationInput {
            school: get(v, "school"),
            major: get(v, "major"),
            degree: get(v, "degree"),
            start: get(v, "start"),
            end: get(v, "end"),
        }),
        Section::Experience => EntryInput::Experience(ExperienceInput {
            organisation: get(v, "organisation"),
            role: get(v, "role"),
            start: get(v, "start"),
            end: get(v, "end"),
            description: get(v, "description"),
        }),
        Section::Projects => EntryInput::Project(ProjectInput {
            name: get(v, "name"),
            role: get(v, "role"),
            start: get(v, "start"),
            end: get(v, "end"),
            description: get(v, "description"),
        }),
        _ => EntryInput::Award(AwardInput {
            name: get(v, "name"),
            date: get(v, "date"),
        }),
    }
}

fn basics_input(v: &Values) -> BasicsInput {
    BasicsInput {
        name: get(v, "name"),
        gender: get(v, "gender"),
        birth_month: get(v, "birth_month"),
        phone: get(v, "phone"),
        email: get(v, "email"),
        school: get(v, "school"),
        college: get(v, "college"),
        major: get(v, "major"),
        degree: get(v, "degree"),
        graduation_year: get(v, "graduation_year"),
        cities: split_list(&get(v, "cities")),
        positions: split_list(&get(v, "positions")),
        salary: get(v, "salary"),
    }
}

/// Every rule the typed values break, each with its field; empty when they may be saved.
fn check(form: Form, v: &Values) -> Vec<DomainError> {
    match form {
        Form::Basics => Basics::parse(&basics_input(v)).err().unwrap_or_default(),
        Form::Skills => parse_skills(&split_list(&get(v, "skills")))
            .err()
            .into_iter()
            .collect(),
        Form::SelfEvaluation => parse_self_evaluation(&get(v, "self_evaluation"))
            .err()
            .into_iter()
            .collect(),
        Form::Entry(s) => entry_input(s, v).parse().err().unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "resumes/form.html")]
struct FormPage {
    b: Base,
    title: &'static str,
    action: String,
    fields: Vec<Field>,
    form_error: String,
    delete_href: String,
}

fn form_page(
    b: Base,
    form: Form,
    id: Option<i64>,
    values: &Values,
    errors: Vec<(String, String)>,
) -> Response {
    let mut fields = form.fields();
    let mut form_error = Vec::new();
    for (f, message) in errors {
        match fields.iter_mut().find(|x| x.name == f) {
            Some(x) if x.error.is_empty() => x.error = message,
            Some(_) => {}
            None => form_error.push(message),
        }
    }
    for f in &mut fields {
        f.value = get(values, f.name);
    }
    let section = form.section().as_str();
    let action = match (form, id) {
        (Form::Entry(_), Some(id)) => format!("/student/resume/{section}/{id}"),
        (Form::Entry(_), None) => format!("/student/resume/{section}/new"),
        _ => section_href(form.section()).to_string(),
    };
    let delete_href = match (form, id) {
        (Form::Entry(_), Some(id)) => format!("/student/resume/{section}/{id}/delete"),
        _ => String::new(),
    };
    let invalid = fields.iter().any(|f| !f.error.is_empty()) || !form_error.is_empty();
    let page = FormPage {
        b,
        title: form.title(id.is_some()),
        action,
        fields,
        form_error: form_error.join(" "),
        delete_href,
    };
    if invalid {
        (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
    } else {
        render(&page)
    }
}

async fn show_form(
    state: &AppState,
    student: SignedIn<Student>,
    form: Form,
    id: Option<i64>,
) -> Response {
    let b = resume_base(student);
    let values = match (form, id) {
        (Form::Entry(_), None) => Values::new(),
        _ => {
            let l = match state.my_resume(user_of(&b)).await {
                Ok(l) => l,
                Err(e) => return fail(b, e),
            };
            match stored_values(form, &l, id) {
                Some(v) => v,
                None => return fail(b, AppError::NotFound),
            }
        }
    };
    form_page(b, form, id, &values, Vec::new())
}

async fn save_form(
    state: &AppState,
    student: SignedIn<Student>,
    form: Form,
    id: Option<i64>,
    body: &[u8],
) -> Response {
    let b = resume_base(student);
    let values = values_of_form(body);
    let errors = check(form, &values);
    if !errors.is_empty() {
        let errors = errors
            .into_iter()
            .map(|e| (e.field.to_string(), b.tr.msg(&e.message)))
            .collect();
        return form_page(b, form, id, &values, errors);
    }
    let user = user_of(&b);
    let saved = match (form, id) {
        (Form::Basics, _) => state
            .save_resume_basics(user, &basics_input(&values))
            .await
            .map(|_| ()),
        (Form::Skills, _) => state
            .save_resume_skills(user, &split_list(&get(&values, "skills")))
            .await
            .map(|_| ()),
        (Form::SelfEvaluation, _) => state
            .save_self_evaluation(user, &get(&values, "self_evaluation"))
            .await
            .map(|_| ()),
        (Form::Entry(s), None) => state
            .add_resume_entry(user, &entry_input(s, &values))
            .await
            .map(|_| ()),
        (Form::Entry(s), Some(id)) => {
            state
                .edit_resume_entry(user, id, &entry_input(s, &values))
                .await
        }
    };
    match saved {
        Ok(()) => saved_redirect(form.section()),
        Err(AppError::Invalid(e)) => {
            let errors = vec![(e.field.to_string(), b.tr.msg(&e.message))];
            form_page(b, form, id, &values, errors)
        }
        Err(e) => fail(b, e),
    }
}

pub async fn basics_form(State(state): State<AppState>, student: SignedIn<Student>) -> Response {
    show_form(&state, student, Form::Basics, None).await
}

pub async fn basics_submit(
    State(state): State<AppState>,
    student: SignedIn<Student>,
    RawForm(body): RawForm,
) -> Response {
    save_form(&state, student, Form::Basics, None, &body).await
}

pub async fn skills_form(State(state): State<AppState>, student: SignedIn<Student>) -> Response {
    show_form(&state, student, Form::Skills, None).await
}

pub async fn skills_submit(
    State(state): State<AppState>,
    student: SignedIn<Student>,
    RawForm(body): RawForm,
) -> Response {
    save_form(&state, student, Form::Skills, None, &body).await
}

pub async fn self_evaluation_form(
    State(state): State<AppState>,
    student: SignedIn<Student>,
) -> Response {
    show_form(&state, student, Form::SelfEvaluation, None).await
}

pub async fn self_evaluation_submit(
    State(state): State<AppState>,
    student: SignedIn<Student>,
    RawForm(body): RawForm,
) -> Response {
    save_form(&state, student, Form::SelfEvaluation, None, &body).await
}

fn not_found(student: SignedIn<Student>) -> Response {
    fail(resume_base(student), AppError::NotFound)
}

pub async fn entry_new_form(
    State(state): State<AppState>,
    student: SignedIn<Student>,
    Path(section): Path<String>,
) -> Response {
    match list_section(&section) {
        Some(s) => show_form(&state, student, Form::Entry(s), None).await,
        None => not_found(student),
    }
}

pub async fn entry_new_submit(
    State(state): State<AppState>,
    student: SignedIn<Student>,
    Path(section): Path<String>,
    RawForm(body): RawForm,
) -> Response {
    match list_section(&section) {
        Some(s) => save_form(&state, student, Form::Entry(s), None, &body).await,
        None => not_found(student),
    }
}

pub async fn entry_edit_form(
    State(state): State<AppState>,
    student: SignedIn<Student>,
    Path((section, id)): Path<(String, i64)>,
) -> Response {
    match list_section(&section) {
        Some(s) => show_form(&state, student, Form::Entry(s), Some(id)).await,
        None => not_found(student),
    }
}

pub async fn entry_edit_submit(
    State(state): State<AppState>,
    student: SignedIn<Student>,
    Path((section, id)): Path<(String, i64)>,
    RawForm(body): RawForm,
) -> Response {
    match list_section(&section) {
        Some(s) => save_form(&state, student, Form::Entry(s), Some(id), &body).await,
        None => not_found(student),
    }
}

// ---------------------------------------------------------------- delete, with confirmation

#[derive(Template)]
#[template(path = "resumes/delete.html")]
struct DeletePage {
    b: Base,
    title: &'static str,
    what: String,
    detail: String,
    action: String,
    back: String,
}

fn delete_key(section: Section) -> &'static str {
    match section {
        Section::Education => "resume.delete_education",
        Section::Experience => "resume.delete_experience",
        Section::Projects => "resume.delete_projects",
        Section::Awards => "resume.delete_awards",
        Section::Photo => "resume.delete_photo",
        _ => "resume.delete_attachment",
    }
}

pub async fn entry_delete_form(
    State(state): State<AppState>,
    student: SignedIn<Student>,
    Path((section, id)): Path<(String, i64)>,
) -> Response {
    let Some(section) = list_section(&section) else {
        return not_found(student);
    };
    let back = format!("/student/resume/{}/{id}", section.as_str());
    let b = resume_base(student);
    let l = match state.my_resume(user_of(&b)).await {
        Ok(l) => l,
        Err(e) => return fail(b, e),
    };
    let view = ResumeView::new(&b, &l);
    let lines = match section {
        Section::Education => &view.education,
        Section::Experience => &view.experience,
        Section::Projects => &view.projects,
        _ => &view.awards,
    };
    let Some(line) = lines.iter().find(|x| x.id == id) else {
        return fail(b, AppError::NotFound);
    };
    render(&DeletePage {
        title: delete_key(section),
        what: line.title.clone(),
        detail: [line.subtitle.as_str(), line.period.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
        action: format!("{back}/delete"),
        back,
        b,
    })
}

pub async fn entry_delete(
    State(state): State<AppState>,
    student: SignedIn<Student>,
    Path((section, id)): Path<(String, i64)>,
) -> Response {
    let Some(section) = list_section(&section) else {
        return not_found(student);
    };
    let b = resume_base(student);
    match state.delete_resume_entry(user_of(&b), section, id).await {
        Ok(()) => saved_redirect(section),
        Err(e) => fail(b, e),
    }
}

// ---------------------------------------------------------------- photo and attachment

#[derive(Template)]
#[template(path = "resumes/upload.html")]
struct UploadPage {
    b: Base,
    /// `photo` or `attachment`.
    kind: &'static str,
    title: &'static str,
    current_url: String,
    current_name: String,
    error: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Upload {
    Photo,
    Attachment,
}

impl Upload {
    fn section(self) -> Section {
        match self {
            Upload::Photo => Section::Photo,
            Upload::Attachment => Section::Attachment,
        }
    }

    fn page(self, b: Base, l: &LoadedResume, error: String) -> UploadPage {
        let view = ResumeView::new(&b, l);
        let (current_url, current_name) = match self {
            Upload::Photo => (view.photo_url, String::new()),
            Upload::Attachment => (view.attachment_url, view.attachment_name),
        };
        UploadPage {
            b,
            kind: self.section().as_str(),
            title: section_key(self.section()),
            current_url,
            current_name,
            error,
        }
    }
}

async fn upload_form(state: &AppState, student: SignedIn<Student>, kind: Upload) -> Response {
    let b = resume_base(student);
    match state.my_resume(user_of(&b)).await {
        Ok(l) => render(&kind.page(b, &l, String::new())),
        Err(e) => fail(b, e),
    }
}

async fn upload_submit(
    state: &AppState,
    student: SignedIn<Student>,
    kind: Upload,
    multipart: Multipart,
) -> Response {
    let b = resume_base(student);
    let field = kind.section().as_str();
    let saved = match read_multipart(multipart).await {
        Err(ApiError(e)) => Err(e),
        Ok((_, files)) => match files.into_iter().find(|f| f.name == field) {
            None => Err(AppError::Invalid(DomainError::new(
                "file_required",
                kind.section().as_str(),
                match kind {
                    Upload::Photo => fairhall_domain::msg!("error.web.photo_required"),
                    Upload::Attachment => fairhall_domain::msg!("error.web.attachment_required"),
                },
            ))),
            Some(part) => {
                let user = user_of(&b);
                match kind {
                    Upload::Photo => state
                        .upload_resume_photo(user, part.bytes, &part.file_name)
                        .await
                        .map(|_| ()),
                    Upload::Attachment => state
                        .upload_resume_attachment(user, part.bytes, &part.file_name)
                        .await
                        .map(|_| ()),
                }
            }
        },
    };
    match saved {
        Ok(()) => saved_redirect(kind.section()),
        Err(AppError::Invalid(e)) => match state.my_resume(user_of(&b)).await {
            Ok(l) => (StatusCode::UNPROCESSABLE_ENTITY, {
                let error = b.tr.msg(&e.message);
                render(&kind.page(b, &l, error))
            })
                .into_response(),
            Err(e) => fail(b, e),
        },
        Err(e) => fail(b, e),
    }
}

async fn upload_delete_form(
    state: &AppState,
    student: SignedIn<Student>,
    kind: Upload,
) -> Response {
    let back = section_href(kind.section());
    let b = resume_base(student);
    let l = match state.my_resume(user_of(&b)).await {
        Ok(l) => l,
        Err(e) => return fail(b, e),
    };
    let view = ResumeView::new(&b, &l);
    let what = match kind {
        Upload::Photo if l.resume.photo.is_some() => String::new(),
        Upload::Attachment if l.resume.attachment.is_some() => view.attachment_name,
        _ => return fail(b, AppError::NotFound),
    };
    render(&DeletePage {
        title: delete_key(kind.section()),
        what,
        detail: String::new(),
        action: format!("{back}/delete"),
        back: back.to_string(),
        b,
    })
}

async fn upload_delete(state: &AppState, student: SignedIn<Student>, kind: Upload) -> Response {
    let b = resume_base(student);
    let done = match kind {
        Upload::Photo => state.remove_resume_photo(user_of(&b)).await,
        Upload::Attachment => state.remove_resume_attachment(user_of(&b)).await,
    };
    match done {
        Ok(()) => saved_redirect(kind.section()),
        Err(e) => fail(b, e),
    }
}

pub async fn photo_form(State(state): State<AppState>, student: SignedIn<Student>) -> Response {
    upload_form(&state, student, Upload::Photo).await
}

pub async fn photo_submit(
    State(state): State<AppState>,
    student: SignedIn<Student>,
    multipart: Multipart,
) -> Response {
    upload_submit(&state, student, Upload::Photo, multipart).await
}

pub async fn photo_delete_form(
    State(state): State<AppState>,
    student: SignedIn<Student>,
) -> Response {
    upload_delete_form(&state, student, Upload::Photo).await
}

pub async fn photo_delete(State(state): State<AppState>, student: SignedIn<Student>) -> Response {
    upload_delete(&state, student, Upload::Photo).await
}

pub async fn attachment_form(
    State(state): State<AppState>,
    student: SignedIn<Student>,
) -> Response {
    upload_form(&state, student, Upload::Attachment).await
}

pub async fn attachment_submit(
    State(state): State<AppState>,
    student: SignedIn<Student>,
    multipart: Multipart,
) -> Response {
    upload_submit(&state, student, Upload::Attachment, multipart).await
}

pub async fn attachment_delete_form(
    State(state): State<AppState>,
    student: SignedIn<Student>,
) -> Response {
    upload_delete_form(&state, student, Upload::Attachment).await
}

pub async fn attachment_delete(
    State(state): State<AppState>,
    student: SignedIn<Student>,
) -> Response {
    upload_delete(&state, student, Upload::Attachment).await
}

// ---------------------------------------------------------------- the employer's view

#[derive(Template)]
#[template(path = "resumes/employer_view.html")]
struct EmployerViewPage {
    b: Base,
    fair_title: String,
    resume: ResumeView,
}

pub async fn employer_view(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn,
    Path((fair_id, student_id)): Path<(i64, i64)>,
) -> Response {
    let b = Base::new(lang, Some(user.clone()));
    let l = match state
        .resume_for_employer(&user.user, fair_id, student_id)
        .await
    {
        Ok(l) => l,
        Err(e) => return fail(b, e),
    };
    let fair_title = match state.fair(fair_id).await {
        Ok(f) => f.title,
        Err(e) => return fail(b, e),
    };
    let resume = ResumeView::new(&b, &l);
    render(&EmployerViewPage {
        b,
        fair_title,
        resume,
    })
}
