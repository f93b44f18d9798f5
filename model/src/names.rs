//! The names a design gives the model's accounts (`security-tooling` for `member-1`), so that
//! reports for people speak of the user's own organization. Machine-readable outputs keep
//! the model's ids (`member-1`) and carry the names beside them.

use crate::account::{Acct, MAX_ACCOUNTS};

/// A name per account, or none (then the model's id is used alone).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountNames {
    names: [Option<String>; MAX_ACCOUNTS],
}

impl AccountNames {
    /// Names `account` (the environment's caller `aws` is never named).
    pub fn set(&mut self, account: Acct, name: &str) {
        if let Some(slot) = self.names.get_mut(usize::from(account.0)) {
            *slot = Some(name.to_string());
        }
    }

    /// The name of `account`, if the design gives one.
    pub fn get(&self, account: Acct) -> Option<&str> {
        self.names.get(usize::from(account.0))?.as_deref()
    }

    /// Whether no account is named.
    pub fn is_empty(&self) -> bool {
        self.names.iter().all(Option::is_none)
    }

    /// Every named account with its name, in account order.
    pub fn iter(&self) -> impl Iterator<Item = (Acct, &str)> {
        self.names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| Some((Acct(i as u8), n.as_deref()?)))
    }

    /// The account a design name stands for (a name, or the model's own id).
    pub fn account(&self, name: &str) -> Option<Acct> {
        self.iter()
            .find(|(_, n)| *n == name)
            .map(|(a, _)| a)
            .or_else(|| Acct::parse(name))
    }

    /// The account for people: `security-tooling (member-1)`, or `member-1` unnamed.
    pub fn label(&self, account: Acct) -> String {
        match self.get(account) {
            Some(name) => format!("{name} ({account})"),
            None => account.to_string(),
        }
    }

    /// `text` with every account id that stands as a word (`member-1`, `management`)
    /// labelled as [`AccountNames::label`] does. `management` followed by ` account` is
    /// prose ("the management account"), not an id, and stays. Unchanged without names.
    pub fn relabel(&self, text: &str) -> String {
        if self.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() + 32);
        let bytes = text.as_bytes();
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        let mut i = 0;
        while i < text.len() {
            let starts_word = i == 0 || !word(bytes[i - 1]);
            if starts_word {
                if let Some((account, len)) = id_at(&text[i..]) {
                    let end = i + len;
                    let ends_word = end == text.len() || !word(bytes[end]);
                    let prose = account.is_management() && text[end..].starts_with(" account");
                    if ends_word && !prose {
                        out.push_str(&self.label(account));
                        i = end;
                        continue;
                    }
                }
            }
            let ch = text[i..].chars().next().unwrap_or_default();
            out.push(ch);
            i += ch.len_utf8().max(1);
        }
        out
    }
}

/// The account id `text` begins with, and its length.
fn id_at(text: &str) -> Option<(Acct, usize)> {
    if text.starts_with("management") {
        return Some((Acct::MANAGEMENT, "management".len()));
    }
    let rest = text.strip_prefix("member-")?;
    let digit = *rest.as_bytes().first()?;
    let n = digit.checked_sub(b'0').filter(|n| (1..=9).contains(n))?;
    Some((Acct(n), "member-".len() + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> AccountNames {
        let mut n = AccountNames::default();
        n.set(Acct::MANAGEMENT, "org-root");
        n.set(Acct(1), "security-tooling");
        n
    }

    #[test]
    fn labels_name_the_model_account_too() {
        let n = names();
        assert_eq!(n.label(Acct(1)), "security-tooling (member-1)");
        assert_eq!(n.label(Acct(2)), "member-2");
        assert_eq!(n.account("security-tooling"), Some(Acct(1)));
        assert_eq!(n.account("member-2"), Some(Acct(2)));
        assert_eq!(n.account("nobody"), None);
    }

    #[test]
    fn relabel_changes_ids_not_prose() {
        let n = names();
        assert_eq!(
            n.relabel("delegated administrators: none -> member-1; AD directory of management"),
            "delegated administrators: none -> security-tooling (member-1); AD directory of org-root (management)"
        );
        assert_eq!(
            n.relabel("users who reach the management account: member-12 x-member-1 member-2"),
            "users who reach the management account: member-12 x-member-1 member-2"
        );
        assert_eq!(AccountNames::default().relabel("member-1"), "member-1");
    }
}
