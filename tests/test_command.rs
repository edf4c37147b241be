//! End-to-end tests of `integrations test` and `integrations run` on the examples and the
//! case fixtures (`tests/fixtures/README.md`).

mod common;

use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

use common::{repo_root, stderr};

fn sdk(args: &[&str]) -> Output {
    Command::cargo_bin("sdk-authoring")
        .unwrap()
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn test_level(entry: &str, extra: &[&str]) -> Output {
    let entry = repo_root().join(entry);
    let mut args = vec!["integrations", "test", "--entry", entry.to_str().unwrap()];
    args.extend_from_slice(extra);
    sdk(&args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn every_example_passes_its_sandbox_cases() {
    for (example, minimum_cases) in [("examples/hello-world", 2), ("examples/acme", 9)] {
        let output = test_level(example, &["--level", "sandbox"]);
        let text = stdout(&output);
        assert!(
            output.status.success(),
            "{example}:\n{text}\n{}",
            stderr(&output)
        );
        let summary = text.lines().last().unwrap();
        let passed: usize = summary.split(' ').next().unwrap().parse().unwrap();
        assert!(passed >= minimum_cases, "{example}: {summary}");
        assert!(summary.ends_with(" passed, 0 failed"), "{summary}");
        assert!(
            stderr(&output).contains("manifest.json equals the manifest"),
            "the bundle was verified"
        );
    }
}

#[test]
fn tool_filter_runs_only_that_tools_cases() {
    let output = test_level("examples/acme", &["--tool", "verify-webhook"]);
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    let cases: Vec<&str> = text.lines().filter(|l| l.starts_with("case ")).collect();
    assert!(!cases.is_empty());
    assert!(
        cases.iter().all(|l| l.starts_with("case verify-webhook/")),
        "{cases:?}"
    );
}

#[test]
fn static_level_checks_without_running() {
    let output = test_level("examples/hello-world", &["--level", "static"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("static checks passed; 2 case file(s) are well-formed"));
}

#[test]
fn a_failing_case_shows_expected_and_actual_and_exits_1() {
    let output = test_level("tests/fixtures/failing-case", &[]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("case echo/passes ... ok"), "{text}");
    assert!(text.contains("case echo/wrong-output ... FAILED"), "{text}");
    assert!(
        text.contains("expected: {\"text\":\"expected\"}")
            && text.contains("actual:   {\"text\":\"actual\"}"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("1 passed, 1 failed"), "{text}");
}

#[test]
fn bad_case_files_are_named_with_the_field_and_fix() {
    let output = test_level("tests/fixtures/bad-cases", &[]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    for expected in [
        "cases/echo/malformed.json: trailing comma at line 1",
        "cases/echo/missing-secret.json: secrets.SIGNING: the vendor requires this secret",
        "cases/echo/wrong-kind.json: auth.kind: \"oauth\" is not the credential this tool uses",
        "cases/shout/unknown-tool.json: tool: no tool \"shout\" in this vendor",
    ] {
        assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
    }
}

#[test]
fn run_invokes_one_tool_and_prints_its_response() {
    let entry = repo_root().join("examples/hello-world");
    let output = sdk(&[
        "integrations",
        "run",
        entry.to_str().unwrap(),
        "--tool",
        "say-hello",
        "--input",
        r#"{"name":"Ada"}"#,
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let response: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(response["success"], true);
    assert_eq!(response["output"]["message"], "Hello, Ada!");
    assert!(
        stderr(&output).contains("[info] greeting Ada"),
        "the vendor's log is shown"
    );

    let bad = sdk(&[
        "integrations",
        "run",
        entry.to_str().unwrap(),
        "--tool",
        "say-hello",
        "--input",
        r#"{"nom":"Ada"}"#,
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("the input does not fit the tool's input type"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn live_level_is_refused_clearly_until_it_exists() {
    let output = test_level("examples/hello-world", &["--level", "live"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--level live is not available"),
        "{}",
        stderr(&output)
    );
}
