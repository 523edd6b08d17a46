//! A corpus of synthetic but realistic inventories, for benchmarks and scale tests.
//!
//! ```sh
//! cargo run --release --bin corpus -- --out DIR --count N --seed S
//! ```
//!
//! Each file is one facility of 東久留米市 (`F00001-…json`, ids unique), pretty-printed like
//! `samples/` (2-space indent, Japanese unescaped, keys in the order of the samples), about
//! 30–40 KB. Most facilities are mostly compliant, some are bad; together they exercise every
//! rule (take-out records, valid/expired/invalid/unused 第10条 exceptions, personal and
//! retired devices, deleted/suspended/left accounts, `approved_apps` present or absent, a rare
//! plaintext password, schema typo or syntax error) and, now and then, a deliberate
//! cross-file collision (the same `mcs_id` or email in two facilities, or the same person
//! legitimately working in two). Dates are realistic as of 2026-11-26.
//!
//! The output depends only on the seed and the size options: file `k` of a corpus of `N`
//! files is the same in every corpus of more than `k` files. The PRNG is splitmix64.
//!
//! This file is also compiled into `bench` (`#[path = "corpus.rs"] mod corpus;`).

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

/// The date the generated inventories are realistic for (`--as-of 2026-11-26`).
pub const AS_OF: &str = "2026-11-26";
const AS_OF_YMD: (i64, i64, i64) = (2026, 11, 26);

// ----------------------------------------------------------------------------------------
// PRNG

/// splitmix64: tiny, fast, and good enough for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

// ----------------------------------------------------------------------------------------
// Options

/// What a corpus looks like, apart from its seed.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Accounts per file, inclusive.
    pub accounts: (usize, usize),
    /// Devices per file, inclusive; `None` fills each file up to a size drawn from `size_kb`.
    pub devices: Option<(usize, usize)>,
    /// Target file size in KB (1000 bytes), inclusive, when `devices` is `None`.
    pub size_kb: (usize, usize),
    /// How many violations the facilities have.
    pub profile: Profile,
}

/// How many violations a corpus's facilities have (`--profile`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Profile {
    /// Most facilities mostly compliant, some bad: a round of resubmissions (about two
    /// findings per file).
    #[default]
    Realistic,
    /// Every facility careless, as in an association's first round: about twenty findings
    /// per file, every rule firing somewhere in a corpus of a few hundred files (the rare
    /// ones — plaintext passwords, schema typos, syntax errors, cross-file collisions —
    /// are made ten times as likely).
    Findings,
}

impl Profile {
    pub fn name(self) -> &'static str {
        match self {
            Profile::Realistic => "realistic",
            Profile::Findings => "findings",
        }
    }

    /// The base probability of each kind of violation of a `Poor` facility.
    fn poor(self) -> f64 {
        match self {
            Profile::Realistic => 0.12,
            Profile::Findings => FINDINGS_P,
        }
    }

    /// How much likelier the rare violations are.
    fn rare(self) -> f64 {
        match self {
            Profile::Realistic => 1.0,
            Profile::Findings => 10.0,
        }
    }
}

/// The base probability of a violation in the findings profile: about twenty findings per
/// file in the default shape.
const FINDINGS_P: f64 = 0.065;

impl Default for Shape {
    fn default() -> Shape {
        Shape {
            accounts: (20, 40),
            devices: None,
            size_kb: (30, 40),
            profile: Profile::Realistic,
        }
    }
}

impl Shape {
    /// The options that give this shape, e.g. `--accounts 20-40 --size-kb 30-40`.
    pub fn flags(&self) -> String {
        let range = |(lo, hi): (usize, usize)| format!("{lo}-{hi}");
        let profile = match self.profile {
            Profile::Realistic => String::new(),
            p => format!(" --profile {}", p.name()),
        };
        let size = match self.devices {
            Some(d) => format!("--accounts {} --devices {}", range(self.accounts), range(d)),
            None => format!(
                "--accounts {} --size-kb {}",
                range(self.accounts),
                range(self.size_kb)
            ),
        };
        size + &profile
    }
}

/// `12-34` or `12`.
pub fn parse_range(s: &str) -> Result<(usize, usize), String> {
    let (lo, hi) = match s.split_once('-') {
        Some((lo, hi)) => (lo, hi),
        None => (s, s),
    };
    let lo: usize = lo.trim().parse().map_err(|_| format!("bad range {s:?}"))?;
    let hi: usize = hi.trim().parse().map_err(|_| format!("bad range {s:?}"))?;
    if lo > hi || hi == 0 {
        return Err(format!("bad range {s:?}"));
    }
    Ok((lo, hi))
}

/// Applies `--accounts A-B`, `--devices A-B`, `--size-kb A-B`, `--profile realistic|findings`;
/// `Ok(false)` when `flag` is none of them.
pub fn shape_flag(shape: &mut Shape, flag: &str, value: &str) -> Result<bool, String> {
    match flag {
        "--profile" => {
            shape.profile = match value {
                "realistic" => Profile::Realistic,
                "findings" => Profile::Findings,
                _ => return Err(format!("bad --profile {value:?} (realistic or findings)")),
            }
        }
        "--accounts" => shape.accounts = parse_range(value)?,
        "--devices" => shape.devices = Some(parse_range(value)?),
        "--size-kb" => shape.size_kb = parse_range(value)?,
        _ => return Ok(false),
    }
    Ok(true)
}

// ----------------------------------------------------------------------------------------
// Dates

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// The date `offset` days after the evaluation date (negative: before).
fn day(offset: i64) -> String {
    let (y, m, d) = AS_OF_YMD;
    let (y, m, d) = civil_from_days(days_from_civil(y, m, d) + offset);
    format!("{y:04}-{m:02}-{d:02}")
}

// ----------------------------------------------------------------------------------------
// Vocabulary (all fictional; domains are *.example.jp)

const SURNAMES: &[(&str, &str)] = &[
    ("佐藤", "sato"),
    ("鈴木", "suzuki"),
    ("高橋", "takahashi"),
    ("田中", "tanaka"),
    ("伊藤", "ito"),
    ("渡辺", "watanabe"),
    ("山本", "yamamoto"),
    ("中村", "nakamura"),
    ("小林", "kobayashi"),
    ("加藤", "kato"),
    ("吉田", "yoshida"),
    ("山田", "yamada"),
    ("佐々木", "sasaki"),
    ("山口", "yamaguchi"),
    ("松本", "matsumoto"),
    ("井上", "inoue"),
    ("木村", "kimura"),
    ("林", "hayashi"),
    ("斎藤", "saito"),
    ("清水", "shimizu"),
    ("山崎", "yamazaki"),
    ("森", "mori"),
    ("池田", "ikeda"),
    ("橋本", "hashimoto"),
    ("阿部", "abe"),
    ("石川", "ishikawa"),
    ("山下", "yamashita"),
    ("中島", "nakajima"),
    ("石井", "ishii"),
    ("小川", "ogawa"),
    ("前田", "maeda"),
    ("岡田", "okada"),
    ("長谷川", "hasegawa"),
    ("藤田", "fujita"),
    ("後藤", "goto"),
    ("近藤", "kondo"),
    ("村上", "murakami"),
    ("遠藤", "endo"),
    ("青木", "aoki"),
    ("坂本", "sakamoto"),
    ("斉藤", "saito"),
    ("福田", "fukuda"),
    ("太田", "ota"),
    ("西村", "nishimura"),
    ("藤井", "fujii"),
    ("金子", "kaneko"),
    ("岡本", "okamoto"),
    ("藤原", "fujiwara"),
    ("中野", "nakano"),
    ("三浦", "miura"),
    ("原田", "harada"),
    ("中川", "nakagawa"),
    ("松田", "matsuda"),
    ("竹内", "takeuchi"),
    ("小野", "ono"),
    ("田村", "tamura"),
    ("中山", "nakayama"),
    ("和田", "wada"),
    ("石田", "ishida"),
    ("森田", "morita"),
    ("上田", "ueda"),
    ("原", "hara"),
    ("内田", "uchida"),
    ("柴田", "shibata"),
    ("酒井", "sakai"),
    ("宮崎", "miyazaki"),
    ("横山", "yokoyama"),
    ("高木", "takagi"),
    ("安藤", "ando"),
    ("宮本", "miyamoto"),
    ("大野", "ono"),
    ("小島", "kojima"),
    ("谷口", "taniguchi"),
    ("今井", "imai"),
    ("工藤", "kudo"),
    ("高田", "takada"),
    ("増田", "masuda"),
    ("丸山", "maruyama"),
    ("杉山", "sugiyama"),
    ("村田", "murata"),
    ("大塚", "otsuka"),
    ("新井", "arai"),
    ("小山", "koyama"),
    ("平野", "hirano"),
    ("野口", "noguchi"),
    ("桜井", "sakurai"),
    ("千葉", "chiba"),
    ("岩崎", "iwasaki"),
    ("菅原", "sugawara"),
    ("久保", "kubo"),
    ("松井", "matsui"),
    ("野村", "nomura"),
    ("木下", "kinoshita"),
    ("菊地", "kikuchi"),
    ("東", "higashi"),
    ("南", "minami"),
];

const GIVEN: &[(&str, &str)] = &[
    ("太郎", "taro"),
    ("健一", "kenichi"),
    ("大輔", "daisuke"),
    ("翔太", "shota"),
    ("拓也", "takuya"),
    ("直樹", "naoki"),
    ("誠", "makoto"),
    ("隆", "takashi"),
    ("浩", "hiroshi"),
    ("修", "osamu"),
    ("健太", "kenta"),
    ("亮介", "ryosuke"),
    ("拓海", "takumi"),
    ("大翔", "hiroto"),
    ("蓮", "ren"),
    ("悠真", "yuma"),
    ("陽斗", "haruto"),
    ("和也", "kazuya"),
    ("達也", "tatsuya"),
    ("秀樹", "hideki"),
    ("正人", "masato"),
    ("直人", "naoto"),
    ("浩二", "koji"),
    ("健二", "kenji"),
    ("雄一", "yuichi"),
    ("花子", "hanako"),
    ("美咲", "misaki"),
    ("彩", "aya"),
    ("由紀子", "yukiko"),
    ("恵", "megumi"),
    ("智子", "tomoko"),
    ("真由美", "mayumi"),
    ("陽子", "yoko"),
    ("春香", "haruka"),
    ("由香", "yuka"),
    ("由美", "yumi"),
    ("恵美", "emi"),
    ("愛", "ai"),
    ("香織", "kaori"),
    ("由衣", "yui"),
    ("結衣", "yui"),
    ("恵子", "keiko"),
    ("裕子", "yuko"),
    ("典子", "noriko"),
    ("美穂", "miho"),
    ("千尋", "chihiro"),
    ("早紀", "saki"),
    ("理沙", "risa"),
    ("舞", "mai"),
    ("奈々", "nana"),
    ("さおり", "saori"),
    ("陽菜", "hina"),
    ("結菜", "yuna"),
    ("葵", "aoi"),
    ("さくら", "sakura"),
    ("美和", "miwa"),
    ("久美子", "kumiko"),
    ("幸子", "sachiko"),
    ("明美", "akemi"),
    ("直美", "naomi"),
    ("洋子", "yoko"),
    ("和子", "kazuko"),
    ("純子", "junko"),
    ("麻衣", "mai"),
    ("沙織", "saori"),
    ("絵美", "emi"),
    ("亜希子", "akiko"),
    ("晴美", "harumi"),
    ("優子", "yuko"),
    ("文子", "fumiko"),
    ("信也", "shinya"),
    ("光", "hikaru"),
];

const PLACES: &[(&str, &str)] = &[
    ("東久留米", "higashikurume"),
    ("滝山", "takiyama"),
    ("前沢", "maesawa"),
    ("南沢", "minamisawa"),
    ("八幡町", "hachiman"),
    ("本町", "honcho"),
    ("浅間町", "sengen"),
    ("柳窪", "yanagikubo"),
    ("神宝町", "jinpo"),
    ("氷川台", "hikawadai"),
    ("中央町", "chuo"),
    ("学園町", "gakuen"),
    ("下里", "shimosato"),
    ("野火止", "nobidome"),
    ("金山町", "kanayama"),
    ("幸町", "saiwai"),
    ("大門町", "daimon"),
    ("新川町", "shinkawa"),
    ("弥生", "yayoi"),
    ("上の原", "uenohara"),
    ("東本町", "higashihoncho"),
    ("落合川", "ochiaigawa"),
    ("黒目川", "kuromegawa"),
    ("竹林", "chikurin"),
];

const NICKNAMES: &[(&str, &str)] = &[
    ("みどり", "midori"),
    ("さくら", "sakura"),
    ("ひばり", "hibari"),
    ("あおば", "aoba"),
    ("けやき", "keyaki"),
    ("ひかり", "hikari"),
    ("こもれび", "komorebi"),
    ("やまぶき", "yamabuki"),
    ("すずらん", "suzuran"),
    ("はなみずき", "hanamizuki"),
    ("たんぽぽ", "tanpopo"),
    ("ひまわり", "himawari"),
    ("つばさ", "tsubasa"),
    ("あさひ", "asahi"),
    ("わかば", "wakaba"),
    ("のぞみ", "nozomi"),
    ("やすらぎ", "yasuragi"),
    ("ほほえみ", "hohoemi"),
    ("かえで", "kaede"),
    ("なごみ", "nagomi"),
    ("きた", "kita"),
    ("みなみ", "minami"),
    ("ひがし", "higashi"),
    ("にし", "nishi"),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Clinic,
    Hospital,
    Dental,
    Pharmacy,
    VisitingNursing,
    CareSupport,
    Other,
}

impl Kind {
    const ALL: [Kind; 7] = [
        Kind::Clinic,
        Kind::Hospital,
        Kind::Dental,
        Kind::Pharmacy,
        Kind::VisitingNursing,
        Kind::CareSupport,
        Kind::Other,
    ];
    const WEIGHTS: [u32; 7] = [30, 5, 10, 15, 20, 15, 5];

    fn code(self) -> &'static str {
        match self {
            Kind::Clinic => "clinic",
            Kind::Hospital => "hospital",
            Kind::Dental => "dental",
            Kind::Pharmacy => "pharmacy",
            Kind::VisitingNursing => "visiting_nursing",
            Kind::CareSupport => "care_support",
            Kind::Other => "other",
        }
    }

    /// Name endings, and the short form used in domains and file names.
    fn suffixes(self) -> (&'static [&'static str], &'static str) {
        match self {
            Kind::Clinic => (
                &[
                    "内科クリニック",
                    "在宅クリニック",
                    "ファミリークリニック",
                    "診療所",
                    "内科・小児科",
                    "整形外科クリニック",
                    "在宅医療クリニック",
                ],
                "clinic",
            ),
            Kind::Hospital => (
                &["病院", "中央病院", "総合病院", "リハビリテーション病院"],
                "hp",
            ),
            Kind::Dental => (
                &[
                    "歯科医院",
                    "歯科クリニック",
                    "デンタルクリニック",
                    "訪問歯科",
                ],
                "dental",
            ),
            Kind::Pharmacy => (&["薬局", "調剤薬局", "ファーマシー"], "ph"),
            Kind::VisitingNursing => (
                &["訪問看護ステーション", "訪問看護リハビリステーション"],
                "vn",
            ),
            Kind::CareSupport => (
                &[
                    "ケアプランセンター",
                    "居宅介護支援事業所",
                    "地域包括支援センター",
                ],
                "cm",
            ),
            Kind::Other => (
                &[
                    "デイサービスセンター",
                    "訪問介護事業所",
                    "小規模多機能ホーム",
                    "グループホーム",
                ],
                "care",
            ),
        }
    }

    /// Jobs, the administrator's job first.
    fn jobs(self) -> &'static [&'static str] {
        match self {
            Kind::Clinic => &[
                "医師",
                "看護師",
                "准看護師",
                "医療事務",
                "事務",
                "臨床検査技師",
            ],
            Kind::Hospital => &[
                "医師",
                "看護師",
                "理学療法士",
                "作業療法士",
                "言語聴覚士",
                "医療ソーシャルワーカー",
                "事務",
                "薬剤師",
                "管理栄養士",
                "退院調整看護師",
            ],
            Kind::Dental => &["歯科医師", "歯科衛生士", "歯科助手", "事務"],
            Kind::Pharmacy => &["薬剤師", "事務", "登録販売者"],
            Kind::VisitingNursing => &["看護師", "理学療法士", "作業療法士", "事務"],
            Kind::CareSupport => &["主任ケアマネジャー", "ケアマネジャー", "社会福祉士", "事務"],
            Kind::Other => &["生活相談員", "介護福祉士", "ヘルパー", "看護師", "事務"],
        }
    }

    fn work_apps(self) -> &'static [&'static str] {
        match self {
            Kind::Clinic => &["電子カルテ", "レセコン", "Zoom"],
            Kind::Hospital => &["電子カルテ", "地域連携システム", "Microsoft Teams", "Zoom"],
            Kind::Dental => &["歯科電子カルテ", "レセコン"],
            Kind::Pharmacy => &["電子薬歴", "レセコン", "お薬手帳プラス"],
            Kind::VisitingNursing => &["訪問看護記録アプリ", "Zoom"],
            Kind::CareSupport => &["ケアプランソフト", "Zoom", "ケアプランデータ連携"],
            Kind::Other => &["介護記録ソフト", "Zoom"],
        }
    }

    fn purposes(self) -> &'static [&'static str] {
        match self {
            Kind::Clinic | Kind::Hospital => {
                &["訪問診療", "往診", "退院前カンファレンス", "訪問診療の同行"]
            }
            Kind::Dental => &["訪問歯科診療", "口腔ケア指導"],
            Kind::Pharmacy => &["在宅患者訪問薬剤管理指導", "居宅療養管理指導"],
            Kind::VisitingNursing => &["訪問看護", "緊急時訪問", "訪問リハビリテーション"],
            Kind::CareSupport => &[
                "サービス担当者会議",
                "モニタリング訪問",
                "地域ケア会議での事例報告",
            ],
            Kind::Other => &["訪問介護", "送迎時の連絡", "家族との面談"],
        }
    }
}

const COMMON_APPS: &[&str] = &[
    "Google Chrome",
    "Microsoft Edge",
    "Microsoft Word",
    "Microsoft Excel",
    "LINE WORKS",
    "Adobe Acrobat Reader",
];
const UNAPPROVED_APPS: &[&str] = &[
    "LINE",
    "Dropbox",
    "TeamViewer",
    "Slack",
    "Google ドライブ",
    "Skype",
    "Firefox",
    "iTunes",
    "CCleaner",
    "7-Zip",
];
const FILE_SHARING: &[&str] = &[
    "Winny",
    "Winny 2.0b7.1",
    "Share EX2",
    "uTorrent",
    "µTorrent",
    "BitTorrent",
    "eMule",
    "LimeWire",
    "Cabos",
    "Perfect Dark",
    "qBittorrent",
    "WinMX",
];
const PC_AV: &[&str] = &[
    "Microsoft Defender",
    "ウイルスバスター クラウド",
    "ESET Internet Security",
    "ノートン 360",
    "カスペルスキー セキュリティ",
];
const MOBILE_AV: &[&str] = &[
    "ウイルスバスター モバイル",
    "ESET Mobile Security",
    "ノートン 360",
    "McAfee Mobile Security",
];
const DATA: &[&str] = &[
    "MCS閲覧のみ",
    "訪問予定表",
    "会議資料(匿名化済み)",
    "利用者台帳(氏名・住所)",
    "処方内容の控え",
    "MCS閲覧・写真撮影",
];
const MEDIA: &[&str] = &["端末本体", "端末本体(暗号化済み)", "USBメモリ(暗号化)"];
const LOCATIONS: &[&str] = &[
    "東久留米市内の患者宅",
    "東久留米市内の利用者宅(訪問先)",
    "東久留米市役所 会議室",
    "東久留米市内の患者宅・介護施設",
    "清瀬市・東久留米市内の訪問先",
    "東久留米市医師会館",
];
const PLAIN_PASSWORDS: &[&str] = &[
    "sakura2026",
    "Midori1234",
    "higashi0801",
    "password1",
    "kurume7777",
    "Mcs2026!",
];
const NOTES_DISASTER: &[&str] = &[
    "台風で浸水した事務所の代替端末。MDM 登録が済むまでの臨時措置。",
    "大雨で店舗が浸水し、東久留米市医師会から災害時用タブレットを臨時貸与。",
    "停電で院内サーバーが停止したため、災害時の連絡用に臨時で使用。",
];
const NOTES_LIFE: &[&str] = &[
    "救急搬送時に主治医と情報共有するため、個人端末を一時的に使用。",
    "独居の利用者の急変対応のため、夜間の連絡用に臨時で使用。",
];

// ----------------------------------------------------------------------------------------
// The inventory, in the key order of the samples

#[derive(Serialize)]
struct Doc {
    #[serde(rename = "$schema", skip_serializing_if = "Option::is_none")]
    schema: Option<&'static str>,
    schema_version: u32,
    facility: Facility,
    accounts: Vec<Account>,
    devices: Vec<Device>,
    exceptions: Vec<Exception>,
}

#[derive(Serialize)]
struct Facility {
    id: String,
    name: String,
    kind: &'static str,
    submitted: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    approved_apps: Option<Vec<String>>,
}

#[derive(Serialize, Clone)]
struct Account {
    id: String,
    name: String,
    job: &'static str,
    email: String,
    mcs_id: Option<String>,
    admin: bool,
    status: &'static str,
    employment: &'static str,
    shared: bool,
    pledges: Pledges,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<Password>,
}

#[derive(Serialize, Clone)]
struct Pledges {
    management: Option<String>,
    retention: Option<String>,
}

#[derive(Serialize, Clone)]
#[serde(untagged)]
enum Password {
    Properties {
        length: u32,
        letters: bool,
        digits: bool,
        symbols: bool,
        strength: u8,
        shared: bool,
    },
    Plain(&'static str),
}

#[derive(Serialize)]
struct Device {
    id: String,
    kind: &'static str,
    ownership: &'static str,
    status: &'static str,
    users: Vec<String>,
    os: Os,
    #[serde(skip_serializing_if = "Option::is_none")]
    screen_lock: Option<ScreenLock>,
    #[serde(skip_serializing_if = "Option::is_none")]
    antivirus: Option<Antivirus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remote_wipe: Option<Vec<&'static str>>,
    saved_password_in_browser: bool,
    apps: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byod_approval: Option<Approval>,
    #[serde(skip_serializing_if = "Option::is_none")]
    take_out: Option<Vec<TakeOut>>,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
}

#[derive(Serialize)]
struct Os {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct ScreenLock {
    enabled: bool,
    method: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    auto_lock_minutes: Option<u32>,
}

#[derive(Serialize)]
struct Antivirus {
    installed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    product: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    realtime: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    definitions_updated: Option<String>,
}

#[derive(Serialize)]
struct Approval {
    #[serde(skip_serializing_if = "Option::is_none")]
    approved_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
}

#[derive(Serialize, Default)]
struct TakeOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    purpose: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    media: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    approved_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    returned: Option<bool>,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
}

#[derive(Serialize)]
struct Exception {
    rule: String,
    target: String,
    reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    approved_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

/// Bytes `value` takes pretty-printed as an array element at depth 2 (4 spaces), with the
/// separating `,\n`.
fn element_size<T: Serialize>(value: &T) -> usize {
    let text = serde_json::to_string_pretty(value).expect("plain data");
    text.len() + 4 * (text.bytes().filter(|&b| b == b'\n').count() + 1) + 2
}

// ----------------------------------------------------------------------------------------
// The generator

/// Someone already placed in an earlier facility, for cross-file collisions.
#[derive(Clone)]
struct Person {
    name: String,
    email: String,
    mcs_id: String,
}

/// Generates the files of one corpus in order. Global uniqueness of MCS ids and emails (the
/// collisions are deliberate only) is why generation is sequential.
pub struct Generator {
    seed: u64,
    shape: Shape,
    index: usize,
    used_mcs: HashSet<String>,
    used_email: HashSet<String>,
    /// A reservoir of earlier people.
    pool: Vec<Person>,
    seen_people: u64,
    pool_rng: Rng,
}

/// One generated file.
pub struct File {
    pub name: String,
    pub text: String,
}

/// How careful a facility is.
#[derive(Clone, Copy)]
enum Quality {
    Good,
    Fair,
    Poor,
}

struct Ctx<'a> {
    rng: Rng,
    kind: Kind,
    /// Base probability of each kind of violation.
    p: f64,
    quality: Quality,
    /// How much likelier the rare violations are ([`Profile::rare`]).
    rare: f64,
    approved: Option<&'a [String]>,
}

impl Ctx<'_> {
    /// Whether to inject a violation of weight `w` (1.0 is typical).
    fn bad(&mut self, w: f64) -> bool {
        let p = self.p * w;
        self.rng.chance(p)
    }
}

impl Generator {
    pub fn new(seed: u64, shape: Shape) -> Generator {
        Generator {
            seed,
            shape,
            index: 0,
            used_mcs: HashSet::new(),
            used_email: HashSet::new(),
            pool: Vec::new(),
            seen_people: 0,
            pool_rng: Rng::new(seed ^ 0x0123_4567_89ab_cdef),
        }
    }

    fn unique(set: &mut HashSet<String>, base: &str, at: Option<&str>) -> String {
        let make = |n: usize| match (n, at) {
            (0, Some(domain)) => format!("{base}@{domain}"),
            (0, None) => base.to_owned(),
            (n, Some(domain)) => format!("{base}{}@{domain}", n + 1),
            (n, None) => format!("{base}{}", n + 1),
        };
        let mut n = 0;
        loop {
            let candidate = make(n);
            if set.insert(candidate.to_lowercase()) {
                return candidate;
            }
            n += 1;
        }
    }

    fn remember(&mut self, person: Person) {
        const POOL: usize = 512;
        self.seen_people += 1;
        if self.pool.len() < POOL {
            self.pool.push(person);
        } else {
            let j = (self.pool_rng.next_u64() % self.seen_people) as usize;
            if j < POOL {
                self.pool[j] = person;
            }
        }
    }

    /// The next file of the corpus.
    pub fn next_file(&mut self) -> File {
        self.index += 1;
        let number = self.index;
        let mut rng = Rng::new(self.seed ^ (number as u64).wrapping_mul(0xd1b5_4a32_d192_ed03));
        let kind = Kind::ALL[rng.weighted(&Kind::WEIGHTS)];
        let profile = self.shape.profile;
        let (quality, p) = match rng.weighted(&[60, 28, 12]) {
            _ if profile == Profile::Findings => (Quality::Poor, profile.poor()),
            0 => (Quality::Good, 0.004),
            1 => (Quality::Fair, 0.03),
            _ => (Quality::Poor, profile.poor()),
        };

        // Facility
        let (suffixes, short) = kind.suffixes();
        let suffix = *rng.pick(suffixes);
        let (nick, nick_r) = *rng.pick(NICKNAMES);
        let (place, place_r) = *rng.pick(PLACES);
        let (name, slug) = match rng.below(4) {
            0 => (format!("{nick}{suffix}"), nick_r),
            1 => (format!("{place}{suffix}"), place_r),
            2 => (format!("{place}{nick}{suffix}"), nick_r),
            _ if kind == Kind::Pharmacy => (format!("{nick}薬局 {place}店"), nick_r),
            _ => (format!("{suffix}{nick}"), nick_r),
        };
        let domain = format!("{slug}-{short}{number}.example.jp");
        let id = format!("F{number:05}");
        let approved: Option<Vec<String>> = if rng.chance(0.8) {
            let mut list = vec!["MCS".to_owned()];
            for app in COMMON_APPS.iter().chain(kind.work_apps()) {
                if rng.chance(0.7) {
                    list.push((*app).to_owned());
                }
            }
            Some(list)
        } else {
            None
        };
        let facility = Facility {
            id: id.clone(),
            name,
            kind: kind.code(),
            submitted: day(-(rng.range(1, 50) as i64)),
            approved_apps: approved.clone(),
        };
        let mut cx = Ctx {
            rng,
            kind,
            p,
            quality,
            rare: profile.rare(),
            approved: approved.as_deref(),
        };

        let accounts = self.accounts(&mut cx, &domain);
        let active_admins: Vec<String> = accounts
            .iter()
            .filter(|a| a.admin && a.status == "active")
            .map(|a| a.id.clone())
            .collect();
        let non_admins: Vec<String> = accounts
            .iter()
            .filter(|a| !a.admin && a.status != "deleted")
            .map(|a| a.id.clone())
            .collect();
        let live: Vec<String> = accounts
            .iter()
            .filter(|a| a.status != "deleted")
            .map(|a| a.id.clone())
            .collect();
        let admin = active_admins
            .first()
            .cloned()
            .unwrap_or_else(|| "a1".to_owned());
        let approvers = Approvers {
            admins: &active_admins,
            others: &non_admins,
            fallback: admin,
        };

        let header = 600 + accounts.iter().map(element_size).sum::<usize>();
        let mut devices = Vec::new();
        let (count, target) = match self.shape.devices {
            Some((lo, hi)) => (cx.rng.range(lo, hi), usize::MAX),
            None => {
                let (lo, hi) = self.shape.size_kb;
                (usize::MAX, cx.rng.range(lo * 1000, hi * 1000))
            }
        };
        let mut size = header;
        while devices.len() < count && (size < target || devices.len() < 3) {
            let d = device(&mut cx, devices.len() + 1, &live, &approvers);
            size += element_size(&d);
            devices.push(d);
        }
        let exceptions = exceptions(&mut cx, &mut devices, &approvers);

        let doc = Doc {
            schema: cx
                .rng
                .chance(0.5)
                .then_some("../schemas/inventory.schema.json"),
            schema_version: 1,
            facility,
            accounts,
            devices,
            exceptions,
        };
        let mut text = serde_json::to_string_pretty(&doc).expect("plain data");
        text.push('\n');
        // A hand-edited file now and then: a trailing comma (inventory-syntax).
        if cx.rng.chance(0.002 * cx.rare) {
            text = text.replacen(
                "\n    }\n  ],\n  \"devices\"",
                "\n    },\n  ],\n  \"devices\"",
                1,
            );
        }
        File {
            name: format!("{id}-{slug}-{short}.json"),
            text,
        }
    }

    fn accounts(&mut self, cx: &mut Ctx, domain: &str) -> Vec<Account> {
        let (lo, hi) = self.shape.accounts;
        let n = cx.rng.range(lo, hi);
        let jobs = cx.kind.jobs();
        let admins = 1 + cx.rng.weighted(&[70, 25, 5]);
        let no_active_admin = matches!(cx.quality, Quality::Poor) && cx.rng.chance(0.15);
        let mut names: HashSet<String> = HashSet::new();
        let mut out: Vec<Account> = Vec::with_capacity(n);
        let mut shared_desk = false;
        for i in 0..n {
            let id = format!("a{}", i + 1);
            let admin = i < admins;
            let (surname, given) = loop {
                let s = *cx.rng.pick(SURNAMES);
                let g = *cx.rng.pick(GIVEN);
                if names.insert(format!("{} {}", s.0, g.0)) {
                    break (s, g);
                }
            };
            let mut name = format!("{} {}", surname.0, given.0);
            let job = if admin {
                jobs[0]
            } else {
                *cx.rng.pick(&jobs[1..])
            };
            let mut status = match cx.rng.weighted(&[86, 6, 8]) {
                0 => "active",
                1 => "suspended",
                _ => "deleted",
            };
            if admin {
                status = if no_active_admin {
                    "suspended"
                } else {
                    "active"
                };
            }
            let mut employment = if status == "deleted" && cx.rng.chance(0.8) {
                "left"
            } else {
                "employed"
            };
            if status != "deleted" && !admin && cx.bad(0.5) {
                employment = "left"; // left-staff-active
            }
            let mut shared = false;
            let mut local = if cx.rng.chance(0.7) {
                format!("{}.{}", surname.1, given.1)
            } else {
                format!("{}.{}", given.1, surname.1)
            };
            let mut email_domain = domain.to_owned();
            if cx.rng.chance(0.1) {
                email_domain = (*cx.rng.pick(&[
                    "mail.example.jp",
                    "webmail.example.jp",
                    "home.example.ne.jp",
                ]))
                .to_owned();
                local = format!("{}.{}", given.1, surname.1);
            }
            let mut email = Self::unique(&mut self.used_email, &local, Some(&email_domain));
            let mut mcs_id = Some(Self::unique(
                &mut self.used_mcs,
                &format!("{}.{}", surname.1, given.1),
                None,
            ));
            let live = status != "deleted";
            // Only people with their own MCS id and email go into the pool of earlier people.
            let mut fresh = true;

            // Within the file: a desk account, a reused MCS id, a reused email.
            if live && !admin && !shared_desk && cx.bad(0.4) {
                shared_desk = true;
                shared = true;
                name = (*cx
                    .rng
                    .pick(&["受付スタッフ(共用)", "夜間当直(共用)", "訪問チーム共用"]))
                .to_owned();
                email = Self::unique(&mut self.used_email, "uketsuke", Some(domain));
                mcs_id = Some(Self::unique(
                    &mut self.used_mcs,
                    &format!("{}.kyoyo", domain.split('-').next().unwrap_or("desk")),
                    None,
                ));
            } else if live && !admin && cx.bad(0.3) {
                if let Some(prev) = out
                    .iter()
                    .rev()
                    .find(|a| a.status != "deleted" && a.mcs_id.is_some())
                {
                    mcs_id = prev.mcs_id.clone();
                    fresh = false;
                }
            } else if live && !admin && cx.bad(0.3) {
                if let Some(prev) = out.iter().rev().find(|a| a.status != "deleted") {
                    fresh = false;
                    let mut e = prev.email.clone();
                    e.replace_range(0..1, &e[0..1].to_uppercase());
                    email = e;
                }
            } else if live
                && self.index > 1
                && cx.rng.chance(0.0012 * cx.rare)
                && !self.pool.is_empty()
            {
                // Across files: a deliberate collision with someone placed earlier.
                let other = self.pool[cx.rng.below(self.pool.len())].clone();
                fresh = false;
                match cx.rng.below(3) {
                    0 => {
                        // The same person working in two facilities: legitimate.
                        name = other.name;
                        email = other.email;
                        mcs_id = Some(other.mcs_id);
                    }
                    1 => mcs_id = Some(other.mcs_id), // account-shared on both files
                    _ => email = other.email.to_uppercase(), // email-shared on both files
                }
            }
            let new_hire = live && !admin && cx.bad(0.3);
            if new_hire {
                mcs_id = None;
            }

            let signed = day(-(cx.rng.range(30, 900) as i64));
            let mut pledges = Pledges {
                management: admin.then(|| signed.clone()),
                retention: Some(signed),
            };
            if admin && cx.bad(0.4) {
                pledges.management = None;
            }
            if cx.bad(0.6) {
                pledges.retention = None;
            }

            let password = if new_hire || (status == "deleted" && cx.rng.chance(0.5)) {
                None
            } else if cx.bad(0.02) {
                Some(Password::Plain(cx.rng.pick::<&str>(PLAIN_PASSWORDS)))
            } else {
                let mut length = cx.rng.range(8, 20) as u32;
                let mut strength = if length >= 12 {
                    cx.rng.range(3, 4) as u8
                } else {
                    3
                };
                let mut letters = true;
                let mut digits = true;
                if cx.bad(0.5) {
                    length = cx.rng.range(5, 7) as u32;
                    strength = cx.rng.range(0, 2) as u8;
                }
                if cx.bad(0.4) {
                    if cx.rng.chance(0.8) {
                        digits = false;
                    } else {
                        letters = false;
                    }
                }
                if cx.bad(0.8) {
                    strength = cx.rng.range(0, 2) as u8;
                }
                Some(Password::Properties {
                    length,
                    letters,
                    digits,
                    symbols: cx.rng.chance(0.3),
                    strength,
                    shared: shared || cx.bad(0.3),
                })
            };

            if live
                && fresh
                && !shared
                && let Some(m) = &mcs_id
            {
                self.remember(Person {
                    name: name.clone(),
                    email: email.clone(),
                    mcs_id: m.clone(),
                });
            }
            out.push(Account {
                id,
                name,
                job,
                email,
                mcs_id,
                admin,
                status,
                employment,
                shared,
                pledges,
                password,
            });
        }
        out
    }
}

struct Approvers<'a> {
    admins: &'a [String],
    others: &'a [String],
    fallback: String,
}

impl Approvers<'_> {
    /// An active admin, or with a small chance (approver-not-admin) someone else.
    fn pick(&self, cx: &mut Ctx) -> String {
        if cx.bad(0.3) {
            if !self.others.is_empty() && cx.rng.chance(0.8) {
                return cx.rng.pick(self.others).clone();
            }
            return format!("a{}", 90 + cx.rng.below(10));
        }
        if self.admins.is_empty() {
            return self.fallback.clone();
        }
        cx.rng.pick(self.admins).clone()
    }
}

fn device(cx: &mut Ctx, number: usize, live: &[String], approvers: &Approvers) -> Device {
    let kind = ["pc", "smartphone", "tablet"][cx.rng.weighted(&[45, 35, 20])];
    let personal = match kind {
        "smartphone" => cx.rng.chance(0.2),
        "tablet" => cx.rng.chance(0.08),
        _ => cx.rng.chance(0.03),
    };
    let retired = cx.rng.chance(0.08);
    let os = match kind {
        "pc" => *cx.rng.pick(&[
            ("Windows", "11"),
            ("Windows", "11"),
            ("Windows", "10"),
            ("macOS", "15"),
            ("macOS", "14"),
        ]),
        "smartphone" => *cx.rng.pick(&[
            ("iOS", "18"),
            ("iOS", "17"),
            ("Android", "15"),
            ("Android", "14"),
            ("Android", "13"),
        ]),
        _ => *cx
            .rng
            .pick(&[("iPadOS", "18"), ("iPadOS", "17"), ("Android", "14")]),
    };
    let mut users = Vec::new();
    if !live.is_empty() {
        for _ in 0..cx.rng.weighted(&[0, 60, 30, 10]) {
            let u = cx.rng.pick(live).clone();
            if !users.contains(&u) {
                users.push(u);
            }
        }
    }
    // A retired device is left as it was found: often not compliant, and ignored.
    let sloppy = if retired { 10.0 } else { 1.0 };

    let methods: &[&str] = if kind == "pc" {
        &["password", "pin", "biometric"]
    } else {
        &["pin", "biometric", "pattern", "password"]
    };
    let mut screen_lock = Some(ScreenLock {
        enabled: true,
        method: cx.rng.pick::<&str>(methods),
        auto_lock_minutes: Some(*cx.rng.pick(&[1, 2, 3, 5, 5])),
    });
    if cx.bad(sloppy) {
        screen_lock = if cx.rng.chance(0.7) {
            Some(ScreenLock {
                enabled: false,
                method: "none",
                auto_lock_minutes: None,
            })
        } else {
            None
        };
    } else if cx.bad(1.2)
        && let Some(lock) = &mut screen_lock
    {
        lock.auto_lock_minutes = if cx.rng.chance(0.8) {
            Some(*cx.rng.pick(&[10, 15, 30]))
        } else {
            None
        };
    }

    let products = if kind == "pc" { PC_AV } else { MOBILE_AV };
    let mut antivirus = Some(Antivirus {
        installed: true,
        product: Some(*cx.rng.pick(products)),
        realtime: Some(true),
        definitions_updated: Some(day(-(cx.rng.range(0, 6) as i64))),
    });
    if cx.bad(sloppy) {
        antivirus = if cx.rng.chance(0.6) {
            Some(Antivirus {
                installed: false,
                product: None,
                realtime: None,
                definitions_updated: None,
            })
        } else {
            None
        };
    } else if cx.bad(1.5)
        && let Some(av) = &mut antivirus
    {
        av.definitions_updated = if cx.rng.chance(0.85) {
            Some(day(-(cx.rng.range(8, 120) as i64)))
        } else {
            None
        };
    }

    let mut remote_wipe = Some(match kind {
        "pc" => cx
            .rng
            .pick(&[vec!["mdm"], vec!["mdm", "remote_wipe"]])
            .clone(),
        _ => cx
            .rng
            .pick(&[
                vec!["mdm"],
                vec!["remote_wipe", "line_suspension"],
                vec!["mdm", "remote_wipe"],
                vec!["line_suspension"],
            ])
            .clone(),
    });
    if cx.bad(sloppy) {
        remote_wipe = if cx.rng.chance(0.7) {
            Some(vec![])
        } else {
            None
        };
    }

    let saved_password_in_browser = kind != "smartphone" && cx.bad(0.8 * sloppy);

    let mut apps = vec!["MCS".to_owned()];
    let pool: Vec<&str> = match cx.approved {
        Some(list) => list
            .iter()
            .map(String::as_str)
            .filter(|a| *a != "MCS")
            .collect(),
        None => COMMON_APPS
            .iter()
            .chain(cx.kind.work_apps())
            .copied()
            .collect(),
    };
    let n_apps = if kind == "pc" {
        cx.rng.range(2, 7)
    } else {
        cx.rng.range(0, 3)
    };
    for _ in 0..n_apps {
        if pool.is_empty() {
            break;
        }
        let app = (*cx.rng.pick(&pool)).to_owned();
        if !apps.contains(&app) {
            apps.push(app);
        }
    }
    if cx.bad(2.5) || (cx.approved.is_none() && cx.rng.chance(0.2)) {
        apps.push((*cx.rng.pick(UNAPPROVED_APPS)).to_owned()); // unapproved-app
    }
    if cx.bad(if kind == "pc" { 0.3 } else { 0.05 } * sloppy) {
        apps.push((*cx.rng.pick(FILE_SHARING)).to_owned());
    }

    let byod_approval = if personal {
        let mut approval = Approval {
            approved_by: Some(approvers.pick(cx)),
            date: Some(day(-(cx.rng.range(20, 700) as i64))),
        };
        if cx.bad(1.5) {
            if cx.rng.chance(0.5) {
                approval.date = None;
            } else {
                approval.approved_by = None;
            }
            if cx.rng.chance(0.5) {
                None
            } else {
                Some(approval)
            }
        } else {
            Some(approval)
        }
    } else {
        None
    };

    let take_out_chance = match kind {
        "pc" => 0.1,
        _ => 0.35,
    };
    let take_out = (!retired && cx.rng.chance(take_out_chance)).then(|| {
        let n = cx.rng.range(1, 3);
        (0..n)
            .map(|j| {
                let current = j + 1 == n;
                let (from, until) = if current {
                    let from = -(cx.rng.range(0, 30) as i64);
                    (from, from + cx.rng.range(30, 90) as i64)
                } else {
                    let until = -(cx.rng.range(20, 200) as i64);
                    (until - cx.rng.range(10, 60) as i64, until)
                };
                let mut t = TakeOut {
                    purpose: Some((*cx.rng.pick(cx.kind.purposes())).to_owned()),
                    data: Some((*cx.rng.pick(DATA)).to_owned()),
                    media: Some((*cx.rng.pick(MEDIA)).to_owned()),
                    from: Some(day(from)),
                    until: Some(day(until)),
                    approved_by: Some(approvers.pick(cx)),
                    location: Some((*cx.rng.pick(LOCATIONS)).to_owned()),
                    returned: (!current).then_some(true),
                    extra: BTreeMap::new(),
                };
                if cx.bad(1.5) {
                    // take-out-record: a field left out or blank (a blank date would
                    // be a schema error instead, so `until` is only ever left out)
                    let which = cx.rng.below(6);
                    let blank = which != 3 && cx.rng.chance(0.3);
                    let field = match which {
                        0 => &mut t.purpose,
                        1 => &mut t.data,
                        2 => &mut t.media,
                        3 => &mut t.until,
                        4 => &mut t.approved_by,
                        _ => &mut t.location,
                    };
                    *field = blank.then(String::new);
                }
                if !current && cx.bad(1.0) {
                    t.returned = if cx.rng.chance(0.5) {
                        Some(false)
                    } else {
                        None
                    }; // take-out-overdue
                }
                if cx.bad(0.02) {
                    t.extra.insert(
                        "パスワード".to_owned(),
                        Value::from(*cx.rng.pick(PLAIN_PASSWORDS)),
                    );
                }
                t
            })
            .collect()
    });

    let mut extra = BTreeMap::new();
    if cx.rng.chance(0.0004 * cx.rare) {
        // A typo: inventory-schema, and the file's policy rules are skipped.
        if let Some(lock) = screen_lock.take() {
            extra.insert(
                "screen_lok".to_owned(),
                serde_json::to_value(lock).expect("plain data"),
            );
        }
    }

    Device {
        id: format!("d{number}"),
        kind,
        ownership: if personal { "personal" } else { "facility" },
        status: if retired { "retired" } else { "in_use" },
        users,
        os: Os {
            name: os.0,
            version: os.1,
        },
        screen_lock,
        antivirus,
        remote_wipe,
        saved_password_in_browser,
        apps,
        byod_approval,
        take_out,
        extra,
    }
}

/// 第10条 exceptions: valid (waiving a real violation), expired, invalid and unused ones.
fn exceptions(cx: &mut Ctx, devices: &mut [Device], approvers: &Approvers) -> Vec<Exception> {
    let n = match cx.quality {
        Quality::Good => usize::from(cx.rng.chance(0.06)),
        Quality::Fair => cx.rng.weighted(&[75, 20, 5]),
        Quality::Poor => cx.rng.weighted(&[40, 30, 20, 10]),
    };
    let mut out = Vec::new();
    let in_use: Vec<usize> = (0..devices.len())
        .filter(|&i| devices[i].status == "in_use")
        .collect();
    for _ in 0..n {
        if in_use.is_empty() {
            break;
        }
        let i = *cx.rng.pick(&in_use);
        let kind = cx.rng.weighted(&[50, 20, 15, 15]); // valid, expired, invalid, unused
        let rule = *cx.rng.pick(&["antivirus", "remote-wipe", "screen-lock"]);
        if kind != 3 {
            // Break the device so that there is something to waive.
            let d = &mut devices[i];
            match rule {
                "antivirus" => {
                    d.antivirus = Some(Antivirus {
                        installed: false,
                        product: None,
                        realtime: None,
                        definitions_updated: None,
                    })
                }
                "remote-wipe" => d.remote_wipe = Some(vec![]),
                _ => {
                    d.screen_lock = Some(ScreenLock {
                        enabled: false,
                        method: "none",
                        auto_lock_minutes: None,
                    })
                }
            }
        }
        let life = cx.rng.chance(0.3);
        let mut e = Exception {
            rule: rule.to_owned(),
            target: format!("/devices/{i}"),
            reason: if life { "life_protection" } else { "disaster" }.to_owned(),
            approved_by: Some(approvers.pick(cx)),
            expires: Some(day(cx.rng.range(5, 120) as i64)),
            note: Some((*cx.rng.pick(if life { NOTES_LIFE } else { NOTES_DISASTER })).to_owned()),
        };
        match kind {
            1 => e.expires = Some(day(-(cx.rng.range(1, 90) as i64))),
            2 => match cx.rng.below(4) {
                0 => e.reason = (*cx.rng.pick(&["vendor_delay", "業者の都合", "other"])).to_owned(),
                1 => e.expires = None,
                2 => e.approved_by = None,
                _ => {
                    e.rule =
                        (*cx.rng.pick(&["antivirus-missing", "screen_lock", "第9条"])).to_owned()
                }
            },
            3 => {
                // Unused: the device was fixed, or the rule names something it does not break.
                e.rule = "file-sharing-app".to_owned();
            }
            _ => {}
        }
        out.push(e);
    }
    out
}

// ----------------------------------------------------------------------------------------
// Writing

/// Writes `count` files into `dir` (created if needed); returns the files and bytes written.
pub fn write_corpus(
    dir: &Path,
    count: usize,
    seed: u64,
    shape: &Shape,
) -> std::io::Result<(usize, u64)> {
    std::fs::create_dir_all(dir)?;
    let mut generator = Generator::new(seed, shape.clone());
    let mut bytes = 0u64;
    for _ in 0..count {
        let file = generator.next_file();
        let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join(&file.name))?);
        out.write_all(file.text.as_bytes())?;
        out.flush()?;
        bytes += file.text.len() as u64;
    }
    Ok((count, bytes))
}

#[allow(dead_code)] // not used when this file is a module of `bench`
fn main() -> std::process::ExitCode {
    let usage = "usage: corpus --out DIR [--count N] [--seed S] [--accounts A-B] [--devices A-B | --size-kb A-B] [--profile realistic|findings]";
    let mut out: Option<PathBuf> = None;
    let mut count = 100usize;
    let mut seed = 1u64;
    let mut shape = Shape::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            println!("{usage}");
            return std::process::ExitCode::SUCCESS;
        }
        let Some(value) = args.next() else {
            eprintln!("{flag} needs a value\n{usage}");
            return std::process::ExitCode::from(2);
        };
        let parsed = match flag.as_str() {
            "--out" => {
                out = Some(PathBuf::from(&value));
                Ok(true)
            }
            "--count" => value
                .parse()
                .map(|n| count = n)
                .map(|_| true)
                .map_err(|_| format!("bad --count {value:?}")),
            "--seed" => value
                .parse()
                .map(|n| seed = n)
                .map(|_| true)
                .map_err(|_| format!("bad --seed {value:?}")),
            _ => shape_flag(&mut shape, &flag, &value),
        };
        match parsed {
            Ok(true) => {}
            Ok(false) => {
                eprintln!("unknown option {flag}\n{usage}");
                return std::process::ExitCode::from(2);
            }
            Err(e) => {
                eprintln!("{e}\n{usage}");
                return std::process::ExitCode::from(2);
            }
        }
    }
    let Some(out) = out else {
        eprintln!("{usage}");
        return std::process::ExitCode::from(2);
    };
    match write_corpus(&out, count, seed, &shape) {
        Ok((files, bytes)) => {
            println!(
                "{files} files, {bytes} bytes ({:.1} MB, {:.1} KB per file) in {}",
                bytes as f64 / 1e6,
                bytes as f64 / 1e3 / files.max(1) as f64,
                out.display()
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", out.display());
            std::process::ExitCode::from(2)
        }
    }
}
