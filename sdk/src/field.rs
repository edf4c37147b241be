//! Literal-friendly field values for the `define_*!` macros.
//!
//! The macros expand `name: value` pairs to a struct literal whose every value goes through
//! [`IntoField`], so an author writes `name: "Acme"` for a `String`, `description: "..."` for
//! an `Option<String>`, `scopes: ["read", "write"]` for a `Vec<String>` and
//! `options: [("Create", "create")]` for dropdown options, and omits every field that keeps
//! its default. Unknown field names are ordinary rustc errors that name the field.

use indexmap::IndexMap;
use serde_json::Value;

use crate::capability::{Capability, Runtimes};
use crate::model::{Condition, PortDef, SelectOption};

/// The marker of plain conversions (see [`crate::tool::FnMarker`] for the other kind).
pub struct Plain;

/// Converts an authoring literal into the type of a model field.
pub trait IntoField<T, M = Plain> {
    fn into_field(self) -> T;
}

impl<T> IntoField<T> for T {
    fn into_field(self) -> T {
        self
    }
}

impl<T> IntoField<Option<T>> for T {
    fn into_field(self) -> Option<T> {
        Some(self)
    }
}

impl IntoField<String> for &str {
    fn into_field(self) -> String {
        self.to_owned()
    }
}

impl IntoField<Option<String>> for &str {
    fn into_field(self) -> Option<String> {
        Some(self.to_owned())
    }
}

impl<T, U: IntoField<T>, const N: usize> IntoField<Vec<T>> for [U; N] {
    fn into_field(self) -> Vec<T> {
        self.into_iter().map(IntoField::into_field).collect()
    }
}

impl<T, U: IntoField<T> + Clone> IntoField<Vec<T>> for &[U] {
    fn into_field(self) -> Vec<T> {
        self.iter().cloned().map(IntoField::into_field).collect()
    }
}

impl<V, U: IntoField<V>, const N: usize> IntoField<IndexMap<String, V>> for [(&str, U); N] {
    fn into_field(self) -> IndexMap<String, V> {
        self.into_iter()
            .map(|(key, value)| (key.to_owned(), value.into_field()))
            .collect()
    }
}

macro_rules! number_fields {
    ($($number:ty),*) => {$(
        impl IntoField<Option<f64>> for $number {
            fn into_field(self) -> Option<f64> {
                Some(self as f64)
            }
        }
        impl IntoField<Option<Value>> for $number {
            fn into_field(self) -> Option<Value> {
                Some(Value::from(self))
            }
        }
    )*};
}
number_fields!(i32, i64, u32, u64);

impl IntoField<Option<Value>> for f64 {
    fn into_field(self) -> Option<Value> {
        Some(Value::from(self))
    }
}

impl IntoField<Option<Value>> for &str {
    fn into_field(self) -> Option<Value> {
        Some(Value::from(self))
    }
}

impl IntoField<Option<Value>> for bool {
    fn into_field(self) -> Option<Value> {
        Some(Value::from(self))
    }
}

/// `("Label", "id")`.
impl IntoField<SelectOption> for (&str, &str) {
    fn into_field(self) -> SelectOption {
        SelectOption {
            label: self.0.to_owned(),
            id: self.1.to_owned(),
        }
    }
}

/// `("field", "value")`.
impl IntoField<Option<Condition>> for (&str, &str) {
    fn into_field(self) -> Option<Condition> {
        Some(Condition {
            field: self.0.to_owned(),
            value: self.1.to_owned(),
        })
    }
}

/// `"string"`: a port with a type only.
impl IntoField<PortDef> for &str {
    fn into_field(self) -> PortDef {
        PortDef {
            kind: self.to_owned(),
            description: None,
        }
    }
}

/// `("string", "description")`.
impl IntoField<PortDef> for (&str, &str) {
    fn into_field(self) -> PortDef {
        PortDef {
            kind: self.0.to_owned(),
            description: Some(self.1.to_owned()),
        }
    }
}

/// `[define_capability_llm! { .. }, ..]`.
impl<const N: usize> IntoField<Runtimes> for [Capability; N] {
    fn into_field(self) -> Runtimes {
        Runtimes::from_capabilities(self.into())
    }
}

/// Builds any model struct from `field: value` pairs, every other field at its default.
///
/// ```
/// use sdk_authoring::{def, ConfigField};
///
/// let field = def!(ConfigField {
///     key: "baseUrl",
///     label: "Base URL",
///     kind: "url",
///     required: true,
/// });
/// assert_eq!(field.kind.as_deref(), Some("url"));
/// assert_eq!(field.placeholder, None);
/// ```
#[macro_export]
macro_rules! def {
    ($($segment:ident)::+ { $($field:ident : $value:expr),* $(,)? }) => {
        $crate::def!(@[$($segment)::+] { $($field : $value),* })
    };
    (@[$($ty:tt)*] { $($field:ident : $value:expr),* $(,)? }) => {{
        #[allow(clippy::needless_update)]
        let value = $($ty)* {
            $($field: $crate::IntoField::into_field($value),)*
            ..::core::default::Default::default()
        };
        value
    }};
}
