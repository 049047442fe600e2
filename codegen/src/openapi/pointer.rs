//! JSON pointers (RFC 6901): how every message and every tool names a place in a document.

/// Escapes one key for a JSON pointer: `~` → `~0`, `/` → `~1`.
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape`] on one token of a pointer.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The pointer to `key` inside the node at `pointer`: `child("/paths", "/a/{b}")` is
/// `/paths/~1a~1{b}`.
pub fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", escape(key))
}

/// The unescaped tokens of `pointer`: `/paths/~1a/get` → `["paths", "/a", "get"]`.
pub fn tokens(pointer: &str) -> Vec<String> {
    pointer.split('/').skip(1).map(unescape).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_unescapes_keys() {
        assert_eq!(child("/paths", "/a/{b}"), "/paths/~1a~1{b}");
        assert_eq!(escape("a~/b"), "a~0~1b");
        assert_eq!(unescape("a~0~1b"), "a~/b");
        assert_eq!(tokens("/paths/~1a~0b/get"), ["paths", "/a~b", "get"]);
        assert!(tokens("").is_empty());
    }
}
