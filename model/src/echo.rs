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

/// The most characters of a file's path a message shows.
pub const PATH_MAX: usize = 400;

/// A file's path for a message: control and invisible characters escaped, whole when it
/// has at most [`PATH_MAX`] characters. A longer one keeps its last components, cut at a
/// `/` (`…/dir/file.json`), never inside a name; a single name longer than that is cut
/// at a word boundary (`-`, `_`, `.`, space) where it has one.
pub fn echo_path(path: &str) -> String {
    let mut escaped = String::with_capacity(path.len());
    for c in path.chars() {
        if hidden(c) {
            escaped.extend(c.escape_default());
        } else {
            escaped.push(c);
        }
    }
    let chars: Vec<char> = escaped.chars().collect();
    if chars.len() <= PATH_MAX {
        return escaped;
    }
    // The tail that fits, starting at a separator.
    let tail = &chars[chars.len() - (PATH_MAX - 1)..];
    if let Some(slash) = tail.iter().position(|&c| c == '/') {
        return format!("…{}", tail[slash..].iter().collect::<String>());
    }
    // One name longer than PATH_MAX: its beginning, cut after a word.
    let head = &chars[..PATH_MAX - 1];
    let cut = head
        .iter()
        .rposition(|c| matches!(c, '-' | '_' | '.' | ' ' | '/'))
        .filter(|&i| i >= PATH_MAX / 2)
        .map_or(head.len(), |i| i + 1);
    format!("{}…", head[..cut].iter().collect::<String>())
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
    fn long_paths_are_cut_between_names() {
        assert_eq!(echo_path("traces/a\nb.json"), "traces/a\\nb.json");
        let name = "a-long-descriptive-name-of-a-trace-file-".repeat(3) + "here.json";
        let long = format!("{}/{name}", "dir/".repeat(200));
        let shown = echo_path(&long);
        assert!(shown.chars().count() <= PATH_MAX, "{shown}");
        assert!(shown.starts_with("…/dir/"), "{shown}");
        assert!(shown.ends_with(&format!("/{name}")), "{shown}");
        let one = "word-".repeat(100);
        let shown = echo_path(&one);
        assert!(shown.ends_with("word-…"), "{shown}");
    }

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
