//! JSON as the text of a `serde_json::json!(..)` call: pretty-printed, and an integer an `i32`
//! cannot hold suffixed with its type (`4294967296_i64`), since the macro types a bare integer
//! literal `i32` and such a literal does not compile.

use std::io::{self, Write};

use serde_json::Value;
use serde_json::ser::{Formatter, PrettyFormatter};

/// `value` pretty-printed (four spaces) as the tokens of a `json!(..)` call.
pub(crate) fn pretty_json(value: &Value) -> Option<String> {
    let mut pretty = Vec::new();
    let formatter = Suffixed(PrettyFormatter::with_indent(b"    "));
    serde::Serialize::serialize(value, &mut serde_json::Serializer::with_formatter(&mut pretty, formatter)).ok()?;
    String::from_utf8(pretty).ok()
}

/// serde_json's pretty formatter, writing wide integers with a type suffix.
struct Suffixed<'a>(PrettyFormatter<'a>);

impl Formatter for Suffixed<'_> {
    fn write_i64<W: ?Sized + Write>(&mut self, writer: &mut W, value: i64) -> io::Result<()> {
        match i32::try_from(value) {
            Ok(_) => write!(writer, "{value}"),
            Err(_) => write!(writer, "{value}_i64"),
        }
    }

    fn write_u64<W: ?Sized + Write>(&mut self, writer: &mut W, value: u64) -> io::Result<()> {
        match (i32::try_from(value), i64::try_from(value)) {
            (Ok(_), _) => write!(writer, "{value}"),
            (_, Ok(_)) => write!(writer, "{value}_i64"),
            _ => write!(writer, "{value}_u64"),
        }
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn an_integer_beyond_i32_gets_a_suffix() {
        let text = super::pretty_json(&json!({ "size": 4294967296_u64, "n": 3, "neg": -3000000000_i64, "x": 1.5 }))
            .expect("printed");
        assert_eq!(
            text,
            "{\n    \"size\": 4294967296_i64,\n    \"n\": 3,\n    \"neg\": -3000000000_i64,\n    \"x\": 1.5\n}"
        );
        let huge = super::pretty_json(&json!([u64::MAX])).expect("printed");
        assert!(huge.contains("18446744073709551615_u64"), "{huge}");
    }
}
