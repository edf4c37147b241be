//! Embeds `templates/` into the binary so `integrations init` works wherever the binary was
//! installed: one `(template, [(path, contents)])` entry per template directory.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn files(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable template dir")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            files(&path, root, out);
        } else {
            let relative = path
                .strip_prefix(root)
                .expect("under the template")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((relative, path));
        }
    }
}

fn main() {
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates");
    println!("cargo:rerun-if-changed={}", templates.display());
    let mut code = String::from("pub static TEMPLATES: &[(&str, &[(&str, &str)])] = &[\n");
    let mut dirs: Vec<_> = std::fs::read_dir(&templates)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .collect();
    dirs.sort_by_key(|e| e.file_name());
    for dir in dirs {
        let mut list = Vec::new();
        files(&dir.path(), &dir.path(), &mut list);
        writeln!(code, "    ({:?}, &[", dir.file_name().to_string_lossy()).unwrap();
        for (relative, path) in list {
            println!("cargo:rerun-if-changed={}", path.display());
            writeln!(
                code,
                "        ({relative:?}, include_str!({:?})),",
                path.canonicalize().unwrap()
            )
            .unwrap();
        }
        code.push_str("    ]),\n");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("templates.rs");
    std::fs::write(out, code).unwrap();
}
