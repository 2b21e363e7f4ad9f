//! The OpenAPI document is the API's contract: each schema name means one shape.

#[test]
fn no_two_schemas_share_a_name() {
    let clashes = fairhall_web::schema_clashes();
    assert!(clashes.is_empty(), "{}", clashes.join("\n"));
}
