//! Splitting a query's text into tokens, each with its 1-based character columns.
//!
//! Identifiers are runs of ASCII letters, digits and `-` (so `member-1`, `in-org` and
//! `permission-sets` are one token each); `ds-data:` and `ds:` followed by a letter join
//! across the colon (`ds-data:CreateUser`, `ds:ResetUserPassword`), no other identifier
//! does. Whitespace separates tokens and is otherwise insignificant. A character that
//! starts no token is a [`Tok::Bad`] token: the parser reports it with what it expected
//! there.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    /// A name, a keyword or an operation name.
    Ident,
    /// `(`.
    LParen,
    /// `)`.
    RParen,
    /// `,`.
    Comma,
    /// `:`.
    Colon,
    /// `.`.
    Dot,
    /// `==`.
    EqEq,
    /// `!=`.
    NotEq,
    /// `!`.
    Bang,
    /// `&&`.
    AndAnd,
    /// `||`.
    OrOr,
    /// `=>`.
    Implies,
    /// A character (or `->`) that starts no token.
    Bad,
    /// The end of the input.
    End,
}

/// A token: its kind, its text and where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    /// What it is.
    pub tok: Tok,
    /// Its text (empty at the end of the input).
    pub text: &'a str,
    /// The 1-based character column of its first character (of the end of the input: the
    /// number of characters plus one).
    pub col: usize,
    /// The column just after its last character.
    pub end: usize,
}

fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

/// The tokens of `text`, the last one [`Tok::End`].
pub(crate) fn lex(text: &str) -> Vec<Token<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let next = at(i + 1);
        let (tok, len) = match c {
            '(' => (Tok::LParen, 1),
            ')' => (Tok::RParen, 1),
            ',' => (Tok::Comma, 1),
            ':' => (Tok::Colon, 1),
            '.' => (Tok::Dot, 1),
            '=' if next == Some('=') => (Tok::EqEq, 2),
            '=' if next == Some('>') => (Tok::Implies, 2),
            '!' if next == Some('=') => (Tok::NotEq, 2),
            '!' => (Tok::Bang, 1),
            '&' if next == Some('&') => (Tok::AndAnd, 2),
            '|' if next == Some('|') => (Tok::OrOr, 2),
            '-' if next == Some('>') => (Tok::Bad, 2),
            c if c.is_ascii_alphanumeric() => {
                let mut j = i;
                while at(j).is_some_and(ident_char) {
                    j += 1;
                }
                // `ds-data:Name` and `ds:Name` are one token (operation names).
                let word = &text[byte(i)..byte(j)];
                if (word == "ds-data" || word == "ds")
                    && at(j) == Some(':')
                    && at(j + 1).is_some_and(|c| c.is_ascii_alphabetic())
                {
                    j += 1;
                    while at(j).is_some_and(ident_char) {
                        j += 1;
                    }
                }
                (Tok::Ident, j - i)
            }
            _ => (Tok::Bad, 1),
        };
        i += len;
        out.push(Token {
            tok,
            text: &text[byte(start)..byte(i)],
            col: start + 1,
            end: i + 1,
        });
    }
    out.push(Token {
        tok: Tok::End,
        text: "",
        col: chars.len() + 1,
        end: chars.len() + 1,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Tok, &str, usize)> {
        lex(text).iter().map(|t| (t.tok, t.text, t.col)).collect()
    }

    #[test]
    fn identifiers_hold_hyphens_and_digits() {
        assert_eq!(
            kinds("in-org(member-1)"),
            vec![
                (Tok::Ident, "in-org", 1),
                (Tok::LParen, "(", 7),
                (Tok::Ident, "member-1", 8),
                (Tok::RParen, ")", 16),
                (Tok::End, "", 17),
            ]
        );
    }

    #[test]
    fn only_directory_prefixes_join_across_a_colon() {
        assert_eq!(
            kinds("ds-data:CreateUser ds:ResetUserPassword accounts:x ds:")[..4],
            [
                (Tok::Ident, "ds-data:CreateUser", 1),
                (Tok::Ident, "ds:ResetUserPassword", 20),
                (Tok::Ident, "accounts", 41),
                (Tok::Colon, ":", 49),
            ]
        );
        assert_eq!(
            kinds("ds:")[..2],
            [(Tok::Ident, "ds", 1), (Tok::Colon, ":", 3)]
        );
    }

    #[test]
    fn operators_and_bad_characters() {
        let toks: Vec<Tok> = lex("== != ! && || => = & | -> @ é")
            .iter()
            .map(|t| t.tok)
            .collect();
        use Tok::*;
        assert_eq!(
            toks,
            vec![EqEq, NotEq, Bang, AndAnd, OrOr, Implies, Bad, Bad, Bad, Bad, Bad, Bad, End]
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let t = lex("é é x");
        assert_eq!(t[2].col, 5);
        assert_eq!(t[3].col, 6);
    }
}
