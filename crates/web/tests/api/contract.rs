//! The OpenAPI document is the API's contract: each schema name means one shape, parameters are
//! where the document says, every error response says what it means, and what the server
//! answers is documented.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::Client;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn document() -> Value {
    serde_json::to_value(fairhall_web::openapi_document()).unwrap()
}

/// Every operation: method, path and the operation object.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                all.push((method.to_string(), path.clone(), op.clone()));
            }
        }
    }
    assert!(all.len() > 100, "{} operations", all.len());
    all
}

/// The names in a path template, `{id}` and the like.
fn template_names(path: &str) -> BTreeSet<String> {
    path.split('{')
        .skip(1)
        .map(|p| p.split('}').next().unwrap().to_string())
        .collect()
}

fn parameters(op: &Value, place: &str) -> BTreeSet<String> {
    op["parameters"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter(|p| p["in"] == place)
                .map(|p| p["name"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn documents(op: &Value, status: &str) -> bool {
    op["responses"].get(status).is_some()
}

#[test]
fn no_two_schemas_share_a_name() {
    let clashes = fairhall_web::schema_clashes();
    assert!(clashes.is_empty(), "{}", clashes.join("\n"));
}

#[test]
fn path_parameters_are_the_paths_own_and_the_others_are_in_the_query() {
    for (method, path, op) in operations(&document()) {
        assert_eq!(
            parameters(&op, "path"),
            template_names(&path),
            "{method} {path}"
        );
        for p in op["parameters"].as_array().into_iter().flatten() {
            assert!(
                p["in"] == "path" || p["in"] == "query",
                "{method} {path}: {p}"
            );
        }
    }
}

#[test]
fn every_error_response_says_what_it_means() {
    let doc = document();
    let shared = doc["components"]["responses"].as_object().unwrap();
    for (name, r) in shared {
        assert!(
            !r["description"].as_str().unwrap_or("").is_empty(),
            "{name}"
        );
    }
    for (method, path, op) in operations(&doc) {
        let errors = op["responses"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(s, _)| s.as_str() >= "400");
        for (status, r) in errors {
            match r["$ref"].as_str() {
                Some(to) => {
                    let name = to.strip_prefix("#/components/responses/").unwrap();
                    assert!(shared.contains_key(name), "{method} {path} {status}: {to}");
                }
                None => assert!(
                    !r["description"].as_str().unwrap_or("").is_empty(),
                    "{method} {path} {status} has no description"
                ),
            }
        }
    }
}

#[test]
fn operations_document_the_refusals_of_what_they_read() {
    for (method, path, op) in operations(&document()) {
        if op.get("requestBody").is_some() {
            for status in ["413", "415", "422"] {
                assert!(
                    documents(&op, status),
                    "{method} {path} reads a body but lacks {status}"
                );
            }
        }
        let typed = op["parameters"].as_array().into_iter().flatten().any(|p| {
            let t = &p["schema"]["type"];
            t == "integer"
                || t.as_array()
                    .is_some_and(|ts| ts.contains(&json!("integer")))
        });
        if typed {
            assert!(
                documents(&op, "422"),
                "{method} {path} has a typed parameter but lacks 422"
            );
        }
    }
}

/// Sends `method` to `path` (each path parameter `1`), with `{}` as the body of operations that
/// read JSON.
async fn call(c: &Client, method: &str, path: &str, op: &Value) -> reqwest::Response {
    let url = c.url(
        &template_names(path)
            .iter()
            .fold(path.to_string(), |p, name| {
                p.replace(&format!("{{{name}}}"), "1")
            }),
    );
    let mut req = c.http.request(method.to_uppercase().parse().unwrap(), url);
    if op["requestBody"]["content"]
        .get("application/json")
        .is_some()
    {
        req = req.json(&json!({}));
    } else if op.get("requestBody").is_some() {
        req = req.multipart(reqwest::multipart::Form::new().text("x", "y"));
    }
    if let Some(t) = &c.csrf {
        req = req.header("x-csrf-token", t);
    }
    req.send().await.unwrap()
}

both_backends! {
    /// A visitor without a session calls every operation: what it is answered is documented,
    /// so every operation that needs a session documents 401, and every error is JSON.
    async fn every_operation_answers_a_visitor_as_documented(app) {
        let c = app.client();
        let mut wrong = Vec::new();
        let mut signed_in_only = 0;
        for (method, path, op) in operations(&document()) {
            let r = call(&c, &method, &path, &op).await;
            let status = r.status().as_u16();
            if status == 401 {
                signed_in_only += 1;
            }
            if !documents(&op, &status.to_string()) {
                wrong.push(format!("{method} {path} answers {status}, undocumented"));
            }
            if status >= 400 {
                let body: Value = r.json().await.unwrap_or(Value::Null);
                if !body["code"].is_string() {
                    wrong.push(format!("{method} {path} answers {status} without a JSON error"));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        assert!(signed_in_only > 90, "{signed_in_only} operations need a session");
    }

    /// Each role calls every operation (on ids that are not there, with empty bodies): what it
    /// is answered is documented, and every error is JSON.
    async fn every_operation_answers_each_role_as_documented(app) {
        use fairhall_domain::account::Role;
        let mut clients = vec![("student", app.student("13800000021").await)];
        for (who, role) in [("staff", Role::OrganizerStaff), ("employer", Role::EmployerAdmin),
                            ("interviewer", Role::Interviewer), ("admin", Role::PlatformAdmin)] {
            clients.push((who, app.signed_in(role, &format!("{who}@example.cn")).await));
        }
        let mut wrong = Vec::new();
        for (who, c) in &clients {
            for (method, path, op) in operations(&document()) {
                if path == "/api/v1/auth/logout" {
                    continue; // the client keeps its session for the next operations
                }
                let r = call(c, &method, &path, &op).await;
                let status = r.status().as_u16();
                if !documents(&op, &status.to_string()) {
                    wrong.push(format!("{who}: {method} {path} answers {status}, undocumented"));
                }
                if status >= 400 {
                    let body: Value = r.json().await.unwrap_or(Value::Null);
                    if !body["code"].is_string() {
                        wrong.push(format!("{who}: {method} {path} answers {status} without a JSON error"));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
