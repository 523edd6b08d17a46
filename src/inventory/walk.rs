//! Which files a `check` or `audit` run looks at.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// Folders never descended into: tool output and dependencies, and hidden folders (`.git`).
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];

/// A file to check, with the path to print for it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// The path as the user will read it: relative as given, `/`-separated, no `./`.
    pub display: String,
    pub path: PathBuf,
    /// Set when the walk could not reach the file (broken link, permission, loop).
    pub walk_error: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("{path}: no such file or directory")]
    NotFound { path: String },
}

/// Expands the command-line paths: files as given, directories walked for `*.json`.
/// The result is sorted by display path and free of duplicates, whatever the argument order.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Candidate>, WalkError> {
    let mut out = Vec::new();
    for root in paths {
        let meta = std::fs::metadata(root).map_err(|_| WalkError::NotFound {
            path: display_path(root),
        })?;
        if !meta.is_dir() {
            out.push(Candidate {
                display: display_path(root),
                path: root.clone(),
                walk_error: None,
            });
            continue;
        }
        let walker = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !e.file_type().is_dir()
                    || !is_skipped_dir(e.file_name().to_string_lossy().as_ref())
            });
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() && is_json(e.path()) => out.push(Candidate {
                    display: display_path(e.path()),
                    path: e.path().to_owned(),
                    walk_error: None,
                }),
                Ok(_) => {}
                Err(err) => {
                    // walkdir reports a symlink loop once and does not enter it; a broken link
                    // or an unreadable file is reported on its own path, the rest still checked.
                    if err.loop_ancestor().is_some() {
                        continue;
                    }
                    if let Some(path) = err.path()
                        && is_json(path)
                    {
                        let reason = Some(io_reason(&err));
                        out.push(Candidate {
                            display: display_path(path),
                            path: path.to_owned(),
                            walk_error: reason,
                        });
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.display == b.display);
    Ok(out)
}

fn io_reason(err: &walkdir::Error) -> String {
    match err.io_error() {
        Some(io) => io.kind().to_string(),
        None => err.to_string(),
    }
}

fn is_skipped_dir(name: &str) -> bool {
    (name.starts_with('.') && name != "." && name != "..") || SKIPPED_DIRS.contains(&name)
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// `./samples\a.json` → `samples/a.json`.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.replace("//", "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_are_normalised() {
        assert_eq!(
            display_path(Path::new("./samples/a.json")),
            "samples/a.json"
        );
        assert_eq!(display_path(Path::new("samples//a.json")), "samples/a.json");
    }

    #[test]
    fn skips_hidden_and_build_folders() {
        let dir = tempfile::tempdir().unwrap();
        for p in [
            "a.json",
            "b.txt",
            ".git/c.json",
            "target/d.json",
            "node_modules/e.json",
            "sub/f.JSON",
        ] {
            let p = dir.path().join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "{}").unwrap();
        }
        let found = discover(&[dir.path().to_owned()]).unwrap();
        let names: Vec<_> = found
            .iter()
            .map(|c| {
                c.path
                    .strip_prefix(dir.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["a.json", "sub/f.JSON"]);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_terminate_and_broken_links_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.json"), "{}").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("missing.json"),
            dir.path().join("broken.json"),
        )
        .unwrap();
        let found = discover(&[dir.path().to_owned()]).unwrap();
        let a = found
            .iter()
            .filter(|c| c.display.ends_with("/a.json"))
            .count();
        assert_eq!(a, 1, "{found:?}");
        let broken = found
            .iter()
            .find(|c| c.display.ends_with("broken.json"))
            .unwrap();
        assert!(broken.walk_error.is_some());
    }

    #[test]
    fn missing_paths_are_errors() {
        assert!(discover(&[PathBuf::from("/definitely/not/here")]).is_err());
    }
}
