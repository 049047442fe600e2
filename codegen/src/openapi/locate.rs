//! From a JSON pointer back to the text: the line and column where a node starts in the YAML
//! or JSON a document was read from, so that errors found on the parsed value still point into
//! the file.
//!
//! The text is read once more with the same parser, skipping everything off the pointer's
//! path, and the read stops with an error at the node itself: the parser stamps that error
//! with the node's position, which is all we want from it.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::tokens;

/// The message the read stops with once it reaches the node.
const FOUND: &str = "\u{0}found";

/// The 1-based `(line, column)` where the node at `pointer` starts in `text` (YAML or JSON, as
/// `json` says); `None` when the node is not there or the parser gives no position.
pub(crate) fn locate(text: &str, json: bool, pointer: &str) -> Option<(usize, usize)> {
    let path = tokens(pointer);
    let seek = Seek { path: &path, json };
    if json {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        match seek.deserialize(&mut deserializer) {
            Err(err) if err.to_string().contains(FOUND) => Some((err.line(), err.column())),
            _ => None,
        }
    } else {
        match seek.deserialize(serde_yaml_ng::Deserializer::from_str(text)) {
            Err(err) if err.to_string().contains(FOUND) => {
                err.location().map(|location| (location.line(), location.column()))
            }
            _ => None,
        }
    }
}

/// Walks to the node at `path`, ignoring every other node.
struct Seek<'a> {
    path: &'a [String],
    json: bool,
}

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match (self.path.is_empty(), self.json) {
            // serde_json stamps the position it has read to: fail before reading the node.
            (true, true) => return Err(de::Error::custom(FOUND)),
            // serde_yaml_ng stamps the node being read: fail inside the node's own visit
            // (failing before it would stamp the enclosing node's position).
            (true, false) => return deserializer.deserialize_any(Found),
            (false, _) => {}
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(Key(key)) = map.next_key()? {
            if key == self.path[0] {
                return map.next_value_seed(Seek { path: &self.path[1..], json: self.json });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Ok(wanted) = self.path[0].parse::<usize>() else { return Ok(()) };
        for _ in 0..wanted {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Seek { path: &self.path[1..], json: self.json }).map(|_| ())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

/// Fails on whatever node it is asked to read.
struct Found;

impl<'de> Visitor<'de> for Found {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any value")
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(FOUND))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(FOUND))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
}

/// A mapping key as text, whatever scalar it is (YAML status codes are numbers: `200:`).
struct Key(String);

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a mapping key")
            }
            fn visit_str<E>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<Key, E> {
                Ok(Key("null".into()))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nodes_in_yaml_and_json() {
        let yaml =
            "openapi: 3.0.3\npaths:\n  /x:\n    get:\n      responses:\n        200:\n          description: ok\n";
        assert_eq!(locate(yaml, false, "/paths/~1x/get/responses/200/description"), Some((7, 24)));
        // A block mapping starts at its first key.
        assert_eq!(locate(yaml, false, "/paths/~1x/get"), Some((5, 7)));
        assert_eq!(locate(yaml, false, "/paths/~1y"), None);
        let json = "{\"a\": [1,\n {\"b\": \"\\ud83d\\udc4d\"}]}";
        assert_eq!(locate(json, true, "/a/1/b"), Some((2, 7)));
        let flow = "tags: [a, {name: b}]";
        assert!(locate(flow, false, "/tags/1/name").is_some());
    }
}
