//! Messages for the user, in the user's language.
//!
//! A [`Message`] is a catalogue key with named arguments; it becomes text only when it is
//! shown, in the language of the person reading it. The catalogue of every message the product
//! shows for an error — raised here, by the application or by the web layer — is
//! `i18n/<lang>/<area>.json` in this crate, compiled into the binary: the same text the domain's
//! tests read is the text the pages and the API answer with.
//!
//! Texts use `{name}` for an argument. An argument is plain text (a number, a name, the user's
//! input), another message (a label such as a status, rendered in the same language), or a
//! list of messages (joined the way the language joins lists). Build messages with [`msg!`],
//! whose key must be a literal: the tests find every key and argument name in the sources and
//! check both catalogues have them.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// A language the catalogue has. Chinese is the product's first language and the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The folder name of the language's catalogue (a BCP 47 tag).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// Something to show the user: a catalogue key and the values its text needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// One value a message's text needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Shown as it is, in every language.
    Text(String),
    /// Rendered in the message's language.
    Message(Message),
    /// Rendered in the message's language and joined with its list separator.
    List(Vec<Message>),
}

/// Builds a [`Message`]: `msg!("error.fair.title_required")`, or with arguments named after
/// their placeholders, `msg!("error.fair.title_too_long", max = TITLE_MAX)`. An argument is
/// anything [`Arg`] converts from: text, a number, a character, a [`Message`] or a list of them.
#[macro_export]
macro_rules! msg {
    ($key:literal $(,)?) => {
        $crate::message::Message::new($key)
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::message::Message::new($key)$(.with(stringify!($name), $value))+
    };
}

impl Message {
    /// A message without arguments. Prefer [`msg!`], whose literal key the tests can check.
    #[doc(hidden)]
    pub fn new(key: &'static str) -> Self {
        Message {
            key,
            args: Vec::new(),
        }
    }

    /// Adds the value for `{name}`.
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// The value for `{name}`, if given.
    pub fn arg(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
    }

    /// The message's text in `lang`. A key the language lacks falls back to Chinese, then to
    /// the key itself (the tests keep both from happening); a placeholder without a value stays
    /// as it is written.
    pub fn render(&self, lang: Lang) -> String {
        let template = text(lang, self.key)
            .or_else(|| text(Lang::Zh, self.key))
            .unwrap_or(self.key);
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                rest = "";
                break;
            };
            let name = &after[..close];
            match self.arg(name) {
                Some(arg) => arg.render_into(lang, &mut out),
                None => out.push_str(&rest[open..open + close + 2]),
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The Chinese text.
    pub fn zh(&self) -> String {
        self.render(Lang::Zh)
    }

    /// The English text.
    pub fn en(&self) -> String {
        self.render(Lang::En)
    }

    /// Whether the Chinese text contains `part`.
    pub fn contains(&self, part: &str) -> bool {
        self.zh().contains(part)
    }
}

impl Arg {
    fn render_into(&self, lang: Lang, out: &mut String) {
        match self {
            Arg::Text(t) => out.push_str(t),
            Arg::Message(m) => out.push_str(&m.render(lang)),
            Arg::List(items) => {
                let sep = text(lang, "list.separator").unwrap_or(", ");
                for (i, m) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(sep);
                    }
                    out.push_str(&m.render(lang));
                }
            }
        }
    }
}

/// The Chinese text, for logs and `Display`ed errors.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.zh())
    }
}

/// A message equals a text when its Chinese rendering does (what tests assert on).
impl PartialEq<str> for Message {
    fn eq(&self, other: &str) -> bool {
        self.zh() == other
    }
}

impl PartialEq<&str> for Message {
    fn eq(&self, other: &&str) -> bool {
        self.zh() == *other
    }
}

impl PartialEq<String> for Message {
    fn eq(&self, other: &String) -> bool {
        self.zh() == *other
    }
}

impl From<Message> for Arg {
    fn from(m: Message) -> Self {
        Arg::Message(m)
    }
}

impl From<Vec<Message>> for Arg {
    fn from(items: Vec<Message>) -> Self {
        Arg::List(items)
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_owned())
    }
}

macro_rules! text_args {
    ($($t:ty),*) => {
        $(impl From<$t> for Arg {
            fn from(v: $t) -> Self {
                Arg::Text(v.to_string())
            }
        })*
    };
}

text_args!(char, u8, u16, u32, u64, usize, i8, i16, i32, i64);

// ---------------------------------------------------------------------------------------------
// The catalogue
// ---------------------------------------------------------------------------------------------

type Catalogue = HashMap<String, String>;

macro_rules! files {
    ($($area:literal),* $(,)?) => {
        /// Every catalogue file: area, Chinese text, English text.
        pub const FILES: &[(&str, &str, &str)] = &[$((
            $area,
            include_str!(concat!("../i18n/zh-CN/", $area, ".json")),
            include_str!(concat!("../i18n/en/", $area, ".json")),
        )),*];
    };
}

files!(
    "common",
    "account",
    "brochure",
    "call",
    "chat",
    "credit_code",
    "employer",
    "fair",
    "otp",
    "registration",
    "resume",
    "review",
    "roster",
    "ticket",
    "app",
    "web",
);

/// One language's files, merged. Returns the map and the keys defined twice.
fn load(lang: Lang) -> (Catalogue, Vec<String>) {
    let mut map = Catalogue::new();
    let mut twice = Vec::new();
    for (_, zh, en) in FILES {
        let source = match lang {
            Lang::Zh => zh,
            Lang::En => en,
        };
        // A file that does not parse is a test failure (`every_file_parses…`), never a panic.
        let part: Catalogue = serde_json::from_str(source).unwrap_or_default();
        for (k, v) in part {
            if map.insert(k.clone(), v).is_some() {
                twice.push(k);
            }
        }
    }
    (map, twice)
}

/// The catalogue of `lang`, parsed once: constant data compiled into the binary.
pub fn catalogue(lang: Lang) -> &'static HashMap<String, String> {
    static ZH: OnceLock<Catalogue> = OnceLock::new();
    static EN: OnceLock<Catalogue> = OnceLock::new();
    match lang {
        Lang::Zh => ZH.get_or_init(|| load(Lang::Zh).0),
        Lang::En => EN.get_or_init(|| load(Lang::En).0),
    }
}

fn text(lang: Lang, key: &str) -> Option<&'static str> {
    catalogue(lang).get(key).map(String::as_str)
}

/// The placeholder names a text uses, in order of first use.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !names.contains(&name) {
            names.push(name);
        }
        rest = &after[close + 1..];
    }
    names
}

// ---------------------------------------------------------------------------------------------
// Checking the sources against the catalogue (for the tests of every crate)
// ---------------------------------------------------------------------------------------------

/// One `msg!` in a source text: its key and the names of the arguments it gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    pub key: String,
    pub args: Vec<String>,
    /// 1-based line of the `msg!`.
    pub line: usize,
}

/// Every `msg!(…)` in `source` (Rust text), in order. Pure text work: the caller reads files.
/// Comments and the text after a `#[cfg(test)]` line (tests build made-up messages) are skipped.
pub fn uses_in(source: &str) -> Vec<Use> {
    let source = source
        .find("\n#[cfg(test)]")
        .map_or(source, |end| &source[..end]);
    let mut found = Vec::new();
    let bytes = source.as_bytes();
    let mut from = 0;
    while let Some(at) = source[from..].find("msg!(") {
        let start = from + at;
        from = start + 5;
        // `msg!(` inside an identifier (`my_msg!(`) or the macro's own definition is not a use.
        if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
            continue;
        }
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        if source[line_start..start].contains("//") {
            continue;
        }
        let Some(body) = call_body(&source[from..]) else {
            continue;
        };
        let parts = split_top_level(body);
        let Some(first) = parts.first() else { continue };
        let first = first.trim();
        let Some(key) = first
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .filter(|k| !k.contains('"'))
        else {
            continue;
        };
        let args = parts[1..]
            .iter()
            .filter_map(|p| p.split_once('=').map(|(n, _)| n.trim().to_owned()))
            .filter(|n| !n.is_empty())
            .collect();
        found.push(Use {
            key: key.to_owned(),
            args,
            line: source[..start].lines().count().max(1),
        });
    }
    found
}

/// The text between an opening parenthesis (already consumed) and its match.
fn call_body(s: &str) -> Option<&str> {
    let mut depth = 1usize;
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&s[..i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// `s` split at the commas outside brackets and strings.
fn split_top_level(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if !s[start..].trim().is_empty() {
        parts.push(&s[start..]);
    }
    parts
}

/// What is wrong with `uses` (found in the file `file`): a key either language lacks, or
/// arguments that are not the placeholders of the key's text. Empty when all is well.
pub fn problems(file: &str, uses: &[Use]) -> Vec<String> {
    let mut out = Vec::new();
    for u in uses {
        for lang in Lang::ALL {
            let Some(text) = text(lang, &u.key) else {
                out.push(format!(
                    "{file}:{}: `{}` is missing from the {} catalogue",
                    u.line,
                    u.key,
                    lang.code()
                ));
                continue;
            };
            let mut wanted: Vec<&str> = placeholders(text);
            let mut given: Vec<&str> = u.args.iter().map(String::as_str).collect();
            wanted.sort_unstable();
            given.sort_unstable();
            if wanted != given {
                out.push(format!(
                    "{file}:{}: `{}` is given {given:?} but its {} text uses {wanted:?}",
                    u.line,
                    u.key,
                    lang.code()
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_file_parses_and_defines_each_key_once() {
        for (area, zh, en) in FILES {
            for (lang, source) in [(Lang::Zh, zh), (Lang::En, en)] {
                assert!(
                    serde_json::from_str::<Catalogue>(source).is_ok(),
                    "{}/{area}.json does not parse",
                    lang.code()
                );
            }
        }
        for lang in Lang::ALL {
            let (_, twice) = load(lang);
            assert!(
                twice.is_empty(),
                "defined twice in {}: {twice:?}",
                lang.code()
            );
        }
    }

    #[test]
    fn every_file_in_the_folder_is_compiled_in() {
        for lang in Lang::ALL {
            let dir = format!("{}/i18n/{}", env!("CARGO_MANIFEST_DIR"), lang.code());
            let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
                .expect("catalogue folder")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            let listed: BTreeSet<String> =
                FILES.iter().map(|(a, _, _)| format!("{a}.json")).collect();
            assert_eq!(on_disk, listed, "{dir} and message::FILES differ");
        }
    }

    #[test]
    fn both_languages_have_the_same_keys_and_no_empty_text() {
        let zh = catalogue(Lang::Zh);
        let en = catalogue(Lang::En);
        let zh_keys: BTreeSet<&String> = zh.keys().collect();
        let en_keys: BTreeSet<&String> = en.keys().collect();
        let only_zh: Vec<_> = zh_keys.difference(&en_keys).collect();
        let only_en: Vec<_> = en_keys.difference(&zh_keys).collect();
        assert!(only_zh.is_empty(), "missing in en: {only_zh:?}");
        assert!(only_en.is_empty(), "missing in zh-CN: {only_en:?}");
        let empty: Vec<_> = zh
            .iter()
            .chain(en.iter())
            .filter(|(_, v)| v.trim().is_empty())
            .map(|(k, _)| k)
            .collect();
        assert!(empty.is_empty(), "empty text: {empty:?}");
    }

    #[test]
    fn both_languages_use_the_same_placeholders() {
        let zh = catalogue(Lang::Zh);
        let en = catalogue(Lang::En);
        let mut differ = Vec::new();
        for (key, zh_text) in zh {
            let Some(en_text) = en.get(key) else { continue };
            let mut a = placeholders(zh_text);
            let mut b = placeholders(en_text);
            a.sort_unstable();
            b.sort_unstable();
            if a != b {
                differ.push(format!("{key}: zh-CN {a:?}, en {b:?}"));
            }
        }
        assert!(differ.is_empty(), "placeholders differ: {differ:#?}");
    }

    #[test]
    fn english_text_has_no_chinese_and_chinese_text_is_chinese() {
        let han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let chinese_in_en: Vec<_> = catalogue(Lang::En)
            .iter()
            .filter(|(_, v)| han(v))
            .map(|(k, _)| k)
            .collect();
        assert!(chinese_in_en.is_empty(), "Chinese in en: {chinese_in_en:?}");
    }

    /// Every `msg!` of the domain names a key both languages have, with the arguments its text
    /// uses. (The application and the web layer have the same test for their sources.)
    #[test]
    fn every_message_the_domain_builds_is_in_both_catalogues() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut all = Vec::new();
        let mut used = 0;
        for entry in std::fs::read_dir(dir).expect("src") {
            let path = entry.expect("entry").path();
            let source = std::fs::read_to_string(&path).expect("source");
            let uses = uses_in(&source);
            used += uses.len();
            all.extend(problems(&path.display().to_string(), &uses));
        }
        assert!(
            used > 250,
            "the domain should build its messages with msg!: {used}"
        );
        assert!(all.is_empty(), "{}", all.join("\n"));
    }

    #[test]
    fn the_source_scan_finds_keys_and_argument_names() {
        let source = r#"
            let a = msg!("error.x.plain");
            let b = crate::msg!(
                "error.x.args",
                max = MAX,
                len = s.chars().filter(|c| c == &',').count(),
                label = msg!("label.x"),
            );
            let not = my_msg!("nope");
        "#;
        let uses = uses_in(source);
        let keys: Vec<_> = uses.iter().map(|u| u.key.as_str()).collect();
        assert_eq!(keys, ["error.x.plain", "error.x.args", "label.x"]);
        assert_eq!(uses[1].args, ["max", "len", "label"]);
        assert_eq!(uses[1].line, 3);
        assert!(uses[0].args.is_empty());
        // A key neither language has is reported for both.
        let missing = problems("f.rs", &uses[..1]);
        assert_eq!(missing.len(), 2, "{missing:?}");
        assert!(missing[0].contains("zh-CN") && missing[1].contains("en"));
    }

    #[test]
    fn the_scan_reports_arguments_that_are_not_the_placeholders() {
        let wrong = Use {
            key: "error.chat.too_fast".into(),
            args: vec!["sec".into()],
            line: 1,
        };
        let found = problems("f.rs", &[wrong]);
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn rendering_fills_placeholders_in_each_language() {
        let m = msg!("error.chat.too_fast", secs = 10);
        assert_eq!(m.zh(), "发送太频繁，请 10 秒后再试");
        assert_eq!(m, "发送太频繁，请 10 秒后再试");
        assert_eq!(m.en(), "You are sending too fast. Try again in 10 seconds.");
        assert_eq!(m.to_string(), m.zh());
    }

    #[test]
    fn a_message_argument_renders_in_the_same_language_and_lists_join_by_language() {
        let m = msg!(
            "error.roster.missing_columns",
            columns = vec![
                msg!("label.roster.column.name"),
                msg!("label.roster.column.school")
            ]
        );
        assert_eq!(m.zh(), "名单第一行应为表头，缺少必填列：姓名、学校");
        assert!(m.en().contains("name, school"), "{}", m.en());
    }

    #[test]
    fn an_unknown_key_renders_as_itself_and_a_missing_argument_stays_visible() {
        assert_eq!(
            Message::new("error.nowhere").render(Lang::En),
            "error.nowhere"
        );
        assert_eq!(
            msg!("error.chat.too_fast").zh(),
            "发送太频繁，请 {secs} 秒后再试"
        );
    }

    #[test]
    fn placeholders_are_found_once_each() {
        assert_eq!(placeholders("{a} and {b}, {a}"), ["a", "b"]);
        assert!(placeholders("none").is_empty());
        assert!(placeholders("open { only").is_empty());
    }
}
