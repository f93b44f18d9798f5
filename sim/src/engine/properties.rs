//! The properties a search judges: the model's built-in ones ([`idc_model::PROPERTIES`])
//! and the user's own, written in the query language ([`idc_model::query`]) and named on
//! the command line (`--invariant`, `--reachable`) or in a properties file.
//!
//! A property that reads the last step (`last.caller`, `last.call`, `last.refused`) is
//! judged on every *transition* (refused calls included), not only on every new state: a
//! state is reached by many steps, and the checker keeps one.

use std::borrow::Cow;

use idc_model::properties::Kind;
use idc_model::query::{Last, Query};
use idc_model::OpKind;
use idc_model::{Call, PropertyInfo, State, PROPERTIES};

/// The last step as the query language sees it: `call`, accepted or refused.
#[inline]
pub fn last_step(call: &Call, refused: bool) -> Last {
    Last {
        caller: Some(call.caller),
        op: Some(OpKind::of(&call.op)),
        refused,
    }
}

/// How a property is decided on a state.
#[derive(Clone)]
pub enum Predicate {
    /// A built-in predicate.
    Builtin(fn(&State) -> bool),
    /// A compiled user expression.
    Query(Query),
}

/// A property: its name, kind, rules, meaning and predicate.
#[derive(Clone)]
pub struct Property {
    /// The name (a built-in's stable name, or the user's).
    pub name: Cow<'static, str>,
    /// Always (an invariant) or sometimes (reachable).
    pub kind: Kind,
    /// The rule ids a built-in property stands for (none for the user's).
    pub rules: &'static [&'static str],
    /// One line: a built-in's meaning, or the user's expression.
    pub meaning: Cow<'static, str>,
    /// The ghost facts of the last step it reads ([`PropertyInfo::ghost`]): `0` for a
    /// property of the state (every user property: the query language reads no ghost
    /// fact).
    pub ghost: u16,
    /// Whether it may read the identity part of the state ([`PropertyInfo::reads_identities`]);
    /// every user property is taken to (the organization slice is for built-in ones).
    pub reads_identities: bool,
    /// The predicate.
    pub predicate: Predicate,
}

impl Property {
    /// A built-in property.
    pub fn builtin(info: &PropertyInfo) -> Property {
        Property {
            name: Cow::Borrowed(info.name),
            kind: info.kind,
            rules: info.rules,
            meaning: Cow::Borrowed(info.meaning),
            ghost: info.ghost,
            reads_identities: info.reads_identities,
            predicate: Predicate::Builtin(info.holds),
        }
    }

    /// A user property: `name`, an invariant (`always`) or reachable (`sometimes`), `query`,
    /// and what it means (its expression when not said).
    pub fn user(name: &str, kind: Kind, query: Query, description: Option<&str>) -> Property {
        Property {
            name: Cow::Owned(name.to_string()),
            kind,
            rules: &[],
            meaning: Cow::Owned(description.unwrap_or(query.text()).to_string()),
            ghost: 0,
            reads_identities: true,
            predicate: Predicate::Query(query),
        }
    }

    /// Whether the organization slice may judge it ([`idc_model::slice`]): a built-in
    /// property that reads no identity (a user property is taken to read them).
    pub fn judged_on_slice(&self) -> bool {
        self.is_builtin() && !self.reads_identities
    }

    /// Whether it is one of the model's own properties.
    pub fn is_builtin(&self) -> bool {
        matches!(self.predicate, Predicate::Builtin(_))
    }

    /// The user's expression, if it is a user property.
    pub fn expression(&self) -> Option<&str> {
        match &self.predicate {
            Predicate::Query(q) => Some(q.text()),
            Predicate::Builtin(_) => None,
        }
    }

    /// Whether it reads the last step (and so is judged on every transition).
    pub fn per_step(&self) -> bool {
        match &self.predicate {
            Predicate::Query(q) => q.uses_last(),
            Predicate::Builtin(_) => false,
        }
    }

    /// Whether it reads whether the last call was refused (the independence reduction of
    /// the explorer is then unsound: see [`idc_model::Query::uses_refused`]).
    pub fn reads_refusal(&self) -> bool {
        match &self.predicate {
            Predicate::Query(q) => q.uses_refused(),
            Predicate::Builtin(_) => false,
        }
    }

    /// Whether it names a particular member account (symmetry reduction would then be
    /// unsound: it identifies states that differ by renaming members). No built-in does.
    pub fn names_members(&self) -> bool {
        match &self.predicate {
            Predicate::Query(q) => q.names_members(),
            Predicate::Builtin(_) => false,
        }
    }

    /// Whether it names a particular user, group or permission set (renaming identities
    /// would then be unsound). No built-in does.
    pub fn names_identities(&self) -> bool {
        match &self.predicate {
            Predicate::Query(q) => q.names_identities(),
            Predicate::Builtin(_) => false,
        }
    }

    /// Whether the predicate holds in `state`, reached by the step `last`.
    #[inline]
    pub fn holds(&self, state: &State, last: &Last) -> bool {
        match &self.predicate {
            Predicate::Builtin(f) => f(state),
            Predicate::Query(q) => q.eval(state, last),
        }
    }

    /// Whether the property is *found* there: violated (`always`) or holding
    /// (`sometimes`).
    #[inline]
    pub fn found(&self, state: &State, last: &Last) -> bool {
        self.holds(state, last) != matches!(self.kind, Kind::Always)
    }
}

impl std::fmt::Debug for Property {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Property")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("expression", &self.expression())
            .finish()
    }
}

/// The properties of one search, built-in ones first, in report order.
#[derive(Clone, Debug)]
pub struct PropertySet {
    list: Vec<Property>,
}

impl Default for PropertySet {
    /// The built-in properties.
    fn default() -> PropertySet {
        PropertySet::builtin()
    }
}

impl PropertySet {
    /// The model's built-in properties.
    pub fn builtin() -> PropertySet {
        PropertySet {
            list: PROPERTIES.iter().map(Property::builtin).collect(),
        }
    }

    /// No property at all (add some with [`PropertySet::push`]).
    pub fn empty() -> PropertySet {
        PropertySet { list: Vec::new() }
    }

    /// The properties for which `keep` is true, with their indices in this set.
    pub fn subset(&self, keep: impl Fn(&Property) -> bool) -> (PropertySet, Vec<usize>) {
        let (indices, list) = self
            .list
            .iter()
            .enumerate()
            .filter(|(_, p)| keep(p))
            .map(|(i, p)| (i, p.clone()))
            .unzip();
        (PropertySet { list }, indices)
    }

    /// Adds a property; a name already used (built-in or not) is refused and given back.
    pub fn push(&mut self, property: Property) -> Result<(), Property> {
        if self.get(&property.name).is_some() {
            return Err(property);
        }
        self.list.push(property);
        Ok(())
    }

    /// The property named `name`.
    pub fn get(&self, name: &str) -> Option<&Property> {
        self.list.iter().find(|p| p.name == name)
    }

    /// The index of the property named `name`.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.list.iter().position(|p| p.name == name)
    }

    /// Every property, in report order.
    pub fn iter(&self) -> std::slice::Iter<'_, Property> {
        self.list.iter()
    }

    /// The number of properties.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Whether some property is judged per transition.
    pub fn any_per_step(&self) -> bool {
        self.list.iter().any(Property::per_step)
    }

    /// Whether some property reads whether the last call was refused.
    pub fn any_reads_refusal(&self) -> bool {
        self.list.iter().any(Property::reads_refusal)
    }

    /// The first property that names a member account (symmetry must then be off).
    pub fn naming_members(&self) -> Option<&Property> {
        self.list.iter().find(|p| p.names_members())
    }

    /// The first property that names a user, group or permission set (identities are then
    /// not renamed).
    pub fn naming_identities(&self) -> Option<&Property> {
        self.list.iter().find(|p| p.names_identities())
    }
}

impl std::ops::Index<usize> for PropertySet {
    type Output = Property;
    fn index(&self, i: usize) -> &Property {
        &self.list[i]
    }
}

impl<'a> IntoIterator for &'a PropertySet {
    type Item = &'a Property;
    type IntoIter = std::slice::Iter<'a, Property>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

/// Why a user property's name is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Empty, too long, or with a character other than letters, digits, `-` and `_`.
    #[error("'{}' is not a property name (1 to 64 letters, digits, '-' or '_', starting with a letter or digit)", idc_model::echo::echo(.0))]
    Invalid(String),
    /// The name of a built-in property.
    #[error("'{0}' is the name of a built-in property (use holds({0}) to refer to it)")]
    Builtin(&'static str),
}

/// Checks a user property's name: it names trace files (`<name>.json`) and report rows, so
/// it is a short, safe file name that no built-in property has.
pub fn check_name(name: &str) -> Result<(), NameError> {
    let valid = (1..=64).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(NameError::Invalid(name.to_string()));
    }
    if let Some(info) = idc_model::properties::property(name) {
        return Err(NameError::Builtin(info.name));
    }
    Ok(())
}
