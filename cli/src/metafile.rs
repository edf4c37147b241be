//! `meta/metafile.json`: the analog of esbuild's metafile. `inputs` is the crate graph,
//! `outputs` the wasm with its size, SHA-256 and the bytes of code each crate contributes,
//! `files` the size and SHA-256 of every other file in the bundle.
//!
//! Attribution is exact per function: every function body in the component's core modules is
//! assigned to the crate its (demangled) name in the wasm `name` section starts with. A wasm
//! without a name section (profile `strip = true`) gets `method: "none"` and no per-crate
//! figures, rather than a guess; `strip = "debuginfo"` keeps the names.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use wasmparser::{Encoding, KnownCustom, Name, Parser, Payload, TypeRef};

use crate::sbom::{CrateGraph, Scope};

/// The functions of one core module: code size and name, by function index.
#[derive(Debug, Default)]
struct CoreModule {
    imported_functions: u32,
    bodies: Vec<u32>,
    names: BTreeMap<u32, String>,
}

/// Code bytes of the component's core modules, by the name of each defined function
/// (`None` for functions the name section does not name).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CodeSizes {
    pub functions: Vec<(Option<String>, u32)>,
    pub has_names: bool,
}

/// Reads function body sizes and names from a component (or a core module).
pub fn code_sizes(wasm: &[u8]) -> Result<CodeSizes, wasmparser::BinaryReaderError> {
    let mut stack: Vec<Option<CoreModule>> = Vec::new();
    let mut sizes = CodeSizes::default();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload? {
            Payload::Version { encoding, .. } => {
                stack.push((encoding == Encoding::Module).then(CoreModule::default));
            }
            Payload::ImportSection(reader) => {
                if let Some(Some(module)) = stack.last_mut() {
                    for import in reader.into_imports() {
                        if matches!(import?.ty, TypeRef::Func(_)) {
                            module.imported_functions += 1;
                        }
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                if let Some(Some(module)) = stack.last_mut() {
                    module.bodies.push(body.range().len() as u32);
                }
            }
            Payload::CustomSection(section) => {
                if let (Some(Some(module)), KnownCustom::Name(reader)) =
                    (stack.last_mut(), section.as_known())
                {
                    for name in reader {
                        if let Name::Function(map) = name? {
                            for naming in map {
                                let naming = naming?;
                                module.names.insert(naming.index, naming.name.to_owned());
                            }
                        }
                    }
                }
            }
            Payload::End(_) => {
                if let Some(Some(module)) = stack.pop() {
                    sizes.has_names |= !module.names.is_empty();
                    for (i, size) in module.bodies.iter().enumerate() {
                        let index = module.imported_functions + i as u32;
                        sizes
                            .functions
                            .push((module.names.get(&index).cloned(), *size));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(sizes)
}

/// The crate (library name as in symbols, e.g. `serde_json`) a function belongs to: the
/// first path segment of its demangled name, or of the implementing type in
/// `<Type as Trait>::method`, falling back to the trait's crate for `<T as Trait>`.
pub fn crate_of_symbol(symbol: &str) -> Option<String> {
    let demangled = format!("{:#}", rustc_demangle::demangle(symbol));
    let mut rest = demangled.as_str();
    loop {
        let trimmed = rest
            .trim_start_matches(['<', '&', '[', '(', '*', ' '])
            .trim_start_matches("mut ")
            .trim_start_matches("const ")
            .trim_start_matches("dyn ");
        if trimmed.len() == rest.len() {
            break;
        }
        rest = trimmed;
    }
    let segment: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if !segment.is_empty() && rest[segment.len()..].starts_with("::") {
        return Some(segment);
    }
    // `<T as core::fmt::Debug>::fmt`: attribute generic impls to the trait's crate.
    demangled
        .split_once(" as ")
        .and_then(|(_, after)| crate_of_symbol(after.trim_start_matches(['<', '&'])))
}

/// Plain C identifiers (`dlmalloc`, `__wasilibc_init_stdio`, `memcpy`): the C runtime the
/// `wasm32-wasip2` target links (wasi-libc, compiler-builtins), or C code of a `-sys` crate.
fn is_c_symbol(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with("_ZN")
        && !name.starts_with("_R")
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

const C_RUNTIME: &str = "rust:c-runtime";

/// Crates of the Rust toolchain that appear in symbols without being cargo packages.
const TOOLCHAIN_CRATES: [&str; 6] = [
    "std",
    "core",
    "alloc",
    "panic_abort",
    "compiler_builtins",
    "dlmalloc",
];

/// The metafile document for a bundle.
pub fn metafile_json(
    graph: &CrateGraph,
    wasm_path: &str,
    wasm: &[u8],
    wasm_sha256: &str,
    files: &[(String, Vec<u8>)],
) -> Value {
    let all = std::iter::once(&graph.root).chain(&graph.crates);
    let key_of: BTreeMap<&str, String> = all.clone().map(|c| (c.id.as_str(), c.key())).collect();
    let mut inputs = serde_json::Map::new();
    for krate in all.clone() {
        let imports: Vec<Value> = krate
            .depends_on
            .iter()
            .filter_map(|id| key_of.get(id.as_str()))
            .map(|key| json!({ "path": key }))
            .collect();
        inputs.insert(
            krate.key(),
            json!({
                "kind": if krate.id == graph.root.id { "vendor" } else { "crate" },
                "scope": if krate.scope == Scope::Required { "required" } else { "excluded" },
                "license": krate.license,
                "imports": imports,
            }),
        );
    }

    // Symbol crate name -> input key (only crates compiled into the wasm can own code).
    let mut owner: BTreeMap<String, String> = all
        .filter(|c| c.scope == Scope::Required)
        .map(|c| (c.lib_name.clone(), c.key()))
        .collect();
    for toolchain in TOOLCHAIN_CRATES {
        owner
            .entry(toolchain.to_owned())
            .or_insert_with(|| format!("rust:{toolchain}"));
    }

    let mut output_inputs: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let attribution = match code_sizes(wasm) {
        Ok(sizes) if sizes.has_names => {
            let mut unattributed = (0u64, 0u64);
            let mut code_bytes = 0u64;
            for (name, size) in &sizes.functions {
                code_bytes += u64::from(*size);
                let key = name
                    .as_deref()
                    .and_then(|name| match crate_of_symbol(name) {
                        Some(krate) => owner.get(&krate).cloned(),
                        None if is_c_symbol(name) => Some(C_RUNTIME.to_owned()),
                        None => None,
                    });
                let slot = match key {
                    Some(key) => output_inputs.entry(key).or_default(),
                    None => &mut unattributed,
                };
                slot.0 += u64::from(*size);
                slot.1 += 1;
            }
            for (key, _) in output_inputs
                .iter()
                .filter(|(key, _)| key.starts_with("rust:"))
            {
                let description = if key == C_RUNTIME {
                    "C functions: wasi-libc, dlmalloc and compiler-builtins linked by the wasm32-wasip2 target, or C code of -sys crates"
                } else {
                    "the Rust standard library of the toolchain"
                };
                inputs.insert(
                    key.clone(),
                    json!({ "kind": "toolchain", "scope": "required", "description": description, "imports": [] }),
                );
            }
            json!({
                "method": "name-section",
                "description": "function body bytes, each assigned to the crate its demangled name starts with",
                "codeBytes": code_bytes,
                "unattributedBytes": unattributed.0,
                "unattributedFunctions": unattributed.1,
            })
        }
        Ok(sizes) => {
            json!({
                "method": "none",
                "description": "the wasm has no name section (profile strip = true), so code cannot be attributed to crates; use strip = \"debuginfo\" to keep function names",
                "codeBytes": sizes.functions.iter().map(|(_, s)| u64::from(*s)).sum::<u64>(),
            })
        }
        Err(error) => {
            json!({ "method": "none", "description": format!("the wasm could not be parsed: {error}") })
        }
    };
    let per_input: serde_json::Map<String, Value> = output_inputs
        .into_iter()
        .map(|(key, (bytes, functions))| {
            (
                key,
                json!({ "bytesInOutput": bytes, "functions": functions }),
            )
        })
        .collect();

    let files: serde_json::Map<String, Value> = files
        .iter()
        .map(|(path, bytes)| {
            (
                path.clone(),
                json!({ "bytes": bytes.len(), "sha256": crate::sha256_hex(bytes) }),
            )
        })
        .collect();
    json!({
        "inputs": inputs,
        "outputs": {
            wasm_path: {
                "bytes": wasm.len(),
                "sha256": wasm_sha256,
                "entryPoint": graph.root.key(),
                "attribution": attribution,
                "inputs": per_input,
            }
        },
        "files": files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_belong_to_their_crate() {
        assert_eq!(
            crate_of_symbol("serde_json::de::from_str").as_deref(),
            Some("serde_json")
        );
        assert_eq!(
            crate_of_symbol("_ZN10serde_json2de8from_str17h0123456789abcdefE").as_deref(),
            Some("serde_json")
        );
        assert_eq!(
            crate_of_symbol("<serde_json::value::Value as core::fmt::Display>::fmt").as_deref(),
            Some("serde_json")
        );
        assert_eq!(
            crate_of_symbol("<&T as core::fmt::Debug>::fmt").as_deref(),
            Some("core")
        );
        assert_eq!(
            crate_of_symbol("<alloc::vec::Vec<T,A> as core::ops::drop::Drop>::drop").as_deref(),
            Some("alloc")
        );
        assert_eq!(crate_of_symbol("memcpy"), None);
        assert!(is_c_symbol("__wasilibc_init_stdio"));
        assert!(!is_c_symbol("_ZN4core3fmt5write17h0123456789abcdefE"));
    }

    #[test]
    fn a_core_module_without_names_has_sizes_only() {
        // (module (func) (func nop))
        let wasm = [
            0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 3, 2, 0, 0, 10, 8, 2, 2, 0, 11, 3,
            0, 1, 11,
        ];
        let sizes = code_sizes(&wasm).unwrap();
        assert!(!sizes.has_names);
        assert_eq!(sizes.functions, vec![(None, 2), (None, 3)]);
    }
}
