//! Echoing input in messages: a name or value taken from a trace file or the command line
//! is shown with its control characters escaped and cut to a bounded length, so that an
//! error message stays one line of reasonable size whatever the input.

/// The most characters of one value an error message shows.
pub const ECHO_MAX: usize = 64;

/// Whether a character could break a one-line message or disguise it on a terminal:
/// control characters (newlines, escapes) and the invisible formatting ones (zero-width
/// spaces, bidirectional overrides, byte order mark).
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
        )
}

/// `text` for a message: control and invisible characters escaped (`\n`, `\u{1b}`), at most
/// [`ECHO_MAX`] characters, then `…` and the full length in bytes.
pub fn echo(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(ECHO_MAX * 2));
    for (n, c) in text.chars().enumerate() {
        if n == ECHO_MAX {
            out.push_str(&format!("…({} bytes)", text.len()));
            break;
        }
        if hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A whole message made safe for one line: every control or invisible character escaped,
/// and at most `max` characters (then `…`). The last line of defence for messages that
/// embed text from elsewhere (a JSON parser's, say).
pub fn one_line(message: &str, max: usize) -> String {
    let mut out = String::with_capacity(message.len().min(max + 8));
    for (n, c) in message.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        if hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_long_values_cut() {
        assert_eq!(echo("Create\nUser"), "Create\\nUser");
        assert_eq!(echo("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(echo("x\u{202E}y"), "x\\u{202e}y");
        let long = "A".repeat(1000);
        let shown = echo(&long);
        assert!(shown.starts_with(&"A".repeat(ECHO_MAX)));
        assert!(shown.ends_with("…(1000 bytes)"));
        assert_eq!(echo("plain-name"), "plain-name");
        assert_eq!(one_line("a\nb\rc", 10), "a\\nb\\rc");
        assert_eq!(one_line("abcdef", 3), "abc…");
    }
}
