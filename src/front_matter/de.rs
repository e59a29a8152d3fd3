//! serde reads cuenta's types straight from the front matter's [`Tree`]:
//! every error is typed (never a library's text) and carries the span of
//! the node it is about. An error inside a list item or on an unknown key
//! names that node, so that [`super::parse`] can read again without it and
//! report every independent error of a file in one run. Spanish names of
//! keys and values ([`super::aliases`]) are read as their English ones.

use super::aliases::canonical;
use super::tree::{key_text, Tree, TreeKind};
use super::value::{Number, Value};
use super::Problem;
use crate::diagnostics::{Shape, Span};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use std::collections::HashSet;
use std::fmt;

/// A typed error, where it is, and the node to leave out when reading again.
#[derive(Debug)]
pub(super) struct Error {
    pub(super) span: Option<Span>,
    pub(super) problem: Problem,
    pub(super) skip: Option<usize>,
    /// A missing field in a mapping with a skipped unknown key: most likely
    /// that key misspelt, already reported.
    pub(super) consequence: bool,
}

impl Error {
    fn new(problem: Problem) -> Self {
        Error { span: None, problem, skip: None, consequence: false }
    }
    /// Places an error that has no place yet at `span`.
    fn at(mut self, span: Span) -> Self {
        self.span.get_or_insert(span);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.problem)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(Problem::Custom(msg.to_string()))
    }
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Error::new(Problem::UnknownField { field: field.to_string(), expected: names(expected) })
    }
    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Error::new(Problem::UnknownVariant { value: variant.to_string(), expected: names(expected) })
    }
    fn missing_field(field: &'static str) -> Self {
        Error::new(Problem::MissingField { field: field.to_string() })
    }
    fn invalid_type(unexp: de::Unexpected, _: &dyn de::Expected) -> Self {
        Error::new(Problem::WrongType { expected: None, found: shape_of(&unexp) })
    }
    fn invalid_value(unexp: de::Unexpected, _: &dyn de::Expected) -> Self {
        Error::new(Problem::WrongType { expected: None, found: shape_of(&unexp) })
    }
}

fn names(expected: &[&str]) -> Vec<String> {
    expected.iter().map(|s| s.to_string()).collect()
}

fn shape_of(unexp: &de::Unexpected) -> Shape {
    use de::Unexpected as U;
    match unexp {
        U::Bool(_) => Shape::YesNo,
        U::Unsigned(_) | U::Signed(_) | U::Float(_) => Shape::Number,
        U::Seq => Shape::List,
        U::Map => Shape::Mapping,
        U::Unit | U::Option => Shape::Empty,
        _ => Shape::Text,
    }
}

/// Reads one node; `skipped` are nodes left out after an earlier error.
#[derive(Clone, Copy)]
pub(super) struct De<'a> {
    pub(super) node: &'a Tree,
    pub(super) skipped: &'a HashSet<usize>,
}

impl<'a> De<'a> {
    fn shape(&self) -> Shape {
        match &self.node.kind {
            TreeKind::Scalar { value: Value::Null, .. } => Shape::Empty,
            TreeKind::Scalar { value: Value::Bool(_), .. } => Shape::YesNo,
            TreeKind::Scalar { value: Value::Number(_), .. } => Shape::Number,
            TreeKind::Scalar { .. } => Shape::Text,
            TreeKind::Seq(_) => Shape::List,
            TreeKind::Map(_) => Shape::Mapping,
        }
    }
    fn wrong(&self, expected: Shape) -> Error {
        Error::new(Problem::WrongType { expected: Some(expected), found: self.shape() }).at(self.node.span)
    }
    fn number(&self) -> Option<Number> {
        match &self.node.kind {
            TreeKind::Scalar { value: Value::Number(n), .. } => Some(*n),
            _ => None,
        }
    }
    fn seq(self) -> Seq<'a> {
        let items = match &self.node.kind {
            TreeKind::Seq(items) => items.as_slice(),
            _ => &[],
        };
        Seq { items: items.iter(), skipped: self.skipped }
    }
    fn map(self, fields: &'static [&'static str]) -> Map<'a> {
        let entries = match &self.node.kind {
            TreeKind::Map(entries) => entries.as_slice(),
            _ => &[],
        };
        Map { entries: entries.iter(), value: None, skipped: self.skipped, fields }
    }
    fn whole<'de, V: Visitor<'de>>(self, visitor: V, fits: impl Fn(&Number) -> bool) -> Result<V::Value, Error> {
        match self.number() {
            Some(n) if fits(&n) => match n {
                Number::PosInt(u) => visitor.visit_u64(u),
                Number::NegInt(i) => visitor.visit_i64(i),
                Number::Float(_) => Err(self.wrong(Shape::WholeNumber)),
            },
            Some(Number::Float(_)) | None => Err(self.wrong(Shape::WholeNumber)),
            Some(_) => Err(Error::new(Problem::OutOfRange { literal: self.text() })),
        }
        .map_err(|e: Error| e.at(self.node.span))
    }
    fn text(&self) -> String {
        match &self.node.kind {
            TreeKind::Scalar { text, .. } => text.clone(),
            _ => String::new(),
        }
    }
}

macro_rules! whole {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.whole(visitor, |n| match *n {
                Number::PosInt(u) => <$ty>::try_from(u).is_ok(),
                Number::NegInt(i) => <$ty>::try_from(i).is_ok(),
                Number::Float(_) => true,
            })
        }
    )*};
}

impl<'de> de::Deserializer<'de> for De<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let span = self.node.span;
        match &self.node.kind {
            TreeKind::Scalar { value: Value::Null, .. } => visitor.visit_unit(),
            TreeKind::Scalar { value: Value::Bool(b), .. } => visitor.visit_bool(*b),
            TreeKind::Scalar { value: Value::Number(Number::PosInt(u)), .. } => visitor.visit_u64(*u),
            TreeKind::Scalar { value: Value::Number(Number::NegInt(i)), .. } => visitor.visit_i64(*i),
            TreeKind::Scalar { value: Value::Number(Number::Float(f)), .. } => visitor.visit_f64(*f),
            TreeKind::Scalar { text, .. } => visitor.visit_str(text),
            TreeKind::Seq(_) => visitor.visit_seq(self.seq()),
            TreeKind::Map(_) => visitor.visit_map(self.map(&[])),
        }
        .map_err(|e: Error| e.at(span))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            TreeKind::Scalar { value: Value::Bool(b), .. } => {
                visitor.visit_bool(*b).map_err(|e: Error| e.at(self.node.span))
            }
            _ => Err(self.wrong(Shape::YesNo)),
        }
    }

    whole!(deserialize_i8: i8, deserialize_i16: i16, deserialize_i32: i32, deserialize_i64: i64,
        deserialize_u8: u8, deserialize_u16: u16, deserialize_u32: u32, deserialize_u64: u64);

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.number().and_then(|n| n.as_f64()) {
            Some(f) => visitor.visit_f64(f).map_err(|e: Error| e.at(self.node.span)),
            None => Err(self.wrong(Shape::Number)),
        }
    }

    /// Any scalar reads as the text it was written with: `title: 2019` is
    /// the text "2019". An empty value is missing text.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            TreeKind::Scalar { value: Value::Null, text } if text.is_empty() || text == "~" || text == "null" => {
                Err(self.wrong(Shape::Text))
            }
            TreeKind::Scalar { text, .. } => visitor.visit_str(text).map_err(|e: Error| e.at(self.node.span)),
            _ => Err(self.wrong(Shape::Text)),
        }
    }
    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            TreeKind::Scalar { value: Value::Null, .. } => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e: Error| e.at(self.node.span))
    }
    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit().map_err(|e: Error| e.at(self.node.span))
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self).map_err(|e: Error| e.at(self.node.span))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            TreeKind::Seq(_) => visitor.visit_seq(self.seq()).map_err(|e: Error| e.at(self.node.span)),
            _ => Err(self.wrong(Shape::List)),
        }
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _: usize, v: V) -> Result<V::Value, Error> {
        self.deserialize_seq(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_struct("", &[], visitor)
    }
    /// An empty front matter (`~` or only comments) reads as no fields.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.node.kind {
            TreeKind::Map(entries) => {
                let skipped_key = entries.iter().any(|(k, _)| self.skipped.contains(&k.id));
                visitor.visit_map(self.map(fields)).map_err(|e: Error| {
                    let mut e = e.at(self.node.span);
                    e.consequence |= skipped_key && matches!(e.problem, Problem::MissingField { .. });
                    e
                })
            }
            TreeKind::Scalar { value: Value::Null, .. } => {
                visitor.visit_map(self.map(fields)).map_err(|e: Error| e.at(self.node.span))
            }
            _ => Err(self.wrong(Shape::Mapping)),
        }
    }

    /// Only unit variants, written as their name (`type: bar`).
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.node.kind {
            TreeKind::Scalar { value: Value::String(s), .. } => {
                let name = canonical(s, variants);
                visitor.visit_enum(name.into_deserializer()).map_err(|e: Error| e.at(self.node.span))
            }
            _ => Err(self.wrong(Shape::Text)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// A list's items, without the skipped ones.
struct Seq<'a> {
    items: std::slice::Iter<'a, Tree>,
    skipped: &'a HashSet<usize>,
}

impl<'de> de::SeqAccess<'de> for Seq<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some(item) = self.items.by_ref().find(|i| !self.skipped.contains(&i.id)) else { return Ok(None) };
        match seed.deserialize(De { node: item, skipped: self.skipped }) {
            Ok(value) => Ok(Some(value)),
            Err(mut e) => {
                // The innermost list item holding an error is left out next time.
                e.skip.get_or_insert(item.id);
                Err(e.at(item.span))
            }
        }
    }
}

/// A mapping's entries, without the skipped ones; `fields` are the names
/// the struct being read knows, for reading Spanish names as English.
struct Map<'a> {
    entries: std::slice::Iter<'a, (Tree, Tree)>,
    value: Option<&'a Tree>,
    skipped: &'a HashSet<usize>,
    fields: &'static [&'static str],
}

impl<'de> de::MapAccess<'de> for Map<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.by_ref().find(|(k, _)| !self.skipped.contains(&k.id)) else {
            return Ok(None);
        };
        self.value = Some(value);
        let name = canonical(&key_text(key), self.fields);
        let span = key.span;
        seed.deserialize(name.into_deserializer()).map(Some).map_err(|e: Error| {
            let unknown = matches!(e.problem, Problem::UnknownField { .. });
            let mut e = e.at(span);
            if unknown {
                // An unknown key is independent of the rest: leave it out.
                e.skip.get_or_insert(key.id);
            }
            e
        })
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(node) => seed.deserialize(De { node, skipped: self.skipped }),
            None => Err(Error::new(Problem::Custom("a value without a key".into()))),
        }
    }
}
