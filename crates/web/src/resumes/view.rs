//! A whole resume as pages show it: the data of the partial `templates/resumes/view.html`.
//!
//! To show a resume on another page, give the page's template struct a field
//! `resume: crate::resumes::view::ResumeView` (beside `b: Base`) and write
//! `{% include "resumes/view.html" %}` where it should appear.

use fairhall_app::resumes::LoadedResume;
use fairhall_domain::resume::{Degree, Gender, Salary, YearMonth};

use crate::pages::Base;

/// One entry of a list section, in display words.
#[derive(Debug, Clone)]
pub struct EntryLine {
    pub id: i64,
    /// The school, organisation, project or award.
    pub title: String,
    /// Major and degree, role, …; may be empty.
    pub subtitle: String,
    /// "2021-09 – 2025-06", "2024-07 – 至今", or the award's month.
    pub period: String,
    pub description: String,
}

/// A resume in display words, in the viewer's language.
#[derive(Debug, Clone, Default)]
pub struct ResumeView {
    /// The name, or the catalogue's "name not given".
    pub name: String,
    pub photo_url: String,
    /// Filled basics as (label key, value), in form order.
    pub facts: Vec<(&'static str, String)>,
    /// Filled job intention as (label key, value).
    pub intention: Vec<(&'static str, String)>,
    pub education: Vec<EntryLine>,
    pub experience: Vec<EntryLine>,
    pub projects: Vec<EntryLine>,
    pub awards: Vec<EntryLine>,
    pub skills: Vec<String>,
    pub self_evaluation: String,
    pub attachment_url: String,
    pub attachment_name: String,
    pub percent: u8,
}

pub fn gender_key(g: Gender) -> &'static str {
    match g {
        Gender::Male => "resume.gender_male",
        Gender::Female => "resume.gender_female",
    }
}

pub fn degree_key(d: Degree) -> &'static str {
    match d {
        Degree::Associate => "resume.degree_associate",
        Degree::Bachelor => "resume.degree_bachelor",
        Degree::Master => "resume.degree_master",
        Degree::Doctor => "resume.degree_doctor",
    }
}

/// The keys this module looks up, for the catalogue test.
#[cfg(test)]
pub fn keys_used() -> Vec<&'static str> {
    let mut k = vec![
        "resume.no_name",
        "resume.present",
        "resume.salary_negotiable",
        "resume.field_gender",
        "resume.field_birth_month",
        "resume.field_phone",
        "resume.field_email",
        "resume.field_school",
        "resume.field_college",
        "resume.field_major",
        "resume.field_degree",
        "resume.field_graduation_year",
        "resume.field_cities",
        "resume.field_positions",
        "resume.field_salary",
        "resume.attachment_default_name",
    ];
    k.extend(Gender::ALL.map(gender_key));
    k.extend(Degree::ALL.map(degree_key));
    k
}

fn period(b: &Base, start: YearMonth, end: Option<YearMonth>) -> String {
    let end = end.map_or_else(|| b.t("resume.present").to_string(), |e| e.to_string());
    format!("{start} – {end}")
}

fn salary(b: &Base, s: Salary) -> String {
    match s {
        Salary::Negotiable => b.t("resume.salary_negotiable").to_string(),
        Salary::Range { min_k, max_k } if min_k == max_k => format!("{min_k}K"),
        Salary::Range { min_k, max_k } => format!("{min_k}K-{max_k}K"),
    }
}

impl ResumeView {
    pub fn new(b: &Base, l: &LoadedResume) -> ResumeView {
        let r = &l.resume;
        let basics = &r.basics;
        let mut facts: Vec<(&'static str, String)> = Vec::new();
        let mut fact = |key: &'static str, v: Option<String>| {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                facts.push((key, v));
            }
        };
        fact(
            "resume.field_gender",
            basics.gender.map(|g| b.t(gender_key(g)).to_string()),
        );
        fact(
            "resume.field_birth_month",
            basics.birth_month.map(|m| m.to_string()),
        );
        fact(
            "resume.field_phone",
            basics.phone.as_ref().map(|p| p.as_str().to_string()),
        );
        fact(
            "resume.field_email",
            basics.email.as_ref().map(|e| e.as_str().to_string()),
        );
        fact("resume.field_school", basics.school.clone());
        fact("resume.field_college", basics.college.clone());
        fact("resume.field_major", basics.major.clone());
        fact(
            "resume.field_degree",
            basics.degree.map(|d| b.t(degree_key(d)).to_string()),
        );
        fact(
            "resume.field_graduation_year",
            basics.graduation_year.map(|y| y.to_string()),
        );
        let i = &basics.intention;
        let mut intention = Vec::new();
        if !i.cities.is_empty() {
            intention.push(("resume.field_cities", i.cities.join("、")));
        }
        if !i.positions.is_empty() {
            intention.push(("resume.field_positions", i.positions.join("、")));
        }
        if let Some(s) = i.salary {
            intention.push(("resume.field_salary", salary(b, s)));
        }
        let education = r
            .education
            .iter()
            .zip(&l.education_ids)
            .map(|(e, id)| EntryLine {
                id: *id,
                title: e.school.clone(),
                subtitle: format!("{} · {}", e.major, b.t(degree_key(e.degree))),
                period: period(b, e.start, Some(e.end)),
                description: String::new(),
            })
            .collect();
        let experience = r
            .experience
            .iter()
            .zip(&l.experience_ids)
            .map(|(e, id)| EntryLine {
                id: *id,
                title: e.organisation.clone(),
                subtitle: e.role.clone(),
                period: period(b, e.start, e.end),
                description: e.description.clone(),
            })
            .collect();
        let projects = r
            .projects
            .iter()
            .zip(&l.project_ids)
            .map(|(p, id)| EntryLine {
                id: *id,
                title: p.name.clone(),
                subtitle: p.role.clone().unwrap_or_default(),
                period: period(b, p.start, p.end),
                description: p.description.clone(),
            })
            .collect();
        let awards = r
            .awards
            .iter()
            .zip(&l.award_ids)
            .map(|(a, id)| EntryLine {
                id: *id,
                title: a.name.clone(),
                subtitle: String::new(),
                period: a.date.to_string(),
                description: String::new(),
            })
            .collect();
        ResumeView {
            name: basics
                .name
                .clone()
                .unwrap_or_else(|| b.t("resume.no_name").to_string()),
            photo_url: r
                .photo
                .as_ref()
                .map(|k| format!("/files/{k}"))
                .unwrap_or_default(),
            facts,
            intention,
            education,
            experience,
            projects,
            awards,
            skills: r.skills.clone(),
            self_evaluation: r.self_evaluation.clone(),
            attachment_url: r
                .attachment
                .as_ref()
                .map(|k| format!("/files/{k}"))
                .unwrap_or_default(),
            attachment_name: l
                .attachment_name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| b.t("resume.attachment_default_name").to_string()),
            percent: l.completeness().percent,
        }
    }
}
