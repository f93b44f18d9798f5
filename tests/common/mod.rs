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
