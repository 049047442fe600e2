//! JSON pointers (RFC 6901): how every message and every tool names a place in a document.

/// Escapes one key for a JSON pointer: `~` → `~0`, `/` → `~1`.
pub fn escape(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    push_escaped(&mut out, key);
    out
}

/// Appends `key`, escaped, to `out`: one copy, since the walks call this for every node.
fn push_escaped(out: &mut String, key: &str) {
    if !key.contains(['~', '/']) {
        out.push_str(key);
        return;
    }
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Undoes [`escape`] on one token of a pointer.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The pointer to `key` inside the node at `pointer`: `child("/paths", "/a/{b}")` is
/// `/paths/~1a~1{b}`.
pub fn child(pointer: &str, key: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + 1 + key.len());
    out.push_str(pointer);
    out.push('/');
    push_escaped(&mut out, key);
    out
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
