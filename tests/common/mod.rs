//! Helpers shared by the end-to-end tests in `tests/`: running the `idc` binary and
//! scratch directories. `main.rs` declares it; each test file uses `crate::common`.

pub mod schema;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("sim lives in the workspace")
        .to_path_buf()
}

/// The `idc` binary, which cargo builds before it runs these tests.
pub fn idc_bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_idc"))
}

/// Runs `idc` with `args` from the workspace root and returns its output.
pub fn idc<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(idc_bin())
        .args(args)
        .current_dir(workspace())
        .output()
        .expect("idc can be run")
}

/// The exit code (`-1` when killed by a signal).
pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// Stdout as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh, empty directory under the system's temporary directory, unique to this call
/// (process id, a counter, and `name`).
pub fn scratch_dir(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("idc-e2e-{}-{n}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the temporary directory is writable");
    dir
}

/// Stdout parsed as one JSON document.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is one JSON document: {e}: {}", stderr(out)))
}

/// Runs `idc` with `args` and parses its stdout as one JSON document.
pub fn json_of(args: &[&str]) -> serde_json::Value {
    let out = idc(args);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stderr(&out)))
}

/// The entry for `name` in a report's `properties` list.
pub fn property<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["properties"]
        .as_array()
        .expect("the report lists properties")
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("property {name} reported"))
}

/// The schemas of `docs/schema/`, read once.
pub fn schemas() -> &'static schema::Schemas {
    static SCHEMAS: std::sync::OnceLock<schema::Schemas> = std::sync::OnceLock::new();
    SCHEMAS.get_or_init(|| schema::Schemas::load(&workspace().join("docs/schema")))
}

/// Asserts that `doc` fits `docs/schema/<schema>`.
pub fn assert_valid(schema: &str, doc: &serde_json::Value) {
    let errors = schemas().errors(schema, doc);
    assert!(errors.is_empty(), "{schema}: {errors:#?}");
}

/// Writes `text` to `dir/name` and returns the path as text (for an argument list).
pub fn write_file(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("the scratch directory is writable");
    path.display().to_string()
}
