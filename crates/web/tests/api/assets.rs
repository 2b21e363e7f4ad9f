//! Static files: every browser module in `static/js` (its libraries in `lib/` too) is served
//! from `/static/js/…` as JavaScript, revalidated on every use, and the pages' Content Security
//! Policy lets the browser load them (`script-src 'self'`).

use std::path::{Path, PathBuf};

use crate::helpers::{Backend, TestApp};

fn modules(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            modules(&path, out);
        } else if path.extension().is_some_and(|e| e == "js") {
            out.push(path);
        }
    }
}

#[tokio::test]
async fn every_browser_module_is_served_as_javascript_and_allowed_by_the_csp() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let c = app.client();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("static");
    let mut files = Vec::new();
    modules(&root.join("js"), &mut files);
    assert!(
        files.iter().any(|p| p.ends_with("js/lib/call/peers.js")),
        "modules in nested folders are found: {files:?}"
    );
    for path in files {
        let url = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let r = c.get(&format!("/static/{url}")).await;
        assert_eq!(r.status(), 200, "{url}");
        assert_eq!(
            r.headers()["content-type"],
            "text/javascript; charset=utf-8",
            "{url}"
        );
        assert_eq!(r.headers()["cache-control"], "no-cache", "{url}");
        assert_eq!(
            r.bytes().await.unwrap(),
            std::fs::read(&path).unwrap(),
            "{url}"
        );
    }

    let page = c.get("/login").await;
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"<script type="module" src="/static/js/app.js">"#));
    assert!(html.contains(r#"<script type="module" src="/static/js/login.js">"#));
}
