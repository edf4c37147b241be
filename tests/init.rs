//! End-to-end tests of `integrations init`: every template, as generated, builds and passes
//! `test --level sandbox`; bad requests write nothing.

mod common;

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

use common::{repo_root, stderr};

fn sdk(args: &[&str], cwd: &Path) -> Output {
    Command::cargo_bin("sdk-authoring")
        .unwrap()
        .args(args)
        .current_dir(cwd)
        // One target directory for every generated crate: they share the SDK and its
        // dependencies, so only the first build compiles them.
        .env(
            "CARGO_TARGET_DIR",
            repo_root().join("target/template-tests"),
        )
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn templates() -> Vec<String> {
    let output = sdk(&["integrations", "init", "--list"], &repo_root());
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_owned())
        .collect()
}

#[test]
fn list_shows_every_template_with_a_line_each() {
    let names = templates();
    assert_eq!(
        names,
        [
            "api-key",
            "basic-auth",
            "bot-token",
            "llm",
            "multi-product",
            "none",
            "oauth",
            "trigger"
        ]
    );
}

#[test]
fn every_template_builds_and_passes_its_sandbox_cases_as_generated() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for template in templates() {
        let name = format!("demo-{template}");
        let init = sdk(
            &["integrations", "init", &name, "--template", &template],
            dir.path(),
        );
        assert!(init.status.success(), "init {template}: {}", stderr(&init));
        let crate_dir = dir.path().join(&name);
        for file in [
            "Cargo.toml",
            "src/lib.rs",
            "assets/icon.svg",
            "README.md",
            ".gitignore",
        ] {
            assert!(
                crate_dir.join(file).is_file(),
                "{template}: {file} was written"
            );
        }
        let readme = std::fs::read_to_string(crate_dir.join("README.md")).unwrap();
        assert!(
            readme.contains("sdk-authoring integrations build")
                && readme.contains("sdk-authoring integrations test"),
            "{template}: README says how to build and test"
        );
        assert!(
            !readme.contains("{{")
                && !std::fs::read_to_string(crate_dir.join("src/lib.rs"))
                    .unwrap()
                    .contains("{{"),
            "{template}: placeholders replaced"
        );

        let build = sdk(&["integrations", "build", "-q"], &crate_dir);
        if !build.status.success() {
            failures.push(format!("build {template}:\n{}", stderr(&build)));
            continue;
        }
        assert!(
            crate_dir
                .join(format!("dist/{name}-0.1.0.bundle.tar.gz"))
                .is_file()
        );
        let test = sdk(
            &["integrations", "test", "--level", "sandbox", "-q"],
            &crate_dir,
        );
        let summary = String::from_utf8_lossy(&test.stdout)
            .lines()
            .last()
            .unwrap_or_default()
            .to_owned();
        if !test.status.success()
            || !summary.ends_with(" passed, 0 failed")
            || summary.starts_with("0 passed")
        {
            failures.push(format!(
                "test {template}: {summary}\n{}\n{}",
                String::from_utf8_lossy(&test.stdout),
                stderr(&test)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Runs a failing `init` and checks that nothing changed in `dir`.
fn init_must_fail(dir: &Path, args: &[&str]) -> String {
    let before: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let mut all = vec!["integrations", "init"];
    all.extend_from_slice(args);
    let output = sdk(&all, dir);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let after: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before, after, "a failed init wrote something");
    stderr(&output)
}

#[test]
fn bad_requests_are_clear_errors_that_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let text = init_must_fail(dir.path(), &["My_Vendor"]);
    assert!(
        text.contains("\"My_Vendor\" is not a vendor id") && text.contains("try \"my-vendor\""),
        "{text}"
    );

    let text = init_must_fail(dir.path(), &["my-vendor", "--template", "graphql"]);
    assert!(
        text.contains("no template \"graphql\"; choose one of: api-key"),
        "{text}"
    );

    std::fs::create_dir(dir.path().join("taken")).unwrap();
    std::fs::write(dir.path().join("taken/notes.txt"), "mine").unwrap();
    let text = init_must_fail(dir.path(), &["taken"]);
    assert!(
        text.contains("taken exists and is not empty") && text.contains("--force"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path().join("taken")).unwrap().count(),
        1
    );

    let forced = sdk(&["integrations", "init", "taken", "--force"], dir.path());
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(
        dir.path().join("taken/notes.txt").is_file()
            && dir.path().join("taken/src/lib.rs").is_file()
    );
}
