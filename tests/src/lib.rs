//! Helpers for the end-to-end tests in `tests/`: the `idc` binary, built once per test
//! process, and a way to run it.
//!
//! Cargo builds an integration test's own package binaries, not other packages' ones, so
//! [`idc_bin`] runs `cargo build -p idc-sim --bin idc` (with the `cargo` that runs the
//! tests, from `$CARGO`) and uses `target/debug/idc` (honouring `CARGO_TARGET_DIR`).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives in the workspace")
        .to_path_buf()
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from) {
        Some(p) if p.is_absolute() => p,
        Some(p) => workspace().join(p),
        None => workspace().join("target"),
    }
}

/// The `idc` binary (debug profile), built on first use.
///
/// # Panics
/// If cargo can't be run or the build fails (the test can't run without the binary).
pub fn idc_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "idc-sim", "--bin", "idc"])
            .current_dir(workspace())
            .status()
            .expect("cargo can be run");
        assert!(status.success(), "cargo build -p idc-sim --bin idc failed");
        let bin = target_dir()
            .join("debug")
            .join(format!("idc{}", std::env::consts::EXE_SUFFIX));
        assert!(bin.exists(), "{} missing after the build", bin.display());
        bin
    })
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
