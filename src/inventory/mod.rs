//! Inventory files: finding them, reading them, parsing them with exact positions, and
//! validating them against the schema.

pub mod document;
pub mod parse;
pub mod pointer;
pub mod schema;
pub mod slips;
pub mod spans;
pub mod walk;

use std::sync::Arc;

pub use document::{Document, Node};
pub use parse::SyntaxError;
use spans::{LineCol, LineIndex, Span};
use walk::{Candidate, IoCause, Unreachable};

use crate::lang::Text;
use crate::workbook::{self, Workbook};

/// A file's text, shared by its inventory, its parsed document and its report. The
/// `String` the file was read into, behind an `Arc`: an `Arc<str>` would be a copy of
/// every byte of every file.
pub type FileText = Arc<String>;

/// One inventory file, read and parsed. A file that cannot be read or parsed is still an
/// `Inventory`: its problem becomes an `inventory-syntax` finding, and the run goes on.
#[derive(Debug)]
pub struct Inventory {
    /// The path printed in every output.
    pub display: String,
    /// The text, without a byte-order mark (editors on Windows add one; columns ignore it).
    pub text: FileText,
    pub lines: LineIndex,
    pub parsed: Result<Document, SyntaxError>,
    /// For an inventory read from a workbook: its cells, the cell of each pointer, and
    /// notes about cells the JSON cannot point at. `text` is then the JSON the workbook
    /// says, which is parsed and checked like any other.
    pub workbook: Option<Arc<Workbook>>,
}

impl Inventory {
    /// Reads and parses one candidate. A file over the candidate's size limit is not read
    /// at all (its size comes from the metadata): it is an `inventory-syntax` finding that
    /// names its size, the limit and how to raise it.
    pub fn load(candidate: &Candidate) -> Inventory {
        let display = candidate.display.clone();
        if let Some(problem) = &candidate.walk_error {
            return Self::unreachable(display, problem);
        }
        if workbook::is_lock_file(&candidate.path) {
            return Self::failed(display, workbook::lock_file_message());
        }
        match read_at_most(&candidate.path, candidate.max_file_size) {
            Ok(bytes) if workbook::is_workbook(&candidate.path) => {
                Self::from_workbook(display, &bytes, candidate.max_file_size)
            }
            Ok(bytes) => Self::from_bytes(display, bytes),
            Err(ReadError::TooLarge { size }) => {
                Self::failed(display, too_large(size, candidate.max_file_size))
            }
            Err(ReadError::Io(err)) => {
                Self::unreachable(display, &Unreachable::File(IoCause::from(&err)))
            }
        }
    }

    pub fn from_bytes(display: String, mut bytes: Vec<u8>) -> Inventory {
        drop_bom(&mut bytes);
        // Most files are read whole at once, UTF-8 checked on the way; any other is read
        // again below, for what is wrong with it.
        let bytes = match parse::parse_bytes(bytes) {
            Ok((text, document, lines)) => {
                return Inventory {
                    display,
                    text,
                    lines,
                    parsed: Ok(document),
                    workbook: None,
                };
            }
            Err(bytes) => bytes,
        };
        match String::from_utf8(bytes) {
            Ok(text) => Self::from_text(display, text),
            Err(err) => {
                let offset = err.utf8_error().valid_up_to();
                let text: FileText = Arc::new(replaced(err));
                let lines = LineIndex::new(&text);
                let message = Text::new(
                    "UTF-8 ではない文字があります。ファイルを UTF-8 で保存し直してください（Shift_JIS は読めません）",
                    "the file is not valid UTF-8; save it again as UTF-8 (Shift_JIS is not supported)",
                );
                Inventory {
                    display,
                    text,
                    lines,
                    parsed: Err(SyntaxError { offset, message }),
                    workbook: None,
                }
            }
        }
    }

    /// A workbook's bytes: its cells read into the inventory's JSON, with their places.
    /// What it may expand to is bounded by four times the file size limit.
    pub fn from_workbook(display: String, bytes: &[u8], max_file_size: u64) -> Inventory {
        match workbook::load(bytes, max_file_size.saturating_mul(4)) {
            Ok((text, book)) => Inventory {
                workbook: Some(Arc::new(book)),
                ..Self::from_text(display, text)
            },
            Err(message) => Self::failed(display, message),
        }
    }

    pub fn from_text(display: String, text: String) -> Inventory {
        let text: FileText = Arc::new(text);
        let (parsed, lines) = match parse::parse(text.clone()) {
            Ok((document, lines)) => (Ok(document), lines),
            Err(mut e) => {
                // A slip typed by hand where parsing stopped (a full-width `：`, a comma
                // too many) is named with what to do about it.
                if let Some(advice) = slips::advice_at(&text, e.offset) {
                    e.message = Text::new(
                        format!("{}。{}", e.message.ja, advice.ja),
                        format!("{}; {}", e.message.en, advice.en),
                    );
                }
                (Err(e), LineIndex::new(&text))
            }
        };
        Inventory {
            display,
            text,
            lines,
            parsed,
            workbook: None,
        }
    }

    /// A file that could not be read: no text, the finding at line 1, column 1.
    fn failed(display: String, message: Text) -> Inventory {
        Inventory {
            display,
            text: FileText::default(),
            lines: LineIndex::new(""),
            parsed: Err(SyntaxError { offset: 0, message }),
            workbook: None,
        }
    }

    fn unreachable(display: String, problem: &Unreachable) -> Inventory {
        let message = match problem {
            Unreachable::BrokenLink { target } => Text::new(
                format!(
                    "シンボリックリンクの参照先 {target} がありません。リンクを直すか削除してください"
                ),
                format!(
                    "the file is a symbolic link to {target}, which does not exist; fix or remove the link"
                ),
            ),
            Unreachable::Folder(cause) => {
                let cause = cause_text(cause);
                Text::new(
                    format!(
                        "フォルダを読めません（{}）。この中の台帳は検査していません。読み取り権限を確認してください",
                        cause.ja
                    ),
                    format!(
                        "cannot read this folder ({}), so the inventories in it were not checked; check that it is readable",
                        cause.en
                    ),
                )
            }
            Unreachable::File(cause) => {
                let cause = cause_text(cause);
                Text::new(
                    format!(
                        "ファイルを読めません（{}）。ファイルの場所と読み取り権限を確認してください",
                        cause.ja
                    ),
                    format!(
                        "cannot read the file ({}); check that it exists and is readable",
                        cause.en
                    ),
                )
            }
        };
        Self::failed(display, message)
    }

    pub fn document(&self) -> Option<&Document> {
        self.parsed.as_ref().ok()
    }

    /// Where `span` is: see [`LineIndex::spot`].
    pub fn spot(&self, span: Span) -> spans::Spot {
        self.lines.spot(&self.text, span)
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines.line_col(&self.text, offset)
    }

    /// Where the value at `pointer` is; `None` when it does not exist or the file did not
    /// parse.
    pub fn span_of(&self, pointer: &str) -> Option<Span> {
        self.document()?.pointer(pointer)?.span()
    }
}

/// Drops the byte-order mark editors on Windows write before UTF-8 text.
fn drop_bom(bytes: &mut Vec<u8>) {
    const BOM: &[u8] = "\u{feff}".as_bytes();
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
}

/// The text shown of bytes that are not all UTF-8: what is not, replaced by U+FFFD.
fn replaced(err: std::string::FromUtf8Error) -> String {
    String::from_utf8_lossy(err.as_bytes()).into_owned()
}

/// How to read a file's text again instead of keeping it until the end of a run (human
/// output shows the lines around each finding): where the file is, and the seal of the
/// text that was checked, so that a file changed since is known and never shown.
#[derive(Debug, Clone)]
pub struct Reread {
    candidate: Candidate,
    seal: Seal,
}

/// A text's length and hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seal {
    len: usize,
    hash: u64,
}

impl Seal {
    fn of(text: &[u8]) -> Seal {
        use std::hash::BuildHasher;
        Seal {
            len: text.len(),
            hash: foldhash::quality::FixedState::default().hash_one(text),
        }
    }
}

impl Reread {
    /// For the text `inventory` read from `candidate`. Not for a workbook, whose text is
    /// the JSON its cells say, not the file's.
    pub fn of(candidate: &Candidate, inventory: &Inventory) -> Reread {
        Reread {
            candidate: candidate.clone(),
            seal: Seal::of(inventory.text.as_bytes()),
        }
    }

    /// The text again, as [`Inventory::load`] read it; `None` when the file no longer
    /// holds the text that was checked (or cannot be read).
    ///
    /// The bytes are not checked to be UTF-8 here: a text with the seal of the one that
    /// was checked is it, and those that are shown are checked where they are shown (a
    /// whole file checked again for a few lines of it took a tenth of drawing it). A file
    /// that is not UTF-8 was checked as its text with the bytes that are not replaced
    /// (U+FFFD): that text, when the seal is not the bytes'.
    pub fn bytes(&self) -> Option<Vec<u8>> {
        let mut bytes = read_at_most(&self.candidate.path, self.candidate.max_file_size).ok()?;
        drop_bom(&mut bytes);
        if Seal::of(&bytes) == self.seal {
            return Some(bytes);
        }
        let text = String::from_utf8(bytes).err().map(replaced)?;
        (Seal::of(text.as_bytes()) == self.seal).then(|| text.into_bytes())
    }
}

enum ReadError {
    /// Larger than the limit: the size from the metadata, or `None` when the size is not
    /// known (a pipe, or a file that grew while being read): reading stopped at the limit.
    TooLarge {
        size: Option<u64>,
    },
    Io(std::io::Error),
}

/// The file's bytes, never more than `limit` of them in memory: a regular file whose
/// metadata says it is larger is not read at all.
fn read_at_most(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if meta.is_file() && meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: Some(meta.len()),
        });
    }
    let expected = if meta.is_file() { meta.len() } else { 0 };
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { size: None });
    }
    Ok(bytes)
}

/// The finding of a file over the size limit: its size, the limit, and how to raise it.
fn too_large(size: Option<u64>, limit: u64) -> Text {
    let limit_h = format_size(limit);
    let (size_ja, size_en) = match size {
        Some(size) => {
            let (size_h, bytes) = (format_size(size), thousands(size));
            (
                format!("{size_h}（{bytes} バイト）で、上限の {limit_h} を超えています"),
                format!("{size_h} ({bytes} bytes), over the limit of {limit_h}"),
            )
        }
        None => (
            format!("上限の {limit_h} を超えています"),
            format!("more than the limit of {limit_h}"),
        ),
    };
    // A limit that lets this file through, in whole megabytes.
    let enough = match size {
        Some(size) => format!("{}MB", size.div_ceil(MB).max(1)),
        None => format!("{}MB", limit.div_ceil(MB).saturating_mul(2).max(1)),
    };
    Text::new(
        format!(
            "ファイルが大きすぎるため読み込みません: {size_ja}。台帳は通常 1 MB よりずっと小さなファイルです。\
             検査するには上限を上げてください（例: --max-file-size {enough}、\
             または rurume.toml の [limits] に max_file_size = \"{enough}\"）"
        ),
        format!(
            "the file is too large to read: {size_en}; an inventory is usually far smaller than 1 MB. \
             To check it anyway, raise the limit (e.g. --max-file-size {enough}, \
             or max_file_size = \"{enough}\" under [limits] in rurume.toml)"
        ),
    )
}

const KB: u64 = 1024;
const MB: u64 = 1024 * KB;
const GB: u64 = 1024 * MB;

/// `52428800` → `50 MB`, `52428801` → `50.0 MB`, `1536` → `1.5 KB`, `900` → `900 bytes`.
/// Units are of 1024, as `--max-file-size` reads them. A size that is not a whole number of
/// its unit keeps one decimal, so that a size just over a limit never reads as equal to it.
pub fn format_size(bytes: u64) -> String {
    let (unit, name) = match bytes {
        b if b >= GB => (GB, "GB"),
        b if b >= MB => (MB, "MB"),
        b if b >= KB => (KB, "KB"),
        _ => return format!("{bytes} bytes"),
    };
    if bytes.is_multiple_of(unit) {
        format!("{} {name}", bytes / unit)
    } else {
        // Rounded down, so 50 MB + 1 byte shows 50.0 MB, not a size that is not over.
        let tenths = u128::from(bytes) * 10 / u128::from(unit);
        format!("{}.{} {name}", tenths / 10, tenths % 10)
    }
}

/// `54949977` → `54,949,977`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn cause_text(cause: &IoCause) -> Text {
    match cause {
        IoCause::PermissionDenied => Text::new("読み取り権限がありません", "permission denied"),
        IoCause::Other(reason) => Text::new(reason.clone(), reason.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_ignored_for_parsing_and_columns() {
        let inv = Inventory::from_bytes("a.json".into(), b"\xef\xbb\xbf{\"a\": 1}".to_vec());
        assert!(inv.parsed.is_ok());
        let span = inv.span_of("/a").unwrap();
        assert_eq!(inv.line_col(span.start), LineCol { line: 1, column: 7 });
    }

    #[test]
    fn non_utf8_is_a_syntax_error_at_the_bad_byte() {
        let inv = Inventory::from_bytes("a.json".into(), b"{\n \"a\": \"\x93\x8c\"}".to_vec());
        let err = inv.parsed.as_ref().unwrap_err();
        assert_eq!(err.offset, 9);
        assert_eq!(inv.line_col(err.offset), LineCol { line: 2, column: 8 });
        assert!(err.message.en.contains("UTF-8"));
    }

    fn candidate(path: &std::path::Path, max_file_size: u64) -> Candidate {
        Candidate {
            display: "a.json".into(),
            path: path.to_owned(),
            walk_error: None,
            max_file_size,
        }
    }

    #[test]
    fn a_file_over_the_size_limit_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        std::fs::write(&path, format!("{{\"a\": \"{}\"}}", "x".repeat(2040))).unwrap();
        let inv = Inventory::load(&candidate(&path, 1024));
        let err = inv.parsed.as_ref().unwrap_err();
        assert_eq!(err.offset, 0);
        assert_eq!(&*inv.text, "", "nothing was read");
        assert_eq!(
            err.message.en,
            "the file is too large to read: 2.0 KB (2,049 bytes), over the limit of 1 KB; \
             an inventory is usually far smaller than 1 MB. To check it anyway, raise the limit \
             (e.g. --max-file-size 1MB, or max_file_size = \"1MB\" under [limits] in rurume.toml)"
        );
        assert!(err.message.ja.starts_with(
            "ファイルが大きすぎるため読み込みません: 2.0 KB（2,049 バイト）で、上限の 1 KB を超えています。"
        ));
        assert!(err.message.ja.contains("--max-file-size 1MB"));
        // At the limit exactly, the file is read.
        assert!(Inventory::load(&candidate(&path, 2049)).parsed.is_ok());
    }

    #[test]
    fn a_sparse_file_far_over_the_limit_costs_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(5 * GB).unwrap();
        let inv = Inventory::load(&candidate(&path, walk::DEFAULT_MAX_FILE_SIZE));
        let err = inv.parsed.unwrap_err();
        assert!(
            err.message
                .en
                .contains("5 GB (5,368,709,120 bytes), over the limit of 50 MB"),
            "{}",
            err.message.en
        );
        assert!(err.message.en.contains("--max-file-size 5120MB"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_stream_without_a_size_is_read_up_to_the_limit_only() {
        // /dev/zero never ends, and its metadata gives no size.
        let inv = Inventory::load(&candidate(std::path::Path::new("/dev/zero"), 1024));
        let err = inv.parsed.unwrap_err();
        assert!(
            err.message
                .en
                .starts_with("the file is too large to read: more than the limit of 1 KB;"),
            "{}",
            err.message.en
        );
    }

    #[test]
    fn unreachable_files_and_folders_are_worded() {
        let load = |problem: Unreachable| {
            let c = Candidate {
                walk_error: Some(problem),
                ..candidate(std::path::Path::new("nowhere"), 1)
            };
            Inventory::load(&c).parsed.unwrap_err().message
        };
        let link = load(Unreachable::BrokenLink {
            target: "../old/F1.json".into(),
        });
        assert_eq!(
            link.en,
            "the file is a symbolic link to ../old/F1.json, which does not exist; fix or remove the link"
        );
        assert!(link.ja.contains("../old/F1.json"));
        let folder = load(Unreachable::Folder(IoCause::PermissionDenied));
        assert!(
            folder
                .en
                .starts_with("cannot read this folder (permission denied)")
        );
        assert!(folder.ja.contains("読み取り権限がありません"));
        let file = load(Unreachable::File(IoCause::Other("other error".into())));
        assert!(file.en.starts_with("cannot read the file (other error)"));
    }

    #[test]
    fn a_missing_file_is_a_finding() {
        let inv = Inventory::load(&candidate(std::path::Path::new("/no/such/a.json"), 1024));
        assert!(
            inv.parsed
                .unwrap_err()
                .message
                .en
                .starts_with("cannot read the file")
        );
    }

    #[test]
    fn sizes_are_written_in_units_of_1024() {
        assert_eq!(format_size(900), "900 bytes");
        assert_eq!(format_size(1024), "1 KB");
        assert_eq!(format_size(1536), "1.5 KB");
        assert_eq!(format_size(50 * MB), "50 MB");
        assert_eq!(
            format_size(50 * MB + 1),
            "50.0 MB",
            "just over never reads as equal"
        );
        assert_eq!(format_size(3 * GB + GB / 2), "3.5 GB");
        assert_eq!(format_size(u64::MAX), "17179869183.9 GB");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(52_428_801), "52,428,801");
    }

    #[test]
    fn top_level_array_parses_and_is_left_to_the_schema() {
        let inv = Inventory::from_text("a.json".into(), "[1]".into());
        assert!(inv.parsed.is_ok());
        assert!(
            inv.document()
                .is_some_and(|d| d.root().as_array().is_some())
        );
    }
}
