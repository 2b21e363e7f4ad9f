//! One headless Chromium per `Browser`, each with its own chromedriver, profile and temp folder,
//! started with the flags found to work on these machines (see shared BROWSER-TESTS notes).

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

pub struct Browser {
    pub client: Client,
    pub base: String,
    driver: Child,
    _dir: tempfile::TempDir,
}

impl Drop for Browser {
    /// Kills chromedriver and every Chromium process it started: they share the process group
    /// chromedriver leads, and killing only chromedriver would leave the browsers running.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Browser {
    /// A browser of `width`×`height` CSS pixels pointed at `base`.
    pub async fn start(base: &str, width: u32, height: u32) -> Browser {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .process_group(0)
            .env("TMPDIR", dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver must be installed (apt-get install chromium-driver)");
        // chromedriver is an external process: wait until it accepts connections.
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = dir.path().join("profile");
        let args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--use-fake-device-for-media-stream".into(),
            "--use-fake-ui-for-media-stream".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--no-first-run".into(),
            "--disable-quic".into(),
            "--allow-loopback-in-peer-connection".into(),
            "--disable-features=WebRtcHideLocalIpsWithMdns".into(),
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1".into(),
            format!("--user-data-dir={}", profile.display()),
            format!("--window-size={width},{height}"),
        ];
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": "/usr/bin/chromium", "args": args }),
        );
        // Several TLS back ends are linked in; the WebDriver connection is plain HTTP anyway.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = ClientBuilder::rustls()
            .unwrap()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a chromedriver session");
        client.goto("about:blank").await.unwrap();
        Browser {
            client,
            base: base.to_string(),
            driver,
            _dir: dir,
        }
    }

    pub async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{}", self.base, path))
            .await
            .unwrap();
    }

    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        el.clear().await.unwrap();
        el.send_keys(text).await.unwrap();
    }

    /// Clicks an element after scrolling it to the middle of the screen, so fixed bars (the
    /// phone layout's tab bar) never cover it.
    /// An element still sliding in (a banner's animation) may be covered for a moment: the
    /// click is retried for up to 2 s while something else would receive it, or while the page
    /// is being replaced by a live reload.
    pub async fn click(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            let el = self.find(css).await;
            self.client
                .execute(
                    "arguments[0].scrollIntoView({block: 'center'});",
                    vec![serde_json::to_value(&el).unwrap()],
                )
                .await
                .unwrap();
            match el.click().await {
                Ok(_) => return,
                Err(e)
                    if Instant::now() < deadline
                        && ["Intercepted", "Stale", "NotInteractable"]
                            .iter()
                            .any(|k| format!("{e:?}").contains(k)) =>
                {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("clicking {css} failed: {e}"),
            }
        }
    }

    /// Ticks the checkbox inside the label that contains `text`.
    pub async fn check_label(&self, text: &str) {
        let xpath =
            format!("//label[contains(normalize-space(.), '{text}')]//input[@type='checkbox']");
        let el = self
            .client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no checkbox labelled {text}: {e}"));
        if el.prop("checked").await.unwrap().as_deref() != Some("true") {
            el.click().await.unwrap();
        }
    }

    /// The body's visible text. Read by script, so a page that is being replaced
    /// (a form post in flight) reads as empty instead of failing on a stale element.
    pub async fn page_text(&self) -> String {
        match self
            .client
            .execute(
                "return document.body ? document.body.innerText : '';",
                vec![],
            )
            .await
        {
            Ok(value) => value.as_str().unwrap_or_default().to_owned(),
            Err(_) => String::new(),
        }
    }

    /// Waits until the page's text contains `needle`.
    pub async fn wait_for_text(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = self.page_text().await;
            if text.contains(needle) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the page never showed {needle:?}; it shows:\n{text}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sets a form field's value by script: for `type=month` inputs, whose typing differs
    /// between locales.
    pub async fn set_value(&self, css: &str, value: &str) {
        self.find(css).await;
        self.client
            .execute(
                "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
                 el.dispatchEvent(new Event('input', {bubbles: true}));",
                vec![json!(css), json!(value)],
            )
            .await
            .unwrap();
    }

    /// Chooses the option whose text is `label` in a `<select>`.
    pub async fn select(&self, css: &str, label: &str) {
        self.find(css)
            .await
            .select_by_label(label)
            .await
            .unwrap_or_else(|e| panic!("no option {label} in {css}: {e}"));
    }

    /// The current path and query.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// Waits until the current URL's path and query contain `needle`.
    pub async fn wait_for_path(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let path = self.path().await;
            if path.contains(needle) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the URL never held {needle:?}: {path}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn sign_in(&self, email: &str, password: &str) {
        self.goto("/login?tab=password").await;
        self.fill("#password-form input[name=email]", email).await;
        self.fill("#password-form input[name=password]", password)
            .await;
        self.click("#password-form button[type=submit]").await;
        self.find("body.layout-console, body.layout-phone").await;
    }

    pub async fn sign_out(&self) {
        self.click("form[action='/logout'] button").await;
        self.find("#password-form, #phone-form").await;
    }
}
