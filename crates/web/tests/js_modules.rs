//! The shape of the browser modules in `crates/web/static/js`:
//!
//! - `static/js/*.js` are page entries: each is loaded by a template's
//!   `<script type="module" src="/static/js/…">`, every script a template loads is one, and no
//!   module imports one.
//! - `static/js/lib/**/*.js` are libraries and do nothing on import: their top level holds only
//!   imports, exports, and function, class, `const` and `let` declarations whose initialisers
//!   call nothing but a few pure constructors (`new Set`, `new Map`, …) and name no browser
//!   global that acts (`document`, `window`, `setTimeout`, `fetch`, …); no class has a static
//!   block. Function bodies, arrow functions and methods are not looked into: they run when
//!   called. Every library is imported by some module.
//! - No import cycles, static or dynamic, among them; imports are relative and name files that
//!   exist. `lib/api.js` imports nothing.
//!
//! The modules are read by a small tokenizer (comments, strings, template literals, regular
//! expressions, brackets), enough for the code of this project; a module it cannot read fails
//! the test rather than passing unread. The `checker_*` tests show the checks failing on planted
//! cycles and side effects.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

// ------------------------------------------------------------------ tokens

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Punct(String),
    /// A string literal's raw text, without its quotes.
    Str(String),
    /// The start of a template literal; its substitutions follow as `${ … }$` groups.
    Template,
    Num,
    Regex,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: usize,
}

/// Longest first, so that `===` is not read as `==` and `=`.
const PUNCTS: &[&str] = &[
    ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=", "=>", "==", "!=",
    "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
    "**", "<<", ">>", "{", "}", "(", ")", "[", "]", ";", ",", "<", ">", "+", "-", "*", "/", "%",
    "&", "|", "^", "!", "~", "?", ":", "=", ".", "@",
];

/// After these words an expression starts, so a `/` opens a regular expression.
const BEFORE_EXPRESSION: &[&str] = &[
    "return",
    "typeof",
    "instanceof",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
    "yield",
    "await",
];

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$' || c == '#'
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

fn regex_allowed(prev: Option<&Token>) -> bool {
    match prev.map(|t| &t.tok) {
        None => true,
        Some(Tok::Punct(p)) => !matches!(p.as_str(), ")" | "]" | "}" | "}$"),
        Some(Tok::Ident(w)) => BEFORE_EXPRESSION.contains(&w.as_str()),
        Some(_) => false,
    }
}

struct Lexer {
    c: Vec<char>,
    i: usize,
    line: usize,
    out: Vec<Token>,
    /// Open braces: `true` for a template substitution `${`.
    braces: Vec<bool>,
}

impl Lexer {
    fn push(&mut self, tok: Tok) {
        self.out.push(Token {
            tok,
            line: self.line,
        });
    }

    fn at(&self, k: usize) -> Option<char> {
        self.c.get(self.i + k).copied()
    }

    /// Template text from `self.i` up to the closing backtick or the next `${`.
    fn template(&mut self) -> Result<(), String> {
        loop {
            match self.at(0) {
                None => return Err(format!("line {}: unterminated template literal", self.line)),
                Some('\\') => self.i += 2,
                Some('`') => {
                    self.i += 1;
                    return Ok(());
                }
                Some('$') if self.at(1) == Some('{') => {
                    self.push(Tok::Punct("${".into()));
                    self.braces.push(true);
                    self.i += 2;
                    return Ok(());
                }
                Some(ch) => {
                    if ch == '\n' {
                        self.line += 1;
                    }
                    self.i += 1;
                }
            }
        }
    }

    fn run(mut self) -> Result<Vec<Token>, String> {
        while let Some(ch) = self.at(0) {
            let next = self.at(1);
            if ch == '\n' {
                self.line += 1;
                self.i += 1;
            } else if ch.is_whitespace() {
                self.i += 1;
            } else if ch == '/' && next == Some('/') {
                while self.at(0).is_some_and(|c| c != '\n') {
                    self.i += 1;
                }
            } else if ch == '/' && next == Some('*') {
                let start = self.line;
                self.i += 2;
                loop {
                    match self.at(0) {
                        None => return Err(format!("line {start}: unterminated comment")),
                        Some('*') if self.at(1) == Some('/') => {
                            self.i += 2;
                            break;
                        }
                        Some(c) => {
                            if c == '\n' {
                                self.line += 1;
                            }
                            self.i += 1;
                        }
                    }
                }
            } else if ch == '"' || ch == '\'' {
                self.i += 1;
                let mut text = String::new();
                loop {
                    match self.at(0) {
                        None | Some('\n') => {
                            return Err(format!("line {}: unterminated string", self.line));
                        }
                        Some('\\') => {
                            text.extend(self.at(1));
                            self.i += 2;
                        }
                        Some(c) if c == ch => {
                            self.i += 1;
                            break;
                        }
                        Some(c) => {
                            text.push(c);
                            self.i += 1;
                        }
                    }
                }
                self.push(Tok::Str(text));
            } else if ch == '`' {
                self.push(Tok::Template);
                self.i += 1;
                self.template()?;
            } else if ch == '}' && self.braces.last() == Some(&true) {
                self.braces.pop();
                self.push(Tok::Punct("}$".into()));
                self.i += 1;
                self.template()?;
            } else if is_ident_start(ch) {
                let start = self.i;
                self.i += 1;
                while self.at(0).is_some_and(is_ident_char) {
                    self.i += 1;
                }
                let word: String = self.c[start..self.i].iter().collect();
                self.push(Tok::Ident(word));
            } else if ch.is_ascii_digit() || (ch == '.' && next.is_some_and(|c| c.is_ascii_digit()))
            {
                while self
                    .at(0)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
                {
                    self.i += 1;
                }
                self.push(Tok::Num);
            } else if ch == '/' && regex_allowed(self.out.last()) {
                self.i += 1;
                let mut class = false;
                loop {
                    match self.at(0) {
                        None | Some('\n') => {
                            return Err(format!(
                                "line {}: unterminated regular expression",
                                self.line
                            ));
                        }
                        Some('\\') => self.i += 2,
                        Some('[') => {
                            class = true;
                            self.i += 1;
                        }
                        Some(']') => {
                            class = false;
                            self.i += 1;
                        }
                        Some('/') if !class => {
                            self.i += 1;
                            break;
                        }
                        Some(_) => self.i += 1,
                    }
                }
                while self.at(0).is_some_and(|c| c.is_ascii_alphabetic()) {
                    self.i += 1;
                }
                self.push(Tok::Regex);
            } else {
                let rest: String = self.c[self.i..(self.i + 4).min(self.c.len())]
                    .iter()
                    .collect();
                let Some(p) = PUNCTS.iter().find(|p| rest.starts_with(**p)) else {
                    return Err(format!("line {}: unexpected character {ch:?}", self.line));
                };
                match *p {
                    "{" => self.braces.push(false),
                    "}" if self.braces.pop().is_none() => {
                        return Err(format!("line {}: unbalanced }}", self.line));
                    }
                    _ => {}
                }
                self.push(Tok::Punct((*p).to_string()));
                self.i += p.chars().count();
            }
        }
        Ok(self.out)
    }
}

fn tokenize(src: &str) -> Result<Vec<Token>, String> {
    Lexer {
        c: src.chars().collect(),
        i: 0,
        line: 1,
        out: Vec::new(),
        braces: Vec::new(),
    }
    .run()
}

// ------------------------------------------------------------------ bracket groups

#[derive(Debug)]
enum Node {
    Leaf(Token),
    /// `(…)`, `[…]`, `{…}`, or a template substitution `${…}$` (open `"${"`).
    Group {
        open: String,
        line: usize,
        children: Vec<Node>,
    },
}

fn group(tokens: Vec<Token>) -> Result<Vec<Node>, String> {
    let mut stack: Vec<(String, usize, Vec<Node>)> = vec![(String::new(), 0, Vec::new())];
    for t in tokens {
        let punct = match &t.tok {
            Tok::Punct(p) => p.as_str(),
            _ => "",
        };
        match punct {
            "(" | "[" | "{" | "${" => stack.push((punct.to_string(), t.line, Vec::new())),
            ")" | "]" | "}" | "}$" => {
                let Some((open, line, children)) = stack.pop() else {
                    return Err(format!("line {}: unbalanced {punct}", t.line));
                };
                let pair = match open.as_str() {
                    "(" => ")",
                    "[" => "]",
                    "{" => "}",
                    "${" => "}$",
                    _ => "",
                };
                if pair != punct {
                    return Err(format!(
                        "line {}: {punct} closes {open:?} of line {line}",
                        t.line
                    ));
                }
                let Some(parent) = stack.last_mut() else {
                    return Err(format!("line {}: unbalanced {punct}", t.line));
                };
                parent.2.push(Node::Group {
                    open,
                    line,
                    children,
                });
            }
            _ => match stack.last_mut() {
                Some(top) => top.2.push(Node::Leaf(t)),
                None => return Err(format!("line {}: unbalanced brackets", t.line)),
            },
        }
    }
    match stack.pop() {
        Some((open, _, top)) if stack.is_empty() && open.is_empty() => Ok(top),
        Some((open, line, _)) => Err(format!("line {line}: {open} is never closed")),
        None => Err("unbalanced brackets".into()),
    }
}

fn ident(n: Option<&Node>) -> Option<&str> {
    match n {
        Some(Node::Leaf(Token {
            tok: Tok::Ident(w), ..
        })) => Some(w),
        _ => None,
    }
}

fn is_punct(n: Option<&Node>, p: &str) -> bool {
    matches!(n, Some(Node::Leaf(Token { tok: Tok::Punct(q), .. })) if q == p)
}

fn is_group(n: Option<&Node>, open: &str) -> bool {
    matches!(n, Some(Node::Group { open: o, .. }) if o == open)
}

fn line_of(n: &Node) -> usize {
    match n {
        Node::Leaf(t) => t.line,
        Node::Group { line, .. } => *line,
    }
}

// ------------------------------------------------------------------ one module

/// Browser globals whose mere mention at a module's top level means it acts on import.
const ACTING_GLOBALS: &[&str] = &[
    "document",
    "window",
    "globalThis",
    "self",
    "navigator",
    "location",
    "history",
    "localStorage",
    "sessionStorage",
    "indexedDB",
    "caches",
    "fetch",
    "XMLHttpRequest",
    "WebSocket",
    "EventSource",
    "RTCPeerConnection",
    "AudioContext",
    "Audio",
    "Notification",
    "setTimeout",
    "setInterval",
    "queueMicrotask",
    "requestAnimationFrame",
    "requestIdleCallback",
    "addEventListener",
    "removeEventListener",
    "dispatchEvent",
    "alert",
    "confirm",
    "prompt",
    "console",
    "customElements",
    "postMessage",
];

/// The only calls a library's top level may make: pure constructors of values.
const PURE_CALLS: &[&str] = &[
    "new Set",
    "new Map",
    "new WeakMap",
    "new WeakSet",
    "new RegExp",
    "new Intl.DateTimeFormat",
    "new Intl.NumberFormat",
    "Object.freeze",
    "Symbol",
];

/// Words before a `(` that do not make it a call.
const NOT_CALLEES: &[&str] = &[
    "if",
    "for",
    "while",
    "switch",
    "catch",
    "return",
    "typeof",
    "void",
    "delete",
    "in",
    "of",
    "instanceof",
    "case",
    "do",
    "else",
    "throw",
    "await",
    "yield",
];

#[derive(Debug, Default)]
struct Module {
    /// Import specifiers, static and dynamic, with their lines.
    imports: Vec<(String, usize)>,
    /// What the top level does on import, one line each.
    effects: Vec<String>,
}

/// Index of the next `;` at this level (or the end).
fn statement_end(nodes: &[Node], from: usize) -> usize {
    (from..nodes.len())
        .find(|&k| is_punct(nodes.get(k), ";"))
        .unwrap_or(nodes.len())
}

/// The last string literal in `nodes`: the specifier of `import … from "x"`.
fn specifier(nodes: &[Node]) -> Option<String> {
    nodes.iter().rev().find_map(|n| match n {
        Node::Leaf(Token {
            tok: Tok::Str(s), ..
        }) => Some(s.clone()),
        _ => None,
    })
}

/// Index after `function [*] [name] (…) {…}` starting at `i` (the `function` word).
fn skip_function(nodes: &[Node], mut i: usize) -> usize {
    i += 1;
    if is_punct(nodes.get(i), "*") {
        i += 1;
    }
    if ident(nodes.get(i)).is_some() {
        i += 1;
    }
    if is_group(nodes.get(i), "(") {
        i += 1;
    }
    if is_group(nodes.get(i), "{") {
        i += 1;
    }
    i
}

/// Whether a `(` after `prev` calls something.
fn is_callee(prev: Option<&Node>) -> bool {
    match prev {
        Some(Node::Leaf(Token {
            tok: Tok::Ident(w), ..
        })) => !NOT_CALLEES.contains(&w.as_str()),
        Some(Node::Leaf(Token {
            tok: Tok::Punct(p), ..
        })) => p == "?.",
        Some(Node::Group { open, .. }) => open == "(" || open == "[",
        _ => false,
    }
}

/// The name of what the `(` at `i` calls: `init`, `Object.freeze`, `new Intl.DateTimeFormat`.
fn callee_name(nodes: &[Node], i: usize) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let mut k = i;
    while k > 0 {
        if is_punct(nodes.get(k - 1), "?.") {
            k -= 1;
            continue;
        }
        let Some(w) = ident(nodes.get(k - 1)) else {
            break;
        };
        parts.push(w);
        k -= 1;
        if k > 0 && is_punct(nodes.get(k - 1), ".") {
            k -= 1;
        } else {
            break;
        }
    }
    if parts.is_empty() {
        return "an expression".into();
    }
    parts.reverse();
    let name = parts.join(".");
    if k > 0 && ident(nodes.get(k - 1)) == Some("new") {
        format!("new {name}")
    } else {
        name
    }
}

/// Checks a class at `i` (the `class` word): its `extends` expression, static blocks, static
/// field initialisers and computed member names run when the class is defined. Returns the index
/// after its body.
fn check_class(nodes: &[Node], i: usize, effects: &mut Vec<String>) -> usize {
    let mut j = i + 1;
    if ident(nodes.get(j)).is_some_and(|w| w != "extends") {
        j += 1;
    }
    if ident(nodes.get(j)) == Some("extends") {
        let from = j + 1;
        while j < nodes.len() && !is_group(nodes.get(j), "{") {
            j += 1;
        }
        check_expr(&nodes[from..j], effects);
    }
    if let Some(Node::Group { open, children, .. }) = nodes.get(j)
        && open == "{"
    {
        let body = children.as_slice();
        for (k, node) in body.iter().enumerate() {
            let member_start = k == 0
                || is_punct(body.get(k - 1), ";")
                || is_group(body.get(k - 1), "{")
                || ident(body.get(k - 1))
                    .is_some_and(|w| matches!(w, "static" | "get" | "set" | "async"));
            match node {
                Node::Group { open, children, .. } if open == "[" && member_start => {
                    check_expr(children, effects);
                }
                n if ident(Some(n)) == Some("static") => {
                    if is_group(body.get(k + 1), "{") {
                        effects.push(format!("line {}: a static block", line_of(n)));
                    } else if is_punct(body.get(k + 2), "=") {
                        let end = statement_end(body, k + 3);
                        check_expr(&body[k + 3..end], effects);
                    }
                }
                _ => {}
            }
        }
        j += 1;
    }
    j
}

/// Reports what evaluating `nodes`, an expression or a declaration's declarators, does beyond
/// making values. Function bodies are skipped.
fn check_expr(nodes: &[Node], effects: &mut Vec<String>) {
    let mut i = 0;
    while i < nodes.len() {
        let n = &nodes[i];
        let prev = i.checked_sub(1).and_then(|k| nodes.get(k));
        let next = nodes.get(i + 1);
        let after_dot = is_punct(prev, ".") || is_punct(prev, "?.");
        match ident(Some(n)) {
            Some("function") => {
                i = skip_function(nodes, i);
                continue;
            }
            Some("class") => {
                i = check_class(nodes, i, effects);
                continue;
            }
            Some("new") => {
                // `new X` without arguments still calls X.
                let mut k = i + 1;
                while ident(nodes.get(k)).is_some() && is_punct(nodes.get(k + 1), ".") {
                    k += 2;
                }
                if ident(nodes.get(k)).is_some() && !is_group(nodes.get(k + 1), "(") {
                    let name = callee_name(nodes, k + 1);
                    if !PURE_CALLS.contains(&name.as_str()) {
                        effects.push(format!("line {}: calls {name} on import", line_of(n)));
                    }
                }
            }
            Some(w @ ("await" | "yield")) if !after_dot => {
                effects.push(format!("line {}: {w} on import", line_of(n)));
            }
            Some(w) if !after_dot && ACTING_GLOBALS.contains(&w) => {
                effects.push(format!("line {}: uses {w} on import", line_of(n)));
            }
            _ => {}
        }
        if is_punct(Some(n), "=>") {
            // An arrow function's body runs when it is called.
            i += 1;
            if is_group(nodes.get(i), "{") {
                i += 1;
            } else {
                while i < nodes.len()
                    && !is_punct(nodes.get(i), ",")
                    && !is_punct(nodes.get(i), ";")
                {
                    i += 1;
                }
            }
            continue;
        }
        match n {
            Node::Group {
                open,
                children,
                line,
            } => {
                if open == "(" && is_punct(next, "=>") {
                    // An arrow function's parameters.
                    i += 1;
                    continue;
                }
                if open == "(" && is_callee(prev) {
                    if is_group(next, "{") {
                        // A method of an object literal: `name(…) {…}`.
                        i += 2;
                        continue;
                    }
                    let name = callee_name(nodes, i);
                    if !PURE_CALLS.contains(&name.as_str()) {
                        effects.push(format!("line {line}: calls {name}(…) on import"));
                    }
                }
                check_expr(children, effects);
            }
            Node::Leaf(Token {
                tok: Tok::Template,
                line,
            }) if is_callee(prev) => {
                effects.push(format!("line {line}: calls a template tag on import"));
            }
            _ => {}
        }
        i += 1;
    }
}

/// Dynamic imports `import("x")` anywhere in the module.
fn dynamic_imports(nodes: &[Node], out: &mut Vec<(String, usize)>) {
    for (k, n) in nodes.iter().enumerate() {
        if let Node::Group {
            open,
            children,
            line,
        } = n
        {
            let after_import = k > 0
                && ident(nodes.get(k - 1)) == Some("import")
                && !is_punct(k.checked_sub(2).and_then(|j| nodes.get(j)), ".");
            if open == "("
                && after_import
                && let Some(Node::Leaf(Token {
                    tok: Tok::Str(s), ..
                })) = children.first()
            {
                out.push((s.clone(), *line));
            }
            dynamic_imports(children, out);
        }
    }
}

fn analyse(src: &str) -> Result<Module, String> {
    let nodes = group(tokenize(src)?)?;
    let mut m = Module::default();
    dynamic_imports(&nodes, &mut m.imports);
    let mut i = 0;
    while i < nodes.len() {
        let n = &nodes[i];
        let next = nodes.get(i + 1);
        match ident(Some(n)) {
            Some("import") if !is_group(next, "(") && !is_punct(next, ".") => {
                let end = statement_end(&nodes, i);
                if let Some(s) = specifier(&nodes[i + 1..end]) {
                    m.imports.push((s, line_of(n)));
                }
                i = end + 1;
            }
            Some("export") => match ident(next) {
                Some("function" | "async" | "class" | "const" | "let" | "var") => i += 1,
                Some("default") => {
                    if matches!(
                        ident(nodes.get(i + 2)),
                        Some("function" | "async" | "class")
                    ) {
                        i += 2;
                    } else {
                        let end = statement_end(&nodes, i);
                        check_expr(&nodes[i + 2..end], &mut m.effects);
                        i = end + 1;
                    }
                }
                _ => {
                    // `export { … } [from "x"];` or `export * [as x] from "x";`
                    let end = statement_end(&nodes, i);
                    let rest = &nodes[i + 1..end];
                    if rest.iter().any(|n| ident(Some(n)) == Some("from"))
                        && let Some(s) = specifier(rest)
                    {
                        m.imports.push((s, line_of(n)));
                    }
                    i = end + 1;
                }
            },
            Some("async") if ident(next) == Some("function") => i += 1,
            Some("function") => i = skip_function(&nodes, i),
            Some("class") => i = check_class(&nodes, i, &mut m.effects),
            Some("const" | "let" | "var") => {
                let end = statement_end(&nodes, i);
                check_expr(&nodes[i + 1..end], &mut m.effects);
                i = end + 1;
            }
            _ if is_punct(Some(n), ";") => i += 1,
            _ => {
                let what = match n {
                    Node::Leaf(Token {
                        tok: Tok::Ident(w), ..
                    }) => format!("`{w} …`"),
                    Node::Group { open, .. } => format!("`{open}…`"),
                    Node::Leaf(t) => format!("{:?}", t.tok),
                };
                m.effects.push(format!(
                    "line {}: a statement that runs on import ({what})",
                    line_of(n)
                ));
                i = statement_end(&nodes, i) + 1;
            }
        }
    }
    Ok(m)
}

// ------------------------------------------------------------------ the module graph

/// `spec` imported by module `from` (both relative to `static/js`), as a module name.
fn resolve(from: &str, spec: &str) -> Result<String, String> {
    if !(spec.starts_with("./") || spec.starts_with("../")) {
        return Err(format!(
            "imports {spec:?}: only relative imports (./x.js) are served"
        ));
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in spec.split('/') {
        match part {
            "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!("imports {spec:?}: outside static/js"));
                }
            }
            p => parts.push(p),
        }
    }
    Ok(parts.join("/"))
}

fn is_library(name: &str) -> bool {
    name.starts_with("lib/")
}

/// Every cycle among `edges`, each once, as the modules on it with the first repeated last.
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    fn visit(
        at: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        found: &mut BTreeSet<Vec<String>>,
    ) {
        if let Some(k) = path.iter().position(|p| p == at) {
            // Start each cycle at its smallest module, so that one cycle is reported once.
            let mut cycle: Vec<String> = path[k..].to_vec();
            let min = (0..cycle.len()).min_by_key(|&j| &cycle[j]).unwrap_or(0);
            cycle.rotate_left(min);
            let first = cycle[0].clone();
            cycle.push(first);
            found.insert(cycle);
            return;
        }
        if done.contains(at) {
            return;
        }
        path.push(at.to_string());
        for to in edges.get(at).into_iter().flatten() {
            visit(to, edges, path, done, found);
        }
        path.pop();
        done.insert(at.to_string());
    }
    let mut found = BTreeSet::new();
    let mut done = BTreeSet::new();
    for start in edges.keys() {
        visit(start, edges, &mut Vec::new(), &mut done, &mut found);
    }
    found.into_iter().collect()
}

/// What is wrong with these modules (name relative to `static/js` → source), given the modules
/// the templates load.
fn problems(modules: &BTreeMap<String, String>, entries: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    for e in entries {
        if !modules.contains_key(e) {
            out.push(format!(
                "a template loads /static/js/{e}, which does not exist"
            ));
        } else if is_library(e) {
            out.push(format!(
                "a template loads the library {e}: templates load page entries only"
            ));
        }
    }
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, src) in modules {
        if !is_library(name) && !entries.contains(name) {
            out.push(format!(
                "{name}: a page entry that no template loads (libraries go in lib/)"
            ));
        }
        let m = match analyse(src) {
            Ok(m) => m,
            Err(e) => {
                out.push(format!("{name}: cannot be read: {e}"));
                continue;
            }
        };
        if is_library(name) {
            for e in &m.effects {
                out.push(format!("{name}: a library that acts on import: {e}"));
            }
        }
        let to = edges.entry(name.clone()).or_default();
        for (spec, line) in &m.imports {
            match resolve(name, spec) {
                Err(e) => out.push(format!("{name}:{line}: {e}")),
                Ok(target) if !modules.contains_key(&target) => {
                    out.push(format!(
                        "{name}:{line}: imports {spec:?}, which does not exist"
                    ));
                }
                Ok(target) => {
                    if !is_library(&target) {
                        out.push(format!("{name}:{line}: imports the page entry {target}: import a library instead"));
                    }
                    to.insert(target);
                }
            }
        }
    }
    for cycle in cycles(&edges) {
        out.push(format!("import cycle: {}", cycle.join(" → ")));
    }
    let imported: BTreeSet<&String> = edges.values().flatten().collect();
    for name in modules.keys() {
        if is_library(name) && !imported.contains(name) {
            out.push(format!("{name}: a library that no module imports"));
        }
    }
    out
}

/// The module paths (after `/static/js/`) that the template loads, or what is wrong with a tag.
fn template_scripts(html: &str) -> Vec<Result<String, String>> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<script") {
        let tag_end = rest[at..].find('>').map_or(rest.len(), |k| at + k);
        let tag = &rest[at..tag_end];
        let src = tag
            .split("src=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or("");
        out.push(match src.strip_prefix("/static/js/") {
            Some(path) if tag.contains("type=\"module\"") => Ok(path.to_string()),
            _ => Err(format!("{tag}>: scripts are modules from /static/js")),
        });
        rest = &rest[tag_end..];
    }
    out
}

fn files(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.to_string_lossy().ends_with(ext) {
            out.push(path);
        }
    }
}

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The browser modules, by name relative to `static/js` (type declarations left out).
fn load_modules() -> BTreeMap<String, String> {
    let root = crate_dir().join("static/js");
    let mut paths = Vec::new();
    files(&root, ".js", &mut paths);
    paths
        .into_iter()
        .map(|p| {
            let name = p
                .strip_prefix(&root)
                .expect("under static/js")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let src =
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (name, src)
        })
        .collect()
}

/// The modules the templates load, and what is wrong with their script tags.
fn load_entries() -> (BTreeSet<String>, Vec<String>) {
    let mut paths = Vec::new();
    files(&crate_dir().join("templates"), ".html", &mut paths);
    let mut entries = BTreeSet::new();
    let mut bad = Vec::new();
    for p in paths {
        let html = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        for script in template_scripts(&html) {
            match script {
                Ok(path) => {
                    entries.insert(path);
                }
                Err(e) => bad.push(format!("{}: {e}", p.display())),
            }
        }
    }
    (entries, bad)
}

#[test]
fn browser_modules_have_no_import_cycles_and_libraries_do_nothing_on_import() {
    let modules = load_modules();
    let (entries, mut found) = load_entries();
    if !entries.contains("app.js") {
        found.push(format!(
            "base.html should load app.js; the templates load {entries:?}"
        ));
    }
    if !modules.contains_key("lib/api.js") {
        found.push("the JSON API helper should be lib/api.js".into());
    }
    found.extend(problems(&modules, &entries));
    assert!(found.is_empty(), "browser modules:\n{}", found.join("\n"));
}

#[test]
fn the_api_helper_imports_nothing() {
    let modules = load_modules();
    let api = analyse(&modules["lib/api.js"]).expect("lib/api.js reads");
    assert!(
        api.imports.is_empty(),
        "lib/api.js imports {:?}",
        api.imports
    );
}

// ------------------------------------------------------------------ the checker itself

fn fixture(files: &[(&str, &str)]) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|(n, s)| ((*n).to_string(), (*s).to_string()))
        .collect()
}

fn entries(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| (*n).to_string()).collect()
}

#[test]
fn checker_finds_an_import_cycle() {
    let modules = fixture(&[
        ("page.js", r#"import { a } from "./lib/a.js"; a();"#),
        (
            "lib/a.js",
            r#"import { b } from "./b.js"; export function a() { b(); }"#,
        ),
        (
            "lib/b.js",
            r#"import { c } from "./sub/c.js"; export const b = () => c();"#,
        ),
        (
            "lib/sub/c.js",
            r#"import { a } from "../a.js"; export function c() { a(); }"#,
        ),
    ]);
    let found = problems(&modules, &entries(&["page.js"]));
    assert_eq!(
        found,
        ["import cycle: lib/a.js → lib/b.js → lib/sub/c.js → lib/a.js"],
        "{found:#?}"
    );

    let two = fixture(&[
        ("page.js", r#"import "./lib/a.js";"#),
        ("lib/a.js", r#"export * from "./b.js";"#),
        (
            "lib/b.js",
            r#"export function b() { return import("./a.js"); }"#,
        ),
    ]);
    let found = problems(&two, &entries(&["page.js"]));
    assert_eq!(
        found,
        ["import cycle: lib/a.js → lib/b.js → lib/a.js"],
        "{found:#?}"
    );
}

#[test]
fn checker_finds_side_effects_in_a_library() {
    let cases = [
        ("start();", "a statement that runs on import"),
        ("document.title = \"x\";", "a statement that runs on import"),
        (
            "const root = document.getElementById(\"call\");",
            "uses document",
        ),
        (
            "let timer = setInterval(() => {}, 1000);",
            "uses setInterval",
        ),
        ("export const live = connectPage();", "calls connectPage(…)"),
        (
            "const x = new LiveConnection();",
            "calls new LiveConnection(…)",
        ),
        ("const x = new Thing;", "calls new Thing"),
        ("const data = await load();", "await on import"),
        ("if (window.x) { go(); }", "a statement that runs on import"),
        (
            "(function () { go(); })();",
            "a statement that runs on import",
        ),
        ("const v = (() => 1)();", "calls an expression(…)"),
        ("export default make();", "calls make(…)"),
        ("class A { static { go(); } }", "a static block"),
        ("class A { static x = window.name; }", "uses window"),
        ("class A extends mixin(Base) {}", "calls mixin(…)"),
        ("const t = `${location.href}`;", "uses location"),
        ("const t = tag`x`;", "calls a template tag"),
        ("const o = { a: 1, b: fetch(\"/x\") };", "uses fetch"),
    ];
    for (src, want) in cases {
        let modules = fixture(&[("page.js", r#"import "./lib/x.js";"#), ("lib/x.js", src)]);
        let found = problems(&modules, &entries(&["page.js"]));
        assert!(
            !found.is_empty()
                && found
                    .iter()
                    .all(|f| f.starts_with("lib/x.js: a library that acts on import: "))
                && found.iter().any(|f| f.contains(want)),
            "{src}: {found:#?}"
        );
    }
}

#[test]
fn checker_accepts_a_library_that_only_declares() {
    let src = r#"
// A comment with document.title and setTimeout(…) in it.
/* and a block comment: start(); */
import { api, ApiError } from "../api.js";
import * as live from "./live.js";

/** @typedef {import("./live.js").CallView} CallView */

export const VERSION = 1;
const PAGES = [/^\/student\/interviews/, /^\/devices/, /[/]x\//u];
const TYPES = new Set(["hello", 'it\'s', `t${VERSION + 1}`]);
const TIME = new Intl.DateTimeFormat("en-CA", { hour: "2-digit" });
let audio = null;
const half = 10 / 2 / 1;
const pick = (x) => document.getElementById(x), other = async (y) => { await fetch(y); };
const handlers = { click() { window.alert("x"); }, get value() { return location.href; } };

export function start(root) {
  root.addEventListener("click", () => setTimeout(() => api("GET", `/x/${root.id}`), 10));
}

export async function* frames() { yield await fetch("/f"); }

export class Page extends EventTarget {
  #timer = setInterval(() => {}, 1000);
  static NAME = "page";
  static from(x) { return new Page(x); }
  constructor(root) { super(); this.root = root ?? document.body; }
  get live() { return live; }
}

export { half, PAGES as pages };
export default function main() { return new Page(document.body); }
"#;
    let modules = fixture(&[
        (
            "page.js",
            r#"import main from "./lib/call/page.js"; main();"#,
        ),
        ("lib/call/page.js", src),
        ("lib/call/live.js", "export const x = 1;"),
        (
            "lib/api.js",
            "export function api() {} export class ApiError extends Error {}",
        ),
    ]);
    let found = problems(&modules, &entries(&["page.js"]));
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn checker_keeps_entries_and_libraries_apart() {
    let modules = fixture(&[
        ("page.js", r#"import { x } from "./other.js"; x();"#),
        ("other.js", r#"export const x = () => 1;"#),
        ("stray.js", "export {};"),
        ("lib/unused.js", "export {};"),
        (
            "lib/bad.js",
            r#"import "/static/js/lib/unused.js"; import "./missing.js";"#,
        ),
    ]);
    let found = problems(
        &modules,
        &entries(&["page.js", "other.js", "lib/bad.js", "gone.js"]),
    );
    for want in [
        "a template loads /static/js/gone.js, which does not exist",
        "a template loads the library lib/bad.js",
        "stray.js: a page entry that no template loads",
        "page.js:1: imports the page entry other.js",
        "lib/bad.js:1: imports \"/static/js/lib/unused.js\": only relative imports",
        "lib/bad.js:1: imports \"./missing.js\", which does not exist",
        "lib/unused.js: a library that no module imports",
        "lib/bad.js: a library that no module imports",
    ] {
        assert!(found.iter().any(|f| f.contains(want)), "{want}: {found:#?}");
    }
    assert_eq!(found.len(), 8, "{found:#?}");

    let tags = template_scripts(
        r#"<script type="module" src="/static/js/app.js"></script><script>alert(1)</script><script src="/static/js/x.js"></script>"#,
    );
    assert_eq!(tags[0], Ok("app.js".to_string()));
    assert!(tags[1].is_err() && tags[2].is_err(), "{tags:?}");
}
