//! `rurume template` and `rurume convert`: the inventory as a workbook and back.

use std::path::Path;
use std::process::ExitCode;

use super::{ConvertArgs, Failure, TemplateArgs, lang, load_rules, print, today, use_color};
use crate::engine;
use crate::inventory::Inventory;
use crate::inventory::walk::{self, Candidate};
use crate::lang::{Lang, Text};
use crate::output;
use crate::workbook::{self, layout::Layout, write};

/// A problem with the files of `template` or `convert`: exit 2.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{0}")]
#[diagnostic(code(workbook))]
struct WorkbookError(String);

fn fail(text: Text, lang: Lang) -> Failure {
    Failure::from(WorkbookError(text.get(lang).to_owned()))
}

fn write_file(path: &Path, bytes: &[u8], lang: Lang) -> Result<(), Failure> {
    crate::atomic::write(path, bytes).map_err(|e| {
        let cause = e.kind().to_string();
        let shown = walk::display_path(path);
        fail(
            Text::new(
                format!("{shown} に書き込めません（{cause}）。Excel で開いている場合は閉じてから、もう一度実行してください"),
                format!("cannot write {shown} ({cause}); if it is open in Excel, close it and try again"),
            ),
            lang,
        )
    })
}

/// The workbook of an inventory, `None` when it would not hold it exactly.
fn make_workbook(value: &serde_json::Value, lang: Lang) -> Result<Option<Vec<u8>>, Failure> {
    write::xlsx_exact(value, Layout::get(), lang).map_err(|e| {
        fail(
            Text::new(
                format!("ブックを作れません（{e}）"),
                format!("cannot make the workbook ({e})"),
            ),
            lang,
        )
    })
}

fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

pub fn template(args: TemplateArgs) -> Result<ExitCode, Failure> {
    let lang = lang(args.lang);
    let out = &args.output;
    if !is_xlsx(out) {
        return Err(fail(
            Text::new(
                "--output には .xlsx で終わるファイル名を指定してください（例: 台帳.xlsx）",
                "--output must name a .xlsx file (e.g. inventory.xlsx)",
            ),
            lang,
        ));
    }
    if out.exists() && !args.force {
        let shown = walk::display_path(out);
        return Err(fail(
            Text::new(
                format!(
                    "{shown} はすでにあります。記入済みのブックを消さないよう、上書きしません（上書きするには --force）"
                ),
                format!(
                    "{shown} already exists; it is not overwritten, so that no filled-in workbook is lost (--force overwrites it)"
                ),
            ),
            lang,
        ));
    }
    let mut value = write::empty_inventory();
    if let Some(kind) = &args.kind {
        value["facility"]["kind"] = serde_json::Value::from(kind.as_str());
    }
    let bytes = make_workbook(&value, lang)?.expect("an empty inventory fits a workbook");
    write_file(out, &bytes, lang)?;
    let shown = walk::display_path(out);
    print(lang.pick(
        &format!(
            "{shown} を作りました。Excel で開いて記入し、`rurume check {shown}` で点検できます。\n"
        ),
        &format!(
            "wrote {shown}; fill it in with Excel, and check it with `rurume check {shown}`\n"
        ),
    ));
    Ok(ExitCode::SUCCESS)
}

pub fn convert(args: ConvertArgs) -> Result<ExitCode, Failure> {
    let lang = lang(args.lang);
    let (input, out) = (&args.input, &args.output);
    super::require_existing(input, lang)?;
    let supported = |p: &Path| is_json(p) || workbook::is_workbook(p);
    let to_xlsx = match (supported(input), is_json(out), is_xlsx(out)) {
        (true, false, true) if is_json(input) => true,
        (true, true, false) if workbook::is_workbook(input) => false,
        _ => {
            return Err(fail(
                Text::new(
                    "変換できるのは .json → .xlsx と、ブック（.xlsx .xlsm .xlsb .xls .ods）→ .json です（形式はファイル名の拡張子で決まります）",
                    "convert turns .json into .xlsx, and a workbook (.xlsx .xlsm .xlsb .xls .ods) into .json (the format follows each file's extension)",
                ),
                lang,
            ));
        }
    };
    let rules = load_rules(None, lang)?;
    let candidate = Candidate {
        display: walk::display_path(input),
        path: input.clone(),
        walk_error: None,
        max_file_size: walk::DEFAULT_MAX_FILE_SIZE,
    };
    let inventory = Inventory::load(&candidate);
    let value = inventory.document().map(|d| d.root().to_value());
    // What keeps the file from being a valid inventory: its syntax, its schema, a password
    // written in it. Policy findings do not stop a conversion.
    let report = engine::check(vec![inventory], &rules, today());
    let blocking = ["inventory-syntax", "inventory-schema", "plaintext-password"];
    let file = &report.files[0];
    if file
        .findings
        .iter()
        .any(|l| blocking.contains(&l.finding.rule.as_str()))
    {
        let mut kept = report;
        kept.files[0]
            .findings
            .retain(|l| blocking.contains(&l.finding.rule.as_str()));
        let style = output::human::Style {
            color: use_color(),
            width: super::terminal_width().unwrap_or(100),
            quiet: false,
        };
        print(&output::human::render(&kept, lang, style));
        eprint!(
            "{}",
            lang.pick(
                "台帳として正しくないため、変換していません（何も書き込んでいません）。\n",
                "not converted: the file is not a valid inventory (nothing was written)\n",
            )
        );
        return Ok(ExitCode::from(1));
    }
    let value = value.expect("a file without syntax findings parsed");
    let bytes = if to_xlsx {
        // The promise of `convert`: reading the workbook gives the same inventory.
        make_workbook(&value, lang)?.ok_or_else(|| {
            fail(
                Text::new(
                    "この台帳はブックに変換すると内容が変わってしまうため、変換していません（rurume の不具合です。報告してください）",
                    "not converted: the workbook would not hold exactly this inventory (a bug in rurume; please report it)",
                ),
                lang,
            )
        })?
    } else {
        workbook::json_text(&value).into_bytes()
    };
    write_file(out, &bytes, lang)?;
    let (from, to) = (walk::display_path(input), walk::display_path(out));
    print(lang.pick(
        &format!("{from} を {to} に変換しました。\n"),
        &format!("converted {from} to {to}\n"),
    ));
    Ok(ExitCode::SUCCESS)
}
