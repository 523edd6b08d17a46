//! The HTTP API behind the page: the same checks as the command line, as JSON.
//!
//! - `POST /api/check?as_of=YYYY-MM-DD&lang=ja|en`: an inventory in, the document of
//!   `rurume check --format json` for that one file (named `inventory.json`) out, with
//!   the page's wording of messages and fixes (the rules' `page_message`/`page_fix`: the
//!   form's labels, never field names, pointers or commands).
//! - `POST /api/password`: `{ "password", "inventory", "account", "lang", "record",
//!   "record_anyway" }` in, the verdict and the properties of `rurume password --format
//!   json` out — never the password. With `"record": true` the answer says whether the page
//!   may record the properties (`"record": "allowed"`); a failing password is refused
//!   (409, `"record": "refused"`) unless `"record_anyway": true` is in the request.
//!   A workbook body (`.xlsx`, `.xls`, `.ods`…) is read as `inventory.xlsx`: its findings
//!   carry `cell`.
//! - `POST /api/import?lang=ja|en`: a workbook in, `{ "inventory", "notes" }` out: the
//!   inventory its cells say (`null` when it cannot be read) and the findings about cells
//!   that have no place in the JSON (with `cell`), or the reason it cannot be read.
//! - `POST /api/export?lang=ja|en`: an inventory (JSON) in, its workbook out (`.xlsx`),
//!   exactly as `rurume convert` writes it; 422 when the workbook would not hold it whole.
//! - `POST /api/repair?lang=ja|en`: a file that is not JSON in, `{ "slips", "repaired" }`
//!   out: each slip typed by hand (IME punctuation, a comma too many or missing, a quote
//!   missing) with its line, column, masked excerpt and explanation, and the file with
//!   them repaired when that is unambiguous (else `null`); see [`super::repair`].
//! - `POST /api/checklist?as_of=YYYY-MM-DD&lang=ja|en`: an inventory in, the MHLW
//!   checklist answered for it out: `rurume checklist --format json` for that one file
//!   (answered as `rurume checklist` answers it: by every profile of the rule set in
//!   force, built-in or `--rules DIR`, tuned by the configuration, with that set's mapping,
//!   a `--rules DIR`'s own `checklist.toml` else the built-in one; whatever profiles the
//!   page checks with),
//!   plus `sheet`: the items in the form's order in the page's words (the pharmacy wording
//!   for a pharmacy), each いいえ with its findings and their fixes, each 要確認 with what
//!   to check by hand.
//! - `GET /api/settings?lang=ja|en`: what the page says beyond the rules: `submit`, how to
//!   submit the saved inventory (`[serve] submit` of rurume.toml, else a default).
//! - `GET /api/rules?lang=ja|en`: `rurume rules --format json`.
//! - `GET /api/schema`: `rurume schema`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::checklist::{Answer, Checklist};
use crate::engine;
use crate::finding::Reader;
use crate::inventory::Inventory;
use crate::inventory::schema::SCHEMA;
use crate::lang::{Lang, Text};
use crate::output;
use crate::output::password::Record;
use crate::password::{self, input::InputError, record::RecordError};
use crate::rules::RuleSet;

/// The name `/api/check` gives the inventory in its findings.
pub const FILE_NAME: &str = "inventory.json";

/// Bodies of `/api/check` above this size are refused (413).
pub const CHECK_LIMIT: usize = 10 * 1024 * 1024;
/// Bodies of `/api/password` above this size are refused (413). The page sends the
/// facility and the one account, not the whole inventory.
pub const PASSWORD_LIMIT: usize = 64 * 1024;

#[derive(Clone)]
pub struct Api {
    pub rules: Arc<RuleSet>,
    /// The language when a request does not say.
    pub lang: Lang,
    pub page: Arc<Page>,
}

/// What the page knows besides the rules it checks with.
pub struct Page {
    /// The MHLW checklist's mapping (`rules/checklist.toml`, or a `--rules DIR`'s own).
    pub checklist: Checklist,
    /// The rules that answer it: every profile of the rule set in force (built-in or
    /// `--rules DIR`), tuned by the configuration.
    pub checklist_rules: RuleSet,
    /// `[serve] submit` of rurume.toml: how a facility submits its inventory.
    pub submit: Option<Text>,
}

/// How to submit, when rurume.toml does not say.
pub fn default_submit() -> Text {
    Text::new(
        "保存したファイルを、医師会事務局へメールに添付して送ってください（送り先は事務局からのお知らせに書かれています）。",
        "email the saved file to the medical association's office (the address is in the office's notice).",
    )
}

/// A request the API cannot answer: its status and a message, as `{"error": …}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn bad(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    fn body(rejection: BytesRejection, lang: Lang, limit: usize) -> ApiError {
        let status = rejection.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            return ApiError::too_large(limit, lang);
        }
        let message = lang.pick(
            "送られたデータを読めませんでした",
            "the request body could not be read",
        );
        ApiError {
            status,
            message: message.to_owned(),
        }
    }

    fn too_large(limit: usize, lang: Lang) -> ApiError {
        let size = if limit >= 1024 * 1024 {
            format!("{} MB", limit / (1024 * 1024))
        } else {
            format!("{} KB", limit / 1024)
        };
        let message = match lang {
            Lang::Ja => format!("送られたデータが大きすぎます（上限 {size}）"),
            Lang::En => format!("the request body is too large (the limit is {size})"),
        };
        ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            message,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({ "error": self.message }).to_string() + "\n";
        (
            self.status,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            body,
        )
            .into_response()
    }
}

fn json_response(text: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        text,
    )
        .into_response()
}

type Pairs = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// The query of a request: only the parameters in `allowed`, each at most once.
fn query(pairs: Pairs, allowed: &[&str], default: Lang) -> Result<Vec<(String, String)>, ApiError> {
    let Query(pairs) = pairs.map_err(|_| {
        ApiError::bad(default.pick(
            "URL のパラメータを読めません",
            "the query string cannot be read",
        ))
    })?;
    for (i, (key, _)) in pairs.iter().enumerate() {
        let expected = allowed.join(", ");
        if !allowed.contains(&key.as_str()) {
            return Err(ApiError::bad(match default {
                Lang::Ja => format!("パラメータ `{key}` は使えません（使えるのは {expected}）"),
                Lang::En => format!("unknown parameter `{key}`; expected {expected}"),
            }));
        }
        if pairs[..i].iter().any(|(k, _)| k == key) {
            return Err(ApiError::bad(match default {
                Lang::Ja => format!("パラメータ `{key}` が2回あります"),
                Lang::En => format!("parameter `{key}` is given twice"),
            }));
        }
    }
    Ok(pairs)
}

fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn parse_lang(value: Option<&str>, default: Lang) -> Result<Lang, ApiError> {
    match value {
        None => Ok(default),
        Some("ja") => Ok(Lang::Ja),
        Some("en") => Ok(Lang::En),
        Some(other) => Err(ApiError::bad(match default {
            Lang::Ja => format!("lang `{other}` は使えません。ja か en を指定してください"),
            Lang::En => format!("unknown lang `{other}`; use ja or en"),
        })),
    }
}

/// A date written exactly `YYYY-MM-DD`, as `--as-of` takes it.
fn parse_date(value: &str, lang: Lang) -> Result<Date, ApiError> {
    let b = value.as_bytes();
    let shape = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
    match value.parse::<Date>() {
        Ok(date) if shape => Ok(date),
        _ => Err(ApiError::bad(match lang {
            Lang::Ja => format!(
                "as_of `{value}` は日付ではありません。YYYY-MM-DD の形で書いてください（例: 2026-11-26）"
            ),
            Lang::En => format!("as_of `{value}` is not a date; write YYYY-MM-DD, e.g. 2026-11-26"),
        })),
    }
}

/// A body whose declared `Content-Length` is over the limit is refused before it is read
/// (the body limit itself catches bodies sent without a length).
pub async fn declared_size(
    State((limit, lang)): State<(usize, Lang)>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return ApiError::too_large(limit, lang).into_response();
    }
    next.run(request).await
}

/// `POST /api/check`.
pub async fn check(
    State(api): State<Api>,
    pairs: Pairs,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match check_inner(api, pairs, body).await {
        Ok(r) | Err(r) => r,
    }
}

/// The `lang`, the `as_of` date (default today) and the body of a request that checks.
fn dated(
    api: &Api,
    pairs: Pairs,
    body: Result<Bytes, BytesRejection>,
) -> Result<(Lang, Date, Bytes), ApiError> {
    let pairs = query(pairs, &["as_of", "lang"], api.lang)?;
    let lang = parse_lang(get(&pairs, "lang"), api.lang)?;
    let as_of = match get(&pairs, "as_of") {
        Some(v) => parse_date(v, lang)?,
        None => crate::cli::today(),
    };
    let bytes = body.map_err(|r| ApiError::body(r, lang, CHECK_LIMIT))?;
    Ok((lang, as_of, bytes))
}

async fn check_inner(
    api: Api,
    pairs: Pairs,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Response> {
    let (lang, as_of, bytes) = dated(&api, pairs, body).map_err(IntoResponse::into_response)?;
    let rules = api.rules.clone();
    let text = tokio::task::spawn_blocking(move || {
        let inventory = inventory_of(&bytes);
        let report = engine::check(vec![inventory], &rules, as_of);
        output::json::render_for(&report, lang, Reader::Page)
    })
    .await
    .map_err(|_| internal(lang))?;
    Ok(json_response(text))
}

/// `POST /api/checklist`.
pub async fn checklist(
    State(api): State<Api>,
    pairs: Pairs,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let (lang, as_of, bytes) = match dated(&api, pairs, body) {
        Ok(ok) => ok,
        Err(e) => return e.into_response(),
    };
    let page = api.page.clone();
    let text = tokio::task::spawn_blocking(move || {
        let inventory = inventory_of(&bytes);
        let report = engine::check(vec![inventory], &page.checklist_rules, as_of);
        checklist_document(&page, &report, lang)
    })
    .await;
    match text {
        Ok(text) => json_response(text),
        Err(_) => internal(lang),
    }
}

/// `rurume checklist --format json` for the one file of `report`, with the `sheet` the
/// page shows: the same answers (the one answering function), in the page's words.
fn checklist_document(page: &Page, report: &engine::Report, lang: Lang) -> String {
    let answers = crate::checklist::answer(&page.checklist, report, &page.checklist_rules);
    let mut doc: Value =
        serde_json::from_str(&crate::checklist::render::json(&answers, report.as_of))
            .expect("the checklist's JSON");
    let Some(file) = answers.first() else {
        return doc.to_string();
    };
    let kind = file.file.facility_kind.as_deref();
    let finding = |l: &&engine::Located| {
        json!({
            "rule": l.finding.rule,
            "severity": l.finding.severity.as_str(),
            "source": l.finding.source,
            "pointer": l.finding.pointer,
            "message": l.finding.message_for(lang, Reader::Page),
            "fix": l.finding.fix_for(lang, Reader::Page),
            "waived": l.finding.is_waived(),
        })
    };
    let sections: Vec<Value> = page
        .checklist
        .sections
        .iter()
        .map(|section| {
            let items: Vec<Value> = file
                .items
                .iter()
                .filter(|i| section.items.iter().any(|s| s.id == i.item.id))
                .map(|i| {
                    let manual = match (i.answer, &i.item.manual, file.unreadable) {
                        (Answer::Unknown, Some(m), false) => Some(m.get(lang)),
                        _ => None,
                    };
                    json!({
                        "id": i.item.id,
                        "number": i.item.number,
                        "text": i.item.text_for(kind).get(lang),
                        "answer": i.answer,
                        "label": i.answer.label(lang),
                        "findings": i.findings.iter().map(finding).collect::<Vec<_>>(),
                        "waived": i.waived.iter().map(finding).collect::<Vec<_>>(),
                        "manual": manual,
                    })
                })
                .collect();
            json!({ "number": section.number, "title": section.title.get(lang), "items": items })
        })
        .collect();
    doc["sheet"] = json!({
        "title": page.checklist.title_for(kind).get(lang),
        "unreadable": file.unreadable,
        "sections": sections,
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("plain data");
    text.push('\n');
    text
}

/// `GET /api/settings?lang=ja|en`.
pub async fn settings(State(api): State<Api>, pairs: Pairs) -> Response {
    let lang = query(pairs, &["lang"], api.lang)
        .and_then(|pairs| parse_lang(get(&pairs, "lang"), api.lang));
    match lang {
        Ok(lang) => {
            let submit = api.page.submit.clone().unwrap_or_else(default_submit);
            json_response(
                json!({
                    "submit": submit.get(lang),
                    "submit_configured": api.page.submit.is_some(),
                })
                .to_string(),
            )
        }
        Err(e) => e.into_response(),
    }
}

/// The name a workbook body gets in its findings.
pub const WORKBOOK_NAME: &str = "inventory.xlsx";

/// A zip (xlsx, xlsb, ods) or an OLE file (xls, or an encrypted workbook).
fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
}

fn inventory_of(bytes: &[u8]) -> Inventory {
    if is_workbook(bytes) {
        Inventory::from_workbook(WORKBOOK_NAME.to_owned(), bytes, CHECK_LIMIT as u64)
    } else {
        Inventory::from_bytes(FILE_NAME.to_owned(), bytes.to_vec())
    }
}

/// The `lang` of a request's query and its body, for the endpoints that take only these.
fn lang_and_body(
    api: &Api,
    pairs: Pairs,
    body: Result<Bytes, BytesRejection>,
) -> Result<(Lang, Bytes), ApiError> {
    let pairs = query(pairs, &["lang"], api.lang)?;
    let lang = parse_lang(get(&pairs, "lang"), api.lang)?;
    let bytes = body.map_err(|r| ApiError::body(r, lang, CHECK_LIMIT))?;
    Ok((lang, bytes))
}

/// `POST /api/import`.
pub async fn import(
    State(api): State<Api>,
    pairs: Pairs,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let (lang, bytes) = match lang_and_body(&api, pairs, body) {
        Ok(ok) => ok,
        Err(e) => return e.into_response(),
    };
    let answer = tokio::task::spawn_blocking(move || {
        let inventory =
            Inventory::from_workbook(WORKBOOK_NAME.to_owned(), &bytes, CHECK_LIMIT as u64);
        let note = |pointer: &str, cell: Option<String>, message: &str, fix: &str| {
            json!({ "rule": "inventory-schema", "severity": "error", "pointer": pointer,
                    "cell": cell, "message": message, "fix": fix })
        };
        match (&inventory.parsed, &inventory.workbook) {
            (Ok(document), Some(workbook)) => {
                let notes: Vec<Value> = workbook
                    .notes
                    .iter()
                    .map(|n| {
                        note(
                            &n.pointer,
                            Some(workbook.reference(&n.cell)),
                            n.message.get(lang),
                            n.fix.get(lang),
                        )
                    })
                    .collect();
                json!({ "inventory": document.root().to_value(), "notes": notes })
            }
            (Err(e), _) => json!({
                "inventory": null,
                "notes": [note("", None, e.message.get(lang), "")],
            }),
            (Ok(_), None) => json!({ "inventory": null, "notes": [] }),
        }
    })
    .await;
    match answer {
        Ok(v) => json_response(v.to_string()),
        Err(_) => internal(lang),
    }
}

/// `POST /api/export`.
pub async fn export(
    State(api): State<Api>,
    pairs: Pairs,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    use crate::workbook::{layout::Layout, write};
    let parsed = lang_and_body(&api, pairs, body).and_then(|(lang, bytes)| {
        let value: Value = serde_json::from_slice(&bytes).map_err(|_| {
            ApiError::bad(lang.pick("台帳の JSON を送ってください", "send the inventory as JSON"))
        })?;
        Ok((lang, value))
    });
    let (lang, value) = match parsed {
        Ok(ok) => ok,
        Err(e) => return e.into_response(),
    };
    let rules = api.rules.clone();
    let made = tokio::task::spawn_blocking(move || {
        // A password written in the inventory is never written into a workbook.
        let inventory = Inventory::from_text(FILE_NAME.to_owned(), value.to_string());
        let report = engine::check(vec![inventory], &rules, crate::cli::today());
        if report
            .findings()
            .any(|(_, l)| l.finding.rule == "plaintext-password")
        {
            return None;
        }
        // Only a workbook that holds the inventory whole: nothing the page edited is lost.
        write::xlsx_exact(&value, Layout::get(), lang)
            .ok()
            .flatten()
    })
    .await;
    match made {
        Ok(Some(bytes)) => (
            [
                (header::CONTENT_TYPE, super::security::XLSX_MIME),
                (header::CACHE_CONTROL, "no-store"),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: lang
                .pick(
                    "この台帳はブックにできません（パスワードそのものが書かれているか、ブックに入らない部分があります）。パスワードを消してから保存してください",
                    "this inventory cannot be made into a workbook (a password is written in it, or something a workbook cannot hold); remove the password and save again",
                )
                .to_owned(),
        }
        .into_response(),
        Err(_) => internal(lang),
    }
}

/// The slips the page explains at most, for one file.
const SLIPS_SHOWN: usize = 20;

/// `POST /api/repair`.
pub async fn repair(
    State(api): State<Api>,
    pairs: Pairs,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let (lang, bytes) = match lang_and_body(&api, pairs, body) {
        Ok(ok) => ok,
        Err(e) => return e.into_response(),
    };
    let rules = api.rules.clone();
    let answer = tokio::task::spawn_blocking(move || {
        let diagnosis = super::repair::diagnose(&bytes, &rules, lang, SLIPS_SHOWN);
        serde_json::to_string(&diagnosis).expect("plain data")
    })
    .await;
    match answer {
        Ok(text) => json_response(text),
        Err(_) => internal(lang),
    }
}

fn internal(lang: Lang) -> Response {
    ApiError {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        message: lang
            .pick("内部エラーが起きました", "internal error")
            .to_owned(),
    }
    .into_response()
}

/// The body of `POST /api/password`. Deliberately not `Debug`: it holds the password.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PasswordRequest {
    password: String,
    #[serde(default)]
    inventory: Option<Value>,
    #[serde(default)]
    account: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    /// The page means to record the properties: a failing password is refused.
    #[serde(default)]
    record: bool,
    /// Record even a failing password (the page's second confirmation).
    #[serde(default)]
    record_anyway: bool,
}

/// `POST /api/password`. The password is measured and dropped; the answer carries only
/// the verdict and the properties. Errors never quote the request (it holds the password).
pub async fn password(State(api): State<Api>, body: Result<Bytes, BytesRejection>) -> Response {
    let lang = api.lang;
    let bytes = match body {
        Ok(b) => b,
        Err(r) => return ApiError::body(r, lang, PASSWORD_LIMIT).into_response(),
    };
    let rules = api.rules.clone();
    let answer = tokio::task::spawn_blocking(move || assess(&bytes, &rules, lang)).await;
    match answer {
        Ok(Ok((true, text))) => json_response(text),
        Ok(Ok((false, text))) => (StatusCode::CONFLICT, json_response(text)).into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(_) => internal(lang),
    }
}

/// The verdict document, and whether it is an answer to be given with 200 (else 409: a
/// record refused).
fn assess(bytes: &[u8], rules: &RuleSet, default: Lang) -> Result<(bool, String), ApiError> {
    let request: PasswordRequest = serde_json::from_slice(bytes).map_err(|_| {
        ApiError::bad(default.pick(
            "送信の形が正しくありません。{\"password\": 文字列, \"inventory\": 台帳, \"account\": アカウントID, \"lang\": \"ja\", \"record\": true/false, \"record_anyway\": true/false} の形で送ってください",
            "the request must be {\"password\": string, \"inventory\": object, \"account\": account id, \"lang\": \"ja\"|\"en\", \"record\": boolean, \"record_anyway\": boolean}",
        ))
    })?;
    // The error must not quote the value: the body holds the password.
    let lang = parse_lang(request.lang.as_deref(), default).map_err(|_| {
        ApiError::bad(default.pick(
            "lang には ja か en を指定してください",
            "lang must be ja or en",
        ))
    })?;
    let problem = |e: InputError| ApiError::bad(e.message().get(lang));
    if request.password.is_empty() {
        return Err(problem(InputError::Empty));
    }
    if request.password.chars().any(char::is_control) {
        return Err(problem(InputError::ControlCharacters));
    }
    let context = match (&request.inventory, &request.account) {
        (Some(doc), Some(id)) => Some((doc, account_index(doc, id, lang)?)),
        (None, None) => None,
        _ => {
            return Err(ApiError::bad(lang.pick(
                "inventory と account は両方とも指定してください",
                "give both inventory and account, or neither",
            )));
        }
    };
    let today = crate::cli::today();
    let mut assessment = password::assess(&request.password, context, rules, today);
    let (record, anyway) = (
        request.record || request.record_anyway,
        request.record_anyway,
    );
    drop(request);
    // Never make the record worse: the page records only what is "allowed".
    let outcome = match (record, assessment.passes() || anyway) {
        (false, _) => Record::NotAsked,
        (true, true) => Record::Allowed,
        (true, false) => Record::Refused,
    };
    // What the page may record carries the day: the password was changed today.
    if outcome == Record::Allowed {
        assessment.properties = assessment.properties.recorded_on(today);
    }
    let refusal = output::password::refusal(
        lang,
        "、もう一度パスワードを入力して「不合格のまま記録」を押してください",
        "enter the password again and press “Record anyway”",
    );
    let text = output::password::json_with(&assessment, outcome, Some(refusal), lang);
    Ok((outcome != Record::Refused, text))
}

fn account_index(doc: &Value, id: &str, lang: Lang) -> Result<usize, ApiError> {
    let accounts = doc
        .get("accounts")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    accounts
        .iter()
        .position(|a| a.get("id").and_then(Value::as_str) == Some(id))
        .ok_or_else(|| {
            let known = accounts
                .iter()
                .filter_map(|a| a.get("id").and_then(Value::as_str))
                .map(str::to_owned)
                .collect();
            let e = RecordError::NoAccount {
                id: id.to_owned(),
                known,
            };
            ApiError::bad(e.message().get(lang))
        })
}

/// `GET /api/rules?lang=ja|en`.
pub async fn rules(State(api): State<Api>, pairs: Pairs) -> Response {
    let lang = query(pairs, &["lang"], api.lang)
        .and_then(|pairs| parse_lang(get(&pairs, "lang"), api.lang));
    match lang {
        Ok(lang) => json_response(output::explain::rules_json(&api.rules, lang)),
        Err(e) => e.into_response(),
    }
}

/// `GET /api/schema`.
pub async fn schema() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/schema+json; charset=utf-8",
        )],
        SCHEMA,
    )
        .into_response()
}

/// Unknown paths.
pub async fn not_found() -> Response {
    ApiError {
        status: StatusCode::NOT_FOUND,
        message: "ページがありません / not found".to_owned(),
    }
    .into_response()
}
