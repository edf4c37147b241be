//! End-to-end tests of `sdk-authoring integrations build`: the real binary builds the real
//! example vendors and the bad-input fixtures (`tests/fixtures/README.md`) to wasm, runs
//! them in wasmtime, and the tests read the tarballs it writes.

mod common;

use assert_cmd::Command;
use serde_json::Value;

use common::{build, build_example, entry, repo_root, stderr};

#[test]
fn hello_world_builds_a_bundle_with_the_whole_layout() {
    let (out, manifest, entries) = build_example("hello-world");
    assert!(out.path().join("hello-world-1.0.0.bundle.tar.gz").is_file());
    let paths: Vec<&str> = entries.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "assets/icon.svg",
            "dist/hello-world.wasm",
            "manifest.json",
            "meta/metafile.json",
            "meta/sbom.cdx.json"
        ]
    );

    assert_eq!(manifest["manifestVersion"], 1);
    assert_eq!(manifest["version"], "1.0.0");
    assert_eq!(manifest["vendor"]["id"], "hello-world");
    let tool = &manifest["products"][0]["capabilities"]["tools"][0];
    assert_eq!(tool["id"], "hello-world:hello-world:say-hello");
    assert_eq!(
        tool["input"]["properties"]["name"]["description"],
        "Who to greet."
    );
    assert_eq!(tool["params"]["name"]["visibility"], "user-or-llm");
    assert_eq!(
        manifest["products"][0]["block"]["tools"]["access"],
        serde_json::json!(["hello-world:hello-world:say-hello"])
    );

    // A wasm component (layer 1), not a core module, and the icon from assets/.
    let wasm = entry(&entries, "dist/hello-world.wasm");
    assert_eq!(&wasm[..8], b"\0asm\x0d\0\x01\0");
    let icon = std::fs::read(repo_root().join("examples/hello-world/assets/icon.svg")).unwrap();
    assert_eq!(entry(&entries, "assets/icon.svg"), icon.as_slice());
    assert_eq!(
        manifest["vendor"]["icon"].as_str().unwrap().as_bytes(),
        icon.as_slice()
    );
}

#[test]
fn hello_world_manifest_matches_the_published_manifest_schema() {
    let (_out, manifest, _) = build_example("hello-world");
    let schema_output = Command::cargo_bin("sdk-authoring")
        .unwrap()
        .args(["integrations", "schema"])
        .output()
        .unwrap();
    assert!(schema_output.status.success());
    let schema: Value = serde_json::from_slice(&schema_output.stdout).expect("the schema is JSON");
    let validator =
        jsonschema::validator_for(&schema).expect("the manifest schema is a valid JSON Schema");
    let errors: Vec<String> = validator
        .iter_errors(&manifest)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "manifest does not match its schema: {errors:#?}"
    );
}

#[test]
fn json_message_format_ends_with_a_machine_readable_result() {
    let out = tempfile::tempdir().unwrap();
    let output = build(
        &repo_root().join("examples/hello-world"),
        out.path(),
        &["--message-format", "json"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let last: Value =
        serde_json::from_str(stdout.lines().last().expect("some output")).expect("JSON lines");
    assert_eq!(last["reason"], "bundle-finished");
    assert_eq!(last["success"], true);
    assert_eq!(last["vendor"], "hello-world");
    assert_eq!(last["tools"], 1);
    // Every line is JSON (cargo's messages are forwarded as they are).
    for line in stdout.lines() {
        serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    }
}

#[test]
fn acme_manifest_holds_every_field_it_defines() {
    let (_out, manifest, entries) = build_example("acme");
    assert!(entries.iter().any(|(p, _)| p == "dist/acme.wasm"));
    let present = |pointer: &str| {
        let value = manifest.pointer(pointer).unwrap_or(&Value::Null);
        assert!(!value.is_null(), "acme manifest lacks {pointer}");
        value.clone()
    };
    for pointer in [
        "/vendor/description",
        "/vendor/color",
        "/vendor/website",
        "/vendor/docsUrl",
        "/vendor/categories/0",
        "/vendor/connectivity",
        "/vendor/configFields/1/key",
        "/vendor/secrets/1/key",
        "/vendor/allowedHosts/0",
        "/auth/credentials/oauth/authorizationUrl",
        "/auth/credentials/oauth/pkce",
        "/auth/credentials/oauth/supportsRefreshTokenRotation",
        "/auth/credentials/oauth/requiredConfig/0",
        "/auth/credentials/oauth/clientCredentialScopes/0",
        "/auth/credentials/oauth/extensions/systemConsent/urlTemplate",
        "/auth/credentials/oauth/extensions/systemConsent/callback/successParam",
        "/auth/credentials/apiKey/headerName",
        "/protocols/0/id",
        "/llm/provider",
    ] {
        present(pointer);
    }
    assert_eq!(manifest["vendor"]["supportsSystemMode"], true);
    assert_eq!(manifest["auth"]["credentials"]["oauth"]["type"], "oauth");
    assert_eq!(manifest["auth"]["credentials"]["apiKey"]["type"], "apiKey");
    assert_eq!(
        manifest["auth"]["credentials"]["oauth"]["extensions"]["systemConsent"]["kind"],
        "redirect-template"
    );

    let products = manifest["products"].as_array().unwrap();
    assert!(products.len() >= 3, "acme is multi-product");
    let mut visibilities = std::collections::BTreeSet::new();
    let mut sub_block_types = std::collections::BTreeSet::new();
    let mut layouts = std::collections::BTreeSet::new();
    let mut conditions = 0;
    for product in products {
        for tool in product["capabilities"]["tools"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let id = tool["id"].as_str().unwrap();
            assert!(
                id.starts_with(&format!("acme:{}:", product["id"].as_str().unwrap())),
                "{id} is qualified"
            );
            for schema in [&tool["input"], &tool["output"]] {
                assert!(
                    jsonschema::meta::is_valid(schema),
                    "{id}: schema is not valid JSON Schema: {schema}"
                );
            }
            for param in tool["params"]
                .as_object()
                .into_iter()
                .flat_map(|p| p.values())
            {
                visibilities.insert(param["visibility"].as_str().unwrap_or("").to_owned());
            }
        }
        let blocks = product["block"].as_object().into_iter().chain(
            product["capabilities"]["triggers"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_object),
        );
        for block in blocks {
            for sub_block in block
                .get("subBlocks")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                sub_block_types.insert(sub_block["type"].as_str().unwrap().to_owned());
                if let Some(layout) = sub_block["layout"].as_str() {
                    layouts.insert(layout.to_owned());
                }
                conditions += usize::from(sub_block.get("condition").is_some());
            }
        }
    }
    assert_eq!(
        visibilities,
        ["hidden", "user-only", "user-or-llm"]
            .map(String::from)
            .into()
    );
    assert_eq!(
        sub_block_types,
        [
            "code",
            "combobox",
            "dropdown",
            "long-input",
            "oauth-input",
            "short-input",
            "slider",
            "switch"
        ]
        .map(String::from)
        .into()
    );
    assert_eq!(layouts, ["full", "half"].map(String::from).into());
    assert!(conditions >= 2, "conditional subBlocks");

    let crm = &products[0];
    assert_eq!(crm["credentialRef"], "oauth");
    assert!(
        crm["block"]["tools"]["access"].as_array().unwrap().len() >= 2,
        "a dropdown selects among tools"
    );
    assert!(crm["dependencies"][0]["type"] == "cargo");
    assert_eq!(crm["systemMode"]["supported"], true);
    let trigger = &crm["capabilities"]["triggers"][0];
    assert_eq!(trigger["category"], "trigger");
    assert!(
        trigger["runtime"]["polling"]["tool"]
            .as_str()
            .unwrap()
            .starts_with("acme:acme-crm:")
    );
    assert!(trigger["runtime"]["webhook"].is_object());

    let ai = products
        .iter()
        .find(|p| p["capabilities"]["runtimes"].is_object())
        .expect("a product with runtimes");
    assert_eq!(ai["capabilities"]["runtimes"]["llm"], true);
    assert_eq!(ai["capabilities"]["runtimes"]["embedding"], true);
    assert!(ai["capabilities"]["capabilityMeta"]["embeddingModels"][0]["dimensions"].is_u64());
    assert_eq!(ai["capabilities"]["webhooks"], true);
    assert_eq!(ai["capabilities"]["discovery"], true);
}

/// Builds a fixture that must fail; returns stderr after checking the common promises:
/// exit code 1, no panic or backtrace of ours, nothing written to the out dir.
fn build_must_fail(fixture: &str) -> String {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("dist");
    let output = build(
        &repo_root().join("tests/fixtures").join(fixture),
        &out_dir,
        &[],
    );
    let text = stderr(&output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{fixture}: exit code 1 expected:\n{text}"
    );
    assert!(
        !text.contains("panicked at cli/") && !text.contains("RUST_BACKTRACE"),
        "{fixture}: our own panic:\n{text}"
    );
    assert!(
        !text.contains("wasm backtrace"),
        "{fixture}: a backtrace reached the user:\n{text}"
    );
    let written: Vec<_> = std::fs::read_dir(&out_dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    assert!(
        written.is_empty(),
        "{fixture}: a failed build wrote {written:?}"
    );
    text
}

/// The fixture's problem is reported with its code, field path and a fix.
fn assert_problem(fixture: &str, code: &str, path: &str) {
    let text = build_must_fail(fixture);
    let lib = format!("tests/fixtures/{fixture}/src/lib.rs");
    assert!(
        text.contains(&lib),
        "{fixture}: the error names {lib}:\n{text}"
    );
    let line = format!("[{code}] {path}:");
    assert!(
        text.contains(&line),
        "{fixture}: expected `{line}` in:\n{text}"
    );
    assert!(
        text.contains("= fix: "),
        "{fixture}: a fix is given:\n{text}"
    );
}

#[test]
fn bad_vendor_id_is_named_with_its_pattern() {
    assert_problem("bad-vendor-id", "vendor-id", "vendor.id");
}

#[test]
fn bad_secret_key_is_rejected() {
    assert_problem("bad-secret-key", "secret-key", "vendor.secrets[0].key");
}

#[test]
fn unknown_auth_default_lists_the_credentials() {
    assert_problem("unknown-auth-default", "unknown-credential", "auth.default");
    let text = build_must_fail("unknown-auth-default");
    assert!(text.contains("use one of: \"apiKey\""), "{text}");
}

#[test]
fn dangling_credential_ref_is_rejected() {
    assert_problem(
        "dangling-credential-ref",
        "unknown-credential",
        "products[0].credentialRef",
    );
}

#[test]
fn dangling_condition_field_names_the_siblings() {
    assert_problem(
        "dangling-condition-field",
        "unknown-condition-field",
        "products[0].block.subBlocks[1].condition.field",
    );
    let text = build_must_fail("dangling-condition-field");
    assert!(text.contains("use one of: \"mode\""), "{text}");
}

#[test]
fn unknown_tool_in_block_access_is_rejected() {
    assert_problem(
        "unknown-tool-access",
        "unknown-tool",
        "products[0].block.tools.access[1]",
    );
}

#[test]
fn duplicate_tool_ids_are_rejected() {
    assert_problem(
        "duplicate-ids",
        "duplicate-id",
        "products[0].capabilities.tools[1].id",
    );
}

#[test]
fn non_svg_icon_is_rejected() {
    assert_problem("non-svg-icon", "icon", "vendor.icon");
}

#[test]
fn full_tool_id_with_the_wrong_prefix_is_rejected() {
    assert_problem(
        "wrong-tool-prefix",
        "tool-prefix",
        "products[0].capabilities.tools[0].id",
    );
    let text = build_must_fail("wrong-tool-prefix");
    assert!(
        text.contains("the full id \"wrong-tool-prefix:p:echo\""),
        "{text}"
    );
}

#[test]
fn compile_error_shows_rustc_and_names_the_crate() {
    let text = build_must_fail("compile-error");
    assert!(
        text.contains("error[E0308]"),
        "rustc's own diagnostic is shown:\n{text}"
    );
    assert!(
        text.contains("could not compile the vendor crate at")
            && text.contains("compile-error/Cargo.toml"),
        "{text}"
    );
}

#[test]
fn library_that_is_not_a_cdylib_gets_the_crate_type_fix() {
    let text = build_must_fail("not-cdylib");
    assert!(
        text.contains("not-cdylib/Cargo.toml")
            && text.contains("crate-type = [\"cdylib\", \"rlib\"]"),
        "{text}"
    );
}

#[test]
fn panic_while_defining_the_vendor_shows_the_panic_message() {
    let text = build_must_fail("panics-in-definition");
    assert!(
        text.contains("the vendor panicked") && text.contains("icon asset missing"),
        "{text}"
    );
}

#[test]
fn entry_that_is_not_a_crate_is_a_one_line_error() {
    let text = build_must_fail("not-a-crate");
    assert!(text.contains("not-a-crate: no Cargo.toml there"), "{text}");
    assert_eq!(text.trim().lines().count(), 1, "{text}");
}

#[test]
fn usage_errors_exit_with_code_2() {
    let output = Command::cargo_bin("sdk-authoring")
        .unwrap()
        .args(["integrations", "build", "--bogus"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn example_unit_tests_pass_natively() {
    // Vendors also compile natively so authors unit-test tools with plain `cargo test`.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["test", "--workspace", "--quiet", "--manifest-path"])
        .arg(repo_root().join("examples/Cargo.toml"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "example unit tests failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        stderr(&output)
    );
}

/// A directory holding fake toolchain programs, to put first (or alone) on PATH.
#[cfg(unix)]
fn fake_programs(programs: &[(&str, &str)]) -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    for (name, script) in programs {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    dir
}

#[cfg(unix)]
#[test]
fn missing_wasm_target_without_rustup_is_a_one_line_error_with_the_fix() {
    // A toolchain whose sysroot has no wasm32-wasip2, and no rustup anywhere on PATH.
    let bin = fake_programs(&[("rustc", "echo /nonexistent/sysroot")]);
    let out = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("sdk-authoring")
        .unwrap()
        .args(["integrations", "build", "--entry"])
        .arg(repo_root().join("examples/hello-world"))
        .arg("--out-dir")
        .arg(out.path())
        .env("PATH", bin.path())
        .output()
        .unwrap();
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert_eq!(text.trim().lines().count(), 1, "one line: {text}");
    assert!(
        text.contains("rustup was not found") && text.contains("rustup target add wasm32-wasip2"),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn missing_wasm_target_is_added_through_rustup_with_a_status_line() {
    let calls = tempfile::NamedTempFile::new().unwrap();
    let bin = fake_programs(&[
        ("rustc", "echo /nonexistent/sysroot"),
        (
            "rustup",
            &format!("echo \"$@\" >> {}\nexit 3", calls.path().display()),
        ),
    ]);
    let out = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("sdk-authoring")
        .unwrap()
        .args(["integrations", "build", "--entry"])
        .arg(repo_root().join("examples/hello-world"))
        .arg("--out-dir")
        .arg(out.path())
        .env("PATH", bin.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("Installing wasm32-wasip2 target (rustup target add wasm32-wasip2)"),
        "{text}"
    );
    assert!(
        text.contains("`rustup target add wasm32-wasip2` failed"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(calls.path()).unwrap().trim(),
        "target add wasm32-wasip2"
    );
}
