//! One cell's content, and how it becomes a JSON value (and back): what clerks really type
//! — dates in every common Japanese form, full-width digits, はい/いいえ, ○/×, lists on
//! several lines — is accepted where it is unambiguous; anything else says what was
//! expected.

use jiff::civil::Date;
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use super::layout::{Cell, Column, Layout};
use crate::lang::{Lang, Text};

/// What a cell holds, whatever the file format.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(Date),
    /// `#N/A`, `#DIV/0!`…
    Error(String),
    /// Text longer than a cell may hold: its length in characters, never its content.
    Oversized(usize),
}

impl Raw {
    pub fn is_empty(&self) -> bool {
        match self {
            Raw::Empty => true,
            Raw::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as a person reads it, for output.
    pub fn shown(&self) -> String {
        match self {
            Raw::Empty => String::new(),
            Raw::Text(t) => t.clone(),
            Raw::Number(n) => number_text(*n),
            Raw::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            Raw::Date(d) => d.strftime("%Y/%m/%d").to_string(),
            Raw::Error(e) => e.clone(),
            Raw::Oversized(n) => format!("({n} chars)"),
        }
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// NFKC, trimmed: full-width digits and letters become ASCII, 　 becomes a space.
pub fn normal(text: &str) -> String {
    // ASCII is its own NFKC form: most cells need no table lookups.
    if text.is_ascii() {
        return text.trim().to_owned();
    }
    text.nfkc().collect::<String>().trim().to_owned()
}

/// For comparing spellings: NFKC, trimmed, lower case, without inner spaces.
pub fn folded(text: &str) -> String {
    normal(text)
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// What a cell should have held: said at the cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected(pub Text);

/// The JSON value of a cell in this column; `None` for an empty cell of a field that is
/// then absent.
pub fn read(raw: &Raw, column: &Column, layout: &Layout) -> Result<Option<Value>, Expected> {
    if raw.is_empty() {
        return Ok(match &column.cell {
            _ if column.nullable => Some(Value::Null),
            Cell::List(_) if column.required => Some(Value::Array(Vec::new())),
            _ => None,
        });
    }
    if let Raw::Oversized(n) = raw {
        let n = crate::inventory::thousands(*n as u64);
        let max = crate::inventory::thousands(super::open::MAX_CELL_CHARS as u64);
        return Err(Expected(Text::new(
            format!(
                "セルの文字が多すぎます（{n} 文字。1つのセルは {max} 文字まで）。{}",
                wanted(column, layout).ja
            ),
            format!(
                "the cell holds too much text ({n} characters; a cell holds at most {max}); {}",
                wanted(column, layout).en
            ),
        )));
    }
    if let Raw::Error(e) = raw {
        return Err(Expected(Text::new(
            format!(
                "セルが数式のエラー（{e}）になっています。{}",
                wanted(column, layout).ja
            ),
            format!(
                "the cell is a formula error ({e}); {}",
                wanted(column, layout).en
            ),
        )));
    }
    match &column.cell {
        Cell::List(inner) => {
            let entries = split(raw, layout);
            let mut out = Vec::with_capacity(entries.len());
            for entry in entries {
                out.push(scalar(&Raw::Text(entry), inner, column, layout)?);
            }
            Ok(Some(Value::Array(out)))
        }
        cell => scalar(raw, cell, column, layout).map(Some),
    }
}

fn scalar(raw: &Raw, cell: &Cell, column: &Column, layout: &Layout) -> Result<Value, Expected> {
    let fail = || Err(Expected(wanted(column, layout)));
    match cell {
        Cell::Text => {
            let text = match raw {
                Raw::Text(t) => t.clone(),
                Raw::Number(n) => number_text(*n),
                Raw::Date(d) => d.to_string(),
                _ => return fail(),
            };
            let text = if column.identifier {
                normal(&text)
            } else {
                text
            };
            if column.labels.is_empty() && column.choices.is_empty() {
                return Ok(Value::String(text));
            }
            let key = folded(&text);
            let code = column
                .label_keys
                .iter()
                .find(|(_, keys)| keys.contains(&key))
                .map(|(code, _)| code.clone());
            match code {
                Some(code) => Ok(Value::String(code)),
                None if column.choices.is_empty() => Ok(Value::String(text)),
                None => column
                    .choices
                    .iter()
                    .find(|c| folded(c) == key)
                    .map(|c| Value::String(c.clone()))
                    .map_or_else(fail, Ok),
            }
        }
        Cell::Integer => match raw {
            Raw::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Ok(Value::from(*n as i64)),
            Raw::Text(t) => {
                let t = normal(t);
                let digits = ["分", "文字", "minutes", "min"]
                    .iter()
                    .find_map(|unit| t.strip_suffix(unit))
                    .unwrap_or(&t)
                    .trim();
                digits
                    .parse::<i64>()
                    .map(Value::from)
                    .map_or_else(|_| fail(), Ok)
            }
            _ => fail(),
        },
        Cell::YesNo => match raw {
            Raw::Bool(b) => Ok(Value::Bool(*b)),
            Raw::Number(n) if *n == 1.0 || *n == 0.0 => Ok(Value::Bool(*n == 1.0)),
            Raw::Text(t) => {
                let key = folded(t);
                if layout.yes_keys.contains(&key) {
                    Ok(Value::Bool(true))
                } else if layout.no_keys.contains(&key) {
                    Ok(Value::Bool(false))
                } else {
                    fail()
                }
            }
            _ => fail(),
        },
        Cell::Date => match raw {
            Raw::Date(d) => Ok(Value::String(d.to_string())),
            Raw::Number(n) => {
                serial_date(*n).map_or_else(fail, |d| Ok(Value::String(d.to_string())))
            }
            Raw::Text(t) => parse_date(t).map_or_else(fail, |d| Ok(Value::String(d.to_string()))),
            _ => fail(),
        },
        Cell::List(_) => fail(),
    }
}

/// The entries of a list cell: one per line; on a single line, 、 and commas separate.
fn split(raw: &Raw, layout: &Layout) -> Vec<String> {
    let text = match raw {
        Raw::Text(t) => t.replace("\r\n", "\n"),
        other => other.shown(),
    };
    let parts: Vec<&str> = if text.contains('\n') {
        text.split('\n').collect()
    } else {
        let seps: Vec<char> = layout
            .separators
            .iter()
            .filter_map(|s| s.chars().next())
            .filter(|c| *c != '\n')
            .collect();
        text.split(|c| seps.contains(&c)).collect()
    };
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What the column wants, in plain words.
pub fn wanted(column: &Column, layout: &Layout) -> Text {
    let header = &column.header;
    let cell = match &column.cell {
        Cell::List(inner) => inner,
        c => c,
    };
    let choices = |lang: Lang| {
        column
            .choices
            .iter()
            .map(|c| column.label(c, lang).unwrap_or(c).to_owned())
            .collect::<Vec<_>>()
    };
    match cell {
        Cell::Text if !column.choices.is_empty() => Text::new(
            format!(
                "「{}」は一覧から選んでください（{}）",
                header.ja,
                choices(Lang::Ja).join("、")
            ),
            format!(
                "choose \"{}\" from the list ({})",
                header.en,
                choices(Lang::En).join(", ")
            ),
        ),
        Cell::Text => Text::new(
            format!("「{}」には文字を入力してください", header.ja),
            format!("\"{}\" takes text", header.en),
        ),
        Cell::Integer => Text::new(
            format!("「{}」には整数を入力してください（例: 5）", header.ja),
            format!("\"{}\" takes a whole number (e.g. 5)", header.en),
        ),
        Cell::YesNo => Text::new(
            format!(
                "「{}」は「{}」か「{}」で入力してください",
                header.ja, layout.yes.ja, layout.no.ja
            ),
            format!(
                "\"{}\" takes \"{}\" or \"{}\"",
                header.en, layout.yes.en, layout.no.en
            ),
        ),
        Cell::Date => Text::new(
            format!(
                "「{}」には日付を入力してください（例: 2026/11/26、令和8年11月26日）",
                header.ja
            ),
            format!("\"{}\" takes a date (e.g. 2026/11/26)", header.en),
        ),
        Cell::List(_) => unreachable!("lists of lists do not exist"),
    }
}

/// An Excel date serial (1900 system) as a date; the time of day is dropped.
pub fn serial_date(serial: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Excel counts 1900-02-29, which did not exist: from 1900-03-01 on, day 0 is
    // 1899-12-30.
    let days = serial.floor() as i64;
    let epoch = if days < 60 {
        jiff::civil::date(1899, 12, 31)
    } else {
        jiff::civil::date(1899, 12, 30)
    };
    epoch.checked_add(jiff::Span::new().days(days)).ok()
}

/// The Excel serial of a date (1900 system).
pub fn date_serial(date: Date) -> f64 {
    let epoch = jiff::civil::date(1899, 12, 30);
    (date - epoch).get_days() as f64
}

/// Japanese eras, newest first: name, Latin initial, first day.
const ERAS: [(&str, char, (i16, i8, i8)); 4] = [
    ("令和", 'R', (2019, 5, 1)),
    ("平成", 'H', (1989, 1, 8)),
    ("昭和", 'S', (1926, 12, 25)),
    ("大正", 'T', (1912, 7, 30)),
];

/// `2026/11/01`, `2026-11-01`, `2026.11.1`, `2026年11月1日`, `令和8年11月1日`,
/// `R8.11.1`, `R8/11/1`, `令和元年5月1日`, with full-width digits; a trailing weekday or
/// time is ignored. `None` when it is not a real date.
pub fn parse_date(text: &str) -> Option<Date> {
    let t = normal(text).replace("元年", "1年");
    // The date part only: `2026/11/01 0:00:00`, `2026年11月1日(木)`.
    let t = t
        .split([' ', '(', '（'])
        .next()
        .unwrap_or("")
        .trim_end_matches('日')
        .to_owned();
    let (offset, rest) = match ERAS.iter().find_map(|(name, initial, start)| {
        t.strip_prefix(name)
            .or_else(|| t.strip_prefix(*initial))
            .or_else(|| t.strip_prefix(initial.to_ascii_lowercase()))
            .map(|rest| (Some((start.0 - 1, *start)), rest))
    }) {
        Some(found) => found,
        None => (None, t.as_str()),
    };
    let parts: Vec<&str> = rest
        .split(['/', '-', '.', '年', '月'])
        .filter(|p| !p.is_empty())
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if ![y, m, d].iter().all(|p| all_digits(p)) || m.len() > 2 || d.len() > 2 {
        return None;
    }
    let (y, m, d): (i16, i8, i8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let year = match offset {
        Some((base, start)) => {
            let year = base.checked_add(y)?;
            let date = Date::new(year, m, d).ok()?;
            // A date before its era began is a slip, not a date.
            (date >= Date::new(start.0, start.1, start.2).ok()?).then_some(year)?
        }
        None if (1900..=9999).contains(&y) => y,
        None => return None,
    };
    Date::new(year, m, d).ok()
}

/// How a JSON value is written into a cell of this column.
pub fn write(value: &Value, column: &Column, layout: &Layout, lang: Lang) -> Raw {
    match (value, &column.cell) {
        (Value::Null, _) => Raw::Empty,
        (Value::Array(items), Cell::List(inner)) => {
            let entries: Vec<String> = items
                .iter()
                .map(|v| write(v, &with_cell(column, inner), layout, lang).shown())
                .collect();
            let mut text = entries.join("\n");
            // One entry with a separator in it stays one entry: a line break marks the
            // cell as one-per-line.
            let seps = layout.separators.iter().any(|s| text.contains(s.as_str()));
            if entries.len() == 1 && seps {
                text.push('\n');
            }
            if text.is_empty() {
                Raw::Empty
            } else {
                Raw::Text(text)
            }
        }
        (Value::String(s), Cell::Date) => match s.parse::<Date>() {
            Ok(d) => Raw::Date(d),
            Err(_) => Raw::Text(s.clone()),
        },
        (Value::String(s), _) => Raw::Text(column.label(s, lang).unwrap_or(s).to_owned()),
        (Value::Bool(b), Cell::YesNo) => Raw::Text(
            if *b { &layout.yes } else { &layout.no }
                .get(lang)
                .to_owned(),
        ),
        (Value::Bool(b), _) => Raw::Bool(*b),
        (Value::Number(n), _) => match n.as_f64() {
            Some(f) => Raw::Number(f),
            None => Raw::Text(n.to_string()),
        },
        (other, _) => Raw::Text(other.to_string()),
    }
}

fn with_cell(column: &Column, cell: &Cell) -> Column {
    Column {
        cell: cell.clone(),
        nullable: false,
        ..column.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn column(sheet: &str, path: &str) -> Column {
        Layout::get()
            .sheets
            .iter()
            .find(|s| s.at == sheet)
            .and_then(|s| s.all_columns().find(|c| c.dotted() == path))
            .unwrap()
            .clone()
    }

    fn read_text(sheet: &str, path: &str, text: &str) -> Result<Option<Value>, Expected> {
        read(&Raw::Text(text.into()), &column(sheet, path), Layout::get())
    }

    #[test]
    fn dates_as_clerks_type_them() {
        let day = Some(date(2026, 11, 1));
        for text in [
            "2026/11/01",
            "2026-11-01",
            "2026/11/1",
            "2026.11.1",
            "2026年11月1日",
            "２０２６年１１月１日",
            "令和8年11月1日",
            "令和８年１１月１日",
            "R8.11.1",
            "R8/11/1",
            "r8.11.01",
            "2026/11/01 0:00:00",
            "2026年11月1日(日)",
        ] {
            assert_eq!(parse_date(text), day, "{text}");
        }
        assert_eq!(parse_date("令和元年5月1日"), Some(date(2019, 5, 1)));
        assert_eq!(parse_date("平成31年4月30日"), Some(date(2019, 4, 30)));
        assert_eq!(parse_date("H1.1.8"), Some(date(1989, 1, 8)));
        for bad in [
            "2026/02/30",
            "令和1年4月30日",
            "11/1",
            "来週",
            "2026/11",
            "26/11/01",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn excel_serials() {
        assert_eq!(serial_date(46352.0), Some(date(2026, 11, 26)));
        assert_eq!(serial_date(46352.75), Some(date(2026, 11, 26)));
        assert_eq!(date_serial(date(2026, 11, 26)), 46352.0);
        assert_eq!(serial_date(61.0), Some(date(1900, 3, 1)));
        assert_eq!(serial_date(0.0), None);
    }

    #[test]
    fn yes_no_in_every_spelling() {
        for yes in [
            "はい", "ハイ", "○", "〇", "yes", "YES", "TRUE", "true", "有",
        ] {
            let got = read_text("/accounts", "admin", yes);
            if yes == "ハイ" {
                assert!(got.is_err(), "katakana is not listed");
                continue;
            }
            assert_eq!(got, Ok(Some(Value::Bool(true))), "{yes}");
        }
        for no in ["いいえ", "×", "no", "FALSE", "無"] {
            assert_eq!(
                read_text("/accounts", "admin", no),
                Ok(Some(Value::Bool(false))),
                "{no}"
            );
        }
        let admin = column("/accounts", "admin");
        assert_eq!(
            read(&Raw::Bool(true), &admin, Layout::get()),
            Ok(Some(Value::Bool(true)))
        );
        let err = read_text("/accounts", "admin", "たぶん").unwrap_err();
        assert_eq!(
            err.0.ja,
            "「MCS管理者」は「はい」か「いいえ」で入力してください"
        );
    }

    #[test]
    fn choices_by_label_or_code() {
        for text in ["貸与", "facility", "Facility-owned", "ｆａｃｉｌｉｔｙ"] {
            assert_eq!(
                read_text("/devices", "ownership", text),
                Ok(Some(Value::from("facility"))),
                "{text}"
            );
        }
        let err = read_text("/devices", "ownership", "借り物").unwrap_err();
        assert_eq!(
            err.0.ja,
            "「所有区分」は一覧から選んでください（貸与、個人所有）"
        );
    }

    #[test]
    fn numbers_with_full_width_digits_and_units() {
        for text in ["5", "５", "5分", " ５ 分"] {
            assert_eq!(
                read_text("/devices", "screen_lock.auto_lock_minutes", text),
                Ok(Some(Value::from(5))),
                "{text}"
            );
        }
        assert!(read_text("/devices", "screen_lock.auto_lock_minutes", "五分").is_err());
        let c = column("/devices", "screen_lock.auto_lock_minutes");
        assert_eq!(
            read(&Raw::Number(5.0), &c, Layout::get()),
            Ok(Some(Value::from(5)))
        );
        assert!(read(&Raw::Number(5.5), &c, Layout::get()).is_err());
    }

    #[test]
    fn lists_on_lines_or_with_separators() {
        let apps = |t: &str| read_text("/devices", "apps", t).unwrap().unwrap();
        let want = serde_json::json!(["MCS", "Google Chrome"]);
        assert_eq!(apps("MCS\nGoogle Chrome"), want);
        assert_eq!(apps("MCS\r\nGoogle Chrome\n"), want);
        assert_eq!(apps("MCS、Google Chrome"), want);
        assert_eq!(apps("MCS, Google Chrome"), want);
        assert_eq!(apps("Office, Home\n"), serde_json::json!(["Office, Home"]));
        let wipe = read_text("/devices", "remote_wipe", "MDM（端末管理）\nリモートワイプ");
        assert_eq!(wipe, Ok(Some(serde_json::json!(["mdm", "remote_wipe"]))));
        // Required lists are empty, optional ones absent, nullable ones null.
        let layout = Layout::get();
        let empty = |s: &str, p: &str| read(&Raw::Empty, &column(s, p), layout).unwrap();
        assert_eq!(empty("/devices", "apps"), Some(serde_json::json!([])));
        assert_eq!(empty("/devices", "users"), None);
        assert_eq!(empty("/accounts", "mcs_id"), Some(Value::Null));
        assert_eq!(empty("/accounts", "job"), None);
    }

    #[test]
    fn ids_are_normalised_and_other_text_kept() {
        assert_eq!(
            read_text("/accounts", "id", " ａ１ "),
            Ok(Some(Value::from("a1")))
        );
        assert_eq!(
            read_text("/accounts", "name", "田中　一郎"),
            Ok(Some(Value::from("田中　一郎")))
        );
        let id = column("/accounts", "id");
        assert_eq!(
            read(&Raw::Number(12.0), &id, Layout::get()),
            Ok(Some(Value::from("12")))
        );
    }

    #[test]
    fn writing_then_reading_gives_the_value_back() {
        let layout = Layout::get();
        let cases = [
            ("/devices", "ownership", serde_json::json!("personal")),
            (
                "/devices",
                "apps",
                serde_json::json!(["MCS", "Office, Home"]),
            ),
            ("/devices", "apps", serde_json::json!(["Office, Home"])),
            ("/devices", "remote_wipe", serde_json::json!(["mdm"])),
            ("/accounts", "admin", serde_json::json!(false)),
            (
                "/accounts",
                "pledges.management",
                serde_json::json!("2026-04-01"),
            ),
            ("/accounts", "password.length", serde_json::json!(12)),
            ("/exceptions", "reason", serde_json::json!("disaster")),
            ("/exceptions", "reason", serde_json::json!("頼まれたから")),
        ];
        for (sheet, path, value) in cases {
            let c = column(sheet, path);
            for lang in [Lang::Ja, Lang::En] {
                let raw = write(&value, &c, layout, lang);
                assert_eq!(
                    read(&raw, &c, layout),
                    Ok(Some(value.clone())),
                    "{path} {raw:?}"
                );
            }
        }
    }
}
