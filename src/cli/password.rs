//! `rurume password`.

use std::process::ExitCode;

use super::{Failure, ListFormat, PasswordArgs, load_rules, print, today};
use crate::inventory::walk;
use crate::output;
use crate::output::password::Record;

/// A problem with `rurume password`'s input: exit 2. Never carries the password.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{0}")]
#[diagnostic(code(password))]
struct PasswordError(String);

pub fn password(args: PasswordArgs) -> Result<ExitCode, Failure> {
    use crate::password::{self as pw, input, record};
    let lang = super::lang(args.set.lang);
    let rules = load_rules(args.set.rules.as_ref(), lang)?;
    if let Some(path) = &args.inventory {
        super::require_existing(path, lang)?;
    }
    let as_of = today();
    let fail = |t: crate::lang::Text| Failure::from(PasswordError(t.get(lang).to_owned()));
    let context = match (&args.inventory, &args.account) {
        (Some(path), Some(id)) => {
            Some(record::find_account(path, id).map_err(|e| fail(e.message()))?)
        }
        _ => None,
    };
    // Recording asks twice on a terminal: a typo would otherwise be recorded unseen.
    let recording = args.record || args.record_anyway;
    let prompt = lang.pick(
        "パスワード（入力は表示されません）: ",
        "Password (input is not shown): ",
    );
    let secret = if recording {
        let again = lang.pick(
            "確認のため、もう一度入力してください: ",
            "The same password again, to confirm: ",
        );
        input::read_twice(prompt, again)
    } else {
        input::read(prompt)
    }
    .map_err(|e| fail(e.message()))?;
    let doc_and_index = context
        .as_ref()
        .and_then(|(inv, i)| inv.document().map(|d| (d.root().to_value(), *i)));
    let assessment = pw::assess(
        &secret,
        doc_and_index.as_ref().map(|(v, i)| (v, *i)),
        &rules,
        as_of,
    );
    drop(secret);
    // Never make the record worse: a failing password leaves the file as it was, byte for
    // byte, unless --record-anyway says otherwise.
    let at;
    let record = match (&context, &args.inventory) {
        (Some((inv, i)), Some(path)) if recording => {
            if assessment.passes() || args.record_anyway {
                // Recording a password means it was set today (`password.changed`).
                let recorded = assessment.properties.recorded_on(as_of);
                let bytes = record::updated_bytes(inv, *i, &recorded, record::has_bom(path))
                    .map_err(|e| fail(e.message()))?;
                record::write_atomically(path, &bytes).map_err(|e| fail(e.message()))?;
                at = format!("{} /accounts/{i}/password", walk::display_path(path));
                Record::Recorded {
                    at: &at,
                    anyway: !assessment.passes(),
                }
            } else {
                Record::Refused
            }
        }
        _ => Record::NotAsked,
    };
    let text = match args.format {
        ListFormat::Human => output::password::human(&assessment, record, lang),
        ListFormat::Json => output::password::json(&assessment, record, lang),
    };
    print(&text);
    // A failing password exits 1, recorded anyway or not.
    Ok(if assessment.passes() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
