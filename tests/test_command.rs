//! End-to-end tests of `integrations test` and `integrations run` on the examples and the
//! case fixtures (`tests/fixtures/README.md`).

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Output;
use std::sync::{Arc, Mutex};

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

/// A tiny HTTP/1.1 server on 127.0.0.1: `/items/<id>` answers JSON when the `X-Key` header is
/// the live key (401 otherwise), `/items/redirect` redirects to a host the vendor may not
/// reach. Returns the base URL and the request lines and keys it saw.
fn start_item_server(live_key: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            let mut key = String::new();
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("x-key")
                {
                    key = value.trim().to_owned();
                }
            }
            log.lock()
                .unwrap()
                .push(format!("{} key={key}", request_line.trim()));
            let path = request_line.split(' ').nth(1).unwrap_or("/").to_owned();
            let (status, extra, body) = if path == "/items/redirect" {
                (
                    "302 Found",
                    "Location: http://evil.example/steal\r\n".to_owned(),
                    String::new(),
                )
            } else if key != live_key {
                (
                    "401 Unauthorized",
                    String::new(),
                    r#"{"error":"bad key"}"#.to_owned(),
                )
            } else {
                let id = path.trim_start_matches("/items/");
                (
                    "200 OK",
                    String::new(),
                    format!(r#"{{"id":"{id}","name":"Widget {id}"}}"#),
                )
            };
            let response = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
        }
    });
    (base, seen)
}

fn copy_case(name: &str, to: &std::path::Path) {
    let from = repo_root()
        .join("tests/fixtures/loopback/tests/cases/get-item")
        .join(name);
    std::fs::create_dir_all(to.join("get-item")).unwrap();
    std::fs::copy(from, to.join("get-item").join(name)).unwrap();
}

#[test]
fn live_against_a_loopback_server_then_record_then_replay_round_trips() {
    const LIVE_KEY: &str = "live-key-7f3a9c";
    let (base, seen) = start_item_server(LIVE_KEY);
    let cases = tempfile::tempdir().unwrap();
    copy_case("widget.json", cases.path());
    let entry = repo_root().join("tests/fixtures/loopback");
    let telemetry = cases.path().join("telemetry.jsonl");
    let config = format!("baseUrl={base}");
    let live = |extra: &[&str]| {
        let mut command = Command::cargo_bin("sdk-authoring").unwrap();
        command
            .args(["integrations", "test", "--level", "live", "--entry"])
            .arg(&entry)
            .arg("--cases")
            .arg(cases.path())
            .args(["--config", &config])
            .args(extra)
            .env("NO_COLOR", "1")
            .env("SDK_AUTHORING_LOOPBACK_AUTH_APIKEY", LIVE_KEY)
            .env("SDK_AUTHORING_SECRETS_DIR", cases.path().join("no-store"));
        command.output().unwrap()
    };

    // Live: the credential comes from the environment, not the case's fake "test-key".
    let output = live(&["--telemetry", telemetry.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}\n{}",
        stdout(&output),
        stderr(&output)
    );
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        ["GET /items/w1 HTTP/1.1 key=live-key-7f3a9c"]
    );
    let events = std::fs::read_to_string(&telemetry).unwrap();
    let event: Value = serde_json::from_str(events.lines().next().unwrap()).unwrap();
    assert_eq!(event["tool"], "loopback:items:get-item");
    assert_eq!(event["attempts"], 1);
    assert_eq!(event["outcome"], "success");
    assert!(!stdout(&output).contains(LIVE_KEY) && !stderr(&output).contains(LIVE_KEY));

    // Record: the exchange and the response are written back, the live key is not.
    let output = live(&["--record"]);
    assert!(
        output.status.success(),
        "{}\n{}",
        stdout(&output),
        stderr(&output)
    );
    let recorded = std::fs::read_to_string(cases.path().join("get-item/widget.json")).unwrap();
    assert!(
        !recorded.contains(LIVE_KEY),
        "a live credential reached the recording:\n{recorded}"
    );
    let case: Value = serde_json::from_str(&recorded).unwrap();
    assert_eq!(
        case["http"][0]["request"]["url"],
        format!("{base}/items/w1")
    );
    assert_eq!(
        case["expect"]["output"],
        serde_json::json!({ "id": "w1", "name": "Widget w1" })
    );
    assert_eq!(
        case["auth"]["apiKey"], "test-key",
        "the case keeps its sandbox credential"
    );

    // Replay: no server needed, the recording answers.
    let (entry_arg, cases_arg) = (entry.to_str().unwrap(), cases.path().to_str().unwrap());
    let replay = sdk(&[
        "integrations",
        "test",
        "--level",
        "sandbox",
        "--entry",
        entry_arg,
        "--cases",
        cases_arg,
    ]);
    assert!(
        replay.status.success(),
        "{}\n{}",
        stdout(&replay),
        stderr(&replay)
    );
    assert!(stdout(&replay).contains("1 passed, 0 failed"));
    assert_eq!(
        seen.lock().unwrap().len(),
        2,
        "the replay sent nothing to the server"
    );
}

#[test]
fn live_redirects_are_rechecked_and_missing_credentials_fail_fast() {
    let (base, seen) = start_item_server("k-123456");
    let cases = tempfile::tempdir().unwrap();
    copy_case("redirected.json", cases.path());
    let entry = repo_root().join("tests/fixtures/loopback");
    let run = |key: Option<&str>| {
        let mut command = Command::cargo_bin("sdk-authoring").unwrap();
        command
            .args(["integrations", "test", "--level", "live", "--entry"])
            .arg(&entry)
            .arg("--cases")
            .arg(cases.path())
            .args(["--config", &format!("baseUrl={base}")])
            .env("SDK_AUTHORING_SECRETS_DIR", cases.path().join("no-store"))
            .env_remove("SDK_AUTHORING_LOOPBACK_AUTH_APIKEY");
        if let Some(key) = key {
            command.env("SDK_AUTHORING_LOOPBACK_AUTH_APIKEY", key);
        }
        command.output().unwrap()
    };
    let output = run(Some("k-123456"));
    assert!(
        output.status.success(),
        "{}\n{}",
        stdout(&output),
        stderr(&output)
    );
    assert_eq!(
        seen.lock().unwrap().len(),
        1,
        "the redirect target was never contacted"
    );

    let output = run(None);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    let expected = "auth.apiKey: no live value for integration:local:loopback:auth.apiKey; set SDK_AUTHORING_LOOPBACK_AUTH_APIKEY";
    assert!(text.contains(expected), "{text}");
    assert_eq!(
        seen.lock().unwrap().len(),
        1,
        "nothing was sent without a credential"
    );
}

#[test]
fn secrets_are_write_only_encrypted_and_private() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = |args: &[&str], stdin: &str| {
        Command::cargo_bin("sdk-authoring")
            .unwrap()
            .args(["integrations", "secrets"])
            .args(args)
            .env("SDK_AUTHORING_SECRETS_DIR", dir.path())
            .write_stdin(stdin)
            .output()
            .unwrap()
    };
    let value = "whsec-0b7d2c9e41";
    let set = secrets(
        &["set", "--vendor", "acme", "WEBHOOK_SIGNING_SECRET"],
        value,
    );
    assert!(set.status.success(), "{}", stderr(&set));
    assert!(
        !stdout(&set).contains(value) && !stderr(&set).contains(value),
        "the value is never echoed"
    );

    let list = secrets(&["list", "--vendor", "acme"], "");
    assert_eq!(
        stdout(&list).trim(),
        "integration:local:acme:WEBHOOK_SIGNING_SECRET"
    );

    let store = std::fs::read_to_string(dir.path().join("secrets.json")).unwrap();
    assert!(!store.contains(value), "encrypted at rest");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in ["secrets.json", "secrets.key"] {
            let mode = std::fs::metadata(dir.path().join(file))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{file}");
        }
    }

    let bad = secrets(&["set", "--vendor", "acme", "has space"], "x");
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("is not a secret key"),
        "{}",
        stderr(&bad)
    );

    let delete = secrets(
        &["delete", "--vendor", "acme", "WEBHOOK_SIGNING_SECRET"],
        "",
    );
    assert!(delete.status.success(), "{}", stderr(&delete));
    assert_eq!(
        stdout(&secrets(&["list", "--vendor", "acme"], "")).trim(),
        ""
    );
}
