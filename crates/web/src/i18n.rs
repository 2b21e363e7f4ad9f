//! The string catalogue. Every word a page shows comes from `i18n/zh-CN/*.json` (first) or
//! `i18n/en/*.json`, one file per feature; a test fails if a key is missing from either or a template uses a key that
//! neither has.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::OnceLock;

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use fairhall_app::AppError;
use fairhall_domain::Message;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

pub const LANG_COOKIE: &str = "fairhall_lang";

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh-CN" | "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of the `fairhall_lang` cookie; Chinese without one.
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == LANG_COOKIE)
            .and_then(|(_, v)| Lang::parse(v))
            .unwrap_or(Lang::Zh)
    }
}

/// The same language for the error catalogue of `fairhall_domain::message`.
impl From<Lang> for fairhall_domain::Lang {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Zh => fairhall_domain::Lang::Zh,
            Lang::En => fairhall_domain::Lang::En,
        }
    }
}

pub type Catalogue = HashMap<String, String>;

/// The catalogue files, one per feature and language: `i18n/<lang>/<feature>.json`.
#[derive(rust_embed::Embed)]
#[folder = "i18n/"]
struct Files;

/// Merges every `<lang>/*.json` into one map. Returns the map and the keys defined twice.
fn load(lang: Lang) -> (Catalogue, Vec<String>) {
    let mut map = Catalogue::new();
    let mut twice = Vec::new();
    let prefix = format!("{}/", lang.code());
    for name in Files::iter().filter(|n| n.starts_with(&prefix) && n.ends_with(".json")) {
        let Some(file) = Files::get(&name) else {
            continue;
        };
        let part: Catalogue = match serde_json::from_slice(&file.data) {
            Ok(p) => p,
            Err(e) => {
                tracing::error!(file = %name, error = %e, "catalogue file does not parse");
                continue;
            }
        };
        for (k, v) in part {
            if map.insert(k.clone(), v).is_some() {
                twice.push(k);
            }
        }
    }
    (map, twice)
}

/// Both catalogues, parsed once. Constant data compiled into the binary, not state.
pub fn catalogue(lang: Lang) -> &'static Catalogue {
    static ZH: OnceLock<Catalogue> = OnceLock::new();
    static EN: OnceLock<Catalogue> = OnceLock::new();
    match lang {
        Lang::Zh => ZH.get_or_init(|| load(Lang::Zh).0),
        Lang::En => EN.get_or_init(|| load(Lang::En).0),
    }
}

/// A translator for one request.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn t<'a>(&self, key: &'a str) -> &'a str
    where
        'static: 'a,
    {
        match catalogue(self.lang).get(key) {
            Some(s) => s.as_str(),
            None => key,
        }
    }

    /// A message (of an error, say) in this language.
    pub fn msg(&self, m: &Message) -> String {
        m.render(self.lang.into())
    }

    /// An error's message in this language.
    pub fn err(&self, e: &AppError) -> String {
        e.render(self.lang.into())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang::from_headers(&parts.headers))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn keys(c: &Catalogue) -> BTreeSet<&str> {
        c.keys().map(String::as_str).collect()
    }

    #[test]
    fn every_catalogue_file_parses_and_defines_each_key_once() {
        for lang in [Lang::Zh, Lang::En] {
            let prefix = format!("{}/", lang.code());
            for name in Files::iter().filter(|n| n.starts_with(&prefix)) {
                let file = Files::get(&name).expect("file");
                assert!(
                    serde_json::from_slice::<Catalogue>(&file.data).is_ok(),
                    "{name} does not parse"
                );
            }
            let (_, twice) = load(lang);
            assert!(
                twice.is_empty(),
                "defined twice in {}: {twice:?}",
                lang.code()
            );
        }
    }

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let zh = catalogue(Lang::Zh);
        let en = catalogue(Lang::En);
        let only_zh: Vec<_> = keys(zh).difference(&keys(en)).copied().collect();
        let only_en: Vec<_> = keys(en).difference(&keys(zh)).copied().collect();
        assert!(only_zh.is_empty(), "missing in en.json: {only_zh:?}");
        assert!(only_en.is_empty(), "missing in zh-CN.json: {only_en:?}");
        assert!(
            zh.values().chain(en.values()).all(|v| !v.trim().is_empty()),
            "empty string"
        );
    }

    #[test]
    fn every_key_a_template_uses_is_in_the_catalogue() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let zh = catalogue(Lang::Zh);
        let mut missing = Vec::new();
        let mut used = 0;
        let mut paths = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(dir)];
        while let Some(d) = dirs.pop() {
            for entry in std::fs::read_dir(d).expect("templates folder") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    paths.push(path);
                }
            }
        }
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("template text");
            for piece in text.split(".t(\"").skip(1) {
                let key = piece.split('"').next().unwrap_or_default();
                used += 1;
                if !zh.contains_key(key) {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
        assert!(
            used > 20,
            "templates should take their words from the catalogue"
        );
        assert!(
            missing.is_empty(),
            "keys missing from the catalogue: {missing:?}"
        );
    }

    /// Every error message the web layer builds names a key both languages have, with the
    /// arguments its text uses.
    #[test]
    fn every_message_the_web_layer_builds_is_in_both_catalogues() {
        use fairhall_domain::message::{problems, uses_in};
        let mut dirs = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        let mut found = Vec::new();
        let mut used = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).expect("src folder") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let source = std::fs::read_to_string(&path).expect("source");
                    let uses = uses_in(&source);
                    used += uses.len();
                    found.extend(problems(&path.display().to_string(), &uses));
                }
            }
        }
        assert!(
            used > 20,
            "the web layer should build its messages with msg!: {used}"
        );
        assert!(found.is_empty(), "{}", found.join("\n"));
    }
}
