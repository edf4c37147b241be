//! Runtime figures on this machine (run: `cargo bench -p sdk-authoring-runtime`):
//! loading a cached component, one invocation with a fresh `Store` (median and p99 over
//! 10,000 calls of hello-world's `say-hello`), and throughput with every core.
//!
//! Targets: median invocation < 25 us, cached load < 1 ms.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;

use sdk_authoring_runtime::{CallContext, ContextPayload, Runtime, RuntimeConfig, Sandbox};

const CALLS: usize = 10_000;

fn hello_world_wasm() -> Vec<u8> {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let target_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-vendors");
    let status =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "build",
                "--quiet",
                "--release",
                "--target",
                "wasm32-wasip2",
                "-p",
                "hello-world",
                "--manifest-path",
            ])
            .arg(examples.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target_dir)
            .status()
            .expect("cargo runs");
    assert!(status.success());
    std::fs::read(target_dir.join("wasm32-wasip2/release/hello_world.wasm")).expect("built")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn micros(d: Duration) -> String {
    format!("{:.1} us", d.as_secs_f64() * 1e6)
}

fn main() {
    let wasm = hello_world_wasm();
    let cache = tempfile::tempdir().unwrap();
    let config = RuntimeConfig {
        cache_dir: Some(cache.path().to_path_buf()),
        ..RuntimeConfig::default()
    };
    let runtime = Runtime::new(config.clone()).unwrap();

    let started = Instant::now();
    runtime.load(&wasm).unwrap();
    let cold = started.elapsed();
    let mut loads: Vec<Duration> = (0..200)
        .map(|_| {
            let started = Instant::now();
            runtime.load(&wasm).unwrap();
            started.elapsed()
        })
        .collect();
    loads.sort();

    let vendor = runtime.load(&wasm).unwrap();
    let input = json!({ "name": "Ada" }).to_string();
    let context = serde_json::to_string(&ContextPayload::default()).unwrap();
    let call = CallContext::default();
    let tool = "hello-world:hello-world:say-hello";
    for _ in 0..500 {
        runtime
            .invoke(&vendor, tool, &input, &context, &call)
            .outcome
            .unwrap();
    }
    let mut calls: Vec<Duration> = (0..CALLS)
        .map(|_| {
            let started = Instant::now();
            let invocation = runtime.invoke(&vendor, tool, &input, &context, &call);
            let elapsed = started.elapsed();
            assert!(invocation.outcome.unwrap().success);
            elapsed
        })
        .collect();
    calls.sort();

    let sandbox = Sandbox::new(Runtime::new(config).unwrap(), &wasm).unwrap();
    let input_value = json!({ "name": "Ada" });
    let context_value = ContextPayload::default();
    let mut checked: Vec<Duration> = (0..CALLS)
        .map(|_| {
            let started = Instant::now();
            sandbox
                .call(tool, &input_value, &context_value, &call)
                .outcome
                .unwrap();
            started.elapsed()
        })
        .collect();
    checked.sort();

    let unmetered = Runtime::new(RuntimeConfig {
        fuel: None,
        ..RuntimeConfig::default()
    })
    .unwrap();
    let unmetered_vendor = unmetered.load(&wasm).unwrap();
    let mut without_fuel: Vec<Duration> = (0..CALLS)
        .map(|_| {
            let started = Instant::now();
            unmetered
                .invoke(&unmetered_vendor, tool, &input, &context, &call)
                .outcome
                .unwrap();
            started.elapsed()
        })
        .collect();
    without_fuel.sort();

    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let per_thread = CALLS;
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                for _ in 0..per_thread {
                    runtime
                        .invoke(&vendor, tool, &input, &context, &call)
                        .outcome
                        .unwrap();
                }
            });
        }
    });
    let elapsed = started.elapsed();
    let throughput = (threads * per_thread) as f64 / elapsed.as_secs_f64();

    println!("hello-world say-hello, wasm {} KiB", wasm.len() / 1024);
    println!(
        "compile (cranelift, first load):   {:.1} ms",
        cold.as_secs_f64() * 1e3
    );
    println!(
        "load from the compile cache:       median {}  p99 {}   (target < 1 ms)",
        micros(percentile(&loads, 0.5)),
        micros(percentile(&loads, 0.99))
    );
    println!(
        "invoke, fresh Store ({CALLS} calls):  median {}  p99 {}   (target median < 25 us)",
        micros(percentile(&calls, 0.5)),
        micros(percentile(&calls, 0.99))
    );
    println!(
        "  + input/output schema checks:    median {}  p99 {}",
        micros(percentile(&checked, 0.5)),
        micros(percentile(&checked, 0.99))
    );
    println!(
        "  without fuel metering:           median {}  p99 {}",
        micros(percentile(&without_fuel, 0.5)),
        micros(percentile(&without_fuel, 0.99))
    );
    println!("throughput, {threads} threads:             {throughput:.0} calls/s");
}
