//! Hostile vendors (`tests/fixtures/hostile`): every attack is stopped within its limit with a
//! typed error, and the same runtime runs the next call.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde_json::json;

use sdk_authoring_runtime::guard::CollectedEvents;
use sdk_authoring_runtime::{
    AllowList, CallContext, CallGuard, ContextPayload, GuardConfig, Replay, Runtime, RuntimeConfig,
    RuntimeError, Sandbox, allowed_hosts, health_check,
};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// The hostile vendor's wasm, built once (in a target directory of its own, so the flags of
/// the CLI's builds of the same fixtures never force a rebuild).
fn hostile_wasm() -> &'static [u8] {
    static WASM: OnceLock<Vec<u8>> = OnceLock::new();
    WASM.get_or_init(|| {
        let target_dir = fixtures().join("target/runtime-tests");
        let status =
            std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .args([
                    "build",
                    "--quiet",
                    "--release",
                    "--target",
                    "wasm32-wasip2",
                    "--manifest-path",
                ])
                .arg(fixtures().join("hostile/Cargo.toml"))
                .arg("--target-dir")
                .arg(&target_dir)
                .status()
                .expect("cargo runs");
        assert!(status.success(), "the hostile fixture builds");
        std::fs::read(target_dir.join("wasm32-wasip2/release/hostile.wasm"))
            .expect("the wasm exists")
    })
}

fn sandbox(config: RuntimeConfig) -> Sandbox {
    Sandbox::new(Runtime::new(config).unwrap(), hostile_wasm()).unwrap()
}

/// The sandbox level: replay (nothing recorded) behind the vendor's allow-list.
fn sandbox_http(sandbox: &Sandbox) -> CallContext {
    let hosts = allowed_hosts(sandbox.manifest(), None);
    CallContext {
        http: Arc::new(AllowList {
            hosts,
            inner: Replay::new(vec![]),
        }),
        redact: vec![],
    }
}

fn call(
    sandbox: &Sandbox,
    action: &str,
    secrets: &[(&str, &str)],
) -> sdk_authoring_runtime::Invocation {
    let context = ContextPayload {
        secrets: secrets
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..ContextPayload::default()
    };
    let input = if action == "echo" {
        json!({ "text": "still alive" })
    } else {
        json!({})
    };
    sandbox.call(
        &format!("hostile:attacks:{action}"),
        &input,
        &context,
        &sandbox_http(sandbox),
    )
}

fn assert_still_alive(sandbox: &Sandbox) {
    let response = call(sandbox, "echo", &[])
        .outcome
        .expect("the next call runs");
    assert_eq!(response.output["text"], "still alive");
}

fn limits() -> RuntimeConfig {
    RuntimeConfig {
        max_memory_bytes: 32 << 20,
        fuel: Some(200_000_000),
        timeout: Duration::from_secs(5),
        ..RuntimeConfig::default()
    }
}

#[test]
fn an_endless_loop_runs_out_of_fuel() {
    let sandbox = sandbox(limits());
    let invocation = call(&sandbox, "spin", &[]);
    assert!(
        matches!(
            invocation.outcome,
            Err(RuntimeError::FuelExhausted(200_000_000))
        ),
        "{:?}",
        invocation.outcome
    );
    assert!(invocation.duration < Duration::from_secs(5));
    assert_still_alive(&sandbox);
}

#[test]
fn an_endless_loop_without_fuel_hits_the_wall_time_limit() {
    let sandbox = sandbox(RuntimeConfig {
        fuel: None,
        timeout: Duration::from_millis(300),
        ..limits()
    });
    let invocation = call(&sandbox, "spin", &[]);
    assert!(
        matches!(invocation.outcome, Err(RuntimeError::Timeout(_))),
        "{:?}",
        invocation.outcome
    );
    assert!(
        invocation.duration < Duration::from_secs(2),
        "stopped near its deadline: {:?}",
        invocation.duration
    );
    assert_still_alive(&sandbox);
}

#[test]
fn unbounded_allocation_hits_the_memory_limit() {
    let sandbox = sandbox(limits());
    let invocation = call(&sandbox, "hog", &[]);
    assert!(
        matches!(invocation.outcome, Err(RuntimeError::MemoryLimit(_))),
        "{:?}",
        invocation.outcome
    );
    assert_still_alive(&sandbox);
}

#[test]
fn a_panic_is_reported_with_its_message() {
    let sandbox = sandbox(limits());
    match call(&sandbox, "explode", &[]).outcome {
        Err(RuntimeError::Panic { message }) => assert!(
            message.contains("kaboom: the vendor blew up on purpose"),
            "{message}"
        ),
        other => panic!("expected a panic error, got {other:?}"),
    }
    assert_still_alive(&sandbox);
}

#[test]
fn endless_recursion_overflows_the_stack() {
    let sandbox = sandbox(RuntimeConfig {
        fuel: None,
        ..limits()
    });
    let invocation = call(&sandbox, "recurse", &[]);
    assert!(
        matches!(invocation.outcome, Err(RuntimeError::StackOverflow)),
        "{:?}",
        invocation.outcome
    );
    assert_still_alive(&sandbox);
}

#[test]
fn a_host_outside_the_allow_list_is_denied() {
    let sandbox = sandbox(limits());
    let response = call(&sandbox, "exfiltrate", &[])
        .outcome
        .expect("the tool handles the error");
    assert!(!response.success);
    let error = response.error.unwrap();
    assert!(
        error.contains("request denied by the sandbox")
            && error.contains("evil.example is not a host this vendor may reach"),
        "{error}"
    );
    assert_still_alive(&sandbox);
}

#[test]
fn an_unrecorded_request_fails_and_shows_the_request() {
    let sandbox = sandbox(limits());
    let response = call(&sandbox, "unrecorded", &[])
        .outcome
        .expect("the tool handles the error");
    let error = response.error.unwrap();
    assert!(error.contains("no recorded exchange matches this request: GET https://api.hostile.example/v1/items?page=2"), "{error}");
    assert_still_alive(&sandbox);
}

#[test]
fn output_that_violates_the_output_schema_is_rejected() {
    let sandbox = sandbox(limits());
    match call(&sandbox, "lie", &[]).outcome {
        Err(RuntimeError::OutputSchema(errors)) => assert!(errors.contains("/count"), "{errors}"),
        other => panic!("expected an output schema error, got {other:?}"),
    }
    assert_still_alive(&sandbox);
}

#[test]
fn a_huge_output_is_rejected() {
    let sandbox = sandbox(RuntimeConfig {
        max_memory_bytes: 64 << 20,
        fuel: None,
        ..limits()
    });
    let invocation = call(&sandbox, "flood", &[]);
    assert!(
        matches!(
            invocation.outcome,
            Err(RuntimeError::OutputTooLarge {
                limit: 4_194_304,
                ..
            })
        ),
        "{:?}",
        invocation.outcome
    );
    assert_still_alive(&sandbox);
}

#[test]
fn secrets_never_reach_the_log() {
    let sandbox = sandbox(limits());
    let invocation = call(&sandbox, "leak", &[("TOKEN", "tok-very-secret-value")]);
    assert!(invocation.outcome.unwrap().success);
    let logs: Vec<&str> = invocation.logs.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(logs, ["the token is [REDACTED]"]);
}

#[test]
fn bad_input_is_rejected_before_the_vendor_runs() {
    let sandbox = sandbox(limits());
    let invocation = sandbox.call(
        "hostile:attacks:echo",
        &json!({ "text": 42 }),
        &ContextPayload::default(),
        &sandbox_http(&sandbox),
    );
    match invocation.outcome {
        Err(RuntimeError::InvalidInput(errors)) => assert!(errors.contains("/text"), "{errors}"),
        other => panic!("expected an input error, got {other:?}"),
    }
}

#[test]
fn the_call_guard_retries_only_retryable_failures_and_reports_telemetry() {
    let sandbox = sandbox(limits());
    let events = Arc::new(CollectedEvents::default());
    let guard = CallGuard::new(GuardConfig {
        attempts: 3,
        backoff: Duration::from_millis(5),
    })
    .with_telemetry(events.clone());
    let context = ContextPayload {
        secrets: [("TOKEN".to_owned(), "tok-1234".to_owned())].into(),
        ..ContextPayload::default()
    };
    let http = sandbox_http(&sandbox);

    let flaky = guard.call(
        &sandbox,
        "hostile:attacks:flaky",
        &json!({}),
        &context,
        &http,
    );
    assert_eq!(flaky.attempts, 3);
    assert!(flaky.invocation.outcome.unwrap().retryable);

    let panic = guard.call(
        &sandbox,
        "hostile:attacks:explode",
        &json!({}),
        &context,
        &http,
    );
    assert_eq!(panic.attempts, 1, "a trap is not retried");

    let missing = guard.call(
        &sandbox,
        "hostile:attacks:echo",
        &json!({ "text": "x" }),
        &ContextPayload::default(),
        &http,
    );
    assert_eq!(missing.attempts, 0, "a missing secret fails fast");
    assert!(
        matches!(missing.invocation.outcome, Err(RuntimeError::MissingSecret(ref keys)) if keys == "TOKEN")
    );

    let events = events.0.lock().unwrap();
    let summary: Vec<(&str, u32, &str)> = events
        .iter()
        .map(|e| (e.tool.as_str(), e.attempts, e.outcome))
        .collect();
    assert_eq!(
        summary,
        [
            ("hostile:attacks:flaky", 3, "failure"),
            ("hostile:attacks:explode", 1, "error"),
            ("hostile:attacks:echo", 0, "rejected")
        ]
    );
}

#[test]
fn health_is_a_structured_report() {
    let report = health_check(&sandbox(limits()));
    assert!(report.healthy, "{report:?}");
    assert_eq!(report.vendor, "hostile");
}

#[test]
fn no_state_survives_from_one_call_to_the_next() {
    let sandbox = sandbox(limits());
    // Enough calls to reuse pooled instance slots many times over.
    for _ in 0..200 {
        let response = call(&sandbox, "remember", &[]).outcome.unwrap();
        assert_eq!(
            response.output["count"], 1,
            "a static kept its value from an earlier call"
        );
    }
}
