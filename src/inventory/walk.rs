//! Which files a `check` or `audit` run looks at.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// Folders never descended into: tool output and dependencies, and hidden folders (`.git`).
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];

/// The largest file read when neither `--max-file-size` nor `rurume.toml` says otherwise:
/// 50 MB (of 1024 × 1024 bytes). A real inventory is some tens of kilobytes.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 50 * 1024 * 1024;

/// A file to check, with the path to print for it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// The path as the user will read it: relative as given, `/`-separated, no `./`.
    pub display: String,
    pub path: PathBuf,
    /// Set when the walk could not reach the file (broken link, permission).
    pub walk_error: Option<Unreachable>,
    /// A larger file is not read: it is an `inventory-syntax` finding that names the limit.
    /// [`DEFAULT_MAX_FILE_SIZE`] unless the caller sets another (`--max-file-size`).
    pub max_file_size: u64,
}

impl Candidate {
    fn new(path: &Path, walk_error: Option<Unreachable>) -> Candidate {
        Candidate {
            display: display_path(path),
            path: path.to_owned(),
            walk_error,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// Why the walk could not reach a path; each becomes an `inventory-syntax` finding on it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unreachable {
    /// A symbolic link whose target does not exist.
    BrokenLink { target: String },
    /// A folder that could not be listed: the inventories in it, if any, are not checked.
    Folder(IoCause),
    /// A file the walk could not look at.
    File(IoCause),
}

/// Why the system refused, as far as the messages need to know.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum IoCause {
    PermissionDenied,
    /// Anything else, as the system words it (`io::ErrorKind`'s text).
    Other(String),
}

impl From<&std::io::Error> for IoCause {
    fn from(err: &std::io::Error) -> IoCause {
        match err.kind() {
            std::io::ErrorKind::PermissionDenied => IoCause::PermissionDenied,
            kind => IoCause::Other(kind.to_string()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    /// `closest`: the existing file or folder the user most likely meant, if any.
    #[error("{path}: no such file or directory")]
    NotFound {
        path: String,
        closest: Option<String>,
    },
}

/// The existing entry beside a path that does not exist that the user most likely meant:
/// the name typed without its extension (Windows hides `.json`), in another letter case, or
/// in full-width characters (an IME left on), else the nearest name by edit distance
/// (at most 2 edits). Ties go to the first name in sorted order.
pub fn closest_existing(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_string_lossy();
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let parent = match std::fs::metadata(&parent) {
        Ok(meta) if meta.is_dir() => parent,
        // The folder itself was mistyped: find it first, then the name inside it.
        _ => closest_existing(&parent)?,
    };
    let wanted = fold(&name);
    let mut names: Vec<String> = std::fs::read_dir(&parent)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let at = |n: &str| {
        if path.parent().is_some_and(|p| !p.as_os_str().is_empty()) {
            parent.join(n)
        } else {
            PathBuf::from(n)
        }
    };
    let exact = names.iter().find(|n| {
        let n = fold(n);
        n == wanted
            || [".json", ".xlsx"]
                .iter()
                .any(|ext| n == format!("{wanted}{ext}"))
    });
    if let Some(n) = exact {
        return Some(at(n));
    }
    names
        .iter()
        .map(|n| (strsim::levenshtein(&fold(n), &wanted), n))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| at(n))
}

/// A name as compared for suggestions: full-width ASCII (U+FF01–U+FF5E) and the ideographic
/// space made half-width, then lower case.
fn fold(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Expands the command-line paths: files as given, directories walked for `*.json`.
/// The result is sorted by display path and free of duplicates, whatever the argument order.
///
/// Only a path that does not exist at all is an error (a mistyped argument). What exists
/// but cannot be read — a file or folder without permission, a broken symbolic link (also
/// one given by a shell glob) — is a candidate carrying [`Unreachable`], so it is reported
/// as a finding and the other files are still checked.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Candidate>, WalkError> {
    let mut out = Vec::new();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(_) => match broken_link_target(root) {
                Some(broken) => {
                    out.push(Candidate::new(root, Some(broken)));
                    continue;
                }
                None => {
                    return Err(WalkError::NotFound {
                        path: display_path(root),
                        closest: closest_existing(root).map(|p| display_path(&p)),
                    });
                }
            },
        };
        if !meta.is_dir() {
            out.push(Candidate::new(root, None));
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
                Ok(e) if e.file_type().is_file() && is_walked(e.path()) => {
                    out.push(Candidate::new(e.path(), None));
                }
                Ok(_) => {}
                Err(err) => {
                    // walkdir reports a symlink loop once and does not enter it; a broken link
                    // or an unreadable file or folder is reported on its own path, the rest
                    // still checked.
                    if err.loop_ancestor().is_some() {
                        continue;
                    }
                    if let Some(path) = err.path()
                        && let Some(problem) = unreachable(path, &err)
                    {
                        out.push(Candidate::new(path, Some(problem)));
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.display == b.display);
    Ok(out)
}

/// What to report for a path the walk failed on; `None` for what would not have been
/// checked anyway (a broken link or an unreadable entry not named `*.json`).
fn unreachable(path: &Path, err: &walkdir::Error) -> Option<Unreachable> {
    if let Some(broken) = broken_link_target(path) {
        return is_walked(path).then_some(broken);
    }
    let cause = match err.io_error() {
        Some(io) => IoCause::from(io),
        None => IoCause::Other(err.to_string()),
    };
    if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        Some(Unreachable::Folder(cause))
    } else {
        is_walked(path).then_some(Unreachable::File(cause))
    }
}

/// `Some` when `path` is a symbolic link whose target does not exist.
fn broken_link_target(path: &Path) -> Option<Unreachable> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let dangling =
        matches!(std::fs::metadata(path), Err(e) if e.kind() == std::io::ErrorKind::NotFound);
    if !(is_link && dangling) {
        return None;
    }
    let target = std::fs::read_link(path).map_or_else(|_| "?".into(), |t| display_path(&t));
    Some(Unreachable::BrokenLink { target })
}

fn is_skipped_dir(name: &str) -> bool {
    (name.starts_with('.') && name != "." && name != "..") || SKIPPED_DIRS.contains(&name)
}

/// What a folder walk checks: `*.json` and `*.xlsx`, but not Excel's `~$*.xlsx` lock files
/// (other workbook formats are read when named).
fn is_walked(path: &Path) -> bool {
    path.extension().is_some_and(|e| {
        e.eq_ignore_ascii_case("json")
            || (e.eq_ignore_ascii_case("xlsx") && !crate::workbook::is_lock_file(path))
    })
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
    fn closest_existing_names_what_was_meant() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("F0001-midori.json"), "{}").unwrap();
        std::fs::write(dir.path().join("F0002-higashi.json"), "{}").unwrap();
        std::fs::create_dir(dir.path().join("提出")).unwrap();
        let closest = |typed: &str| {
            closest_existing(&dir.path().join(typed))
                .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        };
        let midori = Some("F0001-midori.json".to_owned());
        assert_eq!(closest("F0001-midori"), midori, "extension hidden");
        assert_eq!(closest("f0001-MIDORI.JSON"), midori, "letter case");
        assert_eq!(
            closest("Ｆ０００１－ｍｉｄｏｒｉ.json"),
            midori,
            "full width"
        );
        assert_eq!(closest("F0001-midor.json"), midori, "one letter missing");
        assert_eq!(closest("提出"), Some("提出".to_owned()));
        assert_eq!(closest("unrelated.json"), None);
        // A mistyped folder: the folder is found, then the file in it.
        std::fs::write(dir.path().join("提出").join("F0003-sakura.json"), "{}").unwrap();
        let inner = closest_existing(&dir.path().join("提出x").join("F0003-sakura"));
        assert_eq!(
            inner,
            Some(dir.path().join("提出").join("F0003-sakura.json"))
        );
        let nothing_like = closest_existing(&dir.path().join("提出x").join("zzzz.json"));
        assert_eq!(nothing_like, None);
    }

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
        assert!(
            matches!(&broken.walk_error, Some(Unreachable::BrokenLink { target }) if target.ends_with("missing.json")),
            "{broken:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_broken_link_given_as_an_argument_is_a_candidate_not_an_error() {
        // A shell glob (`inventories/*.json`) hands over every link, broken or not.
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("gone.json");
        std::os::unix::fs::symlink(dir.path().join("nothing.json"), &link).unwrap();
        std::fs::write(dir.path().join("a.json"), "{}").unwrap();
        let found = discover(&[link, dir.path().join("a.json")]).unwrap();
        assert_eq!(found.len(), 2);
        assert!(matches!(
            found[1].walk_error,
            Some(Unreachable::BrokenLink { .. })
        ));
        assert_eq!(found[0].walk_error, None);
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_folder_is_reported_and_its_siblings_checked() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let locked = dir.path().join("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::write(locked.join("b.json"), "{}").unwrap();
        std::fs::write(dir.path().join("a.json"), "{}").unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let listable = std::fs::read_dir(&locked).is_ok();
        let found = discover(&[dir.path().to_owned()]).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(found.iter().any(|c| c.display.ends_with("/a.json")));
        if listable {
            // Running as root: permissions do not stop reading, so there is nothing to report.
            eprintln!("skipped: the folder stays readable for this user (root)");
            return;
        }
        let folder = found.iter().find(|c| c.path == locked).unwrap();
        assert_eq!(
            folder.walk_error,
            Some(Unreachable::Folder(IoCause::PermissionDenied))
        );
    }

    #[test]
    fn missing_paths_are_errors() {
        assert!(discover(&[PathBuf::from("/definitely/not/here")]).is_err());
    }

    #[test]
    fn candidates_carry_the_size_limit() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.json"), "{}").unwrap();
        let found = discover(&[dir.path().to_owned()]).unwrap();
        assert_eq!(found[0].max_file_size, DEFAULT_MAX_FILE_SIZE);
    }
}
