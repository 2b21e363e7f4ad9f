//! The accounts `fairhall seed --out FILE` wrote: one JSON object per line.

use std::path::Path;

use anyhow::{Context, bail};
use serde::Deserialize;

/// A signed-in account: the `fairhall_session` cookie value and its CSRF token.
#[derive(Debug, Clone, Deserialize)]
pub struct Account {
    pub user_id: i64,
    pub cookie: String,
    pub csrf: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Employer {
    #[serde(flatten)]
    pub account: Account,
    pub registration_id: i64,
}

#[derive(Debug, Clone, Default)]
pub struct Seed {
    pub fair_id: i64,
    pub entry_code: String,
    pub staff: Option<Account>,
    pub employers: Vec<Employer>,
    pub students: Vec<Account>,
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Line {
    Fair {
        fair_id: i64,
        #[serde(default)]
        entry_code: String,
    },
    Staff(Account),
    Employer(Employer),
    Student(Account),
    #[serde(other)]
    Other,
}

impl Seed {
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the seed file {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("in {}", path.display()))
    }

    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let mut seed = Seed::default();
        let mut saw_fair = false;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let parsed: Line =
                serde_json::from_str(line).with_context(|| format!("line {}", i + 1))?;
            match parsed {
                Line::Fair {
                    fair_id,
                    entry_code,
                } => {
                    seed.fair_id = fair_id;
                    seed.entry_code = entry_code;
                    saw_fair = true;
                }
                Line::Staff(a) => seed.staff = Some(a),
                Line::Employer(e) => seed.employers.push(e),
                Line::Student(s) => seed.students.push(s),
                Line::Other => {}
            }
        }
        if !saw_fair {
            bail!("no {{\"kind\":\"fair\"}} line");
        }
        Ok(seed)
    }

    pub fn staff(&self) -> anyhow::Result<&Account> {
        self.staff
            .as_ref()
            .context("the seed file has no staff account")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind_of_line() {
        let text = r#"{"kind":"fair","fair_id":3,"entry_code":"abc"}
{"kind":"staff","user_id":1,"cookie":"c1","csrf":"t1"}
{"kind":"employer","user_id":2,"employer_id":5,"registration_id":9,"cookie":"c2","csrf":"t2"}
{"kind":"student","user_id":4,"cookie":"c4","csrf":"t4"}
{"kind":"something_new","x":1}
"#;
        let s = Seed::parse(text).expect("parsed");
        assert_eq!((s.fair_id, s.entry_code.as_str()), (3, "abc"));
        assert_eq!(s.staff().expect("staff").cookie, "c1");
        assert_eq!(s.employers[0].registration_id, 9);
        assert_eq!(s.employers[0].account.user_id, 2);
        assert_eq!(s.students[0].csrf, "t4");
        assert!(
            Seed::parse("{\"kind\":\"student\",\"user_id\":1,\"cookie\":\"c\",\"csrf\":\"t\"}")
                .is_err()
        );
    }
}
