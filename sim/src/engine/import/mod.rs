//! `idc import`'s mapping: an organization as AWS's read-only calls describe it (read by
//! `crate::format::aws`) to a design file's text (docs/designs.md), under the
//! abstraction docs/import.md states. Pure: no file is read or written here.
//!
//! * Accounts with a distinct role keep their own model account: the management account,
//!   the delegate, the owners of AD directories, suspended (or closing) accounts, and
//!   every account assigned to an identity that reaches the management account. The other
//!   active members are interchangeable: at most [`REPRESENTATIVES`] model members stand
//!   for them.
//! * The identities that matter are those that reach the management account (assigned to
//!   it, or members of a group assigned to it), with the permission sets of their
//!   assignments and those provisioned in the management account.
//! * More than the model holds is refused ([`ImportError::TooLarge`]), never cut; files
//!   that contradict each other or AWS are refused ([`ImportError::Mismatch`]).
//!
//! `org` holds what the calls say, `plan` chooses the model accounts and identities,
//! `render` writes the design.

mod org;
mod plan;
mod render;

pub use org::{
    Account, Assignment, Directory, ImportError, Organization, Principal, Source, Status,
};
pub use plan::{MAX_IDENTITIES, MAX_MEMBERS, REPRESENTATIVES};

/// The design file's text for `org` with `source` as its identity source. The same
/// organization gives the same text, whatever the order of the files' lists.
pub fn design(org: &Organization, source: &Source) -> Result<String, ImportError> {
    let plan = plan::plan(org, source)?;
    Ok(render::render(&plan, source))
}
