//! zxcvbn's feedback, in Japanese and English.

use zxcvbn::feedback::{Suggestion, Warning};

use crate::lang::Text;

pub fn warning(w: Warning) -> Text {
    let ja = match w {
        Warning::StraightRowsOfKeysAreEasyToGuess => {
            "キーボードの横一列の並びは推測されやすいです。"
        }
        Warning::ShortKeyboardPatternsAreEasyToGuess => {
            "短いキーボード上の並びは推測されやすいです。"
        }
        Warning::RepeatsLikeAaaAreEasyToGuess => "「aaa」のような繰り返しは推測されやすいです。",
        Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => {
            "「abcabc」のような繰り返しは「abc」とほとんど変わらず推測されやすいです。"
        }
        Warning::ThisIsATop10Password => "よく使われるパスワードの上位10位に入っています。",
        Warning::ThisIsATop100Password => "よく使われるパスワードの上位100位に入っています。",
        Warning::ThisIsACommonPassword => "非常によく使われるパスワードです。",
        Warning::ThisIsSimilarToACommonlyUsedPassword => "よく使われるパスワードに似ています。",
        Warning::SequencesLikeAbcAreEasyToGuess => {
            "「abc」や「6543」のような連続は推測されやすいです。"
        }
        Warning::RecentYearsAreEasyToGuess => "最近の年（西暦）は推測されやすいです。",
        Warning::AWordByItselfIsEasyToGuess => "単語ひとつだけでは推測されやすいです。",
        Warning::DatesAreOftenEasyToGuess => "日付は推測されやすいことが多いです。",
        Warning::NamesAndSurnamesByThemselvesAreEasyToGuess => {
            "名前や名字だけでは推測されやすいです（ご本人や事業所の名前・メールアドレスも含みます）。"
        }
        Warning::CommonNamesAndSurnamesAreEasyToGuess => "よくある名前や名字は推測されやすいです。",
    };
    Text::new(ja, w.to_string())
}

pub fn suggestion(s: Suggestion) -> Text {
    let ja = match s {
        Suggestion::UseAFewWordsAvoidCommonPhrases => {
            "関係のない単語をいくつか組み合わせ、よくある言い回しは避けてください。"
        }
        Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters => {
            "記号や大文字がなくても、長ければ強いパスワードになります。"
        }
        Suggestion::AddAnotherWordOrTwo => "関係のない単語をもう1〜2語加えてください。",
        Suggestion::CapitalizationDoesntHelpVeryMuch => "大文字にしてもあまり強くなりません。",
        Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => {
            "すべて大文字でも、すべて小文字とほとんど同じくらい推測されやすいです。"
        }
        Suggestion::ReversedWordsArentMuchHarderToGuess => {
            "単語を逆さに書いてもあまり推測されにくくなりません。"
        }
        Suggestion::PredictableSubstitutionsDontHelpVeryMuch => {
            "「a」を「@」にするような予想しやすい置き換えはあまり効果がありません。"
        }
        Suggestion::UseALongerKeyboardPatternWithMoreTurns => {
            "キーボードの並びを使うなら、長く、曲がり角の多いものにしてください。"
        }
        Suggestion::AvoidRepeatedWordsAndCharacters => "同じ単語や文字の繰り返しは避けてください。",
        Suggestion::AvoidSequences => "連続した文字や数字は避けてください。",
        Suggestion::AvoidRecentYears => "最近の年は避けてください。",
        Suggestion::AvoidYearsThatAreAssociatedWithYou => "ご自分に関係のある年は避けてください。",
        Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou => {
            "ご自分に関係のある日付や年は避けてください。"
        }
    };
    Text::new(ja, s.to_string())
}
