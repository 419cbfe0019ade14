//! The lenient wrappers of src/core/decode.rs, without their `Deserialize` impls:
//! each wire format gives its own (`fmt_json.rs`: a `RawValue` per entry, as the app;
//! `fmt_js.rs`: a `JsValue` per entry). What a bad entry or field becomes is the same.

/// One entry of a list, read on its own: a bad entry keeps its reason instead of failing
/// the list.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry<T> {
    Good(T),
    Bad(String),
}

/// An optional field: absent and `null` read as absent; a value of the wrong kind drops
/// the field alone (and keeps its reason for a warning). Declare it `#[serde(default)]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Optional<T> {
    #[default]
    Absent,
    Good(T),
    Bad(String),
}

impl<T> Optional<T> {
    pub fn take(self, name: &str, warnings: &mut Vec<String>) -> Option<T> {
        match self {
            Optional::Absent => None,
            Optional::Good(value) => Some(value),
            Optional::Bad(reason) => {
                warnings.push(format!("dropped {name}: {reason}"));
                None
            }
        }
    }
}

/// The good entries of a list; each bad one becomes a warning: "dropped {what} {n}: …".
pub fn good_entries<T, U>(
    entries: Vec<Entry<T>>,
    what: &str,
    warnings: &mut Vec<String>,
    mut check: impl FnMut(T) -> Result<U, String>,
) -> Vec<U> {
    let mut good = Vec::with_capacity(entries.len());
    for (n, entry) in entries.into_iter().enumerate() {
        match entry {
            Entry::Good(value) => match check(value) {
                Ok(value) => good.push(value),
                Err(reason) => warnings.push(format!("dropped {what} {}: {reason}", n + 1)),
            },
            Entry::Bad(reason) => warnings.push(format!("dropped {what} {}: {reason}", n + 1)),
        }
    }
    good
}
