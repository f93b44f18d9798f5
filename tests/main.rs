//! The end-to-end tests: the `idc` binary as a user runs it, and its JSON API in process.
//!
//! One test binary (`e2e`, declared in `sim/Cargo.toml` so that cargo builds `idc` first
//! and sets `CARGO_BIN_EXE_idc`), one module per file of `tests/`; `common/` holds the
//! helpers they share. A file of `tests/` that is not a module here would never compile,
//! let alone run: [`every_test_file_is_a_module`] fails on it.
//!
//! Run one file's tests with `cargo test --test e2e -- traces::`.

mod common;

mod bad_inputs;
mod cli_check;
mod cli_whatif;
mod compare;
mod designs;
mod explorer;
mod explorer_design;
mod explorer_from;
mod export;
mod export_awscli;
mod import;
mod layout;
mod queries;
mod recover_design;
mod robustness;
mod scenarios;
mod state;
mod traces;

/// Every test file runs. Each `.rs` file beside a test binary's `main.rs` is one of its
/// modules only if `main.rs` says `mod` for it: here (`tests/`), in the engine's tests
/// (`sim/tests/engine/`) and in the model's guard tests (`model/tests/guards/`). And
/// `sim/tests/` holds no loose file: cargo would make it a test binary of its own, with
/// a link of its own, when it belongs in `engine/` (see docs/testing.md).
#[test]
fn every_test_file_is_a_module() {
    let root = common::workspace();
    for dir in ["tests", "sim/tests/engine", "model/tests/guards"] {
        let main = std::fs::read_to_string(root.join(dir).join("main.rs"))
            .unwrap_or_else(|e| panic!("{dir}/main.rs: {e}"));
        let declared: Vec<&str> = main
            .lines()
            .filter_map(|l| l.trim().strip_prefix("mod ")?.strip_suffix(';'))
            .collect();
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_str().unwrap().to_string();
            let module = if path.extension().is_some_and(|x| x == "rs") {
                name != "main"
            } else {
                path.join("mod.rs").is_file()
            };
            if module {
                assert!(
                    declared.contains(&name.as_str()),
                    "{} is not a module of {dir}/main.rs: it never runs",
                    path.display()
                );
            }
        }
    }
    for entry in std::fs::read_dir(root.join("sim/tests")).unwrap() {
        let path = entry.unwrap().path();
        assert!(
            path.extension().is_none_or(|x| x != "rs"),
            "{} is a test binary of its own: make it a module of sim/tests/engine/",
            path.display()
        );
    }
}
