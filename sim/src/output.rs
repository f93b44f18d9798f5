//! The only place that writes to stdout and stderr. Every write is checked: a closed pipe
//! on stdout (`idc check | head`) ends the output silently, keeping the command's own exit
//! code; any other failure to write stdout, or to write an informational line on stderr,
//! is exit 3; an error line that can't be written leaves the error's own exit code. Nothing
//! here panics (Rust's `print!` macros would, on `/dev/full`).

use std::io::{self, IsTerminal, Write};

use idc_model::echo::one_line;

use crate::exit::Failure;

/// The longest line `idc` writes on stderr.
const MAX_LINE: usize = 2000;

/// Writes `text` to stdout: `Ok` also when the reader went away (a closed pipe), a
/// [`Failure::Write`] when stdout can't be written.
pub fn out(text: &str) -> Result<(), Failure> {
    out_with(|o| o.write_all(text.as_bytes()))
}

/// Runs `write` against stdout, with [`out`]'s policy for its errors.
pub fn out_with(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Failure> {
    let mut o = io::stdout().lock();
    match write(&mut o).and_then(|()| o.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::write(format!("cannot write to stdout: {e}"))),
    }
}

/// One JSON document on stdout.
pub fn json(value: &impl serde::Serialize) -> Result<(), Failure> {
    match serde_json::to_string_pretty(value) {
        Ok(text) => out(&(text + "\n")),
        Err(e) => Err(Failure::write(format!("cannot encode JSON: {e}"))),
    }
}

fn line(text: &str) -> io::Result<()> {
    let mut e = io::stderr().lock();
    writeln!(e, "idc: {}", one_line(text, MAX_LINE))?;
    e.flush()
}

/// An error on stderr, one line (`idc: ...`). If stderr can't be written the error's own
/// exit code still tells.
pub fn error(message: impl std::fmt::Display) {
    let _ = line(&message.to_string());
}

/// Says why a command failed (its one line, if it has one) and returns its exit code: the
/// one place a [`Failure`] is printed.
pub fn failure(failure: &Failure) -> u8 {
    if let Some(message) = failure.message() {
        error(message);
    }
    failure.code()
}

/// Clap's own error message, whole and as it is (several lines), on stderr; best effort
/// (the usage error's exit code tells if it can't be written).
pub fn clap_error(text: &str) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// An informational line on stderr (`idc: wrote 3 trace files to out/`): a
/// [`Failure::Stderr`] when it can't be written.
pub fn note(message: impl std::fmt::Display) -> Result<(), Failure> {
    line(&message.to_string()).map_err(|_| Failure::Stderr)
}

/// Where progress lines go: a terminal gets one line rewritten in place; `--progress` on
/// a non-terminal stderr gets a plain line every few seconds; otherwise nothing.
pub struct Progress {
    terminal: bool,
    last: Option<std::time::Instant>,
    broken: bool,
    shown: bool,
}

impl Progress {
    /// Progress for a run whose output is JSON (`json`) or not, forced by `--progress`.
    pub fn new(json: bool, forced: bool) -> Option<Progress> {
        let terminal = io::stderr().is_terminal();
        // A terminal that cannot take control codes (TERM=dumb) gets plain lines.
        let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        ((terminal && !json) || forced).then_some(Progress {
            terminal: terminal && !json && !dumb,
            last: None,
            broken: false,
            shown: false,
        })
    }

    /// Shows one progress line (best effort: a stderr that fails stops the progress, not
    /// the run).
    pub fn show(&mut self, text: &str) {
        if self.broken {
            return;
        }
        let now = std::time::Instant::now();
        let every = if self.terminal { 0.2 } else { 2.0 };
        if self
            .last
            .is_some_and(|t| now.duration_since(t).as_secs_f64() < every)
        {
            return;
        }
        self.last = Some(now);
        let mut e = io::stderr().lock();
        let written = if self.terminal {
            write!(e, "\r\x1b[2K  {text}")
        } else {
            writeln!(e, "idc: {text}")
        };
        self.shown = true;
        if written.and_then(|()| e.flush()).is_err() {
            self.broken = true;
        }
    }

    /// Erases the terminal's progress line.
    pub fn done(&mut self) {
        if self.terminal && self.shown && !self.broken {
            let mut e = io::stderr().lock();
            let _ = write!(e, "\r\x1b[2K").and_then(|()| e.flush());
        }
    }
}
