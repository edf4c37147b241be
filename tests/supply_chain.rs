//! End-to-end tests of the supply-chain promises: the SBOM is CycloneDX 1.6 and lists exactly
//! the crates compiled into the wasm, bundles are byte-for-byte reproducible, and `inspect`
//! accepts every bundle `build` writes and refuses every malformed archive of a generated
//! corpus.

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

use common::{build, build_example, entry, read_bundle, repo_root, stderr};

fn cyclonedx_1_6_errors(sbom: &Value) -> Vec<String> {
    let dir = repo_root().join("tests/fixtures/cyclonedx");
    let load = |name: &str| -> Value {
        serde_json::from_slice(&std::fs::read(dir.join(name)).unwrap()).unwrap()
    };
    let registry = jsonschema::Registry::new()
        .add(
            "http://cyclonedx.org/schema/spdx.schema.json",
            jsonschema::Resource::from_contents(load("spdx.schema.json")),
        )
        .unwrap()
        .add(
            "http://cyclonedx.org/schema/jsf-0.82.schema.json",
            jsonschema::Resource::from_contents(load("jsf-0.82.schema.json")),
        )
        .unwrap()
        .prepare()
        .unwrap();
    let validator = jsonschema::options()
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&load("bom-1.6.schema.json"))
        .expect("the official schema compiles");
    validator
        .iter_errors(sbom)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

fn sbom_of(entries: &[(String, Vec<u8>)]) -> Value {
    serde_json::from_slice(entry(entries, "meta/sbom.cdx.json")).expect("the SBOM is JSON")
}

#[test]
fn sbom_of_each_example_validates_against_the_official_cyclonedx_1_6_schema() {
    for example in ["hello-world", "acme"] {
        let (_out, manifest, entries) = build_example(example);
        let sbom = sbom_of(&entries);
        let errors = cyclonedx_1_6_errors(&sbom);
        assert!(
            errors.is_empty(),
            "{example}: SBOM is not valid CycloneDX 1.6: {errors:#?}"
        );
        assert_eq!(sbom["specVersion"], "1.6");
        assert_eq!(sbom["metadata"]["component"]["name"], example);
        assert_eq!(
            sbom["metadata"]["tools"]["components"][0]["name"],
            "sdk-authoring"
        );
        assert!(
            sbom["serialNumber"]
                .as_str()
                .unwrap()
                .starts_with("urn:uuid:")
        );
        assert_eq!(manifest["vendor"]["id"], example);
        for component in sbom["components"].as_array().unwrap() {
            let (name, version) = (
                component["name"].as_str().unwrap(),
                component["version"].as_str().unwrap(),
            );
            assert_eq!(component["purl"], format!("pkg:cargo/{name}@{version}"));
            assert_eq!(component["bom-ref"], component["purl"]);
            assert!(component["licenses"].is_array(), "{name}: a license");
            if name != "sdk-authoring" {
                assert_eq!(
                    component["hashes"][0]["alg"], "SHA-256",
                    "{name}: a Cargo.lock checksum"
                );
                assert!(
                    component["externalReferences"].is_array(),
                    "{name}: a repository"
                );
            }
        }
        let refs: BTreeSet<&str> = sbom["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["ref"].as_str().unwrap())
            .collect();
        assert!(
            refs.contains(
                format!(
                    "pkg:cargo/{example}@{}",
                    manifest["version"].as_str().unwrap()
                )
                .as_str()
            )
        );
    }
}

/// `name@version` out of a cargo package id (`registry+...#serde@1.0.0`, `path+file:///x/y#1.0.0`).
fn package_key(package_id: &str) -> String {
    let (location, fragment) = package_id.rsplit_once('#').unwrap();
    match fragment.split_once('@') {
        Some((name, version)) => format!("{name}@{version}"),
        None => format!("{}@{fragment}", location.rsplit('/').next().unwrap()),
    }
}

/// The packages cargo compiles for the wasm target and for the build machine, from its own
/// artifact messages (a no-op build with the same flags `build` uses).
fn compiled_packages(manifest: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let metadata = sdk_authoring_cli::cargo::cargo_metadata(manifest).unwrap();
    let rustflags = sdk_authoring_cli::cargo::remap_path_flags(&metadata);
    let output =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "build",
                "--release",
                "--target",
                "wasm32-wasip2",
                "--message-format",
                "json",
                "--manifest-path",
            ])
            .arg(manifest)
            .arg("--config")
            .arg(format!(
                "target.wasm32-wasip2.rustflags={}",
                serde_json::to_string(&rustflags).unwrap()
            ))
            .output()
            .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let (mut wasm, mut host) = (BTreeSet::new(), BTreeSet::new());
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let message: Value = serde_json::from_str(line).unwrap();
        if message["reason"] != "compiler-artifact"
            || message["target"]["kind"]
                .to_string()
                .contains("custom-build")
        {
            continue;
        }
        let for_wasm = message["filenames"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f.as_str().unwrap().contains("/wasm32-wasip2/"));
        let key = package_key(message["package_id"].as_str().unwrap());
        if for_wasm {
            wasm.insert(key)
        } else {
            host.insert(key)
        };
    }
    (wasm, host)
}

#[test]
fn sbom_components_are_exactly_the_crates_compiled_into_the_wasm() {
    for example in ["hello-world", "acme"] {
        let (_out, _, entries) = build_example(example);
        let sbom = sbom_of(&entries);
        let scoped = |scope: &str| -> BTreeSet<String> {
            sbom["components"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["scope"] == scope)
                .map(|c| {
                    format!(
                        "{}@{}",
                        c["name"].as_str().unwrap(),
                        c["version"].as_str().unwrap()
                    )
                })
                .collect()
        };
        let vendor = &sbom["metadata"]["component"];
        let vendor_key = format!(
            "{}@{}",
            vendor["name"].as_str().unwrap(),
            vendor["version"].as_str().unwrap()
        );

        let manifest = repo_root()
            .join("examples")
            .join(example)
            .join("Cargo.toml");
        let (mut in_wasm, host) = compiled_packages(&manifest);
        assert!(
            in_wasm.remove(&vendor_key),
            "{example}: the vendor itself is compiled for wasm"
        );
        assert_eq!(
            scoped("required"),
            in_wasm,
            "{example}: required components = crates compiled for wasm32-wasip2"
        );
        let build_time: BTreeSet<String> = host.difference(&in_wasm).cloned().collect();
        assert_eq!(
            scoped("excluded"),
            build_time,
            "{example}: excluded components = crates compiled only for the build machine"
        );
    }
}

#[test]
fn bundles_are_stamped_with_source_date_epoch_and_identical_across_builds() {
    let entry_dir = repo_root().join("examples/hello-world");
    let build_at = |epoch: &str| -> (Vec<u8>, tempfile::TempDir) {
        let out = tempfile::tempdir().unwrap();
        let output = Command::cargo_bin("sdk-authoring")
            .unwrap()
            .args(["integrations", "build", "-q", "--entry"])
            .arg(&entry_dir)
            .arg("--out-dir")
            .arg(out.path())
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        (
            std::fs::read(out.path().join("hello-world-1.0.0.bundle.tar.gz")).unwrap(),
            out,
        )
    };
    let (first, out) = build_at("1700000000");
    let (second, _out2) = build_at("1700000000");
    assert!(first == second, "two builds of the same sources differ");
    let (other_epoch, _out3) = build_at("1600000000");
    assert!(
        first != other_epoch,
        "SOURCE_DATE_EPOCH is part of the bundle"
    );

    let file = std::fs::File::open(out.path().join("hello-world-1.0.0.bundle.tar.gz")).unwrap();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    for entry in archive.entries().unwrap() {
        let entry = entry.unwrap();
        assert_eq!(entry.header().mtime().unwrap(), 1_700_000_000);
        assert_eq!(entry.header().uid().unwrap(), 0);
        assert_eq!(entry.header().mode().unwrap(), 0o644);
    }
    let entries = read_bundle(&out.path().join("hello-world-1.0.0.bundle.tar.gz"));
    assert_eq!(
        sbom_of(&entries)["metadata"]["timestamp"],
        "2023-11-14T22:13:20Z"
    );
}

/// Copies the sources a build of the examples needs (no target directories).
fn copy_sources(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for item in std::fs::read_dir(from).unwrap() {
        let item = item.unwrap();
        let name = item.file_name();
        if name == "target" || name == "dist" || name == ".git" {
            continue;
        }
        let (source, destination) = (item.path(), to.join(&name));
        if item.file_type().unwrap().is_dir() {
            copy_sources(&source, &destination);
        } else {
            std::fs::copy(&source, &destination).unwrap();
        }
    }
}

/// Two checkouts at different paths, each with hello-world as a member of the workspace
/// that also holds the SDK.
///
/// Cargo hashes the absolute path of a path dependency that lies outside the workspace into
/// every symbol name of that crate (`SourceId::stable_hash`); inside the workspace it hashes
/// the relative path. A vendor depending on sdk-authoring from a registry, or from within its
/// own workspace, is therefore reproducible anywhere; `examples/` reaching `../sdk` from a
/// workspace of its own is reproducible only at the same path. This test builds the former.
#[test]
fn the_same_sources_in_different_paths_give_byte_identical_bundles() {
    let root = repo_root();
    let mut bundles = Vec::new();
    let mut checkouts = Vec::new();
    for name in ["a", "a-much-longer-checkout-path"] {
        let checkout = tempfile::tempdir().unwrap();
        let copy = checkout.path().join(name);
        for part in ["sdk", "runtime", "cli", "examples/hello-world"] {
            copy_sources(&root.join(part), &copy.join(part));
        }
        std::fs::copy(root.join("Cargo.lock"), copy.join("Cargo.lock")).unwrap();
        let workspace = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        let members = "members = [\"sdk\", \"runtime\", \"cli\"]";
        assert!(
            workspace.contains(members),
            "the root workspace lists its members on one line"
        );
        let workspace = workspace.replace(
            members,
            "members = [\"sdk\", \"runtime\", \"cli\", \"examples/hello-world\"]",
        );
        std::fs::write(copy.join("Cargo.toml"), workspace).unwrap();

        let out = copy.join("dist");
        let output = Command::cargo_bin("sdk-authoring")
            .unwrap()
            .args(["integrations", "build", "-q", "--entry"])
            .arg(copy.join("examples/hello-world"))
            .arg("--out-dir")
            .arg(&out)
            .env_remove("CARGO_TARGET_DIR")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let bundle = out.join("hello-world-1.0.0.bundle.tar.gz");
        for (path, bytes) in read_bundle(&bundle) {
            let text = String::from_utf8_lossy(&bytes);
            for machine_path in [
                checkout.path().to_str().unwrap(),
                root.to_str().unwrap(),
                env!("HOME"),
            ] {
                assert!(
                    !text.contains(machine_path),
                    "{path} contains the machine path {machine_path}"
                );
            }
        }
        bundles.push(std::fs::read(&bundle).unwrap());
        checkouts.push(checkout);
    }
    assert!(
        bundles[0] == bundles[1],
        "bundles built from different paths differ"
    );
}

#[test]
fn declared_dependencies_are_checked_against_the_compiled_crates() {
    let out = tempfile::tempdir().unwrap();
    let output = build(
        &repo_root().join("tests/fixtures/declared-dependencies"),
        &out.path().join("dist"),
        &[],
    );
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("[dependency-version] products[0].dependencies[0].version: declares serde \"0.9.15\" but the wasm has 1."), "{text}");
    assert!(
        text.contains(
            "[dependency-not-compiled] products[0].dependencies[1].package: crate \"reqwest\""
        ),
        "{text}"
    );
    assert!(
        !text.contains("dependencies[2]"),
        "a matching requirement is accepted:\n{text}"
    );
    assert!(!out.path().join("dist").exists());
}

fn inspect(bundle: &Path, json: bool) -> Output {
    let mut command = Command::cargo_bin("sdk-authoring").unwrap();
    command
        .args(["integrations", "inspect"])
        .arg(bundle)
        .env("NO_COLOR", "1");
    if json {
        command.arg("--json");
    }
    command.output().unwrap()
}

#[test]
fn inspect_accepts_and_verifies_every_bundle_build_writes() {
    for example in ["hello-world", "acme"] {
        let (out, manifest, _) = build_example(example);
        let bundle = std::fs::read_dir(out.path())
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let output = inspect(&bundle, true);
        assert!(output.status.success(), "{example}: {}", stderr(&output));
        let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(summary["vendor"], example);
        assert_eq!(summary["version"], manifest["version"]);
        assert_eq!(summary["verified"].as_array().unwrap().len(), 3);
        assert!(summary["components"].as_u64().unwrap() > 5);
        assert!(
            summary["licenses"]
                .as_object()
                .unwrap()
                .contains_key("MIT OR Apache-2.0")
        );

        let human = inspect(&bundle, false);
        let text = String::from_utf8(human.stdout).unwrap();
        assert!(
            text.contains("verified    manifest.json equals the manifest"),
            "{text}"
        );
    }
}

/// A malformed archive of the corpus: a name, the gzip bytes, and what the error must say.
struct Malformed {
    name: &'static str,
    bytes: Vec<u8>,
    expect: &'static str,
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A tar entry with a raw (unchecked) name, of any type.
fn raw_entry(
    builder: &mut tar::Builder<Vec<u8>>,
    name: &[u8],
    kind: tar::EntryType,
    data: &[u8],
    link: Option<&str>,
) {
    let mut header = tar::Header::new_gnu();
    header.as_old_mut().name[..name.len()].copy_from_slice(name);
    header.set_entry_type(kind);
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    if let Some(link) = link {
        header.set_link_name(link).unwrap();
    }
    header.set_cksum();
    builder.append(&header, data).unwrap();
}

/// Name, type, data and link target of one raw tar entry.
type RawEntry<'a> = (&'a [u8], tar::EntryType, &'a [u8], Option<&'a str>);

fn tar_of(entries: &[RawEntry]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, kind, data, link) in entries {
        raw_entry(&mut builder, name, *kind, data, *link);
    }
    builder.into_inner().unwrap()
}

/// Writes the corpus: one archive per way a bundle can be unsafe or tampered with.
fn malformed_corpus(valid: &[(String, Vec<u8>)]) -> Vec<Malformed> {
    use tar::EntryType::{Block, Char, Fifo, Link, Regular, Symlink};
    let manifest = entry(valid, "manifest.json");
    let mut corpus = vec![
        Malformed {
            name: "absolute-path",
            bytes: gzip(&tar_of(&[(b"/etc/passwd", Regular, b"x", None)])),
            expect: "absolute path",
        },
        Malformed {
            name: "dot-dot",
            bytes: gzip(&tar_of(&[(b"assets/../../evil", Regular, b"x", None)])),
            expect: "climbs out of the bundle",
        },
        Malformed {
            name: "symlink",
            bytes: gzip(&tar_of(&[(
                b"manifest.json",
                Symlink,
                b"",
                Some("/etc/shadow"),
            )])),
            expect: "symbolic link",
        },
        Malformed {
            name: "hardlink",
            bytes: gzip(&tar_of(&[(
                b"manifest.json",
                Link,
                b"",
                Some("dist/x.wasm"),
            )])),
            expect: "hard link",
        },
        Malformed {
            name: "char-device",
            bytes: gzip(&tar_of(&[(b"dist/tty", Char, b"", None)])),
            expect: "character device",
        },
        Malformed {
            name: "block-device",
            bytes: gzip(&tar_of(&[(b"dist/sda", Block, b"", None)])),
            expect: "block device",
        },
        Malformed {
            name: "fifo",
            bytes: gzip(&tar_of(&[(b"dist/pipe", Fifo, b"", None)])),
            expect: "FIFO",
        },
        Malformed {
            name: "duplicate",
            bytes: gzip(&tar_of(&[
                (b"manifest.json", Regular, manifest, None),
                (b"manifest.json", Regular, b"{}", None),
            ])),
            expect: "appears twice",
        },
        Malformed {
            name: "outside-layout",
            bytes: gzip(&tar_of(&[(b"install.sh", Regular, b"rm -rf /", None)])),
            expect: "outside the bundle layout",
        },
        Malformed {
            name: "not-gzip",
            bytes: b"PK\x03\x04 this is a zip".to_vec(),
            expect: "not a gzip-compressed tar archive",
        },
    ];

    // A member whose header claims more than the cap (the data is never read).
    let mut header = tar::Header::new_gnu();
    header.set_path("dist/huge.wasm").unwrap();
    header.set_size(sdk_authoring_cli::inspect::MAX_MEMBER_BYTES + 1);
    header.set_cksum();
    corpus.push(Malformed {
        name: "oversized-member",
        bytes: gzip(header.as_bytes()),
        expect: "over the 64 MiB cap",
    });

    // Garbage after the tar's end-of-archive blocks, inside the gzip stream.
    let mut tar = tar_of(&[(b"manifest.json", Regular, manifest, None)]);
    tar.extend_from_slice(b"#!/bin/sh smuggled payload");
    corpus.push(Malformed {
        name: "trailing-tar-data",
        bytes: gzip(&tar),
        expect: "data after the end of the tar archive",
    });

    // Garbage after the gzip stream.
    let mut bytes = gzip(&tar_of(&[(b"manifest.json", Regular, manifest, None)]));
    bytes.extend_from_slice(b"appended");
    corpus.push(Malformed {
        name: "trailing-gzip-data",
        bytes,
        expect: "trailing data after the gzip stream",
    });

    // A valid layout whose manifest.json was edited after the build: its hash no longer matches.
    let mut edited = valid.to_vec();
    let manifest_entry = edited
        .iter_mut()
        .find(|(path, _)| path == "manifest.json")
        .unwrap();
    manifest_entry.1 = String::from_utf8(manifest_entry.1.clone())
        .unwrap()
        .replace("Hello World", "Hello Wxrld")
        .into_bytes();
    corpus.push(Malformed {
        name: "tampered-manifest",
        bytes: bundle_of(&edited),
        expect: "manifest.json does not match its SHA-256",
    });

    // Edited consistently (metafile hash updated too): the wasm's own manifest still differs.
    let new_sha = sdk_authoring_cli::sha256_hex(
        &edited.iter().find(|(p, _)| p == "manifest.json").unwrap().1,
    );
    let metafile = edited
        .iter_mut()
        .find(|(path, _)| path == "meta/metafile.json")
        .unwrap();
    let mut value: Value = serde_json::from_slice(&metafile.1).unwrap();
    value["files"]["manifest.json"]["sha256"] = new_sha.into();
    metafile.1 = serde_json::to_vec(&value).unwrap();
    corpus.push(Malformed {
        name: "manifest-not-from-the-wasm",
        bytes: bundle_of(&edited),
        expect: "differs from the manifest",
    });
    corpus
}

fn bundle_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let entries = entries
        .iter()
        .map(|(path, bytes)| {
            sdk_authoring_cli::bundle::BundleEntry::new(path.clone(), bytes.clone())
        })
        .collect();
    sdk_authoring_cli::bundle::bundle_bytes(entries, 0).unwrap()
}

#[test]
fn inspect_refuses_every_malformed_archive_of_the_corpus() {
    let (_out, _, valid) = build_example("hello-world");
    let dir = tempfile::tempdir().unwrap();
    for case in malformed_corpus(&valid) {
        let path: PathBuf = dir.path().join(format!("{}.bundle.tar.gz", case.name));
        std::fs::write(&path, &case.bytes).unwrap();
        let output = inspect(&path, false);
        let text = stderr(&output);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{}: must be refused:\n{text}",
            case.name
        );
        assert!(
            text.contains(case.expect),
            "{}: expected {:?} in:\n{text}",
            case.name,
            case.expect
        );
        assert!(
            text.contains(path.to_str().unwrap()),
            "{}: the error names the file:\n{text}",
            case.name
        );
        assert!(!text.contains("panicked"), "{}: {text}", case.name);
    }
}
