//! Writing a file so that a reader, or a crash half-way, never sees it half-written.

use std::path::Path;

use anyhow::{Context, Result};

/// Writes `contents` to `path` through a temporary file and a rename, so a reader (or a
/// crash) never sees a half-written file. Returns whether the file changed; a file whose
/// text differs only in line endings is left alone.
pub fn write_atomic(path: &Path, contents: &str) -> Result<bool> {
    if let Ok(current) = std::fs::read_to_string(path)
        && normalize_newlines(&current) == normalize_newlines(contents)
    {
        return Ok(false);
    }
    let dir = path.parent().with_context(|| format!("{} has no parent directory", path.display()))?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let written = write_then_rename(&tmp, path, contents).with_context(|| format!("cannot write {}", path.display()));
    if written.is_err() {
        // The original file is untouched; only the temporary file may be left behind.
        let _ = std::fs::remove_file(&tmp);
    }
    written.map(|()| true)
}

/// The test hook behind `XTASK_SIMULATE_WRITE_FAILURE=N`: the N-th file write of this process
/// fails half-way through its temporary file, as a full disk or a kill would leave it.
const SIMULATE_WRITE_FAILURE: &str = "XTASK_SIMULATE_WRITE_FAILURE";

fn write_then_rename(tmp: &Path, path: &Path, contents: &str) -> std::io::Result<()> {
    static WRITES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let count = WRITES.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
    let fail_at = std::env::var(SIMULATE_WRITE_FAILURE).ok().and_then(|n| n.parse::<usize>().ok());
    if fail_at == Some(count) {
        let half = contents.len() / 2;
        std::fs::write(tmp, &contents.as_bytes()[..half])?;
        return Err(std::io::Error::other(format!("simulated failure ({SIMULATE_WRITE_FAILURE}={count})")));
    }
    std::fs::write(tmp, contents)?;
    std::fs::rename(tmp, path)
}

/// `text` with every CRLF line ending turned into LF, for comparisons that ignore them.
pub fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_new_content_and_skips_equal_content() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a/b.txt");
        assert!(write_atomic(&path, "one\n").expect("first write"));
        assert!(!write_atomic(&path, "one\r\n").expect("same text, other line endings"));
        assert!(write_atomic(&path, "two\n").expect("second write"));
        assert_eq!(std::fs::read_to_string(&path).expect("read back"), "two\n");
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().expect("parent")).expect("list").collect();
        assert_eq!(leftovers.len(), 1, "a temporary file was left behind");
    }
}
