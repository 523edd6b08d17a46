// rurume serve: the inventory editor. Plain JavaScript, no framework, no build step.
//
// The inventory being edited is one JSON value (state.doc), edited in place by the form
// controls, so that fields the form does not know are kept as they were loaded. Every
// change is checked by the local server (POST /api/check), and each finding is shown next
// to the control whose data-ptr is the finding's JSON Pointer (or the nearest row or
// section above it). Passwords are sent once to /api/password and never kept.
'use strict';

(function () {
  // -------------------------------------------------------------------------------------
  // Texts

  const TEXT = {
    ja: {
      title: 'るるめ 台帳セルフチェック',
      subtitle: 'るるめネット運用ポリシー（第9条 セキュリティ対策 ほか）に照らして、端末とアカウントの台帳を点検します',
      open: 'ファイルを開く',
      create: '新しく作る',
      save: '保存',
      saveHelp: '開いたファイルに上書き保存します（上書きできないブラウザでは「ダウンロード」フォルダに保存します）',
      print: '印刷',
      otherLang: 'English',
      otherLangLabel: 'Switch to English',
      privacy: '台帳とパスワードは、このパソコンで動いている rurume だけが検査します。インターネットには送られません。',
      startOpenTitle: '台帳ファイルを開く',
      startOpenText: '提出する台帳（JSON ファイル、または Excel のブック）をここにドラッグ＆ドロップするか、ボタンから選んでください。',
      workbookNotSaved: '台帳を Excel のブックにできませんでした。JSON で保存します。',
      chooseFile: 'ファイルを選ぶ',
      startNewTitle: '新しい台帳を作る',
      startNewText: '事業所の情報を入れて始めます。アカウントと機器はあとから追加できます。',
      facilityId: '事業所コード',
      facilityName: '事業所名',
      facilityKind: '事業所の種別',
      createButton: '台帳を作る',
      dropHere: 'ここにファイルを離すと開きます',
      asOf: '基準日',
      asOfHelp: '期限や更新日を判定する日付です（ふつうは今日）',
      checking: '検査中…',
      checked: '最新の検査結果です',
      offline: 'rurume serve に接続できません。起動しているか確認してください',
      errors: 'エラー',
      warnings: '警告',
      waived: '免除',
      count: (n) => `${n} 件`,
      allClear: 'エラーはありません。このまま提出できます',
      allClearWarn: 'エラーはありません（警告は確認してください）',
      hasErrors: (n) => `直す必要のあるエラーが ${n} 件あります`,
      findingsList: (n) => `指摘の一覧（${n} 件）`,
      general: '台帳全体について',
      rulesPaused: '台帳の形式に誤り（inventory-schema）があるため、ポリシーの規則（第9条など）はまだ検査されていません。赤く示した欄を先に直してください。',
      severity: { error: 'エラー', warning: '警告', waived: '免除' },
      fix: '直し方',
      removeKey: 'この項目を削除',
      facility: '事業所',
      accounts: 'アカウント（利用者）',
      devices: '機器',
      exceptions: '例外（第10条）',
      addAccount: 'アカウントを追加',
      addDevice: '機器を追加',
      addException: '例外を追加',
      addApp: 'アプリを追加',
      addTakeOut: '持ち出し記録を追加',
      remove: '削除',
      removeAccount: (x) => `アカウント ${x} を台帳から削除しますか？（退職した人は削除せず、在職状況を「退職」、状態を「削除済み」にしてください）`,
      removeDevice: (x) => `機器 ${x} を台帳から削除しますか？（使わなくなった機器は、削除せず使用状況を「使用終了」にすることもできます）`,
      removeRow: 'この行を削除しますか？',
      none: 'なし',
      noAccounts: 'アカウントはまだありません。',
      noDevices: '機器はまだありません。',
      noExceptions: '例外はありません（ふつうは空のままです）。',
      noTakeOut: '持ち出し記録はありません。',
      noApps: 'アプリは登録されていません。',
      approvedAppsOff: '許可アプリの一覧はありません（アプリの許可の確認は行いません）。',
      approvedAppsOn: '許可アプリの一覧を作る',
      approvedAppsRemove: '一覧をなくす',
      notSet: '（未選択）',
      invalidValue: '（正しくない値）',
      currentValue: '台帳の値: ',
      blankMeansNull: '未登録なら空欄',
      blankMeansNotSigned: '未署名なら空欄',
      users: '利用者',
      noUsers: '（アカウントがありません）',
      adminBadge: '管理者',
      retiredBadge: '使用終了',
      deletedBadge: '削除済み',
      password: 'パスワードの性質',
      pwNotAssessed: 'まだ確認されていません',
      pwLength: (n) => `${n} 文字`,
      pwLetters: '英字', pwDigits: '数字', pwSymbols: '記号',
      yes: 'あり', no: 'なし',
      pwStrength: (n) => `推測されにくさ ${n}／4`,
      pwShared: '他人と共有している',
      pwCheckLabel: 'パスワードを確認して記録',
      pwCheckButton: '確認して記録',
      pwCheckNote: '入力したパスワードは、このパソコンの rurume が長さ・文字の種類・推測されにくさを調べるためだけに使い、保存しません。台帳には性質だけが記録されます。',
      pwEmpty: 'パスワードを入力してください',
      pwPass: '合格: 第9条のパスワードの規則を満たしています',
      pwFail: '不合格: 第9条のパスワードの規則を満たしていません',
      pwRecorded: '性質を台帳に記録しました（パスワードそのものは記録していません）',
      pwRecordedAnyway: '不合格のまま性質を台帳に記録しました（パスワードそのものは記録していません）',
      pwCheckOnly: '確認のみ',
      pwCheckedOnly: '確認のみです。台帳は変更していません',
      pwAnywayButton: '不合格のまま記録',
      pwAnywayNote: '不合格のまま記録すると、台帳の記録がこの不合格の性質に置き換わります。',
      pwAdvice: 'ヒント',
      pwWarning: '注意',
      screenLock: '画面ロック',
      antivirus: 'ウイルス対策ソフト',
      remoteWipe: '紛失時の遠隔対策',
      apps: 'インストール済みアプリ',
      byod: '個人所有機器の使用許可（別紙2 第2条2）',
      takeOut: '持ち出し記録',
      os: 'OS',
      targetHelp: '例外にする機器・アカウント（選んだ規則の指摘がある場所も選べます）',
      adminsOnly: '承認者には、有効な MCS管理者（「管理者」にチェックがあり、状態が「有効」のアカウント）だけが表示されます。',
      notAdmin: '有効な管理者ではありません',
      targetMissing: '台帳にない対象',
      savedOver: (name) => `「${name}」に上書き保存しました`,
      savedAs: (name) => `「${name}」として、選んだ場所に保存しました`,
      savedDownload: (name) => `「${name}」として「ダウンロード」フォルダに保存しました`,
      savedAt: (time) => `（${time}）`,
      errorsLeft: (n) => `。エラーが ${n} 件残っています`,
      saveCancelled: '保存を取りやめました',
      saveFallback: (name) => `開いたファイルに上書きできなかったため、「${name}」として「ダウンロード」フォルダに保存しました`,
      workbookOverwrite: 'Excel のブックに上書きします。Excel で付けた書式や色、台帳にないシートは保存されません。上書きしますか？（「キャンセル」で別の名前で保存できます）',
      cannotRead: 'ファイルを読めませんでした',
      pickerTypes: '台帳（JSON ファイル・Excel のブック）',
      pickerJson: '台帳（JSON ファイル）',
      pickerWorkbook: '台帳（Excel のブック）',
      notReady: 'エラーはありません。ただし、まだ提出できません',
      missingAccounts: '「アカウント（利用者）」に、MCS を使う職員が 1 人もいません（削除済みのアカウントは数えません）。「＋ アカウントを追加」で入力してください。',
      missingDevices: '「機器」に、使用中の機器が 1 台もありません（使用終了の機器は数えません）。「＋ 機器を追加」で、MCS を使うパソコン・スマートフォン・タブレットを入力してください。',
      howToSubmit: '提出のしかた',
      submitSteps: 'まず「保存」を押して台帳を保存します。そのあと、',
      tabForm: '台帳の入力',
      tabChecklist: '厚生労働省チェックリスト',
      tabNo: (n) => `いいえ ${n}`,
      checklistIntro: '台帳の内容から、厚生労働省のサイバーセキュリティ対策チェックリストの各項目に答えます。「いいえ」の項目は、その下の指摘を直すと「はい」になります（指摘を押すと、その欄へ移動します）。「要確認」の項目は台帳からは分からないため、書かれていることをご自分で確かめてください。',
      answer: { yes: 'はい', no: 'いいえ', unknown: '要確認' },
      checklistCounts: (y, n, u) => `はい ${y}・いいえ ${n}・要確認 ${u}`,
      checkByHand: '台帳からは分かりません。確かめること: ',
      waivedBy: '第10条の例外により免除: ',
      checklistUnreadable: '台帳の形式に誤りがあるため、チェックリストには台帳から答えられません。「台帳の入力」で赤く示した欄を先に直してください。',
      checklistStale: '前回の点検での答えです（形式の誤りを直すと答え直します）',
      checklistNotAnswered: '前回の点検での答えです（今回はチェックリストに答えられませんでした。次の点検で答え直します）',
      checklistNumber: '番号',
      checklistItem: '項目',
      checklistAnswer: '回答',
      checklistTodo: '直すこと・確かめること',
      goToField: 'この欄へ移動します',
      notJson: 'このファイルは JSON として読めないため、フォームで開けません。テキストエディタで次の場所を直してから、もう一度開いてください。',
      notObject: 'このファイルは台帳の形（{ で始まる JSON オブジェクト）ではありません。',
      notJsonSlips: 'このファイルは JSON として読めないため、フォームで開けません。次の場所に打ち間違いがあります。',
      repairOffer: '上の打ち間違いは、どう直せばよいかがはっきりしています。自動で直して開けます（元のファイルは変わりません。保存すると直した内容で保存されます）。',
      repairButton: '自動で直して開く',
      repaired: '打ち間違いを直して開きました。内容を確かめてから保存してください',
      loadNote: '読み込み時の注意',
      replaceConfirm: '保存していない変更があります。破棄して別の台帳を開きますか？',
      leaveConfirm: '保存していない変更があります',
      brokenSection: 'この部分は台帳の形が正しくないため、フォームで表示できません。',
      rebuildSection: '空にして作り直す',
      brokenRow: 'この行は台帳の形が正しくありません。',
      place: '場所',
      article: '条項',
      content: '内容',
      printTitle: '台帳セルフチェック結果',
      printChecked: '確認日時',
      printCounts: (a, d, e) => `アカウント ${a} 件・機器 ${d} 台・例外 ${e} 件`,
      printNone: '指摘はありません。',
      staleNote: '前回の点検結果（形式の誤りを直すと点検し直します）',
      printChecker: '確認者（氏名）',
      printOfficer: '確認者（医療情報システム安全管理責任者）',
      printCheckDate: '確認日',
      printBlankDate: '　　　　年　　月　　日',
      printFooter: 'rurume serve（るるめネット 台帳セルフチェック）で作成',
      kindOf: { account: 'アカウント', device: '機器', networkDevice: 'ネットワーク機器', backup: 'バックアップ', exception: '例外', takeOut: '持ち出し', app: 'アプリ' },
      networkDevices: 'ネットワーク機器（ルータ・無線 LAN など）',
      backups: 'バックアップ',
      addNetworkDevice: 'ネットワーク機器を追加',
      addBackup: 'バックアップを追加',
      noNetworkDevices: 'ネットワーク機器はまだありません。',
      noBackups: 'バックアップはまだ記録されていません。',
      security: 'サイバーセキュリティ対策（厚生労働省のチェックリスト）',
      osSupport: { true: 'サポート中（更新が提供されている）', false: 'サポート終了' },
      pwChanged: (d) => `最終変更日 ${d}`,
      nth: (n) => `${n} 件目`,
      lineColumn: (l, c) => `${l} 行目・${c} 文字目`,
      unnamed: '（名前なし）',
      serverError: 'サーバーがエラーを返しました',
    },
    en: {
      title: 'Rurume inventory self-check',
      subtitle: 'Checks your inventory of devices and accounts against the Rurume-net operating policy (Article 9 and others)',
      open: 'Open a file',
      create: 'New',
      save: 'Save',
      saveHelp: 'Saves over the file you opened (browsers that cannot do that save it in your Downloads folder)',
      print: 'Print',
      otherLang: '日本語',
      otherLangLabel: '日本語に切り替える',
      privacy: 'Inventories and passwords are checked only by the rurume running on this computer. Nothing is sent to the Internet.',
      startOpenTitle: 'Open an inventory file',
      startOpenText: 'Drag and drop the inventory (a JSON file, or an Excel workbook) here, or choose it with the button.',
      workbookNotSaved: 'The inventory could not be made into a workbook; it is saved as JSON.',
      chooseFile: 'Choose a file',
      startNewTitle: 'Start a new inventory',
      startNewText: 'Start with your facility. Accounts and devices can be added afterwards.',
      facilityId: 'Facility code',
      facilityName: 'Facility name',
      facilityKind: 'Kind of facility',
      createButton: 'Create the inventory',
      dropHere: 'Drop the file here to open it',
      asOf: 'As of',
      asOfHelp: 'The date deadlines and update dates are judged against (normally today)',
      checking: 'Checking…',
      checked: 'Up to date',
      offline: 'Cannot reach rurume serve: check that it is still running',
      errors: 'Errors',
      warnings: 'Warnings',
      waived: 'Waived',
      count: (n) => String(n),
      allClear: 'No errors: ready to submit',
      allClearWarn: 'No errors (please review the warnings)',
      hasErrors: (n) => `${n} error${n === 1 ? '' : 's'} to fix`,
      findingsList: (n) => `All findings (${n})`,
      general: 'About the whole inventory',
      rulesPaused: 'The inventory has format errors (inventory-schema), so the policy rules (Article 9 and others) are not checked yet. Fix the fields marked in red first.',
      severity: { error: 'error', warning: 'warning', waived: 'waived' },
      fix: 'Fix',
      removeKey: 'Remove this item',
      facility: 'Facility',
      accounts: 'Accounts (users)',
      devices: 'Devices',
      exceptions: 'Exceptions (Article 10)',
      addAccount: 'Add an account',
      addDevice: 'Add a device',
      addException: 'Add an exception',
      addApp: 'Add an app',
      addTakeOut: 'Add a take-out record',
      remove: 'Remove',
      removeAccount: (x) => `Remove account ${x} from the inventory? (For someone who left, do not remove: set employment to "left" and the state to "deleted".)`,
      removeDevice: (x) => `Remove device ${x} from the inventory? (A device no longer used can instead stay with status "retired".)`,
      removeRow: 'Remove this row?',
      none: 'none',
      noAccounts: 'No accounts yet.',
      noDevices: 'No devices yet.',
      noExceptions: 'No exceptions (normally there are none).',
      noTakeOut: 'No take-out records.',
      noApps: 'No apps listed.',
      approvedAppsOff: 'No list of approved apps (apps are not checked against one).',
      approvedAppsOn: 'Make a list of approved apps',
      approvedAppsRemove: 'Remove the list',
      notSet: '(not set)',
      invalidValue: '(invalid value)',
      currentValue: 'Value in the file: ',
      blankMeansNull: 'blank if not registered',
      blankMeansNotSigned: 'blank if not signed',
      users: 'Users',
      noUsers: '(no accounts)',
      adminBadge: 'admin',
      retiredBadge: 'retired',
      deletedBadge: 'deleted',
      password: 'Password properties',
      pwNotAssessed: 'Not checked yet',
      pwLength: (n) => `${n} characters`,
      pwLetters: 'letters', pwDigits: 'digits', pwSymbols: 'symbols',
      yes: 'yes', no: 'no',
      pwStrength: (n) => `strength ${n}/4`,
      pwShared: 'Shared with others',
      pwCheckLabel: 'Check and record a password',
      pwCheckButton: 'Check and record',
      pwCheckNote: 'The password is used only by rurume on this computer to measure its length, kinds of characters and strength, and is not kept. Only these properties go into the inventory.',
      pwEmpty: 'Enter a password',
      pwPass: 'Pass: meets the password rules of Article 9',
      pwFail: 'Fail: does not meet the password rules of Article 9',
      pwRecorded: 'The properties were recorded (not the password)',
      pwRecordedAnyway: 'The properties of a failing password were recorded (not the password)',
      pwCheckOnly: 'Check only',
      pwCheckedOnly: 'Checked only: the inventory is unchanged',
      pwAnywayButton: 'Record anyway',
      pwAnywayNote: 'Recording anyway replaces the inventory\'s record with these failing properties.',
      pwAdvice: 'Hint',
      pwWarning: 'Warning',
      screenLock: 'Screen lock',
      antivirus: 'Antivirus',
      remoteWipe: 'Remote lock / wipe',
      apps: 'Installed apps',
      byod: 'Approval of a personal device (Form 2 Art. 2-2)',
      takeOut: 'Take-out records',
      os: 'OS',
      targetHelp: 'The device or account the exception is for (the places where the chosen rule has a finding can be chosen too)',
      adminsOnly: 'Only active MCS administrators (accounts marked administrator whose state is active) can approve, so only they are listed.',
      notAdmin: 'not an active administrator',
      targetMissing: 'not in the inventory',
      savedOver: (name) => `Saved over "${name}"`,
      savedAs: (name) => `Saved as "${name}" where you chose`,
      savedDownload: (name) => `Saved as "${name}" in your Downloads folder`,
      savedAt: (time) => ` (${time})`,
      errorsLeft: (n) => `; ${n} error${n === 1 ? '' : 's'} left`,
      saveCancelled: 'Saving was cancelled',
      saveFallback: (name) => `The opened file could not be written, so the inventory was saved as "${name}" in your Downloads folder`,
      workbookOverwrite: 'This writes over the Excel workbook. Formatting and colours added in Excel, and sheets that are not part of the inventory, are not kept. Write over it? (Cancel to save under another name.)',
      cannotRead: 'The file could not be read',
      pickerTypes: 'Inventory (JSON file, Excel workbook)',
      pickerJson: 'Inventory (JSON file)',
      pickerWorkbook: 'Inventory (Excel workbook)',
      notReady: 'No errors, but not ready to submit yet',
      missingAccounts: 'Under “Accounts”, nobody who uses MCS is listed (deleted accounts do not count). Add them with “＋ Add an account”.',
      missingDevices: 'Under “Devices”, no device in use is listed (retired devices do not count). Add the PCs, smartphones and tablets used for MCS with “＋ Add a device”.',
      howToSubmit: 'How to submit',
      submitSteps: 'First save the inventory with “Save”. Then:',
      tabForm: 'Inventory',
      tabChecklist: 'MHLW checklist',
      tabNo: (n) => `${n} no`,
      checklistIntro: 'The items of the MHLW cybersecurity checklist, answered from your inventory. A “No” turns into “Yes” once the findings under it are fixed (click one to go to its field). A “To check” item cannot be told from the inventory: check what it says yourself.',
      // Not the API's `label` (yes / no / unknown, the CLI's words for a report): the
      // Japanese is the same, and for a clerk 要確認 means something to check by hand.
      answer: { yes: 'Yes', no: 'No', unknown: 'To check' },
      checklistCounts: (y, n, u) => `yes ${y}, no ${n}, to check ${u}`,
      checkByHand: 'Not in the inventory. Check: ',
      waivedBy: 'Waived by an Article 10 exception: ',
      checklistUnreadable: 'The inventory has format errors, so the checklist cannot be answered from it. Fix the fields marked in red under “Inventory” first.',
      checklistStale: 'answers of the last complete check (answered again once the format error is fixed)',
      checklistNotAnswered: 'answers of the last check (the checklist could not be answered this time; answered again at the next check)',
      checklistNumber: 'No.',
      checklistItem: 'Item',
      checklistAnswer: 'Answer',
      checklistTodo: 'To fix or check',
      goToField: 'Go to this field',
      notJson: 'This file cannot be read as JSON, so it cannot be opened in the forms. Fix it at the place below in a text editor, then open it again.',
      notObject: 'This file is not an inventory (a JSON object starting with {).',
      notJsonSlips: 'This file cannot be read as JSON, so it cannot be opened in the forms. These are the slips in it:',
      repairOffer: 'How to repair the slips above is clear: the page can repair them and open the file (the file itself is not changed; saving saves the repaired inventory).',
      repairButton: 'Repair and open',
      repaired: 'The slips were repaired and the inventory opened: check it, then save',
      loadNote: 'Note on loading',
      replaceConfirm: 'There are unsaved changes. Discard them and open another inventory?',
      leaveConfirm: 'There are unsaved changes',
      brokenSection: 'This part does not have the shape of an inventory and cannot be shown in the form.',
      rebuildSection: 'Empty it and start again',
      brokenRow: 'This row does not have the right shape.',
      place: 'Place',
      article: 'Article',
      content: 'Finding',
      printTitle: 'Inventory self-check result',
      printChecked: 'Checked on',
      printCounts: (a, d, e) => `${a} accounts, ${d} devices, ${e} exceptions`,
      printNone: 'No findings.',
      staleNote: 'from the last complete check (checked again once the format error is fixed)',
      printChecker: 'Checked by (name)',
      printOfficer: 'Checked by (security officer)',
      printCheckDate: 'Date',
      printBlankDate: '',
      printFooter: 'Made with rurume serve (Rurume-net inventory self-check)',
      kindOf: { account: 'account', device: 'device', networkDevice: 'network device', backup: 'backup', exception: 'exception', takeOut: 'take-out', app: 'app' },
      networkDevices: 'Network devices (routers, Wi-Fi…)',
      backups: 'Backups',
      addNetworkDevice: 'Add a network device',
      addBackup: 'Add a backup',
      noNetworkDevices: 'No network devices yet.',
      noBackups: 'No backups recorded yet.',
      security: 'Cybersecurity measures (the MHLW checklist)',
      osSupport: { true: 'Supported (updates are shipped)', false: 'No longer supported' },
      pwChanged: (d) => `last changed ${d}`,
      nth: (n) => `no. ${n}`,
      lineColumn: (l, c) => `line ${l}, column ${c}`,
      unnamed: '(no name)',
      serverError: 'The server answered with an error',
    },
  };

  const ENUMS = {
    facilityKind: [
      ['clinic', '診療所', 'Clinic'], ['hospital', '病院', 'Hospital'], ['dental', '歯科診療所', 'Dental clinic'],
      ['pharmacy', '薬局', 'Pharmacy'], ['visiting_nursing', '訪問看護ステーション', 'Visiting nursing station'],
      ['care_support', '居宅介護支援・介護事業所', 'Home-care support / care provider'], ['other', 'その他', 'Other'],
    ],
    accountStatus: [['active', '有効', 'Active'], ['suspended', '一時停止', 'Suspended'], ['deleted', '削除済み', 'Deleted']],
    employment: [['employed', '在職', 'Employed'], ['left', '退職', 'Left']],
    deviceKind: [['pc', 'パソコン', 'PC'], ['smartphone', 'スマートフォン', 'Smartphone'], ['tablet', 'タブレット', 'Tablet']],
    ownership: [['facility', '事業所貸与', 'Lent by the facility'], ['personal', '個人所有（BYOD）', 'Personal (BYOD)']],
    deviceStatus: [['in_use', '使用中', 'In use'], ['retired', '使用終了', 'Retired']],
    lockMethod: [
      ['password', 'パスワード', 'Password'], ['pin', '暗証番号（PIN）', 'PIN'], ['pattern', 'パターン', 'Pattern'],
      ['biometric', '生体認証（指紋・顔）', 'Biometric (fingerprint, face)'], ['none', 'なし', 'None'],
    ],
    remoteWipe: [
      ['remote_wipe', 'リモートワイプ', 'Remote wipe'], ['line_suspension', '緊急回線停止', 'Line suspension'],
      ['mdm', 'MDM（端末管理）', 'MDM (device management)'],
    ],
    usbStorage: [['blocked', '接続できない', 'Blocked'], ['restricted', '登録した媒体だけ', 'Registered media only'], ['allowed', '制限なし', 'Allowed']],
    netKind: [
      ['router', 'ルータ', 'Router'], ['firewall', 'ファイアウォール', 'Firewall'], ['vpn', 'VPN 装置', 'VPN gateway'],
      ['wifi', '無線 LAN アクセスポイント', 'Wi-Fi access point'], ['switch', 'スイッチ', 'Switch'], ['other', 'その他', 'Other'],
    ],
    wifiSecurity: [['wpa3', 'WPA3', 'WPA3'], ['wpa2', 'WPA2', 'WPA2'], ['wpa', 'WPA', 'WPA'], ['wep', 'WEP', 'WEP'], ['open', '暗号化なし', 'None (open)']],
    reason: [['life_protection', '生命・身体の保護', 'Protecting life or body'], ['disaster', '災害時の連絡手段', 'Communication in a disaster']],
  };

  // Where a finding on a whole row is best shown: the group the rule is about.
  const RULE_ANCHOR = {
    'screen-lock': 'screen_lock',
    'antivirus': 'antivirus',
    'remote-wipe': 'remote_wipe',
    'browser-saved-password': 'saved_password_in_browser',
    'byod-approval': 'byod_approval',
    'password-unassessed': 'password',
    'pledge-management': 'pledges/management',
    'pledge-retention': 'pledges/retention',
    'left-staff-active': 'employment',
    'email-shared': 'email',
    'mhlw-security-officer': 'security_officer',
    'mhlw-incident-contacts': 'incident_contacts',
    'mhlw-cyber-bcp': 'cyber_bcp',
    'mhlw-mfa': 'mfa',
    'mhlw-usb-storage': 'usb_storage',
    'mhlw-encryption': 'encryption',
    'mhlw-os-unsupported': 'supported',
    'mhlw-os-updates': 'updated',
    'mhlw-network-firmware': 'firmware_updated',
    'mhlw-default-password': 'default_password_changed',
    'mhlw-source-restriction': 'source_restriction',
    'mhlw-wifi-security': 'wifi_security',
    'mhlw-backup-generations': 'generations',
    'mhlw-backup-offline': 'offline',
    'mhlw-backup-stale': 'last',
    'mhlw-restore-untested': 'restore_tested',
  };

  // -------------------------------------------------------------------------------------
  // State

  const params = new URLSearchParams(location.search);
  const state = {
    lang: params.get('lang') === 'en' ? 'en' : (params.get('lang') === 'ja' ? 'ja' : (safeStorage('rurume-lang') || 'ja')),
    doc: null,
    fileName: null,
    asOf: /^\d{4}-\d{2}-\d{2}$/.test(params.get('as_of') || '') ? params.get('as_of') : today(),
    schema: null,
    rules: { ja: null, en: null },
    report: null,
    status: 'idle',
    statusText: '',
    dirty: false,
    seq: 0,
    timer: null,
    loadProblem: null, // { findings } when the file could not be opened in the forms
    loadNotes: [],
    pwResults: {}, // account index -> the answer of /api/password (never the password)
    handle: null, // the opened or chosen file (File System Access API), written back on Save
    isNew: false, // an inventory started on the page, not yet saved where the user chose
    view: 'form', // 'form' | 'checklist'
    checklist: null, // the answer of /api/checklist for the last check
    lastChecklist: null, // the last one answered from a readable inventory
    settings: { ja: null, en: null }, // /api/settings: how to submit
    saveNote: null, // where the last save went: { how, name, time, errors }, put in words when shown
    checklistFailed: false, // the last check could not answer the checklist: the previous answers stay
    gen: 0, // the document's generation: advanced whenever another inventory is opened or started
    edits: 0, // advanced by every edit (a save that began before one leaves the page unsaved)
    saving: false, // a save is running (Save is disabled meanwhile)
    overwriteAsked: false, // the user agreed to write over the opened workbook
  };
  let uid = 0;
  // Rows added on the page that the user has not touched yet (see checkedText).
  const fresh = new WeakSet();
  const freshRow = (row) => { fresh.add(row); return row; };

  function safeStorage(key, value) {
    try {
      if (value === undefined) return window.localStorage.getItem(key);
      window.localStorage.setItem(key, value);
    } catch (_) { /* storage may be unavailable */ }
    return null;
  }

  function today() {
    const d = new Date();
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  }

  const t = (key) => TEXT[state.lang][key];
  const pick = (ja, en) => (state.lang === 'ja' ? ja : en);
  // An aside in brackets: full-width in Japanese, after a space in English.
  const paren = (text) => pick(`（${text}）`, ` (${text})`);
  const enumOptions = (name) => ENUMS[name].map(([v, ja, en]) => [v, pick(ja, en)]);
  const enumLabel = (name, value) => {
    const e = ENUMS[name].find((x) => x[0] === value);
    return e ? pick(e[1], e[2]) : String(value);
  };

  // -------------------------------------------------------------------------------------
  // DOM and JSON helpers

  function h(tag, props, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v == null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'ptr') el.dataset.ptr = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'value' || k === 'checked' || k === 'disabled') el[k] = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const kid of kids.flat(Infinity)) {
      if (kid == null || kid === false) continue;
      el.append(kid instanceof Node ? kid : String(kid));
    }
    return el;
  }

  // Replaces an element's children; arrays are flattened, null and false left out.
  function fill(el, ...kids) {
    el.replaceChildren(...kids.flat(Infinity).filter((k) => k != null && k !== false));
    return el;
  }

  const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const escTok = (s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1');
  const ptr = (path) => (path.length ? '/' + path.map(escTok).join('/') : '');
  const unescTok = (s) => s.replace(/~1/g, '/').replace(/~0/g, '~');
  const tokens = (p) => (p === '' ? [] : p.slice(1).split('/').map(unescTok));

  const own = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

  // Own properties only: a key such as "__proto__" in a file is data, never a prototype.
  function getAt(path) {
    let v = state.doc;
    for (const k of path) {
      if (v === null || typeof v !== 'object' || !own(v, k)) return undefined;
      v = v[k];
    }
    return v;
  }

  // Sets the value at path, creating missing objects on the way; undefined removes the key.
  function setAt(path, value) {
    let v = state.doc;
    for (let i = 0; i < path.length - 1; i++) {
      const k = path[i];
      if (!own(v, k) || v[k] === null || typeof v[k] !== 'object') {
        if (value === undefined) return;
        v[k] = {};
      }
      v = v[k];
    }
    const last = path[path.length - 1];
    if (value === undefined) {
      if (Array.isArray(v)) v.splice(last, 1);
      else delete v[last];
    } else {
      v[last] = value;
    }
  }

  function byPtr(p) {
    return document.querySelector(`#editor [data-ptr="${CSS.escape(p)}"]`);
  }

  function schemaNode(def, key) {
    const d = state.schema && state.schema.$defs && state.schema.$defs[def];
    return d && d.properties ? d.properties[key] : undefined;
  }

  function bilingual(text) {
    if (typeof text !== 'string') return null;
    const i = text.indexOf(' / ');
    return i < 0 ? text : pick(text.slice(0, i), text.slice(i + 3));
  }

  const label = (def, key) => bilingual((schemaNode(def, key) || {}).title) || key;
  // A field's hover hint: the schema's page text (`x-page-help`), written for the form
  // (its labels and choices); the `description`s are written for JSON editors.
  const pageHelp = (node) => bilingual((node || {})['x-page-help']) || undefined;
  const help = (def, key) => pageHelp(schemaNode(def, key));
  const sectionHelp = (key) => pageHelp(state.schema && state.schema.properties && state.schema.properties[key]);

  // -------------------------------------------------------------------------------------
  // Form controls. Each control carries data-ptr: the JSON Pointer of the value it edits.

  function changed(rebuildAfter) {
    state.dirty = true;
    state.edits++;
    if (rebuildAfter) rebuild();
    scheduleCheck();
  }

  function wrap(text, control, opts = {}) {
    const id = `f${++uid}`;
    control.id = id;
    if (opts.help) control.title = opts.help;
    const kids = [h('label', { for: id, title: opts.help }, text), control];
    if (opts.note) kids.push(h('div', { class: 'note', text: opts.note }));
    kids.push(h('div', { class: 'slot' }));
    return h('div', { class: `field ${opts.cls || ''}` }, kids);
  }

  function wrapCheck(text, control, opts = {}) {
    const id = `f${++uid}`;
    control.id = id;
    return h('div', { class: `field check ${opts.cls || ''}` },
      h('label', { for: id, title: opts.help }, control, h('span', { text })),
      h('div', { class: 'slot' }));
  }

  function invalidNote(v, ok) {
    return v !== undefined && v !== null && !ok ? t('currentValue') + JSON.stringify(v) : undefined;
  }

  // A text field. empty: what an empty field writes: 'delete' | 'null' | 'empty'.
  function textField(path, def, opts = {}) {
    const v = getAt(path);
    const input = h('input', {
      type: opts.type || 'text', ptr: ptr(path), autocomplete: 'off', spellcheck: 'false',
      value: v == null ? '' : (typeof v === 'string' ? v : String(v)),
      placeholder: opts.placeholder, list: opts.list,
    });
    input.addEventListener('input', () => {
      const s = input.value;
      const empty = opts.empty || 'delete';
      setAt(path, s !== '' ? s : (empty === 'null' ? null : (empty === 'empty' ? '' : undefined)));
      if (opts.oninput) opts.oninput();
      changed();
    });
    if (opts.onchange) input.addEventListener('change', opts.onchange);
    return wrap(opts.label || label(def, path[path.length - 1]), input, {
      help: opts.help || help(def, path[path.length - 1]), cls: opts.cls,
      note: v != null && typeof v !== 'string' ? invalidNote(v, false) : undefined,
    });
  }

  function dateField(path, def, opts = {}) {
    const v = getAt(path);
    const valid = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
    const input = h('input', { type: 'date', ptr: ptr(path), value: valid ? v : '' });
    const write = () => {
      const s = input.value;
      setAt(path, s !== '' ? s : (opts.nullable ? null : (opts.required ? '' : undefined)));
      changed();
    };
    input.addEventListener('input', write);
    input.addEventListener('change', write);
    return wrap(opts.label || label(def, path[path.length - 1]), input, {
      help: help(def, path[path.length - 1]), cls: opts.cls,
      note: invalidNote(v, valid) || opts.note,
    });
  }

  function numberField(path, def, opts = {}) {
    const v = getAt(path);
    const ok = Number.isInteger(v);
    const input = h('input', { type: 'number', ptr: ptr(path), min: '0', step: '1', inputmode: 'numeric', value: ok ? String(v) : '' });
    input.addEventListener('input', () => {
      const s = input.value.trim();
      const n = Number(s);
      setAt(path, s === '' ? undefined : (Number.isFinite(n) ? n : s));
      changed();
    });
    return wrap(opts.label || label(def, path[path.length - 1]), input, {
      help: help(def, path[path.length - 1]), cls: opts.cls, note: invalidNote(v, ok),
    });
  }

  function checkField(path, def, opts = {}) {
    const v = getAt(path);
    const input = h('input', { type: 'checkbox', ptr: ptr(path), checked: v === true });
    input.addEventListener('change', () => {
      setAt(path, input.checked);
      changed(opts.rebuild);
    });
    return wrapCheck(opts.label || label(def, path[path.length - 1]), input, {
      help: help(def, path[path.length - 1]), cls: opts.cls,
    });
  }

  // A select; options are [value, label]. A value of the file that is not an option is
  // kept as an extra option, so that it is shown (and its finding makes sense).
  function selectField(path, def, options, opts = {}) {
    const v = getAt(path);
    const select = h('select', { ptr: ptr(path), 'data-options': opts.accounts ? 'accounts' : null });
    select.describe = opts.describeValue;
    select.keep = v;
    const known = options.some((o) => o[0] === v);
    if (opts.optional !== false || v === undefined || v === null) {
      select.append(h('option', { value: '', text: t('notSet') }));
    }
    for (const [value, text] of options) select.append(h('option', { value, text }));
    if (v != null && !known) select.append(keptOption(v, opts.describeValue));
    select.value = v == null ? '' : (known ? v : '\u0000keep');
    select.addEventListener('change', () => {
      if (select.value === '\u0000keep') setAt(path, select.keep);
      else setAt(path, select.value === '' ? (opts.nullable ? null : undefined) : select.value);
      changed(opts.rebuild);
    });
    return wrap(opts.label || label(def, path[path.length - 1]), select, {
      help: opts.help || help(def, path[path.length - 1]), cls: opts.cls,
    });
  }

  // A value of the file that is not among the options: kept, and said in words.
  function keptOption(v, describeValue) {
    const text = describeValue ? describeValue(v) : `${typeof v === 'string' ? v : JSON.stringify(v)} ${t('invalidValue')}`;
    return h('option', { value: '\u0000keep', text });
  }

  const activeAdmin = (a) => a.admin === true && a.status === 'active';

  // The accounts as choices (a device's users).
  function accountOptions() {
    const accounts = Array.isArray(state.doc.accounts) ? state.doc.accounts : [];
    return accounts.filter((a) => isObj(a) && typeof a.id === 'string' && a.id !== '').map((a) => {
      const admin = activeAdmin(a) ? ` · ${t('adminBadge')}` : '';
      return [a.id, `${a.id} · ${a.name || t('unnamed')}${admin}`];
    });
  }

  // The approvers to choose from: active administrators only (approver-not-admin).
  function adminOptions() {
    const accounts = Array.isArray(state.doc.accounts) ? state.doc.accounts : [];
    return accounts.filter((a) => isObj(a) && typeof a.id === 'string' && a.id !== '' && activeAdmin(a))
      .map((a) => [a.id, `${a.name || t('unnamed')}${paren(a.id)}`]);
  }

  // An approver of the file who is not an active administrator, named as a person.
  function describeApprover(v) {
    const accounts = Array.isArray(state.doc.accounts) ? state.doc.accounts : [];
    const a = accounts.find((x) => isObj(x) && x.id === v);
    const who = a ? `${a.name || t('unnamed')}${paren(v)}` : (typeof v === 'string' ? v : JSON.stringify(v));
    return `${who} — ${t('notAdmin')}`;
  }

  // A list of strings (apps, approved apps): one row per item, so that /…/apps/2 has a row.
  function stringList(path, opts) {
    const list = getAt(path);
    const box = h('div', { class: 'string-list', ptr: ptr(path) });
    if (Array.isArray(list)) {
      if (list.length === 0) box.append(h('p', { class: 'empty', text: opts.emptyText }));
      list.forEach((item, j) => {
        const input = h('input', {
          type: 'text', ptr: ptr([...path, j]), value: typeof item === 'string' ? item : JSON.stringify(item),
          autocomplete: 'off', spellcheck: 'false', 'aria-label': `${opts.itemLabel} ${j + 1}`, placeholder: opts.placeholder,
        });
        input.addEventListener('input', () => { list[j] = input.value; changed(); });
        box.append(h('div', { class: 'list-row field' },
          h('div', { class: 'list-line' }, input,
            h('button', {
              type: 'button', class: 'icon-button', title: t('remove'), 'aria-label': `${t('remove')} ${j + 1}`,
              onclick: () => { list.splice(j, 1); changed(true); },
            }, '×')),
          h('div', { class: 'slot' })));
      });
      box.append(h('button', {
        type: 'button', class: 'small-button',
        onclick: () => { list.push(''); changed(true); focusPtr(ptr([...path, list.length - 1])); },
      }, '＋ ', opts.addText));
    }
    box.prepend(h('div', { class: 'slot' }));
    return box;
  }

  function focusPtr(p) {
    const el = byPtr(p);
    if (el) {
      el.focus();
      if (el.scrollIntoView) el.scrollIntoView({ block: 'center' });
    }
  }

  function group(title, p, kids, cls, hint) {
    return h('fieldset', { class: `group ${cls || ''}`, ptr: p },
      h('legend', { text: title, title: hint }), h('div', { class: 'slot' }), kids);
  }

  function sectionBroken(path, empty) {
    return h('div', { class: 'broken' }, h('p', { text: t('brokenSection') }),
      h('button', { type: 'button', class: 'small-button', onclick: () => { setAt(path, empty()); changed(true); } }, t('rebuildSection')));
  }

  function rowBroken(list, i) {
    return h('div', { class: 'row-card', ptr: ptr([list, i]) },
      h('div', { class: 'slot' }),
      h('p', { text: t('brokenRow') }),
      h('button', { type: 'button', class: 'small-button', onclick: () => removeRow(list, i) }, t('remove')));
  }

  // Removing an element shifts the indexes after it: exceptions whose target points there
  // are moved along, so that they keep naming the same item.
  function removeRow(list, i) {
    state.doc[list].splice(i, 1);
    const prefix = `/${list}/`;
    if (Array.isArray(state.doc.exceptions)) {
      for (const ex of state.doc.exceptions) {
        if (!isObj(ex) || typeof ex.target !== 'string' || !ex.target.startsWith(prefix)) continue;
        const rest = ex.target.slice(prefix.length);
        const m = /^(\d+)(\/.*)?$/.exec(rest);
        if (m && Number(m[1]) > i) ex.target = `${prefix}${Number(m[1]) - 1}${m[2] || ''}`;
      }
    }
    if (list === 'accounts') state.pwResults = {};
    changed(true);
  }

  // Renaming an account id renames the references to it (users, approvals).
  function renameAccount(from, to) {
    if (!from || !to || from === to) return;
    const accounts = state.doc.accounts || [];
    if (accounts.filter((a) => isObj(a) && a.id === from).length > 0) return;
    const fix = (o, k) => { if (isObj(o) && o[k] === from) o[k] = to; };
    for (const d of Array.isArray(state.doc.devices) ? state.doc.devices : []) {
      if (!isObj(d)) continue;
      if (Array.isArray(d.users)) d.users = d.users.map((u) => (u === from ? to : u));
      fix(d.byod_approval, 'approved_by');
      for (const r of Array.isArray(d.take_out) ? d.take_out : []) fix(r, 'approved_by');
    }
    for (const ex of Array.isArray(state.doc.exceptions) ? state.doc.exceptions : []) fix(ex, 'approved_by');
  }

  // After an account's id or name, or a device's id, changed: the lists that name them.
  function refreshLinks() {
    const options = adminOptions();
    document.querySelectorAll('#editor select[data-options="accounts"]').forEach((select) => {
      const v = getAt(tokens(select.dataset.ptr));
      const known = options.some((o) => o[0] === v);
      select.keep = v;
      fill(select, h('option', { value: '', text: t('notSet') }),
        options.map(([value, text]) => h('option', { value, text })),
        v != null && !known ? keptOption(v, select.describe) : null);
      select.value = v == null ? '' : (known ? v : '\u0000keep');
    });
    document.querySelectorAll('#editor .users-field').forEach((field) => {
      const i = Number(field.dataset.device);
      field.replaceWith(usersField(state.doc.devices[i], i));
    });
    document.querySelectorAll('#editor .exception-target').forEach((field) => {
      const i = Number(field.dataset.exception);
      field.replaceWith(targetField(state.doc.exceptions[i], i));
    });
    renderFindings();
  }

  function nextId(list, prefix) {
    const used = new Set((Array.isArray(state.doc[list]) ? state.doc[list] : []).map((x) => isObj(x) && x.id));
    let n = 1;
    while (used.has(`${prefix}${n}`)) n++;
    return `${prefix}${n}`;
  }

  // -------------------------------------------------------------------------------------
  // The page

  const app = document.getElementById('app');

  function render() {
    document.documentElement.lang = state.lang;
    document.title = t('title');
    fill(app, header(), state.doc ? editorView() : startView());
    const drop = document.getElementById('drop-text');
    if (drop) drop.textContent = t('dropHere');
    renderFindings();
    renderChecklist();
  }

  // Re-renders keeping the focus and the scroll position (after rows are added or removed,
  // or an id changes that other controls list).
  function rebuild() {
    const active = document.activeElement;
    const key = active && active.dataset ? active.dataset.ptr || active.dataset.focus : null;
    const y = window.scrollY;
    render();
    if (key) {
      const el = document.querySelector(`[data-ptr="${CSS.escape(key)}"], [data-focus="${CSS.escape(key)}"]`);
      if (el) el.focus({ preventScroll: true });
    }
    window.scrollTo(0, y);
  }

  function header() {
    const fileInput = h('input', {
      type: 'file', id: 'file-input', class: 'visually-hidden', accept: '.json,application/json,.xlsx,.xlsm,.xlsb,.xls,.ods',
      onchange: (e) => { const f = e.target.files[0]; e.target.value = ''; if (f) openFile(f); },
    });
    const actions = [
      h('label', { for: 'file-input', class: 'button', id: 'open-button', tabindex: '0', onkeydown: keyClick, onclick: pickInstead }, t('open')),
      fileInput,
    ];
    if (state.doc) {
      actions.push(
        h('button', { type: 'button', class: 'button', onclick: startNew }, t('create')),
        h('button', { type: 'button', class: 'button primary', id: 'save', title: t('saveHelp'), onclick: save, disabled: state.saving }, t('save')),
        h('button', { type: 'button', class: 'button', id: 'print-button', onclick: () => window.print() }, t('print')));
    }
    actions.push(h('button', {
      type: 'button', class: 'button lang', id: 'lang-switch', title: t('otherLangLabel'),
      lang: state.lang === 'ja' ? 'en' : 'ja', onclick: switchLang,
    }, t('otherLang')));
    return h('header', { class: 'topbar' },
      h('div', { class: 'brand' },
        h('img', { src: '/favicon.svg', alt: '', width: '32', height: '32' }),
        h('div', {}, h('h1', { text: t('title') }), h('p', { class: 'subtitle', text: t('subtitle') }))),
      h('nav', { class: 'actions' }, actions));
  }

  function keyClick(e) {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      e.target.click();
    }
  }

  function startView() {
    const id = h('input', { type: 'text', id: 'new-id', placeholder: 'F0001', autocomplete: 'off' });
    const name = h('input', { type: 'text', id: 'new-name', placeholder: pick('みどり訪問看護ステーション', 'Midori visiting nursing station'), autocomplete: 'off' });
    const kind = h('select', { id: 'new-kind' }, enumOptions('facilityKind').map(([v, l]) => h('option', { value: v, text: l })));
    const problem = state.loadProblem ? loadProblemView() : null;
    return h('main', { class: 'start' },
      problem,
      h('div', { class: 'start-grid' },
        h('section', { class: 'card drop-card', id: 'drop-card' },
          h('h2', { text: t('startOpenTitle') }),
          h('p', { text: t('startOpenText') }),
          h('div', { class: 'drop-zone' },
            h('div', { class: 'drop-icon', 'aria-hidden': 'true' }, '⤓'),
            h('label', { for: 'file-input', class: 'button primary', id: 'choose-file', tabindex: '0', onkeydown: keyClick, onclick: pickInstead }, t('chooseFile')))),
        h('section', { class: 'card' },
          h('h2', { text: t('startNewTitle') }),
          h('p', { text: t('startNewText') }),
          h('div', { class: 'stack' },
            h('div', { class: 'field' }, h('label', { for: 'new-id', text: t('facilityId') }), id),
            h('div', { class: 'field' }, h('label', { for: 'new-name', text: t('facilityName') }), name),
            h('div', { class: 'field' }, h('label', { for: 'new-kind', text: t('facilityKind') }), kind),
            h('button', {
              type: 'button', class: 'button primary', id: 'create',
              onclick: () => createNew(id.value.trim(), name.value.trim(), kind.value),
            }, t('createButton'))))),
      h('p', { class: 'privacy', text: t('privacy') }));
  }

  function loadProblemView() {
    const p = state.loadProblem;
    const d = p.diagnosis;
    const slips = d && d.slips.length ? h('ol', { class: 'slips' }, d.slips.map((x) => h('li', { class: 'slip' },
      h('p', { class: 'slip-place', text: t('lineColumn')(x.line, x.column) }),
      h('pre', { class: 'excerpt' },
        h('span', { class: 'gutter', text: `${x.line} | ` }), x.excerpt, '\n',
        h('span', { class: 'gutter', text: `${' '.repeat(String(x.line).length)} | ` }),
        h('span', { class: 'marker', text: `${pad(Array.from(x.excerpt).slice(0, x.column - 1))}^` })),
      h('p', { class: 'slip-text', text: x.explanation })))) : null;
    const repair = d && d.repaired ? h('div', { class: 'repair' },
      h('p', { text: t('repairOffer') }),
      h('button', { type: 'button', class: 'button primary', id: 'repair', onclick: () => openRepaired(p.name, d.repaired) }, t('repairButton'))) : null;
    return h('section', { class: 'card load-problem' },
      h('h2', { text: p.name }),
      h('p', { text: p.notObject ? t('notObject') : (slips ? t('notJsonSlips') : t('notJson')) }),
      slips, repair,
      slips ? null : p.findings.map((f) => findingBox(f, { showPlace: true })));
  }

  // Spaces as wide as the characters before the marker (a kanji is two columns wide).
  function pad(chars) {
    return chars.map((c) => (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? '\u3000' : (c === '\t' ? '\t' : ' '))).join('');
  }

  // The repaired text, opened as if it were the file: checked again at once; saving
  // writes the repaired inventory.
  function openRepaired(name, text) {
    let doc;
    try { doc = JSON.parse(text.replace(/^\uFEFF/, '')); } catch (_) { return; }
    if (!isObj(doc)) return;
    state.handle = state.loadProblem ? state.loadProblem.handle : null;
    state.isNew = false;
    state.saveNote = null;
    state.loadProblem = null;
    state.loadNotes = [];
    state.doc = doc;
    state.fileName = name;
    state.format = 'json';
    state.dirty = true;
    clearResults();
    render();
    window.scrollTo(0, 0);
    scheduleCheck(0);
    toast(t('repaired'));
  }

  function editorView() {
    const doc = state.doc;
    return h('div', {},
      summaryView(),
      tabsView(),
      h('main', { id: 'checklist', class: 'checklist-view', hidden: state.view !== 'checklist', 'aria-labelledby': 'tab-checklist' }),
      h('main', { id: 'editor', class: 'editor', hidden: state.view !== 'form', 'aria-labelledby': 'tab-form' },
        facilitySection(doc),
        accountsSection(doc),
        devicesSection(doc),
        networkDevicesSection(doc),
        backupsSection(doc),
        exceptionsSection(doc),
        datalists(),
        h('p', { class: 'privacy', text: t('privacy') })));
  }

  // ----- summary bar

  function summaryView() {
    const asOf = h('input', {
      type: 'date', id: 'as-of', value: state.asOf, title: t('asOfHelp'),
      onchange: (e) => { state.asOf = e.target.value || today(); scheduleCheck(0); },
    });
    return h('section', { class: 'summary', id: 'summary', 'aria-label': t('findingsList')(0).replace(/[（(].*$/, '') },
      h('div', { class: 'summary-main' },
        h('div', { class: 'verdict', id: 'verdict', 'aria-live': 'polite' }),
        h('div', { class: 'counts', id: 'counts' }),
        h('div', { class: 'as-of' }, h('label', { for: 'as-of', text: t('asOf'), title: t('asOfHelp') }), asOf),
        h('div', { class: 'status', id: 'check-status' })),
      h('div', { class: 'readiness', id: 'readiness' }),
      h('p', { class: 'save-note', id: 'save-note', role: 'status' }),
      h('div', { id: 'general' }),
      h('details', { class: 'all-findings', id: 'all-findings' }, h('summary', {}), h('ol', {})));
  }

  // The two views of the inventory: its forms, and the MHLW checklist answered from it.
  function tabsView() {
    const tab = (view, id, text, extra) => h('button', {
      type: 'button', role: 'tab', id, class: `tab${state.view === view ? ' current' : ''}`,
      'aria-selected': state.view === view ? 'true' : 'false', onclick: () => showView(view),
    }, text, extra);
    return h('nav', { class: 'tabs', role: 'tablist' },
      tab('form', 'tab-form', t('tabForm')),
      tab('checklist', 'tab-checklist', t('tabChecklist'), h('span', { class: 'tab-count', id: 'tab-checklist-count' })));
  }

  function showView(view) {
    state.view = view;
    for (const [id, v] of [['editor', 'form'], ['checklist', 'checklist']]) {
      const el = document.getElementById(id);
      if (el) el.hidden = v !== view;
    }
    for (const [id, v] of [['tab-form', 'form'], ['tab-checklist', 'checklist']]) {
      const el = document.getElementById(id);
      if (!el) continue;
      el.classList.toggle('current', v === view);
      el.setAttribute('aria-selected', v === view ? 'true' : 'false');
    }
  }

  // Ready to submit: no error, and at least one account in use and one device in use
  // (rows just added and not touched yet do not count: they are not checked either).
  // What is missing, in the form's words.
  function missingForSubmission() {
    const rows = (list, inactive) => (Array.isArray(state.doc && state.doc[list]) ? state.doc[list] : [])
      .filter((x) => isObj(x) && !fresh.has(x) && x.status !== inactive).length;
    const missing = [];
    if (rows('accounts', 'deleted') === 0) missing.push(t('missingAccounts'));
    if (rows('devices', 'retired') === 0) missing.push(t('missingDevices'));
    return missing;
  }

  function renderReadiness(s) {
    const box = document.getElementById('readiness');
    if (!box) return;
    const missing = s && s.errors === 0 ? missingForSubmission() : [];
    const ready = !!s && s.errors === 0 && missing.length === 0;
    document.getElementById('summary').dataset.ready = String(ready);
    const settings = state.settings[state.lang];
    if (missing.length) {
      fill(box, h('ul', { class: 'missing' }, missing.map((m) => h('li', { text: m }))));
    } else if (ready && settings) {
      fill(box, h('p', { class: 'submit-how' }, h('strong', { text: `${t('howToSubmit')}: ` }), t('submitSteps'), pick('', ' '), settings.submit));
    } else {
      fill(box);
    }
  }

  function renderSummary() {
    const verdict = document.getElementById('verdict');
    if (!verdict) return;
    const r = state.report ? shown() : null;
    const counts = document.getElementById('counts');
    const s = r ? r.summary : null;
    const summary = document.getElementById('summary');
    if (s) {
      summary.dataset.errors = s.errors;
      summary.dataset.warnings = s.warnings;
      summary.dataset.waived = s.waived;
      summary.classList.toggle('has-errors', s.errors > 0);
      summary.classList.toggle('clean', s.errors === 0);
      const notReady = s.errors === 0 && missingForSubmission().length > 0;
      summary.classList.toggle('not-ready', notReady);
      fill(verdict,
        h('span', { class: 'verdict-icon', 'aria-hidden': 'true' }, s.errors > 0 ? '✕' : (notReady ? '!' : '✓')),
        s.errors > 0 ? t('hasErrors')(s.errors) : (notReady ? t('notReady') : (s.warnings > 0 ? t('allClearWarn') : t('allClear'))));
      fill(counts,
        pill('error', t('errors'), s.errors),
        pill('warning', t('warnings'), s.warnings),
        pill('waived', t('waived'), s.waived));
    } else {
      fill(verdict);
      fill(counts);
    }
    renderReadiness(s);
    document.getElementById('save-note').textContent = saveText(state.saveNote);
    const status = document.getElementById('check-status');
    const text = { idle: '', pending: t('checking'), ok: t('checked'), offline: t('offline'), error: state.statusText }[state.status];
    status.textContent = text || '';
    status.className = `status ${state.status}`;
    document.body.dataset.check = state.status;

    const list = document.getElementById('all-findings');
    const findings = r ? r.findings : [];
    list.hidden = findings.length === 0;
    list.querySelector('summary').textContent = t('findingsList')(findings.length);
    fill(list.querySelector('ol'), findings.map((f) => h('li', { class: `sev-${sev(f)}` },
      h('button', { type: 'button', class: 'link', onclick: () => reveal(f) },
        h('span', { class: `badge ${sev(f)}`, text: t('severity')[sev(f)] }),
        ' ', h('span', { class: 'place', text: describe(f.pointer) }), ' — ', f.message))));
  }

  function pill(kind, text, n) {
    return h('span', { class: `pill ${kind}${n === 0 ? ' zero' : ''}`, 'data-kind': kind }, text, ' ', h('strong', { text: t('count')(n) }));
  }

  const sev = (f) => (f.waived ? 'waived' : f.severity);

  // The lists of the inventory and the schema definition of their rows.
  const LIST_DEFS = { accounts: 'account', devices: 'device', network_devices: 'networkDevice', backups: 'backup', exceptions: 'exception' };

  const paused = (report) => report.findings.some((f) => f.rule === 'inventory-schema');

  // The findings the page shows. While a format error pauses the rules, the rules'
  // findings of the last complete check stay (marked as such): the counts do not drop to
  // the format errors and jump back once they are fixed.
  function shown() {
    const r = state.report;
    if (!r) return { findings: [], summary: { errors: 0, warnings: 0, waived: 0 }, paused: false };
    const now = paused(r);
    const kept = now && state.lastFull
      ? state.lastFull.findings.filter((f) => !f.rule.startsWith('inventory-')).map((f) => Object.assign({}, f, { stale: true }))
      : [];
    const findings = r.findings.concat(kept);
    const summary = { errors: 0, warnings: 0, waived: 0 };
    for (const f of findings) summary[f.waived ? 'waived' : (f.severity === 'error' ? 'errors' : 'warnings')]++;
    return { findings, summary, paused: now };
  }

  function reveal(f) {
    if (state.view !== 'form') showView('form');
    const el = anchorFor(f);
    if (!el) return;
    el.scrollIntoView({ block: 'center', behavior: 'smooth' });
    const target = el.matches('input, select, textarea') ? el : el.querySelector('input, select');
    if (target) target.focus({ preventScroll: true });
    el.classList.remove('flash');
    void el.offsetWidth;
    el.classList.add('flash');
  }

  // ----- facility

  function facilitySection(doc) {
    const f = doc.facility;
    const body = [];
    if (!isObj(f)) {
      body.push(sectionBroken(['facility'], () => ({ id: '', name: '', kind: 'other', submitted: today() })));
    } else {
      body.push(h('div', { class: 'grid' },
        textField(['facility', 'id'], 'facility', { empty: 'empty', placeholder: 'F0001' }),
        textField(['facility', 'name'], 'facility', { empty: 'empty', cls: 'wide' }),
        selectField(['facility', 'kind'], 'facility', enumOptions('facilityKind'), { optional: false }),
        dateField(['facility', 'submitted'], 'facility', { required: true })));
      body.push(group(t('security'), null, h('div', { class: 'grid' },
        textField(['facility', 'security_officer'], 'facility', { cls: 'wide' }),
        dateField(['facility', 'incident_contacts'], 'facility'),
        dateField(['facility', 'cyber_bcp'], 'facility'))));
      const apps = Array.isArray(f.approved_apps);
      body.push(group(label('facility', 'approved_apps'), '/facility/approved_apps', [
        apps ? stringList(['facility', 'approved_apps'], {
          emptyText: t('noApps'), addText: t('addApp'), itemLabel: label('facility', 'approved_apps'), placeholder: 'MCS',
        }) : h('p', { class: 'empty', text: t('approvedAppsOff') }),
        h('button', {
          type: 'button', class: 'small-button',
          onclick: () => { if (apps) delete f.approved_apps; else f.approved_apps = ['MCS']; changed(true); },
        }, apps ? t('approvedAppsRemove') : t('approvedAppsOn')),
      ], 'apps-group', help('facility', 'approved_apps')));
    }
    return h('section', { class: 'card section', ptr: '/facility', id: 'facility' },
      h('h2', { text: t('facility'), title: sectionHelp('facility') }), h('div', { class: 'slot' }), body);
  }

  // ----- accounts

  function accountsSection(doc) {
    const list = doc.accounts;
    const body = [];
    if (!Array.isArray(list)) {
      body.push(sectionBroken(['accounts'], () => []));
    } else {
      if (list.length === 0) body.push(h('p', { class: 'empty', text: t('noAccounts') }));
      list.forEach((a, i) => body.push(isObj(a) ? accountCard(a, i) : rowBroken('accounts', i)));
      body.push(h('button', { type: 'button', class: 'button add', id: 'add-account', onclick: addAccount }, '＋ ', t('addAccount')));
    }
    return h('section', { class: 'card section', ptr: '/accounts', id: 'accounts' },
      h('h2', { title: sectionHelp('accounts') }, t('accounts'), Array.isArray(list) ? h('span', { class: 'count', text: ` ${list.length}` }) : null),
      h('div', { class: 'slot' }), body);
  }

  function addAccount() {
    const id = nextId('accounts', 'a');
    state.doc.accounts.push(freshRow({
      id, name: '', job: '', email: '', mcs_id: null, admin: false, status: 'active', employment: 'employed',
      shared: false, pledges: { management: null, retention: null },
    }));
    changed(true);
    focusPtr(`/accounts/${state.doc.accounts.length - 1}/name`);
  }

  function accountCard(a, i) {
    const base = ['accounts', i];
    const at = (...k) => [...base, ...k];
    const badges = [];
    if (a.admin === true) badges.push(h('span', { class: 'tag admin', text: t('adminBadge') }));
    if (a.status === 'deleted') badges.push(h('span', { class: 'tag muted', text: t('deletedBadge') }));
    let oldId = a.id;
    const title = h('h3', {});
    const head = () => fill(title, h('span', { class: 'row-id', text: typeof a.id === 'string' && a.id ? a.id : '?' }), ' ',
      typeof a.name === 'string' && a.name ? a.name : t('unnamed'), ' ', badges);
    head();
    return h('article', { class: `row-card${a.status === 'deleted' ? ' inactive' : ''}`, ptr: ptr(base), 'data-fresh': fresh.has(a) },
      h('div', { class: 'row-head' },
        title,
        h('button', {
          type: 'button', class: 'icon-button danger', title: t('remove'), 'aria-label': `${t('remove')} ${a.id || ''}`,
          onclick: () => { if (window.confirm(t('removeAccount')(a.id || ''))) removeRow('accounts', i); },
        }, '×')),
      h('div', { class: 'slot' }),
      h('div', { class: 'grid' },
        textField(at('id'), 'account', {
          empty: 'empty', cls: 'narrow', oninput: head,
          onchange: () => { renameAccount(oldId, a.id); oldId = a.id; refreshLinks(); },
        }),
        textField(at('name'), 'account', { empty: 'empty', oninput: head, onchange: refreshLinks }),
        textField(at('job'), 'account', { list: 'jobs' }),
        textField(at('email'), 'account', { empty: 'empty', type: 'email', cls: 'wide' }),
        textField(at('mcs_id'), 'account', { empty: 'null', placeholder: t('blankMeansNull') }),
        selectField(at('status'), 'account', enumOptions('accountStatus'), { optional: false, rebuild: true }),
        selectField(at('employment'), 'account', enumOptions('employment'), { optional: false }),
        h('div', { class: 'checks' },
          checkField(at('admin'), 'account', { rebuild: true }),
          checkField(at('shared'), 'account'),
          checkField(at('mfa'), 'account'))),
      h('div', { class: 'subgroups' },
        group(label('account', 'pledges'), ptr(at('pledges')), h('div', { class: 'grid two' },
          dateField(at('pledges', 'management'), 'pledges', { nullable: true, note: t('blankMeansNotSigned') }),
          dateField(at('pledges', 'retention'), 'pledges', { nullable: true, note: t('blankMeansNotSigned') })), null, help('account', 'pledges')),
        passwordGroup(a, i)));
  }

  function datalists() {
    return [
      h('datalist', { id: 'jobs' }, ['医師', '看護師', '薬剤師', '歯科医師', 'ケアマネジャー', '理学療法士', '事務'].map((j) => h('option', { value: j }))),
      h('datalist', { id: 'os-names' }, ['Windows', 'macOS', 'iOS', 'iPadOS', 'Android', 'ChromeOS'].map((v) => h('option', { value: v }))),
      h('datalist', { id: 'av-products' }, ['Microsoft Defender', 'ウイルスバスター', 'ESET', 'ノートン', 'カスペルスキー'].map((v) => h('option', { value: v }))),
    ];
  }

  function passwordGroup(a, i) {
    const base = ['accounts', i, 'password'];
    const p = a.password;
    const kids = [];
    // A string here is a password written in clear: it is never shown (the finding says
    // so, with a button that removes it).
    if (isObj(p)) {
      // Only values of the right type are shown: a string here could be a password.
      const yn = (v) => (v === true ? t('yes') : v === false ? t('no') : t('invalidValue'));
      const int = (v, f) => (Number.isInteger(v) ? f(v) : f(t('invalidValue')));
      const chips = [];
      if (p.length !== undefined) chips.push(chip(int(p.length, t('pwLength'))));
      if (p.letters !== undefined) chips.push(chip(`${t('pwLetters')} ${yn(p.letters)}`));
      if (p.digits !== undefined) chips.push(chip(`${t('pwDigits')} ${yn(p.digits)}`));
      if (p.symbols !== undefined) chips.push(chip(`${t('pwSymbols')} ${yn(p.symbols)}`));
      if (p.strength !== undefined) chips.push(chip(int(p.strength, t('pwStrength'))));
      if (typeof p.changed === 'string') chips.push(chip(t('pwChanged')(longDate(p.changed))));
      kids.push(h('div', { class: 'chips' }, chips.length ? chips : h('span', { class: 'empty', text: t('pwNotAssessed') })));
      kids.push(checkField([...base, 'shared'], 'password', { label: t('pwShared') }));
    } else if (p === undefined) {
      kids.push(h('p', { class: 'empty', text: t('pwNotAssessed') }));
    }
    kids.push(passwordCheck(a, i));
    return group(t('password'), ptr(base), kids, 'password-group', help('account', 'password'));
  }

  function chip(text) {
    return h('span', { class: 'chip', text });
  }

  // The password is read from the field, the field is cleared at once, and the password
  // goes only into the one request body: it is kept nowhere on the page.
  //
  // Never make the record worse: "Check and record" asks the server with `record`, and a
  // failing password is refused (409) and not recorded. Recording it all the same is a
  // second, explicit step: the password typed again and "Record anyway" (`record_anyway`).
  // "Check only" never touches the inventory.
  function passwordCheck(a, i) {
    const id = `pw-${i}`;
    const input = h('input', {
      type: 'password', id, class: 'pw-input', autocomplete: 'new-password', spellcheck: 'false',
      'data-focus': `pw/${i}`, 'aria-describedby': `${id}-note`,
    });
    const button = h('button', { type: 'button', class: 'small-button primary pw-record', 'data-focus': `pwb/${i}` }, t('pwCheckButton'));
    const only = h('button', { type: 'button', class: 'small-button pw-check-only', 'data-focus': `pwc/${i}` }, t('pwCheckOnly'));
    const result = h('div', { class: 'pw-result', 'aria-live': 'polite' });
    const buttons = [button, only];
    const show = (r) => fill(result, passwordResult(r), r.outcome === 'refused' ? confirmAnyway() : null);
    // The second confirmation of a failing password, under its verdict.
    function confirmAnyway() {
      const anyway = h('button', { type: 'button', class: 'small-button danger pw-anyway', 'data-focus': `pwa/${i}` }, t('pwAnywayButton'));
      anyway.addEventListener('click', () => send('anyway'));
      buttons.push(anyway);
      return h('div', { class: 'pw-confirm', role: 'group', 'aria-label': t('pwAnywayButton') },
        h('p', { class: 'note', text: t('pwAnywayNote') }), anyway);
    }
    const shown = state.pwResults[i];
    if (shown) show(shown);
    function send(mode) {
      const minimal = {
        facility: isObj(state.doc.facility) ? { id: state.doc.facility.id, name: state.doc.facility.name } : {},
        accounts: [{ id: 'account', name: a.name, email: a.email, mcs_id: a.mcs_id }],
      };
      const body = JSON.stringify({
        password: input.value, inventory: minimal, account: 'account', lang: state.lang,
        record: mode !== 'check', record_anyway: mode === 'anyway',
      });
      const empty = input.value === '';
      input.value = '';
      if (empty) {
        const alert = h('p', { class: 'alert', text: t('pwEmpty') });
        if (mode === 'anyway') result.append(alert); else fill(result, alert);
        input.focus();
        return;
      }
      buttons.forEach((b) => { b.disabled = true; });
      fetch('/api/password', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, cache: 'no-store' })
        .then((r) => r.json().then((j) => ({ status: r.status, ok: r.ok, j })))
        .then(({ status, ok, j }) => {
          buttons.forEach((b) => { b.disabled = false; });
          if (!ok && !(status === 409 && j.record === 'refused')) {
            fill(result, h('p', { class: 'alert', text: j.error || t('serverError') }));
            return;
          }
          const r = {
            verdict: j.verdict, problems: j.problems, notes: j.notes || [], warning: j.warning,
            suggestions: j.suggestions, refusal: j.refusal,
            outcome: j.record === 'allowed' ? (j.verdict === 'pass' ? 'recorded' : 'anyway')
              : j.record === 'refused' ? 'refused' : 'checked',
          };
          state.pwResults[i] = r;
          // Only what the server allowed goes into the inventory.
          if (j.record !== 'allowed') {
            show(r);
            if (r.outcome === 'refused') input.focus();
            return;
          }
          a.password = {
            length: j.properties.length, letters: j.properties.letters, digits: j.properties.digits,
            symbols: j.properties.symbols, strength: j.properties.strength, shared: j.properties.shared,
          };
          if (j.properties.changed) a.password.changed = j.properties.changed;
          changed(true);
        })
        .catch(() => {
          buttons.forEach((b) => { b.disabled = false; });
          fill(result, h('p', { class: 'alert', text: t('offline') }));
        });
    }
    button.addEventListener('click', () => send('record'));
    only.addEventListener('click', () => send('check'));
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); send('record'); } });
    return h('div', { class: 'pw-check' },
      h('label', { for: id, text: t('pwCheckLabel') }),
      h('div', { class: 'pw-line' }, input, button, only),
      h('p', { class: 'note', id: `${id}-note`, text: t('pwCheckNote') }),
      result);
  }

  function passwordResult(r) {
    const pass = r.verdict === 'pass';
    const footer = {
      recorded: t('pwRecorded'), anyway: t('pwRecordedAnyway'), checked: t('pwCheckedOnly'), refused: r.refusal,
    }[r.outcome];
    return h('div', { class: `pw-verdict ${pass ? 'pass' : 'fail'}`, 'data-outcome': r.outcome },
      h('p', { class: 'pw-verdict-line' }, h('strong', { text: pass ? `✓ ${t('pwPass')}` : `✕ ${t('pwFail')}` })),
      r.problems.length ? h('ul', {}, r.problems.map((p) => h('li', { text: `${p.title}${paren(p.source)}` }))) : null,
      (r.notes || []).map((n) => h('p', { class: 'pw-note', text: `${t('pwWarning')}: ${n}` })),
      r.warning ? h('p', { text: `${t('pwWarning')}: ${r.warning}` }) : null,
      r.suggestions.map((s) => h('p', { class: 'note', text: `${t('pwAdvice')}: ${s}` })),
      footer ? h('p', { class: r.outcome === 'refused' ? 'pw-refusal' : 'note', text: footer }) : null);
  }

  // ----- devices

  function devicesSection(doc) {
    const list = doc.devices;
    const body = [];
    if (!Array.isArray(list)) {
      body.push(sectionBroken(['devices'], () => []));
    } else {
      if (list.length === 0) body.push(h('p', { class: 'empty', text: t('noDevices') }));
      list.forEach((d, i) => body.push(isObj(d) ? deviceCard(d, i) : rowBroken('devices', i)));
      body.push(h('button', { type: 'button', class: 'button add', id: 'add-device', onclick: addDevice }, '＋ ', t('addDevice')));
    }
    return h('section', { class: 'card section', ptr: '/devices', id: 'devices' },
      h('h2', { title: sectionHelp('devices') }, t('devices'), Array.isArray(list) ? h('span', { class: 'count', text: ` ${list.length}` }) : null),
      h('div', { class: 'slot' }), body);
  }

  function addDevice() {
    const id = nextId('devices', 'd');
    state.doc.devices.push(freshRow({
      id, kind: 'pc', ownership: 'facility', status: 'in_use', users: [],
      screen_lock: { enabled: false }, antivirus: { installed: false }, remote_wipe: [],
      saved_password_in_browser: false, apps: ['MCS'],
    }));
    changed(true);
    focusPtr(`/devices/${state.doc.devices.length - 1}/id`);
  }

  function deviceCard(d, i) {
    const base = ['devices', i];
    const at = (...k) => [...base, ...k];
    const title = h('h3', {});
    const head = () => fill(title, h('span', { class: 'row-id', text: typeof d.id === 'string' && d.id ? d.id : '?' }), ' ',
      enumLabel('deviceKind', d.kind), ' · ', enumLabel('ownership', d.ownership),
      d.status === 'retired' ? [' ', h('span', { class: 'tag muted', text: t('retiredBadge') })] : null);
    head();
    const personal = d.ownership === 'personal' || d.byod_approval !== undefined;
    return h('article', { class: `row-card device${d.status === 'retired' ? ' inactive' : ''}`, ptr: ptr(base), 'data-fresh': fresh.has(d) },
      h('div', { class: 'row-head' },
        title,
        h('button', {
          type: 'button', class: 'icon-button danger', title: t('remove'), 'aria-label': `${t('remove')} ${d.id || ''}`,
          onclick: () => { if (window.confirm(t('removeDevice')(d.id || ''))) removeRow('devices', i); },
        }, '×')),
      h('div', { class: 'slot' }),
      h('div', { class: 'grid' },
        textField(at('id'), 'device', { empty: 'empty', cls: 'narrow', oninput: head, onchange: refreshLinks }),
        selectField(at('kind'), 'device', enumOptions('deviceKind'), { optional: false, rebuild: true }),
        selectField(at('ownership'), 'device', enumOptions('ownership'), { optional: false, rebuild: true }),
        selectField(at('status'), 'device', enumOptions('deviceStatus'), { optional: false, rebuild: true }),
        isObj(d.os) || d.os === undefined ? textField(at('os', 'name'), 'os', { list: 'os-names' }) : null,
        isObj(d.os) || d.os === undefined ? textField(at('os', 'version'), 'os', { cls: 'narrow' }) : null,
        isObj(d.os) || d.os === undefined ? boolSelect(at('os', 'supported'), 'os', t('osSupport')) : null,
        isObj(d.os) || d.os === undefined ? dateField(at('os', 'updated'), 'os') : null,
        selectField(at('usb_storage'), 'device', enumOptions('usbStorage')),
        checkField(at('encryption'), 'device')),
      usersField(d, i),
      h('div', { class: 'subgroups three' },
        group(t('screenLock'), ptr(at('screen_lock')), [
          checkField(at('screen_lock', 'enabled'), 'screenLock'),
          selectField(at('screen_lock', 'method'), 'screenLock', enumOptions('lockMethod')),
          numberField(at('screen_lock', 'auto_lock_minutes'), 'screenLock'),
        ], null, help('device', 'screen_lock')),
        group(t('antivirus'), ptr(at('antivirus')), [
          checkField(at('antivirus', 'installed'), 'antivirus'),
          textField(at('antivirus', 'product'), 'antivirus', { list: 'av-products' }),
          checkField(at('antivirus', 'realtime'), 'antivirus'),
          dateField(at('antivirus', 'definitions_updated'), 'antivirus'),
        ], null, help('device', 'antivirus')),
        group(t('remoteWipe'), ptr(at('remote_wipe')), [
          remoteWipeChecks(d, i),
          checkField(at('saved_password_in_browser'), 'device', { cls: 'separated' }),
        ], null, help('device', 'remote_wipe'))),
      h('div', { class: 'subgroups two' },
        group(t('apps'), ptr(at('apps')), stringList(at('apps'), {
          emptyText: t('noApps'), addText: t('addApp'), itemLabel: label('device', 'apps'), placeholder: 'MCS',
        }), null, help('device', 'apps')),
        personal ? group(t('byod'), ptr(at('byod_approval')), h('div', { class: 'grid two' },
          approverField(at('byod_approval', 'approved_by'), 'byodApproval'),
          dateField(at('byod_approval', 'date'), 'byodApproval')), null, help('device', 'byod_approval')) : null),
      takeOutGroup(d, i));
  }

  function usersField(d, i) {
    const p = ptr(['devices', i, 'users']);
    const users = Array.isArray(d.users) ? d.users : [];
    const options = accountOptions();
    for (const u of users) if (!options.some((o) => o[0] === u)) options.push([u, String(u)]);
    const box = h('div', { class: 'users', ptr: p, role: 'group', 'aria-label': t('users') });
    if (options.length === 0) box.append(h('span', { class: 'empty', text: t('noUsers') }));
    for (const [value, text] of options) {
      const c = h('input', { type: 'checkbox', checked: users.includes(value), 'data-focus': `${p}#${value}` });
      c.addEventListener('change', () => {
        const now = Array.isArray(d.users) ? d.users : [];
        const set = new Set(now);
        if (c.checked) set.add(value); else set.delete(value);
        d.users = options.map((o) => o[0]).filter((v) => set.has(v));
        changed();
      });
      const id = `f${++uid}`;
      c.id = id;
      box.append(h('label', { class: 'user-chip', for: id }, c, h('span', { text })));
    }
    return h('div', { class: 'field users-field', 'data-device': String(i) },
      h('span', { class: 'label', title: help('device', 'users'), text: label('device', 'users') }), box, h('div', { class: 'slot' }));
  }

  function remoteWipeChecks(d, i) {
    const p = ptr(['devices', i, 'remote_wipe']);
    const have = Array.isArray(d.remote_wipe) ? d.remote_wipe : [];
    const box = h('div', { class: 'checks-col' });
    for (const [value, text] of enumOptions('remoteWipe')) {
      const c = h('input', { type: 'checkbox', checked: have.includes(value), 'data-focus': `${p}#${value}` });
      c.addEventListener('change', () => {
        const now = Array.isArray(d.remote_wipe) ? d.remote_wipe : [];
        const set = new Set(now);
        if (c.checked) set.add(value); else set.delete(value);
        const extra = now.filter((v) => !ENUMS.remoteWipe.some((e) => e[0] === v));
        d.remote_wipe = ENUMS.remoteWipe.map((e) => e[0]).filter((v) => set.has(v)).concat(extra);
        changed();
      });
      box.append(wrapCheck(text, c));
    }
    return box;
  }

  function takeOutGroup(d, i) {
    const base = ['devices', i, 'take_out'];
    const list = d.take_out;
    const kids = [];
    if (list !== undefined && !Array.isArray(list)) {
      kids.push(sectionBroken(base, () => []));
    } else {
      const rows = Array.isArray(list) ? list : [];
      if (rows.length === 0) kids.push(h('p', { class: 'empty', text: t('noTakeOut') }));
      rows.forEach((r, j) => {
        const at = (k) => [...base, j, k];
        if (!isObj(r)) {
          kids.push(h('div', { class: 'take-out-row', ptr: ptr([...base, j]) }, h('div', { class: 'slot' }), h('p', { text: t('brokenRow') }),
            h('button', { type: 'button', class: 'small-button', onclick: () => { rows.splice(j, 1); changed(true); } }, t('remove'))));
          return;
        }
        kids.push(h('div', { class: 'take-out-row', ptr: ptr([...base, j]), 'data-fresh': fresh.has(r) },
          h('div', { class: 'row-head small' },
            h('h4', { text: `${t('takeOut')} ${j + 1}` }),
            h('button', {
              type: 'button', class: 'icon-button danger', title: t('remove'),
              onclick: () => { if (window.confirm(t('removeRow'))) { rows.splice(j, 1); if (rows.length === 0) delete d.take_out; changed(true); } },
            }, '×')),
          h('div', { class: 'slot' }),
          h('div', { class: 'grid' },
            textField(at('purpose'), 'takeOut'),
            textField(at('data'), 'takeOut'),
            textField(at('media'), 'takeOut'),
            textField(at('location'), 'takeOut'),
            dateField(at('from'), 'takeOut'),
            dateField(at('until'), 'takeOut'),
            approverField(at('approved_by'), 'takeOut'),
            checkField(at('returned'), 'takeOut'))));
      });
      kids.push(h('button', {
        type: 'button', class: 'small-button',
        onclick: () => {
          if (!Array.isArray(d.take_out)) d.take_out = [];
          d.take_out.push(freshRow({ from: today() }));
          changed(true);
          focusPtr(ptr([...base, d.take_out.length - 1, 'purpose']));
        },
      }, '＋ ', t('addTakeOut')));
    }
    return group(t('takeOut'), ptr(base), kids, 'take-out', help('device', 'take_out'));
  }

  // A yes/no whose absence means something (os.supported: absent = judged by the
  // end-of-support table): a list with "not set", never a checkbox that writes false.
  function boolSelect(path, def, labels) {
    const v = getAt(path);
    const field = selectField(path, def, [['true', labels.true], ['false', labels.false]], {});
    const select = field.querySelector('select');
    if (typeof v === 'boolean') {
      // The value is one of the two choices after all: no "kept" option for it.
      for (const o of [...select.options]) if (o.value === '\u0000keep') o.remove();
      select.value = String(v);
    }
    select.addEventListener('change', () => {
      if (select.value === 'true' || select.value === 'false') setAt(path, select.value === 'true');
    });
    return field;
  }

  // ----- network devices and backups: a table of rows, driven by the schema's titles

  function listSection(list, opts) {
    const rows = state.doc[list];
    const body = [];
    if (rows !== undefined && !Array.isArray(rows)) {
      body.push(sectionBroken([list], () => []));
    } else {
      const items = Array.isArray(rows) ? rows : [];
      if (items.length === 0) body.push(h('p', { class: 'empty', text: opts.emptyText }));
      items.forEach((x, i) => body.push(isObj(x) ? h('article', { class: `row-card${x.status === 'retired' ? ' inactive' : ''}`, ptr: ptr([list, i]), 'data-fresh': fresh.has(x) },
        h('div', { class: 'row-head' },
          h('h3', {}, h('span', { class: 'row-id', text: typeof x.id === 'string' && x.id ? x.id : '?' }), ' ', opts.title(x)),
          h('button', {
            type: 'button', class: 'icon-button danger', title: t('remove'), 'aria-label': `${t('remove')} ${x.id || ''}`,
            onclick: () => { if (window.confirm(t('removeRow'))) removeRow(list, i); },
          }, '×')),
        h('div', { class: 'slot' }),
        h('div', { class: 'grid' }, opts.fields(x, (...k) => [list, i, ...k]))) : rowBroken(list, i)));
      body.push(h('button', {
        type: 'button', class: 'button add', id: `add-${list}`,
        onclick: () => {
          if (!Array.isArray(state.doc[list])) state.doc[list] = [];
          state.doc[list].push(freshRow(opts.make(nextId(list, opts.prefix))));
          changed(true);
          focusPtr(`/${list}/${state.doc[list].length - 1}/id`);
        },
      }, '＋ ', opts.addText));
    }
    return h('section', { class: 'card section', ptr: `/${list}`, id: list },
      h('h2', { title: sectionHelp(list) }, opts.heading, Array.isArray(rows) ? h('span', { class: 'count', text: ` ${rows.length}` }) : null),
      h('div', { class: 'slot' }), body);
  }

  function networkDevicesSection() {
    return listSection('network_devices', {
      heading: t('networkDevices'), emptyText: t('noNetworkDevices'), addText: t('addNetworkDevice'), prefix: 'n',
      make: (id) => ({ id, kind: 'router', status: 'in_use' }),
      title: (x) => enumLabel('netKind', x.kind),
      fields: (x, at) => [
        textField(at('id'), 'networkDevice', { empty: 'empty', cls: 'narrow' }),
        selectField(at('kind'), 'networkDevice', enumOptions('netKind'), { optional: false, rebuild: true }),
        selectField(at('status'), 'networkDevice', enumOptions('deviceStatus'), { optional: false, rebuild: true }),
        textField(at('product'), 'networkDevice'),
        dateField(at('firmware_updated'), 'networkDevice'),
        x.kind === 'wifi' || x.wifi_security !== undefined ? selectField(at('wifi_security'), 'networkDevice', enumOptions('wifiSecurity')) : null,
        checkField(at('default_password_changed'), 'networkDevice'),
        checkField(at('source_restriction'), 'networkDevice'),
      ],
    });
  }

  function backupsSection() {
    return listSection('backups', {
      heading: t('backups'), emptyText: t('noBackups'), addText: t('addBackup'), prefix: 'b',
      make: (id) => ({ id, system: '' }),
      title: (x) => (typeof x.system === 'string' ? x.system : ''),
      fields: (x, at) => [
        textField(at('id'), 'backup', { empty: 'empty', cls: 'narrow' }),
        textField(at('system'), 'backup', { empty: 'empty', cls: 'wide' }),
        dateField(at('last'), 'backup'),
        numberField(at('generations'), 'backup'),
        dateField(at('restore_tested'), 'backup'),
        checkField(at('offline'), 'backup'),
      ],
    });
  }

  // ----- exceptions

  function exceptionsSection(doc) {
    const list = doc.exceptions;
    const body = [];
    if (list !== undefined && !Array.isArray(list)) {
      body.push(sectionBroken(['exceptions'], () => []));
    } else {
      const rows = Array.isArray(list) ? list : [];
      if (rows.length === 0) body.push(h('p', { class: 'empty', text: t('noExceptions') }));
      rows.forEach((ex, i) => body.push(isObj(ex) ? exceptionCard(ex, i) : rowBroken('exceptions', i)));
      body.push(h('button', {
        type: 'button', class: 'button add', id: 'add-exception',
        onclick: () => {
          if (!Array.isArray(state.doc.exceptions)) state.doc.exceptions = [];
          state.doc.exceptions.push(freshRow({ rule: '', target: '', reason: 'disaster' }));
          changed(true);
          focusPtr(`/exceptions/${state.doc.exceptions.length - 1}/rule`);
        },
      }, '＋ ', t('addException')));
    }
    return h('section', { class: 'card section', ptr: '/exceptions', id: 'exceptions' },
      h('h2', { title: sectionHelp('exceptions') }, t('exceptions')), h('div', { class: 'slot' }), body);
  }

  // An approver: a list of the active administrators, with a note on why others are not.
  function approverField(path, def) {
    const field = selectField(path, def, adminOptions(), { accounts: true, describeValue: describeApprover });
    field.insertBefore(h('div', { class: 'note', text: t('adminsOnly') }), field.querySelector(':scope > .slot'));
    return field;
  }

  // What an exception can be for: the places where its rule has a finding now (an app, a
  // password), then every device and account. The page writes the pointer.
  function targetOptions(rule) {
    const seen = new Set();
    const options = [];
    const add = (p) => { if (!seen.has(p)) { seen.add(p); options.push([p, describe(p)]); } };
    for (const f of state.report ? state.report.findings : []) {
      if (f.rule === rule && /^\/(devices|accounts)\/\d+/.test(f.pointer)) add(f.pointer);
    }
    for (const list of ['devices', 'accounts', 'network_devices', 'backups']) {
      (Array.isArray(state.doc[list]) ? state.doc[list] : []).forEach((x, i) => { if (isObj(x)) add(`/${list}/${i}`); });
    }
    return options;
  }

  function targetField(ex, i) {
    const field = selectField(['exceptions', i, 'target'], 'exception', targetOptions(ex.rule), {
      help: t('targetHelp'), cls: 'wide',
      describeValue: (v) => (typeof v === 'string' && v !== '' ? `${describe(v)} — ${t('targetMissing')}` : t('notSet')),
    });
    field.classList.add('exception-target');
    field.dataset.exception = String(i);
    return field;
  }

  function exceptionCard(ex, i) {
    const at = (k) => ['exceptions', i, k];
    const rules = (state.rules[state.lang] || []).filter((r) => !r.id.startsWith('inventory-'));
    return h('article', { class: 'row-card', ptr: ptr(['exceptions', i]), 'data-fresh': fresh.has(ex) },
      h('div', { class: 'row-head' },
        h('h3', { text: `${t('kindOf').exception} ${i + 1}` }),
        h('button', {
          type: 'button', class: 'icon-button danger', title: t('remove'),
          onclick: () => { if (window.confirm(t('removeRow'))) removeRow('exceptions', i); },
        }, '×')),
      h('div', { class: 'slot' }),
      h('div', { class: 'grid' },
        selectField(at('rule'), 'exception', rules.map((r) => [r.id, `${r.title}${paren(r.id)}`]), { cls: 'wide', rebuild: true }),
        targetField(ex, i),
        selectField(at('reason'), 'exception', enumOptions('reason')),
        approverField(at('approved_by'), 'exception'),
        dateField(at('expires'), 'exception'),
        textField(at('note'), 'exception', { cls: 'wide' })));
  }

  // -------------------------------------------------------------------------------------
  // Findings next to their fields

  function anchorFor(f) {
    const p = f.pointer;
    const hint = RULE_ANCHOR[f.rule];
    if (hint) {
      const el = byPtr(`${p}/${hint}`);
      if (el) return el;
    }
    let q = p;
    for (;;) {
      const el = byPtr(q);
      if (el) return el;
      if (q === '') return null;
      q = q.slice(0, q.lastIndexOf('/'));
    }
  }

  function slotOf(el) {
    if (el.matches('input, select, textarea')) {
      const field = el.closest('.field');
      return field ? field.querySelector(':scope > .slot') : null;
    }
    return el.querySelector(':scope > .slot') || (el.closest('.field') && el.closest('.field').querySelector(':scope > .slot'));
  }

  function renderFindings() {
    const editor = document.getElementById('editor');
    renderSummary();
    if (!editor) return;
    editor.querySelectorAll('.finding').forEach((el) => el.remove());
    editor.querySelectorAll('.flag-error, .flag-warning, .flag-waived').forEach((el) => {
      el.classList.remove('flag-error', 'flag-warning', 'flag-waived');
      el.removeAttribute('aria-invalid');
    });
    const general = [];
    for (const f of shown().findings) {
      const el = anchorFor(f);
      const slot = el && slotOf(el);
      if (!slot) {
        general.push(f);
        continue;
      }
      const box = findingBox(f, { removable: removable(f) });
      box.id = `finding-${++uid}`;
      slot.append(box);
      const s = sev(f);
      const rank = { waived: 1, warning: 2, error: 3 };
      const current = ['error', 'warning', 'waived'].find((k) => el.classList.contains(`flag-${k}`));
      if (!current || rank[s] > rank[current]) {
        el.classList.remove('flag-error', 'flag-warning', 'flag-waived');
        el.classList.add(`flag-${s}`);
      }
      if (el.matches('input, select') && s !== 'waived') {
        el.setAttribute('aria-invalid', 'true');
        el.setAttribute('aria-describedby', box.id);
      }
    }
    const box = document.getElementById('general');
    if (box) {
      const notes = state.loadNotes.map((f) => findingBox(f, { showPlace: true, note: true }));
      const paused = shown().paused ? h('p', { class: 'paused', text: t('rulesPaused') }) : null;
      fill(box, paused, general.length || notes.length
        ? [h('h2', { text: t('general') }), general.map((f) => findingBox(f, { showPlace: true, removable: removable(f) })), notes]
        : null);
    }
  }

  // A finding on a value no control edits (a key the format does not know, a password
  // written in clear) can be fixed by removing that value.
  function removable(f) {
    if (f.rule !== 'inventory-schema' && f.rule !== 'plaintext-password') return false;
    const path = tokens(f.pointer);
    if (path.length === 0) return false;
    const parent = getAt(path.slice(0, -1));
    const key = path[path.length - 1];
    if (!isObj(parent) || !own(parent, key)) return false;
    if (f.rule === 'plaintext-password') return true;
    const known = propertiesAt(path.slice(0, -1));
    return known !== null && !own(known, key);
  }

  // The properties the schema declares for the object at path, or null when unknown.
  function propertiesAt(path) {
    if (!state.schema) return null;
    if (path.length === 0) return state.schema.properties || null;
    const defs = state.schema.$defs || {};
    const nested = { password: 'password', pledges: 'pledges', screen_lock: 'screenLock', antivirus: 'antivirus', os: 'os', byod_approval: 'byodApproval' };
    const [top, i, key, j, deeper] = path;
    let def = null;
    if (top === 'facility' && path.length === 1) def = 'facility';
    else if (top === 'accounts' && path.length === 2) def = 'account';
    else if (top === 'accounts' && path.length === 3 && (key === 'password' || key === 'pledges')) def = nested[key];
    else if (top === 'devices' && path.length === 2) def = 'device';
    else if (top === 'devices' && path.length === 3 && nested[key]) def = nested[key];
    else if (top === 'devices' && path.length === 4 && key === 'take_out' && deeper === undefined && /^\d+$/.test(j)) def = 'takeOut';
    else if (top === 'exceptions' && path.length === 2) def = 'exception';
    else if ((top === 'network_devices' || top === 'backups') && path.length === 2) def = LIST_DEFS[top];
    if (!/^\d+$/.test(i || '0') && top !== 'facility') return null;
    return def && defs[def] ? defs[def].properties || null : null;
  }

  function findingBox(f, opts = {}) {
    const s = sev(f);
    let fix = f.fix;
    const box = h('div', { class: `finding ${s}${opts.note ? ' load-note' : ''}${f.stale ? ' stale' : ''}`, 'data-rule': f.rule, 'data-pointer': f.pointer, role: s === 'error' && !f.stale ? 'alert' : null },
      h('div', { class: 'finding-head' },
        h('span', { class: `badge ${s}`, text: opts.note ? t('loadNote') : t('severity')[s] }),
        f.source && f.source !== '—' ? h('span', { class: 'article', text: f.source }) : null,
        h('code', { class: 'rule-id', text: f.rule }),
        opts.showPlace ? h('span', { class: 'place', text: placeOf(f) }) : null,
        f.stale ? h('span', { class: 'stale-note', text: t('staleNote') }) : null),
      h('p', { class: 'message', text: f.message }),
      fix ? h('p', { class: 'fix' }, h('strong', { text: `${t('fix')}: ` }), fix) : null,
      opts.removable ? h('button', {
        type: 'button', class: 'small-button danger',
        onclick: () => { setAt(tokens(f.pointer), undefined); changed(true); },
      }, t('removeKey')) : null);
    return box;
  }

  // Where a finding is: in words, and for a file that is not JSON, its line and column.
  function placeOf(f) {
    // A workbook's cell is where the clerk looks: 端末!H12.
    if (f.cell) return f.cell;
    if (f.rule === 'inventory-syntax' && f.line) return t('lineColumn')(f.line, f.column);
    return describe(f.pointer);
  }

  // A pointer told in words: "機器 d1 › 画面ロック".
  function describe(p) {
    const path = tokens(p);
    if (path.length === 0) return pick('ファイル全体', 'the whole file');
    const parts = [];
    const [top, index, ...rest] = path;
    let def = null;
    if (top === 'facility') {
      parts.push(t('facility'));
      def = 'facility';
      rest.unshift(index);
    } else if (LIST_DEFS[top]) {
      const list = Array.isArray(state.doc && state.doc[top]) ? state.doc[top] : [];
      const kind = LIST_DEFS[top];
      if (index === undefined) {
        parts.push(t(top));
      } else {
        const item = list[Number(index)];
        const name = isObj(item) && typeof item.id === 'string' && top !== 'exceptions'
          ? `${item.id}${top === 'accounts' && item.name ? paren(item.name) : ''}`
          : t('nth')(Number(index) + 1);
        parts.push(`${t('kindOf')[kind]} ${name}`);
      }
      def = LIST_DEFS[top];
    } else {
      parts.push(top);
      rest.unshift(index);
    }
    const nested = { password: 'password', pledges: 'pledges', screen_lock: 'screenLock', antivirus: 'antivirus', os: 'os', byod_approval: 'byodApproval', take_out: 'takeOut' };
    for (let k = 0; k < rest.length; k++) {
      const key = rest[k];
      if (key === undefined) continue;
      if (/^\d+$/.test(key)) {
        parts.push(t('nth')(Number(key) + 1));
        continue;
      }
      parts.push(def ? label(def, key) : key);
      if (nested[key]) def = nested[key];
    }
    return parts.join(' › ');
  }

  // -------------------------------------------------------------------------------------
  // The MHLW checklist, answered by rurume for the inventory as it is (POST /api/checklist)

  // While a format error pauses the rules, the answers of the last readable inventory stay
  // (marked as such), as the findings do.
  // When the last check could not answer the checklist at all, its previous answers stay,
  // marked the same way. `stale`: what to say of the answers shown, or null.
  function checklistShown() {
    const c = state.checklist;
    if (c && c.sheet && c.sheet.unreadable && state.lastChecklist) return { c: state.lastChecklist, stale: t('checklistStale') };
    if (c && state.checklistFailed) return { c, stale: t('checklistNotAnswered') };
    return { c, stale: null };
  }

  function renderChecklist() {
    const box = document.getElementById('checklist');
    if (!box) return;
    const count = document.getElementById('tab-checklist-count');
    const { c, stale } = checklistShown();
    if (!c || !c.sheet) {
      fill(box);
      if (count) fill(count);
      return;
    }
    const sum = c.summary;
    if (count) {
      count.textContent = sum.no ? t('tabNo')(sum.no) : '';
      count.className = `tab-count${sum.no ? ' no' : ''}`;
    }
    fill(box, h('section', { class: 'card checklist', 'data-yes': sum.yes, 'data-no': sum.no, 'data-unknown': sum.unknown },
      h('h2', { text: c.sheet.title }),
      h('p', { class: 'checklist-intro', text: t('checklistIntro') }),
      h('div', { class: 'counts' },
        pill('yes', t('answer').yes, sum.yes), pill('no', t('answer').no, sum.no), pill('unknown', t('answer').unknown, sum.unknown)),
      stale ? h('p', { class: 'paused', text: stale }) : null,
      !stale && c.sheet.unreadable ? h('p', { class: 'paused', text: t('checklistUnreadable') }) : null,
      c.sheet.sections.map((sec) => h('section', { class: 'checklist-section' },
        h('h3', { text: `${sec.number}. ${sec.title}` }),
        h('ol', { class: 'checklist-items' }, sec.items.map((i) => checklistItem(i, stale)))))));
  }

  function checklistItem(i, stale) {
    return h('li', { class: `checklist-item ${i.answer}${stale ? ' stale' : ''}`, 'data-item': i.id, 'data-answer': i.answer },
      h('div', { class: 'item-head' },
        h('span', { class: 'item-number', text: i.number }),
        h('span', { class: 'item-text', text: i.text }),
        h('span', { class: `answer ${i.answer}`, text: t('answer')[i.answer] })),
      i.findings.length ? h('ul', { class: 'item-findings' }, i.findings.map((f) => h('li', { class: `sev-${sev(f)}` },
        h('button', { type: 'button', class: 'link', title: t('goToField'), 'data-pointer': f.pointer, onclick: () => reveal(f) },
          h('span', { class: 'place', text: describe(f.pointer) }), ' — ', f.message),
        f.fix ? h('p', { class: 'fix' }, h('strong', { text: `${t('fix')}: ` }), f.fix) : null))) : null,
      i.waived.map((f) => h('p', { class: 'item-waived', text: `${t('waivedBy')}${describe(f.pointer)} — ${f.message}` })),
      i.manual ? h('p', { class: 'item-manual' }, h('strong', { text: t('checkByHand') }), i.manual) : null);
  }

  // -------------------------------------------------------------------------------------
  // Checking

  function scheduleCheck(delay) {
    clearTimeout(state.timer);
    state.status = 'pending';
    renderStatusOnly();
    state.timer = setTimeout(runCheck, delay === undefined ? 350 : delay);
  }

  function renderStatusOnly() {
    const status = document.getElementById('check-status');
    if (status) {
      status.textContent = t('checking');
      status.className = 'status pending';
    }
    document.body.dataset.check = 'pending';
  }

  function checkUrl(what) {
    const q = new URLSearchParams({ lang: state.lang });
    if (state.asOf) q.set('as_of', state.asOf);
    return `/api/${what || 'check'}?${q}`;
  }

  // A row just added is not checked until the user has touched it: a new account shows no
  // "name missing" before its name could be typed. Only rows at the end of their list are
  // left out, so every other row keeps its pointer.
  function checkedText() {
    return JSON.stringify(state.doc, (_, v) => {
      if (!Array.isArray(v)) return v;
      let end = v.length;
      while (end > 0 && fresh.has(v[end - 1])) end--;
      return end === v.length ? v : v.slice(0, end);
    });
  }

  async function postCheck(body) {
    const r = await fetch(checkUrl(), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, cache: 'no-store' });
    const j = await r.json();
    if (!r.ok) throw Object.assign(new Error(j.error || t('serverError')), { server: true });
    return j;
  }

  // The checklist's answers for the same text; null when they cannot be had (the findings
  // are still shown).
  async function postChecklist(body) {
    try {
      const r = await fetch(checkUrl('checklist'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, cache: 'no-store' });
      return r.ok ? await r.json() : null;
    } catch (_) {
      return null;
    }
  }

  async function runCheck() {
    if (!state.doc) return;
    const seq = ++state.seq;
    try {
      const body = checkedText();
      const [report, checklist] = await Promise.all([postCheck(body), postChecklist(body)]);
      if (seq !== state.seq) return;
      state.report = report;
      if (!paused(report)) state.lastFull = report;
      if (checklist) state.checklist = checklist;
      state.checklistFailed = !checklist;
      if (checklist && checklist.sheet && !checklist.sheet.unreadable) state.lastChecklist = checklist;
      state.status = 'ok';
    } catch (e) {
      if (seq !== state.seq) return;
      state.status = e.server ? 'error' : 'offline';
      state.statusText = e.message;
    }
    renderFindings();
    renderChecklist();
    renderPrint();
  }

  // -------------------------------------------------------------------------------------
  // Opening, creating, saving

  const WORKBOOK = /\.(xlsx|xlsm|xlsb|xls|ods)$/i;

  // A workbook is read by rurume into the inventory it holds; the page then edits that
  // inventory as it edits a JSON file, and saves it back as a workbook.
  async function openWorkbook(file, handle) {
    const bytes = await file.arrayBuffer();
    let answer;
    try {
      const r = await fetch(`/api/import?lang=${state.lang}`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: bytes, cache: 'no-store' });
      answer = await r.json();
      if (!r.ok) throw new Error(answer.error || t('serverError'));
    } catch (e) {
      toast(e.message || t('offline'));
      return;
    }
    state.pwResults = {};
    if (!isObj(answer.inventory)) {
      state.doc = null;
      clearResults();
      state.loadProblem = { name: file.name, notObject: false, findings: answer.notes, handle };
      render();
      return;
    }
    state.loadProblem = null;
    state.loadNotes = answer.notes;
    state.doc = answer.inventory;
    state.fileName = file.name;
    state.handle = handle || null;
    state.isNew = false;
    state.saveNote = null;
    state.format = 'xlsx';
    state.dirty = false;
    clearResults();
    render();
    window.scrollTo(0, 0);
    scheduleCheck(0);
  }

  // `handle`: the file's FileSystemFileHandle when the browser gave one (the picker, or a
  // drop in Chromium): Save then writes back to it.
  async function openFile(file, handle) {
    if (state.dirty && !window.confirm(t('replaceConfirm'))) return;
    if (WORKBOOK.test(file.name)) {
      await openWorkbook(file, handle);
      return;
    }
    state.format = 'json';
    const bytes = await file.arrayBuffer();
    let report;
    try {
      report = await postCheck(bytes);
    } catch (e) {
      toast(e.message || t('offline'));
      return;
    }
    const syntax = report.findings.filter((f) => f.rule === 'inventory-syntax');
    let doc;
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
      doc = JSON.parse(text);
    } catch (_) {
      doc = undefined;
    }
    state.pwResults = {};
    if (!isObj(doc)) {
      state.doc = null;
      clearResults();
      const diagnosis = doc === undefined ? await diagnose(bytes) : null;
      state.loadProblem = { name: file.name, notObject: doc !== undefined, findings: syntax.length ? syntax : report.findings, diagnosis, handle };
      render();
      return;
    }
    state.loadProblem = null;
    state.loadNotes = syntax.map((f) => Object.assign({}, f, { pointer: f.pointer || '' }));
    state.doc = doc;
    state.fileName = file.name;
    state.handle = handle || null;
    state.isNew = false;
    state.saveNote = null;
    state.dirty = false;
    clearResults();
    render();
    window.scrollTo(0, 0);
    scheduleCheck(0);
  }

  // What went wrong in a file that is not JSON, in plain words (POST /api/repair).
  async function diagnose(bytes) {
    try {
      const r = await fetch(`/api/repair?lang=${state.lang}`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: bytes, cache: 'no-store' });
      return r.ok ? await r.json() : null;
    } catch (_) {
      return null;
    }
  }

  // What was found and answered for the inventory shown before; another inventory opens
  // on its forms.
  // Also starts a new document generation: a check or a save still running for the one
  // before does not touch this one.
  function clearResults() {
    state.seq++;
    clearTimeout(state.timer);
    state.status = 'idle';
    state.gen++;
    state.overwriteAsked = false;
    state.checklistFailed = false;
    state.view = 'form';
    state.report = null;
    state.lastFull = null;
    state.checklist = null;
    state.lastChecklist = null;
  }

  function startNew() {
    if (state.dirty && !window.confirm(t('replaceConfirm'))) return;
    state.doc = null;
    clearResults();
    state.loadProblem = null;
    state.loadNotes = [];
    state.dirty = false;
    render();
  }

  // A new inventory is saved as `<facility id>-<facility name>.json`, the name the
  // association files it under; characters a file name cannot hold become `_`.
  function newFileName(id, name) {
    const stem = [id, name].filter((p) => p).join('-').replace(/[\\/:*?"<>|\s]+/g, '_');
    return `${stem || 'inventory'}.json`;
  }

  function createNew(id, name, kind) {
    state.format = 'json';
    // No `$schema`: an address would not resolve offline in an editor, and a path would
    // depend on where the file is saved. A file that has one keeps it.
    state.doc = {
      schema_version: 1,
      facility: { id, name, kind, submitted: today() },
      accounts: [],
      devices: [],
    };
    state.fileName = newFileName(id, name);
    state.handle = null;
    state.isNew = true;
    state.saveNote = null;
    state.loadNotes = [];
    state.pwResults = {};
    state.dirty = true;
    clearResults();
    render();
    scheduleCheck(0);
  }

  function exportText() {
    return `${JSON.stringify(state.doc, null, 2)}\n`;
  }

  // Opening with the browser's own file picker (File System Access API, Chromium-based
  // browsers) gives a handle to write back to; elsewhere the file input opens a copy.
  function pickInstead(e) {
    if (typeof window.showOpenFilePicker !== 'function') return;
    e.preventDefault();
    pickFile();
  }

  const PICKER_ACCEPT = {
    json: { 'application/json': ['.json'] },
    xlsx: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'] },
    workbooks: {
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx', '.xlsm'],
      'application/vnd.ms-excel': ['.xls', '.xlsb'],
      'application/vnd.oasis.opendocument.spreadsheet': ['.ods'],
    },
  };

  async function pickFile() {
    let handle;
    try {
      [handle] = await window.showOpenFilePicker({
        multiple: false,
        types: [
          { description: t('pickerTypes'), accept: Object.assign({}, PICKER_ACCEPT.json, PICKER_ACCEPT.workbooks) },
          { description: t('pickerJson'), accept: PICKER_ACCEPT.json },
          { description: t('pickerWorkbook'), accept: PICKER_ACCEPT.workbooks },
        ],
      });
    } catch (e) {
      // Cancelled; or refused here (a frame, a policy): the plain file input still opens a copy.
      if (!e || e.name !== 'AbortError') document.getElementById('file-input').click();
      return;
    }
    let file;
    try {
      file = await handle.getFile();
    } catch (_) {
      toast(t('cannotRead'));
      return;
    }
    await openFile(file, handle);
  }

  // The saved inventory: a workbook when one was opened (and it can hold the inventory
  // whole), else the JSON text. Everything it needs is taken before the first await.
  async function savedContent(at) {
    const text = exportText();
    let fileName = state.fileName;
    if (state.format === 'xlsx') {
      try {
        const r = await fetch(`/api/export?lang=${state.lang}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text, cache: 'no-store' });
        if (!r.ok) throw new Error((await r.json()).error || t('serverError'));
        return { blob: await r.blob(), name: fileName.replace(WORKBOOK, '.xlsx'), ext: '.xlsx' };
      } catch (e) {
        // Said now, and again with where the file went (that toast replaces this one).
        at.problem = `${e.message} ${t('workbookNotSaved')}`;
        toast(at.problem);
        fileName = fileName.replace(WORKBOOK, '.json');
        if (state.gen === at.gen) {
          state.format = 'json';
          state.fileName = fileName;
        }
      }
    }
    const facility = isObj(state.doc.facility) ? state.doc.facility : {};
    const name = fileName || `${facility.id || 'inventory'}.json`;
    return { blob: new Blob([text], { type: 'application/json' }), name, ext: '.json' };
  }

  // Save: over the opened file where the browser gave a handle to it (and it is of the
  // kind saved; a workbook only once the user agreed to lose what Excel alone keeps); a new
  // inventory where the user chooses, once (later saves write there); else a download. The
  // page then says where the file went. One save at a time; when another inventory was
  // opened meanwhile, the save finishes for the one it began with and leaves the new one be.
  async function save() {
    if (!state.doc || state.saving) return;
    state.saving = true;
    const button = document.getElementById('save');
    if (button) button.disabled = true;
    try {
      await saveNow({ gen: state.gen, edits: state.edits, errors: shown().summary.errors });
    } finally {
      state.saving = false;
      const b = document.getElementById('save');
      if (b) b.disabled = false;
    }
  }

  async function saveNow(at) {
    const same = () => state.gen === at.gen;
    const opened = state.handle;
    const isNew = state.isNew;
    const { blob, name, ext } = await savedContent(at);
    let handle = opened && opened.name.toLowerCase().endsWith(ext) ? opened : null;
    let how = 'over';
    if (handle && ext === '.xlsx' && !state.overwriteAsked) {
      if (window.confirm(t('workbookOverwrite'))) {
        if (same()) state.overwriteAsked = true;
      } else {
        handle = null;
      }
    }
    if (!handle && (isNew || opened) && typeof window.showSaveFilePicker === 'function') {
      try {
        handle = await window.showSaveFilePicker({
          suggestedName: name,
          types: [{ description: ext === '.json' ? t('pickerJson') : t('pickerWorkbook'), accept: ext === '.json' ? PICKER_ACCEPT.json : PICKER_ACCEPT.xlsx }],
        });
        how = 'as';
      } catch (e) {
        if (e && e.name === 'AbortError') {
          toast(t('saveCancelled'));
          return;
        }
        handle = null;
      }
    }
    if (handle) {
      try {
        await writeTo(handle, blob);
        if (same()) {
          state.handle = handle;
          state.isNew = false;
          state.fileName = handle.name;
          // A file rurume wrote holds nothing that Excel alone keeps.
          if (how === 'as') state.overwriteAsked = true;
        }
        saved(at, { how, name: handle.name });
        return;
      } catch (e) {
        if (e && e.name === 'AbortError') {
          toast(t('saveCancelled'));
          return;
        }
        // Not allowed to write there: the download below still saves the inventory, and
        // the page says why.
        if (same()) state.handle = null;
        download(blob, name, at, 'fallback');
        return;
      }
    }
    download(blob, name, at, 'download');
  }

  // createWritable writes to a copy: the file keeps its old content until close, and an
  // aborted stream leaves it as it was.
  async function writeTo(handle, blob) {
    if (typeof handle.queryPermission === 'function' && (await handle.queryPermission({ mode: 'readwrite' })) !== 'granted') {
      if ((await handle.requestPermission({ mode: 'readwrite' })) !== 'granted') throw new DOMException('not allowed', 'NotAllowedError');
    }
    const writable = await handle.createWritable();
    try {
      await writable.write(blob);
      await writable.close();
    } catch (e) {
      await writable.abort().catch(() => {});
      throw e;
    }
  }

  function download(blob, name, at, how) {
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: name, class: 'visually-hidden' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    saved(at, { how, name });
  }

  // Says where the file went: in a toast, and on the summary bar until the next file.
  // `at`: the document and edits the save began with; edits made since keep the page
  // unsaved, and a save of an inventory no longer shown only says where it went.
  function saved(at, where) {
    const d = new Date();
    const note = Object.assign({}, where, {
      time: `${d.getHours()}:${String(d.getMinutes()).padStart(2, '0')}`,
      errors: at.errors,
    });
    if (state.gen === at.gen) {
      if (state.edits === at.edits) state.dirty = false;
      state.saveNote = note;
      const el = document.getElementById('save-note');
      if (el) el.textContent = saveText(note);
      toast(`${at.problem ? `${at.problem} ` : ''}${saveText(note)}`);
    } else {
      toast(`${at.problem ? `${at.problem} ` : ''}${saveText(Object.assign(note, { errors: 0 }))}`);
    }
  }

  // A save note in the page's language.
  function saveText(note) {
    if (!note) return '';
    const where = { over: t('savedOver'), as: t('savedAs'), download: t('savedDownload'), fallback: t('saveFallback') }[note.how](note.name);
    return `${where}${t('savedAt')(note.time)}${note.errors ? t('errorsLeft')(note.errors) : ''}`;
  }

  let toastTimer = null;
  function toast(text) {
    const el = document.getElementById('toast');
    el.textContent = text;
    el.classList.add('shown');
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => el.classList.remove('shown'), 5000);
  }

  async function switchLang() {
    state.lang = state.lang === 'ja' ? 'en' : 'ja';
    safeStorage('rurume-lang', state.lang);
    await loadRules();
    render();
    if (state.doc) scheduleCheck(0);
  }

  // -------------------------------------------------------------------------------------
  // Printing: a one-page summary, filled after every check

  function renderPrint() {
    const out = document.getElementById('print-summary');
    if (!state.doc || !state.report) {
      fill(out);
      fill(document.getElementById('print-checklist'));
      return;
    }
    const f = isObj(state.doc.facility) ? state.doc.facility : {};
    const s = shown().summary;
    const missing = s.errors ? [] : missingForSubmission();
    const n = (k) => (Array.isArray(state.doc[k]) ? state.doc[k].length : 0);
    const rules = new Map((state.rules[state.lang] || []).map((r) => [r.id, r.title]));
    const gap = printGap();
    const rows = shown().findings.map((x) => h('tr', { class: `sev-${sev(x)}` },
      h('td', { text: t('severity')[sev(x)] }),
      h('td', { text: x.source }),
      h('td', { text: describe(x.pointer) }),
      h('td', {},
        rules.has(x.rule) ? h('strong', { class: 'print-rule', text: rules.get(x.rule) }) : null,
        h('div', { text: x.message }),
        x.fix ? h('div', { class: 'print-fix', text: `${t('fix')}: ${x.fix}` }) : null)));
    fill(out,
      h('h1', { text: t('printTitle') }),
      h('p', { class: 'print-facility' },
        h('strong', { text: `${f.name || ''}` }), `${pick(' （', ' (')}${[f.id || '', f.kind ? enumLabel('facilityKind', f.kind) : ''].join(pick('・', ', '))}${pick('）', ')')}`),
      h('p', {}, `${t('asOf')}: ${longDate(state.report.as_of)}${gap}${t('printChecked')}: ${longDate(today())}${gap}${t('printCounts')(n('accounts'), n('devices'), n('exceptions'))}`),
      h('p', { class: `print-verdict ${s.errors || missing.length ? 'bad' : 'good'}` },
        s.errors ? t('hasErrors')(s.errors) : (missing.length ? t('notReady') : t('allClear')),
        `${gap}${[`${t('errors')} ${s.errors}`, `${t('warnings')} ${s.warnings}`, `${t('waived')} ${s.waived}`].join(pick('・', ', '))}`),
      rows.length ? h('table', {},
        h('colgroup', {}, h('col', { class: 'c-sev' }), h('col', { class: 'c-art' }), h('col', { class: 'c-place' }), h('col', {})),
        h('thead', {}, h('tr', {}, h('th', { text: '' }), h('th', { text: t('article') }), h('th', { text: t('place') }), h('th', { text: t('content') }))),
        h('tbody', {}, rows)) : h('p', { text: t('printNone') }),
      h('p', { class: 'print-sign' },
        h('span', {}, `${t('printChecker')}: `, h('span', { class: 'print-blank' })),
        h('span', {}, `${t('printCheckDate')}: `, h('span', { class: 'print-blank date', text: t('printBlankDate') }))),
      missing.length ? h('ul', { class: 'print-missing' }, missing.map((m) => h('li', { text: m }))) : null,
      h('p', { class: 'print-footer', text: `${t('printFooter')}${state.fileName ? ` — ${state.fileName}` : ''}` }));
    fill(document.getElementById('print-checklist'), printChecklist());
  }

  // The checklist's answers, on a page of their own: each item with its answer, what to
  // fix for いいえ and what to check by hand for 要確認.
  function printChecklist() {
    const { c, stale } = checklistShown();
    if (!c || !c.sheet) return null;
    const rows = c.sheet.sections.flatMap((sec) => [
      h('tr', { class: 'print-section' }, h('th', { colspan: '4', text: `${sec.number}. ${sec.title}` })),
      sec.items.map((i) => h('tr', { class: `answer-${i.answer}` },
        h('td', { text: i.number }),
        h('td', { text: i.text }),
        h('td', { class: 'print-answer', text: t('answer')[i.answer] }),
        h('td', {},
          i.findings.map((x) => h('div', {}, h('div', { text: `${describe(x.pointer)} — ${x.message}` }),
            x.fix ? h('div', { class: 'print-fix', text: `${t('fix')}: ${x.fix}` }) : null)),
          i.waived.map((x) => h('div', { text: `${t('waivedBy')}${x.message}` })),
          i.manual ? h('div', { text: `${t('checkByHand')}${i.manual}` }) : null))),
    ]);
    const f = isObj(state.doc.facility) ? state.doc.facility : {};
    return h('section', { class: 'print-checklist' },
      h('h1', { text: c.sheet.title }),
      h('p', { class: 'print-facility' }, h('strong', { text: `${f.name || ''}` }), `${pick(' （', ' (')}${f.id || ''}${pick('）', ')')}`),
      h('p', { text: `${t('asOf')}: ${longDate(c.as_of)}${printGap()}${t('checklistCounts')(c.summary.yes, c.summary.no, c.summary.unknown)}${stale ? `${printGap()}${stale}` : ''}` }),
      h('table', {},
        h('colgroup', {}, h('col', { class: 'c-num' }), h('col', { class: 'c-item' }), h('col', { class: 'c-answer' }), h('col', {})),
        h('thead', {}, h('tr', {}, h('th', { text: t('checklistNumber') }), h('th', { text: t('checklistItem') }), h('th', { text: t('checklistAnswer') }), h('th', { text: t('checklistTodo') }))),
        h('tbody', {}, rows)),
      h('p', { class: 'print-sign' },
        h('span', {}, `${t('printOfficer')}: `, h('span', { class: 'print-blank', text: typeof f.security_officer === 'string' ? f.security_officer : '' })),
        h('span', {}, `${t('printCheckDate')}: `, h('span', { class: 'print-blank date', text: t('printBlankDate') }))));
  }

  // The space between the parts of a printed line: a full-width space in Japanese.
  function printGap() {
    return pick('\u3000', ' \u00b7 ');
  }

  // A date as the printout writes it: 2026年11月26日 / 26 November 2026.
  function longDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    if (!m) return iso || '';
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (state.lang === 'ja') return `${y}年${mo}月${d}日`;
    const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
    return `${d} ${months[mo - 1]} ${y}`;
  }

  // -------------------------------------------------------------------------------------
  // Start

  // The language is taken before the first await: the answer is kept under the language
  // it was asked in, even if the user switches meanwhile.
  async function loadSettings(lang = state.lang) {
    if (state.settings[lang]) return;
    try {
      const r = await fetch(`/api/settings?lang=${lang}`, { cache: 'no-store' });
      if (r.ok) state.settings[lang] = await r.json();
    } catch (_) { /* the page works without: it does not say how to submit */ }
  }

  async function loadRules() {
    const lang = state.lang;
    await loadSettings(lang);
    if (state.rules[lang]) return;
    try {
      const r = await fetch(`/api/rules?lang=${lang}`, { cache: 'no-store' });
      state.rules[lang] = await r.json();
    } catch (_) {
      state.rules[lang] = [];
    }
  }

  function setupDrop() {
    let depth = 0;
    const hasFiles = (e) => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files');
    window.addEventListener('dragenter', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      document.body.classList.add('dragging');
    });
    window.addEventListener('dragover', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    });
    window.addEventListener('dragleave', () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) document.body.classList.remove('dragging');
    });
    window.addEventListener('drop', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      document.body.classList.remove('dragging');
      const file = e.dataTransfer.files[0];
      if (!file) return;
      // Chromium gives a dropped file's handle (asked for during the event): Save then
      // writes back to it. Elsewhere, or without one, Save downloads.
      const item = e.dataTransfer.items && e.dataTransfer.items[0];
      let asked = null;
      try {
        asked = item && typeof item.getAsFileSystemHandle === 'function' ? item.getAsFileSystemHandle() : null;
      } catch (_) {
        asked = null;
      }
      Promise.resolve(asked)
        .catch(() => null)
        .then((handle) => openFile(file, handle && handle.kind === 'file' ? handle : null));
    });
  }

  // Touching a control of a new row (or of a row inside it) makes it an ordinary row.
  for (const type of ['input', 'change']) {
    document.addEventListener(type, (e) => {
      for (let row = e.target.closest && e.target.closest('[data-fresh]'); row; row = row.parentElement && row.parentElement.closest('[data-fresh]')) {
        fresh.delete(getAt(tokens(row.dataset.ptr)));
        row.removeAttribute('data-fresh');
      }
    }, true);
  }

  window.addEventListener('beforeunload', (e) => {
    if (state.dirty) {
      e.preventDefault();
      e.returnValue = t('leaveConfirm');
    }
  });

  // The JSON the Save button downloads (for tests and scripts).
  window.rurumeExport = () => (state.doc ? exportText() : null);

  async function init() {
    const overlay = h('div', { class: 'drop-overlay', 'aria-hidden': 'true' }, h('div', {}, '⤓ ', h('span', { id: 'drop-text' })));
    document.body.append(overlay);
    setupDrop();
    try {
      const r = await fetch('/api/schema', { cache: 'no-store' });
      state.schema = await r.json();
    } catch (_) {
      state.schema = null;
    }
    await loadRules();
    render();
    document.body.dataset.ready = 'true';
  }

  init();
})();
