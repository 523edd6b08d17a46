//! `rurume audit --format table`: the matrix for a terminal, for the association's office.
//!
//! Its parts, each fitted to the width (display columns: a Japanese character counts
//! two, by `unicode-width`):
//!
//! 1. one line per facility: code, name, kind, errors, warnings, waived, compliant or not;
//!    the name is shortened (`...`) when the line would not fit, the kind is dropped on a
//!    very narrow terminal;
//! 2. the matrix of unwaived findings, facility by rule. Only the rules with at least one
//!    unwaived finding get a column, headed by the rule's number (its place in the full
//!    column order, stable across runs) and explained in a legend below, with the rule's
//!    article, severity, count and compliance rate. `.` is none, `-` not evaluated. When the
//!    columns do not fit, the matrix is cut into blocks of columns, each repeating the
//!    facility codes;
//! 3. with the `mhlw` profile in force, the MHLW checklist's answers: per facility its
//!    numbers of はい / いいえ / 要確認 and the items answered いいえ (number and short name,
//!    never cut between lines), then each item's answers counted over the facilities;
//! 4. the totals and the compliance rate, with its definition, and the round's lists.
//!
//! Only ASCII is used for the layout: box-drawing characters and `…` are "ambiguous width"
//! and misalign on terminals that show them wide, as Japanese terminals often do. Control
//! and bidirectional-override characters of facility names are replaced by `?`.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{
    ANSWERS, checklist_totals, compliance_definition, kind_label, rate_label, severity_label,
    unknown_key,
};
use crate::audit::Matrix;
use crate::audit::changes::Changes;
use crate::checklist::Answer;
use crate::lang::Lang;

/// Below this the layout stops shrinking (lines may then be longer than the terminal).
const MIN_WIDTH: usize = 30;
/// The facility code column never takes more than this, nor more than a quarter of the
/// width (a file path standing for a code is shortened from the left).
const MAX_CODE: usize = 24;
const GAP: &str = "  ";

pub fn render(m: &Matrix, lang: Lang, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let mut lines: Vec<String> = Vec::new();
    let title = match lang {
        Lang::Ja => format!(
            "るるめネット 台帳点検の準拠状況（基準日 {}、{} 事業所）",
            m.as_of, m.totals.facilities
        ),
        Lang::En => format!(
            "Compliance of the inventories as of {}: {} facilities",
            m.as_of, m.totals.facilities
        ),
    };
    lines.extend(wrap(&title, width, 0));
    lines.push(String::new());

    let code_w = m
        .rows
        .iter()
        .map(|r| display_width(&clean(r.label())))
        .chain([
            display_width(code_header(lang)),
            display_width(total_label(lang)),
        ])
        .max()
        .unwrap_or(0)
        .min(MAX_CODE.min(width / 4).max(8));

    facilities(m, lang, width, code_w, &mut lines);
    lines.push(String::new());
    matrix(m, lang, width, code_w, &mut lines);
    lines.push(String::new());
    if m.checklist.is_some() {
        checklist(m, lang, width, code_w, &mut lines);
        lines.push(String::new());
    }
    footer(m, lang, width, &mut lines);

    let mut out = String::new();
    for line in lines {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn code_header(lang: Lang) -> &'static str {
    lang.pick("コード", "Code")
}

fn total_label(lang: Lang) -> &'static str {
    lang.pick("計", "Total")
}

/// Columns of part 1: code, name, kind, submitted, accounts, devices, errors, warnings,
/// waived, status.
const COLS: usize = 10;

/// Part 1: one line per facility.
fn facilities(m: &Matrix, lang: Lang, width: usize, code_w: usize, lines: &mut Vec<String>) {
    let unknown = lang.pick("(不明)", "(unknown)");
    let headers = [
        code_header(lang),
        lang.pick("事業所名", "Facility"),
        lang.pick("種別", "Kind"),
        lang.pick("提出日", "Submitted"),
        lang.pick("アカウント", "Accounts"),
        lang.pick("端末", "Devices"),
        lang.pick("エラー", "Errors"),
        lang.pick("警告", "Warnings"),
        lang.pick("免除", "Waived"),
        lang.pick("判定", "Status"),
    ];
    let status = |ok: bool| match (lang, ok) {
        (Lang::Ja, true) => "適合",
        (Lang::Ja, false) => "不適合",
        (Lang::En, true) => "compliant",
        (Lang::En, false) => "NOT compliant",
    };
    let mut rows: Vec<[String; COLS]> = m
        .rows
        .iter()
        .map(|r| {
            [
                shorten_left(&clean(r.label()), code_w),
                clean(r.name.as_deref().unwrap_or(unknown)),
                r.kind
                    .as_deref()
                    .map_or_else(|| unknown.to_owned(), |k| clean(kind_label(k, lang))),
                clean(r.submitted.as_deref().unwrap_or("-")),
                r.accounts.map_or_else(|| "-".to_owned(), |n| n.to_string()),
                r.devices.map_or_else(|| "-".to_owned(), |n| n.to_string()),
                r.errors.to_string(),
                r.warnings.to_string(),
                r.waived.to_string(),
                status(r.compliant()).to_owned(),
            ]
        })
        .collect();
    let t = &m.totals;
    let total = [
        total_label(lang).to_owned(),
        String::new(),
        String::new(),
        String::new(),
        m.rows
            .iter()
            .filter_map(|r| r.accounts)
            .sum::<usize>()
            .to_string(),
        m.rows
            .iter()
            .filter_map(|r| r.devices)
            .sum::<usize>()
            .to_string(),
        t.errors.to_string(),
        t.warnings.to_string(),
        t.waived.to_string(),
        rate_label(t.rate()),
    ];
    let mut widths: [usize; COLS] = std::array::from_fn(|i| {
        rows.iter()
            .chain([&total])
            .map(|r| display_width(&r[i]))
            .chain([display_width(headers[i])])
            .max()
            .unwrap_or(0)
    });
    widths[0] = code_w;
    let mut shown = [true; COLS];
    let fixed = |widths: &[usize; COLS], shown: &[bool; COLS]| -> usize {
        let cols: Vec<usize> = (0..COLS).filter(|&i| shown[i] && i != 1).collect();
        cols.iter().map(|&i| widths[i]).sum::<usize>() + cols.len() * GAP.len()
    };
    // The name matters more than the kind: the kind is shown only when the names fit whole.
    let min_name = 10;
    // Then the submitted date, then the numbers of accounts and devices.
    for drop in [2, 3, 4, 5] {
        if width < fixed(&widths, &shown) + widths[1] {
            shown[drop] = false;
        }
    }
    if width < fixed(&widths, &shown) + min_name {
        // Too narrow for a table: two lines per facility.
        for (r, cells) in m.rows.iter().zip(&rows) {
            let head = match &r.kind {
                Some(_) => format!(
                    "{}  {}{}{}{}",
                    cells[0],
                    cells[1],
                    lang.pick("（", " ("),
                    cells[2],
                    lang.pick("）", ")")
                ),
                None => format!("{}  {}", cells[0], cells[1]),
            };
            lines.extend(wrap(&head, width, 2));
            let counts = format!(
                "  {} {} / {} {} / {} {} / {}",
                headers[6], cells[6], headers[7], cells[7], headers[8], cells[8], cells[9]
            );
            lines.extend(wrap(&counts, width, 4));
        }
        return;
    }
    let room = width.saturating_sub(fixed(&widths, &shown));
    widths[1] = widths[1].min(room.max(min_name));
    for r in &mut rows {
        r[1] = shorten(&r[1], widths[1]);
    }

    let right = [
        false, false, false, false, true, true, true, true, true, false,
    ];
    let line = |cells: &[String; COLS]| -> String {
        (0..COLS)
            .filter(|&i| shown[i])
            .map(|i| pad(&cells[i], widths[i], right[i]))
            .collect::<Vec<_>>()
            .join(GAP)
    };
    lines.push(line(&headers.map(str::to_owned)));
    lines.push(line(&std::array::from_fn(|i| "-".repeat(widths[i]))));
    lines.extend(rows.iter().map(line));
    lines.push(line(&std::array::from_fn(|i| "-".repeat(widths[i]))));
    lines.push(line(&total));
}

/// Part 2: the matrix of the rules with unwaived findings, and its legend.
fn matrix(m: &Matrix, lang: Lang, width: usize, code_w: usize, lines: &mut Vec<String>) {
    let heading = lang.pick(
        "規則ごとの指摘件数（免除分を除く）",
        "Unwaived findings per rule",
    );
    lines.extend(wrap(heading, width, 0));
    let shown: Vec<usize> = (0..m.columns.len())
        .filter(|&c| m.columns[c].total > 0)
        .collect();
    if shown.is_empty() {
        lines.extend(wrap(
            lang.pick(
                "免除されていない指摘はありません。",
                "No unwaived finding in any facility.",
            ),
            width,
            2,
        ));
        return;
    }

    // The items of a line: rule columns, then the facility total.
    struct Item {
        header: String,
        cells: Vec<String>,
        total: String,
        width: usize,
    }
    let mut items: Vec<Item> = shown
        .iter()
        .map(|&c| {
            let cells: Vec<String> = m
                .rows
                .iter()
                .map(|r| match (r.evaluated[c], r.counts[c]) {
                    (false, _) => "-".to_owned(),
                    (true, 0) => ".".to_owned(),
                    (true, n) => n.to_string(),
                })
                .collect();
            let header = (c + 1).to_string();
            let total = m.columns[c].total.to_string();
            let width = cells
                .iter()
                .chain([&header, &total])
                .map(|s| s.len())
                .max()
                .unwrap_or(0)
                .max(2);
            Item {
                header,
                cells,
                total,
                width,
            }
        })
        .collect();
    let sum_header = total_label(lang).to_owned();
    let sum_cells: Vec<String> = m.rows.iter().map(|r| r.findings().to_string()).collect();
    let sum_total = (m.totals.errors + m.totals.warnings).to_string();
    let sum_width = sum_cells
        .iter()
        .chain([&sum_total])
        .map(|s| s.len())
        .chain([display_width(&sum_header)])
        .max()
        .unwrap_or(0)
        + 1;
    items.push(Item {
        header: sum_header,
        cells: sum_cells,
        total: sum_total,
        width: sum_width,
    });

    // Blocks of items that fit beside the codes.
    let room = width.saturating_sub(code_w);
    let mut blocks: Vec<Vec<&Item>> = vec![Vec::new()];
    let mut used = 0;
    for item in &items {
        let need = item.width + 1;
        let block = blocks.last_mut().expect("never empty");
        if !block.is_empty() && used + need > room {
            blocks.push(Vec::new());
            used = 0;
        }
        blocks.last_mut().expect("never empty").push(item);
        used += need;
    }
    // The facilities' totals alone on a block would waste a block: part 1 has them.
    if blocks.len() > 1 && blocks.last().is_some_and(|b| b.len() == 1) {
        blocks.pop();
    }

    let labels: Vec<String> = m
        .rows
        .iter()
        .map(|r| shorten_left(&clean(r.label()), code_w))
        .collect();
    for (b, block) in blocks.iter().enumerate() {
        if b > 0 {
            lines.push(String::new());
        }
        let row = |label: &str, cell: &dyn Fn(&Item) -> String| -> String {
            let mut s = pad(label, code_w, false);
            for item in block {
                s.push(' ');
                s.push_str(&pad(&cell(item), item.width, true));
            }
            s
        };
        lines.push(row(code_header(lang), &|i| i.header.clone()));
        let rule = row(&"-".repeat(code_w), &|i| "-".repeat(i.width));
        lines.push(rule.clone());
        for (r, label) in labels.iter().enumerate() {
            lines.push(row(label, &|i| i.cells[r].clone()));
        }
        lines.push(rule);
        lines.push(row(total_label(lang), &|i| i.total.clone()));
    }
    let mut key = lang.pick(". = 0 件", ". = none").to_owned();
    if m.rows.iter().any(|r| r.partly_evaluated()) {
        key.push_str(lang.pick(
            "、- = 評価していない（JSON として読めないか形式違反のため。inventory-syntax / inventory-schema を直すと評価されます）",
            ", - = not evaluated (the file is not valid JSON or breaks the schema; once inventory-syntax / inventory-schema are fixed, the rules run)",
        ));
    }
    lines.extend(wrap(&key, width, 2));
    lines.push(String::new());
    legend(m, lang, width, &shown, lines);
}

/// The rules of the matrix: number, id, severity, article, findings, rate, and the title,
/// wrapped in the room left.
fn legend(m: &Matrix, lang: Lang, width: usize, shown: &[usize], lines: &mut Vec<String>) {
    const N: usize = 6;
    let headers = [
        "No",
        lang.pick("規則", "Rule"),
        lang.pick("重大度", "Severity"),
        lang.pick("件数", "Findings"),
        lang.pick("適合率", "Compliant"),
        lang.pick("規則名 [根拠]", "Title [article]"),
    ]
    .map(str::to_owned);
    let headers: [String; N + 1] =
        std::array::from_fn(|i| headers.get(i).cloned().unwrap_or_default());
    // The last two cells share the title column: the article follows the title.
    let rows: Vec<[String; N + 1]> = shown
        .iter()
        .map(|&c| {
            let col = &m.columns[c];
            let article = if col.is_format() {
                lang.pick("形式", "format").to_owned()
            } else {
                clean(&col.source)
            };
            [
                (c + 1).to_string(),
                col.id.clone(),
                severity_label(col.severity, lang).to_owned(),
                col.total.to_string(),
                rate_label(col.rate),
                clean(col.title.get(lang)),
                format!("[{article}]"),
            ]
        })
        .collect();
    let mut widths: [usize; N] = std::array::from_fn(|i| {
        rows.iter()
            .map(|r| match i {
                _ if i == N - 1 => display_width(&r[i]) + 1 + display_width(&r[N]),
                _ => display_width(&r[i]),
            })
            .chain([display_width(&headers[i])])
            .max()
            .unwrap_or(0)
    });
    let right = [true, false, false, true, true, false];
    let fixed: usize = widths[..N - 1].iter().sum::<usize>() + (N - 1) * GAP.len();
    let title = |r: &[String; N + 1], width: usize| -> Vec<String> {
        let mut t = wrap(&r[N - 1], width, 0);
        if !r[N].is_empty() {
            let last = t.last_mut().expect("wrap gives a line");
            if display_width(last) + 1 + display_width(&r[N]) <= width {
                last.push(' ');
                last.push_str(&r[N]);
            } else {
                t.extend(wrap(&r[N], width, 0));
            }
        }
        t
    };
    if width < fixed + 24 {
        // Too narrow for a table: the facts of a rule on one wrapped line, its title below.
        for r in &rows {
            lines.extend(wrap(&format!("{:>2}  {}", r[0], r[1]), width, 4));
            let facts = format!(
                "    {}  {} {}  {} {}",
                r[2], headers[3], r[3], headers[4], r[4]
            );
            lines.extend(wrap(&facts, width, 4));
            lines.extend(title(r, width - 4).iter().map(|t| format!("    {t}")));
        }
    } else {
        // The title wraps in the room left.
        widths[N - 1] = widths[N - 1].min(width - fixed);
        let cells = |r: &[String; N + 1]| -> String {
            (0..N - 1)
                .map(|i| pad(&r[i], widths[i], right[i]))
                .collect::<Vec<_>>()
                .join(GAP)
        };
        let indent = " ".repeat(fixed);
        let mut push = |r: &[String; N + 1]| {
            let title = title(r, widths[N - 1]);
            lines.push(format!("{}{GAP}{}", cells(r), title[0]));
            lines.extend(title[1..].iter().map(|t| format!("{indent}{t}")));
        };
        push(&headers);
        push(&std::array::from_fn(|i| match i {
            N => String::new(),
            _ => "-".repeat(widths[i]),
        }));
        for r in &rows {
            push(r);
        }
    }

    let clean_rules: Vec<&str> = m
        .columns
        .iter()
        .filter(|c| c.total == 0)
        .map(|c| c.id.as_str())
        .collect();
    if !clean_rules.is_empty() {
        let text = format!(
            "{} ({}): {}",
            lang.pick(
                "免除分を除き指摘のなかった規則",
                "Rules with no unwaived finding"
            ),
            clean_rules.len(),
            clean_rules.join(", ")
        );
        lines.push(String::new());
        lines.extend(wrap(&text, width, 2));
    }
}

/// Part 3, with the `mhlw` profile in force: the MHLW checklist's answers. One line per
/// facility (its numbers of はい, いいえ and 要確認, and the items answered いいえ by number
/// and short name, wrapped in the room left), then each item's answers counted over the
/// facilities.
fn checklist(m: &Matrix, lang: Lang, width: usize, code_w: usize, lines: &mut Vec<String>) {
    let Some(items) = &m.checklist else {
        return;
    };
    lines.extend(wrap(
        lang.pick(
            "厚生労働省 サイバーセキュリティ対策チェックリストの回答",
            "Answers to the MHLW cybersecurity checklist",
        ),
        width,
        0,
    ));
    let labels = ANSWERS.map(|a| a.label(lang));
    let no_items = lang.pick("いいえの項目", "Items answered no");
    let sep = lang.pick("、", ", ");
    let named = |i: usize| format!("{} {}", items[i].number, items[i].short.get(lang));
    let rows: Vec<(String, [usize; 3], Vec<String>)> = m
        .rows
        .iter()
        .map(|r| {
            let answers = r.checklist.as_ref().map_or(&[][..], |c| &c.answers[..]);
            let counts = r
                .checklist
                .as_ref()
                .map_or([0; 3], |c| ANSWERS.map(|a| c.count(a)));
            let no: Vec<String> = (0..answers.len())
                .filter(|&i| answers[i].answer == Answer::No)
                .map(named)
                .collect();
            (shorten_left(&clean(r.label()), code_w), counts, no)
        })
        .collect();
    let totals = checklist_totals(m);
    let sums: [usize; 3] =
        std::array::from_fn(|k| rows.iter().map(|(_, c, _)| c[k]).sum::<usize>());
    let widths: [usize; 3] =
        std::array::from_fn(|k| display_width(labels[k]).max(sums[k].to_string().len()));
    let fixed = code_w + widths.iter().sum::<usize>() + 4 * GAP.len();
    // The list beside the counts when it has room, else below them.
    let beside = width >= fixed + 30;
    let line = |code: &str, cells: [String; 3], list: &[String]| -> Vec<String> {
        let mut head = pad(code, code_w, false);
        for (k, cell) in cells.iter().enumerate() {
            head.push_str(GAP);
            head.push_str(&pad(cell, widths[k], true));
        }
        if list.is_empty() {
            return vec![head];
        }
        let (indent, room) = match beside {
            true => (fixed, width - fixed),
            false => (4, width.saturating_sub(4)),
        };
        let packed = pack(list, sep, room);
        let mut out = Vec::new();
        let mut rest = &packed[..];
        if beside {
            out.push(format!("{head}{GAP}{}", packed[0]));
            rest = &packed[1..];
        } else {
            out.push(head);
        }
        out.extend(rest.iter().map(|l| format!("{}{l}", " ".repeat(indent))));
        out
    };
    let rule: [String; 3] = std::array::from_fn(|k| "-".repeat(widths[k]));
    let head = [no_items.to_owned()];
    lines.extend(line(
        code_header(lang),
        labels.map(str::to_owned),
        if beside { &head } else { &[] },
    ));
    lines.extend(line(&"-".repeat(code_w), rule.clone(), &[]));
    for (code, counts, no) in &rows {
        lines.extend(line(code, counts.map(|n| n.to_string()), no));
    }
    lines.extend(line(&"-".repeat(code_w), rule, &[]));
    lines.extend(line(total_label(lang), sums.map(|n| n.to_string()), &[]));

    // Each item: how many facilities answered what.
    lines.push(String::new());
    let item_head = lang.pick("項目", "Item");
    let names: Vec<String> = (0..items.len()).map(named).collect();
    let name_w = names
        .iter()
        .map(|n| display_width(n))
        .chain([display_width(item_head)])
        .max()
        .unwrap_or(0)
        .min(width.saturating_sub(3 * (GAP.len() + 6)).max(10));
    let widths: [usize; 3] =
        std::array::from_fn(|k| display_width(labels[k]).max(m.rows.len().to_string().len()));
    let item_line = |name: &str, cells: [String; 3]| -> String {
        let mut s = pad(&shorten(name, name_w), name_w, false);
        for (k, cell) in cells.iter().enumerate() {
            s.push_str(GAP);
            s.push_str(&pad(cell, widths[k], true));
        }
        s
    };
    lines.push(item_line(item_head, labels.map(str::to_owned)));
    lines.push(item_line(
        &"-".repeat(name_w),
        std::array::from_fn(|k| "-".repeat(widths[k])),
    ));
    for (name, t) in names.iter().zip(&totals) {
        lines.push(item_line(name, t.map(|n| n.to_string())));
    }
    lines.extend(wrap(unknown_key(lang), width, 2));
}

/// Part 4: totals and the compliance rate.
fn footer(m: &Matrix, lang: Lang, width: usize, lines: &mut Vec<String>) {
    let t = &m.totals;
    let totals = match lang {
        Lang::Ja => format!(
            "合計: エラー {} 件、警告 {} 件、免除 {} 件（{} 事業所）",
            t.errors, t.warnings, t.waived, t.facilities
        ),
        Lang::En => format!(
            "Total: {} errors, {} warnings, {} waived in {} facilities",
            t.errors, t.warnings, t.waived, t.facilities
        ),
    };
    let rate = format!(
        "{}: {} {}。{}",
        lang.pick("適合率", "Compliance rate"),
        rate_label(t.rate()),
        lang.pick("事業所が適合", "facilities compliant"),
        compliance_definition(lang),
    );
    let rate = match lang {
        Lang::Ja => rate,
        Lang::En => rate.replacen('。', "; ", 1),
    };
    lines.extend(wrap(&totals, width, 2));
    lines.extend(wrap(&rate, width, 2));
    round(m, lang, width, lines);
}

/// Part 5, when there is something to say: superseded files, the roster's lists, the
/// changes since the previous round (per facility and per rule, those with any).
fn round(m: &Matrix, lang: Lang, width: usize, lines: &mut Vec<String>) {
    let mut list = |title: String, items: Vec<String>| {
        if items.is_empty() {
            return;
        }
        lines.push(String::new());
        lines.extend(wrap(&title, width, 0));
        for item in items {
            lines.extend(wrap(&format!("  {}", clean(&item)), width, 4));
        }
    };
    for (title, items) in super::round_lists(m, lang, ("  ", "  ")) {
        list(title, items);
    }
    let Some(p) = &m.previous else {
        return;
    };
    let words = |c: Changes| match lang {
        Lang::Ja => format!(
            "新たな指摘 {}、改善済み {}、継続 {}",
            c.new, c.fixed, c.persisting
        ),
        Lang::En => format!(
            "new {}, fixed {}, persisting {}",
            c.new, c.fixed, c.persisting
        ),
    };
    list(
        match lang {
            Lang::Ja => format!(
                "前回（{} 事業所）からの変化: {}",
                p.facilities,
                words(p.total)
            ),
            Lang::En => format!(
                "Since the previous round ({} facilities): {}",
                p.facilities,
                words(p.total)
            ),
        },
        m.rows
            .iter()
            .filter_map(|r| {
                let c = r.changes.as_ref()?;
                let first = if c.in_previous {
                    ""
                } else {
                    lang.pick("（前回の提出なし）", " (not in the previous round)")
                };
                Some(format!("{}  {}{first}", r.label(), words(c.total)))
            })
            .collect(),
    );
    list(
        lang.pick("規則ごとの変化", "Changes per rule").to_owned(),
        m.columns
            .iter()
            .filter_map(|c| {
                let n = c.changes?;
                (n != Changes::default())
                    .then(|| format!("{} ({})  {}", c.short.get(lang), c.id, words(n)))
            })
            .collect(),
    );
}

/// Items joined by `sep` into lines of at most `width` columns, an item never cut
/// between lines (one longer than a line is wrapped on its own).
fn pack(items: &[String], sep: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for (i, item) in items.iter().enumerate() {
        let piece = match i + 1 < items.len() {
            true => format!("{item}{}", sep.trim_end()),
            false => item.clone(),
        };
        // The separator's trailing spaces go between items on a line, not at its end.
        let space = match line.is_empty() {
            true => 0,
            false => sep.len() - sep.trim_end().len(),
        };
        if !line.is_empty() && display_width(&line) + space + display_width(&piece) > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push_str(&" ".repeat(space));
        }
        if display_width(&piece) > width {
            let mut wrapped = wrap(&piece, width, 0);
            line = wrapped.pop().unwrap_or_default();
            lines.extend(wrapped);
        } else {
            line.push_str(&piece);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Control characters and bidirectional controls would move the cursor or reorder the
/// line: they become `?`.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            let bidi = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            if c.is_control() || bidi { '?' } else { c }
        })
        .collect()
}

fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(display_width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// At most `width` columns, ending with `...` when cut.
fn shorten(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_owned();
    }
    let dots = if width >= 4 { "..." } else { "" };
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + dots.len() > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out + dots
}

/// At most `width` columns, starting with `...` when cut: the end of a path matters most.
fn shorten_left(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_owned();
    }
    let dots = if width >= 4 { "..." } else { "" };
    let mut tail: Vec<char> = Vec::new();
    let mut used = 0;
    for c in s.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w + dots.len() > width {
            break;
        }
        tail.push(c);
        used += w;
    }
    dots.to_owned() + &tail.into_iter().rev().collect::<String>()
}

/// Word-wraps to `width` display columns; continuation lines are indented by `indent`.
/// Japanese text breaks between characters, but not before closing punctuation nor after
/// opening brackets.
fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    const NO_BREAK_BEFORE: &str = "、。，．）」』】〕！？：；ー";
    const NO_BREAK_AFTER: &str = "（「『【〔";
    let mut tokens: Vec<String> = Vec::new();
    let mut glue_next = false;
    for c in text.chars() {
        let wide = c.width().unwrap_or(0) > 1;
        let join = match tokens.last().and_then(|t| t.chars().last()) {
            None => false,
            Some(_) if glue_next || NO_BREAK_BEFORE.contains(c) || c.is_whitespace() => true,
            // A word of narrow characters goes on; spaces end it.
            Some(p) => !wide && !p.is_whitespace() && p.width().unwrap_or(0) <= 1,
        };
        match tokens.last_mut() {
            Some(t) if join => t.push(c),
            _ => tokens.push(c.to_string()),
        }
        glue_next = NO_BREAK_AFTER.contains(c);
    }

    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for token in tokens {
        let w = display_width(token.trim_end());
        if used > 0 && used + w > width {
            lines.push(line.trim_end().to_owned());
            line = " ".repeat(indent);
            used = indent;
            let token = token.trim_start();
            used += display_width(token);
            line.push_str(token);
        } else {
            used += display_width(&token);
            line.push_str(&token);
        }
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_owned());
    }
    // A token longer than a line is cut where it must be.
    lines
        .into_iter()
        .flat_map(|l| hard_split(&l, width, indent))
        .collect()
}

fn hard_split(line: &str, width: usize, indent: usize) -> Vec<String> {
    if display_width(line) <= width {
        return vec![line.to_owned()];
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut used = 0;
    for c in line.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width && used > indent {
            out.push(std::mem::take(&mut cur));
            cur = " ".repeat(indent);
            used = indent;
        }
        cur.push(c);
        used += w;
    }
    out.push(cur);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortening_counts_display_columns() {
        assert_eq!(shorten("ひがし内科クリニック", 10), "ひがし...");
        assert_eq!(display_width(&shorten("ひがし内科クリニック", 11)), 11);
        assert_eq!(shorten_left("samples/broken/file.json", 12), "...file.json");
        assert_eq!(shorten("abc", 3), "abc");
    }

    #[test]
    fn wrapping_fits() {
        let text = "適合率: 2/7 (28%) 事業所が適合。適合 = 免除されていないエラーが 0 件（警告と第10条により免除された指摘は数えません）";
        for w in [20, 33, 40, 80] {
            for l in wrap(text, w, 2) {
                assert!(display_width(&l) <= w, "{w}: {l}");
            }
        }
        let en = "Rules with no unwaived finding (3): admin-missing, antivirus, antivirus-stale";
        let lines = wrap(en, 40, 2);
        assert!(lines.iter().all(|l| display_width(l) <= 40), "{lines:?}");
        assert!(lines[1].starts_with("  "));
        assert!(!wrap("あ（い）う", 6, 0).iter().any(|l| l.starts_with('）')));
    }

    #[test]
    fn packing_keeps_each_item_whole_and_fits() {
        let items: Vec<String> = ["2-⑥ パッチ適用", "2-⑧ 使い回し禁止", "3-③ BCP"]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(
            pack(&items, "、", 41),
            ["2-⑥ パッチ適用、2-⑧ 使い回し禁止、3-③ BCP"]
        );
        let lines = pack(&items, "、", 26);
        assert_eq!(lines, ["2-⑥ パッチ適用、", "2-⑧ 使い回し禁止、3-③ BCP"]);
        let en: Vec<String> = ["2-⑥ Security patches", "3-③ Cyber-attack BCP"]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(
            pack(&en, ", ", 24),
            ["2-⑥ Security patches,", "3-③ Cyber-attack BCP"]
        );
        assert_eq!(
            pack(&en, ", ", 60),
            ["2-⑥ Security patches, 3-③ Cyber-attack BCP"]
        );
        // An item longer than a line is wrapped on its own.
        for l in pack(&en, ", ", 10) {
            assert!(display_width(&l) <= 10, "{l}");
        }
    }

    #[test]
    fn controls_are_replaced() {
        assert_eq!(clean("a\u{1b}[2Jb\u{202e}c"), "a?[2Jb?c");
    }
}
