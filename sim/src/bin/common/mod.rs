//! What the benchmarks share (included by `idc-bench` and `idc-bench-stateright` with
//! `#[path]`; not a binary of its own).

/// The process's peak resident memory in kilobytes (`VmHWM` of `/proc/self/status`), 0
/// where that can't be read.
pub fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
