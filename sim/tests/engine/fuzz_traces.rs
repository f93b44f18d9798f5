//! A fuzzer for trace files: the scenarios of `docs/scenarios/`, mutated byte by byte
//! (flips, insertions, deletions, truncations, repeated slices, swapped quotes), are given
//! to the trace reader. Whatever the bytes, it returns a trace or an error — never a
//! panic — every error is one line of bounded length, and every trace it accepts is written
//! back and read again unchanged.
//!
//! CI runs a bounded number of cases (`PROPTEST_CASES`, default 10,000, a few seconds
//! in a debug build); for a longer campaign:
//! `PROPTEST_CASES=200000 cargo test --release -p idc-sim --test engine -- fuzz_traces::`.

use std::path::PathBuf;

use idc_sim::format::trace::{parse, read_from, to_json};
use proptest::prelude::*;

fn seeds() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

/// One mutation of a byte string.
#[derive(Clone, Debug)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    Truncate(usize),
    Repeat(usize, usize, usize),
    Byte(usize, u8),
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let n = bytes.len().max(1);
    match *m {
        Mutation::Flip(i, bit) => {
            if let Some(b) = bytes.get_mut(i % n) {
                *b ^= 1 << (bit % 8);
            }
        }
        Mutation::Insert(i, b) => bytes.insert((i % n).min(bytes.len()), b),
        Mutation::Delete(i, len) => {
            let start = (i % n).min(bytes.len());
            let end = (start + len % 16).min(bytes.len());
            bytes.drain(start..end);
        }
        Mutation::Truncate(i) => bytes.truncate(i % n),
        Mutation::Repeat(i, len, times) => {
            let start = (i % n).min(bytes.len());
            let end = (start + len % 64).min(bytes.len());
            let slice = bytes[start..end].to_vec();
            for _ in 0..times % 4 {
                bytes.splice(end..end, slice.iter().copied());
            }
        }
        Mutation::Byte(i, pick) => {
            // Bytes that matter to JSON and to the reader.
            const SPECIAL: &[u8] = b"{}[]\":,\\\n\t\x00\x1bnul-0123456789e.";
            if let Some(b) = bytes.get_mut(i % n) {
                *b = SPECIAL[pick as usize % SPECIAL.len()];
            }
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(i, l)| Mutation::Delete(i, l)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<usize>(), any::<usize>())
            .prop_map(|(i, l, t)| Mutation::Repeat(i, l, t)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Byte(i, b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(10_000),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_trace_files_never_panic_and_errors_stay_one_line(
        seed in 0usize..64,
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        let seeds = seeds();
        let mut bytes = seeds[seed % seeds.len()].clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        match read_from(&bytes[..], "fuzz.json") {
            Ok(trace) => {
                let text = to_json(&trace);
                let again = parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
                prop_assert_eq!(again, trace);
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(!msg.contains('\n') && !msg.contains('\r'), "{msg:?}");
                prop_assert!(msg.len() < 2000, "{} bytes", msg.len());
                prop_assert!(msg.starts_with("fuzz.json: "), "{msg}");
            }
        }
    }
}
